//! Fulfilment and feedback (steps 8 and 9): shipping each order to its backer with
//! tracking states, opening the general sale once every order has shipped, and product
//! ratings from buyers, which feed the scores of every partner that worked on the
//! product (and so the recommendations).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use super::auth::{Auth, Role};
use super::campaigns;
use super::error::ApiError;
use super::idempotency;
use super::{AppState, body, projects};
use crate::domain::campaign::CampaignStatus;
use crate::domain::money::Krw;
use crate::domain::rating::{BayesianAverage, STAR_PRIOR};
use crate::domain::shipment::ShipmentState;
use crate::params;
use crate::store::Tx;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShipmentEvent {
    state: ShipmentState,
    #[serde(default)]
    carrier: Option<String>,
    #[serde(default)]
    tracking_no: Option<String>,
}

fn current(tx: &mut Tx<'_, '_>, pledge: &str) -> Result<(Option<ShipmentState>, i64), ApiError> {
    let r = tx.query_opt(
        "SELECT state, seq FROM shipment_events WHERE pledge_id = ?1 ORDER BY seq DESC LIMIT 1",
        params![pledge],
    )?;
    Ok(match r {
        Some(r) => (ShipmentState::parse(&r.text(0)), r.int(1)),
        None => (None, 0),
    })
}

