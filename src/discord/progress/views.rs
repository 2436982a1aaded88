//! Texts about a member's progress shared by the features that show it.

use crate::progress::MemberProgress;
use crate::roadmap::Roadmap;

/// What a member who has been through every topic is told: a celebration if all are done,
/// otherwise a count that does not pretend skipped topics were learned.
pub(crate) fn finished_text(progress: &MemberProgress, roadmap: &Roadmap) -> String {
    let done = progress.total_done(roadmap);
    let skipped = roadmap.topic_count() - done;
    if skipped == 0 {
        "🎉 Every topic of the roadmap is done. Time to build something big, and to help others along!"
            .to_owned()
    } else {
        format!(
            "You have been through every topic: {done} done, {skipped} skipped. The skipped ones \
             are waiting whenever you want them; open one with `/topic`."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::TopicStatus;
    use crate::roadmap::tests::sample;

    fn all(roadmap: &Roadmap, status: TopicStatus) -> MemberProgress {
        MemberProgress::from_statuses(roadmap.topics().map(|t| (t.topic.slug.clone(), status)))
    }

    #[test]
    fn finishing_celebrates_only_when_everything_is_done() {
        let roadmap = sample();
        assert!(finished_text(&all(&roadmap, TopicStatus::Done), &roadmap).starts_with("🎉"));
        let skipped = finished_text(&all(&roadmap, TopicStatus::Skipped), &roadmap);
        assert!(skipped.contains("0 done, 4 skipped"), "{skipped}");
        assert!(!skipped.contains('🎉'));
    }
}
