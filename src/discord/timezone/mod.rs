//! `/timezone set <zone>` and `/timezone show`: the zone a member's study days are counted in.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::reply;
use super::feature::{Autocomplete, Feature};
use super::render::echo;
use super::{caller, Command, Context, Data};
use crate::error::{Error, Result};
use crate::roadmap::Roadmap;
use crate::timezone::service::ZoneSource;

pub(crate) struct TimezoneFeature;

#[serenity::async_trait]
impl Feature for TimezoneFeature {
    fn word(&self) -> &'static str {
        "timezone"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![timezone()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[Autocomplete {
            command: "timezone set",
            option: "zone",
            suggest: super::feature::Suggest::Now(suggest_zones),
        }]
    }
}

/// Zones matching what was typed, each with its local time now; shared with `/settings`.
pub(crate) fn suggest_zones(data: &Data, partial: &str) -> Vec<serenity::AutocompleteChoice> {
    let now = data.clock.now();
    crate::timezone::search(partial)
        .into_iter()
        .map(|tz| serenity::AutocompleteChoice::new(crate::timezone::label(tz, now), tz.name()))
        .collect()
}

/// Poise calls this only if the gate did not answer the request itself (it always does);
/// it exists so the option is registered with autocomplete.
pub(crate) async fn autocomplete_zone(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(suggest_zones(ctx.data(), partial))
}

/// A zone the member named, or a clear error.
pub(crate) fn zone_named(input: &str) -> Result<chrono_tz::Tz> {
    crate::timezone::parse(input).ok_or_else(|| match echo(input, 60) {
        Some(shown) => Error::user(format!(
            "I don't know the time zone `{shown}`. Pick one from the list while you type \
             (a city or region, like Europe/Berlin or America/New_York)."
        )),
        None => Error::user("You didn't name a time zone. Start typing a city or region."),
    })
}

/// Your time zone, which decides when your study day starts and ends
#[poise::command(
    slash_command,
    guild_only,
    subcommands("set", "show"),
    subcommand_required
)]
async fn timezone(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user(
        "Pick one of: `/timezone set`, `/timezone show`.",
    ))
}

/// Set your time zone (your study day runs from midnight to midnight there)
#[poise::command(slash_command, guild_only)]
async fn set(
    ctx: Context<'_>,
    #[description = "Start typing a city or region, then pick it from the list"]
    #[autocomplete = "autocomplete_zone"]
    #[max_length = 64]
    zone: String,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let tz = zone_named(&zone)?;
    ctx.data().timezones.set(member, Some(tz)).await?;
    let now = ctx.data().clock.now();
    reply(
        ctx,
        CreateReply::default()
            .content(format!(
                "Your time zone is now **{}** (it is {} there). Your study days run from midnight to midnight in it.",
                tz.name(),
                now.with_timezone(&tz).format("%H:%M on %A")
            ))
            .ephemeral(true),
    )
    .await
}

/// See the time zone your study days are counted in
#[poise::command(slash_command, guild_only)]
async fn show(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let (tz, source) = ctx.data().timezones.zone_of(member).await?;
    let now = ctx.data().clock.now();
    let whence = match source {
        ZoneSource::Member => "you chose it",
        ZoneSource::Server => "the server's default; choose your own with `/timezone set`",
        ZoneSource::Default => {
            "no zone chosen yet, here or for the server; choose yours with `/timezone set`"
        }
    };
    reply(
        ctx,
        CreateReply::default()
            .content(format!(
                "Your study days are counted in **{}** ({whence}). It is {} there now.",
                tz.name(),
                now.with_timezone(&tz).format("%H:%M on %A")
            ))
            .ephemeral(true),
    )
    .await
}
