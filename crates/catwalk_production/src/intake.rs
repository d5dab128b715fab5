//! The intake: events from the show server's outbox (`POST /intake/events`), counted
//! exactly once.
//!
//! The show server posts each event with `Idempotency-Key: <event_id>` and retries until it
//! gets a 2xx. The event row (primary key `event_id`), the design and rating rows, and the
//! idempotency record are written in one transaction, so a repeated post, a retry after a
//! timeout, or a crash in the middle of a request (nothing committed; the server retries)
//! all leave each event counted once. Authentication is a platform-admin token.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use catwalk_protocol::{IntakeEvent, IntakeEventKind};
use serde_json::json;

use crate::api::auth::{Auth, Role};
use crate::api::error::ApiError;
use crate::api::{AppState, body, idempotency};
use crate::params;
use crate::store::Tx;

/// `POST /intake/events`.
pub async fn post_event(
    State(state): State<AppState>,
    Auth(org): Auth,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::PlatformAdmin], "post intake events")?;
    let key = idempotency::key_from(&headers)?;
    let (event, canonical): (IntakeEvent, String) = body::json(&raw)?;
    if key != event.event_id.as_str() {
        return Err(ApiError::unprocessable(
            "key_mismatch",
            format!(
                "the Idempotency-Key must equal the event's event_id ({})",
                event.event_id
            ),
        ));
    }
    let faults = state.faults.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /intake/events\n{canonical}"),
        move |tx, now| {
            let fresh = record(tx, &event, now)?;
            faults.after_intake_writes();
            let status = if fresh { "accepted" } else { "duplicate" };
            Ok((
                StatusCode::OK,
                json!({"event_id": event.event_id, "status": status}),
            ))
        },
    )
    .await
}

/// Records one event; returns false when its id was already recorded.
pub fn record(tx: &mut Tx<'_, '_>, event: &IntakeEvent, now: i64) -> Result<bool, ApiError> {
    let at = event.occurred_at.millis() as i64;
    let (kind, look, designer, garment, size, quantity, stars) = match &event.kind {
        IntakeEventKind::PurchaseIntent {
            look,
            designer,
            garment,
            size,
            quantity,
        } => (
            "purchase_intent",
            look,
            designer,
            garment,
            Some(size.as_str().to_string()),
            Some(i64::from(quantity.get())),
            None,
        ),
        IntakeEventKind::Rating {
            look,
            designer,
            garment,
            stars,
        } => (
            "rating",
            look,
            designer,
            garment,
            None,
            None,
            Some(i64::from(stars.get())),
        ),
    };
    if designer.is_empty() || garment.is_empty() {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`designer` and `garment` must not be empty",
        ));
    }
    let inserted = tx.exec(
        "INSERT INTO intake_events (event_id, kind, show_id, viewer, look, designer, garment, size,
            quantity, stars, occurred_at, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (event_id) DO NOTHING",
        params![
            event.event_id.as_str(),
            kind,
            event.show.as_str(),
            event.viewer.as_str(),
            look.as_str(),
            designer,
            garment,
            size,
            quantity,
            stars,
            at,
            now
        ],
    )?;
    if inserted == 0 {
        return Ok(false);
    }
    tx.exec(
        "INSERT INTO designs (garment, designer, look, first_seen) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (garment) DO NOTHING",
        params![garment, designer, look.as_str(), at],
    )?;
    if let Some(stars) = stars {
        // A newer rating of the same look by the same viewer replaces the older one; an
        // older one arriving late is ignored.
        tx.exec(
            "INSERT INTO design_ratings (look, viewer, garment, stars, occurred_at, event_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (look, viewer) DO UPDATE SET stars = excluded.stars,
                occurred_at = excluded.occurred_at, event_id = excluded.event_id, garment = excluded.garment
             WHERE design_ratings.occurred_at <= excluded.occurred_at",
            params![
                look.as_str(),
                event.viewer.as_str(),
                garment,
                stars,
                at,
                event.event_id.as_str()
            ],
        )?;
    }
    Ok(true)
}
