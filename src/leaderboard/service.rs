//! Reading a leaderboard page, and keeping the scores of study time up to date.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{pages, ranks, Metric, Period, Scope, Who, PAGE_SIZE};
use crate::error::{Error, Result};
use crate::member::{GuildId, UserId};
use crate::settings::SettingsService;
use crate::store::board_score::{self, Board};
use crate::store::{streak, study_group, Conn, Store};

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
    pub scope: Scope,
    /// (rank, member or group, score), best first.
    pub rows: Vec<(u32, Who, i64)>,
    /// The asker's rank and score, if they are on the board.
    pub me: Option<(u32, i64)>,
}

#[derive(Debug, Clone)]
pub struct LeaderboardService {
    store: Store,
    settings: SettingsService,
}

/// The boards a score of `metric` recorded at `at` counts on (this week, this month, all
/// time), in the server's zone.
pub(crate) fn boards(metric: Metric, at: DateTime<Utc>, zone: Tz) -> Vec<Board<'static>> {
    Period::ALL
        .into_iter()
        .map(|period| Board {
            metric: metric.code(),
            period: period.code(),
            start: period.start(at, zone),
        })
        .collect()
}

/// The scores a check-in of `minutes` adds to, in the server's zone.
pub(crate) fn time_boards(at: DateTime<Utc>, zone: Tz) -> Vec<Board<'static>> {
    boards(Metric::Time, at, zone)
}

/// The scores a topic finished at `at` counts in, in the server's zone.
pub(crate) fn topic_boards(at: DateTime<Utc>, zone: Tz) -> Vec<Board<'static>> {
    boards(Metric::Topics, at, zone)
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
    board_score::add_many(
        conn,
        guild,
        user,
        &time_boards(at, zone),
        i64::from(minutes),
    )
    .await
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
            Metric::Time | Metric::Topics | Metric::Points => {
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
            .map(|(rank, (user, score))| (rank, Who::Member(user), score))
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
            scope: Scope::Server,
            rows: ranked,
            me,
        })
    }

    /// A page of a board in any scope. The server's board reads the kept scores; a group's
    /// board and the board of groups are small, so they are ranked here, with the same rules.
    #[allow(clippy::too_many_arguments)]
    pub async fn page_in(
        &self,
        guild: GuildId,
        scope: Scope,
        metric: Metric,
        period: Period,
        page: u32,
        me: UserId,
        now: DateTime<Utc>,
    ) -> Result<BoardPage> {
        let group = match scope {
            Scope::Server => return self.page(guild, metric, period, page, me, now).await,
            Scope::Group(group) => Some(group),
            Scope::Groups => None,
        };
        let zone = self.settings.get(guild).await?.zone();
        let board = Board {
            metric: metric.code(),
            period: period.code(),
            start: period.start(now, zone),
        };
        let mut conn = self.store.conn().await?;
        let (sorted, mine): (Vec<(Who, i64)>, Option<Who>) = match group {
            Some(group) => {
                let scores = match metric {
                    Metric::Streak => study_group::member_streaks(&mut conn, group, now).await?,
                    _ => study_group::member_scores(&mut conn, group, board).await?,
                };
                (
                    scores
                        .into_iter()
                        .map(|(u, s)| (Who::Member(u), s))
                        .collect(),
                    Some(Who::Member(me)),
                )
            }
            None => {
                let groups = study_group::list(&mut conn, guild).await?;
                let today = now.with_timezone(&zone).date_naive();
                let mut scores: Vec<(Who, i64)> = Vec::new();
                let totals: std::collections::HashMap<i64, i64> = match metric {
                    Metric::Streak => std::collections::HashMap::new(),
                    _ => study_group::group_totals(&mut conn, guild, board)
                        .await?
                        .into_iter()
                        .collect(),
                };
                for (g, members) in &groups {
                    let score = match metric {
                        Metric::Streak => {
                            let studied = study_group::studied_per_date(
                                &mut conn,
                                g.id,
                                today - chrono::Duration::days(400),
                            )
                            .await?
                            .into_iter()
                            .collect();
                            i64::from(crate::group::group_streak(&studied, *members, today))
                        }
                        _ => totals.get(&g.id).copied().unwrap_or(0),
                    };
                    if score > 0 {
                        scores.push((Who::Group(g.name.clone()), score));
                    }
                }
                let name = |who: &Who| match who {
                    Who::Group(name) => name.to_lowercase(),
                    Who::Member(user) => user.0.to_string(),
                };
                scores.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name(&a.0).cmp(&name(&b.0))));
                let member = crate::member::Member { guild, user: me };
                let mine = match study_group::group_of(&mut conn, member).await? {
                    Some(id) => study_group::by_id(&mut conn, id)
                        .await?
                        .map(|g| Who::Group(g.name)),
                    None => None,
                };
                (scores, mine)
            }
        };
        let total = sorted.len() as u32;
        let pages = pages(total);
        if page >= pages {
            return Err(Error::user(format!(
                "That page no longer exists: the board has {pages} page{} now. Run `/leaderboard` again.",
                if pages == 1 { "" } else { "s" }
            )));
        }
        let all_scores: Vec<i64> = sorted.iter().map(|(_, s)| *s).collect();
        let all_ranks = ranks(&all_scores, 1, 0);
        let me = mine.and_then(|who| {
            sorted
                .iter()
                .position(|(w, _)| *w == who)
                .map(|i| (all_ranks[i], sorted[i].1))
        });
        let offset = (page * PAGE_SIZE) as usize;
        let rows = sorted
            .into_iter()
            .zip(all_ranks)
            .skip(offset)
            .take(PAGE_SIZE as usize)
            .map(|((who, score), rank)| (rank, who, score))
            .collect();
        Ok(BoardPage {
            metric,
            period,
            page,
            pages,
            total,
            scope,
            rows,
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
