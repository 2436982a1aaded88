//! The dispatcher: sends due reminders, once per reminder and local date, whatever restarts,
//! crashes, downtime or clock jumps happen. The database is its queue.
//!
//! Every tick (at most [`TICK`] apart, never one long sleep to a computed instant, so a jump of
//! the clock is honoured) it takes the reminders whose next occurrence is due by the clock's
//! `now`, oldest first, and for each:
//! 1. claims the occurrence under its (reminder, local date) key and moves the reminder on to
//!    its next occurrence, in one transaction, before anything is sent: a repeat of the same
//!    occurrence, after a crash at any point, finds the claim and sends nothing (an occurrence
//!    whose send outcome was lost stays "claimed" and is not repeated);
//! 2. an occurrence overdue by more than the grace (downtime) is recorded as missed, never sent;
//!    within the grace it is sent once, marked late; so downtime never floods anyone;
//! 3. sends at most `ceiling` messages a second; a failure that is the target's (closed DMs, a
//!    deleted channel, no access) disables the reminder with the reason; other failures are
//!    retried a bounded number of times, then recorded as failed.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::schedule::{Occurrence, Schedule};
use crate::background::{Services, Stop, Task};
use crate::outbox::{ChannelId, Destination, Outgoing, SendError};
use crate::store::reminder::{self, OccurrenceState, ReminderRow};
use crate::store::Store;

/// The dispatcher wakes at least this often.
pub const TICK: StdDuration = StdDuration::from_secs(15);
/// How many due reminders one pass takes at a time.
const BATCH: u32 = 200;
/// Sends of one occurrence before it is recorded as failed.
const ATTEMPTS: u32 = 3;

/// What a reminder says; built by the reminder service from the member's streak and roadmap.
#[async_trait::async_trait]
pub trait Compose: Send + Sync {
    /// `None`: nothing to send (the member already studied that day).
    async fn compose(
        &self,
        reminder: &ReminderRow,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Outgoing>>;
}

/// Deadlines the dispatcher keeps besides reminders (challenges closing), on the same ticks.
#[async_trait::async_trait]
pub trait Deadlines: Send + Sync {
    /// Handles everything due by `now`, once each; returns how many.
    async fn close_due(
        &self,
        outbox: &dyn crate::outbox::Outbox,
        now: DateTime<Utc>,
    ) -> anyhow::Result<u32>;
}

/// When the dispatcher last looked for due reminders (for `/status`).
#[derive(Debug, Clone, Default)]
pub struct Heartbeat(Arc<std::sync::atomic::AtomicI64>);

impl Heartbeat {
    fn beat(&self, at: DateTime<Utc>) {
        self.0
            .store(at.timestamp_millis(), std::sync::atomic::Ordering::Relaxed);
    }

    /// `None` before the first pass.
    pub fn last(&self) -> Option<DateTime<Utc>> {
        let millis = self.0.load(std::sync::atomic::Ordering::Relaxed);
        (millis != 0)
            .then(|| DateTime::from_timestamp_millis(millis))
            .flatten()
    }
}

pub struct Dispatcher {
    pub compose: Arc<dyn Compose>,
    /// Closes challenges at their deadlines.
    pub deadlines: Vec<Arc<dyn Deadlines>>,
    /// Where passes are counted (`/metrics`).
    pub telemetry: Option<crate::telemetry::Telemetry>,
    pub heartbeat: Heartbeat,
    /// An occurrence later than this is missed, not sent.
    pub grace: Duration,
    /// Messages a second, at most.
    pub ceiling: u32,
    pub tick: StdDuration,
    /// How long one send may take. A send that times out may still have been delivered, so it
    /// is recorded as failed and not retried (never twice).
    pub send_limit: StdDuration,
}

/// The default [`Dispatcher::send_limit`].
pub const SEND_LIMIT: StdDuration = StdDuration::from_secs(15);

/// What one pass did, for logs, `/status` and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: u32,
    pub late: u32,
    pub skipped: u32,
    pub missed: u32,
    pub failed: u32,
    pub dead: u32,
    /// Occurrences already claimed before (a restart in the middle of a batch).
    pub already: u32,
}

