//! `/challenge`: moderators post, review, edit and cancel phase challenges and read their log;
//! members list them, look one up, and submit through the Submit button's form.
//!
//! Custom ids (`wp:challenge:…`):
//! - `submit:<id>`: the Submit button on a post, and the form it opens;
//! - `approve|reject|skip:<id>:<user>`: the review queue's buttons (moderators); `reject` also
//!   names the feedback form it opens;
//! - `list:<page>`: the pages of `/challenge list`.
//!
//! Every id is checked against the caller's server before anything is read or written.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{reply, Answer};
use super::feature::{
    Autocomplete, Click, Feature, Submit, Suggest, Suggestions, STALE_COMPONENT, STALE_FORM,
};
use super::render::{echo, truncate};
use super::send::as_private_reply;
use super::settings::moderator_only;
use super::{caller, Command, Context, Data};
use crate::challenge::message::{self, submit_id, tally_line};
use crate::challenge::rules::{LINK_MAX, NOTES_MAX};
use crate::challenge::service::{Edit, Post, Queue, Reviewed};
use crate::error::{Error, Result};
use crate::member::{Caller, UserId};
use crate::outbox::{ChannelId, Destination};
use crate::roadmap::Roadmap;
use crate::store::challenge::ChallengeRow;

const WORD: &str = "challenge";

pub(crate) struct ChallengeFeature;

use super::custom_id::number;

/// What a challenge custom id says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Submit(i64),
    Approve(i64, UserId),
    Reject(i64, UserId),
    Skip(i64, UserId),
    List(u32),
}

fn parse(parts: &[&str]) -> Option<Action> {
    let id = |text: &str| number(text).and_then(|n| i64::try_from(n).ok());
    Some(match parts {
        ["submit", c] => Action::Submit(id(c)?),
        ["approve", c, u] => Action::Approve(id(c)?, UserId(number(u)?)),
        ["reject", c, u] => Action::Reject(id(c)?, UserId(number(u)?)),
        ["skip", c, u] => Action::Skip(id(c)?, UserId(number(u)?)),
        ["list", page] => Action::List(u32::try_from(number(page)?).ok()?),
        _ => return None,
    })
}

fn action_id(verb: &str, challenge: i64, user: UserId) -> String {
    super::custom_id::join(WORD, &[verb, &challenge.to_string(), &user.0.to_string()])
}

fn list_id(page: u32) -> String {
    super::custom_id::join(WORD, &["list", &page.to_string()])
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
        &[
            Autocomplete {
                command: "challenge post",
                option: "phase",
                suggest: Suggest::Now(suggest_phases),
            },
            Autocomplete {
                command: "challenge review",
                option: "challenge",
                suggest: Suggest::Later(suggest_challenges),
            },
            Autocomplete {
                command: "challenge edit",
                option: "challenge",
                suggest: Suggest::Later(suggest_challenges),
            },
            Autocomplete {
                command: "challenge cancel",
                option: "challenge",
                suggest: Suggest::Later(suggest_challenges),
            },
            Autocomplete {
                command: "challenge show",
                option: "challenge",
                suggest: Suggest::Later(suggest_challenges),
            },
        ]
    }

    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        let call = &click.call;
        let data = call.data;
        match parse(parts).ok_or_else(|| Error::user(STALE_COMPONENT))? {
            Action::Submit(id) => {
                let found = data.challenges.get(call.caller.member()?, id).await?;
                Ok(Answer::Form(submit_form(&found)))
            }
            Action::Approve(id, user) => {
                let reviewed = data
                    .challenges
                    .review(&call.caller, id, user, true, None, call.now)
                    .await?;
                reviewed_answer(data, &call.caller, &reviewed).await
            }
            Action::Reject(id, user) => {
                // The form is only for moderators, and only for a submission that exists.
                data.challenges
                    .queue(&call.caller, id, None, Some(user))
                    .await?;
                Ok(Answer::Form(feedback_form(id, user)))
            }
            Action::Skip(id, user) => {
                let queue = data
                    .challenges
                    .queue(&call.caller, id, Some(user), None)
                    .await?;
                Ok(Answer::Update(queue_view(&queue, None)))
            }
            Action::List(page) => {
                let guild = call.caller.member()?.guild;
                let (rows, pages) = data.challenges.list(guild, page, call.now).await?;
                Ok(Answer::Update(list_view(data, &rows, page, pages)))
            }
        }
    }

    async fn submit(&self, submit: &Submit<'_>, parts: &[&str]) -> Result<Answer> {
        let call = &submit.call;
        let data = call.data;
        match parse(parts).ok_or_else(|| Error::user(STALE_FORM))? {
            Action::Submit(id) => {
                let link = submit
                    .field("link")
                    .ok_or_else(|| Error::user(STALE_FORM))?;
                let notes = submit.field("notes").unwrap_or_default();
                let member = call.caller.member()?;
                let saved = data
                    .challenges
                    .submit(member, id, link, notes, call.now)
                    .await?;
                Ok(Answer::private(format!(
                    "✅ Submitted for review: {} (you can submit again until a moderator reviews it).",
                    echo(&saved.link, 200).unwrap_or_default()
                )))
            }
            Action::Reject(id, user) => {
                let feedback = submit
                    .field("feedback")
                    .ok_or_else(|| Error::user(STALE_FORM))?;
                let reviewed = data
                    .challenges
                    .review(&call.caller, id, user, false, Some(feedback), call.now)
                    .await?;
                reviewed_answer(data, &call.caller, &reviewed).await
            }
            _ => Err(Error::user(STALE_FORM)),
        }
    }
}

