//! Who is calling: per-organisation API tokens (`Authorization: Bearer …`) for the JSON
//! API, the same token in an `HttpOnly` cookie for the web pages. Tokens are stored only as
//! their SHA-256. Every handler receives the calling [`Org`] and scopes its queries by it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::ApiError;
use crate::domain::ids::sha256_hex;
use crate::params;

/// An organisation's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Contracts designers, runs projects, campaigns and shipping.
    ProductionCompany,
    /// Pattern maker, sample room or sewing factory.
    Partner,
    /// Owns designs.
    Designer,
    /// Runs the platform: creates organisations and feeds the intake.
    PlatformAdmin,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProductionCompany => "production_company",
            Self::Partner => "partner",
            Self::Designer => "designer",
            Self::PlatformAdmin => "platform_admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::ProductionCompany,
            Self::Partner,
            Self::Designer,
            Self::PlatformAdmin,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// The calling organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For designers: the name the show server credits them by.
    pub handle: Option<String>,
}

impl Org {
    /// Fails with 403 unless the organisation has one of `roles`.
    pub fn require(&self, roles: &[Role], doing: &str) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::forbidden(format!(
                "only a {} may {doing}; your organisation is a {}",
                names.join(" or "),
                self.role.as_str()
            )))
        }
    }
}

/// The name of the web session cookie.
pub const COOKIE: &str = "catwalk_token";

/// Looks up the organisation holding `token`.
pub async fn org_for_token(state: &AppState, token: &str) -> Result<Option<Org>, ApiError> {
    let hash = sha256_hex(token.as_bytes());
    let db = state.db.clone();
    let row = tokio::task::spawn_blocking(move || {
        db.read(|tx| {
            tx.query_opt(
                "SELECT o.id, o.name, o.role, o.handle FROM api_tokens t JOIN orgs o ON o.id = t.org_id
                 WHERE t.token_hash = ?1",
                params![hash.clone()],
            )
        })
    })
    .await
    .map_err(|e| ApiError::internal("auth task", e))??;
    Ok(row.and_then(|r| {
        Some(Org {
            id: r.text(0),
            name: r.text(1),
            role: Role::parse(&r.text(2))?,
            handle: r.opt_text(3),
        })
    }))
}

/// The caller of a JSON API route, authenticated by its bearer token.
#[derive(Debug, Clone)]
pub struct Auth(pub Org);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "send your organisation's API token as `Authorization: Bearer <token>`",
                )
            })?;
        let token = header.strip_prefix("Bearer ").unwrap_or("").trim();
        match org_for_token(state, token).await? {
            Some(org) => Ok(Self(org)),
            None => Err(ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "bad_token",
                "the API token is not valid; ask the platform admin for your organisation's token",
            )),
        }
    }
}

/// Reads the session cookie's token from a request, if any.
pub fn cookie_token(parts: &Parts) -> Option<String> {
    let cookies = parts
        .headers
        .get(axum::http::header::COOKIE)?
        .to_str()
        .ok()?;
    cookies.split(';').find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == COOKIE).then(|| value.to_string())
    })
}
