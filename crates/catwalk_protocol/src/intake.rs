//! Events the show server forwards to the production backend through its transactional
//! outbox: purchase intents and star ratings. Each carries an [`EventId`]; the intake
//! stores it and ignores repeats, so a retried delivery is counted once.

use serde::{Deserialize, Serialize};

use crate::ids::{EventId, LookId, ShowId, ViewerId};
use crate::values::{Quantity, ShowTime, SizeLabel, Stars};

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
    /// A viewer rated a look; it replaces that viewer's previous rating of the same look.
    Rating {
        /// The look.
        look: LookId,
        /// The designer credited for the look.
        designer: String,
        /// The garment reference of the look.
        garment: String,
        /// The rating, 1 to 5 stars.
        stars: Stars,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_events_round_trip_beside_intents() {
        let json = r#"{"event_id":"rating-1","show":"s","viewer":"v","occurred_at":5,
            "kind":"rating","look":"look-1","designer":"d","garment":"g","stars":4}"#;
        let event: IntakeEvent = serde_json::from_str(json).expect("a valid rating event");
        assert!(matches!(
            event.kind,
            IntakeEventKind::Rating { ref stars, .. } if stars.get() == 4
        ));
        let back: IntakeEvent =
            serde_json::from_str(&serde_json::to_string(&event).expect("serializes"))
                .expect("reads back");
        assert_eq!(back, event);
        let bad = json.replace("\"stars\":4", "\"stars\":9");
        assert!(serde_json::from_str::<IntakeEvent>(&bad).is_err());
    }
}
