//! The streak rules, pure and in one place (`/help` words them for members).
//!
//! **Study day.** A check-in counts for the calendar date it happens on in the member's zone.
//! Until 3 hours after their local midnight a member may instead count it for yesterday (a late
//! check-in); never for a future day.
//!
//! **Zone changes can't make extra days.** Each study day is the stretch of real time its date
//! covers in the zone it was counted in. A check-in whose date would overlap a study day already
//! counted, or that would start a new day less than 24 hours after the previous one started
//! (unless it is simply the next date in the same zone), adds its minutes to that earlier day
//! instead. So over any span of N calendar days (UTC), at most N + 1 study days can be counted,
//! whatever the zone changes (a property test checks this).
//!
//! **Streak.** The run of consecutive study days ending today or yesterday; the longest run is
//! kept. Days in between two study days are the dates between them in the same zone, or, across
//! a zone change, one per whole 24 hours between the end of one and the start of the next.
//!
//! **Rest days.** Weekdays a member chose (at most [`REST_DAYS_MAX`] a week): a rest day without
//! study neither breaks nor lengthens the streak; studying on one counts as usual.
//!
//! **Freezes.** One is earned for every [`FREEZE_EVERY`] study days of a run, at most
//! [`FREEZES_MAX`] held (one earned at the cap is lost). A missed day that is not a rest day uses
//! a held freeze automatically: the streak stays alive but does not grow. With no freeze left, a
//! missed day ends the run.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

pub const FREEZE_EVERY: u32 = 7;
pub const FREEZES_MAX: u32 = 2;
pub const REST_DAYS_MAX: u32 = 3;
/// How long after local midnight yesterday can still be counted.
pub const LATE_WINDOW: Duration = Duration::hours(3);

/// The first instant of `date` in `zone`: local midnight, or the first minute after it that
/// exists when a DST change skips midnight.
pub fn day_start(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    match zone.from_local_datetime(&midnight) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        LocalResult::None => (1..=180)
            .find_map(|minutes| {
                zone.from_local_datetime(&(midnight + Duration::minutes(minutes)))
                    .earliest()
            })
            .map_or_else(
                || Utc.from_utc_datetime(&midnight),
                |t| t.with_timezone(&Utc),
            ),
    }
}

/// A calendar date in the zone it was counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Day {
    pub date: NaiveDate,
    pub zone: Tz,
}

impl Day {
    pub fn start(&self) -> DateTime<Utc> {
        day_start(self.date, self.zone)
    }

    pub fn end(&self) -> DateTime<Utc> {
        day_start(self.date + Duration::days(1), self.zone)
    }

    fn overlaps(&self, other: &Day) -> bool {
        self.start() < other.end() && other.start() < self.end()
    }

    /// Whether `next` may follow `self` as a new day: the next date in the same zone, or (after
    /// a zone change) a later date starting a full 24 hours after this one.
    fn may_precede(&self, next: &Day) -> bool {
        if next.date <= self.date || self.overlaps(next) {
            return false;
        }
        (self.zone == next.zone && next.date == self.date + Duration::days(1))
            || next.start() >= self.start() + Duration::hours(24)
    }
}

/// The local date a check-in is for, before the zone rule.
pub fn checkin_date(zone: Tz, at: DateTime<Utc>, late: bool) -> Result<NaiveDate, LateRefused> {
    let today = at.with_timezone(&zone).date_naive();
    if !late {
        return Ok(today);
    }
    let window_end = day_start(today, zone) + LATE_WINDOW;
    if at >= window_end {
        return Err(LateRefused { window_end });
    }
    Ok(today - Duration::days(1))
}

/// A late check-in after the window closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateRefused {
    /// When the window for yesterday closed (3 hours after local midnight).
    pub window_end: DateTime<Utc>,
}

/// Where a check-in's minutes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credit {
    /// A new study day.
    New(Day),
    /// A day already counted: the same date, or one the new date would overlap or crowd.
    Existing(Day),
}