fn submit_form(found: &ChallengeRow) -> serenity::CreateModal {
    serenity::CreateModal::new(
        submit_id(found.id),
        truncate(&format!("Submit · {}", found.title), 45),
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
    ])
}

fn feedback_form(id: i64, user: UserId) -> serenity::CreateModal {
    serenity::CreateModal::new(action_id("reject", id, user), "Reject · feedback").components(vec![
        serenity::CreateActionRow::InputText(
            serenity::CreateInputText::new(
                serenity::InputTextStyle::Paragraph,
                "What should they change? (sent to them)",
                "feedback",
            )
            .max_length(NOTES_MAX as u16),
        ),
    ])
}

/// Tells the member the verdict by DM and shows the moderator the next submission.
async fn reviewed_answer(data: &Data, caller: &Caller, reviewed: &Reviewed) -> Result<Answer> {
    let user = reviewed.submission.user;
    let dm = data
        .outbox
        .send(
            Destination::Dm(user),
            message::verdict(&reviewed.challenge, &reviewed.submission),
        )
        .await;
    let told = match dm {
        Ok(_) => "They were told by DM.".to_owned(),
        Err(e) if e.is_dead_target() => format!(
            "I couldn't DM them ({}), so they weren't told; the verdict is saved.",
            crate::reminder::dispatcher::dead_reason(&e)
        ),
        Err(e) => {
            tracing::warn!(error = %e, "could not send a challenge verdict");
            "Discord refused the DM, so they weren't told; the verdict is saved.".to_owned()
        }
    };
    let verdict = match (reviewed.submission.state.as_str(), reviewed.points) {
        ("approved", 0) => format!("✅ <@{}> stays approved (no points change).", user.0),
        ("approved", points) => format!("✅ Approved <@{}>: +{points} points.", user.0),
        (_, 0) => format!("❌ Rejected <@{}>'s submission.", user.0),
        (_, points) => format!(
            "❌ Rejected <@{}>'s submission: their approval's {} points were taken back.",
            user.0, -points
        ),
    };
    let queue = data
        .challenges
        .queue(caller, reviewed.challenge.id, None, None)
        .await?;
    Ok(Answer::Update(queue_view(
        &queue,
        Some(&format!("{verdict} {told}")),
    )))
}

