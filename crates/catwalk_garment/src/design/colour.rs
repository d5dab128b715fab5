//! Colours and palettes of a brief: hex colours with an everyday name for descriptions,
//! and a few named palettes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::BriefError;
use super::vocabulary::known;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Colour {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

/// Colour names used in descriptions: the nearest of these names a colour.
const NAMED_COLOURS: [(&str, [u8; 3]); 20] = [
    ("black", [0x11, 0x11, 0x11]),
    ("charcoal", [0x36, 0x45, 0x4F]),
    ("grey", [0x80, 0x80, 0x80]),
    ("white", [0xFA, 0xFA, 0xFA]),
    ("ivory", [0xF5, 0xEE, 0xDC]),
    ("beige", [0xD8, 0xC3, 0xA5]),
    ("camel", [0xC1, 0x9A, 0x6B]),
    ("brown", [0x6B, 0x44, 0x23]),
    ("navy", [0x1F, 0x2A, 0x44]),
    ("blue", [0x2E, 0x5E, 0xAA]),
    ("sky blue", [0x87, 0xCE, 0xEB]),
    ("emerald", [0x1B, 0x7F, 0x5B]),
    ("olive", [0x6B, 0x70, 0x3A]),
    ("sage", [0xB2, 0xC2, 0xA8]),
    ("burgundy", [0x80, 0x20, 0x30]),
    ("red", [0xC8, 0x1D, 0x25]),
    ("blush pink", [0xF2, 0xC4, 0xCE]),
    ("mustard", [0xD4, 0xA0, 0x17]),
    ("lavender", [0xC8, 0xB6, 0xE2]),
    ("plum", [0x5E, 0x2B, 0x5C]),
];

impl Colour {
    /// The colour `#RRGGBB`.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b }
    }

    /// Relative lightness in `[0, 1]` (Rec. 709 luma of the sRGB values).
    pub fn lightness(self) -> f64 {
        (0.2126 * f64::from(self.r) + 0.7152 * f64::from(self.g) + 0.0722 * f64::from(self.b))
            / 255.0
    }

    /// The nearest everyday colour name ("navy", "ivory").
    pub fn name(self) -> &'static str {
        let d = |c: [u8; 3]| {
            (i32::from(self.r) - i32::from(c[0])).pow(2)
                + (i32::from(self.g) - i32::from(c[1])).pow(2)
                + (i32::from(self.b) - i32::from(c[2])).pow(2)
        };
        NAMED_COLOURS
            .iter()
            .min_by_key(|(_, c)| d(*c))
            .map_or("black", |(n, _)| n)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

impl FromStr for Colour {
    type Err = BriefError;
    /// `#RRGGBB` or `RRGGBB`.
    fn from_str(s: &str) -> Result<Self, BriefError> {
        let hex = s.trim().trim_start_matches('#');
        let bad = || BriefError::BadColour(s.to_string());
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Self::rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

/// Named palettes a brief may ask for instead of listing colours.
pub const NAMED_PALETTES: [(&str, &[&str]); 5] = [
    (
        "neutrals",
        &["#1F2A44", "#111111", "#36454F", "#D8C3A5", "#F5EEDC"],
    ),
    (
        "jewel",
        &["#1B7F5B", "#802030", "#5E2B5C", "#1F2A44", "#D4A017"],
    ),
    (
        "pastel",
        &["#F2C4CE", "#C8B6E2", "#87CEEB", "#B2C2A8", "#F5EEDC"],
    ),
    ("monochrome", &["#111111", "#36454F", "#808080", "#FAFAFA"]),
    (
        "earth",
        &["#6B4423", "#C19A6B", "#6B703A", "#D4A017", "#F5EEDC"],
    ),
];

/// The colours a design may be made in (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Palette(Vec<Colour>);

impl Palette {
    /// A palette of the given colours; an empty list is refused.
    pub fn new(colours: Vec<Colour>) -> Result<Self, BriefError> {
        if colours.is_empty() {
            return Err(BriefError::EmptyPalette);
        }
        Ok(Self(colours))
    }

    /// One of [`NAMED_PALETTES`].
    pub fn named(name: &str) -> Result<Self, BriefError> {
        let word = name.trim().to_ascii_lowercase();
        let (_, hexes) = NAMED_PALETTES
            .iter()
            .find(|(n, _)| *n == word)
            .ok_or_else(|| BriefError::UnknownPalette {
                given: name.to_string(),
                known: known(NAMED_PALETTES.map(|(n, _)| n)),
            })?;
        let colours = hexes
            .iter()
            .map(|h| h.parse())
            .collect::<Result<Vec<Colour>, _>>()?;
        Self::new(colours)
    }

    /// The colours.
    pub fn colours(&self) -> &[Colour] {
        &self.0
    }
}

impl FromStr for Palette {
    type Err = BriefError;
    /// A palette name, or colours as hex separated by commas or spaces.
    fn from_str(s: &str) -> Result<Self, BriefError> {
        if s.contains('#') || s.contains(',') {
            let colours = s
                .split([',', ' '])
                .filter(|p| !p.trim().is_empty())
                .map(str::parse)
                .collect::<Result<Vec<Colour>, _>>()?;
            Self::new(colours)
        } else {
            Self::named(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_name_themselves() {
        let navy: Colour = "#1f2a44".parse().expect("hex");
        assert_eq!(navy.name(), "navy");
        assert_eq!(navy.to_string(), "#1F2A44");
        assert!(navy.lightness() < 0.2);
        assert!("#12345".parse::<Colour>().is_err());
        assert!("#GG0000".parse::<Colour>().is_err());
    }

    #[test]
    fn palettes_by_name_or_by_list() {
        assert_eq!(Palette::named("jewel").expect("known").colours().len(), 5);
        let p: Palette = "#111111, #FAFAFA".parse().expect("list");
        assert_eq!(p.colours().len(), 2);
        let e = "sunset".parse::<Palette>().expect_err("unknown");
        assert!(e.to_string().contains("neutrals, jewel"), "{e}");
    }
}