impl Credit {
    pub fn day(&self) -> Day {
        match self {
            Self::New(day) | Self::Existing(day) => *day,
        }
    }
}

/// Applies the zone rule: `recorded` are the member's study days sorted by start (the few
/// around `date` suffice).
pub fn credit(recorded: &[Day], date: NaiveDate, zone: Tz) -> Credit {
    if let Some(same) = recorded.iter().find(|d| d.date == date) {
        return Credit::Existing(*same);
    }
    let candidate = Day { date, zone };
    if let Some(overlapping) = recorded.iter().find(|d| d.overlaps(&candidate)) {
        return Credit::Existing(*overlapping);
    }
    let start = candidate.start();
    let before = recorded.iter().rev().find(|d| d.start() < start);
    let after = recorded.iter().find(|d| d.start() > start);
    if let Some(before) = before {
        if !before.may_precede(&candidate) {
            return Credit::Existing(*before);
        }
    }
    if let Some(after) = after {
        if !candidate.may_precede(after) {
            return Credit::Existing(*after);
        }
    }
    Credit::New(candidate)
}

/// The weekdays a member rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RestDays(pub u8);

impl RestDays {
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    pub fn from_days(days: &[Weekday]) -> Self {
        Self(
            days.iter()
                .fold(0, |bits, d| bits | (1 << d.num_days_from_monday())),
        )
    }

    pub fn days(self) -> Vec<Weekday> {
        let all = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        all.into_iter().filter(|d| self.contains(*d)).collect()
    }

    pub fn count(self) -> u32 {
        (self.0 & 0x7F).count_ones()
    }
}

/// The days without study between two study days (see the module's rule).
fn between(prev: &Day, next: &Day) -> Vec<NaiveDate> {
    let count = if prev.zone == next.zone {
        (next.date - prev.date).num_days() - 1
    } else {
        (next.start() - prev.end()).num_hours() / 24
    };
    (1..=count.max(0))
        .map(|i| prev.date + Duration::days(i))
        .collect()
}

/// A member's streak, as it is stored and carried forward one study day at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streak {
    pub current: u32,
    pub longest: u32,
    pub freezes: u32,
    /// Study days in the current run, for earning freezes.
    pub run_days: u32,
    /// The latest study day.
    pub last: Option<Day>,
    /// Days after the last study day up to this date were already settled (when the member
    /// changed their rest days: the old ones apply to the days before the change).
    pub settled_through: Option<NaiveDate>,
}

/// How a streak reads at a given moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreakView {
    /// 0 once a missed day ended the run.
    pub current: u32,
    pub longest: u32,
    /// Freezes still held, after any the days since the last study day used.
    pub freezes: u32,
    /// Days since the last study day covered by a freeze.
    pub frozen: Vec<NaiveDate>,
    /// When the streak ends without another study day (the end of the first day that neither
    /// a rest day nor a freeze covers); `None` without a streak.
    pub alive_until: Option<DateTime<Utc>>,
}

impl Streak {
    /// Settles the days without study in order: rest days cost nothing, then freezes are used,
    /// then the run ends. Days already settled are skipped. Returns the days frozen.
    fn settle(&mut self, missed: &[NaiveDate], rest: RestDays) -> Vec<NaiveDate> {
        let mut frozen = Vec::new();
        let settled = self.settled_through;
        for date in missed.iter().filter(|d| settled.map_or(true, |s| **d > s)) {
            if rest.contains(date.weekday()) {
                continue;
            }
            if self.freezes > 0 {
                self.freezes -= 1;
                frozen.push(*date);
                continue;
            }
            self.current = 0;
            self.run_days = 0;
            frozen.clear();
        }
        frozen
    }

