//! The reminder benchmark (not a test: it is ignored by `cargo test` and prints a table):
//!
//! ```sh
//! cargo test --release --test e2e bench_reminders -- --ignored --nocapture
//! ```
//!
//! 10,000 member reminders due in the same minute, sent by the real bot's dispatcher through
//! the fake Discord at the configured ceiling: the rate achieved against the ceiling (target
//! ≥ 95 %), duplicates and losses (target 0 and 0), and the process's peak memory.

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
