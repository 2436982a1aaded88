//! What members are told when something goes wrong, and what is logged.
//!
//! Every poise `FrameworkError` variant is matched on purpose: the ones a member can cause get a
//! short ephemeral explanation; the ones that mean a bug or an outage are logged with a reference
//! id that the member is shown.

use poise::serenity_prelude as serenity;
use poise::{CreateReply, FrameworkError};

use super::{Context, Data};
use crate::error::{reference_id, Error};

/// Turns an error into the text a member reads; internal errors are logged here.
pub(crate) fn member_message(error: &Error, during: &str) -> String {
    match error {
        Error::User(message) => message.clone(),
        Error::Internal(e) => internal_message(&format!("{e:#}"), during),
    }
}

fn internal_message(details: &str, during: &str) -> String {
    let reference = reference_id();
    tracing::error!(reference = %reference, during, error = %details, "request failed");
    format!(
        "Something went wrong on our side. If it keeps happening, give a moderator this reference: `{reference}`."
    )
}

/// An ephemeral message answer to an interaction poise does not own (components, modals,
/// unknown commands); it pings nobody, whatever the text contains.
pub(crate) fn ephemeral_response(text: impl Into<String>) -> serenity::CreateInteractionResponse {
    serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(serenity::CreateAllowedMentions::new()),
    )
}

/// An ephemeral reply that pings nobody, whatever the text contains.
pub(crate) async fn reply_ephemeral(ctx: Context<'_>, text: impl Into<String>) {
    if let poise::Context::Application(actx) = ctx {
        if matches!(
            actx.interaction_type,
            poise::CommandInteractionType::Autocomplete
        ) {
            // Autocomplete takes choices only: no choices is the way to say "nothing here".
            let empty = serenity::CreateInteractionResponse::Autocomplete(
                serenity::CreateAutocompleteResponse::new(),
            );
            let sent = super::rate_limit::retrying(super::rate_limit::ANSWER, || {
                actx.interaction.create_response(ctx, empty.clone())
            })
            .await;
            if let Err(e) = sent {
                tracing::warn!(error = %e, "could not answer an autocomplete request");
            }
            return;
        }
    }
    let reply = CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(serenity::CreateAllowedMentions::new());
    if let Err(e) = super::respond(ctx, reply).await {
        tracing::warn!(error = %e, command = %ctx.command().qualified_name, "could not send an error reply");
    }
}

