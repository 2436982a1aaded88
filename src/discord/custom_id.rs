//! The custom ids of buttons, menus and forms: `wp:<feature>:<part>:…`, at most 100 characters.
//!
//! `wp` is the grammar's version: ids keep working across restarts and releases while it stays.
//! The feature word routes an id to the feature that made it; that feature parses and checks
//! the parts itself, and anything that is not exactly one of its ids is refused as stale.

/// The grammar's prefix (and version).
pub(crate) const PREFIX: &str = "wp";
/// Discord caps custom ids at 100 characters.
pub(crate) const MAX_LEN: usize = 100;

/// A custom id split into its feature word and the feature's own parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed<'a> {
    pub feature: &'a str,
    pub parts: Vec<&'a str>,
}

/// `None` for anything that is not in the grammar at all.
pub(crate) fn split(raw: &str) -> Option<Parsed<'_>> {
    if raw.len() > MAX_LEN {
        return None;
    }
    let mut parts = raw.split(':');
    if parts.next() != Some(PREFIX) {
        return None;
    }
    let feature = parts.next().filter(|f| is_word(f))?;
    Some(Parsed {
        feature,
        parts: parts.collect(),
    })
}

/// A part that is a plain decimal number (digits only, at most 20 of them).
pub(crate) fn number(part: &str) -> Option<u64> {
    if part.is_empty() || part.len() > 20 || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Joins a feature's parts into an id; the feature keeps each part free of `:`.
pub(crate) fn join(feature: &str, parts: &[&str]) -> String {
    let mut id = format!("{PREFIX}:{feature}");
    for part in parts {
        id.push(':');
        id.push_str(part);
    }
    id
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_feature_and_parts() {
        assert_eq!(
            split("wp:topic:redis:done"),
            Some(Parsed {
                feature: "topic",
                parts: vec!["redis", "done"]
            })
        );
        assert_eq!(join("topic", &["redis", "done"]), "wp:topic:redis:done");
        for raw in [
            "",
            "wp",
            "wp:",
            "xx:topic:a",
            "wp:Topic:a",
            "wp:to pic:a",
            "wp:t0:a",
        ] {
            assert_eq!(split(raw), None, "{raw:?}");
        }
        assert_eq!(split(&format!("wp:topic:{}", "a".repeat(100))), None);
    }

    proptest::proptest! {
        #[test]
        fn splitting_never_panics_and_join_inverts_it(raw in ".{0,120}") {
            if let Some(parsed) = split(&raw) {
                proptest::prop_assert_eq!(join(parsed.feature, &parsed.parts), raw);
            }
        }
    }
}
