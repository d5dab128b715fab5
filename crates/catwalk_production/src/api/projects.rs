//! Production projects: started by a production company from a signed contract, holding
//! the design's tech pack (from `catwalk_garment`) from which work orders are generated;
//! and partner recommendations for a project's jobs (step 5).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use catwalk_garment::techpack::TechPack;
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Org, Role};
use super::error::ApiError;
use super::idempotency::{self, read};
use super::{AppState, body, contracts, partners, work_orders};
use crate::clock::DAY_MS;
use crate::domain::ids::{new_id, sha256_hex};
use crate::domain::recommend::{Job, PartnerKind, assess};
use crate::params;
use crate::store::Tx;

/// A stored project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Id.
    pub id: String,
    /// Owner.
    pub company_id: String,
    /// The signed contract.
    pub contract_id: String,
    /// The design (garment reference).
    pub garment: String,
    /// Garment type for partner matching.
    pub garment_type: String,
    /// Main fabric.
    pub main_fabric: String,
    /// Units contracted.
    pub quantity: i64,
    /// Due (Unix ms).
    pub due_at: i64,
    /// Tech pack JSON.
    pub tech_pack: String,
    /// General-sale price, once the sale is open.
    pub sale_price_krw: Option<i64>,
}

/// Loads a project owned by `org`.
pub fn visible(tx: &mut Tx<'_, '_>, id: &str, org: &Org) -> Result<Project, ApiError> {
    let r = tx
        .query_opt(
            "SELECT id, company_id, contract_id, garment, garment_type, main_fabric, quantity, due_at, tech_pack, sale_price_krw
             FROM projects WHERE id = ?1 AND company_id = ?2",
            params![id, &org.id],
        )?
        .ok_or_else(|| ApiError::not_found("project"))?;
    Ok(Project {
        id: r.text(0),
        company_id: r.text(1),
        contract_id: r.text(2),
        garment: r.text(3),
        garment_type: r.text(4),
        main_fabric: r.text(5),
        quantity: r.int(6),
        due_at: r.int(7),
        tech_pack: r.text(8),
        sale_price_krw: r.opt_int(9),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewProject {
    contract_id: String,
    garment_type: String,
    due_at: i64,
    tech_pack: serde_json::Value,
}

/// `POST /projects` (production company).
pub async fn create(
    State(state): State<AppState>,
    Auth(org): Auth,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::ProductionCompany], "start projects")?;
    let key = idempotency::key_from(&headers)?;
    let (p, canonical): (NewProject, String) = body::json(&raw)?;
    let pack: TechPack = serde_path_to_error::deserialize(p.tech_pack.clone()).map_err(|e| {
        ApiError::unprocessable(
            "invalid_tech_pack",
            format!(
                "`tech_pack.{}`: {}; send the tech pack JSON that catwalk_garment writes",
                e.path(),
                e.inner()
            ),
        )
    })?;
    if p.garment_type.trim().is_empty() {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`garment_type` must name the garment type, e.g. \"skirt\"",
        ));
    }
    let me = org.clone();
    let url = state.public_url.clone();
    idempotency::run(&state, &org, key, format!("POST /projects\n{canonical}"), move |tx, now| {
        let (_, _, doc) = contracts::load(tx, &p.contract_id, &me)?;
        if doc.company.org_id != me.id {
            return Err(ApiError::not_found("contract"));
        }
        if !contracts::is_signed(tx, &p.contract_id)? {
            return Err(ApiError::conflict("contract_not_signed", "both parties must sign the contract before production starts"));
        }
        if pack.info.garment != doc.garment {
            return Err(ApiError::unprocessable("tech_pack_mismatch", format!(
                "the tech pack is for {:?} but the contract is for {:?}; send the contracted design's tech pack",
                pack.info.garment, doc.garment)));
        }
        if p.due_at <= now {
            return Err(ApiError::unprocessable("invalid_body", "`due_at` (Unix ms) must be in the future"));
        }
        let main_fabric = pack
            .fabric_m2
            .iter()
            .filter(|(k, _)| k.as_str() != "unspecified")
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or_else(|| "unspecified".to_string(), |(k, _)| k.clone());
        let text = pack.to_json();
        let id = new_id("prj");
        tx.exec(
            "INSERT INTO projects (id, company_id, contract_id, garment, garment_type, main_fabric, quantity, due_at,
                tech_pack, tech_pack_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![&id, &me.id, &p.contract_id, &doc.garment, p.garment_type.trim(), &main_fabric, doc.quantity,
                p.due_at, &text, sha256_hex(text.as_bytes()), now],
        )
        .map_err(|e| if e.is_unique_violation() {
            ApiError::conflict("project_exists", "a project already exists for this contract")
        } else { e.into() })?;
        Ok((StatusCode::CREATED, summary(tx, &id, &me, &url)?))
    })
    .await
}

