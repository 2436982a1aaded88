//! Phase challenges over the wire: a moderator posts one (the embed and its Submit button appear
//! in the channel, pinging nobody); members submit through the form; moderators review from an
//! ephemeral queue (approve → points on `/leaderboard` and a DM; reject with feedback); the
//! deadline closes the post once, across restarts and downtime; every moderator command and
//! button is refused to members; and no request carrying typed text can ping anyone.

use chrono::Duration;
use serde_json::Value;

use crate::support::fake::{Call, ANNOUNCEMENTS_ID, CHANNEL_ID, MOD_ROLE_ID};
use crate::support::harness::{FORM, UPDATE_MESSAGE};
use crate::support::payloads::{self, MONA, RUTH};
use crate::support::reply::Reply;
use crate::support::{button, modal_submit, slash, Harness, ALICE, BOB};

/// `/leaderboard metric:` index of "challenge points".
const POINTS: i64 = 3;
const WEEK: i64 = 0;
const ALL_TIME: i64 = 2;

fn post_challenge(title: &str, due: &str) -> payloads::Slash {
    slash("challenge")
        .sub("post")
        .str("phase", "databases")
        .str("title", title)
        .str("description", "Build it; link the repository. @here <@&1>")
        .str("due", due)
        .int("points", 25)
        .channel("channel", ANNOUNCEMENTS_ID)
}

/// The post of challenge `n` (1-based) in the announcements channel.
fn the_post(h: &Harness, n: usize) -> crate::support::fake::Message {
    h.fake.messages_in(ANNOUNCEMENTS_ID)[n - 1].clone()
}

/// `actor` submits `link` to challenge `id` through the Submit button's form.
async fn submit_to(h: &Harness, id: i64, link: &str, actor: crate::support::payloads::Actor) {
    let posts = h.fake.messages_in(ANNOUNCEMENTS_ID);
    let post = posts
        .iter()
        .find(|m| {
            m.body["components"]
                .to_string()
                .contains(&format!("wp:challenge:submit:{id}\""))
        })
        .expect("the challenge's post with its Submit button");
    let message = payloads::message(&post.id.to_string(), ANNOUNCEMENTS_ID, &post.body);
    let form = h
        .send(button(&format!("wp:challenge:submit:{id}"), message).by(actor))
        .await;
    assert_eq!(form.kind(), FORM);
    h.submit_form(&form, &[("link", link), ("notes", "@everyone look")], actor)
        .await
        .assert_private_message("Submitted for review");
}

async fn states(h: &Harness) -> Vec<(i64, String, Option<i64>)> {
    sqlx::query_as("SELECT user_id, state, awarded FROM submission ORDER BY user_id")
        .fetch_all(&h.db().await)
        .await
        .expect("query submission")
}

async fn points_board(h: &Harness, period: i64, actor: crate::support::payloads::Actor) -> String {
    h.send(
        slash("leaderboard")
            .int("metric", POINTS)
            .int("period", period)
            .by(actor),
    )
    .await
    .text()
}

async fn submissions(h: &Harness) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT user_id, link FROM submission ORDER BY user_id")
        .fetch_all(&h.db().await)
        .await
        .expect("query submission")
}

