//! The real [`Outbox`]: serenity's HTTP client, with Discord's rules applied once for every
//! message the bot sends by itself.

use std::sync::Arc;

use poise::serenity_prelude as serenity;

use super::rate_limit::{is_rate_limited, retrying, Backoff};
use super::render::truncate;
use crate::outbox::{ChannelId, Destination, MessageId, Outbox, Outgoing, SendError, Sent};

/// Background sends are not racing a 3-second window: pauses of 1, 2 and 3 seconds.
const BACKGROUND: Backoff = Backoff {
    what: "background message",
    attempts: 4,
    first: std::time::Duration::from_secs(1),
};

pub struct SerenityOutbox {
    http: Arc<serenity::Http>,
}

impl SerenityOutbox {
    pub fn new(http: Arc<serenity::Http>) -> Self {
        Self { http }
    }

    async fn channel_of(&self, to: Destination) -> Result<serenity::ChannelId, SendError> {
        match to {
            Destination::Channel(ChannelId(id)) => Ok(serenity::ChannelId::new(id)),
            Destination::Dm(user) => {
                let user = serenity::UserId::new(user.0);
                let channel = retrying(BACKGROUND, || user.create_dm_channel(&self.http))
                    .await
                    .map_err(classify)?;
                Ok(channel.id)
            }
        }
    }
}

#[async_trait::async_trait]
impl Outbox for SerenityOutbox {
    async fn send(&self, to: Destination, message: Outgoing) -> Result<Sent, SendError> {
        let channel = self.channel_of(to).await?;
        let builder = create_message(&message);
        let sent = retrying(BACKGROUND, || {
            channel.send_message(&self.http, builder.clone())
        })
        .await
        .map_err(classify)?;
        Ok(Sent {
            channel: ChannelId(sent.channel_id.get()),
            message: MessageId(sent.id.get()),
        })
    }

    async fn edit(&self, sent: Sent, message: Outgoing) -> Result<(), SendError> {
        let channel = serenity::ChannelId::new(sent.channel.0);
        let id = serenity::MessageId::new(sent.message.0);
        let builder = edit_message(&message);
        retrying(BACKGROUND, || {
            channel.edit_message(&self.http, id, builder.clone())
        })
        .await
        .map_err(classify)?;
        Ok(())
    }
}

/// Discord's answer, as the caller needs it: a dead target or a failure.
fn classify(error: serenity::Error) -> SendError {
    if is_rate_limited(&error) {
        return SendError::RateLimited;
    }
    if let serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) = &error {
        match (response.status_code.as_u16(), response.error.code) {
            (_, 50007) => return SendError::DmClosed,
            (404, _) | (_, 10003 | 10008 | 10013) => return SendError::Gone,
            (403, _) => return SendError::Forbidden,
            _ => {}
        }
    }
    SendError::Failed(anyhow::Error::new(error).context("sending a message"))
}

// Discord's limits on what a message may carry.
const CONTENT_MAX: usize = 2_000;
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4_096;
const FIELDS_MAX: usize = 25;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1_024;
const FOOTER_MAX: usize = 2_048;
const EMBED_TOTAL_MAX: usize = 6_000;
const BUTTONS_PER_ROW: usize = 5;
const ROWS_MAX: usize = 5;
const LABEL_MAX: usize = 80;

fn mentions(message: &Outgoing) -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .users(message.ping.iter().map(|u| serenity::UserId::new(u.0)))
}

/// The card as an embed within every limit, the 6,000 characters of all its texts included:
/// title, description and footer first, then as many fields as fit (the last one cut).
fn embed(message: &Outgoing) -> Option<serenity::CreateEmbed> {
    let card = message.card.as_ref()?;
    let title = truncate(&card.title, TITLE_MAX);
    let description = truncate(&card.description, DESCRIPTION_MAX);
    let footer = card.footer.as_deref().map(|f| truncate(f, FOOTER_MAX));
    let length = |s: &str| s.chars().count();
    let mut budget = EMBED_TOTAL_MAX
        - length(&title)
        - length(&description)
        - footer.as_deref().map_or(0, length);
    let mut embed = serenity::CreateEmbed::new()
        .title(title)
        .description(description);
    for (name, value) in card.fields.iter().take(FIELDS_MAX) {
        let name = truncate(name, FIELD_NAME_MAX);
        let room = budget.saturating_sub(length(&name)).min(FIELD_VALUE_MAX);
        if name.is_empty() || room < 2 {
            break;
        }
        let value = truncate(value, room);
        budget -= length(&name) + length(&value);
        embed = embed.field(name, value, false);
    }
    if let Some(footer) = footer {
        embed = embed.footer(serenity::CreateEmbedFooter::new(footer));
    }
    if let Some(colour) = card.colour {
        embed = embed.colour(colour);
    }
    Some(embed)
}

fn rows(message: &Outgoing) -> Vec<serenity::CreateActionRow> {
    message
        .buttons
        .chunks(BUTTONS_PER_ROW)
        .take(ROWS_MAX)
        .map(|chunk| {
            serenity::CreateActionRow::Buttons(
                chunk
                    .iter()
                    .map(|b| {
                        serenity::CreateButton::new(b.custom_id.clone())
                            .label(truncate(&b.label, LABEL_MAX))
                            .style(serenity::ButtonStyle::Primary)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The message as an ephemeral reply (its card and buttons included), for a command that
/// shows privately what the bot posts.
pub(crate) fn as_private_reply(message: &Outgoing) -> poise::CreateReply {
    let mut reply = poise::CreateReply::default()
        .content(truncate(&message.content, CONTENT_MAX))
        .components(rows(message))
        .ephemeral(true);
    if let Some(embed) = embed(message) {
        reply = reply.embed(embed);
    }
    reply
}

fn create_message(message: &Outgoing) -> serenity::CreateMessage {
    let mut builder = serenity::CreateMessage::new()
        .content(truncate(&message.content, CONTENT_MAX))
        .allowed_mentions(mentions(message))
        .components(rows(message));
    if let Some(embed) = embed(message) {
        builder = builder.embed(embed);
    }
    builder
}

fn edit_message(message: &Outgoing) -> serenity::EditMessage {
    let mut builder = serenity::EditMessage::new()
        .content(truncate(&message.content, CONTENT_MAX))
        .allowed_mentions(mentions(message))
        .components(rows(message));
    builder = match embed(message) {
        Some(embed) => builder.embed(embed),
        None => builder.embeds(Vec::new()),
    };
    builder
}
