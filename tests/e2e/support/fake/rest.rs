//! The REST API: authorisation, injected failures, Discord's rules on what the bot sends, and
//! the routes the bot uses, answered from (and recorded into) the world.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::super::payloads;
use super::recorder::Call;
use super::rules;
use super::world::{Refusal, APP_ID, CHANNEL_ID, TOKEN};
use super::Inner;

/// A canned error answer for requests whose path starts with `path_prefix`.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    pub method: String,
    pub path_prefix: String,
    pub status: u16,
    pub body: Value,
    pub remaining: Option<usize>,
}

fn error_body(status: u16, message: &str) -> Value {
    json!({"message": format!("{status}: {message}"), "code": 0})
}

/// What the fake answers: status, JSON body (`None`: empty), and whether the failure was one a
/// test asked for.
struct Answer {
    status: u16,
    body: Option<Value>,
    injected: bool,
}

impl Answer {
    fn ok(body: Value) -> Self {
        Self {
            status: 200,
            body: Some(body),
            injected: false,
        }
    }

    fn empty() -> Self {
        Self {
            status: 204,
            body: None,
            injected: false,
        }
    }

    fn refused(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            injected: false,
        }
    }

    /// A refusal set up by the test (a closed DM, a deleted channel).
    fn on_purpose((status, body): Refusal) -> Self {
        Self {
            status,
            body: Some(body),
            injected: true,
        }
    }

    fn not_found() -> Self {
        Self::refused(404, error_body(404, "Not Found"))
    }
}

pub(super) async fn handle(
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
    let answer = if !authorized && !public {
        Answer::refused(401, error_body(401, "Unauthorized"))
    } else if let Some((status, body)) = take_failure(&inner, &method, &path) {
        Answer::on_purpose((status, body))
    } else {
        route(&inner, &method, &path, &decoded)
    };
    inner.recorder.record(Call {
        method: method.to_string(),
        path,
        body: decoded,
        status: answer.status,
        injected: answer.injected,
    });
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match answer.body {
        Some(json) => (status, axum::Json(json)).into_response(),
        None => status.into_response(),
    }
}