/// The occurrence after `date`, not before the pause's end.
pub fn next_occurrence(
    schedule: &Schedule,
    date: NaiveDate,
    paused_until: Option<NaiveDate>,
) -> Option<Occurrence> {
    let mut next = schedule.next_after_date(date)?;
    if let Some(resume) = paused_until {
        while next.date < resume {
            next = schedule.next_after_date(next.date)?;
        }
    }
    Some(next)
}

impl Dispatcher {
    /// Handles everything due by `now`.
    pub async fn pass(
        &self,
        services: &Services,
        now: DateTime<Utc>,
        stop: Option<&Stop>,
    ) -> anyhow::Result<Pass> {
        let mut pass = Pass::default();
        let gap = StdDuration::from_secs_f64(1.0 / f64::from(self.ceiling.max(1)));
        let mut next_send = tokio::time::Instant::now();
        loop {
            let due = {
                let mut conn = services.store.conn().await?;
                reminder::due(&mut conn, now, BATCH).await?
            };
            if due.is_empty() {
                return Ok(pass);
            }
            for row in due {
                if stop.is_some_and(Stop::is_requested) {
                    return Ok(pass);
                }
                let Some((date, due_at)) = row.next else {
                    continue;
                };
                let state = self.claim(&services.store, &row, date, due_at, now).await?;
                match state {
                    None => pass.already += 1,
                    Some(OccurrenceState::Missed) => {
                        self.count(&row, "missed");
                        pass.missed += 1;
                    }
                    Some(OccurrenceState::Skipped) => {
                        self.count(&row, "skipped");
                        pass.skipped += 1;
                    }
                    Some(_) => {
                        tokio::time::sleep_until(next_send).await;
                        // The next slot follows this one's schedule, not the moment the timer
                        // woke, so timer lateness does not add up; after a stall it restarts
                        // from now rather than bursting to catch up.
                        let woke = tokio::time::Instant::now();
                        next_send = if next_send + gap < woke {
                            woke + gap
                        } else {
                            next_send + gap
                        };
                        let late = now - due_at > Duration::minutes(1);
                        let (counter, outcome) =
                            match self.deliver(services, &row, date, late, now).await? {
                                OccurrenceState::Sent => (&mut pass.sent, "sent"),
                                OccurrenceState::Late => (&mut pass.late, "late"),
                                OccurrenceState::Skipped => (&mut pass.skipped, "skipped"),
                                OccurrenceState::Dead => (&mut pass.dead, "dead"),
                                _ => (&mut pass.failed, "failed"),
                            };
                        *counter += 1;
                        self.count(&row, outcome);
                    }
                }
            }
        }
    }

    /// Counts one handled occurrence for `/metrics`, by kind (a member's reminder or a group's
    /// nudge) and outcome.
    fn count(&self, row: &ReminderRow, outcome: &str) {
        if let Some(telemetry) = &self.telemetry {
            let kind = if row.group.is_some() {
                "nudge"
            } else {
                "reminder"
            };
            telemetry.reminder(kind, outcome);
        }
    }

