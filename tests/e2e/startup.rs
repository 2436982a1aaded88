//! The `waypoint` binary itself: start-up validation, the token staying secret, and shutting
//! down cleanly on SIGTERM while connected to the fake Discord.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use crate::support::fake::{FakeDiscord, GUILD_ID, TOKEN};
use crate::support::{shipped_roadmap_path, slash, ALICE};

/// The binary with an empty environment (PATH aside), in `dir`.
pub(crate) fn waypoint(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_waypoint"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// The binary set up to serve the fake Discord with the shipped roadmap and the database `db`.
fn serving(fake: &FakeDiscord, dir: &Path, db: &Path) -> Command {
    let mut command = waypoint(dir);
    command
        .env("DISCORD_TOKEN", TOKEN)
        .env("WAYPOINT_DISCORD_API_URL", fake.api_url())
        .env("WAYPOINT_DB_PATH", db)
        .env("WAYPOINT_ROADMAP_PATH", shipped_roadmap_path());
    command
}

/// Sends `signal` to the child and waits (at most 10 s) for it to exit.
async fn stop_with(
    child: &mut tokio::process::Child,
    signal: libc::c_int,
) -> std::process::ExitStatus {
    let pid = child.id().expect("the bot is running") as libc::pid_t;
    // SAFETY: sending a signal to a child process we own.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the bot stops within 10 s of the signal")
        .unwrap()
}

fn output_text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn invalid_configuration_and_roadmap_report_every_problem_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = std::fs::read_to_string(shipped_roadmap_path())
        .unwrap()
        .replace("slug = \"redis\"", "slug = \"jwt\"");
    let roadmap = dir.path().join("roadmap.toml");
    std::fs::write(&roadmap, broken).unwrap();
    let output = waypoint(dir.path())
        .env("WAYPOINT_DISCORD_API_URL", "discord dot com")
        .env("WAYPOINT_ROADMAP_PATH", &roadmap)
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = output_text(&output);
    assert!(text.contains("DISCORD_TOKEN is not set"), "{text}");
    assert!(text.contains("WAYPOINT_DISCORD_API_URL"), "{text}");
    assert!(text.contains("topic \"jwt\": slug is used twice"), "{text}");
    assert!(
        !dir.path().join("data").exists(),
        "nothing is created before validation passes"
    );
}

#[tokio::test]
async fn a_malformed_token_is_refused_without_being_printed() {
    let dir = tempfile::tempdir().unwrap();
    let output = waypoint(dir.path())
        .env("DISCORD_TOKEN", "super-secret-value with-a-space")
        .env("WAYPOINT_ROADMAP_PATH", shipped_roadmap_path())
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let text = output_text(&output);
    assert!(
        text.contains("DISCORD_TOKEN contains white space"),
        "{text}"
    );
    assert!(!text.contains("super-secret"), "{text}");
}

#[tokio::test]
async fn the_binary_serves_and_stops_cleanly_on_sigterm() {
    serve_then_stop_with(libc::SIGTERM).await;
}

#[tokio::test]
async fn the_binary_stops_cleanly_on_ctrl_c() {
    serve_then_stop_with(libc::SIGINT).await;
}

async fn serve_then_stop_with(signal: libc::c_int) {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("state/waypoint.db");
    let mut child = serving(&fake, dir.path(), &db)
        .env("WAYPOINT_GUILD_ID", GUILD_ID.to_string())
        .env("RUST_LOG", "trace")
        .spawn()
        .unwrap();
    // Drain the output while the bot runs: at trace level it fills a pipe in moments.
    let stdout = tokio::spawn(read_all(child.stdout.take().unwrap()));
    let stderr = tokio::spawn(read_all(child.stderr.take().unwrap()));
    fake.wait_for_call("command registration", |c| c.method == "PUT")
        .await;
    assert!(
        db.is_file(),
        "the database file and its folder are created on first run"
    );

    let answer = fake.interact(slash("roadmap").by(ALICE)).await;
    assert!(answer.text().contains("Programming fundamentals"));

    // An internal failure: the member is shown a reference that the log carries too.
    let writable =
        sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&db))
            .await
            .unwrap();
    sqlx::query("DROP TABLE topic_progress")
        .execute(&writable)
        .await
        .unwrap();
    writable.close().await;
    let failure = fake.interact(slash("progress").by(ALICE)).await;
    let reference = failure
        .content()
        .split('`')
        .nth(1)
        .expect("a reference")
        .to_owned();

    let status = stop_with(&mut child, signal).await;
    let text = format!("{}{}", stdout.await.unwrap(), stderr.await.unwrap());
    assert!(status.success(), "exit {status:?}: {text}");
    assert!(
        text.lines()
            .any(|line| line.contains(&reference) && line.contains("no such table")),
        "the log has the reference {reference} with the details"
    );
    assert!(text.contains("stopped cleanly"), "{text}");
    assert!(
        !text.contains(TOKEN),
        "the token must never be logged, even at trace level"
    );
}

