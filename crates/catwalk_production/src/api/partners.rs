//! Partners (pattern makers, sample rooms, sewing factories): their stated profile, their
//! record derived from work orders and ratings, and ratings from production companies
//! (step 9).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Role};
use super::error::ApiError;
use super::idempotency::{self, read};
use super::work_orders::{self, Facts};
use super::{AppState, body};
use crate::domain::rating::{BayesianAverage, STAR_PRIOR};
use crate::domain::recommend::{PartnerKind, PartnerProfile, PartnerRecord};
use crate::domain::work_order::WorkOrderStatus;
use crate::params;
use crate::store::Tx;

fn check_profile(p: &PartnerProfile) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::unprocessable("invalid_body", m.to_string()));
    if p.garment_types.is_empty() {
        return bad("`garment_types` must list at least one garment type, e.g. [\"skirt\"]");
    }
    if p.capacity_per_day <= 0 || p.lead_time_days < 0 || p.moq < 0 {
        return bad("`capacity_per_day` must be positive; `lead_time_days` and `moq` not negative");
    }
    if !(1..=5).contains(&p.price_level) {
        return bad("`price_level` is 1 (cheapest) to 5");
    }
    Ok(())
}

/// `POST /partners/me/profile` (partner): states or replaces the partner's profile.
pub async fn set_profile(
    State(state): State<AppState>,
    Auth(org): Auth,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::Partner], "state a partner profile")?;
    let key = idempotency::key_from(&headers)?;
    let (p, canonical): (PartnerProfile, String) = body::json(&raw)?;
    check_profile(&p)?;
    let id = org.id.clone();
    idempotency::run(&state, &org, key, format!("POST /partners/me/profile\n{canonical}"), move |tx, now| {
        let list = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_default();
        tx.exec(
            "INSERT INTO partner_profiles (org_id, kind, garment_types, fabrics, capacity_per_day, lead_time_days,
                moq, district, lat_e6, lon_e6, price_level, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (org_id) DO UPDATE SET kind = excluded.kind, garment_types = excluded.garment_types,
                fabrics = excluded.fabrics, capacity_per_day = excluded.capacity_per_day,
                lead_time_days = excluded.lead_time_days, moq = excluded.moq, district = excluded.district,
                lat_e6 = excluded.lat_e6, lon_e6 = excluded.lon_e6, price_level = excluded.price_level,
                updated_at = excluded.updated_at",
            params![&id, p.kind.as_str(), list(&p.garment_types), list(&p.fabrics), p.capacity_per_day,
                p.lead_time_days, p.moq, &p.district, p.lat_e6, p.lon_e6, p.price_level, now],
        )?;
        Ok((StatusCode::OK, json!({"partner_id": id, "profile": p})))
    })
    .await
}

/// Every partner with a profile: (id, name, profile).
pub(crate) fn profiles(
    tx: &mut Tx<'_, '_>,
    only: Option<&str>,
) -> Result<Vec<(String, String, PartnerProfile)>, ApiError> {
    let rows = tx.query(
        "SELECT o.id, o.name, p.kind, p.garment_types, p.fabrics, p.capacity_per_day, p.lead_time_days, p.moq,
                p.district, p.lat_e6, p.lon_e6, p.price_level
         FROM partner_profiles p JOIN orgs o ON o.id = p.org_id WHERE (?1 = '' OR o.id = ?1) ORDER BY o.name, o.id",
        params![only.unwrap_or("")],
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let list = |i| serde_json::from_str::<Vec<String>>(&r.text(i)).unwrap_or_default();
            Some((
                r.text(0),
                r.text(1),
                PartnerProfile {
                    kind: PartnerKind::parse(&r.text(2))?,
                    garment_types: list(3),
                    fabrics: list(4),
                    capacity_per_day: r.int(5),
                    lead_time_days: r.int(6),
                    moq: r.int(7),
                    district: r.text(8),
                    lat_e6: r.opt_int(9),
                    lon_e6: r.opt_int(10),
                    price_level: r.int(11),
                },
            ))
        })
        .collect())
}

