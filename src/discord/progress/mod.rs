//! `/progress [member]`: progress per phase, the current phase and the next topic.

mod commands;
mod views;

use poise::serenity_prelude as serenity;

use super::feature::Feature;
use super::Command;
use crate::roadmap::Roadmap;

pub(crate) use views::finished_text;

pub(crate) struct ProgressFeature;

#[serenity::async_trait]
impl Feature for ProgressFeature {
    fn word(&self) -> &'static str {
        "progress"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![commands::progress()]
    }
}
