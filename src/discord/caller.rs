//! Turning what Discord sent with an interaction into a [`Caller`] for the services.

use poise::serenity_prelude as serenity;

use crate::member::{Caller, GuildId, Permissions, RoleId, UserId};

/// The caller of an interaction, or `None` when the payload names no real one: a server
/// interaction without `member`, or a DM interaction without `user` (serenity then fills in a
/// placeholder user, which must never be served or written as somebody).
pub(crate) fn caller_of(
    guild_id: Option<serenity::GuildId>,
    member: Option<&serenity::Member>,
    user: &serenity::User,
) -> Option<Caller> {
    match (guild_id, member) {
        (Some(guild), Some(member)) => Some(Caller {
            user: UserId(member.user.id.get()),
            guild: Some(GuildId(guild.get())),
            display_name: member
                .nick
                .clone()
                .unwrap_or_else(|| member.user.display_name().to_owned()),
            permissions: Permissions(member.permissions.map_or(0, |p| p.bits())),
            roles: member.roles.iter().map(|r| RoleId(r.get())).collect(),
        }),
        (Some(_), None) => None,
        (None, _) if user.id == serenity::User::default().id => None,
        (None, _) => Some(Caller {
            user: UserId(user.id.get()),
            guild: None,
            display_name: user.display_name().to_owned(),
            permissions: Permissions::default(),
            roles: Vec::new(),
        }),
    }
}

/// The caller of any interaction kind, or `None` for interactions without one (pings).
pub(crate) fn caller_of_interaction(interaction: &serenity::Interaction) -> Option<Caller> {
    match interaction {
        serenity::Interaction::Command(i) | serenity::Interaction::Autocomplete(i) => {
            caller_of(i.guild_id, i.member.as_deref(), &i.user)
        }
        serenity::Interaction::Component(i) => caller_of(i.guild_id, i.member.as_ref(), &i.user),
        serenity::Interaction::Modal(i) => caller_of(i.guild_id, i.member.as_ref(), &i.user),
        _ => None,
    }
}
