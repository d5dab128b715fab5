//! Work orders (step 6) once sent (see [`super::dispatch`]): read by their company and
//! their partner, accepted by the partner, cancelled by the company. Status is derived
//! from the facts by [`facts`]; progress is in [`super::progress`].

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Org, Role};
use super::error::ApiError;
use super::idempotency::{self, read};
use super::{AppState, body};

use crate::domain::work_order::{Action, Stage, WorkOrderStatus, status};
use crate::params;
use crate::store::Tx;

/// Everything known about one work order, with the derived status.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Id.
    pub id: String,
    /// Project.
    pub project_id: String,
    /// Production company.
    pub company_id: String,
    /// Partner.
    pub partner_id: String,
    /// Partner kind.
    pub kind: String,
    /// Stages in order.
    pub stages: Vec<Stage>,
    /// Units.
    pub quantity: i64,
    /// Unit price per stage, KRW per good piece.
    pub unit_prices: BTreeMap<String, i64>,
    /// Due (Unix ms).
    pub due_at: i64,
    /// Sent (Unix ms).
    pub sent_at: i64,
    /// The shop-floor token.
    pub qr_token: String,
    /// (good, defects) per stage.
    pub totals: Vec<(i64, i64)>,
    /// Derived status.
    pub status: WorkOrderStatus,
    /// When the last stage reached the quantity.
    pub completed_at: Option<i64>,
}

const COLUMNS: &str =
    "id, project_id, company_id, partner_id, kind, stages, quantity, unit_prices, due_at, sent_at,
    qr_token, accepted_at, cancelled_at";

/// Loads the facts of work order `id` (no access check).
pub fn facts(tx: &mut Tx<'_, '_>, id: &str) -> Result<Facts, ApiError> {
    let r = tx
        .query_opt(
            &format!("SELECT {COLUMNS} FROM work_orders WHERE id = ?1"),
            params![id],
        )?
        .ok_or_else(|| ApiError::not_found("work order"))?;
    facts_of(tx, r)
}

/// Loads the facts of the work order with shop-floor token `token`.
pub fn facts_by_token(tx: &mut Tx<'_, '_>, token: &str) -> Result<Facts, ApiError> {
    let r = tx
        .query_opt(
            &format!("SELECT {COLUMNS} FROM work_orders WHERE qr_token = ?1"),
            params![token],
        )?
        .ok_or_else(|| ApiError::not_found("work order"))?;
    facts_of(tx, r)
}

fn facts_of(tx: &mut Tx<'_, '_>, r: crate::store::Row) -> Result<Facts, ApiError> {
    let stages: Vec<Stage> = serde_json::from_str::<Vec<String>>(&r.text(5))
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Stage::parse(s))
        .collect();
    let quantity = r.int(6);
    let mut totals = vec![(0i64, 0i64); stages.len()];
    let mut completed_at = None;
    let reports = tx.query(
        "SELECT stage, good_qty, defect_qty, reported_at FROM progress_reports WHERE work_order_id = ?1 ORDER BY reported_at, id",
        params![r.text(0)],
    )?;
    let any_progress = !reports.is_empty();
    for p in reports {
        if let Some(i) = stages.iter().position(|s| s.as_str() == p.text(0)) {
            totals[i].0 += p.int(1);
            totals[i].1 += p.int(2);
            if i + 1 == stages.len() && completed_at.is_none() && totals[i].0 >= quantity {
                completed_at = Some(p.int(3));
            }
        }
    }
    let last_good = totals.last().map_or(0, |t| t.0);
    let st = status(
        r.opt_int(11).is_some(),
        r.opt_int(12).is_some(),
        any_progress,
        last_good,
        quantity,
    );
    Ok(Facts {
        id: r.text(0),
        project_id: r.text(1),
        company_id: r.text(2),
        partner_id: r.text(3),
        kind: r.text(4),
        stages,
        quantity,
        unit_prices: serde_json::from_str(&r.text(7)).unwrap_or_default(),
        due_at: r.int(8),
        sent_at: r.int(9),
        qr_token: r.text(10),
        totals,
        status: st,
        completed_at: if st == WorkOrderStatus::Completed {
            completed_at
        } else {
            None
        },
    })
}

