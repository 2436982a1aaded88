//! `/topic`: autocomplete, the topic card, its status buttons, and refusing bad input.

use serde_json::json;

use crate::support::harness::{AUTOCOMPLETE, MESSAGE, UPDATE_MESSAGE};
use crate::support::{button, select, slash, Harness, ALICE, BOB};

async fn rows(h: &Harness) -> Vec<(i64, i64, String, String)> {
    sqlx::query_as(
        "SELECT guild_id, user_id, topic_slug, status FROM topic_progress ORDER BY topic_slug",
    )
    .fetch_all(&h.db().await)
    .await
    .expect("query topic_progress")
}

#[tokio::test]
async fn autocomplete_suggests_topics_for_partial_case_insensitive_input() {
    let mut h = Harness::start().await;
    let reply = h
        .send(slash("topic").typing("topic", "REDI").by(ALICE))
        .await;
    assert_eq!(reply.kind(), AUTOCOMPLETE);
    let choices = reply.choices();
    assert_eq!(choices[0].1, "redis", "{choices:?}");
    assert!(choices[0].0.starts_with("Redis"), "{choices:?}");

    let reply = h.send(slash("topic").typing("topic", "").by(ALICE)).await;
    assert_eq!(
        reply.choices().len(),
        25,
        "Discord shows at most 25 choices"
    );

    let reply = h
        .send(slash("topic").typing("topic", "sql").by(ALICE))
        .await;
    assert_eq!(
        reply.choices()[0].1,
        "sql-fundamentals",
        "{:?}",
        reply.choices()
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn topic_card_shows_explanation_resources_and_buttons() {
    let mut h = Harness::start().await;
    let reply = h.send(slash("topic").str("topic", "jwt").by(ALICE)).await;
    assert_eq!(reply.kind(), MESSAGE);
    assert!(reply.is_ephemeral());
    let text = reply.text();
    assert!(text.contains("JWT"), "{text}");
    assert!(text.contains("https://"), "resources are linked: {text}");
    assert!(text.contains("Not started"), "{text}");
    assert_eq!(
        reply.custom_ids(),
        [
            "wp:topic:jwt:done",
            "wp:topic:jwt:progress",
            "wp:topic:jwt:skip",
            "wp:topic:jwt:reset"
        ]
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn marking_done_by_button_persists_and_shows_in_progress() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    let clicked = h.click(&card, "Done", ALICE).await;
    assert_eq!(clicked.kind(), UPDATE_MESSAGE, "the card updates in place");
    assert!(clicked.text().contains("✅ Done"), "{}", clicked.text());
    assert_eq!(clicked.component("Done")["disabled"], json!(true));

    let stored = rows(&h).await;
    assert_eq!(stored.len(), 1);
    let (guild, user, topic, status) = &stored[0];
    assert_eq!(*guild as u64, crate::support::fake::GUILD_ID);
    assert_eq!(*user as u64, ALICE.id);
    assert_eq!((topic.as_str(), status.as_str()), ("redis", "done"));

    let progress = h.send(slash("progress").by(ALICE)).await;
    let text = progress.text();
    assert!(text.contains("1/6"), "{text}");
    assert!(text.contains("1 of 36 topics done"), "{text}");

    // Bob's view is his own.
    let bobs = h.send(slash("progress").by(BOB)).await;
    assert!(
        bobs.text().contains("0 of 36 topics done"),
        "{}",
        bobs.text()
    );

    // Reset removes the row again.
    h.click(&clicked, "Reset", ALICE).await;
    assert!(rows(&h).await.is_empty());
    h.stop_bot().await;
}

#[tokio::test]
async fn unknown_topic_is_an_ephemeral_error_and_writes_nothing() {
    let mut h = Harness::start().await;
    let reply = h
        .send(
            slash("topic")
                .str("topic", "kubernetes operators")
                .by(ALICE),
        )
        .await;
    assert_eq!(reply.kind(), MESSAGE);
    assert!(reply.is_ephemeral());
    assert!(
        reply
            .content()
            .contains("no topic called `kubernetes operators`"),
        "{}",
        reply.content()
    );
    assert!(reply.custom_ids().is_empty());
    assert!(rows(&h).await.is_empty());
    // Members' text is echoed without pinging anyone.
    assert_eq!(reply.data()["allowed_mentions"]["parse"], json!([]));
    h.stop_bot().await;
}

#[tokio::test]
async fn tampered_or_stale_custom_ids_are_refused_and_write_nothing() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    for custom_id in [
        "wp:topic:redis:finish",
        "wp:topic:redis:done:1",
        "wp:topic:REDIS:done",
        "something-else",
        "wp:topic:removed-topic:done",
    ] {
        let reply = h.send(button(custom_id, card.as_message()).by(ALICE)).await;
        assert_eq!(reply.kind(), MESSAGE, "{custom_id}");
        assert!(reply.is_ephemeral(), "{custom_id}");
        assert!(
            reply.content().contains("isn't one I recognise")
                || reply.content().contains("no longer in the roadmap"),
            "{custom_id}: {}",
            reply.content()
        );
    }
    // A select value that is not a topic of that phase.
    let reply = h
        .send(select("wp:phase:databases", &["jwt"], card.as_message()).by(ALICE))
        .await;
    reply.assert_private_message("no longer in this phase");
    assert!(rows(&h).await.is_empty());
    h.stop_bot().await;
}

#[tokio::test]
async fn every_topic_card_is_within_discords_limits() {
    let mut h = Harness::start().await;
    let roadmap = crate::support::shipped_roadmap();
    for t in roadmap.topics() {
        let card = h
            .send(slash("topic").str("topic", &t.topic.slug).by(ALICE))
            .await;
        // The fake refuses (400) anything Discord would.
        assert_eq!(card.status, 204, "{}: {:?}", t.topic.slug, card.body);
        assert!(card.text().contains(&t.topic.title), "{}", t.topic.slug);
        let links = card.embeds()[0]["fields"][0]["value"]
            .as_str()
            .unwrap_or_default()
            .matches("](https://")
            .count();
        assert_eq!(links, t.topic.resources.len(), "{}", t.topic.slug);
    }
    h.stop_bot().await;
}

#[tokio::test]
async fn changes_are_stamped_with_the_bots_clock_which_a_test_can_move() {
    let mut h = Harness::start().await;
    let chosen = chrono::DateTime::parse_from_rfc3339("2027-03-28T23:59:30Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    h.clock.set(chosen);
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    let done = h.click(&card, "Done", ALICE).await;
    let at = "2027-03-28T23:59:30.000Z".to_owned();
    assert_eq!(
        stamps(&h).await,
        [("redis".to_owned(), at.clone(), Some(at.clone()))]
    );

    // A day later (while the bot keeps running), the next change records the new instant.
    h.clock.advance(chrono::Duration::days(1));
    h.click(&done, "In progress", ALICE).await;
    let next_day = "2027-03-29T23:59:30.000Z".to_owned();
    assert_eq!(stamps(&h).await, [("redis".to_owned(), next_day, None)]);
    h.stop_bot().await;
}

async fn stamps(h: &Harness) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT topic_slug, updated_at, completed_at FROM topic_progress ORDER BY topic_slug",
    )
    .fetch_all(&h.db().await)
    .await
    .expect("query topic_progress")
}
