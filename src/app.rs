//! Start-up and shutdown: open the database, build the Discord client, run until told to stop.
//! `main` calls [`run`] with the process's signals; the end-to-end tests call it with their own
//! shutdown trigger and a fake Discord, so both take the same path.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;

use crate::background::{Background, Services, Task};
use crate::challenge::ChallengeService;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::discord::send::SerenityOutbox;
use crate::discord::{self, Data};
use crate::group::GroupService;
use crate::leaderboard::LeaderboardService;
use crate::note::NoteService;
use crate::outbox::Outbox;
use crate::progress::ProgressService;
use crate::reminder::dispatcher::{Dispatcher, Heartbeat};
use crate::reminder::ReminderService;
use crate::replay::{ForgetOldInteractions, ReplayGuard};
use crate::roadmap::Roadmap;
use crate::settings::SettingsService;
use crate::store::{Checkpoints, Store};
use crate::streak::{EndStreaks, StudyService};
use crate::timezone::TimezoneService;

/// How long shutdown waits for the gateway to close, then for running handlers to finish: at
/// most 6 s in all, inside the 10 s that `docker stop` and systemd allow by default.
const GATEWAY_CLOSE_LIMIT: Duration = Duration::from_secs(3);
/// Running handlers and background tasks are waited for side by side, in this one limit.
const IN_FLIGHT_LIMIT: Duration = Duration::from_secs(3);
/// A proxy or network that never answers must not hang start-up.
const TOKEN_CHECK_LIMIT: Duration = Duration::from_secs(15);

