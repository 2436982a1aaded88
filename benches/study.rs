//! The study benchmark (`cargo bench --bench study`): a server of 100,000 members with
//! 1,000,000 check-ins, then the database work of `/checkin` and one leaderboard page for every
//! metric and period, timed on this machine. Not a test: it prints a table to compare with the
//! targets (a page ≤ 2 ms, a check-in ≤ 1 ms).
//!
//! `WAYPOINT_BENCH_MEMBERS` scales it down (e.g. 10000 for a quick look).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, TimeZone, Utc};
use waypoint::config::DatabaseSettings;
use waypoint::leaderboard::{LeaderboardService, Metric, Period};
use waypoint::member::{GuildId, Member, UserId};
use waypoint::progress::ProgressService;
use waypoint::roadmap::Roadmap;
use waypoint::settings::SettingsService;
use waypoint::store::Store;
use waypoint::streak::{CheckIn, StudyService};

#[path = "reference/seed.rs"]
mod seed;

use seed::{Rng, Server, CHECKINS_PER_MEMBER};

const GUILD: u64 = 1_200_000_000_000_000_001;

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn micros(d: StdDuration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Statements sqlx ran while [`COUNTING`] was on (sqlx reports each one as a tracing event
/// with the target `sqlx::query`; the filter turns that on only while counting).
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);

struct CountStatements;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn on_event(&self, _: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    {
        use tracing_subscriber::layer::SubscriberExt;
        use tracing_subscriber::Layer;
        let filter = tracing_subscriber::filter::dynamic_filter_fn(|meta, _| {
            COUNTING.load(Ordering::SeqCst) && meta.target() == "sqlx::query"
        });
        tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(CountStatements.with_filter(filter)),
        )?;
    }
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
    seed::seed(
        &store,
        &roadmap,
        Server {
            guild: GUILD,
            first_user: 1,
            members,
        },
        now,
    )
    .await?;
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

    // What bounds a check-in: how many statements it runs, and what one costs through sqlx.
    COUNTING.store(true, Ordering::SeqCst);
    let counted_before = STATEMENTS.load(Ordering::SeqCst);
    study
        .check_in(
            Member::new(GUILD, 1 + rng.below(members)),
            CheckIn {
                minutes: Some(25),
                interaction: Some(9_100_000_000),
                ..CheckIn::default()
            },
            now + Duration::hours(1),
        )
        .await?;
    let statements = STATEMENTS.load(Ordering::SeqCst) - counted_before;
    COUNTING.store(false, Ordering::SeqCst);
    let mut trivial = Vec::new();
    let mut empty_tx = Vec::new();
    for _ in 0..2_000 {
        let mut conn = store.conn().await?;
        let t = Instant::now();
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&mut *conn)
            .await?;
        trivial.push(t.elapsed());
        drop(conn);
        let t = Instant::now();
        let tx = store.begin().await?;
        tx.commit().await?;
        empty_tx.push(t.elapsed());
    }
    trivial.sort();
    empty_tx.sort();
    // What /checkin costs besides the check-in: the gate's record of the interaction (one
    // autocommit insert) and the reminder notice (a read).
    let replay = waypoint::replay::ReplayGuard::new(store.clone());
    let mut guard = Vec::new();
    let mut notice = Vec::new();
    for i in 0..2_000u64 {
        let t = Instant::now();
        replay.first_delivery(9_200_000_000 + i, now).await;
        guard.push(t.elapsed());
        let member = Member::new(GUILD, 1 + rng.below(members));
        let mut conn = store.conn().await?;
        let t = Instant::now();
        waypoint::store::reminder::take_notice(&mut conn, member).await?;
        notice.push(t.elapsed());
    }
    guard.sort();
    notice.sort();

    println!();
    println!("| what | p50 | p99 | target |");
    println!("|---|---|---|---|");
    println!(
        "| /checkin (database work) | {} | {} | ≤ 1 ms |",
        micros(percentile(&checkins, 0.5)),
        micros(percentile(&checkins, 0.99))
    );
    println!("| statements one /checkin runs (counted) | {statements} | | |");
    println!(
        "| one trivial statement (SELECT 1) through sqlx | {} | {} | |",
        micros(percentile(&trivial, 0.5)),
        micros(percentile(&trivial, 0.99))
    );
    println!(
        "| an empty write transaction (BEGIN IMMEDIATE; COMMIT) | {} | {} | |",
        micros(percentile(&empty_tx, 0.5)),
        micros(percentile(&empty_tx, 0.99))
    );
    println!(
        "| the gate's record of an interaction (one insert) | {} | {} | |",
        micros(percentile(&guard, 0.5)),
        micros(percentile(&guard, 0.99))
    );
    println!(
        "| the reminder notice /checkin looks for (a read) | {} | {} | |",
        micros(percentile(&notice, 0.5)),
        micros(percentile(&notice, 0.99))
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
