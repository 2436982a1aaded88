//! The fake Discord's own contract, checked with serenity's real HTTP client: the routes later
//! features rely on (DMs, channel messages, follow-ups, file uploads, injected errors) answer the
//! way serenity expects and are recorded in a form tests can assert on.

use poise::serenity_prelude as serenity;
use serde_json::json;

use crate::support::fake::{FakeDiscord, APP_ID, CHANNEL_ID, TOKEN};
use crate::support::ALICE;

fn client(fake: &FakeDiscord) -> serenity::Http {
    serenity::HttpBuilder::new(TOKEN)
        .proxy(fake.api_url())
        .ratelimiter_disabled(true)
        .application_id(serenity::ApplicationId::new(APP_ID))
        .build()
}

#[tokio::test]
async fn a_dm_is_a_channel_then_a_message_and_both_are_recorded() {
    let fake = FakeDiscord::start().await;
    let http = client(&fake);
    let channel = serenity::UserId::new(ALICE.id)
        .create_dm_channel(&http)
        .await
        .expect("the fake opens a DM channel");
    let message = channel
        .id
        .send_message(
            &http,
            serenity::CreateMessage::new().content("Time to study: Redis"),
        )
        .await
        .expect("the fake accepts the message");
    assert_eq!(message.content, "Time to study: Redis");

    let calls = fake.calls();
    assert!(calls[0].is("POST", "/api/v10/users/@me/channels"));
    assert_eq!(calls[0].body["recipient_id"], ALICE.id.to_string());
    assert!(calls[1].is(
        "POST",
        &format!("/api/v10/channels/{}/messages", channel.id)
    ));
    assert_eq!(calls[1].body["content"], "Time to study: Redis");
    assert!(fake.unexpected_calls().is_empty());
}

#[tokio::test]
async fn closed_dms_answer_with_discords_error_code() {
    let fake = FakeDiscord::start().await;
    fake.fail(
        "POST",
        "/api/v10/channels/",
        403,
        json!({"message": "Cannot send messages to this user", "code": 50007}),
        None,
    );
    let http = client(&fake);
    let error = serenity::ChannelId::new(CHANNEL_ID)
        .say(&http, "hello")
        .await
        .expect_err("the injected 403 reaches serenity");
    let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) = error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(response.status_code.as_u16(), 403);
    assert_eq!(response.error.code, 50007);
    assert_eq!(fake.calls()[0].status, 403);
}

#[tokio::test]
async fn uploads_record_the_payload_and_file_names() {
    let fake = FakeDiscord::start().await;
    let http = client(&fake);
    let png = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3];
    serenity::ChannelId::new(CHANNEL_ID)
        .send_message(
            &http,
            serenity::CreateMessage::new()
                .content("Your heatmap")
                .add_file(serenity::CreateAttachment::bytes(
                    png.clone(),
                    "heatmap.png",
                )),
        )
        .await
        .expect("the fake accepts uploads");
    let call = &fake.calls()[0];
    assert_eq!(call.body["content"], "Your heatmap");
    assert_eq!(call.body["_files"][0]["name"], "heatmap.png");
    assert_eq!(call.body["_files"][0]["size"], png.len());
}

#[tokio::test]
async fn follow_ups_and_edits_of_an_interaction_answer_are_recorded() {
    let fake = FakeDiscord::start().await;
    let http = client(&fake);
    let followup = serenity::CreateInteractionResponseFollowup::new()
        .content("Submitted!")
        .ephemeral(true);
    http.create_followup_message("tok", &followup, vec![])
        .await
        .expect("follow-up");
    let edit = serenity::EditInteractionResponse::new().content("Updated");
    http.edit_original_interaction_response("tok", &edit, vec![])
        .await
        .expect("edit");
    let calls = fake.calls();
    assert!(calls[0].is("POST", &format!("/api/v10/webhooks/{APP_ID}/tok")));
    assert_eq!(calls[0].body["flags"], 64);
    assert!(calls[1].is(
        "PATCH",
        &format!("/api/v10/webhooks/{APP_ID}/tok/messages/@original")
    ));
    assert_eq!(calls[1].body["content"], "Updated");
}

#[tokio::test]
async fn unknown_routes_are_404_and_listed() {
    let fake = FakeDiscord::start().await;
    let http = client(&fake);
    let result = http.get_guild_roles(serenity::GuildId::new(5)).await;
    assert!(result.is_err());
    let unexpected = fake.unexpected_calls();
    assert_eq!(unexpected.len(), 1);
    assert!(unexpected[0].is("GET", "/api/v10/guilds/5/roles"));
}

