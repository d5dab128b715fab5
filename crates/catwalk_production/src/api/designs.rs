//! Designs ranked for production companies (step 3), each score explained. Designers see
//! only their own designs; partners see none.

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value as Json_, json};

use super::AppState;
use super::auth::{Auth, Org, Role};
use super::error::ApiError;
use super::idempotency::read;
use crate::domain::ranking::{DesignFacts, score};
use crate::store::{StoreError, Tx, Value};

const FACTS: &str = "SELECT d.garment, d.designer, d.look,
    (SELECT COUNT(*) FROM design_ratings r WHERE r.garment = d.garment),
    (SELECT CAST(COALESCE(SUM(r.stars), 0) AS BIGINT) FROM design_ratings r WHERE r.garment = d.garment),
    (SELECT COUNT(DISTINCT e.viewer) FROM intake_events e WHERE e.garment = d.garment AND e.kind = 'purchase_intent'),
    (SELECT CAST(COALESCE(SUM(e.quantity), 0) AS BIGINT) FROM intake_events e WHERE e.garment = d.garment AND e.kind = 'purchase_intent'),
    (SELECT COUNT(*) FROM (SELECT r.viewer FROM design_ratings r WHERE r.garment = d.garment
        UNION SELECT e.viewer FROM intake_events e WHERE e.garment = d.garment AND e.kind = 'purchase_intent') u)
  FROM designs d";

/// Ranked designs, best first, optionally filtered to one designer or one garment.
pub fn ranked(
    tx: &mut Tx<'_, '_>,
    designer: Option<&str>,
    garment: Option<&str>,
) -> Result<Vec<Json_>, StoreError> {
    let (sql, params): (String, Vec<Value>) = match (designer, garment) {
        (Some(d), Some(g)) => (
            format!("{FACTS} WHERE d.designer = ?1 AND d.garment = ?2"),
            vec![d.into(), g.into()],
        ),
        (Some(d), None) => (format!("{FACTS} WHERE d.designer = ?1"), vec![d.into()]),
        (None, Some(g)) => (format!("{FACTS} WHERE d.garment = ?1"), vec![g.into()]),
        (None, None) => (FACTS.to_string(), vec![]),
    };
    let mut out: Vec<(f64, Json_)> = tx
        .query(&sql, &params)?
        .into_iter()
        .map(|r| {
            let s = score(&DesignFacts {
                rating_count: r.int(3),
                rating_sum: r.int(4),
                intent_viewers: r.int(5),
                intent_units: r.int(6),
                engaged_viewers: r.int(7),
            });
            (
                s.score,
                json!({"garment": r.text(0), "designer": r.text(1), "look": r.text(2), "score": s}),
            )
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(out.into_iter().map(|(_, v)| v).collect())
}

fn scope(org: &Org) -> Result<Option<String>, ApiError> {
    org.require(
        &[Role::ProductionCompany, Role::Designer, Role::PlatformAdmin],
        "see designs",
    )?;
    Ok(match org.role {
        Role::Designer => Some(org.handle.clone().unwrap_or_default()),
        _ => None,
    })
}

/// `GET /designs`: every visible design, ranked.
pub async fn ranking(
    State(state): State<AppState>,
    Auth(org): Auth,
) -> Result<Json<Json_>, ApiError> {
    let designer = scope(&org)?;
    let list = read(&state, move |tx, _| {
        Ok(ranked(tx, designer.as_deref(), None)?)
    })
    .await?;
    Ok(Json(json!({"designs": list})))
}

/// `GET /designs/{garment}`: one design with its score explained and the units asked for
/// per size (what the pre-order and the cutting plan need).
pub async fn one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(garment): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    let designer = scope(&org)?;
    read(&state, move |tx, _| {
        let mut design = ranked(tx, designer.as_deref(), Some(&garment))?
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::not_found("design"))?;
        let sizes: serde_json::Map<String, Json_> = tx
            .query(
                "SELECT size, CAST(SUM(quantity) AS BIGINT) FROM intake_events
                 WHERE garment = ?1 AND kind = 'purchase_intent' GROUP BY size ORDER BY size",
                &[garment.as_str().into()],
            )?
            .into_iter()
            .map(|r| (r.text(0), json!(r.int(1))))
            .collect();
        design["intent_units_by_size"] = Json_::Object(sizes);
        Ok(Json(design))
    })
    .await
}
