//! The `board_score` table: leaderboard scores per server, metric, period and member.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, Conn};
use crate::member::{GuildId, UserId};

/// Which board: a metric (`time`, `topics`) over a period (`week`, `month`, `all`) that
/// started at `start` (`None` for all time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Board<'a> {
    pub metric: &'a str,
    pub period: &'a str,
    pub start: Option<DateTime<Utc>>,
}

impl Board<'_> {
    pub(crate) fn start_text(&self) -> String {
        self.start.map(format_instant).unwrap_or_default()
    }
}

/// Adds `delta` to the member's score on that board (and keeps the histogram in step).
pub async fn add(
    conn: &mut Conn,
    guild: GuildId,
    user: UserId,
    board: Board<'_>,
    delta: i64,
) -> anyhow::Result<()> {
    let new: i64 = sqlx::query_scalar(
        "INSERT INTO board_score (guild_id, metric, period, period_start, user_id, score)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, metric, period, period_start, user_id) DO UPDATE SET
             score = board_score.score + excluded.score
         RETURNING score",
    )
    .bind(id_to_sql(guild.0))
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .bind(id_to_sql(user.0))
    .bind(delta)
    .fetch_one(&mut *conn)
    .await?;
    super::board_histogram::moved(conn, guild, board, new - delta, new).await
}

/// Adds `delta` to the member's score on each of `boards` (distinct boards), and keeps the
/// histograms in step: two statements whatever the number of boards (a check-in's hot path).
pub async fn add_many(
    conn: &mut Conn,
    guild: GuildId,
    user: UserId,
    boards: &[Board<'_>],
    delta: i64,
) -> anyhow::Result<()> {
    if boards.is_empty() || delta == 0 {
        return Ok(());
    }
    let rows = vec!["(?, ?, ?, ?, ?, ?)"; boards.len()].join(", ");
    let sql = format!(
        "INSERT INTO board_score (guild_id, metric, period, period_start, user_id, score)
         VALUES {rows}
         ON CONFLICT (guild_id, metric, period, period_start, user_id) DO UPDATE SET
             score = board_score.score + excluded.score
         RETURNING metric, period, period_start, score"
    );
    let mut upsert = sqlx::query(&sql);
    for board in boards {
        upsert = upsert
            .bind(id_to_sql(guild.0))
            .bind(board.metric)
            .bind(board.period)
            .bind(board.start_text())
            .bind(id_to_sql(user.0))
            .bind(delta);
    }
    let returned = upsert.fetch_all(&mut *conn).await?;
    // Each board's old bucket loses the member and the new one gains them. The keys are all
    // distinct (boards differ, and old ≠ new as delta ≠ 0), as one upsert requires.
    let mut buckets: Vec<(String, String, String, i64, i64)> = Vec::new();
    for row in &returned {
        let (metric, period, start): (String, String, String) = (
            row.try_get("metric")?,
            row.try_get("period")?,
            row.try_get("period_start")?,
        );
        let new: i64 = row.try_get("score")?;
        let old = new - delta;
        if old > 0 {
            buckets.push((metric.clone(), period.clone(), start.clone(), old, -1));
        }
        if new > 0 {
            buckets.push((metric, period, start, new, 1));
        }
    }
    if buckets.is_empty() {
        return Ok(());
    }
    let rows = vec!["(?, ?, ?, ?, ?, ?)"; buckets.len()].join(", ");
    let sql = format!(
        "INSERT INTO board_histogram (guild_id, metric, period, period_start, score, members)
         VALUES {rows}
         ON CONFLICT (guild_id, metric, period, period_start, score) DO UPDATE SET
             members = board_histogram.members + excluded.members"
    );
    let mut histogram = sqlx::query(&sql);
    for (metric, period, start, score, members) in buckets {
        histogram = histogram
            .bind(id_to_sql(guild.0))
            .bind(metric)
            .bind(period)
            .bind(start)
            .bind(score)
            .bind(members);
    }
    histogram.execute(&mut *conn).await?;
    Ok(())
}

/// One page of the board, best first (ties by user id, so pages are stable); zero scores are
/// not on the board.
pub async fn page(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    offset: u32,
    limit: u32,
) -> anyhow::Result<Vec<(UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT user_id, score FROM board_score
         WHERE guild_id = ? AND metric = ? AND period = ? AND period_start = ? AND score > 0
         ORDER BY score DESC, user_id LIMIT ? OFFSET ?",
    )
    .bind(id_to_sql(guild.0))
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                UserId(row.try_get::<i64, _>("user_id")? as u64),
                row.try_get("score")?,
            ))
        })
        .collect()
}

