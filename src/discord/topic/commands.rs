//! `/topic <topic>` and `/next`.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::views::topic_view;
use crate::discord::answer::reply;
use crate::discord::progress::finished_text;
use crate::discord::{caller, Context};
use crate::error::Result;

/// Poise calls this only if the gate did not answer the request itself (it always does);
/// it exists so the option is registered with autocomplete. Every command that takes a topic
/// names it.
pub(crate) async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new()
        .set_choices(super::suggest_topics(ctx.data(), partial))
}

/// Look up a roadmap topic: what it is, where to read about it, and your status
#[poise::command(slash_command, guild_only)]
pub(super) async fn topic(
    ctx: Context<'_>,
    #[description = "Start typing a topic name, then pick it from the list"]
    #[autocomplete = "autocomplete_topic"]
    #[max_length = 100]
    topic: String,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let found = data
        .progress
        .find_topic(&topic)
        .map_err(super::no_such_topic)?;
    let status = data
        .progress
        .member_progress(member)
        .await?
        .status(&found.topic.slug);
    let (embed, rows) = topic_view(found, status);
    reply(
        ctx,
        CreateReply::default()
            .embed(embed)
            .components(rows)
            .ephemeral(true),
    )
    .await
}

/// Show the next topic to study: the first one you have not finished or skipped
#[poise::command(slash_command, guild_only)]
pub(super) async fn next(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let progress = data.progress.member_progress(member).await?;
    let answer = match progress.next_topic(&data.roadmap) {
        Some(next) => {
            let (embed, rows) = topic_view(next, progress.status(&next.topic.slug));
            CreateReply::default()
                .content("Here is what's next for you:")
                .embed(embed)
                .components(rows)
        }
        None => CreateReply::default().content(finished_text(&progress, &data.roadmap)),
    };
    reply(ctx, answer.ephemeral(true)).await
}
