//! `/challenge post` (moderators) and the Submit button on a challenge's post, which opens a
//! form (`wp:challenge:submit:<id>`). Reviews, lists and deadlines come next.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{reply, Answer};
use super::feature::{Autocomplete, Click, Feature, Submit, Suggest, STALE_COMPONENT, STALE_FORM};
use super::render::echo;
use super::settings::moderator_only;
use super::{caller, Command, Context, Data};
use crate::challenge::rules::{LINK_MAX, NOTES_MAX};
use crate::challenge::service::Post;
use crate::error::{Error, Result};
use crate::outbox::{Button, Card, ChannelId, Destination, Outgoing};
use crate::roadmap::Roadmap;

const WORD: &str = "challenge";

pub(crate) struct ChallengeFeature;

fn submit_id(id: i64) -> String {
    super::custom_id::join(WORD, &["submit", &id.to_string()])
}

fn parse_id(parts: &[&str]) -> Option<i64> {
    match parts {
        ["submit", id]
            if !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit()) =>
        {
            id.parse().ok()
        }
        _ => None,
    }
}

#[serenity::async_trait]
impl Feature for ChallengeFeature {
    fn word(&self) -> &'static str {
        WORD
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![challenge()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[Autocomplete {
            command: "challenge post",
            option: "phase",
            suggest: Suggest::Now(suggest_phases),
        }]
    }

    /// The Submit button: a form for the link and notes.
    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        let id = parse_id(parts).ok_or_else(|| Error::user(STALE_COMPONENT))?;
        let member = click.call.caller.member()?;
        let found = click.call.data.challenges.get(member, id).await?;
        let form = serenity::CreateModal::new(
            submit_id(id),
            super::render::truncate(&format!("Submit · {}", found.title), 45),
        )
        .components(vec![
            serenity::CreateActionRow::InputText(
                serenity::CreateInputText::new(
                    serenity::InputTextStyle::Short,
                    "Link (http or https)",
                    "link",
                )
                .placeholder("https://github.com/you/project")
                .max_length(LINK_MAX as u16),
            ),
            serenity::CreateActionRow::InputText(
                serenity::CreateInputText::new(
                    serenity::InputTextStyle::Paragraph,
                    "Notes for the reviewers (optional)",
                    "notes",
                )
                .max_length(NOTES_MAX as u16)
                .required(false),
            ),
        ]);
        Ok(Answer::Form(form))
    }

    async fn submit(&self, submit: &Submit<'_>, parts: &[&str]) -> Result<Answer> {
        let id = parse_id(parts).ok_or_else(|| Error::user(STALE_FORM))?;
        let link = submit
            .field("link")
            .ok_or_else(|| Error::user(STALE_FORM))?;
        let notes = submit.field("notes").unwrap_or_default();
        let member = submit.call.caller.member()?;
        let saved = submit
            .call
            .data
            .challenges
            .submit(member, id, link, notes, submit.call.now)
            .await?;
        Ok(Answer::private(format!(
            "✅ Submitted for review: {} (you can submit again until a moderator reviews it).",
            echo(&saved.link, 200).unwrap_or_default()
        )))
    }
}

fn suggest_phases(data: &Data, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let wanted = partial.trim().to_lowercase();
    data.roadmap
        .phases()
        .iter()
        .filter(|p| p.slug.contains(&wanted) || p.title.to_lowercase().contains(&wanted))
        .map(|p| {
            serenity::AutocompleteChoice::new(format!("{}. {}", p.number, p.title), p.slug.clone())
        })
        .collect()
}

/// Poise calls this only if the gate did not answer the request itself (it always does);
/// it exists so the option is registered with autocomplete.
async fn autocomplete_phase(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(suggest_phases(ctx.data(), partial))
}

/// Phase challenges: build something, submit it, get it reviewed
#[poise::command(slash_command, guild_only, subcommands("post"), subcommand_required)]
async fn challenge(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user("Pick one of the `/challenge` commands."))
}

/// Post a challenge for a phase with a deadline (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn post(
    ctx: Context<'_>,
    #[description = "The roadmap phase"]
    #[autocomplete = "autocomplete_phase"]
    #[max_length = 64]
    phase: String,
    #[description = "A short title"]
    #[max_length = 100]
    title: String,
    #[description = "What to build and how it is judged"]
    #[max_length = 2000]
    description: String,
    #[description = "Deadline: a date and time in your zone (2027-03-14 18:00) or a span (3d, 1w, 36h)"]
    #[max_length = 32]
    due: String,
    #[description = "Points for an approved submission (1-1000, 10 if left empty)"]
    #[min = 1]
    #[max = 1000]
    points: Option<i64>,
    #[description = "Where to post it (this channel if left empty)"]
    #[channel_types("Text")]
    channel: Option<serenity::PartialChannel>,
) -> Result<()> {
    let me = caller(ctx)?;
    let member = me.member()?;
    let data = ctx.data();
    let now = data.clock.now();
    let zone = data.timezones.zone_of(member).await?.0;
    let channel = channel.map_or(ctx.channel_id(), |c| c.id).get();
    let posted = data
        .challenges
        .post(
            &me,
            Post {
                phase: &phase,
                title: &title,
                description: &description,
                due: &due,
                points,
                channel,
            },
            zone,
            now,
        )
        .await?;
    let phase_title = data
        .roadmap
        .phase(&posted.phase)
        .map_or(posted.phase.clone(), |p| {
            format!("Phase {}: {}", p.number, p.title)
        });
    // Typed by a moderator: sent with mentions off (the outbox pings nobody unless told).
    let message = Outgoing {
        content: format!("🏁 New challenge: **{}**", posted.title),
        card: Some(Card {
            title: posted.title.clone(),
            description: posted.description.clone(),
            fields: vec![
                ("Phase".into(), phase_title),
                (
                    "Deadline".into(),
                    format!("<t:{0}:F> (<t:{0}:R>)", posted.due.timestamp()),
                ),
                ("Points".into(), posted.points.to_string()),
            ],
            footer: Some(format!("Challenge #{}", posted.id)),
            colour: Some(0xF59E0B),
        }),
        buttons: vec![Button {
            label: "Submit".into(),
            custom_id: submit_id(posted.id),
        }],
        ping: Vec::new(),
    };
    let text = match data
        .outbox
        .send(Destination::Channel(ChannelId(channel)), message)
        .await
    {
        Ok(sent) => {
            data.challenges.posted(posted.id, sent.message.0).await?;
            format!("Posted challenge #{} in <#{channel}>.", posted.id)
        }
        Err(e) if e.is_dead_target() => format!(
            "Challenge #{} is saved, but I couldn't post it in <#{channel}>: {e}.",
            posted.id
        ),
        Err(e) => return Err(Error::internal(anyhow::Error::new(e))),
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}