    /// Claims the occurrence and moves the reminder on, in one transaction. `None`: it was
    /// claimed before; otherwise the state it was claimed in.
    async fn claim(
        &self,
        store: &Store,
        row: &ReminderRow,
        date: NaiveDate,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<OccurrenceState>> {
        let state = if now - due > self.grace {
            OccurrenceState::Missed
        } else {
            OccurrenceState::Claimed
        };
        let next = next_occurrence(&row.schedule, date, row.paused_until).map(|o| (o.date, o.due));
        let mut tx = store.begin().await?;
        let claimed = reminder::claim(&mut tx, row.id, date, due, state, now).await?;
        reminder::advance(&mut tx, row.id, next).await?;
        tx.commit().await?;
        Ok(claimed.then_some(state))
    }

    /// Sends a claimed occurrence and records how it ended.
    async fn deliver(
        &self,
        services: &Services,
        row: &ReminderRow,
        date: NaiveDate,
        late: bool,
        now: DateTime<Utc>,
    ) -> anyhow::Result<OccurrenceState> {
        let finish = |state: OccurrenceState, attempts: u32, detail: Option<String>| async move {
            let mut conn = services.store.conn().await?;
            reminder::finish(
                &mut conn,
                row.id,
                date,
                state,
                attempts,
                detail.as_deref(),
                now,
            )
            .await?;
            if state == OccurrenceState::Dead {
                reminder::disable(
                    &mut conn,
                    row.id,
                    detail.as_deref().unwrap_or("the target is gone"),
                )
                .await?;
            }
            anyhow::Ok(state)
        };
        let message = match self.compose.compose(row, date, now).await {
            Ok(Some(message)) => message,
            Ok(None) => return finish(OccurrenceState::Skipped, 0, None).await,
            Err(e) => return finish(OccurrenceState::Failed, 0, Some(format!("{e:#}"))).await,
        };
        let to = match row.channel {
            Some(channel) => Destination::Channel(ChannelId(channel)),
            None => Destination::Dm(row.member.user),
        };
        let mut attempts = 0;
        loop {
            attempts += 1;
            let sent =
                tokio::time::timeout(self.send_limit, services.outbox.send(to, message.clone()))
                    .await;
            let Ok(sent) = sent else {
                let detail =
                    "Discord did not answer in time (the message may have arrived; not sent again)";
                return finish(OccurrenceState::Failed, attempts, Some(detail.to_owned())).await;
            };
            match sent {
                Ok(sent) => {
                    if row.channel.is_none() {
                        // One request next time: the DM channel is kept.
                        let mut conn = services.store.conn().await?;
                        reminder::remember_channel(&mut conn, row.id, sent.channel.0).await?;
                    }
                    let state = if late {
                        OccurrenceState::Late
                    } else {
                        OccurrenceState::Sent
                    };
                    return finish(state, attempts, None).await;
                }
                Err(e) if e.is_dead_target() => {
                    return finish(
                        OccurrenceState::Dead,
                        attempts,
                        Some(dead_reason(&e).to_owned()),
                    )
                    .await;
                }
                Err(e) if attempts >= ATTEMPTS => {
                    return finish(OccurrenceState::Failed, attempts, Some(e.to_string())).await;
                }
                Err(e) => {
                    tracing::debug!(reminder = row.id, attempts, error = %e, "retrying a reminder");
                    tokio::time::sleep(StdDuration::from_millis(250 * u64::from(attempts))).await;
                }
            }
        }
    }
}

/// What a member is told about a reminder the bot turned off.
pub fn dead_reason(error: &SendError) -> &'static str {
    match error {
        SendError::DmClosed => "your DMs are closed to the bot",
        SendError::Gone => "the channel or conversation no longer exists",
        SendError::Forbidden => "the bot may not post there",
        _ => "Discord refused it",
    }
}

