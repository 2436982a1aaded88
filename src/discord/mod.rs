//! The Discord adapter: poise commands, component (button/select) routing and error replies.
//! Nothing here talks to the database directly; it reads options, calls a service and renders.

pub mod commands;
mod components;
mod errors;
mod in_flight;
mod rate_limit;
mod render;

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::member::Member;
use crate::progress::ProgressService;
use crate::roadmap::Roadmap;

pub use components::CustomId;
pub use in_flight::{InFlight, Tracked};

/// Shared state handed to every command.
#[derive(Debug)]
pub struct Data {
    pub roadmap: Arc<Roadmap>,
    pub progress: ProgressService,
    /// Read once per interaction, at the edge; services are handed the instant.
    pub clock: SharedClock,
}

pub type Context<'a> = poise::Context<'a, Data, Error>;

/// Only the non-privileged GUILDS intent: interactions arrive without any intent.
pub const INTENTS: serenity::GatewayIntents = serenity::GatewayIntents::GUILDS;

/// The REST client. With a proxy base URL, serenity's own rate limiter is turned off: in
/// serenity 0.12 it ignores the proxy, and a proxy in front of Discord does the limiting.
pub fn http(config: &Config) -> serenity::Http {
    let builder = serenity::HttpBuilder::new(config.token.expose());
    match &config.api_proxy {
        Some(base) => builder
            .proxy(base.clone())
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    }
}

/// Asks Discord who the token belongs to, so a wrong token fails start-up at once with a clear
/// message (serenity would otherwise keep retrying the gateway).
pub async fn check_token(http: &serenity::Http) -> anyhow::Result<serenity::CurrentUser> {
    match http.get_current_user().await {
        Ok(user) => Ok(user),
        Err(serenity::Error::Http(e)) if e.status_code().is_some_and(|s| s.as_u16() == 401) => {
            anyhow::bail!(
                "Discord refused DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the developer portal"
            )
        }
        Err(e) => Err(anyhow::Error::new(e).context("could not reach Discord to check the token")),
    }
}

/// Builds the framework; `on_ready` runs once the commands are registered, and `in_flight`
/// counts the events being handled.
pub fn framework(
    data: Data,
    guild_id: Option<u64>,
    in_flight: InFlight,
    on_ready: impl FnOnce() + Send + Sync + 'static,
) -> Tracked<poise::Framework<Data, Error>> {
    let commands = commands::all(&data.roadmap);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            on_error: |error| Box::pin(errors::on_error(error)),
            event_handler: |framework, event| Box::pin(event_handler(framework, event)),
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                let commands = &framework.options().commands;
                rate_limit::retrying(rate_limit::REGISTRATION, || async {
                    match guild_id {
                        Some(guild) => {
                            let guild = serenity::GuildId::new(guild);
                            poise::builtins::register_in_guild(ctx, commands, guild).await
                        }
                        None => poise::builtins::register_globally(ctx, commands).await,
                    }
                })
                .await?;
                tracing::info!(
                    bot = %ready.user.name,
                    guilds = ready.guilds.len(),
                    commands = commands.len(),
                    scope = if guild_id.is_some() { "guild" } else { "global" },
                    "connected and registered commands"
                );
                on_ready();
                Ok(data)
            })
        })
        .build();
    Tracked {
        inner: framework,
        in_flight,
    }
}

async fn event_handler(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<()> {
    let ctx = framework.serenity_context;
    match event {
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(component),
        } => components::handle(ctx, component, framework.user_data).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(modal),
        } => components::handle_modal(ctx, modal).await,
        _ => {}
    }
    Ok(())
}

pub(crate) const SERVER_ONLY: &str =
    "Waypoint keeps progress per server: use this inside a server, not in DMs.";

/// The member behind an interaction; progress is per server, so DMs are refused.
fn member_of(guild: Option<serenity::GuildId>, user: serenity::UserId) -> Result<Member> {
    let guild = guild.ok_or_else(|| Error::user(SERVER_ONLY))?;
    Ok(Member::new(guild.get(), user.get()))
}

/// Sends a reply to the command's interaction, retrying a rate-limited attempt.
pub(crate) async fn respond(ctx: Context<'_>, reply: poise::CreateReply) -> Result<()> {
    rate_limit::retrying(rate_limit::ANSWER, || ctx.send(reply.clone())).await?;
    Ok(())
}

pub(crate) fn caller(ctx: Context<'_>) -> Result<Member> {
    member_of(ctx.guild_id(), ctx.author().id)
}
