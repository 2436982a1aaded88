//! The `reminder` and `reminder_occurrence` tables: daily reminders, and every occurrence the
//! dispatcher claimed (once per reminder and local date).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Conn};
use crate::member::Member;
use crate::reminder::schedule::{Days, Schedule};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRow {
    pub id: i64,
    pub member: Member,
    pub schedule: Schedule,
    pub skip_if_studied: bool,
    pub paused_until: Option<NaiveDate>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub disabled_told: bool,
    /// The member's DM channel, once known.
    pub channel: Option<u64>,
    pub next: Option<(NaiveDate, DateTime<Utc>)>,
    /// The study group, for a nudge.
    pub group: Option<i64>,
}

fn to_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<ReminderRow> {
    let zone: String = row.try_get("zone")?;
    let time: String = row.try_get("local_time")?;
    let next_date: Option<String> = row.try_get("next_date")?;
    let next_due: Option<String> = row.try_get("next_due")?;
    let paused: Option<String> = row.try_get("paused_until")?;
    let channel: Option<i64> = row.try_get("channel_id")?;
    Ok(ReminderRow {
        id: row.try_get("id")?,
        member: Member::new(
            row.try_get::<i64, _>("guild_id")? as u64,
            row.try_get::<Option<i64>, _>("user_id")?
                .unwrap_or_default() as u64,
        ),
        schedule: Schedule {
            time: NaiveTime::parse_from_str(&time, "%H:%M")?,
            days: Days(u8::try_from(row.try_get::<i64, _>("days")?)?),
            zone: crate::timezone::parse(&zone)
                .ok_or_else(|| anyhow::anyhow!("stored zone {zone:?} is unknown"))?,
        },
        skip_if_studied: row.try_get::<i64, _>("skip_if_studied")? != 0,
        paused_until: paused.map(|d| d.parse()).transpose()?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        disabled_reason: row.try_get("disabled_reason")?,
        disabled_told: row.try_get::<i64, _>("disabled_told")? != 0,
        channel: channel.map(|c| c as u64),
        next: match (next_date, next_due) {
            (Some(date), Some(due)) => Some((date.parse()?, parse_instant(&due)?)),
            _ => None,
        },
        group: row.try_get("group_id")?,
    })
}

const COLUMNS: &str =
    "id, guild_id, user_id, channel_id, local_time, days, zone, skip_if_studied, \
    paused_until, enabled, disabled_reason, disabled_told, next_date, next_due, group_id";

/// Creates or replaces the member's reminder (enabled again, with its next occurrence).
pub async fn upsert_member(
    conn: &mut Conn,
    member: Member,
    schedule: Schedule,
    skip_if_studied: bool,
    next: Option<(NaiveDate, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO reminder (guild_id, kind, user_id, local_time, days, zone, skip_if_studied,
                               paused_until, enabled, disabled_reason, disabled_told, next_date, next_due, created_at)
         VALUES (?, 'member', ?, ?, ?, ?, ?, NULL, 1, NULL, 0, ?, ?, ?)
         ON CONFLICT (guild_id, user_id) WHERE kind = 'member' DO UPDATE SET
             local_time = excluded.local_time, days = excluded.days, zone = excluded.zone,
             skip_if_studied = excluded.skip_if_studied, paused_until = NULL, enabled = 1,
             disabled_reason = NULL, disabled_told = 0,
             next_date = excluded.next_date, next_due = excluded.next_due",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(schedule.time.format("%H:%M").to_string())
    .bind(i64::from(schedule.days.0))
    .bind(schedule.zone.name())
    .bind(i64::from(skip_if_studied))
    .bind(next.map(|(d, _)| d.to_string()))
    .bind(next.map(|(_, t)| format_instant(t)))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Creates or replaces a study group's nudge.
pub async fn upsert_nudge(
    conn: &mut Conn,
    guild: crate::member::GuildId,
    group: i64,
    channel: u64,
    schedule: Schedule,
    next: Option<(NaiveDate, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO reminder (guild_id, kind, group_id, channel_id, local_time, days, zone, skip_if_studied,
                               enabled, disabled_told, next_date, next_due, created_at)
         VALUES (?, 'nudge', ?, ?, ?, ?, ?, 0, 1, 0, ?, ?, ?)
         ON CONFLICT (group_id) WHERE kind = 'nudge' DO UPDATE SET
             channel_id = excluded.channel_id, local_time = excluded.local_time, days = excluded.days,
             zone = excluded.zone, enabled = 1, disabled_reason = NULL, disabled_told = 0,
             next_date = excluded.next_date, next_due = excluded.next_due",
    )
    .bind(id_to_sql(guild.0))
    .bind(group)
    .bind(id_to_sql(channel))
    .bind(schedule.time.format("%H:%M").to_string())
    .bind(i64::from(schedule.days.0))
    .bind(schedule.zone.name())
    .bind(next.map(|(d, _)| d.to_string()))
    .bind(next.map(|(_, t)| format_instant(t)))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn of_group(conn: &mut Conn, group: i64) -> anyhow::Result<Option<ReminderRow>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reminder WHERE kind = 'nudge' AND group_id = ?"
    ))
    .bind(group)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_row).transpose()
}