#[tokio::test]
async fn a_moderator_posts_a_challenge_and_a_member_submits_through_the_form() {
    let mut h = Harness::start().await;
    let post = || {
        slash("challenge")
            .sub("post")
            .str("phase", "databases")
            .str("title", "A key-value store @everyone")
            .str("description", "Build it with SQLite; link the repository.")
            .str("due", "3d")
            .int("points", 25)
            .channel("channel", ANNOUNCEMENTS_ID)
    };
    h.send(post().by(ALICE))
        .await
        .assert_private_message("Only moderators");
    assert_eq!(h.count("challenge").await, 0);
    h.send(post().by(MONA))
        .await
        .assert_private_message("Posted challenge #1");
    let posts = h.fake.messages_in(ANNOUNCEMENTS_ID);
    assert_eq!(posts.len(), 1);
    let body = &posts[0].body;
    assert_eq!(
        body["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "typed text pings nobody"
    );
    assert_eq!(body["embeds"][0]["title"], "A key-value store @everyone");
    assert_eq!(
        body["components"][0]["components"][0]["custom_id"],
        "wp:challenge:submit:1"
    );
    let stored_message: Option<i64> = sqlx::query_scalar("SELECT message_id FROM challenge")
        .fetch_one(&h.db().await)
        .await
        .unwrap();
    assert_eq!(stored_message, Some(posts[0].id as i64));

    // Alice presses Submit, fills the form in, then replaces her link.
    let message = payloads::message(&posts[0].id.to_string(), ANNOUNCEMENTS_ID, body);
    let form = h
        .send(button("wp:challenge:submit:1", message.clone()).by(ALICE))
        .await;
    assert_eq!(form.kind(), FORM);
    h.submit_form(
        &form,
        &[("link", "https://github.com/alice/kv"), ("notes", "")],
        ALICE,
    )
    .await
    .assert_private_message("Submitted for review");
    h.submit_form(
        &form,
        &[("link", "https://github.com/alice/kv2"), ("notes", "v2")],
        ALICE,
    )
    .await
    .assert_private_message("Submitted for review");
    assert_eq!(
        submissions(&h).await,
        [(ALICE.id as i64, "https://github.com/alice/kv2".to_owned())]
    );

    // A link that is not http(s), a tampered or unknown challenge: refused, nothing changed.
    h.submit_form(
        &form,
        &[("link", "javascript:alert(1)"), ("notes", "")],
        ALICE,
    )
    .await
    .assert_private_message("only http and https links");
    for id in [
        "wp:challenge:submit:99",
        "wp:challenge:submit:1x",
        "wp:challenge:take:1",
    ] {
        let reply = h
            .send(modal_submit(id, &[("link", "https://x.org"), ("notes", "")], None).by(ALICE))
            .await;
        assert!(reply.is_ephemeral(), "{id}");
        assert!(
            reply.content().contains("not in this server")
                || reply.content().contains("isn't one I recognise"),
            "{id}: {}",
            reply.content()
        );
    }
    assert_eq!(
        submissions(&h).await,
        [(ALICE.id as i64, "https://github.com/alice/kv2".to_owned())]
    );

    // After the deadline, refused with the deadline shown.
    h.clock.advance(chrono::Duration::days(3));
    let late = h
        .submit_form(
            &form,
            &[("link", "https://github.com/alice/kv3"), ("notes", "")],
            ALICE,
        )
        .await;
    late.assert_private_message("That challenge closed <t:");
    h.stop_bot().await;
}

#[tokio::test]
async fn moderators_review_from_a_queue_and_approved_points_reach_the_leaderboard() {
    let mut h = Harness::start().await;
    h.send(post_challenge("Key-value store", "3d").by(MONA))
        .await
        .assert_private_message("Posted challenge #1");
    submit_to(&h, 1, "https://github.com/alice/kv", ALICE).await;
    h.clock.advance(Duration::minutes(5));
    submit_to(&h, 1, "https://github.com/bob/kv", BOB).await;

    // The queue starts with the oldest submission (Alice's); Skip shows Bob's.
    let queue = h
        .send(
            slash("challenge")
                .sub("review")
                .str("challenge", "1")
                .by(MONA),
        )
        .await;
    assert!(queue.is_ephemeral());
    assert!(
        queue.text().contains("https://github.com/alice/kv"),
        "{}",
        queue.text()
    );
    assert!(queue
        .text()
        .contains("2 submissions · 0 approved · 2 pending review"));
    let skipped = h.click(&queue, "Skip", MONA).await;
    assert_eq!(skipped.kind(), UPDATE_MESSAGE);
    assert!(
        skipped.text().contains("https://github.com/bob/kv"),
        "{}",
        skipped.text()
    );

    // Approve Bob: +25 points, a DM, and the queue moves on to Alice.
    let approved = h.click(&skipped, "Approve", MONA).await;
    assert_eq!(approved.kind(), UPDATE_MESSAGE);
    assert!(
        approved.content().contains("+25 points"),
        "{}",
        approved.content()
    );
    assert!(
        approved.content().contains("told by DM"),
        "{}",
        approved.content()
    );
    assert!(approved.text().contains("https://github.com/alice/kv"));
    let dms = h.fake.dms_to(BOB.id);
    assert_eq!(dms.len(), 1);
    assert!(dms[0].body["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("✅ Approved"));
    let board = points_board(&h, WEEK, BOB).await;
    assert!(
        board.contains(&format!("<@{}> · 25 points", BOB.id)),
        "{board}"
    );
    assert!(!board.contains(&ALICE.id.to_string()), "{board}");

    // Reject Alice with feedback, with her DMs closed: the verdict is saved and the note says so.
    h.fake.close_dms(ALICE.id);
    let form = h.click(&approved, "Reject…", MONA).await;
    assert_eq!(form.kind(), FORM);
    let rejected = h
        .send(
            modal_submit(
                &form.form_id(),
                &[("feedback", "Add tests, then try again next time.")],
                Some(approved.as_message()),
            )
            .by(MONA),
        )
        .await;
    assert_eq!(rejected.kind(), UPDATE_MESSAGE);
    assert!(
        rejected.content().contains("weren't told"),
        "{}",
        rejected.content()
    );
    assert!(
        rejected.text().contains("No submissions are waiting"),
        "{}",
        rejected.text()
    );
    assert_eq!(
        states(&h).await,
        [
            (ALICE.id as i64, "rejected".to_owned(), None),
            (BOB.id as i64, "approved".to_owned(), Some(25)),
        ]
    );
    let mine = h
        .send(
            slash("challenge")
                .sub("show")
                .str("challenge", "1")
                .by(ALICE),
        )
        .await;
    assert!(mine.is_ephemeral());
    assert!(mine.content().contains("rejected"), "{}", mine.content());
    assert!(mine.content().contains("Add tests"), "{}", mine.content());

    // A week later, Bob's approval is changed to a rejection: the points leave every board.
    h.clock.advance(Duration::days(7));
    let bobs = h
        .send(
            slash("challenge")
                .sub("review")
                .str("challenge", "#1")
                .user("member", &BOB)
                .by(MONA),
        )
        .await;
    assert!(bobs.text().contains("approved"), "{}", bobs.text());
    let form = h.click(&bobs, "Reject…", MONA).await;
    let changed = h
        .send(
            modal_submit(
                &form.form_id(),
                &[("feedback", "The repository is private.")],
                Some(bobs.as_message()),
            )
            .by(MONA),
        )
        .await;
    assert!(
        changed.content().contains("25 points were taken back"),
        "{}",
        changed.content()
    );
    let board = points_board(&h, ALL_TIME, BOB).await;
    assert!(!board.contains(&BOB.id.to_string()), "{board}");
    assert_eq!(h.fake.dms_to(BOB.id).len(), 2);
    assert!(h.fake.dms_to(BOB.id)[1]
        .body
        .to_string()
        .contains("The repository is private."));

    // The log lists every moderator action, newest first.
    let log = h.send(slash("challenge").sub("log").by(MONA)).await;
    let text = log.text();
    for needle in [
        "posted challenge #1",
        "approved <@",
        "rejected <@",
        "points -25",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    assert_no_typed_text_pings(&h.fake.calls());
    h.stop_bot().await;
}

/// Every request that carries message text (posts, edits, DMs, answers and follow-ups) asks
/// Discord to parse no mentions and lists no roles; only opted-in users may be pinged, and no
/// challenge message opts anyone in.
fn assert_no_typed_text_pings(calls: &[Call]) {
    let mut checked = 0;
    for call in calls {
        let body: &Value = if call.path.ends_with("/callback") {
            if !matches!(call.body["type"].as_u64(), Some(4 | 7)) {
                continue;
            }
            &call.body["data"]
        } else if (call.method == "POST" || call.method == "PATCH")
            && (call.path.contains("/messages") || call.path.contains("/webhooks/"))
        {
            &call.body
        } else {
            continue;
        };
        checked += 1;
        let mentions = &body["allowed_mentions"];
        assert_eq!(
            mentions["parse"],
            serde_json::json!([]),
            "{} {}: {body}",
            call.method,
            call.path
        );
        assert!(
            mentions["roles"].as_array().map_or(true, Vec::is_empty)
                && mentions["users"].as_array().map_or(true, Vec::is_empty),
            "{} {}: {body}",
            call.method,
            call.path
        );
    }
    assert!(checked > 5, "only {checked} requests carried text");
}

#[tokio::test]
async fn edits_and_cancels_update_the_post_and_list_and_show_follow() {
    let mut h = Harness::start().await;
    h.send(post_challenge("Cache layer", "3d").by(MONA))
        .await
        .assert_private_message("Posted challenge #1");
    h.send(post_challenge("Rate limiter", "5d").by(MONA))
        .await
        .assert_private_message("Posted challenge #2");
    let edited = h
        .send(
            slash("challenge")
                .sub("edit")
                .str("challenge", "1")
                .str("title", "Cache layer with Redis @everyone")
                .int("points", 40)
                .by(MONA),
        )
        .await;
    edited.assert_private_message("The post was updated");
    let post = the_post(&h, 1);
    assert_eq!(post.edits, 1);
    assert_eq!(
        post.body["embeds"][0]["title"],
        "Cache layer with Redis @everyone"
    );
    assert!(post.body.to_string().contains("\"40\""), "{}", post.body);
    h.send(
        slash("challenge")
            .sub("edit")
            .str("challenge", "1")
            .str("due", "yesterday")
            .by(MONA),
    )
    .await
    .assert_private_message("can't read that deadline");
    h.send(
        slash("challenge")
            .sub("edit")
            .str("challenge", "1")
            .by(MONA),
    )
    .await
    .assert_private_message("Nothing to change");

    // Cancelling: the post says so and loses its button; submitting is refused.
    h.send(
        slash("challenge")
            .sub("cancel")
            .str("challenge", "2")
            .by(MONA),
    )
    .await
    .assert_private_message("is cancelled");
    let post = the_post(&h, 2);
    assert!(post.body["content"]
        .as_str()
        .unwrap()
        .starts_with("🚫 Cancelled"));
    assert_eq!(post.body["components"], serde_json::json!([]));
    let form = h
        .send(
            modal_submit(
                "wp:challenge:submit:2",
                &[("link", "https://x.org"), ("notes", "")],
                None,
            )
            .by(ALICE),
        )
        .await;
    form.assert_private_message("cancelled");
    assert_eq!(h.count("submission").await, 0);

    // The list shows both; autocomplete finds them by title or number, in this server only.
    let list = h.send(slash("challenge").sub("list").by(ALICE)).await;
    assert!(list.is_ephemeral());
    let text = list.text();
    assert!(
        text.contains("`#1` **Cache layer with Redis @everyone**"),
        "{text}"
    );
    assert!(text.contains("`#2` **Rate limiter** · Phase"), "{text}");
    assert!(text.contains("cancelled"), "{text}");
    let choices = h
        .send(
            slash("challenge")
                .sub("show")
                .typing("challenge", "redis")
                .by(ALICE),
        )
        .await
        .choices();
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert_eq!(choices[0].1, "1");
    let elsewhere = h
        .send(
            slash("challenge")
                .sub("show")
                .typing("challenge", "")
                .by(crate::support::payloads::CAROL)
                .in_guild(
                    crate::support::fake::OTHER_GUILD_ID,
                    crate::support::fake::OTHER_CHANNEL_ID,
                ),
        )
        .await
        .choices();
    assert!(elsewhere.is_empty(), "{elsewhere:?}");
    let shown = h
        .send(
            slash("challenge")
                .sub("show")
                .str("challenge", "1")
                .by(ALICE),
        )
        .await;
    assert!(
        shown.content().contains("haven't submitted"),
        "{}",
        shown.content()
    );
    assert_eq!(shown.custom_ids(), ["wp:challenge:submit:1"]);
    assert_no_typed_text_pings(&h.fake.calls());
    h.stop_bot().await;
}

async fn results_in(h: &Harness) -> Vec<String> {
    results_now(&h.fake)
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn the_deadline_closes_the_post_once_across_a_restart_and_downtime() {
    let mut h = Harness::start().await;
    h.send(post_challenge("Closes soon", "1h").by(MONA))
        .await
        .assert_private_message("Posted challenge #1");
    h.send(post_challenge("Closes while down", "2h").by(MONA))
        .await
        .assert_private_message("Posted challenge #2");
    submit_to(&h, 1, "https://github.com/alice/soon", ALICE).await;
    submit_to(&h, 1, "https://github.com/bob/soon", BOB).await;
    let queue = h
        .send(
            slash("challenge")
                .sub("review")
                .str("challenge", "1")
                .by(MONA),
        )
        .await;
    h.click(&queue, "Approve", MONA).await;

    // The deadline passes while the bot runs: the post is closed and the results posted, once.
    h.clock.advance(Duration::minutes(61));
    wait_until("the results of challenge 1", || {
        results_now(&h.fake).len() == 1
    })
    .await;
    let results = results_in(&h).await;
    assert!(
        results[0].contains("2 submissions · 1 approved · 1 pending review"),
        "{results:?}"
    );
    let post = the_post(&h, 1);
    assert!(
        post.body["content"]
            .as_str()
            .unwrap()
            .starts_with("🔒 Closed"),
        "{}",
        post.body
    );
    assert_eq!(post.body["components"], serde_json::json!([]));
    let edits = post.edits;

    // A restart, then ticks: nothing is closed or posted again.
    h.restart().await;
    h.clock.advance(Duration::seconds(30));
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(results_in(&h).await.len(), 1);
    assert_eq!(the_post(&h, 1).edits, edits);

    // Challenge 2's deadline passes while the bot is down: closed once when it is back.
    h.stop_bot().await;
    h.clock.advance(Duration::days(3));
    h.start_bot().await;
    wait_until("the results of challenge 2", || {
        results_now(&h.fake).len() == 2
    })
    .await;
    assert!(the_post(&h, 2).body["content"]
        .as_str()
        .unwrap()
        .starts_with("🔒 Closed"));
    h.restart().await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(results_in(&h).await.len(), 2);
    let closed: Vec<(i64, String)> = sqlx::query_as("SELECT id, state FROM challenge ORDER BY id")
        .fetch_all(&h.db().await)
        .await
        .unwrap();
    assert_eq!(closed, [(1, "closed".to_owned()), (2, "closed".to_owned())]);

    // After the deadline: the list says closed; a late submission is refused with it shown.
    let list = h.send(slash("challenge").sub("list").by(ALICE)).await;
    assert!(list.text().contains("closed <t:"), "{}", list.text());
    h.send(
        modal_submit(
            "wp:challenge:submit:2",
            &[("link", "https://x.org"), ("notes", "")],
            None,
        )
        .by(ALICE),
    )
    .await
    .assert_private_message("That challenge closed <t:");
    assert_no_typed_text_pings(&h.fake.calls());
    h.stop_bot().await;
}

fn results_now(fake: &crate::support::fake::FakeDiscord) -> Vec<String> {
    fake.messages_in(ANNOUNCEMENTS_ID)
        .iter()
        .filter_map(|m| m.body["content"].as_str().map(str::to_owned))
        .filter(|c| c.starts_with("⏰"))
        .collect()
}

#[tokio::test]
async fn every_moderator_command_and_button_is_refused_to_members_and_changes_nothing() {
    let mut h = Harness::start().await;
    h.send(post_challenge("Matrix", "3d").by(MONA))
        .await
        .assert_private_message("Posted challenge #1");
    submit_to(&h, 1, "https://github.com/bob/matrix", BOB).await;
    let before = snapshot(&h).await;
    let posts_before = h.fake.messages_in(ANNOUNCEMENTS_ID);
    let commands = [
        post_challenge("Sneaky", "1d"),
        slash("challenge").sub("review").str("challenge", "1"),
        slash("challenge")
            .sub("review")
            .str("challenge", "1")
            .user("member", &BOB),
        slash("challenge")
            .sub("edit")
            .str("challenge", "1")
            .str("title", "Mine now"),
        slash("challenge").sub("cancel").str("challenge", "1"),
        slash("challenge").sub("log"),
    ];
    for command in commands {
        let reply = h.send(command.by(ALICE)).await;
        reply.assert_private_message("Only moderators");
    }
    let message = |ids: &[&str]| {
        let buttons: Vec<Value> = ids
            .iter()
            .map(|id| serde_json::json!({"type": 2, "style": 1, "label": id, "custom_id": id}))
            .collect();
        payloads::message(
            "4242",
            CHANNEL_ID,
            &serde_json::json!({"content": "", "flags": 64, "components": [{"type": 1, "components": buttons}]}),
        )
    };
    let bob = BOB.id.to_string();
    for verb in ["approve", "reject", "skip"] {
        let id = format!("wp:challenge:{verb}:1:{bob}");
        let reply: Reply = h.send(button(&id, message(&[&id])).by(ALICE)).await;
        reply.assert_private_message("Only moderators");
    }
    let feedback = h
        .send(
            modal_submit(
                &format!("wp:challenge:reject:1:{bob}"),
                &[("feedback", "nope")],
                Some(message(&["x"])),
            )
            .by(ALICE),
        )
        .await;
    feedback.assert_private_message("Only moderators");
    // Tampered ids: refused whoever presses them.
    for id in [
        format!("wp:challenge:approve:1:{bob}x"),
        "wp:challenge:approve:1".to_owned(),
        format!("wp:challenge:approve:99:{bob}"),
        "wp:challenge:list:x".to_owned(),
    ] {
        let reply = h.send(button(&id, message(&[&id])).by(MONA)).await;
        assert!(reply.is_ephemeral(), "{id}");
        assert!(
            reply.content().contains("isn't one I recognise")
                || reply.content().contains("not in this server"),
            "{id}: {}",
            reply.content()
        );
    }
    assert_eq!(snapshot(&h).await, before);
    assert_eq!(
        h.fake.messages_in(ANNOUNCEMENTS_ID).len(),
        posts_before.len()
    );
    assert!(h.fake.dms_to(BOB.id).is_empty());

    // Ruth holds the server's moderator role: once it is configured, the queue is hers too.
    let ruth_review = || {
        slash("challenge")
            .sub("review")
            .str("challenge", "1")
            .by(RUTH)
    };
    h.send(ruth_review())
        .await
        .assert_private_message("Only moderators");
    h.send(
        slash("settings")
            .sub("set")
            .role("moderator_role", MOD_ROLE_ID)
            .by(MONA),
    )
    .await;
    let queue = h.send(ruth_review()).await;
    assert!(
        queue.text().contains("https://github.com/bob/matrix"),
        "{}",
        queue.text()
    );
    h.stop_bot().await;
}

type Snapshot = (
    Vec<(i64, String, String, i64)>,
    Vec<(i64, String, Option<String>)>,
    i64,
    i64,
);

/// Everything a challenge command or button could change.
async fn snapshot(h: &Harness) -> Snapshot {
    let db = h.db().await;
    let challenges = sqlx::query_as("SELECT id, title, state, points FROM challenge ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    let subs = sqlx::query_as("SELECT user_id, state, feedback FROM submission ORDER BY user_id")
        .fetch_all(&db)
        .await
        .unwrap();
    let audit = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&db)
        .await
        .unwrap();
    let points = sqlx::query_scalar("SELECT COUNT(*) FROM board_score WHERE metric = 'points'")
        .fetch_one(&db)
        .await
        .unwrap();
    (challenges, subs, audit, points)
}

#[tokio::test]
async fn the_list_pages_with_buttons() {
    let mut h = Harness::start().await;
    for n in 1..=9 {
        h.send(post_challenge(&format!("Challenge {n}"), &format!("{n}d")).by(MONA))
            .await
            .assert_private_message(&format!("Posted challenge #{n}"));
    }
    let first = h.send(slash("challenge").sub("list").by(ALICE)).await;
    assert!(first.is_ephemeral());
    let text = first.text();
    assert!(text.contains("Page 1 of 2"), "{text}");
    // Open challenges, soonest deadline first: #1 (1 day) leads, #9 (9 days) is on page 2.
    assert_eq!(text.matches("`#").count(), 8, "{text}");
    assert!(
        text.find("`#1`").unwrap() < text.find("`#2`").unwrap(),
        "{text}"
    );
    assert!(!text.contains("`#9`"), "{text}");
    let second = h.click(&first, "Next ▶", ALICE).await;
    assert_eq!(second.kind(), UPDATE_MESSAGE);
    let text = second.text();
    assert!(
        text.contains("Page 2 of 2") && text.contains("`#9` **Challenge 9**"),
        "{text}"
    );
    assert_eq!(text.matches("`#").count(), 1, "{text}");
    assert_eq!(
        second.component("Next ▶")["disabled"],
        serde_json::json!(true)
    );
    h.stop_bot().await;
}
