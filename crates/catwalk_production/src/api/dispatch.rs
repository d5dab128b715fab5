//! Generating and sending work orders (step 6): one per chosen partner, made from the
//! project's tech pack (`catwalk_garment`) with the quantity, BOM totals, work-order id and
//! the QR payload (the absolute URL of the shop-floor page) filled in for that order.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use catwalk_garment::techpack::TechPack;
use serde::Deserialize;

use super::auth::{Auth, Role};
use super::error::ApiError;
use super::idempotency;
use super::work_orders::{facts, view};
use super::{AppState, body, partners, projects};
use crate::domain::ids::{new_id, new_token};
use crate::domain::recommend::PartnerKind;
use crate::domain::work_order::stages_for;
use crate::params;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWorkOrder {
    partner_id: String,
    #[serde(default)]
    quantity: Option<i64>,
    due_at: i64,
    unit_prices: BTreeMap<String, i64>,
}

/// `POST /projects/{id}/work-orders` (production company): generates a work order for a
/// partner from the project's tech pack.
pub async fn create(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(project): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "send work orders")?;
    let key = idempotency::key_from(&headers)?;
    let (w, canonical): (NewWorkOrder, String) = body::json(&raw)?;
    let me = org.clone();
    let url = state.public_url.clone();
    idempotency::run(&state, &org, key, format!("POST /projects/{project}/work-orders\n{canonical}"), move |tx, now| {
        let p = projects::visible(tx, &project, &me)?;
        let (_, _, profile) = partners::profiles(tx, Some(&w.partner_id))?
            .pop()
            .ok_or_else(|| ApiError::not_found("partner"))?;
        let stages = stages_for(profile.kind);
        let quantity = w.quantity.unwrap_or(match profile.kind {
            PartnerKind::SewingFactory => p.quantity,
            _ => 1,
        });
        if !(1..=1_000_000).contains(&quantity) {
            return Err(ApiError::unprocessable("invalid_body", "`quantity` must be 1 to 1,000,000"));
        }
        if w.due_at <= now {
            return Err(ApiError::unprocessable("invalid_body", "`due_at` (Unix ms) must be in the future"));
        }
        for (stage, price) in &w.unit_prices {
            if !stages.iter().any(|s| s.as_str() == stage) || *price < 0 {
                return Err(ApiError::unprocessable(
                    "invalid_body",
                    format!("`unit_prices.{stage}`: a {} has stages {:?}, each priced in whole won ≥ 0",
                        profile.kind.as_str(), stages.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
                ));
            }
        }
        if let Some(missing) = stages.iter().find(|s| !w.unit_prices.contains_key(s.as_str())) {
            return Err(ApiError::unprocessable("invalid_body", format!("`unit_prices.{}` is missing", missing.as_str())));
        }
        if profile.kind == PartnerKind::SewingFactory {
            let booked = tx.query_i64(
                "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM work_orders
                 WHERE project_id = ?1 AND kind = 'sewing_factory' AND cancelled_at IS NULL",
                params![&project],
            )?;
            if booked + quantity > p.quantity {
                return Err(ApiError::conflict(
                    "over_contract",
                    format!(
                        "{booked} of the contracted {} units are already ordered from factories; at most {} more",
                        p.quantity,
                        p.quantity - booked
                    ),
                ));
            }
        }
        let id = new_id("wo");
        let token = new_token("wot");
        let mut pack: TechPack = serde_json::from_str(&p.tech_pack).map_err(|e| ApiError::internal("stored tech pack", e))?;
        let scale = quantity as f64 / f64::from(pack.info.quantity.max(1));
        pack.fabric_m2.values_mut().for_each(|m2| *m2 *= scale);
        pack.trims.iter_mut().for_each(|t| t.order_total = t.per_garment * quantity as f64);
        pack.info.work_order_id = id.clone();
        pack.info.quantity = quantity as u32;
        pack.info.qr_payload = format!("{url}/wo/{token}");
        let stage_names: Vec<&str> = stages.iter().map(|s| s.as_str()).collect();
        tx.exec(
            "INSERT INTO work_orders (id, project_id, company_id, partner_id, kind, stages, quantity, unit_prices,
                due_at, qr_token, tech_pack, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![&id, &project, &me.id, &w.partner_id, profile.kind.as_str(),
                serde_json::to_string(&stage_names).unwrap_or_default(), quantity,
                serde_json::to_string(&w.unit_prices).unwrap_or_default(), w.due_at, &token, pack.to_json(), now],
        )?;
        Ok((StatusCode::CREATED, view(&url, &facts(tx, &id)?)))
    })
    .await
}