pub async fn delete_nudge(conn: &mut Conn, group: i64) -> anyhow::Result<bool> {
    let result = sqlx::query("DELETE FROM reminder WHERE kind = 'nudge' AND group_id = ?")
        .bind(group)
        .execute(&mut *conn)
        .await?;
    Ok(result.rows_affected() > 0)
}

pub async fn of_member(conn: &mut Conn, member: Member) -> anyhow::Result<Option<ReminderRow>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reminder WHERE kind = 'member' AND guild_id = ? AND user_id = ?"
    ))
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_row).transpose()
}

/// Enabled reminders due by `now`, the most overdue first.
pub async fn due(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: u32,
) -> anyhow::Result<Vec<ReminderRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM reminder WHERE enabled = 1 AND next_due <= ? ORDER BY next_due LIMIT ?"
    ))
    .bind(format_instant(now))
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_row).collect()
}

/// How many enabled reminders are due by `now`, in every server.
pub async fn count_due(conn: &mut Conn, now: DateTime<Utc>) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM reminder WHERE enabled = 1 AND next_due <= ?")
            .bind(format_instant(now))
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Moves the reminder on to its next occurrence (`None`: none left).
pub async fn advance(
    conn: &mut Conn,
    id: i64,
    next: Option<(NaiveDate, DateTime<Utc>)>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE reminder SET next_date = ?, next_due = ? WHERE id = ?")
        .bind(next.map(|(d, _)| d.to_string()))
        .bind(next.map(|(_, t)| format_instant(t)))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Pauses a reminder until `until` (a local date) with its next occurrence from then.
pub async fn pause(
    conn: &mut Conn,
    id: i64,
    until: NaiveDate,
    next: Option<(NaiveDate, DateTime<Utc>)>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE reminder SET paused_until = ?, next_date = ?, next_due = ? WHERE id = ?")
        .bind(until.to_string())
        .bind(next.map(|(d, _)| d.to_string()))
        .bind(next.map(|(_, t)| format_instant(t)))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes the member's reminder (and its occurrences); `false` if there was none.
pub async fn delete_member(conn: &mut Conn, member: Member) -> anyhow::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM reminder WHERE kind = 'member' AND guild_id = ? AND user_id = ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else { return Ok(false) };
    sqlx::query("DELETE FROM reminder_occurrence WHERE reminder_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM reminder WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Turns a reminder off because its target is gone; the member is told later.
pub async fn disable(conn: &mut Conn, id: i64, reason: &str) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE reminder SET enabled = 0, disabled_reason = ?, disabled_told = 0 WHERE id = ?",
    )
    .bind(reason)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn remember_channel(conn: &mut Conn, id: i64, channel: u64) -> anyhow::Result<()> {
    sqlx::query("UPDATE reminder SET channel_id = ? WHERE id = ?")
        .bind(id_to_sql(channel))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The occurrence's state, as the dispatcher records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccurrenceState {
    Claimed,
    Sent,
    Late,
    Skipped,
    Missed,
    Failed,
    Dead,
}

impl OccurrenceState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Claimed => "claimed",
            Self::Sent => "sent",
            Self::Late => "late",
            Self::Skipped => "skipped",
            Self::Missed => "missed",
            Self::Failed => "failed",
            Self::Dead => "dead",
        }
    }

    pub fn from_code(code: &str) -> anyhow::Result<Self> {
        [
            Self::Claimed,
            Self::Sent,
            Self::Late,
            Self::Skipped,
            Self::Missed,
            Self::Failed,
            Self::Dead,
        ]
        .into_iter()
        .find(|s| s.code() == code)
        .ok_or_else(|| anyhow::anyhow!("unknown occurrence state {code:?}"))
    }
}

