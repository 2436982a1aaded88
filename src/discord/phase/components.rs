//! The phase card's topic menu: `wp:phase:<phase-slug>`, whose chosen value is a topic slug of
//! that phase.

use super::super::answer::Answer;
use super::super::custom_id::{self, MAX_LEN};
use super::super::feature::{Click, STALE_COMPONENT};
use crate::discord::topic::topic_view;
use crate::error::{Error, Result};
use crate::roadmap::is_slug;

pub(super) const WORD: &str = "phase";

/// "Open one of this phase's topics".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicMenu {
    pub phase: String,
}

impl TopicMenu {
    pub fn encode(&self) -> String {
        custom_id::join(WORD, &[&self.phase])
    }

    pub fn parse(parts: &[&str]) -> Option<Self> {
        match parts {
            [phase] if is_slug(phase, MAX_LEN) => Some(Self {
                phase: (*phase).to_owned(),
            }),
            _ => None,
        }
    }
}

pub(super) async fn click(click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
    let stale = || Error::user(STALE_COMPONENT);
    let menu = TopicMenu::parse(parts).ok_or_else(stale)?;
    let values = click.selected().ok_or_else(stale)?;
    let member = click.call.caller.member()?;
    let data = click.call.data;
    let phase = data.roadmap.phase(&menu.phase).ok_or_else(|| {
        Error::user(
            "That phase is no longer in the roadmap. Run `/roadmap` to see the current phases.",
        )
    })?;
    let chosen = values.first().ok_or_else(stale)?;
    let topic = data
        .roadmap
        .topic(chosen)
        .filter(|t| t.phase.slug == phase.slug)
        .ok_or_else(|| {
            Error::user("That topic is no longer in this phase. Run the phase command again.")
        })?;
    let status = data
        .progress
        .member_progress(member)
        .await?
        .status(&topic.topic.slug);
    let (embed, rows) = topic_view(topic, status);
    Ok(Answer::Message(
        poise::CreateReply::default()
            .embed(embed)
            .components(rows)
            .ephemeral(true),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Option<TopicMenu> {
        let parsed = custom_id::split(raw)?;
        (parsed.feature == WORD)
            .then(|| TopicMenu::parse(&parsed.parts))
            .flatten()
    }

    #[test]
    fn custom_ids_round_trip_and_tampered_ones_are_refused() {
        let id = TopicMenu {
            phase: "databases".into(),
        };
        assert_eq!(id.encode(), "wp:phase:databases");
        assert_eq!(parse("wp:phase:databases"), Some(id));
        for raw in [
            "wp:phase:",
            "wp:phase:data bases",
            "wp:phase:databases:1",
            "wp:phase",
        ] {
            assert_eq!(parse(raw), None, "{raw:?}");
        }
        assert_eq!(parse(&format!("wp:phase:{}", "a".repeat(120))), None);
    }
}
