//! The life of a challenge: posted by a moderator, submitted to by members until its deadline,
//! reviewed by moderators (approvals put points on the leaderboards), edited or cancelled, and
//! closed at its deadline by the dispatcher, once.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::message;
use super::rules::{self, DueRefused};
use crate::error::{Error, Result};
use crate::leaderboard::{service::boards, Metric};
use crate::member::{Caller, GuildId, Member, UserId};
use crate::outbox::{ChannelId, Destination, MessageId, Outbox, Sent};
use crate::roadmap::Roadmap;
use crate::settings::SettingsService;
use crate::store::audit_log::{self, AuditEntry};
use crate::store::board_score;
use crate::store::challenge::{
    self, ChallengeRow, Change, NewChallenge, SubmissionRow, Tally, Verdict,
};
use crate::store::{Conn, Store};

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

/// What a moderator asked to change (`None`: keep).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub due: Option<&'a str>,
    pub points: Option<i64>,
}

/// The review queue of a challenge: the next submission to look at, and how they all stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    pub challenge: ChallengeRow,
    pub next: Option<SubmissionRow>,
    pub tally: Tally,
}

/// A verdict as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub challenge: ChallengeRow,
    pub submission: SubmissionRow,
    /// The state the submission had before.
    pub before: String,
    /// Points given (positive) or taken back (negative) by this verdict.
    pub points: i64,
}

/// How long closed challenges stay in `/challenge list`.
pub const RECENTLY_CLOSED: Duration = Duration::days(14);
/// Rows on a page of `/challenge list`.
pub const LIST_PAGE: u32 = 8;
/// Challenges closed per look at the clock.
const CLOSE_BATCH: u32 = 50;

#[derive(Debug, Clone)]
pub struct ChallengeService {
    store: Store,
    settings: SettingsService,
    roadmap: Arc<Roadmap>,
}

fn refused(what: String) -> Error {
    Error::user(format!("{what}. Nothing was saved."))
}

fn due_refused(why: DueRefused) -> Error {
    refused(match why {
        DueRefused::Unreadable => "I can't read that deadline: give a date and time like `2027-03-14 18:00` (your time zone) or a span like `3d`, `1w`, `36h`".into(),
        DueRefused::Skipped => "That time does not exist on that day in your zone (the clocks skip it)".into(),
        DueRefused::InThePast => "The deadline must be in the future".into(),
        DueRefused::TooFar => "The deadline must be within a year".into(),
    })
}

fn required(text: &str, max: usize, what: &str) -> Result<String> {
    rules::check_text(text, max, what)
        .map_err(refused)?
        .ok_or_else(|| refused(format!("The challenge needs a {what}")))
}

/// Adds `points` (possibly negative) to the member's challenge points for the week, month and
/// all time containing `at`, inside the caller's transaction.
async fn add_points(
    conn: &mut Conn,
    member: Member,
    points: i64,
    at: DateTime<Utc>,
    zone: Tz,
) -> anyhow::Result<()> {
    let boards = boards(Metric::Points, at, zone);
    board_score::add_many(conn, member.guild, member.user, &boards, points).await
}

impl ChallengeService {
    pub fn new(store: Store, settings: SettingsService, roadmap: Arc<Roadmap>) -> Self {
        Self {
            store,
            settings,
            roadmap,
        }
    }

    /// "Phase 3: Databases", for posts.
    pub fn phase_title(&self, slug: &str) -> String {
        self.roadmap.phase(slug).map_or(slug.to_owned(), |p| {
            format!("Phase {}: {}", p.number, p.title)
        })
    }

    async fn audit(
        conn: &mut Conn,
        caller: &Caller,
        guild: GuildId,
        action: &str,
        detail: String,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let entry = AuditEntry {
            actor: caller.user,
            action: format!("challenge.{action}"),
            detail,
            at: now,
        };
        Ok(audit_log::record(conn, guild, &entry).await?)
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
        let title = required(post.title, rules::TITLE_MAX, "title")?;
        let description = required(post.description, rules::DESCRIPTION_MAX, "description")?;
        let due = rules::parse_due(post.due, zone, now).map_err(due_refused)?;
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
        let detail = format!("posted challenge #{} ({} points)", row.id, points);
        Self::audit(&mut tx, caller, guild, "post", detail, now).await?;
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
        let mut conn = self.store.conn().await?;
        challenge::get(&mut conn, member.guild, id)
            .await?
            .ok_or_else(|| {
                Error::user("That challenge is not in this server. `/challenge list` shows them.")
            })
    }

