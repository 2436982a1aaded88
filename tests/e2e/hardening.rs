//! Hostile, malformed and unusual interactions: each is answered clearly (or, for a repeat,
//! dropped) and changes nothing it should not.

use std::time::Duration;

use serde_json::json;

use crate::support::fake::{MOD_ROLE_ID, OTHER_CHANNEL_ID, OTHER_GUILD_ID};
use crate::support::harness::{AUTOCOMPLETE, MESSAGE};
use crate::support::{button, modal_submit, slash, Harness, ALICE, CAROL};

async fn statuses(h: &Harness) -> Vec<(String, String)> {
    sqlx::query_as("SELECT topic_slug, status FROM topic_progress ORDER BY topic_slug")
        .fetch_all(&h.db().await)
        .await
        .expect("query topic_progress")
}

/// Lets the bot finish whatever it was handling: a later interaction is answered, and a short
/// pause covers events handled side by side.
async fn settle(h: &Harness) {
    h.send(slash("help").by(ALICE)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_repeated_delivery_is_dropped_and_cannot_undo_a_later_change() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    let done = h
        .fake
        .send_interaction(button("wp:topic:redis:done", card.as_message()).by(ALICE));
    let done_card = h.fake.answer_to(done).await;
    assert_eq!(statuses(&h).await, [("redis".into(), "done".into())]);
    h.click(&done_card, "Reset", ALICE).await;
    assert!(statuses(&h).await.is_empty());

    // The old Done arrives again, a second later: same id, same token.
    h.fake.redeliver(done);
    settle(&h).await;
    assert!(statuses(&h).await.is_empty(), "the reset stands");
    assert_eq!(
        h.fake.answers_to(done),
        1,
        "the repeat is not answered again"
    );

    // A repeated command is dropped the same way, even across a restart.
    let form = h
        .fake
        .send_interaction(slash("note").str("topic", "redis").by(ALICE));
    h.fake.answer_to(form).await;
    h.restart().await;
    h.fake.redeliver(form);
    settle(&h).await;
    assert_eq!(h.fake.answers_to(form), 1);
    h.stop_bot().await;
}

#[tokio::test]
async fn an_interaction_without_a_caller_is_refused_and_writes_nothing() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    for interaction in [
        button("wp:topic:redis:done", card.as_message()).without_caller(),
        button("wp:topic:redis:done", card.as_message())
            .in_dm()
            .without_caller(),
        slash("progress").by(ALICE).without_caller(),
        modal_submit("wp:note:redis", &[("text", "x")], None).without_caller(),
    ] {
        let reply = h.send(interaction).await;
        reply.assert_private_message("couldn't tell who sent this");
    }
    // Typing into an option without a caller gets no suggestions.
    let reply = h
        .send(
            slash("topic")
                .typing("topic", "re")
                .by(ALICE)
                .without_caller(),
        )
        .await;
    assert_eq!(reply.kind(), AUTOCOMPLETE);
    assert!(reply.choices().is_empty());
    assert!(statuses(&h).await.is_empty());
    assert_eq!(h.count("topic_note").await, 0);
    h.stop_bot().await;
}

#[tokio::test]
async fn command_kinds_the_bot_does_not_register_are_answered_not_crashed_on() {
    let mut h = Harness::start().await;
    // 2 user command, 3 message command, 4 activity entry point, 99 not yet invented.
    for kind in [2, 3, 4, 99] {
        let reply = h.send(slash("progress").by(ALICE).command_type(kind)).await;
        assert_eq!(reply.kind(), MESSAGE, "type {kind}");
        reply.assert_private_message("no longer exists");
        let reply = h
            .send(
                slash("topic")
                    .typing("topic", "re")
                    .by(ALICE)
                    .command_type(kind),
            )
            .await;
        assert_eq!(reply.kind(), AUTOCOMPLETE, "type {kind}");
        assert!(reply.choices().is_empty());
    }
    // The bot is still fine.
    let reply = h.send(slash("roadmap").by(ALICE)).await;
    assert!(reply.text().contains("Programming fundamentals"));
    h.stop_bot().await;
}