pub(crate) async fn on_error(error: FrameworkError<'_, Data, Error>) {
    match error {
        FrameworkError::Command { error, ctx, .. } => {
            let during = format!("/{}", ctx.command().qualified_name);
            reply_ephemeral(ctx, member_message(&error, &during)).await;
        }
        FrameworkError::CommandCheckFailed { error, ctx, .. } => {
            let text = match error {
                Some(error) => member_message(&error, &ctx.command().qualified_name),
                None => "You can't use this command here.".to_owned(),
            };
            reply_ephemeral(ctx, text).await;
        }
        FrameworkError::ArgumentParse {
            error, input, ctx, ..
        } => {
            tracing::debug!(%error, ?input, "argument did not parse");
            let text = match input {
                Some(input) => format!(
                    "I couldn't read `{}`: {error}. Check the option and try again.",
                    crate::discord::render::truncate(&input.replace('`', "'"), 60)
                ),
                None => format!("I couldn't read one of the options: {error}."),
            };
            reply_ephemeral(ctx, text).await;
        }
        FrameworkError::SubcommandRequired { ctx } => {
            let names: Vec<String> = ctx
                .command()
                .subcommands
                .iter()
                .map(|c| format!("`/{}`", c.qualified_name))
                .collect();
            reply_ephemeral(ctx, format!("Pick one of: {}.", names.join(", "))).await;
        }
        FrameworkError::GuildOnly { ctx, .. } => {
            reply_ephemeral(ctx, super::SERVER_ONLY).await;
        }
        FrameworkError::DmOnly { ctx, .. } => {
            reply_ephemeral(ctx, "This command only works in DMs with the bot.").await;
        }
        FrameworkError::NsfwOnly { ctx, .. } => {
            reply_ephemeral(ctx, "This command only works in age-restricted channels.").await;
        }
        FrameworkError::CooldownHit {
            remaining_cooldown,
            ctx,
            ..
        } => {
            let seconds = remaining_cooldown.as_secs().max(1);
            reply_ephemeral(
                ctx,
                format!("Slow down a little: try again in {seconds} s."),
            )
            .await;
        }
        FrameworkError::MissingUserPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            let text = match missing_permissions {
                Some(p) => format!("Only members with the {p} permission can use this command."),
                None => "Only moderators can use this command.".to_owned(),
            };
            reply_ephemeral(ctx, text).await;
        }
        FrameworkError::MissingBotPermissions {
            missing_permissions,
            ctx,
            ..
        } => {
            reply_ephemeral(
                ctx,
                format!("I need the {missing_permissions} permission here; ask a server admin to grant it."),
            )
            .await;
        }
        FrameworkError::PermissionFetchFailed { ctx, .. } => {
            let text =
                internal_message("could not fetch permissions", &ctx.command().qualified_name);
            reply_ephemeral(ctx, text).await;
        }
        FrameworkError::NotAnOwner { ctx, .. } => {
            reply_ephemeral(ctx, "Only the bot's owners can use this command.").await;
        }
        FrameworkError::CommandPanic { payload, ctx, .. } => {
            let details = format!("panic: {}", payload.as_deref().unwrap_or("(no message)"));
            let text = internal_message(&details, &ctx.command().qualified_name);
            reply_ephemeral(ctx, text).await;
        }
        FrameworkError::CommandStructureMismatch {
            description, ctx, ..
        } => {
            // Discord still has an older shape of this command (registration is in flight).
            tracing::warn!(command = %ctx.command().qualified_name, description, "command structure mismatch");
            reply_ephemeral(
                poise::Context::Application(ctx),
                "This command was just updated and Discord still shows the old version. Try again in a minute.",
            )
            .await;
        }
        FrameworkError::UnknownInteraction {
            interaction,
            framework,
            ..
        } => {
            // A command Discord still lists but this version of the bot no longer has.
            tracing::warn!(command = %interaction.data.name, "interaction for an unknown command");
            let ctx = framework.serenity_context;
            let response = if interaction.data.autocomplete().is_some() {
                // Autocomplete must be answered with choices, not a message.
                serenity::CreateInteractionResponse::Autocomplete(
                    serenity::CreateAutocompleteResponse::new(),
                )
            } else {
                ephemeral_response(
                    "That command no longer exists. Type `/` to see the current ones.",
                )
            };
            let sent = super::rate_limit::retrying(super::rate_limit::ANSWER, || {
                interaction.create_response(ctx, response.clone())
            })
            .await;
            if let Err(e) = sent {
                tracing::warn!(error = %e, "could not answer an unknown interaction");
            }
        }
        FrameworkError::Setup {
            error, framework, ..
        } => {
            // Without its commands the bot is useless: say why and stop, so the process exits.
            tracing::error!(error = %error, "setup failed (command registration); shutting down");
            framework.shard_manager().shutdown_all().await;
        }
        FrameworkError::EventHandler { error, event, .. } => {
            let details = format!("{error} (event {})", event.snake_case_name());
            internal_message(&details, "event handler");
        }
        // Waypoint registers no prefix commands; these can only come from message events, which
        // it does not receive (no MESSAGE_CONTENT intent). Log them if they ever appear.
        FrameworkError::DynamicPrefix { error, .. }
        | FrameworkError::NonCommandMessage { error, .. } => {
            tracing::warn!(error = %error, "prefix handling error");
        }
        FrameworkError::UnknownCommand { .. } => {
            tracing::debug!("unknown prefix command ignored");
        }
        other => {
            // FrameworkError is non-exhaustive: a variant added by a later poise is logged
            // and then given poise's own handling.
            tracing::warn!("unhandled framework error variant: {other:?}");
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::warn!(error = %e, "poise's default error handler failed");
            }
        }
    }
}
