//! The SQLite engine: a small pool of connections to one file in WAL mode. Writing
//! transactions start with `BEGIN IMMEDIATE`, so writers queue (up to the busy timeout)
//! instead of failing late; reads are deferred and never wait for the writer.

use std::sync::Mutex;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, TransactionBehavior};

use super::{AsRetry, Row, StoreError, Tx, Value};

/// Connections kept open for reuse.
const POOL_SIZE: usize = 8;

/// An SQLite database.
pub struct SqliteDb {
    path: String,
    idle: Mutex<Vec<Connection>>,
    /// An in-memory database lives only as long as its one connection, so it is never
    /// pooled beyond one.
    memory: bool,
}

impl SqliteDb {
    /// Opens (creating if needed) the database file at `path`.
    pub fn open(path: &str) -> Result<Self, StoreError> {
        let db = Self {
            path: path.to_string(),
            idle: Mutex::new(Vec::new()),
            memory: path == ":memory:",
        };
        let first = db.connect()?;
        db.give_back(first);
        Ok(db)
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(conn)
    }

    fn take(&self) -> Result<Connection, StoreError> {
        loop {
            let popped = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
            match popped {
                Some(c) => return Ok(c),
                None if self.memory => std::thread::sleep(Duration::from_millis(1)),
                None => return self.connect(),
            }
        }
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_SIZE
        {
            idle.push(conn);
        }
    }

    pub(super) fn transaction<T, E>(
        &self,
        work: &mut impl FnMut(&mut Tx<'_, '_>) -> Result<T, E>,
        read_only: bool,
    ) -> Result<T, E>
    where
        E: From<StoreError> + AsRetry,
    {
        let mut conn = self.take().map_err(E::from)?;
        let result = (|| {
            let tx = conn
                .transaction_with_behavior(if read_only {
                    TransactionBehavior::Deferred
                } else {
                    TransactionBehavior::Immediate
                })
                .map_err(|e| E::from(StoreError::from(e)))?;
            let out = work(&mut Tx::Sqlite(&tx))?;
            tx.commit().map_err(|e| E::from(StoreError::from(e)))?;
            Ok(out)
        })();
        self.give_back(conn);
        result
    }
}

fn to_sql(params: &[Value]) -> Vec<ToSqlOutput<'_>> {
    params
        .iter()
        .map(|v| match v {
            Value::Int(Some(i)) => ToSqlOutput::from(*i),
            Value::Text(Some(s)) => ToSqlOutput::from(s.as_str()),
            Value::Int(None) | Value::Text(None) => ToSqlOutput::from(rusqlite::types::Null),
        })
        .collect()
}

pub(super) fn exec(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: &[Value],
) -> Result<u64, StoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let n = stmt.execute(rusqlite::params_from_iter(to_sql(params)))?;
    Ok(n as u64)
}

pub(super) fn query(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Row>, StoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(to_sql(params)))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(match r.get_ref(i)? {
                ValueRef::Null => Value::Int(None),
                ValueRef::Integer(v) => Value::Int(Some(v)),
                ValueRef::Text(t) => Value::Text(Some(String::from_utf8_lossy(t).into_owned())),
                ValueRef::Real(_) | ValueRef::Blob(_) => {
                    return Err(StoreError::ColumnType(sql.chars().take(80).collect()));
                }
            });
        }
        out.push(Row(values));
    }
    Ok(out)
}
