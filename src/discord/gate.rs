//! The gate every gateway event passes through before poise sees it.
//!
//! It counts events in flight (for a clean shutdown), and for interactions it:
//! - refuses payloads without a real caller (no `member` in a server, no `user` in a DM);
//! - answers command kinds poise cannot handle (user and message commands, activity entry
//!   points, numbers Discord adds later) instead of letting poise panic on them;
//! - drops a repeat delivery of an interaction before it reaches any service;
//! - routes components and forms to the feature named in their custom id, and autocomplete to
//!   the feature that declared it.
//!
//! Slash commands then go on to poise.

use poise::serenity_prelude as serenity;

use super::answer::{deliver, Answer, Target};
use super::caller::caller_of_interaction;
use super::errors::member_message;
use super::feature::{Call, Click, Feature, Submit, Suggest, STALE_COMPONENT, STALE_FORM};
use super::render::for_log;
use super::{custom_id, Data, InFlight, FEATURES};
use crate::error::Error;
use crate::replay::ReplayGuard;

pub(crate) const NO_CALLER: &str =
    "I couldn't tell who sent this, so I did nothing. Try again from the Discord app.";
pub(crate) const STALE_COMMAND: &str =
    "That command no longer exists. Type `/` to see the current ones.";

pub struct Gate<F> {
    pub(crate) inner: F,
    /// The registered top-level command names (what logs and metrics may name).
    pub(crate) names: std::collections::HashSet<String>,
    pub(crate) in_flight: InFlight,
    pub(crate) data: Data,
    pub(crate) replay: ReplayGuard,
}

#[serenity::async_trait]
impl<F: serenity::Framework> serenity::Framework for Gate<F> {
    async fn init(&mut self, client: &serenity::Client) {
        self.inner.init(client).await;
    }

    async fn dispatch(&self, ctx: serenity::Context, event: serenity::FullEvent) {
        let _guard = self.in_flight.enter();
        let telemetry = &self.data.telemetry;
        match &event {
            // Removed from the server (not an outage, which sets `unavailable`): purge later.
            serenity::FullEvent::GuildDelete { incomplete, .. } if !incomplete.unavailable => {
                let guild = crate::member::GuildId(incomplete.id.get());
                match self.data.servers.left(guild, self.data.clock.now()).await {
                    Ok(at) => {
                        tracing::info!(guild = guild.0, purge_at = %at, "removed from a server; its data will be purged")
                    }
                    Err(e) => {
                        tracing::warn!(guild = guild.0, error = %e, "could not record a server's removal")
                    }
                }
            }
            serenity::FullEvent::GuildCreate { guild, .. } => {
                let id = crate::member::GuildId(guild.id.get());
                match self.data.servers.present(id).await {
                    Ok(true) => tracing::info!(
                        guild = id.0,
                        "added back to a server; its purge is cancelled"
                    ),
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(guild = id.0, error = %e, "could not cancel a server's purge")
                    }
                }
            }
            _ => {}
        }
        let serenity::FullEvent::InteractionCreate { interaction } = &event else {
            self.inner.dispatch(ctx, event).await;
            return;
        };
        let started = std::time::Instant::now();
        let (name, kind) = interaction_name(interaction, &self.names);
        let guild = interaction.guild_id().map(|g| g.get());
        let id = interaction.id().get();
        if !self.handled_here(&ctx, interaction).await {
            self.inner.dispatch(ctx, event).await;
        }
        let outcome = telemetry.take_outcome(id);
        let seconds = started.elapsed().as_secs_f64();
        telemetry.interaction(&name, kind, outcome, seconds);
        tracing::info!(
            command = %name,
            guild,
            outcome,
            duration_ms = (seconds * 1000.0).round() as u64,
            "interaction"
        );
    }
}

impl<F> Gate<F> {
    /// Handles what poise must not see; `false` passes the interaction on to poise.
    async fn handled_here(
        &self,
        ctx: &serenity::Context,
        interaction: &serenity::Interaction,
    ) -> bool {
        let http = ctx.http.as_ref();
        let Some(target) = target_of(interaction) else {
            return false;
        };
        let now = self.data.clock.now();
        let Some(caller) = caller_of_interaction(interaction) else {
            tracing::info!(
                interaction = %interaction.id(),
                "refused an interaction without a caller"
            );
            deliver(http, target, refusal(target, NO_CALLER), "an interaction").await;
            return true;
        };
        if let Target::Command(command) = target {
            if command.data.kind != serenity::CommandType::ChatInput {
                tracing::info!(
                    command = %for_log(&command.data.name),
                    kind = ?command.data.kind,
                    "refused a command kind Waypoint does not register"
                );
                deliver(http, target, refusal(target, STALE_COMMAND), "a command").await;
                return true;
            }
        }
        let autocomplete = matches!(interaction, serenity::Interaction::Autocomplete(_));
        // Autocomplete writes nothing and every keystroke is a new interaction.
        if !autocomplete
            && !self
                .replay
                .first_delivery(interaction.id().get(), now)
                .await
        {
            tracing::info!(interaction = %interaction.id(), "dropped a repeated interaction");
            return true;
        }
        let call = Call {
            data: &self.data,
            caller,
            now,
        };
        match interaction {
            serenity::Interaction::Autocomplete(command) => {
                self.autocomplete(http, command, &call).await
            }
            serenity::Interaction::Component(component) => {
                let raw = &component.data.custom_id;
                let click = Click {
                    call,
                    interaction: component,
                    discord: ctx,
                };
                let answer = match route(raw) {
                    Some((feature, parts)) => feature.click(&click, &parts).await,
                    None => Err(Error::user(STALE_COMPONENT)),
                };
                let during = format!("component {}", for_log(raw));
                answer_or_explain(
                    &self.data.telemetry,
                    interaction.id().get(),
                    http,
                    target,
                    answer,
                    &during,
                    raw,
                )
                .await;
                true
            }
            serenity::Interaction::Modal(modal) => {
                let raw = &modal.data.custom_id;
                let submit = Submit {
                    call,
                    interaction: modal,
                };
                let answer = match route(raw) {
                    Some((feature, parts)) => feature.submit(&submit, &parts).await,
                    None => Err(Error::user(STALE_FORM)),
                };
                let during = format!("form {}", for_log(raw));
                answer_or_explain(
                    &self.data.telemetry,
                    interaction.id().get(),
                    http,
                    target,
                    answer,
                    &during,
                    raw,
                )
                .await;
                true
            }
            _ => false,
        }
    }

