//! The `guild_settings` table: one row per server that changed a setting.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, Conn};
use crate::member::{GuildId, RoleId};

/// The stored values; `None` is "the default".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuildSettingsRow {
    pub timezone: Option<String>,
    pub moderator_role: Option<RoleId>,
    pub checkin_minutes: Option<u16>,
}

pub async fn get(conn: &mut Conn, guild: GuildId) -> anyhow::Result<GuildSettingsRow> {
    let row = sqlx::query(
        "SELECT timezone, moderator_role_id, checkin_minutes FROM guild_settings WHERE guild_id = ?",
    )
    .bind(id_to_sql(guild.0))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(GuildSettingsRow::default());
    };
    let role: Option<i64> = row.try_get("moderator_role_id")?;
    let minutes: Option<i64> = row.try_get("checkin_minutes")?;
    Ok(GuildSettingsRow {
        timezone: row.try_get("timezone")?,
        moderator_role: role.map(|r| RoleId(r as u64)),
        checkin_minutes: minutes.map(u16::try_from).transpose()?,
    })
}

/// Writes the whole row (the service reads, changes and writes inside one transaction).
pub async fn put(
    conn: &mut Conn,
    guild: GuildId,
    settings: &GuildSettingsRow,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO guild_settings (guild_id, timezone, moderator_role_id, checkin_minutes, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET
             timezone = excluded.timezone,
             moderator_role_id = excluded.moderator_role_id,
             checkin_minutes = excluded.checkin_minutes,
             updated_at = excluded.updated_at",
    )
    .bind(id_to_sql(guild.0))
    .bind(&settings.timezone)
    .bind(settings.moderator_role.map(|r| id_to_sql(r.0)))
    .bind(settings.checkin_minutes.map(i64::from))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};
    use chrono::TimeZone;

    #[sqlx::test]
    async fn a_server_without_a_row_has_defaults_and_put_round_trips(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let guild = GuildId(5);
        assert_eq!(
            get(&mut conn, guild).await.unwrap(),
            GuildSettingsRow::default()
        );
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        let settings = GuildSettingsRow {
            timezone: Some("Europe/Berlin".into()),
            moderator_role: Some(RoleId(9_000_000_000_000_000_001)),
            checkin_minutes: Some(45),
        };
        put(&mut conn, guild, &settings, now).await.unwrap();
        assert_eq!(get(&mut conn, guild).await.unwrap(), settings);
        let cleared = GuildSettingsRow {
            moderator_role: None,
            ..settings
        };
        put(&mut conn, guild, &cleared, now).await.unwrap();
        assert_eq!(get(&mut conn, guild).await.unwrap(), cleared);
        assert_eq!(
            get(&mut conn, GuildId(6)).await.unwrap(),
            GuildSettingsRow::default()
        );
        // The table refuses minutes outside 1-720.
        let wrong = GuildSettingsRow {
            checkin_minutes: Some(721),
            ..GuildSettingsRow::default()
        };
        assert!(put(&mut conn, guild, &wrong, now).await.is_err());
    }
}