/// How many members are on the board with a score above `above` (0: everyone on it).
pub async fn count_above(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    above: i64,
) -> anyhow::Result<u32> {
    super::board_histogram::members_above(conn, guild, board, above).await
}

pub async fn score_of(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    user: UserId,
) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT score FROM board_score
         WHERE guild_id = ? AND metric = ? AND period = ? AND period_start = ? AND user_id = ? AND score > 0",
    )
    .bind(id_to_sql(guild.0))
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .bind(id_to_sql(user.0))
    .fetch_optional(&mut *conn)
    .await?)
}

/// Forgets every score of a metric (before it is rebuilt).
pub async fn clear_metric(conn: &mut Conn, metric: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM board_score WHERE metric = ?")
        .bind(metric)
        .execute(&mut *conn)
        .await?;
    super::board_histogram::rebuild_from_scores(conn, metric).await
}

/// Rebuilds the all-time topics board from the current roadmap's progress.
pub async fn rebuild_topics_all_time(conn: &mut Conn) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO board_score (guild_id, metric, period, period_start, user_id, score)
         SELECT guild_id, 'topics', 'all', '', user_id, COUNT(*)
         FROM current_topic_progress WHERE status = 'done'
         GROUP BY guild_id, user_id",
    )
    .execute(&mut *conn)
    .await?;
    super::board_histogram::rebuild_from_scores(conn, "topics").await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};

    #[sqlx::test]
    async fn pages_ranks_ties_and_periods(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let guild = GuildId(1);
        let week = Board {
            metric: "time",
            period: "week",
            start: Some(chrono::DateTime::UNIX_EPOCH),
        };
        let all = Board {
            metric: "time",
            period: "all",
            start: None,
        };
        for (user, minutes) in [(1, 50), (2, 40), (3, 40), (4, 30), (5, 0)] {
            add(&mut conn, guild, UserId(user), week, minutes)
                .await
                .unwrap();
            add(&mut conn, guild, UserId(user), all, minutes * 2)
                .await
                .unwrap();
        }
        add(&mut conn, guild, UserId(4), week, 5).await.unwrap();
        add(&mut conn, GuildId(2), UserId(9), week, 500)
            .await
            .unwrap();
        let first = page(&mut conn, guild, week, 0, 2).await.unwrap();
        assert_eq!(first, [(UserId(1), 50), (UserId(2), 40)]);
        let second = page(&mut conn, guild, week, 2, 2).await.unwrap();
        assert_eq!(second, [(UserId(3), 40), (UserId(4), 35)]);
        assert!(
            page(&mut conn, guild, week, 4, 2).await.unwrap().is_empty(),
            "zero scores are off the board"
        );
        assert_eq!(count_above(&mut conn, guild, week, 0).await.unwrap(), 4);
        assert_eq!(count_above(&mut conn, guild, week, 40).await.unwrap(), 1);
        assert_eq!(
            score_of(&mut conn, guild, week, UserId(3)).await.unwrap(),
            Some(40)
        );
        assert_eq!(
            score_of(&mut conn, guild, week, UserId(5)).await.unwrap(),
            None
        );
        assert_eq!(
            page(&mut conn, guild, all, 0, 1).await.unwrap(),
            [(UserId(1), 100)]
        );
        // Several boards at once: the same scores and counts as one at a time.
        let boards = [
            Board {
                metric: "points",
                period: "week",
                start: Some(chrono::DateTime::UNIX_EPOCH),
            },
            Board {
                metric: "points",
                period: "all",
                start: None,
            },
        ];
        for (user, delta) in [(1, 30), (2, 30), (1, 10), (2, -30), (3, 5)] {
            add_many(&mut conn, guild, UserId(user), &boards, delta)
                .await
                .unwrap();
        }
        for board in boards {
            assert_eq!(
                page(&mut conn, guild, board, 0, 10).await.unwrap(),
                [(UserId(1), 40), (UserId(3), 5)]
            );
            assert_eq!(count_above(&mut conn, guild, board, 0).await.unwrap(), 2);
            assert_eq!(count_above(&mut conn, guild, board, 5).await.unwrap(), 1);
            assert_eq!(count_above(&mut conn, guild, board, 30).await.unwrap(), 1);
        }
        clear_metric(&mut conn, "time").await.unwrap();
        assert_eq!(count_above(&mut conn, guild, all, 0).await.unwrap(), 0);
    }
}