fn take_failure(inner: &Inner, method: &Method, path: &str) -> Option<(u16, Value)> {
    let mut failures = inner.failures.lock().unwrap();
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

/// What Discord would answer.
fn route(inner: &Inner, method: &Method, path: &str, body: &Value) -> Answer {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return Answer::not_found();
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let app = APP_ID.to_string();
    let id = || inner.ids.fetch_add(1, Ordering::Relaxed);
    let mut world = inner.world.lock().unwrap();
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => Answer::ok(json!({"url": inner.ws_url()})),
        ("GET", ["gateway", "bot"]) => Answer::ok(json!({
            "url": inner.ws_url(),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        })),
        ("GET", ["oauth2", "applications", "@me"]) => Answer::ok(payloads::application()),
        ("GET", ["users", "@me"]) => Answer::ok(payloads::bot_user()),
        ("PUT", ["applications", a, "commands"]) if *a == app => {
            checked(rules::commands(body), || echo_commands(body, id))
        }
        ("PUT", ["applications", a, "guilds", g, "commands"])
            if *a == app && world.guilds.iter().any(|guild| guild.id.to_string() == *g) =>
        {
            checked(rules::commands(body), || echo_commands(body, id))
        }
        ("POST", ["interactions", interaction, token, "callback"]) => {
            if let Err(broken) = rules::callback(body) {
                return invalid_form_body(&broken);
            }
            if !inner
                .answered
                .lock()
                .unwrap()
                .insert((*interaction).to_owned())
            {
                let message = "Interaction has already been acknowledged.";
                return Answer::refused(400, json!({"message": message, "code": 40060}));
            }
            // A message answer becomes the interaction's original message.
            if matches!(body["type"].as_u64(), Some(4)) {
                world.post(id(), CHANNEL_ID, &body["data"], Some(token));
            }
            Answer::empty()
        }
        ("GET", ["webhooks", a, token, "messages", which]) if *a == app => {
            match webhook_message(&world, token, which).and_then(|m| world.message(m)) {
                Some(m) => Answer::ok(payloads::message(&m.id.to_string(), m.channel, &m.body)),
                None => Answer::refused(404, json!({"message": "Unknown Message", "code": 10008})),
            }
        }
        ("PATCH", ["webhooks", a, token, "messages", which]) if *a == app => {
            if let Err(broken) = rules::message(body) {
                return invalid_form_body(&broken);
            }
            match webhook_message(&world, token, which).and_then(|m| world.edit(m, body)) {
                Some(message) => Answer::ok(message),
                None => Answer::refused(404, json!({"message": "Unknown Message", "code": 10008})),
            }
        }
        ("POST", ["webhooks", a, token]) if *a == app => checked(rules::message(body), || {
            world.post(id(), CHANNEL_ID, body, Some(token))
        }),
        ("DELETE", ["webhooks", a, token, "messages", which]) if *a == app => {
            if let Some(m) = webhook_message(&world, token, which) {
                world.delete(m);
            }
            Answer::empty()
        }
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = body["recipient_id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let channel = world.dm_channel(recipient, id);
            Answer::ok(payloads::dm_channel(&channel.to_string(), recipient))
        }
        ("POST", ["channels", channel, "messages"]) => {
            let Ok(channel) = channel.parse::<u64>() else {
                return Answer::not_found();
            };
            if let Some(refusal) = world.refuse_post(channel) {
                return Answer::on_purpose(refusal);
            }
            checked(rules::message(body), || {
                world.post(id(), channel, body, None)
            })
        }
        ("PATCH", ["channels", channel, "messages", message]) => {
            let (Ok(channel), Ok(message)) = (channel.parse::<u64>(), message.parse::<u64>())
            else {
                return Answer::not_found();
            };
            if let Some(refusal) = world.refuse_edit(channel, message) {
                // An unknown message is the bot's mistake unless the channel was removed.
                return if refusal.1["code"] == 10003 {
                    Answer::on_purpose(refusal)
                } else {
                    Answer::refused(refusal.0, refusal.1)
                };
            }
            if let Err(broken) = rules::message(body) {
                return invalid_form_body(&broken);
            }
            match world.edit(message, body) {
                Some(edited) => Answer::ok(edited),
                None => Answer::not_found(),
            }
        }
        ("DELETE", ["channels", _, "messages", message]) => {
            match message.parse::<u64>().ok().filter(|m| world.delete(*m)) {
                Some(_) => Answer::empty(),
                None => Answer::refused(404, json!({"message": "Unknown Message", "code": 10008})),
            }
        }
        _ => Answer::not_found(),
    }
}

/// The message a webhook path names: `@original` or an id.
fn webhook_message(world: &super::world::World, token: &str, which: &str) -> Option<u64> {
    match which {
        "@original" => world.original_of(token),
        id => id.parse().ok(),
    }
}

/// 400 "Invalid Form Body", Discord's answer to a payload over its limits.
fn invalid_form_body(broken: &str) -> Answer {
    let message = format!("Invalid Form Body: {broken}");
    Answer::refused(400, json!({"message": message, "code": 50035}))
}

/// The answer `ok` makes, unless a rule was broken.
fn checked(rules: Result<(), String>, ok: impl FnOnce() -> Value) -> Answer {
    match rules {
        Ok(()) => Answer::ok(ok()),
        Err(broken) => invalid_form_body(&broken),
    }
}

/// Command registration answers must be full command objects, or serenity refuses them.
fn echo_commands(body: &Value, id: impl Fn() -> u64) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    Value::Array(
        commands
            .into_iter()
            .map(|mut command| {
                command["id"] = json!(id().to_string());
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

/// Enough of multipart/form-data for Discord uploads: the JSON part and each file's name, size
/// and bytes (files are binary, so parts are split as bytes, not text).
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
            files.push(
                json!({"field": name, "name": filename, "size": content.len(), "bytes": content}),
            );
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
