//! `waypoint check` and `waypoint backup` as an owner runs them: processes, exit codes, output,
//! and a backup taken while the bot runs that opens and holds the rows.

use crate::startup::waypoint;
use crate::support::{shipped_roadmap_path, slash, Harness, ALICE};

fn text(output: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn check_passes_a_good_roadmap_without_a_token_and_lists_every_problem_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let good = waypoint(dir.path())
        .arg("check")
        .env("WAYPOINT_ROADMAP_PATH", shipped_roadmap_path())
        .output()
        .await
        .unwrap();
    let (out, err) = text(&good);
    assert_eq!(good.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("ok: ") && out.contains("6 phases"), "{out}");
    assert!(
        out.contains("DISCORD_TOKEN is not set"),
        "a note, not a failure: {out}"
    );

    // A roadmap with two broken topics and a bad setting: exit 2 with all three named.
    let shipped = std::fs::read_to_string(shipped_roadmap_path()).unwrap();
    let broken = shipped
        .replacen("slug = \"", "slug = \"Not A Slug ", 1)
        .replacen("https://", "ftp://", 1);
    let path = dir.path().join("roadmap.toml");
    std::fs::write(&path, broken).unwrap();
    let bad = waypoint(dir.path())
        .arg("check")
        .env("WAYPOINT_ROADMAP_PATH", &path)
        .env("WAYPOINT_DATABASE__MAX_CONNECTIONS", "0")
        .output()
        .await
        .unwrap();
    let (out, err) = text(&bad);
    assert_eq!(bad.status.code(), Some(2), "{out}{err}");
    assert!(err.contains("max_connections"), "{err}");
    assert!(err.contains("Not A Slug"), "{err}");
    assert!(err.contains("ftp://"), "{err}");
    let listed = err.lines().filter(|l| l.starts_with("  - ")).count();
    assert!(listed >= 3, "{err}");

    let unknown = waypoint(dir.path())
        .arg("frobnicate")
        .output()
        .await
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown).1.contains("usage: waypoint"));
}

#[tokio::test]
async fn a_backup_taken_while_the_bot_runs_opens_and_holds_the_rows() {
    let mut h = Harness::start().await;
    h.send(slash("checkin").int("minutes", 45).by(ALICE))
        .await
        .assert_private_message("Recorded");
    let copy = h.dir.path().join("backups").join("copy.db");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    let (dir, db) = (h.dir.path().to_owned(), h.db_path());
    let run = || {
        let mut command = waypoint(&dir);
        command
            .arg("backup")
            .arg(&copy)
            .env("WAYPOINT_DB_PATH", &db);
        command
    };
    let done = run().output().await.unwrap();
    let (out, err) = text(&done);
    assert_eq!(done.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("backed up"), "{out}");
    // The bot keeps working during and after the copy.
    h.send(slash("checkin").int("minutes", 15).by(ALICE))
        .await
        .assert_private_message("Recorded");
    h.stop_bot().await;

    let pool = sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&copy)
            .read_only(true),
    )
    .await
    .unwrap();
    let minutes: Vec<i64> = sqlx::query_scalar("SELECT minutes FROM checkin")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        minutes,
        [45],
        "the copy holds what was there when it was taken"
    );
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    pool.close().await;

    // Never over an existing file; a missing database is said plainly.
    let again = run().output().await.unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("already exists"));
    let missing = waypoint(h.dir.path())
        .arg("backup")
        .arg(h.dir.path().join("other.db"))
        .env("WAYPOINT_DB_PATH", h.dir.path().join("nothing-here.db"))
        .output()
        .await
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing).1.contains("there is no database"));

    // Restoring is pointing WAYPOINT_DB_PATH at the copy: the bot starts on it with the rows.
    h.env_changes
        .insert("WAYPOINT_DB_PATH".into(), Some(copy.display().to_string()));
    h.start_bot().await;
    let streak = h.send(slash("streak").by(ALICE)).await;
    assert!(streak.text().contains("45"), "{}", streak.text());
    h.stop_bot().await;
}

/// A plain HTTP/1.0 GET on loopback: the status code and the body.
async fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.to_owned();
    Some((status, body))
}

async fn wait_for_health(addr: &str, want: u16) {
    for _ in 0..400 {
        if get(addr, "/healthz").await.map(|(s, _)| s) == Some(want) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("/healthz never answered {want}");
}

/// Prometheus's text format, line by line: comments are HELP or TYPE, samples are a metric
/// name, optional labels and a number.
fn assert_prometheus_text(text: &str) {
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            assert!(
                comment.starts_with("HELP ") || comment.starts_with("TYPE "),
                "{line}"
            );
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
        assert!(value.parse::<f64>().is_ok() || value == "+Inf", "{line}");
        let name = series.split('{').next().unwrap();
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        if let Some(labels) = series.strip_prefix(name) {
            assert!(
                labels.is_empty() || (labels.starts_with('{') && labels.ends_with('}')),
                "{line}"
            );
        }
    }
}

#[tokio::test]
async fn healthz_follows_the_gateway_and_metrics_count_interactions() {
    let mut h = Harness::new().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    h.env_changes
        .insert("WAYPOINT_HTTP_ADDR".into(), Some(addr.clone()));
    h.start_bot().await;
    wait_for_health(&addr, 200).await;
    // What Docker's HEALTHCHECK runs.
    let probe = || {
        let mut command = waypoint(h.dir.path());
        command.arg("health").env("WAYPOINT_HTTP_ADDR", &addr);
        command
    };
    let healthy = probe().output().await.unwrap();
    assert_eq!(healthy.status.code(), Some(0), "{:?}", text(&healthy));

    h.send(slash("checkin").int("minutes", 25).by(ALICE))
        .await
        .assert_private_message("Recorded");
    h.send(slash("challenge").sub("log").by(ALICE))
        .await
        .assert_private_message("Only moderators");
    let (status, metrics) = get(&addr, "/metrics").await.expect("metrics answer");
    assert_eq!(status, 200);
    assert_prometheus_text(&metrics);
    for needle in [
        "waypoint_interactions_total{command=\"checkin\",outcome=\"ok\"} 1",
        "waypoint_interactions_total{command=\"challenge log\",outcome=\"refused\"} 1",
        "waypoint_interaction_seconds_count{kind=\"command\"} 2",
        "waypoint_dispatcher_last_tick_seconds",
        "waypoint_dispatcher_queue_depth 0",
    ] {
        assert!(metrics.contains(needle), "{needle} in:\n{metrics}");
    }

    // The gateway drops and cannot come back: 503. Once it can, the bot identifies again: 200.
    let identified = h.fake.identify_count();
    h.fake.refuse_gateway(true);
    h.fake.drop_gateway();
    wait_for_health(&addr, 503).await;
    let (_, why) = get(&addr, "/healthz").await.unwrap();
    assert!(why.contains("gateway"), "{why}");
    let sick = probe().output().await.unwrap();
    assert_eq!(sick.status.code(), Some(1));
    assert!(text(&sick).1.contains("503"), "{:?}", text(&sick));
    h.fake.refuse_gateway(false);
    h.fake.wait_for_identify(identified + 1).await;
    wait_for_health(&addr, 200).await;
    // A plain drop: serenity resumes the session, and the endpoint says healthy after RESUME.
    h.fake.drop_gateway();
    h.fake.wait_for_resume(1).await;
    wait_for_health(&addr, 200).await;
    h.stop_bot().await;
}
