//! Daily study reminders by DM and study-group nudges (in progress: the schedule comes first).

pub mod dispatcher;
pub mod schedule;
