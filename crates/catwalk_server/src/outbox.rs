//! The outbox forwarder. Purchase intents are written to the outbox in the same transaction
//! as the vote log; this task posts each pending event to the production intake
//! (`POST {url}/intake/events`, with the event id as `Idempotency-Key`), marks it delivered
//! on success and retries failures with exponential backoff. Delivery is at least once;
//! the intake de-duplicates by event id, which makes the whole path exactly once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, params};
use tokio::sync::watch;

use crate::store::{Store, StoreCommand, StoreError, connect};

/// One pending event.
#[derive(Debug, Clone)]
struct Pending {
    id: i64,
    event_id: String,
    payload: String,
    attempts: u32,
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The wait before retry number `attempts + 1`: 0.5 s doubling up to a minute, plus jitter.
pub fn backoff_ms(attempts: u32) -> u64 {
    let base = 500u64.saturating_mul(1u64 << attempts.min(7)).min(60_000);
    let jitter = u64::from(uuid::Uuid::new_v4().as_bytes()[0]);
    base + jitter
}

fn due(conn: &Connection, now: u64, limit: usize) -> rusqlite::Result<Vec<Pending>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, event_id, payload, attempts FROM outbox
         WHERE delivered_at IS NULL AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now as i64, limit as i64], |r| {
        Ok(Pending {
            id: r.get(0)?,
            event_id: r.get(1)?,
            payload: r.get(2)?,
            attempts: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// How many outbox events are not yet delivered.
pub fn pending_count(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
}

/// Forwards outbox events to `{base_url}/intake/events` until `stop` becomes true.
pub async fn forward(
    store: Arc<Store>,
    db_path: PathBuf,
    base_url: String,
    token: Option<String>,
    mut stop: watch::Receiver<bool>,
) -> Result<(), StoreError> {
    let url = format!("{}/intake/events", base_url.trim_end_matches('/'));
    let reader = Arc::new(Mutex::new(connect(&db_path)?));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| StoreError::Corrupt(format!("cannot build the HTTP client: {e}")))?;
    tracing::info!(%url, "forwarding ratings and purchase intents to production");
    loop {
        let batch = {
            let reader = reader.clone();
            tokio::task::spawn_blocking(move || {
                reader
                    .lock()
                    .map_err(|_| rusqlite::Error::InvalidQuery)
                    .and_then(|c| due(&c, unix_ms(), 200))
            })
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))??
        };
        let mut delivered = Vec::new();
        let mut failures = 0;
        for event in &batch {
            let mut request = client.post(&url);
            if let Some(token) = &token {
                request = request.bearer_auth(token);
            }
            let result = request
                .header("Idempotency-Key", &event.event_id)
                .header("Content-Type", "application/json")
                .body(event.payload.clone())
                .send()
                .await;
            let error = match result {
                Ok(r) if r.status().is_success() || r.status().as_u16() == 409 => {
                    delivered.push(event.id);
                    continue;
                }
                Ok(r) => format!("HTTP {}", r.status()),
                Err(e) => e.to_string(),
            };
            failures += 1;
            tracing::warn!(event = %event.event_id, attempts = event.attempts + 1, "delivery failed: {error}");
            store
                .command(StoreCommand::OutboxFailed {
                    id: event.id,
                    next_attempt_at: unix_ms() + backoff_ms(event.attempts),
                    error,
                })
                .await?;
        }
        if !delivered.is_empty() {
            tracing::debug!(count = delivered.len(), "intents delivered");
            store
                .command(StoreCommand::OutboxDelivered {
                    ids: delivered,
                    at: unix_ms(),
                })
                .await?;
        }
        if !batch.is_empty() {
            // The marks must be committed before the next query, or it would post again.
            store.barrier().await?;
        }
        if batch.len() == 200 && failures == 0 {
            continue;
        }
        tokio::select! {
            () = store.outbox_ready.notified() => {}
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = stop.changed() => return Ok(()),
        }
        if *stop.borrow() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff_ms(0) >= 500 && backoff_ms(0) < 800);
        assert!(backoff_ms(3) >= 4_000);
        assert!(backoff_ms(30) <= 60_000 + 255);
    }
}
