//! The topic card: explanation, resources, the member's status and the status buttons.

use poise::serenity_prelude as serenity;

use super::components::StatusButton;
use crate::discord::render::{
    truncate, COLOUR, COLOUR_DONE, EMBED_FIELD_VALUE_MAX, EMBED_TITLE_MAX,
};
use crate::progress::TopicStatus;
use crate::roadmap::TopicRef;

/// The topic card and its status buttons, shared by `/topic`, `/next` and the components.
pub(crate) fn topic_view(
    t: TopicRef<'_>,
    status: TopicStatus,
) -> (serenity::CreateEmbed, Vec<serenity::CreateActionRow>) {
    let resources: Vec<String> = t
        .topic
        .resources
        .iter()
        .map(|r| format!("• [{}]({})", r.title.replace(['[', ']'], ""), r.url))
        .collect();
    let embed = serenity::CreateEmbed::new()
        .title(truncate(&t.topic.title, EMBED_TITLE_MAX))
        .description(&t.topic.explanation)
        .field(
            "Read",
            truncate(&resources.join("\n"), EMBED_FIELD_VALUE_MAX),
            false,
        )
        .field(
            "Your status",
            format!("{} {}", status.emoji(), status.label()),
            true,
        )
        .field("Estimated time", format!("~{} h", t.topic.hours), true)
        .field(
            "Phase",
            format!(
                "{}. {} · `/phase {}`",
                t.phase.number, t.phase.title, t.phase.slug
            ),
            true,
        )
        .colour(if status == TopicStatus::Done {
            COLOUR_DONE
        } else {
            COLOUR
        });
    let button = |target: TopicStatus, label: &str, style: serenity::ButtonStyle| {
        serenity::CreateButton::new(
            StatusButton {
                topic: t.topic.slug.clone(),
                status: target,
            }
            .encode(),
        )
        .label(label)
        .style(style)
        // The current status is shown as a pressed-in (disabled) button.
        .disabled(status == target)
    };
    let row = serenity::CreateActionRow::Buttons(vec![
        button(TopicStatus::Done, "Done", serenity::ButtonStyle::Success),
        button(
            TopicStatus::InProgress,
            "In progress",
            serenity::ButtonStyle::Primary,
        ),
        button(
            TopicStatus::Skipped,
            "Skip",
            serenity::ButtonStyle::Secondary,
        ),
        button(
            TopicStatus::NotStarted,
            "Reset",
            serenity::ButtonStyle::Danger,
        ),
    ]);
    (embed, vec![row])
}
