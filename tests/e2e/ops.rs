//! `waypoint check` and `waypoint backup` as an owner runs them: processes, exit codes, output,
//! and a backup taken while the bot runs that opens and holds the rows.

use std::process::Stdio;

use tokio::process::Command;

use crate::support::{shipped_roadmap_path, slash, Harness, ALICE};

fn waypoint(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waypoint"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

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
