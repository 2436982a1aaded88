//! `/group create|join|leave|info|list|delete` and `/group nudge set|off`: study groups and
//! their daily nudge (moderators create, delete and schedule; members join and leave).

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::answer::reply;
use super::feature::{Autocomplete, Feature, Suggest, Suggestions};
use super::render::{echo, truncate, COLOUR};
use super::settings::moderator_only;
use super::{caller, Command, Context, Data};
use crate::error::{Error, Result};
use crate::leaderboard::Metric;
use crate::member::Caller;
use crate::roadmap::Roadmap;

pub(crate) struct GroupFeature;

#[serenity::async_trait]
impl Feature for GroupFeature {
    fn word(&self) -> &'static str {
        "group"
    }

    fn commands(&self, _roadmap: &Roadmap) -> Vec<Command> {
        vec![group()]
    }

    fn autocomplete(&self) -> &'static [Autocomplete] {
        const GROUP_OPTIONS: [Autocomplete; 5] = [
            Autocomplete {
                command: "group join",
                option: "group",
                suggest: Suggest::Later(suggest_groups),
            },
            Autocomplete {
                command: "group info",
                option: "group",
                suggest: Suggest::Later(suggest_groups),
            },
            Autocomplete {
                command: "group delete",
                option: "group",
                suggest: Suggest::Later(suggest_groups),
            },
            Autocomplete {
                command: "group nudge set",
                option: "group",
                suggest: Suggest::Later(suggest_groups),
            },
            Autocomplete {
                command: "group nudge off",
                option: "group",
                suggest: Suggest::Later(suggest_groups),
            },
        ];
        &GROUP_OPTIONS
    }
}

/// Whether the bot may post in a channel, by the permissions its server's cache holds (view
/// the channel, send messages, embed links); `true` when the cache cannot tell.
fn bot_can_post(ctx: Context<'_>, channel: serenity::ChannelId) -> bool {
    let Some(guild_id) = ctx.guild_id() else {
        return true;
    };
    let bot = ctx.cache().current_user().id;
    let Some(guild) = ctx.cache().guild(guild_id) else {
        return true;
    };
    let (Some(channel), Some(member)) = (guild.channels.get(&channel), guild.members.get(&bot))
    else {
        return true;
    };
    let permissions = guild.user_permissions_in(channel, member);
    permissions.view_channel() && permissions.send_messages() && permissions.embed_links()
}

/// A clear refusal for a channel the bot cannot post in.
fn check_channel(ctx: Context<'_>, channel: Option<&serenity::PartialChannel>) -> Result<()> {
    match channel {
        Some(channel) if !bot_can_post(ctx, channel.id) => Err(Error::user(format!(
            "I can't post in <#{}>: I need View Channel, Send Messages and Embed Links there. Nothing was changed.",
            channel.id.get()
        ))),
        _ => Ok(()),
    }
}

/// Group names matching what was typed, with their sizes.
fn suggest_groups<'a>(data: &'a Data, caller: &'a Caller, partial: &'a str) -> Suggestions<'a> {
    Box::pin(async move {
        let Some(guild) = caller.guild else {
            return Vec::new();
        };
        let Ok(groups) = data.groups.list(guild).await else {
            return Vec::new();
        };
        let wanted = partial.trim().to_lowercase();
        groups
            .into_iter()
            .filter(|(g, _)| g.name.to_lowercase().contains(&wanted))
            .take(25)
            .map(|(g, n)| {
                let label = truncate(
                    &format!("{} · {n} member{}", g.name, if n == 1 { "" } else { "s" }),
                    100,
                );
                serenity::AutocompleteChoice::new(label, g.name)
            })
            .collect()
    })
}

/// Poise calls this only if the gate did not answer the request itself (it always does);
/// it exists so the option is registered with autocomplete.
async fn autocomplete_group(
    _ctx: Context<'_>,
    _partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new()
}

/// Study groups: study together, with a group streak and a daily nudge
#[poise::command(
    slash_command,
    guild_only,
    subcommands("create", "join", "leave", "info", "list", "delete", "nudge"),
    subcommand_required
)]
async fn group(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user("Pick one of the `/group` commands."))
}

