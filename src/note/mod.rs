//! A member's private notes on roadmap topics: what they want to remember, next to the topic.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::member::Member;
use crate::roadmap::{Roadmap, TopicRef};
use crate::store::{topic_note, Store};

/// The longest note, in characters (the form allows no more, and the table checks it too).
pub const NOTE_MAX: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub updated_at: DateTime<Utc>,
}

/// What saving did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Written(Note),
    /// The text was empty: any earlier note was removed.
    Cleared {
        existed: bool,
    },
}

/// The rule for a note's text: trimmed, at most [`NOTE_MAX`] characters; empty means "none".
pub fn clean(text: &str) -> Result<Option<&str>> {
    let text = text.trim();
    let length = text.chars().count();
    if length > NOTE_MAX {
        return Err(Error::user(format!(
            "That note is {length} characters long; notes hold at most {NOTE_MAX}. Nothing was saved."
        )));
    }
    Ok((!text.is_empty()).then_some(text))
}

#[derive(Debug, Clone)]
pub struct NoteService {
    store: Store,
    roadmap: Arc<Roadmap>,
}

impl NoteService {
    pub fn new(store: Store, roadmap: Arc<Roadmap>) -> Self {
        Self { store, roadmap }
    }

    fn topic(&self, slug: &str) -> Result<TopicRef<'_>> {
        self.roadmap.topic(slug).ok_or_else(|| {
            Error::user("That topic is no longer in the roadmap, so it has no notes.")
        })
    }

    /// The member's note on a topic, with the topic.
    pub async fn get(
        &self,
        member: Member,
        topic_slug: &str,
    ) -> Result<(TopicRef<'_>, Option<Note>)> {
        let topic = self.topic(topic_slug)?;
        let mut conn = self.store.conn().await?;
        let row = topic_note::get(&mut conn, member, &topic.topic.slug)
            .await
            .map_err(|e| Error::internal(e.context(format!("reading a note of {member}"))))?;
        Ok((
            topic,
            row.map(|r| Note {
                text: r.note,
                updated_at: r.updated_at,
            }),
        ))
    }

    /// Saves (or, for empty text, clears) the member's note on a topic. Bad input writes nothing.
    pub async fn save(
        &self,
        member: Member,
        topic_slug: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(TopicRef<'_>, Saved)> {
        let topic = self.topic(topic_slug)?;
        let text = clean(text)?;
        let mut conn = self.store.conn().await?;
        let saved = match text {
            Some(text) => {
                topic_note::put(&mut conn, member, &topic.topic.slug, text, now)
                    .await
                    .map_err(|e| {
                        Error::internal(e.context(format!("saving a note of {member}")))
                    })?;
                Saved::Written(Note {
                    text: text.to_owned(),
                    updated_at: now,
                })
            }
            None => {
                let existed = topic_note::delete(&mut conn, member, &topic.topic.slug)
                    .await
                    .map_err(|e| {
                        Error::internal(e.context(format!("clearing a note of {member}")))
                    })?;
                Saved::Cleared { existed }
            }
        };
        Ok((topic, saved))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::tests::sample;
    use crate::store::Pool;
    use chrono::TimeZone;

    #[test]
    fn notes_are_trimmed_bounded_and_empty_means_none() {
        assert_eq!(clean("  use TTLs \n").unwrap(), Some("use TTLs"));
        assert_eq!(clean(" \n\t").unwrap(), None);
        assert!(clean(&"é".repeat(NOTE_MAX)).unwrap().is_some());
        assert!(matches!(
            clean(&"é".repeat(NOTE_MAX + 1)),
            Err(Error::User(_))
        ));
    }

    #[sqlx::test]
    async fn save_read_clear_and_refuse_unknown_topics(pool: Pool) {
        let svc = NoteService::new(Store::from(pool), Arc::new(sample()));
        let alice = Member::new(1, 2);
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let (_, saved) = svc.save(alice, "redis", " TTL! ", now).await.unwrap();
        assert_eq!(
            saved,
            Saved::Written(Note {
                text: "TTL!".into(),
                updated_at: now
            })
        );
        let (topic, note) = svc.get(alice, "redis").await.unwrap();
        assert_eq!(topic.topic.slug, "redis");
        assert_eq!(note.unwrap().text, "TTL!");
        let (_, saved) = svc.save(alice, "redis", "", now).await.unwrap();
        assert_eq!(saved, Saved::Cleared { existed: true });
        assert_eq!(svc.get(alice, "redis").await.unwrap().1, None);
        assert!(matches!(
            svc.save(alice, "kubernetes", "x", now).await,
            Err(Error::User(_))
        ));
        let too_long = "x".repeat(NOTE_MAX + 1);
        assert!(matches!(
            svc.save(alice, "redis", &too_long, now).await,
            Err(Error::User(_))
        ));
        assert_eq!(
            svc.get(alice, "redis").await.unwrap().1,
            None,
            "nothing written"
        );
    }
}
