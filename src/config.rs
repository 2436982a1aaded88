//! Configuration, read once at start-up into typed, validated structs.
//!
//! Layers, later ones winning: built-in defaults, the TOML file (`config/waypoint.toml` or the
//! path in `WAYPOINT_CONFIG`), then environment variables. The named variables below are the
//! documented interface; any other key can be set as `WAYPOINT_<SECTION>__<KEY>` (for example
//! `WAYPOINT_DATABASE__BUSY_TIMEOUT_MS=2000`). The bot token is read from `DISCORD_TOKEN` only and
//! is kept out of the figment so that it can never appear in a configuration error.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Where REST calls go when nothing else is configured.
pub const DISCORD_API_URL: &str = "https://discord.com";
pub const DEFAULT_CONFIG_PATH: &str = "config/waypoint.toml";

/// Environment variables with a fixed name, and the key each one sets.
const NAMED_ENV: &[(&str, &str)] = &[
    ("WAYPOINT_DB_PATH", "database.path"),
    ("WAYPOINT_DISCORD_API_URL", "discord.api_url"),
    ("WAYPOINT_GUILD_ID", "discord.guild_id"),
    ("WAYPOINT_ROADMAP_PATH", "roadmap.path"),
    ("WAYPOINT_HTTP_ADDR", "http.addr"),
];

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub discord: DiscordSettings,
    pub database: DatabaseSettings,
    pub roadmap: RoadmapSettings,
    pub reminders: ReminderSettings,
    pub http: HttpSettings,
    pub privacy: PrivacySettings,
}

/// What happens to a server's data when the bot is removed from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// Days after the bot's removal before the server's data is purged (added back: cancelled).
    pub purge_after_days: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            purge_after_days: 30,
        }
    }
}

