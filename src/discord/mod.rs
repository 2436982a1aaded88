//! The Discord adapter. Each feature owns its Discord code in a folder of its own (commands,
//! components, forms, views) and is listed once in [`FEATURES`]; the shared parts are:
//!
//! - `gate`: every event passes through it (filters, repeat deliveries, routing by custom id);
//! - `answer`: the one path every answer takes (mentions off, 429 retried, apology on refusal);
//! - `caller`: who is asking, as services see it;
//! - `custom_id`: the versioned grammar of component and form ids;
//! - `errors`: every poise `FrameworkError`, handled on purpose;
//! - `send`: messages and DMs sent outside an interaction (background work).
//!
//! Nothing here talks to the database directly; handlers read options, call a service and render.

mod answer;
mod caller;
mod confirm;
mod custom_id;
mod errors;
mod feature;
mod gate;
mod in_flight;
mod rate_limit;
mod render;
pub mod send;

mod challenge;
mod group;
mod help;
mod leaderboard;
mod note;
mod phase;
mod privacy;
mod progress;
mod reminder;
mod server;
mod settings;
mod status;
mod streak;
mod timezone;
mod topic;

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use crate::challenge::ChallengeService;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::group::GroupService;
use crate::leaderboard::LeaderboardService;
use crate::member::Caller;
use crate::note::NoteService;
use crate::outbox::Outbox;
use crate::progress::ProgressService;
use crate::reminder::ReminderService;
use crate::replay::ReplayGuard;
use crate::roadmap::Roadmap;
use crate::settings::SettingsService;
use crate::streak::StudyService;
use crate::timezone::TimezoneService;

pub use gate::Gate;
pub use in_flight::InFlight;

use feature::Feature;

/// Every feature with Discord commands, components or forms. Order is the order of `/help`.
pub(crate) static FEATURES: &[&dyn Feature] = &[
    &phase::PhaseFeature,
    &topic::TopicFeature,
    &progress::ProgressFeature,
    &streak::StreakFeature,
    &leaderboard::LeaderboardFeature,
    &reminder::ReminderFeature,
    &group::GroupFeature,
    &challenge::ChallengeFeature,
    &note::NoteFeature,
    &timezone::TimezoneFeature,
    &settings::SettingsFeature,
    &status::StatusFeature,
    &help::HelpFeature,
    &privacy::PrivacyFeature,
    &server::ServerFeature,
];

/// Shared state handed to every command and handler.
#[derive(Clone)]
pub struct Data {
    pub roadmap: Arc<Roadmap>,
    pub progress: ProgressService,
    pub notes: NoteService,
    pub settings: SettingsService,
    pub timezones: TimezoneService,
    pub study: StudyService,
    pub boards: LeaderboardService,
    pub reminders: ReminderService,
    pub groups: GroupService,
    pub challenges: ChallengeService,
    pub privacy: crate::privacy::PrivacyService,
    pub telemetry: crate::telemetry::Telemetry,
    pub servers: crate::server::ServerService,
    /// When this process started, and when the reminder dispatcher last ran (`/status`).
    pub started: chrono::DateTime<chrono::Utc>,
    pub heartbeat: crate::reminder::dispatcher::Heartbeat,
    /// Messages sent outside an answer (`/remind test`).
    pub outbox: Arc<dyn Outbox>,
    /// Read once per interaction, at the edge; services are handed the instant.
    pub clock: SharedClock,
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("topics", &self.roadmap.topic_count())
            .finish_non_exhaustive()
    }
}

pub type Context<'a> = poise::Context<'a, Data, Error>;
pub(crate) type Command = poise::Command<Data, Error>;

/// Only the non-privileged GUILDS intent: interactions arrive without any intent.
pub const INTENTS: serenity::GatewayIntents = serenity::GatewayIntents::GUILDS;

/// Every command of every feature, with `/phase`'s subcommands generated from the roadmap.
pub fn commands(roadmap: &Roadmap) -> Vec<Command> {
    FEATURES.iter().flat_map(|f| f.commands(roadmap)).collect()
}

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

/// Builds the framework behind its gate; `on_ready` runs once the commands are registered, and
/// `in_flight` counts the events being handled.
pub fn framework(
    data: Data,
    replay: ReplayGuard,
    guild_id: Option<u64>,
    in_flight: InFlight,
    on_ready: impl FnOnce() + Send + Sync + 'static,
) -> Gate<poise::Framework<Data, Error>> {
    let commands = commands(&data.roadmap);
    let names = commands.iter().map(|c| c.name.to_string()).collect();
    let user_data = data.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            on_error: |error| Box::pin(errors::on_error(error)),
            // Whatever poise sends by itself pings nobody either.
            allowed_mentions: Some(answer::no_mentions()),
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
                Ok(user_data)
            })
        })
        .build();
    Gate {
        inner: framework,
        names,
        in_flight,
        data,
        replay,
    }
}

/// Who is running a slash command, as services see it (`None` never reaches a command: the
/// gate refuses interactions without a caller).
pub(crate) fn caller(ctx: Context<'_>) -> Result<Caller> {
    let poise::Context::Application(actx) = ctx else {
        return Err(Error::user(gate::NO_CALLER));
    };
    let i = actx.interaction;
    caller::caller_of(i.guild_id, i.member.as_deref(), &i.user)
        .ok_or_else(|| Error::user(gate::NO_CALLER))
}

/// The member a command's optional `member` option names, or the caller: refused for bots
/// (`for_bots` says why) and for users Discord did not send as members of this server (a user
/// option carries a member entry only for them); `what` names what would have been shown.
pub(crate) fn named_member<'a>(
    ctx: Context<'a>,
    option: Option<&'a serenity::User>,
    for_bots: &str,
    what: &str,
) -> Result<(crate::member::Member, &'a serenity::User)> {
    let me = caller(ctx)?.member()?;
    let user = option.unwrap_or_else(|| ctx.author());
    if user.bot {
        return Err(Error::user(for_bots));
    }
    let in_server = match ctx {
        poise::Context::Application(actx) => actx
            .interaction
            .data
            .resolved
            .members
            .contains_key(&user.id),
        poise::Context::Prefix(_) => false,
    };
    if option.is_some() && user.id.get() != me.user.0 && !in_server {
        return Err(Error::user(format!(
            "{} isn't a member of this server, so there is no {what} to show here.",
            render::echo(user.display_name(), 60).unwrap_or_else(|| "That user".to_owned())
        )));
    }
    let member = crate::member::Member {
        user: crate::member::UserId(user.id.get()),
        ..me
    };
    Ok((member, user))
}
