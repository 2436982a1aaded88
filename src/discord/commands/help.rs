//! `/help`: what the bot does, built from the registered commands so it never goes stale.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use crate::discord::render::{truncate, COLOUR, EMBED_DESCRIPTION_MAX};
use crate::discord::{respond, Context};
use crate::error::Result;

/// What Waypoint does and how to use each command
#[poise::command(slash_command)]
pub async fn help(ctx: Context<'_>) -> Result<()> {
    let mut lines = vec![
        "Waypoint walks this server through a six-phase backend developer roadmap. \
         Open a phase, read a topic, mark it done, and watch your progress grow."
            .to_owned(),
        String::new(),
    ];
    for command in &ctx.framework().options().commands {
        if command.subcommands.is_empty() {
            lines.push(format!(
                "`/{}` — {}",
                command.name,
                command.description.as_deref().unwrap_or("")
            ));
        } else {
            let names: Vec<String> = command
                .subcommands
                .iter()
                .map(|c| c.name.to_string())
                .collect();
            lines.push(format!(
                "`/{} <{}>` — {}",
                command.name,
                names.join(" | "),
                command.description.as_deref().unwrap_or("")
            ));
        }
    }
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
    respond(ctx, CreateReply::default().embed(embed).ephemeral(true)).await?;
    Ok(())
}