/// The operator's HTTP endpoint (`/healthz`, `/metrics`); off unless an address is set.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// e.g. `127.0.0.1:9100` (or `0.0.0.0:9100` in a container).
    pub addr: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReminderSettings {
    /// After downtime, an occurrence missed by less than this is still sent (marked late);
    /// older ones are recorded as missed.
    pub grace_minutes: u32,
    /// Reminder messages a second, at most (Discord allows 50 requests a second in all).
    pub max_per_second: u32,
    /// How often the dispatcher looks for due reminders (at most 15 s).
    pub tick_ms: u64,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            grace_minutes: 120,
            max_per_second: 20,
            tick_ms: 5_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordSettings {
    /// Base URL for REST calls: Discord itself, or an HTTP proxy in front of it.
    pub api_url: String,
    /// Register commands in this one server (instant) instead of globally.
    pub guild_id: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    pub path: PathBuf,
    pub busy_timeout_ms: u64,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RoadmapSettings {
    pub path: PathBuf,
}

impl Default for DiscordSettings {
    fn default() -> Self {
        Self {
            api_url: DISCORD_API_URL.to_owned(),
            guild_id: None,
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            path: PathBuf::from("data/waypoint.db"),
            busy_timeout_ms: 5_000,
            max_connections: 5,
        }
    }
}

impl Default for RoadmapSettings {
    fn default() -> Self {
        Self {
            path: PathBuf::from("config/roadmap.toml"),
        }
    }
}

/// The bot token. Its `Debug` and `Display` never show the value.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// Why the configuration cannot be used: every problem, in plain words, and the settings as far
/// as they could be read (start-up still validates the roadmap file they name).
#[derive(Debug)]
pub struct Invalid {
    pub problems: Vec<String>,
    pub settings: Option<Box<Settings>>,
}

/// Everything the bot needs to start, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub token: Token,
    pub settings: Settings,
    /// `Some` when REST goes somewhere other than Discord itself (a proxy, or a test's fake).
    pub api_proxy: Option<String>,
}

impl Config {
    /// Reads the layers from the process environment. On failure returns every problem found,
    /// each in plain words.
    pub fn from_env() -> Result<Self, Invalid> {
        Self::load(&std::env::vars().collect())
    }

    /// Reads the layers from the given environment (a map, so tests need not touch the
    /// process's own).
    pub fn load(env: &HashMap<String, String>) -> Result<Self, Invalid> {
        let mut problems = Vec::new();
        let path = env.get("WAYPOINT_CONFIG").map(PathBuf::from);
        if let Some(path) = &path {
            if !path.is_file() {
                problems.push(format!(
                    "WAYPOINT_CONFIG points to {}, which is not a readable file",
                    path.display()
                ));
            }
        }
        let path = path.unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_PATH));
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        // Exactly this file (figment's `Toml::file` would also search parent folders), and only
        // if it exists: the file layer is optional unless WAYPOINT_CONFIG names it.
        if path.is_file() {
            figment = figment.merge(Toml::file_exact(&path));
        }
        // Sorted, so that the result never depends on the environment's order.
        let mut names: Vec<&String> = env.keys().collect();
        names.sort();
        for name in names {
            let key = match NAMED_ENV.iter().find(|(named, _)| named == name) {
                Some((_, key)) => (*key).to_owned(),
                None => match name.strip_prefix("WAYPOINT_") {
                    Some(rest) if rest.contains("__") => rest.to_lowercase().replace("__", "."),
                    _ => continue,
                },
            };
            // Parsed like figment's own Env provider: "5" is a number, "true" a boolean.
            let value: figment::value::Value = match env[name].parse() {
                Ok(value) => value,
                Err(never) => match never {},
            };
            figment = figment.merge(Serialized::default(&key, value));
        }
        let token = env.get("DISCORD_TOKEN").cloned();
        let settings = match figment.extract::<Settings>() {
            Ok(settings) => Some(settings),
            Err(errors) => {
                problems.extend(errors.into_iter().map(|e| plain_words(&e, env)));
                None
            }
        };

        let token = match token.map(|t| t.trim().trim_start_matches("Bot ").to_owned()) {
            None => {
                problems.push("DISCORD_TOKEN is not set: the bot needs its token to log in".into());
                None
            }
            Some(t) if t.is_empty() => {
                problems.push("DISCORD_TOKEN is empty".into());
                None
            }
            Some(t) if t.chars().any(char::is_whitespace) => {
                problems.push("DISCORD_TOKEN contains white space; paste the token alone".into());
                None
            }
            Some(t) => Some(Token::new(t)),
        };

        let mut api_proxy = None;
        if let Some(settings) = &settings {
            problems.extend(settings.problems());
            let base = settings.discord.api_url.trim_end_matches('/');
            if base != DISCORD_API_URL {
                api_proxy = Some(base.to_owned());
            }
        }

        match (settings, token) {
            (Some(settings), Some(token)) if problems.is_empty() => Ok(Self {
                token,
                settings,
                api_proxy,
            }),
            (settings, _) => Err(Invalid {
                problems,
                settings: settings.map(Box::new),
            }),
        }
    }
}

/// A figment error said the way an operator set the value: by the environment variable's name
/// if one set it, by the file otherwise, without the code locations figment adds.
fn plain_words(error: &figment::Error, env: &HashMap<String, String>) -> String {
    let key = error
        .path
        .iter()
        .map(String::as_str)
        .skip_while(|part| *part == "default")
        .collect::<Vec<_>>()
        .join(".");
    let what = error
        .kind
        .to_string()
        .replace("expected u64", "expected a whole number")
        .replace("expected u32", "expected a whole number");
    let named = NAMED_ENV
        .iter()
        .find(|(name, target)| *target == key && env.contains_key(*name))
        .map(|(name, _)| (*name).to_owned());
    let generic = format!("WAYPOINT_{}", key.to_uppercase().replace('.', "__"));
    let variable = named.or_else(|| env.contains_key(&generic).then_some(generic));
    let file = error.metadata.as_ref().and_then(|m| match &m.source {
        Some(figment::Source::File(path)) => Some(path.display().to_string()),
        _ => None,
    });
    match (variable, file) {
        (Some(variable), _) => format!("{variable} ({key}): {what}"),
        (None, Some(file)) if key.is_empty() => format!("{file}: {what}"),
        (None, Some(file)) => format!("{file}: {key}: {what}"),
        (None, None) => format!("{key}: {what}"),
    }
}

