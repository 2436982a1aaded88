//! A fake Discord on 127.0.0.1: the REST API over HTTP and the gateway over WebSocket, both on
//! one random port. The real bot connects to it through `WAYPOINT_DISCORD_API_URL`.
//!
//! Every REST call is recorded (method, path, decoded body, the status answered) so tests assert
//! on what a member would see. Unknown routes answer 404 and are recorded too, so a test can
//! check the bot made no unexpected call. Failures can be injected per route (DMs closed,
//! unknown channel, rate limits, outages) for the features that need them.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot, Notify};
use tokio::task::JoinHandle;

use super::discord_rules;
use super::payloads::{self, Interaction};
use super::reply::Reply;

pub const APP_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_USER_ID: u64 = APP_ID;
pub const OWNER_ID: u64 = 1_100_000_000_000_000_099;
pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 1_200_000_000_000_000_002;
pub const TOKEN: &str = "fake.bot-token.for-tests";

/// How long a test waits for the bot before failing with a description of what it saw.
pub const WAIT: Duration = Duration::from_secs(15);

/// One REST request the bot made, as the fake understood it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The path without query string, e.g. `/api/v10/interactions/1/tok/callback`.
    pub path: String,
    /// JSON body; for multipart uploads the `payload_json` part plus `"_files": [{name, size}]`.
    pub body: Value,
    /// What the fake answered.
    pub status: u16,
    /// The answer was a failure the test asked for (see [`FakeDiscord::fail`]).
    pub injected: bool,
}

impl Call {
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }
}

/// A canned error answer for requests whose path starts with `path_prefix`.
#[derive(Debug, Clone)]
struct Failure {
    method: String,
    path_prefix: String,
    status: u16,
    body: Value,
    remaining: Option<usize>,
}

/// The gateway connection that last identified or resumed.
struct Session {
    tx: mpsc::UnboundedSender<Value>,
    close: Option<oneshot::Sender<()>>,
}

struct Inner {
    addr: SocketAddr,
    calls: Mutex<Vec<Call>>,
    changed: Notify,
    /// Outbound queue of the gateway connection that last identified or resumed.
    session: Mutex<Option<Session>>,
    seq: AtomicU64,
    ids: AtomicU64,
    identifies: AtomicUsize,
    resumes: AtomicUsize,
    failures: Mutex<Vec<Failure>>,
    /// Interactions already answered: Discord takes one callback per interaction.
    answered: Mutex<std::collections::HashSet<String>>,
    /// While set, gateway connections are refused (503), as during a Discord outage.
    refuse_gateway: std::sync::atomic::AtomicBool,
}

pub struct FakeDiscord {
    inner: Arc<Inner>,
    server: JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Discord");
        let addr = listener.local_addr().expect("local address");
        let inner = Arc::new(Inner {
            addr,
            calls: Mutex::default(),
            changed: Notify::new(),
            session: Mutex::default(),
            seq: AtomicU64::new(0),
            ids: AtomicU64::new(1_300_000_000_000_000_000),
            identifies: AtomicUsize::new(0),
            resumes: AtomicUsize::new(0),
            failures: Mutex::default(),
            answered: Mutex::default(),
            refuse_gateway: std::sync::atomic::AtomicBool::new(false),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .fallback(rest)
            .with_state(inner.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { inner, server }
    }

    /// The base URL to give the bot as `WAYPOINT_DISCORD_API_URL`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// A fresh snowflake-like id, unique within this fake.
    pub fn next_id(&self) -> u64 {
        self.inner.ids.fetch_add(1, Ordering::Relaxed)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.calls.lock().unwrap().clone()
    }

    /// Calls answered 404: routes the fake does not know, so the bot should not have made them.
    pub fn unexpected_calls(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.status == 404)
            .collect()
    }

    /// Calls the fake refused (4xx/5xx) that no test asked for: payloads over Discord's limits,
    /// a second answer to one interaction, a missing token, unknown routes.
    pub fn refused_calls(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.status >= 400 && !c.injected)
            .collect()
    }

    pub fn identify_count(&self) -> usize {
        self.inner.identifies.load(Ordering::SeqCst)
    }

    /// Waits until a recorded call matches; fails the test with every call seen otherwise.
    pub async fn wait_for_call(&self, what: &str, pred: impl Fn(&Call) -> bool) -> Call {
        self.wait_for_nth_call(what, 1, pred).await
    }

