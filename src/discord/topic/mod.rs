//! `/topic` and `/next`: one topic with its explanation, resources and the caller's status, and
//! the buttons that change the status (`wp:topic:<topic-slug>:<done|progress|skip|reset>`).

mod commands;
mod components;
mod views;

use poise::serenity_prelude as serenity;

use super::answer::Answer;
use super::feature::{Autocomplete, Click, Feature};
use super::render::echo;
use super::{Command, Data};
use crate::error::{Error, Result};
use crate::progress::NoSuchTopic;
use crate::roadmap::{search_topics, Roadmap};

pub(crate) use commands::autocomplete_topic;
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
            suggest: super::feature::Suggest::Now(suggest_topics),
        }]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        components::click(click, parts).await
    }
}

/// What a member is told when the topic they named does not exist: their text shown safely
/// (see [`echo`]), or "you didn't name a topic" when nothing visible was typed.
pub(crate) fn no_such_topic(miss: NoSuchTopic) -> Error {
    let hint = if miss.suggestions.is_empty() {
        "Pick one from the suggestions while you type.".to_owned()
    } else {
        let titles: Vec<String> = miss.suggestions.iter().map(|t| format!("`{t}`")).collect();
        format!("Did you mean {}?", titles.join(", "))
    };
    match echo(&miss.typed, 60) {
        Some(shown) => Error::user(format!(
            "There is no topic called `{shown}` in the roadmap. {hint}"
        )),
        None => Error::user(format!("You didn't name a topic. {hint}")),
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
