//! API errors: every failure is a JSON object `{code, message}` with a stable `code` and
//! a message that says what is wrong and what to do. Storage failures are logged and
//! reported without internals.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::store::{AsRetry, StoreError};

/// An error answered to an API client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// Whether the transaction that produced it may be retried.
    retry: bool,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry: false,
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404: no such thing visible to the caller (another organisation's data is reported
    /// the same way, so its existence is not revealed).
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no {what} with that id is visible to your organisation"),
        )
    }

    /// 403: the caller's role may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// 422: well-formed but not acceptable.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 500 from an unexpected internal failure (logged, not shown).
    pub fn internal(context: &str, error: impl std::fmt::Display) -> Self {
        tracing::error!("{context}: {error}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; the request had no effect, so it is safe to retry",
        )
    }
}

impl ApiError {
    /// A conflict the database detected late (a concurrent insert of the same key); the
    /// transaction is retried and will then see the other request's row.
    pub fn retry_conflict() -> Self {
        let mut e = Self::conflict(
            "concurrent_request",
            "a concurrent request conflicted; retry",
        );
        e.retry = true;
        e
    }

    /// Maps a store error, turning unique violations into [`ApiError::retry_conflict`].
    pub fn from_insert(e: StoreError) -> Self {
        if e.is_unique_violation() {
            Self::retry_conflict()
        } else {
            e.into()
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let retry = e.is_retryable();
        if let StoreError::Busy(_) = e {
            return Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the database is busy; retry the request with the same Idempotency-Key",
            );
        }
        let mut err = Self::internal("storage", &e);
        err.retry = retry;
        err
    }
}

impl AsRetry for ApiError {
    fn is_retryable(&self) -> bool {
        self.retry
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({"code": self.code, "message": self.message})),
        )
            .into_response()
    }
}

/// Maps a domain error to a 409 with its message.
pub fn conflict_from(code: &'static str, e: impl std::fmt::Display) -> ApiError {
    ApiError::conflict(code, e.to_string())
}

/// Maps a domain error to a 422 with its message.
pub fn invalid(code: &'static str, e: impl std::fmt::Display) -> ApiError {
    ApiError::unprocessable(code, e.to_string())
}
