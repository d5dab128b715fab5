//! Cut-ready pattern export for the factory.
//!
//! - [`piece`]: a panel prepared for cutting (cut line, sew line, grain, notches), shared by
//!   both writers.
//! - [`svg`]: one SVG sheet at 1:1 scale in cm with cut lines (seam allowance), sew lines,
//!   grain-line arrows, notches at stitch ends and a name and size label per piece.
//! - [`label`]: fitting each piece's label inside the piece.
//! - [`dxf`]: AAMA/ASTM D6673-style DXF (R12) for factory CAD, one block per piece, in mm.

pub mod dxf;
pub mod label;
pub mod piece;
pub mod svg;

pub use dxf::{DxfOptions, pattern_dxf};
pub use svg::{SvgOptions, pattern_svg};

/// Why a pattern could not be exported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// The pattern is invalid.
    #[error(transparent)]
    Pattern(#[from] crate::PatternError),
}
