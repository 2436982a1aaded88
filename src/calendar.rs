//! Reading the days and times members type: weekday lists ("sat, sun", "weekdays"), clock
//! times ("19:00", "7pm", "7:30 pm") and spans ("3d", "1w", "36h").

use chrono::{Duration, NaiveTime, Weekday};

/// Weekdays as typed: names or abbreviations separated by commas, spaces or "and", or one of
/// "every day", "weekdays", "weekends", "none". The error names the word it could not read.
pub fn parse_weekdays(text: &str) -> Result<Vec<Weekday>, String> {
    use Weekday::*;
    let lower = text.trim().to_lowercase();
    match lower.as_str() {
        "" | "none" => return Ok(Vec::new()),
        "every day" | "everyday" | "daily" | "all" => {
            return Ok(vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun])
        }
        "weekdays" | "workdays" => return Ok(vec![Mon, Tue, Wed, Thu, Fri]),
        "weekends" | "weekend" => return Ok(vec![Sat, Sun]),
        _ => {}
    }
    let mut days = Vec::new();
    for word in lower
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty() && *w != "and")
    {
        let day = match word.get(..3) {
            Some("mon") => Mon,
            Some("tue") => Tue,
            Some("wed") => Wed,
            Some("thu") => Thu,
            Some("fri") => Fri,
            Some("sat") => Sat,
            Some("sun") => Sun,
            _ => {
                return Err(word
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .take(20)
                    .collect())
            }
        };
        if !days.contains(&day) {
            days.push(day);
        }
    }
    Ok(days)
}

/// A clock time as typed: "19:00", "07:30", "7pm", "7:30 pm", "7.30pm", "19".
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let compact: String = text.trim().to_lowercase().split_whitespace().collect();
    let (digits, half) = if let Some(rest) = compact.strip_suffix("am") {
        (rest, Some(false))
    } else if let Some(rest) = compact.strip_suffix("pm") {
        (rest, Some(true))
    } else {
        (compact.as_str(), None)
    };
    let mut parts = digits.splitn(2, [':', '.']);
    let hour_text = parts.next()?;
    let minute_text = parts.next().unwrap_or("0");
    if hour_text.is_empty()
        || hour_text.len() > 2
        || minute_text.is_empty()
        || minute_text.len() > 2
    {
        return None;
    }
    let mut hour: u32 = hour_text.parse().ok()?;
    let minute: u32 = minute_text.parse().ok()?;
    if let Some(pm) = half {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// "3d", "1w", "36h", "90m": a span of minutes, hours, days or weeks.
pub fn parse_span(text: &str) -> Option<Duration> {
    let compact: String = text.to_lowercase().split_whitespace().collect();
    let digits: String = compact.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    if n == 0 {
        return None;
    }
    match &compact[digits.len()..] {
        "m" | "min" | "mins" | "minutes" => Some(Duration::minutes(n)),
        "h" | "hour" | "hours" => Some(Duration::hours(n)),
        "d" | "day" | "days" => Some(Duration::days(n)),
        "w" | "week" | "weeks" => Some(Duration::weeks(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    fn t(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn times_as_members_type_them() {
        for (typed, expected) in [
            ("19:00", t(19, 0)),
            ("07:30", t(7, 30)),
            ("7pm", t(19, 0)),
            ("7:30 pm", t(19, 30)),
            ("7.30PM", t(19, 30)),
            ("12am", t(0, 0)),
            ("12pm", t(12, 0)),
            ("19", t(19, 0)),
            ("0:05", t(0, 5)),
        ] {
            assert_eq!(parse_time(typed), expected, "{typed}");
        }
        for bad in [
            "", "25:00", "7:60", "13pm", "0am", "seven", "7:", "19:000", "1900", "-1:00", "7pm pm",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn weekdays_as_members_type_them() {
        assert_eq!(parse_weekdays("sat, sun").unwrap(), [Sat, Sun]);
        assert_eq!(parse_weekdays("Monday and Wednesday").unwrap(), [Mon, Wed]);
        assert_eq!(
            parse_weekdays("weekdays").unwrap(),
            [Mon, Tue, Wed, Thu, Fri]
        );
        assert_eq!(parse_weekdays("Every day").unwrap().len(), 7);
        assert_eq!(parse_weekdays("none").unwrap(), []);
        assert_eq!(parse_weekdays("mon mon").unwrap(), [Mon]);
        assert_eq!(parse_weekdays("funday").unwrap_err(), "funday");
    }

    #[test]
    fn spans_as_members_type_them() {
        assert_eq!(parse_span("3d"), Some(Duration::days(3)));
        assert_eq!(parse_span("1 w"), Some(Duration::weeks(1)));
        assert_eq!(parse_span("36h"), Some(Duration::hours(36)));
        assert_eq!(parse_span("90min"), Some(Duration::minutes(90)));
        for bad in ["", "0d", "d", "3x", "12345d", "-3d"] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(typed in "\\PC{0,20}") {
            let _ = parse_time(&typed);
            let _ = parse_weekdays(&typed);
            let _ = parse_span(&typed);
        }
    }
}