    /// A challenge, with the member's own submission and how submissions stand.
    pub async fn show(
        &self,
        member: Member,
        id: i64,
    ) -> Result<(ChallengeRow, Option<SubmissionRow>, Tally)> {
        let found = self.get(member, id).await?;
        let mut conn = self.store.conn().await?;
        let mine = challenge::submission(&mut conn, found.id, member.user).await?;
        let tally = challenge::tally(&mut conn, found.id).await?;
        Ok((found, mine, tally))
    }

    /// Page `page` (0-based) of the server's open and recently closed challenges, and the
    /// number of pages.
    pub async fn list(
        &self,
        guild: GuildId,
        page: u32,
        now: DateTime<Utc>,
    ) -> Result<(Vec<ChallengeRow>, u32)> {
        let mut conn = self.store.conn().await?;
        let (rows, total) = challenge::list(
            &mut conn,
            guild,
            now - RECENTLY_CLOSED,
            page.saturating_mul(LIST_PAGE),
            LIST_PAGE,
        )
        .await?;
        let pages = total.div_ceil(LIST_PAGE).max(1);
        if page >= pages {
            return Err(Error::user(format!(
                "That page no longer exists: the list has {pages} page{} now. Run `/challenge list` again.",
                if pages == 1 { "" } else { "s" }
            )));
        }
        Ok((rows, pages))
    }

    /// The server's challenges matching what is typed, for autocomplete.
    pub async fn search(&self, guild: GuildId, partial: &str) -> Result<Vec<ChallengeRow>> {
        let mut conn = self.store.conn().await?;
        Ok(challenge::search(&mut conn, guild, partial, 25).await?)
    }

