//! The `topic_note` table: a member's own notes on a topic.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Conn};
use crate::member::Member;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicNoteRow {
    pub note: String,
    pub updated_at: DateTime<Utc>,
}

pub async fn get(
    conn: &mut Conn,
    member: Member,
    topic_slug: &str,
) -> anyhow::Result<Option<TopicNoteRow>> {
    let row = sqlx::query(
        "SELECT note, updated_at FROM topic_note
         WHERE guild_id = ? AND user_id = ? AND topic_slug = ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(topic_slug)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(TopicNoteRow {
            note: row.try_get("note")?,
            updated_at: parse_instant(&row.try_get::<String, _>("updated_at")?)?,
        })
    })
    .transpose()
}

/// Writes the note (1–1000 characters: the caller checks), replacing any earlier one.
pub async fn put(
    conn: &mut Conn,
    member: Member,
    topic_slug: &str,
    note: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO topic_note (guild_id, user_id, topic_slug, note, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id, topic_slug) DO UPDATE SET
             note = excluded.note, updated_at = excluded.updated_at",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(topic_slug)
    .bind(note)
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes the note; `false` if there was none.
pub async fn delete(conn: &mut Conn, member: Member, topic_slug: &str) -> anyhow::Result<bool> {
    let result =
        sqlx::query("DELETE FROM topic_note WHERE guild_id = ? AND user_id = ? AND topic_slug = ?")
            .bind(id_to_sql(member.guild.0))
            .bind(id_to_sql(member.user.0))
            .bind(topic_slug)
            .execute(&mut *conn)
            .await?;
    Ok(result.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};
    use chrono::TimeZone;

    #[sqlx::test]
    async fn put_replaces_get_reads_delete_removes(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let alice = Member::new(1, 2);
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 26, h, 0, 0).unwrap();
        assert_eq!(get(&mut conn, alice, "redis").await.unwrap(), None);
        put(&mut conn, alice, "redis", "keys expire", t(1))
            .await
            .unwrap();
        put(&mut conn, alice, "redis", "use TTLs", t(2))
            .await
            .unwrap();
        let note = get(&mut conn, alice, "redis").await.unwrap().unwrap();
        assert_eq!((note.note.as_str(), note.updated_at), ("use TTLs", t(2)));
        assert_eq!(
            get(&mut conn, Member::new(1, 3), "redis").await.unwrap(),
            None
        );
        assert!(delete(&mut conn, alice, "redis").await.unwrap());
        assert!(!delete(&mut conn, alice, "redis").await.unwrap());
        // The table itself refuses an empty or over-long note.
        assert!(put(&mut conn, alice, "redis", "", t(3)).await.is_err());
        assert!(put(&mut conn, alice, "redis", &"x".repeat(1001), t(3))
            .await
            .is_err());
    }
}
