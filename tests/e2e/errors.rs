//! What the bot does with things it must refuse, and with its own lifecycle.

use crate::support::{button, modal_submit, slash, Harness, ALICE};

#[tokio::test]
async fn server_commands_in_dms_get_an_ephemeral_explanation() {
    let mut h = Harness::start().await;
    let reply = h.send(slash("progress").by(ALICE).in_dm()).await;
    reply.assert_private_message("inside a server");

    // A button pressed in a DM (say, on a message forwarded there) changes nothing.
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    let reply = h
        .send(
            button("wp:topic:redis:done", card.as_message())
                .by(ALICE)
                .in_dm(),
        )
        .await;
    reply.assert_private_message("inside a server");
    assert_eq!(h.count("topic_progress").await, 0);
    h.stop_bot().await;
}

#[tokio::test]
async fn help_lists_every_command() {
    let mut h = Harness::start().await;
    let reply = h.send(slash("help").by(ALICE)).await;
    assert!(reply.is_ephemeral());
    let text = reply.text();
    for command in [
        "/roadmap",
        "/phase",
        "/topic",
        "/next",
        "/progress",
        "/help",
    ] {
        assert!(text.contains(command), "{command} missing: {text}");
    }
    assert!(text.contains("fundamentals | backend-basics"), "{text}");
    h.stop_bot().await;
}

#[tokio::test]
async fn the_bot_uses_its_token_and_registers_in_the_configured_guild() {
    let mut h = Harness::start().await;
    h.send(slash("roadmap").by(ALICE)).await;
    h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    h.stop_bot().await;
    assert!(
        h.fake.calls().iter().all(|c| c.status != 401),
        "every call carried the bot token"
    );
    let registration = h
        .fake
        .calls()
        .into_iter()
        .find(|c| c.method == "PUT")
        .expect("registration");
    assert!(
        registration.path.contains("/guilds/"),
        "WAYPOINT_GUILD_ID registers in that guild: {}",
        registration.path
    );
}

#[tokio::test]
async fn a_command_discord_still_lists_but_the_bot_lacks_is_answered() {
    let mut h = Harness::start().await;
    // (A command of a version that had `/flashcards`; `/streak`, used here before, now exists.)
    let reply = h.send(slash("flashcards").by(ALICE)).await;
    reply.assert_private_message("no longer exists");
    // Typing into such a command's option gets (empty) choices, the only answer Discord takes.
    let reply = h
        .send(slash("flashcards").typing("member", "al").by(ALICE))
        .await;
    assert_eq!(reply.kind(), crate::support::harness::AUTOCOMPLETE);
    assert!(reply.choices().is_empty());
    h.stop_bot().await;
}

#[tokio::test]
async fn a_command_with_an_outdated_shape_is_answered() {
    let mut h = Harness::start().await;
    // `/topic` without its required option: Discord's copy of the command is out of date.
    let reply = h.send(slash("topic").by(ALICE)).await;
    reply.assert_private_message("Try again in a minute");
    h.stop_bot().await;
}

