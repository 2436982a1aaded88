//! A server's settings, who its moderators are, and the record of what moderators changed.
//!
//! The moderator rule (every moderator command and button checks it on the bot's side, from the
//! permissions and roles Discord sent with the interaction): a member with Manage Server (or
//! Administrator), or with the moderator role the server configured.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::member::{Caller, GuildId, Permissions, RoleId};
use crate::store::audit_log::{self, AuditEntry};
use crate::store::guild_settings::{self, GuildSettingsRow};
use crate::store::Store;

pub const DEFAULT_CHECKIN_MINUTES: u16 = 30;
pub const CHECKIN_MINUTES_MAX: u16 = 720;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuildSettings {
    /// The server's zone, if a moderator chose one.
    pub timezone: Option<Tz>,
    pub moderator_role: Option<RoleId>,
    pub checkin_minutes: u16,
}

impl Default for GuildSettings {
    fn default() -> Self {
        Self {
            timezone: None,
            moderator_role: None,
            checkin_minutes: DEFAULT_CHECKIN_MINUTES,
        }
    }
}

impl GuildSettings {
    /// The zone of the server's weeks and months, and of members who chose none.
    pub fn zone(&self) -> Tz {
        self.timezone.unwrap_or(Tz::UTC)
    }

    fn from_row(row: GuildSettingsRow) -> Self {
        let timezone = row.timezone.as_deref().and_then(|name| {
            let zone = crate::timezone::parse(name);
            if zone.is_none() {
                tracing::warn!(
                    zone = name,
                    "a stored server zone is no longer known; using UTC"
                );
            }
            zone
        });
        Self {
            timezone,
            moderator_role: row.moderator_role,
            checkin_minutes: row.checkin_minutes.unwrap_or(DEFAULT_CHECKIN_MINUTES),
        }
    }

    fn to_row(&self) -> GuildSettingsRow {
        GuildSettingsRow {
            timezone: self.timezone.map(|tz| tz.name().to_owned()),
            moderator_role: self.moderator_role,
            checkin_minutes: (self.checkin_minutes != DEFAULT_CHECKIN_MINUTES)
                .then_some(self.checkin_minutes),
        }
    }
}

/// The moderator rule.
pub fn is_moderator(caller: &Caller, settings: &GuildSettings) -> bool {
    caller.has_permission(Permissions::MANAGE_GUILD)
        || settings
            .moderator_role
            .is_some_and(|role| caller.guild.is_some() && caller.has_role(role))
}

/// What a moderator asked to change; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub timezone: Option<Tz>,
    /// `Some(None)` removes the moderator role.
    pub moderator_role: Option<Option<RoleId>>,
    /// As typed, so the range is checked here.
    pub checkin_minutes: Option<i64>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone)]
pub struct SettingsService {
    store: Store,
}

impl SettingsService {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    pub async fn get(&self, guild: GuildId) -> Result<GuildSettings> {
        let mut conn = self.store.conn().await?;
        let row = guild_settings::get(&mut conn, guild).await?;
        Ok(GuildSettings::from_row(row))
    }

    /// The server's settings, if the caller is one of its moderators; otherwise a user error
    /// that says who is.
    pub async fn require_moderator(&self, caller: &Caller) -> Result<GuildSettings> {
        let member = caller.member()?;
        let settings = self.get(member.guild).await?;
        if is_moderator(caller, &settings) {
            return Ok(settings);
        }
        Err(Error::user(match settings.moderator_role {
            Some(role) => format!(
                "Only moderators can do this: members with the Manage Server permission or the <@&{}> role.",
                role.0
            ),
            None => "Only moderators can do this: members with the Manage Server permission.".to_owned(),
        }))
    }

