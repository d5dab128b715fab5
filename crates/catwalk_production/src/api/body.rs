//! Request bodies: parsed with the JSON path of the first problem in the error message,
//! and turned into a canonical form (keys sorted, no whitespace) for idempotency
//! fingerprints, so a retried request with reordered keys is still the same request.

use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Parses a JSON body into `T`, returning the value and its canonical text.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, String), ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("the body is not valid JSON ({e}); send a JSON object with Content-Type: application/json"),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "malformed_json",
            "the body must be a JSON object",
        ));
    }
    let canonical = value.to_string();
    let parsed = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::unprocessable(
            "invalid_body",
            format!("invalid field `{path}`: {}", e.inner()),
        )
    })?;
    Ok((parsed, canonical))
}

/// An empty body (or `{}`) for action endpoints.
pub fn empty(bytes: &[u8]) -> Result<String, ApiError> {
    let text = std::str::from_utf8(bytes).unwrap_or("?").trim();
    if text.is_empty() || text == "{}" {
        Ok(String::new())
    } else {
        Err(ApiError::bad_request(
            "unexpected_body",
            "this action takes no body; send nothing or {}",
        ))
    }
}