impl Settings {
    /// Checks that go beyond types: each problem in plain words.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match url::Url::parse(&self.discord.api_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {}
            Ok(_) => problems.push(format!(
                "discord.api_url (WAYPOINT_DISCORD_API_URL) must be an http(s) URL with a host, got {:?}",
                self.discord.api_url
            )),
            Err(e) => problems.push(format!(
                "discord.api_url (WAYPOINT_DISCORD_API_URL) is not a URL ({e}): {:?}",
                self.discord.api_url
            )),
        }
        if self.discord.guild_id == Some(0) {
            problems.push("discord.guild_id (WAYPOINT_GUILD_ID) must be a server id, not 0".into());
        }
        if self.database.path.as_os_str().is_empty() {
            problems.push("database.path (WAYPOINT_DB_PATH) is empty".into());
        }
        if self.database.path.is_dir() {
            problems.push(format!(
                "database.path (WAYPOINT_DB_PATH) is a folder, not a file: {}",
                self.database.path.display()
            ));
        }
        if !(1..=64).contains(&self.database.max_connections) {
            problems.push("database.max_connections must be between 1 and 64".into());
        }
        if self.privacy.purge_after_days > 3650 {
            problems.push("privacy.purge_after_days must be at most 3650 (ten years)".into());
        }
        if let Some(addr) = &self.http.addr {
            if addr.parse::<std::net::SocketAddr>().is_err() {
                problems.push(format!(
                    "http.addr (WAYPOINT_HTTP_ADDR) must be an address and port like 127.0.0.1:9100, not {addr:?}"
                ));
            }
        }
        if self.database.busy_timeout_ms > 60_000 {
            problems.push("database.busy_timeout_ms must be at most 60000 (one minute)".into());
        }
        if self.reminders.grace_minutes > 24 * 60 {
            problems.push("reminders.grace_minutes must be at most 1440 (a day)".into());
        }
        if !(1..=40).contains(&self.reminders.max_per_second) {
            problems.push(
                "reminders.max_per_second must be between 1 and 40 (under Discord's 50 a second)"
                    .into(),
            );
        }
        if !(100..=15_000).contains(&self.reminders.tick_ms) {
            problems.push("reminders.tick_ms must be between 100 and 15000".into());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment with the config file in a fresh folder (maybe absent).
    fn env_with(
        file: Option<&str>,
        vars: &[(&str, &str)],
    ) -> (tempfile::TempDir, HashMap<String, String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("waypoint.toml");
        if let Some(text) = file {
            std::fs::write(&path, text).unwrap();
        }
        let mut env: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        if file.is_some() {
            env.insert("WAYPOINT_CONFIG".into(), path.display().to_string());
        }
        (dir, env)
    }

    #[test]
    fn defaults_apply_without_file_or_env() {
        let (_dir, env) = env_with(None, &[("DISCORD_TOKEN", "abc.def")]);
        let config = Config::load(&env).expect("defaults are valid");
        assert_eq!(config.settings, Settings::default());
        assert_eq!(config.api_proxy, None);
        assert_eq!(config.token.expose(), "abc.def");
    }

    #[test]
    fn env_overrides_file_which_overrides_defaults() {
        let (_dir, env) = env_with(
            Some("[database]\npath = \"from-file.db\"\nbusy_timeout_ms = 1234\n[discord]\nguild_id = 7\n"),
            &[
                ("DISCORD_TOKEN", "Bot t"),
                ("WAYPOINT_DB_PATH", "from-env.db"),
                ("WAYPOINT_DISCORD_API_URL", "http://127.0.0.1:9999/"),
                ("WAYPOINT_DATABASE__MAX_CONNECTIONS", "3"),
                ("UNRELATED", "x"),
            ],
        );
        let config = Config::load(&env).expect("valid");
        assert_eq!(config.settings.database.path, PathBuf::from("from-env.db"));
        assert_eq!(config.settings.database.busy_timeout_ms, 1234);
        assert_eq!(config.settings.database.max_connections, 3);
        assert_eq!(config.settings.discord.guild_id, Some(7));
        assert_eq!(config.api_proxy.as_deref(), Some("http://127.0.0.1:9999"));
        assert_eq!(
            config.token.expose(),
            "t",
            "a pasted 'Bot ' prefix is dropped"
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let (_dir, env) = env_with(
            None,
            &[
                ("WAYPOINT_DISCORD_API_URL", "not a url"),
                ("WAYPOINT_GUILD_ID", "0"),
            ],
        );
        let problems = Config::load(&env).unwrap_err().problems;
        assert!(problems
            .iter()
            .any(|p| p.contains("DISCORD_TOKEN is not set")));
        assert!(problems
            .iter()
            .any(|p| p.contains("WAYPOINT_DISCORD_API_URL")));
        assert!(problems.iter().any(|p| p.contains("WAYPOINT_GUILD_ID")));
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn unknown_keys_are_reported_and_the_token_never_appears() {
        let (_dir, env) = env_with(
            Some("[database]\npaht = \"typo\"\n"),
            &[("DISCORD_TOKEN", "secret-token-value")],
        );
        let problems = Config::load(&env).unwrap_err().problems;
        assert!(problems.iter().any(|p| p.contains("paht")), "{problems:?}");
        assert!(problems.iter().all(|p| !p.contains("secret-token-value")));
    }

    #[test]
    fn a_missing_explicit_config_file_is_a_problem() {
        let mut env = HashMap::new();
        env.insert("DISCORD_TOKEN".to_owned(), "t".to_owned());
        env.insert(
            "WAYPOINT_CONFIG".to_owned(),
            "/nonexistent/waypoint.toml".to_owned(),
        );
        let problems = Config::load(&env).unwrap_err().problems;
        assert!(
            problems[0].contains("/nonexistent/waypoint.toml"),
            "{problems:?}"
        );
    }

    #[test]
    fn token_is_redacted_in_debug_output() {
        let token = Token::new("very-secret");
        assert!(!format!("{token:?}").contains("very-secret"));
    }

    #[test]
    fn type_errors_name_the_variable_or_the_file() {
        let (_dir, env) = env_with(
            None,
            &[("DISCORD_TOKEN", "t"), ("WAYPOINT_GUILD_ID", "my-server")],
        );
        let problems = Config::load(&env).unwrap_err().problems;
        assert_eq!(
            problems,
            ["WAYPOINT_GUILD_ID (discord.guild_id): invalid type: found string \"my-server\", expected a whole number"]
        );

        let (_dir, env) = env_with(
            Some("[database]\nmax_connections = \"many\"\n"),
            &[("DISCORD_TOKEN", "t")],
        );
        let problems = Config::load(&env).unwrap_err().problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].ends_with(
                "waypoint.toml: database.max_connections: invalid type: found string \"many\", expected a whole number"
            ),
            "{problems:?}"
        );
    }

    #[test]
    fn guild_id_must_be_a_number() {
        let (_dir, env) = env_with(
            None,
            &[("DISCORD_TOKEN", "t"), ("WAYPOINT_GUILD_ID", "my-server")],
        );
        let problems = Config::load(&env).unwrap_err().problems;
        assert!(
            problems
                .iter()
                .any(|p| p.to_lowercase().contains("guild_id")),
            "{problems:?}"
        );
    }
}