/// A partner's record from the facts: ratings (partner ratings plus product ratings of
/// every project it worked on, one Bayesian average), work orders, quantities.
pub(crate) fn record(
    tx: &mut Tx<'_, '_>,
    partner: &str,
) -> Result<(PartnerRecord, Json_), ApiError> {
    let direct = tx
        .query_opt(
            "SELECT COUNT(*), CAST(COALESCE(SUM(stars), 0) AS BIGINT) FROM partner_ratings WHERE partner_id = ?1",
            params![partner],
        )?
        .map(|r| (r.int(0), r.int(1)))
        .unwrap_or((0, 0));
    let product = tx
        .query_opt(
            "SELECT COUNT(*), CAST(COALESCE(SUM(stars), 0) AS BIGINT) FROM product_ratings
             WHERE project_id IN (SELECT project_id FROM work_orders WHERE partner_id = ?1 AND cancelled_at IS NULL)",
            params![partner],
        )?
        .map(|r| (r.int(0), r.int(1)))
        .unwrap_or((0, 0));
    let rating = BayesianAverage::new(STAR_PRIOR, direct.0 + product.0, direct.1 + product.1);
    let mut rec = PartnerRecord {
        rating: Some(rating),
        ..Default::default()
    };
    let ids: Vec<String> = tx
        .query(
            "SELECT id FROM work_orders WHERE partner_id = ?1",
            params![partner],
        )?
        .into_iter()
        .map(|r| r.text(0))
        .collect();
    for id in ids {
        let f: Facts = work_orders::facts(tx, &id)?;
        rec.good_units += f.totals.last().map_or(0, |t| t.0);
        rec.defect_units += f.totals.iter().map(|t| t.1).sum::<i64>();
        match f.status {
            WorkOrderStatus::Completed => {
                rec.completed += 1;
                if f.completed_at.is_some_and(|c| c <= f.due_at) {
                    rec.on_time += 1;
                }
            }
            WorkOrderStatus::Cancelled => {}
            _ => rec.open_units += f.quantity,
        }
    }
    let explained = json!({
        "rating": rating,
        "partner_ratings": {"count": direct.0, "sum": direct.1},
        "product_ratings": {"count": product.0, "sum": product.1},
        "completed_work_orders": rec.completed, "on_time": rec.on_time,
        "good_units": rec.good_units, "defect_units": rec.defect_units, "open_units": rec.open_units,
    });
    Ok((rec, explained))
}

/// `GET /partners` (production company, admin): every partner with its record.
pub async fn list(State(state): State<AppState>, Auth(org): Auth) -> Result<Json<Json_>, ApiError> {
    org.require(
        &[Role::ProductionCompany, Role::PlatformAdmin],
        "browse partners",
    )?;
    Ok(Json(
        read(&state, |tx, _| {
            let mut out = Vec::new();
            for (id, name, profile) in profiles(tx, None)? {
                let (_, rec) = record(tx, &id)?;
                out.push(json!({"id": id, "name": name, "profile": profile, "record": rec}));
            }
            Ok(json!({"partners": out}))
        })
        .await?,
    ))
}

/// `GET /partners/{id}`: one partner (a partner may read only itself).
pub async fn get_one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    if org.role == Role::Partner && org.id != id || org.role == Role::Designer {
        return Err(ApiError::not_found("partner"));
    }
    Ok(Json(
        read(&state, move |tx, _| {
            let (_, name, profile) = profiles(tx, Some(&id))?
                .pop()
                .ok_or_else(|| ApiError::not_found("partner"))?;
            let (_, rec) = record(tx, &id)?;
            Ok(json!({"id": id, "name": name, "profile": profile, "record": rec}))
        })
        .await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewRating {
    project_id: String,
    stars: i64,
    #[serde(default)]
    comment: String,
}

/// `POST /partners/{id}/ratings` (production company): rates a partner's work on one of
/// the company's projects, once per project, after a completed work order.
pub async fn rate(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "rate partners")?;
    let key = idempotency::key_from(&headers)?;
    let (r, canonical): (NewRating, String) = body::json(&raw)?;
    if !(1..=5).contains(&r.stars) || r.comment.len() > 2000 {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`stars` is 1 to 5; `comment` at most 2,000 characters",
        ));
    }
    let me = org.clone();
    idempotency::run(&state, &org, key, format!("POST /partners/{id}/ratings\n{canonical}"), move |tx, now| {
        let wos: Vec<String> = tx
            .query(
                "SELECT id FROM work_orders WHERE partner_id = ?1 AND project_id = ?2 AND company_id = ?3",
                params![&id, &r.project_id, &me.id],
            )?
            .into_iter()
            .map(|r| r.text(0))
            .collect();
        if wos.is_empty() {
            return Err(ApiError::not_found("work order for this partner and project"));
        }
        let mut done = false;
        for w in &wos {
            done |= work_orders::facts(tx, w)?.status == WorkOrderStatus::Completed;
        }
        if !done {
            return Err(ApiError::conflict("not_completed", "rate a partner once one of its work orders on the project is completed"));
        }
        let n = tx.exec(
            "INSERT INTO partner_ratings (partner_id, company_id, project_id, stars, comment, rated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (partner_id, project_id) DO NOTHING",
            params![&id, &me.id, &r.project_id, r.stars, &r.comment, now],
        )?;
        if n == 0 {
            return Err(ApiError::conflict("already_rated", "this partner's work on this project is already rated"));
        }
        let (_, rec) = record(tx, &id)?;
        Ok((StatusCode::CREATED, json!({"partner_id": id, "record": rec})))
    })
    .await
}