#[tokio::test]
async fn echoed_text_cannot_reverse_the_sentence_and_empty_text_is_named() {
    let mut h = Harness::start().await;
    let reply = h
        .send(
            slash("topic")
                .str("topic", "kube\u{202E}srotarepo\u{2066}")
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("no topic called `kubesrotarepo`");
    assert!(
        !reply.content().contains('\u{202E}') && !reply.content().contains('\u{2066}'),
        "{:?}",
        reply.content()
    );
    for blank in ["", "   ", "\u{200B}\u{202E}"] {
        let reply = h.send(slash("topic").str("topic", blank).by(ALICE)).await;
        reply.assert_private_message("You didn't name a topic");
        assert!(!reply.content().contains("``"), "{:?}", reply.content());
    }
    h.stop_bot().await;
}

#[tokio::test]
async fn hostile_custom_ids_are_refused_and_change_nothing() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    let huge = format!("wp:topic:{}:done", "a".repeat(100_000));
    for custom_id in [
        "wp:topic:redis:done\nINFO waypoint: forged line",
        huge.as_str(),
        "wp:topic:redis:done\u{202E}",
        "wp:note:redis",
    ] {
        let reply = h.send(button(custom_id, card.as_message()).by(ALICE)).await;
        reply.assert_private_message("isn't one I recognise");
    }
    let reply = h
        .send(
            modal_submit(
                &format!("wp:note:{}", "r".repeat(5_000)),
                &[("text", "x")],
                None,
            )
            .by(ALICE),
        )
        .await;
    reply.assert_private_message("isn't one I recognise");
    assert!(statuses(&h).await.is_empty());
    assert_eq!(h.count("topic_note").await, 0);
    h.stop_bot().await;
}

#[tokio::test]
async fn phase_without_a_subcommand_lists_the_phases() {
    let mut h = Harness::start().await;
    let reply = h.send(slash("phase").by(ALICE)).await;
    reply.assert_private_message("Pick a phase: `/phase fundamentals`");
    h.stop_bot().await;
}

#[tokio::test]
async fn progress_options_that_cannot_be_used_say_what_is_wrong() {
    let mut h = Harness::start().await;
    let reply = h
        .send(
            slash("progress")
                .unresolved_user("member", 1_499_000_000_000_000_000)
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("couldn't find the member you picked for `member`");
    let reply = h
        .send(slash("progress").role("member", MOD_ROLE_ID).by(ALICE))
        .await;
    reply.assert_private_message("needs a member, not a role");
    let reply = h.send(slash("progress").int("member", 5).by(ALICE)).await;
    reply.assert_private_message("needs a member, not a whole number");
    let reply = h
        .send(
            slash("progress")
                .user_not_in_server("member", &CAROL)
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("carol isn't a member of this server");
    assert!(reply.embeds().is_empty(), "no all-zero card");
    h.stop_bot().await;
}

#[tokio::test]
async fn each_server_keeps_its_own_progress() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    h.click(&card, "Done", ALICE).await;
    let here = h.send(slash("progress").by(ALICE)).await;
    assert!(
        here.text().contains("1 of 36 topics done"),
        "{}",
        here.text()
    );
    let there = h
        .send(
            slash("progress")
                .by(ALICE)
                .in_guild(OTHER_GUILD_ID, OTHER_CHANNEL_ID),
        )
        .await;
    assert!(
        there.text().contains("0 of 36 topics done"),
        "{}",
        there.text()
    );
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT guild_id, topic_slug FROM topic_progress")
            .fetch_all(&h.db().await)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].0 as u64, OTHER_GUILD_ID);
    h.stop_bot().await;
}

#[tokio::test]
async fn every_answer_kind_goes_through_the_shared_path() {
    let mut h = Harness::start().await;
    // A form's answer refused once: the member is still told, with a reference.
    let form = h.send(slash("note").str("topic", "redis").by(ALICE)).await;
    h.fake.fail(
        "POST",
        "/api/v10/interactions/",
        500,
        json!({"message": "500: Internal Server Error", "code": 0}),
        Some(1),
    );
    let refused = h.submit_form(&form, &[("text", "kept")], ALICE).await;
    assert_eq!(refused.status, 500);
    let apology = h.fake.second_answer(&refused).await;
    apology.assert_private_message("Something went wrong on our side");
    // Autocomplete rate-limited once: retried with the same choices.
    h.fake.rate_limit("POST", "/api/v10/interactions/", 1);
    let first = h
        .send(slash("topic").typing("topic", "redi").by(ALICE))
        .await;
    assert_eq!(first.status, 429);
    let retried = h.fake.second_answer(&first).await;
    assert_eq!(retried.status, 204);
    assert_eq!(retried.body, first.body);
    // Opening a form rate-limited once: retried.
    h.fake.rate_limit("POST", "/api/v10/interactions/", 1);
    let first = h.send(slash("note").str("topic", "redis").by(ALICE)).await;
    let retried = h.fake.second_answer(&first).await;
    assert_eq!(retried.status, 204);
    assert_eq!(retried.form_id(), "wp:note:redis");
    // Commands, buttons and forms ping nobody by default.
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    assert!(card.pings_nobody(), "{:#}", card.body);
    let clicked = h.click(&card, "Done", ALICE).await;
    assert!(clicked.pings_nobody(), "{:#}", clicked.body);
    let help = h.send(slash("help").by(ALICE)).await;
    assert!(help.pings_nobody(), "{:#}", help.body);
    h.stop_bot().await;
}
