//! A member's own data: everything stored about them in a server, exported as JSON or deleted
//! (Discord's developer policy asks bots to honour deletion requests).

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::error::Result;
use crate::member::{Member, UserId};
use crate::store::audit_log::{self, AuditEntry};
use crate::store::{member_data, Store};

#[derive(Debug, Clone)]
pub struct PrivacyService {
    store: Store,
}

impl PrivacyService {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Everything stored about the member in their server, as pretty JSON.
    pub async fn export(&self, member: Member, now: DateTime<Utc>) -> Result<Vec<u8>> {
        let mut conn = self.store.conn().await?;
        let tables = member_data::export(&mut conn, member).await?;
        let document = json!({
            "about": "Everything Waypoint stores about you in this server. Times are UTC (RFC 3339); ids are Discord ids.",
            "server_id": member.guild.0.to_string(),
            "user_id": member.user.0.to_string(),
            "exported_at": now.to_rfc3339(),
            "tables": tables,
        });
        Ok(serde_json::to_vec_pretty(&document).map_err(anyhow::Error::from)?)
    }

    /// How many rows of each kind would be deleted (kinds with none left out).
    pub async fn summary(&self, member: Member) -> Result<Vec<(&'static str, i64)>> {
        let mut conn = self.store.conn().await?;
        Ok(member_data::count(&mut conn, member)
            .await?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect())
    }

    /// Deletes everything stored about the member in their server, in one transaction; the
    /// audit record keeps only that a deletion happened (not who). Returns the rows deleted.
    pub async fn delete(&self, member: Member, now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.store.begin().await?;
        let deleted = member_data::delete(&mut tx, member).await?;
        let entry = AuditEntry {
            actor: UserId(0),
            action: "privacy.delete".into(),
            detail: "a member deleted their data".into(),
            at: now,
        };
        audit_log::record(&mut tx, member.guild, &entry).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(deleted.iter().map(|(_, n)| n).sum())
    }
}
