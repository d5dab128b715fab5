//! Messages the show server sends.
//!
//! Timeline events carry the show stream's `epoch` and a gap-free `offset`, so a client
//! always knows whether it has missed something. Aggregates and presence are versioned
//! snapshots: a client keeps the highest version it has seen and drops older ones.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::client::LookSpec;
use crate::ids::{IdempotencyKey, LookId, ShowId, ViewerId};
use crate::values::{Role, ShowTime, SizeLabel};

/// Where a show is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum ShowStatus {
    /// Waiting for its start time.
    Scheduled {
        /// When it starts by itself.
        start_at: ShowTime,
    },
    /// A look is on the runway.
    Live {
        /// Index of the current look in the line-up.
        index: usize,
        /// When the current look started (show time).
        started_at: ShowTime,
        /// When it is due to end and the next look enters.
        ends_at: ShowTime,
    },
    /// Held by the organizer.
    Paused {
        /// Index of the current look.
        index: usize,
        /// When the current look started.
        started_at: ShowTime,
        /// Time the current look still has, in microseconds.
        remaining_us: u64,
        /// When the pause began.
        paused_at: ShowTime,
    },
    /// Over.
    Ended {
        /// When it ended.
        at: ShowTime,
    },
}

impl ShowStatus {
    /// The index of the look on the runway, if any.
    pub fn current_index(&self) -> Option<usize> {
        match self {
            Self::Live { index, .. } | Self::Paused { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// A short name of the phase for logs and lists.
    pub fn phase(&self) -> &'static str {
        match self {
            Self::Scheduled { .. } => "scheduled",
            Self::Live { .. } => "live",
            Self::Paused { .. } => "paused",
            Self::Ended { .. } => "ended",
        }
    }
}

/// One change on a show's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEvent {
    /// A new look takes the runway at `effective_at`. Every client switches at that show
    /// time, not when the message arrives.
    LookChanged {
        /// Index of the new look in the line-up.
        index: usize,
        /// The new look.
        look: LookId,
        /// The show time at which the look takes the runway.
        effective_at: ShowTime,
        /// When the look is due to end.
        ends_at: ShowTime,
        /// When the server released the change to clients, once it was stored (delivery
        /// latency is measured from here).
        issued_at: ShowTime,
    },
    /// The organizer paused the show.
    Paused {
        /// When.
        at: ShowTime,
        /// How long the current look still had, in microseconds.
        remaining_us: u64,
    },
    /// The show continues.
    Resumed {
        /// When.
        at: ShowTime,
        /// When the current look is now due to end.
        ends_at: ShowTime,
    },
    /// The show is over.
    Ended {
        /// When.
        at: ShowTime,
    },
}

/// Live totals for one look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookAggregate {
    /// The look.
    pub look: LookId,
    /// Number of ratings with 1, 2, 3, 4 and 5 stars.
    pub histogram: [u64; 5],
    /// Number of ratings.
    pub ratings: u64,
    /// Mean stars, 0 when there are no ratings.
    pub mean: f64,
    /// Units wanted per size.
    pub intents: BTreeMap<SizeLabel, u64>,
    /// Number of intent writes.
    pub intent_count: u64,
}

impl LookAggregate {
    /// An empty aggregate for a look.
    pub fn empty(look: LookId) -> Self {
        Self {
            look,
            histogram: [0; 5],
            ratings: 0,
            mean: 0.0,
            intents: BTreeMap::new(),
            intent_count: 0,
        }
    }

    /// Total units wanted over all sizes.
    pub fn units(&self) -> u64 {
        self.intents.values().sum()
    }
}

/// Everything a client needs to render a show from scratch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowSnapshot {
    /// The show.
    pub show: ShowId,
    /// Its title.
    pub title: String,
    /// The stream epoch; offsets are only comparable within one epoch.
    pub epoch: String,
    /// The offset of the last timeline event included in this snapshot.
    pub offset: u64,
    /// The line-up in running order.
    pub lineup: Vec<LookSpec>,
    /// When the show was scheduled to start.
    pub scheduled_start: ShowTime,
    /// Where the show is now (current look, its start and end in show time).
    pub status: ShowStatus,
}

/// A row of [`ServerMessage::Shows`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShowSummary {
    /// The show.
    pub show: ShowId,
    /// Its title.
    pub title: String,
    /// Where it is.
    pub status: ShowStatus,
    /// How many looks.
    pub looks: usize,
}

/// What an acknowledged write was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    /// A star rating.
    Rating,
    /// A purchase intent.
    Intent,
}

