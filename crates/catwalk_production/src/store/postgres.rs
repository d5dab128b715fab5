//! The PostgreSQL engine: a small pool of synchronous clients, each caching its prepared
//! statements; every writing transaction runs at `SERIALIZABLE`, and serialization
//! failures are retried by [`super::Db::transaction`].

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

use postgres::types::{ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Statement};

use super::{AsRetry, Row, StoreError, Tx, Value};

/// The most connections one backend opens; further transactions wait for a free one.
const POOL_SIZE: usize = 12;

/// Prepared statements of one connection, by their SQL text.
pub type StatementCache = HashMap<String, Statement>;

/// One pooled connection and its prepared statements (prepared statements belong to the
/// session, so they outlive the transaction that prepared them).
struct PgConn {
    client: Client,
    statements: StatementCache,
}

/// The pool's idle connections and how many are open in all.
#[derive(Default)]
struct Pool {
    idle: Vec<PgConn>,
    open: usize,
}

/// A PostgreSQL database.
pub struct PgDb {
    url: String,
    pool: Mutex<Pool>,
    freed: Condvar,
}

impl PgDb {
    /// Connects to the database at `url`.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let db = Self {
            url: url.to_string(),
            pool: Mutex::new(Pool::default()),
            freed: Condvar::new(),
        };
        let first = db.take()?;
        db.give_back(first);
        Ok(db)
    }

    fn connect(&self) -> Result<PgConn, StoreError> {
        Ok(PgConn {
            client: Client::connect(&self.url, NoTls)?,
            statements: HashMap::new(),
        })
    }

    /// An idle connection, a new one while fewer than [`POOL_SIZE`] are open, or else the
    /// next one given back (waiting at most 10 s).
    fn take(&self) -> Result<PgConn, StoreError> {
        let Ok(mut pool) = self.pool.lock() else {
            return self.connect();
        };
        loop {
            if let Some(c) = pool.idle.pop() {
                if !c.client.is_closed() {
                    return Ok(c);
                }
                pool.open -= 1;
                continue;
            }
            if pool.open < POOL_SIZE {
                pool.open += 1;
                drop(pool);
                let conn = self.connect();
                if conn.is_err()
                    && let Ok(mut p) = self.pool.lock()
                {
                    p.open -= 1;
                }
                return conn;
            }
            pool = match self
                .freed
                .wait_timeout(pool, std::time::Duration::from_secs(10))
            {
                // A connection lost without being given back (a panic in a handler) must not
                // stall the pool for ever: after a long wait, open one more.
                Ok((mut p, waited)) if waited.timed_out() => {
                    tracing::warn!("no PostgreSQL connection freed in 10 s; opening another");
                    p.open += 1;
                    drop(p);
                    return self.connect();
                }
                Ok((p, _)) => p,
                Err(_) => return self.connect(),
            };
        }
    }

    fn give_back(&self, conn: PgConn) {
        if let Ok(mut pool) = self.pool.lock() {
            if conn.client.is_closed() {
                pool.open = pool.open.saturating_sub(1);
            } else {
                pool.idle.push(conn);
            }
        }
        self.freed.notify_one();
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
            let PgConn { client, statements } = &mut conn;
            let mut tx = client
                .build_transaction()
                .isolation_level(if read_only {
                    IsolationLevel::RepeatableRead
                } else {
                    IsolationLevel::Serializable
                })
                .read_only(read_only)
                .start()
                .map_err(|e| E::from(StoreError::from(e)))?;
            let out = work(&mut Tx::Postgres(&mut tx, statements))?;
            tx.commit().map_err(|e| E::from(StoreError::from(e)))?;
            Ok(out)
        })();
        self.give_back(conn);
        result
    }
}

impl Drop for PgDb {
    /// Closing a synchronous client blocks on its own runtime, which must not happen on an
    /// async worker thread; the idle clients are closed on a plain thread instead.
    fn drop(&mut self) {
        let clients = self
            .pool
            .lock()
            .map(|mut p| std::mem::take(&mut p.idle))
            .unwrap_or_default();
        if !clients.is_empty() {
            let _ = std::thread::Builder::new()
                .name("pg-close".into())
                .spawn(move || drop(clients));
        }
    }
}

/// Rewrites `?N` placeholders as `$N`.
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c == '?' && !in_string && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn params_of(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|v| match v {
            Value::Int(i) => i as &(dyn ToSql + Sync),
            Value::Text(s) => s as &(dyn ToSql + Sync),
        })
        .collect()
}

fn prepared(
    tx: &mut postgres::Transaction<'_>,
    cache: &mut StatementCache,
    sql: &str,
) -> Result<Statement, StoreError> {
    if let Some(s) = cache.get(sql) {
        return Ok(s.clone());
    }
    let s = tx.prepare(&translate(sql))?;
    cache.insert(sql.to_string(), s.clone());
    Ok(s)
}

pub(super) fn exec(
    tx: &mut postgres::Transaction<'_>,
    cache: &mut StatementCache,
    sql: &str,
    params: &[Value],
) -> Result<u64, StoreError> {
    let stmt = prepared(tx, cache, sql)?;
    Ok(tx.execute(&stmt, &params_of(params))?)
}

pub(super) fn query(
    tx: &mut postgres::Transaction<'_>,
    cache: &mut StatementCache,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Row>, StoreError> {
    let stmt = prepared(tx, cache, sql)?;
    let rows = tx.query(&stmt, &params_of(params))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut values = Vec::with_capacity(r.len());
        for (i, col) in r.columns().iter().enumerate() {
            let t = col.type_();
            values.push(if *t == Type::INT8 {
                Value::Int(r.try_get::<_, Option<i64>>(i)?)
            } else if *t == Type::INT4 {
                Value::Int(r.try_get::<_, Option<i32>>(i)?.map(i64::from))
            } else if *t == Type::INT2 {
                Value::Int(r.try_get::<_, Option<i16>>(i)?.map(i64::from))
            } else if *t == Type::BOOL {
                Value::Int(r.try_get::<_, Option<bool>>(i)?.map(i64::from))
            } else if *t == Type::TEXT || *t == Type::VARCHAR || *t == Type::BPCHAR {
                Value::Text(r.try_get::<_, Option<String>>(i)?)
            } else {
                return Err(StoreError::ColumnType(format!("{} ({t})", col.name())));
            });
        }
        out.push(Row(values));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn placeholders_become_dollar_numbers() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = ?12 AND d = '?3'"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 AND d = '?3'"
        );
    }
}
