//! `/remind set|show|pause|off|test`: a member's daily study reminder by DM.

use chrono::{Duration, NaiveDate};
use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::reply;
use super::feature::{Autocomplete, Feature};
use super::render::echo;
use super::timezone::{autocomplete_zone, suggest_zones, zone_named};
use super::{caller, Command, Context, Data};
use crate::error::{Error, Result};
use crate::outbox::{Destination, SendError};
use crate::reminder::service::ReminderView;
use crate::roadmap::Roadmap;

pub(crate) struct ReminderFeature;

#[serenity::async_trait]
impl Feature for ReminderFeature {
    fn word(&self) -> &'static str {
        "remind"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![remind()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[
            Autocomplete {
                command: "remind set",
                option: "time",
                suggest: super::feature::Suggest::Now(suggest_times),
            },
            Autocomplete {
                command: "remind set",
                option: "days",
                suggest: super::feature::Suggest::Now(suggest_days),
            },
            Autocomplete {
                command: "remind set",
                option: "timezone",
                suggest: super::feature::Suggest::Now(suggest_zones),
            },
        ]
    }
}

fn suggest_times(_data: &Data, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let wanted = partial.trim().to_lowercase();
    if let Some(time) = crate::calendar::parse_time(&wanted) {
        let shown = time.format("%H:%M").to_string();
        return vec![serenity::AutocompleteChoice::new(shown.clone(), shown)];
    }
    [
        "07:00", "08:00", "12:30", "17:00", "18:00", "19:00", "20:00", "21:00", "22:00",
    ]
    .iter()
    .filter(|t| wanted.is_empty() || t.contains(&wanted))
    .map(|t| serenity::AutocompleteChoice::new(*t, *t))
    .collect()
}

fn suggest_days(_data: &Data, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let wanted = partial.trim().to_lowercase();
    [
        "every day",
        "weekdays",
        "weekends",
        "mon, wed, fri",
        "tue, thu",
        "sat, sun",
    ]
    .iter()
    .filter(|d| d.contains(&wanted))
    .map(|d| serenity::AutocompleteChoice::new(*d, *d))
    .collect()
}

async fn autocomplete_time(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(suggest_times(ctx.data(), partial))
}

async fn autocomplete_days(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(suggest_days(ctx.data(), partial))
}

/// A daily study reminder by DM, at your local time
#[poise::command(
    slash_command,
    guild_only,
    subcommands("set", "show", "pause", "off", "test"),
    subcommand_required
)]
async fn remind(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user("Pick one of: `/remind set`, `/remind show`, `/remind pause`, `/remind off`, `/remind test`."))
}

fn describe(view: &ReminderView) -> String {
    let days = view.schedule.days;
    let days_text = match days.0 & 0x7F {
        0x7F => "every day".to_owned(),
        0x1F => "on weekdays".to_owned(),
        0x60 => "on weekends".to_owned(),
        _ => {
            let names: Vec<String> = [
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
                chrono::Weekday::Sat,
                chrono::Weekday::Sun,
            ]
            .into_iter()
            .filter(|d| days.contains(*d))
            .map(|d| d.to_string())
            .collect();
            format!("on {}", names.join(", "))
        }
    };
    let mut text = format!(
        "Your reminder: **{}** {days_text} ({}).",
        view.schedule.time.format("%H:%M"),
        view.schedule.zone.name()
    );
    match (&view.disabled, view.next) {
        (Some(reason), _) => text.push_str(&format!(
            "\n⚠️ It is **off**: {reason}. Fix that, then `/remind set` again."
        )),
        (None, Some(next)) => {
            text.push_str(&format!("\nNext: <t:{0}:F> (<t:{0}:R>).", next.timestamp()))
        }
        (None, None) => text.push_str("\nNo day is left on its schedule."),
    }
    if let Some(until) = view.paused_until {
        text.push_str(&format!("\nPaused until {}.", until.format("%A %-d %B")));
    }
    if view.missed_last {
        text.push_str("\nThe last one was missed while the bot was offline.");
    }
    text
}

