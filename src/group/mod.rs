//! Study groups: members who study together, with a group streak and a daily nudge in the
//! group's channel.
//!
//! **Group streak.** A day counts for the group when at least half of its members (rounded up)
//! studied that day; the group streak is the run of such days ending today or yesterday.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};

use crate::error::{Error, Result};
use crate::leaderboard::Period;
use crate::member::{Caller, GuildId, Member, UserId};
use crate::outbox::{Card, Outgoing};
use crate::progress::{ProgressService, TopicStatus};
use crate::reminder::schedule::{Days, Schedule};
use crate::roadmap::Roadmap;
use crate::settings::SettingsService;
use crate::store::study_group::{self, GroupRow};
use crate::store::{reminder, Store};

pub const NAME_MAX: usize = 40;

/// The group rule, as `/help` states it.
pub const RULE: &str = "**Study groups.** A day counts for a group when at least half of its \
members (rounded up) studied; the group streak is the run of such days ending today or yesterday.";

/// The group-day rule.
pub fn day_counts(studied: u32, members: u32) -> bool {
    members > 0 && studied * 2 >= members
}

/// The run of counting days ending today (if it counts) or yesterday.
pub fn group_streak(studied: &HashMap<NaiveDate, u32>, members: u32, today: NaiveDate) -> u32 {
    let counts = |date: NaiveDate| day_counts(studied.get(&date).copied().unwrap_or(0), members);
    let mut date = if counts(today) {
        today
    } else {
        today - Duration::days(1)
    };
    let mut run = 0;
    while counts(date) && run < 3660 {
        run += 1;
        date -= Duration::days(1);
    }
    run
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    pub group: GroupRow,
    pub members: Vec<UserId>,
    pub streak: u32,
    pub week_minutes: i64,
    /// The nudge's time, its next instant, and why the bot turned it off, if it did.
    pub nudge: Option<(NaiveTime, Option<DateTime<Utc>>, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct GroupService {
    store: Store,
    settings: SettingsService,
    progress: ProgressService,
    roadmap: Arc<Roadmap>,
}

fn valid_name(name: &str) -> Result<&str> {
    let name = name.trim();
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(invisible) {
        return Err(Error::user(format!(
            "A group name is 1 to {NAME_MAX} visible characters (no line breaks or direction marks). Nothing was changed."
        )));
    }
    Ok(name)
}

impl GroupService {
    pub fn new(
        store: Store,
        settings: SettingsService,
        progress: ProgressService,
        roadmap: Arc<Roadmap>,
    ) -> Self {
        Self {
            store,
            settings,
            progress,
            roadmap,
        }
    }

    async fn named(&self, guild: GuildId, name: &str) -> Result<GroupRow> {
        let mut conn = self.store.conn().await?;
        study_group::find(&mut conn, guild, name).await?.ok_or_else(|| {
            Error::user("There is no group by that name here. `/group list` shows them; pick one while you type.")
        })
    }

    /// Creates a group (moderators).
    pub async fn create(
        &self,
        caller: &Caller,
        name: &str,
        channel: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<GroupRow> {
        self.settings.require_moderator(caller).await?;
        let name = valid_name(name)?;
        let guild = caller.member()?.guild;
        let mut conn = self.store.conn().await?;
        study_group::create(&mut conn, guild, name, channel, caller.user, now)
            .await?
            .ok_or_else(|| {
                Error::user("There is already a group with that name. Nothing was changed.")
            })
    }

    /// Deletes a group, its memberships and its nudge (moderators).
    pub async fn delete(&self, caller: &Caller, name: &str) -> Result<String> {
        self.settings.require_moderator(caller).await?;
        let group = self.named(caller.member()?.guild, name).await?;
        let mut tx = self.store.begin().await?;
        study_group::delete(&mut tx, group.id).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(group.name)
    }

    /// Joins a group (leaving any other); the name of the group left, if any.
    pub async fn join(
        &self,
        member: Member,
        name: &str,
        mention_ok: bool,
        now: DateTime<Utc>,
    ) -> Result<(GroupRow, Option<String>)> {
        let group = self.named(member.guild, name).await?;
        let mut tx = self.store.begin().await?;
        let left = study_group::join(&mut tx, member, group.id, mention_ok, now).await?;
        let left_name = match left {
            Some(id) => study_group::by_id(&mut tx, id).await?.map(|g| g.name),
            None => None,
        };
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok((group, left_name))
    }

    /// Leaves the member's group; its name, or `None` if they were in none.
    pub async fn leave(&self, member: Member) -> Result<Option<String>> {
        let mut tx = self.store.begin().await?;
        let left = study_group::leave(&mut tx, member).await?;
        let name = match left {
            Some(id) => study_group::by_id(&mut tx, id).await?.map(|g| g.name),
            None => None,
        };
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(name)
    }

    pub async fn list(&self, guild: GuildId) -> Result<Vec<(GroupRow, u32)>> {
        let mut conn = self.store.conn().await?;
        Ok(study_group::list(&mut conn, guild).await?)
    }

    /// A group by name, or the member's own group.
    pub async fn info(
        &self,
        member: Member,
        name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<GroupInfo> {
        let group = match name {
            Some(name) => self.named(member.guild, name).await?,
            None => {
                let mut conn = self.store.conn().await?;
                let id = study_group::group_of(&mut conn, member).await?.ok_or_else(|| {
                    Error::user("You are in no group. `/group list` shows them; `/group join` joins one.")
                })?;
                study_group::by_id(&mut conn, id)
                    .await?
                    .ok_or_else(|| Error::user("That group no longer exists."))?
            }
        };
        let zone = self.settings.get(member.guild).await?.zone();
        let today = now.with_timezone(&zone).date_naive();
        let mut conn = self.store.conn().await?;
        let members: Vec<UserId> = study_group::members(&mut conn, group.id)
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .collect();
        let studied: HashMap<NaiveDate, u32> =
            study_group::studied_per_date(&mut conn, group.id, today - Duration::days(400))
                .await?
                .into_iter()
                .collect();
        let streak = group_streak(&studied, members.len() as u32, today);
        let week_start = Period::Week.start(now, zone).unwrap_or(now);
        let week_minutes = study_group::minutes_since(&mut conn, group.id, week_start).await?;
        let nudge = reminder::of_group(&mut conn, group.id).await?.map(|r| {
            let next = r.enabled.then_some(r.next.map(|(_, t)| t)).flatten();
            let off = (!r.enabled).then(|| r.disabled_reason.clone().unwrap_or_default());
            (r.schedule.time, next, off)
        });
        Ok(GroupInfo {
            group,
            members,
            streak,
            week_minutes,
            nudge,
        })
    }

    /// Sets the group's daily nudge (moderators): a time on days, in the server's zone, posted
    /// in `channel` (or the group's channel).
    pub async fn set_nudge(
        &self,
        caller: &Caller,
        name: &str,
        time: NaiveTime,
        days: &[Weekday],
        channel: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<(GroupRow, Option<DateTime<Utc>>)> {
        let settings = self.settings.require_moderator(caller).await?;
        if days.is_empty() {
            return Err(Error::user("Pick at least one day for the nudge."));
        }
        let group = self.named(caller.member()?.guild, name).await?;
        let channel = channel
            .or(group.channel)
            .ok_or_else(|| Error::user("Name a channel for the nudge: the group has none."))?;
        let schedule = Schedule {
            time,
            days: Days(
                days.iter()
                    .fold(0u8, |b, d| b | 1 << d.num_days_from_monday()),
            ),
            zone: settings.zone(),
        };
        let next = schedule.next_after(now).map(|o| (o.date, o.due));
        let mut conn = self.store.conn().await?;
        reminder::upsert_nudge(
            &mut conn,
            group.guild,
            group.id,
            channel,
            schedule,
            next,
            now,
        )
        .await?;
        Ok((group, next.map(|(_, t)| t)))
    }

    /// Lines telling a moderator which nudges the bot turned off since they last looked, once.
    pub async fn nudge_notices(&self, guild: GuildId) -> Result<Vec<String>> {
        let mut tx = self.store.begin().await?;
        let notices = reminder::take_nudge_notices(&mut tx, guild).await?;
        let mut lines = Vec::new();
        for (group, reason) in notices {
            let name = study_group::by_id(&mut tx, group)
                .await?
                .map_or_else(|| "a deleted group".to_owned(), |g| g.name);
            lines.push(format!(
                "⚠️ The nudge of {name} is off: {reason}. Fix that, then `/group nudge set` again."
            ));
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(lines)
    }

    /// Turns the group's nudge off (moderators); `false` if it had none.
    pub async fn nudge_off(&self, caller: &Caller, name: &str) -> Result<bool> {
        self.settings.require_moderator(caller).await?;
        let group = self.named(caller.member()?.guild, name).await?;
        let mut conn = self.store.conn().await?;
        Ok(reminder::delete_nudge(&mut conn, group.id).await?)
    }

    /// The nudge for `date`: who studied the day before (named; pinged only if they agreed),
    /// the group streak, and a topic of the day (the earliest topic most members have not done).
    pub async fn nudge_message(
        &self,
        group_id: i64,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Option<Outgoing>> {
        let mut conn = self.store.conn().await?;
        let Some(group) = study_group::by_id(&mut conn, group_id).await? else {
            return Ok(None);
        };
        let members = study_group::members(&mut conn, group.id).await?;
        if members.is_empty() {
            return Ok(None);
        }
        let yesterday = date - Duration::days(1);
        let studied = study_group::studied_on(&mut conn, group.id, yesterday).await?;
        let per_date: HashMap<NaiveDate, u32> =
            study_group::studied_per_date(&mut conn, group.id, date - Duration::days(400))
                .await?
                .into_iter()
                .collect();
        drop(conn);
        let streak = group_streak(&per_date, members.len() as u32, date);
        let mut done_by_topic: HashMap<String, u32> = HashMap::new();
        for (user, _) in &members {
            let progress = self
                .progress
                .member_progress(Member {
                    guild: group.guild,
                    user: *user,
                })
                .await?;
            for topic in self.roadmap.topics() {
                if progress.status(&topic.topic.slug) == TopicStatus::Done {
                    *done_by_topic.entry(topic.topic.slug.clone()).or_default() += 1;
                }
            }
        }
        let topic = self.roadmap.topics().find(|t| {
            (members.len() as u32 - done_by_topic.get(&t.topic.slug).copied().unwrap_or(0)) * 2
                > members.len() as u32
        });
        let names: Vec<String> = studied.iter().map(|u| format!("<@{}>", u.0)).collect();
        let who = if names.is_empty() {
            "Nobody checked in yesterday. Today is a fresh start!".to_owned()
        } else {
            format!("Studied yesterday: {}", names.join(", "))
        };
        let ping: Vec<UserId> = members
            .iter()
            .filter(|(u, ok)| *ok && studied.contains(u))
            .map(|(u, _)| *u)
            .collect();
        let mut fields = vec![(
            "Group streak".to_owned(),
            format!("🔥 {streak} day{}", if streak == 1 { "" } else { "s" }),
        )];
        if let Some(topic) = topic {
            fields.push((
                "Topic of the day".to_owned(),
                format!("{} · `/topic`", topic.topic.title),
            ));
        }
        let closing = {
            let mut conn = self.store.conn().await?;
            crate::store::challenge::closing_between(
                &mut conn,
                group.guild,
                now,
                now + Duration::days(2),
            )
            .await?
        };
        if !closing.is_empty() {
            let lines: Vec<String> = closing
                .iter()
                .take(5)
                .map(|c| {
                    format!(
                        "**{}** (#{}) closes <t:{}:R>",
                        c.title,
                        c.id,
                        c.due.timestamp()
                    )
                })
                .collect();
            fields.push(("Challenges closing soon".to_owned(), lines.join("\n")));
        }
        Ok(Some(Outgoing {
            content: format!("📚 **{}**: time to study together.\n{who}", group.name),
            card: Some(Card {
                title: format!("{} · daily nudge", group.name),
                description: "A day counts for the group when at least half of its members study."
                    .into(),
                fields,
                footer: None,
                colour: Some(0x3B82F6),
            }),
            buttons: Vec::new(),
            ping,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    #[test]
    fn a_day_counts_when_half_the_members_studied() {
        assert!(day_counts(2, 4) && day_counts(2, 3) && day_counts(1, 1));
        assert!(!day_counts(1, 4) && !day_counts(1, 3) && !day_counts(0, 0));
    }

    #[test]
    fn the_group_streak_ends_today_or_yesterday() {
        let studied: HashMap<NaiveDate, u32> = [(d(23), 3), (d(24), 2), (d(25), 2), (d(26), 1)]
            .into_iter()
            .collect();
        // Four members: the 26th (1 of 4) does not count, so the run ends yesterday: 23-25.
        assert_eq!(group_streak(&studied, 4, d(26)), 3);
        // Three members: 2 of 3 counts; the 26th (1 of 3) does not.
        assert_eq!(group_streak(&studied, 3, d(26)), 3);
        assert_eq!(group_streak(&studied, 4, d(28)), 0, "the 27th was missed");
        assert_eq!(group_streak(&HashMap::new(), 0, d(26)), 0);
    }
}
