//! Shipping to backers (step 8): tracking states and the transitions allowed between
//! them. A shipment's state is its latest event; events are appended, never edited.

use serde::{Deserialize, Serialize};

/// Where a parcel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentState {
    /// Handed to the carrier with a tracking number.
    Shipped,
    /// Moving through the carrier's network.
    InTransit,
    /// On the delivery vehicle.
    OutForDelivery,
    /// Delivered to the backer.
    Delivered,
    /// Returned to the sender.
    Returned,
}

impl ShipmentState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shipped => "shipped",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::Returned => "returned",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Shipped,
            Self::InTransit,
            Self::OutForDelivery,
            Self::Delivered,
            Self::Returned,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// Whether nothing may follow.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Delivered | Self::Returned)
    }

    /// Whether `next` may follow `current` (`None`: not yet shipped).
    pub fn can_follow(current: Option<Self>, next: Self) -> bool {
        use ShipmentState::*;
        matches!(
            (current, next),
            (None, Shipped)
                | (
                    Some(Shipped),
                    InTransit | OutForDelivery | Delivered | Returned
                )
                | (Some(InTransit), OutForDelivery | Delivered | Returned)
                | (Some(OutForDelivery), Delivered | Returned)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ShipmentState::*;
    use super::*;

    #[test]
    fn shipments_move_forward_only() {
        assert!(ShipmentState::can_follow(None, Shipped));
        assert!(!ShipmentState::can_follow(None, Delivered));
        assert!(ShipmentState::can_follow(Some(InTransit), Delivered));
        assert!(!ShipmentState::can_follow(Some(Delivered), InTransit));
        assert!(!ShipmentState::can_follow(Some(Shipped), Shipped));
        assert!(Returned.is_terminal());
    }
}
