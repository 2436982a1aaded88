//! `/checkin` and `/streak`: recording study and seeing the streak it builds.

use chrono::{Datelike, NaiveDate};
use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::{reply, Answer};
use super::feature::{Autocomplete, Click, Feature, Submit, STALE_COMPONENT, STALE_FORM};
use super::render::{echo, COLOUR};
use super::{caller, named_member, Command, Context};
use crate::error::{Error, Result};
use crate::member::Member;
use crate::roadmap::Roadmap;
use crate::streak::rules::{FREEZES_MAX, FREEZE_EVERY, REST_DAYS_MAX};
use crate::streak::service::NOTE_MAX;
use crate::streak::{CheckIn, MemberStreak};

pub(crate) struct StreakFeature;

const HEATMAP: &str = "heatmap.png";

#[serenity::async_trait]
impl Feature for StreakFeature {
    fn word(&self) -> &'static str {
        "streak"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![checkin(), streak(), preferences()]
    }

    /// `wp:streak:checkin:<server>`: a reminder DM's check-in button, and the form it opens.
    async fn click(&self, click: &Click<'_>, parts: &[&str]) -> Result<Answer> {
        let member = reminder_member(&click.call, parts).await?;
        let form = serenity::CreateModal::new(
            crate::reminder::service::checkin_id(member.guild.0),
            "Check in for today",
        )
        .components(vec![
            serenity::CreateActionRow::InputText(
                serenity::CreateInputText::new(
                    serenity::InputTextStyle::Short,
                    "Minutes you studied (1-720)",
                    "minutes",
                )
                .placeholder("30")
                .min_length(1)
                .max_length(3),
            ),
            serenity::CreateActionRow::InputText(
                serenity::CreateInputText::new(
                    serenity::InputTextStyle::Paragraph,
                    "A short note (optional)",
                    "note",
                )
                .max_length(NOTE_MAX as u16)
                .required(false),
            ),
        ]);
        Ok(Answer::Form(form))
    }

    async fn submit(&self, submit: &Submit<'_>, parts: &[&str]) -> Result<Answer> {
        let member = reminder_member(&submit.call, parts).await?;
        let typed = submit
            .field("minutes")
            .ok_or_else(|| Error::user(STALE_FORM))?;
        let minutes: i64 = typed.trim().parse().map_err(|_| {
            Error::user(format!(
                "`{}` isn't a number of minutes. Nothing was recorded.",
                echo(typed, 10).unwrap_or_default()
            ))
        })?;
        let note = submit.field("note").map(str::to_owned);
        let recorded = submit
            .call
            .data
            .study
            .check_in(
                member,
                CheckIn {
                    minutes: Some(minutes),
                    note,
                    interaction: Some(submit.interaction.id.get()),
                    ..CheckIn::default()
                },
                submit.call.now,
            )
            .await?;
        Ok(Answer::private(format!(
            "✅ Recorded {} min for **{}**. Streak: 🔥 **{}**.",
            recorded.minutes,
            recorded.day.date.format("%A %-d %B"),
            recorded.streak.current
        )))
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[
            Autocomplete {
                command: "checkin",
                option: "topic",
                suggest: super::feature::Suggest::Now(super::topic::suggest_topics),
            },
            Autocomplete {
                command: "preferences",
                option: "rest_days",
                suggest: super::feature::Suggest::Now(suggest_rest_days),
            },
        ]
    }
}

/// The member a reminder's check-in button (or form) is for: the server is in the id (the
/// button is pressed in a DM), and the clicker must have a reminder there, which a forged id
/// cannot give them.
async fn reminder_member(call: &super::feature::Call<'_>, parts: &[&str]) -> Result<Member> {
    let stale = || Error::user(STALE_COMPONENT);
    let ["checkin", guild] = parts else {
        return Err(stale());
    };
    let guild: u64 = guild
        .parse()
        .ok()
        .filter(|g| *g > 0 && guild.len() <= 20 && !guild.starts_with('+'))
        .ok_or_else(stale)?;
    let member = Member {
        guild: crate::member::GuildId(guild),
        user: call.caller.user,
    };
    if let Some(here) = call.caller.guild {
        if here != member.guild {
            return Err(stale());
        }
    }
    if !call.data.reminders.exists(member).await? {
        return Err(Error::user(
            "This check-in button is for a reminder you no longer have. Use `/checkin` in the server.",
        ));
    }
    Ok(member)
}

