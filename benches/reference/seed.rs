//! Seeding a large server for the benchmarks (shared by `benches/study.rs` and the end-to-end
//! benchmark in `tests/e2e/bench.rs`, which include this file): members with ten check-ins each
//! over the last 60 days, streaks, leaderboard scores, topics done, and study groups, written
//! through the store's own functions in large transactions. Deterministic: every run seeds the
//! same server.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use waypoint::leaderboard::Period;
use waypoint::member::{GuildId, Member, UserId};
use waypoint::progress::TopicStatus;
use waypoint::roadmap::Roadmap;
use waypoint::store::board_score::{self, Board};
use waypoint::store::{checkin, streak, study_day, study_group, topic_progress, Store};
use waypoint::streak::rules::{Day, RestDays, Streak};

pub const CHECKINS_PER_MEMBER: u64 = 10;

/// Which server to seed: its id, and its members' ids `first_user..first_user + members`.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    pub guild: u64,
    pub first_user: u64,
    pub members: u64,
}

/// A small deterministic generator (xorshift), so every run seeds the same server.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes the server through the store's own functions, in large transactions.
pub async fn seed(
    store: &Store,
    roadmap: &Roadmap,
    server: Server,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Server {
        guild: guild_id,
        first_user,
        members,
    } = server;
    let mut rng = Rng(0xC0FFEE);
    let zone = Tz::UTC;
    let topics: Vec<String> = roadmap.topics().map(|t| t.topic.slug.clone()).collect();
    let today = now.date_naive();
    let guild = GuildId(guild_id);
    let week = Board {
        metric: "time",
        period: "week",
        start: Period::Week.start(now, zone),
    };
    let month = Board {
        metric: "time",
        period: "month",
        start: Period::Month.start(now, zone),
    };
    let all = Board {
        metric: "time",
        period: "all",
        start: None,
    };
    let topic_boards = [
        Board {
            metric: "topics",
            period: "week",
            start: Period::Week.start(now, zone),
        },
        Board {
            metric: "topics",
            period: "month",
            start: Period::Month.start(now, zone),
        },
        Board {
            metric: "topics",
            period: "all",
            start: None,
        },
    ];
    let mut interaction = 1u64;
    for batch in (first_user..first_user + members)
        .collect::<Vec<_>>()
        .chunks(5_000)
    {
        let mut tx = store.begin().await?;
        for user in batch {
            let member = Member::new(guild_id, *user);
            // Ten study days within the last 60, the most recent ones often consecutive.
            let mut offsets: Vec<i64> = (0..CHECKINS_PER_MEMBER)
                .map(|i| {
                    if rng.below(2) == 0 {
                        i as i64 + 1
                    } else {
                        1 + rng.below(60) as i64
                    }
                })
                .collect();
            offsets.sort_unstable();
            offsets.dedup();
            let mut days = Vec::new();
            let (mut total, mut in_week, mut in_month) = (0i64, 0i64, 0i64);
            for (i, offset) in offsets.iter().enumerate() {
                let date = today - Duration::days(*offset);
                let day = Day { date, zone };
                let minutes = 10 + rng.below(110) as u32;
                let at = day.start() + Duration::hours(12);
                // The rest of the member's ten check-ins land on their latest day.
                let count = if i == 0 {
                    CHECKINS_PER_MEMBER as usize - offsets.len() + 1
                } else {
                    1
                };
                for _ in 0..count {
                    checkin::insert(
                        &mut tx,
                        member,
                        &checkin::NewCheckin {
                            interaction: Some(interaction),
                            study_date: date,
                            minutes,
                            topic_slug: None,
                            note: None,
                            at,
                        },
                    )
                    .await?;
                    interaction += 1;
                    study_day::add_minutes(&mut tx, member, day, minutes).await?;
                    total += i64::from(minutes);
                    if Some(at) >= week.start {
                        in_week += i64::from(minutes);
                    }
                    if Some(at) >= month.start {
                        in_month += i64::from(minutes);
                    }
                }
                days.push(day);
            }
            let streak_state = Streak::replay(&days, RestDays(0));
            streak::put(
                &mut tx,
                member,
                &streak_state,
                streak_state.alive_until(RestDays(0)),
                0,
            )
            .await?;
            for (board, score) in [(week, in_week), (month, in_month), (all, total)] {
                if score > 0 {
                    board_score::add(&mut tx, guild, UserId(*user), board, score).await?;
                }
            }
            // A quarter of the members have challenge points, approved this month.
            if rng.below(4) == 0 {
                let points = 10 * (1 + rng.below(10) as i64);
                for period in Period::ALL {
                    let board = Board {
                        metric: "points",
                        period: period.code(),
                        start: period.start(now, zone),
                    };
                    board_score::add(&mut tx, guild, UserId(*user), board, points).await?;
                }
            }
            let done = rng.below(8);
            for t in 0..done {
                let slug = &topics[(t as usize * 3 + *user as usize) % topics.len()];
                let finished = now - Duration::days(rng.below(90) as i64);
                topic_progress::set(&mut tx, member, slug, TopicStatus::Done, finished).await?;
                for board in topic_boards {
                    if board.start.map_or(true, |start| finished >= start) {
                        board_score::add(&mut tx, guild, UserId(*user), board, 1).await?;
                    }
                }
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

/// `groups` study groups of `per_group` members each, from the server's first members.
pub async fn seed_groups(
    store: &Store,
    server: Server,
    groups: u64,
    per_group: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let guild = GuildId(server.guild);
    let mut tx = store.begin().await?;
    for g in 0..groups {
        let group = study_group::create(
            &mut tx,
            guild,
            &format!("Group {g:03}"),
            None,
            UserId(1),
            now,
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("group {g} exists"))?;
        for m in 0..per_group {
            let user = server.first_user + g * per_group + m;
            if user >= server.first_user + server.members {
                break;
            }
            study_group::join(
                &mut tx,
                Member::new(server.guild, user),
                group.id,
                false,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
