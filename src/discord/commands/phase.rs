//! `/roadmap` and `/phase <slug>`: the curriculum with the caller's progress.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::Command;
use crate::discord::render::{
    phase_badge, progress_bar, truncate, COLOUR, COMMAND_DESCRIPTION_MAX, EMBED_DESCRIPTION_MAX,
    EMBED_TITLE_MAX, SELECT_LABEL_MAX,
};
use crate::discord::{caller, respond, Context, CustomId};
use crate::error::{Error, Result};
use crate::progress::MemberProgress;
use crate::roadmap::{Phase, Roadmap};

/// See the six phases of the roadmap and how far you are in each
#[poise::command(slash_command, guild_only)]
pub async fn roadmap(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?;
    let data = ctx.data();
    let progress = data.progress.member_progress(member).await?;
    respond(
        ctx,
        CreateReply::default()
            .embed(roadmap_embed(&data.roadmap, &progress))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

pub(crate) fn roadmap_embed(roadmap: &Roadmap, progress: &MemberProgress) -> serenity::CreateEmbed {
    let current = progress.current_phase(roadmap).map(|p| p.slug.as_str());
    let total_weeks = roadmap.phases().last().map_or(0, |p| p.weeks[1]);
    let mut embed = serenity::CreateEmbed::new()
        .title("The backend roadmap")
        .description(format!(
            "{} phases over about {total_weeks} weeks. Open one with `/phase <name>`, or jump to `/next`.",
            roadmap.phases().len()
        ))
        .colour(COLOUR);
    for p in progress.phases(roadmap) {
        let marker = if p.is_finished() {
            format!(" {}", phase_badge(&p))
        } else if Some(p.phase.slug.as_str()) == current {
            " ← you are here".to_owned()
        } else {
            String::new()
        };
        embed = embed.field(
            truncate(
                &format!("{}. {}{marker}", p.phase.number, p.phase.title),
                EMBED_TITLE_MAX,
            ),
            format!(
                "Weeks {}–{} · `/phase {}`\n{} {}/{} topics{}",
                p.phase.weeks[0],
                p.phase.weeks[1],
                p.phase.slug,
                progress_bar(p.done, p.total),
                p.done,
                p.total,
                if p.skipped > 0 {
                    format!(" · {} skipped", p.skipped)
                } else {
                    String::new()
                },
            ),
            false,
        );
    }
    embed.footer(serenity::CreateEmbedFooter::new(format!(
        "{} of {} topics done",
        progress.total_done(roadmap),
        roadmap.topic_count()
    )))
}

/// Open one phase of the roadmap: its goal, weeks, milestone and topics
#[poise::command(slash_command, guild_only)]
async fn phase(_ctx: Context<'_>) -> Result<()> {
    // Discord never invokes a group itself, only its subcommands.
    Ok(())
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
    let member = caller(ctx)?;
    let progress = data.progress.member_progress(member).await?;
    let (embed, rows) = phase_view(phase, &progress);
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

/// `/phase` with one subcommand per roadmap phase, so an edited roadmap file gives matching
/// commands at the next start.
pub fn phase_command(roadmap: &Roadmap) -> Command {
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

pub(crate) fn phase_view(
    phase: &Phase,
    progress: &MemberProgress,
) -> (serenity::CreateEmbed, Vec<serenity::CreateActionRow>) {
    let p = progress.phase(phase);
    let topics: Vec<String> = phase
        .topics
        .iter()
        .map(|t| {
            let status = progress.status(&t.slug);
            format!("{} **{}** · ~{} h", status.emoji(), t.title, t.hours)
        })
        .collect();
    let description = format!(
        "{}\n\n{}\n\n{} {}/{} done",
        phase.summary,
        topics.join("\n"),
        progress_bar(p.done, p.total),
        p.done,
        p.total
    );
    let hours: u32 = phase.topics.iter().map(|t| t.hours).sum();
    let embed = serenity::CreateEmbed::new()
        .title(truncate(
            &format!("Phase {} · {}", phase.number, phase.title),
            EMBED_TITLE_MAX,
        ))
        .description(truncate(&description, EMBED_DESCRIPTION_MAX))
        .field(
            "Weeks",
            format!("{}–{}", phase.weeks[0], phase.weeks[1]),
            true,
        )
        .field("Study time", format!("about {hours} h"), true)
        .field("Milestone", truncate(&phase.milestone, 1024), false)
        .colour(COLOUR);
    let options = phase
        .topics
        .iter()
        .map(|t| {
            let status = progress.status(&t.slug);
            serenity::CreateSelectMenuOption::new(
                truncate(&t.title, SELECT_LABEL_MAX),
                t.slug.clone(),
            )
            .description(status.label())
            .emoji(serenity::ReactionType::Unicode(status.emoji().to_owned()))
        })
        .collect();
    let menu = serenity::CreateSelectMenu::new(
        CustomId::PhaseTopics {
            phase: phase.slug.clone(),
        }
        .encode(),
        serenity::CreateSelectMenuKind::String { options },
    )
    .placeholder("Open a topic…");
    (embed, vec![serenity::CreateActionRow::SelectMenu(menu)])
}
