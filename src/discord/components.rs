//! Buttons and select menus. Their custom ids are a small, versioned grammar so that they keep
//! working after a restart and anything tampered with is recognised and refused.
//!
//! - `wp:topic:<topic-slug>:<done|progress|skip|reset>`: set the clicker's status on a topic;
//! - `wp:phase:<phase-slug>`: a select menu whose chosen value is a topic slug of that phase.

use poise::serenity_prelude as serenity;

use super::commands::topic::topic_view;
use super::errors::{ephemeral_response, member_message};
use super::rate_limit::{retrying, ANSWER};
use super::{member_of, Data};
use crate::error::{Error, Result};
use crate::progress::TopicStatus;
use crate::roadmap::is_slug;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomId {
    TopicStatus { topic: String, status: TopicStatus },
    PhaseTopics { phase: String },
}

const PREFIX: &str = "wp";
/// Discord caps custom ids at 100 characters.
const MAX_LEN: usize = 100;

fn status_code(status: TopicStatus) -> &'static str {
    match status {
        TopicStatus::Done => "done",
        TopicStatus::InProgress => "progress",
        TopicStatus::Skipped => "skip",
        TopicStatus::NotStarted => "reset",
    }
}

impl CustomId {
    pub fn encode(&self) -> String {
        match self {
            Self::TopicStatus { topic, status } => {
                format!("{PREFIX}:topic:{topic}:{}", status_code(*status))
            }
            Self::PhaseTopics { phase } => format!("{PREFIX}:phase:{phase}"),
        }
    }

    /// `None` for anything that is not exactly one of ours.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.len() > MAX_LEN {
            return None;
        }
        let is_slug = |s: &str| is_slug(s, MAX_LEN);
        let parts: Vec<&str> = raw.split(':').collect();
        match parts.as_slice() {
            [PREFIX, "topic", topic, action] if is_slug(topic) => {
                let status = TopicStatus::ALL
                    .into_iter()
                    .find(|s| status_code(*s) == *action)?;
                Some(Self::TopicStatus {
                    topic: (*topic).to_owned(),
                    status,
                })
            }
            [PREFIX, "phase", phase] if is_slug(phase) => Some(Self::PhaseTopics {
                phase: (*phase).to_owned(),
            }),
            _ => None,
        }
    }
}

const STALE: &str =
    "This button isn't one I recognise (it may be from an older version of the bot). \
                     Run the command again to get a fresh one.";

/// Handles one component interaction; every outcome, error or not, gets an answer.
pub(crate) async fn handle(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    data: &Data,
) {
    let custom_id = &component.data.custom_id;
    let response = match respond(component, data).await {
        Ok(response) => response,
        Err(error) => {
            if let Error::User(message) = &error {
                tracing::info!(custom_id = %custom_id, reason = %message, "refused a component");
            }
            let text = member_message(&error, "component");
            ephemeral_response(text)
        }
    };
    let sent = retrying(ANSWER, || component.create_response(ctx, response.clone())).await;
    if let Err(e) = sent {
        // Discord refused our answer (a bug of ours, or an outage): the member is still told,
        // with a reference to the details in the log.
        let failure = anyhow::Error::new(e).context(format!("answering component {custom_id}"));
        let text = member_message(&Error::internal(failure), "component");
        if let Err(e) = component
            .create_response(ctx, ephemeral_response(text))
            .await
        {
            tracing::warn!(error = %e, custom_id = %custom_id, "could not answer a component interaction at all");
        }
    }
}

/// No form of this version of the bot is open yet: any submission is stale or forged, and
/// gets the same refusal as an unknown button.
pub(crate) async fn handle_modal(ctx: &serenity::Context, modal: &serenity::ModalInteraction) {
    tracing::info!(custom_id = %modal.data.custom_id, "refused an unknown modal submission");
    let response = ephemeral_response(
        "This form isn't one I recognise (it may be from an older version of the bot). Nothing was saved.",
    );
    let sent = retrying(ANSWER, || modal.create_response(ctx, response.clone())).await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, "could not answer a modal submission");
    }
}

async fn respond(
    component: &serenity::ComponentInteraction,
    data: &Data,
) -> Result<serenity::CreateInteractionResponse> {
    let id = CustomId::parse(&component.data.custom_id).ok_or_else(|| Error::user(STALE))?;
    let member = member_of(component.guild_id, component.user.id)?;
    match id {
        CustomId::TopicStatus { topic, status } => {
            let topic = data
                .progress
                .set_status(member, &topic, status, data.clock.now())
                .await?;
            let (embed, rows) = topic_view(topic, status);
            Ok(serenity::CreateInteractionResponse::UpdateMessage(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(embed)
                    .components(rows),
            ))
        }
        CustomId::PhaseTopics { phase } => {
            let serenity::ComponentInteractionDataKind::StringSelect { values } =
                &component.data.kind
            else {
                return Err(Error::user(STALE));
            };
            let phase = data.roadmap.phase(&phase).ok_or_else(|| {
                Error::user("That phase is no longer in the roadmap. Run `/roadmap` to see the current phases.")
            })?;
            let chosen = values.first().ok_or_else(|| Error::user(STALE))?;
            let topic = data
                .roadmap
                .topic(chosen)
                .filter(|t| t.phase.slug == phase.slug)
                .ok_or_else(|| {
                    Error::user(
                        "That topic is no longer in this phase. Run the phase command again.",
                    )
                })?;
            let status = data
                .progress
                .member_progress(member)
                .await?
                .status(&topic.topic.slug);
            let (embed, rows) = topic_view(topic, status);
            Ok(serenity::CreateInteractionResponse::Message(
                serenity::CreateInteractionResponseMessage::new()
                    .embed(embed)
                    .components(rows)
                    .ephemeral(true),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip() {
        for status in TopicStatus::ALL {
            let id = CustomId::TopicStatus {
                topic: "sql-fundamentals".into(),
                status,
            };
            assert_eq!(CustomId::parse(&id.encode()), Some(id));
        }
        let id = CustomId::PhaseTopics {
            phase: "databases".into(),
        };
        assert_eq!(id.encode(), "wp:phase:databases");
        assert_eq!(CustomId::parse("wp:phase:databases"), Some(id));
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
            "wp:phase:",
            "wp:phase:data bases",
            "wp:phase:databases:1",
        ] {
            assert_eq!(CustomId::parse(raw), None, "{raw:?}");
        }
        assert_eq!(
            CustomId::parse(&format!("wp:phase:{}", "a".repeat(120))),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics_and_accepts_only_canonical_ids(
            // Near-misses of real ids, so that many of them do parse.
            raw in "(wp|xx|):(topic|phase|):[a-zA-Z0-9 -]{0,8}(:(done|progress|skip|reset|x)){0,2}|.{0,120}",
        ) {
            if let Some(id) = CustomId::parse(&raw) {
                proptest::prop_assert_eq!(id.encode(), raw);
            }
        }

        #[test]
        fn any_valid_topic_and_status_round_trips(
            topic in "[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?",
            status in proptest::sample::select(TopicStatus::ALL.to_vec()),
        ) {
            let id = CustomId::TopicStatus { topic, status };
            proptest::prop_assert!(id.encode().len() <= MAX_LEN);
            proptest::prop_assert_eq!(CustomId::parse(&id.encode()), Some(id));
        }
    }
}
