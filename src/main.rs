use std::process::ExitCode;

use std::str::FromStr;

use tracing_subscriber::filter::Directive;
use tracing_subscriber::EnvFilter;
use waypoint::config::{Config, RoadmapSettings};
use waypoint::roadmap::Roadmap;

fn main() -> ExitCode {
    let asked = std::env::var("RUST_LOG").unwrap_or_default();
    let mut filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,serenity=warn"))
        // At trace level tungstenite logs every outgoing frame, IDENTIFY (and so the token)
        // included: never let it go below debug, whatever RUST_LOG says.
        .add_directive(Directive::from_str("tungstenite=debug").expect("a valid directive"))
        .add_directive(Directive::from_str("tokio_tungstenite=debug").expect("a valid directive"));
    // serenity warns about a gateway event it cannot parse with the whole event in the line,
    // and an interaction's token (a credential to answer as the bot for 15 minutes) with it.
    // Off unless an operator names that module on purpose.
    if !asked.contains("serenity::gateway::ws") {
        filter = filter.add_directive(
            Directive::from_str("serenity::gateway::ws=error").expect("a valid directive"),
        );
    }
    // Colours only on a terminal: `docker logs` and journald get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .init();

    // Validate everything before connecting, and report every problem at once.
    let config = Config::from_env();
    let roadmap_path = match &config {
        Ok(config) => config.settings.roadmap.path.clone(),
        Err(invalid) => invalid.settings.as_ref().map_or_else(
            || RoadmapSettings::default().path,
            |s| s.roadmap.path.clone(),
        ),
    };
    let roadmap = Roadmap::load(&roadmap_path);
    let (config, roadmap) = match (config, roadmap) {
        (Ok(config), Ok(roadmap)) => (config, roadmap),
        (config, roadmap) => {
            eprintln!("Waypoint cannot start:");
            let config_problems = config.err().map(|invalid| invalid.problems);
            for problem in config_problems.into_iter().chain(roadmap.err()).flatten() {
                eprintln!("  - {problem}");
            }
            eprintln!("See config/waypoint.example.toml and the README for every setting.");
            return ExitCode::from(2);
        }
    };

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Waypoint cannot start: no async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let run = async {
        let shutdown = shutdown_signal();
        let clock = std::sync::Arc::new(waypoint::clock::SystemClock);
        waypoint::app::run(config, roadmap, clock, shutdown).await
    };
    match runtime.block_on(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (docker stop, systemd). The handlers are installed
/// when this is called, not when it is first polled, so a signal that arrives while the bot is
/// still starting is kept and honoured as soon as start-up reaches its main loop.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    tracing::warn!(
                        "could not install signal handlers; only Ctrl-C will stop the bot"
                    );
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
