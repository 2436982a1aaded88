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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::{Caller, GuildId, Permissions, RoleId, UserId};
    use serde_json::json;

    fn interaction(extra: serde_json::Value) -> serenity::Interaction {
        let mut payload = json!({
            "id": "10", "application_id": "11", "type": 3, "token": "t", "version": 1,
            "channel_id": "12", "locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {}, "attachment_size_limit": 26214400,
            "data": {"custom_id": "wp:x", "component_type": 2},
            "message": {
                "id": "13", "channel_id": "12", "content": "", "timestamp": "2026-11-26T12:00:00+00:00",
                "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
                "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0,
                "author": {"id": "11", "username": "bot", "discriminator": "0", "global_name": null, "avatar": null},
            },
        });
        for (key, value) in extra.as_object().into_iter().flatten() {
            payload[key] = value.clone();
        }
        serde_json::from_value(payload).expect("a valid interaction")
    }

    fn user(id: &str, name: &str) -> serde_json::Value {
        json!({"id": id, "username": name, "discriminator": "0", "global_name": null, "avatar": null})
    }

    #[test]
    fn a_server_caller_has_the_permissions_roles_and_nickname_discord_sent() {
        let i = interaction(json!({
            "guild_id": "20",
            "member": {
                "user": user("30", "ada"), "nick": "Ada L.", "roles": ["40", "41"],
                "joined_at": "2026-01-01T00:00:00+00:00", "deaf": false, "mute": false,
                "flags": 0, "permissions": "32",
            },
        }));
        let caller = caller_of_interaction(&i).expect("a caller");
        assert_eq!(
            caller,
            Caller {
                user: UserId(30),
                guild: Some(GuildId(20)),
                display_name: "Ada L.".into(),
                permissions: Permissions(32),
                roles: vec![RoleId(40), RoleId(41)],
            }
        );
        assert!(caller.has_permission(Permissions::MANAGE_GUILD));
    }

    #[test]
    fn a_dm_caller_has_no_permissions_and_no_caller_is_none() {
        let dm = interaction(json!({"user": user("30", "ada")}));
        let caller = caller_of_interaction(&dm).expect("a caller");
        assert_eq!((caller.guild, caller.user), (None, UserId(30)));
        assert_eq!(caller.permissions, Permissions::default());
        // Neither `member` nor `user`: in a server or in a DM, nobody is asking.
        assert_eq!(
            caller_of_interaction(&interaction(json!({"guild_id": "20"}))),
            None
        );
        assert_eq!(caller_of_interaction(&interaction(json!({}))), None);
    }
}
