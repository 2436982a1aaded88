//! All SQL lives below this module: one submodule per table, each turning rows into typed domain
//! values. Opening the database also applies the migrations in `migrations/`.
//!
//! Services hold a [`Store`], never a pool. Table functions take a [`Conn`]: a pooled connection
//! (`store.conn()`) or a transaction (`store.begin()`), so one service call can make several
//! writes atomically. No SQLite type is named outside this module except through these aliases,
//! which are what a PostgreSQL backend will change.

pub mod audit_log;
pub mod board_histogram;
pub mod board_score;
pub mod challenge;
pub mod checkin;
pub mod guild_data;
pub mod guild_settings;
pub mod handled_interaction;
pub mod member_data;
pub mod member_settings;
pub mod reminder;
pub mod roadmap_topic;
pub mod streak;
pub mod study_day;
pub mod study_group;
pub mod topic_note;
pub mod topic_progress;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::config::DatabaseSettings;

/// What table functions run on: a connection, or a transaction (which derefs to one).
pub type Conn = sqlx::SqliteConnection;
/// A connection borrowed from the pool; returned when dropped.
pub type Pooled = sqlx::pool::PoolConnection<sqlx::Sqlite>;
/// A transaction: `commit()` it, or it rolls back when dropped.
pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;
/// The pool type, for `#[sqlx::test]` fixtures and nothing else.
pub type Pool = sqlx::SqlitePool;

/// About 80 MB of WAL before a write checkpoints by itself.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 20_000;

/// The handle services hold. Cloning it is cheap (the pool is shared).
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

impl From<Pool> for Store {
    fn from(pool: Pool) -> Self {
        Self { pool }
    }
}

impl Store {
    /// Opens (creating on first run) the SQLite file and its folder, then migrates it.
    pub async fn open(settings: &DatabaseSettings) -> anyhow::Result<Self> {
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
            .busy_timeout(Duration::from_millis(settings.busy_timeout_ms))
            // Checkpoints run in the background (see `Checkpoints`), not in whichever write
            // happens to fill the WAL; this larger limit only bounds the WAL if they stop.
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string());
        let pool = SqlitePoolOptions::new()
            .max_connections(settings.max_connections)
            .connect_with(options)
            .await
            .with_context(|| format!("opening the database {}", path.display()))?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .context("applying database migrations")
    }

    /// A connection for reads or single writes.
    pub async fn conn(&self) -> anyhow::Result<Pooled> {
        self.pool
            .acquire()
            .await
            .context("getting a database connection")
    }

    /// A transaction for several writes that must happen together. It takes the write lock at
    /// once (`BEGIN IMMEDIATE`), waiting up to the busy timeout for it: a transaction that read
    /// first and wrote later could otherwise fail with "database is locked" when another
    /// writer committed in between, which the busy timeout does not cover.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("starting a database transaction")
    }

    /// Waits for in-flight queries to return their connections, then checkpoints the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The pool itself, for tests that check the database directly.
    #[cfg(test)]
    pub(crate) fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// Copies what the WAL holds into the database file, without waiting for readers or
    /// blocking writers (a passive checkpoint).
    pub async fn checkpoint(&self) -> anyhow::Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&self.pool)
            .await
            .context("checkpointing the WAL")?;
        Ok(())
    }

    /// Whether the database answers a trivial query (for health checks).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Whether a failure came from the database (for the `database errors` metric).
pub fn is_database_error(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.is::<sqlx::Error>())
}

/// Copies the database at `settings.path` to `to` while the bot may be running (SQLite's
/// `VACUUM INTO`: one read transaction, so the copy is consistent and compact). `to` must not
/// exist yet.
pub async fn backup(settings: &DatabaseSettings, to: &std::path::Path) -> anyhow::Result<()> {
    use sqlx::ConnectOptions;
    let target = to
        .to_str()
        .context("the backup file's path must be valid UTF-8")?;
    let mut conn = SqliteConnectOptions::new()
        .filename(&settings.path)
        .read_only(true)
        .busy_timeout(Duration::from_millis(settings.busy_timeout_ms))
        .connect()
        .await
        .with_context(|| format!("opening the database {}", settings.path.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .with_context(|| format!("copying the database to {}", to.display()))?;
    Ok(())
}

/// The background task that checkpoints the WAL every few seconds, so no member's write pays
/// for a checkpoint.
pub struct Checkpoints {
    pub every: Duration,
}

impl Default for Checkpoints {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(2),
        }
    }
}

#[async_trait::async_trait]
impl crate::background::Task for Checkpoints {
    fn name(&self) -> &'static str {
        "checkpoints"
    }

    async fn run(
        self: Box<Self>,
        services: crate::background::Services,
        mut stop: crate::background::Stop,
    ) {
        while stop.sleep(self.every).await {
            if let Err(e) = services.store.checkpoint().await {
                tracing::warn!(error = %format!("{e:#}"), "checkpoint failed");
            }
        }
    }
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

/// Instants are stored as RFC 3339 text in UTC with a fixed width (milliseconds, `Z`), so text
/// order is time order and comparisons work the same in SQLite and PostgreSQL.
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
        let store = Store::open(&settings).await.unwrap();
        assert!(settings.path.is_file());
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        assert!(store.ping().await);
        let limit: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(limit, i64::from(WAL_AUTOCHECKPOINT_PAGES));
        store.checkpoint().await.unwrap();
        store.close().await;
        assert!(!store.ping().await, "a closed store does not answer");
        // Opening again re-runs migrations as a no-op.
        Store::open(&settings).await.unwrap().close().await;
    }

    #[sqlx::test]
    async fn a_transaction_that_is_not_committed_writes_nothing(pool: Pool) {
        let store = Store::from(pool);
        let member = crate::member::Member::new(1, 2);
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-29T01:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        {
            let mut tx = store.begin().await.unwrap();
            roadmap_topic::sync(&mut tx, &[("redis", "databases")])
                .await
                .unwrap();
            topic_progress::set(
                &mut tx,
                member,
                "redis",
                crate::progress::TopicStatus::Done,
                at,
            )
            .await
            .unwrap();
            // Dropped without commit: rolled back.
        }
        let mut conn = store.conn().await.unwrap();
        assert!(topic_progress::for_member(&mut conn, member)
            .await
            .unwrap()
            .is_empty());
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