async fn read_all(mut pipe: impl tokio::io::AsyncRead + Unpin) -> String {
    let mut bytes = Vec::new();
    let _ = tokio::io::AsyncReadExt::read_to_end(&mut pipe, &mut bytes).await;
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn a_wrong_token_fails_clearly_without_printing_it() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let run = waypoint(dir.path())
        .env("DISCORD_TOKEN", "wrong.token-value")
        .env("WAYPOINT_DISCORD_API_URL", fake.api_url())
        .env("WAYPOINT_ROADMAP_PATH", shipped_roadmap_path())
        .output();
    let output = tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("a refused token ends the process")
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = output_text(&output);
    assert!(
        text.contains("Discord refused DISCORD_TOKEN (401 Unauthorized)"),
        "{text}"
    );
    assert!(!text.contains("wrong.token-value"), "{text}");
    assert_eq!(fake.identify_count(), 0, "it never reached the gateway");
}

#[tokio::test]
async fn a_signal_during_start_up_is_honoured() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let child = serving(&fake, dir.path(), &dir.path().join("waypoint.db"))
        .spawn()
        .unwrap();
    // The token check comes after the handlers are installed and before the gateway.
    fake.wait_for_call("the token check", |c| c.is("GET", "/api/v10/users/@me"))
        .await;
    let pid = child.id().expect("the bot is running") as libc::pid_t;
    // SAFETY: sending a signal to a child process we own.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let output = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("the bot stops within 10 s of the signal")
        .unwrap();
    let text = output_text(&output);
    assert!(output.status.success(), "exit {:?}: {text}", output.status);
    assert!(text.contains("stopped cleanly"), "{text}");
}

#[tokio::test]
async fn an_event_serenity_cannot_parse_does_not_log_its_interaction_token() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    // The default log filter, as an operator who sets nothing gets it.
    let mut child = serving(&fake, dir.path(), &dir.path().join("waypoint.db"))
        .env("WAYPOINT_GUILD_ID", GUILD_ID.to_string())
        .spawn()
        .unwrap();
    let stdout = tokio::spawn(read_all(child.stdout.take().unwrap()));
    let stderr = tokio::spawn(read_all(child.stderr.take().unwrap()));
    fake.wait_for_call("command registration", |c| c.method == "PUT")
        .await;
    // An interaction serenity cannot read (its data is not an object), token and all…
    let id = fake.send_raw_interaction(serde_json::json!({
        "application_id": crate::support::fake::APP_ID.to_string(),
        "type": 2,
        "data": "not an object",
        "version": 1,
    }));
    // …and a whole frame it cannot read (its sequence number is not a number): serenity
    // prints such a frame in full at WARN.
    fake.send_frame(serde_json::json!({
        "op": 0,
        "t": "INTERACTION_CREATE",
        "s": "not a number",
        "d": {"id": "1", "type": 2, "token": "interaction-token-in-a-broken-frame"},
    }));
    // The bot goes on serving.
    let answer = fake.interact(slash("roadmap").by(ALICE)).await;
    assert!(answer.text().contains("Programming fundamentals"));

    let status = stop_with(&mut child, libc::SIGTERM).await;
    let text = format!("{}{}", stdout.await.unwrap(), stderr.await.unwrap());
    assert!(status.success(), "exit {status:?}: {text}");
    assert_eq!(
        fake.answers_to(id),
        0,
        "nothing answers what nobody could read"
    );
    for token in [
        format!("interaction-token-{id}"),
        "interaction-token-in-a-broken-frame".into(),
    ] {
        assert!(
            !text.contains(&token),
            "an interaction token is a credential: {text}"
        );
    }
}

#[tokio::test]
async fn json_logs_carry_one_line_per_interaction_without_typed_text_or_the_token() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = serving(&fake, dir.path(), &dir.path().join("waypoint.db"))
        .env("WAYPOINT_GUILD_ID", GUILD_ID.to_string())
        .env("WAYPOINT_LOG_FORMAT", "json")
        .spawn()
        .unwrap();
    let stdout = tokio::spawn(read_all(child.stdout.take().unwrap()));
    let stderr = tokio::spawn(read_all(child.stderr.take().unwrap()));
    fake.wait_for_call("command registration", |c| c.method == "PUT")
        .await;
    let typed = "my-private-study-note-4711";
    let answer = fake
        .interact(
            slash("checkin")
                .int("minutes", 25)
                .str("note", typed)
                .by(ALICE),
        )
        .await;
    answer.assert_private_message("Recorded");
    let refused = fake.interact(slash("settings").sub("show").by(ALICE)).await;
    assert!(refused.is_ephemeral());

    let status = stop_with(&mut child, libc::SIGTERM).await;
    let text = format!("{}{}", stdout.await.unwrap(), stderr.await.unwrap());
    assert!(status.success(), "exit {status:?}: {text}");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let interactions: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "interaction")
        .collect();
    assert_eq!(interactions.len(), 2, "one line each: {interactions:?}");
    let checkin = interactions[0]["fields"].clone();
    assert_eq!(checkin["command"], "checkin");
    assert_eq!(checkin["outcome"], "ok");
    assert_eq!(checkin["guild"], GUILD_ID);
    assert!(checkin["duration_ms"].is_u64(), "{checkin}");
    assert_eq!(interactions[1]["fields"]["command"], "settings show");
    assert_eq!(interactions[1]["fields"]["outcome"], "refused");
    assert!(!text.contains(typed), "typed text is never logged: {text}");
    assert!(!text.contains(TOKEN), "the token is never logged");
}