    /// Answers autocomplete that a feature declared; anything else goes on to poise.
    async fn autocomplete(
        &self,
        http: &serenity::Http,
        command: &serenity::CommandInteraction,
        call: &Call<'_>,
    ) -> bool {
        let Some(focused) = command.data.autocomplete() else {
            return false;
        };
        let qualified = qualified_name(command);
        let found = FEATURES
            .iter()
            .flat_map(|f| f.autocomplete())
            .find(|a| a.command == qualified && a.option == focused.name);
        let Some(autocomplete) = found else {
            return false;
        };
        let choices = match autocomplete.suggest {
            Suggest::Now(suggest) => suggest(call.data, focused.value),
            Suggest::Later(suggest) => suggest(call.data, &call.caller, focused.value).await,
        };
        let answer =
            Answer::Choices(serenity::CreateAutocompleteResponse::new().set_choices(choices));
        deliver(
            http,
            Target::Command(command),
            answer,
            &format!("autocomplete of /{qualified}"),
        )
        .await;
        true
    }
}

fn target_of(interaction: &serenity::Interaction) -> Option<Target<'_>> {
    match interaction {
        serenity::Interaction::Command(i) | serenity::Interaction::Autocomplete(i) => {
            Some(Target::Command(i))
        }
        serenity::Interaction::Component(i) => Some(Target::Component(i)),
        serenity::Interaction::Modal(i) => Some(Target::Form(i)),
        _ => None,
    }
}

/// A refusal in the only shape the interaction takes: no choices for autocomplete, else a
/// private message.
fn refusal(target: Target<'_>, text: &str) -> Answer {
    match target {
        Target::Command(i) if i.data.autocomplete().is_some() => {
            Answer::Choices(serenity::CreateAutocompleteResponse::new())
        }
        _ => Answer::private(text),
    }
}

/// The feature a custom id names, with the id's parts after the feature word.
fn route(raw: &str) -> Option<(&'static dyn Feature, Vec<&str>)> {
    let parsed = custom_id::split(raw)?;
    let feature = FEATURES.iter().find(|f| f.word() == parsed.feature)?;
    Some((*feature, parsed.parts))
}

/// `group sub` for a subcommand, as poise names it.
/// What an interaction is, for logs and metrics: a registered command's name, or a feature's
/// word and verb for a component or form, never typed text or ids; and its kind.
fn interaction_name(
    interaction: &serenity::Interaction,
    names: &std::collections::HashSet<String>,
) -> (String, &'static str) {
    let known = |name: String| {
        let top = name.split(' ').next().unwrap_or_default();
        // Subcommand names come from the registered tree too; cap them anyway.
        if names.contains(top) && name.len() <= 64 {
            name
        } else {
            "unknown".to_owned()
        }
    };
    let component = |raw: &str| match route(raw) {
        Some((feature, parts)) => match parts.first() {
            Some(verb) if verb.len() <= 16 && verb.bytes().all(|b| b.is_ascii_lowercase()) => {
                format!("{}:{verb}", feature.word())
            }
            _ => feature.word().to_owned(),
        },
        None => "unknown".to_owned(),
    };
    match interaction {
        serenity::Interaction::Command(c) => (known(qualified_name(c)), "command"),
        serenity::Interaction::Autocomplete(c) => (known(qualified_name(c)), "autocomplete"),
        serenity::Interaction::Component(c) => (component(&c.data.custom_id), "component"),
        serenity::Interaction::Modal(m) => (component(&m.data.custom_id), "form"),
        _ => ("unknown".to_owned(), "other"),
    }
}

fn qualified_name(command: &serenity::CommandInteraction) -> String {
    let mut name = command.data.name.clone();
    let mut options = &command.data.options;
    while let Some(sub) = options.first() {
        match &sub.value {
            serenity::CommandDataOptionValue::SubCommand(inner)
            | serenity::CommandDataOptionValue::SubCommandGroup(inner) => {
                name.push(' ');
                name.push_str(&sub.name);
                options = inner;
            }
            _ => break,
        }
    }
    name
}

#[allow(clippy::too_many_arguments)]
async fn answer_or_explain(
    telemetry: &crate::telemetry::Telemetry,
    interaction_id: u64,
    http: &serenity::Http,
    target: Target<'_>,
    answer: crate::error::Result<Answer>,
    during: &str,
    raw_id: &str,
) {
    let answer = answer.unwrap_or_else(|error| {
        if let Error::User(reason) = &error {
            tracing::info!(custom_id = %for_log(raw_id), reason = %reason, "refused a component or form");
        }
        if error.is_database() {
            telemetry.database_error();
        }
        let outcome = error.outcome();
        telemetry.note_outcome(interaction_id, outcome);
        Answer::private(member_message(&error, during))
    });
    deliver(http, target, answer, during).await;
}
