//! Waypoint: a Discord study bot that walks a server through a six-phase backend roadmap.
//!
//! Data flows one way: `discord` (thin poise adapters) → feature services (`roadmap`,
//! `progress`) → `store` (all SQL) → SQLite. `app` wires them together and owns start-up and
//! shutdown; `main.rs` only reads the environment and calls it.

pub mod app;
pub mod clock;
pub mod config;
pub mod discord;
pub mod error;
pub mod member;
pub mod progress;
pub mod roadmap;
pub mod store;

pub use error::{Error, Result};
