//! Reading a leaderboard page, and keeping the scores of study time up to date.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{pages, ranks, Metric, Period, PAGE_SIZE};
use crate::error::{Error, Result};
use crate::member::{GuildId, UserId};
use crate::settings::SettingsService;
use crate::store::board_score::{self, Board};
use crate::store::{streak, Conn, Store};

/// One page of a board, with the asker's own place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardPage {
    pub metric: Metric,
    pub period: Period,
    /// 0-based.
    pub page: u32,
    pub pages: u32,
    /// Members on the board.
    pub total: u32,
    /// (rank, member, score), best first.
    pub rows: Vec<(u32, UserId, i64)>,
    /// The asker's rank and score, if they are on the board.
    pub me: Option<(u32, i64)>,
}

#[derive(Debug, Clone)]
pub struct LeaderboardService {
    store: Store,
    settings: SettingsService,
}

/// The scores a check-in of `minutes` adds to, in the server's zone.
pub(crate) fn time_boards(at: DateTime<Utc>, zone: Tz) -> Vec<Board<'static>> {
    Period::ALL
        .into_iter()
        .map(|period| Board {
            metric: Metric::Time.code(),
            period: period.code(),
            start: period.start(at, zone),
        })
        .collect()
}

/// The scores a topic finished at `at` counts in, in the server's zone.
pub(crate) fn topic_boards(at: DateTime<Utc>, zone: Tz) -> Vec<Board<'static>> {
    Period::ALL
        .into_iter()
        .map(|period| Board {
            metric: Metric::Topics.code(),
            period: period.code(),
            start: period.start(at, zone),
        })
        .collect()
}

/// Adds study minutes to the member's time scores, inside the caller's transaction.
pub(crate) async fn add_time(
    conn: &mut Conn,
    guild: GuildId,
    user: UserId,
    minutes: u32,
    at: DateTime<Utc>,
    zone: Tz,
) -> anyhow::Result<()> {
    if minutes == 0 {
        return Ok(());
    }
    for board in time_boards(at, zone) {
        board_score::add(conn, guild, user, board, i64::from(minutes)).await?;
    }
    Ok(())
}

impl LeaderboardService {
    pub fn new(store: Store, settings: SettingsService) -> Self {
        Self { store, settings }
    }

    /// Page `page` (0-based) of a board as it stands at `now`, with `me`'s place.
    pub async fn page(
        &self,
        guild: GuildId,
        metric: Metric,
        period: Period,
        page: u32,
        me: UserId,
        now: DateTime<Utc>,
    ) -> Result<BoardPage> {
        let zone = self.settings.get(guild).await?.zone();
        if metric == Metric::Streak {
            // Streaks that ended since the last sweep leave the board (and its counts) first.
            let mut conn = self.store.conn().await?;
            if streak::any_ended(&mut conn, now).await? {
                drop(conn);
                let mut tx = self.store.begin().await?;
                streak::zero_ended(&mut tx, now).await?;
                tx.commit().await.map_err(anyhow::Error::from)?;
            }
        }
        let mut conn = self.store.conn().await?;
        let offset = page.saturating_mul(PAGE_SIZE);
        let board = Board {
            metric: metric.code(),
            period: period.code(),
            start: period.start(now, zone),
        };
        let (rows, total, mine) = match metric {
            Metric::Streak => {
                let rows = streak::page_alive(&mut conn, guild, now, offset, PAGE_SIZE).await?;
                let total = streak::count_alive_above(&mut conn, guild, 0).await?;
                let mine = streak::alive_current(
                    &mut conn,
                    crate::member::Member { guild, user: me },
                    now,
                )
                .await?;
                (rows, total, mine)
            }
            Metric::Time | Metric::Topics => {
                let rows = board_score::page(&mut conn, guild, board, offset, PAGE_SIZE).await?;
                let total = board_score::count_above(&mut conn, guild, board, 0).await?;
                let mine = board_score::score_of(&mut conn, guild, board, me).await?;
                (rows, total, mine)
            }
        };
        let pages = pages(total);
        if page >= pages {
            return Err(Error::user(format!(
                "That page no longer exists: the board has {pages} page{} now. Run `/leaderboard` again.",
                if pages == 1 { "" } else { "s" }
            )));
        }
        let first_rank = match rows.first() {
            Some((_, score)) => count_higher(&mut conn, guild, board, *score).await? + 1,
            None => 1,
        };
        let scores: Vec<i64> = rows.iter().map(|(_, s)| *s).collect();
        let ranked = ranks(&scores, first_rank, offset)
            .into_iter()
            .zip(rows)
            .map(|(rank, (user, score))| (rank, user, score))
            .collect();
        let me = match mine {
            Some(score) => Some((
                count_higher(&mut conn, guild, board, score).await? + 1,
                score,
            )),
            None => None,
        };
        Ok(BoardPage {
            metric,
            period,
            page,
            pages,
            total,
            rows: ranked,
            me,
        })
    }
}

/// How many on the board score higher than `score`.
async fn count_higher(
    conn: &mut Conn,
    guild: GuildId,
    board: Board<'_>,
    score: i64,
) -> anyhow::Result<u32> {
    if board.metric == Metric::Streak.code() {
        streak::count_alive_above(conn, guild, score).await
    } else {
        board_score::count_above(conn, guild, board, score).await
    }
}
