//! Start-up and shutdown: open the database, build the Discord client, run until told to stop.
//! `main` calls [`run`] with the process's signals; the end-to-end tests call it with their own
//! shutdown trigger and a fake Discord, so both take the same path.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;

use crate::config::Config;
use crate::discord::{self, Data};
use crate::progress::ProgressService;
use crate::roadmap::Roadmap;
use crate::store;

pub async fn run(
    config: Config,
    roadmap: Roadmap,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = store::open(&config.settings.database).await?;
    tracing::info!(
        database = %config.settings.database.path.display(),
        phases = roadmap.phases().len(),
        topics = roadmap.topic_count(),
        "database ready"
    );
    let roadmap = Arc::new(roadmap);
    let data = Data {
        roadmap: roadmap.clone(),
        progress: ProgressService::new(db.clone(), roadmap),
    };
    let ready = Arc::new(AtomicBool::new(false));
    let framework = discord::framework(data, config.settings.discord.guild_id, {
        let ready = ready.clone();
        move || ready.store(true, Ordering::SeqCst)
    });
    let mut client =
        serenity::ClientBuilder::new_with_http(discord::http(&config), discord::INTENTS)
            .framework(framework)
            .await
            .context("building the Discord client")?;

    let stopping = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn({
        let shard_manager = client.shard_manager.clone();
        let stopping = stopping.clone();
        async move {
            shutdown.await;
            stopping.store(true, Ordering::SeqCst);
            tracing::info!("shutting down: closing the gateway");
            shard_manager.shutdown_all().await;
        }
    });

    let result = client.start().await;
    watcher.abort();
    // Waits for in-flight queries to return their connections, then checkpoints the WAL.
    db.close().await;
    result.context("the Discord connection failed")?;
    if !stopping.load(Ordering::SeqCst) && !ready.load(Ordering::SeqCst) {
        anyhow::bail!("the bot stopped before it was ready (see the errors above)");
    }
    tracing::info!("stopped cleanly");
    Ok(())
}
