//! The writer thread. It takes whatever commands are queued (up to a batch limit), applies
//! them in one transaction, commits (one fsync for the whole group), and only then sends the
//! acks and updates the live totals. A failed commit acknowledges nothing. Under load it
//! lingers up to [`LINGER`] to gather a bigger group.

use std::sync::Arc;
use std::time::{Duration, Instant};

use catwalk_protocol::{
    ErrorCode, EventId, IntakeEvent, IntakeEventKind, ServerMessage, WriteBody, WriteKind,
};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use tokio::sync::mpsc;

use super::{CreateOutcome, StoreCommand, WriteRequest};
use crate::show::aggregate::TallyDelta;
use crate::stats::Stats;

/// How long a writer under load waits for more commands before committing a group.
pub const LINGER: Duration = Duration::from_millis(2);
const LINGER_POLL: Duration = Duration::from_micros(200);

/// Reads or creates this database's server id (used to make outbox event ids unique).
pub fn server_id(conn: &Connection) -> rusqlite::Result<String> {
    let id: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'server_id'", [], |r| {
            r.get(0)
        })
        .optional()?;
    match id {
        Some(id) => Ok(id),
        None => {
            let id = uuid::Uuid::new_v4().simple().to_string();
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('server_id', ?1)",
                [&id],
            )?;
            Ok(id)
        }
    }
}

/// What applying one command decided; acted on only after the commit.
#[derive(Default)]
struct Outcome {
    /// The message for the writing client.
    reply: Option<ServerMessage>,
    /// The change to the live totals.
    delta: Option<TallyDelta>,
    /// For a create: whether the show was new.
    created: Option<CreateOutcome>,
}

/// The writer thread's state.
pub struct Writer {
    conn: Connection,
    server_id: String,
    batch_max: usize,
    outbox_ready: Arc<tokio::sync::Notify>,
    stats: Arc<Stats>,
}

fn ms_of(t: catwalk_protocol::ShowTime) -> i64 {
    t.millis() as i64
}

impl Writer {
    /// A writer over an open, migrated connection.
    pub fn new(
        conn: Connection,
        server_id: String,
        batch_max: usize,
        outbox_ready: Arc<tokio::sync::Notify>,
        stats: Arc<Stats>,
    ) -> Self {
        Self {
            conn,
            server_id,
            batch_max: batch_max.max(1),
            outbox_ready,
            stats,
        }
    }

    /// Runs until [`StoreCommand::Close`] or until every sender is gone.
    pub fn run(mut self, mut rx: mpsc::Receiver<StoreCommand>) {
        lower_this_threads_priority();
        let mut batch = Vec::with_capacity(self.batch_max);
        let mut closing = false;
        let mut under_load = false;
        while !closing {
            let Some(first) = rx.blocking_recv() else {
                break;
            };
            batch.push(first);
            // Under load (the last batch held more than one command) the writer lingers a
            // moment for more: one fsync and one set of page writes then covers many more
            // writes. A lone write is committed at once.
            let linger_until = under_load.then(|| Instant::now() + LINGER);
            while batch.len() < self.batch_max {
                match rx.try_recv() {
                    Ok(cmd) => batch.push(cmd),
                    Err(mpsc::error::TryRecvError::Empty)
                        if linger_until.is_some_and(|t| Instant::now() < t) =>
                    {
                        std::thread::sleep(LINGER_POLL);
                    }
                    Err(_) => break,
                }
            }
            under_load = batch.len() > 1;
            closing = batch.iter().any(|c| matches!(c, StoreCommand::Close));
            self.commit_batch(&mut batch);
        }
        if let Err(e) = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
            tracing::warn!("checkpoint at close failed: {e}");
        }
        tracing::debug!("store writer stopped");
    }

    fn commit_batch(&mut self, batch: &mut Vec<StoreCommand>) {
        let mut outcomes = Vec::with_capacity(batch.len());
        let result = (|| -> rusqlite::Result<()> {
            let tx = self.conn.transaction()?;
            for cmd in batch.iter() {
                outcomes.push(apply(&tx, &self.server_id, cmd)?);
            }
            tx.commit()
        })();
        let writes = batch.iter().any(|c| matches!(c, StoreCommand::Write(_)));
        match result {
            Ok(()) => {
                Stats::bump(&self.stats.commits);
                for (cmd, outcome) in batch.drain(..).zip(outcomes) {
                    self.finish(cmd, outcome);
                }
                if writes {
                    self.outbox_ready.notify_one();
                }
            }
            Err(e) => {
                tracing::error!("commit failed, nothing in this batch is acknowledged: {e}");
                for cmd in batch.drain(..) {
                    fail(cmd, &e.to_string());
                }
            }
        }
    }

    fn finish(&self, cmd: StoreCommand, outcome: Outcome) {
        match cmd {
            StoreCommand::Write(req) => {
                if let Some(delta) = outcome.delta
                    && let Ok(mut board) = req.board.lock()
                {
                    board.apply(req.look_index, delta);
                }
                if let Some(reply) = outcome.reply {
                    if matches!(reply, ServerMessage::Ack { .. }) {
                        Stats::bump(&self.stats.acked);
                    }
                    req.reply.send(&reply);
                }
            }
            StoreCommand::CreateShow { reply, .. } => {
                let _ = reply.send(Ok(outcome.created.unwrap_or(CreateOutcome::Conflict)));
            }
            StoreCommand::AppendEvent { reply, .. } => {
                let _ = reply.send(Ok(()));
            }
            StoreCommand::Barrier(reply) => {
                let _ = reply.send(());
            }
            StoreCommand::OutboxDelivered { .. }
            | StoreCommand::OutboxFailed { .. }
            | StoreCommand::Close => {}
        }
    }
}

