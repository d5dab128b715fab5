//! Contracts (step 4): drawn up when an offer is accepted, never edited afterwards. Each
//! party signs the document's exact bytes with its ed25519 key; anyone with access can
//! verify the hash and both signatures at any time.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value as Json_, json};

use super::auth::{Auth, Org};
use super::error::{ApiError, invalid};
use super::idempotency::{self, read};
use super::{AppState, body};
use crate::domain::contract::{ContractDocument, FORMAT, Party, verify as verify_sig};
use crate::domain::ids::{new_id, sha256_hex};
use crate::params;
use crate::store::Tx;

fn party(tx: &mut Tx<'_, '_>, org_id: &str) -> Result<Party, ApiError> {
    let r = tx
        .query_opt(
            "SELECT name, public_key FROM orgs WHERE id = ?1",
            params![org_id],
        )?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let public_key = r.opt_text(1).ok_or_else(|| {
        ApiError::conflict(
            "no_signing_key",
            format!("{} has no signing key; register one with POST /orgs/me/signing-key before agreeing", r.text(0)),
        )
    })?;
    Ok(Party {
        org_id: org_id.to_string(),
        name: r.text(0),
        public_key,
    })
}

/// Draws up the contract for the accepted offer `seq` of negotiation `nid`.
pub(crate) fn draw_up(
    tx: &mut Tx<'_, '_>,
    nid: &str,
    seq: i64,
    now: i64,
) -> Result<String, ApiError> {
    let n = tx
        .query_opt(
            "SELECT garment, company_id, designer_id FROM negotiations WHERE id = ?1",
            params![nid],
        )?
        .ok_or_else(|| ApiError::not_found("negotiation"))?;
    let o = tx
        .query_opt(
            "SELECT unit_price_krw, quantity, royalty_bp, terms FROM offers WHERE negotiation_id = ?1 AND seq = ?2",
            params![nid, seq],
        )?
        .ok_or_else(|| ApiError::not_found("offer"))?;
    let id = new_id("ct");
    let total = o
        .int(0)
        .checked_mul(o.int(1))
        .ok_or_else(|| ApiError::unprocessable("overflow", "price × quantity overflows"))?;
    let doc = ContractDocument {
        format: FORMAT.to_string(),
        contract_id: id.clone(),
        negotiation_id: nid.to_string(),
        garment: n.text(0),
        company: party(tx, &n.text(1))?,
        designer: party(tx, &n.text(2))?,
        unit_price_krw: o.int(0),
        quantity: o.int(1),
        royalty_bp: o.int(2),
        total_krw: total,
        terms: o.text(3),
        agreed_at: now,
    };
    let bytes = doc.bytes();
    let text = String::from_utf8(bytes).map_err(|e| ApiError::internal("contract text", e))?;
    tx.exec(
        "INSERT INTO contracts (id, negotiation_id, company_id, designer_id, garment, document, content_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![&id, nid, &doc.company.org_id, &doc.designer.org_id, &doc.garment, &text, sha256_hex(text.as_bytes()), now],
    )
    .map_err(ApiError::from_insert)?;
    Ok(id)
}

/// Loads a contract visible to `org`: (document text, content hash, parsed document).
pub(crate) fn load(
    tx: &mut Tx<'_, '_>,
    id: &str,
    org: &Org,
) -> Result<(String, String, ContractDocument), ApiError> {
    let r = tx
        .query_opt(
            "SELECT document, content_hash FROM contracts WHERE id = ?1 AND (company_id = ?2 OR designer_id = ?2)",
            params![id, &org.id],
        )?
        .ok_or_else(|| ApiError::not_found("contract"))?;
    let doc: ContractDocument =
        serde_json::from_str(&r.text(0)).map_err(|e| ApiError::internal("stored contract", e))?;
    Ok((r.text(0), r.text(1), doc))
}

