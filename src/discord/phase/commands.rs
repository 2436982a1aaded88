//! `/roadmap`, and `/phase` with one subcommand per roadmap phase.

use poise::CreateReply;

use super::views::{phase_view, roadmap_embed};
use crate::discord::answer::reply;
use crate::discord::render::{truncate, COMMAND_DESCRIPTION_MAX};
use crate::discord::{caller, Command, Context};
use crate::error::{Error, Result};
use crate::roadmap::Roadmap;

/// See the six phases of the roadmap and how far you are in each
#[poise::command(slash_command, guild_only)]
pub(super) async fn roadmap(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let progress = data.progress.member_progress(member).await?;
    reply(
        ctx,
        CreateReply::default()
            .embed(roadmap_embed(&data.roadmap, &progress))
            .ephemeral(true),
    )
    .await
}

/// Open one phase of the roadmap: its goal, weeks, milestone and topics
#[poise::command(slash_command, guild_only)]
async fn phase(ctx: Context<'_>) -> Result<()> {
    // Discord only sends the group itself when its copy of the command is out of date (or the
    // payload was made by hand): say which subcommands there are rather than stay silent.
    let names = crate::discord::errors::subcommand_list(ctx.command());
    Err(Error::user(format!("Pick a phase: {names}.")))
}

// The template for each generated `/phase <slug>` subcommand: it finds its phase by the name it
// was invoked under. Its description is replaced per phase.
/// Open this phase
#[poise::command(slash_command, guild_only)]
async fn show_phase(ctx: Context<'_>) -> Result<()> {
    let slug = ctx.command().name.clone();
    let data = ctx.data();
    let phase = data.roadmap.phase(&slug).ok_or_else(|| {
        Error::user(
            "That phase is no longer in the roadmap. Run `/roadmap` to see the current phases.",
        )
    })?;
    let member = caller(ctx)?.member()?;
    let progress = data.progress.member_progress(member).await?;
    let (embed, rows) = phase_view(phase, &progress);
    reply(
        ctx,
        CreateReply::default()
            .embed(embed)
            .components(rows)
            .ephemeral(true),
    )
    .await
}

/// `/phase` with one subcommand per roadmap phase, so an edited roadmap file gives matching
/// commands at the next start.
pub(super) fn phase_command(roadmap: &Roadmap) -> Command {
    let mut group = phase();
    group.subcommand_required = true;
    group.subcommands = roadmap
        .phases()
        .iter()
        .map(|p| {
            let mut cmd = show_phase();
            cmd.name = p.slug.clone().into();
            cmd.qualified_name = format!("phase {}", p.slug).into();
            cmd.identifying_name = format!("phase_{}", p.slug).into();
            cmd.description = Some(
                truncate(
                    &format!(
                        "Phase {}: {} (weeks {}–{})",
                        p.number, p.title, p.weeks[0], p.weeks[1]
                    ),
                    COMMAND_DESCRIPTION_MAX,
                )
                .into(),
            );
            cmd
        })
        .collect();
    group
}
