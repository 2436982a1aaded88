//! The curriculum: phases, their topics and resources, loaded from `config/roadmap.toml`.
//!
//! The file is data so that a server can edit its own curriculum; everything in it is checked at
//! start-up against Discord's limits (it ends up in subcommand names, select menus, autocomplete
//! choices and embeds), and every problem is reported at once.

mod search;

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

pub use search::search_topics;

/// Discord allows 25 subcommands per command and 25 options per select menu.
pub const MAX_PHASES: usize = 25;
pub const MAX_TOPICS_PER_PHASE: usize = 25;
/// Select option labels and autocomplete choice names are capped at 100 characters.
pub const MAX_TITLE_LEN: usize = 100;
/// Embed field values are capped at 1,024 characters.
pub const MAX_SUMMARY_LEN: usize = 1_024;
pub const MAX_EXPLANATION_LEN: usize = 1_000;
pub const MAX_PHASE_SLUG_LEN: usize = 32;
/// Topic slugs travel in custom ids (100 characters) and autocomplete values.
pub const MAX_TOPIC_SLUG_LEN: usize = 60;
/// The resources are shown as one embed field of markdown links (`• [title](url)` a line).
pub const MAX_RESOURCES_LEN: usize = 1_024;

/// How long the resources' field is on the topic card, to keep it within one embed field.
pub fn resources_len(resources: &[Resource]) -> usize {
    resources
        .iter()
        .map(|r| "• []()\n".chars().count() + r.title.chars().count() + r.url.chars().count())
        .sum()
}

#[derive(Debug, Clone)]
pub struct Roadmap {
    phases: Vec<Phase>,
    /// topic slug → (phase index, topic index)
    index: HashMap<String, (usize, usize)>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub slug: String,
    pub title: String,
    /// First and last week, inclusive.
    pub weeks: [u32; 2],
    pub summary: String,
    pub milestone: String,
    #[serde(rename = "topic", default)]
    pub topics: Vec<Topic>,
    /// 1-based position, filled in after loading.
    #[serde(skip)]
    pub number: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub explanation: String,
    pub hours: u32,
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub title: String,
    pub url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoadmapFile {
    #[serde(rename = "phase", default)]
    phases: Vec<Phase>,
}

/// A topic together with the phase it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct TopicRef<'a> {
    pub phase: &'a Phase,
    pub topic: &'a Topic,
}

impl Roadmap {
    /// Reads and validates the file; on failure every problem found, in plain words.
    pub fn load(path: &Path) -> Result<Self, Vec<String>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![format!("cannot read roadmap file {}: {e}", path.display())])?;
        Self::parse(&text).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| format!("{}: {p}", path.display()))
                .collect()
        })
    }

    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let file: RoadmapFile = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        Self::from_phases(file.phases)
    }

    pub fn from_phases(mut phases: Vec<Phase>) -> Result<Self, Vec<String>> {
        let problems = validate(&phases);
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut index = HashMap::new();
        for (p, phase) in phases.iter_mut().enumerate() {
            phase.number = p + 1;
            for (t, topic) in phase.topics.iter().enumerate() {
                index.insert(topic.slug.clone(), (p, t));
            }
        }
        Ok(Self { phases, index })
    }

    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    pub fn phase(&self, slug: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.slug == slug)
    }

    pub fn topic(&self, slug: &str) -> Option<TopicRef<'_>> {
        let &(p, t) = self.index.get(slug)?;
        let phase = &self.phases[p];
        Some(TopicRef {
            phase,
            topic: &phase.topics[t],
        })
    }

    /// Every topic in roadmap order.
    pub fn topics(&self) -> impl Iterator<Item = TopicRef<'_>> {
        self.phases.iter().flat_map(|phase| {
            phase
                .topics
                .iter()
                .map(move |topic| TopicRef { phase, topic })
        })
    }

    pub fn topic_count(&self) -> usize {
        self.index.len()
    }
}