/// The review queue, one submission at a time (ephemeral; only the moderator sees it).
fn queue_view(queue: &Queue, notice: Option<&str>) -> CreateReply {
    let c = &queue.challenge;
    let mut embed = serenity::CreateEmbed::new()
        .title(truncate(&format!("Review · {}", c.title), 256))
        .footer(serenity::CreateEmbedFooter::new(format!(
            "Challenge #{} · {} · {}",
            c.id,
            tally_line(queue.tally),
            c.state
        )))
        .colour(0xF59E0B);
    let mut reply = CreateReply::default().ephemeral(true);
    match &queue.next {
        None => {
            embed = embed.description("No submissions are waiting for review. 🎉");
            reply = reply.components(Vec::new());
        }
        Some(s) => {
            embed = embed
                .description(format!(
                    "<@{}> submitted <t:{}:R> · **{}**",
                    s.user.0,
                    s.submitted.timestamp(),
                    s.state
                ))
                .field("Link", truncate(&s.link, 1024), false);
            if let Some(notes) = &s.notes {
                embed = embed.field("Notes", truncate(notes, 1024), false);
            }
            if let Some(feedback) = &s.feedback {
                embed = embed.field("Feedback given", truncate(feedback, 1024), false);
            }
            let button = |verb: &str, label: &str, style| {
                serenity::CreateButton::new(action_id(verb, c.id, s.user))
                    .label(label)
                    .style(style)
            };
            reply = reply.components(vec![serenity::CreateActionRow::Buttons(vec![
                button("approve", "Approve", serenity::ButtonStyle::Success),
                button("reject", "Reject…", serenity::ButtonStyle::Danger),
                button("skip", "Skip", serenity::ButtonStyle::Secondary),
            ])]);
        }
    }
    if let Some(notice) = notice {
        reply = reply.content(notice);
    } else {
        reply = reply.content("");
    }
    reply.embed(embed)
}

fn state_line(row: &ChallengeRow) -> String {
    let due = row.due.timestamp();
    match row.state.as_str() {
        "open" => format!("closes <t:{due}:R>"),
        "cancelled" => "cancelled".to_owned(),
        _ => format!("closed <t:{due}:R>"),
    }
}

fn list_view(data: &Data, rows: &[ChallengeRow], page: u32, pages: u32) -> CreateReply {
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            format!(
                "`#{}` **{}** · {} · {} · {} points",
                row.id,
                row.title,
                data.challenges.phase_title(&row.phase),
                state_line(row),
                row.points
            )
        })
        .collect();
    let description = if lines.is_empty() {
        "No challenges are open, and none closed in the last two weeks.".to_owned()
    } else {
        lines.join("\n")
    };
    let embed = serenity::CreateEmbed::new()
        .title("Challenges")
        .description(truncate(&description, 4096))
        .footer(serenity::CreateEmbedFooter::new(format!(
            "Page {} of {pages} · open first, then closed in the last two weeks · /challenge show for details",
            page + 1
        )))
        .colour(0xF59E0B);
    let mut reply = CreateReply::default().embed(embed).ephemeral(true);
    if pages > 1 {
        reply = reply.components(vec![serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new(list_id(page.saturating_sub(1)))
                .label("◀ Previous")
                .style(serenity::ButtonStyle::Secondary)
                .disabled(page == 0),
            serenity::CreateButton::new(list_id(page + 1))
                .label("Next ▶")
                .style(serenity::ButtonStyle::Secondary)
                .disabled(page + 1 >= pages),
        ])]);
    }
    reply
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

fn suggest_challenges<'a>(data: &'a Data, caller: &'a Caller, partial: &'a str) -> Suggestions<'a> {
    Box::pin(async move {
        let Ok(member) = caller.member() else {
            return Vec::new();
        };
        let found = match data.challenges.search(member.guild, partial.trim()).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "challenge suggestions failed");
                return Vec::new();
            }
        };
        found
            .iter()
            .map(|row| {
                let label = format!("#{} {} ({})", row.id, row.title, row.state);
                serenity::AutocompleteChoice::new(truncate(&label, 100), row.id.to_string())
            })
            .collect()
    })
}

/// Poise calls these only if the gate did not answer the request itself (it always does);
/// they exist so the options are registered with autocomplete.
async fn autocomplete_phase(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(suggest_phases(ctx.data(), partial))
}

async fn autocomplete_challenge(
    _ctx: Context<'_>,
    _partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new()
}

