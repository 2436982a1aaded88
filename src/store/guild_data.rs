//! Everything stored about one server, across tables, for purging it: when the bot was removed
//! and the grace passed, or when the owner asked. Like `member_data`, the list lives in one
//! place ([`GUILD_TABLES`]) and a test fails if a table with a `guild_id` column is missing.
//! Also the `guild_departure` table: servers the bot left, and when their data goes.

use chrono::{DateTime, Utc};

use super::{format_instant, id_to_sql, Conn};
use crate::member::GuildId;

/// Every table with a server's data and the condition on it (one parameter: the server),
/// children before parents.
pub const GUILD_TABLES: &[(&str, &str)] = &[
    (
        "reminder_occurrence",
        "reminder_id IN (SELECT id FROM reminder WHERE guild_id = ?)",
    ),
    ("reminder", "guild_id = ?"),
    (
        "submission",
        "challenge_id IN (SELECT id FROM challenge WHERE guild_id = ?)",
    ),
    ("challenge", "guild_id = ?"),
    ("group_member", "guild_id = ?"),
    ("study_group", "guild_id = ?"),
    ("board_histogram", "guild_id = ?"),
    ("board_score", "guild_id = ?"),
    ("streak", "guild_id = ?"),
    ("study_day", "guild_id = ?"),
    ("checkin", "guild_id = ?"),
    ("topic_progress", "guild_id = ?"),
    ("topic_note", "guild_id = ?"),
    ("member_settings", "guild_id = ?"),
    ("audit_log", "guild_id = ?"),
    ("guild_settings", "guild_id = ?"),
    ("guild_departure", "guild_id = ?"),
];

/// Deletes every row of the server (in the caller's transaction); returns how many.
pub async fn purge(conn: &mut Conn, guild: GuildId) -> anyhow::Result<u64> {
    let mut deleted = 0;
    for (table, rows) in GUILD_TABLES {
        deleted += sqlx::query(&format!("DELETE FROM {table} WHERE {rows}"))
            .bind(id_to_sql(guild.0))
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

/// Rows the server has, in all (for tests and the confirmation).
pub async fn count(conn: &mut Conn, guild: GuildId) -> anyhow::Result<i64> {
    let mut total = 0;
    for (table, rows) in GUILD_TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {rows}"))
            .bind(id_to_sql(guild.0))
            .fetch_one(&mut *conn)
            .await?;
        total += n;
    }
    Ok(total)
}

/// The bot was removed from the server: its data goes at `purge_at` (an earlier departure's
/// date is kept).
pub async fn departed(
    conn: &mut Conn,
    guild: GuildId,
    now: DateTime<Utc>,
    purge_at: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO guild_departure (guild_id, left_at, purge_at) VALUES (?, ?, ?)
         ON CONFLICT (guild_id) DO NOTHING",
    )
    .bind(id_to_sql(guild.0))
    .bind(format_instant(now))
    .bind(format_instant(purge_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The bot is in the server (again): nothing is purged. `true` if a purge was cancelled.
pub async fn returned(conn: &mut Conn, guild: GuildId) -> anyhow::Result<bool> {
    // Read first: this runs for every server at every connect, and almost never finds one; a
    // DELETE would take the write lock each time.
    let pending: Option<i64> =
        sqlx::query_scalar("SELECT guild_id FROM guild_departure WHERE guild_id = ?")
            .bind(id_to_sql(guild.0))
            .fetch_optional(&mut *conn)
            .await?;
    if pending.is_none() {
        return Ok(false);
    }
    let done = sqlx::query("DELETE FROM guild_departure WHERE guild_id = ?")
        .bind(id_to_sql(guild.0))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the server's departure if its purge is due by `now`; `false` if it is not (or the
/// bot was added back meanwhile), so only one caller purges.
pub async fn take_due(conn: &mut Conn, guild: GuildId, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let done = sqlx::query("DELETE FROM guild_departure WHERE guild_id = ? AND purge_at <= ?")
        .bind(id_to_sql(guild.0))
        .bind(format_instant(now))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Servers whose purge is due by `now`.
pub async fn due(conn: &mut Conn, now: DateTime<Utc>) -> anyhow::Result<Vec<GuildId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT guild_id FROM guild_departure WHERE purge_at <= ? ORDER BY purge_at",
    )
    .bind(format_instant(now))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(|id| GuildId(id as u64)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};

    #[sqlx::test]
    async fn every_table_with_a_guild_column_is_on_the_list(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND c.name = 'guild_id' ORDER BY m.name",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert!(tables.len() >= 14, "{tables:?}");
        for table in tables {
            assert!(
                GUILD_TABLES.iter().any(|(t, _)| *t == table),
                "{table} holds a server's data but the purge doesn't know it"
            );
        }
    }
}
