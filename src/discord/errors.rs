//! What members are told when something goes wrong, and what is logged.
//!
//! Every poise `FrameworkError` variant is matched on purpose: the ones a member can cause get a
//! short ephemeral explanation; the ones that mean a bug or an outage are logged with a reference
//! id that the member is shown.

use poise::serenity_prelude as serenity;
use poise::{CreateReply, FrameworkError};

use super::answer::{deliver, Answer, Target};
use super::render::{echo, for_log};
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

/// A private reply to a command (or no choices, for autocomplete), through the shared path.
pub(crate) async fn reply_ephemeral(ctx: Context<'_>, text: impl Into<String>) {
    let private = CreateReply::default().content(text).ephemeral(true);
    if let Err(e) = super::answer::reply(ctx, private).await {
        tracing::warn!(error = %e, command = %for_log(&ctx.command().qualified_name), "could not send an error reply");
    }
}

pub(crate) async fn on_error(error: FrameworkError<'_, Data, Error>) {
    if let Some(ctx) = error.ctx() {
        if let poise::Context::Application(actx) = ctx {
            let outcome = match &error {
                FrameworkError::Command { error, .. } => {
                    if error.is_database() {
                        ctx.data().telemetry.database_error();
                    }
                    error.outcome()
                }
                FrameworkError::CommandPanic { .. } => "error",
                _ => "refused",
            };
            ctx.data()
                .telemetry
                .note_outcome(actx.interaction.id.get(), outcome);
        }
    }
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
            tracing::debug!(%error, "argument did not parse");
            let text = match input.as_deref().and_then(|input| echo(input, 60)) {
                Some(input) => {
                    format!("I couldn't read `{input}`: {error}. Check the option and try again.")
                }
                None => format!("I couldn't read one of the options: {error}."),
            };
            reply_ephemeral(ctx, text).await;
        }
        FrameworkError::SubcommandRequired { ctx } => {
            let names = subcommand_list(ctx.command());
            reply_ephemeral(ctx, format!("Pick one of: {names}.")).await;
        }
        FrameworkError::GuildOnly { ctx, .. } => {
            reply_ephemeral(ctx, crate::member::SERVER_ONLY).await;
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
            tracing::warn!(command = %for_log(&ctx.command().qualified_name), description, "command structure mismatch");
            let text = mismatch_text(ctx, description);
            reply_ephemeral(poise::Context::Application(ctx), text).await;
        }
        FrameworkError::UnknownInteraction {
            interaction,
            framework,
            ..
        } => {
            // A command Discord still lists but this version of the bot no longer has.
            tracing::warn!(command = %for_log(&interaction.data.name), "interaction for an unknown command");
            let answer = if interaction.data.autocomplete().is_some() {
                // Autocomplete must be answered with choices, not a message.
                Answer::Choices(serenity::CreateAutocompleteResponse::new())
            } else {
                Answer::private(super::gate::STALE_COMMAND)
            };
            let http = &framework.serenity_context.http;
            deliver(
                http,
                Target::Command(interaction),
                answer,
                "an unknown command",
            )
            .await;
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

/// `` `/group a`, `/group b` `` for a command group.
pub(crate) fn subcommand_list(command: &poise::Command<Data, Error>) -> String {
    let names: Vec<String> = command
        .subcommands
        .iter()
        .map(|c| format!("`/{}`", c.qualified_name))
        .collect();
    names.join(", ")
}

/// What is wrong with the options Discord sent, in words: poise only says what it expected.
fn mismatch_text(ctx: poise::ApplicationContext<'_, Data, Error>, description: &str) -> String {
    const OUTDATED: &str =
        "This command was just updated and Discord still shows the old version. Try again in a minute.";
    let Some(expected) = description.strip_prefix("expected ") else {
        return OUTDATED.to_owned();
    };
    // poise names a choice's index by its Rust type; Discord sends it as an integer.
    let expected = match expected {
        "u64" | "i64" | "u32" | "i32" | "usize" => "Integer",
        other => other,
    };
    // The first option whose value is not of the kind poise expected.
    let options = ctx.interaction.data.options();
    let wrong = options.iter().find_map(|option| {
        let got = match &option.value {
            serenity::ResolvedValue::Unresolved(serenity::Unresolved::User(_)) => {
                return Some((option.name, None));
            }
            serenity::ResolvedValue::User(..) => "User",
            serenity::ResolvedValue::Role(_) => "Role",
            serenity::ResolvedValue::Channel(_) => "Channel",
            serenity::ResolvedValue::String(_) => "String",
            serenity::ResolvedValue::Integer(_) => "Integer",
            serenity::ResolvedValue::Number(_) => "Number",
            serenity::ResolvedValue::Boolean(_) => "Boolean",
            serenity::ResolvedValue::Attachment(_) => "Attachment",
            _ => "something else",
        };
        (got != expected).then_some((option.name, Some(got)))
    });
    match wrong {
        Some((name, None)) => format!(
            "I couldn't find the member you picked for `{}`: they may have left the server. Pick them again from the list.",
            echo(name, 32).unwrap_or_default()
        ),
        Some((name, Some(got))) => format!(
            "The `{}` option needs {}, not {}. Pick it from the list Discord shows.",
            echo(name, 32).unwrap_or_default(),
            kind_in_words(expected),
            kind_in_words(got),
        ),
        None => OUTDATED.to_owned(),
    }
}

fn kind_in_words(kind: &str) -> &'static str {
    match kind {
        "User" => "a member",
        "Role" => "a role",
        "Channel" => "a channel",
        "String" => "text",
        "Integer" => "a whole number",
        "Number" => "a number",
        "Boolean" => "yes or no",
        "Attachment" => "a file",
        _ => "something else",
    }
}
