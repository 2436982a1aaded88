//! Dropping repeat deliveries of an interaction.
//!
//! Discord may deliver the same interaction (same id and token) more than once, and anybody
//! holding an old payload can replay it. Every write an interaction causes must happen once:
//! the first delivery of an id is claimed in the database (so it holds across restarts and,
//! later, across processes sharing one database) and any repeat is dropped before it reaches a
//! service. Claims are forgotten once an interaction token has long expired.

use chrono::{DateTime, Duration, Utc};

use crate::background::{Services, Stop, Task};
use crate::store::{handled_interaction, Store};

/// Interaction tokens live 15 minutes; an hour is well past any retry.
pub const REMEMBER_FOR: Duration = Duration::hours(1);

#[derive(Debug, Clone)]
pub struct ReplayGuard {
    store: Store,
}

impl ReplayGuard {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Whether this is the first delivery of `interaction_id`. A database that cannot answer
    /// lets the interaction through: the services will then fail with a proper answer.
    pub async fn first_delivery(&self, interaction_id: u64, now: DateTime<Utc>) -> bool {
        let claimed = async {
            let mut conn = self.store.conn().await?;
            handled_interaction::claim(&mut conn, interaction_id, now).await
        };
        match claimed.await {
            Ok(first) => first,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "could not check for a repeated interaction");
                true
            }
        }
    }

    /// Forgets claims older than [`REMEMBER_FOR`]; returns how many.
    pub async fn forget_old(&self, now: DateTime<Utc>) -> anyhow::Result<u64> {
        let mut conn = self.store.conn().await?;
        handled_interaction::prune(&mut conn, now - REMEMBER_FOR).await
    }
}

/// The background task that forgets old claims, at start-up and then every `every`.
pub struct ForgetOldInteractions {
    pub every: std::time::Duration,
}

impl Default for ForgetOldInteractions {
    fn default() -> Self {
        Self {
            every: std::time::Duration::from_secs(600),
        }
    }
}

#[async_trait::async_trait]
impl Task for ForgetOldInteractions {
    fn name(&self) -> &'static str {
        "forget old interactions"
    }

    async fn run(self: Box<Self>, services: Services, mut stop: Stop) {
        let guard = ReplayGuard::new(services.store.clone());
        loop {
            match guard.forget_old(services.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(forgotten = n, "forgot old interaction ids"),
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "could not forget old interaction ids")
                }
            }
            if !stop.sleep(self.every).await {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Pool;
    use chrono::TimeZone;

    #[sqlx::test]
    async fn a_repeat_is_refused_until_long_after_the_token_expired(pool: Pool) {
        let guard = ReplayGuard::new(Store::from(pool));
        let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        assert!(guard.first_delivery(1, t0).await);
        assert!(!guard.first_delivery(1, t0 + Duration::seconds(1)).await);
        assert!(guard.first_delivery(2, t0).await);
        assert_eq!(
            guard.forget_old(t0 + Duration::minutes(59)).await.unwrap(),
            0
        );
        assert!(!guard.first_delivery(1, t0 + Duration::minutes(59)).await);
        assert_eq!(
            guard.forget_old(t0 + Duration::minutes(61)).await.unwrap(),
            2
        );
    }
}
