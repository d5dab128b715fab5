//! Progress reports (step 6): a partner reports good and defective pieces per stage and
//! worker, through the API or the shop-floor page. Each report is checked against the
//! work order's derived status and the stage-flow rules, and priced at the stage's unit
//! price at the time of the report (the basis of settlement).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;

use super::auth::{Auth, Role};
use super::error::{ApiError, invalid};
use super::idempotency;
use super::work_orders::{Facts, facts, view, visible};
use super::{AppState, body};
use crate::domain::ids::new_id;
use crate::domain::work_order::{Action, WorkOrderStatus, check_report};
use crate::params;
use crate::store::Tx;

/// A progress report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Stage name.
    pub stage: String,
    /// Worker name or number.
    pub worker: String,
    /// Good pieces.
    pub good: i64,
    /// Defective pieces.
    #[serde(default)]
    pub defects: i64,
}

/// Records a progress report after checking the status and the stage rules.
pub fn record_report(tx: &mut Tx<'_, '_>, f: &Facts, r: &Report, now: i64) -> Result<(), ApiError> {
    if !f.status.allows(Action::Report) {
        return Err(ApiError::conflict(
            "invalid_transition",
            format!(
                "progress cannot be reported on a {} work order{}",
                f.status.as_str(),
                if f.status == WorkOrderStatus::Sent {
                    "; the partner must accept it first"
                } else {
                    ""
                }
            ),
        ));
    }
    let worker = r.worker.trim();
    if worker.is_empty() || worker.len() > 100 {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`worker` must be 1 to 100 characters",
        ));
    }
    let stage = check_report(
        &f.stages, &f.totals, f.quantity, &r.stage, r.good, r.defects,
    )
    .map_err(|e| invalid("invalid_progress", e))?;
    let price = f.unit_prices.get(stage.as_str()).copied().unwrap_or(0);
    tx.exec(
        "INSERT INTO progress_reports (id, work_order_id, stage, worker, good_qty, defect_qty, unit_price_krw, reported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![new_id("pr"), &f.id, stage.as_str(), worker, r.good, r.defects, price, now],
    )?;
    Ok(())
}

/// `POST /work-orders/{id}/progress` (the partner).
pub async fn progress(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::Partner], "report progress")?;
    let key = idempotency::key_from(&headers)?;
    let (r, canonical): (Report, String) = body::json(&raw)?;
    let me = org.clone();
    let url = state.public_url.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /work-orders/{id}/progress\n{canonical}"),
        move |tx, now| {
            let f = visible(tx, &id, &me)?;
            if f.partner_id != me.id {
                return Err(ApiError::not_found("work order"));
            }
            record_report(tx, &f, &r, now)?;
            Ok((StatusCode::CREATED, view(&url, &facts(tx, &id)?)))
        },
    )
    .await
}