/// Stable error codes. Clients branch on these; the message is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame is not valid JSON, or not a JSON object.
    Malformed,
    /// The `"type"` is not one the server knows.
    UnknownType,
    /// The `"v"` is missing or not the version the server speaks.
    UnsupportedVersion,
    /// A field is missing or has an invalid value.
    InvalidField,
    /// The frame is larger than the server accepts; the connection is closed.
    FrameTooLarge,
    /// Binary frames are not accepted.
    BinaryNotSupported,
    /// The first message must be `hello`.
    HelloRequired,
    /// The connection must join a show first.
    NotJoined,
    /// No show with that id.
    NoSuchShow,
    /// The look is not in the show's line-up.
    NoSuchLook,
    /// The look has not been on the runway yet.
    LookNotShown,
    /// The action needs another role (e.g. an audience member tried an organizer action).
    Forbidden,
    /// The organizer token is missing, expired or not signed by this server's admin key.
    BadToken,
    /// Too many messages; slow down.
    RateLimited,
    /// The show cannot do that in its current phase.
    InvalidTransition,
    /// A show with that id already exists with different content.
    ShowExists,
    /// The idempotency key was used before for a different write.
    IdempotencyConflict,
    /// The server is at capacity or shutting down; try again later.
    ServerBusy,
    /// The client is too slow to keep up and is being disconnected.
    TooSlow,
    /// Something failed inside the server; the write was not acknowledged.
    Internal,
}

/// Every message the server sends. On the wire: `{"v":1,"type":"<snake_case name>",...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The reply to `hello`.
    Welcome {
        /// The viewer as the server knows them.
        viewer: ViewerId,
        /// The role granted.
        role: Role,
        /// The server's show clock when it replied.
        server_time: ShowTime,
        /// The rate limit in messages per second.
        rate_per_sec: u32,
        /// The largest frame accepted, in bytes.
        max_frame_bytes: usize,
    },
    /// The reply to `ping`.
    Pong {
        /// Echoed from the ping.
        client_time: u64,
        /// The server's show clock when it answered.
        server_time: ShowTime,
    },
    /// The full state of a show; sent on join, and on a resume that cannot be served from
    /// history (`recovered: false`).
    Snapshot {
        /// The show.
        snapshot: ShowSnapshot,
        /// Whether a requested resume failed and this snapshot replaces it.
        resume_failed: bool,
    },
    /// A reconnecting client got everything it missed (the events just before this message).
    Resumed {
        /// The show.
        show: ShowId,
        /// The epoch.
        epoch: String,
        /// The offset the client is now at.
        offset: u64,
        /// How many events were replayed.
        replayed: u64,
    },
    /// One event on a show's timeline.
    Timeline {
        /// The show.
        show: ShowId,
        /// The stream epoch.
        epoch: String,
        /// Gap-free sequence number within the epoch.
        offset: u64,
        /// What happened.
        event: TimelineEvent,
    },
    /// A write is durable.
    Ack {
        /// The key of the write.
        key: IdempotencyKey,
        /// What was written.
        kind: WriteKind,
        /// The look.
        look: LookId,
        /// The server's sequence number for the write.
        seq: u64,
        /// True when the key had been seen before and this is the stored ack.
        replayed: bool,
    },
    /// Live aggregates of the looks that changed since the previous version.
    Aggregates {
        /// The show.
        show: ShowId,
        /// Monotonic version; drop any message with a version not above the last one seen.
        version: u64,
        /// Looks whose totals changed (all looks in the first message after a join).
        looks: Vec<LookAggregate>,
    },
    /// How many people are watching.
    Presence {
        /// The show.
        show: ShowId,
        /// Monotonic version.
        version: u64,
        /// Connections joined to the show.
        count: u64,
    },
    /// A show was created (or already existed with the same content).
    ShowCreated {
        /// The show.
        show: ShowId,
        /// Its stream epoch.
        epoch: String,
    },
    /// The reply to `list_shows`.
    Shows {
        /// Every show, newest first.
        shows: Vec<ShowSummary>,
    },
    /// An organizer action was applied.
    Controlled {
        /// The show.
        show: ShowId,
        /// The show's status after the action.
        status: ShowStatus,
    },
    /// Something was wrong with what the client sent, or the server could not do it.
    Error {
        /// Stable code.
        code: ErrorCode,
        /// What is wrong and what to do, for people.
        message: String,
        /// The write this error is about, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<IdempotencyKey>,
    },
}

impl ServerMessage {
    /// Shorthand for an error without a key.
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Error {
            code,
            message: message.into(),
            key: None,
        }
    }
}
