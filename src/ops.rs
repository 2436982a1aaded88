//! What a server owner runs besides the bot: `waypoint check` (validate the configuration and
//! the roadmap, for an owner's own CI) and `waypoint backup <file>` (a consistent copy of the
//! database while the bot runs).

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;

use crate::config::{Config, DatabaseSettings, Invalid, RoadmapSettings};
use crate::roadmap::Roadmap;

/// What `waypoint check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Every problem; empty means the bot can start with this configuration and roadmap.
    pub problems: Vec<String>,
    /// Things worth saying that are not problems (a token that is not needed to check).
    pub notes: Vec<String>,
    /// "config/roadmap.toml: 6 phases, 120 topics", when the roadmap loaded.
    pub summary: Option<String>,
}

/// Validates the configuration (from `config`) and the roadmap it names. A missing token is
/// only a note: checking needs no token, and an owner's CI should not hold one.
pub fn check(config: Result<Config, Invalid>) -> Checked {
    let (mut problems, path) = match config {
        Ok(config) => (Vec::new(), config.settings.roadmap.path),
        Err(invalid) => (
            invalid.problems,
            invalid
                .settings
                .map_or_else(|| RoadmapSettings::default().path, |s| s.roadmap.path),
        ),
    };
    let mut notes = Vec::new();
    problems.retain(|p| {
        let token = p.starts_with("DISCORD_TOKEN is not set");
        if token {
            notes.push("DISCORD_TOKEN is not set (the bot needs it to run, not to check)".into());
        }
        !token
    });
    let summary = match Roadmap::load(&path) {
        Ok(roadmap) => Some(format!(
            "{}: {} phases, {} topics",
            path.display(),
            roadmap.phases().len(),
            roadmap.topics().count()
        )),
        Err(roadmap_problems) => {
            problems.extend(roadmap_problems);
            None
        }
    };
    Checked {
        problems,
        notes,
        summary,
    }
}

/// Copies the database to `to` while the bot may be running (SQLite's `VACUUM INTO`: one read
/// transaction, so the copy is consistent and compact). Refuses to overwrite a file. Returns
/// the copy's size in bytes.
pub async fn backup(settings: &DatabaseSettings, to: &Path) -> anyhow::Result<u64> {
    if !settings.path.is_file() {
        anyhow::bail!(
            "there is no database at {} (WAYPOINT_DB_PATH) to back up",
            settings.path.display()
        );
    }
    if to.exists() {
        anyhow::bail!("{} already exists; name a new file", to.display());
    }
    crate::store::backup(settings, to).await?;
    Ok(std::fs::metadata(to)
        .with_context(|| format!("reading the size of {}", to.display()))?
        .len())
}

/// Asks the bot's `/healthz` at `addr` (an unspecified address like `0.0.0.0:9100` means this
/// machine); `Ok` with the body when it answers 200.
pub async fn health(addr: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut target: std::net::SocketAddr = addr
        .parse()
        .with_context(|| format!("WAYPOINT_HTTP_ADDR {addr:?} is not an address and port"))?;
    if target.ip().is_unspecified() {
        target.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(target).await?;
        stream
            .write_all(format!("GET /healthz HTTP/1.0\r\nHost: {target}\r\n\r\n").as_bytes())
            .await?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await?;
        anyhow::Ok(response)
    };
    let response = tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .context("no answer within 5 s")?
        .with_context(|| format!("asking {target}"))?;
    let status = response.split(' ').nth(1).unwrap_or_default();
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, body)| body)
        .to_owned();
    if status == "200" {
        Ok(body)
    } else {
        anyhow::bail!("/healthz answered {status}: {}", body.trim())
    }
}
