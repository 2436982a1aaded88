//! The `audit_log` table: who did what, when, per server.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Conn};
use crate::member::{GuildId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: UserId,
    pub action: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

pub async fn record(conn: &mut Conn, guild: GuildId, entry: &AuditEntry) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (guild_id, actor_id, action, detail, at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id_to_sql(guild.0))
    .bind(id_to_sql(entry.actor.0))
    .bind(&entry.action)
    .bind(&entry.detail)
    .bind(format_instant(entry.at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The server's latest entries whose action starts with `prefix`, newest first.
pub async fn recent(
    conn: &mut Conn,
    guild: GuildId,
    prefix: &str,
    limit: u32,
) -> anyhow::Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT actor_id, action, detail, at FROM audit_log
         WHERE guild_id = ? AND action LIKE ? ESCAPE '\\'
         ORDER BY at DESC, id DESC LIMIT ?",
    )
    .bind(id_to_sql(guild.0))
    .bind(format!(
        "{}%",
        prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    ))
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                actor: UserId(row.try_get::<i64, _>("actor_id")? as u64),
                action: row.try_get("action")?,
                detail: row.try_get("detail")?,
                at: parse_instant(&row.try_get::<String, _>("at")?)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};
    use chrono::TimeZone;

    #[sqlx::test]
    async fn entries_are_kept_per_server_newest_first_and_filtered_by_prefix(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let at = |m| Utc.with_ymd_and_hms(2026, 11, 26, 12, m, 0).unwrap();
        let entry = |action: &str, m| AuditEntry {
            actor: UserId(7),
            action: action.into(),
            detail: format!("{action} at {m}"),
            at: at(m),
        };
        record(&mut conn, GuildId(1), &entry("settings.timezone", 1))
            .await
            .unwrap();
        record(&mut conn, GuildId(1), &entry("settings.moderator_role", 2))
            .await
            .unwrap();
        record(&mut conn, GuildId(1), &entry("challenge.post", 3))
            .await
            .unwrap();
        record(&mut conn, GuildId(2), &entry("settings.timezone", 4))
            .await
            .unwrap();
        let settings = recent(&mut conn, GuildId(1), "settings.", 10)
            .await
            .unwrap();
        assert_eq!(
            settings
                .iter()
                .map(|e| e.action.as_str())
                .collect::<Vec<_>>(),
            ["settings.moderator_role", "settings.timezone"]
        );
        assert_eq!(
            recent(&mut conn, GuildId(1), "", 10).await.unwrap().len(),
            3
        );
        assert_eq!(
            recent(&mut conn, GuildId(1), "", 1).await.unwrap()[0].action,
            "challenge.post"
        );
        // `_` in a prefix is a character, not a wildcard.
        assert!(recent(&mut conn, GuildId(1), "settings_", 10)
            .await
            .unwrap()
            .is_empty());
    }
}
