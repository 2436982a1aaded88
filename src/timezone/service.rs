//! Each member's zone, and the zone their days are counted in.

use chrono_tz::Tz;

use crate::error::Result;
use crate::member::Member;
use crate::settings::SettingsService;
use crate::store::{member_settings, Store};

/// Where a member's zone comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    Member,
    Server,
    Default,
}

#[derive(Debug, Clone)]
pub struct TimezoneService {
    store: Store,
    settings: SettingsService,
}

impl TimezoneService {
    pub fn new(store: Store, settings: SettingsService) -> Self {
        Self { store, settings }
    }

    /// The zone the member's days are counted in, and where it comes from.
    pub async fn zone_of(&self, member: Member) -> Result<(Tz, ZoneSource)> {
        let mut conn = self.store.conn().await?;
        let own = member_settings::timezone(&mut conn, member)
            .await?
            .and_then(|name| super::parse(&name));
        drop(conn);
        if let Some(zone) = own {
            return Ok((zone, ZoneSource::Member));
        }
        let server = self.settings.get(member.guild).await?.timezone;
        Ok(match server {
            Some(zone) => (zone, ZoneSource::Server),
            None => (super::resolve(None, None), ZoneSource::Default),
        })
    }

    /// Sets (or with `None`, forgets) the member's own zone.
    pub async fn set(&self, member: Member, zone: Option<Tz>) -> Result<()> {
        let mut conn = self.store.conn().await?;
        member_settings::set_timezone(&mut conn, member, zone.map(|z| z.name())).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Pool;

    #[sqlx::test]
    async fn a_member_zone_wins_over_the_server_zone_which_wins_over_utc(pool: Pool) {
        let store = Store::from(pool);
        let svc = TimezoneService::new(store.clone(), SettingsService::new(store.clone()));
        let ada = Member::new(1, 2);
        assert_eq!(
            svc.zone_of(ada).await.unwrap(),
            (Tz::UTC, ZoneSource::Default)
        );
        let mut conn = store.conn().await.unwrap();
        let row = crate::store::guild_settings::GuildSettingsRow {
            timezone: Some("Asia/Tokyo".into()),
            ..Default::default()
        };
        let at = chrono::DateTime::UNIX_EPOCH;
        crate::store::guild_settings::put(&mut conn, ada.guild, &row, at)
            .await
            .unwrap();
        drop(conn);
        assert_eq!(
            svc.zone_of(ada).await.unwrap(),
            (Tz::Asia__Tokyo, ZoneSource::Server)
        );
        svc.set(ada, Some(Tz::Europe__Berlin)).await.unwrap();
        assert_eq!(
            svc.zone_of(ada).await.unwrap(),
            (Tz::Europe__Berlin, ZoneSource::Member)
        );
        svc.set(ada, None).await.unwrap();
        assert_eq!(svc.zone_of(ada).await.unwrap().1, ZoneSource::Server);
    }
}