    /// Waits until `n` recorded calls match and returns the n-th.
    pub async fn wait_for_nth_call(
        &self,
        what: &str,
        n: usize,
        pred: impl Fn(&Call) -> bool,
    ) -> Call {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.inner.changed.notified();
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

    /// Waits for the n-th gateway IDENTIFY (a new session, e.g. after a restart).
    pub async fn wait_for_identify(&self, n: usize) {
        wait_for_count("gateway IDENTIFY", n, &self.inner.identifies).await;
    }

    /// Waits for the n-th gateway RESUME (a reconnect of the same session).
    pub async fn wait_for_resume(&self, n: usize) {
        wait_for_count("gateway RESUME", n, &self.inner.resumes).await;
    }

    /// Sends an interaction over the gateway, as a member's click or command would arrive, and
    /// returns the bot's answer to it.
    pub async fn interact(&self, interaction: impl Into<Interaction>) -> Reply {
        let id = self.next_id();
        let token = format!("interaction-token-{id}");
        self.dispatch(
            "INTERACTION_CREATE",
            interaction.into().to_payload(id, &token),
        );
        let path = format!("/api/v10/interactions/{id}/{token}/callback");
        let call = self
            .wait_for_call(&format!("the answer to interaction {id}"), |c| {
                c.is("POST", &path)
            })
            .await;
        Reply {
            body: call.body,
            id,
            status: call.status,
            callback_path: path,
        }
    }

    /// The bot's second answer to the interaction of `first` (after its first was refused).
    pub async fn second_answer(&self, first: &Reply) -> Reply {
        let call = self
            .wait_for_nth_call("a second answer", 2, |c| c.is("POST", &first.callback_path))
            .await;
        Reply {
            body: call.body,
            id: first.id,
            status: call.status,
            callback_path: first.callback_path.clone(),
        }
    }

    /// Answers the next `times` requests whose path starts with `path_prefix` with a 429, as
    /// Discord (or a proxy) does when the bot goes too fast.
    pub fn rate_limit(&self, method: &str, path_prefix: &str, times: usize) {
        let body = json!({"message": "You are being rate limited.", "retry_after": 0.2, "global": false, "code": 0});
        self.fail(method, path_prefix, 429, body, Some(times));
    }

    /// Sends a gateway dispatch (op 0) to the connected bot.
    pub fn dispatch(&self, event: &str, data: Value) {
        let seq = self.inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let frame = json!({"op": 0, "t": event, "s": seq, "d": data});
        let session = self.inner.session.lock().unwrap();
        let session = session
            .as_ref()
            .expect("no bot is connected to the fake gateway");
        session
            .tx
            .send(frame)
            .expect("the gateway connection is gone");
    }

    /// Closes the current gateway connection, as Discord does now and then; the bot should
    /// reconnect and RESUME.
    pub fn drop_gateway(&self) {
        let session = self.inner.session.lock().unwrap().take();
        if let Some(close) = session.and_then(|s| s.close) {
            let _ = close.send(());
        }
    }

    /// Answers requests whose path starts with `path_prefix` with an error, `times` times
    /// (or always with `None`). `body` is Discord's JSON error, e.g.
    /// `{"message": "Cannot send messages to this user", "code": 50007}`.
    pub fn fail(
        &self,
        method: &str,
        path_prefix: &str,
        status: u16,
        body: Value,
        times: Option<usize>,
    ) {
        self.inner.failures.lock().unwrap().push(Failure {
            method: method.to_owned(),
            path_prefix: path_prefix.to_owned(),
            status,
            body,
            remaining: times,
        });
    }

    /// Refuses (or again accepts) gateway connections, to test a bot that cannot connect.
    pub fn refuse_gateway(&self, refuse: bool) {
        self.inner.refuse_gateway.store(refuse, Ordering::SeqCst);
    }

    /// The commands of the last registration (global or guild).
    pub fn registered_commands(&self) -> Vec<Value> {
        self.calls()
            .into_iter()
            .rev()
            .find(|c| c.method == "PUT" && c.path.ends_with("/commands"))
            .and_then(|c| c.body.as_array().cloned())
            .unwrap_or_default()
    }
}

async fn wait_for_count(what: &str, n: usize, counter: &AtomicUsize) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while counter.load(Ordering::SeqCst) < n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what} #{n}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Inner {
    fn record(&self, call: Call) {
        self.calls.lock().unwrap().push(call);
        self.changed.notify_waiters();
    }

    /// Makes this connection the one dispatches go to.
    fn take_over(
        &self,
        tx: &mpsc::UnboundedSender<Value>,
        close: &mut Option<oneshot::Sender<()>>,
    ) {
        *self.session.lock().unwrap() = Some(Session {
            tx: tx.clone(),
            close: close.take(),
        });
    }

    fn ws_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }

    fn take_failure(&self, method: &Method, path: &str) -> Option<(u16, Value)> {
        let mut failures = self.failures.lock().unwrap();
        let index = failures
            .iter()
            .position(|f| f.method == method.as_str() && path.starts_with(&f.path_prefix))?;
        let failure = &mut failures[index];
        let answer = (failure.status, failure.body.clone());
        if let Some(remaining) = &mut failure.remaining {
            *remaining -= 1;
            if *remaining == 0 {
                failures.remove(index);
            }
        }
        Some(answer)
    }
}

