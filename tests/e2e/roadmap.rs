//! Start-up, `/roadmap` and `/phase`.

use crate::support::{slash, Harness, ALICE};

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
    assert!(text.contains("Programming fundamentals"), "{text}");
    assert!(text.contains("0/6 topics"), "{text}");
    h.stop_bot().await;
}
