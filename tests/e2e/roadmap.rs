//! Start-up, `/roadmap` and `/phase`.

use crate::support::{button, select, slash, Harness, ALICE};

#[tokio::test]
async fn starts_and_registers_every_command_with_descriptions() {
    let mut h = Harness::start().await;
    let commands = h.fake.registered_commands();
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    for expected in ["roadmap", "phase", "topic", "next", "progress", "help"] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let phase = commands.iter().find(|c| c["name"] == "phase").unwrap();
    let subs: Vec<&str> = phase["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        subs,
        [
            "fundamentals",
            "backend-basics",
            "databases",
            "auth-security",
            "testing-devops",
            "advanced"
        ]
    );
    // Every command, subcommand and option says what it does (poise would fill in a placeholder).
    fn check_descriptions(path: &str, command: &serde_json::Value) {
        let description = command["description"].as_str().unwrap_or_default();
        assert!(
            !description.is_empty() && !description.starts_with("A slash command"),
            "{path} has no real description: {description:?}"
        );
        for option in command["options"].as_array().into_iter().flatten() {
            let name = option["name"].as_str().unwrap_or_default();
            check_descriptions(&format!("{path} {name}"), option);
        }
    }
    for command in &commands {
        check_descriptions(command["name"].as_str().unwrap_or_default(), command);
    }
    h.stop_bot().await;
}

#[tokio::test]
async fn roadmap_lists_the_phases_with_progress() {
    let mut h = Harness::start().await;
    let reply = h.send(slash("roadmap").by(ALICE)).await;
    assert!(reply.is_ephemeral());
    let text = reply.text();
    assert!(
        text.contains("Programming fundamentals ← you are here"),
        "{text}"
    );
    assert!(text.contains("▱▱▱▱▱▱▱▱▱▱ 0/6 topics"), "{text}");

    // Two topics of phase 1 done, one of phase 3 skipped.
    for (topic, button) in [
        ("variables", "Done"),
        ("control-flow", "Done"),
        ("redis", "Skip"),
    ] {
        let card = h.send(slash("topic").str("topic", topic).by(ALICE)).await;
        h.click(&card, button, ALICE).await;
    }
    let text = h.send(slash("roadmap").by(ALICE)).await.text();
    assert!(text.contains("▰▰▰▱▱▱▱▱▱▱ 2/6 topics"), "{text}");
    assert!(text.contains("0/6 topics · 1 skipped"), "{text}");
    assert!(text.contains("2 of 36 topics done"), "{text}");

    // The phase view marks them, in the list and in the menu.
    let phase = h.send(slash("phase").sub("fundamentals").by(ALICE)).await;
    assert!(phase.text().contains("✅ **Variables"), "{}", phase.text());
    assert!(phase.text().contains("⬜ **Functions"), "{}", phase.text());
    assert!(phase.text().contains("2/6 done"), "{}", phase.text());
    let menu = phase.component("Open a topic…");
    assert_eq!(menu["options"][0]["description"], "Done");
    assert_eq!(menu["options"][2]["description"], "Not started");
    h.stop_bot().await;
}

#[tokio::test]
async fn without_a_guild_id_commands_are_registered_globally_and_shards_asked() {
    let mut h = Harness::new().await;
    h.env_changes.insert("WAYPOINT_GUILD_ID".into(), None);
    h.start_bot().await;
    let calls = h.fake.calls();
    assert!(
        calls.iter().any(|c| c.is("GET", "/api/v10/gateway/bot")),
        "the shard count comes from GET /gateway/bot"
    );
    let registration = calls.iter().find(|c| c.method == "PUT").unwrap();
    assert_eq!(
        registration.path,
        format!(
            "/api/v10/applications/{}/commands",
            crate::support::fake::APP_ID
        )
    );
    let reply = h.send(slash("roadmap").by(ALICE)).await;
    assert!(reply.text().contains("Programming fundamentals"));
    h.stop_bot().await;
}

#[tokio::test]
async fn an_edited_roadmap_gives_matching_commands_and_refuses_stale_ids() {
    let mut h = Harness::new().await;
    let shipped = std::fs::read_to_string(crate::support::shipped_roadmap_path()).unwrap();
    let edited = shipped
        .replace("slug = \"advanced\"", "slug = \"capstone\"")
        .replace("title = \"Advanced topics\"", "title = \"Capstone\"")
        .replace("slug = \"graphql\"", "slug = \"graphql-apis\"");
    assert_ne!(edited, shipped);
    h.use_roadmap(&edited);
    h.start_bot().await;

    let phase = h
        .fake
        .registered_commands()
        .into_iter()
        .find(|c| c["name"] == "phase")
        .unwrap();
    let subs: Vec<String> = phase["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(subs.last().map(String::as_str), Some("capstone"));
    assert!(!subs.contains(&"advanced".to_owned()));
    let capstone = h.send(slash("phase").sub("capstone").by(ALICE)).await;
    assert!(capstone.text().contains("Capstone"), "{}", capstone.text());

    // Menus and buttons from before the edit are refused clearly, and change nothing.
    let stale = h
        .send(select("wp:phase:advanced", &["graphql"], capstone.as_message()).by(ALICE))
        .await;
    assert!(stale.is_ephemeral());
    assert!(
        stale
            .content()
            .contains("phase is no longer in the roadmap"),
        "{}",
        stale.content()
    );
    let stale = h
        .send(button("wp:topic:graphql:done", capstone.as_message()).by(ALICE))
        .await;
    assert!(
        stale.content().contains("no longer in the roadmap"),
        "{}",
        stale.content()
    );
    assert_eq!(h.count("topic_progress").await, 0);
    h.stop_bot().await;
}
