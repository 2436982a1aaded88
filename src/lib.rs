//! Waypoint: a Discord study bot that walks a server through a six-phase backend roadmap.
//!
//! Data flows one way: `discord` (thin poise adapters, one folder per feature) → feature
//! services (`roadmap`, `progress`, …) → `store` (all SQL) → SQLite. `app` wires them together
//! and owns start-up, background tasks and shutdown; `main.rs` only reads the environment and
//! calls it. `clock` is the only reader of the wall clock; `outbox` is how background work
//! sends messages.

pub mod app;
pub mod background;
pub mod calendar;
pub mod challenge;
pub mod clock;
pub mod config;
pub mod discord;
pub mod error;
pub mod group;
pub mod http;
pub mod leaderboard;
pub mod member;
pub mod note;
pub mod ops;
pub mod outbox;
pub mod privacy;
pub mod progress;
pub mod reminder;
pub mod replay;
pub mod roadmap;
pub mod server;
pub mod settings;
pub mod store;
pub mod streak;
pub mod telemetry;
pub mod timezone;

pub use error::{Error, Result};
