//! Output management: statements of transactions (unit-price settlement per worker and
//! per partner) and KPIs per period, partner and worker (on-time rate, lead time, defect
//! rate, throughput). Everything is computed from the progress reports; nothing is
//! stored twice. Money is summed in integer won.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::AppState;
use super::auth::{Auth, Org, Role};
use super::error::ApiError;
use super::idempotency::read;
use super::work_orders::facts;
use crate::clock::DAY_MS;
use crate::domain::Krw;
use crate::domain::work_order::WorkOrderStatus;
use crate::params;
use crate::store::Tx;

/// A reporting period `[from, to)` in Unix ms; defaults to all time up to now.
#[derive(Debug, Deserialize)]
pub struct Period {
    /// Start (inclusive).
    pub from: Option<i64>,
    /// End (exclusive).
    pub to: Option<i64>,
}

fn bounds(p: &Period, now: i64) -> Result<(i64, i64), ApiError> {
    let (from, to) = (p.from.unwrap_or(0), p.to.unwrap_or(now + 1));
    if to <= from {
        return Err(ApiError::bad_request(
            "bad_period",
            "`to` must be after `from` (Unix ms)",
        ));
    }
    Ok((from, to))
}

fn scope(org: &Org) -> Result<&'static str, ApiError> {
    org.require(
        &[Role::ProductionCompany, Role::Partner],
        "see statements and KPIs",
    )?;
    Ok(if org.role == Role::Partner {
        "w.partner_id"
    } else {
        "w.company_id"
    })
}

/// One settled line: (at, work order, partner, stage, worker, good, defects, unit price).
type Line = (i64, String, String, String, String, i64, i64, i64);

fn lines(
    tx: &mut Tx<'_, '_>,
    column: &str,
    org: &str,
    from: i64,
    to: i64,
) -> Result<Vec<Line>, ApiError> {
    Ok(tx
        .query(
            &format!(
                "SELECT r.reported_at, r.work_order_id, w.partner_id, r.stage, r.worker, r.good_qty, r.defect_qty, r.unit_price_krw
                 FROM progress_reports r JOIN work_orders w ON w.id = r.work_order_id
                 WHERE {column} = ?1 AND r.reported_at >= ?2 AND r.reported_at < ?3 ORDER BY r.reported_at, r.id"
            ),
            params![org, from, to],
        )?
        .into_iter()
        .map(|r| (r.int(0), r.text(1), r.text(2), r.text(3), r.text(4), r.int(5), r.int(6), r.int(7)))
        .collect())
}

fn money(e: crate::domain::money::MoneyError) -> ApiError {
    ApiError::unprocessable("overflow", e.to_string())
}

/// `GET /statements?from=&to=`: every settled line (good pieces × the stage's unit price)
/// with totals per partner and per worker.
pub async fn statement(
    State(state): State<AppState>,
    Auth(org): Auth,
    Query(p): Query<Period>,
) -> Result<Json<Json_>, ApiError> {
    scope(&org)?;
    Ok(Json(
        read(&state, move |tx, now| statement_of(tx, &org, &p, now)).await?,
    ))
}

/// The statement of `org` for the period.
pub fn statement_of(
    tx: &mut Tx<'_, '_>,
    org: &Org,
    p: &Period,
    now: i64,
) -> Result<Json_, ApiError> {
    let column = scope(org)?;
    {
        let (from, to) = bounds(p, now)?;
        let mut per_partner: BTreeMap<String, Krw> = BTreeMap::new();
        let mut per_worker: BTreeMap<(String, String), Krw> = BTreeMap::new();
        let mut total = Krw(0);
        let mut out = Vec::new();
        for (at, wo, partner, stage, worker, good, defects, price) in
            lines(tx, column, &org.id, from, to)?
        {
            let amount = Krw(price).times(good).map_err(money)?;
            total = total.plus(amount).map_err(money)?;
            let e = per_partner.entry(partner.clone()).or_default();
            *e = e.plus(amount).map_err(money)?;
            let e = per_worker
                .entry((partner.clone(), worker.clone()))
                .or_default();
            *e = e.plus(amount).map_err(money)?;
            out.push(json!({"at": at, "work_order_id": wo, "partner_id": partner, "stage": stage, "worker": worker,
                "good": good, "defects": defects, "unit_price_krw": price, "amount_krw": amount}));
        }
        Ok(
            json!({"from": from, "to": to, "lines": out, "total_krw": total,
            "per_partner": per_partner.into_iter().map(|(p, a)| json!({"partner_id": p, "amount_krw": a})).collect::<Vec<_>>(),
            "per_worker": per_worker.into_iter().map(|((p, w), a)| json!({"partner_id": p, "worker": w, "amount_krw": a})).collect::<Vec<_>>()}),
        )
    }
}

