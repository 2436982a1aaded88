//! The life of a challenge: posted by a moderator, submitted to by members until its deadline,
//! reviewed by moderators. (Points on the leaderboard, the posts and the deadline come next.)

use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::rules::{self, DueRefused};
use crate::error::{Error, Result};
use crate::member::{Caller, Member, UserId};
use crate::roadmap::Roadmap;
use crate::settings::SettingsService;
use crate::store::audit_log::{self, AuditEntry};
use crate::store::challenge::{self, ChallengeRow, NewChallenge, SubmissionRow};
use crate::store::Store;

/// What a moderator asked to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post<'a> {
    pub phase: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub due: &'a str,
    pub points: Option<i64>,
    pub channel: u64,
}

#[derive(Debug, Clone)]
pub struct ChallengeService {
    store: Store,
    settings: SettingsService,
    roadmap: Arc<Roadmap>,
}

fn refused(what: String) -> Error {
    Error::user(format!("{what}. Nothing was saved."))
}

impl ChallengeService {
    pub fn new(store: Store, settings: SettingsService, roadmap: Arc<Roadmap>) -> Self {
        Self {
            store,
            settings,
            roadmap,
        }
    }

    /// Posts a challenge (moderators); `zone` is the moderator's, for a typed date.
    pub async fn post(
        &self,
        caller: &Caller,
        post: Post<'_>,
        zone: Tz,
        now: DateTime<Utc>,
    ) -> Result<ChallengeRow> {
        self.settings.require_moderator(caller).await?;
        let guild = caller.member()?.guild;
        let phase = self.roadmap.phase(post.phase).ok_or_else(|| {
            Error::user("That phase is not in the roadmap. Pick one from the list.")
        })?;
        let title = rules::check_text(post.title, rules::TITLE_MAX, "title")
            .map_err(refused)?
            .ok_or_else(|| refused("The challenge needs a title".into()))?;
        let description =
            rules::check_text(post.description, rules::DESCRIPTION_MAX, "description")
                .map_err(refused)?
                .ok_or_else(|| refused("The challenge needs a description".into()))?;
        let due = rules::parse_due(post.due, zone, now).map_err(|why| {
            refused(match why {
                DueRefused::Unreadable => "I can't read that deadline: give a date and time like `2027-03-14 18:00` (your time zone) or a span like `3d`, `1w`, `36h`".into(),
                DueRefused::Skipped => "That time does not exist on that day in your zone (the clocks skip it)".into(),
                DueRefused::InThePast => "The deadline must be in the future".into(),
                DueRefused::TooFar => "The deadline must be within a year".into(),
            })
        })?;
        let points = rules::check_points(post.points).map_err(|e| refused(format!("The {e}")))?;
        let mut tx = self.store.begin().await?;
        let row = challenge::insert(
            &mut tx,
            &NewChallenge {
                guild,
                phase: &phase.slug,
                title: &title,
                description: &description,
                due,
                points,
                channel: post.channel,
                by: caller.user,
            },
            now,
        )
        .await?;
        let entry = AuditEntry {
            actor: caller.user,
            action: "challenge.post".into(),
            detail: format!("posted challenge #{} ({} points)", row.id, points),
            at: now,
        };
        audit_log::record(&mut tx, guild, &entry).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(row)
    }

    /// Remembers where the challenge was posted.
    pub async fn posted(&self, id: i64, message: u64) -> Result<()> {
        let mut conn = self.store.conn().await?;
        Ok(challenge::set_message(&mut conn, id, message).await?)
    }

    /// A challenge of the member's server.
    pub async fn get(&self, member: Member, id: i64) -> Result<ChallengeRow> {
        self.open(member, id).await
    }

    async fn open(&self, member: Member, id: i64) -> Result<ChallengeRow> {
        let mut conn = self.store.conn().await?;
        challenge::get(&mut conn, member.guild, id)
            .await?
            .ok_or_else(|| {
                Error::user("That challenge is not in this server. `/challenge list` shows them.")
            })
    }

