//! What the bot posts about a challenge, in Discord-free terms: the post (open, closed or
//! cancelled), the results at the deadline, and the verdict a member is sent. Everything here
//! carries text a moderator or member typed, so none of it pings anyone (`ping` stays empty).

use crate::outbox::{Button, Card, Outgoing};
use crate::store::challenge::{ChallengeRow, SubmissionRow, Tally};

/// The custom id of a challenge's Submit button (and of the form it opens).
pub fn submit_id(id: i64) -> String {
    format!("wp:challenge:submit:{id}")
}

fn deadline(row: &ChallengeRow) -> String {
    format!("<t:{0}:F> (<t:{0}:R>)", row.due.timestamp())
}

/// The challenge's post; `tally` is shown once it has closed or was cancelled.
pub fn post(row: &ChallengeRow, phase_title: &str, tally: Option<Tally>) -> Outgoing {
    let (content, colour, buttons) = match row.state.as_str() {
        "open" => (
            format!("🏁 New challenge: **{}**", row.title),
            0xF59E0B,
            vec![Button {
                label: "Submit".into(),
                custom_id: submit_id(row.id),
            }],
        ),
        "cancelled" => (
            format!("🚫 Cancelled: **{}** (no more submissions)", row.title),
            0x6B7280,
            Vec::new(),
        ),
        _ => (
            format!(
                "🔒 Closed: **{}** (submissions are no longer taken)",
                row.title
            ),
            0x6B7280,
            Vec::new(),
        ),
    };
    let mut fields = vec![
        ("Phase".to_owned(), phase_title.to_owned()),
        ("Deadline".to_owned(), deadline(row)),
        ("Points".to_owned(), row.points.to_string()),
    ];
    if let Some(tally) = tally {
        fields.push(("Submissions".to_owned(), tally_line(tally)));
    }
    Outgoing {
        content,
        card: Some(Card {
            title: row.title.clone(),
            description: row.description.clone(),
            fields,
            footer: Some(format!("Challenge #{} · {}", row.id, row.state)),
            colour: Some(colour),
        }),
        buttons,
        ping: Vec::new(),
    }
}

/// "3 submissions · 1 approved · 2 pending review".
pub fn tally_line(tally: Tally) -> String {
    format!(
        "{} submission{} · {} approved · {} pending review",
        tally.submitted,
        if tally.submitted == 1 { "" } else { "s" },
        tally.approved,
        tally.pending
    )
}

/// Posted in the challenge's channel when its deadline passes.
pub fn results(row: &ChallengeRow, tally: Tally) -> Outgoing {
    Outgoing {
        content: format!(
            "⏰ Challenge #{} **{}** closed <t:{}:R>: {}.",
            row.id,
            row.title,
            row.due.timestamp(),
            tally_line(tally)
        ),
        ..Outgoing::default()
    }
}

/// The DM a member gets with a verdict on their submission.
pub fn verdict(row: &ChallengeRow, submission: &SubmissionRow) -> Outgoing {
    let approved = submission.state == "approved";
    let title = if approved {
        format!("✅ Approved: {}", row.title)
    } else {
        format!("❌ Not approved: {}", row.title)
    };
    let mut fields = vec![("Your link".to_owned(), submission.link.clone())];
    if approved {
        fields.push((
            "Points".to_owned(),
            format!("+{}", submission.awarded.unwrap_or(0)),
        ));
    }
    if let Some(feedback) = &submission.feedback {
        fields.push(("Feedback".to_owned(), feedback.clone()));
    }
    Outgoing {
        content: format!(
            "Your submission to challenge #{} **{}** was reviewed.",
            row.id, row.title
        ),
        card: Some(Card {
            title,
            description: if approved {
                "Well done! The points are on the leaderboard (`/leaderboard metric: challenge points`).".into()
            } else {
                "You can read the feedback below; ask the moderators if anything is unclear.".into()
            },
            fields,
            footer: Some(format!("Challenge #{}", row.id)),
            colour: Some(if approved { 0x22C55E } else { 0xEF4444 }),
        }),
        buttons: Vec::new(),
        ping: Vec::new(),
    }
}
