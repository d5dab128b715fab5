//! Storage: one set of SQL statements and one migrations list, run on SQLite (embedded,
//! WAL, the default) or PostgreSQL, chosen by the database URL.
//!
//! - [`value`]: [`Value`] parameters and [`Row`] results shared by both engines.
//! - [`sqlite`] and [`postgres`](mod@postgres): the two engines behind [`Db`].
//! - [`migrations`]: the schema, applied in order and recorded in `schema_migrations`.
//!
//! Statements are written in the portable subset both engines accept: `?N` placeholders
//! (translated to `$N` for PostgreSQL), `BIGINT` and `TEXT` columns, `ON CONFLICT` upserts,
//! sums cast to `BIGINT`. Every write runs in [`Db::transaction`]: `BEGIN IMMEDIATE` on
//! SQLite (one writer at a time), `SERIALIZABLE` on PostgreSQL; both retry the whole
//! closure when the engine reports a conflict, so the closure must not act outside the
//! transaction. Reads run in [`Db::read`], one consistent snapshot.

pub mod migrations;
pub mod postgres;
pub mod sqlite;
pub mod value;

use std::sync::Arc;

pub use value::{Row, Value};

/// What went wrong in the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite://PATH` nor `postgres://…`.
    #[error(
        "unsupported database URL {0:?}; use sqlite://PATH (or sqlite::memory:) or postgres://USER@HOST/DB"
    )]
    BadUrl(String),
    /// SQLite reported an error.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error; check the server is running and the URL is right.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] ::postgres::Error),
    /// A column held a type the code does not read (a schema mismatch; run the migrations).
    #[error("unexpected column type in {0}; the schema does not match this build")]
    ColumnType(String),
    /// The engine kept reporting conflicts after every retry.
    #[error("the database stayed busy after {0} attempts; try again")]
    Busy(u32),
}

impl StoreError {
    /// Whether retrying the whole transaction may succeed (serialization failure, deadlock,
    /// SQLite busy).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            Self::Postgres(e) => e.code().is_some_and(|c| {
                *c == ::postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == ::postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            }),
            _ => false,
        }
    }

    /// Whether the error is a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::ConstraintViolation
            }
            Self::Postgres(e) => e
                .code()
                .is_some_and(|c| *c == ::postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

/// How many times a conflicting transaction is retried.
pub const MAX_ATTEMPTS: u32 = 12;

/// An open transaction on either engine.
pub enum Tx<'a, 'b> {
    /// SQLite.
    Sqlite(&'a rusqlite::Transaction<'b>),
    /// PostgreSQL, with the connection's prepared statements.
    Postgres(
        &'a mut ::postgres::Transaction<'b>,
        &'a mut postgres::StatementCache,
    ),
}

impl Tx<'_, '_> {
    /// Runs a statement and returns the number of rows it changed.
    pub fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self {
            Self::Sqlite(tx) => sqlite::exec(tx, sql, params),
            Self::Postgres(tx, cache) => postgres::exec(tx, cache, sql, params),
        }
    }

    /// Runs a query and returns every row.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match self {
            Self::Sqlite(tx) => sqlite::query(tx, sql, params),
            Self::Postgres(tx, cache) => postgres::query(tx, cache, sql, params),
        }
    }

    /// Runs a query expected to return at most one row.
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs a query returning one integer (e.g. a `COUNT` or a `CAST(SUM(..) AS BIGINT)`).
    pub fn query_i64(&mut self, sql: &str, params: &[Value]) -> Result<i64, StoreError> {
        let row = self.query_opt(sql, params)?;
        Ok(row.and_then(|r| r.opt_int(0)).unwrap_or(0))
    }
}

/// A database handle: cheap to clone, safe to share between threads.
#[derive(Clone)]
pub enum Db {
    /// An SQLite file (or in-memory database).
    Sqlite(Arc<sqlite::SqliteDb>),
    /// A PostgreSQL database.
    Postgres(Arc<postgres::PgDb>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.engine())
    }
}

impl Db {
    /// Opens the database named by `url` and applies any pending migrations.
    ///
    /// `sqlite://PATH` (relative or absolute), `sqlite::memory:`, or
    /// `postgres://` / `postgresql://` URLs.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let db = if let Some(rest) = url.strip_prefix("sqlite://") {
            Self::Sqlite(Arc::new(sqlite::SqliteDb::open(rest)?))
        } else if url == "sqlite::memory:" {
            Self::Sqlite(Arc::new(sqlite::SqliteDb::open(":memory:")?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres(Arc::new(postgres::PgDb::open(url)?))
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        db.transaction(migrations::apply)?;
        Ok(db)
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn engine(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Runs `work` in one transaction, committing when it returns `Ok` and rolling back
    /// when it returns `Err`. Conflicts reported by the engine retry the whole closure.
    pub fn transaction<T, E>(
        &self,
        work: impl FnMut(&mut Tx<'_, '_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError> + AsRetry,
    {
        self.retrying(work, false)
    }

    /// Runs read-only `work` in one snapshot: a deferred transaction on SQLite (readers
    /// do not wait for the writer, thanks to WAL), `REPEATABLE READ READ ONLY` on
    /// PostgreSQL.
    pub fn read<T, E>(&self, work: impl FnMut(&mut Tx<'_, '_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + AsRetry,
    {
        self.retrying(work, true)
    }

    /// Runs `work` in a transaction, retrying it (with a growing pause) while the engine
    /// reports a conflict, at most `MAX_ATTEMPTS` times.
    fn retrying<T, E>(
        &self,
        mut work: impl FnMut(&mut Tx<'_, '_>) -> Result<T, E>,
        read_only: bool,
    ) -> Result<T, E>
    where
        E: From<StoreError> + AsRetry,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match self {
                Self::Sqlite(db) => db.transaction(&mut work, read_only),
                Self::Postgres(db) => db.transaction(&mut work, read_only),
            };
            match result {
                Err(e) if e.is_retryable() && attempt < MAX_ATTEMPTS => {
                    std::thread::sleep(std::time::Duration::from_millis(
                        2 * u64::from(attempt * attempt),
                    ));
                }
                Err(e) if e.is_retryable() => return Err(E::from(StoreError::Busy(attempt))),
                other => return other,
            }
        }
    }
}

/// Errors that may carry a retryable [`StoreError`].
pub trait AsRetry {
    /// Whether the transaction should be retried.
    fn is_retryable(&self) -> bool;
}

impl AsRetry for StoreError {
    fn is_retryable(&self) -> bool {
        StoreError::is_retryable(self)
    }
}
