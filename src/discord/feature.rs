//! What a feature plugs into the adapter: its commands, its autocomplete, and the handlers for
//! the components (buttons, menus) and forms (modals) whose custom ids carry its word.
//! Adding a feature adds a folder under `src/discord/` and one line in [`super::FEATURES`].

use chrono::{DateTime, Utc};
use poise::serenity_prelude as serenity;

use super::answer::Answer;
use super::{Command, Data};
use crate::error::{Error, Result};
use crate::member::Caller;
use crate::roadmap::Roadmap;

pub(crate) const STALE_COMPONENT: &str =
    "This button isn't one I recognise (it may be from an older version of the bot). \
     Run the command again to get a fresh one.";

pub(crate) const STALE_FORM: &str =
    "This form isn't one I recognise (it may be from an older version of the bot). Nothing was saved.";

/// One interaction as a handler sees it: the shared state, who is asking, and when.
pub(crate) struct Call<'a> {
    pub data: &'a Data,
    pub caller: Caller,
    /// Read from the bot's clock once, when the interaction arrived.
    pub now: DateTime<Utc>,
}

/// A button or menu of the feature was used.
pub(crate) struct Click<'a> {
    pub call: Call<'a>,
    pub interaction: &'a serenity::ComponentInteraction,
    /// serenity's context, for the few handlers that read the cache (a server's owner).
    pub discord: &'a serenity::Context,
}

impl Click<'_> {
    /// The chosen values of a string select menu; `None` for a button or another menu kind.
    pub fn selected(&self) -> Option<&[String]> {
        match &self.interaction.data.kind {
            serenity::ComponentInteractionDataKind::StringSelect { values } => Some(values),
            _ => None,
        }
    }
}

/// A form (modal) of the feature was submitted.
pub(crate) struct Submit<'a> {
    pub call: Call<'a>,
    pub interaction: &'a serenity::ModalInteraction,
}

impl Submit<'_> {
    /// The text typed into the input `custom_id`; `None` if the form had no such input.
    pub fn field(&self, custom_id: &str) -> Option<&str> {
        self.interaction
            .data
            .components
            .iter()
            .flat_map(|row| &row.components)
            .find_map(|component| match component {
                serenity::ActionRowComponent::InputText(input) if input.custom_id == custom_id => {
                    Some(input.value.as_deref().unwrap_or_default())
                }
                _ => None,
            })
    }
}

/// Suggestions for one string option of one command, answered through the shared path.
pub(crate) struct Autocomplete {
    /// The command's qualified name, e.g. `topic` or `group join`.
    pub command: &'static str,
    pub option: &'static str,
    pub suggest: Suggest,
}

/// A future of suggestions, for those that need the database.
pub(crate) type Suggestions<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Vec<serenity::AutocompleteChoice>> + Send + 'a>,
>;

pub(crate) enum Suggest {
    /// From what the bot holds in memory (the roadmap, the zones).
    Now(fn(&Data, &str) -> Vec<serenity::AutocompleteChoice>),
    /// From the database, for the caller's server.
    Later(for<'a> fn(&'a Data, &'a Caller, &'a str) -> Suggestions<'a>),
}

#[serenity::async_trait]
pub(crate) trait Feature: Send + Sync {
    /// The word after `wp:` in the custom ids of this feature's components and forms.
    fn word(&self) -> &'static str;

    fn commands(&self, roadmap: &Roadmap) -> Vec<Command>;

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[]
    }

    /// A component whose id is `wp:<word>:<parts…>`; anything not exactly one of the feature's
    /// ids must be refused with [`STALE_COMPONENT`].
    async fn click(&self, _click: &Click<'_>, _parts: &[&str]) -> Result<Answer> {
        Err(Error::user(STALE_COMPONENT))
    }

    /// A form whose id is `wp:<word>:<parts…>`; anything not exactly one of the feature's ids
    /// must be refused with [`STALE_FORM`].
    async fn submit(&self, _submit: &Submit<'_>, _parts: &[&str]) -> Result<Answer> {
        Err(Error::user(STALE_FORM))
    }
}
