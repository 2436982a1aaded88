//! Leaderboards: who studied most, finished most topics, or holds the longest current streak,
//! this week, this month or all time, in a server (later: in a study group).
//!
//! Scores for time and topics are kept per period as they are recorded ([`Board`] keys), and
//! weeks and months start at the server's local midnight. Ranks are shared by ties (1, 2, 2, 4).

pub mod service;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

pub use service::LeaderboardService;

pub const PAGE_SIZE: u32 = 10;

/// Whose board: the server's members, one study group's members, or the server's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Server,
    Group(i64),
    Groups,
}

/// One row of a board: a member, or (on the board of groups) a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Member(crate::member::UserId),
    Group(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    Streak,
    Time,
    Topics,
    /// Points of approved challenge submissions.
    Points,
}

impl Metric {
    pub const ALL: [Metric; 4] = [Metric::Streak, Metric::Time, Metric::Topics, Metric::Points];

    pub fn code(self) -> &'static str {
        match self {
            Self::Streak => "streak",
            Self::Time => "time",
            Self::Topics => "topics",
            Self::Points => "points",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Streak => "Current streaks",
            Self::Time => "Study time",
            Self::Topics => "Topics done",
            Self::Points => "Challenge points",
        }
    }

    /// How a score reads: "5 days", "3 h 20 min", "4 topics".
    pub fn show(self, score: i64) -> String {
        match self {
            Self::Streak => format!("{score} day{}", if score == 1 { "" } else { "s" }),
            Self::Time => {
                let (h, m) = (score / 60, score % 60);
                match (h, m) {
                    (0, m) => format!("{m} min"),
                    (h, 0) => format!("{h} h"),
                    (h, m) => format!("{h} h {m} min"),
                }
            }
            Self::Topics => format!("{score} topic{}", if score == 1 { "" } else { "s" }),
            Self::Points => format!("{score} point{}", if score == 1 { "" } else { "s" }),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Week,
    Month,
    All,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::All];

    pub fn code(self) -> &'static str {
        match self {
            Self::Week => "week",
            Self::Month => "month",
            Self::All => "all",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Week => "this week",
            Self::Month => "this month",
            Self::All => "all time",
        }
    }

    /// When the period containing `at` began, at the server's local midnight; `None` for all
    /// time.
    pub fn start(self, at: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        let today = at.with_timezone(&zone).date_naive();
        let first: NaiveDate = match self {
            Self::Week => today - Duration::days(i64::from(today.weekday().num_days_from_monday())),
            Self::Month => today.with_day(1)?,
            Self::All => return None,
        };
        Some(crate::streak::rules::day_start(first, zone))
    }
}

/// Ranks for one page of scores sorted best first, the page starting at row `offset`: equal
/// scores share a rank and the next rank skips (1, 2, 2, 4). `first_rank` is the rank of the
/// page's first score (1 + how many score higher), which a tie with the previous page lowers.
pub fn ranks(scores: &[i64], first_rank: u32, offset: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(scores.len());
    let mut rank = first_rank;
    for (i, score) in scores.iter().enumerate() {
        if i > 0 && scores[i - 1] != *score {
            rank = offset + i as u32 + 1;
        }
        out.push(rank);
    }
    out
}

/// How many pages `total` rows make (at least one, so an empty board has a page).
pub fn pages(total: u32) -> u32 {
    total.div_ceil(PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ties_share_a_rank_and_the_next_one_skips() {
        assert_eq!(ranks(&[50, 40, 40, 30], 1, 0), [1, 2, 2, 4]);
        assert_eq!(ranks(&[9, 9, 9], 1, 0), [1, 1, 1]);
        assert_eq!(ranks(&[], 1, 0), Vec::<u32>::new());
        // Page 2 (rows 10-13) whose first row ties with row 8 of page 1 (rank 9).
        assert_eq!(ranks(&[7, 7, 6, 5], 9, 10), [9, 9, 13, 14]);
    }

    #[test]
    fn pages_hold_ten_rows() {
        assert_eq!(
            (pages(0), pages(1), pages(10), pages(11), pages(100_000)),
            (1, 1, 1, 2, 10_000)
        );
    }

    #[test]
    fn weeks_and_months_start_at_the_servers_midnight() {
        let berlin = Tz::Europe__Berlin;
        // Thursday 26 November 2026, 00:30 in Berlin (23:30 UTC on Wednesday).
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 23, 30, 0).unwrap();
        assert_eq!(
            Period::Week.start(at, berlin),
            Some(Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap()),
            "Monday 23 November, 00:00 in Berlin"
        );
        assert_eq!(
            Period::Month.start(at, berlin),
            Some(Utc.with_ymd_and_hms(2026, 10, 31, 23, 0, 0).unwrap())
        );
        assert_eq!(Period::All.start(at, berlin), None);
        // In UTC it is still Wednesday the 25th: the same week, a different day.
        assert_eq!(
            Period::Week.start(at, Tz::UTC),
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap())
        );
    }

    #[test]
    fn scores_read_naturally_and_codes_round_trip() {
        assert_eq!(Metric::Time.show(200), "3 h 20 min");
        assert_eq!(Metric::Time.show(45), "45 min");
        assert_eq!(Metric::Time.show(120), "2 h");
        assert_eq!(Metric::Streak.show(1), "1 day");
        assert_eq!(Metric::Topics.show(4), "4 topics");
        assert_eq!(Metric::Points.show(1), "1 point");
        for m in Metric::ALL {
            assert_eq!(Metric::from_code(m.code()), Some(m));
        }
        for p in Period::ALL {
            assert_eq!(Period::from_code(p.code()), Some(p));
        }
        assert_eq!(Metric::from_code("xp"), None);
    }
}
