//! The one place that reads the wall clock.
//!
//! `app::run` receives a [`Clock`]; the Discord adapter and the background tasks ask it for `now`
//! once per interaction or tick and hand that instant to services and stores, which never read
//! the time themselves. Production passes [`SystemClock`]; tests pass a [`ManualClock`] and move
//! it across midnights, DST changes and downtime on purpose.

use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// What every part of the bot holds: one clock, shared.
pub type SharedClock = Arc<dyn Clock>;

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to, for tests (and for replaying a day by hand).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.lock() = to;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        *now += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // The guarded value is a plain instant: a panic elsewhere cannot leave it half-written.
        self.now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::days(1));
        assert_eq!(clock.now(), start + Duration::days(1));
        clock.set(start);
        assert_eq!(clock.now(), start);
    }

    #[test]
    fn the_system_clock_is_the_wall_clock() {
        let before = Utc::now();
        let read = SystemClock.now();
        assert!(read >= before && read <= Utc::now());
    }
}
