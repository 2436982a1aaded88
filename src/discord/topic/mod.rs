//! `/topic` and `/next`: one topic with its explanation, resources and the caller's status, and
//! the buttons that change the status (`wp:topic:<topic-slug>:<done|progress|skip|reset>`).

mod commands;
mod components;
mod views;

use poise::serenity_prelude as serenity;

use super::answer::Answer;
use super::feature::{Autocomplete, Click, Feature};
use super::{Command, Data};
use crate::error::Result;
use crate::roadmap::{search_topics, Roadmap};

pub(crate) use views::topic_view;

pub(crate) struct TopicFeature;

#[serenity::async_trait]
impl Feature for TopicFeature {
    fn word(&self) -> &'static str {
        components::WORD
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![commands::topic(), commands::next()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[Autocomplete {
            command: "topic",
            option: "topic",
            suggest: suggest_topics,
        }]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        components::click(click, parts).await
    }
}

/// Topics matching what the member typed, labelled with their phase; shared with every command
/// that takes a topic.
pub(crate) fn suggest_topics(data: &Data, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    search_topics(&data.roadmap, partial)
        .into_iter()
        .map(|t| {
            let labelled = format!("{} · Phase {}", t.topic.title, t.phase.number);
            let name = if labelled.chars().count() <= 100 {
                labelled
            } else {
                t.topic.title.clone()
            };
            serenity::AutocompleteChoice::new(name, t.topic.slug.clone())
        })
        .collect()
}
