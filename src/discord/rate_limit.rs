//! Retrying answers that hit Discord's rate limit.
//!
//! With a proxy in front of Discord, serenity's own rate limiter is off (see [`super::http`]), so a
//! 429 reaches the bot as an error. An answer to a member is worth a short wait: it is retried a
//! couple of times with growing pauses (an interaction must be answered within 3 seconds, so the
//! pauses stay well inside that) instead of being lost.

use std::future::Future;
use std::time::Duration;

use poise::serenity_prelude as serenity;

const ATTEMPTS: u32 = 3;
const FIRST_PAUSE: Duration = Duration::from_millis(300);

pub(crate) fn is_rate_limited(error: &serenity::Error) -> bool {
    matches!(error, serenity::Error::Http(e) if e.status_code().is_some_and(|s| s.as_u16() == 429))
}

/// Runs `attempt` until it succeeds, fails with something other than a 429, or has been tried
/// [`ATTEMPTS`] times.
pub(crate) async fn retrying<T, F, Fut>(what: &str, mut attempt: F) -> Result<T, serenity::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(e) if is_rate_limited(&e) && tries < ATTEMPTS => {
                tracing::warn!(what, tries, "rate limited by Discord; retrying");
                tokio::time::sleep(FIRST_PAUSE * tries).await;
                tries += 1;
            }
            result => return result,
        }
    }
}
