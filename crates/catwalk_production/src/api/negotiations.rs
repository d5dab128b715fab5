//! Negotiation between a production company and a designer (step 3): the company opens
//! with an offer; the party awaited may counter, accept or reject. Accepting draws up the
//! contract document (see [`super::contracts`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Org, Role};
use super::error::{ApiError, conflict_from};
use super::idempotency::{self, read};
use super::{AppState, body, contracts};
use crate::domain::ids::new_id;
use crate::domain::negotiation::{NegotiationStatus, Response, may_answer, status};
use crate::params;
use crate::store::Tx;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Terms {
    unit_price_krw: i64,
    quantity: i64,
    #[serde(default)]
    royalty_bp: i64,
    #[serde(default)]
    terms: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Opening {
    garment: String,
    unit_price_krw: i64,
    quantity: i64,
    #[serde(default)]
    royalty_bp: i64,
    #[serde(default)]
    terms: String,
}

impl Opening {
    fn terms(&self) -> Terms {
        Terms {
            unit_price_krw: self.unit_price_krw,
            quantity: self.quantity,
            royalty_bp: self.royalty_bp,
            terms: self.terms.clone(),
        }
    }
}

fn check_terms(t: &Terms) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::unprocessable("invalid_body", m.to_string()));
    if t.unit_price_krw <= 0 || t.unit_price_krw > 100_000_000 {
        return bad("`unit_price_krw` must be a whole number of won from 1 to 100,000,000");
    }
    if !(1..=1_000_000).contains(&t.quantity) {
        return bad("`quantity` must be 1 to 1,000,000 units");
    }
    if !(0..=10_000).contains(&t.royalty_bp) {
        return bad("`royalty_bp` is in basis points, 0 to 10,000 (100%)");
    }
    if t.terms.len() > 4000 {
        return bad("`terms` may be at most 4,000 characters");
    }
    Ok(())
}

/// Loads a negotiation visible to `org`: (garment, company, designer, status, latest seq).
pub(crate) fn load(
    tx: &mut Tx<'_, '_>,
    id: &str,
    org: &Org,
) -> Result<(String, String, String, NegotiationStatus, i64), ApiError> {
    let n = tx
        .query_opt(
            "SELECT garment, company_id, designer_id FROM negotiations WHERE id = ?1 AND (company_id = ?2 OR designer_id = ?2)",
            params![id, &org.id],
        )?
        .ok_or_else(|| ApiError::not_found("negotiation"))?;
    let latest = tx
        .query_opt(
            "SELECT from_org, response, seq FROM offers WHERE negotiation_id = ?1 ORDER BY seq DESC LIMIT 1",
            params![id],
        )?
        .ok_or_else(|| ApiError::not_found("negotiation"))?;
    let resp = latest.opt_text(1).and_then(|r| Response::parse(&r));
    let s = status(&latest.text(0), resp, &n.text(1), &n.text(2));
    Ok((n.text(0), n.text(1), n.text(2), s, latest.int(2)))
}

fn insert_offer(
    tx: &mut Tx<'_, '_>,
    nid: &str,
    seq: i64,
    from: &str,
    t: &Terms,
    now: i64,
) -> Result<(), ApiError> {
    tx.exec(
        "INSERT INTO offers (id, negotiation_id, seq, from_org, unit_price_krw, quantity, royalty_bp, terms, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![new_id("of"), nid, seq, from, t.unit_price_krw, t.quantity, t.royalty_bp, &t.terms, now],
    )
    .map_err(ApiError::from_insert)?;
    Ok(())
}

/// The negotiation as JSON.
pub(crate) fn view(tx: &mut Tx<'_, '_>, id: &str, org: &Org) -> Result<Json_, ApiError> {
    let (garment, company, designer, s, _) = load(tx, id, org)?;
    let offers: Vec<Json_> = tx
        .query(
            "SELECT seq, from_org, unit_price_krw, quantity, royalty_bp, terms, response, created_at
             FROM offers WHERE negotiation_id = ?1 ORDER BY seq",
            params![id],
        )?
        .into_iter()
        .map(|r| json!({"seq": r.int(0), "from": r.text(1), "unit_price_krw": r.int(2), "quantity": r.int(3),
            "royalty_bp": r.int(4), "terms": r.text(5), "response": r.opt_text(6), "created_at": r.int(7)}))
        .collect();
    let contract = tx
        .query_opt(
            "SELECT id FROM contracts WHERE negotiation_id = ?1",
            params![id],
        )?
        .map(|r| r.text(0));
    Ok(
        json!({"id": id, "garment": garment, "company_id": company, "designer_id": designer,
        "status": s, "offers": offers, "contract_id": contract}),
    )
}

