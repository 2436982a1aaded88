//! The `checkin` table: every recorded bit of study.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Conn};
use crate::member::Member;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheckin<'a> {
    pub interaction: Option<u64>,
    pub study_date: NaiveDate,
    pub minutes: u32,
    pub topic_slug: Option<&'a str>,
    pub note: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// Records a check-in; `false` if its interaction was already recorded (a repeat delivery).
pub async fn insert(
    conn: &mut Conn,
    member: Member,
    checkin: &NewCheckin<'_>,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO checkin (guild_id, user_id, interaction_id, study_date, minutes, topic_slug, note, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (interaction_id) DO NOTHING",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(checkin.interaction.map(id_to_sql))
    .bind(checkin.study_date.to_string())
    .bind(i64::from(checkin.minutes))
    .bind(checkin.topic_slug)
    .bind(checkin.note)
    .bind(format_instant(checkin.at))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRow {
    pub study_date: NaiveDate,
    pub minutes: u32,
    pub topic_slug: Option<String>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// The member's check-ins, oldest first.
pub async fn for_member(conn: &mut Conn, member: Member) -> anyhow::Result<Vec<CheckinRow>> {
    let rows = sqlx::query(
        "SELECT study_date, minutes, topic_slug, note, at FROM checkin
         WHERE guild_id = ? AND user_id = ? ORDER BY at, id",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CheckinRow {
                study_date: row.try_get::<String, _>("study_date")?.parse()?,
                minutes: u32::try_from(row.try_get::<i64, _>("minutes")?)?,
                topic_slug: row.try_get("topic_slug")?,
                note: row.try_get("note")?,
                at: parse_instant(&row.try_get::<String, _>("at")?)?,
            })
        })
        .collect()
}
