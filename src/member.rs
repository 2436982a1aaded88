//! Who is asking, in Discord-free terms.
//!
//! A member is a user *in a server*: the same person studies separately in every server that
//! runs Waypoint. The [`Caller`] is what the Discord adapter hands to services for every
//! interaction: who, where, under which name, and with which permissions and roles, so
//! moderator checks are made on the bot's side from what Discord sent.

use std::fmt;

use crate::error::{Error, Result};

/// A Discord server (guild) id. Discord ids are never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GuildId(pub u64);

/// A Discord user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub u64);

/// A role in a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleId(pub u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Member {
    pub guild: GuildId,
    pub user: UserId,
}

impl Member {
    pub fn new(guild: u64, user: u64) -> Self {
        Self {
            guild: GuildId(guild),
            user: UserId(user),
        }
    }
}

impl fmt::Display for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user {} in guild {}", self.user.0, self.guild.0)
    }
}

pub const SERVER_ONLY: &str =
    "Waypoint keeps progress per server: use this inside a server, not in DMs.";

/// The permissions Discord computed for the caller in the channel of the interaction (the
/// bit set of Discord's permission flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions(pub u64);

impl Permissions {
    pub const ADMINISTRATOR: Permissions = Permissions(1 << 3);
    pub const MANAGE_GUILD: Permissions = Permissions(1 << 5);
    pub const MANAGE_MESSAGES: Permissions = Permissions(1 << 13);

    /// Whether every flag of `wanted` is held; Administrator holds them all, as in Discord.
    pub fn contains(self, wanted: Permissions) -> bool {
        self.0 & Self::ADMINISTRATOR.0 != 0 || self.0 & wanted.0 == wanted.0
    }
}

/// The member (or DM user) behind one interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    /// `None` in DMs.
    pub guild: Option<GuildId>,
    /// The server nickname, else the global display name, else the username.
    pub display_name: String,
    /// Empty in DMs.
    pub permissions: Permissions,
    /// Empty in DMs.
    pub roles: Vec<RoleId>,
}

impl Caller {
    /// The caller as a member of the server; a user error in DMs.
    pub fn member(&self) -> Result<Member> {
        let guild = self.guild.ok_or_else(|| Error::user(SERVER_ONLY))?;
        Ok(Member {
            guild,
            user: self.user,
        })
    }

    pub fn has_permission(&self, wanted: Permissions) -> bool {
        self.guild.is_some() && self.permissions.contains(wanted)
    }

    pub fn has_role(&self, role: RoleId) -> bool {
        self.roles.contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(guild: Option<u64>, permissions: u64, roles: &[u64]) -> Caller {
        Caller {
            user: UserId(7),
            guild: guild.map(GuildId),
            display_name: "Ada".into(),
            permissions: Permissions(permissions),
            roles: roles.iter().copied().map(RoleId).collect(),
        }
    }

    #[test]
    fn a_caller_is_a_member_only_in_a_server() {
        assert_eq!(caller(Some(3), 0, &[]).member().unwrap(), Member::new(3, 7));
        let Err(Error::User(text)) = caller(None, 0, &[]).member() else {
            panic!("a DM caller is not a member");
        };
        assert_eq!(text, SERVER_ONLY);
    }

    #[test]
    fn permissions_and_roles_as_discord_sent_them() {
        let manager = caller(Some(3), Permissions::MANAGE_GUILD.0 | 1 << 10, &[]);
        assert!(manager.has_permission(Permissions::MANAGE_GUILD));
        assert!(!manager.has_permission(Permissions::MANAGE_MESSAGES));
        let admin = caller(Some(3), Permissions::ADMINISTRATOR.0, &[]);
        assert!(admin.has_permission(Permissions::MANAGE_GUILD));
        let member = caller(Some(3), 1 << 10, &[42]);
        assert!(!member.has_permission(Permissions::MANAGE_GUILD));
        assert!(member.has_role(RoleId(42)) && !member.has_role(RoleId(43)));
        // Permissions mean nothing outside a server.
        assert!(!caller(None, Permissions::ADMINISTRATOR.0, &[])
            .has_permission(Permissions::MANAGE_GUILD));
    }
}