    /// The server's open challenges closing between `now` and `within` from now.
    pub async fn closing_soon(
        &self,
        guild: GuildId,
        now: DateTime<Utc>,
        within: Duration,
    ) -> Result<Vec<ChallengeRow>> {
        let mut conn = self.store.conn().await?;
        Ok(challenge::closing_between(&mut conn, guild, now, now + within).await?)
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
        let found = self.get(member, id).await?;
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

    /// The review queue (moderators): the oldest pending submission, or the one after the
    /// submission of `after` (skipped); with `only`, that member's submission whatever its
    /// state (to change a verdict).
    pub async fn queue(
        &self,
        caller: &Caller,
        id: i64,
        after: Option<UserId>,
        only: Option<UserId>,
    ) -> Result<Queue> {
        self.settings.require_moderator(caller).await?;
        let found = self.get(caller.member()?, id).await?;
        let mut conn = self.store.conn().await?;
        let next = match (only, after) {
            (Some(user), _) => Some(
                challenge::submission(&mut conn, found.id, user)
                    .await?
                    .ok_or_else(|| {
                        Error::user("That member has no submission for this challenge.")
                    })?,
            ),
            (None, after) => {
                let cursor = match after {
                    Some(user) => challenge::submission(&mut conn, found.id, user)
                        .await?
                        .map(|s| (s.submitted, s.user)),
                    None => None,
                };
                challenge::next_pending(&mut conn, found.id, cursor).await?
            }
        };
        let tally = challenge::tally(&mut conn, found.id).await?;
        Ok(Queue {
            challenge: found,
            next,
            tally,
        })
    }

    /// A moderator's verdict on a member's submission. Approving gives the challenge's points
    /// (once: approving again changes nothing); rejecting an approved submission takes back
    /// what its approval gave, from the periods it was given in.
    pub async fn review(
        &self,
        caller: &Caller,
        id: i64,
        user: UserId,
        approve: bool,
        feedback: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Reviewed> {
        self.settings.require_moderator(caller).await?;
        let guild = caller.member()?.guild;
        let found = self.get(caller.member()?, id).await?;
        if found.state == "cancelled" {
            return Err(Error::user(
                "That challenge was cancelled, so its submissions are no longer reviewed.",
            ));
        }
        let feedback = match feedback {
            Some(text) => rules::check_text(text, rules::NOTES_MAX, "feedback").map_err(refused)?,
            None => None,
        };
        let zone = self.settings.get(guild).await?.zone();
        let member = Member { guild, user };
        let mut tx = self.store.begin().await?;
        let before = challenge::submission(&mut tx, found.id, user)
            .await?
            .ok_or_else(|| Error::user("That member has no submission for this challenge."))?;
        let was_approved = before.state == "approved";
        let (verdict, awarded, points) = match (approve, was_approved) {
            (true, true) => ("approved", before.awarded, 0),
            (true, false) => {
                add_points(&mut tx, member, found.points, now, zone).await?;
                ("approved", Some(found.points), found.points)
            }
            (false, true) => {
                let given = before.awarded.unwrap_or(0);
                let at = before.approved.unwrap_or(now);
                add_points(&mut tx, member, -given, at, zone).await?;
                ("rejected", None, -given)
            }
            (false, false) => ("rejected", None, 0),
        };
        challenge::review(
            &mut tx,
            found.id,
            user,
            &Verdict {
                state: verdict,
                feedback: feedback.as_deref(),
                by: caller.user,
                awarded,
            },
            now,
        )
        .await?;
        let detail = format!(
            "{verdict} <@{}>'s submission to challenge #{} (was {}; points {points:+})",
            user.0, found.id, before.state
        );
        Self::audit(&mut tx, caller, guild, "review", detail, now).await?;
        let submission = challenge::submission(&mut tx, found.id, user)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("a reviewed submission is gone")))?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(Reviewed {
            challenge: found,
            submission,
            before: before.state,
            points,
        })
    }

