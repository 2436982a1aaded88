//! Knowing when every event handler has finished, so shutdown can let in-flight work (a reply
//! being sent, a status being saved) complete before the database closes.
//!
//! serenity spawns a task per gateway event and keeps no handle to it; the gate (the wrapper
//! around the framework's `dispatch`) is the one place every event passes through.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

#[derive(Debug, Clone, Default)]
pub struct InFlight {
    inner: Arc<Counter>,
}

#[derive(Debug, Default)]
struct Counter {
    running: AtomicUsize,
    idle: Notify,
}

/// Held while one event is being handled.
pub struct Guard {
    inner: Arc<Counter>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.inner.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.inner.idle.notify_waiters();
        }
    }
}

impl InFlight {
    pub fn enter(&self) -> Guard {
        self.inner.running.fetch_add(1, Ordering::SeqCst);
        Guard {
            inner: self.inner.clone(),
        }
    }

    pub fn running(&self) -> usize {
        self.inner.running.load(Ordering::SeqCst)
    }

    /// Waits until nothing is running, at most `limit`; says whether it got there.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let idle = self.inner.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.running() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                return self.running() == 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_running_work_and_gives_up_at_the_limit() {
        let in_flight = InFlight::default();
        assert!(in_flight.wait_idle(Duration::from_millis(10)).await);

        let guard = in_flight.enter();
        assert!(!in_flight.wait_idle(Duration::from_millis(20)).await);

        let waiter = tokio::spawn({
            let in_flight = in_flight.clone();
            async move { in_flight.wait_idle(Duration::from_secs(5)).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(guard);
        assert!(matches!(waiter.await, Ok(true)));
        assert_eq!(in_flight.running(), 0);
    }
}
