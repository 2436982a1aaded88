//! The `challenge` and `submission` tables.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Conn};
use crate::member::{GuildId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRow {
    pub id: i64,
    pub guild: GuildId,
    pub phase: String,
    pub title: String,
    pub description: String,
    pub due: DateTime<Utc>,
    pub points: i64,
    pub channel: u64,
    pub message: Option<u64>,
    /// `open`, `closed` or `cancelled`.
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChallenge<'a> {
    pub guild: GuildId,
    pub phase: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub due: DateTime<Utc>,
    pub points: i64,
    pub channel: u64,
    pub by: UserId,
}

fn to_challenge(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<ChallengeRow> {
    Ok(ChallengeRow {
        id: row.try_get("id")?,
        guild: GuildId(row.try_get::<i64, _>("guild_id")? as u64),
        phase: row.try_get("phase_slug")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        due: parse_instant(&row.try_get::<String, _>("due_at")?)?,
        points: row.try_get("points")?,
        channel: row.try_get::<i64, _>("channel_id")? as u64,
        message: row
            .try_get::<Option<i64>, _>("message_id")?
            .map(|m| m as u64),
        state: row.try_get("state")?,
    })
}

const COLUMNS: &str =
    "id, guild_id, phase_slug, title, description, due_at, points, channel_id, message_id, state";

pub async fn insert(
    conn: &mut Conn,
    new: &NewChallenge<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<ChallengeRow> {
    let row = sqlx::query(&format!(
        "INSERT INTO challenge (guild_id, phase_slug, title, description, due_at, points, channel_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(id_to_sql(new.guild.0))
    .bind(new.phase)
    .bind(new.title)
    .bind(new.description)
    .bind(format_instant(new.due))
    .bind(new.points)
    .bind(id_to_sql(new.channel))
    .bind(id_to_sql(new.by.0))
    .bind(format_instant(now))
    .fetch_one(&mut *conn)
    .await?;
    to_challenge(&row)
}

/// A challenge of this server (a challenge of another server is not found).
pub async fn get(conn: &mut Conn, guild: GuildId, id: i64) -> anyhow::Result<Option<ChallengeRow>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM challenge WHERE guild_id = ? AND id = ?"
    ))
    .bind(id_to_sql(guild.0))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_challenge).transpose()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRow {
    pub user: UserId,
    pub link: String,
    pub notes: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub feedback: Option<String>,
    pub submitted: DateTime<Utc>,
}

/// Saves a member's submission, replacing a pending one; `false` when theirs was already
/// reviewed (locked) and nothing was written.
pub async fn submit(
    conn: &mut Conn,
    challenge: i64,
    user: UserId,
    link: &str,
    notes: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO submission (challenge_id, user_id, link, notes, submitted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (challenge_id, user_id) DO UPDATE SET
             link = excluded.link, notes = excluded.notes, submitted_at = excluded.submitted_at
         WHERE submission.state = 'pending'",
    )
    .bind(challenge)
    .bind(id_to_sql(user.0))
    .bind(link)
    .bind(notes)
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn submission(
    conn: &mut Conn,
    challenge: i64,
    user: UserId,
) -> anyhow::Result<Option<SubmissionRow>> {
    let row = sqlx::query(
        "SELECT user_id, link, notes, state, feedback, submitted_at FROM submission
         WHERE challenge_id = ? AND user_id = ?",
    )
    .bind(challenge)
    .bind(id_to_sql(user.0))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(SubmissionRow {
            user: UserId(row.try_get::<i64, _>("user_id")? as u64),
            link: row.try_get("link")?,
            notes: row.try_get("notes")?,
            state: row.try_get("state")?,
            feedback: row.try_get("feedback")?,
            submitted: parse_instant(&row.try_get::<String, _>("submitted_at")?)?,
        })
    })
    .transpose()
}

/// Records a verdict; returns the submission's state before it (`None`: no such submission).
pub async fn review(
    conn: &mut Conn,
    challenge: i64,
    user: UserId,
    state: &str,
    feedback: Option<&str>,
    by: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    let before: Option<String> =
        sqlx::query_scalar("SELECT state FROM submission WHERE challenge_id = ? AND user_id = ?")
            .bind(challenge)
            .bind(id_to_sql(user.0))
            .fetch_optional(&mut *conn)
            .await?;
    if before.is_none() {
        return Ok(None);
    }
    sqlx::query(
        "UPDATE submission SET state = ?, feedback = ?, reviewed_by = ?, reviewed_at = ?
         WHERE challenge_id = ? AND user_id = ?",
    )
    .bind(state)
    .bind(feedback)
    .bind(id_to_sql(by.0))
    .bind(format_instant(now))
    .bind(challenge)
    .bind(id_to_sql(user.0))
    .execute(&mut *conn)
    .await?;
    Ok(before)
}

/// Remembers the post of a challenge.
pub async fn set_message(conn: &mut Conn, id: i64, message: u64) -> anyhow::Result<()> {
    sqlx::query("UPDATE challenge SET message_id = ? WHERE id = ?")
        .bind(id_to_sql(message))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
