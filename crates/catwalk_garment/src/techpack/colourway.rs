//! Colourways of a style: the same garment in other colours. The design's own colour is
//! the main colourway; the caller may add others. Colours are validated `#RRGGBB` hex, so
//! they can be printed as swatches.

use serde::{Deserialize, Serialize};

use crate::design::{Colour, DesignCandidate, FabricPreset};

/// Why a colourway was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ColourwayError {
    /// The colour is not `#RRGGBB`.
    #[error(
        "colourway \"{name}\" has colour \"{given}\", which is not a hex colour; write it as \
         #RRGGBB, e.g. #1F2A44"
    )]
    BadHex {
        /// The colourway's name.
        name: String,
        /// What was given.
        given: String,
    },
    /// The name is empty.
    #[error("a colourway needs a name (e.g. \"Midnight\"); got an empty one for {hex}")]
    EmptyName {
        /// The colour given.
        hex: String,
    },
}

/// One colourway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colourway {
    /// Name on the line sheet (`"Main — navy"`, `"Emerald"`).
    pub name: String,
    /// Colour as `#RRGGBB` (upper case).
    pub hex: String,
    /// Fabric it is made in.
    pub fabric: FabricPreset,
    /// A colour-system reference (Pantone-like) agreed with the mill; empty until then.
    #[serde(default)]
    pub pantone: String,
}

impl Colourway {
    /// A colourway named `name` in colour `hex` (`#RRGGBB` or `RRGGBB`) and `fabric`.
    pub fn new(name: &str, hex: &str, fabric: FabricPreset) -> Result<Self, ColourwayError> {
        let colour: Colour = hex.parse().map_err(|_| ColourwayError::BadHex {
            name: name.to_string(),
            given: hex.to_string(),
        })?;
        if name.trim().is_empty() {
            return Err(ColourwayError::EmptyName {
                hex: colour.to_string(),
            });
        }
        Ok(Self {
            name: name.trim().to_string(),
            hex: colour.to_string(),
            fabric,
            pantone: String::new(),
        })
    }

    /// The main colourway of a design: its own colour and fabric, named
    /// `"Main — <colour name>"`.
    pub fn main_of(design: &DesignCandidate) -> Self {
        Self {
            name: format!("Main — {}", design.colour.name()),
            hex: design.colour.to_string(),
            fabric: design.fabric,
            pantone: String::new(),
        }
    }

    /// The colour, if `hex` is valid (it is for colourways made by [`Colourway::new`]).
    pub fn colour(&self) -> Option<Colour> {
        self.hex.parse().ok()
    }
}

/// The colourways of `design`: its main colourway first, then one per `(name, hex)` in
/// `extra`, each in the design's fabric.
pub fn colourways_for(
    design: &DesignCandidate,
    extra: &[(&str, &str)],
) -> Result<Vec<Colourway>, ColourwayError> {
    let mut all = vec![Colourway::main_of(design)];
    for (name, hex) in extra {
        all.push(Colourway::new(name, hex, design.fabric)?);
    }
    Ok(all)
}
