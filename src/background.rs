//! The bot's background tasks: work that runs on its own schedule rather than in answer to an
//! interaction (the reminder dispatcher and the HTTP endpoint will be the next ones).
//!
//! `app::run` starts them once the database is open and stops them on shutdown, before the
//! database closes: each is told to stop, then awaited for a bounded time, then abandoned.
//! A task gets the clock (never the wall clock), the store, and the outbox to send messages.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::clock::SharedClock;
use crate::outbox::Outbox;
use crate::store::Store;

/// What every task is handed.
#[derive(Clone)]
pub struct Services {
    pub clock: SharedClock,
    pub store: Store,
    pub outbox: Arc<dyn Outbox>,
}

/// Tells a task when to stop. Cheap to clone.
#[derive(Clone)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once stopping was asked for.
    pub async fn requested(&mut self) {
        // An error means the sender is gone, which also means stop.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Sleeps for `period` unless asked to stop first; `false` means "stop now".
    pub async fn sleep(&mut self, period: Duration) -> bool {
        tokio::select! {
            () = self.requested() => false,
            () = tokio::time::sleep(period) => !self.is_requested(),
        }
    }
}

#[async_trait::async_trait]
pub trait Task: Send + 'static {
    fn name(&self) -> &'static str;

    /// Runs until `stop` is requested; should return soon after it is.
    async fn run(self: Box<Self>, services: Services, stop: Stop);
}

/// The running tasks.
pub struct Background {
    stop: watch::Sender<bool>,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

impl Background {
    pub fn start(tasks: Vec<Box<dyn Task>>, services: Services) -> Self {
        let (stop, stopped) = watch::channel(false);
        let tasks = tasks
            .into_iter()
            .map(|task| {
                let name = task.name();
                tracing::debug!(task = name, "starting a background task");
                let handle = tokio::spawn(task.run(services.clone(), Stop(stopped.clone())));
                (name, handle)
            })
            .collect();
        Self { stop, tasks }
    }

    /// Asks every task to stop and waits for them, at most `limit` in all; tasks still running
    /// then are abandoned. Says whether every task finished in time.
    pub async fn stop(self, limit: Duration) -> bool {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + limit;
        let mut all_finished = true;
        for (name, mut handle) in self.tasks {
            match tokio::time::timeout_at(deadline, &mut handle).await {
                Ok(Ok(())) => tracing::debug!(task = name, "background task stopped"),
                Ok(Err(e)) => {
                    tracing::error!(task = name, error = %e, "background task failed");
                }
                Err(_) => {
                    tracing::warn!(
                        task = name,
                        "background task did not stop in time; abandoning it"
                    );
                    handle.abort();
                    all_finished = false;
                }
            }
        }
        all_finished
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::outbox::{Destination, Outgoing, SendError, Sent};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// An outbox that refuses everything: these tests send nothing.
    pub(crate) struct NoOutbox;

    #[async_trait::async_trait]
    impl Outbox for NoOutbox {
        async fn send(&self, _: Destination, _: Outgoing) -> Result<Sent, SendError> {
            Err(SendError::Failed(anyhow::anyhow!("no outbox in this test")))
        }
        async fn edit(&self, _: Sent, _: Outgoing) -> Result<(), SendError> {
            Err(SendError::Failed(anyhow::anyhow!("no outbox in this test")))
        }
    }

    pub(crate) fn services(store: Store, clock: SharedClock) -> Services {
        Services {
            clock,
            store,
            outbox: Arc::new(NoOutbox),
        }
    }

    struct Ticker(Arc<AtomicUsize>);

    #[async_trait::async_trait]
    impl Task for Ticker {
        fn name(&self) -> &'static str {
            "ticker"
        }
        async fn run(self: Box<Self>, _: Services, mut stop: Stop) {
            while stop.sleep(Duration::from_millis(5)).await {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    struct Stubborn;

    #[async_trait::async_trait]
    impl Task for Stubborn {
        fn name(&self) -> &'static str {
            "stubborn"
        }
        async fn run(self: Box<Self>, _: Services, _: Stop) {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }

    #[sqlx::test]
    async fn tasks_run_until_told_to_stop_and_a_stubborn_one_is_abandoned(
        pool: crate::store::Pool,
    ) {
        let clock = Arc::new(ManualClock::new(chrono::DateTime::UNIX_EPOCH));
        let ticks = Arc::new(AtomicUsize::new(0));
        let running = Background::start(
            vec![Box::new(Ticker(ticks.clone()))],
            services(Store::from(pool.clone()), clock.clone()),
        );
        while ticks.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let started = std::time::Instant::now();
        assert!(running.stop(Duration::from_secs(2)).await);
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "stopped promptly"
        );
        let after = ticks.load(Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(
            ticks.load(Ordering::SeqCst),
            after,
            "no tick after stopping"
        );

        let running =
            Background::start(vec![Box::new(Stubborn)], services(Store::from(pool), clock));
        let started = std::time::Instant::now();
        assert!(!running.stop(Duration::from_millis(100)).await);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the limit holds"
        );
    }
}
