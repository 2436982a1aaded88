//! Each member's zone, and the zone their days are counted in.

use chrono_tz::Tz;

use crate::error::Result;
use crate::member::Member;
use crate::store::{member_settings, Store};

/// Where a member's zone comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneSource {
    Member,
    Server,
    Default,
}

/// The zone a member's days are counted in, from what the store knows about them: theirs,
/// else the server's, else UTC.
pub fn zone_from(context: &member_settings::MemberContext) -> (Tz, ZoneSource) {
    match (context.member_zone(), context.server_zone()) {
        (Some(zone), _) => (zone, ZoneSource::Member),
        (None, Some(zone)) => (zone, ZoneSource::Server),
        (None, None) => (super::resolve(None, None), ZoneSource::Default),
    }
}

#[derive(Debug, Clone)]
pub struct TimezoneService {
    store: Store,
}

impl TimezoneService {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// The zone the member's days are counted in, and where it comes from.
    pub async fn zone_of(&self, member: Member) -> Result<(Tz, ZoneSource)> {
        let mut conn = self.store.conn().await?;
        let context = member_settings::context(&mut conn, member).await?;
        Ok(zone_from(&context))
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
        let svc = TimezoneService::new(store.clone());
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
