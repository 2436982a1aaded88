//! The `handled_interaction` table: interaction ids already handled, so a repeat delivery of
//! the same interaction is dropped before it reaches any service.

use chrono::{DateTime, Utc};

use super::{format_instant, id_to_sql, Conn};

/// Records `interaction_id` as handled at `now`; `false` when it already was (a repeat).
pub async fn claim(
    conn: &mut Conn,
    interaction_id: u64,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let result = sqlx::query(
        "INSERT INTO handled_interaction (interaction_id, handled_at) VALUES (?, ?)
         ON CONFLICT (interaction_id) DO NOTHING",
    )
    .bind(id_to_sql(interaction_id))
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Forgets interactions handled before `before`; returns how many were forgotten.
pub async fn prune(conn: &mut Conn, before: DateTime<Utc>) -> anyhow::Result<u64> {
    let result = sqlx::query("DELETE FROM handled_interaction WHERE handled_at < ?")
        .bind(format_instant(before))
        .execute(&mut *conn)
        .await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};
    use chrono::TimeZone;

    #[sqlx::test]
    async fn the_first_claim_wins_and_pruning_forgets_old_ones(pool: Pool) {
        let store = Store::from(pool);
        let mut conn = store.conn().await.unwrap();
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 26, h, 0, 0).unwrap();
        assert!(claim(&mut conn, 42, t(1)).await.unwrap());
        assert!(!claim(&mut conn, 42, t(2)).await.unwrap());
        assert!(claim(&mut conn, 9_000_000_000_000_000_000, t(3))
            .await
            .unwrap());
        assert_eq!(prune(&mut conn, t(2)).await.unwrap(), 1);
        // Forgotten, so it would count as new again (long after Discord stops retrying).
        assert!(claim(&mut conn, 42, t(4)).await.unwrap());
        assert_eq!(prune(&mut conn, t(1)).await.unwrap(), 0);
    }
}
