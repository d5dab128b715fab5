//! Encoding and decoding frames. Decoding checks the version and the message type before the
//! fields, so each kind of bad input gets its own typed error; nothing here panics.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::PROTOCOL_VERSION;
use crate::client::ClientMessage;
use crate::server::{ErrorCode, ServerMessage};

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not JSON at all.
    #[error("the frame is not valid JSON ({0}); send one JSON object per text frame")]
    Malformed(String),
    /// JSON, but not an object.
    #[error("the frame must be a JSON object like {{\"v\":1,\"type\":\"ping\",...}}")]
    NotAnObject,
    /// No `"v"` field.
    #[error("the frame has no protocol version; add \"v\":{PROTOCOL_VERSION}")]
    MissingVersion,
    /// A `"v"` this side does not speak.
    #[error("protocol version {got} is not supported; this server speaks version {supported}")]
    UnsupportedVersion {
        /// The version in the frame.
        got: String,
        /// The version spoken here.
        supported: u16,
    },
    /// No `"type"` field.
    #[error("the frame has no \"type\"; expected one of: {0}")]
    MissingType(String),
    /// A `"type"` this side does not know.
    #[error("unknown message type {got:?}; expected one of: {expected}")]
    UnknownType {
        /// The type in the frame.
        got: String,
        /// The known types.
        expected: String,
    },
    /// The right type, but a field is missing or invalid.
    #[error("invalid {kind} message: {detail}")]
    InvalidField {
        /// The message type.
        kind: String,
        /// What is wrong (from the field's own validation).
        detail: String,
    },
}

impl DecodeError {
    /// The stable error code to report to the sender.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Malformed(_) | Self::NotAnObject => ErrorCode::Malformed,
            Self::MissingVersion | Self::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            Self::MissingType(_) | Self::UnknownType { .. } => ErrorCode::UnknownType,
            Self::InvalidField { .. } => ErrorCode::InvalidField,
        }
    }
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    v: u16,
    #[serde(flatten)]
    msg: &'a T,
}

/// Encodes a message as a JSON text frame with the protocol version.
pub fn encode<T: Serialize>(msg: &T) -> String {
    let env = Envelope {
        v: PROTOCOL_VERSION,
        msg,
    };
    // Serializing our own plain data types cannot fail: no maps with non-string keys,
    // no non-finite floats are produced by the server (means are 0 when empty).
    serde_json::to_string(&env).unwrap_or_else(|e| {
        format!(
            "{{\"v\":{PROTOCOL_VERSION},\"type\":\"error\",\"code\":\"internal\",\"message\":\"encode failed: {e}\"}}"
        )
    })
}

fn decode<T: DeserializeOwned>(text: &str, known: &[&str]) -> Result<T, DecodeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    let Value::Object(map) = &value else {
        return Err(DecodeError::NotAnObject);
    };
    match map.get("v") {
        None => return Err(DecodeError::MissingVersion),
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(PROTOCOL_VERSION)) => {}
        Some(other) => {
            return Err(DecodeError::UnsupportedVersion {
                got: other.to_string(),
                supported: PROTOCOL_VERSION,
            });
        }
    }
    let expected = || known.join(", ");
    let kind = match map.get("type") {
        None => return Err(DecodeError::MissingType(expected())),
        Some(Value::String(s)) if known.contains(&s.as_str()) => s.clone(),
        Some(Value::String(s)) => {
            return Err(DecodeError::UnknownType {
                got: s.clone(),
                expected: expected(),
            });
        }
        Some(other) => {
            return Err(DecodeError::UnknownType {
                got: other.to_string(),
                expected: expected(),
            });
        }
    };
    serde_json::from_value(value).map_err(|e| DecodeError::InvalidField {
        kind,
        detail: e.to_string(),
    })
}

/// Decodes a well-formed frame of the current version in one pass; anything else goes
/// through [`decode`], which finds the precise error.
fn decode_fast<T: DeserializeOwned>(text: &str, known: &[&str]) -> Result<T, DecodeError> {
    const PREFIX: &str = "{\"v\":1,";
    if text.starts_with(PREFIX)
        && let Ok(msg) = serde_json::from_str(text)
    {
        return Ok(msg);
    }
    decode(text, known)
}

