//! Study check-ins and streaks, counted on each member's own calendar day.

pub mod rules;
