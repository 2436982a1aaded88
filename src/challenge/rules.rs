//! What a challenge accepts, as pure rules: its deadline as a moderator types it, its points,
//! and a member's submission link and notes.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const POINTS_MAX: i64 = 1_000;
pub const DEFAULT_POINTS: i64 = 10;
pub const TITLE_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 2_000;
pub const LINK_MAX: usize = 500;
pub const NOTES_MAX: usize = 1_000;
/// A deadline at most this far ahead.
pub const DUE_MAX_AHEAD: Duration = Duration::days(366);

/// Why a typed deadline was refused, in words for the moderator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueRefused {
    Unreadable,
    /// The local time does not exist that day (clocks went forward).
    Skipped,
    InThePast,
    TooFar,
}

/// A deadline as typed: a date and time in `zone` ("2027-03-14 18:00") or a span from now
/// ("3d", "1w", "36h"). It must be in the future and at most a year ahead. A local time that
/// occurs twice (clocks went back) means the first.
pub fn parse_due(text: &str, zone: Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, DueRefused> {
    let text = text.trim();
    let due = match crate::calendar::parse_span(text) {
        Some(span) => now + span,
        None => {
            let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
                .map_err(|_| DueRefused::Unreadable)?;
            match zone.from_local_datetime(&local) {
                LocalResult::Single(t) => t.with_timezone(&Utc),
                LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
                LocalResult::None => return Err(DueRefused::Skipped),
            }
        }
    };
    if due <= now {
        return Err(DueRefused::InThePast);
    }
    if due - now > DUE_MAX_AHEAD {
        return Err(DueRefused::TooFar);
    }
    Ok(due)
}

/// A submission's link: http or https, with a host, at most 500 characters.
pub fn check_link(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > LINK_MAX {
        return Err(format!("a link holds at most {LINK_MAX} characters"));
    }
    let url = url::Url::parse(text)
        .map_err(|_| "that is not a link (it should start with https://)".to_owned())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().map_or(true, str::is_empty) {
        return Err("only http and https links to a site are accepted".to_owned());
    }
    Ok(url.to_string())
}

/// Points as given: 1 to 1000.
pub fn check_points(points: Option<i64>) -> Result<i64, String> {
    match points.unwrap_or(DEFAULT_POINTS) {
        p if (1..=POINTS_MAX).contains(&p) => Ok(p),
        _ => Err(format!("points must be between 1 and {POINTS_MAX}")),
    }
}

/// A text field trimmed and within `max` characters; `None` when empty.
pub fn check_text(text: &str, max: usize, what: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    let length = text.chars().count();
    if length > max {
        return Err(format!(
            "the {what} is {length} characters long; at most {max}"
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[test]
    fn deadlines_as_typed_in_the_moderators_zone_or_as_spans() {
        let berlin = Tz::Europe__Berlin;
        assert_eq!(
            parse_due("2027-03-14 18:00", berlin, now()),
            Ok(Utc.with_ymd_and_hms(2027, 3, 14, 17, 0, 0).unwrap())
        );
        assert_eq!(
            parse_due("3d", berlin, now()),
            Ok(now() + Duration::days(3))
        );
        assert_eq!(
            parse_due("1w", berlin, now()),
            Ok(now() + Duration::weeks(1))
        );
        assert_eq!(
            parse_due("36h", berlin, now()),
            Ok(now() + Duration::hours(36))
        );
        assert_eq!(
            parse_due("2026-11-26 12:59", berlin, now()),
            Err(DueRefused::InThePast)
        );
        assert_eq!(
            parse_due("2028-01-01 00:00", berlin, now()),
            Err(DueRefused::TooFar)
        );
        assert_eq!(parse_due("60w", berlin, now()), Err(DueRefused::TooFar));
        // 02:30 on 28 March 2027 does not exist in Berlin; 02:30 on 31 October 2027 happens twice.
        assert_eq!(
            parse_due("2027-03-28 02:30", berlin, now()),
            Err(DueRefused::Skipped)
        );
        assert_eq!(
            parse_due("2027-10-31 02:30", berlin, now()),
            Ok(Utc.with_ymd_and_hms(2027, 10, 31, 0, 30, 0).unwrap())
        );
        for bad in ["", "soon", "0d", "3x", "2027-13-01 10:00", "14/03/2027"] {
            assert_eq!(
                parse_due(bad, berlin, now()),
                Err(DueRefused::Unreadable),
                "{bad}"
            );
        }
    }

    #[test]
    fn links_points_and_texts() {
        assert_eq!(
            check_link(" https://github.com/ada/api ").unwrap(),
            "https://github.com/ada/api"
        );
        assert!(check_link("http://example.org").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://example.org/x",
            "example.org",
            "https://",
            "data:text/html,hi",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
        assert!(check_link(&format!("https://example.org/{}", "a".repeat(500))).is_err());
        assert_eq!(check_points(None), Ok(10));
        assert_eq!(check_points(Some(1000)), Ok(1000));
        assert!(check_points(Some(0)).is_err() && check_points(Some(1001)).is_err());
        assert_eq!(check_text("  ", 10, "note"), Ok(None));
        assert!(check_text(&"x".repeat(11), 10, "note").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(typed in "\\PC{0,30}") {
            let _ = parse_due(&typed, Tz::UTC, now());
            let _ = check_link(&typed);
        }
    }
}
