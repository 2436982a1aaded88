//! `/privacy export` (a JSON file of everything stored about you here) and `/privacy delete`
//! (after a confirmation button: `wp:privacy:delete:<user>`, or `keep` to back out; only the
//! member who asked can press them).

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{reply, Answer};
use super::confirm::Confirm;
use super::feature::{Click, Feature, STALE_COMPONENT};
use super::{caller, Command, Context};
use crate::error::{Error, Result};
use crate::roadmap::Roadmap;

const WORD: &str = "privacy";

pub(crate) struct PrivacyFeature;

const CONFIRM: Confirm = Confirm {
    word: WORD,
    yes: "delete",
    yes_label: "Delete my data",
};

/// What each table holds, in words, for the confirmation.
fn kind(table: &str) -> &'static str {
    match table {
        "topic_progress" => "topic progress",
        "topic_note" => "topic notes",
        "member_settings" => "settings (time zone, rest days)",
        "checkin" => "check-ins",
        "study_day" => "study days",
        "streak" => "streak",
        "board_score" => "leaderboard scores",
        "reminder" => "reminder",
        "reminder_occurrence" => "reminder history",
        "group_member" => "study group membership",
        "submission" => "challenge submissions and points",
        _ => "other records",
    }
}

#[serenity::async_trait]
impl Feature for PrivacyFeature {
    fn word(&self) -> &'static str {
        WORD
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![privacy()]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        let (delete, user) = CONFIRM
            .parse(parts)
            .ok_or_else(|| Error::user(STALE_COMPONENT))?;
        let member = click.call.caller.member()?;
        if member.user != user {
            return Err(Error::user(
                "This button is for the member who asked; run `/privacy delete` yourself.",
            ));
        }
        let text = if delete {
            let rows = click
                .call
                .data
                .privacy
                .delete(member, click.call.now)
                .await?;
            format!(
                "🗑️ Done: everything Waypoint stored about you in this server is deleted ({rows} record{}). \
                 Leaderboards and group streaks no longer count you. Using the bot again starts afresh.",
                if rows == 1 { "" } else { "s" }
            )
        } else {
            "Nothing was deleted.".to_owned()
        };
        Ok(Answer::Update(
            CreateReply::default().content(text).components(Vec::new()),
        ))
    }
}

/// Your data in this server: export it or delete it
#[poise::command(
    slash_command,
    guild_only,
    subcommands("export", "delete"),
    subcommand_required
)]
async fn privacy(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user("Pick one of the `/privacy` commands."))
}

/// Everything stored about you in this server, as a JSON file only you see
#[poise::command(slash_command, guild_only)]
async fn export(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let bytes = data.privacy.export(member, data.clock.now()).await?;
    let file = format!("waypoint-{}-{}.json", member.guild.0, member.user.0);
    reply(
        ctx,
        CreateReply::default()
            .content("Here is everything Waypoint stores about you in this server.")
            .attachment(serenity::CreateAttachment::bytes(bytes, file))
            .ephemeral(true),
    )
    .await
}

/// Delete everything stored about you in this server (asks first)
#[poise::command(slash_command, guild_only)]
async fn delete(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let summary = ctx.data().privacy.summary(member).await?;
    if summary.is_empty() {
        return reply(
            ctx,
            CreateReply::default()
                .content("Waypoint stores nothing about you in this server.")
                .ephemeral(true),
        )
        .await;
    }
    let lines: Vec<String> = summary
        .iter()
        .map(|(table, n)| format!("• {}: {n}", kind(table)))
        .collect();
    let text = format!(
        "This deletes everything Waypoint stores about you in this server, for good:\n{}\n\
         Your places on the leaderboards go too. `/privacy export` first if you want a copy.",
        lines.join("\n")
    );
    let buttons = vec![CONFIRM.buttons(member.user)];
    reply(
        ctx,
        CreateReply::default()
            .content(text)
            .components(buttons)
            .ephemeral(true),
    )
    .await
}
