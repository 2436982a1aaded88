//! Topic search for autocomplete: what a member types is matched against titles and slugs,
//! case-insensitively, best matches first.

use super::{Roadmap, TopicRef};

/// Discord shows at most 25 autocomplete choices.
pub const MAX_RESULTS: usize = 25;

/// Topics matching `query`, best first; ties keep roadmap order. An empty query lists the
/// roadmap from the start.
pub fn search_topics<'a>(roadmap: &'a Roadmap, query: &str) -> Vec<TopicRef<'a>> {
    let query = query.trim().to_lowercase();
    let mut scored: Vec<(u8, usize, TopicRef<'a>)> = roadmap
        .topics()
        .enumerate()
        .filter_map(|(order, t)| rank(&query, t).map(|score| (score, order, t)))
        .collect();
    scored.sort_by_key(|&(score, order, _)| (score, order));
    scored
        .into_iter()
        .take(MAX_RESULTS)
        .map(|(_, _, t)| t)
        .collect()
}

/// Lower is better; `None` means no match.
fn rank(query: &str, t: TopicRef<'_>) -> Option<u8> {
    if query.is_empty() {
        return Some(0);
    }
    let title = t.topic.title.to_lowercase();
    let slug = t.topic.slug.as_str();
    let words = || {
        title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    if title == query || slug == query {
        Some(0)
    } else if title.starts_with(query) || slug.starts_with(query) {
        Some(1)
    } else if words().any(|w| w.starts_with(query)) || slug.split('-').any(|w| w.starts_with(query))
    {
        Some(2)
    } else if title.contains(query) || slug.contains(query) {
        Some(3)
    } else {
        // Several words typed: each must appear somewhere in the topic or its phase.
        let phase = t.phase.title.to_lowercase();
        let haystack = format!("{title} {slug} {phase}");
        let mut terms = query.split_whitespace().peekable();
        (terms.peek().is_some() && terms.all(|term| haystack.contains(term))).then_some(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::tests::sample;

    fn slugs(query: &str) -> Vec<String> {
        search_topics(&sample(), query)
            .into_iter()
            .map(|t| t.topic.slug.clone())
            .collect()
    }

    #[test]
    fn empty_query_lists_in_roadmap_order() {
        assert_eq!(
            slugs(""),
            ["variables", "control-flow", "sql-fundamentals", "redis"]
        );
    }

    #[test]
    fn partial_and_case_insensitive_input_matches() {
        assert_eq!(slugs("RED"), ["redis"]);
        assert_eq!(slugs("flow"), ["control-flow"]);
        assert_eq!(slugs("sql-f"), ["sql-fundamentals"]);
    }

    #[test]
    fn prefix_matches_rank_above_word_and_substring_matches() {
        // "data" starts a word of "Variables, data types..."; the database topics match only
        // through their phase's title, so they rank after it.
        assert_eq!(slugs("data"), ["variables", "sql-fundamentals", "redis"]);
        let s = slugs("s");
        assert_eq!(s[0], "sql-fundamentals");
        assert!(s.contains(&"variables".to_owned()));
    }

    #[test]
    fn words_may_match_phase_titles() {
        assert_eq!(slugs("databases red"), ["redis"]);
        assert!(slugs("zzz").is_empty());
    }

    #[test]
    fn results_are_capped_at_25() {
        let shipped = crate::roadmap::Roadmap::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/roadmap.toml"),
        )
        .expect("valid");
        assert!(shipped.topic_count() > MAX_RESULTS);
        assert_eq!(search_topics(&shipped, "").len(), MAX_RESULTS);
    }

    fn shipped() -> &'static crate::roadmap::Roadmap {
        static SHIPPED: std::sync::OnceLock<crate::roadmap::Roadmap> = std::sync::OnceLock::new();
        SHIPPED.get_or_init(|| {
            crate::roadmap::Roadmap::load(
                &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/roadmap.toml"),
            )
            .expect("valid")
        })
    }

    /// Prefixes of words from topic titles: what members actually type.
    fn typed_prefix() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy as _;
        let words: Vec<String> = shipped()
            .topics()
            .flat_map(|t| {
                t.topic
                    .title
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        (
            proptest::sample::select(words),
            1usize..8,
            proptest::bool::ANY,
        )
            .prop_map(|(word, n, upper)| {
                let prefix: String = word.chars().take(n).collect();
                if upper {
                    prefix.to_uppercase()
                } else {
                    prefix.to_lowercase()
                }
            })
    }

    proptest::proptest! {
        #[test]
        fn a_typed_prefix_finds_topics_that_contain_it(query in typed_prefix()) {
            let roadmap = shipped();
            let results = search_topics(roadmap, &query);
            proptest::prop_assert!(!results.is_empty(), "{query:?} found nothing");
            let wanted = query.trim().to_lowercase();
            for t in results {
                let haystack = format!("{} {} {}", t.topic.title, t.topic.slug, t.phase.title).to_lowercase();
                proptest::prop_assert!(haystack.contains(&wanted), "{query:?} matched {}", t.topic.slug);
            }
        }

        #[test]
        fn results_are_bounded_distinct_and_never_panic(query in ".{0,40}") {
            let roadmap = shipped();
            let results = search_topics(roadmap, &query);
            proptest::prop_assert!(results.len() <= MAX_RESULTS);
            let mut slugs: Vec<_> = results.iter().map(|t| t.topic.slug.as_str()).collect();
            slugs.sort_unstable();
            slugs.dedup();
            proptest::prop_assert_eq!(slugs.len(), results.len());
        }

        #[test]
        fn a_slug_typed_in_any_case_comes_first(index in 0usize..36, upper in proptest::bool::ANY) {
            let roadmap = shipped();
            let topic = roadmap.topics().nth(index % roadmap.topic_count()).unwrap().topic;
            let typed = if upper { topic.slug.to_uppercase() } else { topic.slug.clone() };
            let results = search_topics(roadmap, &typed);
            proptest::prop_assert_eq!(&results[0].topic.slug, &topic.slug);
        }
    }
}
