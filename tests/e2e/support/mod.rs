//! Test support shared by every end-to-end test: the fake Discord, Discord-shaped payloads and
//! the harness that runs the real bot against them.

pub mod discord_rules;
pub mod fake_discord;
pub mod harness;
pub mod payloads;
pub mod reply;

pub use harness::Harness;
pub use payloads::{button, modal_submit, select, slash, ALICE, BOB};
