//! Discord objects shaped the way Discord sends them (and the way serenity 0.12 insists on
//! reading them), and builders for the interactions a member can trigger.

use serde_json::{json, Value};

use super::fake_discord::{APP_ID, BOT_USER_ID, CHANNEL_ID, GUILD_ID, OWNER_ID};

/// What an ordinary member has: view channels, send messages, use application commands, …
pub const MEMBER_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31);

/// Somebody who clicks and types in the tests.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub id: u64,
    pub name: &'static str,
    pub permissions: u64,
    pub bot: bool,
    /// Their nickname in the test server.
    pub nick: Option<&'static str>,
}

pub const ALICE: Actor = Actor {
    id: 1_400_000_000_000_000_001,
    name: "alice",
    permissions: MEMBER_PERMISSIONS,
    bot: false,
    nick: None,
};
pub const BOB: Actor = Actor {
    id: 1_400_000_000_000_000_002,
    name: "bob",
    permissions: MEMBER_PERMISSIONS,
    bot: false,
    nick: Some("Bobby"),
};
/// Another bot in the server.
pub const HELPER_BOT: Actor = Actor {
    id: 1_400_000_000_000_000_009,
    name: "helperbot",
    permissions: MEMBER_PERMISSIONS,
    bot: true,
    nick: None,
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
fn member_fields(permissions: u64, nick: Option<&str>) -> Value {
    json!({
        "roles": [],
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
    let mut member = member_fields(actor.permissions, actor.nick);
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
        "owner": user(OWNER_ID, "owner", false),
        "verify_key": "0000",
        "team": null,
        "flags": 0,
    })
}

fn text_channel(id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "guild_id": GUILD_ID.to_string(),
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

pub fn guild_create() -> Value {
    let everyone = json!({
        "id": GUILD_ID.to_string(),
        "name": "@everyone",
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "managed": false,
        "mentionable": false,
        "permissions": MEMBER_PERMISSIONS.to_string(),
        "position": 0,
        "icon": null,
        "unicode_emoji": null,
        "flags": 0,
    });
    let mut bot_member = member_fields(MEMBER_PERMISSIONS, None);
    bot_member["user"] = bot_user();
    json!({
        "id": GUILD_ID.to_string(),
        "name": "Study Hall",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [everyone],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "joined_at": "2026-01-01T00:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": 4,
        "voice_states": [],
        "members": [bot_member],
        "channels": [text_channel(CHANNEL_ID, "study")],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "incidents_data": null,
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
    Guild,
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
}

impl Interaction {
    /// The payload of INTERACTION_CREATE.
    pub fn to_payload(&self, id: u64, token: &str) -> Value {
        let mut payload = json!({
            "id": id.to_string(),
            "application_id": APP_ID.to_string(),
            "type": self.kind,
            "data": self.data,
            "channel_id": CHANNEL_ID.to_string(),
            "token": token,
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
            "attachment_size_limit": 26_214_400,
            "app_permissions": MEMBER_PERMISSIONS.to_string(),
        });
        match self.place {
            Place::Guild => {
                payload["guild_id"] = json!(GUILD_ID.to_string());
                payload["guild_locale"] = json!("en-US");
                payload["member"] = member(&self.actor);
                payload["context"] = json!(0);
                payload["channel"] =
                    json!({"id": CHANNEL_ID.to_string(), "type": 0, "name": "study"});
            }
            Place::Dm => {
                payload["user"] = user(self.actor.id, self.actor.name, self.actor.bot);
                payload["context"] = json!(1);
                payload["channel"] = json!({"id": CHANNEL_ID.to_string(), "type": 1});
            }
        }
        if let Some(message) = &self.message {
            payload["message"] = message.clone();
        }
        payload
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
    sub: Option<String>,
    options: Vec<Value>,
    resolved: Value,
    autocomplete: bool,
}

pub fn slash(name: &str) -> Slash {
    Slash {
        name: name.to_owned(),
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
        self.resolved["members"][&id] = member_fields(actor.permissions, actor.nick);
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
        let options = match &slash.sub {
            Some(sub) => json!([{"name": sub, "type": 1, "options": slash.options}]),
            None => Value::Array(slash.options.clone()),
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
            place: Place::Guild,
            message: None,
        }
    }
}

/// A click on the button `custom_id` of `message` (a message object the bot sent).
pub fn button(custom_id: &str, message: Value) -> Interaction {
    Interaction {
        kind: 3,
        data: json!({"custom_id": custom_id, "component_type": 2}),
        actor: ALICE,
        place: Place::Guild,
        message: Some(message),
    }
}

/// A choice in the string select menu `custom_id` of `message`.
pub fn select(custom_id: &str, values: &[&str], message: Value) -> Interaction {
    Interaction {
        kind: 3,
        data: json!({"custom_id": custom_id, "component_type": 3, "values": values}),
        actor: ALICE,
        place: Place::Guild,
        message: Some(message),
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
        place: Place::Guild,
        message,
    }
}
