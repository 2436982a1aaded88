//! `/settings show` and `/settings set …`: a server's settings, for its moderators only (checked
//! by the bot on every use; Discord also hides the command from members without Manage Server,
//! which a server can widen to its moderator role in its integration settings).

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::reply;
use super::feature::{Autocomplete, Feature};
use super::render::{truncate, COLOUR};
use super::timezone::{autocomplete_zone, suggest_zones, zone_named};
use super::{caller, Command, Context};
use crate::error::{Error, Result};
use crate::member::RoleId;
use crate::roadmap::Roadmap;
use crate::settings::{Change, GuildSettings};

pub(crate) struct SettingsFeature;

#[serenity::async_trait]
impl Feature for SettingsFeature {
    fn word(&self) -> &'static str {
        "settings"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![settings()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        &[Autocomplete {
            command: "settings set",
            option: "timezone",
            suggest: super::feature::Suggest::Now(suggest_zones),
        }]
    }
}

/// The moderator check of every moderator command: runs on the bot's side, always.
pub(crate) async fn moderator_only(ctx: Context<'_>) -> Result<bool> {
    let caller = caller(ctx)?;
    ctx.data().settings.require_moderator(&caller).await?;
    Ok(true)
}

/// The server's settings (moderators)
#[poise::command(
    slash_command,
    guild_only,
    subcommands("show", "set"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
async fn settings(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user(
        "Pick one of: `/settings show`, `/settings set`.",
    ))
}

/// See the server's settings and their latest changes (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn show(ctx: Context<'_>) -> Result<()> {
    let guild = caller(ctx)?.member()?.guild;
    let data = ctx.data();
    let settings = data.settings.get(guild).await?;
    let history = data.settings.history(guild, 5).await?;
    let mut embed = settings_embed(&settings);
    let changes: Vec<String> = history
        .iter()
        .map(|e| format!("<t:{}:R> <@{}>: {}", e.at.timestamp(), e.actor.0, e.detail))
        .collect();
    embed = embed.field(
        "Latest changes",
        if changes.is_empty() {
            "None yet.".to_owned()
        } else {
            truncate(&changes.join("\n"), 1024)
        },
        false,
    );
    reply(ctx, CreateReply::default().embed(embed).ephemeral(true)).await
}

fn settings_embed(settings: &GuildSettings) -> serenity::CreateEmbed {
    serenity::CreateEmbed::new()
        .title("Server settings")
        .colour(COLOUR)
        .field(
            "Time zone",
            settings
                .timezone
                .map_or("UTC (not set)".to_owned(), |z| z.name().to_owned()),
            true,
        )
        .field(
            "Moderator role",
            settings
                .moderator_role
                .map_or("none (Manage Server only)".to_owned(), |r| {
                    format!("<@&{}>", r.0)
                }),
            true,
        )
        .field(
            "Check-in minutes",
            format!("{} by default", settings.checkin_minutes),
            true,
        )
}

/// Change the server's settings; give only what should change (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn set(
    ctx: Context<'_>,
    #[description = "The server's time zone: its weeks and months, and members' default"]
    #[autocomplete = "autocomplete_zone"]
    #[max_length = 64]
    timezone: Option<String>,
    #[description = "Members with this role are moderators too"] moderator_role: Option<
        serenity::Role,
    >,
    #[description = "Remove the moderator role (only Manage Server counts then)"]
    clear_moderator_role: Option<bool>,
    #[description = "Minutes a /checkin records when none are given (1-720)"]
    #[min = 1]
    #[max = 720]
    checkin_minutes: Option<i64>,
) -> Result<()> {
    let caller = caller(ctx)?;
    let guild = caller.member()?.guild;
    if moderator_role.is_some() && clear_moderator_role == Some(true) {
        return Err(Error::user(
            "Set a moderator role or clear it, not both at once. Nothing was changed.",
        ));
    }
    if let Some(role) = &moderator_role {
        if role.id.get() == guild.0 {
            return Err(Error::user(
                "@everyone can't be the moderator role. Nothing was changed.",
            ));
        }
    }
    let change = Change {
        timezone: timezone.as_deref().map(zone_named).transpose()?,
        moderator_role: match (moderator_role, clear_moderator_role) {
            (Some(role), _) => Some(Some(RoleId(role.id.get()))),
            (None, Some(true)) => Some(None),
            _ => None,
        },
        checkin_minutes,
    };
    let data = ctx.data();
    let (settings, changed) = data
        .settings
        .update(&caller, change, data.clock.now())
        .await?;
    reply(
        ctx,
        CreateReply::default()
            .content(format!("Changed: {}.", changed.join("; ")))
            .embed(settings_embed(&settings))
            .ephemeral(true),
    )
    .await
}
