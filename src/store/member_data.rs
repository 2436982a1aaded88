//! Everything stored about one member in one server, across tables: for `/privacy export` and
//! `/privacy delete`. The one store module that spans tables, on purpose: the list of what
//! holds a member's data lives in one place ([`MEMBER_TABLES`]), so export and delete cannot
//! disagree, and a store test checks every table with a `user_id` column is on it.

use serde_json::{Map, Value};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use super::board_score::Board;
use super::{board_histogram, id_to_sql, Conn};
use crate::member::Member;

/// A table that holds member data, and how to find one member's rows in it: a condition whose
/// two parameters are the server, then the user.
pub struct MemberTable {
    pub table: &'static str,
    pub rows: &'static str,
}

/// Every table with a member's data, children before parents (delete order).
pub const MEMBER_TABLES: &[MemberTable] = &[
    MemberTable {
        table: "reminder_occurrence",
        rows: "reminder_id IN (SELECT id FROM reminder WHERE guild_id = ? AND user_id = ? AND kind = 'member')",
    },
    MemberTable {
        table: "reminder",
        rows: "guild_id = ? AND user_id = ? AND kind = 'member'",
    },
    MemberTable {
        table: "submission",
        rows: "challenge_id IN (SELECT id FROM challenge WHERE guild_id = ?) AND user_id = ?",
    },
    MemberTable { table: "board_score", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "streak", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "study_day", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "checkin", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "topic_progress", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "topic_note", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "group_member", rows: "guild_id = ? AND user_id = ?" },
    MemberTable { table: "member_settings", rows: "guild_id = ? AND user_id = ?" },
];

/// A column's value as JSON, whatever its SQLite type.
fn cell(row: &sqlx::sqlite::SqliteRow, index: usize) -> anyhow::Result<Value> {
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    Ok(match raw.type_info().name() {
        "INTEGER" => Value::from(row.try_get::<i64, _>(index)?),
        "REAL" => Value::from(row.try_get::<f64, _>(index)?),
        "BLOB" => Value::from(format!("{} bytes", row.try_get::<Vec<u8>, _>(index)?.len())),
        _ => Value::from(row.try_get::<String, _>(index)?),
    })
}

/// The member's rows, table by table (tables without any are left out), and the server's audit
/// entries they made.
pub async fn export(conn: &mut Conn, member: Member) -> anyhow::Result<Map<String, Value>> {
    let mut out = Map::new();
    let tables = MEMBER_TABLES
        .iter()
        .map(|t| (t.table, t.rows))
        .chain([("audit_log", "guild_id = ? AND actor_id = ?")]);
    for (table, rows) in tables {
        let found = sqlx::query(&format!("SELECT * FROM {table} WHERE {rows}"))
            .bind(id_to_sql(member.guild.0))
            .bind(id_to_sql(member.user.0))
            .fetch_all(&mut *conn)
            .await?;
        if found.is_empty() {
            continue;
        }
        let mut list = Vec::with_capacity(found.len());
        for row in &found {
            let mut object = Map::new();
            for (i, column) in row.columns().iter().enumerate() {
                object.insert(column.name().to_owned(), cell(row, i)?);
            }
            list.push(Value::Object(object));
        }
        out.insert(table.to_owned(), Value::Array(list));
    }
    Ok(out)
}

/// How many rows each table holds for the member.
pub async fn count(conn: &mut Conn, member: Member) -> anyhow::Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for t in MEMBER_TABLES {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {} WHERE {}",
            t.table, t.rows
        ))
        .bind(id_to_sql(member.guild.0))
        .bind(id_to_sql(member.user.0))
        .fetch_one(&mut *conn)
        .await?;
        out.push((t.table, n));
    }
    Ok(out)
}

/// Deletes every row of the member (in the caller's transaction), keeping the leaderboards'
/// counts in step, and removes them from the server's audit record: entries they made lose
/// their author, and mentions of them in others' entries become "a former member". Returns
/// the rows deleted per table.
pub async fn delete(conn: &mut Conn, member: Member) -> anyhow::Result<Vec<(&'static str, u64)>> {
    let guild = member.guild;
    // The histograms count the member's scores: take them out first.
    let scores: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT metric, period, period_start, score FROM board_score
         WHERE guild_id = ? AND user_id = ? AND score > 0",
    )
    .bind(id_to_sql(guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_all(&mut *conn)
    .await?;
    for (metric, period, start, score) in &scores {
        let board = Board {
            metric,
            period,
            start: (!start.is_empty())
                .then(|| super::parse_instant(start))
                .transpose()?,
        };
        board_histogram::bump(conn, guild, board, *score, -1).await?;
    }
    let current: Option<i64> = sqlx::query_scalar(
        "SELECT current FROM streak WHERE guild_id = ? AND user_id = ? AND current > 0",
    )
    .bind(id_to_sql(guild.0))
    .bind(id_to_sql(member.user.0))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(current) = current {
        board_histogram::bump(conn, guild, super::streak::BOARD, current, -1).await?;
    }
    let mut deleted = Vec::new();
    for t in MEMBER_TABLES {
        let done = sqlx::query(&format!("DELETE FROM {} WHERE {}", t.table, t.rows))
            .bind(id_to_sql(guild.0))
            .bind(id_to_sql(member.user.0))
            .execute(&mut *conn)
            .await?;
        deleted.push((t.table, done.rows_affected()));
    }
    // Who made or reviewed things: the member's id is replaced by 0 (nobody).
    for (table, column, scope) in [
        ("audit_log", "actor_id", "guild_id = ?"),
        ("challenge", "created_by", "guild_id = ?"),
        ("study_group", "created_by", "guild_id = ?"),
        (
            "submission",
            "reviewed_by",
            "challenge_id IN (SELECT id FROM challenge WHERE guild_id = ?)",
        ),
    ] {
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = 0 WHERE {scope} AND {column} = ?"
        ))
        .bind(id_to_sql(guild.0))
        .bind(id_to_sql(member.user.0))
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE audit_log SET detail = REPLACE(detail, ?, 'a former member') WHERE guild_id = ?",
    )
    .bind(format!("<@{}>", member.user.0))
    .bind(id_to_sql(guild.0))
    .execute(&mut *conn)
    .await?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Pool, Store};

    #[sqlx::test]
    async fn every_table_with_a_user_column_is_on_the_list(pool: Pool) {
        let mut conn = Store::from(pool).conn().await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND c.name = 'user_id' ORDER BY m.name",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert!(tables.len() >= 10, "{tables:?}");
        for table in tables {
            assert!(
                MEMBER_TABLES.iter().any(|t| t.table == table),
                "{table} holds members' data but export and delete don't know it"
            );
        }
    }
}
