//! A fake Discord on 127.0.0.1: the REST API over HTTP and the gateway over WebSocket, both on
//! one random port. The real bot connects to it through `WAYPOINT_DISCORD_API_URL`.
//!
//! - `world`: the servers (channels, roles, members), DM channels, the messages the bot posted
//!   and edited, and per-target failures (a user's closed DMs, a deleted channel);
//! - `rest`: the routes, Discord's rules on payloads (`rules`), injected failures by route;
//! - `gateway`: the WebSocket session;
//! - `recorder`: every REST call, for assertions and waits.
//!
//! Unknown routes answer 404 and are recorded, so a test can check the bot made no unexpected
//! call.

mod gateway;
mod recorder;
mod rest;
pub mod rules;
pub mod world;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::payloads::Interaction;
use super::reply::Reply;

pub use recorder::{Call, WAIT};
pub use world::{
    Message, ANNOUNCEMENTS_ID, APP_ID, BOT_USER_ID, CHANNEL_ID, GUILD_ID, MOD_ROLE_ID,
    OTHER_CHANNEL_ID, OTHER_GUILD_ID, READ_ONLY_ID, TOKEN,
};

/// The gateway connection that last identified or resumed.
struct Session {
    tx: mpsc::UnboundedSender<Value>,
    close: Option<oneshot::Sender<()>>,
}

struct Inner {
    addr: SocketAddr,
    recorder: recorder::Recorder,
    world: Mutex<world::World>,
    session: Mutex<Option<Session>>,
    seq: AtomicU64,
    ids: AtomicU64,
    identifies: AtomicUsize,
    resumes: AtomicUsize,
    failures: Mutex<Vec<rest::Failure>>,
    /// Interactions already answered: Discord takes one callback per interaction.
    answered: Mutex<std::collections::HashSet<String>>,
    /// Payloads of the interactions sent, by id, to deliver again.
    sent: Mutex<HashMap<u64, Value>>,
    /// While set, gateway connections are refused (503), as during a Discord outage.
    refuse_gateway: AtomicBool,
}

