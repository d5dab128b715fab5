//! The database schema and its migrations, numbered by SQLite's `user_version`.

use rusqlite::Connection;

/// Each migration, in order; migration `i` brings the database to version `i + 1`.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE shows (
    show            TEXT PRIMARY KEY,
    epoch           TEXT NOT NULL,
    title           TEXT NOT NULL,
    lineup          TEXT NOT NULL,
    scheduled_start INTEGER NOT NULL,
    status          TEXT NOT NULL,
    "offset"        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE TABLE show_events (
    show     TEXT NOT NULL,
    "offset" INTEGER NOT NULL,
    event    TEXT NOT NULL,
    PRIMARY KEY (show, "offset")
) WITHOUT ROWID;
CREATE TABLE writes (
    seq    INTEGER PRIMARY KEY,
    viewer TEXT NOT NULL,
    key    TEXT NOT NULL,
    show   TEXT NOT NULL,
    look   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    body   TEXT NOT NULL,
    at     INTEGER NOT NULL,
    UNIQUE (viewer, key)
);
CREATE TABLE ratings (
    show   TEXT NOT NULL,
    look   TEXT NOT NULL,
    viewer TEXT NOT NULL,
    stars  INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    seq    INTEGER NOT NULL,
    PRIMARY KEY (show, look, viewer)
) WITHOUT ROWID;
CREATE TABLE intents (
    seq      INTEGER PRIMARY KEY,
    show     TEXT NOT NULL,
    look     TEXT NOT NULL,
    viewer   TEXT NOT NULL,
    size     TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    event_id        TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    delivered_at    INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
"#];

/// Brings the database to the newest schema, one transaction per migration.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = current.max(0) as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

/// The schema version this build writes.
pub fn latest_version() -> usize {
    MIGRATIONS.len()
}
