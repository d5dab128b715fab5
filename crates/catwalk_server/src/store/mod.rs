//! Durable storage: SQLite in WAL mode with `synchronous=FULL`, written by one thread that
//! commits writes in groups (many writes per fsync) and acknowledges each only after its
//! transaction is on disk.
//!
//! - [`schema`]: tables and migrations.
//! - [`writer`]: the writer thread and what each command does inside a transaction.
//! - [`load`]: reading shows, events and totals back at start-up.

pub mod load;
pub mod schema;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use catwalk_protocol::{
    IdempotencyKey, LookSpec, ShowId, ShowStatus, ShowTime, TimelineEvent, ViewerId, WriteBody,
};
use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use crate::queue::ClientQueue;
use crate::show::aggregate::AggregateBoard;
use crate::stats::Stats;
pub use load::{LoadedShow, ShowRecord};

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database could not be opened or prepared.
    #[error("cannot open the database at {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The database was written by a newer Catwalk.
    #[error(
        "the database at {path} has schema version {found}, newer than this server's {supported}; upgrade the server"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: usize,
        /// Ours.
        supported: usize,
    },
    /// Stored JSON could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The writer thread has stopped (the server is shutting down).
    #[error("the store is shut down")]
    Closed,
}

/// A rating or intent waiting to be made durable.
#[derive(Debug)]
pub struct WriteRequest {
    /// The show.
    pub show: ShowId,
    /// Who wrote it.
    pub viewer: ViewerId,
    /// Their idempotency key.
    pub key: IdempotencyKey,
    /// What they wrote.
    pub body: WriteBody,
    /// The look's position in the line-up.
    pub look_index: usize,
    /// The look (for the outbox event).
    pub look: Arc<LookSpec>,
    /// When the server received it.
    pub at: ShowTime,
    /// The show's totals, updated after commit.
    pub board: Arc<Mutex<AggregateBoard>>,
    /// Where the ack (or error) goes.
    pub reply: ClientQueue,
}

/// Whether a create found the show new or already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    /// Created.
    Created,
    /// Existed with the same content (a retried create).
    AlreadyExists,
    /// Existed with other content.
    Conflict,
}

/// A command for the writer thread.
#[derive(Debug)]
pub enum StoreCommand {
    /// A rating or intent.
    Write(Box<WriteRequest>),
    /// Create a show.
    CreateShow {
        /// The show.
        record: ShowRecord,
        /// Its initial status.
        status: ShowStatus,
        /// The outcome.
        reply: oneshot::Sender<Result<CreateOutcome, String>>,
    },
    /// Append a timeline event and the new status of a show.
    AppendEvent {
        /// The show.
        show: ShowId,
        /// The event's offset.
        offset: u64,
        /// The event.
        event: TimelineEvent,
        /// The show's status after it.
        status: ShowStatus,
        /// Done.
        reply: oneshot::Sender<Result<(), String>>,
    },
    /// Outbox events were delivered.
    OutboxDelivered {
        /// Their row ids.
        ids: Vec<i64>,
        /// When (Unix ms).
        at: u64,
    },
    /// An outbox event failed and is to be retried later.
    OutboxFailed {
        /// Its row id.
        id: i64,
        /// When to try again (Unix ms).
        next_attempt_at: u64,
        /// Why it failed.
        error: String,
    },
    /// Replies once everything queued before it is committed.
    Barrier(oneshot::Sender<()>),
    /// Stop after what is queued.
    Close,
}

/// The handle to the store's writer thread.
#[derive(Debug)]
pub struct Store {
    tx: mpsc::Sender<StoreCommand>,
    path: PathBuf,
    thread: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Wakes the outbox forwarder when ratings or intents were committed.
    pub outbox_ready: Arc<tokio::sync::Notify>,
}

/// Opens a connection with the pragmas every connection uses: WAL, full sync, and a small
/// (2 MB) page cache. A big cache costs more than it saves here: when an insert splits a
/// b-tree page, SQLite briefly files a page under the lock-byte page number, and the next
/// commit then scans the cache's whole hash table; with 32 MB that scan took 6% of a core at
/// 5,000 writes a second, while the pages a small cache misses come back from the
/// operating system's cache for well under 0.1%.
pub fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -2000;",
    )?;
    Ok(conn)
}

impl Store {
    /// Opens (or creates) the database, migrates it, loads every show and starts the writer.
    /// Must be called within a tokio runtime.
    pub fn open(
        path: &Path,
        queue: usize,
        group_commit_max: usize,
        stats: Arc<Stats>,
    ) -> Result<(Self, Vec<LoadedShow>), StoreError> {
        let mut conn = connect(path)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let found = found.max(0) as usize;
        if found > schema::latest_version() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: schema::latest_version(),
            });
        }
        schema::migrate(&mut conn)?;
        let server_id = writer::server_id(&conn)?;
        let shows = load::load_shows(&conn)?;
        let (tx, rx) = mpsc::channel(queue.max(16));
        let outbox_ready = Arc::new(tokio::sync::Notify::new());
        let ready = outbox_ready.clone();
        // A blocking task rather than a bare thread: tokio then knows the runtime is not
        // idle while the writer works, and a paused test clock does not run ahead of it.
        let thread = tokio::task::spawn_blocking(move || {
            writer::Writer::new(conn, server_id, group_commit_max, ready, stats).run(rx)
        });
        Ok((
            Self {
                tx,
                path: path.to_path_buf(),
                thread: Mutex::new(Some(thread)),
                outbox_ready,
            },
            shows,
        ))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Queues a write without waiting. Gives it back if the queue is full or closed.
    pub fn submit(&self, req: WriteRequest) -> Result<(), Box<WriteRequest>> {
        self.tx
            .try_send(StoreCommand::Write(Box::new(req)))
            .map_err(|e| match e.into_inner() {
                StoreCommand::Write(req) => req,
                _ => unreachable!("we sent a write"),
            })
    }

    /// Sends a command, waiting for queue space.
    pub async fn command(&self, cmd: StoreCommand) -> Result<(), StoreError> {
        self.tx.send(cmd).await.map_err(|_| StoreError::Closed)
    }

    /// Sends a command carrying a reply channel and waits for its answer.
    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T, String>>) -> StoreCommand,
    ) -> Result<T, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.command(make(reply)).await?;
        rx.await
            .map_err(|_| StoreError::Closed)?
            .map_err(StoreError::Corrupt)
    }

    /// Creates a show durably.
    pub async fn create_show(
        &self,
        record: ShowRecord,
        status: ShowStatus,
    ) -> Result<CreateOutcome, StoreError> {
        self.ask(|reply| StoreCommand::CreateShow {
            record,
            status,
            reply,
        })
        .await
    }

    /// Appends a timeline event durably.
    pub async fn append_event(
        &self,
        show: ShowId,
        offset: u64,
        event: TimelineEvent,
        status: ShowStatus,
    ) -> Result<(), StoreError> {
        self.ask(|reply| StoreCommand::AppendEvent {
            show,
            offset,
            event,
            status,
            reply,
        })
        .await
    }

    /// Waits until everything queued so far is committed and acknowledged.
    pub async fn barrier(&self) -> Result<(), StoreError> {
        let (reply, rx) = oneshot::channel();
        self.command(StoreCommand::Barrier(reply)).await?;
        rx.await.map_err(|_| StoreError::Closed)
    }

    /// Commits what is queued, stops the writer and waits for it.
    pub async fn close(&self) {
        let _ = self.tx.send(StoreCommand::Close).await;
        let handle = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(handle) = handle {
            let _ = handle.await;
        }
    }
}
