//! All SQL lives below this module: one submodule per table, each turning rows into typed domain
//! values. Opening the database also applies the migrations in `migrations/`.

pub mod topic_progress;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::config::DatabaseSettings;

pub type Db = SqlitePool;

/// Opens (creating on first run) the SQLite file and its folder, then migrates it.
pub async fn open(settings: &DatabaseSettings) -> anyhow::Result<Db> {
    let path = &settings.path;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_millis(settings.busy_timeout_ms));
    let pool = SqlitePoolOptions::new()
        .max_connections(settings.max_connections)
        .connect_with(options)
        .await
        .with_context(|| format!("opening the database {}", path.display()))?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &Db) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations")
        .run(pool)
        .await
        .context("applying database migrations")
}

/// Discord ids are u64 below 2^63, so they fit SQLite's signed 64-bit integers unchanged.
pub(crate) fn id_to_sql(id: u64) -> i64 {
    id as i64
}

/// Parses a stored RFC 3339 instant.
pub(crate) fn parse_instant(text: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::<chrono::FixedOffset>::from_str(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .with_context(|| format!("stored instant {text:?} is not RFC 3339"))
}

pub(crate) fn format_instant(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn open_creates_folder_and_file_and_enables_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let settings = DatabaseSettings {
            path: dir.path().join("nested/deeper/waypoint.db"),
            ..DatabaseSettings::default()
        };
        let pool = open(&settings).await.unwrap();
        assert!(settings.path.is_file());
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        pool.close().await;
        // Opening again re-runs migrations as a no-op.
        open(&settings).await.unwrap().close().await;
    }

    #[test]
    fn instants_round_trip() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-03-29T01:30:00.250Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(parse_instant(&format_instant(t)).unwrap(), t);
        assert!(parse_instant("yesterday").is_err());
    }
}
