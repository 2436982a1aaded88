//! Discord objects shaped the way Discord sends them (and the way serenity 0.12 insists on
//! reading them), and builders for the interactions a member can trigger.

use serde_json::{json, Value};

use super::fake::{APP_ID, BOT_USER_ID, CHANNEL_ID, GUILD_ID, MOD_ROLE_ID};

/// What an ordinary member has: view channels, send messages, use application commands, …
pub const MEMBER_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31);
/// Manage Server: what makes a member a moderator without a configured role.
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const ADMINISTRATOR: u64 = 1 << 3;

/// Somebody who clicks and types in the tests.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: u64,
    pub name: &'static str,
    pub permissions: u64,
    pub bot: bool,
    /// Their nickname in the test server.
    pub nick: Option<&'static str>,
    /// Their roles in the server they act in.
    pub roles: &'static [u64],
}

pub const ALICE: Actor = Actor {
    id: 1_400_000_000_000_000_001,
    name: "alice",
    permissions: MEMBER_PERMISSIONS,
    bot: false,
    nick: None,
    roles: &[],
};
pub const BOB: Actor = Actor {
    id: 1_400_000_000_000_000_002,
    name: "bob",
    permissions: MEMBER_PERMISSIONS,
    bot: false,
    nick: Some("Bobby"),
    roles: &[],
};
/// Another bot in the server.
pub const HELPER_BOT: Actor = Actor {
    id: 1_400_000_000_000_000_009,
    name: "helperbot",
    permissions: MEMBER_PERMISSIONS,
    bot: true,
    nick: None,
    roles: &[],
};
/// A moderator by permission: Manage Server.
pub const MONA: Actor = Actor {
    id: 1_400_000_000_000_000_003,
    name: "mona",
    permissions: MEMBER_PERMISSIONS | MANAGE_GUILD,
    bot: false,
    nick: Some("Mona (mod)"),
    roles: &[],
};
/// A member with the "Study mods" role, and no special permission.
pub const RUTH: Actor = Actor {
    id: 1_400_000_000_000_000_004,
    name: "ruth",
    permissions: MEMBER_PERMISSIONS,
    bot: false,
    nick: None,
    roles: &[MOD_ROLE_ID],
};
/// Only in the other server, "Night Owls".
pub const CAROL: Actor = Actor {
    id: 1_400_000_000_000_000_005,
    name: "carol",
    permissions: MEMBER_PERMISSIONS,
    bot: false,
    nick: None,
    roles: &[],
};
/// The owner of "Study Hall" (an administrator).
pub const OWNER: Actor = Actor {
    id: 1_100_000_000_000_000_099,
    name: "owner",
    permissions: MEMBER_PERMISSIONS | ADMINISTRATOR,
    bot: false,
    nick: None,
    roles: &[],
};
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
        "bot": bot,
        "public_flags": 0,
    })
}

pub fn bot_user() -> Value {
    let mut user = user(BOT_USER_ID, "Waypoint", true);
    user["verified"] = json!(true);
    user["mfa_enabled"] = json!(false);
    user["flags"] = json!(0);
    user
}

/// A guild member without its `user` (as in `resolved.members`).
pub fn member_fields(permissions: u64, nick: Option<&str>, roles: &[u64]) -> Value {
    let roles: Vec<String> = roles.iter().map(u64::to_string).collect();
    json!({
        "roles": roles,
        "joined_at": "2026-01-01T00:00:00.000000+00:00",
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "nick": nick,
        "avatar": null,
        "premium_since": null,
        "communication_disabled_until": null,
        "permissions": permissions.to_string(),
    })
}

pub fn member(actor: &Actor) -> Value {
    let mut member = member_fields(actor.permissions, actor.nick, actor.roles);
    member["user"] = user(actor.id, actor.name, actor.bot);
    member
}

pub fn application() -> Value {
    json!({
        "id": APP_ID.to_string(),
        "name": "Waypoint",
        "icon": null,
        "description": "A study bot",
        "bot_public": true,
        "bot_require_code_grant": false,
        "owner": user(OWNER.id, OWNER.name, false),
        "verify_key": "0000",
        "team": null,
        "flags": 0,
    })
}

/// A role as Discord sends it (in GUILD_CREATE and in `resolved.roles`).
pub fn role_object(id: u64, name: &str, permissions: u64) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "managed": false,
        "mentionable": false,
        "permissions": permissions.to_string(),
        "position": 0,
        "icon": null,
        "unicode_emoji": null,
        "flags": 0,
    })
}

pub fn text_channel(guild: u64, id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "guild_id": guild.to_string(),
        "type": 0,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": false,
        "topic": null,
        "parent_id": null,
        "last_message_id": null,
        "rate_limit_per_user": 0,
    })
}

/// A message as Discord returns it after the bot created or edited one from `body`.
pub fn message(id: &str, channel: u64, body: &Value) -> Value {
    json!({
        "id": id,
        "channel_id": channel.to_string(),
        "author": bot_user(),
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-11-25T12:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "components": body.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": 0,
        "flags": body.get("flags").cloned().unwrap_or(json!(0)),
    })
}

