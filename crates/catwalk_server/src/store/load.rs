//! Shows as stored, and reading them back at start-up: each show's record, status, timeline
//! and the live totals rebuilt from the vote log.

use std::collections::HashMap;

use catwalk_protocol::{LookId, LookSpec, ShowId, ShowStatus, ShowTime, SizeLabel, TimelineEvent};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{CreateOutcome, StoreError};

/// What defines a show (fixed at creation).
#[derive(Debug, Clone, PartialEq)]
pub struct ShowRecord {
    /// The show.
    pub show: ShowId,
    /// Stream epoch.
    pub epoch: String,
    /// Title.
    pub title: String,
    /// Line-up.
    pub lineup: Vec<LookSpec>,
    /// Scheduled start.
    pub scheduled_start: ShowTime,
    /// When it was created (show time).
    pub created_at: ShowTime,
}

/// A show as read back at start-up.
#[derive(Debug, Clone)]
pub struct LoadedShow {
    /// What defines it.
    pub record: ShowRecord,
    /// Its status after the last event.
    pub status: ShowStatus,
    /// The last offset.
    pub offset: u64,
    /// Its timeline, oldest first.
    pub events: Vec<(u64, TimelineEvent)>,
    /// Stored rating counts per (look, stars).
    pub rating_counts: Vec<(LookId, u8, u64)>,
    /// Stored intents per (look, size): units and count.
    pub intent_totals: Vec<(LookId, SizeLabel, u64, u64)>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// Inserts a show unless it exists; a retried create with equal content is not an error.
pub fn create_show(
    tx: &Transaction<'_>,
    record: &ShowRecord,
    status: &ShowStatus,
) -> rusqlite::Result<CreateOutcome> {
    let lineup = serde_json::to_string(&record.lineup).unwrap_or_default();
    let existing: Option<(String, String, i64)> = tx
        .query_row(
            "SELECT title, lineup, scheduled_start FROM shows WHERE show = ?1",
            [record.show.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((title, stored_lineup, start)) = existing {
        let same = title == record.title
            && stored_lineup == lineup
            && start as u64 == record.scheduled_start.micros();
        return Ok(if same {
            CreateOutcome::AlreadyExists
        } else {
            CreateOutcome::Conflict
        });
    }
    tx.execute(
        "INSERT INTO shows (show, epoch, title, lineup, scheduled_start, status, \"offset\", created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
        params![
            record.show.as_str(),
            record.epoch,
            record.title,
            lineup,
            record.scheduled_start.micros() as i64,
            serde_json::to_string(status).unwrap_or_default(),
            record.created_at.micros() as i64
        ],
    )?;
    Ok(CreateOutcome::Created)
}

/// Reads every show with its timeline and totals.
pub fn load_shows(conn: &Connection) -> Result<Vec<LoadedShow>, StoreError> {
    let mut shows = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT show, epoch, title, lineup, scheduled_start, status, \"offset\", created_at
         FROM shows ORDER BY created_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, i64>(7)?,
        ))
    })?;
    let mut index = HashMap::new();
    for row in rows {
        let (show, epoch, title, lineup, start, status, offset, created) = row?;
        let show = ShowId::parse(show).map_err(|e| corrupt("show id", e))?;
        let lineup: Vec<LookSpec> =
            serde_json::from_str(&lineup).map_err(|e| corrupt("line-up", e))?;
        let status: ShowStatus =
            serde_json::from_str(&status).map_err(|e| corrupt("show status", e))?;
        index.insert(show.clone(), shows.len());
        shows.push(LoadedShow {
            record: ShowRecord {
                show,
                epoch,
                title,
                lineup,
                scheduled_start: ShowTime(start as u64),
                created_at: ShowTime(created as u64),
            },
            status,
            offset: offset as u64,
            events: Vec::new(),
            rating_counts: Vec::new(),
            intent_totals: Vec::new(),
        });
    }
    let mut stmt =
        conn.prepare("SELECT show, \"offset\", event FROM show_events ORDER BY show, \"offset\"")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let show: String = r.get(0)?;
        let Some(&i) = ShowId::parse(show)
            .ok()
            .and_then(|s| index.get(&s).copied())
            .as_ref()
        else {
            continue;
        };
        let event: TimelineEvent = serde_json::from_str(&r.get::<_, String>(2)?)
            .map_err(|e| corrupt("timeline event", e))?;
        shows[i].events.push((r.get::<_, i64>(1)? as u64, event));
    }
    let mut stmt =
        conn.prepare("SELECT show, look, stars, COUNT(*) FROM ratings GROUP BY show, look, stars")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let (Some(i), Ok(look)) = (
            ShowId::parse(r.get::<_, String>(0)?)
                .ok()
                .and_then(|s| index.get(&s).copied()),
            LookId::parse(r.get::<_, String>(1)?),
        ) {
            shows[i]
                .rating_counts
                .push((look, r.get(2)?, r.get::<_, i64>(3)? as u64));
        }
    }
    let mut stmt = conn.prepare(
        "SELECT show, look, size, SUM(quantity), COUNT(*) FROM intents GROUP BY show, look, size",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let (Some(i), Ok(look), Some(size)) = (
            ShowId::parse(r.get::<_, String>(0)?)
                .ok()
                .and_then(|s| index.get(&s).copied()),
            LookId::parse(r.get::<_, String>(1)?),
            SizeLabel::parse(&r.get::<_, String>(2)?),
        ) {
            shows[i].intent_totals.push((
                look,
                size,
                r.get::<_, i64>(3)? as u64,
                r.get::<_, i64>(4)? as u64,
            ));
        }
    }
    Ok(shows)
}