    /// Saves a member's submission: replaced while pending, locked once reviewed, refused
    /// after the deadline.
    pub async fn submit(
        &self,
        member: Member,
        id: i64,
        link: &str,
        notes: &str,
        now: DateTime<Utc>,
    ) -> Result<SubmissionRow> {
        let found = self.open(member, id).await?;
        if found.state == "cancelled" {
            return Err(Error::user(
                "That challenge was cancelled; nothing was saved.",
            ));
        }
        if now >= found.due || found.state == "closed" {
            return Err(Error::user(format!(
                "That challenge closed <t:{0}:F> (<t:{0}:R>); submissions are no longer taken.",
                found.due.timestamp()
            )));
        }
        let link = rules::check_link(link).map_err(|e| refused(format!("The link: {e}")))?;
        let notes = rules::check_text(notes, rules::NOTES_MAX, "notes").map_err(refused)?;
        let mut conn = self.store.conn().await?;
        if !challenge::submit(
            &mut conn,
            found.id,
            member.user,
            &link,
            notes.as_deref(),
            now,
        )
        .await?
        {
            return Err(Error::user(
                "Your submission was already reviewed, so it can't be changed now.",
            ));
        }
        challenge::submission(&mut conn, found.id, member.user)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("a submission just saved is gone")))
    }

    /// A moderator's verdict on a member's submission; returns the state it had before.
    pub async fn review(
        &self,
        caller: &Caller,
        id: i64,
        user: UserId,
        approve: bool,
        feedback: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        self.settings.require_moderator(caller).await?;
        let member = caller.member()?;
        let found = self.open(member, id).await?;
        let feedback = match feedback {
            Some(text) => rules::check_text(text, rules::NOTES_MAX, "feedback").map_err(refused)?,
            None => None,
        };
        let verdict = if approve { "approved" } else { "rejected" };
        let mut tx = self.store.begin().await?;
        let before = challenge::review(
            &mut tx,
            found.id,
            user,
            verdict,
            feedback.as_deref(),
            caller.user,
            now,
        )
        .await?
        .ok_or_else(|| Error::user("That member has no submission for this challenge."))?;
        let entry = AuditEntry {
            actor: caller.user,
            action: "challenge.review".into(),
            detail: format!(
                "{verdict} <@{}>'s submission to challenge #{}",
                user.0, found.id
            ),
            at: now,
        };
        audit_log::record(&mut tx, member.guild, &entry).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::{GuildId, Permissions};
    use crate::roadmap::tests::sample;
    use crate::store::Pool;
    use chrono::{Duration, TimeZone};

    fn caller(user: u64, permissions: u64) -> Caller {
        Caller {
            user: UserId(user),
            guild: Some(GuildId(1)),
            display_name: "x".into(),
            permissions: Permissions(permissions),
            roles: Vec::new(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    fn post<'a>(due: &'a str) -> Post<'a> {
        Post {
            phase: "databases",
            title: "Build a tiny key-value store",
            description: "Use Redis or SQLite; link the repository.",
            due,
            points: Some(25),
            channel: 42,
        }
    }

    #[sqlx::test]
    async fn the_life_of_a_challenge(pool: Pool) {
        let store = Store::from(pool.clone());
        let svc = ChallengeService::new(
            store.clone(),
            SettingsService::new(store),
            Arc::new(sample()),
        );
        let mona = caller(9, Permissions::MANAGE_GUILD.0);
        let ada = Member::new(1, 7);
        // Members cannot post; bad input writes nothing.
        assert!(matches!(
            svc.post(&caller(7, 0), post("3d"), Tz::UTC, now()).await,
            Err(Error::User(_))
        ));
        for bad in [
            Post {
                phase: "cooking",
                ..post("3d")
            },
            Post {
                title: " ",
                ..post("3d")
            },
            post("yesterday"),
            post("2026-11-25 10:00"),
            Post {
                points: Some(5000),
                ..post("3d")
            },
        ] {
            assert!(matches!(
                svc.post(&mona, bad, Tz::UTC, now()).await,
                Err(Error::User(_))
            ));
        }
        let count = |pool: Pool| async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM challenge")
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        assert_eq!(count(pool.clone()).await, 0);
        let c = svc.post(&mona, post("3d"), Tz::UTC, now()).await.unwrap();
        assert_eq!((c.points, c.due), (25, now() + Duration::days(3)));

        // A member submits, then replaces it while it is pending.
        svc.submit(ada, c.id, "https://github.com/ada/kv", "first try", now())
            .await
            .unwrap();
        let replaced = svc
            .submit(
                ada,
                c.id,
                "https://github.com/ada/kv2",
                "",
                now() + Duration::hours(1),
            )
            .await
            .unwrap();
        assert_eq!(
            (replaced.link.as_str(), replaced.notes),
            ("https://github.com/ada/kv2", None)
        );
        assert!(matches!(
            svc.submit(ada, c.id, "javascript:alert(1)", "", now())
                .await,
            Err(Error::User(_))
        ));
        // Another server's challenge is not found.
        assert!(matches!(
            svc.submit(Member::new(2, 7), c.id, "https://x.org", "", now())
                .await,
            Err(Error::User(_))
        ));

        // Reviewed: locked. A member cannot review.
        assert!(matches!(
            svc.review(&caller(7, 0), c.id, UserId(7), true, None, now())
                .await,
            Err(Error::User(_))
        ));
        assert_eq!(
            svc.review(&mona, c.id, UserId(7), true, None, now())
                .await
                .unwrap(),
            "pending"
        );
        assert!(matches!(
            svc.submit(ada, c.id, "https://github.com/ada/kv3", "", now())
                .await,
            Err(Error::User(_))
        ));
        assert_eq!(
            svc.review(&mona, c.id, UserId(7), false, Some("Tests missing"), now())
                .await
                .unwrap(),
            "approved"
        );
        assert!(matches!(
            svc.review(&mona, c.id, UserId(8), true, None, now()).await,
            Err(Error::User(_))
        ));

        // After the deadline, a new submission is refused with the deadline shown.
        let late = svc
            .submit(
                Member::new(1, 8),
                c.id,
                "https://x.org",
                "",
                now() + Duration::days(3),
            )
            .await;
        let Err(Error::User(text)) = late else {
            panic!("refused")
        };
        assert!(
            text.contains(&format!("<t:{}:F>", c.due.timestamp())),
            "{text}"
        );
        let audited: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'challenge.%'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(audited, 3, "one post and two reviews");
    }
}