impl Inner {
    fn ws_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }
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
            recorder: recorder::Recorder::default(),
            world: Mutex::new(world::World::standard()),
            session: Mutex::default(),
            seq: AtomicU64::new(0),
            ids: AtomicU64::new(1_300_000_000_000_000_000),
            identifies: AtomicUsize::new(0),
            resumes: AtomicUsize::new(0),
            failures: Mutex::default(),
            answered: Mutex::default(),
            sent: Mutex::default(),
            refuse_gateway: AtomicBool::new(false),
        });
        let app = Router::new()
            .route("/gateway", get(gateway::upgrade))
            .fallback(rest::handle)
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

    // -----------------------------------------------------------------------------------------
    // What the bot did

    pub fn calls(&self) -> Vec<Call> {
        self.inner.recorder.calls()
    }

    /// How many recorded calls match, without copying them.
    pub fn count_calls(&self, pred: impl Fn(&Call) -> bool) -> usize {
        self.inner.recorder.count(pred)
    }

    /// Calls answered 404: routes the fake does not know, so the bot should not have made them.
    pub fn unexpected_calls(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.status == 404 && !c.injected)
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
        self.inner.recorder.wait_for_nth(what, n, pred).await
    }

    /// Waits for the n-th gateway IDENTIFY (a new session, e.g. after a restart).
    pub async fn wait_for_identify(&self, n: usize) {
        wait_for_count("gateway IDENTIFY", n, &self.inner.identifies).await;
    }

    /// Waits for the n-th gateway RESUME (a reconnect of the same session).
    pub async fn wait_for_resume(&self, n: usize) {
        wait_for_count("gateway RESUME", n, &self.inner.resumes).await;
    }

    /// Every message the bot posted (channel posts, DMs, answers, follow-ups), as it reads now.
    pub fn messages(&self) -> Vec<Message> {
        self.inner.world.lock().unwrap().messages()
    }

    pub fn messages_in(&self, channel: u64) -> Vec<Message> {
        self.messages()
            .into_iter()
            .filter(|m| m.channel == channel)
            .collect()
    }

    /// The DMs the bot sent to `user`.
    pub fn dms_to(&self, user: u64) -> Vec<Message> {
        let channel = self.inner.world.lock().unwrap().dm_channel_of(user);
        channel.map(|c| self.messages_in(c)).unwrap_or_default()
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

    // -----------------------------------------------------------------------------------------
    // What members do

    /// Sends an interaction over the gateway, as a member's click or command would arrive, and
    /// returns the bot's answer to it.
    pub async fn interact(&self, interaction: impl Into<Interaction>) -> Reply {
        let id = self.send_interaction(interaction);
        self.answer_to(id).await
    }

    /// Sends an interaction without waiting for the answer; returns its id.
    pub fn send_interaction(&self, interaction: impl Into<Interaction>) -> u64 {
        let interaction = interaction.into();
        let id = self.next_id();
        let token = token_of(id);
        self.inner
            .world
            .lock()
            .unwrap()
            .interaction_in(&token, interaction.channel());
        let payload = interaction.to_payload(id, &token);
        self.inner.sent.lock().unwrap().insert(id, payload.clone());
        self.dispatch("INTERACTION_CREATE", payload);
        id
    }

    /// Delivers the interaction `id` again, unchanged (same id and token), as Discord may.
    pub fn redeliver(&self, id: u64) {
        let payload = self.inner.sent.lock().unwrap().get(&id).cloned();
        self.dispatch(
            "INTERACTION_CREATE",
            payload.expect("no interaction with that id was sent"),
        );
    }

    /// Sends a raw INTERACTION_CREATE payload (made by hand: malformed, hostile, unusual) and
    /// returns its id; `id` and `token` are filled in.
    pub fn send_raw_interaction(&self, mut payload: Value) -> u64 {
        let id = self.next_id();
        payload["id"] = json!(id.to_string());
        payload["token"] = json!(token_of(id));
        self.dispatch("INTERACTION_CREATE", payload);
        id
    }

    /// The bot's answer to the interaction `id`.
    pub async fn answer_to(&self, id: u64) -> Reply {
        let path = callback_path(id);
        let call = self.inner.recorder.first_answer(&path).await;
        Reply {
            body: call.body,
            id,
            status: call.status,
            callback_path: path,
        }
    }

    /// How many answers the bot sent to the interaction `id` so far.
    pub fn answers_to(&self, id: u64) -> usize {
        let path = callback_path(id);
        self.calls().iter().filter(|c| c.is("POST", &path)).count()
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

    /// Sends a gateway dispatch (op 0) to the connected bot.
    pub fn dispatch(&self, event: &str, data: Value) {
        let seq = self.inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
        self.send_frame(json!({"op": 0, "t": event, "s": seq, "d": data}));
    }

    /// The bot is removed from a server (GUILD_DELETE without `unavailable`).
    pub fn remove_bot_from(&self, guild: u64) {
        self.dispatch("GUILD_DELETE", serde_json::json!({"id": guild.to_string()}));
    }

    /// A server becomes unavailable (an outage, not a removal).
    pub fn guild_outage(&self, guild: u64) {
        self.dispatch(
            "GUILD_DELETE",
            serde_json::json!({"id": guild.to_string(), "unavailable": true}),
        );
    }

    /// The bot is in the server again (GUILD_CREATE with everything in it).
    pub fn add_bot_to(&self, guild: u64) {
        let payload = {
            let world = self.inner.world.lock().unwrap();
            let found = world
                .guilds
                .iter()
                .find(|g| g.id == guild)
                .expect("a server of the fake");
            world.guild_create(found)
        };
        self.dispatch("GUILD_CREATE", payload);
    }

    /// Sends any gateway frame, well-formed or not.
    pub fn send_frame(&self, frame: Value) {
        let session = self.inner.session.lock().unwrap();
        let session = session
            .as_ref()
            .expect("no bot is connected to the fake gateway");
        session
            .tx
            .send(frame)
            .expect("the gateway connection is gone");
    }

    // -----------------------------------------------------------------------------------------
    // Failures

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
        self.inner.failures.lock().unwrap().push(rest::Failure {
            method: method.to_owned(),
            path_prefix: path_prefix.to_owned(),
            status,
            body,
            remaining: times,
        });
    }

    /// Answers the next `times` requests whose path starts with `path_prefix` with a 429, as
    /// Discord (or a proxy) does when the bot goes too fast.
    pub fn rate_limit(&self, method: &str, path_prefix: &str, times: usize) {
        let body = json!({"message": "You are being rate limited.", "retry_after": 0.2, "global": false, "code": 0});
        self.fail(method, path_prefix, 429, body, Some(times));
    }

    /// `user` has closed their DMs: messages to them answer 403 with code 50007.
    pub fn close_dms(&self, user: u64) {
        self.inner.world.lock().unwrap().close_dms(user);
    }

    /// `channel` was deleted: posts and edits there answer 404 with code 10003.
    pub fn remove_channel(&self, channel: u64) {
        self.inner.world.lock().unwrap().remove_channel(channel);
    }

    /// Refuses (or again accepts) gateway connections, to test a bot that cannot connect.
    pub fn refuse_gateway(&self, refuse: bool) {
        self.inner.refuse_gateway.store(refuse, Ordering::SeqCst);
    }
}

fn token_of(id: u64) -> String {
    format!("interaction-token-{id}")
}

fn callback_path(id: u64) -> String {
    format!("/api/v10/interactions/{id}/{}/callback", token_of(id))
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