    /// Carries the streak forward by one new study day, which must start after the last one.
    pub fn add(&mut self, day: Day, rest: RestDays) {
        if let Some(last) = self.last {
            debug_assert!(day.start() > last.start(), "days are added in order");
            self.settle(&between(&last, &day), rest);
        }
        self.current += 1;
        self.run_days += 1;
        if self.run_days % FREEZE_EVERY == 0 && self.freezes < FREEZES_MAX {
            self.freezes += 1;
        }
        self.longest = self.longest.max(self.current);
        self.last = Some(day);
        self.settled_through = None;
    }

    /// Settles, with `rest`, the days from the last study day up to yesterday (as of `now`),
    /// for good: done before the member's rest days change, so new rest days apply from today
    /// on and can never mend a day already missed.
    pub fn settle_until(&mut self, rest: RestDays, now: DateTime<Utc>) {
        let Some(last) = self.last else {
            return;
        };
        let today = now.with_timezone(&last.zone).date_naive();
        let missed: Vec<NaiveDate> = (1..(today - last.date).num_days())
            .map(|i| last.date + Duration::days(i))
            .collect();
        self.settle(&missed, rest);
        if let Some(yesterday) = missed.last() {
            self.settled_through = Some(*yesterday);
        }
    }

    /// The streak built from all of a member's study days, in any order.
    pub fn replay(days: &[Day], rest: RestDays) -> Self {
        let mut sorted = days.to_vec();
        sorted.sort_by_key(Day::start);
        let mut streak = Self::default();
        for day in sorted {
            streak.add(day, rest);
        }
        streak
    }

    /// How the streak reads at `now`: the days since the last study day (not today, which is
    /// not over) are settled as if no study came.
    pub fn view(&self, rest: RestDays, now: DateTime<Utc>) -> StreakView {
        let Some(last) = self.last else {
            return StreakView {
                current: 0,
                longest: self.longest,
                freezes: self.freezes,
                frozen: Vec::new(),
                alive_until: None,
            };
        };
        let today = now.with_timezone(&last.zone).date_naive();
        let missed: Vec<NaiveDate> = (1..(today - last.date).num_days())
            .map(|i| last.date + Duration::days(i))
            .collect();
        let mut settled = *self;
        if self.current == 0 {
            return StreakView {
                current: 0,
                longest: self.longest,
                freezes: self.freezes,
                frozen: Vec::new(),
                alive_until: None,
            };
        }
        let frozen = settled.settle(&missed, rest);
        StreakView {
            current: settled.current,
            longest: self.longest,
            freezes: settled.freezes,
            frozen,
            alive_until: (settled.current > 0).then(|| self.alive_until(rest)),
        }
    }

