//! `/settings` (moderators only, checked by the bot) and `/timezone`.

use crate::support::fake::MOD_ROLE_ID;
use crate::support::harness::AUTOCOMPLETE;
use crate::support::payloads::{MONA, RUTH};
use crate::support::{slash, Harness, ALICE};

async fn audit(h: &Harness) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT actor_id, action FROM audit_log ORDER BY id")
        .fetch_all(&h.db().await)
        .await
        .expect("query audit_log")
}

#[tokio::test]
async fn only_moderators_see_or_change_settings_and_every_change_is_recorded() {
    let mut h = Harness::start().await;
    // Discord hides the command from members without Manage Server…
    let registered = h.fake.registered_commands();
    let settings = registered.iter().find(|c| c["name"] == "settings").unwrap();
    assert_eq!(settings["default_member_permissions"], "32");
    // …but the bot checks anyway, for every subcommand.
    for attempt in [
        slash("settings").sub("show").by(ALICE),
        slash("settings")
            .sub("set")
            .int("checkin_minutes", 5)
            .by(ALICE),
        slash("settings")
            .sub("set")
            .role("moderator_role", MOD_ROLE_ID)
            .by(ALICE),
    ] {
        let reply = h.send(attempt).await;
        reply.assert_private_message("Only moderators can do this");
    }
    assert!(audit(&h).await.is_empty());

    let reply = h
        .send(
            slash("settings")
                .sub("set")
                .int("checkin_minutes", 45)
                .role("moderator_role", MOD_ROLE_ID)
                .by(MONA),
        )
        .await;
    reply.assert_private_message("check-in minutes: 30 → 45");
    assert!(
        reply.text().contains(&format!("<@&{MOD_ROLE_ID}>")),
        "{}",
        reply.text()
    );
    assert!(reply.pings_nobody());
    assert_eq!(
        audit(&h).await,
        [
            (MONA.id as i64, "settings.moderator_role".to_owned()),
            (MONA.id as i64, "settings.checkin_minutes".to_owned())
        ]
    );

    // The role now makes Ruth a moderator; she sees who changed what, and when.
    let shown = h.send(slash("settings").sub("show").by(RUTH)).await;
    let text = shown.text();
    assert!(text.contains("45 by default"), "{text}");
    assert!(text.contains(&format!("<@{}>", MONA.id)), "{text}");
    assert!(text.contains("<t:"), "{text}");
    let reply = h
        .send(
            slash("settings")
                .sub("set")
                .bool("clear_moderator_role", true)
                .by(RUTH),
        )
        .await;
    reply.assert_private_message("moderator role:");
    // …and with the role cleared, she no longer is one.
    let reply = h.send(slash("settings").sub("show").by(RUTH)).await;
    reply.assert_private_message("Only moderators");
    h.stop_bot().await;
}

#[tokio::test]
async fn bad_settings_are_refused_and_change_nothing() {
    let mut h = Harness::start().await;
    for (attempt, expected) in [
        (
            slash("settings").sub("set").int("checkin_minutes", 0),
            "between 1 and 720",
        ),
        (
            slash("settings").sub("set").int("checkin_minutes", 721),
            "between 1 and 720",
        ),
        (
            slash("settings").sub("set").str("timezone", "berl"),
            "don't know the time zone `berl`",
        ),
        (
            slash("settings").sub("set").str("timezone", "Mars/Base"),
            "don't know the time zone",
        ),
        (slash("settings").sub("set"), "Name at least one setting"),
        (
            slash("settings")
                .sub("set")
                .role("moderator_role", MOD_ROLE_ID)
                .bool("clear_moderator_role", true),
            "not both",
        ),
        (
            slash("settings")
                .sub("set")
                .role("moderator_role", crate::support::fake::GUILD_ID),
            "@everyone can't be",
        ),
    ] {
        let reply = h.send(attempt.by(MONA)).await;
        reply.assert_private_message(expected);
    }
    assert!(audit(&h).await.is_empty());
    assert_eq!(h.count("guild_settings").await, 0);
    h.stop_bot().await;
}

#[tokio::test]
async fn zones_are_suggested_with_their_local_time_and_set_per_member() {
    let mut h = Harness::start().await;
    // The harness clock says 2026-11-26 12:00 UTC.
    let reply = h
        .send(
            slash("timezone")
                .sub("set")
                .typing("zone", "new y")
                .by(ALICE),
        )
        .await;
    assert_eq!(reply.kind(), AUTOCOMPLETE);
    let choices = reply.choices();
    assert_eq!(
        choices[0],
        (
            "America/New_York · 07:00".to_owned(),
            "America/New_York".to_owned()
        )
    );
    let reply = h
        .send(
            slash("timezone")
                .sub("set")
                .typing("zone", "kolk")
                .by(ALICE),
        )
        .await;
    assert_eq!(reply.choices()[0].1, "Asia/Kolkata");
    assert!(reply.choices().len() <= 25);
    let reply = h
        .send(
            slash("settings")
                .sub("set")
                .typing("timezone", "berl")
                .by(MONA),
        )
        .await;
    assert_eq!(reply.choices()[0].0, "Europe/Berlin · 13:00");

    // Nothing chosen: UTC. Then the server's zone. Then the member's own.
    let shown = h.send(slash("timezone").sub("show").by(ALICE)).await;
    shown.assert_private_message("**UTC** (no zone chosen yet");
    h.send(
        slash("settings")
            .sub("set")
            .str("timezone", "Asia/Tokyo")
            .by(MONA),
    )
    .await
    .assert_private_message("server timezone: UTC (default) → Asia/Tokyo");
    let shown = h.send(slash("timezone").sub("show").by(ALICE)).await;
    shown.assert_private_message("**Asia/Tokyo** (the server's default");
    let set = h
        .send(
            slash("timezone")
                .sub("set")
                .str("zone", "Asia/Kolkata")
                .by(ALICE),
        )
        .await;
    set.assert_private_message("**Asia/Kolkata** (it is 17:30 on Thursday there)");
    let shown = h.send(slash("timezone").sub("show").by(ALICE)).await;
    shown.assert_private_message("**Asia/Kolkata** (you chose it)");

    // An unknown zone stores nothing.
    let reply = h
        .send(
            slash("timezone")
                .sub("set")
                .str("zone", "Atlantis/Main")
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("don't know the time zone `Atlantis/Main`");
    let stored: Vec<(String,)> = sqlx::query_as("SELECT timezone FROM member_settings")
        .fetch_all(&h.db().await)
        .await
        .unwrap();
    assert_eq!(stored, [("Asia/Kolkata".to_owned(),)]);
    h.stop_bot().await;
}
