//! `/progress [member]`: progress per phase, the current phase and the next topic.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use crate::discord::render::{phase_badge, progress_bar, truncate, COLOUR, EMBED_TITLE_MAX};
use crate::discord::{member_of, respond, Context};
use crate::error::{Error, Result};
use crate::progress::MemberProgress;
use crate::roadmap::Roadmap;

/// See your progress through the roadmap, or another member's
#[poise::command(slash_command, guild_only)]
pub async fn progress(
    ctx: Context<'_>,
    #[description = "Whose progress to show (you, if left empty)"] member: Option<serenity::User>,
) -> Result<()> {
    let user = member.as_ref().unwrap_or_else(|| ctx.author());
    if user.bot {
        return Err(Error::user(
            "Bots don't study the roadmap (yet). Pick a member instead.",
        ));
    }
    let who = member_of(ctx.guild_id(), user.id)?;
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
    respond(
        ctx,
        CreateReply::default()
            .embed(embed)
            .ephemeral(true)
            .allowed_mentions(serenity::CreateAllowedMentions::new()),
    )
    .await?;
    Ok(())
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

/// What a member who has been through every topic is told: a celebration if all are done,
/// otherwise a count that does not pretend skipped topics were learned.
pub(crate) fn finished_text(progress: &MemberProgress, roadmap: &Roadmap) -> String {
    let done = progress.total_done(roadmap);
    let skipped = roadmap.topic_count() - done;
    if skipped == 0 {
        "🎉 Every topic of the roadmap is done. Time to build something big, and to help others along!"
            .to_owned()
    } else {
        format!(
            "You have been through every topic: {done} done, {skipped} skipped. The skipped ones \
             are waiting whenever you want them; open one with `/topic`."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::TopicStatus;
    use crate::roadmap::tests::sample;

    fn all(roadmap: &Roadmap, status: TopicStatus) -> MemberProgress {
        MemberProgress::from_statuses(roadmap.topics().map(|t| (t.topic.slug.clone(), status)))
    }

    #[test]
    fn finishing_celebrates_only_when_everything_is_done() {
        let roadmap = sample();
        assert!(finished_text(&all(&roadmap, TopicStatus::Done), &roadmap).starts_with("🎉"));
        let skipped = finished_text(&all(&roadmap, TopicStatus::Skipped), &roadmap);
        assert!(skipped.contains("0 done, 4 skipped"), "{skipped}");
        assert!(!skipped.contains('🎉'));
    }
}
