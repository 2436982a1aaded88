//! The `streak` table: each member's streak as carried forward, and when it ends.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{format_instant, id_to_sql, Conn};
use crate::member::Member;
use crate::streak::rules::{Day, Streak};

/// The histogram's key for current streaks.
pub(crate) const BOARD: super::board_score::Board<'static> = super::board_score::Board {
    metric: "streak",
    period: "all",
    start: None,
};

pub async fn get(conn: &mut Conn, member: Member) -> anyhow::Result<Streak> {
    let row = sqlx::query(
        "SELECT current, longest, freezes, run_days, last_date, last_zone, settled_through FROM streak
         WHERE guild_id = ? AND user_id = ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(Streak::default());
    };
    let zone: String = row.try_get("last_zone")?;
    let count =
        |name: &str| -> anyhow::Result<u32> { Ok(u32::try_from(row.try_get::<i64, _>(name)?)?) };
    Ok(Streak {
        current: count("current")?,
        longest: count("longest")?,
        freezes: count("freezes")?,
        run_days: count("run_days")?,
        last: Some(Day {
            date: row.try_get::<String, _>("last_date")?.parse()?,
            zone: crate::timezone::parse(&zone)
                .ok_or_else(|| anyhow::anyhow!("stored zone {zone:?} is unknown"))?,
        }),
        settled_through: row
            .try_get::<Option<String>, _>("settled_through")?
            .map(|d| d.parse())
            .transpose()?,
    })
}

/// Stores the streak (which must have a last day) with the instant it ends without study;
/// `previous` is the current streak stored before (0 for none), for the board's histogram.
pub async fn put(
    conn: &mut Conn,
    member: Member,
    streak: &Streak,
    alive_until: DateTime<Utc>,
    previous: u32,
) -> anyhow::Result<()> {
    let last = streak
        .last
        .ok_or_else(|| anyhow::anyhow!("a streak without a study day is not stored"))?;
    super::board_histogram::moved(
        conn,
        member.guild,
        BOARD,
        i64::from(previous),
        i64::from(streak.current),
    )
    .await?;
    sqlx::query(
        "INSERT INTO streak (guild_id, user_id, current, longest, freezes, run_days, last_date, last_zone, alive_until, settled_through)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, user_id) DO UPDATE SET
             current = excluded.current, longest = excluded.longest, freezes = excluded.freezes,
             run_days = excluded.run_days, last_date = excluded.last_date,
             last_zone = excluded.last_zone, alive_until = excluded.alive_until,
             settled_through = excluded.settled_through",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(i64::from(streak.current))
    .bind(i64::from(streak.longest))
    .bind(i64::from(streak.freezes))
    .bind(i64::from(streak.run_days))
    .bind(last.date.to_string())
    .bind(last.zone.name())
    .bind(format_instant(alive_until))
    .bind(streak.settled_through.map(|d| d.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One page of the current-streaks board at `now`: members whose streak is still alive, longest
/// first (ties by user id).
pub async fn page_alive(
    conn: &mut Conn,
    guild: crate::member::GuildId,
    now: DateTime<Utc>,
    offset: u32,
    limit: u32,
) -> anyhow::Result<Vec<(crate::member::UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT user_id, current FROM streak
         WHERE guild_id = ? AND current > 0 AND alive_until > ?
         ORDER BY current DESC, user_id LIMIT ? OFFSET ?",
    )
    .bind(id_to_sql(guild.0))
    .bind(format_instant(now))
    .bind(i64::from(limit))
    .bind(i64::from(offset))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                crate::member::UserId(row.try_get::<i64, _>("user_id")? as u64),
                row.try_get("current")?,
            ))
        })
        .collect()
}

/// How many members hold a streak longer than `above` (exact once [`zero_ended`] ran for the
/// moment of reading).
pub async fn count_alive_above(
    conn: &mut Conn,
    guild: crate::member::GuildId,
    above: i64,
) -> anyhow::Result<u32> {
    super::board_histogram::members_above(conn, guild, BOARD, above).await
}

/// Whether any streak ended by `now` and is still counted.
pub async fn any_ended(conn: &mut Conn, now: DateTime<Utc>) -> anyhow::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM streak WHERE current > 0 AND alive_until <= ? LIMIT 1")
            .bind(format_instant(now))
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Sets to 0 the streaks that ended by `now` (keeping the histogram in step), so the board
/// holds live streaks only; returns how many. Run it in a transaction.
pub async fn zero_ended(conn: &mut Conn, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let ended = sqlx::query(
        "SELECT guild_id, current, COUNT(*) AS members FROM streak
         WHERE current > 0 AND alive_until <= ? GROUP BY guild_id, current",
    )
    .bind(format_instant(now))
    .fetch_all(&mut *conn)
    .await?;
    if ended.is_empty() {
        return Ok(0);
    }
    let mut total = 0;
    for row in &ended {
        let guild = crate::member::GuildId(row.try_get::<i64, _>("guild_id")? as u64);
        let members: i64 = row.try_get("members")?;
        super::board_histogram::bump(conn, guild, BOARD, row.try_get("current")?, -members).await?;
        total += members as u64;
    }
    sqlx::query(
        "UPDATE streak SET current = 0, run_days = 0 WHERE current > 0 AND alive_until <= ?",
    )
    .bind(format_instant(now))
    .execute(&mut *conn)
    .await?;
    Ok(total)
}

/// The member's current streak if it is still alive at `now`.
pub async fn alive_current(
    conn: &mut Conn,
    member: Member,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT current FROM streak WHERE guild_id = ? AND user_id = ? AND current > 0 AND alive_until > ?",
    )
    .bind(id_to_sql(member.guild.0))
    .bind(id_to_sql(member.user.0))
    .bind(format_instant(now))
    .fetch_optional(&mut *conn)
    .await?)
}
