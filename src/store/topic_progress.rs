//! The `topic_progress` table: one row per member and topic they have touched.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, parse_instant, Db};
use crate::member::Member;
use crate::progress::TopicStatus;

#[derive(Debug, Clone, PartialEq)]
pub struct TopicProgressRow {
    pub topic_slug: String,
    pub status: TopicStatus,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Every topic the member has a status for. Rows for topics no longer in the roadmap are kept
/// (a server may restore the topic) and simply ignored by the services.
pub async fn for_member(db: &Db, member: Member) -> anyhow::Result<Vec<TopicProgressRow>> {
    let rows = sqlx::query(
        "SELECT topic_slug, status, updated_at, completed_at FROM topic_progress
         WHERE guild_id = ? AND user_id = ? ORDER BY topic_slug",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            let completed: Option<String> = row.try_get("completed_at")?;
            Ok(TopicProgressRow {
                topic_slug: row.try_get("topic_slug")?,
                status: TopicStatus::from_db(&status)?,
                updated_at: parse_instant(&row.try_get::<String, _>("updated_at")?)?,
                completed_at: completed.as_deref().map(parse_instant).transpose()?,
            })
        })
        .collect()
}

/// Sets the member's status on a topic; `NotStarted` removes the row.
pub async fn set(
    db: &Db,
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
        .execute(db)
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
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, 0, 0).unwrap()
    }

    #[sqlx::test]
    async fn set_read_update_and_reset(db: Db) {
        let alice = Member::new(10, 1);
        set(&db, alice, "redis", TopicStatus::InProgress, at(1))
            .await
            .unwrap();
        set(&db, alice, "sql", TopicStatus::Done, at(2))
            .await
            .unwrap();
        let rows = for_member(&db, alice).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].topic_slug, "redis");
        assert_eq!(rows[0].status, TopicStatus::InProgress);
        assert_eq!(rows[0].completed_at, None);
        assert_eq!(rows[1].completed_at, Some(at(2)));

        // Marking done again keeps the first completion; leaving done clears it.
        set(&db, alice, "sql", TopicStatus::Done, at(3))
            .await
            .unwrap();
        assert_eq!(
            for_member(&db, alice).await.unwrap()[1].completed_at,
            Some(at(2))
        );
        assert_eq!(for_member(&db, alice).await.unwrap()[1].updated_at, at(3));
        set(&db, alice, "sql", TopicStatus::Skipped, at(4))
            .await
            .unwrap();
        assert_eq!(for_member(&db, alice).await.unwrap()[1].completed_at, None);

        set(&db, alice, "redis", TopicStatus::NotStarted, at(5))
            .await
            .unwrap();
        let rows = for_member(&db, alice).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].topic_slug, "sql");
    }

    #[sqlx::test]
    async fn progress_is_separate_per_server_and_user(db: Db) {
        set(&db, Member::new(10, 1), "redis", TopicStatus::Done, at(1))
            .await
            .unwrap();
        assert!(for_member(&db, Member::new(11, 1))
            .await
            .unwrap()
            .is_empty());
        assert!(for_member(&db, Member::new(10, 2))
            .await
            .unwrap()
            .is_empty());
        // Snowflakes near 2^63 survive the round trip.
        let big = Member::new(1_400_000_000_000_000_000, 9_000_000_000_000_000_000);
        set(&db, big, "redis", TopicStatus::Done, at(1))
            .await
            .unwrap();
        assert_eq!(for_member(&db, big).await.unwrap().len(), 1);
    }

    #[sqlx::test]
    async fn the_table_rejects_unknown_statuses(db: Db) {
        let result = sqlx::query(
            "INSERT INTO topic_progress (guild_id, user_id, topic_slug, status, updated_at)
             VALUES (1, 1, 'x', 'finished', '2026-01-01T00:00:00Z')",
        )
        .execute(&db)
        .await;
        assert!(result.is_err());
    }
}
