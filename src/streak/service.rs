//! Recording study and reading streaks: the rules of [`super::rules`] over the store.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::rules::{self, Credit, Day, RestDays, Streak, StreakView};
use crate::error::{Error, Result};
use crate::leaderboard::service::add_time;
use crate::member::Member;
use crate::settings::CHECKIN_MINUTES_MAX;
use crate::store::{checkin, member_settings, streak, study_day, Store};

/// The longest note a check-in keeps.
pub const NOTE_MAX: usize = 300;

/// What a member asked to record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckIn {
    /// `None`: the server's default. Must be 1-720 when given.
    pub minutes: Option<i64>,
    /// A roadmap topic slug the adapter already checked.
    pub topic: Option<String>,
    pub note: Option<String>,
    /// Count it for yesterday (allowed until 3 hours after local midnight).
    pub late: bool,
    /// The interaction that asked: a repeat of it records nothing.
    pub interaction: Option<u64>,
}

/// What recording did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The study day the minutes went to.
    pub day: Day,
    /// Whether that day was new.
    pub new_day: bool,
    pub minutes: u32,
    /// The day's total after this check-in.
    pub day_minutes: u32,
    pub streak: StreakView,
    /// The same interaction was already recorded: nothing was written.
    pub repeat: bool,
}

#[derive(Debug, Clone)]
pub struct StudyService {
    store: Store,
}

impl StudyService {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Records a check-in: validates it, finds its study day under the zone rule, and carries
    /// the streak forward, all in one transaction.
    pub async fn check_in(
        &self,
        member: Member,
        request: CheckIn,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let minutes = match request.minutes {
            None => None,
            Some(m) if (1..=i64::from(CHECKIN_MINUTES_MAX)).contains(&m) => Some(m as u32),
            Some(_) => {
                return Err(Error::user(format!(
                    "Minutes must be between 1 and {CHECKIN_MINUTES_MAX} (12 hours). Nothing was recorded."
                )))
            }
        };
        let note = clean_note(request.note.as_deref())?;
        self.record(
            member,
            minutes,
            request.topic.as_deref(),
            note,
            request.late,
            request.interaction,
            now,
        )
        .await
    }

    /// Studying without minutes, e.g. marking a topic done: the day counts, no time is added.
    pub async fn studied(
        &self,
        member: Member,
        topic: &str,
        interaction: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        self.record(member, Some(0), Some(topic), None, false, interaction, now)
            .await
    }

    /// `minutes`: `None` for the server's default.
    #[allow(clippy::too_many_arguments)]
    async fn record(
        &self,
        member: Member,
        minutes: Option<u32>,
        topic: Option<&str>,
        note: Option<&str>,
        late: bool,
        interaction: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let mut tx = self.store.begin().await?;
        let context = member_settings::context(&mut tx, member).await?;
        let (zone, _) = crate::timezone::service::zone_from(&context);
        let server_zone = context.server_zone().unwrap_or(chrono_tz::Tz::UTC);
        let minutes = minutes.unwrap_or_else(|| {
            context
                .checkin_minutes
                .map_or(crate::settings::DEFAULT_CHECKIN_MINUTES, |m| m)
                .into()
        });
        let rest = RestDays(context.rest_days);
        let date = rules::checkin_date(zone, now, late).map_err(|refused| {
            Error::user(format!(
                "A late check-in counts for yesterday only until 3:00 your time, and that was <t:{}:R>. \
                 Record it for today instead (leave out `late`).",
                refused.window_end.timestamp()
            ))
        })?;
        // The zone rule needs only the days near this one.
        let around = rules::day_start(date, zone);
        let near: Vec<Day> = study_day::starting_between(
            &mut tx,
            member,
            around - Duration::days(3),
            around + Duration::days(3),
        )
        .await?
        .into_iter()
        .map(|row| row.day)
        .collect();
        let credit = rules::credit(&near, date, zone);
        let day = credit.day();
        let inserted = checkin::insert(
            &mut tx,
            member,
            &checkin::NewCheckin {
                interaction,
                study_date: day.date,
                minutes,
                topic_slug: topic,
                note,
                at: now,
            },
        )
        .await?;
        if !inserted {
            drop(tx);
            return self.repeat_of(member, day, minutes, rest, now).await;
        }
        let day_minutes = study_day::add_minutes(&mut tx, member, day, minutes).await?;
        add_time(
            &mut tx,
            member.guild,
            member.user,
            minutes,
            now,
            server_zone,
        )
        .await?;
        let mut streak = streak::get(&mut tx, member).await?;
        let previous = streak.current;
        if let Credit::New(day) = credit {
            match streak.last {
                Some(last) if day.start() < last.start() => {
                    // A late check-in before a day already counted: rebuild from history.
                    let days: Vec<Day> = study_day::all(&mut tx, member)
                        .await?
                        .into_iter()
                        .map(|row| row.day)
                        .collect();
                    streak = Streak::replay(&days, rest);
                }
                _ => streak.add(day, rest),
            }
            streak::put(&mut tx, member, &streak, streak.alive_until(rest), previous).await?;
        }
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(Recorded {
            day,
            new_day: matches!(credit, Credit::New(_)),
            minutes,
            day_minutes,
            streak: streak.view(rest, now),
            repeat: false,
        })
    }

