//! When a daily reminder or nudge is due: a local clock time on chosen weekdays, in a zone.
//!
//! The local time never moves with DST. On the day clocks go forward, a time inside the skipped
//! hour fires at the first minute that exists after it (02:30 → 03:00 in Berlin); on the day
//! clocks go back, a time that occurs twice fires once, at the first.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// The weekdays a reminder runs on (a bit per weekday, Monday first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days(pub u8);

impl Days {
    pub const EVERY_DAY: Days = Days(0b111_1111);
    pub const WEEKDAYS: Days = Days(0b001_1111);
    pub const WEEKENDS: Days = Days(0b110_0000);

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 & 0x7F == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The local clock time, to the minute.
    pub time: NaiveTime,
    pub days: Days,
    pub zone: Tz,
}

/// One due occurrence: the local date it belongs to (its once-per-day key) and the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub date: NaiveDate,
    pub due: DateTime<Utc>,
}

impl Schedule {
    /// The instant the schedule fires on `date`, if it runs that weekday.
    pub fn on(&self, date: NaiveDate) -> Option<Occurrence> {
        if !self.days.contains(date.weekday()) {
            return None;
        }
        let local = date.and_time(self.time);
        let due = match self.zone.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            // Clocks went back: the first of the two.
            LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
            // Clocks went forward past this time: the first minute that exists after it.
            LocalResult::None => (1..=180).find_map(|m| {
                self.zone
                    .from_local_datetime(&(local + Duration::minutes(m)))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            })?,
        };
        Some(Occurrence { date, due })
    }

    /// The first occurrence due strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<Occurrence> {
        if self.days.is_empty() {
            return None;
        }
        let start = after.with_timezone(&self.zone).date_naive() - Duration::days(1);
        (0..9)
            .filter_map(|i| self.on(start + Duration::days(i)))
            .find(|o| o.due > after)
    }

    /// The first occurrence for a local date after `date` (the next one once `date`'s was
    /// handled, whatever time it is now).
    pub fn next_after_date(&self, date: NaiveDate) -> Option<Occurrence> {
        if self.days.is_empty() {
            return None;
        }
        (1..9).find_map(|i| self.on(date + Duration::days(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn every_day(zone: Tz, time: NaiveTime) -> Schedule {
        Schedule {
            time,
            days: Days::EVERY_DAY,
            zone,
        }
    }

    /// Over a whole year, every occurrence is at the same local time (or, inside a skipped
    /// hour, the first time after it), one per local date, in order.
    fn check_year(zone: Tz, time: NaiveTime) {
        let schedule = every_day(zone, time);
        let mut at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut previous: Option<Occurrence> = None;
        for _ in 0..366 {
            let next = schedule
                .next_after(at)
                .expect("a daily schedule always has a next");
            let local = next.due.with_timezone(&zone);
            assert_eq!(local.date_naive(), next.date, "{zone} {next:?}");
            if local.time() != time {
                // Only in a gap: the time did not exist that day, and it fired just after.
                assert!(
                    zone.from_local_datetime(&next.date.and_time(time))
                        .earliest()
                        .is_none(),
                    "{zone} moved to {local}"
                );
                assert!(
                    local.time() > time && local.time() - time <= Duration::hours(1),
                    "{zone} {local}"
                );
            }
            if let Some(previous) = previous {
                assert_eq!(
                    next.date,
                    previous.date + Duration::days(1),
                    "{zone}: one a day"
                );
            }
            previous = Some(next);
            at = next.due;
        }
    }

    #[test]
    fn a_year_keeps_the_local_time_in_every_zone() {
        for zone in [
            Tz::America__New_York,
            Tz::Europe__Berlin,
            Tz::Australia__Lord_Howe,
            Tz::Asia__Kolkata,
            Tz::Pacific__Chatham,
        ] {
            for time in [hm(0, 0), hm(2, 30), hm(7, 0), hm(19, 0), hm(23, 59)] {
                check_year(zone, time);
            }
        }
    }

    #[test]
    fn the_gap_fires_at_the_first_valid_minute_and_the_overlap_once_at_the_first() {
        let berlin = every_day(Tz::Europe__Berlin, hm(2, 30));
        // 29 March 2026: 02:00 → 03:00 in Berlin.
        let spring = berlin
            .on(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap())
            .unwrap();
        assert_eq!(
            spring.due,
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()
        );
        // 25 October 2026: 02:30 happens twice; the first is 00:30 UTC.
        let autumn = berlin
            .on(NaiveDate::from_ymd_opt(2026, 10, 25).unwrap())
            .unwrap();
        assert_eq!(
            autumn.due,
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        let after_first = berlin.next_after(autumn.due).unwrap();
        assert_eq!(
            after_first.date,
            NaiveDate::from_ymd_opt(2026, 10, 26).unwrap(),
            "not again at the second 02:30"
        );
        // Lord Howe moves by half an hour: 02:00 → 02:30 on 4 October 2026.
        let howe = every_day(Tz::Australia__Lord_Howe, hm(2, 10));
        let gap = howe
            .on(NaiveDate::from_ymd_opt(2026, 10, 4).unwrap())
            .unwrap();
        assert_eq!(
            gap.due.with_timezone(&Tz::Australia__Lord_Howe).time(),
            hm(2, 30)
        );
    }

    #[test]
    fn chosen_weekdays_only() {
        let weekdays = Schedule {
            time: hm(19, 0),
            days: Days::WEEKDAYS,
            zone: Tz::UTC,
        };
        // Friday 27 November 2026, 20:00: the next is Monday.
        let friday_evening = Utc.with_ymd_and_hms(2026, 11, 27, 20, 0, 0).unwrap();
        let next = weekdays.next_after(friday_evening).unwrap();
        assert_eq!(next.date, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(
            weekdays
                .next_after_date(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
                .unwrap()
                .date,
            next.date
        );
        let none = Schedule {
            days: Days(0),
            ..weekdays
        };
        assert_eq!(none.next_after(friday_evening), None);
        assert!(Days::WEEKENDS.contains(Weekday::Sun) && !Days::WEEKENDS.contains(Weekday::Mon));
    }
}
