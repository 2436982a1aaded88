//! Reading and changing a member's progress: the roadmap says what exists, the store keeps
//! what the member did.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{MemberProgress, TopicStatus};
use crate::error::{Error, Result};
use crate::member::Member;
use crate::roadmap::{search_topics, Roadmap, TopicRef};
use crate::store::{roadmap_topic, topic_progress, Store};

#[derive(Debug, Clone)]
pub struct ProgressService {
    store: Store,
    roadmap: Arc<Roadmap>,
}

impl ProgressService {
    pub fn new(store: Store, roadmap: Arc<Roadmap>) -> Self {
        Self { store, roadmap }
    }

    /// Tells the store which topics the roadmap has now, so progress on topics a server removed
    /// stops counting everywhere (and counts again if the topic comes back). Run at start-up.
    pub async fn publish_roadmap(&self) -> anyhow::Result<()> {
        let topics: Vec<(&str, &str)> = self
            .roadmap
            .topics()
            .map(|t| (t.topic.slug.as_str(), t.phase.slug.as_str()))
            .collect();
        let mut tx = self.store.begin().await?;
        roadmap_topic::sync(&mut tx, &topics).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn member_progress(&self, member: Member) -> Result<MemberProgress> {
        let mut conn = self.store.conn().await?;
        let rows = topic_progress::for_member(&mut conn, member)
            .await
            .map_err(|e| Error::internal(e.context(format!("loading progress of {member}"))))?;
        Ok(MemberProgress::from_statuses(
            rows.into_iter().map(|row| (row.topic_slug, row.status)),
        ))
    }

    /// Finds a topic by slug, or by exact title as a member might type it; anything else is a
    /// user error that suggests close matches.
    pub fn find_topic(&self, input: &str) -> Result<TopicRef<'_>> {
        let wanted = input.trim();
        if let Some(topic) = self.roadmap.topic(wanted) {
            return Ok(topic);
        }
        if let Some(topic) = self
            .roadmap
            .topics()
            .find(|t| t.topic.title.eq_ignore_ascii_case(wanted))
        {
            return Ok(topic);
        }
        let shown: String = wanted.chars().take(60).collect();
        let mut close = search_topics(&self.roadmap, wanted);
        if close.is_empty() {
            // No topic matches every word: suggest what matches any longer word.
            for word in wanted.split_whitespace().filter(|w| w.chars().count() >= 3) {
                close.extend(search_topics(&self.roadmap, word));
            }
        }
        let mut suggestions: Vec<String> = Vec::new();
        for t in close {
            let title = format!("`{}`", t.topic.title);
            if !suggestions.contains(&title) && suggestions.len() < 3 {
                suggestions.push(title);
            }
        }
        let hint = if suggestions.is_empty() || wanted.is_empty() {
            "Pick one from the suggestions while you type.".to_owned()
        } else {
            format!("Did you mean {}?", suggestions.join(", "))
        };
        Err(Error::user(format!(
            "There is no topic called `{}` in the roadmap. {hint}",
            shown.replace('`', "'")
        )))
    }

    /// Sets the member's status on a topic and returns the topic; unknown topics change nothing.
    pub async fn set_status(
        &self,
        member: Member,
        topic_slug: &str,
        status: TopicStatus,
        now: DateTime<Utc>,
    ) -> Result<TopicRef<'_>> {
        let topic = self.roadmap.topic(topic_slug).ok_or_else(|| {
            Error::user("That topic is no longer in the roadmap, so its status cannot be changed.")
        })?;
        let mut conn = self.store.conn().await?;
        topic_progress::set(&mut conn, member, &topic.topic.slug, status, now)
            .await
            .map_err(|e| Error::internal(e.context(format!("saving progress of {member}"))))?;
        Ok(topic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::tests::sample;
    use crate::store::Pool;
    use chrono::TimeZone;

    async fn service(pool: Pool) -> ProgressService {
        let svc = ProgressService::new(Store::from(pool), Arc::new(sample()));
        svc.publish_roadmap().await.unwrap();
        svc
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[sqlx::test]
    async fn set_status_persists_and_is_read_back(db: Pool) {
        let svc = service(db).await;
        let bob = Member::new(1, 2);
        let t = svc
            .set_status(bob, "redis", TopicStatus::Done, now())
            .await
            .unwrap();
        assert_eq!(t.phase.slug, "databases");
        let progress = svc.member_progress(bob).await.unwrap();
        assert_eq!(progress.status("redis"), TopicStatus::Done);
        assert_eq!(progress.status("variables"), TopicStatus::NotStarted);
    }

    #[sqlx::test]
    async fn unknown_topic_is_a_user_error_and_writes_nothing(db: Pool) {
        let svc = service(db.clone()).await;
        let err = svc
            .set_status(Member::new(1, 2), "kubernetes", TopicStatus::Done, now())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::User(_)));
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM topic_progress")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[sqlx::test]
    async fn find_topic_accepts_slug_or_title_and_suggests_otherwise(db: Pool) {
        let svc = service(db).await;
        assert_eq!(svc.find_topic("redis").unwrap().topic.slug, "redis");
        assert_eq!(
            svc.find_topic("  control FLOW ").unwrap().topic.slug,
            "control-flow"
        );
        let Err(Error::User(message)) = svc.find_topic("sql basics") else {
            panic!("expected a user error");
        };
        assert!(message.contains("`sql basics`"), "{message}");
        assert!(message.contains("SQL fundamentals"), "{message}");
        let Err(Error::User(message)) = svc.find_topic("`@everyone`") else {
            panic!("expected a user error");
        };
        assert!(!message.contains("``"), "{message}");
    }
}
