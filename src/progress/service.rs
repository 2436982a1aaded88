//! Reading and changing a member's progress: the roadmap says what exists, the store keeps
//! what the member did.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{MemberProgress, TopicStatus};
use crate::error::{Error, Result};
use crate::leaderboard::service::topic_boards;
use crate::member::Member;
use crate::roadmap::{search_topics, Roadmap, TopicRef};
use crate::settings::SettingsService;
use crate::store::{board_score, roadmap_topic, topic_progress, Store};

/// A topic name that matches no topic: what was typed (raw) and up to three close titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSuchTopic {
    pub typed: String,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ProgressService {
    store: Store,
    roadmap: Arc<Roadmap>,
    settings: SettingsService,
}

impl ProgressService {
    pub fn new(store: Store, roadmap: Arc<Roadmap>, settings: SettingsService) -> Self {
        Self {
            store,
            roadmap,
            settings,
        }
    }

    /// Tells the store which topics the roadmap has now, so progress on topics a server removed
    /// stops counting everywhere (and counts again if the topic comes back). Run at start-up.
    pub async fn publish_roadmap(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let topics: Vec<(&str, &str)> = self
            .roadmap
            .topics()
            .map(|t| (t.topic.slug.as_str(), t.phase.slug.as_str()))
            .collect();
        let mut tx = self.store.begin().await?;
        let before = roadmap_topic::all(&mut tx).await?;
        let changed = before.len() != topics.len()
            || before.iter().zip(&topics).any(|(old, (new, _))| old != new);
        roadmap_topic::sync(&mut tx, &topics).await?;
        if changed {
            // Topics that came or went change who has done how many: count again.
            board_score::clear_metric(&mut tx, "topics").await?;
            board_score::rebuild_topics_all_time(&mut tx).await?;
            self.rebuild_recent_topic_boards(&mut tx, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// This week's and this month's topics boards, from completions of the last 32 days (older
    /// periods are never shown).
    async fn rebuild_recent_topic_boards(
        &self,
        tx: &mut crate::store::Conn,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        // Completions older than this are in no week or month a board shows.
        let floor = now - chrono::Duration::days(32);
        let recent = topic_progress::done_since(tx, floor).await?;
        let mut zones = std::collections::HashMap::new();
        for (member, finished) in recent {
            let zone = match zones.get(&member.guild) {
                Some(zone) => *zone,
                None => {
                    let row = crate::store::guild_settings::get(tx, member.guild).await?;
                    let zone = row
                        .timezone
                        .as_deref()
                        .and_then(crate::timezone::parse)
                        .unwrap_or(chrono_tz::Tz::UTC);
                    zones.insert(member.guild, zone);
                    zone
                }
            };
            // This week's and this month's boards in two statements (a large server has tens
            // of thousands of recent completions to count again).
            let recent: Vec<_> = topic_boards(finished, zone)
                .into_iter()
                .filter(|board| board.period != "all")
                .collect();
            board_score::add_many(tx, member.guild, member.user, &recent, 1).await?;
        }
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

    /// Finds a topic by slug, or by exact title as a member might type it; otherwise says what
    /// was typed and which topics come close, for the adapter to word (it sanitises the echo).
    pub fn find_topic(&self, input: &str) -> Result<TopicRef<'_>, NoSuchTopic> {
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
        let mut close = search_topics(&self.roadmap, wanted);
        if close.is_empty() {
            // No topic matches every word: suggest what matches any longer word.
            for word in wanted.split_whitespace().filter(|w| w.chars().count() >= 3) {
                close.extend(search_topics(&self.roadmap, word));
            }
        }
        let mut suggestions: Vec<String> = Vec::new();
        if !wanted.is_empty() {
            for t in close {
                if !suggestions.contains(&t.topic.title) && suggestions.len() < 3 {
                    suggestions.push(t.topic.title.clone());
                }
            }
        }
        Err(NoSuchTopic {
            typed: input.to_owned(),
            suggestions,
        })
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
        let zone = self.settings.get(member.guild).await?.zone();
        let save = async {
            let mut tx = self.store.begin().await?;
            let old = topic_progress::get(&mut tx, member, &topic.topic.slug).await?;
            topic_progress::set(&mut tx, member, &topic.topic.slug, status, now).await?;
            // The topics boards count a topic in the period it was finished.
            let was_done = old.as_ref().and_then(|row| row.completed_at);
            match (was_done, status == TopicStatus::Done) {
                (None, true) => {
                    for board in topic_boards(now, zone) {
                        board_score::add(&mut tx, member.guild, member.user, board, 1).await?;
                    }
                }
                (Some(finished), false) => {
                    for board in topic_boards(finished, zone) {
                        board_score::add(&mut tx, member.guild, member.user, board, -1).await?;
                    }
                }
                _ => {}
            }
            tx.commit().await?;
            anyhow::Ok(())
        };
        save.await
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
        let store = Store::from(pool);
        let svc = ProgressService::new(
            store.clone(),
            Arc::new(sample()),
            SettingsService::new(store),
        );
        svc.publish_roadmap(now()).await.unwrap();
        svc
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[sqlx::test]
    async fn a_changed_roadmap_counts_the_topics_boards_again_to_the_same_scores(db: Pool) {
        let svc = service(db.clone()).await;
        let (ada, bob) = (Member::new(1, 1), Member::new(1, 2));
        for (member, slug) in [(ada, "redis"), (ada, "variables"), (bob, "redis")] {
            svc.set_status(member, slug, TopicStatus::Done, now())
                .await
                .unwrap();
        }
        let boards = || async {
            let scores: Vec<(String, String, i64, i64)> = sqlx::query_as(
                "SELECT period, period_start, user_id, score FROM board_score
                 WHERE metric = 'topics' AND score > 0 ORDER BY period, period_start, user_id",
            )
            .fetch_all(&db)
            .await
            .unwrap();
            let histogram: Vec<(String, String, i64, i64)> = sqlx::query_as(
                "SELECT period, period_start, score, members FROM board_histogram
                 WHERE metric = 'topics' AND members > 0 ORDER BY period, period_start, score",
            )
            .fetch_all(&db)
            .await
            .unwrap();
            (scores, histogram)
        };
        let kept = boards().await;
        assert_eq!(
            kept.0.len(),
            6,
            "two members on the week, month and all-time boards"
        );
        // The store's record of the roadmap differs from the roadmap: start-up counts again.
        sqlx::query("DELETE FROM roadmap_topic WHERE slug = 'redis'")
            .execute(&db)
            .await
            .unwrap();
        svc.publish_roadmap(now()).await.unwrap();
        assert_eq!(boards().await, kept);
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
        let miss = svc.find_topic("sql basics").unwrap_err();
        assert_eq!(miss.typed, "sql basics");
        assert!(
            miss.suggestions.contains(&"SQL fundamentals".to_owned()),
            "{miss:?}"
        );
        let miss = svc.find_topic("   ").unwrap_err();
        assert!(
            miss.suggestions.is_empty(),
            "nothing typed, nothing suggested"
        );
    }
}
