//! `/server purge` (the server's owner): deletes everything Waypoint stores about this server,
//! after a confirmation button (`wp:server:purge:<owner>` or `wp:server:keep:<owner>`).

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{reply, Answer};
use super::confirm::Confirm;
use super::feature::{Click, Feature, STALE_COMPONENT};
use super::{caller, Command, Context};
use crate::error::{Error, Result};
use crate::member::UserId;
use crate::roadmap::Roadmap;

const WORD: &str = "server";

pub(crate) struct ServerFeature;

const CONFIRM: Confirm = Confirm {
    word: WORD,
    yes: "purge",
    yes_label: "Delete this server's data",
};

/// The server's owner as Discord says: from the cache, or asked for.
async fn owner_of(
    cache: &serenity::Cache,
    http: &serenity::Http,
    guild: serenity::GuildId,
) -> Option<UserId> {
    if let Some(owner) = cache.guild(guild).map(|g| g.owner_id) {
        return Some(UserId(owner.get()));
    }
    http.get_guild(guild)
        .await
        .ok()
        .map(|g| UserId(g.owner_id.get()))
}

const NOT_OWNER: &str = "Only the server's owner can purge its data. Nothing was deleted.";

#[serenity::async_trait]
impl Feature for ServerFeature {
    fn word(&self) -> &'static str {
        WORD
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![server()]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        let (purge, owner) = CONFIRM
            .parse(parts)
            .ok_or_else(|| Error::user(STALE_COMPONENT))?;
        let call = &click.call;
        if call.caller.user != owner {
            return Err(Error::user(NOT_OWNER));
        }
        if !purge {
            return Ok(Answer::Update(
                CreateReply::default()
                    .content("Nothing was deleted.")
                    .components(Vec::new()),
            ));
        }
        // The id names who asked; the service checks that they still own the server.
        let guild = click
            .interaction
            .guild_id
            .ok_or_else(|| Error::user(crate::member::SERVER_ONLY))?;
        let actual = owner_of(&click.discord.cache, &click.discord.http, guild).await;
        let deleted = call
            .data
            .servers
            .purge_now(&call.caller, actual, call.now)
            .await?;
        Ok(Answer::Update(
            CreateReply::default()
                .content(format!(
                    "🗑️ Done: everything Waypoint stored about this server is deleted ({deleted} records). \
                     You can remove the bot now; if it stays, it starts afresh."
                ))
                .components(Vec::new()),
        ))
    }
}

/// This server's data (the owner)
#[poise::command(slash_command, guild_only, subcommands("purge"), subcommand_required)]
async fn server(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user("Pick one of the `/server` commands."))
}

/// Delete everything Waypoint stores about this server (the owner; asks first)
#[poise::command(slash_command, guild_only)]
async fn purge(ctx: Context<'_>) -> Result<()> {
    let me = caller(ctx)?;
    let guild = ctx
        .guild_id()
        .ok_or_else(|| Error::user(crate::member::SERVER_ONLY))?;
    let owner = owner_of(ctx.cache(), ctx.http(), guild).await;
    if owner != Some(me.user) {
        return Err(Error::user(NOT_OWNER));
    }
    let rows = ctx.data().servers.rows(me.member()?.guild).await?;
    let text = format!(
        "This deletes everything Waypoint stores about this server, for good: every member's \
         progress, check-ins, streaks, reminders, groups, challenges and the settings ({rows} records). \
         Members are not told. (When the bot is removed, this happens by itself after a grace period.)"
    );
    let buttons = vec![CONFIRM.buttons(me.user)];
    reply(
        ctx,
        CreateReply::default()
            .content(text)
            .components(buttons)
            .ephemeral(true),
    )
    .await
}
