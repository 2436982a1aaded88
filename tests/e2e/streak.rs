//! `/checkin` and `/streak` with the bot's clock moving across days, midnights and DST.

use chrono::{DateTime, Duration, Utc};

use crate::support::{button, slash, Harness, ALICE, BOB, CAROL};

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn zone(h: &Harness, actor: crate::support::payloads::Actor, zone: &str) {
    h.send(slash("timezone").sub("set").str("zone", zone).by(actor))
        .await
        .assert_private_message("Your time zone is now");
}

async fn rows(h: &Harness, table: &str) -> i64 {
    h.count(table).await
}

#[tokio::test]
async fn a_streak_grows_day_by_day_and_a_freeze_covers_a_missed_day() {
    let mut h = Harness::start().await;
    h.clock.set(instant("2026-11-26T12:00:00Z"));
    zone(&h, ALICE, "Asia/Kolkata").await;
    let first = h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    first.assert_private_message("Recorded 30 min for **Thursday 26 November** (today)");
    assert!(
        first.content().contains("Streak: 🔥 **1**"),
        "{}",
        first.content()
    );
    // The day ends at midnight in Kolkata: 18:30 UTC.
    let end = instant("2026-11-26T18:30:00Z").timestamp();
    assert!(
        first
            .content()
            .contains(&format!("Your day ends <t:{end}:t>")),
        "{}",
        first.content()
    );

    // Six more days, one check-in each: a week earns a freeze.
    for day in 1..7 {
        h.clock.advance(Duration::days(1));
        let reply = h
            .send(
                slash("checkin")
                    .int("minutes", 20)
                    .str("topic", "redis")
                    .by(ALICE),
            )
            .await;
        assert!(
            reply
                .content()
                .contains(&format!("Streak: 🔥 **{}**", day + 1)),
            "{}",
            reply.content()
        );
    }
    let shown = h.send(slash("streak").by(ALICE)).await;
    let text = shown.text();
    assert!(
        text.contains("🔥 7 days") && text.contains("❄️ 1 of 2"),
        "{text}"
    );
    assert!(text.contains("Asia/Kolkata"), "{text}");

    // A day without study, then study again: the freeze covered it; the streak did not grow.
    h.clock.advance(Duration::days(1));
    let missed = h.send(slash("streak").by(ALICE)).await;
    assert!(missed.text().contains("⏳ not yet"), "{}", missed.text());
    h.clock.advance(Duration::days(1));
    let frozen = h.send(slash("streak").by(ALICE)).await;
    assert!(frozen.text().contains("❄️ frozen"), "{}", frozen.text());
    assert!(frozen.text().contains("🔥 7 days"), "{}", frozen.text());
    let back = h.send(slash("checkin").int("minutes", 15).by(ALICE)).await;
    assert!(
        back.content().contains("Streak: 🔥 **8**") && back.content().contains("❄️ 0 freezes"),
        "{}",
        back.content()
    );

    // Two days without study and no freeze left: the streak is over, the record stays.
    h.clock.advance(Duration::days(2));
    let over = h.send(slash("streak").by(ALICE)).await;
    assert!(
        over.text().contains("🔥 0 days") && over.text().contains("🏆 8 days"),
        "{}",
        over.text()
    );
    assert_eq!(rows(&h, "checkin").await, 8);
    h.stop_bot().await;
}

#[tokio::test]
async fn a_members_midnight_starts_a_new_day_and_late_check_ins_fill_yesterday() {
    let mut h = Harness::start().await;
    zone(&h, ALICE, "Asia/Kolkata").await;
    // 23:59 in Kolkata, then 00:01: two study days, a minute apart.
    h.clock.set(instant("2026-11-26T18:29:00Z"));
    h.send(slash("checkin").int("minutes", 10).by(ALICE)).await;
    h.clock.set(instant("2026-11-26T18:31:00Z"));
    let after = h.send(slash("checkin").int("minutes", 10).by(ALICE)).await;
    after.assert_private_message("for **Friday 27 November** (today)");
    assert!(
        after.content().contains("Streak: 🔥 **2**"),
        "{}",
        after.content()
    );

    // Bob (UTC) forgot yesterday: at 01:00 he can still record it; at 03:00 no longer.
    h.clock.set(instant("2026-11-28T01:00:00Z"));
    let late = h
        .send(
            slash("checkin")
                .int("minutes", 25)
                .bool("late", true)
                .by(BOB),
        )
        .await;
    late.assert_private_message("for **Friday 27 November** (yesterday)");
    h.clock.set(instant("2026-11-28T03:00:00Z"));
    let too_late = h
        .send(
            slash("checkin")
                .int("minutes", 25)
                .bool("late", true)
                .by(BOB),
        )
        .await;
    too_late.assert_private_message("counts for yesterday only until 3:00 your time");
    let bobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checkin WHERE user_id = ?")
        .bind(BOB.id as i64)
        .fetch_one(&h.db().await)
        .await
        .unwrap();
    assert_eq!(bobs, 1, "the refused one wrote nothing");
    h.stop_bot().await;
}

