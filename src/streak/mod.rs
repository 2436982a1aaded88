//! Study check-ins and streaks, counted on each member's own calendar day.

pub mod rules;
pub mod service;

pub use service::{CheckIn, MemberStreak, Recorded, StudyService};