/// Loads a work order visible to `org` (its company or its partner).
pub fn visible(tx: &mut Tx<'_, '_>, id: &str, org: &Org) -> Result<Facts, ApiError> {
    let f = facts(tx, id)?;
    if f.company_id == org.id || f.partner_id == org.id {
        Ok(f)
    } else {
        Err(ApiError::not_found("work order"))
    }
}

/// The work order as JSON.
pub fn view(state_url: &str, f: &Facts) -> Json_ {
    let stages: Vec<Json_> = f
        .stages
        .iter()
        .zip(&f.totals)
        .map(|(s, (g, d))| json!({"stage": s, "good": g, "defects": d, "target": f.quantity, "done": *g >= f.quantity,
            "unit_price_krw": f.unit_prices.get(s.as_str()).copied().unwrap_or(0)}))
        .collect();
    json!({"id": f.id, "project_id": f.project_id, "company_id": f.company_id, "partner_id": f.partner_id,
        "kind": f.kind, "quantity": f.quantity, "due_at": f.due_at, "sent_at": f.sent_at, "status": f.status.as_str(),
        "completed_at": f.completed_at, "stages": stages, "shop_floor_url": format!("{state_url}/wo/{}", f.qr_token)})
}

/// `GET /work-orders`: the caller's work orders (a partner's received, a company's sent).
pub async fn list(State(state): State<AppState>, Auth(org): Auth) -> Result<Json<Json_>, ApiError> {
    org.require(
        &[Role::ProductionCompany, Role::Partner],
        "list work orders",
    )?;
    let url = state.public_url.clone();
    Ok(Json(read(&state, move |tx, _| {
        let ids = tx.query(
            "SELECT id FROM work_orders WHERE company_id = ?1 OR partner_id = ?1 ORDER BY sent_at, id",
            params![&org.id],
        )?;
        let mut out = Vec::new();
        for r in ids {
            out.push(view(&url, &facts(tx, &r.text(0))?));
        }
        Ok(json!({"work_orders": out}))
    })
    .await?))
}

/// `GET /work-orders/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    let url = state.public_url.clone();
    Ok(Json(
        read(&state, move |tx, _| {
            Ok(view(&url, &visible(tx, &id, &org)?))
        })
        .await?,
    ))
}

async fn act(
    state: AppState,
    org: Org,
    id: String,
    headers: HeaderMap,
    raw: Bytes,
    action: Action,
) -> Result<impl IntoResponse, ApiError> {
    let key = idempotency::key_from(&headers)?;
    body::empty(&raw)?;
    let (name, column) = match action {
        Action::Accept => ("accept", "accepted_at"),
        _ => ("cancel", "cancelled_at"),
    };
    let me = org.clone();
    let url = state.public_url.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /work-orders/{id}/{name}"),
        move |tx, now| {
            let f = visible(tx, &id, &me)?;
            let allowed_org = if action == Action::Accept {
                &f.partner_id
            } else {
                &f.company_id
            };
            if *allowed_org != me.id {
                return Err(ApiError::forbidden(format!(
                    "only the work order's {} may {name} it",
                    if action == Action::Accept {
                        "partner"
                    } else {
                        "production company"
                    }
                )));
            }
            if !f.status.allows(action) {
                return Err(ApiError::conflict(
                    "invalid_transition",
                    format!("a {} work order cannot be {name}ed", f.status.as_str()),
                ));
            }
            tx.exec(
                &format!("UPDATE work_orders SET {column} = ?1 WHERE id = ?2"),
                params![now, &id],
            )?;
            Ok((StatusCode::OK, view(&url, &facts(tx, &id)?)))
        },
    )
    .await
}

/// `POST /work-orders/{id}/accept` (the partner).
pub async fn accept(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    act(state, org, id, headers, raw, Action::Accept).await
}

/// `POST /work-orders/{id}/cancel` (the production company).
pub async fn cancel(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    act(state, org, id, headers, raw, Action::Cancel).await
}
