//! Messages a client sends to the show server.
//!
//! A connection opens with [`ClientMessage::Hello`], then joins one show at a time with
//! [`ClientMessage::Join`]. Ratings and intents carry an [`IdempotencyKey`]; the server
//! acknowledges each only once it is durable, and a repeated key gets the same ack.

use serde::{Deserialize, Serialize};

use crate::ids::{IdempotencyKey, LookId, ShowId, ViewerId};
use crate::values::{Quantity, Role, ShowTime, SizeLabel, Stars};

/// Where a reconnecting client left off: the show stream's epoch and the last offset it saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeFrom {
    /// The stream epoch from the last snapshot or event seen.
    pub epoch: String,
    /// The last offset applied.
    pub offset: u64,
}

/// One look of a show's line-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookSpec {
    /// The look's id, unique within the show.
    pub look: LookId,
    /// What the audience sees as the look's name.
    pub title: String,
    /// The designer credited for the look.
    pub designer: String,
    /// A reference to the garment design (a catwalk_garment design id or file).
    pub garment: String,
    /// How long the look stays on the runway, in milliseconds (1 s to 1 h).
    pub duration_ms: u64,
}

/// Longest title or credit string accepted, in bytes.
pub const MAX_TEXT: usize = 200;
/// Most looks in one show.
pub const MAX_LOOKS: usize = 200;
/// Shortest and longest time one look may stay on the runway.
pub const LOOK_DURATION_MS: std::ops::RangeInclusive<u64> = 1_000..=3_600_000;

impl LookSpec {
    /// Checks lengths and the duration; returns a message naming what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        for (name, text) in [
            ("title", &self.title),
            ("designer", &self.designer),
            ("garment", &self.garment),
        ] {
            if text.trim().is_empty() || text.len() > MAX_TEXT {
                return Err(format!(
                    "look {}: {name} must be 1 to {MAX_TEXT} bytes",
                    self.look
                ));
            }
        }
        if !LOOK_DURATION_MS.contains(&self.duration_ms) {
            return Err(format!(
                "look {}: duration_ms must be between {} and {}; got {}",
                self.look,
                LOOK_DURATION_MS.start(),
                LOOK_DURATION_MS.end(),
                self.duration_ms
            ));
        }
        Ok(())
    }
}

/// An organizer's command to a running show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowAction {
    /// Start a scheduled show now (it also starts by itself at its scheduled time).
    Start,
    /// Move on to the next look (ends the show after the last one).
    Advance,
    /// Hold the current look; its remaining time is kept.
    Pause,
    /// Continue after a pause.
    Resume,
    /// End the show.
    End,
}

/// A write that is counted: a rating or a purchase intent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WriteBody {
    /// A star rating of one look. A viewer has one rating per look; a new one replaces it.
    Rating {
        /// The look rated.
        look: LookId,
        /// 1 to 5 stars.
        stars: Stars,
    },
    /// "I would buy this": a size and a quantity. Intents accumulate.
    Intent {
        /// The look wanted.
        look: LookId,
        /// The size wanted.
        size: SizeLabel,
        /// How many units.
        quantity: Quantity,
    },
}

impl WriteBody {
    /// The look the write is about.
    pub fn look(&self) -> &LookId {
        match self {
            Self::Rating { look, .. } | Self::Intent { look, .. } => look,
        }
    }
}

/// Every message a client may send. On the wire: `{"v":1,"type":"<snake_case name>",...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Opens the session: who is speaking and in which role.
    Hello {
        /// The viewer's stable id.
        viewer: ViewerId,
        /// The role asked for.
        role: Role,
        /// For organizers: a token signed with the server's admin key.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
    /// Joins a show's timeline. With `resume`, the server replays what was missed, or
    /// sends a fresh snapshot if it cannot.
    Join {
        /// The show to join.
        show: ShowId,
        /// Where this client left off, if it is reconnecting.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume: Option<ResumeFrom>,
    },
    /// A clock probe; the server answers with [`crate::ServerMessage::Pong`].
    Ping {
        /// The client's own clock when it sent the ping, echoed back unchanged.
        client_time: u64,
    },
    /// Rates a look of the joined show (1 to 5 stars).
    Rate {
        /// Makes the write safe to repeat.
        key: IdempotencyKey,
        /// The look rated.
        look: LookId,
        /// 1 to 5 stars.
        stars: Stars,
    },
    /// States purchase intent for a look of the joined show.
    Intent {
        /// Makes the write safe to repeat.
        key: IdempotencyKey,
        /// The look wanted.
        look: LookId,
        /// The size wanted.
        size: SizeLabel,
        /// How many units (1 to 20).
        quantity: Quantity,
    },
    /// Lists the shows on the server.
    ListShows,
    /// Organizer: creates a show.
    CreateShow {
        /// The show's id (chosen by the organizer so that a retry cannot create two shows).
        show: ShowId,
        /// The show's title.
        title: String,
        /// The looks in running order.
        lineup: Vec<LookSpec>,
        /// When the show starts by itself.
        scheduled_start: ShowTime,
    },
    /// Organizer: starts, advances, pauses, resumes or ends a show.
    Control {
        /// The show.
        show: ShowId,
        /// What to do.
        action: ShowAction,
    },
}

impl ClientMessage {
    /// The `"type"` tag of this message.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Hello { .. } => "hello",
            Self::Join { .. } => "join",
            Self::Ping { .. } => "ping",
            Self::Rate { .. } => "rate",
            Self::Intent { .. } => "intent",
            Self::ListShows => "list_shows",
            Self::CreateShow { .. } => "create_show",
            Self::Control { .. } => "control",
        }
    }

    /// Every `"type"` a client may send, for error messages and docs.
    pub const TYPES: [&'static str; 8] = [
        "hello",
        "join",
        "ping",
        "rate",
        "intent",
        "list_shows",
        "create_show",
        "control",
    ];
}