#[derive(Default)]
struct Tally {
    good: i64,
    defects: i64,
    earned: i64,
    completed: i64,
    on_time: i64,
    lead_ms: i64,
}

fn rate(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// `GET /kpis?from=&to=`: per partner (on-time rate and mean lead time over work orders
/// completed in the period, defect rate and throughput over reports in the period) and per
/// worker (pieces, defect rate, throughput per day, earnings).
pub async fn kpis(
    State(state): State<AppState>,
    Auth(org): Auth,
    Query(p): Query<Period>,
) -> Result<Json<Json_>, ApiError> {
    scope(&org)?;
    Ok(Json(
        read(&state, move |tx, now| kpis_of(tx, &org, &p, now)).await?,
    ))
}

/// The KPIs of `org` for the period.
pub fn kpis_of(tx: &mut Tx<'_, '_>, org: &Org, p: &Period, now: i64) -> Result<Json_, ApiError> {
    let column = scope(org)?;
    {
        let (from, to) = bounds(p, now)?;
        let days = ((to.min(now + 1) - from).max(1) as f64 / DAY_MS as f64).max(1.0 / 24.0);
        let mut partners: BTreeMap<String, Tally> = BTreeMap::new();
        let mut workers: BTreeMap<(String, String), Tally> = BTreeMap::new();
        for (_, _, partner, _, worker, good, defects, price) in
            lines(tx, column, &org.id, from, to)?
        {
            for t in [
                partners.entry(partner.clone()).or_default(),
                workers.entry((partner.clone(), worker)).or_default(),
            ] {
                t.good += good;
                t.defects += defects;
                t.earned = t.earned.saturating_add(price.saturating_mul(good));
            }
        }
        let ids = tx.query(
            &format!("SELECT w.id FROM work_orders w WHERE {column} = ?1"),
            params![&org.id],
        )?;
        for r in ids {
            let f = facts(tx, &r.text(0))?;
            if f.status != WorkOrderStatus::Completed {
                continue;
            }
            let Some(done) = f.completed_at.filter(|c| (from..to).contains(c)) else {
                continue;
            };
            let t = partners.entry(f.partner_id.clone()).or_default();
            t.completed += 1;
            t.on_time += i64::from(done <= f.due_at);
            t.lead_ms += done - f.sent_at;
        }
        let mut names = BTreeMap::new();
        for id in partners.keys() {
            let name = tx
                .query_opt("SELECT name FROM orgs WHERE id = ?1", params![id])?
                .map(|r| r.text(0))
                .unwrap_or_default();
            names.insert(id.clone(), name);
        }
        let partner_kpis: Vec<Json_> = partners
            .iter()
            .map(|(id, t)| {
                json!({
            "partner_id": id, "partner_name": names.get(id), "completed_work_orders": t.completed,
            "on_time_rate": rate(t.on_time, t.completed),
            "mean_lead_time_days": rate(t.lead_ms, t.completed).map(|ms| ms / DAY_MS as f64),
            "defect_rate": rate(t.defects, t.good + t.defects),
            "throughput_per_day": t.good as f64 / days, "good": t.good, "defects": t.defects,
            "settled_krw": t.earned})
            })
            .collect();
        let worker_kpis: Vec<Json_> = workers.iter().map(|((p, w), t)| json!({
            "partner_id": p, "worker": w, "good": t.good, "defects": t.defects,
            "defect_rate": rate(t.defects, t.good + t.defects), "throughput_per_day": t.good as f64 / days,
            "earned_krw": t.earned})).collect();
        Ok(
            json!({"from": from, "to": to, "days": days, "partners": partner_kpis, "workers": worker_kpis}),
        )
    }
}
