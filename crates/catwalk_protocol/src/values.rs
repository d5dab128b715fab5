//! Validated values: star ratings, garment sizes, order quantities, roles and the shared
//! show clock's time stamps.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a value is out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// A star rating outside 1..=5.
    #[error("a rating is 1 to 5 stars; got {0}")]
    Stars(i64),
    /// A purchase quantity outside 1..=max.
    #[error("a purchase intent is for 1 to {max} units; got {got}")]
    Quantity {
        /// The requested quantity.
        got: i64,
        /// The largest quantity accepted.
        max: u32,
    },
}

/// A star rating, 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Stars(u8);

impl Stars {
    /// Validates a rating.
    pub fn new(stars: i64) -> Result<Self, ValueError> {
        match stars {
            1..=5 => Ok(Self(stars as u8)),
            _ => Err(ValueError::Stars(stars)),
        }
    }

    /// The number of stars, 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Stars {
    type Error = ValueError;
    fn try_from(v: i64) -> Result<Self, ValueError> {
        Self::new(v)
    }
}

impl From<Stars> for u8 {
    fn from(s: Stars) -> u8 {
        s.0
    }
}

/// How many units one purchase intent may ask for.
pub const MAX_QUANTITY: u32 = 20;

/// A purchase quantity, 1 to [`MAX_QUANTITY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct Quantity(u32);

impl Quantity {
    /// Validates a quantity.
    pub fn new(q: i64) -> Result<Self, ValueError> {
        if (1..=i64::from(MAX_QUANTITY)).contains(&q) {
            Ok(Self(q as u32))
        } else {
            Err(ValueError::Quantity {
                got: q,
                max: MAX_QUANTITY,
            })
        }
    }

    /// The number of units.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Quantity {
    type Error = ValueError;
    fn try_from(v: i64) -> Result<Self, ValueError> {
        Self::new(v)
    }
}

impl From<Quantity> for u32 {
    fn from(q: Quantity) -> u32 {
        q.0
    }
}

/// A garment size label on the common international scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SizeLabel {
    /// Extra small.
    XS,
    /// Small.
    S,
    /// Medium.
    M,
    /// Large.
    L,
    /// Extra large.
    XL,
    /// Double extra large.
    XXL,
}

impl SizeLabel {
    /// Every size, smallest first.
    pub const ALL: [SizeLabel; 6] = [Self::XS, Self::S, Self::M, Self::L, Self::XL, Self::XXL];

    /// The label as written on the wire and on tags.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::XS => "XS",
            Self::S => "S",
            Self::M => "M",
            Self::L => "L",
            Self::XL => "XL",
            Self::XXL => "XXL",
        }
    }

    /// Parses a label such as `"M"`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for SizeLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a connection speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Watches shows, rates looks and states purchase intent.
    Audience,
    /// Watches their own designs on the runway; may rate and state intent like the audience.
    Designer,
    /// Creates and runs shows; needs a token signed with the server's admin key.
    Organizer,
}

/// A time stamp on the server's show clock: microseconds since the Unix epoch as the server
/// counts them. Clients follow this clock with [`crate::ClockEstimator`]; every scheduled
/// change (a look change, a show start) is stated as a `ShowTime`, so all clients act at the
/// same moment however late the message reached them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct ShowTime(pub u64);

impl ShowTime {
    /// From milliseconds since the Unix epoch.
    pub fn from_millis(ms: u64) -> Self {
        Self(ms * 1000)
    }

    /// Microseconds since the Unix epoch.
    pub fn micros(self) -> u64 {
        self.0
    }

    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> u64 {
        self.0 / 1000
    }

    /// This time plus `ms` milliseconds.
    pub fn plus_millis(self, ms: u64) -> Self {
        Self(self.0.saturating_add(ms * 1000))
    }

    /// Microseconds from `earlier` to `self`, zero if `earlier` is later.
    pub fn micros_since(self, earlier: ShowTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_are_one_to_five() {
        assert!(Stars::new(0).is_err());
        assert!(Stars::new(6).is_err());
        assert!(Stars::new(-1).is_err());
        assert_eq!(Stars::new(5).map(Stars::get), Ok(5));
        assert!(serde_json::from_str::<Stars>("6").is_err());
        assert!(serde_json::from_str::<Stars>("2.5").is_err());
    }

    #[test]
    fn quantity_is_bounded() {
        assert!(Quantity::new(0).is_err());
        assert!(Quantity::new(i64::from(MAX_QUANTITY) + 1).is_err());
        assert_eq!(Quantity::new(3).map(Quantity::get), Ok(3));
    }

    #[test]
    fn sizes_round_trip() {
        for s in SizeLabel::ALL {
            assert_eq!(SizeLabel::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).expect("serializes");
            assert_eq!(serde_json::from_str::<SizeLabel>(&json).ok(), Some(s));
        }
        assert!(serde_json::from_str::<SizeLabel>("\"XXXL\"").is_err());
    }
}