pub fn dm_channel(id: &str, recipient: u64) -> Value {
    json!({
        "id": id,
        "type": 1,
        "last_message_id": null,
        "recipients": [user(recipient, "member", false)],
    })
}

// ---------------------------------------------------------------------------------------------
// Interactions

/// Where an interaction happens.
#[derive(Debug, Clone, Copy)]
enum Place {
    Guild { guild: u64, channel: u64 },
    Dm,
}

/// An interaction ready to be sent; the harness fills in `id` and `token`.
#[derive(Debug, Clone)]
pub struct Interaction {
    kind: u8,
    data: Value,
    actor: Actor,
    place: Place,
    message: Option<Value>,
    /// Leave out `member` and `user`, as a malformed payload would.
    anonymous: bool,
}

const STUDY_HALL: Place = Place::Guild {
    guild: GUILD_ID,
    channel: CHANNEL_ID,
};

impl Interaction {
    /// The payload of INTERACTION_CREATE.
    pub fn to_payload(&self, id: u64, token: &str) -> Value {
        let mut payload = json!({
            "id": id.to_string(),
            "application_id": APP_ID.to_string(),
            "type": self.kind,
            "data": self.data,
            "channel_id": self.channel().to_string(),
            "token": token,
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
            "attachment_size_limit": 26_214_400,
            "app_permissions": MEMBER_PERMISSIONS.to_string(),
        });
        match self.place {
            Place::Guild { guild, channel } => {
                payload["guild_id"] = json!(guild.to_string());
                payload["guild_locale"] = json!("en-US");
                payload["member"] = member(&self.actor);
                payload["context"] = json!(0);
                payload["channel"] = json!({"id": channel.to_string(), "type": 0, "name": "study"});
                payload["data"]["guild_id"] = json!(guild.to_string());
                payload["authorizing_integration_owners"] = json!({"0": guild.to_string()});
            }
            Place::Dm => {
                payload["user"] = user(self.actor.id, self.actor.name, self.actor.bot);
                payload["context"] = json!(1);
                payload["channel"] = json!({"id": CHANNEL_ID.to_string(), "type": 1});
                if let Some(data) = payload["data"].as_object_mut() {
                    data.remove("guild_id");
                }
            }
        }
        if self.anonymous {
            if let Some(payload) = payload.as_object_mut() {
                payload.remove("member");
                payload.remove("user");
            }
        }
        if let Some(message) = &self.message {
            payload["message"] = message.clone();
        }
        payload
    }

    /// The channel it happens in.
    pub fn channel(&self) -> u64 {
        match self.place {
            Place::Guild { channel, .. } => channel,
            Place::Dm => CHANNEL_ID,
        }
    }

    /// Sent in another server (and one of its channels).
    pub fn in_guild(mut self, guild: u64, channel: u64) -> Self {
        self.place = Place::Guild { guild, channel };
        self
    }

    /// Sent in another channel of the same server.
    pub fn in_channel(mut self, channel: u64) -> Self {
        if let Place::Guild { guild, .. } = self.place {
            self.place = Place::Guild { guild, channel };
        }
        self
    }

    /// Without `member` and `user`: no caller at all.
    pub fn without_caller(mut self) -> Self {
        self.anonymous = true;
        self
    }

    /// Changes `data.type` (1 chat input, 2 user, 3 message, 4 entry point, …).
    pub fn command_type(mut self, kind: u64) -> Self {
        self.data["type"] = json!(kind);
        self
    }

    pub fn by(mut self, actor: Actor) -> Self {
        self.actor = actor;
        self
    }

    /// Sent from a DM with the bot instead of the server.
    pub fn in_dm(mut self) -> Self {
        self.place = Place::Dm;
        self
    }
}

/// A slash command (`/name`), with options added by the builder methods.
#[derive(Debug, Clone)]
pub struct Slash {
    name: String,
    /// A subcommand group (`/group nudge set`: "nudge").
    sub_group: Option<String>,
    sub: Option<String>,
    options: Vec<Value>,
    resolved: Value,
    autocomplete: bool,
}

pub fn slash(name: &str) -> Slash {
    Slash {
        name: name.to_owned(),
        sub_group: None,
        sub: None,
        options: Vec::new(),
        resolved: json!({}),
        autocomplete: false,
    }
}

impl Slash {
    /// `/name sub`.
    pub fn sub(mut self, sub: &str) -> Self {
        self.sub = Some(sub.to_owned());
        self
    }

    /// `/name group sub`: the subcommand given by `sub` becomes a group holding `sub`.
    pub fn sub_in(mut self, sub: &str) -> Self {
        self.sub_group = self.sub.take();
        self.sub = Some(sub.to_owned());
        self
    }

    pub fn str(mut self, name: &str, value: &str) -> Self {
        self.options
            .push(json!({"name": name, "type": 3, "value": value}));
        self
    }