/// `POST /negotiations` (production company): opens a negotiation with the design's
/// designer.
pub async fn start(
    State(state): State<AppState>,
    Auth(org): Auth,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "open a negotiation")?;
    let key = idempotency::key_from(&headers)?;
    let (o, canonical): (Opening, String) = body::json(&raw)?;
    let terms = o.terms();
    check_terms(&terms)?;
    let me = org.clone();
    idempotency::run(&state, &org, key, format!("POST /negotiations\n{canonical}"), move |tx, now| {
        let designer = tx
            .query_opt("SELECT designer FROM designs WHERE garment = ?1", params![&o.garment])?
            .ok_or_else(|| ApiError::not_found("design"))?
            .text(0);
        let designer_org = tx
            .query_opt(
                "SELECT id FROM orgs WHERE role = 'designer' AND handle = ?1",
                params![&designer],
            )?
            .ok_or_else(|| {
                ApiError::conflict(
                    "designer_not_registered",
                    format!("designer {designer:?} has no organisation on the platform yet; ask the platform admin to register them"),
                )
            })?
            .text(0);
        let id = new_id("ng");
        tx.exec(
            "INSERT INTO negotiations (id, garment, company_id, designer_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![&id, &o.garment, &me.id, &designer_org, now],
        )?;
        insert_offer(tx, &id, 1, &me.id, &terms, now)?;
        Ok((StatusCode::CREATED, view(tx, &id, &me)?))
    })
    .await
}

/// `GET /negotiations/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    Ok(Json(read(&state, move |tx, _| view(tx, &id, &org)).await?))
}

/// `POST /negotiations/{id}/offers`: a counter-offer from the awaited party.
pub async fn counter(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let key = idempotency::key_from(&headers)?;
    let (t, canonical): (Terms, String) = body::json(&raw)?;
    check_terms(&t)?;
    let me = org.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /negotiations/{id}/offers\n{canonical}"),
        move |tx, now| {
            let (_, _, _, s, seq) = load(tx, &id, &me)?;
            may_answer(&s, &me.id).map_err(|e| conflict_from("not_your_turn", e))?;
            respond(tx, &id, seq, Response::Countered, now)?;
            insert_offer(tx, &id, seq + 1, &me.id, &t, now)?;
            Ok((StatusCode::CREATED, view(tx, &id, &me)?))
        },
    )
    .await
}

fn respond(tx: &mut Tx<'_, '_>, id: &str, seq: i64, r: Response, now: i64) -> Result<(), ApiError> {
    tx.exec(
        "UPDATE offers SET response = ?1, responded_at = ?2 WHERE negotiation_id = ?3 AND seq = ?4 AND response IS NULL",
        params![r.as_str(), now, id, seq],
    )?;
    Ok(())
}

/// `POST /negotiations/{id}/accept`: accepts the latest offer and draws up the contract.
pub async fn accept(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    answer(state, org, id, headers, raw, Response::Accepted).await
}

/// `POST /negotiations/{id}/reject`: ends the negotiation.
pub async fn reject(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    answer(state, org, id, headers, raw, Response::Rejected).await
}

/// Answers the latest offer of negotiation `id`: an acceptance also draws up the contract
/// (201 with the contract), a rejection ends the negotiation (200 with the negotiation).
async fn answer(
    state: AppState,
    org: Org,
    id: String,
    headers: HeaderMap,
    raw: Bytes,
    response: Response,
) -> Result<impl IntoResponse, ApiError> {
    let key = idempotency::key_from(&headers)?;
    body::empty(&raw)?;
    let me = org.clone();
    let verb = if matches!(response, Response::Accepted) {
        "accept"
    } else {
        "reject"
    };
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /negotiations/{id}/{verb}"),
        move |tx, now| {
            let (_, _, _, s, seq) = load(tx, &id, &me)?;
            may_answer(&s, &me.id).map_err(|e| conflict_from("not_your_turn", e))?;
            respond(tx, &id, seq, response, now)?;
            if matches!(response, Response::Accepted) {
                let contract = contracts::draw_up(tx, &id, seq, now)?;
                Ok((StatusCode::CREATED, contracts::view(tx, &contract, &me)?))
            } else {
                Ok((StatusCode::OK, view(tx, &id, &me)?))
            }
        },
    )
    .await
}
