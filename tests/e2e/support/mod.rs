//! Test support shared by every end-to-end test: the fake Discord, Discord-shaped payloads and
//! the harness that runs the real bot against them.

pub mod fake;
pub mod harness;
pub mod payloads;
pub mod reply;

pub use harness::Harness;
pub use payloads::{button, modal_submit, select, slash, ALICE, BOB, CAROL};

/// The curriculum the bot ships with.
pub fn shipped_roadmap_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/roadmap.toml")
}

pub fn shipped_roadmap() -> waypoint::roadmap::Roadmap {
    waypoint::roadmap::Roadmap::load(&shipped_roadmap_path())
        .unwrap_or_else(|problems| panic!("the shipped roadmap is invalid: {problems:?}"))
}
