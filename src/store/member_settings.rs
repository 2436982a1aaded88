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
}
