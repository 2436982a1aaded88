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
    // Human-readable lines by default; one JSON object a line for log collectors.
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("WAYPOINT_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().with_current_span(false).init();
    } else {
        builder.with_ansi(ansi).init();
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => {}
        ["check"] => return check(),
        ["health"] => return health(),
        ["backup", file] => return backup(std::path::Path::new(file)),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }

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

const USAGE: &str = "\
usage: waypoint                 run the bot (settings from the environment; see the README)
       waypoint check           validate the configuration and the roadmap, then exit
                                (0: fine; 2: every problem is listed)
       waypoint backup <file>   copy the database to a new file while the bot runs
       waypoint health          ask the running bot's /healthz (WAYPOINT_HTTP_ADDR); exit 0 if healthy";

/// `waypoint check`: exit 0, or 2 with every problem.
fn check() -> ExitCode {
    let checked = waypoint::ops::check(Config::from_env());
    for note in &checked.notes {
        println!("note: {note}");
    }
    if checked.problems.is_empty() {
        println!(
            "ok: {}",
            checked
                .summary
                .as_deref()
                .unwrap_or("the configuration is valid")
        );
        return ExitCode::SUCCESS;
    }
    eprintln!("{} problem(s):", checked.problems.len());
    for problem in &checked.problems {
        eprintln!("  - {problem}");
    }
    ExitCode::from(2)
}

/// A one-thread runtime for the short commands (`health`, `backup`); `None` after saying why.
fn small_runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => Some(runtime),
        Err(e) => {
            eprintln!("no async runtime: {e}");
            None
        }
    }
}

/// `waypoint health`: for Docker's HEALTHCHECK (the image has no curl).
fn health() -> ExitCode {
    let Some(addr) = std::env::var("WAYPOINT_HTTP_ADDR")
        .ok()
        .filter(|a| !a.is_empty())
    else {
        eprintln!("WAYPOINT_HTTP_ADDR is not set, so the bot serves no /healthz");
        return ExitCode::from(2);
    };
    let Some(runtime) = small_runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(waypoint::ops::health(&addr)) {
        Ok(body) => {
            print!("{body}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("unhealthy: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `waypoint backup <file>`: the database settings come from the environment as for the bot
/// (the token is not needed).
fn backup(to: &std::path::Path) -> ExitCode {
    let settings = match Config::from_env() {
        Ok(config) => config.settings,
        Err(invalid) => match invalid.settings {
            Some(settings)
                if invalid
                    .problems
                    .iter()
                    .all(|p| p.starts_with("DISCORD_TOKEN")) =>
            {
                *settings
            }
            _ => {
                eprintln!("Waypoint cannot back up: the configuration is invalid:");
                for problem in invalid.problems {
                    eprintln!("  - {problem}");
                }
                return ExitCode::from(2);
            }
        },
    };
    let Some(runtime) = small_runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(waypoint::ops::backup(&settings.database, to)) {
        Ok(bytes) => {
            println!(
                "backed up {} to {} ({bytes} bytes); to restore, stop the bot and point WAYPOINT_DB_PATH at it",
                settings.database.path.display(),
                to.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("backup failed: {e:#}");
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