// ---------------------------------------------------------------------------------------------
// Gateway

async fn gateway(ws: WebSocketUpgrade, State(inner): State<Arc<Inner>>) -> Response {
    if inner.refuse_gateway.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    ws.on_upgrade(move |socket| session(socket, inner))
}

async fn send(socket: &mut WebSocket, frame: &Value) -> bool {
    socket
        .send(Message::Text(frame.to_string().into()))
        .await
        .is_ok()
}

async fn session(mut socket: WebSocket, inner: Arc<Inner>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let (close_tx, mut close_rx) = oneshot::channel::<()>();
    let mut close_tx = Some(close_tx);
    if !send(
        &mut socket,
        &json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": 41250}}),
    )
    .await
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text.to_string(),
                    Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) => {
                        // tungstenite has queued the closing handshake's answer; reading on
                        // flushes it, so the client sees a clean close rather than a reset.
                        let _ = tokio::time::timeout(Duration::from_secs(1), socket.recv()).await;
                        break;
                    }
                    _ => break,
                };
                let Ok(frame) = serde_json::from_str::<Value>(&text) else { continue };
                match frame["op"].as_u64() {
                    Some(2) => {
                        inner.take_over(&tx, &mut close_tx);
                        inner.identifies.fetch_add(1, Ordering::SeqCst);
                        let seq = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        let ready = json!({"op": 0, "t": "READY", "s": seq, "d": ready_payload(&inner)});
                        if !send(&mut socket, &ready).await { break; }
                        let seq = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        let guild = json!({"op": 0, "t": "GUILD_CREATE", "s": seq, "d": payloads::guild_create()});
                        if !send(&mut socket, &guild).await { break; }
                    }
                    Some(1) => {
                        let ack = json!({"op": 11, "s": null, "t": null, "d": null});
                        if !send(&mut socket, &ack).await { break; }
                    }
                    Some(6) => {
                        inner.take_over(&tx, &mut close_tx);
                        inner.resumes.fetch_add(1, Ordering::SeqCst);
                        let seq = inner.seq.load(Ordering::SeqCst);
                        if !send(&mut socket, &json!({"op": 0, "t": "RESUMED", "s": seq, "d": {}})).await { break; }
                    }
                    _ => {}
                }
            }
            Some(frame) = rx.recv() => {
                if !send(&mut socket, &frame).await { break; }
            }
            _ = &mut close_rx => {
                // `drop_gateway`: close as Discord does, with a resumable close code.
                let close = axum::extract::ws::CloseFrame { code: 4000, reason: "reconnect".into() };
                let _ = socket.send(Message::Close(Some(close))).await;
                break;
            }
        }
    }
}

fn ready_payload(inner: &Inner) -> Value {
    json!({
        "v": 10,
        "user": payloads::bot_user(),
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": "fake-session-1",
        "resume_gateway_url": inner.ws_url(),
        "shard": [0, 1],
        "application": {"id": APP_ID.to_string(), "flags": 0},
        "private_channels": [],
    })
}

// ---------------------------------------------------------------------------------------------
// REST

fn error_body(status: u16, message: &str) -> Value {
    json!({"message": format!("{status}: {message}"), "code": 0})
}

async fn rest(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let decoded = decode_body(&headers, &body);
    let authorized = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bot {TOKEN}"));
    // Like Discord, the gateway URL is public; everything else needs the bot's token.
    let public = method == Method::GET && path == "/api/v10/gateway";
    let mut injected = false;
    let (status, answer) = if !authorized && !public {
        (401, Some(error_body(401, "Unauthorized")))
    } else if let Some((status, body)) = inner.take_failure(&method, &path) {
        injected = true;
        (status, Some(body))
    } else {
        route(&inner, &method, &path, &decoded)
    };
    inner.record(Call {
        method: method.to_string(),
        path,
        body: decoded,
        status,
        injected,
    });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match answer {
        Some(json) => (status, axum::Json(json)).into_response(),
        None => status.into_response(),
    }
}

