//! The `topic_progress` table: one row per member and topic they have touched.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Conn};
use crate::member::Member;
use crate::progress::TopicStatus;

#[derive(Debug, Clone, PartialEq)]
pub struct TopicProgressRow {
    pub topic_slug: String,
    pub status: TopicStatus,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Every topic of the current roadmap the member has a status for, in roadmap order. Rows for
/// topics no longer in the roadmap are kept (a server may restore the topic) but never returned:
/// the `current_topic_progress` view leaves them out.
pub async fn for_member(conn: &mut Conn, member: Member) -> anyhow::Result<Vec<TopicProgressRow>> {
    let rows = sqlx::query(
        "SELECT topic_slug, status, updated_at, completed_at FROM current_topic_progress
         WHERE guild_id = ? AND user_id = ? ORDER BY position",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_row).collect()
}

/// The member's row for one topic (whether or not the topic is still in the roadmap).
pub async fn get(
    conn: &mut Conn,
    member: Member,
    topic_slug: &str,
) -> anyhow::Result<Option<TopicProgressRow>> {
    let row = sqlx::query(
        "SELECT topic_slug, status, updated_at, completed_at FROM topic_progress
         WHERE guild_id = ? AND user_id = ? AND topic_slug = ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(topic_slug)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_row).transpose()
}

/// Topics of the current roadmap finished since `since`: who, and when.
pub async fn done_since(
    conn: &mut Conn,
    since: DateTime<Utc>,
) -> anyhow::Result<Vec<(Member, DateTime<Utc>)>> {
    let rows = sqlx::query(
        "SELECT guild_id, user_id, completed_at FROM current_topic_progress
         WHERE status = 'done' AND completed_at >= ?",
    )
    .bind(format_instant(since))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                Member::new(
                    row.try_get::<i64, _>("guild_id")? as u64,
                    row.try_get::<i64, _>("user_id")? as u64,
                ),
                parse_instant(&row.try_get::<String, _>("completed_at")?)?,
            ))
        })
        .collect()
}

fn to_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<TopicProgressRow> {
    let status: String = row.try_get("status")?;
    let completed: Option<String> = row.try_get("completed_at")?;
    Ok(TopicProgressRow {
        topic_slug: row.try_get("topic_slug")?,
        status: TopicStatus::from_db(&status)?,
        updated_at: parse_instant(&row.try_get::<String, _>("updated_at")?)?,
        completed_at: completed.as_deref().map(parse_instant).transpose()?,
    })
}

