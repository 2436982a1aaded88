//! The `study_group` and `group_member` tables.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, Conn};
use crate::member::{GuildId, Member, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub id: i64,
    pub guild: GuildId,
    pub name: String,
    pub channel: Option<u64>,
}

fn to_group(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<GroupRow> {
    Ok(GroupRow {
        id: row.try_get("id")?,
        guild: GuildId(row.try_get::<i64, _>("guild_id")? as u64),
        name: row.try_get("name")?,
        channel: row
            .try_get::<Option<i64>, _>("channel_id")?
            .map(|c| c as u64),
    })
}

/// The key a name is unique under: trimmed and lower-cased.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Creates a group; `None` if the server already has one of that name.
pub async fn create(
    conn: &mut Conn,
    guild: GuildId,
    name: &str,
    channel: Option<u64>,
    by: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<GroupRow>> {
    let row = sqlx::query(
        "INSERT INTO study_group (guild_id, name, name_key, channel_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, name_key) DO NOTHING
         RETURNING id, guild_id, name, channel_id",
    )
    .bind(id_to_sql(guild.0))
    .bind(name.trim())
    .bind(name_key(name))
    .bind(channel.map(id_to_sql))
    .bind(id_to_sql(by.0))
    .bind(format_instant(now))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_group).transpose()
}

pub async fn find(conn: &mut Conn, guild: GuildId, name: &str) -> anyhow::Result<Option<GroupRow>> {
    let row = sqlx::query("SELECT id, guild_id, name, channel_id FROM study_group WHERE guild_id = ? AND name_key = ?")
        .bind(id_to_sql(guild.0))
        .bind(name_key(name))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(to_group).transpose()
}

pub async fn by_id(conn: &mut Conn, id: i64) -> anyhow::Result<Option<GroupRow>> {
    let row = sqlx::query("SELECT id, guild_id, name, channel_id FROM study_group WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(to_group).transpose()
}

/// The server's groups with their member counts, by name.
pub async fn list(conn: &mut Conn, guild: GuildId) -> anyhow::Result<Vec<(GroupRow, u32)>> {
    let rows = sqlx::query(
        "SELECT g.id, g.guild_id, g.name, g.channel_id, COUNT(m.user_id) AS members
         FROM study_group g LEFT JOIN group_member m ON m.group_id = g.id
         WHERE g.guild_id = ? GROUP BY g.id, g.guild_id, g.name, g.channel_id ORDER BY g.name_key",
    )
    .bind(id_to_sql(guild.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                to_group(row)?,
                u32::try_from(row.try_get::<i64, _>("members")?)?,
            ))
        })
        .collect()
}

pub async fn delete(conn: &mut Conn, id: i64) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM reminder WHERE group_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM group_member WHERE group_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM study_group WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts the member in the group (leaving any other group of the server); returns the group
/// they left, if any.
pub async fn join(
    conn: &mut Conn,
    member: Member,
    group: i64,
    mention_ok: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<i64>> {
    let previous: Option<i64> =
        sqlx::query_scalar("SELECT group_id FROM group_member WHERE guild_id = ? AND user_id = ?")
            .bind(id_to_sql(member.guild.0))
            .bind(id_to_sql(member.user.0))
            .fetch_optional(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO group_member (guild_id, user_id, group_id, mention_ok, joined_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET
             group_id = excluded.group_id, mention_ok = excluded.mention_ok, joined_at = excluded.joined_at",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(group)
    .bind(i64::from(mention_ok))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(previous.filter(|p| *p != group))
}

/// Takes the member out of their group; the group they left, if any.
pub async fn leave(conn: &mut Conn, member: Member) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "DELETE FROM group_member WHERE guild_id = ? AND user_id = ? RETURNING group_id",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn group_of(conn: &mut Conn, member: Member) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT group_id FROM group_member WHERE guild_id = ? AND user_id = ?")
            .bind(id_to_sql(member.guild.0))
            .bind(id_to_sql(member.user.0))
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The group's members (and whether each agreed to be pinged), by join time.
pub async fn members(conn: &mut Conn, group: i64) -> anyhow::Result<Vec<(UserId, bool)>> {
    let rows = sqlx::query("SELECT user_id, mention_ok FROM group_member WHERE group_id = ? ORDER BY joined_at, user_id")
        .bind(group)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                UserId(row.try_get::<i64, _>("user_id")? as u64),
                row.try_get::<i64, _>("mention_ok")? != 0,
            ))
        })
        .collect()
}