/// Decodes a frame sent by a client.
pub fn decode_client(text: &str) -> Result<ClientMessage, DecodeError> {
    decode_fast(text, &ClientMessage::TYPES)
}

/// The `"type"` names of every server message.
pub const SERVER_TYPES: [&str; 12] = [
    "welcome",
    "pong",
    "snapshot",
    "resumed",
    "timeline",
    "ack",
    "aggregates",
    "presence",
    "show_created",
    "shows",
    "controlled",
    "error",
];

/// Decodes a frame sent by the server.
pub fn decode_server(text: &str) -> Result<ServerMessage, DecodeError> {
    decode_fast(text, &SERVER_TYPES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{LookSpec, ResumeFrom, ShowAction};
    use crate::ids::{IdempotencyKey, LookId, ShowId, ViewerId};
    use crate::server::{LookAggregate, ShowSnapshot, ShowStatus, TimelineEvent, WriteKind};
    use crate::values::{Quantity, Role, ShowTime, SizeLabel, Stars};

    fn id<T: TryFrom<String>>(s: &str) -> T
    where
        T::Error: std::fmt::Debug,
    {
        T::try_from(s.to_string()).expect("valid id in test")
    }

    fn every_client_message() -> Vec<ClientMessage> {
        vec![
            ClientMessage::Hello {
                viewer: id("v1"),
                role: Role::Organizer,
                token: Some("cw1.x.y".into()),
            },
            ClientMessage::Join {
                show: id("s1"),
                resume: Some(ResumeFrom {
                    epoch: "e".into(),
                    offset: 3,
                }),
            },
            ClientMessage::Ping { client_time: 42 },
            ClientMessage::Rate {
                key: id("k1"),
                look: id("l1"),
                stars: Stars::new(4).expect("valid"),
            },
            ClientMessage::Intent {
                key: id("k2"),
                look: id("l1"),
                size: SizeLabel::M,
                quantity: Quantity::new(2).expect("valid"),
            },
            ClientMessage::ListShows,
            ClientMessage::CreateShow {
                show: id("s1"),
                title: "Spring".into(),
                lineup: vec![LookSpec {
                    look: id("l1"),
                    title: "Look one".into(),
                    designer: "Kim".into(),
                    garment: "dress-01".into(),
                    duration_ms: 30_000,
                }],
                scheduled_start: ShowTime(1_000_000),
            },
            ClientMessage::Control {
                show: id("s1"),
                action: ShowAction::Advance,
            },
        ]
    }

    #[test]
    fn every_client_message_round_trips_and_is_listed() {
        for msg in every_client_message() {
            let text = encode(&msg);
            assert!(text.starts_with("{\"v\":1,"), "{text}");
            assert!(ClientMessage::TYPES.contains(&msg.type_name()));
            assert_eq!(decode_client(&text), Ok(msg));
        }
    }

    #[test]
    fn server_messages_round_trip() {
        let snapshot = ShowSnapshot {
            show: id("s1"),
            title: "Spring".into(),
            epoch: "e1".into(),
            offset: 2,
            lineup: vec![],
            scheduled_start: ShowTime(5),
            status: ShowStatus::Live {
                index: 0,
                started_at: ShowTime(5),
                ends_at: ShowTime(9),
            },
        };
        let mut agg = LookAggregate::empty(id("l1"));
        agg.histogram[4] = 2;
        agg.intents.insert(SizeLabel::L, 3);
        let msgs = vec![
            ServerMessage::Snapshot {
                snapshot,
                resume_failed: true,
            },
            ServerMessage::Timeline {
                show: id("s1"),
                epoch: "e1".into(),
                offset: 3,
                event: TimelineEvent::LookChanged {
                    index: 1,
                    look: id("l2"),
                    effective_at: ShowTime(10),
                    ends_at: ShowTime(20),
                    issued_at: ShowTime(9),
                },
            },
            ServerMessage::Ack {
                key: id("k"),
                kind: WriteKind::Rating,
                look: id("l1"),
                seq: 7,
                replayed: false,
            },
            ServerMessage::Aggregates {
                show: id("s1"),
                version: 4,
                looks: vec![agg],
            },
            ServerMessage::error(ErrorCode::RateLimited, "slow down"),
        ];
        for msg in msgs {
            assert_eq!(decode_server(&encode(&msg)), Ok(msg));
        }
    }

    #[test]
    fn malformed_json_is_a_typed_error() {
        let err = decode_client("{\"v\":1,").expect_err("truncated");
        assert!(matches!(err, DecodeError::Malformed(_)));
        assert_eq!(err.code(), ErrorCode::Malformed);
        assert_eq!(decode_client("[1,2]"), Err(DecodeError::NotAnObject));
        assert!(matches!(
            decode_client("\u{0}\u{ff}"),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn wrong_or_missing_version_is_rejected() {
        assert_eq!(
            decode_client("{\"type\":\"ping\",\"client_time\":1}"),
            Err(DecodeError::MissingVersion)
        );
        let err = decode_client("{\"v\":2,\"type\":\"ping\",\"client_time\":1}").expect_err("v2");
        assert_eq!(err.code(), ErrorCode::UnsupportedVersion);
        assert!(err.to_string().contains("version 2"), "{err}");
    }

    #[test]
    fn unknown_type_names_the_known_ones() {
        let err = decode_client("{\"v\":1,\"type\":\"dance\"}").expect_err("unknown");
        assert_eq!(err.code(), ErrorCode::UnknownType);
        assert!(err.to_string().contains("rate"), "{err}");
        assert!(matches!(
            decode_client("{\"v\":1}"),
            Err(DecodeError::MissingType(_))
        ));
    }

    #[test]
    fn out_of_range_fields_are_invalid_not_panics() {
        for bad in [
            r#"{"v":1,"type":"rate","key":"k","look":"l","stars":0}"#,
            r#"{"v":1,"type":"rate","key":"k","look":"l","stars":6}"#,
            r#"{"v":1,"type":"rate","key":"k","look":"l","stars":"five"}"#,
            r#"{"v":1,"type":"rate","key":"","look":"l","stars":3}"#,
            r#"{"v":1,"type":"intent","key":"k","look":"l","size":"M","quantity":0}"#,
            r#"{"v":1,"type":"intent","key":"k","look":"l","size":"huge","quantity":1}"#,
            r#"{"v":1,"type":"hello","viewer":"v","role":"king"}"#,
            r#"{"v":1,"type":"ping"}"#,
        ] {
            let err = decode_client(bad).expect_err(bad);
            assert_eq!(err.code(), ErrorCode::InvalidField, "{bad}: {err}");
        }
        let err = decode_client(r#"{"v":1,"type":"rate","key":"k","look":"l","stars":6}"#)
            .expect_err("6 stars");
        assert!(err.to_string().contains("1 to 5 stars"), "{err}");
    }

    #[test]
    fn the_fast_path_still_checks_the_version_and_fields() {
        // A frame starting like version 1 but invalid must fail exactly as the slow path does.
        let err = decode_client(r#"{"v":1,"type":"rate","key":"k","look":"l","stars":9}"#)
            .expect_err("9 stars");
        assert_eq!(err.code(), ErrorCode::InvalidField);
        let err = decode_client(r#"{"v":1,"type":"dance"}"#).expect_err("unknown");
        assert_eq!(err.code(), ErrorCode::UnknownType);
    }

    #[test]
    fn ids_in_frames_are_validated() {
        let err = decode_client(r#"{"v":1,"type":"join","show":"a b"}"#).expect_err("space");
        assert!(err.to_string().contains("show id"), "{err}");
        let ok: Result<ViewerId, _> = ViewerId::parse("viewer-1");
        assert!(ok.is_ok());
        let _: IdempotencyKey = id("k");
        let _: ShowId = id("s");
        let _: LookId = id("l");
    }
}
