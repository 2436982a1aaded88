use std::process::ExitCode;

use std::str::FromStr;

use tracing_subscriber::filter::Directive;
use tracing_subscriber::EnvFilter;
use waypoint::config::{Config, RoadmapSettings};
use waypoint::roadmap::Roadmap;

fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,serenity=warn"))
        // At trace level tungstenite logs every outgoing frame, IDENTIFY (and so the token)
        // included: never let it go below debug, whatever RUST_LOG says.
        .add_directive(Directive::from_str("tungstenite=debug").expect("a valid directive"))
        .add_directive(Directive::from_str("tokio_tungstenite=debug").expect("a valid directive"));
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
    match runtime.block_on(waypoint::app::run(config, roadmap, shutdown_signal())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (docker stop, systemd).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
