//! Generative design: from a designer's brief (garment family, occasion and style
//! keywords, palette, fit, fabric) to N diverse candidate designs that all draft valid
//! patterns, each with a colour, a fabric preset and a one-line description.
//!
//! - [`vocabulary`]: the words of a brief ([`GarmentKind`], [`StyleKeyword`], [`Fit`],
//!   [`FabricPreset`]).
//! - [`colour`]: [`Colour`] and [`Palette`].
//! - [`brief`](mod@brief): [`DesignBrief`].
//! - [`garment`]: [`GarmentDesign`] (any family) and the normalised [`DesignAxes`].
//! - [`proportion`]: a design's lengths kept in proportion on every body.
//! - [`priors`]: what each keyword does to the axes, as a documented table.
//! - [`candidate`]: [`DesignCandidate`] and its description.
//! - [`generate`](mod@generate): sampling, validity and diversity ([`generate()`]).
//! - [`rng`]: the seeded generator ([`DesignRng`]).

pub mod brief;
pub mod candidate;
pub mod colour;
pub mod garment;
pub mod generate;
pub mod priors;
pub mod proportion;
pub mod rng;
pub mod vocabulary;

pub use brief::DesignBrief;
pub use candidate::DesignCandidate;
pub use colour::{Colour, Palette};
pub use garment::{DesignAxes, GarmentDesign, NecklineShape};
pub use generate::{DesignSampler, generate};
pub use rng::DesignRng;
pub use vocabulary::{FabricPreset, Fit, GarmentKind, StyleKeyword, parse_fabric};

/// Why a brief could not be read or could not produce designs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BriefError {
    /// A style keyword outside the vocabulary.
    #[error("unknown style keyword \"{given}\"; use one of: {known}")]
    UnknownKeyword {
        /// What was given.
        given: String,
        /// The known keywords, comma-separated.
        known: String,
    },
    /// A garment family that no program drafts.
    #[error("unknown garment \"{given}\"; use one of: {known}, or \"any\"")]
    UnknownGarment {
        /// What was given.
        given: String,
        /// The known families.
        known: String,
    },
    /// An unknown fit.
    #[error("unknown fit \"{given}\"; use one of: {known}")]
    UnknownFit {
        /// What was given.
        given: String,
        /// The known fits.
        known: String,
    },
    /// An unknown fabric preset.
    #[error("unknown fabric \"{given}\"; use one of: {known}")]
    UnknownFabric {
        /// What was given.
        given: String,
        /// The known presets.
        known: String,
    },
    /// An unknown palette name.
    #[error("unknown palette \"{given}\"; use one of: {known}, or list colours as #RRGGBB")]
    UnknownPalette {
        /// What was given.
        given: String,
        /// The known palette names.
        known: String,
    },
    /// A colour that is not `#RRGGBB`.
    #[error("colour \"{0}\" is not a hex colour; write it as #RRGGBB, e.g. #1F2A44")]
    BadColour(String),
    /// A palette with no colours.
    #[error("the palette has no colours; give at least one #RRGGBB colour or a palette name")]
    EmptyPalette,
    /// Draws kept failing to draft.
    #[error(
        "no valid design after {attempts} draws (last failure: {last}); the brief's bodies \
         may be too small or too large for these keywords — try fewer keywords or another garment"
    )]
    NoValidDesign {
        /// Draws tried.
        attempts: usize,
        /// The last program error.
        last: String,
    },
}