    async fn repeat_of(
        &self,
        member: Member,
        day: Day,
        minutes: u32,
        rest: RestDays,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let mut conn = self.store.conn().await?;
        let streak = streak::get(&mut conn, member).await?;
        let day_minutes = study_day::on(&mut conn, member, day.date)
            .await?
            .map_or(0, |row| row.minutes);
        Ok(Recorded {
            day,
            new_day: false,
            minutes,
            day_minutes,
            streak: streak.view(rest, now),
            repeat: true,
        })
    }

    /// A member's streak as it reads at `now`, with their rest days and whether it is private.
    pub async fn streak_of(&self, member: Member, now: DateTime<Utc>) -> Result<MemberStreak> {
        let mut conn = self.store.conn().await?;
        let context = member_settings::context(&mut conn, member).await?;
        let (zone, _) = crate::timezone::service::zone_from(&context);
        let rest = RestDays(context.rest_days);
        let streak = streak::get(&mut conn, member).await?;
        let today = now.with_timezone(&zone).date_naive();
        // The heatmap's year; this week is read from it.
        let year_from =
            rules::day_start(super::heatmap::first_day(today), zone) - Duration::days(2);
        let year: std::collections::HashMap<NaiveDate, u32> =
            study_day::starting_between(&mut conn, member, year_from, now + Duration::days(2))
                .await?
                .into_iter()
                .map(|row| (row.day.date, row.minutes))
                .collect();
        let week = (0..7)
            .map(|i| {
                let date = today - Duration::days(6 - i);
                (date, year.get(&date).copied())
            })
            .collect();
        Ok(MemberStreak {
            view: streak.view(rest, now),
            rest,
            private: context.streak_private,
            zone,
            today,
            week,
            year,
        })
    }
}

impl StudyService {
    /// Changes the member's rest days and streak privacy (`None` leaves one as it is). New rest
    /// days apply from today: the days before are settled with the old ones first.
    pub async fn set_preferences(
        &self,
        member: Member,
        rest: Option<RestDays>,
        private: Option<bool>,
        now: DateTime<Utc>,
    ) -> Result<(RestDays, bool)> {
        if let Some(rest) = rest {
            if rest.count() > rules::REST_DAYS_MAX {
                return Err(Error::user(format!(
                    "At most {} rest days a week; a streak is about studying most days. Nothing was changed.",
                    rules::REST_DAYS_MAX
                )));
            }
        }
        let mut tx = self.store.begin().await?;
        let (old_bits, old_private) = member_settings::streak_prefs(&mut tx, member).await?;
        let old_rest = RestDays(old_bits);
        let new_rest = rest.unwrap_or(old_rest);
        let new_private = private.unwrap_or(old_private);
        if new_rest != old_rest {
            let mut current = streak::get(&mut tx, member).await?;
            if current.last.is_some() {
                let previous = current.current;
                current.settle_until(old_rest, now);
                streak::put(
                    &mut tx,
                    member,
                    &current,
                    current.alive_until(new_rest),
                    previous,
                )
                .await?;
            }
        }
        member_settings::set_streak_prefs(&mut tx, member, new_rest.0, new_private).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok((new_rest, new_private))
    }
}

