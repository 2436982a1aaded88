#![recursion_limit = "256"]

//! End-to-end tests: the real bot, its real serenity HTTP client and gateway, against a fake
//! Discord on 127.0.0.1. One test binary (see STYLE.md: each file in tests/ links all of
//! serenity again), one module per feature.

mod support;

mod bench;

mod challenge;
mod errors;
mod fake;
mod group;
mod hardening;
mod leaderboard;
mod note;
mod ops;
mod privacy;
mod progress;
mod remind;
mod roadmap;
mod send;
mod settings;
mod startup;
mod streak;
mod topic;
