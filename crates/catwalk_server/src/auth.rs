//! Organizer tokens: `cw1.<claims>.<signature>`, both parts base64url, the signature an
//! HMAC-SHA256 over the claims with the server's admin key. Only the admin key's holder can
//! issue one; the server checks the signature in constant time and the expiry.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use catwalk_protocol::Role;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Not of the form `cw1.<claims>.<signature>`.
    #[error("the token is not a Catwalk token (expected cw1.<claims>.<signature>)")]
    Shape,
    /// The signature does not match: forged, altered, or signed with another key.
    #[error(
        "the token's signature does not match this server's admin key; ask the server's operator for a new token"
    )]
    Signature,
    /// Expired.
    #[error("the token expired at {0} (Unix seconds); ask for a new one")]
    Expired(u64),
    /// The admin key given is unusable.
    #[error("the admin key must be at least 16 bytes; got {0}")]
    WeakKey(usize),
}

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The role granted.
    pub role: Role,
    /// Who it was issued to.
    pub sub: String,
    /// Expiry, Unix seconds.
    pub exp: u64,
}

/// The secret organizer tokens are signed with.
#[derive(Clone)]
pub struct AdminKey(Vec<u8>);

impl fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminKey(..)")
    }
}

impl AdminKey {
    /// A key from secret bytes (at least 16).
    pub fn new(secret: impl Into<Vec<u8>>) -> Result<Self, AuthError> {
        let secret = secret.into();
        if secret.len() < 16 {
            return Err(AuthError::WeakKey(secret.len()));
        }
        Ok(Self(secret))
    }

    /// A fresh random key (for a demo or a test).
    pub fn random() -> Self {
        Self(Self::generate_secret().into_bytes())
    }

    /// 64 hex characters from the operating system's random generator (two UUID v4s, 244
    /// random bits), suitable for a key file.
    pub fn generate_secret() -> String {
        format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        )
    }

    fn mac(&self, data: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(data);
        mac
    }

    /// Issues a token for `role`, valid for `ttl_secs` from `now_secs`.
    pub fn issue(&self, role: Role, sub: &str, now_secs: u64, ttl_secs: u64) -> String {
        let claims = Claims {
            role,
            sub: sub.to_string(),
            exp: now_secs.saturating_add(ttl_secs),
        };
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let sig = URL_SAFE_NO_PAD.encode(self.mac(body.as_bytes()).finalize().into_bytes());
        format!("cw1.{body}.{sig}")
    }

    /// Checks a token's signature and expiry.
    pub fn verify(&self, token: &str, now_secs: u64) -> Result<Claims, AuthError> {
        let mut parts = token.split('.');
        let (Some("cw1"), Some(body), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthError::Shape);
        };
        let sig = URL_SAFE_NO_PAD.decode(sig).map_err(|_| AuthError::Shape)?;
        self.mac(body.as_bytes())
            .verify_slice(&sig)
            .map_err(|_| AuthError::Signature)?;
        let raw = URL_SAFE_NO_PAD.decode(body).map_err(|_| AuthError::Shape)?;
        let claims: Claims = serde_json::from_slice(&raw).map_err(|_| AuthError::Shape)?;
        if claims.exp <= now_secs {
            return Err(AuthError::Expired(claims.exp));
        }
        Ok(claims)
    }
}

/// Unix seconds now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_token_verifies() {
        let key = AdminKey::random();
        let t = key.issue(Role::Organizer, "ops", 1_000, 60);
        let c = key.verify(&t, 1_010).expect("valid");
        assert_eq!(c.role, Role::Organizer);
        assert_eq!(c.sub, "ops");
    }

    #[test]
    fn forged_altered_and_expired_tokens_fail() {
        let key = AdminKey::random();
        let other = AdminKey::random();
        let t = other.issue(Role::Organizer, "mallory", 1_000, 60);
        assert_eq!(key.verify(&t, 1_001), Err(AuthError::Signature));
        let good = key.issue(Role::Audience, "a", 1_000, 60);
        let (head, sig) = good.rsplit_once('.').expect("three parts");
        let claims = URL_SAFE_NO_PAD.encode(br#"{"role":"organizer","sub":"a","exp":9999}"#);
        let altered = format!("cw1.{claims}.{sig}");
        assert_eq!(key.verify(&altered, 1_001), Err(AuthError::Signature));
        assert!(head.starts_with("cw1."));
        assert_eq!(key.verify(&good, 1_060), Err(AuthError::Expired(1_060)));
        assert_eq!(key.verify("nonsense", 0), Err(AuthError::Shape));
        assert_eq!(AdminKey::new("short").err(), Some(AuthError::WeakKey(5)));
    }
}
