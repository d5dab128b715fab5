//! The discounted pre-order campaign (step 7): offered to every viewer who said they would
//! buy the design; all-or-nothing on a goal in units by a deadline; pledges cancellable
//! while it is live. Statuses are derived (see [`crate::domain::campaign`]); pledges are
//! counted inside the same serialised transaction that admits them, so concurrent pledges
//! can never push the campaign past its cap.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Org, Role};
use super::error::ApiError;
use super::idempotency::{self, read};
use super::{AppState, body, projects};
use crate::domain::Krw;
use crate::domain::campaign::{CampaignStatus, PledgeStatus};
use crate::domain::ids::{new_id, new_token};
use crate::params;
use crate::store::Tx;

/// A stored campaign with its derived totals and status.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// Id.
    pub id: String,
    /// Project.
    pub project_id: String,
    /// Owner.
    pub company_id: String,
    /// Goal, units.
    pub goal_units: i64,
    /// Cap, units.
    pub max_units: Option<i64>,
    /// List price.
    pub list_price: Krw,
    /// Discount, percent.
    pub discount_pct: i64,
    /// Pre-order price per unit.
    pub unit_price: Krw,
    /// Deadline (Unix ms).
    pub deadline: i64,
    /// Units in un-cancelled pledges.
    pub pledged_units: i64,
    /// Won in un-cancelled pledges.
    pub pledged: Krw,
    /// Derived status.
    pub status: CampaignStatus,
}

/// Loads a campaign (no access check).
pub fn load(tx: &mut Tx<'_, '_>, id: &str, now: i64) -> Result<Campaign, ApiError> {
    let r = tx
        .query_opt(
            "SELECT c.id, c.project_id, c.company_id, c.goal_units, c.max_units, c.list_price_krw, c.discount_pct,
                    c.unit_price_krw, c.deadline,
                    (SELECT CAST(COALESCE(SUM(p.quantity), 0) AS BIGINT) FROM pledges p WHERE p.campaign_id = c.id AND p.cancelled_at IS NULL),
                    (SELECT CAST(COALESCE(SUM(p.amount_krw), 0) AS BIGINT) FROM pledges p WHERE p.campaign_id = c.id AND p.cancelled_at IS NULL)
             FROM campaigns c WHERE c.id = ?1",
            params![id],
        )?
        .ok_or_else(|| ApiError::not_found("campaign"))?;
    Ok(Campaign {
        id: r.text(0),
        project_id: r.text(1),
        company_id: r.text(2),
        goal_units: r.int(3),
        max_units: r.opt_int(4),
        list_price: Krw(r.int(5)),
        discount_pct: r.int(6),
        unit_price: Krw(r.int(7)),
        deadline: r.int(8),
        pledged_units: r.int(9),
        pledged: Krw(r.int(10)),
        status: CampaignStatus::derive(now, r.int(8), r.int(9), r.int(3)),
    })
}

/// The campaign as JSON; with `pledges` the pledge list (for its company and the platform).
pub fn view(tx: &mut Tx<'_, '_>, c: &Campaign, pledges: bool) -> Result<Json_, ApiError> {
    let eligible = tx.query_i64(
        "SELECT COUNT(*) FROM campaign_offers WHERE campaign_id = ?1",
        params![&c.id],
    )?;
    let mut out = json!({"id": c.id, "project_id": c.project_id, "goal_units": c.goal_units, "max_units": c.max_units,
        "list_price_krw": c.list_price, "discount_pct": c.discount_pct, "unit_price_krw": c.unit_price,
        "deadline": c.deadline, "status": c.status, "pledged_units": c.pledged_units, "pledged_krw": c.pledged,
        "eligible_viewers": eligible});
    if pledges {
        out["pledges"] = Json_::Array(pledge_list(tx, c, None)?);
    }
    Ok(out)
}