/// A project with its work orders and campaign.
pub fn summary(tx: &mut Tx<'_, '_>, id: &str, org: &Org, url: &str) -> Result<Json_, ApiError> {
    let p = visible(tx, id, org)?;
    let mut wos = Vec::new();
    for r in tx.query(
        "SELECT id FROM work_orders WHERE project_id = ?1 ORDER BY sent_at, id",
        params![id],
    )? {
        wos.push(work_orders::view(url, &work_orders::facts(tx, &r.text(0))?));
    }
    let campaign = tx
        .query_opt(
            "SELECT id FROM campaigns WHERE project_id = ?1",
            params![id],
        )?
        .map(|r| r.text(0));
    let tp: Json_ = serde_json::from_str(&p.tech_pack).unwrap_or(Json_::Null);
    Ok(
        json!({"id": p.id, "contract_id": p.contract_id, "garment": p.garment, "garment_type": p.garment_type,
        "main_fabric": p.main_fabric, "quantity": p.quantity, "due_at": p.due_at, "sale_price_krw": p.sale_price_krw,
        "tech_pack_sha256": sha256_hex(p.tech_pack.as_bytes()), "pattern_sha256": tp.get("pattern_sha256"),
        "work_orders": wos, "campaign_id": campaign}),
    )
}

/// `GET /projects`: the company's projects.
pub async fn list(State(state): State<AppState>, Auth(org): Auth) -> Result<Json<Json_>, ApiError> {
    org.require(&[Role::ProductionCompany], "list projects")?;
    let url = state.public_url.clone();
    Ok(Json(
        read(&state, move |tx, _| {
            let mut out = Vec::new();
            for r in tx.query(
                "SELECT id FROM projects WHERE company_id = ?1 ORDER BY created_at, id",
                params![&org.id],
            )? {
                out.push(summary(tx, &r.text(0), &org, &url)?);
            }
            Ok(json!({"projects": out}))
        })
        .await?,
    ))
}

/// `GET /projects/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    let url = state.public_url.clone();
    Ok(Json(
        read(&state, move |tx, _| summary(tx, &id, &org, &url)).await?,
    ))
}

/// Query of `GET /projects/{id}/recommendations`.
#[derive(Debug, Deserialize)]
pub struct RecommendQuery {
    /// `pattern_maker`, `sample_room` or `sewing_factory`.
    pub kind: String,
    /// Units (default: the project's quantity for factories, 1 otherwise).
    pub quantity: Option<i64>,
}

/// `GET /projects/{id}/recommendations?kind=…`: eligible partners best first, each with
/// its score parts, then the excluded ones with the filters they failed.
pub async fn recommend(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    Query(q): Query<RecommendQuery>,
) -> Result<Json<Json_>, ApiError> {
    let kind = PartnerKind::parse(&q.kind).ok_or_else(|| {
        ApiError::bad_request(
            "bad_kind",
            "`kind` must be pattern_maker, sample_room or sewing_factory",
        )
    })?;
    let lat_lon = read(&state, {
        let id = org.id.clone();
        move |tx, _| {
            Ok(tx
                .query_opt(
                    "SELECT lat_e6, lon_e6 FROM orgs WHERE id = ?1",
                    params![&id],
                )?
                .and_then(|r| r.opt_int(0).zip(r.opt_int(1))))
        }
    })
    .await?;
    Ok(Json(read(&state, move |tx, now| {
        let p = visible(tx, &id, &org)?;
        let job = Job {
            kind,
            garment_type: p.garment_type.clone(),
            fabric: p.main_fabric.clone(),
            quantity: q.quantity.unwrap_or(if kind == PartnerKind::SewingFactory { p.quantity } else { 1 }),
            days_until_due: (p.due_at - now) / DAY_MS,
            origin_e6: lat_lon,
        };
        let mut eligible = Vec::new();
        let mut excluded = Vec::new();
        for (pid, name, profile) in partners::profiles(tx, None)? {
            if profile.kind != kind {
                continue;
            }
            let (rec, explained) = partners::record(tx, &pid)?;
            let a = assess(&job, &profile, &rec);
            let entry = json!({"partner_id": pid, "name": name, "score": a.score, "parts": a.parts,
                "excluded_because": a.excluded_because, "record": explained});
            match a.score {
                Some(s) => eligible.push((s, entry)),
                None => excluded.push(entry),
            }
        }
        eligible.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(json!({"job": {"kind": kind, "garment_type": job.garment_type, "fabric": job.fabric, "quantity": job.quantity,
            "days_until_due": job.days_until_due}, "weights": crate::domain::recommend::WEIGHTS,
            "recommended": eligible.into_iter().map(|e| e.1).collect::<Vec<_>>(), "excluded": excluded}))
    })
    .await?))
}
