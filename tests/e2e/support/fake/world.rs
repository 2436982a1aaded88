//! What the fake Discord knows: servers with channels, roles and members, DM channels per user,
//! the messages the bot posted (with their edits), and the targets that fail on purpose.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::super::payloads::{
    self, Actor, ALICE, BOB, CAROL, HELPER_BOT, MEMBER_PERMISSIONS, MONA, OWNER, RUTH,
};

pub const APP_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_USER_ID: u64 = APP_ID;
pub const OWNER_ID: u64 = OWNER.id;
pub const TOKEN: &str = "fake.bot-token.for-tests";

/// "Study Hall": the server most tests run in.
pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
/// Its `#study` channel, where interactions happen by default.
pub const CHANNEL_ID: u64 = 1_200_000_000_000_000_002;
/// Its `#announcements` channel.
pub const ANNOUNCEMENTS_ID: u64 = 1_200_000_000_000_000_003;
/// Its `#rules` channel, where @everyone (the bot included) may read but not post.
pub const READ_ONLY_ID: u64 = 1_200_000_000_000_000_004;
/// Its "Study mods" role (no permissions of its own: a server may name it as moderator role).
pub const MOD_ROLE_ID: u64 = 1_200_000_000_000_000_010;
/// "Night Owls": a second server that runs the bot too.
pub const OTHER_GUILD_ID: u64 = 1_210_000_000_000_000_001;
pub const OTHER_CHANNEL_ID: u64 = 1_210_000_000_000_000_002;

#[derive(Debug, Clone)]
pub struct Role {
    pub id: u64,
    pub name: &'static str,
    pub permissions: u64,
}

#[derive(Debug, Clone)]
pub struct Guild {
    pub id: u64,
    pub name: &'static str,
    pub owner: u64,
    pub channels: Vec<(u64, &'static str)>,
    /// Besides @everyone (whose id is the guild's).
    pub roles: Vec<Role>,
    pub members: Vec<Actor>,
}

/// A message the bot posted, as it reads now.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: u64,
    pub channel: u64,
    /// The latest body sent for it (create, then each edit).
    pub body: Value,
    pub edits: usize,
    pub deleted: bool,
    /// The interaction token, for answers and follow-ups.
    pub token: Option<String>,
}

pub struct World {
    pub guilds: Vec<Guild>,
    /// user → their DM channel with the bot, made on first use.
    dm_channels: HashMap<u64, u64>,
    closed_dms: HashSet<u64>,
    gone_channels: HashSet<u64>,
    messages: Vec<Message>,
    /// interaction token → the channel it happened in.
    token_channels: HashMap<String, u64>,
}

/// A refusal Discord would give, `(status, body)`.
pub type Refusal = (u16, Value);

fn refusal(status: u16, code: u32, message: &str) -> Refusal {
    (status, json!({"message": message, "code": code}))
}

impl World {
    pub fn standard() -> Self {
        let study_hall = Guild {
            id: GUILD_ID,
            name: "Study Hall",
            owner: OWNER_ID,
            channels: vec![
                (CHANNEL_ID, "study"),
                (ANNOUNCEMENTS_ID, "announcements"),
                (READ_ONLY_ID, "rules"),
            ],
            roles: vec![Role {
                id: MOD_ROLE_ID,
                name: "Study mods",
                permissions: 0,
            }],
            members: vec![ALICE, BOB, HELPER_BOT, MONA, RUTH, OWNER],
        };
        let night_owls = Guild {
            id: OTHER_GUILD_ID,
            name: "Night Owls",
            owner: CAROL.id,
            channels: vec![(OTHER_CHANNEL_ID, "general")],
            roles: Vec::new(),
            members: vec![ALICE, CAROL],
        };
        Self {
            guilds: vec![study_hall, night_owls],
            dm_channels: HashMap::new(),
            closed_dms: HashSet::new(),
            gone_channels: HashSet::new(),
            messages: Vec::new(),
            token_channels: HashMap::new(),
        }
    }

    pub fn close_dms(&mut self, user: u64) {
        self.closed_dms.insert(user);
    }

    pub fn remove_channel(&mut self, channel: u64) {
        self.gone_channels.insert(channel);
    }

    pub fn interaction_in(&mut self, token: &str, channel: u64) {
        self.token_channels.insert(token.to_owned(), channel);
    }

    /// The user's DM channel, the same one every time.
    pub fn dm_channel(&mut self, user: u64, new_id: impl FnOnce() -> u64) -> u64 {
        *self.dm_channels.entry(user).or_insert_with(new_id)
    }

    pub fn dm_channel_of(&self, user: u64) -> Option<u64> {
        self.dm_channels.get(&user).copied()
    }

