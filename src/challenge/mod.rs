//! Phase challenges: moderators post one for a phase with a deadline, members submit a link,
//! moderators review, and approved points reach the leaderboard. (In progress: the rules and
//! the life of a challenge in the store; the Discord side, points and deadlines come next.)

pub mod rules;
pub mod service;

pub use service::ChallengeService;
