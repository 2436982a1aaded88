//! `/leaderboard`: metrics and periods, shared ranks, the caller's place, and page buttons.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::support::harness::UPDATE_MESSAGE;
use crate::support::payloads::{Actor, MEMBER_PERMISSIONS, MONA};
use crate::support::{button, slash, Harness, ALICE, BOB};

// Discord sends a choice as the index of the option poise registered.
const TIME: i64 = 1;
const TOPICS: i64 = 2;
const WEEK: i64 = 0;
const MONTH: i64 = 1;
const ALL_TIME: i64 = 2;

fn member(n: u64) -> Actor {
    Actor {
        id: 1_450_000_000_000_000_000 + n,
        name: "member",
        permissions: MEMBER_PERMISSIONS,
        bot: false,
        nick: None,
        roles: &[],
    }
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn check_in(h: &Harness, actor: Actor, minutes: i64) {
    h.send(slash("checkin").int("minutes", minutes).by(actor))
        .await
        .assert_private_message("Recorded");
}

#[tokio::test]
async fn study_time_ranks_ties_together_and_shows_the_callers_place() {
    let mut h = Harness::start().await;
    check_in(&h, member(1), 50).await;
    check_in(&h, member(2), 40).await;
    check_in(&h, member(3), 40).await;
    check_in(&h, ALICE, 30).await;
    check_in(&h, ALICE, 5).await;
    let board = h
        .send(
            slash("leaderboard")
                .int("metric", TIME)
                .int("period", WEEK)
                .by(ALICE),
        )
        .await;
    assert!(board.is_ephemeral());
    let text = board.text();
    let expected = [
        format!("🥇 **#1** <@{}> · 50 min", member(1).id),
        format!("🥈 **#2** <@{}> · 40 min", member(2).id),
        format!("🥈 **#2** <@{}> · 40 min", member(3).id),
        format!("▫️ **#4** <@{}> · 35 min", ALICE.id),
    ];
    assert!(text.contains(&expected.join("\n")), "{text}");
    assert!(text.contains("You are #4 of 4 · 35 min"), "{text}");
    assert!(text.contains("Study time · this week"), "{text}");
    assert!(board.pings_nobody(), "{:#}", board.body);
    // Bob is on no board yet.
    let bobs = h
        .send(slash("leaderboard").int("metric", TIME).by(BOB))
        .await;
    assert!(
        bobs.text().contains("You are not on this board yet"),
        "{}",
        bobs.text()
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn pages_of_ten_with_buttons_and_refused_page_ids() {
    let mut h = Harness::start().await;
    for n in 1..=12 {
        check_in(&h, member(n), n as i64).await;
    }
    let first = h
        .send(slash("leaderboard").int("metric", TIME).by(member(1)))
        .await;
    assert!(first.text().contains("Page 1 of 2"), "{}", first.text());
    assert_eq!(first.component("◀ Previous")["disabled"], json!(true));
    assert_eq!(first.component("Next ▶")["disabled"], json!(false));
    assert!(
        first.text().contains("You are #12 of 12 · 1 min"),
        "{}",
        first.text()
    );
    let second = h.click(&first, "Next ▶", member(1)).await;
    assert_eq!(second.kind(), UPDATE_MESSAGE);
    assert!(second.text().contains("Page 2 of 2"), "{}", second.text());
    assert!(
        second
            .text()
            .contains(&format!("**#12** <@{}> · 1 min", member(1).id)),
        "{}",
        second.text()
    );
    assert_eq!(second.component("Next ▶")["disabled"], json!(true));
    let back = h.click(&second, "◀ Previous", member(1)).await;
    assert!(back.text().contains("Page 1 of 2"), "{}", back.text());

    // A page that no longer exists, and ids that were tampered with.
    let reply = h
        .send(button("wp:board:time:week:7", first.as_message()).by(member(1)))
        .await;
    reply.assert_private_message("That page no longer exists");
    for id in [
        "wp:board:xp:week:0",
        "wp:board:time:year:0",
        "wp:board:time:week:-1",
        "wp:board:time:week:+1",
        "wp:board:time:week",
    ] {
        let reply = h.send(button(id, first.as_message()).by(member(1))).await;
        reply.assert_private_message("isn't one I recognise");
    }
    h.stop_bot().await;
}

#[tokio::test]
async fn streaks_rank_only_while_alive_and_topics_count_when_done() {
    let mut h = Harness::start().await;
    h.clock.set(instant("2026-11-26T12:00:00Z"));
    check_in(&h, ALICE, 10).await;
    check_in(&h, BOB, 10).await;
    h.clock.advance(Duration::days(1));
    check_in(&h, ALICE, 10).await;
    let board = h.send(slash("leaderboard").by(ALICE)).await;
    let text = board.text();
    assert!(
        text.contains(&format!("**#1** <@{}> · 2 days", ALICE.id)),
        "{text}"
    );
    assert!(
        text.contains(&format!("**#2** <@{}> · 1 day", BOB.id)),
        "{text}"
    );
    // Two days later Bob's streak has ended (no freeze): he is off the board.
    h.clock.advance(Duration::days(1));
    check_in(&h, ALICE, 10).await;
    h.clock.advance(Duration::hours(1));
    let board = h.send(slash("leaderboard").by(BOB)).await;
    assert!(
        !board.text().contains(&format!("<@{}>", BOB.id)),
        "{}",
        board.text()
    );
    assert!(
        board.text().contains("You are not on this board yet"),
        "{}",
        board.text()
    );

    // Topics done: Bob finishes two, Alice one.
    for (actor, topic) in [(BOB, "redis"), (BOB, "variables"), (ALICE, "redis")] {
        let card = h.send(slash("topic").str("topic", topic).by(actor)).await;
        h.click(&card, "Done", actor).await;
    }
    let topics = h
        .send(
            slash("leaderboard")
                .int("metric", TOPICS)
                .int("period", ALL_TIME)
                .by(ALICE),
        )
        .await;
    let text = topics.text();
    assert!(
        text.contains(&format!("**#1** <@{}> · 2 topics", BOB.id)),
        "{text}"
    );
    assert!(text.contains("You are #2 of 2 · 1 topic"), "{text}");
    // Undoing a topic takes it off again.
    let card = h.send(slash("topic").str("topic", "redis").by(BOB)).await;
    h.click(&card, "Reset", BOB).await;
    let topics = h
        .send(
            slash("leaderboard")
                .int("metric", TOPICS)
                .int("period", ALL_TIME)
                .by(BOB),
        )
        .await;
    assert!(
        topics.text().contains("You are #1 of 2 · 1 topic"),
        "{}",
        topics.text()
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn the_week_starts_on_monday_at_the_servers_midnight() {
    let mut h = Harness::start().await;
    h.send(
        slash("settings")
            .sub("set")
            .str("timezone", "Asia/Tokyo")
            .by(MONA),
    )
    .await
    .assert_private_message("Asia/Tokyo");
    // Sunday 29 November 2026, 23:30 in Tokyo: last week.
    h.clock.set(instant("2026-11-29T14:30:00Z"));
    check_in(&h, ALICE, 60).await;
    // Monday 30 November, 00:30 in Tokyo: this week.
    h.clock.set(instant("2026-11-29T15:30:00Z"));
    check_in(&h, BOB, 20).await;
    let week = h
        .send(
            slash("leaderboard")
                .int("metric", TIME)
                .int("period", WEEK)
                .by(ALICE),
        )
        .await;
    assert!(
        !week.text().contains(&format!("<@{}>", ALICE.id)),
        "{}",
        week.text()
    );
    assert!(
        week.text()
            .contains(&format!("**#1** <@{}> · 20 min", BOB.id)),
        "{}",
        week.text()
    );
    let month = h
        .send(
            slash("leaderboard")
                .int("metric", TIME)
                .int("period", MONTH)
                .by(ALICE),
        )
        .await;
    assert!(
        month.text().contains("You are #1 of 2 · 1 h"),
        "{}",
        month.text()
    );
    h.stop_bot().await;
}
