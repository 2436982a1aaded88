//! `/progress [member]`.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::views::finished_text;
use crate::discord::answer::reply;
use crate::discord::render::{phase_badge, progress_bar, truncate, COLOUR, EMBED_TITLE_MAX};
use crate::discord::{named_member, Context};
use crate::error::Result;

/// See your progress through the roadmap, or another member's
#[poise::command(slash_command, guild_only)]
pub(super) async fn progress(
    ctx: Context<'_>,
    #[description = "Whose progress to show (you, if left empty)"] member: Option<serenity::User>,
) -> Result<()> {
    let (who, user) = named_member(
        ctx,
        member.as_ref(),
        "Bots don't study the roadmap (yet). Pick a member instead.",
        "progress",
    )?;
    let data = ctx.data();
    let progress = data.progress.member_progress(who).await?;
    let roadmap = &data.roadmap;
    let yours = user.id == ctx.author().id;
    let name = server_name(ctx, user);

    let lines: Vec<String> = progress
        .phases(roadmap)
        .iter()
        .map(|p| {
            format!(
                "{} **{}. {}**\n{} {}/{} · {}%{}",
                phase_badge(p),
                p.phase.number,
                p.phase.title,
                progress_bar(p.done, p.total),
                p.done,
                p.total,
                p.percent_done(),
                if p.in_progress > 0 {
                    format!(" · {} in progress", p.in_progress)
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let mut embed = serenity::CreateEmbed::new()
        .title(truncate(
            &format!("{name}'s roadmap progress"),
            EMBED_TITLE_MAX,
        ))
        .description(lines.join("\n"))
        .colour(COLOUR)
        .footer(serenity::CreateEmbedFooter::new(format!(
            "{} of {} topics done",
            progress.total_done(roadmap),
            roadmap.topic_count()
        )));
    match progress.next_topic(roadmap) {
        Some(next) => {
            embed = embed
                .field(
                    "Current phase",
                    format!(
                        "{}. {} · `/phase {}`",
                        next.phase.number, next.phase.title, next.phase.slug
                    ),
                    true,
                )
                .field(
                    "Next topic",
                    format!(
                        "{}{}",
                        next.topic.title,
                        if yours { " · `/next`" } else { "" }
                    ),
                    true,
                );
        }
        None => embed = embed.field("Finished", finished_text(&progress, roadmap), false),
    }
    reply(ctx, CreateReply::default().embed(embed).ephemeral(true)).await
}

/// The name the server knows the member by: their nickname there, else their display name.
fn server_name(ctx: Context<'_>, user: &serenity::User) -> String {
    let nick = match ctx {
        poise::Context::Application(actx) => {
            let resolved = actx.interaction.data.resolved.members.get(&user.id);
            let caller = actx
                .interaction
                .member
                .as_deref()
                .filter(|m| m.user.id == user.id);
            resolved
                .and_then(|m| m.nick.clone())
                .or_else(|| caller.and_then(|m| m.nick.clone()))
        }
        poise::Context::Prefix(_) => None,
    };
    nick.unwrap_or_else(|| user.display_name().to_owned())
}
