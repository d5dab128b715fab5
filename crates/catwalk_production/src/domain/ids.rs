//! Identifiers and secrets. Ids are a short prefix plus a UUID (`prj_…`), so a log line
//! says what kind of thing it names. Tokens (API tokens, QR tokens, pre-order offer
//! tokens) carry 244 random bits from the operating system and are stored only as their
//! SHA-256 where they grant access.

use sha2::{Digest, Sha256};

/// A new identifier with the given prefix, e.g. `new_id("wo")` → `wo_3f2a…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// A new unguessable token (two random v4 UUIDs, 244 random bits), URL-safe.
pub fn new_token(prefix: &str) -> String {
    format!(
        "{prefix}_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_prefixed() {
        let a = new_token("wo");
        let b = new_token("wo");
        assert_ne!(a, b);
        assert!(a.starts_with("wo_") && a.len() == 3 + 64);
        assert_eq!(sha256_hex(b"abc").len(), 64);
    }
}
