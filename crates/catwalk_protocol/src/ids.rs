//! Identifiers carried on the wire. Each is parsed at the edge (`TryFrom<String>`), so the
//! rest of the code never sees an empty, oversized or oddly-encoded id.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string was empty.
    #[error("{kind} must not be empty")]
    Empty {
        /// Which identifier.
        kind: &'static str,
    },
    /// The string was longer than allowed.
    #[error("{kind} is {len} characters long; the limit is {max}")]
    TooLong {
        /// Which identifier.
        kind: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The string held a character outside `A-Z a-z 0-9 - _ . :`.
    #[error("{kind} may only hold letters, digits, '-', '_', '.' and ':' (found {found:?})")]
    BadChar {
        /// Which identifier.
        kind: &'static str,
        /// The first offending character.
        found: char,
    },
}

fn check(kind: &'static str, s: &str, max: usize) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if s.len() > max {
        return Err(IdError::TooLong {
            kind,
            len: s.len(),
            max,
        });
    }
    if let Some(found) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
    {
        return Err(IdError::BadChar { kind, found });
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses and validates an identifier.
            pub fn parse(s: impl Into<String>) -> Result<Self, IdError> {
                let s = s.into();
                check($kind, &s, $max)?;
                Ok(Self(s))
            }

            /// The identifier as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A show on the server, e.g. `show-2026-spring`.
    ShowId, "show id", 64
);
id_type!(
    /// A look in a show's line-up (one garment on one avatar), e.g. `look-07`.
    LookId, "look id", 64
);
id_type!(
    /// A member of the audience (or designer, organizer), chosen by the client and stable
    /// across reconnects so that a new rating replaces the old one.
    ViewerId, "viewer id", 64
);
id_type!(
    /// A client-chosen key that makes a write safe to repeat: the same key always gets the
    /// same acknowledgement and is counted once.
    IdempotencyKey, "idempotency key", 64
);
id_type!(
    /// The identity of an event forwarded to the production backend; the intake
    /// de-duplicates by it.
    EventId, "event id", 96
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_ids() {
        assert_eq!(
            ShowId::parse("show-1").map(|s| s.to_string()),
            Ok("show-1".into())
        );
    }

    #[test]
    fn rejects_empty_long_and_odd_ids() {
        assert!(matches!(LookId::parse(""), Err(IdError::Empty { .. })));
        assert!(matches!(
            LookId::parse("x".repeat(65)),
            Err(IdError::TooLong { len: 65, .. })
        ));
        assert!(matches!(
            ViewerId::parse("a b"),
            Err(IdError::BadChar { found: ' ', .. })
        ));
        assert!(matches!(ViewerId::parse("é"), Err(IdError::BadChar { .. })));
    }

    #[test]
    fn deserializing_validates() {
        let bad: Result<ShowId, _> = serde_json::from_str("\"has space\"");
        assert!(bad.is_err());
        let good: ShowId = serde_json::from_str("\"ok\"").expect("valid id");
        assert_eq!(good.as_str(), "ok");
    }
}