/// The rules, as `/help` states them (the code is in `streak::rules`).
pub(crate) const RULES: &str = "**How streaks count.** A study day is a calendar day in your time zone \
(`/timezone`). Your streak is the run of days you studied, ending today or yesterday. Every 7 study \
days earn a freeze (at most 2 held); a missed day uses one automatically and keeps the streak alive \
without growing it. Rest days you choose (`/preferences`, up to 3 a week, from the day you set them) \
neither break nor lengthen it. Until 3:00 your time you can still record yesterday \
(`/checkin late:True`). Changing your zone never makes extra days: a day that would overlap one \
already counted, or start less than 24 hours after it, adds to that day instead.";

/// Record time you studied today (or yesterday, until 3:00 your time)
#[poise::command(slash_command, guild_only)]
async fn checkin(
    ctx: Context<'_>,
    #[description = "Minutes you studied (1-720; the server's default if left out)"]
    #[min = 1]
    #[max = 720]
    minutes: Option<i64>,
    #[description = "The roadmap topic you studied"]
    #[autocomplete = "super::topic::autocomplete_topic"]
    #[max_length = 100]
    topic: Option<String>,
    #[description = "A short note (up to 300 characters)"]
    #[max_length = 300]
    note: Option<String>,
    #[description = "Count it for yesterday (until 3:00 your time)"] late: Option<bool>,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let topic = match topic.as_deref() {
        Some(typed) => Some(
            data.progress
                .find_topic(typed)
                .map_err(super::topic::no_such_topic)?,
        ),
        None => None,
    };
    let interaction = match ctx {
        poise::Context::Application(actx) => Some(actx.interaction.id.get()),
        poise::Context::Prefix(_) => None,
    };
    let now = data.clock.now();
    let recorded = data
        .study
        .check_in(
            member,
            CheckIn {
                minutes,
                topic: topic.map(|t| t.topic.slug.clone()),
                note,
                late: late.unwrap_or(false),
                interaction,
            },
            now,
        )
        .await?;
    let day_name = recorded.day.date.format("%A %-d %B");
    let today = now.with_timezone(&recorded.day.zone).date_naive();
    let which = if recorded.day.date == today {
        "today".to_owned()
    } else if recorded.day.date < today {
        "yesterday".to_owned()
    } else {
        "your current day".to_owned()
    };
    let studied = if recorded.minutes > 0 {
        format!("{} min", recorded.minutes)
    } else {
        "study".to_owned()
    };
    let mut lines = vec![if recorded.repeat {
        format!("Already recorded: {studied} for **{day_name}** ({which}).")
    } else {
        format!("✅ Recorded {studied} for **{day_name}** ({which}).")
    }];
    lines.push(format!(
        "That day: **{} min** · Streak: 🔥 **{}** (longest {}) · ❄️ {} freeze{}",
        recorded.day_minutes,
        recorded.streak.current,
        recorded.streak.longest,
        recorded.streak.freezes,
        if recorded.streak.freezes == 1 {
            ""
        } else {
            "s"
        }
    ));
    let day_end = recorded.day.end().timestamp();
    if let Some(until) = recorded.streak.alive_until {
        lines.push(format!(
            "Your day ends <t:{day_end}:t> (<t:{day_end}:R>); your streak is safe until <t:{}:f>.",
            until.timestamp()
        ));
    }
    if let Some(topic) = topic {
        lines.push(format!(
            "Topic: {} · `/topic` to mark it done",
            topic.topic.title
        ));
    }
    if let Some(notice) = data.reminders.notice(member).await? {
        lines.push(notice);
    }
    reply(
        ctx,
        CreateReply::default()
            .content(lines.join("\n"))
            .ephemeral(true),
    )
    .await
}

/// See your study streak, or another member's
#[poise::command(slash_command, guild_only)]
async fn streak(
    ctx: Context<'_>,
    #[description = "Whose streak to show (you, if left empty)"] member: Option<serenity::User>,
) -> Result<()> {
    let (who, user) = named_member(
        ctx,
        member.as_ref(),
        "Bots don't keep study streaks. Pick a member instead.",
        "streak",
    )?;
    let yours = user.id == ctx.author().id;
    let data = ctx.data();
    let streak = data.study.streak_of(who, data.clock.now()).await?;
    if streak.private && !yours {
        return Err(Error::user(format!(
            "<@{}> keeps their streak private.",
            user.id.get()
        )));
    }
    let title = if yours {
        "Your study streak".to_owned()
    } else {
        format!(
            "{}'s study streak",
            echo(user.display_name(), 60).unwrap_or_default()
        )
    };
    // Drawing takes a few milliseconds of CPU: off the async workers.
    let (year, today) = (streak.year.clone(), streak.today);
    let picture = tokio::task::spawn_blocking(move || crate::streak::heatmap::render(&year, today))
        .await
        .map_err(anyhow::Error::from)??;
    reply(
        ctx,
        CreateReply::default()
            .embed(streak_embed(&title, &streak).image(format!("attachment://{HEATMAP}")))
            .attachment(serenity::CreateAttachment::bytes(picture, HEATMAP))
            .ephemeral(true),
    )
    .await
}