    /// Why Discord would refuse a post in `channel`, if it would.
    pub fn refuse_post(&self, channel: u64) -> Option<Refusal> {
        if self.gone_channels.contains(&channel) {
            return Some(refusal(404, 10003, "Unknown Channel"));
        }
        let recipient = self
            .dm_channels
            .iter()
            .find_map(|(user, c)| (*c == channel).then_some(*user));
        if recipient.is_some_and(|user| self.closed_dms.contains(&user)) {
            return Some(refusal(403, 50007, "Cannot send messages to this user"));
        }
        None
    }

    /// Why Discord would refuse an edit of `message` in `channel`, if it would.
    pub fn refuse_edit(&self, channel: u64, message: u64) -> Option<Refusal> {
        if self.gone_channels.contains(&channel) {
            return Some(refusal(404, 10003, "Unknown Channel"));
        }
        let known = self
            .messages
            .iter()
            .any(|m| m.id == message && m.channel == channel && !m.deleted);
        (!known).then(|| refusal(404, 10008, "Unknown Message"))
    }

    pub fn post(&mut self, id: u64, channel: u64, body: &Value, token: Option<&str>) -> Value {
        let channel = token
            .and_then(|t| self.token_channels.get(t).copied())
            .unwrap_or(channel);
        self.messages.push(Message {
            id,
            channel,
            body: body.clone(),
            edits: 0,
            deleted: false,
            token: token.map(str::to_owned),
        });
        payloads::message(&id.to_string(), channel, body)
    }

    /// Applies an edit to a message found by id; `None` if there is no such message.
    pub fn edit(&mut self, message: u64, body: &Value) -> Option<Value> {
        let stored = self.messages.iter_mut().find(|m| m.id == message)?;
        merge(&mut stored.body, body);
        stored.edits += 1;
        Some(payloads::message(
            &stored.id.to_string(),
            stored.channel,
            &stored.body,
        ))
    }

    /// The first message an interaction's token answered with (its `@original`).
    pub fn original_of(&self, token: &str) -> Option<u64> {
        self.messages
            .iter()
            .find(|m| m.token.as_deref() == Some(token))
            .map(|m| m.id)
    }

    pub fn delete(&mut self, message: u64) -> bool {
        match self.messages.iter_mut().find(|m| m.id == message) {
            Some(m) => {
                m.deleted = true;
                true
            }
            None => false,
        }
    }

    pub fn message(&self, id: u64) -> Option<Message> {
        self.messages.iter().find(|m| m.id == id).cloned()
    }

    pub fn messages(&self) -> Vec<Message> {
        self.messages.clone()
    }

    /// GUILD_CREATE for one server, with every channel, role and member.
    pub fn guild_create(&self, guild: &Guild) -> Value {
        let mut roles = vec![payloads::role_object(
            guild.id,
            "@everyone",
            MEMBER_PERMISSIONS,
        )];
        roles.extend(
            guild
                .roles
                .iter()
                .map(|r| payloads::role_object(r.id, r.name, r.permissions)),
        );
        let mut members: Vec<Value> = guild.members.iter().map(payloads::member).collect();
        let mut bot = payloads::member_fields(MEMBER_PERMISSIONS, None, &[]);
        bot["user"] = payloads::bot_user();
        members.push(bot);
        let channels: Vec<Value> = guild
            .channels
            .iter()
            .map(|(id, name)| {
                let mut channel = payloads::text_channel(guild.id, *id, name);
                if *id == READ_ONLY_ID {
                    // Send Messages (1 << 11) denied to @everyone.
                    channel["permission_overwrites"] = json!([
                        {"id": guild.id.to_string(), "type": 0, "allow": "0", "deny": (1u64 << 11).to_string()}
                    ]);
                }
                channel
            })
            .collect();
        json!({
            "id": guild.id.to_string(),
            "name": guild.name,
            "icon": null,
            "icon_hash": null,
            "splash": null,
            "discovery_splash": null,
            "owner_id": guild.owner.to_string(),
            "afk_channel_id": null,
            "afk_timeout": 300,
            "widget_enabled": false,
            "widget_channel_id": null,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": roles,
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
            "member_count": members.len(),
            "voice_states": [],
            "members": members,
            "channels": channels,
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "incidents_data": null,
        })
    }
}

/// Discord's edit semantics: fields sent replace the stored ones, fields left out stay.
fn merge(stored: &mut Value, edit: &Value) {
    if let (Some(stored), Some(edit)) = (stored.as_object_mut(), edit.as_object()) {
        for (key, value) in edit {
            stored.insert(key.clone(), value.clone());
        }
    }
}