fn fail(cmd: StoreCommand, why: &str) {
    match cmd {
        StoreCommand::Write(req) => {
            req.reply.send(&ServerMessage::Error {
                code: ErrorCode::Internal,
                message: format!(
                    "the write could not be stored ({why}); send it again with the same key"
                ),
                key: Some(req.key.clone()),
            });
        }
        StoreCommand::CreateShow { reply, .. } => {
            let _ = reply.send(Err(why.to_string()));
        }
        StoreCommand::AppendEvent { reply, .. } => {
            let _ = reply.send(Err(why.to_string()));
        }
        StoreCommand::Barrier(reply) => {
            let _ = reply.send(());
        }
        StoreCommand::OutboxDelivered { .. }
        | StoreCommand::OutboxFailed { .. }
        | StoreCommand::Close => {}
    }
}

fn apply(tx: &Transaction<'_>, server_id: &str, cmd: &StoreCommand) -> rusqlite::Result<Outcome> {
    Ok(match cmd {
        StoreCommand::Write(req) => apply_write(tx, server_id, req)?,
        StoreCommand::CreateShow { record, status, .. } => Outcome {
            created: Some(super::load::create_show(tx, record, status)?),
            ..Outcome::default()
        },
        StoreCommand::AppendEvent {
            show,
            offset,
            event,
            status,
            ..
        } => {
            let event = serde_json::to_string(event).unwrap_or_default();
            let status = serde_json::to_string(status).unwrap_or_default();
            tx.execute(
                "INSERT INTO show_events (show, \"offset\", event) VALUES (?1, ?2, ?3)",
                params![show.as_str(), *offset as i64, event],
            )?;
            tx.execute(
                "UPDATE shows SET status = ?2, \"offset\" = ?3 WHERE show = ?1",
                params![show.as_str(), status, *offset as i64],
            )?;
            Outcome::default()
        }
        StoreCommand::OutboxDelivered { ids, at } => {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1 WHERE id = ?1",
            )?;
            for id in ids {
                stmt.execute(params![id, *at as i64])?;
            }
            Outcome::default()
        }
        StoreCommand::OutboxFailed {
            id,
            next_attempt_at,
            error,
        } => {
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                params![id, *next_attempt_at as i64, error],
            )?;
            Outcome::default()
        }
        StoreCommand::Barrier(_) | StoreCommand::Close => Outcome::default(),
    })
}

/// Queues an event for the production intake in the same transaction as the write.
fn insert_outbox(
    tx: &Transaction<'_>,
    event: &IntakeEvent,
    req: &WriteRequest,
) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO outbox (event_id, payload, created_at) VALUES (?1, ?2, ?3)")?
        .execute(params![
            event.event_id.as_str(),
            serde_json::to_string(event).unwrap_or_default(),
            ms_of(req.at)
        ])?;
    Ok(())
}