/// Sets the member's status on a topic; `NotStarted` removes the row.
pub async fn set(
    conn: &mut Conn,
    member: Member,
    topic_slug: &str,
    status: TopicStatus,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let guild = id_to_sql(member.guild.0);
    let user = id_to_sql(member.user.0);
    let Some(code) = status.to_db() else {
        sqlx::query(
            "DELETE FROM topic_progress WHERE guild_id = ? AND user_id = ? AND topic_slug = ?",
        )
        .bind(guild)
        .bind(user)
        .bind(topic_slug)
        .execute(&mut *conn)
        .await?;
        return Ok(());
    };
    let now = format_instant(now);
    // completed_at keeps the first completion time while the topic stays done.
    sqlx::query(
        "INSERT INTO topic_progress (guild_id, user_id, topic_slug, status, updated_at, completed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?4 = 'done' THEN ?5 END)
         ON CONFLICT (guild_id, user_id, topic_slug) DO UPDATE SET
             status = excluded.status,
             updated_at = excluded.updated_at,
             completed_at = CASE
                 WHEN excluded.status != 'done' THEN NULL
                 WHEN topic_progress.status = 'done' THEN topic_progress.completed_at
                 ELSE excluded.updated_at
             END",
    )
    .bind(guild)
    .bind(user)
    .bind(topic_slug)
    .bind(code)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{roadmap_topic, Pool, Store};
    use chrono::TimeZone;

    /// A connection whose roadmap has these topics, in this order.
    async fn with_topics(pool: Pool, slugs: &[&str]) -> crate::store::Pooled {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let topics: Vec<(&str, &str)> = slugs.iter().map(|s| (*s, "phase")).collect();
        roadmap_topic::sync(&mut conn, &topics).await.unwrap();
        conn
    }

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, 0, 0).unwrap()
    }

    #[sqlx::test]
    async fn set_read_update_and_reset(pool: Pool) {
        let db = &mut *with_topics(pool, &["redis", "sql"]).await;
        let alice = Member::new(10, 1);
        set(&mut *db, alice, "redis", TopicStatus::InProgress, at(1))
            .await
            .unwrap();
        set(&mut *db, alice, "sql", TopicStatus::Done, at(2))
            .await
            .unwrap();
        let rows = for_member(&mut *db, alice).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].topic_slug, "redis");
        assert_eq!(rows[0].status, TopicStatus::InProgress);
        assert_eq!(rows[0].completed_at, None);
        assert_eq!(rows[1].completed_at, Some(at(2)));

        // Marking done again keeps the first completion; leaving done clears it.
        set(&mut *db, alice, "sql", TopicStatus::Done, at(3))
            .await
            .unwrap();
        assert_eq!(
            for_member(&mut *db, alice).await.unwrap()[1].completed_at,
            Some(at(2))
        );
        assert_eq!(
            for_member(&mut *db, alice).await.unwrap()[1].updated_at,
            at(3)
        );
        set(&mut *db, alice, "sql", TopicStatus::Skipped, at(4))
            .await
            .unwrap();
        assert_eq!(
            for_member(&mut *db, alice).await.unwrap()[1].completed_at,
            None
        );

        set(&mut *db, alice, "redis", TopicStatus::NotStarted, at(5))
            .await
            .unwrap();
        let rows = for_member(&mut *db, alice).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].topic_slug, "sql");
    }

    #[sqlx::test]
    async fn progress_is_separate_per_server_and_user(pool: Pool) {
        let db = &mut *with_topics(pool, &["redis"]).await;
        set(
            &mut *db,
            Member::new(10, 1),
            "redis",
            TopicStatus::Done,
            at(1),
        )
        .await
        .unwrap();
        assert!(for_member(&mut *db, Member::new(11, 1))
            .await
            .unwrap()
            .is_empty());
        assert!(for_member(&mut *db, Member::new(10, 2))
            .await
            .unwrap()
            .is_empty());
        // Snowflakes near 2^63 survive the round trip.
        let big = Member::new(1_400_000_000_000_000_000, 9_000_000_000_000_000_000);
        set(&mut *db, big, "redis", TopicStatus::Done, at(1))
            .await
            .unwrap();
        assert_eq!(for_member(&mut *db, big).await.unwrap().len(), 1);
    }

    #[sqlx::test]
    async fn the_table_rejects_unknown_statuses(pool: Pool) {
        let db = &mut *with_topics(pool, &[]).await;
        let result = sqlx::query(
            "INSERT INTO topic_progress (guild_id, user_id, topic_slug, status, updated_at)
             VALUES (1, 1, 'x', 'finished', '2026-01-01T00:00:00Z')",
        )
        .execute(&mut *db)
        .await;
        assert!(result.is_err());
    }

    #[sqlx::test]
    async fn rows_of_topics_that_left_the_roadmap_are_kept_but_never_returned(pool: Pool) {
        let db = &mut *with_topics(pool, &["redis", "sql"]).await;
        let alice = Member::new(10, 1);
        set(&mut *db, alice, "redis", TopicStatus::Done, at(1))
            .await
            .unwrap();
        set(&mut *db, alice, "sql", TopicStatus::Done, at(1))
            .await
            .unwrap();
        roadmap_topic::sync(&mut *db, &[("sql", "phase")])
            .await
            .unwrap();
        let rows = for_member(&mut *db, alice).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].topic_slug, "sql");
        // The topic comes back: so does the member's status on it.
        roadmap_topic::sync(&mut *db, &[("redis", "phase"), ("sql", "phase")])
            .await
            .unwrap();
        let rows = for_member(&mut *db, alice).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].topic_slug, "redis", "in roadmap order");
    }
}
