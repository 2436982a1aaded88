//! `/status` (moderators): is the bot well, and are reminders going out?

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::reply;
use super::feature::Feature;
use super::render::COLOUR;
use super::settings::moderator_only;
use super::{caller, Command, Context};
use crate::error::Result;
use crate::roadmap::Roadmap;

pub(crate) struct StatusFeature;

#[serenity::async_trait]
impl Feature for StatusFeature {
    fn word(&self) -> &'static str {
        "status"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![status()]
    }
}

/// How the bot is doing: uptime, gateway latency and today's reminders (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn status(ctx: Context<'_>) -> Result<()> {
    let guild = caller(ctx)?.member()?.guild;
    let data = ctx.data();
    let now = data.clock.now();
    let zone = data.settings.get(guild).await?.zone();
    let today = crate::streak::rules::day_start(now.with_timezone(&zone).date_naive(), zone);
    let counts = data.reminders.status(guild, today, now).await?;
    let latency = ctx.ping().await;
    let uptime = (now - data.started).num_seconds().max(0);
    let count = |state: &str| {
        counts
            .handled
            .iter()
            .find(|(s, _)| s == state)
            .map_or(0, |(_, n)| *n)
    };
    let tick = match data.heartbeat.last() {
        Some(at) => format!("<t:{}:R>", at.timestamp()),
        None => "not yet".to_owned(),
    };
    let embed = serenity::CreateEmbed::new()
        .title("Waypoint status")
        .colour(COLOUR)
        .field(
            "Up for",
            format!("{} h {} min", uptime / 3600, uptime / 60 % 60),
            true,
        )
        .field(
            "Gateway latency",
            if latency.is_zero() {
                "not measured yet".to_owned()
            } else {
                format!("{} ms", latency.as_millis())
            },
            true,
        )
        .field("Dispatcher's last look", tick, true)
        .field("Due now", counts.due.to_string(), true)
        .field(
            "Today",
            format!(
                "sent {} · late {} · missed {} · failed {} · skipped {}",
                count("sent"),
                count("late"),
                count("missed"),
                count("failed") + count("dead"),
                count("skipped")
            ),
            false,
        )
        .field(
            "Turned off (target gone)",
            counts.disabled.to_string(),
            true,
        );
    let notices = data.groups.nudge_notices(guild).await?;
    let mut answer = CreateReply::default().embed(embed).ephemeral(true);
    if !notices.is_empty() {
        answer = answer.content(notices.join("\n"));
    }
    reply(ctx, answer).await
}
