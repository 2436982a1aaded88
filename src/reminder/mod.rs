//! Daily study reminders by DM: the schedule (a local time that never moves with DST), the
//! dispatcher that sends them exactly once, and the service behind `/remind`. Study-group
//! nudges come next.

pub mod dispatcher;
pub mod schedule;
pub mod service;

pub use service::ReminderService;
