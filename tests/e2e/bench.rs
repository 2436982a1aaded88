//! The benchmarks that run the real bot (not tests: ignored by `cargo test`, they print tables):
//!
//! ```sh
//! cargo test --release --test e2e bench_ -- --ignored --nocapture --test-threads=1
//! ```
//!
//! - `bench_end_to_end`: a seeded server (100,000 members, 1,000,000 check-ins, 200 study
//!   groups; `WAYPOINT_BENCH_MEMBERS` scales it, `WAYPOINT_BENCH_DB` keeps it between runs),
//!   the `waypoint` binary as a process against the fake Discord: interaction → answer for
//!   `/checkin`, `/leaderboard` and `/streak`, 64 members at once, peak memory; then the same
//!   for the bare poise reference (`benches/reference/bare_poise.rs`), with ratios.
//! - `bench_reminders`: 10,000 member reminders due in the same minute, sent by the real bot's
//!   dispatcher through the fake Discord at the configured ceiling: the rate achieved against
//!   the ceiling (target ≥ 95 %), duplicates and losses (target 0 and 0), and the process's
//!   peak memory.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::support::fake::GUILD_ID;
use crate::support::Harness;

const REMINDERS: u64 = 10_000;
const CEILING: u32 = 40;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn bench_reminders() {
    let mut h = Harness::new().await;
    h.env_changes.insert(
        "WAYPOINT_REMINDERS__MAX_PER_SECOND".into(),
        Some(CEILING.to_string()),
    );
    h.start_bot().await;
    let setup = DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let due = "2026-11-26T18:00:00.000Z";
    // Seed the reminders straight into the database, each with its DM channel already known
    // (one request a reminder), all due at 18:00 UTC.
    let db = h.db_writable().await;
    let mut tx = db.begin().await.unwrap();
    for user in 1..=REMINDERS {
        sqlx::query(
            "INSERT INTO reminder (guild_id, kind, user_id, channel_id, local_time, days, zone, skip_if_studied,
                                   enabled, disabled_told, next_date, next_due, created_at)
             VALUES (?, 'member', ?, ?, '18:00', 127, 'UTC', 1, 1, 0, '2026-11-26', ?, ?)",
        )
        .bind(GUILD_ID as i64)
        .bind(1_460_000_000_000_000_000i64 + user as i64)
        .bind(1_470_000_000_000_000_000i64 + user as i64)
        .bind(due)
        .bind("2026-11-26T12:00:00.000Z")
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    h.clock
        .set(setup + chrono::Duration::hours(6) + chrono::Duration::seconds(5));
    let started = Instant::now();
    // Counted in place (copying 10,000 recorded calls every poll would steal the bot's CPU).
    let sent = || {
        h.fake.count_calls(|c| {
            c.method == "POST" && c.path.starts_with("/api/v10/channels/1470") && c.status == 200
        }) as u64
    };
    let deadline = Instant::now()
        + std::time::Duration::from_secs(u64::from(REMINDERS as u32 / CEILING) * 3 + 60);
    let mut first_at = None;
    while sent() < REMINDERS && Instant::now() < deadline {
        if first_at.is_none() && sent() > 0 {
            first_at = Some(Instant::now());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // From the first message out to the last: the dispatcher's own pace.
    let elapsed = first_at.map_or(started.elapsed(), |first| first.elapsed());
    let mut per_channel: HashMap<String, u32> = HashMap::new();
    for call in h.fake.calls() {
        if call.method == "POST"
            && call.path.starts_with("/api/v10/channels/1470")
            && call.status == 200
        {
            *per_channel.entry(call.path).or_default() += 1;
        }
    }
    let delivered = per_channel.len() as u64;
    let duplicates: u32 = per_channel.values().map(|n| n - 1).sum();
    let rate = (delivered.saturating_sub(1)) as f64 / elapsed.as_secs_f64();
    println!();
    println!("| what | measured | target |");
    println!("|---|---|---|");
    println!("| reminders due in the same minute | {REMINDERS} | |");
    println!(
        "| time to send them all | {:.1} s | |",
        elapsed.as_secs_f64()
    );
    println!(
        "| rate achieved | {rate:.2} / s of a {CEILING} / s ceiling ({:.1} %) | ≥ 95 % |",
        rate / f64::from(CEILING) * 100.0
    );
    println!("| duplicates | {duplicates} | 0 |");
    println!("| losses | {} | 0 |", REMINDERS - delivered);
    if let Some(kib) = peak_memory_kib() {
        println!(
            "| peak memory (bot, fake Discord and test in one process) | {:.1} MiB | |",
            kib as f64 / 1024.0
        );
    }
    h.stop_bot().await;
}

// ---------------------------------------------------------------------------------------------
// The end-to-end benchmark: the real bot as a process, a seeded server, the fake Discord on
// loopback, and a bare poise bot through the same fake as the reference.

#[path = "../../benches/reference/seed.rs"]
mod seed;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use crate::support::fake::{FakeDiscord, TOKEN};
use crate::support::payloads::{Actor, Interaction, MEMBER_PERMISSIONS};
use crate::support::{shipped_roadmap_path, slash};

/// Seeded members' ids start here.
const FIRST_USER: u64 = 1_480_000_000_000_000_000;
const SAMPLES: usize = 2_000;
const CONCURRENT: usize = 64;
const SUSTAINED: StdDuration = StdDuration::from_secs(15);

fn seeded(n: u64) -> Actor {
    Actor {
        id: FIRST_USER + n,
        name: "member",
        permissions: MEMBER_PERMISSIONS,
        bot: false,
        nick: None,
        roles: &[],
    }
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: StdDuration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A bot binary serving the fake Discord (output discarded: the bot logs at its default level).
fn spawn_bot(binary: &str, fake: &FakeDiscord, db: &std::path::Path) -> tokio::process::Child {
    tokio::process::Command::new(binary)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DISCORD_TOKEN", TOKEN)
        .env("WAYPOINT_DISCORD_API_URL", fake.api_url())
        .env("WAYPOINT_DB_PATH", db)
        .env("WAYPOINT_GUILD_ID", GUILD_ID.to_string())
        .env("WAYPOINT_ROADMAP_PATH", shipped_roadmap_path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the bot")
}

async fn stop(mut child: tokio::process::Child) {
    let pid = child.id().expect("running") as libc::pid_t;
    // SAFETY: signalling our own child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let _ = tokio::time::timeout(StdDuration::from_secs(15), child.wait()).await;
}

/// `SAMPLES` interactions one after another: interaction sent → answer received.
async fn latencies(fake: &FakeDiscord, make: impl Fn(usize) -> Interaction) -> Vec<StdDuration> {
    let mut times = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let interaction = make(i);
        let started = Instant::now();
        let reply = fake.interact(interaction).await;
        times.push(started.elapsed());
        assert_eq!(reply.status, 204, "answered without an error");
    }
    times.sort();
    times
}

/// `CONCURRENT` members sending interactions back to back for `SUSTAINED`: answers a second.
async fn sustained(
    fake: &Arc<FakeDiscord>,
    make: impl Fn(usize, usize) -> Interaction + Send + Sync + 'static,
) -> f64 {
    let make = Arc::new(make);
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENT)
        .map(|worker| {
            let fake = fake.clone();
            let make = make.clone();
            tokio::spawn(async move {
                let mut done = 0usize;
                while started.elapsed() < SUSTAINED {
                    fake.interact(make(worker, done)).await;
                    done += 1;
                }
                done
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    total as f64 / started.elapsed().as_secs_f64()
}

struct Row {
    what: String,
    p50: f64,
    p99: f64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run it with --ignored --nocapture"]
async fn bench_end_to_end() {
    let members: u64 = std::env::var("WAYPOINT_BENCH_MEMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    // WAYPOINT_BENCH_DB keeps the seeded server between runs (seeding takes minutes); the
    // benchmark works on a copy, so every run starts from the same database.
    let kept = std::env::var_os("WAYPOINT_BENCH_DB").map(std::path::PathBuf::from);
    let db = dir.path().join("bench.db");
    // The seeded history ends today, by the real clock: the bot runs on it.
    let now = chrono::Utc::now();
    let server = seed::Server {
        guild: GUILD_ID,
        first_user: FIRST_USER,
        members,
    };
    let reuse = kept.as_ref().is_some_and(|k| k.is_file());
    if !reuse {
        let store = waypoint::store::Store::open(&waypoint::config::DatabaseSettings {
            path: kept.clone().unwrap_or_else(|| db.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
        let roadmap = Arc::new(waypoint::roadmap::Roadmap::load(&shipped_roadmap_path()).unwrap());
        // As a running bot leaves it: the roadmap's topics recorded (start-up then finds
        // nothing changed and rebuilds no board).
        let settings = waypoint::settings::SettingsService::new(store.clone());
        waypoint::progress::ProgressService::new(store.clone(), roadmap.clone(), settings)
            .publish_roadmap(now)
            .await
            .unwrap();
        let started = Instant::now();
        seed::seed(&store, &roadmap, server, now).await.unwrap();
        seed::seed_groups(&store, server, 200, 50, now)
            .await
            .unwrap();
        println!(
            "seeded {members} members, {} check-ins and 200 study groups in {:.0} s",
            members * seed::CHECKINS_PER_MEMBER,
            started.elapsed().as_secs_f64()
        );
        store.close().await;
    }
    if let Some(kept) = &kept {
        std::fs::copy(kept, &db).expect("copy the kept database");
        println!("working on a copy of {}", kept.display());
    }
    let fake = Arc::new(FakeDiscord::start().await);
    let pick = move |i: usize| seeded((i as u64 * 7_919) % members);

    // Waypoint.
    let bot = spawn_bot(env!("CARGO_BIN_EXE_waypoint"), &fake, &db);
    let bot_pid = bot.id().unwrap();
    let started = Instant::now();
    while fake.count_calls(|c| c.method == "PUT") == 0 {
        assert!(
            started.elapsed() < StdDuration::from_secs(300),
            "the bot did not start"
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    println!(
        "the bot was serving {:.1} s after it started",
        started.elapsed().as_secs_f64()
    );
    for i in 0..50 {
        fake.interact(slash("checkin").int("minutes", 5).by(pick(i)))
            .await;
    }
    let mut rows = Vec::new();
    let checkin = latencies(&fake, |i| {
        slash("checkin").int("minutes", 25).by(pick(i + 100))
    })
    .await;
    let board = latencies(&fake, |i| {
        let metric = (i % 4) as i64;
        slash("leaderboard")
            .int("metric", metric)
            .int("period", (i % 3) as i64)
            .by(pick(i + 300))
    })
    .await;
    let streak = latencies(&fake, |i| slash("streak").by(pick(i + 500))).await;
    let throughput = sustained(&fake, move |w, n| {
        slash("checkin")
            .int("minutes", 5)
            .by(seeded(((w * 1_000 + n) as u64 * 104_729) % members))
    })
    .await;
    let bot_peak = vm_hwm_kib(bot_pid);
    stop(bot).await;

    // The reference: a bare poise bot answering /ping through the same fake.
    let registrations = fake.count_calls(|c| c.method == "PUT");
    let bare = spawn_bot(env!("CARGO_BIN_EXE_bare-poise"), &fake, &db);
    let bare_pid = bare.id().unwrap();
    fake.wait_for_nth_call("the reference's registration", registrations + 1, |c| {
        c.method == "PUT"
    })
    .await;
    for i in 0..50 {
        fake.interact(slash("ping").by(pick(i))).await;
    }
    let ping = latencies(&fake, |i| slash("ping").by(pick(i))).await;
    let ping_throughput = sustained(&fake, move |w, _| slash("ping").by(seeded(w as u64))).await;
    let bare_peak = vm_hwm_kib(bare_pid);
    stop(bare).await;

    for (what, times) in [
        ("/checkin", &checkin),
        ("/leaderboard (every metric and period, page 1)", &board),
        ("/streak (with its heatmap picture)", &streak),
        ("bare poise /ping (reference)", &ping),
    ] {
        rows.push(Row {
            what: what.to_owned(),
            p50: ms(percentile(times, 0.5)),
            p99: ms(percentile(times, 0.99)),
        });
    }
    let reference = (rows[3].p50, rows[3].p99);
    println!();
    println!(
        "interaction → answer through the fake Discord on loopback, {SAMPLES} each, one at a time:"
    );
    println!();
    println!("| what | p50 | p99 | p50 ÷ /ping | p99 ÷ /ping | target |");
    println!("|---|---|---|---|---|---|");
    for row in &rows {
        let target = if row.what == "/checkin" {
            "p50 ≤ 1.5×, p99 ≤ 3×"
        } else {
            ""
        };
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.2} | {:.2} | {target} |",
            row.what,
            row.p50,
            row.p99,
            row.p50 / reference.0,
            row.p99 / reference.1
        );
    }
    println!();
    println!(
        "| with {CONCURRENT} members at once for {} s | Waypoint /checkin | bare poise /ping |",
        SUSTAINED.as_secs()
    );
    println!("|---|---|---|");
    println!("| answers a second | {throughput:.0} | {ping_throughput:.0} |");
    let mib =
        |kib: Option<u64>| kib.map_or("?".to_owned(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    println!(
        "| peak memory (VmHWM) | {} | {} |",
        mib(bot_peak),
        mib(bare_peak)
    );
    if let (Some(bot), Some(bare)) = (bot_peak, bare_peak) {
        // SQLite's page cache: 2 MiB (the default cache_size) for each of the pool's connections.
        let cache_kib =
            2 * 1024 * waypoint::config::DatabaseSettings::default().max_connections as u64;
        println!(
            "| memory target: ≤ 2 × bare + SQLite cache ({:.1} MiB) | {} | |",
            cache_kib as f64 / 1024.0,
            if bot <= 2 * bare + cache_kib {
                "met"
            } else {
                "missed"
            }
        );
    }
}
