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
    pub challenge: i64,
    pub user: UserId,
    pub link: String,
    pub notes: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    pub feedback: Option<String>,
    pub submitted: DateTime<Utc>,
    /// The points the approval gave, and when (both `None` unless approved).
    pub awarded: Option<i64>,
    pub approved: Option<DateTime<Utc>>,
}

const SUBMISSION_COLUMNS: &str =
    "challenge_id, user_id, link, notes, state, feedback, submitted_at, awarded, approved_at";

fn to_submission(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<SubmissionRow> {
    Ok(SubmissionRow {
        challenge: row.try_get("challenge_id")?,
        user: UserId(row.try_get::<i64, _>("user_id")? as u64),
        link: row.try_get("link")?,
        notes: row.try_get("notes")?,
        state: row.try_get("state")?,
        feedback: row.try_get("feedback")?,
        submitted: parse_instant(&row.try_get::<String, _>("submitted_at")?)?,
        awarded: row.try_get("awarded")?,
        approved: row
            .try_get::<Option<String>, _>("approved_at")?
            .as_deref()
            .map(parse_instant)
            .transpose()?,
    })
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
    let row = sqlx::query(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submission WHERE challenge_id = ? AND user_id = ?"
    ))
    .bind(challenge)
    .bind(id_to_sql(user.0))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_submission).transpose()
}

/// The first pending submission in the review queue (oldest first), after `after` (the
/// submission a moderator skipped) if given.
pub async fn next_pending(
    conn: &mut Conn,
    challenge: i64,
    after: Option<(DateTime<Utc>, UserId)>,
) -> anyhow::Result<Option<SubmissionRow>> {
    let (at, user) = match after {
        Some((at, user)) => (format_instant(at), id_to_sql(user.0)),
        None => (String::new(), i64::MIN),
    };
    let row = sqlx::query(&format!(
        "SELECT {SUBMISSION_COLUMNS} FROM submission
         WHERE challenge_id = ? AND state = 'pending'
           AND (submitted_at > ? OR (submitted_at = ? AND user_id > ?))
         ORDER BY submitted_at, user_id LIMIT 1"
    ))
    .bind(challenge)
    .bind(&at)
    .bind(&at)
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_submission).transpose()
}

/// How a challenge's submissions stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub submitted: u32,
    pub approved: u32,
    pub pending: u32,
}

pub async fn tally(conn: &mut Conn, challenge: i64) -> anyhow::Result<Tally> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS submitted,
                COALESCE(SUM(CASE WHEN state = 'approved' THEN 1 ELSE 0 END), 0) AS approved,
                COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0) AS pending
         FROM submission WHERE challenge_id = ?",
    )
    .bind(challenge)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Tally {
        submitted: row.try_get::<i64, _>("submitted")? as u32,
        approved: row.try_get::<i64, _>("approved")? as u32,
        pending: row.try_get::<i64, _>("pending")? as u32,
    })
}

/// A verdict on a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// `approved` or `rejected`.
    pub state: &'a str,
    pub feedback: Option<&'a str>,
    pub by: UserId,
    /// What an approval gives (`None` for a rejection).
    pub awarded: Option<i64>,
}

/// Records a verdict on an existing submission (an approval keeps its first approval time
/// when approved again).
pub async fn review(
    conn: &mut Conn,
    challenge: i64,
    user: UserId,
    verdict: &Verdict<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE submission SET state = ?, feedback = ?, reviewed_by = ?, reviewed_at = ?,
             awarded = ?,
             approved_at = CASE WHEN ? IS NULL THEN NULL ELSE COALESCE(approved_at, ?) END
         WHERE challenge_id = ? AND user_id = ?",
    )
    .bind(verdict.state)
    .bind(verdict.feedback)
    .bind(id_to_sql(verdict.by.0))
    .bind(format_instant(now))
    .bind(verdict.awarded)
    .bind(verdict.awarded)
    .bind(format_instant(now))
    .bind(challenge)
    .bind(id_to_sql(user.0))
    .execute(&mut *conn)
    .await?;
    Ok(())
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

/// What a moderator changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub due: DateTime<Utc>,
    pub points: i64,
}

pub async fn update(conn: &mut Conn, id: i64, change: &Change<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE challenge SET title = ?, description = ?, due_at = ?, points = ? WHERE id = ?",
    )
    .bind(change.title)
    .bind(change.description)
    .bind(format_instant(change.due))
    .bind(change.points)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves an open challenge to `closed` or `cancelled`; `false` if it was no longer open (so
/// only one caller ever closes it).
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    state: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE challenge SET state = ?, closed_at = ? WHERE id = ? AND state = 'open'",
    )
    .bind(state)
    .bind(format_instant(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open challenges whose deadline has passed, oldest first, in every server.
pub async fn due(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: u32,
) -> anyhow::Result<Vec<ChallengeRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM challenge WHERE state = 'open' AND due_at <= ? ORDER BY due_at, id LIMIT ?"
    ))
    .bind(format_instant(now))
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_challenge).collect()
}

/// A server's open challenges whose deadline falls in `[from, to)`, soonest first.
pub async fn closing_between(
    conn: &mut Conn,
    guild: GuildId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> anyhow::Result<Vec<ChallengeRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM challenge
         WHERE guild_id = ? AND state = 'open' AND due_at >= ? AND due_at < ?
         ORDER BY due_at, id"
    ))
    .bind(id_to_sql(guild.0))
    .bind(format_instant(from))
    .bind(format_instant(to))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_challenge).collect()
}

/// A server's open challenges (soonest deadline first) then those closed or cancelled with a
/// deadline since `since` (latest first): one page, and how many there are.
pub async fn list(
    conn: &mut Conn,
    guild: GuildId,
    since: DateTime<Utc>,
    offset: u32,
    limit: u32,
) -> anyhow::Result<(Vec<ChallengeRow>, u32)> {
    let since = format_instant(since);
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM challenge
         WHERE guild_id = ? AND (state = 'open' OR due_at >= ?)
         ORDER BY CASE WHEN state = 'open' THEN 0 ELSE 1 END,
                  CASE WHEN state = 'open' THEN due_at END,
                  due_at DESC, id DESC
         LIMIT ? OFFSET ?"
    ))
    .bind(id_to_sql(guild.0))
    .bind(&since)
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM challenge WHERE guild_id = ? AND (state = 'open' OR due_at >= ?)",
    )
    .bind(id_to_sql(guild.0))
    .bind(&since)
    .fetch_one(&mut *conn)
    .await?;
    Ok((
        rows.iter()
            .map(to_challenge)
            .collect::<anyhow::Result<_>>()?,
        total as u32,
    ))
}

/// Challenges of a server whose title contains `partial` (or whose number is it), open ones
/// first, then the latest.
pub async fn search(
    conn: &mut Conn,
    guild: GuildId,
    partial: &str,
    limit: u32,
) -> anyhow::Result<Vec<ChallengeRow>> {
    let pattern = format!(
        "%{}%",
        partial
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let number: i64 = partial.trim().trim_start_matches('#').parse().unwrap_or(-1);
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM challenge
         WHERE guild_id = ? AND (LOWER(title) LIKE ? ESCAPE '\\' OR id = ?)
         ORDER BY CASE WHEN state = 'open' THEN 0 ELSE 1 END, id DESC LIMIT ?"
    ))
    .bind(id_to_sql(guild.0))
    .bind(pattern)
    .bind(number)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_challenge).collect()
}
