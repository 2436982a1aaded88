//! Messages the bot sends by itself (`waypoint::outbox::Outbox`, real serenity client) through
//! the fake Discord: Discord's limits, mentions, retries, and per-target failures classified
//! so background work can disable dead targets.

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serde_json::json;
use waypoint::discord::send::SerenityOutbox;
use waypoint::member::UserId;
use waypoint::outbox::{Button, Card, ChannelId, Destination, Outbox, Outgoing, SendError};

use crate::support::fake::{FakeDiscord, ANNOUNCEMENTS_ID, APP_ID, CHANNEL_ID, TOKEN};
use crate::support::{ALICE, BOB};

fn outbox(fake: &FakeDiscord) -> SerenityOutbox {
    let http = serenity::HttpBuilder::new(TOKEN)
        .proxy(fake.api_url())
        .ratelimiter_disabled(true)
        .application_id(serenity::ApplicationId::new(APP_ID))
        .build();
    SerenityOutbox::new(Arc::new(http))
}

fn reminder(text: &str) -> Outgoing {
    Outgoing {
        content: text.to_owned(),
        card: Some(Card {
            title: "Time to study".into(),
            description: "Next: Redis".into(),
            fields: vec![("Streak".into(), "3 days".into())],
            footer: Some("Waypoint".into()),
            colour: Some(0x3B82F6),
        }),
        buttons: vec![Button {
            label: "Check in".into(),
            custom_id: "wp:topic:redis:done".into(),
        }],
        ping: Vec::new(),
    }
}

#[tokio::test]
async fn a_dm_arrives_with_its_card_and_button_and_pings_nobody() {
    let fake = FakeDiscord::start().await;
    let outbox = outbox(&fake);
    let sent = outbox
        .send(
            Destination::Dm(UserId(BOB.id)),
            reminder("Hey @everyone, study time"),
        )
        .await
        .expect("sent");
    let dms = fake.dms_to(BOB.id);
    assert_eq!(dms.len(), 1);
    assert_eq!(dms[0].id, sent.message.0);
    let body = &dms[0].body;
    assert_eq!(body["content"], "Hey @everyone, study time");
    assert_eq!(body["embeds"][0]["title"], "Time to study");
    assert_eq!(
        body["components"][0]["components"][0]["custom_id"],
        "wp:topic:redis:done"
    );
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert!(fake.dms_to(ALICE.id).is_empty());
    assert!(
        fake.refused_calls().is_empty(),
        "{:#?}",
        fake.refused_calls()
    );
}

#[tokio::test]
async fn texts_are_cut_to_discords_limits_and_a_ping_is_opt_in() {
    let fake = FakeDiscord::start().await;
    let outbox = outbox(&fake);
    let mut long = reminder(&"é".repeat(2_500));
    if let Some(card) = &mut long.card {
        card.title = "t".repeat(300);
        card.description = "d".repeat(5_000);
        card.fields = (0..30)
            .map(|i| (format!("f{i}"), "v".repeat(2_000)))
            .collect();
    }
    long.buttons = (0..30)
        .map(|i| Button {
            label: "l".repeat(100),
            custom_id: format!("wp:x:{i}"),
        })
        .collect();
    long.ping = vec![UserId(ALICE.id)];
    outbox
        .send(Destination::Channel(ChannelId(CHANNEL_ID)), long)
        .await
        .expect("Discord accepts it once cut to size");
    let body = &fake.messages_in(CHANNEL_ID)[0].body;
    assert_eq!(body["content"].as_str().unwrap().chars().count(), 2_000);
    assert_eq!(
        body["allowed_mentions"]["users"],
        json!([ALICE.id.to_string()])
    );
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert!(
        fake.refused_calls().is_empty(),
        "{:#?}",
        fake.refused_calls()
    );
}

#[tokio::test]
async fn closed_dms_and_deleted_channels_are_dead_targets() {
    let fake = FakeDiscord::start().await;
    fake.close_dms(ALICE.id);
    fake.remove_channel(ANNOUNCEMENTS_ID);
    let outbox = outbox(&fake);
    let closed = outbox
        .send(Destination::Dm(UserId(ALICE.id)), reminder("hi"))
        .await
        .unwrap_err();
    assert!(matches!(closed, SendError::DmClosed), "{closed:?}");
    assert!(closed.is_dead_target());
    let gone = outbox
        .send(
            Destination::Channel(ChannelId(ANNOUNCEMENTS_ID)),
            reminder("hi"),
        )
        .await
        .unwrap_err();
    assert!(matches!(gone, SendError::Gone), "{gone:?}");
    // Other targets are unaffected.
    outbox
        .send(Destination::Dm(UserId(BOB.id)), reminder("hi"))
        .await
        .expect("Bob's DMs are open");
    outbox
        .send(Destination::Channel(ChannelId(CHANNEL_ID)), reminder("hi"))
        .await
        .expect("#study exists");
}

#[tokio::test]
async fn a_429_is_retried_and_a_500_is_a_failure_that_is_not_the_targets_fault() {
    let fake = FakeDiscord::start().await;
    let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
    fake.rate_limit("POST", &path, 1);
    let outbox = outbox(&fake);
    outbox
        .send(Destination::Channel(ChannelId(CHANNEL_ID)), reminder("hi"))
        .await
        .expect("sent after one 429");
    assert_eq!(fake.messages_in(CHANNEL_ID).len(), 1);

    fake.fail(
        "POST",
        &path,
        500,
        json!({"message": "oops", "code": 0}),
        Some(2),
    );
    for _ in 0..2 {
        let failed = outbox
            .send(Destination::Channel(ChannelId(CHANNEL_ID)), reminder("hi"))
            .await
            .unwrap_err();
        assert!(matches!(failed, SendError::Failed(_)), "{failed:?}");
        assert!(!failed.is_dead_target());
    }
    // "This route answers 500 twice": the third try goes through.
    outbox
        .send(Destination::Channel(ChannelId(CHANNEL_ID)), reminder("hi"))
        .await
        .expect("the route recovered");
    assert_eq!(fake.messages_in(CHANNEL_ID).len(), 2);
}

#[tokio::test]
async fn an_edit_replaces_the_message_and_is_readable_back() {
    let fake = FakeDiscord::start().await;
    let outbox = outbox(&fake);
    let sent = outbox
        .send(
            Destination::Channel(ChannelId(CHANNEL_ID)),
            reminder("open"),
        )
        .await
        .unwrap();
    let closed = Outgoing {
        content: "closed".into(),
        ..Outgoing::default()
    };
    outbox.edit(sent, closed).await.expect("edited");
    let message = &fake.messages_in(CHANNEL_ID)[0];
    assert_eq!(message.edits, 1);
    assert_eq!(message.body["content"], "closed");
    assert_eq!(message.body["embeds"], json!([]), "the card was removed");
    assert_eq!(message.body["allowed_mentions"]["parse"], json!([]));

    fake.remove_channel(CHANNEL_ID);
    let gone = outbox.edit(sent, reminder("again")).await.unwrap_err();
    assert!(matches!(gone, SendError::Gone), "{gone:?}");
}