#[tokio::test]
async fn payloads_over_discords_limits_are_refused_like_discord_does() {
    let fake = FakeDiscord::start().await;
    let http = client(&fake);
    // serenity checks this limit itself, so send the raw body as another client might.
    let error = http
        .send_message(
            serenity::ChannelId::new(CHANNEL_ID),
            vec![],
            &json!({"content": "x".repeat(2001)}),
        )
        .await
        .expect_err("2,001 characters is over the limit");
    let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) = error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(
        (response.status_code.as_u16(), response.error.code),
        (400, 50035)
    );
    assert!(
        response.error.message.contains("content"),
        "{}",
        response.error.message
    );

    let embed = serenity::CreateEmbed::new().field("empty value", "", false);
    let result = serenity::ChannelId::new(CHANNEL_ID)
        .send_message(&http, serenity::CreateMessage::new().embed(embed))
        .await;
    assert!(result.is_err(), "an embed field needs a value");

    let bad_command = serenity::CreateCommand::new("Bad Name").description("x");
    let result = http.create_global_commands(&vec![bad_command]).await;
    assert!(
        result.is_err(),
        "command names are lowercase without spaces"
    );
    // All three reached the fake and were refused there, not by serenity.
    let refused: Vec<u16> = fake.calls().iter().map(|c| c.status).collect();
    assert_eq!(refused, [400, 400, 400]);
}

#[tokio::test]
async fn an_interaction_can_be_answered_only_once() {
    let fake = FakeDiscord::start().await;
    let http = client(&fake);
    let answer = serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new().content("hi"),
    );
    let interaction = serenity::InteractionId::new(42);
    http.create_interaction_response(interaction, "tok", &answer, vec![])
        .await
        .expect("the first answer is taken");
    let error = http
        .create_interaction_response(interaction, "tok", &answer, vec![])
        .await
        .expect_err("the second is refused");
    let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) = error else {
        panic!("expected an HTTP error, got {error:?}");
    };
    assert_eq!(response.error.code, 40060);
}

#[tokio::test]
async fn every_option_kind_is_shaped_the_way_serenity_reads_it() {
    use crate::support::fake::{ANNOUNCEMENTS_ID, MOD_ROLE_ID};
    use crate::support::payloads::Interaction;
    let interaction: Interaction = crate::support::slash("everything")
        .str("text", "hello")
        .int("count", 3)
        .number("ratio", 0.5)
        .bool("flag", true)
        .user("who", &ALICE)
        .channel("where", ANNOUNCEMENTS_ID)
        .role("role", MOD_ROLE_ID)
        .into();
    let payload = interaction
        .in_channel(ANNOUNCEMENTS_ID)
        .to_payload(42, "tok");
    let parsed: serenity::Interaction =
        serde_json::from_value(payload).expect("serenity reads the payload");
    let serenity::Interaction::Command(command) = parsed else {
        panic!("not a command");
    };
    assert_eq!(command.channel_id.get(), ANNOUNCEMENTS_ID);
    let options = command.data.options();
    let kinds: Vec<(&str, &str)> = options
        .iter()
        .map(|o| {
            let kind = match &o.value {
                serenity::ResolvedValue::String(_) => "string",
                serenity::ResolvedValue::Integer(3) => "integer",
                serenity::ResolvedValue::Number(n) if *n == 0.5 => "number",
                serenity::ResolvedValue::Boolean(true) => "boolean",
                serenity::ResolvedValue::User(u, Some(_)) if u.id.get() == ALICE.id => "user",
                serenity::ResolvedValue::Channel(c) if c.id.get() == ANNOUNCEMENTS_ID => "channel",
                serenity::ResolvedValue::Role(r) if r.id.get() == MOD_ROLE_ID => "role",
                _ => "unreadable",
            };
            (o.name, kind)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("text", "string"),
            ("count", "integer"),
            ("ratio", "number"),
            ("flag", "boolean"),
            ("who", "user"),
            ("where", "channel"),
            ("role", "role")
        ]
    );
}

#[tokio::test]
async fn members_carry_their_roles_and_permissions_and_every_server_is_announced() {
    use crate::support::fake::{MOD_ROLE_ID, OTHER_GUILD_ID};
    use crate::support::payloads::{Interaction, MANAGE_GUILD, MONA, RUTH};
    let by = |actor| -> serenity::CommandInteraction {
        let interaction: Interaction = crate::support::slash("x").by(actor);
        let parsed: serenity::Interaction =
            serde_json::from_value(interaction.to_payload(1, "tok")).unwrap();
        match parsed {
            serenity::Interaction::Command(c) => c,
            other => panic!("{other:?}"),
        }
    };
    let ruth = by(RUTH);
    let member = ruth.member.expect("a member");
    assert_eq!(
        member.roles.iter().map(|r| r.get()).collect::<Vec<_>>(),
        [MOD_ROLE_ID]
    );
    let mona = by(MONA);
    let permissions = mona
        .member
        .and_then(|m| m.permissions)
        .expect("permissions");
    assert!(permissions.bits() & MANAGE_GUILD != 0);

    // Both servers reach the bot at IDENTIFY, with their channels and members.
    let mut h = crate::support::Harness::start().await;
    let reply = h
        .send(
            crate::support::slash("roadmap")
                .by(crate::support::CAROL)
                .in_guild(OTHER_GUILD_ID, crate::support::fake::OTHER_CHANNEL_ID),
        )
        .await;
    assert!(reply.text().contains("Programming fundamentals"));
    h.stop_bot().await;
}
