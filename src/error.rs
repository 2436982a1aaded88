//! One error type for the whole bot.
//!
//! A [`Error::User`] carries text written for the member who caused it (an unknown topic, a stale
//! button); it is shown as a short ephemeral message and is not logged as a failure. Everything
//! else is [`Error::Internal`]: logged with its context and a reference id, while the member only
//! sees a generic message quoting that id.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    /// Something the member can fix or should know; the text is shown to them as is.
    User(String),
    /// A failure of ours or of Discord's; never shown to members.
    Internal(anyhow::Error),
}

impl Error {
    pub fn user(message: impl Into<String>) -> Self {
        Self::User(message.into())
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    /// How an interaction that failed with this ended, for logs and metrics.
    pub fn outcome(&self) -> &'static str {
        match self {
            Self::User(_) => "refused",
            Self::Internal(_) => "error",
        }
    }

    /// A failure of the database (not of Discord or of the member's input).
    pub fn is_database(&self) -> bool {
        matches!(self, Self::Internal(e) if crate::store::is_database_error(e))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(message) => f.write_str(message),
            // `{:#}` prints the whole context chain on one line.
            Self::Internal(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Self::Internal(e)
    }
}

impl From<poise::serenity_prelude::Error> for Error {
    fn from(e: poise::serenity_prelude::Error) -> Self {
        Self::Internal(anyhow::Error::new(e).context("discord"))
    }
}

/// A short id that ties what a member is told to the log line with the details.
pub fn reference_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState is seeded randomly per process; mixing in a counter makes each id distinct.
    // (No clock here: only the clock seam reads the time.)
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:08X}", hasher.finish() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_errors_keep_their_text() {
        let e = Error::user("No topic called `x`.");
        assert_eq!(e.to_string(), "No topic called `x`.");
        assert!(matches!(e, Error::User(_)));
    }

    #[test]
    fn internal_errors_show_their_whole_context_chain() {
        let e = Error::internal(anyhow::anyhow!("disk full").context("saving progress"));
        assert_eq!(e.to_string(), "saving progress: disk full");
    }

    #[test]
    fn reference_ids_are_short_and_distinct() {
        let a = reference_id();
        let b = reference_id();
        assert_eq!(a.len(), 8);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
