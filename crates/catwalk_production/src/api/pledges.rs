//! Pledges to a pre-order campaign (step 7): admitted only for viewers who expressed
//! purchase intent, counted against the cap inside the same serialised transaction, and
//! cancellable until the deadline. The platform pledges on a viewer's behalf through the
//! API; a viewer can also pledge on the offer page.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use catwalk_protocol::SizeLabel;
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Role};
use super::campaigns::load;
use super::error::{ApiError, conflict_from};
use super::idempotency;
use super::{AppState, body};
use crate::domain::campaign::{CampaignStatus, PledgeError, PledgeStatus, check_pledge};
use crate::domain::ids::new_id;
use crate::params;
use crate::store::Tx;

/// A pledge request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPledge {
    /// The viewer (as the show server identifies them).
    pub viewer: String,
    /// Size.
    pub size: SizeLabel,
    /// Units, 1 to 20.
    pub quantity: i64,
}

/// Admits a pledge inside the caller's transaction.
pub fn admit(
    tx: &mut Tx<'_, '_>,
    campaign: &str,
    p: &NewPledge,
    now: i64,
) -> Result<Json_, ApiError> {
    if !(1..=20).contains(&p.quantity) {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`quantity` must be 1 to 20 units",
        ));
    }
    let c = load(tx, campaign, now)?;
    let eligible = tx.query_i64(
        "SELECT COUNT(*) FROM campaign_offers WHERE campaign_id = ?1 AND viewer = ?2",
        params![campaign, &p.viewer],
    )?;
    if eligible == 0 {
        return Err(conflict_from("not_eligible", PledgeError::NotEligible));
    }
    check_pledge(c.status, c.pledged_units, c.max_units, p.quantity)
        .map_err(|e| conflict_from("pledge_refused", e))?;
    let amount = c
        .unit_price
        .times(p.quantity)
        .map_err(|e| ApiError::unprocessable("overflow", e.to_string()))?;
    let id = new_id("plg");
    tx.exec(
        "INSERT INTO pledges (id, campaign_id, viewer, size, quantity, amount_krw, pledged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![&id, campaign, &p.viewer, p.size.as_str(), p.quantity, amount.0, now],
    )?;
    Ok(
        json!({"id": id, "campaign_id": campaign, "viewer": p.viewer, "size": p.size, "quantity": p.quantity,
        "amount_krw": amount, "status": PledgeStatus::Reserved}),
    )
}

/// Cancels a pledge inside the caller's transaction (`viewer`: only that viewer's).
pub fn withdraw(
    tx: &mut Tx<'_, '_>,
    pledge: &str,
    viewer: Option<&str>,
    now: i64,
) -> Result<Json_, ApiError> {
    let r = tx
        .query_opt(
            "SELECT campaign_id, cancelled_at, viewer FROM pledges WHERE id = ?1",
            params![pledge],
        )?
        .filter(|r| viewer.is_none_or(|v| r.text(2) == v))
        .ok_or_else(|| ApiError::not_found("pledge"))?;
    let c = load(tx, &r.text(0), now)?;
    if r.opt_int(1).is_some() {
        return Err(conflict_from(
            "already_cancelled",
            PledgeError::AlreadyCancelled,
        ));
    }
    if c.status != CampaignStatus::Live {
        return Err(conflict_from("campaign_closed", PledgeError::Closed));
    }
    tx.exec(
        "UPDATE pledges SET cancelled_at = ?1 WHERE id = ?2",
        params![now, pledge],
    )?;
    Ok(json!({"id": pledge, "status": PledgeStatus::Cancelled}))
}

/// `POST /campaigns/{id}/pledges` (platform, on behalf of a viewer).
pub async fn pledge(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::PlatformAdmin], "pledge on behalf of viewers")?;
    let key = idempotency::key_from(&headers)?;
    let (p, canonical): (NewPledge, String) = body::json(&raw)?;
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /campaigns/{id}/pledges\n{canonical}"),
        move |tx, now| Ok((StatusCode::CREATED, admit(tx, &id, &p, now)?)),
    )
    .await
}

/// `POST /pledges/{id}/cancel` (platform, on behalf of the viewer).
pub async fn cancel_pledge(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(
        &[Role::PlatformAdmin],
        "cancel pledges on behalf of viewers",
    )?;
    let key = idempotency::key_from(&headers)?;
    body::empty(&raw)?;
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /pledges/{id}/cancel"),
        move |tx, now| Ok((StatusCode::OK, withdraw(tx, &id, None, now)?)),
    )
    .await
}
