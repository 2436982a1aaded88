//! One file per command group. Each command reads its options, calls a service and renders.

pub mod help;
pub mod phase;
pub mod progress;
pub mod topic;

use crate::error::Error;
use crate::roadmap::Roadmap;

use super::Data;

pub type Command = poise::Command<Data, Error>;

/// Every command, with `/phase`'s subcommands generated from the roadmap.
pub fn all(roadmap: &Roadmap) -> Vec<Command> {
    vec![
        phase::roadmap(),
        phase::phase_command(roadmap),
        topic::topic(),
        topic::next(),
        progress::progress(),
        help::help(),
    ]
}
