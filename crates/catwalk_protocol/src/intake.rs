//! Events the show server forwards to the production backend through its transactional
//! outbox. Each carries an [`EventId`]; the intake stores it and ignores repeats, so a
//! retried delivery is counted once.

use serde::{Deserialize, Serialize};

use crate::ids::{EventId, LookId, ShowId, ViewerId};
use crate::values::{Quantity, ShowTime, SizeLabel};

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IntakeEventKind {
    /// A viewer said they would buy a look in a size and quantity.
    PurchaseIntent {
        /// The look.
        look: LookId,
        /// The designer credited for the look.
        designer: String,
        /// The garment reference of the look.
        garment: String,
        /// The size wanted.
        size: SizeLabel,
        /// How many units.
        quantity: Quantity,
    },
}

/// One event posted to the production intake (`POST /intake/events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeEvent {
    /// Unique id; the intake de-duplicates by it.
    pub event_id: EventId,
    /// The show where it happened.
    pub show: ShowId,
    /// Who expressed it (so the pre-order campaign can reach them later).
    pub viewer: ViewerId,
    /// When the show server made it durable.
    pub occurred_at: ShowTime,
    /// What happened.
    #[serde(flatten)]
    pub kind: IntakeEventKind,
}