#[async_trait::async_trait]
impl Task for Dispatcher {
    fn name(&self) -> &'static str {
        "reminder dispatcher"
    }

    async fn run(self: Box<Self>, services: Services, mut stop: Stop) {
        loop {
            let now = services.clock.now();
            self.heartbeat.beat(now);
            if let Some(telemetry) = &self.telemetry {
                let depth = match services.store.conn().await {
                    Ok(mut conn) => reminder::count_due(&mut conn, now).await.unwrap_or(0),
                    Err(_) => 0,
                };
                telemetry.dispatcher(depth, now.timestamp());
            }
            let result = self.pass(&services, now, Some(&stop)).await;
            match result {
                Ok(pass) if pass != Pass::default() => tracing::info!(?pass, "reminders handled"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "the reminder dispatcher failed a pass")
                }
            }
            for deadlines in &self.deadlines {
                match deadlines.close_due(&*services.outbox, now).await {
                    Ok(0) => {}
                    Ok(closed) => tracing::info!(closed, "deadlines passed"),
                    Err(e) => {
                        tracing::warn!(error = %format!("{e:#}"), "the dispatcher failed to close deadlines")
                    }
                }
            }
            if !stop.sleep(self.tick.min(TICK)).await {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::member::Member;
    use crate::outbox::{MessageId, Outbox, Sent};
    use crate::reminder::schedule::Days;
    use crate::store::Pool;
    use chrono::NaiveTime;
    use chrono_tz::Tz;
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// An outbox that records what it sends, and fails or hangs as told, per user.
    #[derive(Default)]
    struct Recorder {
        sent: Mutex<Vec<(Destination, String)>>,
        /// user → errors to answer with, in order, before succeeding.
        failures: Mutex<HashMap<u64, Vec<SendError>>>,
        hang_for: Mutex<Option<u64>>,
    }

    #[async_trait::async_trait]
    impl Outbox for Recorder {
        async fn send(&self, to: Destination, message: Outgoing) -> Result<Sent, SendError> {
            let user = match to {
                Destination::Dm(user) => user.0,
                Destination::Channel(ChannelId(c)) => c - 1_000,
            };
            if *self.hang_for.lock().unwrap() == Some(user) {
                std::future::pending::<()>().await;
            }
            if let Some(errors) = self.failures.lock().unwrap().get_mut(&user) {
                if !errors.is_empty() {
                    return Err(errors.remove(0));
                }
            }
            self.sent.lock().unwrap().push((to, message.content));
            Ok(Sent {
                channel: ChannelId(user + 1_000),
                message: MessageId(1),
            })
        }

        async fn edit(&self, _: Sent, _: Outgoing) -> Result<(), SendError> {
            Ok(())
        }
    }

    impl Recorder {
        fn count_for(&self, user: u64) -> usize {
            self.sent
                .lock()
                .unwrap()
                .iter()
                .filter(|(to, _)| match to {
                    Destination::Dm(u) => u.0 == user,
                    Destination::Channel(ChannelId(c)) => *c == user + 1_000,
                })
                .count()
        }

        fn total(&self) -> usize {
            self.sent.lock().unwrap().len()
        }
    }

    struct Text;

    #[async_trait::async_trait]
    impl Compose for Text {
        async fn compose(
            &self,
            reminder: &ReminderRow,
            date: NaiveDate,
            _: DateTime<Utc>,
        ) -> anyhow::Result<Option<Outgoing>> {
            Ok(Some(Outgoing {
                content: format!("study time, {} on {date}", reminder.member.user.0),
                ..Outgoing::default()
            }))
        }
    }

    fn dispatcher(ceiling: u32) -> Dispatcher {
        Dispatcher {
            deadlines: Vec::new(),
            telemetry: None,
            compose: Arc::new(Text),
            heartbeat: Heartbeat::default(),
            grace: Duration::hours(2),
            ceiling,
            tick: TICK,
            send_limit: SEND_LIMIT,
        }
    }

    fn services(pool: Pool, outbox: Arc<Recorder>, now: DateTime<Utc>) -> Services {
        Services {
            clock: Arc::new(ManualClock::new(now)),
            store: Store::from(pool),
            outbox,
        }
    }

    /// 19:00 every day in Berlin, for `users`, set up at `now`.
    async fn reminders(store: &Store, users: impl IntoIterator<Item = u64>, now: DateTime<Utc>) {
        let schedule = Schedule {
            time: NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
            days: Days::EVERY_DAY,
            zone: Tz::Europe__Berlin,
        };
        let next = schedule.next_after(now).map(|o| (o.date, o.due));
        let mut conn = store.conn().await.unwrap();
        for user in users {
            reminder::upsert_member(&mut conn, Member::new(1, user), schedule, false, next, now)
                .await
                .unwrap();
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    async fn states(pool: &Pool) -> Vec<(String, String)> {
        sqlx::query_as(
            "SELECT local_date, state FROM reminder_occurrence ORDER BY local_date, reminder_id",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    }

    #[sqlx::test]
    async fn a_due_reminder_is_sent_once_at_its_local_time(pool: Pool) {
        let outbox = Arc::new(Recorder::default());
        let setup = at("2026-11-26T12:00:00Z");
        let services = services(pool.clone(), outbox.clone(), setup);
        reminders(&services.store, [7], setup).await;
        let telemetry = crate::telemetry::Telemetry::new();
        let d = Dispatcher {
            telemetry: Some(telemetry.clone()),
            ..dispatcher(100)
        };
        // 19:00 in Berlin is 18:00 UTC in November: not due at 17:59.
        assert_eq!(
            d.pass(&services, at("2026-11-26T17:59:00Z"), None)
                .await
                .unwrap(),
            Pass::default()
        );
        let first = d
            .pass(&services, at("2026-11-26T18:00:05Z"), None)
            .await
            .unwrap();
        assert_eq!(first.sent, 1);
        // Again in the same minute, and an hour later: nothing more that day.
        assert_eq!(
            d.pass(&services, at("2026-11-26T18:00:05Z"), None)
                .await
                .unwrap(),
            Pass::default()
        );
        assert_eq!(
            d.pass(&services, at("2026-11-26T19:00:00Z"), None)
                .await
                .unwrap(),
            Pass::default()
        );
        assert_eq!(outbox.count_for(7), 1);
        // The next day, one more, to the DM channel kept from the first (one request).
        d.pass(&services, at("2026-11-27T18:00:30Z"), None)
            .await
            .unwrap();
        assert_eq!(outbox.count_for(7), 2);
        assert!(telemetry
            .render()
            .contains("waypoint_reminders_total{kind=\"reminder\",outcome=\"sent\"} 2"));
        assert!(matches!(
            outbox.sent.lock().unwrap()[1].0,
            Destination::Channel(ChannelId(1_007))
        ));
        assert_eq!(
            states(&pool).await,
            [
                ("2026-11-26".into(), "sent".into()),
                ("2026-11-27".into(), "sent".into())
            ]
        );
    }

    #[sqlx::test]
    async fn a_restart_in_the_middle_of_a_batch_sends_nothing_twice_and_loses_nothing(pool: Pool) {
        let outbox = Arc::new(Recorder::default());
        let setup = at("2026-11-26T12:00:00Z");
        let services = services(pool.clone(), outbox.clone(), setup);
        reminders(&services.store, 1..=20, setup).await;
        // The send to member 11 hangs: the process dies there (the pass is dropped).
        *outbox.hang_for.lock().unwrap() = Some(11);
        let d = dispatcher(1_000);
        let now = at("2026-11-26T18:00:10Z");
        let crashed =
            tokio::time::timeout(StdDuration::from_millis(500), d.pass(&services, now, None)).await;
        assert!(crashed.is_err(), "the pass hung on member 11");
        let before = outbox.total();
        assert!((1..20).contains(&before), "{before} sent before the crash");
        // Restarted: everyone else gets theirs; member 11's send had an unknown outcome and is
        // not repeated; nobody gets two.
        *outbox.hang_for.lock().unwrap() = None;
        let after = d
            .pass(&services, now + Duration::seconds(30), None)
            .await
            .unwrap();
        assert_eq!(outbox.total(), 19);
        assert_eq!(after.sent as usize, 19 - before);
        for user in 1..=20u64 {
            assert_eq!(
                outbox.count_for(user),
                usize::from(user != 11),
                "member {user}"
            );
        }
        let claimed: Vec<(String, String)> = states(&pool)
            .await
            .into_iter()
            .filter(|(_, s)| s == "claimed")
            .collect();
        assert_eq!(claimed.len(), 1, "member 11's occurrence stays claimed");
    }

    #[sqlx::test]
    async fn downtime_sends_at_most_one_late_and_records_the_rest_as_missed(pool: Pool) {
        let outbox = Arc::new(Recorder::default());
        let setup = at("2026-11-23T12:00:00Z");
        let services = services(pool.clone(), outbox.clone(), setup);
        reminders(&services.store, [7, 8], setup).await;
        let d = dispatcher(100);
        // Down from the 23rd until 19:00 UTC on the 26th: three days missed, the 26th's
        // (18:00 UTC) one hour ago, within the 2-hour grace.
        let pass = d
            .pass(&services, at("2026-11-26T19:00:00Z"), None)
            .await
            .unwrap();
        assert_eq!((pass.missed, pass.late, pass.sent), (6, 2, 0));
        assert_eq!(outbox.count_for(7), 1);
        // Down for two days until three hours after the 28th's: all missed, nothing sent.
        let pass = d
            .pass(&services, at("2026-11-28T21:00:00Z"), None)
            .await
            .unwrap();
        assert_eq!((pass.missed, pass.late + pass.sent), (4, 0));
        assert_eq!(outbox.total(), 2);
        let late: Vec<_> = states(&pool)
            .await
            .into_iter()
            .filter(|(_, s)| s == "late")
            .collect();
        assert_eq!(
            late,
            [
                ("2026-11-26".into(), "late".into()),
                ("2026-11-26".into(), "late".into())
            ]
        );
    }

    #[sqlx::test]
    async fn closed_dms_disable_the_reminder_and_a_5xx_is_retried(pool: Pool) {
        let outbox = Arc::new(Recorder::default());
        outbox
            .failures
            .lock()
            .unwrap()
            .insert(7, vec![SendError::DmClosed]);
        outbox.failures.lock().unwrap().insert(
            8,
            vec![
                SendError::Failed(anyhow::anyhow!("500")),
                SendError::RateLimited,
            ],
        );
        outbox.failures.lock().unwrap().insert(
            9,
            (0..5)
                .map(|_| SendError::Failed(anyhow::anyhow!("502")))
                .collect(),
        );
        let setup = at("2026-11-26T12:00:00Z");
        let services = services(pool.clone(), outbox.clone(), setup);
        reminders(&services.store, [7, 8, 9], setup).await;
        let d = dispatcher(100);
        let pass = d
            .pass(&services, at("2026-11-26T18:00:00Z"), None)
            .await
            .unwrap();
        assert_eq!((pass.dead, pass.sent, pass.failed), (1, 1, 1));
        let mut conn = services.store.conn().await.unwrap();
        let seven = reminder::of_member(&mut conn, Member::new(1, 7))
            .await
            .unwrap()
            .unwrap();
        assert!(!seven.enabled);
        assert_eq!(
            seven.disabled_reason.as_deref(),
            Some("your DMs are closed to the bot")
        );
        let eight: (i64, String) =
            sqlx::query_as("SELECT attempts, state FROM reminder_occurrence WHERE reminder_id = ?")
                .bind(
                    reminder::of_member(&mut conn, Member::new(1, 8))
                        .await
                        .unwrap()
                        .unwrap()
                        .id,
                )
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(eight, (3, "sent".into()));
        drop(conn);
        // The disabled one is not tried again; the failed one is tried the next day.
        d.pass(&services, at("2026-11-27T18:00:00Z"), None)
            .await
            .unwrap();
        assert_eq!((outbox.count_for(7), outbox.count_for(9)), (0, 1));
    }

    #[sqlx::test]
    async fn a_send_that_hangs_is_given_up_once_and_not_repeated(pool: Pool) {
        let outbox = Arc::new(Recorder::default());
        *outbox.hang_for.lock().unwrap() = Some(2);
        let setup = at("2026-11-26T12:00:00Z");
        let services = services(pool.clone(), outbox.clone(), setup);
        reminders(&services.store, 1..=3, setup).await;
        let d = Dispatcher {
            deadlines: Vec::new(),
            telemetry: None,
            send_limit: StdDuration::from_millis(100),
            ..dispatcher(100)
        };
        let pass = d
            .pass(&services, at("2026-11-26T18:00:00Z"), None)
            .await
            .unwrap();
        assert_eq!((pass.sent, pass.failed), (2, 1));
        let failed: (i64, String) = sqlx::query_as(
            "SELECT attempts, detail FROM reminder_occurrence WHERE state = 'failed'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(failed.0, 1, "not retried");
        assert!(failed.1.contains("not sent again"), "{}", failed.1);
    }

    #[sqlx::test]
    async fn sends_are_paced_under_the_ceiling(pool: Pool) {
        let outbox = Arc::new(Recorder::default());
        let setup = at("2026-11-26T12:00:00Z");
        let services = services(pool, outbox.clone(), setup);
        reminders(&services.store, 1..=21, setup).await;
        let started = std::time::Instant::now();
        let pass = dispatcher(50)
            .pass(&services, at("2026-11-26T18:00:00Z"), None)
            .await
            .unwrap();
        assert_eq!(pass.sent, 21);
        // 21 sends at 50 a second take at least 20 gaps of 20 ms.
        assert!(
            started.elapsed() >= StdDuration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_pause_skips_to_the_resume_date() {
        let schedule = Schedule {
            time: NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
            days: Days::EVERY_DAY,
            zone: Tz::UTC,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let resume = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            next_occurrence(&schedule, today, Some(resume))
                .unwrap()
                .date,
            resume
        );
        assert_eq!(
            next_occurrence(&schedule, today, None).unwrap().date,
            today + Duration::days(1)
        );
    }
}
