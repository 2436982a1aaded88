//! `/privacy export` and `/privacy delete`: a member with one row of every kind exports them
//! all, then deletes them (after confirming); nothing of theirs is left, table by table, the
//! leaderboards no longer list them, and another member's data is untouched.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::support::fake::ANNOUNCEMENTS_ID;
use crate::support::harness::UPDATE_MESSAGE;
use crate::support::payloads::{self, MONA};
use crate::support::{button, slash, Harness, ALICE, BOB};

const MEMBER_TABLES: [&str; 11] = [
    "topic_progress",
    "topic_note",
    "member_settings",
    "checkin",
    "study_day",
    "streak",
    "board_score",
    "reminder",
    "reminder_occurrence",
    "group_member",
    "submission",
];

/// Rows per table that belong to `user` (reminder history through its reminder; submissions
/// by user).
async fn rows_of(h: &Harness, user: u64) -> Vec<(&'static str, i64)> {
    let db = h.db().await;
    let mut out = Vec::new();
    for table in MEMBER_TABLES {
        let sql = match table {
            "reminder_occurrence" => "SELECT COUNT(*) FROM reminder_occurrence WHERE reminder_id IN (SELECT id FROM reminder WHERE user_id = ?)".to_owned(),
            _ => format!("SELECT COUNT(*) FROM {table} WHERE user_id = ?"),
        };
        let n: i64 = sqlx::query_scalar(&sql)
            .bind(user as i64)
            .fetch_one(&db)
            .await
            .unwrap();
        out.push((table, n));
    }
    out
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Alice creates one row of every kind a member can create; Bob checks in too.
async fn alice_uses_everything(h: &Harness) {
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    h.click(&card, "Done", ALICE).await;
    let form = h.send(slash("note").str("topic", "redis").by(ALICE)).await;
    h.submit_form(&form, &[("text", "TTL matters")], ALICE)
        .await;
    h.send(
        slash("timezone")
            .sub("set")
            .str("zone", "Europe/Berlin")
            .by(ALICE),
    )
    .await;
    h.send(slash("checkin").int("minutes", 30).by(ALICE))
        .await
        .assert_private_message("Recorded");
    h.send(slash("checkin").int("minutes", 20).by(BOB))
        .await
        .assert_private_message("Recorded");
    h.send(slash("remind").sub("set").str("time", "7pm").by(ALICE))
        .await;
    h.send(slash("group").sub("create").str("name", "Owls").by(MONA))
        .await;
    h.send(slash("group").sub("join").str("group", "Owls").by(ALICE))
        .await
        .assert_private_message("You joined");
    h.send(slash("group").sub("join").str("group", "Owls").by(BOB))
        .await;
    h.send(
        slash("challenge")
            .sub("post")
            .str("phase", "databases")
            .str("title", "KV store")
            .str("description", "Build it.")
            .str("due", "3d")
            .channel("channel", ANNOUNCEMENTS_ID)
            .by(MONA),
    )
    .await;
    let post = h.fake.messages_in(ANNOUNCEMENTS_ID)[0].clone();
    let message = payloads::message(&post.id.to_string(), ANNOUNCEMENTS_ID, &post.body);
    let form = h
        .send(button("wp:challenge:submit:1", message).by(ALICE))
        .await;
    h.submit_form(
        &form,
        &[("link", "https://github.com/alice/kv"), ("notes", "")],
        ALICE,
    )
    .await
    .assert_private_message("Submitted");
    let queue = h
        .send(
            slash("challenge")
                .sub("review")
                .str("challenge", "1")
                .by(MONA),
        )
        .await;
    h.click(&queue, "Approve", MONA).await;
    // 19:00 in Berlin: the reminder's occurrence is recorded (skipped: she studied today).
    h.clock.set(instant("2026-11-26T18:00:10Z"));
    for _ in 0..200 {
        if rows_of(h, ALICE.id)
            .await
            .iter()
            .any(|(t, n)| *t == "reminder_occurrence" && *n > 0)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the reminder never came due");
}

#[tokio::test]
async fn a_member_exports_everything_then_deletes_it_all() {
    let mut h = Harness::start().await;
    alice_uses_everything(&h).await;
    let before = rows_of(&h, ALICE.id).await;
    assert!(
        before.iter().all(|(_, n)| *n > 0),
        "one of every kind: {before:?}"
    );
    let bob_before = rows_of(&h, BOB.id).await;

    // The export: a JSON file, in a reply only she sees, holding every kind of row.
    let export = h.send(slash("privacy").sub("export").by(ALICE)).await;
    assert!(export.is_ephemeral());
    let file = export.attachment(&format!(
        "waypoint-{}-{}.json",
        crate::support::fake::GUILD_ID,
        ALICE.id
    ));
    let document: Value = serde_json::from_slice(&file).expect("the export is JSON");
    assert_eq!(document["user_id"], ALICE.id.to_string());
    for table in MEMBER_TABLES {
        let rows = document["tables"][table].as_array();
        assert!(
            rows.is_some_and(|r| !r.is_empty()),
            "{table} missing from the export"
        );
    }
    assert_eq!(document["tables"]["topic_note"][0]["note"], "TTL matters");
    assert!(
        !String::from_utf8_lossy(&file).contains(&BOB.id.to_string()),
        "nothing of Bob's"
    );

    // Delete asks first; Bob cannot press Alice's button; Keep deletes nothing.
    let ask = h.send(slash("privacy").sub("delete").by(ALICE)).await;
    assert!(ask.is_ephemeral());
    assert!(ask.content().contains("check-ins: 2"), "{}", ask.content());
    h.click(&ask, "Delete my data", BOB)
        .await
        .assert_private_message("for the member who asked");
    let kept = h.click(&ask, "Keep it", ALICE).await;
    assert_eq!(kept.kind(), UPDATE_MESSAGE);
    assert_eq!(rows_of(&h, ALICE.id).await, before);
    let done = h.click(&ask, "Delete my data", ALICE).await;
    assert_eq!(done.kind(), UPDATE_MESSAGE);
    assert!(done.content().contains("is deleted"), "{}", done.content());

    // Table by table: nothing of Alice's; Bob's untouched.
    for (table, n) in rows_of(&h, ALICE.id).await {
        assert_eq!(n, 0, "{table} still holds Alice's rows");
    }
    assert_eq!(rows_of(&h, BOB.id).await, bob_before);
    let db = h.db().await;
    let mentions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE actor_id = ? OR detail LIKE ?")
            .bind(ALICE.id as i64)
            .bind(format!("%{}%", ALICE.id))
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(mentions, 0, "the audit record no longer names her");
    let deletions: Vec<(i64, String)> =
        sqlx::query_as("SELECT actor_id, detail FROM audit_log WHERE action = 'privacy.delete'")
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(deletions, [(0, "a member deleted their data".to_owned())]);
    // The boards' counts still match their scores.
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (
             SELECT guild_id, metric, period, period_start, score, COUNT(*) AS n FROM board_score
             WHERE score > 0 GROUP BY guild_id, metric, period, period_start, score) s
         FULL OUTER JOIN (SELECT * FROM board_histogram WHERE members > 0 AND metric <> 'streak') b
         USING (guild_id, metric, period, period_start, score)
         WHERE s.n IS NOT b.members",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(drift, 0, "histogram and scores disagree");

    // The leaderboards no longer list her; Bob is still there.
    for metric in [0, 1, 3] {
        let board = h
            .send(
                slash("leaderboard")
                    .int("metric", metric)
                    .int("period", 2)
                    .by(BOB),
            )
            .await
            .text();
        assert!(
            !board.contains(&ALICE.id.to_string()),
            "metric {metric}: {board}"
        );
    }
    let time = h
        .send(
            slash("leaderboard")
                .int("metric", 1)
                .int("period", 2)
                .by(BOB),
        )
        .await
        .text();
    assert!(time.contains(&BOB.id.to_string()), "{time}");
    assert!(time.contains("of 1"), "{time}");
    let again = h.send(slash("privacy").sub("delete").by(ALICE)).await;
    again.assert_private_message("stores nothing about you");
    h.stop_bot().await;
}

/// Rows that name the server, across the tables that hold a server's data.
async fn server_rows(h: &Harness, guild: u64) -> i64 {
    let db = h.db().await;
    let mut total = 0;
    for table in [
        "checkin",
        "study_day",
        "streak",
        "board_score",
        "board_histogram",
        "topic_progress",
        "member_settings",
        "guild_settings",
        "audit_log",
    ] {
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE guild_id = ?"))
                .bind(guild as i64)
                .fetch_one(&db)
                .await
                .unwrap();
        total += n;
    }
    total
}

async fn wait_for_rows(h: &Harness, guild: u64, done: impl Fn(i64) -> bool) {
    for _ in 0..200 {
        if done(server_rows(h, guild).await) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the server's rows never changed as expected");
}

#[tokio::test]
async fn a_server_that_removes_the_bot_is_purged_after_the_grace_unless_it_adds_it_back() {
    use crate::support::fake::{GUILD_ID, OTHER_GUILD_ID};
    use crate::support::payloads::CAROL;
    let mut h = Harness::start().await;
    h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    h.send(
        slash("settings")
            .sub("set")
            .str("timezone", "Europe/Berlin")
            .by(MONA),
    )
    .await;
    h.send(
        slash("checkin")
            .int("minutes", 20)
            .by(CAROL)
            .in_guild(OTHER_GUILD_ID, crate::support::fake::OTHER_CHANNEL_ID),
    )
    .await
    .assert_private_message("Recorded");
    let (ours, theirs) = (
        server_rows(&h, GUILD_ID).await,
        server_rows(&h, OTHER_GUILD_ID).await,
    );
    assert!(ours > 0 && theirs > 0);

    // An outage is not a removal; a removal followed by re-adding cancels the purge.
    h.fake.guild_outage(GUILD_ID);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(departures(&h).await, 0, "an outage is not a removal");
    h.fake.remove_bot_from(GUILD_ID);
    for _ in 0..100 {
        if departures(&h).await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(departures(&h).await, 1, "the removal is recorded");
    h.fake.add_bot_to(GUILD_ID);
    for _ in 0..100 {
        if departures(&h).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(departures(&h).await, 0, "re-adding cancels the purge");
    h.clock.advance(chrono::Duration::days(31));
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(server_rows(&h, GUILD_ID).await, ours, "added back: kept");

    // Removed for good: kept through the grace, purged after it; the other server is untouched.
    h.fake.remove_bot_from(GUILD_ID);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    h.clock.advance(chrono::Duration::days(29));
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(server_rows(&h, GUILD_ID).await, ours, "within the grace");
    h.clock.advance(chrono::Duration::days(1));
    wait_for_rows(&h, GUILD_ID, |n| n == 0).await;
    assert_eq!(server_rows(&h, OTHER_GUILD_ID).await, theirs);
    h.stop_bot().await;
}

#[tokio::test]
async fn the_owner_purges_a_server_at_once_after_confirming() {
    use crate::support::fake::GUILD_ID;
    use crate::support::payloads::OWNER;
    let mut h = Harness::start().await;
    h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    let before = server_rows(&h, GUILD_ID).await;
    // Manage Server is not ownership.
    h.send(slash("server").sub("purge").by(MONA))
        .await
        .assert_private_message("Only the server's owner");
    let ask = h.send(slash("server").sub("purge").by(OWNER)).await;
    assert!(ask.is_ephemeral());
    assert!(ask.content().contains("records"), "{}", ask.content());
    h.click(&ask, "Delete this server's data", MONA)
        .await
        .assert_private_message("Only the server's owner");
    h.click(&ask, "Keep it", OWNER).await;
    assert_eq!(server_rows(&h, GUILD_ID).await, before);
    let done = h.click(&ask, "Delete this server's data", OWNER).await;
    assert_eq!(done.kind(), UPDATE_MESSAGE);
    assert!(done.content().contains("is deleted"), "{}", done.content());
    // Only the fact of the purge remains.
    assert_eq!(server_rows(&h, GUILD_ID).await, 1);
    let audit: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log")
        .fetch_all(&h.db().await)
        .await
        .unwrap();
    assert_eq!(audit, ["server.purge"]);
    h.stop_bot().await;
}

async fn departures(h: &Harness) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM guild_departure")
        .fetch_one(&h.db().await)
        .await
        .unwrap()
}