pub async fn run(
    config: Config,
    roadmap: Roadmap,
    clock: SharedClock,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = Store::open(&config.settings.database).await?;
    tracing::info!(
        database = %config.settings.database.path.display(),
        phases = roadmap.phases().len(),
        topics = roadmap.topic_count(),
        "database ready"
    );
    let roadmap = Arc::new(roadmap);
    let settings = SettingsService::new(store.clone());
    let progress = ProgressService::new(store.clone(), roadmap.clone(), settings.clone());
    progress
        .publish_roadmap(clock.now())
        .await
        .context("recording the roadmap's topics")?;
    let timezones = TimezoneService::new(store.clone());
    let study = StudyService::new(store.clone());
    let groups = GroupService::new(
        store.clone(),
        settings.clone(),
        progress.clone(),
        roadmap.clone(),
    );
    let reminders = ReminderService::new(
        store.clone(),
        timezones.clone(),
        study.clone(),
        progress.clone(),
        roadmap.clone(),
        groups.clone(),
    );
    // Messages sent outside an answer (reminders, `/remind test`) go through their own client
    // to the same API.
    let outbox: Arc<dyn Outbox> = Arc::new(SerenityOutbox::new(Arc::new(discord::http(&config))));
    let heartbeat = Heartbeat::default();
    let challenges = ChallengeService::new(store.clone(), settings.clone(), roadmap.clone());
    let telemetry = crate::telemetry::Telemetry::new();
    let servers = crate::server::ServerService::new(
        store.clone(),
        chrono::Duration::days(i64::from(config.settings.privacy.purge_after_days)),
    );
    // Bound before connecting, so a taken port stops start-up with a clear error.
    let http_listener = match &config.settings.http.addr {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("listening on WAYPOINT_HTTP_ADDR {addr}"))?,
        ),
        None => None,
    };
    let data = Data {
        started: clock.now(),
        heartbeat: heartbeat.clone(),
        notes: NoteService::new(store.clone(), roadmap.clone()),
        study,
        boards: LeaderboardService::new(store.clone(), settings.clone()),
        reminders: reminders.clone(),
        challenges: challenges.clone(),
        privacy: crate::privacy::PrivacyService::new(store.clone()),
        telemetry: telemetry.clone(),
        servers: servers.clone(),
        groups,
        outbox: outbox.clone(),
        timezones,
        settings,
        roadmap,
        progress,
        clock: clock.clone(),
    };
    let ready = Arc::new(AtomicBool::new(false));
    let in_flight = discord::InFlight::default();
    let framework = discord::framework(
        data,
        ReplayGuard::new(store.clone()),
        config.settings.discord.guild_id,
        in_flight.clone(),
        {
            let ready = ready.clone();
            move || ready.store(true, Ordering::SeqCst)
        },
    );
    let http = discord::http(&config);
    let bot = tokio::time::timeout(TOKEN_CHECK_LIMIT, discord::check_token(&http))
        .await
        .map_err(|_| anyhow::anyhow!("Discord did not answer within {TOKEN_CHECK_LIMIT:?}"))??;
    tracing::info!(bot = %bot.name, id = %bot.id, "token accepted");
    let mut client = serenity::ClientBuilder::new_with_http(http, discord::INTENTS)
        .framework(framework)
        .await
        .context("building the Discord client")?;
    let shard_manager = client.shard_manager.clone();
    // `/healthz` reads the gateway's state from here: every shard runner connected.
    let gateway_watch = {
        let shard_manager = shard_manager.clone();
        let telemetry = telemetry.clone();
        tokio::spawn(async move {
            loop {
                let connected = {
                    let runners = shard_manager.runners.lock().await;
                    !runners.is_empty()
                        && runners
                            .values()
                            .all(|r| r.stage == serenity::ConnectionStage::Connected)
                };
                telemetry.set_gateway(connected);
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
        })
    };
    let mut tasks = background_tasks(
        Arc::new(reminders),
        Arc::new(challenges),
        Arc::new(servers.clone()),
        heartbeat,
        telemetry.clone(),
        &config.settings.reminders,
    );
    if let Some(listener) = http_listener {
        tracing::info!(addr = ?listener.local_addr().ok(), "serving /healthz and /metrics");
        tasks.push(Box::new(crate::http::HttpEndpoint {
            listener,
            telemetry: telemetry.clone(),
        }));
    }
    let background = Background::start(
        tasks,
        Services {
            clock: clock.clone(),
            store: store.clone(),
            outbox,
        },
    );

    // The signal is watched here rather than handed to serenity: a shutdown asked for while the
    // gateway is still connecting (or reconnecting) must not be lost.
    let mut stopping = false;
    let result = {
        // Asks GET /gateway/bot how many shards Discord wants, so a bot in many servers
        // shards without a configuration change.
        let start = client.start_autosharded();
        tokio::pin!(start);
        tokio::select! {
            result = &mut start => result,
            () = shutdown => {
                stopping = true;
                tracing::info!("shutting down: closing the gateway");
                let close = async {
                    shard_manager.shutdown_all().await;
                    (&mut start).await
                };
                match tokio::time::timeout(GATEWAY_CLOSE_LIMIT, close).await {
                    Ok(result) => result,
                    Err(_) => {
                        tracing::warn!("the gateway did not close in time; stopping anyway");
                        Ok(())
                    }
                }
            }
        }
    };
    let (handlers_done, _) = tokio::join!(
        in_flight.wait_idle(IN_FLIGHT_LIMIT),
        background.stop(IN_FLIGHT_LIMIT)
    );
    if !handlers_done {
        tracing::warn!(
            running = in_flight.running(),
            "stopping with events still being handled"
        );
    }
    gateway_watch.abort();
    // Waits for in-flight queries to return their connections, then checkpoints the WAL.
    store.close().await;
    result.context("the Discord connection failed")?;
    if !stopping && !ready.load(Ordering::SeqCst) {
        anyhow::bail!("the bot stopped before it was ready (see the errors above)");
    }
    tracing::info!("stopped cleanly");
    Ok(())
}

/// The bot's background tasks; each feature with work of its own adds one line here.
fn background_tasks(
    reminders: Arc<ReminderService>,
    challenges: Arc<ChallengeService>,
    servers: Arc<crate::server::ServerService>,
    heartbeat: Heartbeat,
    telemetry: crate::telemetry::Telemetry,
    settings: &crate::config::ReminderSettings,
) -> Vec<Box<dyn Task>> {
    vec![
        Box::new(ForgetOldInteractions::default()),
        Box::new(EndStreaks::default()),
        Box::new(Checkpoints::default()),
        Box::new(Dispatcher {
            compose: reminders,
            deadlines: vec![challenges, servers],
            telemetry: Some(telemetry),
            heartbeat,
            grace: chrono::Duration::minutes(i64::from(settings.grace_minutes)),
            ceiling: settings.max_per_second,
            tick: std::time::Duration::from_millis(settings.tick_ms),
            send_limit: crate::reminder::dispatcher::SEND_LIMIT,
        }),
    ]
}
