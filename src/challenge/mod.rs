//! Phase challenges: moderators post one for a phase with a deadline, members submit a link
//! through a form, moderators review, approved points reach the leaderboard, and the
//! dispatcher closes each challenge at its deadline, once.

pub mod message;
pub mod rules;
pub mod service;

pub use service::ChallengeService;