/// Claims the occurrence of `date`; `false` if it was already claimed (by an earlier run).
pub async fn claim(
    conn: &mut Conn,
    id: i64,
    date: NaiveDate,
    due: DateTime<Utc>,
    state: OccurrenceState,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO reminder_occurrence (reminder_id, local_date, due_at, state, handled_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (reminder_id, local_date) DO NOTHING",
    )
    .bind(id)
    .bind(date.to_string())
    .bind(format_instant(due))
    .bind(state.code())
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Records how a claimed occurrence ended.
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    date: NaiveDate,
    state: OccurrenceState,
    attempts: u32,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE reminder_occurrence SET state = ?, attempts = ?, detail = ?, handled_at = ?
         WHERE reminder_id = ? AND local_date = ?",
    )
    .bind(state.code())
    .bind(i64::from(attempts))
    .bind(detail)
    .bind(format_instant(now))
    .bind(id)
    .bind(date.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The latest occurrences of a reminder, newest first.
pub async fn recent_occurrences(
    conn: &mut Conn,
    id: i64,
    limit: u32,
) -> anyhow::Result<Vec<(NaiveDate, OccurrenceState)>> {
    let rows = sqlx::query(
        "SELECT local_date, state FROM reminder_occurrence WHERE reminder_id = ?
         ORDER BY local_date DESC LIMIT ?",
    )
    .bind(id)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get::<String, _>("local_date")?.parse()?,
                OccurrenceState::from_code(&row.try_get::<String, _>("state")?)?,
            ))
        })
        .collect()
}

/// What `/status` shows about a server's reminders and nudges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Occurrences handled since `since`, by state code.
    pub handled: Vec<(String, u32)>,
    /// Enabled reminders due by `now` (waiting for the dispatcher).
    pub due: u32,
    /// Reminders and nudges the bot turned off (their target is gone).
    pub disabled: u32,
}

pub async fn status(
    conn: &mut Conn,
    guild: crate::member::GuildId,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<Status> {
    let rows = sqlx::query(
        "SELECT o.state, COUNT(*) AS n FROM reminder_occurrence o JOIN reminder r ON r.id = o.reminder_id
         WHERE r.guild_id = ? AND o.handled_at >= ? GROUP BY o.state ORDER BY o.state",
    )
    .bind(id_to_sql(guild.0))
    .bind(format_instant(since))
    .fetch_all(&mut *conn)
    .await?;
    let handled = rows
        .iter()
        .map(|row| {
            Ok((
                row.try_get("state")?,
                u32::try_from(row.try_get::<i64, _>("n")?)?,
            ))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let due: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reminder WHERE guild_id = ? AND enabled = 1 AND next_due <= ?",
    )
    .bind(id_to_sql(guild.0))
    .bind(format_instant(now))
    .fetch_one(&mut *conn)
    .await?;
    let disabled: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reminder WHERE guild_id = ? AND enabled = 0 AND disabled_reason IS NOT NULL",
    )
    .bind(id_to_sql(guild.0))
    .fetch_one(&mut *conn)
    .await?;
    Ok(Status {
        handled,
        due: u32::try_from(due)?,
        disabled: u32::try_from(disabled)?,
    })
}

/// The reason the member's reminder was turned off, if they have not been told yet; marks
/// them told.
pub async fn take_notice(conn: &mut Conn, member: Member) -> anyhow::Result<Option<String>> {
    // Read first: nearly every call finds nothing, and a read takes no write lock (this runs
    // on every /checkin).
    let waiting: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM reminder
         WHERE kind = 'member' AND guild_id = ? AND user_id = ? AND enabled = 0
           AND disabled_told = 0 AND disabled_reason IS NOT NULL",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = waiting else {
        return Ok(None);
    };
    // Told once: only the call that flips the flag gets the reason.
    Ok(sqlx::query_scalar(
        "UPDATE reminder SET disabled_told = 1
         WHERE id = ? AND disabled_told = 0 AND disabled_reason IS NOT NULL
         RETURNING disabled_reason",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The server's nudges the bot turned off that no moderator has been told about yet, as
/// (group id, reason); marks them told.
pub async fn take_nudge_notices(
    conn: &mut Conn,
    guild: crate::member::GuildId,
) -> anyhow::Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "UPDATE reminder SET disabled_told = 1
         WHERE kind = 'nudge' AND guild_id = ? AND enabled = 0 AND disabled_told = 0
           AND disabled_reason IS NOT NULL
         RETURNING group_id, disabled_reason",
    )
    .bind(id_to_sql(guild.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("group_id")?, row.try_get("disabled_reason")?)))
        .collect()
}