#[tokio::test]
async fn a_streak_survives_the_23_hour_day_of_a_dst_change() {
    let mut h = Harness::start().await;
    zone(&h, ALICE, "Europe/Berlin").await;
    // 22:30 in Berlin on the 27th (CET), 28th (CET) and 29th of March 2027 (CEST, after the
    // clocks went forward on the night of the 28th).
    for at in [
        "2027-03-27T21:30:00Z",
        "2027-03-28T21:30:00Z",
        "2027-03-29T20:30:00Z",
    ] {
        h.clock.set(instant(at));
        h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    }
    let shown = h.send(slash("streak").by(ALICE)).await;
    assert!(shown.text().contains("🔥 3 days"), "{}", shown.text());
    let days: Vec<(String,)> =
        sqlx::query_as("SELECT study_date FROM study_day ORDER BY study_date")
            .fetch_all(&h.db().await)
            .await
            .unwrap();
    assert_eq!(
        days,
        [
            ("2027-03-27".into(),),
            ("2027-03-28".into(),),
            ("2027-03-29".into(),)
        ]
    );
    h.stop_bot().await;
}

#[tokio::test]
async fn marking_a_topic_done_counts_as_a_study_day_and_repeats_count_once() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "redis").by(ALICE)).await;
    h.click(&card, "Done", ALICE).await;
    let shown = h.send(slash("streak").by(ALICE)).await;
    assert!(
        shown.text().contains("🔥 1 day") && shown.text().contains("✅ studied"),
        "{}",
        shown.text()
    );

    // The same /checkin delivered twice is recorded once.
    let id = h
        .fake
        .send_interaction(slash("checkin").int("minutes", 40).by(ALICE));
    h.fake.answer_to(id).await;
    h.fake.redeliver(id);
    h.send(slash("help").by(ALICE)).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let minutes: i64 = sqlx::query_scalar("SELECT SUM(minutes) FROM study_day")
        .fetch_one(&h.db().await)
        .await
        .unwrap();
    assert_eq!(minutes, 40);
    assert_eq!(
        rows(&h, "checkin").await,
        2,
        "the Done click and one /checkin"
    );
    // A stale Done button replayed as a new interaction changes no count of days.
    h.send(button("wp:topic:redis:done", card.as_message()).by(ALICE))
        .await;
    assert_eq!(rows(&h, "study_day").await, 1);
    h.stop_bot().await;
}

#[tokio::test]
async fn bad_check_ins_are_refused_and_write_nothing() {
    let mut h = Harness::start().await;
    for (attempt, expected) in [
        (slash("checkin").int("minutes", 0), "between 1 and 720"),
        (slash("checkin").int("minutes", 721), "between 1 and 720"),
        (
            slash("checkin").str("note", &"n".repeat(301)),
            "at most 300",
        ),
        (
            slash("checkin").str("topic", "kubernetes"),
            "no topic called `kubernetes`",
        ),
        (
            slash("checkin").bool("late", true),
            "counts for yesterday only until 3:00",
        ),
    ] {
        let reply = h.send(attempt.by(ALICE)).await;
        reply.assert_private_message(expected);
    }
    let reply = h.send(slash("checkin").by(ALICE).in_dm()).await;
    reply.assert_private_message("inside a server");
    assert_eq!(rows(&h, "checkin").await, 0);
    assert_eq!(rows(&h, "study_day").await, 0);
    assert_eq!(rows(&h, "streak").await, 0);
    h.stop_bot().await;
}

