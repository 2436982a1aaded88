//! The one path every answer to an interaction takes, whatever its kind (command, autocomplete,
//! button or menu, form): mentions off unless the answer opts in, a retried 429, and when
//! Discord refuses the answer, an apology with a reference so the member is never left with
//! "This interaction failed".

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::errors::member_message;
use super::rate_limit::{retrying, ANSWER};
use super::Context;
use crate::error::{Error, Result};
use crate::member::UserId;

/// What a handler answers with.
pub(crate) enum Answer {
    /// A new message; private when the reply is ephemeral. It pings nobody.
    Message(CreateReply),
    /// A new message that may ping these users (and nobody else): the one way to opt in.
    Pinging(CreateReply, Vec<UserId>),
    /// Replaces the message the clicked component is on.
    Update(CreateReply),
    /// Opens a form (modal).
    Form(serenity::CreateModal),
    /// Autocomplete suggestions (possibly none).
    Choices(serenity::CreateAutocompleteResponse),
}

impl Answer {
    /// An ephemeral text that pings nobody.
    pub(crate) fn private(text: impl Into<String>) -> Self {
        Self::Message(CreateReply::default().content(text).ephemeral(true))
    }

    fn into_response(self) -> serenity::CreateInteractionResponse {
        match self {
            Self::Message(reply) => {
                serenity::CreateInteractionResponse::Message(message(reply, &[]))
            }
            Self::Pinging(reply, users) => {
                serenity::CreateInteractionResponse::Message(message(reply, &users))
            }
            Self::Update(reply) => {
                serenity::CreateInteractionResponse::UpdateMessage(message(reply, &[]))
            }
            Self::Form(modal) => serenity::CreateInteractionResponse::Modal(modal),
            Self::Choices(choices) => serenity::CreateInteractionResponse::Autocomplete(choices),
        }
    }
}

/// Whatever mentions the reply was built with are replaced: only `ping` may be notified.
fn message(reply: CreateReply, ping: &[UserId]) -> serenity::CreateInteractionResponseMessage {
    reply
        .allowed_mentions(mentions(ping))
        .to_slash_initial_response(serenity::CreateInteractionResponseMessage::new())
}

/// Nobody is pinged, whatever the text says (`@everyone`, a role, a user).
pub(crate) fn no_mentions() -> serenity::CreateAllowedMentions {
    mentions(&[])
}

fn mentions(ping: &[UserId]) -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new().users(ping.iter().map(|u| serenity::UserId::new(u.0)))
}

/// The interaction being answered.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    /// A slash command or an autocomplete request.
    Command(&'a serenity::CommandInteraction),
    Component(&'a serenity::ComponentInteraction),
    Form(&'a serenity::ModalInteraction),
}

impl Target<'_> {
    async fn create_response(
        self,
        http: &serenity::Http,
        response: serenity::CreateInteractionResponse,
    ) -> serenity::Result<()> {
        match self {
            Self::Command(i) => i.create_response(http, response).await,
            Self::Component(i) => i.create_response(http, response).await,
            Self::Form(i) => i.create_response(http, response).await,
        }
    }

    fn is_autocomplete(self) -> bool {
        matches!(self, Self::Command(i) if i.data.autocomplete().is_some())
    }
}

/// Sends `answer`; if Discord refuses it, tells the member with a reference to the log line
/// (`during` says what was being answered). Returns whether the real answer went through.
pub(crate) async fn deliver(
    http: &serenity::Http,
    target: Target<'_>,
    answer: Answer,
    during: &str,
) -> bool {
    let response = answer.into_response();
    let refused = match retrying(ANSWER, || target.create_response(http, response.clone())).await {
        Ok(()) => return true,
        Err(e) => e,
    };
    let failure = anyhow::Error::new(refused).context(format!("answering {during}"));
    let fallback = if target.is_autocomplete() {
        // Autocomplete takes choices only; none is the only other answer it has.
        tracing::warn!(error = %failure, "an autocomplete answer was refused");
        Answer::Choices(serenity::CreateAutocompleteResponse::new())
    } else {
        Answer::private(member_message(&Error::internal(failure), during))
    };
    if let Err(e) = target.create_response(http, fallback.into_response()).await {
        tracing::warn!(error = %e, during, "could not answer an interaction at all");
    }
    false
}

/// Answers a poise slash command through [`deliver`]; a later reply to the same command (after
/// the first answer) becomes a follow-up message, as poise would send it. It pings nobody.
pub(crate) async fn reply(ctx: Context<'_>, reply: CreateReply) -> Result<()> {
    reply_pinging(ctx, reply, Vec::new()).await
}

/// [`reply`], allowed to ping exactly `ping`.
pub(crate) async fn reply_pinging(
    ctx: Context<'_>,
    reply: CreateReply,
    ping: Vec<UserId>,
) -> Result<()> {
    let reply = ctx.reply_builder(reply).allowed_mentions(mentions(&ping));
    let poise::Context::Application(actx) = ctx else {
        // Waypoint registers no prefix commands.
        ctx.send(reply).await?;
        return Ok(());
    };
    use std::sync::atomic::Ordering;
    if actx.has_sent_initial_response.load(Ordering::SeqCst) {
        retrying(ANSWER, || ctx.send(reply.clone())).await?;
        return Ok(());
    }
    let during = format!("/{}", ctx.command().qualified_name);
    let answer = if matches!(
        actx.interaction_type,
        poise::CommandInteractionType::Autocomplete
    ) {
        Answer::Choices(serenity::CreateAutocompleteResponse::new())
    } else {
        Answer::Pinging(reply, ping)
    };
    deliver(
        &ctx.serenity_context().http,
        Target::Command(actx.interaction),
        answer,
        &during,
    )
    .await;
    // Answered either way (the reply or the apology): anything more is a follow-up.
    actx.has_sent_initial_response.store(true, Ordering::SeqCst);
    Ok(())
}

/// Answers a poise slash command by opening a form; its submission reaches the feature whose
/// word starts the form's custom id.
pub(crate) async fn form(ctx: Context<'_>, form: serenity::CreateModal) -> Result<()> {
    let poise::Context::Application(actx) = ctx else {
        return Err(Error::user("Forms open only from slash commands."));
    };
    let during = format!("/{}", ctx.command().qualified_name);
    deliver(
        &ctx.serenity_context().http,
        Target::Command(actx.interaction),
        Answer::Form(form),
        &during,
    )
    .await;
    actx.has_sent_initial_response
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}
