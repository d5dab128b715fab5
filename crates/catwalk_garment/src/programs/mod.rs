//! Parametric garment programs: a design (style and parameters, each with a documented
//! range) plus [`BodyMeasurements`](crate::BodyMeasurements) in, a validated
//! [`Pattern`](crate::Pattern) out.
//!
//! - [`params`]: parameter ranges and the error for out-of-range values.
//! - [`skirt`](mod@skirt): the skirt family (pencil, A-line, circle).
//! - [`top`](mod@top): tops with neckline and sleeve variants.
//! - [`dress`](mod@dress): a bodice sewn to a skirt.
//! - [`trousers`](mod@trousers): trousers and shorts.

pub mod dress;
pub mod params;
pub mod skirt;
mod sleeve;
pub mod top;
pub mod trousers;

pub use dress::{DressDesign, dress};
pub use params::{ParamError, ParamRange};
pub use skirt::{SkirtDesign, SkirtStyle, skirt};
pub use top::{Neckline, SleeveStyle, TopDesign, top};
pub use trousers::{TrousersDesign, trousers};

/// Why a garment program could not draft a pattern.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesignError {
    /// A design parameter is out of its range.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The parameters are each in range but do not fit this body.
    #[error("{0}")]
    DoesNotFit(String),
    /// The drafted pattern failed validation (a bug in the program; please report it).
    #[error("the drafted pattern is invalid: {0}")]
    Invalid(#[from] crate::PatternError),
}
