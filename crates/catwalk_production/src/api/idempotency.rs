//! Idempotency keys with Stripe's semantics, on every POST.
//!
//! The key (`Idempotency-Key` header, 1 to 255 visible ASCII characters) is scoped to the
//! calling organisation. The stored record, the domain rows and the response are written
//! in one transaction, so:
//! - the same key and the same request (method, path, canonical body) returns the stored
//!   status and body, with `Idempotent-Replayed: true`;
//! - the same key with a different request is refused with 422 `idempotency_key_reused`;
//! - a request that fails validation or conflicts stores nothing, so it can be corrected
//!   and retried with the same key;
//! - two concurrent requests with one key are serialised by the database: one does the
//!   work, the other replays its response.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::Org;
use super::error::ApiError;
use crate::domain::ids::sha256_hex;
use crate::params;
use crate::store::Tx;

/// The header name.
pub const HEADER: &str = "idempotency-key";

/// The key from the request headers, validated.
pub fn key_from(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "idempotency_key_required",
                "every POST needs an Idempotency-Key header (e.g. a random UUID); reuse it when you retry",
            )
        })?;
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "bad_idempotency_key",
            "the Idempotency-Key must be 1 to 255 visible ASCII characters",
        ));
    }
    Ok(key.to_string())
}

/// The outcome of an idempotent POST.
#[derive(Debug)]
pub struct Stored {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: serde_json::Value,
    /// Whether it is a replay of an earlier request.
    pub replayed: bool,
}

impl IntoResponse for Stored {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body)).into_response();
        if self.replayed {
            r.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        r
    }
}

/// Runs `work` once per (organisation, key): see the module docs.
pub async fn run<F>(
    state: &AppState,
    org: &Org,
    key: String,
    request: String,
    mut work: F,
) -> Result<Stored, ApiError>
where
    F: FnMut(&mut Tx<'_, '_>, i64) -> Result<(StatusCode, serde_json::Value), ApiError>
        + Send
        + 'static,
{
    let fingerprint = sha256_hex(request.as_bytes());
    let db = state.db.clone();
    let clock = state.clock.clone();
    let org_id = org.id.clone();
    tokio::task::spawn_blocking(move || {
        db.transaction(|tx| {
            let now = clock.now_ms();
            if let Some(row) = tx.query_opt(
                "SELECT fingerprint, status, body FROM idempotency WHERE org_id = ?1 AND idem_key = ?2",
                params![&org_id, &key],
            )? {
                if row.text(0) != fingerprint {
                    return Err(ApiError::unprocessable(
                        "idempotency_key_reused",
                        "this Idempotency-Key was used for a different request; use a new key for a new request",
                    ));
                }
                let status = StatusCode::from_u16(row.int(1) as u16).unwrap_or(StatusCode::OK);
                let body = serde_json::from_str(&row.text(2))
                    .map_err(|e| ApiError::internal("stored response", e))?;
                return Ok(Stored {
                    status,
                    body,
                    replayed: true,
                });
            }
            let (status, body) = work(tx, now)?;
            tx.exec(
                "INSERT INTO idempotency (org_id, idem_key, fingerprint, status, body, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    &org_id,
                    &key,
                    &fingerprint,
                    i64::from(status.as_u16()),
                    body.to_string(),
                    now
                ],
            )
            .map_err(ApiError::from_insert)?;
            Ok(Stored {
                status,
                body,
                replayed: false,
            })
        })
    })
    .await
    .map_err(|e| ApiError::internal("request task", e))?
}

/// Runs a read-only unit of work on the blocking pool.
pub async fn read<T, F>(state: &AppState, mut work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnMut(&mut Tx<'_, '_>, i64) -> Result<T, ApiError> + Send + 'static,
{
    let db = state.db.clone();
    let clock = state.clock.clone();
    tokio::task::spawn_blocking(move || db.read(|tx| work(tx, clock.now_ms())))
        .await
        .map_err(|e| ApiError::internal("request task", e))?
}

/// How long stored responses are kept: a retry within this window replays; after it the
/// key is forgotten (Stripe keeps keys at least 24 hours). Intake events stay
/// de-duplicated for ever by their own table.
pub const RETENTION_MS: i64 = 7 * crate::clock::DAY_MS;

/// Deletes stored responses older than [`RETENTION_MS`]; returns how many.
pub fn prune(db: &crate::store::Db, now: i64) -> Result<u64, crate::store::StoreError> {
    db.transaction(|tx| {
        tx.exec(
            "DELETE FROM idempotency WHERE created_at < ?1",
            params![now - RETENTION_MS],
        )
    })
}
