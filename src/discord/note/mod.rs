//! `/note <topic>`: a form (modal) for the member's own notes on a topic, prefilled with what
//! they wrote before. The form is `wp:note:<topic-slug>`, its one input `text`.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{self, Answer};
use super::custom_id::{self, MAX_LEN};
use super::feature::{Autocomplete, Feature, Submit, STALE_FORM};
use super::render::{truncate, COLOUR};
use super::{caller, Command, Context};
use crate::error::{Error, Result};
use crate::note::{Saved, NOTE_MAX};
use crate::roadmap::{is_slug, Roadmap};

const WORD: &str = "note";
const INPUT: &str = "text";
/// Discord's limit on a form's title.
const FORM_TITLE_MAX: usize = 45;

pub(crate) struct NoteFeature;

#[serenity::async_trait]
impl Feature for NoteFeature {
    fn word(&self) -> &'static str {
        WORD
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![note()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[Autocomplete {
            command: "note",
            option: "topic",
            suggest: super::feature::Suggest::Now(super::topic::suggest_topics),
        }]
    }

    async fn submit(&self, submit: &Submit<'_>, parts: &[&str]) -> Result<Answer> {
        let [topic] = parts else {
            return Err(Error::user(STALE_FORM));
        };
        if !is_slug(topic, MAX_LEN) {
            return Err(Error::user(STALE_FORM));
        }
        let text = submit.field(INPUT).ok_or_else(|| Error::user(STALE_FORM))?;
        let member = submit.call.caller.member()?;
        let (topic, saved) = submit
            .call
            .data
            .notes
            .save(member, topic, text, submit.call.now)
            .await?;
        let title = &topic.topic.title;
        let reply = match saved {
            Saved::Written(note) => CreateReply::default()
                .content(format!(
                    "Saved your notes on **{title}** (<t:{}:f>). Only you can see them; \
                     `/note` opens them again.",
                    note.updated_at.timestamp()
                ))
                .embed(
                    serenity::CreateEmbed::new()
                        .title(truncate(&format!("Your notes · {title}"), 256))
                        .description(note.text)
                        .colour(COLOUR),
                ),
            Saved::Cleared { existed: true } => {
                CreateReply::default().content(format!("Your notes on **{title}** are cleared."))
            }
            Saved::Cleared { existed: false } => CreateReply::default().content(format!(
                "The form was empty and you had no notes on **{title}**: nothing to save."
            )),
        };
        Ok(Answer::Message(reply.ephemeral(true)))
    }
}

/// Write your own notes on a topic (only you can see them)
#[poise::command(slash_command, guild_only)]
async fn note(
    ctx: Context<'_>,
    #[description = "Start typing a topic name, then pick it from the list"]
    #[autocomplete = "super::topic::autocomplete_topic"]
    #[max_length = 100]
    topic: String,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let slug = data
        .progress
        .find_topic(&topic)
        .map_err(super::topic::no_such_topic)?
        .topic
        .slug
        .clone();
    let (topic, note) = data.notes.get(member, &slug).await?;
    let mut input = serenity::CreateInputText::new(
        serenity::InputTextStyle::Paragraph,
        "Your notes (empty clears them)",
        INPUT,
    )
    .placeholder("What to remember: key ideas, links, questions…")
    .max_length(NOTE_MAX as u16)
    .required(false);
    if let Some(note) = note {
        input = input.value(note.text);
    }
    let form = serenity::CreateModal::new(
        custom_id::join(WORD, &[&topic.topic.slug]),
        truncate(&format!("Notes · {}", topic.topic.title), FORM_TITLE_MAX),
    )
    .components(vec![serenity::CreateActionRow::InputText(input)]);
    answer::form(ctx, form).await
}