#[tokio::test]
async fn an_internal_failure_shows_a_reference_and_no_details() {
    let mut h = Harness::start().await;
    sqlx::query("DROP TABLE topic_progress")
        .execute(&h.db_writable().await)
        .await
        .unwrap();
    let reply = h.send(slash("progress").by(ALICE)).await;
    assert!(reply.is_ephemeral());
    let text = reply.content();
    assert!(text.contains("Something went wrong on our side"), "{text}");
    let reference = text.split('`').nth(1).expect("a reference in backticks");
    assert_eq!(reference.len(), 8, "{text}");
    assert!(
        !text.contains("topic_progress") && !text.contains("no such table"),
        "{text}"
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn the_bot_stops_when_it_cannot_register_its_commands() {
    let mut h = Harness::new().await;
    h.fake.fail(
        "PUT",
        "/api/v10/applications/",
        403,
        serde_json::json!({"message": "Missing Access", "code": 50001}),
        None,
    );
    h.start_bot().await;
    let exit = h.bot_exit().await;
    let error = exit.expect_err("a bot without commands should not keep running");
    assert!(
        error.to_string().contains("before it was ready"),
        "{error:#}"
    );
}

#[tokio::test]
async fn an_unknown_modal_submission_is_refused() {
    let mut h = Harness::start().await;
    let reply = h
        .send(
            modal_submit(
                "wp:challenge:999:submit",
                &[("link", "https://example.com")],
                None,
            )
            .by(ALICE),
        )
        .await;
    reply.assert_private_message("isn't one I recognise");
    h.stop_bot().await;
}

#[tokio::test]
async fn the_bot_resumes_after_the_gateway_drops() {
    let mut h = Harness::start().await;
    h.fake.drop_gateway();
    h.fake.wait_for_resume(1).await;
    assert_eq!(
        h.fake.identify_count(),
        1,
        "a dropped connection is resumed, not re-identified"
    );
    let reply = h.send(slash("roadmap").by(ALICE)).await;
    assert!(reply.text().contains("Programming fundamentals"));
    h.stop_bot().await;
}

#[tokio::test]
async fn a_failed_reply_is_survived() {
    let mut h = Harness::start().await;
    // Discord has a bad moment: the next interaction answer fails with a 500.
    h.fake.fail(
        "POST",
        "/api/v10/interactions/",
        500,
        serde_json::json!({"message": "500: Internal Server Error", "code": 0}),
        Some(1),
    );
    let failed = h.send(slash("roadmap").by(ALICE)).await;
    assert_eq!(
        (failed.kind(), failed.status),
        (4, 500),
        "the bot tried to answer"
    );
    // It then tells the member, under the same interaction, with a reference for the log.
    let apology = h.fake.second_answer(&failed).await;
    assert_eq!(apology.status, 204);
    apology.assert_private_message("Something went wrong on our side");
    // The bot keeps serving afterwards.
    let reply = h.send(slash("roadmap").by(ALICE)).await;
    assert!(reply.text().contains("Programming fundamentals"));
    h.stop_bot().await;
}

#[tokio::test]
async fn a_rate_limited_answer_is_retried() {
    let mut h = Harness::start().await;
    h.fake.rate_limit("POST", "/api/v10/interactions/", 1);
    let first = h.send(slash("roadmap").by(ALICE)).await;
    assert_eq!(first.status, 429);
    let retried = h
        .fake
        .wait_for_nth_call("the retried answer", 2, |c| {
            c.is("POST", &first.callback_path)
        })
        .await;
    assert_eq!(retried.status, 204);
    assert_eq!(retried.body, first.body, "the same answer is sent again");
    h.stop_bot().await;
}

#[tokio::test]
async fn a_rate_limited_registration_is_retried() {
    let mut h = Harness::new().await;
    h.fake.rate_limit("PUT", "/api/v10/applications/", 1);
    h.start_bot().await;
    let registered = h
        .fake
        .wait_for_nth_call("the retried registration", 2, |c| c.method == "PUT")
        .await;
    assert_eq!(registered.status, 200);
    let reply = h.send(slash("roadmap").by(ALICE)).await;
    assert!(reply.text().contains("Programming fundamentals"));
    h.stop_bot().await;
}

#[tokio::test]
async fn a_shutdown_while_the_gateway_is_unreachable_is_honoured() {
    let mut h = Harness::new().await;
    h.fake.refuse_gateway(true);
    h.spawn_bot();
    h.fake
        .wait_for_call("the gateway URL request", |c| {
            c.is("GET", "/api/v10/gateway")
        })
        .await;
    // The bot is now retrying the gateway; a shutdown must still stop it promptly.
    let started = std::time::Instant::now();
    h.stop_bot().await;
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    assert_eq!(h.fake.identify_count(), 0);
}

#[tokio::test]
async fn a_refused_button_answer_still_tells_the_member() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    h.fake.fail(
        "POST",
        "/api/v10/interactions/",
        400,
        serde_json::json!({"message": "Invalid Form Body", "code": 50035}),
        Some(1),
    );
    let refused = h.click(&card, "Done", ALICE).await;
    assert_eq!(refused.status, 400);
    let apology = h.fake.second_answer(&refused).await;
    assert_eq!(apology.status, 204);
    apology.assert_private_message("Something went wrong on our side");
    h.stop_bot().await;
}
