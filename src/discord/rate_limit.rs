//! Retrying answers that hit Discord's rate limit.
//!
//! With a proxy in front of Discord, serenity's own rate limiter is off (see [`super::http`]), so a
//! 429 reaches the bot as an error. serenity 0.12 does not keep the answer's `retry_after`, so the
//! pauses are fixed: short for an answer to a member (an interaction must be answered within 3
//! seconds), longer for command registration, where giving up means the bot cannot start.

use std::future::Future;
use std::time::Duration;

use poise::serenity_prelude as serenity;

/// How often to try and how long to pause first; each later pause is one `first` longer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    pub what: &'static str,
    pub attempts: u32,
    pub first: Duration,
}

/// Answers to members: 300 ms then 600 ms, inside the 3-second window.
pub(crate) const ANSWER: Backoff = Backoff {
    what: "answer",
    attempts: 3,
    first: Duration::from_millis(300),
};

/// Registration at start-up: pauses of 1, 2, 3, 4 and 5 seconds.
pub(crate) const REGISTRATION: Backoff = Backoff {
    what: "command registration",
    attempts: 6,
    first: Duration::from_secs(1),
};

pub(crate) fn is_rate_limited(error: &serenity::Error) -> bool {
    matches!(error, serenity::Error::Http(e) if e.status_code().is_some_and(|s| s.as_u16() == 429))
}

/// Runs `attempt` until it succeeds, fails with something other than a 429, or has been tried
/// `backoff.attempts` times.
pub(crate) async fn retrying<T, F, Fut>(
    backoff: Backoff,
    mut attempt: F,
) -> Result<T, serenity::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(e) if is_rate_limited(&e) && tries < backoff.attempts => {
                tracing::warn!(
                    what = backoff.what,
                    tries,
                    "rate limited by Discord; retrying"
                );
                tokio::time::sleep(backoff.first * tries).await;
                tries += 1;
            }
            result => return result,
        }
    }
}