fn streak_embed(title: &str, streak: &MemberStreak) -> serenity::CreateEmbed {
    let view = &streak.view;
    let week: Vec<String> = streak
        .week
        .iter()
        .map(|(date, minutes)| day_cell(streak, *date, *minutes))
        .collect();
    let rest = streak.rest.days();
    let mut embed = serenity::CreateEmbed::new()
        .title(title)
        .colour(COLOUR)
        .field(
            "Current",
            format!("🔥 {} day{}", view.current, plural(view.current)),
            true,
        )
        .field(
            "Longest",
            format!("🏆 {} day{}", view.longest, plural(view.longest)),
            true,
        )
        .field(
            "Freezes",
            format!(
                "❄️ {} of {FREEZES_MAX} (one per {FREEZE_EVERY} study days)",
                view.freezes
            ),
            true,
        )
        .field("This week", week.join("\n"), false)
        .field(
            "Rest days",
            if rest.is_empty() {
                format!("none (up to {REST_DAYS_MAX} a week)")
            } else {
                rest.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            true,
        )
        .field("Time zone", streak.zone.name(), true);
    if let Some(until) = view.alive_until {
        embed = embed.footer(serenity::CreateEmbedFooter::new(
            "Study before the time below to keep the streak going.",
        ));
        embed = embed.field("Safe until", format!("<t:{}:f>", until.timestamp()), true);
    }
    embed
}

fn day_cell(streak: &MemberStreak, date: NaiveDate, minutes: Option<u32>) -> String {
    let label = date.format("%a %-d").to_string();
    let mark = match minutes {
        Some(0) => "✅ studied".to_owned(),
        Some(m) => format!("✅ {m} min"),
        None if streak.view.frozen.contains(&date) => "❄️ frozen".to_owned(),
        None if date == streak.today => "⏳ not yet".to_owned(),
        None if streak.rest.contains(date.weekday()) => "💤 rest day".to_owned(),
        None => "▫️".to_owned(),
    };
    format!("`{label}` {mark}")
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Common choices of rest days, filtered by what was typed.
fn suggest_rest_days(_data: &super::Data, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    const COMMON: [&str; 10] = [
        "none",
        "Sun",
        "Sat, Sun",
        "Sat",
        "Fri, Sat, Sun",
        "Mon",
        "Wed",
        "Fri",
        "Wed, Sun",
        "Sun, Mon",
    ];
    let wanted = partial.trim().to_lowercase();
    COMMON
        .iter()
        .filter(|c| c.to_lowercase().contains(&wanted))
        .map(|c| serenity::AutocompleteChoice::new(*c, *c))
        .collect()
}

/// Poise calls this only if the gate did not answer the request itself (it always does);
/// it exists so the option is registered with autocomplete.
async fn autocomplete_rest_days(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(suggest_rest_days(ctx.data(), partial))
}

/// Your streak settings: rest days, and whether others can see your streak
#[poise::command(slash_command, guild_only)]
async fn preferences(
    ctx: Context<'_>,
    #[description = "Weekdays you rest (up to 3), e.g. \"sat, sun\", or \"none\""]
    #[autocomplete = "autocomplete_rest_days"]
    #[max_length = 60]
    rest_days: Option<String>,
    #[description = "Hide your streak from other members"] private_streak: Option<bool>,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let rest = rest_days
        .as_deref()
        .map(crate::streak::service::parse_rest_days)
        .transpose()?;
    let data = ctx.data();
    let (rest, private) = data
        .study
        .set_preferences(member, rest, private_streak, data.clock.now())
        .await?;
    let days = rest.days();
    let rest_text = if days.is_empty() {
        "no rest days".to_owned()
    } else {
        format!(
            "rest days: {} (from today on)",
            days.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let visibility = if private {
        "only you see your streak"
    } else {
        "other members can see your streak"
    };
    reply(
        ctx,
        CreateReply::default()
            .content(format!("Your streak settings: {rest_text}; {visibility}."))
            .ephemeral(true),
    )
    .await
}
