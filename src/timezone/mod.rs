//! IANA time zones: finding one from what a member types, and each member's zone.
//!
//! A member's zone decides their study day; members without one use the server's default zone,
//! then UTC (see [`resolve`]).

pub mod service;

use chrono::{DateTime, Utc};
use chrono_tz::{Tz, TZ_VARIANTS};

pub use service::TimezoneService;

/// At most this many suggestions (Discord's limit on autocomplete choices).
pub const SUGGESTIONS_MAX: usize = 25;

/// The zone named exactly (any letter case, spaces for underscores): `europe/berlin`, `UTC`.
pub fn parse(name: &str) -> Option<Tz> {
    // Stored names are exact (`Europe/Berlin`): one hash lookup, no scan. This runs on every
    // check-in (the member's and the server's zone), so it matters.
    if let Ok(tz) = name.trim().parse::<Tz>() {
        return Some(tz);
    }
    let wanted = normalise(name);
    if wanted.is_empty() {
        return None;
    }
    TZ_VARIANTS
        .iter()
        .copied()
        .find(|tz| normalise(tz.name()) == wanted)
}

fn normalise(text: &str) -> String {
    text.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Zones matching partial input on city or region ("berl" → Europe/Berlin, "new y" →
/// America/New_York, "kolk" → Asia/Kolkata), best first: the city starting with the input, then
/// any part of the name starting with it, then the name containing it; ties in name order.
pub fn search(partial: &str) -> Vec<Tz> {
    let wanted = normalise(partial);
    if wanted.is_empty() {
        // Nothing typed yet: the zones most servers pick, as a start.
        return [
            "UTC",
            "Europe/London",
            "Europe/Berlin",
            "America/New_York",
            "America/Chicago",
            "America/Los_Angeles",
            "Asia/Kolkata",
            "Asia/Tokyo",
            "Australia/Sydney",
        ]
        .iter()
        .filter_map(|name| parse(name))
        .collect();
    }
    let mut ranked: Vec<(u8, &'static str, Tz)> = TZ_VARIANTS
        .iter()
        .filter_map(|tz| {
            let name = tz.name();
            let lower = normalise(name);
            let city = lower.rsplit('/').next().unwrap_or(&lower);
            let rank = if city.starts_with(&wanted) {
                0
            } else if lower.split('/').any(|part| part.starts_with(&wanted))
                || lower.starts_with(&wanted)
            {
                1
            } else if lower.contains(&wanted) {
                2
            } else {
                return None;
            };
            Some((rank, name, *tz))
        })
        .collect();
    ranked.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    ranked
        .into_iter()
        .take(SUGGESTIONS_MAX)
        .map(|(_, _, tz)| tz)
        .collect()
}

/// The zone a member's days are counted in: theirs, else the server's, else UTC.
pub fn resolve(member: Option<Tz>, server: Option<Tz>) -> Tz {
    member.or(server).unwrap_or(Tz::UTC)
}

/// "Europe/Berlin · 14:05": a suggestion with the zone's local time at `now`.
pub fn label(tz: Tz, now: DateTime<Utc>) -> String {
    format!("{} · {}", tz.name(), now.with_timezone(&tz).format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn names(partial: &str) -> Vec<&'static str> {
        search(partial).into_iter().map(|tz| tz.name()).collect()
    }

    #[test]
    fn partial_city_or_region_finds_the_zone_first() {
        assert_eq!(names("berl")[0], "Europe/Berlin");
        assert_eq!(names("new y")[0], "America/New_York");
        assert_eq!(names("kolk")[0], "Asia/Kolkata");
        assert_eq!(names("KOLKATA")[0], "Asia/Kolkata");
        assert!(names("europe").len() == SUGGESTIONS_MAX, "capped at 25");
        assert!(names("europe").iter().all(|n| n.starts_with("Europe/")));
        assert!(names("zzzz").is_empty());
        assert!(!names("").is_empty() && names("").len() <= SUGGESTIONS_MAX);
    }

    #[test]
    fn exact_names_parse_in_any_case_and_nothing_else_does() {
        assert_eq!(parse("europe/berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(parse(" America/New York "), Some(Tz::America__New_York));
        assert_eq!(parse("utc"), Some(Tz::UTC));
        assert_eq!(parse("Mars/Olympus_Mons"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("berl"), None, "partial input is for suggestions only");
    }

    #[test]
    fn members_fall_back_to_the_server_then_utc() {
        let berlin = Some(Tz::Europe__Berlin);
        let tokyo = Some(Tz::Asia__Tokyo);
        assert_eq!(resolve(berlin, tokyo), Tz::Europe__Berlin);
        assert_eq!(resolve(None, tokyo), Tz::Asia__Tokyo);
        assert_eq!(resolve(None, None), Tz::UTC);
    }

    #[test]
    fn labels_show_the_local_time_across_dst() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 12, 0, 0).unwrap();
        assert_eq!(label(Tz::Europe__Berlin, winter), "Europe/Berlin · 13:00");
        assert_eq!(label(Tz::Europe__Berlin, summer), "Europe/Berlin · 14:00");
        assert_eq!(label(Tz::Asia__Kolkata, winter), "Asia/Kolkata · 17:30");
    }

    proptest::proptest! {
        #[test]
        fn search_never_panics_and_is_bounded(partial in "\\PC{0,30}") {
            let found = search(&partial);
            proptest::prop_assert!(found.len() <= SUGGESTIONS_MAX);
        }
    }
}