    /// Changes a challenge (moderators). The deadline moves only while it is open; changed
    /// points count for approvals from now on (earlier approvals keep what they gave).
    pub async fn edit(
        &self,
        caller: &Caller,
        id: i64,
        edit: Edit<'_>,
        zone: Tz,
        now: DateTime<Utc>,
    ) -> Result<ChallengeRow> {
        self.settings.require_moderator(caller).await?;
        let guild = caller.member()?.guild;
        let found = self.get(caller.member()?, id).await?;
        if found.state == "cancelled" {
            return Err(Error::user(
                "That challenge was cancelled; it can't be edited.",
            ));
        }
        if edit == Edit::default() {
            return Err(Error::user(
                "Nothing to change: give a new title, description, deadline or points.",
            ));
        }
        let title = match edit.title {
            Some(text) => required(text, rules::TITLE_MAX, "title")?,
            None => found.title.clone(),
        };
        let description = match edit.description {
            Some(text) => required(text, rules::DESCRIPTION_MAX, "description")?,
            None => found.description.clone(),
        };
        let due = match edit.due {
            Some(_) if found.state != "open" => {
                return Err(Error::user(
                    "That challenge has closed, so its deadline can't move. Nothing was saved.",
                ))
            }
            Some(text) => rules::parse_due(text, zone, now).map_err(due_refused)?,
            None => found.due,
        };
        let points = match edit.points {
            Some(points) => {
                rules::check_points(Some(points)).map_err(|e| refused(format!("The {e}")))?
            }
            None => found.points,
        };
        let mut changed = Vec::new();
        if title != found.title {
            changed.push("title".to_owned());
        }
        if description != found.description {
            changed.push("description".to_owned());
        }
        if due != found.due {
            changed.push(format!("deadline to <t:{}:f>", due.timestamp()));
        }
        if points != found.points {
            changed.push(format!("points {} → {points}", found.points));
        }
        if changed.is_empty() {
            return Err(Error::user(
                "That is what the challenge already says; nothing changed.",
            ));
        }
        let mut tx = self.store.begin().await?;
        challenge::update(
            &mut tx,
            found.id,
            &Change {
                title: &title,
                description: &description,
                due,
                points,
            },
        )
        .await?;
        let detail = format!("edited challenge #{}: {}", found.id, changed.join(", "));
        Self::audit(&mut tx, caller, guild, "edit", detail, now).await?;
        let row = challenge::get(&mut tx, guild, found.id)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("an edited challenge is gone")))?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(row)
    }

    /// Cancels an open challenge (moderators): no more submissions or reviews; points already
    /// given stay, and nothing more is given.
    pub async fn cancel(
        &self,
        caller: &Caller,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<ChallengeRow> {
        self.settings.require_moderator(caller).await?;
        let guild = caller.member()?.guild;
        let found = self.get(caller.member()?, id).await?;
        let mut tx = self.store.begin().await?;
        if !challenge::finish(&mut tx, found.id, "cancelled", now).await? {
            return Err(Error::user(format!(
                "That challenge is already {}; only an open challenge can be cancelled.",
                found.state
            )));
        }
        let detail = format!("cancelled challenge #{}", found.id);
        Self::audit(&mut tx, caller, guild, "cancel", detail, now).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(ChallengeRow {
            state: "cancelled".into(),
            ..found
        })
    }

    /// The server's latest challenge actions (moderators), newest first.
    pub async fn log(&self, caller: &Caller, limit: u32) -> Result<Vec<AuditEntry>> {
        self.settings.require_moderator(caller).await?;
        let guild = caller.member()?.guild;
        let mut conn = self.store.conn().await?;
        Ok(audit_log::recent(&mut conn, guild, "challenge.", limit).await?)
    }

    /// Makes the challenge's post match the challenge (its state, text and tally). `Ok(false)`:
    /// it has no post (it could not be posted).
    pub async fn refresh_post(&self, outbox: &dyn Outbox, row: &ChallengeRow) -> Result<bool> {
        let Some(message_id) = row.message else {
            return Ok(false);
        };
        let tally = if row.state == "open" {
            None
        } else {
            let mut conn = self.store.conn().await?;
            Some(challenge::tally(&mut conn, row.id).await?)
        };
        let sent = Sent {
            channel: ChannelId(row.channel),
            message: MessageId(message_id),
        };
        outbox
            .edit(
                sent,
                message::post(row, &self.phase_title(&row.phase), tally),
            )
            .await
            .map_err(|e| {
                Error::internal(anyhow::Error::new(e).context("editing a challenge post"))
            })?;
        Ok(true)
    }

    /// Closes every open challenge whose deadline has passed by `now`, once each whatever
    /// restarts happen: the challenge is marked closed before anything is sent, then its post
    /// is edited and the results are posted (a send that fails is logged, not repeated).
    /// Returns how many were closed.
    pub async fn close_due(&self, outbox: &dyn Outbox, now: DateTime<Utc>) -> Result<u32> {
        let mut closed = 0;
        loop {
            let due = {
                let mut conn = self.store.conn().await?;
                challenge::due(&mut conn, now, CLOSE_BATCH).await?
            };
            if due.is_empty() {
                return Ok(closed);
            }
            for row in due {
                let tally = {
                    let mut tx = self.store.begin().await?;
                    if !challenge::finish(&mut tx, row.id, "closed", now).await? {
                        continue;
                    }
                    let tally = challenge::tally(&mut tx, row.id).await?;
                    tx.commit().await.map_err(anyhow::Error::from)?;
                    tally
                };
                closed += 1;
                let row = ChallengeRow {
                    state: "closed".into(),
                    ..row
                };
                if let Err(e) = self.refresh_post(outbox, &row).await {
                    tracing::warn!(challenge = row.id, error = %e, "could not mark a challenge post closed");
                }
                let results = message::results(&row, tally);
                if let Err(e) = outbox
                    .send(Destination::Channel(ChannelId(row.channel)), results)
                    .await
                {
                    tracing::warn!(challenge = row.id, error = %e, "could not post a challenge's results");
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl crate::reminder::dispatcher::Deadlines for ChallengeService {
    async fn close_due(&self, outbox: &dyn Outbox, now: DateTime<Utc>) -> anyhow::Result<u32> {
        ChallengeService::close_due(self, outbox, now)
            .await
            .map_err(anyhow::Error::from)
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

    fn service(pool: &Pool) -> ChallengeService {
        let store = Store::from(pool.clone());
        ChallengeService::new(
            store.clone(),
            SettingsService::new(store),
            Arc::new(sample()),
        )
    }

    /// An outbox that keeps the text of what it sends.
    #[derive(Default)]
    struct Sink(std::sync::Mutex<Vec<String>>);

    #[async_trait::async_trait]
    impl Outbox for Sink {
        async fn send(
            &self,
            to: Destination,
            message: crate::outbox::Outgoing,
        ) -> std::result::Result<Sent, crate::outbox::SendError> {
            let Destination::Channel(channel) = to else {
                panic!("challenges post in channels")
            };
            self.0.lock().unwrap().push(message.content);
            Ok(Sent {
                channel,
                message: MessageId(1),
            })
        }

        async fn edit(
            &self,
            _: Sent,
            message: crate::outbox::Outgoing,
        ) -> std::result::Result<(), crate::outbox::SendError> {
            self.0
                .lock()
                .unwrap()
                .push(format!("edit: {}", message.content));
            Ok(())
        }
    }

    /// The challenge points on a board (server 1), best first.
    async fn points(pool: &Pool, period: &str) -> Vec<(i64, i64)> {
        sqlx::query_as(
            "SELECT user_id, score FROM board_score
             WHERE guild_id = 1 AND metric = 'points' AND period = ? AND score <> 0
             ORDER BY score DESC",
        )
        .bind(period)
        .fetch_all(pool)
        .await
        .unwrap()
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
        let svc = service(&pool);
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
        let approved = svc
            .review(&mona, c.id, UserId(7), true, None, now())
            .await
            .unwrap();
        assert_eq!((approved.before.as_str(), approved.points), ("pending", 25));
        // Approving again gives nothing more.
        let again = svc
            .review(
                &mona,
                c.id,
                UserId(7),
                true,
                None,
                now() + Duration::hours(1),
            )
            .await
            .unwrap();
        assert_eq!(again.points, 0);
        assert_eq!(points(&pool, "all").await, vec![(7, 25)]);
        assert_eq!(points(&pool, "week").await, vec![(7, 25)]);
        assert!(matches!(
            svc.submit(ada, c.id, "https://github.com/ada/kv3", "", now())
                .await,
            Err(Error::User(_))
        ));
        // The next week, the approval is taken back from the week it was given in.
        let rejected = svc
            .review(
                &mona,
                c.id,
                UserId(7),
                false,
                Some("Tests missing"),
                now() + Duration::days(7),
            )
            .await
            .unwrap();
        assert_eq!(
            (rejected.before.as_str(), rejected.points),
            ("approved", -25)
        );
        assert_eq!(
            rejected.submission.feedback.as_deref(),
            Some("Tests missing")
        );
        assert!(points(&pool, "all").await.is_empty());
        assert!(points(&pool, "week").await.is_empty());
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
        assert_eq!(audited, 4, "one post and three reviews");

        // Edits: the deadline and points change and the log says so; bad edits write nothing.
        assert!(matches!(
            svc.edit(&mona, c.id, Edit::default(), Tz::UTC, now()).await,
            Err(Error::User(_))
        ));
        assert!(matches!(
            svc.edit(
                &caller(7, 0),
                c.id,
                Edit {
                    points: Some(5),
                    ..Edit::default()
                },
                Tz::UTC,
                now()
            )
            .await,
            Err(Error::User(_))
        ));
        let edited = svc
            .edit(
                &mona,
                c.id,
                Edit {
                    due: Some("5d"),
                    points: Some(40),
                    ..Edit::default()
                },
                Tz::UTC,
                now(),
            )
            .await
            .unwrap();
        assert_eq!((edited.points, edited.due), (40, now() + Duration::days(5)));
        let log = svc.log(&mona, 10).await.unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "challenge.edit" && e.detail.contains("points 25 → 40")),
            "{log:?}"
        );

        // The deadline passes: closed once, with its results; a second pass closes nothing.
        let outbox = Sink::default();
        let later = now() + Duration::days(5);
        assert_eq!(
            svc.close_due(&outbox, later - Duration::seconds(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(svc.close_due(&outbox, later).await.unwrap(), 1);
        assert_eq!(svc.close_due(&outbox, later).await.unwrap(), 0);
        let sent = outbox.0.lock().unwrap().clone();
        assert_eq!(
            sent.len(),
            1,
            "no post to edit, one results message: {sent:?}"
        );
        assert!(
            sent[0].contains("1 submission · 0 approved · 0 pending review"),
            "{sent:?}"
        );
        assert!(matches!(
            svc.edit(
                &mona,
                c.id,
                Edit {
                    due: Some("1d"),
                    ..Edit::default()
                },
                Tz::UTC,
                later
            )
            .await,
            Err(Error::User(_))
        ));
        assert!(matches!(
            svc.cancel(&mona, c.id, later).await,
            Err(Error::User(_))
        ));
    }

    #[sqlx::test]
    async fn a_cancelled_challenge_takes_nothing_more(pool: Pool) {
        let svc = service(&pool);
        let mona = caller(9, Permissions::MANAGE_GUILD.0);
        let c = svc.post(&mona, post("3d"), Tz::UTC, now()).await.unwrap();
        svc.submit(Member::new(1, 7), c.id, "https://x.org/a", "", now())
            .await
            .unwrap();
        assert!(matches!(
            svc.cancel(&caller(7, 0), c.id, now()).await,
            Err(Error::User(_))
        ));
        assert_eq!(
            svc.cancel(&mona, c.id, now()).await.unwrap().state,
            "cancelled"
        );
        assert!(matches!(
            svc.review(&mona, c.id, UserId(7), true, None, now()).await,
            Err(Error::User(_))
        ));
        assert!(matches!(
            svc.submit(Member::new(1, 8), c.id, "https://x.org/b", "", now())
                .await,
            Err(Error::User(_))
        ));
        assert!(points(&pool, "all").await.is_empty());
        let outbox = Sink::default();
        assert_eq!(
            svc.close_due(&outbox, now() + Duration::days(4))
                .await
                .unwrap(),
            0,
            "a cancelled challenge is not closed again"
        );
    }

    #[sqlx::test]
    async fn the_review_queue_goes_oldest_first_and_skips(pool: Pool) {
        let svc = service(&pool);
        let mona = caller(9, Permissions::MANAGE_GUILD.0);
        let c = svc.post(&mona, post("3d"), Tz::UTC, now()).await.unwrap();
        for (user, minutes) in [(7, 2), (8, 1), (6, 3)] {
            svc.submit(
                Member::new(1, user),
                c.id,
                "https://x.org",
                "",
                now() + Duration::minutes(minutes),
            )
            .await
            .unwrap();
        }
        let next = |q: Queue| q.next.map(|s| s.user.0);
        assert_eq!(
            next(svc.queue(&mona, c.id, None, None).await.unwrap()),
            Some(8)
        );
        assert_eq!(
            next(svc.queue(&mona, c.id, Some(UserId(8)), None).await.unwrap()),
            Some(7)
        );
        assert_eq!(
            next(svc.queue(&mona, c.id, Some(UserId(6)), None).await.unwrap()),
            None
        );
        svc.review(&mona, c.id, UserId(8), true, None, now())
            .await
            .unwrap();
        let q = svc.queue(&mona, c.id, None, None).await.unwrap();
        assert_eq!(
            (q.tally.submitted, q.tally.approved, q.tally.pending),
            (3, 1, 2)
        );
        assert_eq!(next(q), Some(7));
        assert_eq!(
            next(svc.queue(&mona, c.id, None, Some(UserId(8))).await.unwrap()),
            Some(8)
        );
        assert!(matches!(
            svc.queue(&caller(7, 0), c.id, None, None).await,
            Err(Error::User(_))
        ));
    }
}
