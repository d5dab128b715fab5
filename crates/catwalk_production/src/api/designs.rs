//! Designs ranked for production companies (step 3), each score explained. Designers see
//! only their own designs; partners see none. A show's organizer (the platform) shortlists
//! the show's top designs for production; the ranking shows which are shortlisted.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json_, json};

use super::AppState;
use super::auth::{Auth, Org, Role};
use super::error::ApiError;
use super::idempotency::read;
use super::{body, idempotency};
use crate::domain::ranking::{DesignFacts, score};
use crate::params;
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
    let shortlisted: std::collections::HashMap<String, Json_> = tx
        .query(
            "SELECT garment, show_id, rank, stats, shortlisted_at FROM shortlist",
            &[],
        )?
        .into_iter()
        .map(|r| {
            let stats: Json_ = serde_json::from_str(&r.text(3)).unwrap_or(Json_::Null);
            (
                r.text(0),
                json!({"show": r.text(1), "rank": r.int(2), "stats": stats, "at": r.int(4)}),
            )
        })
        .collect();
    Ok(out
        .into_iter()
        .map(|(_, mut v)| {
            let g = v["garment"].as_str().unwrap_or_default().to_string();
            v["shortlisted"] = shortlisted.get(&g).cloned().unwrap_or(Json_::Null);
            v
        })
        .collect())
}

/// The body of `POST /designs/{garment}/shortlist`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewShortlist {
    /// The show it was ranked in.
    pub show: String,
    /// Its rank there (1 = best).
    pub rank: i64,
    /// Bayesian mean stars in the show.
    pub mean_stars: f64,
    /// Ratings in the show.
    pub ratings: i64,
    /// Units wanted in the show.
    pub units: i64,
}

/// `POST /designs/{garment}/shortlist`: the platform sends one of a show's top designs to
/// production. Repeating it (same key) replays; shortlisting again from a later show
/// replaces the show and rank.
pub async fn shortlist(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(garment): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::PlatformAdmin], "shortlist designs")?;
    let key = idempotency::key_from(&headers)?;
    let (s, canonical): (NewShortlist, String) = body::json(&raw)?;
    if s.show.trim().is_empty() || s.show.len() > 200 || !(1..=100).contains(&s.rank) {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`show` names the show (1 to 200 bytes) and `rank` is 1 to 100",
        ));
    }
    if !(s.mean_stars.is_finite() && (0.0..=5.0).contains(&s.mean_stars))
        || s.ratings < 0
        || s.units < 0
    {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`mean_stars` is 0 to 5; `ratings` and `units` are not negative",
        ));
    }
    let request = format!("POST /designs/{garment}/shortlist\n{canonical}");
    idempotency::run(&state, &org, key, request, move |tx, now| {
        if tx
            .query_opt("SELECT garment FROM designs WHERE garment = ?1", params![&garment])?
            .is_none()
        {
            return Err(ApiError::not_found("design (it has had no ratings or intents from a show yet)"));
        }
        let stats = json!({"mean_stars": s.mean_stars, "ratings": s.ratings, "units": s.units});
        tx.exec(
            "INSERT INTO shortlist (garment, show_id, rank, stats, shortlisted_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (garment) DO UPDATE SET show_id = excluded.show_id, rank = excluded.rank,
             stats = excluded.stats, shortlisted_at = excluded.shortlisted_at",
            params![&garment, &s.show, s.rank, stats.to_string(), now],
        )?;
        let design = ranked(tx, None, Some(&garment))?.into_iter().next().unwrap_or(Json_::Null);
        Ok((StatusCode::CREATED, design))
    })
    .await
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
