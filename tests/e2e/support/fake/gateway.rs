//! The gateway over WebSocket: HELLO, IDENTIFY → READY and a GUILD_CREATE per server,
//! heartbeats, RESUME, dispatches from the test, and closing like Discord does.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};

use super::super::payloads;
use super::world::APP_ID;
use super::{Inner, Session};

pub(super) async fn upgrade(ws: WebSocketUpgrade, State(inner): State<Arc<Inner>>) -> Response {
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

fn dispatch_frame(inner: &Inner, event: &str, data: Value) -> Value {
    let seq = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
    json!({"op": 0, "t": event, "s": seq, "d": data})
}

async fn session(mut socket: WebSocket, inner: Arc<Inner>) {
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let (close_tx, mut close_rx) = oneshot::channel::<()>();
    let mut close_tx = Some(close_tx);
    let hello = json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": 41250}});
    if !send(&mut socket, &hello).await {
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
                        take_over(&inner, &tx, &mut close_tx);
                        inner.identifies.fetch_add(1, Ordering::SeqCst);
                        let ready = dispatch_frame(&inner, "READY", ready_payload(&inner));
                        if !send(&mut socket, &ready).await { break; }
                        let guilds: Vec<Value> = {
                            let world = inner.world.lock().unwrap();
                            world.guilds.iter().map(|g| world.guild_create(g)).collect()
                        };
                        for guild in guilds {
                            let frame = dispatch_frame(&inner, "GUILD_CREATE", guild);
                            if !send(&mut socket, &frame).await { break; }
                        }
                    }
                    Some(1) => {
                        let ack = json!({"op": 11, "s": null, "t": null, "d": null});
                        if !send(&mut socket, &ack).await { break; }
                    }
                    Some(6) => {
                        take_over(&inner, &tx, &mut close_tx);
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

/// Makes this connection the one dispatches go to.
fn take_over(
    inner: &Inner,
    tx: &mpsc::UnboundedSender<Value>,
    close: &mut Option<oneshot::Sender<()>>,
) {
    *inner.session.lock().unwrap() = Some(Session {
        tx: tx.clone(),
        close: close.take(),
    });
}

fn ready_payload(inner: &Inner) -> Value {
    let guilds: Vec<Value> = inner
        .world
        .lock()
        .unwrap()
        .guilds
        .iter()
        .map(|g| json!({"id": g.id.to_string(), "unavailable": true}))
        .collect();
    json!({
        "v": 10,
        "user": payloads::bot_user(),
        "guilds": guilds,
        "session_id": "fake-session-1",
        "resume_gateway_url": inner.ws_url(),
        "shard": [0, 1],
        "application": {"id": APP_ID.to_string(), "flags": 0},
        "private_channels": [],
    })
}