    /// A user option, with the user and member in `resolved` as Discord sends them.
    pub fn user(mut self, name: &str, actor: &Actor) -> Self {
        let id = actor.id.to_string();
        self.options
            .push(json!({"name": name, "type": 6, "value": id}));
        self.resolved["users"][&id] = user(actor.id, actor.name, actor.bot);
        self.resolved["members"][&id] = member_fields(actor.permissions, actor.nick, actor.roles);
        self
    }

    /// A user option for someone who is not in the server: Discord sends the user, no member.
    pub fn user_not_in_server(mut self, name: &str, actor: &Actor) -> Self {
        let id = actor.id.to_string();
        self.options
            .push(json!({"name": name, "type": 6, "value": id}));
        self.resolved["users"][&id] = user(actor.id, actor.name, actor.bot);
        self
    }

    /// A user option whose user Discord did not resolve (nothing in `resolved`).
    pub fn unresolved_user(mut self, name: &str, id: u64) -> Self {
        self.options
            .push(json!({"name": name, "type": 6, "value": id.to_string()}));
        self
    }

    pub fn int(mut self, name: &str, value: i64) -> Self {
        self.options
            .push(json!({"name": name, "type": 4, "value": value}));
        self
    }

    pub fn number(mut self, name: &str, value: f64) -> Self {
        self.options
            .push(json!({"name": name, "type": 10, "value": value}));
        self
    }

    pub fn bool(mut self, name: &str, value: bool) -> Self {
        self.options
            .push(json!({"name": name, "type": 5, "value": value}));
        self
    }

    /// A channel option, resolved as a text channel of the test server.
    pub fn channel(mut self, name: &str, channel: u64) -> Self {
        let id = channel.to_string();
        self.options
            .push(json!({"name": name, "type": 7, "value": id}));
        self.resolved["channels"][&id] = json!({
            "id": id, "type": 0, "name": "channel", "permissions": MEMBER_PERMISSIONS.to_string(),
            "guild_id": GUILD_ID.to_string(),
        });
        self
    }

    /// A role option, resolved as a role of the test server.
    pub fn role(mut self, name: &str, role: u64) -> Self {
        let id = role.to_string();
        self.options
            .push(json!({"name": name, "type": 8, "value": id}));
        self.resolved["roles"][&id] = role_object(role, "role", 0);
        self
    }

    /// The member is typing `partial` into the string option `name`: an autocomplete request.
    pub fn typing(mut self, name: &str, partial: &str) -> Self {
        self.options
            .push(json!({"name": name, "type": 3, "value": partial, "focused": true}));
        self.autocomplete = true;
        self
    }

    pub fn by(self, actor: Actor) -> Interaction {
        Interaction::from(self).by(actor)
    }
}

impl From<Slash> for Interaction {
    fn from(slash: Slash) -> Self {
        let options = match (&slash.sub_group, &slash.sub) {
            (Some(group), Some(sub)) => {
                json!([{"name": group, "type": 2, "options": [{"name": sub, "type": 1, "options": slash.options}]}])
            }
            (_, Some(sub)) => json!([{"name": sub, "type": 1, "options": slash.options}]),
            _ => Value::Array(slash.options.clone()),
        };
        let mut data = json!({
            "id": "1500000000000000001",
            "name": slash.name,
            "type": 1,
            "options": options,
            "guild_id": GUILD_ID.to_string(),
        });
        if slash.resolved.as_object().is_some_and(|o| !o.is_empty()) {
            data["resolved"] = slash.resolved;
        }
        Interaction {
            kind: if slash.autocomplete { 4 } else { 2 },
            data,
            actor: ALICE,
            place: STUDY_HALL,
            message: None,
            anonymous: false,
        }
    }
}

/// A click on the button `custom_id` of `message` (a message object the bot sent).
pub fn button(custom_id: &str, message: Value) -> Interaction {
    Interaction {
        kind: 3,
        data: json!({"custom_id": custom_id, "component_type": 2}),
        actor: ALICE,
        place: STUDY_HALL,
        message: Some(message),
        anonymous: false,
    }
}

/// A choice in the string select menu `custom_id` of `message`.
pub fn select(custom_id: &str, values: &[&str], message: Value) -> Interaction {
    Interaction {
        kind: 3,
        data: json!({"custom_id": custom_id, "component_type": 3, "values": values}),
        actor: ALICE,
        place: STUDY_HALL,
        message: Some(message),
        anonymous: false,
    }
}

/// A modal submitted with text inputs `(custom_id, value)`.
pub fn modal_submit(
    custom_id: &str,
    fields: &[(&str, &str)],
    message: Option<Value>,
) -> Interaction {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(id, value)| json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]}))
        .collect();
    Interaction {
        kind: 5,
        data: json!({"custom_id": custom_id, "components": rows}),
        actor: ALICE,
        place: STUDY_HALL,
        message,
        anonymous: false,
    }
}