/// Reads rest days as a member types them: weekday names or abbreviations separated by commas,
/// spaces or "and" ("sat, sun", "Saturday and Sunday"), or "none".
pub fn parse_rest_days(text: &str) -> Result<RestDays> {
    crate::calendar::parse_weekdays(text)
        .map(|days| RestDays::from_days(&days))
        .map_err(|word| {
            Error::user(format!(
                "`{word}` isn't a weekday. Name days like `sat, sun`, or `none`."
            ))
        })
}

/// A streak with what `/streak` shows around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberStreak {
    pub view: StreakView,
    pub rest: RestDays,
    pub private: bool,
    pub zone: chrono_tz::Tz,
    pub today: NaiveDate,
    /// The last seven dates (today last) with the minutes studied, if any.
    pub week: Vec<(NaiveDate, Option<u32>)>,
    /// Minutes per study day over the heatmap's year.
    pub year: std::collections::HashMap<NaiveDate, u32>,
}

/// A note as kept: trimmed, at most [`NOTE_MAX`] characters, empty meaning none.
pub fn clean_note(note: Option<&str>) -> Result<Option<&str>> {
    let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let length = note.chars().count();
    if length > NOTE_MAX {
        return Err(Error::user(format!(
            "That note is {length} characters long; a check-in note holds at most {NOTE_MAX}. Nothing was recorded."
        )));
    }
    Ok(Some(note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Pool;
    use chrono::TimeZone;
    use chrono_tz::Tz;

    fn service(pool: Pool) -> StudyService {
        StudyService::new(Store::from(pool))
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn request(minutes: i64, interaction: u64) -> CheckIn {
        CheckIn {
            minutes: Some(minutes),
            interaction: Some(interaction),
            ..CheckIn::default()
        }
    }

    #[sqlx::test]
    async fn check_ins_add_up_per_day_and_build_a_streak(pool: Pool) {
        let svc = service(pool);
        let ada = Member::new(1, 2);
        let first = svc
            .check_in(ada, request(30, 1), utc(2026, 11, 24, 9))
            .await
            .unwrap();
        assert!(first.new_day);
        assert_eq!((first.day_minutes, first.streak.current), (30, 1));
        let second = svc
            .check_in(ada, request(45, 2), utc(2026, 11, 24, 20))
            .await
            .unwrap();
        assert!(!second.new_day);
        assert_eq!((second.day_minutes, second.streak.current), (75, 1));
        let next = svc
            .check_in(ada, request(10, 3), utc(2026, 11, 25, 8))
            .await
            .unwrap();
        assert_eq!(next.streak.current, 2);
        // Default minutes come from the server's settings (30 unless changed).
        let default = svc
            .check_in(
                ada,
                CheckIn {
                    interaction: Some(4),
                    ..CheckIn::default()
                },
                utc(2026, 11, 26, 8),
            )
            .await
            .unwrap();
        assert_eq!((default.minutes, default.streak.current), (30, 3));
        let read = svc.streak_of(ada, utc(2026, 11, 26, 12)).await.unwrap();
        assert_eq!(read.view.current, 3);
        assert_eq!(
            read.week.last(),
            Some(&(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), Some(30)))
        );
        assert_eq!(read.week[4].1, Some(75));
        assert_eq!(read.week[0].1, None);
    }

    #[test]
    fn rest_days_are_read_as_members_type_them() {
        use chrono::Weekday;
        assert_eq!(
            parse_rest_days("sat, sun").unwrap(),
            RestDays::from_days(&[Weekday::Sat, Weekday::Sun])
        );
        assert_eq!(
            parse_rest_days("Saturday and Sunday").unwrap(),
            RestDays::from_days(&[Weekday::Sat, Weekday::Sun])
        );
        assert_eq!(parse_rest_days(" none ").unwrap(), RestDays(0));
        assert_eq!(
            parse_rest_days("wed").unwrap(),
            RestDays::from_days(&[Weekday::Wed])
        );
        assert!(matches!(parse_rest_days("funday"), Err(Error::User(_))));
    }

    #[sqlx::test]
    async fn preferences_are_kept_and_too_many_rest_days_refused(pool: Pool) {
        use chrono::Weekday;
        let svc = service(pool);
        let ada = Member::new(1, 2);
        let now = utc(2026, 11, 24, 9);
        svc.check_in(ada, request(30, 1), now).await.unwrap();
        let four = RestDays::from_days(&[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu]);
        assert!(matches!(
            svc.set_preferences(ada, Some(four), None, now).await,
            Err(Error::User(_))
        ));
        let weekend = RestDays::from_days(&[Weekday::Sat, Weekday::Sun]);
        assert_eq!(
            svc.set_preferences(ada, Some(weekend), Some(true), now)
                .await
                .unwrap(),
            (weekend, true)
        );
        let read = svc.streak_of(ada, now).await.unwrap();
        assert_eq!((read.rest, read.private), (weekend, true));
        assert_eq!(
            svc.set_preferences(ada, None, Some(false), now)
                .await
                .unwrap(),
            (weekend, false)
        );
    }

    #[sqlx::test]
    async fn the_same_interaction_counts_once(pool: Pool) {
        let svc = service(pool);
        let ada = Member::new(1, 2);
        svc.check_in(ada, request(30, 7), utc(2026, 11, 24, 9))
            .await
            .unwrap();
        let again = svc
            .check_in(ada, request(30, 7), utc(2026, 11, 24, 9))
            .await
            .unwrap();
        assert!(again.repeat);
        assert_eq!(again.day_minutes, 30);
    }

    #[sqlx::test]
    async fn bad_requests_write_nothing(pool: Pool) {
        let svc = service(pool.clone());
        let ada = Member::new(1, 2);
        for minutes in [0, 721, -1] {
            assert!(matches!(
                svc.check_in(ada, request(minutes, 1), utc(2026, 11, 24, 9))
                    .await,
                Err(Error::User(_))
            ));
        }
        let long_note = CheckIn {
            note: Some("n".repeat(301)),
            ..request(30, 2)
        };
        assert!(matches!(
            svc.check_in(ada, long_note, utc(2026, 11, 24, 9)).await,
            Err(Error::User(_))
        ));
        let late = CheckIn {
            late: true,
            ..request(30, 3)
        };
        assert!(matches!(
            svc.check_in(ada, late, utc(2026, 11, 24, 9)).await,
            Err(Error::User(_))
        ));
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checkin")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(rows, 0);
    }

    #[sqlx::test]
    async fn a_late_check_in_fills_yesterday_even_after_today_was_recorded(pool: Pool) {
        let svc = service(pool.clone());
        let ada = Member::new(1, 2);
        crate::timezone::TimezoneService::new(svc.store.clone())
            .set(ada, Some(Tz::Europe__Berlin))
            .await
            .unwrap();
        // 00:30 in Berlin on the 26th (23:30 UTC on the 25th): today is the 26th.
        let now = utc(2026, 11, 25, 23) + Duration::minutes(30);
        svc.check_in(ada, request(20, 1), now).await.unwrap();
        let late = svc
            .check_in(
                ada,
                CheckIn {
                    late: true,
                    ..request(40, 2)
                },
                now,
            )
            .await
            .unwrap();
        assert_eq!(
            late.day.date,
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert!(late.new_day);
        assert_eq!(late.streak.current, 2, "yesterday and today");
    }

    /// On the database as the bot opens it (WAL, its busy timeout and pool size), not the
    /// test fixture's defaults.
    #[tokio::test]
    async fn hundreds_of_simultaneous_check_ins_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::config::DatabaseSettings {
            path: dir.path().join("waypoint.db"),
            ..Default::default()
        };
        let store = Store::open(&settings).await.unwrap();
        let pool = store.pool();
        let svc = service(pool.clone());
        let now = utc(2026, 11, 24, 9);
        let tasks: Vec<_> = (0..200u64)
            .map(|i| {
                let svc = svc.clone();
                tokio::spawn(async move {
                    // 100 members, two check-ins each, all at once.
                    svc.check_in(Member::new(1, 100 + i % 100), request(5, 1000 + i), now)
                        .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().expect("no database-busy error");
        }
        let total: i64 = sqlx::query_scalar("SELECT SUM(minutes) FROM study_day")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(total, 200 * 5);
        let days: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM study_day")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(days, 100);
        let streaks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM streak WHERE current = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(streaks, 100);
    }
}
