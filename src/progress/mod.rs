//! Members' progress through the roadmap: the status of each topic, per-phase counts, and which
//! topic comes next. Pure rules live here with their tests; [`ProgressService`] adds the store.

mod service;

use std::collections::HashMap;

pub use service::{NoSuchTopic, ProgressService};

use crate::roadmap::{Phase, Roadmap, TopicRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TopicStatus {
    #[default]
    NotStarted,
    InProgress,
    Done,
    Skipped,
}

impl TopicStatus {
    pub const ALL: [TopicStatus; 4] = [
        TopicStatus::Done,
        TopicStatus::InProgress,
        TopicStatus::Skipped,
        TopicStatus::NotStarted,
    ];

    /// The value stored in `topic_progress.status`; `None` for "no row".
    pub fn to_db(self) -> Option<&'static str> {
        match self {
            Self::NotStarted => None,
            Self::InProgress => Some("in_progress"),
            Self::Done => Some("done"),
            Self::Skipped => Some("skipped"),
        }
    }

    pub fn from_db(code: &str) -> anyhow::Result<Self> {
        match code {
            "in_progress" => Ok(Self::InProgress),
            "done" => Ok(Self::Done),
            "skipped" => Ok(Self::Skipped),
            other => anyhow::bail!("unknown topic status {other:?} in the database"),
        }
    }

    /// A topic that no longer needs attention: done, or skipped on purpose.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Done | Self::Skipped)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Skipped => "Skipped",
        }
    }

    pub fn emoji(self) -> &'static str {
        match self {
            Self::NotStarted => "⬜",
            Self::InProgress => "🟨",
            Self::Done => "✅",
            Self::Skipped => "⏭️",
        }
    }
}

/// One member's statuses, keyed by topic slug. Topics without an entry are not started.
#[derive(Debug, Clone, Default)]
pub struct MemberProgress {
    statuses: HashMap<String, TopicStatus>,
}

#[derive(Debug, Clone, Copy)]
pub struct PhaseProgress<'a> {
    pub phase: &'a Phase,
    pub done: usize,
    pub skipped: usize,
    pub in_progress: usize,
    pub total: usize,
}

impl PhaseProgress<'_> {
    pub fn is_finished(&self) -> bool {
        self.done + self.skipped == self.total
    }

    /// Whole percent of topics done (skipped topics do not count as learned).
    pub fn percent_done(&self) -> u32 {
        if self.total == 0 {
            return 0;
        }
        (self.done * 100 / self.total) as u32
    }
}

impl MemberProgress {
    pub fn from_statuses(statuses: impl IntoIterator<Item = (String, TopicStatus)>) -> Self {
        Self {
            statuses: statuses
                .into_iter()
                .filter(|(_, s)| *s != TopicStatus::NotStarted)
                .collect(),
        }
    }

    pub fn status(&self, topic_slug: &str) -> TopicStatus {
        self.statuses.get(topic_slug).copied().unwrap_or_default()
    }