/// `POST /pledges/{id}/shipment` (production company): appends a tracking state to the
/// order's shipment. The first must be `shipped` with a carrier and tracking number.
pub async fn ship(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "ship orders")?;
    let key = idempotency::key_from(&headers)?;
    let (e, canonical): (ShipmentEvent, String) = body::json(&raw)?;
    let me = org.clone();
    idempotency::run(&state, &org, key, format!("POST /pledges/{id}/shipment\n{canonical}"), move |tx, now| {
        let r = tx
            .query_opt("SELECT campaign_id, cancelled_at FROM pledges WHERE id = ?1", params![&id])?
            .ok_or_else(|| ApiError::not_found("pledge"))?;
        let c = campaigns::load(tx, &r.text(0), now)?;
        if c.company_id != me.id {
            return Err(ApiError::not_found("pledge"));
        }
        if c.status != CampaignStatus::Funded || r.opt_int(1).is_some() {
            return Err(ApiError::conflict("not_an_order", "only pledges of a funded campaign that were not cancelled are orders to ship"));
        }
        let (cur, seq) = current(tx, &id)?;
        if !ShipmentState::can_follow(cur, e.state) {
            return Err(ApiError::conflict("invalid_transition", format!(
                "a shipment cannot go from {} to {}", cur.map_or("not shipped", |s| s.as_str()), e.state.as_str())));
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if e.state == ShipmentState::Shipped && (blank(&e.carrier) || blank(&e.tracking_no)) {
            return Err(ApiError::unprocessable("invalid_body", "`shipped` needs `carrier` and `tracking_no`"));
        }
        tx.exec(
            "INSERT INTO shipment_events (pledge_id, seq, state, carrier, tracking_no, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![&id, seq + 1, e.state.as_str(), e.carrier.clone(), e.tracking_no.clone(), now],
        )
        .map_err(ApiError::from_insert)?;
        let history: Vec<serde_json::Value> = tx
            .query("SELECT state, carrier, tracking_no, at FROM shipment_events WHERE pledge_id = ?1 ORDER BY seq", params![&id])?
            .into_iter()
            .map(|r| json!({"state": r.text(0), "carrier": r.opt_text(1), "tracking_no": r.opt_text(2), "at": r.int(3)}))
            .collect();
        Ok((StatusCode::CREATED, json!({"pledge_id": id, "state": e.state, "history": history})))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sale {
    price_krw: i64,
}

/// `POST /projects/{id}/sale` (production company): opens the general sale once every
/// order of the (funded) campaign has shipped, or straight away after a failed campaign.
pub async fn open_sale(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "open sales")?;
    let key = idempotency::key_from(&headers)?;
    let (s, canonical): (Sale, String) = body::json(&raw)?;
    let price = Krw::positive("`price_krw`", s.price_krw)
        .map_err(|e| ApiError::unprocessable("invalid_body", e.to_string()))?;
    let me = org.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /projects/{id}/sale\n{canonical}"),
        move |tx, now| {
            let p = projects::visible(tx, &id, &me)?;
            if p.sale_price_krw.is_some() {
                return Err(ApiError::conflict(
                    "sale_open",
                    "the general sale is already open",
                ));
            }
            let cid = tx
                .query_opt(
                    "SELECT id FROM campaigns WHERE project_id = ?1",
                    params![&id],
                )?
                .ok_or_else(|| {
                    ApiError::conflict(
                        "no_campaign",
                        "run the pre-order campaign before the general sale",
                    )
                })?
                .text(0);
            let c = campaigns::load(tx, &cid, now)?;
            if c.status == CampaignStatus::Live {
                return Err(ApiError::conflict(
                    "campaign_live",
                    "the pre-order campaign is still live",
                ));
            }
            if c.status == CampaignStatus::Funded {
                let unshipped = tx.query_i64(
                "SELECT COUNT(*) FROM pledges p WHERE p.campaign_id = ?1 AND p.cancelled_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM shipment_events s WHERE s.pledge_id = p.id)",
                params![&cid],
            )?;
                if unshipped > 0 {
                    return Err(ApiError::conflict(
                        "orders_unshipped",
                        format!("{unshipped} pre-orders have not shipped yet; backers come first"),
                    ));
                }
            }
            tx.exec(
                "UPDATE projects SET sale_price_krw = ?1, sale_opened_at = ?2 WHERE id = ?3",
                params![price.0, now, &id],
            )?;
            Ok((
                StatusCode::OK,
                json!({"project_id": id, "sale_price_krw": price, "sale_opened_at": now}),
            ))
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductRating {
    viewer: String,
    stars: i64,
}

/// `POST /projects/{id}/product-ratings` (platform, for a buyer whose order was
/// delivered): a buyer's rating replaces their earlier one.
pub async fn rate_product(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::PlatformAdmin], "record product ratings for buyers")?;
    let key = idempotency::key_from(&headers)?;
    let (r, canonical): (ProductRating, String) = body::json(&raw)?;
    if !(1..=5).contains(&r.stars) {
        return Err(ApiError::unprocessable("invalid_body", "`stars` is 1 to 5"));
    }
    idempotency::run(&state, &org, key, format!("POST /projects/{id}/product-ratings\n{canonical}"), move |tx, now| {
        let delivered = tx.query_i64(
            "SELECT COUNT(*) FROM pledges p JOIN campaigns c ON c.id = p.campaign_id
             WHERE c.project_id = ?1 AND p.viewer = ?2 AND p.cancelled_at IS NULL
               AND EXISTS (SELECT 1 FROM shipment_events s WHERE s.pledge_id = p.id AND s.state = 'delivered')",
            params![&id, &r.viewer],
        )?;
        if delivered == 0 {
            return Err(ApiError::conflict("not_a_buyer", "only a buyer whose order was delivered can rate the product"));
        }
        tx.exec(
            "INSERT INTO product_ratings (project_id, viewer, stars, rated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (project_id, viewer) DO UPDATE SET stars = excluded.stars, rated_at = excluded.rated_at",
            params![&id, &r.viewer, r.stars, now],
        )?;
        let agg = tx
            .query_opt("SELECT COUNT(*), CAST(COALESCE(SUM(stars), 0) AS BIGINT) FROM product_ratings WHERE project_id = ?1", params![&id])?
            .map(|r| (r.int(0), r.int(1)))
            .unwrap_or((0, 0));
        Ok((StatusCode::CREATED, json!({"project_id": id, "viewer": r.viewer, "stars": r.stars,
            "product_rating": BayesianAverage::new(STAR_PRIOR, agg.0, agg.1)})))
    })
    .await
}
