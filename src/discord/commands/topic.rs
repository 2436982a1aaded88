//! `/topic` and `/next`: one topic with its explanation, resources and the caller's status,
//! with buttons that change the status.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use crate::discord::render::{
    truncate, COLOUR, COLOUR_DONE, EMBED_FIELD_VALUE_MAX, EMBED_TITLE_MAX,
};
use crate::discord::{caller, respond, Context, CustomId};
use crate::error::Result;
use crate::progress::TopicStatus;
use crate::roadmap::{search_topics, TopicRef};

async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let choices = search_topics(&ctx.data().roadmap, partial)
        .into_iter()
        .map(|t| {
            let labelled = format!("{} · Phase {}", t.topic.title, t.phase.number);
            let name = if labelled.chars().count() <= 100 {
                labelled
            } else {
                t.topic.title.clone()
            };
            serenity::AutocompleteChoice::new(name, t.topic.slug.clone())
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Look up a roadmap topic: what it is, where to read about it, and your status
#[poise::command(slash_command, guild_only)]
pub async fn topic(
    ctx: Context<'_>,
    #[description = "Start typing a topic name, then pick it from the list"]
    #[autocomplete = "autocomplete_topic"]
    #[max_length = 100]
    topic: String,
) -> Result<()> {
    let member = caller(ctx)?;
    let data = ctx.data();
    let found = data.progress.find_topic(&topic)?;
    let status = data
        .progress
        .member_progress(member)
        .await?
        .status(&found.topic.slug);
    let (embed, rows) = topic_view(found, status);
    respond(
        ctx,
        CreateReply::default()
            .embed(embed)
            .components(rows)
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Show the next topic to study: the first one you have not finished or skipped
#[poise::command(slash_command, guild_only)]
pub async fn next(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?;
    let data = ctx.data();
    let progress = data.progress.member_progress(member).await?;
    let reply = match progress.next_topic(&data.roadmap) {
        Some(next) => {
            let (embed, rows) = topic_view(next, progress.status(&next.topic.slug));
            CreateReply::default()
                .content("Here is what's next for you:")
                .embed(embed)
                .components(rows)
        }
        None => {
            CreateReply::default().content(super::progress::finished_text(&progress, &data.roadmap))
        }
    };
    respond(ctx, reply.ephemeral(true)).await?;
    Ok(())
}

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
            CustomId::TopicStatus {
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