/// Pledges of a campaign (optionally one viewer's), with derived statuses.
pub fn pledge_list(
    tx: &mut Tx<'_, '_>,
    c: &Campaign,
    viewer: Option<&str>,
) -> Result<Vec<Json_>, ApiError> {
    Ok(tx
        .query(
            "SELECT p.id, p.viewer, p.size, p.quantity, p.amount_krw, p.pledged_at, p.cancelled_at,
                (SELECT s.state FROM shipment_events s WHERE s.pledge_id = p.id ORDER BY s.seq DESC LIMIT 1)
             FROM pledges p WHERE p.campaign_id = ?1 AND (?2 = '' OR p.viewer = ?2) ORDER BY p.pledged_at, p.id",
            params![&c.id, viewer.unwrap_or("")],
        )?
        .into_iter()
        .map(|r| json!({"id": r.text(0), "viewer": r.text(1), "size": r.text(2), "quantity": r.int(3),
            "amount_krw": r.int(4), "pledged_at": r.int(5),
            "status": PledgeStatus::derive(r.opt_int(6).is_some(), c.status), "shipment": r.opt_text(7)}))
        .collect())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewCampaign {
    goal_units: i64,
    #[serde(default)]
    max_units: Option<i64>,
    list_price_krw: i64,
    discount_pct: i64,
    deadline: i64,
}

/// `POST /projects/{id}/campaign` (production company): opens the pre-order once
/// production has started (a work order accepted), offering it to every intent holder.
pub async fn create(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(project): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "open campaigns")?;
    let key = idempotency::key_from(&headers)?;
    let (n, canonical): (NewCampaign, String) = body::json(&raw)?;
    let list = Krw::positive("`list_price_krw`", n.list_price_krw)
        .map_err(|e| ApiError::unprocessable("invalid_body", e.to_string()))?;
    let unit = list
        .discounted(n.discount_pct)
        .map_err(|e| ApiError::unprocessable("invalid_body", format!("`discount_pct`: {e}")))?;
    if n.goal_units < 1 || n.max_units.is_some_and(|m| m < n.goal_units) {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`goal_units` must be at least 1 and `max_units`, if given, at least the goal",
        ));
    }
    let me = org.clone();
    idempotency::run(&state, &org, key, format!("POST /projects/{project}/campaign\n{canonical}"), move |tx, now| {
        let p = projects::visible(tx, &project, &me)?;
        if n.deadline <= now {
            return Err(ApiError::unprocessable("invalid_body", "`deadline` (Unix ms) must be in the future"));
        }
        let started = tx.query_i64(
            "SELECT COUNT(*) FROM work_orders WHERE project_id = ?1 AND accepted_at IS NOT NULL AND cancelled_at IS NULL",
            params![&project],
        )?;
        if started == 0 {
            return Err(ApiError::conflict("production_not_started", "open the pre-order when production starts: a partner must accept a work order first"));
        }
        let id = new_id("cmp");
        tx.exec(
            "INSERT INTO campaigns (id, project_id, company_id, goal_units, max_units, list_price_krw, discount_pct,
                unit_price_krw, deadline, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![&id, &project, &me.id, n.goal_units, n.max_units, list.0, n.discount_pct, unit.0, n.deadline, now],
        )
        .map_err(|e| if e.is_unique_violation() {
            ApiError::conflict("campaign_exists", "this project already has a campaign")
        } else { e.into() })?;
        let viewers = tx.query(
            "SELECT viewer, CAST(SUM(quantity) AS BIGINT) FROM intake_events WHERE garment = ?1 AND kind = 'purchase_intent'
             GROUP BY viewer ORDER BY viewer",
            params![&p.garment],
        )?;
        for v in viewers {
            tx.exec(
                "INSERT INTO campaign_offers (token, campaign_id, viewer, intended_units) VALUES (?1, ?2, ?3, ?4)",
                params![new_token("off"), &id, v.text(0), v.int(1)],
            )?;
        }
        let c = load(tx, &id, now)?;
        Ok((StatusCode::CREATED, view(tx, &c, false)?))
    })
    .await
}

fn visible(tx: &mut Tx<'_, '_>, id: &str, org: &Org, now: i64) -> Result<Campaign, ApiError> {
    let c = load(tx, id, now)?;
    if c.company_id == org.id || org.role == Role::PlatformAdmin {
        Ok(c)
    } else {
        Err(ApiError::not_found("campaign"))
    }
}

/// `GET /campaigns/{id}` (its company, the platform): status, totals, pledges and, for
/// the platform, the per-viewer offer links to send out.
pub async fn get_one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    let url = state.public_url.clone();
    Ok(Json(read(&state, move |tx, now| {
        let c = visible(tx, &id, &org, now)?;
        let mut v = view(tx, &c, true)?;
        if org.role == Role::PlatformAdmin {
            let offers: Vec<Json_> = tx
                .query("SELECT viewer, token, intended_units FROM campaign_offers WHERE campaign_id = ?1 ORDER BY viewer", params![&id])?
                .into_iter()
                .map(|r| json!({"viewer": r.text(0), "intended_units": r.int(2), "offer_url": format!("{url}/offers/{}", r.text(1))}))
                .collect();
            v["offers"] = Json_::Array(offers);
        }
        Ok(v)
    })
    .await?))
}
