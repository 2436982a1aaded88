//! The `study_day` table: a member's study days with the zone each was counted in.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, Conn};
use crate::member::Member;
use crate::streak::rules::Day;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyDayRow {
    pub day: Day,
    pub minutes: u32,
}

fn row_to_day(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<StudyDayRow> {
    let zone: String = row.try_get("zone")?;
    Ok(StudyDayRow {
        day: Day {
            date: row.try_get::<String, _>("study_date")?.parse()?,
            zone: crate::timezone::parse(&zone)
                .ok_or_else(|| anyhow::anyhow!("stored zone {zone:?} is unknown"))?,
        },
        minutes: u32::try_from(row.try_get::<i64, _>("minutes")?)?,
    })
}

/// Adds `minutes` to the study day, creating it if needed; returns the day's total.
pub async fn add_minutes(
    conn: &mut Conn,
    member: Member,
    day: Day,
    minutes: u32,
) -> anyhow::Result<u32> {
    let total: i64 = sqlx::query_scalar(
        "INSERT INTO study_day (guild_id, user_id, study_date, zone, starts_at, ends_at, minutes)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id, study_date) DO UPDATE SET
             minutes = study_day.minutes + excluded.minutes
         RETURNING minutes",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(day.date.to_string())
    .bind(day.zone.name())
    .bind(format_instant(day.start()))
    .bind(format_instant(day.end()))
    .bind(i64::from(minutes))
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(total)?)
}

/// The member's study days that start within `from..to`, by start.
pub async fn starting_between(
    conn: &mut Conn,
    member: Member,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<Vec<StudyDayRow>> {
    let rows = sqlx::query(
        "SELECT study_date, zone, minutes FROM study_day
         WHERE guild_id = ? AND user_id = ? AND starts_at >= ? AND starts_at < ?
         ORDER BY starts_at",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(format_instant(from))
    .bind(format_instant(to))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(row_to_day).collect()
}

/// One study day by date.
pub async fn on(
    conn: &mut Conn,
    member: Member,
    date: NaiveDate,
) -> anyhow::Result<Option<StudyDayRow>> {
    let row = sqlx::query(
        "SELECT study_date, zone, minutes FROM study_day
         WHERE guild_id = ? AND user_id = ? AND study_date = ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(date.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(row_to_day).transpose()
}

/// Every study day of the member, by start (for the rare replay and for pictures).
pub async fn all(conn: &mut Conn, member: Member) -> anyhow::Result<Vec<StudyDayRow>> {
    let rows = sqlx::query(
        "SELECT study_date, zone, minutes FROM study_day
         WHERE guild_id = ? AND user_id = ? ORDER BY starts_at",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(row_to_day).collect()
}
