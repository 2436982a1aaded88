//! `/progress`, `/next`, `/phase`, and progress surviving a restart.

use crate::support::harness::MESSAGE;
use crate::support::payloads::HELPER_BOT;
use crate::support::{select, slash, Harness, ALICE, BOB};

#[tokio::test]
async fn every_phase_command_shows_its_topics_and_opens_them_from_the_menu() {
    let mut h = Harness::start().await;
    for (slug, title) in [
        ("fundamentals", "Programming fundamentals"),
        ("backend-basics", "Backend basics"),
        ("databases", "Databases"),
        ("auth-security", "Authentication & security"),
        ("testing-devops", "Testing & DevOps"),
        ("advanced", "Advanced topics"),
    ] {
        let reply = h.send(slash("phase").sub(slug).by(ALICE)).await;
        assert_eq!(reply.kind(), MESSAGE, "{slug}");
        assert!(reply.is_ephemeral(), "{slug}");
        let text = reply.text();
        assert!(text.contains(title), "{slug}: {text}");
        assert!(text.contains("Milestone"), "{slug}: {text}");
        let menu = reply.component("Open a topic…");
        assert_eq!(menu["custom_id"], format!("wp:phase:{slug}"));
        assert_eq!(menu["options"].as_array().unwrap().len(), 6, "{slug}");
    }

    let phase = h.send(slash("phase").sub("databases").by(ALICE)).await;
    let opened = h
        .send(select("wp:phase:databases", &["redis"], phase.as_message()).by(ALICE))
        .await;
    assert_eq!(opened.kind(), MESSAGE);
    assert!(opened.is_ephemeral());
    assert!(opened.text().contains("Redis"), "{}", opened.text());
    assert!(opened
        .custom_ids()
        .contains(&"wp:topic:redis:done".to_owned()));
    h.stop_bot().await;
}

#[tokio::test]
async fn next_moves_past_done_and_skipped_topics() {
    let mut h = Harness::start().await;
    let next = h.send(slash("next").by(ALICE)).await;
    let first = next.embeds()[0]["title"].as_str().unwrap().to_owned();
    assert!(first.starts_with("Variables"), "{first}");

    h.click(&next, "Done", ALICE).await;
    let next = h.send(slash("next").by(ALICE)).await;
    assert!(next.embeds()[0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Control flow"));

    h.click(&next, "Skip", ALICE).await;
    let next = h.send(slash("next").by(ALICE)).await;
    assert!(next.embeds()[0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Functions"));

    let progress = h.send(slash("progress").by(ALICE)).await;
    let text = progress.text();
    assert!(text.contains("Current phase"), "{text}");
    assert!(text.contains("Functions"), "{text}");
    h.stop_bot().await;
}

#[tokio::test]
async fn progress_of_another_member_and_refusing_bots() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "docker").by(BOB)).await;
    h.click(&card, "Done", BOB).await;

    let reply = h
        .send(slash("progress").user("member", &BOB).by(ALICE))
        .await;
    assert!(
        reply.text().contains("Bobby's roadmap progress"),
        "{}",
        reply.text()
    );
    assert!(
        reply.text().contains("1 of 36 topics done"),
        "{}",
        reply.text()
    );

    // Their own view uses their nickname too; Alice has none, so her display name.
    let own = h.send(slash("progress").by(BOB)).await;
    assert!(
        own.text().contains("Bobby's roadmap progress"),
        "{}",
        own.text()
    );
    let alices = h.send(slash("progress").by(ALICE)).await;
    assert!(
        alices.text().contains("alice's roadmap progress"),
        "{}",
        alices.text()
    );

    let reply = h
        .send(slash("progress").user("member", &HELPER_BOT).by(ALICE))
        .await;
    reply.assert_private_message("Bots don't study");
    h.stop_bot().await;
}

#[tokio::test]
async fn progress_survives_a_restart() {
    let mut h = Harness::start().await;
    let card = h.send(slash("topic").str("topic", "http").by(ALICE)).await;
    h.click(&card, "Done", ALICE).await;

    h.restart().await;
    h.fake.wait_for_identify(2).await;
    assert_eq!(
        h.fake.identify_count(),
        2,
        "the restarted bot opened a new session"
    );
    let progress = h.send(slash("progress").by(ALICE)).await;
    assert!(
        progress.text().contains("1 of 36 topics done"),
        "{}",
        progress.text()
    );
    let fresh = h.send(slash("topic").str("topic", "http").by(ALICE)).await;
    assert!(fresh.text().contains("✅ Done"), "{}", fresh.text());

    // A button on the card from before the restart still works: ids carry all that is needed.
    let reply = h.click(&card, "In progress", ALICE).await;
    assert!(reply.text().contains("🟨 In progress"), "{}", reply.text());
    h.stop_bot().await;
}

#[tokio::test]
async fn going_through_every_topic_with_skips_is_not_called_finished() {
    let mut h = Harness::start().await;
    let roadmap = crate::support::shipped_roadmap();
    for (i, t) in roadmap.topics().enumerate() {
        let card = h
            .send(slash("topic").str("topic", &t.topic.slug).by(ALICE))
            .await;
        h.click(&card, if i == 0 { "Done" } else { "Skip" }, ALICE)
            .await;
    }
    let next = h.send(slash("next").by(ALICE)).await;
    assert!(next.embeds().is_empty());
    assert!(
        next.content().contains("1 done, 35 skipped"),
        "{}",
        next.content()
    );
    let roadmap_view = h.send(slash("roadmap").by(ALICE)).await.text();
    assert!(!roadmap_view.contains("you are here"), "{roadmap_view}");
    assert!(
        roadmap_view.contains("1. Programming fundamentals ☑️"),
        "{roadmap_view}"
    );
    let progress = h.send(slash("progress").by(ALICE)).await.text();
    assert!(progress.contains("Finished"), "{progress}");
    assert!(progress.contains("35 skipped"), "{progress}");
    h.stop_bot().await;
}
