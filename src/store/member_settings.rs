//! The `member_settings` table: a member's own choices in one server.

use sqlx::Row;

use super::{id_to_sql, Conn};
use crate::member::Member;

pub async fn timezone(conn: &mut Conn, member: Member) -> anyhow::Result<Option<String>> {
    let row =
        sqlx::query("SELECT timezone FROM member_settings WHERE guild_id = ? AND user_id = ?")
            .bind(id_to_sql(member.guild.0))
            .bind(id_to_sql(member.user.0))
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        Some(row) => row.try_get("timezone")?,
        None => None,
    })
}

pub async fn set_timezone(
    conn: &mut Conn,
    member: Member,
    timezone: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO member_settings (guild_id, user_id, timezone) VALUES (?, ?, ?)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET timezone = excluded.timezone",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(timezone)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The member's rest weekdays (a bit per weekday, Monday first) and whether their streak is
/// private.
pub async fn streak_prefs(conn: &mut Conn, member: Member) -> anyhow::Result<(u8, bool)> {
    let row = sqlx::query(
        "SELECT rest_days, streak_private FROM member_settings WHERE guild_id = ? AND user_id = ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => (
            u8::try_from(row.try_get::<i64, _>("rest_days")?)?,
            row.try_get::<i64, _>("streak_private")? != 0,
        ),
        None => (0, false),
    })
}

/// Sets the member's rest weekdays and whether their streak is private.
pub async fn set_streak_prefs(
    conn: &mut Conn,
    member: Member,
    rest_days: u8,
    private: bool,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO member_settings (guild_id, user_id, rest_days, streak_private) VALUES (?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET
             rest_days = excluded.rest_days, streak_private = excluded.streak_private",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(i64::from(rest_days))
    .bind(i64::from(private))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Everything a check-in needs to know about the member and their server, in one read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberContext {
    pub member_zone: Option<String>,
    pub rest_days: u8,
    pub streak_private: bool,
    pub server_zone: Option<String>,
    pub checkin_minutes: Option<u16>,
}

impl MemberContext {
    /// The server's zone, if it chose a (still known) one.
    pub fn server_zone(&self) -> Option<chrono_tz::Tz> {
        self.server_zone.as_deref().and_then(crate::timezone::parse)
    }

    /// The member's own zone, if they chose a (still known) one.
    pub fn member_zone(&self) -> Option<chrono_tz::Tz> {
        self.member_zone.as_deref().and_then(crate::timezone::parse)
    }
}

pub async fn context(conn: &mut Conn, member: Member) -> anyhow::Result<MemberContext> {
    let row = sqlx::query(
        "SELECT ms.timezone AS member_zone, ms.rest_days, ms.streak_private,
                gs.timezone AS server_zone, gs.checkin_minutes
         FROM (SELECT ? AS guild_id, ? AS user_id) AS asked
         LEFT JOIN member_settings ms ON ms.guild_id = asked.guild_id AND ms.user_id = asked.user_id
         LEFT JOIN guild_settings gs ON gs.guild_id = asked.guild_id",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_one(&mut *conn)
    .await?;
    let rest: Option<i64> = row.try_get("rest_days")?;
    let private: Option<i64> = row.try_get("streak_private")?;
    let minutes: Option<i64> = row.try_get("checkin_minutes")?;
    Ok(MemberContext {
        member_zone: row.try_get("member_zone")?,
        rest_days: u8::try_from(rest.unwrap_or(0))?,
        streak_private: private.unwrap_or(0) != 0,
        server_zone: row.try_get("server_zone")?,
        checkin_minutes: minutes.map(u16::try_from).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};

    #[sqlx::test]
    async fn a_zone_is_kept_per_member_and_server(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let ada = Member::new(1, 2);
        assert_eq!(timezone(&mut conn, ada).await.unwrap(), None);
        set_timezone(&mut conn, ada, Some("Asia/Kolkata"))
            .await
            .unwrap();
        set_timezone(&mut conn, ada, Some("Europe/Berlin"))
            .await
            .unwrap();
        assert_eq!(
            timezone(&mut conn, ada).await.unwrap().as_deref(),
            Some("Europe/Berlin")
        );
        assert_eq!(timezone(&mut conn, Member::new(9, 2)).await.unwrap(), None);
        set_timezone(&mut conn, ada, None).await.unwrap();
        assert_eq!(timezone(&mut conn, ada).await.unwrap(), None);
    }

    #[sqlx::test]
    async fn the_context_joins_member_and_server_and_defaults_when_missing(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let ada = Member::new(1, 2);
        assert_eq!(
            context(&mut conn, ada).await.unwrap(),
            MemberContext::default()
        );
        set_timezone(&mut conn, ada, Some("Asia/Kolkata"))
            .await
            .unwrap();
        set_streak_prefs(&mut conn, ada, 0b110_0000, true)
            .await
            .unwrap();
        let row = crate::store::guild_settings::GuildSettingsRow {
            timezone: Some("Europe/Berlin".into()),
            moderator_role: None,
            checkin_minutes: Some(45),
        };
        crate::store::guild_settings::put(&mut conn, ada.guild, &row, chrono::DateTime::UNIX_EPOCH)
            .await
            .unwrap();
        assert_eq!(
            context(&mut conn, ada).await.unwrap(),
            MemberContext {
                member_zone: Some("Asia/Kolkata".into()),
                rest_days: 0b110_0000,
                streak_private: true,
                server_zone: Some("Europe/Berlin".into()),
                checkin_minutes: Some(45),
            }
        );
        // Another member of that server: the server's part only.
        let other = context(&mut conn, Member::new(1, 3)).await.unwrap();
        assert_eq!(
            (other.member_zone, other.server_zone.as_deref()),
            (None, Some("Europe/Berlin"))
        );
    }
}
