//! The real bot (`waypoint::app::run`, the same path as production) against a fake Discord, with
//! its own SQLite file, plus helpers to send interactions and read what the bot answered.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use waypoint::clock::ManualClock;

use super::fake::{FakeDiscord, GUILD_ID, TOKEN};
use super::payloads::{button, Actor, Interaction};
pub use super::reply::{Reply, AUTOCOMPLETE, FORM, MESSAGE, UPDATE_MESSAGE};

/// A running bot, stopped through the same shutdown path as SIGTERM.
struct RunningBot {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

pub struct Harness {
    pub fake: FakeDiscord,
    pub dir: tempfile::TempDir,
    bot: Option<RunningBot>,
    registrations: usize,
    /// Changes to the environment the bot starts with: `None` removes a variable.
    pub env_changes: HashMap<String, Option<String>>,
    /// The bot's clock: set or advance it while the bot runs.
    pub clock: Arc<ManualClock>,
}

/// Where the harness clock starts: a fixed instant, so tests never depend on the real date.
pub fn test_epoch() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
        .expect("a valid instant")
        .with_timezone(&chrono::Utc)
}

fn init_logging() {
    // RUST_LOG=waypoint=debug,serenity=debug shows what the bot did in a failing test.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
}

impl Harness {
    /// A fake Discord and a bot connected to it with a fresh database; returns once the bot has
    /// registered its commands.
    pub async fn start() -> Self {
        let mut harness = Self::new().await;
        harness.start_bot().await;
        harness
    }

    /// A fake Discord and a fresh folder, without a bot yet: set the fake up (say, inject
    /// failures), then call [`Harness::start_bot`].
    pub async fn new() -> Self {
        init_logging();
        Self {
            fake: FakeDiscord::start().await,
            dir: tempfile::tempdir().expect("temp dir"),
            bot: None,
            registrations: 0,
            env_changes: HashMap::new(),
            clock: Arc::new(ManualClock::new(test_epoch())),
        }
    }

    /// The environment the bot is started with, as an operator would set it.
    pub fn env(&self) -> HashMap<String, String> {
        let config_file = self.dir.path().join("waypoint.toml");
        if !config_file.exists() {
            std::fs::write(&config_file, "# tests configure through the environment\n")
                .expect("write config");
        }
        let roadmap = super::shipped_roadmap_path();
        [
            ("DISCORD_TOKEN", TOKEN.to_owned()),
            ("WAYPOINT_CONFIG", config_file.display().to_string()),
            ("WAYPOINT_DISCORD_API_URL", self.fake.api_url()),
            ("WAYPOINT_DB_PATH", self.db_path().display().to_string()),
            ("WAYPOINT_GUILD_ID", GUILD_ID.to_string()),
            ("WAYPOINT_ROADMAP_PATH", roadmap.display().to_string()),
            // The dispatcher looks for due reminders often, so tests that move the clock
            // don't wait long.
            ("WAYPOINT_REMINDERS__TICK_MS", "200".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Some(v)))
        .chain(self.env_changes.clone())
        .collect::<HashMap<_, _>>()
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect()
    }

    /// Starts the bot with this roadmap file text instead of the shipped one.
    pub fn use_roadmap(&mut self, text: &str) {
        let path = self.dir.path().join("roadmap.toml");
        std::fs::write(&path, text).expect("write the roadmap");
        self.env_changes.insert(
            "WAYPOINT_ROADMAP_PATH".into(),
            Some(path.display().to_string()),
        );
    }

