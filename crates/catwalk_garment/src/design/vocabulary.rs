//! The words a designer's brief is written in: garment kinds, style keywords, fits and
//! fabric presets (colours are in [`super::colour`]). Each parses from the text a designer types and says which words
//! it knows when it does not recognise one.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::BriefError;

/// The garment families the programs can draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GarmentKind {
    /// Drafted by [`skirt`](fn@crate::programs::skirt).
    Skirt,
    /// Drafted by [`top`](fn@crate::programs::top).
    Top,
    /// Drafted by [`dress`](fn@crate::programs::dress).
    Dress,
    /// Drafted by [`trousers`](fn@crate::programs::trousers).
    Trousers,
}

impl GarmentKind {
    /// Every kind, in a fixed order (the order of one-hot features).
    pub const ALL: [GarmentKind; 4] = [Self::Skirt, Self::Top, Self::Dress, Self::Trousers];

    /// The word used in briefs and descriptions.
    pub fn name(self) -> &'static str {
        match self {
            Self::Skirt => "skirt",
            Self::Top => "top",
            Self::Dress => "dress",
            Self::Trousers => "trousers",
        }
    }

    /// Position in [`GarmentKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl FromStr for GarmentKind {
    type Err = BriefError;
    fn from_str(s: &str) -> Result<Self, BriefError> {
        find_by_name(s, Self::ALL, Self::name, |given, known| {
            BriefError::UnknownGarment { given, known }
        })
    }
}

/// Occasion and style keywords. Their effect on the design parameters is the table in
/// [`super::priors`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StyleKeyword {
    /// Occasion: evening wear.
    Evening,
    /// Occasion: the office.
    Office,
    /// Occasion: every day.
    Casual,
    /// Occasion: a party.
    Party,
    /// Occasion: a wedding (as a guest or the bride).
    Wedding,
    /// Style: clean lines, little volume.
    Minimal,
    /// Style: soft, flowing, feminine.
    Romantic,
    /// Style: athletic, easy to move in.
    Sporty,
    /// Style: streetwear, oversized.
    Street,
}

impl StyleKeyword {
    /// Every keyword, in vocabulary order.
    pub const ALL: [StyleKeyword; 9] = [
        Self::Evening,
        Self::Office,
        Self::Casual,
        Self::Party,
        Self::Wedding,
        Self::Minimal,
        Self::Romantic,
        Self::Sporty,
        Self::Street,
    ];

    /// The word used in briefs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Evening => "evening",
            Self::Office => "office",
            Self::Casual => "casual",
            Self::Party => "party",
            Self::Wedding => "wedding",
            Self::Minimal => "minimal",
            Self::Romantic => "romantic",
            Self::Sporty => "sporty",
            Self::Street => "street",
        }
    }

    /// How a description ends for this keyword ("for the office", "street style").
    pub fn phrase(self) -> &'static str {
        match self {
            Self::Evening => "for the evening",
            Self::Office => "for the office",
            Self::Casual => "for every day",
            Self::Party => "for a party",
            Self::Wedding => "for a wedding",
            Self::Minimal => "minimal style",
            Self::Romantic => "romantic style",
            Self::Sporty => "sporty style",
            Self::Street => "street style",
        }
    }

    /// Whether the keyword names an occasion (rather than a style).
    pub fn is_occasion(self) -> bool {
        matches!(
            self,
            Self::Evening | Self::Office | Self::Casual | Self::Party | Self::Wedding
        )
    }
}

impl FromStr for StyleKeyword {
    type Err = BriefError;
    fn from_str(s: &str) -> Result<Self, BriefError> {
        find_by_name(s, Self::ALL, Self::name, |given, known| {
            BriefError::UnknownKeyword { given, known }
        })
    }
}

/// How closely the garment follows the body: sets the ease parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Fit {
    /// Little ease.
    Slim,
    /// Usual ease.
    Regular,
    /// Generous ease.
    Relaxed,
}

impl Fit {
    /// Every fit.
    pub const ALL: [Fit; 3] = [Self::Slim, Self::Regular, Self::Relaxed];

    /// The word used in briefs and descriptions.
    pub fn name(self) -> &'static str {
        match self {
            Self::Slim => "slim",
            Self::Regular => "regular",
            Self::Relaxed => "relaxed",
        }
    }

    /// The band of the normalised fit axis (0 tightest, 1 loosest) this fit covers.
    pub fn band(self) -> (f64, f64) {
        match self {
            Self::Slim => (0.0, 1.0 / 3.0),
            Self::Regular => (1.0 / 3.0, 2.0 / 3.0),
            Self::Relaxed => (2.0 / 3.0, 1.0),
        }
    }

    /// The fit whose band holds `axis`.
    pub fn from_axis(axis: f64) -> Self {
        if axis < 1.0 / 3.0 {
            Self::Slim
        } else if axis < 2.0 / 3.0 {
            Self::Regular
        } else {
            Self::Relaxed
        }
    }
}

impl FromStr for Fit {
    type Err = BriefError;
    fn from_str(s: &str) -> Result<Self, BriefError> {
        find_by_name(s, Self::ALL, Self::name, |given, known| {
            BriefError::UnknownFit { given, known }
        })
    }
}

/// The fabric presets: the simulator's own list, so a design's fabric is exactly the one
/// the cloth is simulated with.
pub use catwalk_cloth::FabricPreset;

/// Reads a fabric name in any common spelling, or says which names exist.
pub fn parse_fabric(s: &str) -> Result<FabricPreset, BriefError> {
    FabricPreset::parse(s).ok_or_else(|| BriefError::UnknownFabric {
        given: s.to_string(),
        known: known(FabricPreset::ALL.map(FabricPreset::label)),
    })
}

/// The entry of `all` whose name is `s` (case-insensitive), or `unknown(given, known names)`.
fn find_by_name<T: Copy, const N: usize>(
    s: &str,
    all: [T; N],
    name: fn(T) -> &'static str,
    unknown: fn(String, String) -> BriefError,
) -> Result<T, BriefError> {
    let word = s.trim().to_ascii_lowercase();
    all.into_iter()
        .find(|k| name(*k) == word)
        .ok_or_else(|| unknown(s.to_string(), known(all.map(name))))
}

pub(crate) fn known<const N: usize>(names: [&str; N]) -> String {
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fabric_names_accept_underscores() {
        assert_eq!(parse_fabric("wool_suiting"), Ok(FabricPreset::WoolSuiting));
        let err = parse_fabric("velvet").expect_err("unknown");
        assert!(err.to_string().contains("silk chiffon"), "{err}");
    }
}