/// A slug: lowercase ASCII letters, digits and inner dashes, at most `max` bytes. Slugs name
/// commands and travel in custom ids, so the same rule checks both.
pub fn is_slug(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn check_text(problems: &mut Vec<String>, what: &str, text: &str, max: usize) {
    let len = text.chars().count();
    if text.trim().is_empty() {
        problems.push(format!("{what} is empty"));
    } else if len > max {
        problems.push(format!(
            "{what} is {len} characters long; the limit is {max}"
        ));
    }
}

fn validate(phases: &[Phase]) -> Vec<String> {
    let mut problems = Vec::new();
    if phases.is_empty() {
        problems.push("the roadmap has no [[phase]] entries".to_owned());
    }
    if phases.len() > MAX_PHASES {
        problems.push(format!(
            "the roadmap has {} phases; Discord allows at most {MAX_PHASES} subcommands",
            phases.len()
        ));
    }
    let mut phase_slugs = HashMap::new();
    let mut topic_slugs: HashMap<&str, &str> = HashMap::new();
    let mut previous_last_week = 0;
    for (i, phase) in phases.iter().enumerate() {
        let name = format!("phase {} ({:?})", i + 1, phase.slug);
        if !is_slug(&phase.slug, MAX_PHASE_SLUG_LEN) {
            problems.push(format!(
                "{name}: slug must be 1-{MAX_PHASE_SLUG_LEN} characters of a-z, 0-9 and '-' (it becomes a command name)"
            ));
        }
        if phase_slugs.insert(phase.slug.as_str(), i).is_some() {
            problems.push(format!("{name}: slug is used by another phase"));
        }
        check_text(
            &mut problems,
            &format!("{name}: title"),
            &phase.title,
            MAX_TITLE_LEN,
        );
        check_text(
            &mut problems,
            &format!("{name}: summary"),
            &phase.summary,
            MAX_SUMMARY_LEN,
        );
        check_text(
            &mut problems,
            &format!("{name}: milestone"),
            &phase.milestone,
            MAX_SUMMARY_LEN,
        );
        let [first, last] = phase.weeks;
        if first == 0 || first > last {
            problems.push(format!(
                "{name}: weeks must be [first, last] with 1 <= first <= last"
            ));
        } else if first <= previous_last_week {
            problems.push(format!(
                "{name}: weeks {first}-{last} overlap the previous phase"
            ));
        }
        previous_last_week = previous_last_week.max(last);
        if phase.topics.is_empty() {
            problems.push(format!("{name}: has no [[phase.topic]] entries"));
        }
        if phase.topics.len() > MAX_TOPICS_PER_PHASE {
            problems.push(format!(
                "{name}: has {} topics; a select menu holds at most {MAX_TOPICS_PER_PHASE}",
                phase.topics.len()
            ));
        }
        for topic in &phase.topics {
            let tname = format!("topic {:?}", topic.slug);
            if !is_slug(&topic.slug, MAX_TOPIC_SLUG_LEN) {
                problems.push(format!(
                    "{tname}: slug must be 1-{MAX_TOPIC_SLUG_LEN} characters of a-z, 0-9 and '-'"
                ));
            }
            if let Some(other) = topic_slugs.insert(&topic.slug, &phase.slug) {
                problems.push(format!(
                    "{tname}: slug is used twice (also in phase {other:?}); topic slugs must be unique"
                ));
            }
            check_text(
                &mut problems,
                &format!("{tname}: title"),
                &topic.title,
                MAX_TITLE_LEN,
            );
            check_text(
                &mut problems,
                &format!("{tname}: explanation"),
                &topic.explanation,
                MAX_EXPLANATION_LEN,
            );
            if !(1..=200).contains(&topic.hours) {
                problems.push(format!("{tname}: hours must be between 1 and 200"));
            }
            if !(2..=4).contains(&topic.resources.len()) {
                problems.push(format!(
                    "{tname}: has {} resources; give 2 to 4",
                    topic.resources.len()
                ));
            }
            let shown = resources_len(&topic.resources);
            if shown > MAX_RESOURCES_LEN {
                problems.push(format!(
                    "{tname}: the resources take {shown} characters on the topic card; the limit is {MAX_RESOURCES_LEN} (shorten titles or links)"
                ));
            }
            for resource in &topic.resources {
                check_text(
                    &mut problems,
                    &format!("{tname}: resource title"),
                    &resource.title,
                    MAX_TITLE_LEN,
                );
                match url::Url::parse(&resource.url) {
                    Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => {
                    }
                    _ => problems.push(format!(
                        "{tname}: resource {:?} has a URL that is not an http(s) link: {:?}",
                        resource.title, resource.url
                    )),
                }
            }
        }
    }
    problems
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small valid roadmap for tests elsewhere in the crate.
    pub(crate) fn sample() -> Roadmap {
        Roadmap::parse(SAMPLE).expect("sample roadmap is valid")
    }

    pub(crate) const SAMPLE: &str = r#"
[[phase]]
slug = "fundamentals"
title = "Programming fundamentals"
weeks = [1, 4]
summary = "Learn one language well."
milestone = "A small CLI program."

[[phase.topic]]
slug = "variables"
title = "Variables, data types and operators"
explanation = "How values are named and combined."
hours = 4
resources = [
  { title = "Handbook", url = "https://www.typescriptlang.org/docs/handbook/intro.html" },
  { title = "MDN", url = "https://developer.mozilla.org/" },
]

[[phase.topic]]
slug = "control-flow"
title = "Control flow"
explanation = "Branches and loops."
hours = 3
resources = [
  { title = "Handbook", url = "https://www.typescriptlang.org/docs/handbook/intro.html" },
  { title = "MDN", url = "https://developer.mozilla.org/" },
]

[[phase]]
slug = "databases"
title = "Databases"
weeks = [5, 8]
summary = "Store data."
milestone = "An API backed by PostgreSQL."

[[phase.topic]]
slug = "sql-fundamentals"
title = "SQL fundamentals"
explanation = "SELECT, INSERT, UPDATE, DELETE and JOINs."
hours = 8
resources = [
  { title = "PostgreSQL tutorial", url = "https://www.postgresql.org/docs/current/tutorial.html" },
  { title = "SQLite SQL", url = "https://sqlite.org/lang.html" },
]

[[phase.topic]]
slug = "redis"
title = "Redis"
explanation = "Caching and sessions."
hours = 4
resources = [
  { title = "Redis docs", url = "https://redis.io/docs/" },
  { title = "Redis data types", url = "https://redis.io/docs/latest/develop/data-types/" },
]
"#;

    #[test]
    fn sample_parses_with_numbers_and_index() {
        let roadmap = sample();
        assert_eq!(roadmap.phases().len(), 2);
        assert_eq!(roadmap.phases()[1].number, 2);
        assert_eq!(roadmap.topic_count(), 4);
        let redis = roadmap.topic("redis").unwrap();
        assert_eq!(redis.phase.slug, "databases");
        assert_eq!(redis.topic.title, "Redis");
        assert!(roadmap.topic("nope").is_none());
        let order: Vec<_> = roadmap.topics().map(|t| t.topic.slug.as_str()).collect();
        assert_eq!(
            order,
            ["variables", "control-flow", "sql-fundamentals", "redis"]
        );
    }

    #[test]
    fn the_shipped_roadmap_is_valid_and_covers_six_phases() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/roadmap.toml");
        let roadmap = Roadmap::load(&path).unwrap_or_else(|p| panic!("{}", p.join("\n")));
        let slugs: Vec<_> = roadmap.phases().iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "fundamentals",
                "backend-basics",
                "databases",
                "auth-security",
                "testing-devops",
                "advanced"
            ]
        );
        let weeks: Vec<_> = roadmap.phases().iter().map(|p| p.weeks).collect();
        assert_eq!(
            weeks,
            [[1, 4], [5, 8], [9, 12], [13, 14], [15, 18], [19, 24]]
        );
        assert!(roadmap.phases().iter().all(|p| p.topics.len() >= 6));
    }

    fn problems_of(text: &str) -> Vec<String> {
        Roadmap::parse(text).expect_err("should be invalid")
    }

    #[test]
    fn duplicate_slugs_and_bad_urls_are_all_reported() {
        let text = SAMPLE
            .replace("slug = \"redis\"", "slug = \"variables\"")
            .replace("https://redis.io/docs/\"", "redis docs\"")
            .replace("slug = \"databases\"", "slug = \"Databases!\"");
        let problems = problems_of(&text);
        assert!(
            problems.iter().any(|p| p.contains("used twice")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("not an http(s) link")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("command name")),
            "{problems:?}"
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn texts_over_discord_limits_are_rejected() {
        let long = "x".repeat(MAX_TITLE_LEN + 1);
        let text = SAMPLE.replace("title = \"Redis\"", &format!("title = \"{long}\""));
        let problems = problems_of(&text);
        assert!(problems[0].contains("101 characters"), "{problems:?}");
    }

    #[test]
    fn resources_must_fit_one_embed_field() {
        let long_url = format!("https://redis.io/docs/{}", "a".repeat(600));
        let text = SAMPLE.replace("https://redis.io/docs/\"", &format!("{long_url}\""));
        assert!(Roadmap::parse(&text).is_ok(), "one long link still fits");
        let text = text.replace(
            "https://redis.io/docs/latest/develop/data-types/\"",
            &format!("{long_url}/b\""),
        );
        let problems = problems_of(&text);
        assert!(problems[0].contains("on the topic card"), "{problems:?}");
    }

    #[test]
    fn weeks_must_be_ordered_and_resources_counted() {
        let text = SAMPLE.replace("weeks = [5, 8]", "weeks = [3, 8]").replace(
            "  { title = \"Redis data types\", url = \"https://redis.io/docs/latest/develop/data-types/\" },\n",
            "",
        );
        let problems = problems_of(&text);
        assert!(
            problems.iter().any(|p| p.contains("overlap")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("has 1 resources")),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_keys_and_syntax_errors_are_reported() {
        let problems = problems_of(&SAMPLE.replace("hours = 8", "hours = 8\nminutes = 3"));
        assert!(problems[0].contains("minutes"), "{problems:?}");
        assert!(!problems_of("[[phase]\n").is_empty());
        assert!(problems_of("").iter().any(|p| p.contains("no [[phase]]")));
    }
}