fn apply_write(
    tx: &Transaction<'_>,
    server_id: &str,
    req: &WriteRequest,
) -> rusqlite::Result<Outcome> {
    let body = serde_json::to_string(&(&req.show, &req.body)).unwrap_or_default();
    let kind = match req.body {
        WriteBody::Rating { .. } => WriteKind::Rating,
        WriteBody::Intent { .. } => WriteKind::Intent,
    };
    let seen: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, body FROM writes WHERE viewer = ?1 AND key = ?2")?
        .query_row(params![req.viewer.as_str(), req.key.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((seq, stored)) = seen {
        let reply = if stored == body {
            ServerMessage::Ack {
                key: req.key.clone(),
                kind,
                look: req.body.look().clone(),
                seq: seq as u64,
                replayed: true,
            }
        } else {
            ServerMessage::Error {
                code: ErrorCode::IdempotencyConflict,
                message: format!(
                    "key {} was already used for a different write; use a new key for a new write",
                    req.key
                ),
                key: Some(req.key.clone()),
            }
        };
        return Ok(Outcome {
            reply: Some(reply),
            ..Outcome::default()
        });
    }
    let kind_name = match kind {
        WriteKind::Rating => "rating",
        WriteKind::Intent => "intent",
    };
    tx.prepare_cached(
        "INSERT INTO writes (viewer, key, show, look, kind, body, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        req.viewer.as_str(),
        req.key.as_str(),
        req.show.as_str(),
        req.body.look().as_str(),
        kind_name,
        body,
        ms_of(req.at)
    ])?;
    let seq = tx.last_insert_rowid();
    let delta = match &req.body {
        WriteBody::Rating { look, stars } => {
            let old: Option<u8> = tx
                .prepare_cached(
                    "SELECT stars FROM ratings WHERE show = ?1 AND look = ?2 AND viewer = ?3",
                )?
                .query_row(
                    params![req.show.as_str(), look.as_str(), req.viewer.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            tx.prepare_cached(
                "INSERT INTO ratings (show, look, viewer, stars, seq) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (show, look, viewer) DO UPDATE SET stars = excluded.stars, seq = excluded.seq",
            )?
            .execute(params![
                req.show.as_str(),
                look.as_str(),
                req.viewer.as_str(),
                stars.get(),
                seq
            ])?;
            let event = IntakeEvent {
                event_id: EventId::parse(format!("rating-{server_id}-{seq}"))
                    .unwrap_or_else(|_| unreachable!("hex and digits make a valid id")),
                show: req.show.clone(),
                viewer: req.viewer.clone(),
                occurred_at: req.at,
                kind: IntakeEventKind::Rating {
                    look: look.clone(),
                    designer: req.look.designer.clone(),
                    garment: req.look.garment.clone(),
                    stars: *stars,
                },
            };
            insert_outbox(tx, &event, req)?;
            TallyDelta::Rating {
                old,
                new: stars.get(),
            }
        }
        WriteBody::Intent {
            look,
            size,
            quantity,
        } => {
            tx.prepare_cached(
                "INSERT INTO intents (seq, show, look, viewer, size, quantity) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                seq,
                req.show.as_str(),
                look.as_str(),
                req.viewer.as_str(),
                size.as_str(),
                quantity.get()
            ])?;
            let event = IntakeEvent {
                event_id: EventId::parse(format!("intent-{server_id}-{seq}"))
                    .unwrap_or_else(|_| unreachable!("hex and digits make a valid id")),
                show: req.show.clone(),
                viewer: req.viewer.clone(),
                occurred_at: req.at,
                kind: IntakeEventKind::PurchaseIntent {
                    look: look.clone(),
                    designer: req.look.designer.clone(),
                    garment: req.look.garment.clone(),
                    size: *size,
                    quantity: *quantity,
                },
            };
            insert_outbox(tx, &event, req)?;
            TallyDelta::Intent {
                size: *size,
                quantity: quantity.get(),
            }
        }
    };
    let reply = ServerMessage::Ack {
        key: req.key.clone(),
        kind,
        look: req.body.look().clone(),
        seq: seq as u64,
        replayed: false,
    };
    Ok(Outcome {
        reply: Some(reply),
        delta: Some(delta),
        created: None,
    })
}

/// How much lower the writer thread runs than the network threads (a nice value).
pub const WRITER_NICENESS: i32 = 10;

/// Lowers the calling thread's CPU priority by [`WRITER_NICENESS`]. Durable writes are
/// throughput-bound and already batched, while a look change must reach every viewer at
/// once: when both want the CPU, the fan-out goes first and the next group commit waits a
/// few milliseconds. On Linux the nice value belongs to the calling thread only (the tokio
/// workers keep theirs). The thread comes from tokio's blocking pool and keeps the lower
/// priority after the writer stops, at shutdown.
pub fn lower_this_threads_priority() {
    match rustix::process::getpriority_process(None) {
        Ok(current) => {
            if let Err(e) = rustix::process::setpriority_process(None, current + WRITER_NICENESS) {
                tracing::warn!("could not lower the store writer's priority: {e}");
            }
        }
        Err(e) => tracing::warn!("could not read the store writer's priority: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calling thread's nice value, from `/proc/thread-self/stat` (field 19).
    fn thread_nice() -> i32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
        let after_name = &stat[stat.rfind(')').expect("comm") + 2..];
        after_name
            .split_whitespace()
            .nth(16)
            .and_then(|n| n.parse().ok())
            .expect("nice field")
    }

    #[test]
    fn only_the_writer_thread_runs_at_lower_priority() {
        let before = thread_nice();
        let writer = std::thread::spawn(|| {
            let own = thread_nice();
            lower_this_threads_priority();
            (own, thread_nice())
        })
        .join()
        .expect("thread");
        assert_eq!(
            writer.1,
            (writer.0 + WRITER_NICENESS).min(19),
            "the writer's own nice value went up"
        );
        assert_eq!(thread_nice(), before, "other threads keep theirs");
    }
}
