//! `/remind`: a DM at the member's local time, exactly once, through the real dispatcher, with
//! the clock moved; its check-in button; closed DMs; restarts; bad input.

use chrono::{DateTime, Duration, Utc};

use crate::support::fake::GUILD_ID;
use crate::support::harness::FORM;
use crate::support::payloads;
use crate::support::{button, slash, Harness, ALICE, BOB};

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Waits for the n-th message to `user`'s DMs (the dispatcher runs every 200 ms in tests).
async fn wait_for_dms(h: &Harness, user: u64, n: usize) -> Vec<crate::support::fake::Message> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let dms = h.fake.dms_to(user);
        if dms.len() >= n {
            return dms;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no DM #{n} to {user}: {:#?}",
            h.fake
                .calls()
                .iter()
                .map(|c| format!("{} {} {}", c.method, c.path, c.status))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Gives the dispatcher a few ticks.
async fn ticks() {
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
}

#[tokio::test]
async fn a_reminder_arrives_at_local_time_once_and_its_button_checks_in() {
    let mut h = Harness::start().await;
    h.send(
        slash("timezone")
            .sub("set")
            .str("zone", "Europe/Berlin")
            .by(ALICE),
    )
    .await;
    let set = h
        .send(slash("remind").sub("set").str("time", "7pm").by(ALICE))
        .await;
    // 19:00 in Berlin on 26 November 2026 is 18:00 UTC.
    let due = instant("2026-11-26T18:00:00Z").timestamp();
    set.assert_private_message(&format!(
        "Your reminder: **19:00** every day (Europe/Berlin).\nNext: <t:{due}:F>"
    ));

    // Not before its time…
    h.clock.set(instant("2026-11-26T17:59:00Z"));
    ticks().await;
    assert!(h.fake.dms_to(ALICE.id).is_empty());
    // …then once: a DM channel, then the message.
    h.clock.set(instant("2026-11-26T18:00:20Z"));
    let dms = wait_for_dms(&h, ALICE.id, 1).await;
    let dm = &dms[0];
    assert!(
        dm.body["content"]
            .as_str()
            .unwrap()
            .contains("Time to study"),
        "{:#}",
        dm.body
    );
    assert_eq!(dm.body["allowed_mentions"]["parse"], serde_json::json!([]));
    assert!(
        dm.body["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Next: "),
        "{:#}",
        dm.body
    );
    let checkin_id = format!("wp:streak:checkin:{GUILD_ID}");
    assert_eq!(
        dm.body["components"][0]["components"][0]["custom_id"],
        checkin_id.as_str()
    );
    assert!(h
        .fake
        .calls()
        .iter()
        .any(|c| c.is("POST", "/api/v10/users/@me/channels")));

    // A restart just after the send does not repeat it.
    h.restart().await;
    h.clock.advance(Duration::minutes(1));
    ticks().await;
    assert_eq!(h.fake.dms_to(ALICE.id).len(), 1);

    // The button, pressed in the DM, opens a form that records a check-in for today.
    let message = payloads::message(&dm.id.to_string(), dm.channel, &dm.body);
    let form = h
        .send(button(&checkin_id, message.clone()).by(ALICE).in_dm())
        .await;
    assert_eq!(form.kind(), FORM);
    let done = h
        .submit_form_in_dm(&form, &[("minutes", "25"), ("note", "")], ALICE)
        .await;
    done.assert_private_message("Recorded 25 min for **Thursday 26 November**");
    let minutes: i64 = sqlx::query_scalar("SELECT SUM(minutes) FROM study_day WHERE user_id = ?")
        .bind(ALICE.id as i64)
        .fetch_one(&h.db().await)
        .await
        .unwrap();
    assert_eq!(minutes, 25);
    // Somebody without a reminder there cannot use a copy of the button.
    let reply = h.send(button(&checkin_id, message).by(BOB).in_dm()).await;
    reply.assert_private_message("a reminder you no longer have");

    // The next day: one more DM, to the DM channel kept from the first (no new channel call).
    let channel_calls = |h: &Harness| {
        h.fake
            .calls()
            .iter()
            .filter(|c| c.is("POST", "/api/v10/users/@me/channels"))
            .count()
    };
    let before = channel_calls(&h);
    h.clock.set(instant("2026-11-27T18:00:10Z"));
    wait_for_dms(&h, ALICE.id, 2).await;
    assert_eq!(channel_calls(&h), before);
    h.stop_bot().await;
}

#[tokio::test]
async fn closed_dms_turn_the_reminder_off_and_remind_show_says_why() {
    let mut h = Harness::start().await;
    h.send(
        slash("remind")
            .sub("set")
            .str("time", "13:00")
            .str("days", "weekdays")
            .by(BOB),
    )
    .await
    .assert_private_message("**13:00** on weekdays (UTC)");
    h.fake.close_dms(BOB.id);
    h.clock.set(instant("2026-11-26T13:00:05Z"));
    // The dispatcher tries, Discord answers 403/50007, the reminder goes off.
    h.fake
        .wait_for_call("the refused DM", |c| {
            c.path.starts_with("/api/v10/channels/") && c.status == 403
        })
        .await;
    ticks().await;
    // The next time Bob uses the bot, he is told, once.
    let checkin = h.send(slash("checkin").int("minutes", 10).by(BOB)).await;
    checkin.assert_private_message("Your daily reminder is off: your DMs are closed to the bot");
    let again = h.send(slash("checkin").int("minutes", 10).by(BOB)).await;
    assert!(
        !again.content().contains("reminder is off"),
        "{}",
        again.content()
    );
    let shown = h.send(slash("remind").sub("show").by(BOB)).await;
    shown.assert_private_message("It is **off**: your DMs are closed to the bot");
    // A moderator sees it in /status; a member may not look.
    h.send(slash("status").by(BOB))
        .await
        .assert_private_message("Only moderators");
    let status = h
        .send(slash("status").by(crate::support::payloads::MONA))
        .await;
    let text = status.text();
    assert!(text.contains("Turned off (target gone)\n1"), "{text}");
    assert!(text.contains("failed 1"), "{text}");
    // Nothing more is tried the next day.
    let refused = h.fake.calls().iter().filter(|c| c.status == 403).count();
    h.clock.set(instant("2026-11-27T13:00:05Z"));
    ticks().await;
    assert_eq!(
        h.fake.calls().iter().filter(|c| c.status == 403).count(),
        refused
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn after_two_days_offline_nothing_floods_and_show_says_it_was_missed() {
    let mut h = Harness::start().await;
    h.send(slash("remind").sub("set").str("time", "18:00").by(ALICE))
        .await;
    h.stop_bot().await;
    // Two days later, three hours after that day's reminder: all missed, none sent.
    h.clock.set(instant("2026-11-28T21:00:00Z"));
    h.start_bot().await;
    ticks().await;
    assert!(h.fake.dms_to(ALICE.id).is_empty());
    let shown = h.send(slash("remind").sub("show").by(ALICE)).await;
    shown.assert_private_message("missed while the bot was offline");
    h.stop_bot().await;
}

#[tokio::test]
async fn remind_commands_refuse_bad_input_and_store_nothing() {
    let mut h = Harness::start().await;
    for (attempt, expected) in [
        (
            slash("remind").sub("set").str("time", "25:00"),
            "can't read `25:00` as a time",
        ),
        (
            slash("remind")
                .sub("set")
                .str("time", "7pm")
                .str("days", "funday"),
            "`funday` isn't a day",
        ),
        (
            slash("remind")
                .sub("set")
                .str("time", "7pm")
                .str("days", "none"),
            "at least one day",
        ),
        (
            slash("remind")
                .sub("set")
                .str("time", "7pm")
                .str("timezone", "Mars/Base"),
            "don't know the time zone",
        ),
        (
            slash("remind").sub("pause").str("until", "3d"),
            "no reminder to pause",
        ),
    ] {
        h.send(attempt.by(ALICE))
            .await
            .assert_private_message(expected);
    }
    assert_eq!(h.count("reminder").await, 0);
    h.send(slash("remind").sub("set").str("time", "07:30").by(ALICE))
        .await;
    for (until, expected) in [("2020-01-01", "after today"), ("soon", "can't read `soon`")] {
        h.send(slash("remind").sub("pause").str("until", until).by(ALICE))
            .await
            .assert_private_message(expected);
    }
    let paused = h
        .send(slash("remind").sub("pause").str("until", "1w").by(ALICE))
        .await;
    paused.assert_private_message("Paused until Thursday 3 December");
    let suggestions = h
        .send(slash("remind").sub("set").typing("time", "7pm").by(ALICE))
        .await;
    assert_eq!(suggestions.choices()[0].1, "19:00");
    // /remind test sends one now; /remind off removes it.
    h.send(slash("remind").sub("test").by(ALICE))
        .await
        .assert_private_message("check your DMs");
    assert_eq!(h.fake.dms_to(ALICE.id).len(), 1);
    h.send(slash("remind").sub("off").by(ALICE))
        .await
        .assert_private_message("Your reminder is off");
    assert_eq!(h.count("reminder").await, 0);
    h.stop_bot().await;
}