/// For each date from `since`, how many of the group's members studied (by their study days).
pub async fn studied_per_date(
    conn: &mut Conn,
    group: i64,
    since: NaiveDate,
) -> anyhow::Result<Vec<(NaiveDate, u32)>> {
    let rows = sqlx::query(
        "SELECT d.study_date, COUNT(*) AS members FROM study_day d
         JOIN group_member m ON m.guild_id = d.guild_id AND m.user_id = d.user_id
         WHERE m.group_id = ? AND d.study_date >= ?
         GROUP BY d.study_date ORDER BY d.study_date",
    )
    .bind(group)
    .bind(since.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get::<String, _>("study_date")?.parse()?,
                u32::try_from(row.try_get::<i64, _>("members")?)?,
            ))
        })
        .collect()
}

/// Who in the group studied on `date`.
pub async fn studied_on(
    conn: &mut Conn,
    group: i64,
    date: NaiveDate,
) -> anyhow::Result<Vec<UserId>> {
    let rows = sqlx::query(
        "SELECT d.user_id FROM study_day d
         JOIN group_member m ON m.guild_id = d.guild_id AND m.user_id = d.user_id
         WHERE m.group_id = ? AND d.study_date = ? ORDER BY d.user_id",
    )
    .bind(group)
    .bind(date.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok(UserId(row.try_get::<i64, _>("user_id")? as u64)))
        .collect()
}

/// Minutes the group's members checked in since `since`.
pub async fn minutes_since(
    conn: &mut Conn,
    group: i64,
    since: DateTime<Utc>,
) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(SUM(c.minutes), 0) FROM checkin c
         JOIN group_member m ON m.guild_id = c.guild_id AND m.user_id = c.user_id
         WHERE m.group_id = ? AND c.at >= ?",
    )
    .bind(group)
    .bind(format_instant(since))
    .fetch_one(&mut *conn)
    .await?)
}

/// The scores of a group's members on a board (time or topics), best first; members without a
/// score are left out.
pub async fn member_scores(
    conn: &mut Conn,
    group: i64,
    board: super::board_score::Board<'_>,
) -> anyhow::Result<Vec<(UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT s.user_id, s.score FROM board_score s
         JOIN group_member m ON m.guild_id = s.guild_id AND m.user_id = s.user_id
         WHERE m.group_id = ? AND s.metric = ? AND s.period = ? AND s.period_start = ? AND s.score > 0
         ORDER BY s.score DESC, s.user_id",
    )
    .bind(group)
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                UserId(row.try_get::<i64, _>("user_id")? as u64),
                row.try_get("score")?,
            ))
        })
        .collect()
}

/// The live current streaks of a group's members at `now`, longest first.
pub async fn member_streaks(
    conn: &mut Conn,
    group: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT s.user_id, s.current FROM streak s
         JOIN group_member m ON m.guild_id = s.guild_id AND m.user_id = s.user_id
         WHERE m.group_id = ? AND s.current > 0 AND s.alive_until > ?
         ORDER BY s.current DESC, s.user_id",
    )
    .bind(group)
    .bind(format_instant(now))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                UserId(row.try_get::<i64, _>("user_id")? as u64),
                row.try_get("current")?,
            ))
        })
        .collect()
}

/// Each group's total on a board (the sum of its members' scores).
pub async fn group_totals(
    conn: &mut Conn,
    guild: GuildId,
    board: super::board_score::Board<'_>,
) -> anyhow::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT m.group_id, SUM(s.score) AS total FROM board_score s
         JOIN group_member m ON m.guild_id = s.guild_id AND m.user_id = s.user_id
         WHERE s.guild_id = ? AND s.metric = ? AND s.period = ? AND s.period_start = ?
         GROUP BY m.group_id",
    )
    .bind(id_to_sql(guild.0))
    .bind(board.metric)
    .bind(board.period)
    .bind(board.start_text())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("group_id")?, row.try_get("total")?)))
        .collect()
}
