//! The roadmap overview and the phase card with its topic menu.

use poise::serenity_prelude as serenity;

use super::components::TopicMenu;
use crate::discord::render::{
    phase_badge, progress_bar, truncate, COLOUR, EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX,
    SELECT_LABEL_MAX,
};
use crate::progress::MemberProgress;
use crate::roadmap::{Phase, Roadmap};

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
        TopicMenu {
            phase: phase.slug.clone(),
        }
        .encode(),
        serenity::CreateSelectMenuKind::String { options },
    )
    .placeholder("Open a topic…");
    (embed, vec![serenity::CreateActionRow::SelectMenu(menu)])
}
