//! Messages the bot sends on its own (reminders, study-group nudges, challenge posts), in
//! Discord-free terms. Background work builds an [`Outgoing`] and hands it to an [`Outbox`]; the
//! real one (`discord::send`) applies Discord's rules: 429s retried, texts cut to Discord's
//! limits, nobody pinged unless the message names who. Tests put their own outbox behind it.

use crate::member::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChannelId(pub u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageId(pub u64);

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Channel(ChannelId),
    /// A direct message to a user.
    Dm(UserId),
}

/// A message: text, an optional card and buttons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub content: String,
    pub card: Option<Card>,
    pub buttons: Vec<Button>,
    /// The users this message may ping; everyone else named in it is shown but not notified.
    pub ping: Vec<UserId>,
}

/// An embed, in the few parts the bot uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    pub title: String,
    pub description: String,
    pub fields: Vec<(String, String)>,
    pub footer: Option<String>,
    pub colour: Option<u32>,
}

/// A button whose custom id a feature handles (see `discord::custom_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
}

/// A message that was sent, so it can be edited later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub channel: ChannelId,
    pub message: MessageId,
}

/// Why a message did not go out; the first three are about the target, so the caller can
/// disable it and say so rather than retry forever.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the user does not accept direct messages from the bot")]
    DmClosed,
    #[error("the channel, message or user no longer exists")]
    Gone,
    #[error("the bot lacks the permission to post there")]
    Forbidden,
    #[error("Discord kept rate-limiting the message")]
    RateLimited,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl SendError {
    /// A failure that sending again will not fix.
    pub fn is_dead_target(&self) -> bool {
        matches!(self, Self::DmClosed | Self::Gone | Self::Forbidden)
    }
}

#[async_trait::async_trait]
pub trait Outbox: Send + Sync {
    async fn send(&self, to: Destination, message: Outgoing) -> Result<Sent, SendError>;

    /// Replaces the text, card and buttons of a message the bot sent.
    async fn edit(&self, sent: Sent, message: Outgoing) -> Result<(), SendError>;
}
