//! A server's life with the bot: when the bot is removed (not just a Discord outage), the
//! server's data is purged after a grace (`privacy.purge_after_days`, 30 by default) unless the
//! bot is added back; the owner can purge at once with `/server purge`.

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::member::{Caller, GuildId, UserId};
use crate::store::audit_log::{self, AuditEntry};
use crate::store::{guild_data, Store};

#[derive(Debug, Clone)]
pub struct ServerService {
    store: Store,
    grace: Duration,
}

impl ServerService {
    pub fn new(store: Store, grace: Duration) -> Self {
        Self { store, grace }
    }

    /// The bot was removed from the server: its data goes after the grace. Returns when.
    pub async fn left(&self, guild: GuildId, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let purge_at = now + self.grace;
        let mut conn = self.store.conn().await?;
        guild_data::departed(&mut conn, guild, now, purge_at).await?;
        Ok(purge_at)
    }

    /// The bot is in the server: a pending purge is cancelled. `true` if there was one.
    pub async fn present(&self, guild: GuildId) -> Result<bool> {
        let mut conn = self.store.conn().await?;
        Ok(guild_data::returned(&mut conn, guild).await?)
    }

    /// How many rows the server has (for the confirmation).
    pub async fn rows(&self, guild: GuildId) -> Result<i64> {
        let mut conn = self.store.conn().await?;
        Ok(guild_data::count(&mut conn, guild).await?)
    }

    /// Purges the server's data now, if the caller is its owner (`owner`, as Discord says).
    /// Only the fact remains in the audit record. Returns the rows deleted.
    pub async fn purge_now(
        &self,
        caller: &Caller,
        owner: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let guild = caller.member()?.guild;
        if owner != Some(caller.user) {
            return Err(Error::user(
                "Only the server's owner can purge its data. Nothing was deleted.",
            ));
        }
        let mut tx = self.store.begin().await?;
        let deleted = guild_data::purge(&mut tx, guild).await?;
        let entry = AuditEntry {
            actor: UserId(0),
            action: "server.purge".into(),
            detail: format!("the owner purged the server's data ({deleted} records)"),
            at: now,
        };
        audit_log::record(&mut tx, guild, &entry).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(deleted)
    }

    /// Purges every server whose grace has passed by `now`; returns how many.
    pub async fn purge_due(&self, now: DateTime<Utc>) -> Result<u32> {
        let due = {
            let mut conn = self.store.conn().await?;
            guild_data::due(&mut conn, now).await?
        };
        let mut purged = 0;
        for guild in due {
            let mut tx = self.store.begin().await?;
            // Taken inside the transaction: the bot may have been added back meanwhile.
            if !guild_data::take_due(&mut tx, guild, now).await? {
                continue;
            }
            let deleted = guild_data::purge(&mut tx, guild).await?;
            tx.commit().await.map_err(anyhow::Error::from)?;
            tracing::info!(
                guild = guild.0,
                deleted,
                "purged a server the bot was removed from"
            );
            purged += 1;
        }
        Ok(purged)
    }
}

#[async_trait::async_trait]
impl crate::reminder::dispatcher::Deadlines for ServerService {
    async fn close_due(
        &self,
        _outbox: &dyn crate::outbox::Outbox,
        now: DateTime<Utc>,
    ) -> anyhow::Result<u32> {
        self.purge_due(now).await.map_err(anyhow::Error::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::Permissions;
    use crate::store::Pool;
    use chrono::TimeZone;

    async fn rows(pool: &Pool, guild: i64) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM guild_settings WHERE guild_id = ?")
            .bind(guild)
            .fetch_one(pool)
            .await
            .unwrap()
    }

    #[sqlx::test]
    async fn a_departed_server_is_purged_after_the_grace_unless_it_returns(pool: Pool) {
        let store = Store::from(pool.clone());
        let svc = ServerService::new(store, Duration::days(30));
        for guild in [1, 2] {
            sqlx::query("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, '2026-01-01T00:00:00Z')")
                .bind(guild)
                .execute(&pool)
                .await
                .unwrap();
        }
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        svc.left(GuildId(1), now).await.unwrap();
        svc.left(GuildId(2), now).await.unwrap();
        assert!(svc.present(GuildId(2)).await.unwrap(), "server 2 came back");
        assert_eq!(svc.purge_due(now + Duration::days(29)).await.unwrap(), 0);
        assert_eq!(svc.purge_due(now + Duration::days(30)).await.unwrap(), 1);
        assert_eq!((rows(&pool, 1).await, rows(&pool, 2).await), (0, 1));
        assert_eq!(svc.purge_due(now + Duration::days(31)).await.unwrap(), 0);

        // Only the owner purges at once.
        let caller = |user| Caller {
            user: UserId(user),
            guild: Some(GuildId(2)),
            display_name: "x".into(),
            permissions: Permissions(Permissions::ADMINISTRATOR.0),
            roles: Vec::new(),
        };
        assert!(matches!(
            svc.purge_now(&caller(8), Some(UserId(9)), now).await,
            Err(Error::User(_))
        ));
        assert_eq!(rows(&pool, 2).await, 1);
        svc.purge_now(&caller(9), Some(UserId(9)), now)
            .await
            .unwrap();
        assert_eq!(rows(&pool, 2).await, 0);
    }
}