    /// Applies a moderator's change and records each changed setting in the audit log, all in
    /// one transaction. Returns the new settings and what changed, in words.
    pub async fn update(
        &self,
        caller: &Caller,
        change: Change,
        now: DateTime<Utc>,
    ) -> Result<(GuildSettings, Vec<String>)> {
        if change.is_empty() {
            return Err(Error::user(
                "Name at least one setting to change (timezone, moderator role, check-in minutes).",
            ));
        }
        if let Some(minutes) = change.checkin_minutes {
            if !(1..=i64::from(CHECKIN_MINUTES_MAX)).contains(&minutes) {
                return Err(Error::user(format!(
                    "Check-in minutes must be between 1 and {CHECKIN_MINUTES_MAX}; nothing was changed."
                )));
            }
        }
        self.require_moderator(caller).await?;
        let guild = caller.member()?.guild;
        let mut tx = self.store.begin().await?;
        // Read inside the transaction, so two moderators changing settings at once cannot
        // undo each other's change.
        let old = GuildSettings::from_row(guild_settings::get(&mut tx, guild).await?);
        let mut new = old.clone();
        let mut changed = Vec::new();
        if let Some(zone) = change.timezone {
            new.timezone = Some(zone);
            changed.push((
                "settings.timezone",
                format!(
                    "server timezone: {} → {}",
                    old.timezone.map_or("UTC (default)", |z| z.name()),
                    zone.name()
                ),
            ));
        }
        if let Some(role) = change.moderator_role {
            new.moderator_role = role;
            let show = |r: Option<RoleId>| r.map_or("none".to_owned(), |r| format!("<@&{}>", r.0));
            changed.push((
                "settings.moderator_role",
                format!(
                    "moderator role: {} → {}",
                    show(old.moderator_role),
                    show(role)
                ),
            ));
        }
        if let Some(minutes) = change.checkin_minutes {
            new.checkin_minutes = minutes as u16;
            changed.push((
                "settings.checkin_minutes",
                format!(
                    "check-in minutes: {} → {}",
                    old.checkin_minutes, new.checkin_minutes
                ),
            ));
        }
        guild_settings::put(&mut tx, guild, &new.to_row(), now).await?;
        for (action, detail) in &changed {
            let entry = AuditEntry {
                actor: caller.user,
                action: (*action).to_owned(),
                detail: detail.clone(),
                at: now,
            };
            audit_log::record(&mut tx, guild, &entry).await?;
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok((new, changed.into_iter().map(|(_, detail)| detail).collect()))
    }

    /// The latest settings changes, newest first.
    pub async fn history(&self, guild: GuildId, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut conn = self.store.conn().await?;
        Ok(audit_log::recent(&mut conn, guild, "settings.", limit).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::UserId;
    use crate::store::Pool;
    use chrono::TimeZone;

    fn caller(permissions: u64, roles: &[u64]) -> Caller {
        Caller {
            user: UserId(7),
            guild: Some(GuildId(1)),
            display_name: "Mo".into(),
            permissions: Permissions(permissions),
            roles: roles.iter().copied().map(RoleId).collect(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[test]
    fn moderators_have_manage_server_administrator_or_the_configured_role() {
        let plain = GuildSettings::default();
        let with_role = GuildSettings {
            moderator_role: Some(RoleId(42)),
            ..GuildSettings::default()
        };
        assert!(is_moderator(
            &caller(Permissions::MANAGE_GUILD.0, &[]),
            &plain
        ));
        assert!(is_moderator(
            &caller(Permissions::ADMINISTRATOR.0, &[]),
            &plain
        ));
        assert!(
            !is_moderator(&caller(0, &[42]), &plain),
            "no role configured"
        );
        assert!(is_moderator(&caller(0, &[42]), &with_role));
        assert!(!is_moderator(&caller(0, &[43]), &with_role));
        let mut in_dm = caller(Permissions::ADMINISTRATOR.0, &[42]);
        in_dm.guild = None;
        assert!(!is_moderator(&in_dm, &with_role), "nobody moderates a DM");
    }

    #[sqlx::test]
    async fn a_moderator_changes_settings_and_each_change_is_audited(pool: Pool) {
        let svc = SettingsService::new(Store::from(pool));
        let mona = caller(Permissions::MANAGE_GUILD.0, &[]);
        assert_eq!(svc.get(GuildId(1)).await.unwrap(), GuildSettings::default());
        let (settings, changed) = svc
            .update(
                &mona,
                Change {
                    timezone: Some(Tz::Europe__Berlin),
                    moderator_role: Some(Some(RoleId(42))),
                    checkin_minutes: Some(45),
                },
                now(),
            )
            .await
            .unwrap();
        assert_eq!(settings.zone(), Tz::Europe__Berlin);
        assert_eq!(changed.len(), 3);
        assert_eq!(svc.get(GuildId(1)).await.unwrap(), settings);
        let history = svc.history(GuildId(1), 10).await.unwrap();
        assert_eq!(history.len(), 3);
        assert!(history
            .iter()
            .all(|e| e.actor == UserId(7) && e.at == now()));
        assert!(history
            .iter()
            .any(|e| e.detail == "server timezone: UTC (default) → Europe/Berlin"));

        // Now a member with the role is a moderator too, and can clear it.
        let ruth = caller(0, &[42]);
        let (settings, _) = svc
            .update(
                &ruth,
                Change {
                    moderator_role: Some(None),
                    ..Change::default()
                },
                now(),
            )
            .await
            .unwrap();
        assert_eq!(settings.moderator_role, None);
        assert_eq!(settings.checkin_minutes, 45, "untouched settings stay");
    }

    #[sqlx::test]
    async fn non_moderators_and_bad_values_change_nothing(pool: Pool) {
        let svc = SettingsService::new(Store::from(pool));
        let member = caller(0, &[]);
        let change = Change {
            checkin_minutes: Some(60),
            ..Change::default()
        };
        let err = svc.update(&member, change, now()).await.unwrap_err();
        let Error::User(text) = err else {
            panic!("a user error")
        };
        assert!(text.contains("Only moderators"), "{text}");
        let mona = caller(Permissions::MANAGE_GUILD.0, &[]);
        for minutes in [0, 721, -5] {
            let change = Change {
                checkin_minutes: Some(minutes),
                ..Change::default()
            };
            assert!(matches!(
                svc.update(&mona, change, now()).await,
                Err(Error::User(_))
            ));
        }
        assert!(matches!(
            svc.update(&mona, Change::default(), now()).await,
            Err(Error::User(_))
        ));
        assert_eq!(svc.get(GuildId(1)).await.unwrap(), GuildSettings::default());
        assert!(svc.history(GuildId(1), 10).await.unwrap().is_empty());
    }
}
