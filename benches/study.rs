//! The study benchmark (`cargo bench --bench study`): a server of 100,000 members with
//! 1,000,000 check-ins, then the database work of `/checkin` and one leaderboard page for every
//! metric and period, timed on this machine. Not a test: it prints a table to compare with the
//! targets (a page ≤ 2 ms, a check-in ≤ 1 ms).
//!
//! `WAYPOINT_BENCH_MEMBERS` scales it down (e.g. 10000 for a quick look).

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use waypoint::config::DatabaseSettings;
use waypoint::leaderboard::{LeaderboardService, Metric, Period};
use waypoint::member::{GuildId, Member, UserId};
use waypoint::progress::{ProgressService, TopicStatus};
use waypoint::roadmap::Roadmap;
use waypoint::settings::SettingsService;
use waypoint::store::board_score::{self, Board};
use waypoint::store::{checkin, streak, study_day, topic_progress, Store};
use waypoint::streak::rules::{Day, RestDays, Streak};
use waypoint::streak::{CheckIn, StudyService};

const GUILD: u64 = 1_200_000_000_000_000_001;
const CHECKINS_PER_MEMBER: u64 = 10;

/// A small deterministic generator (xorshift), so every run seeds the same server.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn micros(d: StdDuration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let members: u64 = std::env::var("WAYPOINT_BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let settings = DatabaseSettings {
        path: dir.path().join("bench.db"),
        ..DatabaseSettings::default()
    };
    let store = Store::open(&settings).await?;
    let roadmap = Arc::new(
        Roadmap::load(std::path::Path::new("config/roadmap.toml"))
            .map_err(|p| anyhow::anyhow!("roadmap: {p:?}"))?,
    );
    let settings_service = SettingsService::new(store.clone());
    let progress = ProgressService::new(store.clone(), roadmap.clone(), settings_service.clone());
    let study = StudyService::new(store.clone());
    let boards = LeaderboardService::new(store.clone(), settings_service.clone());
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
    progress.publish_roadmap(now).await?;

    println!(
        "seeding {members} members with {} check-ins…",
        members * CHECKINS_PER_MEMBER
    );
    let started = Instant::now();
    seed(&store, &roadmap, members, now).await?;
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());

    let mut rng = Rng(0x5EED);
    let guild = GuildId(GUILD);
    // As in the bot: the WAL is checkpointed in the background, not by a member's write.
    store.checkpoint().await?;
    let checkpoints = tokio::spawn({
        let store = store.clone();
        async move {
            loop {
                tokio::time::sleep(StdDuration::from_secs(2)).await;
                let _ = store.checkpoint().await;
            }
        }
    });

    // /checkin's database work: a check-in for a random existing member, today.
    let mut checkins = Vec::new();
    for i in 0..2_000u64 {
        let member = Member::new(GUILD, 1 + rng.below(members));
        let request = CheckIn {
            minutes: Some(25),
            interaction: Some(9_000_000_000 + i),
            ..CheckIn::default()
        };
        let at = now + Duration::seconds(i as i64);
        let t = Instant::now();
        study.check_in(member, request, at).await?;
        checkins.push(t.elapsed());
    }
    checkins.sort();

    println!();
    println!("| what | p50 | p99 | target |");
    println!("|---|---|---|---|");
    println!(
        "| /checkin (database work) | {} | {} | ≤ 1 ms |",
        micros(percentile(&checkins, 0.5)),
        micros(percentile(&checkins, 0.99))
    );
    for metric in Metric::ALL {
        for period in Period::ALL {
            if metric == Metric::Streak && period != Period::Week {
                continue; // streaks are current whatever the period
            }
            let mut times = Vec::new();
            for _ in 0..300 {
                let me = UserId(1 + rng.below(members));
                let page = rng.below(5) as u32;
                let t = Instant::now();
                boards.page(guild, metric, period, page, me, now).await?;
                times.push(t.elapsed());
            }
            times.sort();
            println!(
                "| leaderboard page: {} · {} | {} | {} | ≤ 2 ms |",
                metric.code(),
                if metric == Metric::Streak {
                    "current"
                } else {
                    period.code()
                },
                micros(percentile(&times, 0.5)),
                micros(percentile(&times, 0.99))
            );
        }
    }
    checkpoints.abort();
    store.close().await;
    Ok(())
}

/// Writes the server through the store's own functions, in large transactions.
async fn seed(
    store: &Store,
    roadmap: &Roadmap,
    members: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut rng = Rng(0xC0FFEE);
    let zone = Tz::UTC;
    let topics: Vec<String> = roadmap.topics().map(|t| t.topic.slug.clone()).collect();
    let today = now.date_naive();
    let guild = GuildId(GUILD);
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
    for batch in (1..=members).collect::<Vec<_>>().chunks(5_000) {
        let mut tx = store.begin().await?;
        for user in batch {
            let member = Member::new(GUILD, *user);
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