/// Whether both parties have signed.
pub(crate) fn is_signed(tx: &mut Tx<'_, '_>, id: &str) -> Result<bool, ApiError> {
    Ok(tx.query_i64(
        "SELECT COUNT(*) FROM contract_signatures WHERE contract_id = ?1",
        params![id],
    )? >= 2)
}

/// The contract as JSON: the exact document text (what is signed), hash, signatures and
/// derived status.
pub(crate) fn view(tx: &mut Tx<'_, '_>, id: &str, org: &Org) -> Result<Json_, ApiError> {
    let (text, hash, _) = load(tx, id, org)?;
    let sigs: Vec<Json_> = tx
        .query(
            "SELECT org_id, public_key, signature, signed_at FROM contract_signatures WHERE contract_id = ?1 ORDER BY signed_at, org_id",
            params![id],
        )?
        .into_iter()
        .map(|r| json!({"org_id": r.text(0), "public_key": r.text(1), "signature": r.text(2), "signed_at": r.int(3)}))
        .collect();
    let status = match sigs.len() {
        0 => "awaiting_signatures",
        1 => "partly_signed",
        _ => "signed",
    };
    Ok(
        json!({"id": id, "document": text, "content_hash": hash, "signatures": sigs, "status": status}),
    )
}

/// `GET /contracts/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    Ok(Json(read(&state, move |tx, _| view(tx, &id, &org)).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Signature {
    signature: String,
}

/// `POST /contracts/{id}/signatures`: a party's signature over the document's bytes,
/// verified against the key the document names for that party.
pub async fn sign(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let key = idempotency::key_from(&headers)?;
    let (sig, canonical): (Signature, String) = body::json(&raw)?;
    let me = org.clone();
    idempotency::run(
        &state,
        &org,
        key,
        format!("POST /contracts/{id}/signatures\n{canonical}"),
        move |tx, now| {
            let (text, _, doc) = load(tx, &id, &me)?;
            let public_key = if doc.company.org_id == me.id {
                &doc.company.public_key
            } else {
                &doc.designer.public_key
            };
            verify_sig(text.as_bytes(), public_key, &sig.signature)
                .map_err(|e| invalid("bad_signature", e))?;
            let n = tx.exec(
            "INSERT INTO contract_signatures (contract_id, org_id, public_key, signature, signed_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (contract_id, org_id) DO NOTHING",
            params![&id, &me.id, public_key, &sig.signature, now],
        )?;
            if n == 0 {
                return Err(ApiError::conflict(
                    "already_signed",
                    "your organisation has already signed this contract",
                ));
            }
            Ok((StatusCode::CREATED, view(tx, &id, &me)?))
        },
    )
    .await
}

/// `GET /contracts/{id}/verify`: recomputes the hash and checks every signature.
pub async fn verify(
    State(state): State<AppState>,
    Auth(org): Auth,
    Path(id): Path<String>,
) -> Result<Json<Json_>, ApiError> {
    Ok(Json(
        read(&state, move |tx, _| {
            let (text, hash, doc) = load(tx, &id, &org)?;
            let hash_matches = sha256_hex(text.as_bytes()) == hash && doc.content_hash() == hash;
            let mut checks = Vec::new();
            let mut all = hash_matches;
            for p in [&doc.company, &doc.designer] {
                let sig = tx
                    .query_opt(
                        "SELECT signature FROM contract_signatures WHERE contract_id = ?1 AND org_id = ?2",
                        params![&id, &p.org_id],
                    )?
                    .map(|r| r.text(0));
                let valid = sig.as_deref().is_some_and(|s| verify_sig(text.as_bytes(), &p.public_key, s).is_ok());
                all &= valid;
                checks.push(json!({"org_id": p.org_id, "signed": sig.is_some(), "valid": valid}));
            }
            Ok(json!({"contract_id": id, "content_hash": hash, "hash_matches": hash_matches, "signatures": checks, "valid": all}))
        })
        .await?,
    ))
}
