//! Members' reminders: setting, showing, pausing and turning them off, and what a reminder DM
//! says (the dispatcher's [`Compose`]).

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::dispatcher::{next_occurrence, Compose};
use super::schedule::{Days, Schedule};
use crate::error::{Error, Result};
use crate::group::GroupService;
use crate::member::Member;
use crate::outbox::{Button, Card, Outgoing};
use crate::progress::ProgressService;
use crate::roadmap::Roadmap;
use crate::store::reminder::{self, OccurrenceState, ReminderRow};
use crate::store::{study_day, Store};
use crate::streak::StudyService;
use crate::timezone::TimezoneService;

/// The study tips reminders carry (config/tips.toml, compiled in).
static TIPS: &str = include_str!("../../config/tips.toml");

pub fn tips() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct File {
        tips: Vec<String>,
    }
    toml::from_str::<File>(TIPS)
        .map(|f| f.tips)
        .unwrap_or_default()
}

/// The custom id of a reminder's check-in button (and of the form it opens): the server is in
/// it, since the button is clicked in a DM.
pub fn checkin_id(guild: u64) -> String {
    format!("wp:streak:checkin:{guild}")
}

/// A reminder as `/remind show` tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderView {
    pub schedule: Schedule,
    pub next: Option<DateTime<Utc>>,
    pub paused_until: Option<NaiveDate>,
    /// Why the bot turned it off, if it did.
    pub disabled: Option<String>,
    /// The latest occurrence was missed while the bot was offline.
    pub missed_last: bool,
}

#[derive(Debug, Clone)]
pub struct ReminderService {
    store: Store,
    timezones: TimezoneService,
    study: StudyService,
    progress: ProgressService,
    roadmap: Arc<Roadmap>,
    groups: GroupService,
}

impl ReminderService {
    pub fn new(
        store: Store,
        timezones: TimezoneService,
        study: StudyService,
        progress: ProgressService,
        roadmap: Arc<Roadmap>,
        groups: GroupService,
    ) -> Self {
        Self {
            store,
            timezones,
            study,
            progress,
            roadmap,
            groups,
        }
    }