/// Set your daily reminder: a time, and which days
#[poise::command(slash_command, guild_only)]
async fn set(
    ctx: Context<'_>,
    #[description = "Your local time, e.g. 19:00 or 7pm"]
    #[autocomplete = "autocomplete_time"]
    #[max_length = 16]
    time: String,
    #[description = "every day (if left empty), weekdays, weekends, or days like \"mon, wed\""]
    #[autocomplete = "autocomplete_days"]
    #[max_length = 60]
    days: Option<String>,
    #[description = "The time zone (yours if left empty)"]
    #[autocomplete = "autocomplete_zone"]
    #[max_length = 64]
    timezone: Option<String>,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let at = crate::calendar::parse_time(&time).ok_or_else(|| {
        Error::user(format!(
            "I can't read `{}` as a time. Try `19:00`, `7pm` or `7:30 pm`.",
            echo(&time, 16).unwrap_or_default()
        ))
    })?;
    let weekdays = crate::calendar::parse_weekdays(days.as_deref().unwrap_or("every day"))
        .map_err(|word| {
            Error::user(format!(
                "`{word}` isn't a day. Try `weekdays`, `weekends` or `mon, wed, fri`."
            ))
        })?;
    let zone = timezone.as_deref().map(zone_named).transpose()?;
    let data = ctx.data();
    let view = data
        .reminders
        .set(member, at, &weekdays, zone, data.clock.now())
        .await?;
    reply(
        ctx,
        CreateReply::default()
            .content(describe(&view))
            .ephemeral(true),
    )
    .await
}

/// See your reminder: when the next one comes, or why it is off
#[poise::command(slash_command, guild_only)]
async fn show(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let text = match ctx.data().reminders.show(member).await? {
        Some(view) => describe(&view),
        None => "You have no reminder. Set one with `/remind set`.".to_owned(),
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Pause your reminder until a date, or for a while ("3d", "1w")
#[poise::command(slash_command, guild_only)]
async fn pause(
    ctx: Context<'_>,
    #[description = "When reminders resume: a date (2026-12-24) or a span (3d, 1w)"]
    #[max_length = 16]
    until: String,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let now = data.clock.now();
    let zone = data.timezones.zone_of(member).await?.0;
    let today = now.with_timezone(&zone).date_naive();
    let resume = parse_until(&until, today).ok_or_else(|| {
        Error::user(format!(
            "I can't read `{}` as a date. Try `2026-12-24`, `3d` or `1w`.",
            echo(&until, 16).unwrap_or_default()
        ))
    })?;
    let view = data.reminders.pause(member, resume, now).await?;
    reply(
        ctx,
        CreateReply::default()
            .content(describe(&view))
            .ephemeral(true),
    )
    .await
}

/// "2026-12-24", "3d", "1w", "10 days": the day reminders resume.
fn parse_until(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date);
    }
    // A span of whole days, at most a year.
    let span = crate::calendar::parse_span(text)?;
    let days = span.num_days();
    (span == Duration::days(days) && (1..=366).contains(&days)).then(|| today + span)
}

/// Turn your reminder off
#[poise::command(slash_command, guild_only)]
async fn off(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let text = if ctx.data().reminders.off(member).await? {
        "Your reminder is off. `/remind set` brings it back."
    } else {
        "You had no reminder."
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Send yourself the reminder now, to see what it looks like
#[poise::command(slash_command, guild_only)]
async fn test(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let now = data.clock.now();
    let zone = data.timezones.zone_of(member).await?.0;
    let today = now.with_timezone(&zone).date_naive();
    let message = data
        .reminders
        .message(member, today, false, now)
        .await?
        .ok_or_else(|| Error::internal(anyhow::anyhow!("a test reminder had nothing to say")))?;
    let text = match data.outbox.send(Destination::Dm(member.user), message).await {
        Ok(_) => "Sent: check your DMs.".to_owned(),
        Err(SendError::DmClosed) => "I couldn't DM you: your DMs are closed to the bot (Privacy Settings → allow direct messages from server members).".to_owned(),
        Err(e) if e.is_dead_target() => format!("I couldn't DM you: {e}."),
        Err(e) => return Err(Error::internal(anyhow::Error::new(e))),
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_dates_and_spans() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            parse_until("2026-12-24", today),
            NaiveDate::from_ymd_opt(2026, 12, 24)
        );
        assert_eq!(
            parse_until("3d", today),
            NaiveDate::from_ymd_opt(2026, 11, 29)
        );
        assert_eq!(
            parse_until("1w", today),
            NaiveDate::from_ymd_opt(2026, 12, 3)
        );
        assert_eq!(
            parse_until("10 days", today),
            NaiveDate::from_ymd_opt(2026, 12, 6)
        );
        for bad in ["", "soon", "0d", "999d", "3x", "d", "36h"] {
            assert_eq!(parse_until(bad, today), None, "{bad}");
        }
    }
}
