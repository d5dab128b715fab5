//! Grading: the same design drafted for every size of a size chart, or for one person.
//!
//! - [`chart`]: [`SizeLabel`], [`SizeChart`] and what the house chart is based on.
//! - [`en13402`]: the women's letter codes of EN 13402-3:2004, with what is taken from
//!   the standard and what is derived; [`SizeChart::by_name`] picks a built-in chart.
//! - [`grade`] / [`grade_with`]: one pattern per size, checked to have the same panels and
//!   seams in every size.
//!
//! Made to measure needs no grading: draft the design for the person's checked
//! [`BodyMeasurements`] with
//! [`GarmentDesign::draft`](crate::design::GarmentDesign::draft).

pub mod chart;
pub mod en13402;

pub use chart::{GIRTH_GRADE_CM, SizeChart, SizeLabel, SizeRow};

use crate::body::BodyMeasurements;
use crate::design::GarmentDesign;
use crate::pattern::Pattern;
use crate::programs::DesignError;

/// Why a design could not be graded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GradingError {
    /// A size label outside XS–XL.
    #[error("unknown size \"{0}\"; use one of XS, S, M, L, XL")]
    UnknownSize(String),
    /// No built-in chart has this name.
    #[error("unknown size chart \"{0}\"; use one of: {names}", names = SizeChart::NAMES.join(", "))]
    UnknownChart(String),
    /// The chart's rows are not usable.
    #[error("the size chart is not usable: {0}")]
    BadChart(String),
    /// The design does not draft for one size.
    #[error("size {size}: {reason}; change the design or leave this size out of the chart")]
    SizeDoesNotFit {
        /// The size.
        size: SizeLabel,
        /// The program's error.
        reason: DesignError,
    },
    /// Sizes came out with different pieces or seams (a bug in a program; please report it).
    #[error("size {size} has different pieces or seams than size {base}; please report this")]
    Inconsistent {
        /// The size that differs.
        size: SizeLabel,
        /// The first size drafted.
        base: SizeLabel,
    },
}

/// One size of a graded design.
#[derive(Debug, Clone, PartialEq)]
pub struct GradedSize {
    /// The size.
    pub label: SizeLabel,
    /// The body it was drafted for.
    pub body: BodyMeasurements,
    /// The pattern.
    pub pattern: Pattern,
}

/// Drafts `design` for every size of `chart`, smallest first.
pub fn grade(design: &GarmentDesign, chart: &SizeChart) -> Result<Vec<GradedSize>, GradingError> {
    grade_with(chart, |body| design.draft(body))
}

/// Drafts every size of `chart` with `draft` (for example a candidate design's
/// [`pattern`](crate::design::DesignCandidate::pattern), which also sets the fabric), and
/// checks that every size has the same panels (by name) and the same seams.
pub fn grade_with(
    chart: &SizeChart,
    draft: impl Fn(&BodyMeasurements) -> Result<Pattern, DesignError>,
) -> Result<Vec<GradedSize>, GradingError> {
    let mut sizes: Vec<GradedSize> = Vec::with_capacity(chart.rows().len());
    for row in chart.rows() {
        let pattern = draft(&row.body).map_err(|reason| GradingError::SizeDoesNotFit {
            size: row.label,
            reason,
        })?;
        if let Some(first) = sizes.first() {
            let names = |p: &Pattern| p.panels.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
            if names(&first.pattern) != names(&pattern)
                || first.pattern.stitches != pattern.stitches
            {
                return Err(GradingError::Inconsistent {
                    size: row.label,
                    base: first.label,
                });
            }
        }
        sizes.push(GradedSize {
            label: row.label,
            body: row.body,
            pattern,
        });
    }
    Ok(sizes)
}
