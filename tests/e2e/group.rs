//! Study groups and their nudge, through the dispatcher, with the clock moved.

use chrono::{DateTime, Utc};

use crate::support::fake::{ANNOUNCEMENTS_ID, CHANNEL_ID, READ_ONLY_ID};
use crate::support::payloads::{MONA, RUTH};
use crate::support::{slash, Harness, ALICE, BOB};

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn members_join_a_group_and_its_nudge_names_who_studied_without_pinging() {
    let mut h = Harness::start().await;
    // Members cannot create groups; moderators can.
    h.send(
        slash("group")
            .sub("create")
            .str("name", "Night owls")
            .by(ALICE),
    )
    .await
    .assert_private_message("Only moderators");
    h.send(
        slash("group")
            .sub("create")
            .str("name", "Rustaceans")
            .channel("channel", ANNOUNCEMENTS_ID)
            .by(MONA),
    )
    .await
    .assert_private_message("Created the group **Rustaceans**");
    h.send(
        slash("group")
            .sub("create")
            .str("name", "rustaceans")
            .by(MONA),
    )
    .await
    .assert_private_message("already a group with that name");
    // A channel the bot cannot post in is refused, for a group and (below) for a nudge.
    h.send(
        slash("group")
            .sub("create")
            .str("name", "Quiet")
            .channel("channel", READ_ONLY_ID)
            .by(MONA),
    )
    .await
    .assert_private_message(&format!("I can't post in <#{READ_ONLY_ID}>"));
    // Joining by autocomplete; one group at a time.
    let choices = h
        .send(slash("group").sub("join").typing("group", "rust").by(ALICE))
        .await;
    assert_eq!(choices.choices()[0].1, "Rustaceans");
    h.send(
        slash("group")
            .sub("join")
            .str("group", "Rustaceans")
            .by(ALICE),
    )
    .await
    .assert_private_message("You joined **Rustaceans**");
    h.send(
        slash("group")
            .sub("join")
            .str("group", "rustaceans")
            .bool("mention_me", true)
            .by(BOB),
    )
    .await;
    h.send(
        slash("group")
            .sub("join")
            .str("group", "Rustaceans")
            .by(RUTH),
    )
    .await;
    h.send(slash("group").sub("join").str("group", "Atlantis").by(RUTH))
        .await
        .assert_private_message("no group by that name");

    // Thursday: Alice and Bob study (2 of 3: the day counts for the group).
    h.clock.set(instant("2026-11-26T10:00:00Z"));
    h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    h.send(slash("checkin").int("minutes", 20).by(BOB)).await;
    let info = h.send(slash("group").sub("info").by(ALICE)).await;
    let text = info.text();
    assert!(
        text.contains("🔥 1 day") && text.contains("50 min"),
        "{text}"
    );
    assert!(text.contains(&format!("<@{}>", RUTH.id)), "{text}");

    // A nudge at 09:00 (server zone: UTC) in the group's channel.
    h.send(
        slash("group")
            .sub("nudge")
            .sub_in("set")
            .str("group", "Rustaceans")
            .str("time", "9am")
            .channel("channel", READ_ONLY_ID)
            .by(MONA),
    )
    .await
    .assert_private_message("I can't post in");
    h.send(
        slash("group")
            .sub("nudge")
            .sub_in("set")
            .str("group", "Rustaceans")
            .str("time", "9am")
            .by(MONA),
    )
    .await
    .assert_private_message("gets a nudge at 09:00");
    // Two challenges: one closes within two days of the nudge (it is listed), one later.
    for (title, due) in [("Closing soon", "1d"), ("Closing later", "5d")] {
        h.send(
            slash("challenge")
                .sub("post")
                .str("phase", "databases")
                .str("title", title)
                .str("description", "Build it.")
                .str("due", due)
                .channel("channel", ANNOUNCEMENTS_ID)
                .by(MONA),
        )
        .await
        .assert_private_message("Posted challenge");
    }
    h.clock.set(instant("2026-11-27T09:00:10Z"));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while h.fake.messages_in(ANNOUNCEMENTS_ID).len() < 3 {
        assert!(tokio::time::Instant::now() < deadline, "no nudge");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let nudge = &h.fake.messages_in(ANNOUNCEMENTS_ID)[2].body;
    let soon = nudge["embeds"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Challenges closing soon")
        .expect("the nudge lists challenges closing soon");
    let soon = soon["value"].as_str().unwrap();
    assert!(
        soon.contains("**Closing soon** (#1) closes <t:") && !soon.contains("Closing later"),
        "{soon}"
    );
    let content = nudge["content"].as_str().unwrap();
    assert!(
        content.contains("Rustaceans") && content.contains(&format!("<@{}>", ALICE.id)),
        "{content}"
    );
    assert!(
        !content.contains(&format!("<@{}>", RUTH.id)),
        "Ruth did not study: {content}"
    );
    // Names without pings, except Bob, who asked to be mentioned.
    assert_eq!(nudge["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(
        nudge["allowed_mentions"]["users"],
        serde_json::json!([BOB.id.to_string()])
    );
    assert!(
        h.fake
            .messages_in(CHANNEL_ID)
            .iter()
            .all(|m| m.token.is_some()),
        "nothing else posted"
    );

    // The channel is deleted: the next nudge fails, the nudge goes off, and the next moderator
    // to look at /status is told, once.
    h.fake.remove_channel(ANNOUNCEMENTS_ID);
    h.clock.set(instant("2026-11-28T09:00:10Z"));
    h.fake
        .wait_for_call("the refused nudge", |c| {
            c.status == 404 && c.path.contains(&ANNOUNCEMENTS_ID.to_string())
        })
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let status = h.send(slash("status").by(MONA)).await;
    status.assert_private_message(
        "The nudge of Rustaceans is off: the channel or conversation no longer exists",
    );
    let again = h.send(slash("status").by(MONA)).await;
    assert!(!again.content().contains("is off"), "{}", again.content());
    let info = h
        .send(
            slash("group")
                .sub("info")
                .str("group", "Rustaceans")
                .by(ALICE),
        )
        .await;
    assert!(
        info.text()
            .contains("⚠️ off: the channel or conversation no longer exists"),
        "{}",
        info.text()
    );

    // Leaving, listing, deleting.
    h.send(slash("group").sub("leave").by(RUTH))
        .await
        .assert_private_message("You left **Rustaceans**");
    let list = h.send(slash("group").sub("list").by(RUTH)).await;
    list.assert_private_message("**Rustaceans** · 2 members");
    h.send(
        slash("group")
            .sub("delete")
            .str("group", "Rustaceans")
            .by(ALICE),
    )
    .await
    .assert_private_message("Only moderators");
    h.send(
        slash("group")
            .sub("delete")
            .str("group", "Rustaceans")
            .by(MONA),
    )
    .await
    .assert_private_message("Deleted the group **Rustaceans**");
    assert_eq!(h.count("study_group").await, 0);
    assert_eq!(h.count("group_member").await, 0);
    assert_eq!(h.count("reminder").await, 0);
    h.stop_bot().await;
}

#[tokio::test]
async fn the_leaderboard_ranks_a_groups_members_and_the_groups() {
    let mut h = Harness::start().await;
    for name in ["Owls", "Larks"] {
        h.send(slash("group").sub("create").str("name", name).by(MONA))
            .await;
    }
    for (actor, group) in [(ALICE, "Owls"), (BOB, "Owls"), (RUTH, "Larks")] {
        h.send(slash("group").sub("join").str("group", group).by(actor))
            .await;
    }
    for (actor, minutes) in [(ALICE, 30), (BOB, 20), (RUTH, 60)] {
        h.send(slash("checkin").int("minutes", minutes).by(actor))
            .await;
    }
    // Choices arrive as indexes: metric 1 = study time; scope 1 = my group, 2 = groups.
    let mine = h
        .send(
            slash("leaderboard")
                .int("metric", 1)
                .int("scope", 1)
                .by(BOB),
        )
        .await;
    let text = mine.text();
    assert!(text.contains("your study group"), "{text}");
    assert!(
        text.contains(&format!("**#1** <@{}> · 30 min", ALICE.id)),
        "{text}"
    );
    assert!(text.contains("You are #2 of 2 · 20 min"), "{text}");
    assert!(!text.contains(&format!("<@{}>", RUTH.id)), "{text}");
    let groups = h
        .send(
            slash("leaderboard")
                .int("metric", 1)
                .int("scope", 2)
                .by(BOB),
        )
        .await;
    let text = groups.text();
    assert!(
        text.contains("**#1** **Larks** · 1 h") && text.contains("**#2** **Owls** · 50 min"),
        "{text}"
    );
    assert!(text.contains("Your group is #2 of 2"), "{text}");
    // By group streak: both groups studied today in full, so they share the first place.
    let streaks = h.send(slash("leaderboard").int("scope", 2).by(BOB)).await;
    let text = streaks.text();
    assert!(
        text.contains("**#1** **Larks** · 1 day") && text.contains("**#1** **Owls** · 1 day"),
        "{text}"
    );
    // The page buttons keep the scope; a tampered or foreign scope is refused.
    assert!(
        mine.custom_ids().iter().all(|id| id.contains(":g")),
        "{:?}",
        mine.custom_ids()
    );
    for (id, expected) in [
        ("wp:board:time:week:0:g999", "no longer exists here"),
        ("wp:board:time:week:0:gx", "isn't one I recognise"),
        ("wp:board:time:week:0:everyone", "isn't one I recognise"),
    ] {
        let reply = h
            .send(crate::support::button(id, mine.as_message()).by(BOB))
            .await;
        reply.assert_private_message(expected);
    }
    // Somebody in no group asking for "my group".
    let reply = h.send(slash("leaderboard").int("scope", 1).by(MONA)).await;
    reply.assert_private_message("You are in no group");
    h.stop_bot().await;
}
