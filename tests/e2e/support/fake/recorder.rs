//! Every REST call the bot made, as the fake understood it, and waiting for calls to arrive.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;

/// How long a test waits for the bot before failing with a description of what it saw.
pub const WAIT: Duration = Duration::from_secs(15);

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The path without query string, e.g. `/api/v10/interactions/1/tok/callback`.
    pub path: String,
    /// JSON body; for multipart uploads the `payload_json` part plus `"_files": [{name, size}]`.
    pub body: Value,
    /// What the fake answered.
    pub status: u16,
    /// The answer was a failure the test asked for (see `FakeDiscord::fail` and the world's
    /// per-target failures).
    pub injected: bool,
}

impl Call {
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

#[derive(Default)]
pub struct Recorder {
    calls: Mutex<Vec<Call>>,
    /// The first answer (POST …/callback) to each interaction, by path: found without a scan,
    /// so waiting for answers stays cheap with tens of thousands of calls (the benchmarks).
    answers: Mutex<std::collections::HashMap<String, Call>>,
    changed: Notify,
}

impl Recorder {
    pub fn record(&self, call: Call) {
        if call.method == "POST" && call.path.ends_with("/callback") {
            self.answers
                .lock()
                .unwrap()
                .entry(call.path.clone())
                .or_insert_with(|| call.clone());
        }
        self.calls.lock().unwrap().push(call);
        self.changed.notify_waiters();
    }

    /// Waits for the first POST to `path` (an interaction's callback).
    pub async fn first_answer(&self, path: &str) -> Call {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(call) = self.answers.lock().unwrap().get(path) {
                return call.clone();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for the answer at {path}");
            }
        }
    }

    pub fn count(&self, pred: impl Fn(&Call) -> bool) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| pred(c))
            .count()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// Waits until `n` recorded calls match and returns the n-th; fails the test with every
    /// call seen otherwise.
    pub async fn wait_for_nth(&self, what: &str, n: usize, pred: impl Fn(&Call) -> bool) -> Call {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(call) = self.calls().into_iter().filter(|c| pred(c)).nth(n - 1) {
                return call;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let seen: Vec<String> = self
                    .calls()
                    .iter()
                    .map(|c| format!("{} {} -> {}", c.method, c.path, c.status))
                    .collect();
                panic!(
                    "timed out waiting for {what}; the bot made these calls:\n{}",
                    seen.join("\n")
                );
            }
        }
    }
}
