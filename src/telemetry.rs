//! What the bot reports about itself: whether the gateway is connected, and Prometheus metrics
//! (interactions by command and outcome, their latency, reminders by outcome, the dispatcher's
//! queue and last tick, database errors). Shared by the Discord adapter, the dispatcher and the
//! HTTP endpoint (`crate::http`); Discord-free.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

#[derive(Clone)]
pub struct Telemetry(Arc<Inner>);

struct Inner {
    gateway: AtomicBool,
    /// Outcomes noted while an interaction is handled (by the error handler), keyed by its id.
    outcomes: std::sync::Mutex<std::collections::HashMap<u64, &'static str>>,
    registry: Registry,
    interactions: IntCounterVec,
    latency: HistogramVec,
    reminders: IntCounterVec,
    queue_depth: IntGauge,
    last_tick: IntGauge,
    database_errors: IntCounter,
}

impl std::fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Telemetry")
            .field("gateway", &self.gateway_connected())
            .finish_non_exhaustive()
    }
}

impl Default for Telemetry {
    fn default() -> Self {
        Self::new()
    }
}

impl Telemetry {
    pub fn new() -> Self {
        let registry = Registry::new();
        let interactions = IntCounterVec::new(
            Opts::new(
                "waypoint_interactions_total",
                "Interactions handled, by command and outcome",
            ),
            &["command", "outcome"],
        )
        .expect("a valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "waypoint_interaction_seconds",
                "Time from an interaction's arrival to the end of its handling",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["kind"],
        )
        .expect("a valid metric");
        let reminders = IntCounterVec::new(
            Opts::new(
                "waypoint_reminders_total",
                "Reminders and nudges handled by the dispatcher, by kind and outcome",
            ),
            &["kind", "outcome"],
        )
        .expect("a valid metric");
        let queue_depth = IntGauge::new(
            "waypoint_dispatcher_queue_depth",
            "Reminders due and not yet handled at the dispatcher's last look",
        )
        .expect("a valid metric");
        let last_tick = IntGauge::new(
            "waypoint_dispatcher_last_tick_seconds",
            "When the dispatcher last looked for due reminders (Unix time, the bot's clock)",
        )
        .expect("a valid metric");
        let database_errors = IntCounter::new(
            "waypoint_database_errors_total",
            "Interactions that failed on a database error",
        )
        .expect("a valid metric");
        for metric in [
            Box::new(interactions.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(reminders.clone()),
            Box::new(queue_depth.clone()),
            Box::new(last_tick.clone()),
            Box::new(database_errors.clone()),
        ] {
            registry.register(metric).expect("metric names are unique");
        }
        Self(Arc::new(Inner {
            gateway: AtomicBool::new(false),
            outcomes: std::sync::Mutex::default(),
            registry,
            interactions,
            latency,
            reminders,
            queue_depth,
            last_tick,
            database_errors,
        }))
    }

    pub fn set_gateway(&self, connected: bool) {
        self.0.gateway.store(connected, Ordering::SeqCst);
    }

    pub fn gateway_connected(&self) -> bool {
        self.0.gateway.load(Ordering::SeqCst)
    }

    /// One interaction handled: `command` names it (never typed text), `kind` is command,
    /// autocomplete, component or form.
    pub fn interaction(&self, command: &str, kind: &str, outcome: &str, seconds: f64) {
        self.0
            .interactions
            .with_label_values(&[command, outcome])
            .inc();
        self.0.latency.with_label_values(&[kind]).observe(seconds);
    }

    /// Notes how interaction `id` ended, for [`Telemetry::take_outcome`].
    pub fn note_outcome(&self, id: u64, outcome: &'static str) {
        if let Ok(mut outcomes) = self.0.outcomes.lock() {
            outcomes.insert(id, outcome);
        }
    }

    /// How interaction `id` ended, if something noted it ("ok" otherwise).
    pub fn take_outcome(&self, id: u64) -> &'static str {
        self.0
            .outcomes
            .lock()
            .ok()
            .and_then(|mut outcomes| outcomes.remove(&id))
            .unwrap_or("ok")
    }

    pub fn database_error(&self) {
        self.0.database_errors.inc();
    }

    /// One reminder or nudge occurrence handled by the dispatcher.
    pub fn reminder(&self, kind: &str, outcome: &str) {
        self.0.reminders.with_label_values(&[kind, outcome]).inc();
    }

    pub fn dispatcher(&self, queue_depth: i64, tick_unix: i64) {
        self.0.queue_depth.set(queue_depth);
        self.0.last_tick.set(tick_unix);
    }

    /// The metrics in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.0.registry.gather(), &mut out)
            .expect("the text encoder writes to memory");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}
