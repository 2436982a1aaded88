//! The end-to-end benchmark's reference: a bare poise bot that answers `/ping` with "pong" and
//! does nothing else (no database, no gate, no services). It connects the way Waypoint does
//! (`DISCORD_TOKEN`, REST through `WAYPOINT_DISCORD_API_URL`, commands registered in
//! `WAYPOINT_GUILD_ID`), so the benchmark can run both through the same fake Discord and
//! report Waypoint's figures as ratios of this one's. Stops on SIGTERM or Ctrl-C.

use poise::serenity_prelude as serenity;

struct Data;
type Error = Box<dyn std::error::Error + Send + Sync>;

/// Answers pong
#[poise::command(slash_command)]
async fn ping(ctx: poise::Context<'_, Data, Error>) -> Result<(), Error> {
    ctx.say("pong").await?;
    Ok(())
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set"))
}

#[tokio::main]
async fn main() {
    let token = env("DISCORD_TOKEN");
    let guild: u64 = env("WAYPOINT_GUILD_ID").parse().expect("a server id");
    let http = serenity::HttpBuilder::new(&token)
        .proxy(env("WAYPOINT_DISCORD_API_URL"))
        .ratelimiter_disabled(true)
        .build();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ping()],
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(
                    ctx,
                    &framework.options().commands,
                    serenity::GuildId::new(guild),
                )
                .await?;
                Ok(Data)
            })
        })
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, serenity::GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .expect("a client");
    let shards = client.shard_manager.clone();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        result = client.start() => {
            if let Err(e) = result {
                eprintln!("bare poise stopped: {e}");
            }
        }
        _ = terminate.recv() => shards.shutdown_all().await,
        _ = tokio::signal::ctrl_c() => shards.shutdown_all().await,
    }
}