#[tokio::test]
async fn another_members_streak_is_visible_and_non_members_and_bots_are_refused() {
    let mut h = Harness::start().await;
    h.send(slash("checkin").int("minutes", 30).by(BOB)).await;
    let bobs = h.send(slash("streak").user("member", &BOB).by(ALICE)).await;
    assert!(
        bobs.text().contains("bob's study streak") || bobs.text().contains("Bobby"),
        "{}",
        bobs.text()
    );
    assert!(bobs.text().contains("🔥 1 day"), "{}", bobs.text());
    let reply = h
        .send(
            slash("streak")
                .user_not_in_server("member", &CAROL)
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("isn't a member of this server");
    let reply = h
        .send(
            slash("streak")
                .user("member", &crate::support::payloads::HELPER_BOT)
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("Bots don't keep study streaks");
    // /help states the rules.
    let help = h.send(slash("help").by(ALICE)).await;
    assert!(help.text().contains("How streaks count"), "{}", help.text());
    h.stop_bot().await;
}

#[tokio::test]
async fn the_streak_comes_with_a_heatmap_of_the_year() {
    use waypoint::streak::heatmap::{cell_origin, first_day, HEIGHT, WIDTH};
    let mut h = Harness::start().await;
    h.clock.set(instant("2026-11-20T12:00:00Z"));
    for minutes in [10, 45, 90, 150] {
        h.send(slash("checkin").int("minutes", minutes).by(ALICE))
            .await;
        h.clock.advance(Duration::days(1));
    }
    let shown = h.send(slash("streak").by(ALICE)).await;
    assert_eq!(
        shown.embeds()[0]["image"]["url"],
        "attachment://heatmap.png"
    );
    let png_bytes = shown.attachment("heatmap.png");
    let decoder = png::Decoder::new(png_bytes.as_slice());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("a whole frame");
    assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
    // The four study days, drawn in the four colour levels; today (no study yet) in none.
    let levels = [
        [0x0e, 0x44, 0x29],
        [0x00, 0x6d, 0x32],
        [0x26, 0xa6, 0x41],
        [0x39, 0xd3, 0x53],
    ];
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let first = first_day(today);
    let colour = |date: chrono::NaiveDate| {
        let (x, y) = cell_origin(first, date);
        let at = (((y + 5) * WIDTH + x + 5) * 3) as usize;
        [pixels[at], pixels[at + 1], pixels[at + 2]]
    };
    for (i, level) in levels.iter().enumerate() {
        assert_eq!(
            colour(today - Duration::days(4 - i as i64)),
            *level,
            "day {i}"
        );
    }
    assert_eq!(colour(today), [0x16, 0x1b, 0x22]);
    assert!(h.fake.refused_calls().is_empty());
    h.stop_bot().await;
}

#[tokio::test]
async fn rest_days_and_a_private_streak_are_the_members_choice() {
    let mut h = Harness::start().await;
    // Friday 27 November 2026.
    h.clock.set(instant("2026-11-27T12:00:00Z"));
    let set = h
        .send(
            slash("preferences")
                .str("rest_days", "Saturday and Sunday")
                .by(ALICE),
        )
        .await;
    set.assert_private_message("rest days: Sat, Sun (from today on)");
    h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    // Monday: the weekend did not break the streak.
    h.clock.set(instant("2026-11-30T12:00:00Z"));
    let monday = h.send(slash("checkin").int("minutes", 30).by(ALICE)).await;
    assert!(
        monday.content().contains("Streak: 🔥 **2**"),
        "{}",
        monday.content()
    );
    let shown = h.send(slash("streak").by(ALICE)).await;
    assert!(shown.text().contains("💤 rest day"), "{}", shown.text());

    // Too many rest days, or a day that is not one: refused, nothing changed.
    let reply = h
        .send(
            slash("preferences")
                .str("rest_days", "mon, tue, wed, thu")
                .by(ALICE),
        )
        .await;
    reply.assert_private_message("At most 3 rest days");
    let reply = h
        .send(slash("preferences").str("rest_days", "caturday").by(ALICE))
        .await;
    reply.assert_private_message("isn't a weekday");
    let suggestions = h
        .send(slash("preferences").typing("rest_days", "sun").by(ALICE))
        .await;
    assert!(suggestions.choices().iter().any(|(_, v)| v == "Sat, Sun"));

    // A private streak: Alice sees hers, Bob does not.
    h.send(slash("preferences").bool("private_streak", true).by(ALICE))
        .await
        .assert_private_message("only you see your streak");
    let bobs_view = h.send(slash("streak").user("member", &ALICE).by(BOB)).await;
    bobs_view.assert_private_message("keeps their streak private");
    assert!(bobs_view.embeds().is_empty());
    let own = h.send(slash("streak").by(ALICE)).await;
    assert!(own.text().contains("🔥 2 days"), "{}", own.text());
    h.stop_bot().await;
}
