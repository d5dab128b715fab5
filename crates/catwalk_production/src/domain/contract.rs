//! The electronic contract (step 4): an immutable JSON document, its SHA-256 content
//! hash, and one ed25519 signature from each party over the document's exact bytes.
//!
//! The document embeds both parties' public keys, so it can be verified later by anyone
//! holding it, without trusting the database: recompute the hash, then check each
//! signature against the key written in the document.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::ids::sha256_hex;

/// One party as written into the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Organisation id.
    pub org_id: String,
    /// Organisation name.
    pub name: String,
    /// Base64 ed25519 public key (32 bytes).
    pub public_key: String,
}

/// The agreed terms. Field order is fixed; the serialised bytes are what is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractDocument {
    /// Format marker.
    pub format: String,
    /// Contract id.
    pub contract_id: String,
    /// The negotiation it concludes.
    pub negotiation_id: String,
    /// The design (garment reference).
    pub garment: String,
    /// The production company.
    pub company: Party,
    /// The designer.
    pub designer: Party,
    /// Price per unit paid to the designer, KRW.
    pub unit_price_krw: i64,
    /// Units.
    pub quantity: i64,
    /// Royalty on sales, basis points.
    pub royalty_bp: i64,
    /// Total, KRW (unit price × quantity).
    pub total_krw: i64,
    /// Free-text terms.
    pub terms: String,
    /// When the terms were agreed (Unix ms).
    pub agreed_at: i64,
}

/// The format marker of [`ContractDocument`].
pub const FORMAT: &str = "catwalk-contract/1";

/// Why a signature or key is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The public key is not 32 bytes of base64, or not a valid curve point.
    #[error("the public key must be 32 bytes of standard base64 (an ed25519 verifying key)")]
    BadKey,
    /// The signature is not 64 bytes of base64.
    #[error("the signature must be 64 bytes of standard base64")]
    BadSignature,
    /// The signature does not verify against the document and key.
    #[error(
        "the signature does not verify: sign the exact bytes of `document` (as returned) with your registered key"
    )]
    Mismatch,
}

impl ContractDocument {
    /// The exact bytes that are hashed and signed.
    pub fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// SHA-256 of [`Self::bytes`], hex.
    pub fn content_hash(&self) -> String {
        sha256_hex(&self.bytes())
    }
}

/// Parses a base64 ed25519 public key.
pub fn parse_key(b64: &str) -> Result<VerifyingKey, SignatureError> {
    let raw = STANDARD.decode(b64).map_err(|_| SignatureError::BadKey)?;
    let arr: [u8; 32] = raw.try_into().map_err(|_| SignatureError::BadKey)?;
    VerifyingKey::from_bytes(&arr).map_err(|_| SignatureError::BadKey)
}

/// Verifies `signature_b64` over `document` with `public_key_b64`.
pub fn verify(
    document: &[u8],
    public_key_b64: &str,
    signature_b64: &str,
) -> Result<(), SignatureError> {
    let key = parse_key(public_key_b64)?;
    let raw = STANDARD
        .decode(signature_b64)
        .map_err(|_| SignatureError::BadSignature)?;
    let arr: [u8; 64] = raw.try_into().map_err(|_| SignatureError::BadSignature)?;
    key.verify(document, &Signature::from_bytes(&arr))
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn doc(key: &str) -> ContractDocument {
        let party = |id: &str| Party {
            org_id: id.into(),
            name: id.into(),
            public_key: key.into(),
        };
        ContractDocument {
            format: FORMAT.into(),
            contract_id: "ct_1".into(),
            negotiation_id: "ng_1".into(),
            garment: "g".into(),
            company: party("co"),
            designer: party("de"),
            unit_price_krw: 10_000,
            quantity: 100,
            royalty_bp: 500,
            total_krw: 1_000_000,
            terms: "net 30".into(),
            agreed_at: 1,
        }
    }

    #[test]
    fn signatures_verify_and_tampering_is_caught() {
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let pk = STANDARD.encode(sk.verifying_key().to_bytes());
        let d = doc(&pk);
        let sig = STANDARD.encode(sk.sign(&d.bytes()).to_bytes());
        assert_eq!(verify(&d.bytes(), &pk, &sig), Ok(()));
        let mut tampered = d.clone();
        tampered.unit_price_krw += 1;
        assert_ne!(tampered.content_hash(), d.content_hash());
        assert_eq!(
            verify(&tampered.bytes(), &pk, &sig),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify(&d.bytes(), "bad", &sig), Err(SignatureError::BadKey));
    }
}