/// The challenge an option names: its number (what autocomplete fills in), with or without `#`.
fn challenge_number(text: &str) -> Result<i64> {
    let text = text.trim();
    number(text.strip_prefix('#').unwrap_or(text))
        .and_then(|n| i64::try_from(n).ok())
        .ok_or_else(|| {
            Error::user("Pick a challenge from the list (start typing its title or number).")
        })
}

/// Phase challenges: build something, submit it, get it reviewed
#[poise::command(
    slash_command,
    guild_only,
    subcommands("post", "review", "edit", "cancel", "log", "list", "show"),
    subcommand_required
)]
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
    // Typed by a moderator: sent with mentions off (the outbox pings nobody unless told).
    let message = message::post(&posted, &data.challenges.phase_title(&posted.phase), None);
    let text = match data
        .outbox
        .send(Destination::Channel(ChannelId(channel)), message)
        .await
    {
        Ok(sent) => {
            data.challenges.posted(posted.id, sent.message.0).await?;
            format!(
                "Posted challenge #{} in <#{channel}>. Review submissions with `/challenge review`.",
                posted.id
            )
        }
        Err(e) if e.is_dead_target() => format!(
            "Challenge #{} is saved, but I couldn't post it in <#{channel}>: {e}.",
            posted.id
        ),
        Err(e) => return Err(Error::internal(anyhow::Error::new(e))),
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Review submissions to a challenge, one at a time (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn review(
    ctx: Context<'_>,
    #[description = "The challenge"]
    #[autocomplete = "autocomplete_challenge"]
    #[max_length = 100]
    challenge: String,
    #[description = "One member's submission, whatever its state (to change a verdict)"]
    member: Option<serenity::User>,
) -> Result<()> {
    let me = caller(ctx)?;
    let id = challenge_number(&challenge)?;
    let only = member.as_ref().map(|u| UserId(u.id.get()));
    let queue = ctx.data().challenges.queue(&me, id, None, only).await?;
    reply(ctx, queue_view(&queue, None)).await
}

/// Change a challenge's title, description, deadline or points (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn edit(
    ctx: Context<'_>,
    #[description = "The challenge"]
    #[autocomplete = "autocomplete_challenge"]
    #[max_length = 100]
    challenge: String,
    #[description = "A new title"]
    #[max_length = 100]
    title: Option<String>,
    #[description = "A new description"]
    #[max_length = 2000]
    description: Option<String>,
    #[description = "A new deadline: a date and time in your zone or a span from now (3d, 1w)"]
    #[max_length = 32]
    due: Option<String>,
    #[description = "New points for approvals from now on (1-1000)"]
    #[min = 1]
    #[max = 1000]
    points: Option<i64>,
) -> Result<()> {
    let me = caller(ctx)?;
    let data = ctx.data();
    let id = challenge_number(&challenge)?;
    let zone = data.timezones.zone_of(me.member()?).await?.0;
    let edited = data
        .challenges
        .edit(
            &me,
            id,
            Edit {
                title: title.as_deref(),
                description: description.as_deref(),
                due: due.as_deref(),
                points,
            },
            zone,
            data.clock.now(),
        )
        .await?;
    let post = post_note(data, &edited).await;
    let text = format!(
        "Challenge #{} updated: deadline <t:{}:F>, {} points. {post}",
        edited.id,
        edited.due.timestamp(),
        edited.points
    );
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Edits the post to match, and says how that went.
async fn post_note(data: &Data, row: &ChallengeRow) -> String {
    match data.challenges.refresh_post(&*data.outbox, row).await {
        Ok(true) => "The post was updated.".to_owned(),
        Ok(false) => "It has no post to update.".to_owned(),
        Err(e) => {
            tracing::warn!(error = %e, challenge = row.id, "could not update a challenge post");
            "I couldn't update its post (it may have been deleted).".to_owned()
        }
    }
}

/// Cancel an open challenge: no more submissions or reviews (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn cancel(
    ctx: Context<'_>,
    #[description = "The challenge"]
    #[autocomplete = "autocomplete_challenge"]
    #[max_length = 100]
    challenge: String,
) -> Result<()> {
    let me = caller(ctx)?;
    let data = ctx.data();
    let id = challenge_number(&challenge)?;
    let cancelled = data.challenges.cancel(&me, id, data.clock.now()).await?;
    let post = post_note(data, &cancelled).await;
    let text = format!(
        "Challenge #{} is cancelled: no more submissions or reviews, and no points change hands. {post}",
        cancelled.id
    );
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Who did what with challenges, latest first (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn log(ctx: Context<'_>) -> Result<()> {
    let me = caller(ctx)?;
    let entries = ctx.data().challenges.log(&me, 20).await?;
    let lines: Vec<String> = entries
        .iter()
        .map(|e| format!("<t:{}:f> <@{}> {}", e.at.timestamp(), e.actor.0, e.detail))
        .collect();
    let description = if lines.is_empty() {
        "No challenge has been posted or reviewed yet.".to_owned()
    } else {
        lines.join("\n")
    };
    let embed = serenity::CreateEmbed::new()
        .title("Challenge log")
        .description(truncate(&description, 4096))
        .footer(serenity::CreateEmbedFooter::new("The latest 20 actions"));
    reply(ctx, CreateReply::default().embed(embed).ephemeral(true)).await
}

/// Open challenges and those closed in the last two weeks
#[poise::command(slash_command, guild_only)]
async fn list(ctx: Context<'_>) -> Result<()> {
    let guild = caller(ctx)?.member()?.guild;
    let data = ctx.data();
    let (rows, pages) = data.challenges.list(guild, 0, data.clock.now()).await?;
    reply(ctx, list_view(data, &rows, 0, pages)).await
}

/// One challenge, with your own submission and its status
#[poise::command(slash_command, guild_only)]
async fn show(
    ctx: Context<'_>,
    #[description = "The challenge"]
    #[autocomplete = "autocomplete_challenge"]
    #[max_length = 100]
    challenge: String,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let id = challenge_number(&challenge)?;
    let (row, mine, tally) = data.challenges.show(member, id).await?;
    let mut shown = message::post(&row, &data.challenges.phase_title(&row.phase), Some(tally));
    shown.content = match &mine {
        None if row.state == "open" => {
            "You haven't submitted yet: press **Submit** below.".to_owned()
        }
        None => "You didn't submit to this one.".to_owned(),
        Some(s) => {
            let mut text = format!(
                "Your submission ({}, <t:{}:R>): {}",
                s.state,
                s.submitted.timestamp(),
                echo(&s.link, 200).unwrap_or_default()
            );
            if let Some(points) = s.awarded {
                text.push_str(&format!(" · +{points} points"));
            }
            if let Some(feedback) = &s.feedback {
                text.push_str(&format!(
                    "\nFeedback: {}",
                    echo(feedback, 1000).unwrap_or_default()
                ));
            }
            text
        }
    };
    if mine.as_ref().is_some_and(|s| s.state != "pending") {
        shown.buttons.clear();
    }
    reply(ctx, as_private_reply(&shown)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_round_trip_and_anything_else_is_refused() {
        let user = UserId(123_456_789_012_345_678);
        for (id, want) in [
            (submit_id(7), Action::Submit(7)),
            (action_id("approve", 7, user), Action::Approve(7, user)),
            (action_id("reject", 7, user), Action::Reject(7, user)),
            (action_id("skip", 7, user), Action::Skip(7, user)),
            (list_id(3), Action::List(3)),
        ] {
            let parts: Vec<&str> = id.split(':').skip(2).collect();
            assert_eq!(parse(&parts), Some(want), "{id}");
        }
        for parts in [
            &["submit", "-1"][..],
            &["submit", "1x"],
            &["approve", "1"],
            &["approve", "1", ""],
            &["skip", "1", "99999999999999999999999"],
            &["list", "5000000000"],
            &["take", "1"],
        ] {
            assert_eq!(parse(parts), None, "{parts:?}");
        }
        assert_eq!(challenge_number("#12").unwrap(), 12);
        assert!(challenge_number("twelve").is_err());
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_refused_without_panicking(parts in proptest::collection::vec(".{0,24}", 0..4)) {
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let _ = parse(&parts);
        }
    }
}
