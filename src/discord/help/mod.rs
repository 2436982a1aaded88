//! `/help`: what the bot does, built from the registered commands so it never goes stale.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::feature::Feature;
use super::Command;
use crate::discord::answer::reply;
use crate::discord::render::{truncate, COLOUR, EMBED_DESCRIPTION_MAX};
use crate::discord::Context;
use crate::error::Result;
use crate::roadmap::Roadmap;

pub(crate) struct HelpFeature;

#[serenity::async_trait]
impl Feature for HelpFeature {
    fn word(&self) -> &'static str {
        "help"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![help()]
    }
}

/// What Waypoint does and how to use each command
#[poise::command(slash_command)]
async fn help(ctx: Context<'_>) -> Result<()> {
    let mut lines = vec![
        "Waypoint walks this server through a six-phase backend developer roadmap. \
         Open a phase, read a topic, mark it done, and watch your progress grow."
            .to_owned(),
        String::new(),
    ];
    for command in &ctx.framework().options().commands {
        let description = command.description.as_deref().unwrap_or_default();
        let usage = if command.subcommands.is_empty() {
            usage(command)
        } else {
            let names: Vec<&str> = command
                .subcommands
                .iter()
                .map(|c| c.name.as_ref())
                .collect();
            format!("{} <{}>", command.name, names.join(" | "))
        };
        lines.push(format!("`/{usage}` — {description}"));
    }
    lines.push(String::new());
    lines.push(super::streak::RULES.to_owned());
    lines.push(crate::group::RULE.to_owned());
    lines.push(String::new());
    lines.push(
        "Tip: a little every day beats a long weekend session. Build small projects as you go and \
         read the official docs linked on each topic."
            .to_owned(),
    );
    let embed = serenity::CreateEmbed::new()
        .title("Waypoint help")
        .description(truncate(&lines.join("\n"), EMBED_DESCRIPTION_MAX))
        .colour(COLOUR);
    reply(ctx, CreateReply::default().embed(embed).ephemeral(true)).await
}

/// `name <required> [optional]`, as members type it.
fn usage(command: &Command) -> String {
    let mut usage = command.name.to_string();
    for parameter in &command.parameters {
        if parameter.required {
            usage.push_str(&format!(" <{}>", parameter.name));
        } else {
            usage.push_str(&format!(" [{}]", parameter.name));
        }
    }
    usage
}