    pub fn phase<'a>(&self, phase: &'a Phase) -> PhaseProgress<'a> {
        let mut p = PhaseProgress {
            phase,
            done: 0,
            skipped: 0,
            in_progress: 0,
            total: phase.topics.len(),
        };
        for topic in &phase.topics {
            match self.status(&topic.slug) {
                TopicStatus::Done => p.done += 1,
                TopicStatus::Skipped => p.skipped += 1,
                TopicStatus::InProgress => p.in_progress += 1,
                TopicStatus::NotStarted => {}
            }
        }
        p
    }

    pub fn phases<'a>(&self, roadmap: &'a Roadmap) -> Vec<PhaseProgress<'a>> {
        roadmap
            .phases()
            .iter()
            .map(|phase| self.phase(phase))
            .collect()
    }

    /// The first topic in roadmap order that is neither done nor skipped.
    pub fn next_topic<'a>(&self, roadmap: &'a Roadmap) -> Option<TopicRef<'a>> {
        roadmap
            .topics()
            .find(|t| !self.status(&t.topic.slug).is_finished())
    }

    /// The phase of the next topic; `None` once the whole roadmap is finished.
    pub fn current_phase<'a>(&self, roadmap: &'a Roadmap) -> Option<&'a Phase> {
        self.next_topic(roadmap).map(|t| t.phase)
    }

    /// Topics done across the roadmap (rows for topics no longer in it are not counted).
    pub fn total_done(&self, roadmap: &Roadmap) -> usize {
        roadmap
            .topics()
            .filter(|t| self.status(&t.topic.slug) == TopicStatus::Done)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::tests::sample;

    fn progress(pairs: &[(&str, TopicStatus)]) -> MemberProgress {
        MemberProgress::from_statuses(pairs.iter().map(|(s, t)| (s.to_string(), *t)))
    }

    #[test]
    fn status_codes_round_trip() {
        for status in TopicStatus::ALL {
            match status.to_db() {
                Some(code) => assert_eq!(TopicStatus::from_db(code).unwrap(), status),
                None => assert_eq!(status, TopicStatus::NotStarted),
            }
        }
        assert!(TopicStatus::from_db("finished").is_err());
    }

    #[test]
    fn phase_counts_and_percent() {
        let roadmap = sample();
        let p = progress(&[
            ("variables", TopicStatus::Done),
            ("control-flow", TopicStatus::InProgress),
            ("redis", TopicStatus::Skipped),
            ("gone-topic", TopicStatus::Done),
        ]);
        let phases = p.phases(&roadmap);
        assert_eq!(
            (phases[0].done, phases[0].in_progress, phases[0].total),
            (1, 1, 2)
        );
        assert_eq!(phases[0].percent_done(), 50);
        assert!(!phases[0].is_finished());
        assert_eq!((phases[1].done, phases[1].skipped), (0, 1));
        assert_eq!(
            p.total_done(&roadmap),
            1,
            "topics no longer in the roadmap are ignored"
        );
    }

    #[test]
    fn next_topic_skips_done_and_skipped_but_not_in_progress() {
        let roadmap = sample();
        let slug = |p: &MemberProgress| p.next_topic(&roadmap).map(|t| t.topic.slug.clone());
        assert_eq!(slug(&progress(&[])), Some("variables".into()));
        assert_eq!(
            slug(&progress(&[("variables", TopicStatus::InProgress)])),
            Some("variables".into())
        );
        let p = progress(&[
            ("variables", TopicStatus::Done),
            ("control-flow", TopicStatus::Skipped),
        ]);
        assert_eq!(slug(&p), Some("sql-fundamentals".into()));
        assert_eq!(
            p.current_phase(&roadmap).map(|p| p.slug.as_str()),
            Some("databases")
        );
        assert!(p.phase(&roadmap.phases()[0]).is_finished());
    }

    #[test]
    fn finished_roadmap_has_no_next_topic() {
        let roadmap = sample();
        let all: Vec<_> = roadmap
            .topics()
            .map(|t| (t.topic.slug.clone(), TopicStatus::Done))
            .collect();
        let p = MemberProgress::from_statuses(all);
        assert!(p.next_topic(&roadmap).is_none());
        assert!(p.current_phase(&roadmap).is_none());
        assert!(p.phases(&roadmap).iter().all(|p| p.percent_done() == 100));
    }

    proptest::proptest! {
        #[test]
        fn counts_and_next_topic_agree_for_any_statuses(
            picks in proptest::collection::vec(0usize..4, 4),
        ) {
            let roadmap = sample();
            let statuses: Vec<_> = roadmap
                .topics()
                .zip(picks)
                .map(|(t, pick)| (t.topic.slug.clone(), TopicStatus::ALL[pick]))
                .collect();
            let p = MemberProgress::from_statuses(statuses);
            let phases = p.phases(&roadmap);
            let done: usize = phases.iter().map(|ph| ph.done).sum();
            proptest::prop_assert_eq!(done, p.total_done(&roadmap));
            for ph in &phases {
                proptest::prop_assert!(ph.done + ph.skipped + ph.in_progress <= ph.total);
                proptest::prop_assert!(ph.percent_done() <= 100);
            }
            // Every topic before the next one is finished; the next one is not.
            let order: Vec<_> = roadmap.topics().map(|t| t.topic.slug.clone()).collect();
            match p.next_topic(&roadmap) {
                Some(next) => {
                    let at = order.iter().position(|s| *s == next.topic.slug).unwrap();
                    proptest::prop_assert!(!p.status(&order[at]).is_finished());
                    proptest::prop_assert!(order[..at].iter().all(|s| p.status(s).is_finished()));
                }
                None => proptest::prop_assert!(order.iter().all(|s| p.status(s).is_finished())),
            }
        }
    }
}