/// Create a study group (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn create(
    ctx: Context<'_>,
    #[description = "The group's name (up to 40 characters)"]
    #[max_length = 40]
    name: String,
    #[description = "Where its daily nudge is posted"]
    #[channel_types("Text")]
    channel: Option<serenity::PartialChannel>,
) -> Result<()> {
    let me = caller(ctx)?;
    check_channel(ctx, channel.as_ref())?;
    let data = ctx.data();
    let group = data
        .groups
        .create(&me, &name, channel.map(|c| c.id.get()), data.clock.now())
        .await?;
    reply(
        ctx,
        CreateReply::default()
            .content(format!(
                "Created the group **{}**. Members join with `/group join`; a daily nudge is set with `/group nudge set`.",
                echo(&group.name, 40).unwrap_or_default()
            ))
            .ephemeral(true),
    )
    .await
}

/// Join a study group (you are in one group at a time)
#[poise::command(slash_command, guild_only)]
async fn join(
    ctx: Context<'_>,
    #[description = "The group to join"]
    #[autocomplete = "autocomplete_group"]
    #[max_length = 40]
    group: String,
    #[description = "Let the group's nudge ping you (it names you without a ping otherwise)"]
    mention_me: Option<bool>,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let (joined, left) = data
        .groups
        .join(
            member,
            &group,
            mention_me.unwrap_or(false),
            data.clock.now(),
        )
        .await?;
    let name = echo(&joined.name, 40).unwrap_or_default();
    let text = match left {
        Some(left) => format!(
            "You left **{}** and joined **{name}**.",
            echo(&left, 40).unwrap_or_default()
        ),
        None => format!("You joined **{name}**."),
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Leave your study group
#[poise::command(slash_command, guild_only)]
async fn leave(ctx: Context<'_>) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let text = match ctx.data().groups.leave(member).await? {
        Some(name) => format!("You left **{}**.", echo(&name, 40).unwrap_or_default()),
        None => "You are in no group.".to_owned(),
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// A group's members, streak and study time this week (yours if no group is named)
#[poise::command(slash_command, guild_only)]
async fn info(
    ctx: Context<'_>,
    #[description = "The group (yours if left empty)"]
    #[autocomplete = "autocomplete_group"]
    #[max_length = 40]
    group: Option<String>,
) -> Result<()> {
    let member = caller(ctx)?.member()?;
    let data = ctx.data();
    let info = data
        .groups
        .info(member, group.as_deref(), data.clock.now())
        .await?;
    let members: Vec<String> = info.members.iter().map(|u| format!("<@{}>", u.0)).collect();
    let nudge = match &info.nudge {
        None => "none".to_owned(),
        Some((_, _, Some(off))) => format!("⚠️ off: {off}"),
        Some((time, Some(next), None)) => format!(
            "{} daily · next <t:{}:R>",
            time.format("%H:%M"),
            next.timestamp()
        ),
        Some((time, None, None)) => time.format("%H:%M").to_string(),
    };
    let embed = serenity::CreateEmbed::new()
        .title(truncate(
            &echo(&info.group.name, 40).unwrap_or_default(),
            256,
        ))
        .colour(COLOUR)
        .field(
            "Members",
            if members.is_empty() {
                "nobody yet".to_owned()
            } else {
                truncate(&members.join(" "), 1024)
            },
            false,
        )
        .field(
            "Group streak",
            format!(
                "🔥 {} day{}",
                info.streak,
                if info.streak == 1 { "" } else { "s" }
            ),
            true,
        )
        .field("This week", Metric::Time.show(info.week_minutes), true)
        .field("Nudge", nudge, true)
        .footer(serenity::CreateEmbedFooter::new(
            "A day counts for the group when at least half of its members study.",
        ));
    reply(ctx, CreateReply::default().embed(embed).ephemeral(true)).await
}

/// The server's study groups
#[poise::command(slash_command, guild_only)]
async fn list(ctx: Context<'_>) -> Result<()> {
    let guild = caller(ctx)?.member()?.guild;
    let groups = ctx.data().groups.list(guild).await?;
    let lines: Vec<String> = groups
        .iter()
        .map(|(g, n)| {
            format!(
                "**{}** · {n} member{}",
                echo(&g.name, 40).unwrap_or_default(),
                if *n == 1 { "" } else { "s" }
            )
        })
        .collect();
    let text = if lines.is_empty() {
        "No study groups yet. A moderator creates one with `/group create`.".to_owned()
    } else {
        truncate(&lines.join("\n"), 1900)
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}

/// Delete a study group and its nudge (moderators)
#[poise::command(slash_command, guild_only, check = "moderator_only")]
async fn delete(
    ctx: Context<'_>,
    #[description = "The group to delete"]
    #[autocomplete = "autocomplete_group"]
    #[max_length = 40]
    group: String,
) -> Result<()> {
    let me = caller(ctx)?;
    let name = ctx.data().groups.delete(&me, &group).await?;
    reply(
        ctx,
        CreateReply::default()
            .content(format!(
                "Deleted the group **{}**.",
                echo(&name, 40).unwrap_or_default()
            ))
            .ephemeral(true),
    )
    .await
}

/// A group's daily nudge in its channel (moderators)
#[poise::command(
    slash_command,
    guild_only,
    subcommands("nudge_set", "nudge_off"),
    subcommand_required
)]
async fn nudge(_ctx: Context<'_>) -> Result<()> {
    Err(Error::user(
        "Pick one of: `/group nudge set`, `/group nudge off`.",
    ))
}

/// Post a daily nudge in the group's channel at a local time (the server's zone; moderators)
#[poise::command(slash_command, guild_only, rename = "set", check = "moderator_only")]
async fn nudge_set(
    ctx: Context<'_>,
    #[description = "The group"]
    #[autocomplete = "autocomplete_group"]
    #[max_length = 40]
    group: String,
    #[description = "The server's local time, e.g. 19:00 or 7pm"]
    #[max_length = 16]
    time: String,
    #[description = "every day (if left empty), weekdays, weekends, or days like \"mon, wed\""]
    #[max_length = 60]
    days: Option<String>,
    #[description = "Where to post (the group's channel if left empty)"]
    #[channel_types("Text")]
    channel: Option<serenity::PartialChannel>,
) -> Result<()> {
    let me = caller(ctx)?;
    let at = crate::calendar::parse_time(&time).ok_or_else(|| {
        Error::user(format!(
            "I can't read `{}` as a time. Try `19:00` or `7pm`.",
            echo(&time, 16).unwrap_or_default()
        ))
    })?;
    let weekdays = crate::calendar::parse_weekdays(days.as_deref().unwrap_or("every day"))
        .map_err(|word| {
            Error::user(format!(
                "`{word}` isn't a day. Try `weekdays` or `mon, wed, fri`."
            ))
        })?;
    check_channel(ctx, channel.as_ref())?;
    let data = ctx.data();
    let (group, next) = data
        .groups
        .set_nudge(
            &me,
            &group,
            at,
            &weekdays,
            channel.map(|c| c.id.get()),
            data.clock.now(),
        )
        .await?;
    let next = next.map_or(String::new(), |t| {
        format!(" Next: <t:{}:F>.", t.timestamp())
    });
    reply(
        ctx,
        CreateReply::default()
            .content(format!(
                "**{}** gets a nudge at {}.{next}",
                echo(&group.name, 40).unwrap_or_default(),
                at.format("%H:%M")
            ))
            .ephemeral(true),
    )
    .await
}

/// Stop a group's daily nudge (moderators)
#[poise::command(slash_command, guild_only, rename = "off", check = "moderator_only")]
async fn nudge_off(
    ctx: Context<'_>,
    #[description = "The group"]
    #[autocomplete = "autocomplete_group"]
    #[max_length = 40]
    group: String,
) -> Result<()> {
    let me = caller(ctx)?;
    let text = if ctx.data().groups.nudge_off(&me, &group).await? {
        "The nudge is off."
    } else {
        "That group had no nudge."
    };
    reply(ctx, CreateReply::default().content(text).ephemeral(true)).await
}
