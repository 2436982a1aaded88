//! Phase challenges: moderators post one for a phase with a deadline, members submit a link,
//! moderators review, and approved points reach the leaderboard. (In progress: the rules.)

pub mod rules;
