//! The `board_histogram` table: how many members hold each score on a board.

use sqlx::Row;

use super::board_score::Board;
use super::{id_to_sql, Conn};
use crate::member::GuildId;

/// One member's score on `board` went from `old` to `new` (0: not on the board).
pub async fn moved(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    old: i64,
    new: i64,
) -> anyhow::Result<()> {
    if old == new {
        return Ok(());
    }
    if old > 0 {
        bump(conn, guild, board, old, -1).await?;
    }
    if new > 0 {
        bump(conn, guild, board, new, 1).await?;
    }
    Ok(())
}

/// Adds `members` (possibly negative) to the bucket of `score`.
pub async fn bump(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    score: i64,
    members: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO board_histogram (guild_id, metric, period, period_start, score, members)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, metric, period, period_start, score) DO UPDATE SET
             members = board_histogram.members + excluded.members",
    )
    .bind(id_to_sql(guild.0))
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .bind(score)
    .bind(members)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many members score above `above` on the board.
pub async fn members_above(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    above: i64,
) -> anyhow::Result<u32> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(members), 0) AS members FROM board_histogram
         WHERE guild_id = ? AND metric = ? AND period = ? AND period_start = ? AND score > ?",
    )
    .bind(id_to_sql(guild.0))
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .bind(above.max(0))
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(row.try_get::<i64, _>("members")?)?)
}

/// Rebuilds a metric's histogram from `board_score` (after that metric was rebuilt).
pub async fn rebuild_from_scores(conn: &mut Conn, metric: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM board_histogram WHERE metric = ?")
        .bind(metric)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO board_histogram (guild_id, metric, period, period_start, score, members)
         SELECT guild_id, metric, period, period_start, score, COUNT(*)
         FROM board_score WHERE metric = ? AND score > 0
         GROUP BY guild_id, metric, period, period_start, score",
    )
    .bind(metric)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::UserId;
    use crate::store::board_score;
    use crate::store::{Pool, Store};

    /// The histogram as it should be: counted from the scores themselves.
    async fn counted(conn: &mut Conn) -> Vec<(i64, i64)> {
        sqlx::query_as(
            "SELECT score, COUNT(*) FROM board_score WHERE score > 0 GROUP BY score ORDER BY score",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap()
    }

    async fn kept(conn: &mut Conn) -> Vec<(i64, i64)> {
        sqlx::query_as(
            "SELECT score, members FROM board_histogram WHERE members != 0 ORDER BY score",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap()
    }

    #[sqlx::test]
    async fn the_histogram_follows_every_score_change(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let board = Board {
            metric: "time",
            period: "all",
            start: None,
        };
        let guild = GuildId(1);
        // A fixed pseudo-random walk of additions and removals across 30 members.
        let mut x: u64 = 12345;
        for _ in 0..400 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let user = UserId(1 + (x >> 33) % 30);
            let delta = ((x >> 20) % 7) as i64 - 2;
            let current = board_score::score_of(&mut conn, guild, board, user)
                .await
                .unwrap()
                .unwrap_or(0);
            // Scores never go below zero (a topic undone is one that was done).
            let delta = delta.max(-current);
            board_score::add(&mut conn, guild, user, board, delta)
                .await
                .unwrap();
        }
        assert_eq!(kept(&mut conn).await, counted(&mut conn).await);
        let total: i64 = counted(&mut conn).await.iter().map(|(_, n)| n).sum();
        assert_eq!(
            members_above(&mut conn, guild, board, 0).await.unwrap() as i64,
            total
        );
    }
}
