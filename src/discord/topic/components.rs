//! The status buttons of a topic card: `wp:topic:<topic-slug>:<done|progress|skip|reset>`.

use super::super::answer::Answer;
use super::super::custom_id::{self, MAX_LEN};
use super::super::feature::{Click, STALE_COMPONENT};
use super::views::topic_view;
use crate::error::{Error, Result};
use crate::progress::TopicStatus;
use crate::roadmap::is_slug;

pub(super) const WORD: &str = "topic";

/// "Set my status on this topic to …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusButton {
    pub topic: String,
    pub status: TopicStatus,
}

fn status_code(status: TopicStatus) -> &'static str {
    match status {
        TopicStatus::Done => "done",
        TopicStatus::InProgress => "progress",
        TopicStatus::Skipped => "skip",
        TopicStatus::NotStarted => "reset",
    }
}

impl StatusButton {
    pub fn encode(&self) -> String {
        custom_id::join(WORD, &[&self.topic, status_code(self.status)])
    }

    /// The parts after `wp:topic`; `None` for anything that is not exactly one of ours.
    pub fn parse(parts: &[&str]) -> Option<Self> {
        let [topic, action] = parts else {
            return None;
        };
        if !is_slug(topic, MAX_LEN) {
            return None;
        }
        let status = TopicStatus::ALL
            .into_iter()
            .find(|s| status_code(*s) == *action)?;
        Some(Self {
            topic: (*topic).to_owned(),
            status,
        })
    }
}

pub(super) async fn click(click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
    let button = StatusButton::parse(parts).ok_or_else(|| Error::user(STALE_COMPONENT))?;
    let member = click.call.caller.member()?;
    let topic = click
        .call
        .data
        .progress
        .set_status(member, &button.topic, button.status, click.call.now)
        .await?;
    if button.status == TopicStatus::Done {
        // Finishing a topic is studying: the day counts for the streak (no minutes added).
        click
            .call
            .data
            .study
            .studied(
                member,
                &topic.topic.slug,
                Some(click.interaction.id.get()),
                click.call.now,
            )
            .await?;
    }
    let (embed, rows) = topic_view(topic, button.status);
    Ok(Answer::Update(
        poise::CreateReply::default().embed(embed).components(rows),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Option<StatusButton> {
        let parsed = custom_id::split(raw)?;
        (parsed.feature == WORD)
            .then(|| StatusButton::parse(&parsed.parts))
            .flatten()
    }

    #[test]
    fn custom_ids_round_trip() {
        for status in TopicStatus::ALL {
            let id = StatusButton {
                topic: "sql-fundamentals".into(),
                status,
            };
            assert_eq!(parse(&id.encode()), Some(id));
        }
        assert_eq!(
            StatusButton {
                topic: "redis".into(),
                status: TopicStatus::Done
            }
            .encode(),
            "wp:topic:redis:done"
        );
    }

    #[test]
    fn tampered_ids_are_refused() {
        for raw in [
            "",
            "wp",
            "wp:topic:redis",
            "wp:topic:redis:finish",
            "wp:topic:Redis:done",
            "wp:topic::done",
            "wp:topic:redis:done:extra",
            "xx:topic:redis:done",
        ] {
            assert_eq!(parse(raw), None, "{raw:?}");
        }
        assert_eq!(parse(&format!("wp:topic:{}:done", "a".repeat(120))), None);
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics_and_accepts_only_canonical_ids(
            // Near-misses of real ids, so that many of them do parse.
            raw in "(wp|xx|):(topic|phase|):[a-zA-Z0-9 -]{0,8}(:(done|progress|skip|reset|x)){0,2}|.{0,120}",
        ) {
            if let Some(id) = parse(&raw) {
                proptest::prop_assert_eq!(id.encode(), raw);
            }
        }

        #[test]
        fn any_valid_topic_and_status_round_trips(
            topic in "[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?",
            status in proptest::sample::select(TopicStatus::ALL.to_vec()),
        ) {
            let id = StatusButton { topic, status };
            proptest::prop_assert!(id.encode().len() <= MAX_LEN);
            proptest::prop_assert_eq!(parse(&id.encode()), Some(id));
        }
    }
}