    /// Sets (or replaces) the member's daily reminder; `zone` defaults to the member's.
    pub async fn set(
        &self,
        member: Member,
        time: NaiveTime,
        days: &[Weekday],
        zone: Option<Tz>,
        now: DateTime<Utc>,
    ) -> Result<ReminderView> {
        if days.is_empty() {
            return Err(Error::user("Pick at least one day for the reminder."));
        }
        let zone = match zone {
            Some(zone) => zone,
            None => self.timezones.zone_of(member).await?.0,
        };
        let bits = days
            .iter()
            .fold(0u8, |b, d| b | 1 << d.num_days_from_monday());
        let schedule = Schedule {
            time,
            days: Days(bits),
            zone,
        };
        let next = schedule.next_after(now).map(|o| (o.date, o.due));
        let mut conn = self.store.conn().await?;
        reminder::upsert_member(&mut conn, member, schedule, true, next, now).await?;
        drop(conn);
        self.show(member)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("the reminder just stored is gone")))
    }

    /// The member's reminder, if any. Showing it counts as telling them why it was turned off.
    pub async fn show(&self, member: Member) -> Result<Option<ReminderView>> {
        let mut conn = self.store.conn().await?;
        let Some(row) = reminder::of_member(&mut conn, member).await? else {
            return Ok(None);
        };
        let latest = reminder::recent_occurrences(&mut conn, row.id, 1).await?;
        Ok(Some(ReminderView {
            schedule: row.schedule,
            next: row.enabled.then_some(row.next.map(|(_, t)| t)).flatten(),
            paused_until: row.paused_until,
            disabled: (!row.enabled).then(|| row.disabled_reason.clone().unwrap_or_default()),
            missed_last: latest
                .first()
                .is_some_and(|(_, s)| *s == OccurrenceState::Missed),
        }))
    }

    /// Pauses the reminder until `until` (a local date, after today).
    pub async fn pause(
        &self,
        member: Member,
        until: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<ReminderView> {
        let mut conn = self.store.conn().await?;
        let row = reminder::of_member(&mut conn, member)
            .await?
            .ok_or_else(|| {
                Error::user("You have no reminder to pause. Set one with `/remind set`.")
            })?;
        let today = now.with_timezone(&row.schedule.zone).date_naive();
        if until <= today {
            return Err(Error::user(format!(
                "Pick a day after today ({}) for reminders to resume.",
                today.format("%-d %B %Y")
            )));
        }
        let next = next_occurrence(
            &row.schedule,
            today - chrono::Duration::days(1),
            Some(until),
        )
        .map(|o| (o.date, o.due));
        reminder::pause(&mut conn, row.id, until, next).await?;
        drop(conn);
        self.show(member)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("the reminder just paused is gone")))
    }

    /// Removes the member's reminder; `false` if there was none.
    pub async fn off(&self, member: Member) -> Result<bool> {
        let mut conn = self.store.conn().await?;
        Ok(reminder::delete_member(&mut conn, member).await?)
    }

    /// What a reminder for `member` says on `date`; `None` when they already studied that day
    /// and `skip_if_studied` is on.
    pub async fn message(
        &self,
        member: Member,
        date: NaiveDate,
        skip_if_studied: bool,
        now: DateTime<Utc>,
    ) -> Result<Option<Outgoing>> {
        if skip_if_studied {
            let mut conn = self.store.conn().await?;
            if study_day::on(&mut conn, member, date).await?.is_some() {
                return Ok(None);
            }
        }
        let streak = self.study.streak_of(member, now).await?;
        let progress = self.progress.member_progress(member).await?;
        let day_end =
            crate::streak::rules::day_start(streak.today + chrono::Duration::days(1), streak.zone);
        let content = if streak.view.current > 0 {
            format!(
                "⏰ Time to study! 🔥 Your streak is **{} day{}**: study today to keep it (your day ends <t:{}:t>).",
                streak.view.current,
                if streak.view.current == 1 { "" } else { "s" },
                day_end.timestamp()
            )
        } else {
            format!(
                "⏰ Time to study! A few minutes today starts a new streak (your day ends <t:{}:t>).",
                day_end.timestamp()
            )
        };
        let tips = tips();
        let tip = tips
            .get(date.num_days_from_ce() as usize % tips.len().max(1))
            .cloned()
            .unwrap_or_default();
        let card = match progress.next_topic(&self.roadmap) {
            Some(next) => {
                let resource = next
                    .topic
                    .resources
                    .first()
                    .map(|r| format!("\n\n📖 [{}]({})", r.title.replace(['[', ']'], ""), r.url))
                    .unwrap_or_default();
                Card {
                    title: format!("Next: {}", next.topic.title),
                    description: format!("{}{resource}", next.topic.explanation),
                    fields: vec![("Tip".into(), tip)],
                    footer: Some(format!("Phase {}: {}", next.phase.number, next.phase.title)),
                    colour: Some(0x3B82F6),
                }
            }
            None => Card {
                title: "You have been through the whole roadmap".into(),
                description:
                    "Keep the habit: revisit a topic, or build something with what you learned."
                        .into(),
                fields: vec![("Tip".into(), tip)],
                footer: None,
                colour: Some(0x22C55E),
            },
        };
        Ok(Some(Outgoing {
            content,
            card: Some(card),
            buttons: vec![Button {
                label: "Check in for today".into(),
                custom_id: checkin_id(member.guild.0),
            }],
            ping: Vec::new(),
        }))
    }

    /// A line telling the member their reminder was turned off, once.
    pub async fn notice(&self, member: Member) -> Result<Option<String>> {
        let mut conn = self.store.conn().await?;
        Ok(reminder::take_notice(&mut conn, member)
            .await?
            .map(|reason| {
                format!(
                    "⚠️ Your daily reminder is off: {reason}. Fix that, then `/remind set` again."
                )
            }))
    }

    /// Today's reminder figures of a server, for `/status`.
    pub async fn status(
        &self,
        guild: crate::member::GuildId,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<reminder::Status> {
        let mut conn = self.store.conn().await?;
        Ok(reminder::status(&mut conn, guild, since, now).await?)
    }

    /// Whether the member has a reminder in that server (a check-in button from a DM proves
    /// nothing else about who clicked it).
    pub async fn exists(&self, member: Member) -> Result<bool> {
        let mut conn = self.store.conn().await?;
        Ok(reminder::of_member(&mut conn, member).await?.is_some())
    }
}

#[async_trait::async_trait]
impl Compose for ReminderService {
    async fn compose(
        &self,
        row: &ReminderRow,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Outgoing>> {
        let message = match row.group {
            Some(group) => self.groups.nudge_message(group, date, now).await,
            None => {
                self.message(row.member, date, row.skip_if_studied, now)
                    .await
            }
        };
        message.map_err(|e| anyhow::anyhow!("{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tips_file_parses_and_every_tip_is_short() {
        let tips = tips();
        assert!(tips.len() >= 5);
        assert!(tips
            .iter()
            .all(|t| !t.is_empty() && t.chars().count() <= 200));
    }
}