    /// The bot's database file; the folder does not exist until the bot creates it.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("data/waypoint.db")
    }

    /// Starts the bot and waits until it has tried to register its commands.
    pub async fn start_bot(&mut self) {
        self.spawn_bot();
        self.registrations += 1;
        self.fake
            .wait_for_nth_call("command registration", self.registrations, |c| {
                c.method == "PUT" && c.path.ends_with("/commands")
            })
            .await;
    }

    /// Starts the bot without waiting for anything.
    pub fn spawn_bot(&mut self) {
        assert!(self.bot.is_none(), "the bot is already running");
        let config = waypoint::config::Config::load(&self.env())
            .unwrap_or_else(|invalid| panic!("test config invalid: {:?}", invalid.problems));
        let roadmap = waypoint::roadmap::Roadmap::load(&config.settings.roadmap.path)
            .unwrap_or_else(|problems| panic!("roadmap invalid: {problems:?}"));
        let (shutdown, stop) = oneshot::channel::<()>();
        let clock: waypoint::clock::SharedClock = self.clock.clone();
        let task = tokio::spawn(waypoint::app::run(config, roadmap, clock, async move {
            let _ = stop.await;
        }));
        self.bot = Some(RunningBot { shutdown, task });
    }

    /// Stops the bot as SIGTERM would and checks it shut down cleanly and quickly, having made
    /// no call the fake does not know.
    pub async fn stop_bot(&mut self) {
        let bot = self.bot.take().expect("the bot is not running");
        let _ = bot.shutdown.send(());
        let result = tokio::time::timeout(Duration::from_secs(10), bot.task)
            .await
            .expect("the bot did not shut down within 10 s")
            .expect("the bot task panicked");
        result.expect("the bot stopped with an error");
        let refused = self.fake.refused_calls();
        assert!(
            refused.is_empty(),
            "Discord would have refused these calls: {refused:#?}"
        );
    }

    /// Waits for the bot to stop by itself (without being asked) and returns how it ended.
    pub async fn bot_exit(&mut self) -> anyhow::Result<()> {
        let bot = self.bot.take().expect("the bot is not running");
        tokio::time::timeout(Duration::from_secs(10), bot.task)
            .await
            .expect("the bot did not stop by itself within 10 s")
            .expect("the bot task panicked")
    }

    /// Stops the bot and starts a new one on the same database.
    pub async fn restart(&mut self) {
        self.stop_bot().await;
        self.start_bot().await;
    }

    /// A separate connection to the bot's database, for assertions.
    pub async fn db(&self) -> SqlitePool {
        let options = SqliteConnectOptions::new()
            .filename(self.db_path())
            .read_only(true);
        SqlitePool::connect_with(options)
            .await
            .expect("open the bot's database")
    }

    /// How many rows `table` of the bot's database holds.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.db().await)
            .await
            .expect("count rows")
    }

    /// A writable connection, for tests that break the database on purpose.
    pub async fn db_writable(&self) -> SqlitePool {
        let options = SqliteConnectOptions::new().filename(self.db_path());
        SqlitePool::connect_with(options)
            .await
            .expect("open the bot's database")
    }

    /// `actor` clicks the button labelled `label` on the message `reply` created.
    pub async fn click(&self, reply: &Reply, label: &str, actor: Actor) -> Reply {
        let component = reply.component(label);
        let custom_id = component["custom_id"]
            .as_str()
            .expect("a button with a custom id");
        self.send(button(custom_id, reply.as_message()).by(actor))
            .await
    }

    /// `actor` fills in the form `reply` opened with `fields` (input custom id, text) and submits it.
    pub async fn submit_form(&self, reply: &Reply, fields: &[(&str, &str)], actor: Actor) -> Reply {
        self.send(super::payloads::modal_submit(&reply.form_id(), fields, None).by(actor))
            .await
    }

    /// The same, for a form opened in a DM.
    pub async fn submit_form_in_dm(
        &self,
        reply: &Reply,
        fields: &[(&str, &str)],
        actor: Actor,
    ) -> Reply {
        self.send(
            super::payloads::modal_submit(&reply.form_id(), fields, None)
                .by(actor)
                .in_dm(),
        )
        .await
    }

    /// Sends an interaction over the gateway and returns the bot's answer to it.
    pub async fn send(&self, interaction: impl Into<Interaction>) -> Reply {
        self.fake.interact(interaction).await
    }
}
