//! `/roadmap` and `/phase <slug>`: the curriculum with the caller's progress, and the phase
//! card's menu that opens a topic (`wp:phase:<phase-slug>`, the chosen value a topic slug).

mod commands;
mod components;
mod views;

use poise::serenity_prelude as serenity;

use super::answer::Answer;
use super::feature::{Click, Feature};
use super::Command;
use crate::error::Result;
use crate::roadmap::Roadmap;

pub(crate) struct PhaseFeature;

#[serenity::async_trait]
impl Feature for PhaseFeature {
    fn word(&self) -> &'static str {
        components::WORD
    }

    fn commands(&self, roadmap: &Roadmap) -> Vec<Command> {
        vec![commands::roadmap(), commands::phase_command(roadmap)]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        components::click(click, parts).await
    }
}
