//! The `roadmap_topic` table: the topics of the roadmap this process serves, in order. It is
//! rewritten at start-up, and the `current_topic_progress` view joins it, so rows of topics that
//! left the roadmap are ignored by every query that counts progress.

use sqlx::Row;

use super::Conn;

/// Replaces the stored topic list with `topics` (slug, phase slug), in roadmap order. Run it in
/// a transaction so no reader sees the list half-written.
pub async fn sync(conn: &mut Conn, topics: &[(&str, &str)]) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM roadmap_topic")
        .execute(&mut *conn)
        .await?;
    for (position, (slug, phase)) in topics.iter().enumerate() {
        sqlx::query("INSERT INTO roadmap_topic (slug, phase_slug, position) VALUES (?, ?, ?)")
            .bind(slug)
            .bind(phase)
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The stored topic slugs in roadmap order.
pub async fn all(conn: &mut Conn) -> anyhow::Result<Vec<String>> {
    let rows = sqlx::query("SELECT slug FROM roadmap_topic ORDER BY position")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|row| Ok(row.try_get("slug")?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};

    #[sqlx::test]
    async fn sync_replaces_the_list_in_order(pool: Pool) {
        let store = Store::from(pool);
        let mut conn = store.conn().await.unwrap();
        sync(&mut conn, &[("b", "p1"), ("a", "p1"), ("c", "p2")])
            .await
            .unwrap();
        assert_eq!(all(&mut conn).await.unwrap(), ["b", "a", "c"]);
        sync(&mut conn, &[("c", "p2"), ("d", "p2")]).await.unwrap();
        assert_eq!(all(&mut conn).await.unwrap(), ["c", "d"]);
    }
}
