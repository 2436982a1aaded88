//! Who a piece of progress belongs to: a member is a user *in a server*, so the same person
//! studies separately in every server that runs Waypoint.

use std::fmt;

/// A Discord server (guild) id. Discord ids are never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GuildId(pub u64);

/// A Discord user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub u64);

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
