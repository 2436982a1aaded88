//! Study check-ins and streaks, counted on each member's own calendar day.

pub mod heatmap;
pub mod rules;
pub mod service;

pub use service::{CheckIn, MemberStreak, Recorded, StudyService};

/// The background task that sets ended streaks to 0, so the streak board's index holds the live
/// ones (the board also checks each streak's end itself, so this only keeps it fast).
pub struct EndStreaks {
    pub every: std::time::Duration,
}

impl Default for EndStreaks {
    fn default() -> Self {
        Self {
            every: std::time::Duration::from_secs(60),
        }
    }
}

#[async_trait::async_trait]
impl crate::background::Task for EndStreaks {
    fn name(&self) -> &'static str {
        "end streaks"
    }

    async fn run(
        self: Box<Self>,
        services: crate::background::Services,
        mut stop: crate::background::Stop,
    ) {
        loop {
            let ended = async {
                let now = services.clock.now();
                let mut conn = services.store.conn().await?;
                if !crate::store::streak::any_ended(&mut conn, now).await? {
                    return anyhow::Ok(0);
                }
                drop(conn);
                let mut tx = services.store.begin().await?;
                let ended = crate::store::streak::zero_ended(&mut tx, now).await?;
                tx.commit().await?;
                anyhow::Ok(ended)
            };
            match ended.await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(ended = n, "streaks ended"),
                Err(e) => tracing::warn!(error = %format!("{e:#}"), "could not end streaks"),
            }
            if !stop.sleep(self.every).await {
                return;
            }
        }
    }
}
