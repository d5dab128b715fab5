//! Organisations: the platform admin creates them (each gets one API token, returned by
//! the creating request; only its SHA-256 is kept with the organisation, though a replay
//! of that request within the idempotency retention returns it again); each organisation
//! reads itself and registers its ed25519 signing key.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use super::auth::{Auth, Org, Role};
use super::error::{ApiError, invalid};
use super::{AppState, body, idempotency};
use crate::domain::contract::parse_key;
use crate::domain::ids::{new_id, new_token, sha256_hex};
use crate::domain::rating::{BayesianAverage, STAR_PRIOR};
use crate::params;
use crate::store::{Db, StoreError, Tx};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewOrg {
    name: String,
    role: Role,
    #[serde(default)]
    handle: Option<String>,
    #[serde(default)]
    lat_e6: Option<i64>,
    #[serde(default)]
    lon_e6: Option<i64>,
}

/// `POST /orgs` (platform admin): creates an organisation and its API token.
pub async fn create(
    State(state): State<AppState>,
    Auth(org): Auth,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    org.require(&[Role::PlatformAdmin], "create organisations")?;
    let key = idempotency::key_from(&headers)?;
    let (new, canonical): (NewOrg, String) = body::json(&raw)?;
    let name = new.name.trim().to_string();
    if name.is_empty() || name.len() > 200 {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "`name` must be 1 to 200 characters",
        ));
    }
    if new.role == Role::Designer && new.handle.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::unprocessable(
            "invalid_body",
            "a designer needs `handle`: the designer name the show server credits looks to",
        ));
    }
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /orgs\n{canonical}"),
        move |tx, now| {
            let id = new_id("org");
            let token = new_token("ctk");
            let taken = tx.query_i64(
                "SELECT COUNT(*) FROM orgs WHERE role = ?1 AND handle = ?2",
                params![new.role.as_str(), new.handle.clone()],
            )?;
            if taken > 0 {
                return Err(ApiError::conflict(
                    "handle_taken",
                    "another organisation with this role already has that handle",
                ));
            }
            tx.exec(
                "INSERT INTO orgs (id, name, role, handle, lat_e6, lon_e6, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    &id,
                    &name,
                    new.role.as_str(),
                    new.handle.clone(),
                    new.lat_e6,
                    new.lon_e6,
                    now
                ],
            )?;
            tx.exec(
                "INSERT INTO api_tokens (token_hash, org_id, created_at) VALUES (?1, ?2, ?3)",
                params![sha256_hex(token.as_bytes()), &id, now],
            )?;
            Ok((
                StatusCode::CREATED,
                json!({"id": id, "name": name, "role": new.role, "handle": new.handle, "token": token}),
            ))
        },
    )
    .await
}

/// `GET /orgs/me`: the calling organisation, with its rating where it has one: a
/// production company's is the Bayesian average of the product ratings of its projects
/// (step 9); a partner's is its record (see `GET /partners/{id}`).
pub async fn me(
    State(state): State<AppState>,
    Auth(org): Auth,
) -> Result<Json<serde_json::Value>, ApiError> {
    let me = org.clone();
    let (key, rating) = idempotency::read(&state, move |tx, _| {
        let key = tx
            .query_opt("SELECT public_key FROM orgs WHERE id = ?1", params![&me.id])?
            .and_then(|r| r.opt_text(0));
        let rating = match me.role {
            Role::ProductionCompany => {
                Some(serde_json::to_value(company_rating(tx, &me.id)?).unwrap_or_default())
            }
            Role::Partner => Some(super::partners::record(tx, &me.id)?.1),
            _ => None,
        };
        Ok((key, rating))
    })
    .await?;
    Ok(Json(
        json!({"id": org.id, "name": org.name, "role": org.role, "handle": org.handle, "public_key": key, "rating": rating}),
    ))
}

/// A production company's rating: the product ratings of all its projects.
pub fn company_rating(tx: &mut Tx<'_, '_>, company: &str) -> Result<BayesianAverage, ApiError> {
    let (count, sum) = tx
        .query_opt(
            "SELECT COUNT(*), CAST(COALESCE(SUM(r.stars), 0) AS BIGINT) FROM product_ratings r
             JOIN projects p ON p.id = r.project_id WHERE p.company_id = ?1",
            params![company],
        )?
        .map(|r| (r.int(0), r.int(1)))
        .unwrap_or((0, 0));
    Ok(BayesianAverage::new(STAR_PRIOR, count, sum))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SigningKey {
    public_key: String,
}

/// `POST /orgs/me/signing-key`: registers the organisation's ed25519 public key (base64).
/// Contracts drawn up afterwards embed it; earlier contracts keep the key they embed.
pub async fn signing_key(
    State(state): State<AppState>,
    Auth(org): Auth,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let key = idempotency::key_from(&headers)?;
    let (sk, canonical): (SigningKey, String) = body::json(&raw)?;
    parse_key(&sk.public_key).map_err(|e| invalid("bad_public_key", e))?;
    let id = org.id.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /orgs/me/signing-key\n{canonical}"),
        move |tx, _| {
            tx.exec(
                "UPDATE orgs SET public_key = ?1 WHERE id = ?2",
                params![&sk.public_key, &id],
            )?;
            Ok((StatusCode::OK, json!({"public_key": sk.public_key})))
        },
    )
    .await
}

/// Ensures a platform-admin organisation holding `token` exists (used at start-up so the
/// first organisations can be created).
pub fn bootstrap_admin(db: &Db, token: &str, now: i64) -> Result<Org, StoreError> {
    let hash = sha256_hex(token.as_bytes());
    db.transaction(|tx| {
        if let Some(r) = tx.query_opt(
            "SELECT o.id, o.name FROM api_tokens t JOIN orgs o ON o.id = t.org_id WHERE t.token_hash = ?1",
            params![&hash],
        )? {
            return Ok(Org {
                id: r.text(0),
                name: r.text(1),
                role: Role::PlatformAdmin,
                handle: None,
            });
        }
        let id = new_id("org");
        tx.exec(
            "INSERT INTO orgs (id, name, role, created_at) VALUES (?1, 'Platform', 'platform_admin', ?2)",
            params![&id, now],
        )?;
        tx.exec(
            "INSERT INTO api_tokens (token_hash, org_id, created_at) VALUES (?1, ?2, ?3)",
            params![&hash, &id, now],
        )?;
        Ok(Org {
            id,
            name: "Platform".into(),
            role: Role::PlatformAdmin,
            handle: None,
        })
    })
}
