//! `/note`: a form opened by a command, submitted, routed to its feature and saved.

use serde_json::json;

use crate::support::harness::FORM;
use crate::support::{modal_submit, slash, Harness, ALICE, BOB};

async fn notes(h: &Harness) -> Vec<(i64, String, String)> {
    sqlx::query_as("SELECT user_id, topic_slug, note FROM topic_note ORDER BY user_id")
        .fetch_all(&h.db().await)
        .await
        .expect("query topic_note")
}

#[tokio::test]
async fn a_note_is_written_in_a_form_and_the_form_opens_with_it_next_time() {
    let mut h = Harness::start().await;
    let form = h.send(slash("note").str("topic", "redis").by(ALICE)).await;
    assert_eq!(form.kind(), FORM);
    assert_eq!(form.form_id(), "wp:note:redis");
    assert_eq!(form.data()["title"], "Notes · Redis (caching, sessions)");
    let inputs = form.form_inputs();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].0, "text");
    assert_eq!(inputs[0].2, None, "nothing written yet");

    // Text typed by the member comes back, but can never ping anyone.
    let saved = h
        .submit_form(&form, &[("text", "  TTLs expire keys @everyone  ")], ALICE)
        .await;
    saved.assert_private_message("Saved your notes on **Redis (caching, sessions)**");
    assert!(
        saved.text().contains("TTLs expire keys @everyone"),
        "{}",
        saved.text()
    );
    assert!(saved.pings_nobody(), "{:#}", saved.body);
    assert!(
        saved.content().contains("<t:"),
        "a Discord timestamp: {}",
        saved.content()
    );
    assert_eq!(
        notes(&h).await,
        [(
            ALICE.id as i64,
            "redis".into(),
            "TTLs expire keys @everyone".into()
        )]
    );

    // Opening the form again shows the note, for this member only.
    let again = h
        .send(
            slash("note")
                .str("topic", "REDIS (caching, sessions)")
                .by(ALICE),
        )
        .await;
    assert_eq!(
        again.form_inputs()[0].2.as_deref(),
        Some("TTLs expire keys @everyone")
    );
    let bobs = h.send(slash("note").str("topic", "redis").by(BOB)).await;
    assert_eq!(bobs.form_inputs()[0].2, None);

    // An empty form clears the note.
    let cleared = h.submit_form(&again, &[("text", "   ")], ALICE).await;
    cleared.assert_private_message("are cleared");
    assert!(notes(&h).await.is_empty());
    h.stop_bot().await;
}

#[tokio::test]
async fn bad_forms_are_refused_clearly_and_change_nothing() {
    let mut h = Harness::start().await;
    let form = h.send(slash("note").str("topic", "redis").by(ALICE)).await;
    h.submit_form(&form, &[("text", "keep me")], ALICE).await;

    let too_long = "x".repeat(1_001);
    let reply = h.submit_form(&form, &[("text", &too_long)], ALICE).await;
    reply.assert_private_message("at most 1000");

    for custom_id in [
        "wp:note:Redis",
        "wp:note:redis:extra",
        "wp:note:",
        "wp:note:kubernetes",
        "wp:nobody:redis",
        "not-ours",
    ] {
        let reply = h
            .send(modal_submit(custom_id, &[("text", "overwritten?")], None).by(ALICE))
            .await;
        assert!(reply.is_ephemeral(), "{custom_id}");
        assert!(
            reply.content().contains("isn't one I recognise")
                || reply.content().contains("no longer in the roadmap"),
            "{custom_id}: {}",
            reply.content()
        );
    }
    // A form without the input the feature expects.
    let reply = h
        .send(modal_submit("wp:note:redis", &[("other", "x")], None).by(ALICE))
        .await;
    reply.assert_private_message("isn't one I recognise");
    // A form submitted in DMs.
    let reply = h
        .send(
            modal_submit("wp:note:redis", &[("text", "x")], None)
                .by(ALICE)
                .in_dm(),
        )
        .await;
    reply.assert_private_message("inside a server");

    assert_eq!(
        notes(&h).await,
        [(ALICE.id as i64, "redis".into(), "keep me".into())]
    );
    // An unknown topic never opens a form.
    let reply = h
        .send(slash("note").str("topic", "kubernetes").by(ALICE))
        .await;
    reply.assert_private_message("no topic called `kubernetes`");
    assert_eq!(reply.data()["allowed_mentions"]["parse"], json!([]));
    h.stop_bot().await;
}

#[tokio::test]
async fn note_autocomplete_suggests_topics_like_topic_does() {
    let mut h = Harness::start().await;
    let reply = h
        .send(slash("note").typing("topic", "redi").by(ALICE))
        .await;
    let values: Vec<String> = reply.choices().into_iter().map(|(_, v)| v).collect();
    assert!(values.contains(&"redis".to_owned()), "{values:?}");
    h.stop_bot().await;
}