/// What Discord would answer; `None` body means an empty answer (204).
fn route(inner: &Inner, method: &Method, path: &str, body: &Value) -> (u16, Option<Value>) {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return (404, Some(error_body(404, "Not Found")));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let app = APP_ID.to_string();
    let guild = GUILD_ID.to_string();
    let id = || inner.ids.fetch_add(1, Ordering::Relaxed).to_string();
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => (200, Some(json!({"url": inner.ws_url()}))),
        ("GET", ["gateway", "bot"]) => (
            200,
            Some(json!({
                "url": inner.ws_url(),
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            })),
        ),
        ("GET", ["oauth2", "applications", "@me"]) => (200, Some(payloads::application())),
        ("GET", ["users", "@me"]) => (200, Some(payloads::bot_user())),
        ("PUT", ["applications", a, "commands"]) if *a == app => {
            checked(discord_rules::commands(body), || echo_commands(body, id))
        }
        ("PUT", ["applications", a, "guilds", g, "commands"]) if *a == app && *g == guild => {
            checked(discord_rules::commands(body), || echo_commands(body, id))
        }
        ("POST", ["interactions", interaction, _, "callback"]) => {
            if let Err(broken) = discord_rules::callback(body) {
                return invalid_form_body(&broken);
            }
            if !inner
                .answered
                .lock()
                .unwrap()
                .insert((*interaction).to_owned())
            {
                let message = "Interaction has already been acknowledged.";
                return (400, Some(json!({"message": message, "code": 40060})));
            }
            (204, None)
        }
        ("GET", ["webhooks", a, _, "messages", _]) if *a == app => {
            (200, Some(payloads::message(&id(), CHANNEL_ID, body)))
        }
        ("PATCH", ["webhooks", a, _, "messages", _]) | ("POST", ["webhooks", a, _])
            if *a == app =>
        {
            checked(discord_rules::message(body), || {
                payloads::message(&id(), CHANNEL_ID, body)
            })
        }
        ("DELETE", ["webhooks", a, _, "messages", _]) if *a == app => (204, None),
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = body["recipient_id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            (200, Some(payloads::dm_channel(&id(), recipient)))
        }
        ("POST", ["channels", channel, "messages"]) => {
            let channel = channel.parse().unwrap_or(CHANNEL_ID);
            checked(discord_rules::message(body), || {
                payloads::message(&id(), channel, body)
            })
        }
        _ => (404, Some(error_body(404, "Not Found"))),
    }
}

/// 400 "Invalid Form Body", Discord's answer to a payload over its limits.
fn invalid_form_body(broken: &str) -> (u16, Option<Value>) {
    let message = format!("Invalid Form Body: {broken}");
    (400, Some(json!({"message": message, "code": 50035})))
}

/// The answer `ok` makes, unless a rule was broken.
fn checked(rules: Result<(), String>, ok: impl FnOnce() -> Value) -> (u16, Option<Value>) {
    match rules {
        Ok(()) => (200, Some(ok())),
        Err(broken) => invalid_form_body(&broken),
    }
}

/// Command registration answers must be full command objects, or serenity refuses them.
fn echo_commands(body: &Value, id: impl Fn() -> String) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    Value::Array(
        commands
            .into_iter()
            .map(|mut command| {
                command["id"] = json!(id());
                command["application_id"] = json!(APP_ID.to_string());
                command["version"] = json!("1");
                if command.get("type").is_none() {
                    command["type"] = json!(1);
                }
                if command.get("default_member_permissions").is_none() {
                    command["default_member_permissions"] = Value::Null;
                }
                command
            })
            .collect(),
    )
}

fn decode_body(headers: &HeaderMap, body: &Bytes) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(boundary) = content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        return decode_multipart(body, boundary.trim_matches('"'));
    }
    serde_json::from_slice(body).unwrap_or_else(|_| json!({"_raw": String::from_utf8_lossy(body)}))
}

/// Enough of multipart/form-data for Discord uploads: the JSON part and each file's name and
/// size (in bytes: files are binary, so parts are split as bytes, not text).
fn decode_multipart(body: &[u8], boundary: &str) -> Value {
    let delimiter = format!("--{boundary}");
    let mut payload = json!({});
    let mut files = Vec::new();
    for part in split_bytes(body, delimiter.as_bytes()) {
        let Some(header_end) = find_bytes(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..header_end]);
        let content = &part[header_end + 4..];
        let content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let quoted = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map(str::to_owned)
        };
        let name = quoted("name").unwrap_or_default();
        if name == "payload_json" {
            payload = serde_json::from_slice(content).unwrap_or(Value::Null);
        } else if let Some(filename) = quoted("filename") {
            files.push(json!({"field": name, "name": filename, "size": content.len()}));
        }
    }
    if let Value::Object(map) = &mut payload {
        map.insert("_files".into(), Value::Array(files));
    }
    payload
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split_bytes<'a>(mut haystack: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = find_bytes(haystack, delimiter) {
        parts.push(&haystack[..at]);
        haystack = &haystack[at + delimiter.len()..];
    }
    parts.push(haystack);
    parts
}
