//! Phase challenges so far: a moderator posts one (the embed and its Submit button appear in the
//! channel, pinging nobody); a member submits through the form, replaces it, and bad input or
//! a tampered id changes nothing.

use crate::support::fake::ANNOUNCEMENTS_ID;
use crate::support::harness::FORM;
use crate::support::payloads::{self, MONA};
use crate::support::{button, modal_submit, slash, Harness, ALICE};

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