    /// The end of the first day after the last study day that neither a rest day nor a freeze
    /// covers.
    pub fn alive_until(&self, rest: RestDays) -> DateTime<Utc> {
        let Some(last) = self.last else {
            return DateTime::<Utc>::MIN_UTC;
        };
        let mut freezes = self.freezes;
        let mut date = self.settled_through.unwrap_or(last.date).max(last.date);
        // Rest days are at most 3 a week, so this ends within a few weeks.
        for _ in 0..64 {
            date += Duration::days(1);
            if rest.contains(date.weekday()) {
                continue;
            }
            if freezes > 0 {
                freezes -= 1;
                continue;
            }
            break;
        }
        day_start(date + Duration::days(1), last.zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(zone: Tz, y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        zone.with_ymd_and_hms(y, m, day, h, min, 0)
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn day(date: NaiveDate, zone: Tz) -> Day {
        Day { date, zone }
    }

    /// Daily study in one zone on these dates.
    fn streak_of(zone: Tz, dates: &[NaiveDate], rest: RestDays) -> Streak {
        let days: Vec<Day> = dates.iter().map(|date| day(*date, zone)).collect();
        Streak::replay(&days, rest)
    }

    #[test]
    fn midnight_decides_the_day_in_the_members_zone() {
        let utc = Tz::UTC;
        assert_eq!(
            checkin_date(utc, at(utc, 2026, 11, 26, 23, 59), false),
            Ok(d(2026, 11, 26))
        );
        assert_eq!(
            checkin_date(utc, at(utc, 2026, 11, 27, 0, 0), false),
            Ok(d(2026, 11, 27))
        );
        // The same instant is a different day at UTC+14 and UTC-12.
        let instant = Utc.with_ymd_and_hms(2026, 11, 26, 11, 0, 0).unwrap();
        assert_eq!(
            checkin_date(Tz::Pacific__Kiritimati, instant, false),
            Ok(d(2026, 11, 27))
        );
        assert_eq!(
            checkin_date(Tz::Etc__GMTPlus12, instant, false),
            Ok(d(2026, 11, 25))
        );
    }

    #[test]
    fn a_late_check_in_counts_for_yesterday_until_3_am_and_never_for_a_future_day() {
        let berlin = Tz::Europe__Berlin;
        assert_eq!(
            checkin_date(berlin, at(berlin, 2026, 11, 27, 2, 59), true),
            Ok(d(2026, 11, 26))
        );
        let refused = checkin_date(berlin, at(berlin, 2026, 11, 27, 3, 0), true).unwrap_err();
        assert_eq!(refused.window_end, at(berlin, 2026, 11, 27, 3, 0));
        // On the night clocks go forward, the window is still 3 real hours after midnight.
        assert_eq!(
            checkin_date(berlin, at(berlin, 2026, 3, 29, 3, 30), true),
            Ok(d(2026, 3, 28))
        );
        assert!(checkin_date(berlin, at(berlin, 2026, 3, 29, 4, 0), true).is_err());
    }

    #[test]
    fn days_are_23_or_25_hours_across_dst_and_a_leap_day_is_a_day() {
        let berlin = Tz::Europe__Berlin;
        let spring = day(d(2026, 3, 29), berlin);
        assert_eq!(spring.end() - spring.start(), Duration::hours(23));
        let autumn = day(d(2026, 10, 25), berlin);
        assert_eq!(autumn.end() - autumn.start(), Duration::hours(25));
        let leap = streak_of(
            Tz::UTC,
            &[d(2028, 2, 28), d(2028, 2, 29), d(2028, 3, 1)],
            RestDays(0),
        );
        assert_eq!(leap.current, 3);
        // Where DST skips midnight itself, the day starts at the first minute that exists.
        let santiago = day(d(2026, 9, 6), Tz::America__Santiago);
        assert_eq!(
            santiago
                .start()
                .with_timezone(&Tz::America__Santiago)
                .time(),
            NaiveTime::from_hms_opt(1, 0, 0).unwrap()
        );
    }

    #[test]
    fn consecutive_days_build_a_streak_across_a_23_and_a_25_hour_day() {
        let berlin = Tz::Europe__Berlin;
        let dates: Vec<NaiveDate> = (0..5).map(|i| d(2026, 3, 27) + Duration::days(i)).collect();
        let streak = streak_of(berlin, &dates, RestDays(0));
        assert_eq!((streak.current, streak.longest), (5, 5));
        let dates: Vec<NaiveDate> = (0..5)
            .map(|i| d(2026, 10, 23) + Duration::days(i))
            .collect();
        assert_eq!(streak_of(berlin, &dates, RestDays(0)).current, 5);
    }

    #[test]
    fn the_streak_ends_today_or_yesterday() {
        let utc = Tz::UTC;
        let streak = streak_of(utc, &[d(2026, 11, 24), d(2026, 11, 25)], RestDays(0));
        // Today (the 26th) is not over: still 2. Tomorrow, the 26th was missed: 0.
        assert_eq!(
            streak
                .view(RestDays(0), at(utc, 2026, 11, 26, 23, 0))
                .current,
            2
        );
        let broken = streak.view(RestDays(0), at(utc, 2026, 11, 27, 0, 1));
        assert_eq!((broken.current, broken.longest), (0, 2));
        assert_eq!(broken.alive_until, None);
        assert_eq!(
            streak
                .view(RestDays(0), at(utc, 2026, 11, 26, 1, 0))
                .alive_until,
            Some(at(utc, 2026, 11, 27, 0, 0))
        );
    }

    #[test]
    fn a_freeze_is_earned_every_7_days_held_at_most_2_and_covers_a_miss() {
        let utc = Tz::UTC;
        let first = d(2026, 1, 1);
        let week: Vec<NaiveDate> = (0..7).map(|i| first + Duration::days(i)).collect();
        assert_eq!(streak_of(utc, &week[..6], RestDays(0)).freezes, 0);
        assert_eq!(streak_of(utc, &week, RestDays(0)).freezes, 1);
        let three_weeks: Vec<NaiveDate> = (0..21).map(|i| first + Duration::days(i)).collect();
        assert_eq!(
            streak_of(utc, &three_weeks, RestDays(0)).freezes,
            FREEZES_MAX
        );

        // A week, a missed day, then study again: the freeze covers it; the day is not counted.
        let mut dates = week.clone();
        dates.push(first + Duration::days(8));
        let streak = streak_of(utc, &dates, RestDays(0));
        assert_eq!((streak.current, streak.freezes), (8, 0));
        // Two missed days with one freeze: the run ends.
        let mut dates = week.clone();
        dates.push(first + Duration::days(9));
        let streak = streak_of(utc, &dates, RestDays(0));
        assert_eq!((streak.current, streak.longest), (1, 7));

        // Freezes are used automatically while nobody studies, and shown as frozen days.
        let streak = streak_of(utc, &three_weeks, RestDays(0));
        let later = streak.view(RestDays(0), at(utc, 2026, 1, 24, 12, 0));
        assert_eq!(later.current, 21);
        assert_eq!(later.freezes, 0);
        assert_eq!(later.frozen, [d(2026, 1, 22), d(2026, 1, 23)]);
        assert_eq!(later.alive_until, Some(at(utc, 2026, 1, 25, 0, 0)));
        assert_eq!(
            streak.view(RestDays(0), at(utc, 2026, 1, 25, 0, 0)).current,
            0
        );
    }

    #[test]
    fn rest_days_neither_break_nor_lengthen_and_studying_on_one_counts() {
        let utc = Tz::UTC;
        let weekends = RestDays::from_days(&[Weekday::Sat, Weekday::Sun]);
        // Fri 2026-11-27, (Sat, Sun rest), Mon 2026-11-30.
        let streak = streak_of(
            utc,
            &[d(2026, 11, 26), d(2026, 11, 27), d(2026, 11, 30)],
            weekends,
        );
        assert_eq!(streak.current, 3);
        let without_rest = streak_of(
            utc,
            &[d(2026, 11, 26), d(2026, 11, 27), d(2026, 11, 30)],
            RestDays(0),
        );
        assert_eq!(without_rest.current, 1);
        // Studying on Saturday counts.
        let streak = streak_of(
            utc,
            &[d(2026, 11, 27), d(2026, 11, 28), d(2026, 11, 30)],
            weekends,
        );
        assert_eq!(streak.current, 3);
        // On Sunday after a Friday, the streak is still alive; it ends after Monday.
        let view = streak_of(utc, &[d(2026, 11, 27)], weekends)
            .view(weekends, at(utc, 2026, 11, 29, 12, 0));
        assert_eq!(view.current, 1);
        assert_eq!(view.alive_until, Some(at(utc, 2026, 12, 1, 0, 0)));
        assert_eq!(weekends.days(), [Weekday::Sat, Weekday::Sun]);
        assert_eq!(weekends.count(), 2);
    }

    #[test]
    fn new_rest_days_apply_from_today_and_never_mend_a_missed_day() {
        let utc = Tz::UTC;
        // Studied Monday 23 November; Tuesday missed; on Wednesday the member makes Tuesday a
        // rest day. Too late: the miss stands.
        let mut streak = streak_of(utc, &[d(2026, 11, 23)], RestDays(0));
        let wednesday = at(utc, 2026, 11, 25, 9, 0);
        assert_eq!(streak.view(RestDays(0), wednesday).current, 0);
        streak.settle_until(RestDays(0), wednesday);
        let tuesdays = RestDays::from_days(&[Weekday::Tue]);
        assert_eq!(streak.view(tuesdays, wednesday).current, 0);
        streak.add(day(d(2026, 11, 25), utc), tuesdays);
        assert_eq!(streak.current, 1);
        // Made on Monday, before the Tuesday: then it counts as a rest day.
        let mut streak = streak_of(utc, &[d(2026, 11, 23)], RestDays(0));
        streak.settle_until(RestDays(0), at(utc, 2026, 11, 23, 20, 0));
        streak.add(day(d(2026, 11, 25), utc), tuesdays);
        assert_eq!(streak.current, 2);
    }

    #[test]
    fn zone_changes_cannot_crowd_days_together() {
        let london = Tz::Europe__London;
        let tokyo = Tz::Asia__Tokyo;
        let la = Tz::America__Los_Angeles;
        // Studied on the 26th in London (00:00Z-24:00Z). Flying to Tokyo, it is already the 27th
        // there at 16:00Z on the 26th: that would overlap, so the minutes go to the 26th.
        let recorded = [day(d(2026, 11, 26), london)];
        assert_eq!(
            credit(&recorded, d(2026, 11, 27), tokyo),
            Credit::Existing(recorded[0])
        );
        // Tokyo's 28th starts 15:00Z on the 27th: 39 hours after the 26th started: a new day,
        // and the run goes on (less than 24 hours lie between the two days).
        let next = credit(&recorded, d(2026, 11, 28), tokyo);
        assert_eq!(next, Credit::New(day(d(2026, 11, 28), tokyo)));
        let streak = Streak::replay(&[recorded[0], next.day()], RestDays(0));
        assert_eq!(streak.current, 2);
        // Flying west, the date repeats: the same date is the same day.
        assert_eq!(
            credit(&recorded, d(2026, 11, 26), la),
            Credit::Existing(recorded[0])
        );
        // The next date in the same zone always follows, even on a 23-hour day.
        let berlin = Tz::Europe__Berlin;
        let short = [day(d(2026, 3, 29), berlin)];
        assert_eq!(
            credit(&short, d(2026, 3, 30), berlin),
            Credit::New(day(d(2026, 3, 30), berlin))
        );
        // But hopping one hour east to gain an hour a day does not: 23 hours after the start.
        let hop = credit(&recorded, d(2026, 11, 27), Tz::Europe__Paris);
        assert_eq!(hop, Credit::Existing(recorded[0]));
    }

    #[test]
    fn a_late_check_in_before_a_recorded_today_fills_yesterday() {
        let utc = Tz::UTC;
        let recorded = [day(d(2026, 11, 27), utc)];
        let credit = credit(&recorded, d(2026, 11, 26), utc);
        assert_eq!(credit, Credit::New(day(d(2026, 11, 26), utc)));
        let streak = Streak::replay(&[recorded[0], credit.day()], RestDays(0));
        assert_eq!(streak.current, 2);
    }

    #[test]
    fn daily_study_across_santiagos_missing_midnight_counts_every_day() {
        // 6 September 2026: Santiago's clocks jump from 00:00 to 01:00; 00:30 does not exist.
        let zone = Tz::America__Santiago;
        let mut days: Vec<Day> = Vec::new();
        for i in 0..7 {
            let date = d(2026, 9, 1) + Duration::days(i);
            let at = zone
                .from_local_datetime(&date.and_hms_opt(0, 30, 0).unwrap())
                .earliest()
                .map_or_else(|| day_start(date, zone), |local| local.with_timezone(&Utc));
            let date = checkin_date(zone, at, false).unwrap();
            days.sort_by_key(Day::start);
            let credit = credit(&days, date, zone);
            assert!(matches!(credit, Credit::New(_)), "{credit:?}");
            days.push(credit.day());
        }
        assert_eq!(Streak::replay(&days, RestDays(0)).current, 7);
    }

    const ZONES: [Tz; 10] = [
        Tz::UTC,
        Tz::Pacific__Kiritimati,
        Tz::Etc__GMTPlus12,
        Tz::Europe__Berlin,
        Tz::America__New_York,
        Tz::Asia__Kolkata,
        Tz::Australia__Lord_Howe,
        Tz::America__Santiago,
        Tz::Antarctica__Troll,
        Tz::Asia__Tokyo,
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Over any span of N calendar days (UTC), check-ins and zone changes of any kind yield
        /// at most N + 1 study days.
        #[test]
        fn zone_changes_never_yield_more_than_n_plus_1_days_in_n_days(
            start_day in 0i64..730,
            steps in proptest::collection::vec((0i64..40 * 60, 0usize..10, proptest::bool::ANY), 1..60),
            window_start in 0i64..40,
            window_days in 1i64..30,
        ) {
            let origin = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::days(start_day);
            let mut now = origin;
            let mut days: Vec<Day> = Vec::new();
            for (minutes, zone, late) in steps {
                now += Duration::minutes(minutes);
                let zone = ZONES[zone];
                let Ok(date) = checkin_date(zone, now, late) else { continue };
                days.sort_by_key(Day::start);
                if let Credit::New(day) = credit(&days, date, zone) {
                    days.push(day);
                }
            }
            // Recorded days never overlap.
            days.sort_by_key(Day::start);
            for pair in days.windows(2) {
                proptest::prop_assert!(pair[0].end() <= pair[1].start(), "{:?}", pair);
            }
            let from = (origin + Duration::days(window_start)).date_naive();
            let window_from = Utc.from_utc_datetime(&from.and_time(NaiveTime::MIN));
            let window_to = window_from + Duration::days(window_days);
            let inside = days.iter().filter(|d| d.start() < window_to && d.end() > window_from).count();
            proptest::prop_assert!(inside as i64 <= window_days + 1, "{inside} days in {window_days}: {days:?}");
        }

        /// A member who studies every day at any local hour, in one zone, has a streak of
        /// exactly that many days, DST or not.
        #[test]
        fn daily_study_in_one_zone_counts_every_day(
            zone in 0usize..10,
            start_day in 0i64..730,
            hours in proptest::collection::vec(0u32..24, 1..40),
        ) {
            let zone = ZONES[zone];
            let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(start_day);
            let mut days: Vec<Day> = Vec::new();
            for (i, hour) in hours.iter().enumerate() {
                let date = first + Duration::days(i as i64);
                // A local time that does not exist that day (DST) is studied at the day's start.
                let at = zone
                    .from_local_datetime(&date.and_hms_opt(*hour, 30, 0).unwrap())
                    .earliest()
                    .map_or_else(|| day_start(date, zone), |local| local.with_timezone(&Utc));
                let date = checkin_date(zone, at, false).unwrap();
                days.sort_by_key(Day::start);
                let credit = credit(&days, date, zone);
                proptest::prop_assert!(matches!(credit, Credit::New(_)), "{credit:?}");
                days.push(credit.day());
            }
            let streak = Streak::replay(&days, RestDays(0));
            proptest::prop_assert_eq!(streak.current as usize, days.len());
        }

        /// Whatever the days, the numbers stay consistent.
        #[test]
        fn streak_invariants(
            gaps in proptest::collection::vec(1i64..4, 1..80),
            rest in 0u8..128,
        ) {
            let rest = RestDays(rest);
            let mut date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
            let mut streak = Streak::default();
            for gap in gaps {
                date += Duration::days(gap);
                streak.add(day(date, Tz::UTC), rest);
                proptest::prop_assert!(streak.current <= streak.longest);
                proptest::prop_assert!(streak.freezes <= FREEZES_MAX);
                proptest::prop_assert!(streak.current >= 1);
            }
        }
    }
}
