//! Size labels and size charts: one checked body per size.
//!
//! # What [`SizeChart::catwalk_base`] is based on
//! The house chart is **not** a national standard (for one, see
//! [`SizeChart::en13402_3_women`]). It is built explicitly:
//! - base size **M** is the average body used everywhere else in this crate
//!   ([`MeasurementSheet::AVERAGE`]: bust 100, waist 84, hips 103.5 cm, height 172 cm);
//! - bust, waist and hip girths change by **4 cm per size** ([`GIRTH_GRADE_CM`]), the
//!   common industry grading rule for the middle of a size range;
//! - every length (height, arm, inseam, waist height, hip depth) and the shoulder width are
//!   **held at the base size's values**. Real charts grade those too (taller and broader
//!   with size); this chart does not, because we have no sourced increments for them.
//!
//! A chart from a real standard can be given row by row with [`SizeChart::new`], which
//! checks every body like any other measurement sheet.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::GradingError;
use crate::body::{BodyMeasurements, MeasurementSheet};

/// The house chart's name, for [`SizeChart::by_name`].
pub const BASE_NAME: &str = "catwalk-base";

/// Girth change per size of the built-in chart (cm), for bust, waist and hips.
pub const GIRTH_GRADE_CM: f64 = 4.0;

/// A letter size.
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
}

impl SizeLabel {
    /// XS to XL, smallest first.
    pub const ALL: [SizeLabel; 5] = [Self::XS, Self::S, Self::M, Self::L, Self::XL];

    /// The label as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::XS => "XS",
            Self::S => "S",
            Self::M => "M",
            Self::L => "L",
            Self::XL => "XL",
        }
    }

    /// Sizes above (positive) or below M.
    pub fn steps_from_m(self) -> i32 {
        self as i32 - Self::M as i32
    }
}

impl fmt::Display for SizeLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SizeLabel {
    type Err = GradingError;
    fn from_str(s: &str) -> Result<Self, GradingError> {
        let t = s.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == t)
            .ok_or_else(|| GradingError::UnknownSize(s.to_string()))
    }
}

/// One row of a size chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SizeRow {
    /// The size.
    pub label: SizeLabel,
    /// The body the size is drafted for.
    pub body: BodyMeasurements,
}

/// A size chart: named, with its basis stated, rows smallest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeChart {
    /// Short name (`"Catwalk base chart"`, `"KS K 0051:2019 women"`).
    pub name: String,
    /// Where the numbers come from, stated honestly.
    pub basis: String,
    /// The sample (base) size patterns are checked at first.
    pub base: SizeLabel,
    rows: Vec<SizeRow>,
}

impl SizeChart {
    /// A chart of the given rows; sizes must be distinct, in ascending order, and include
    /// `base`.
    pub fn new(
        name: impl Into<String>,
        basis: impl Into<String>,
        base: SizeLabel,
        rows: Vec<SizeRow>,
    ) -> Result<Self, GradingError> {
        if rows.windows(2).any(|w| w[0].label >= w[1].label) {
            return Err(GradingError::BadChart(
                "list each size once, smallest first".to_string(),
            ));
        }
        if !rows.iter().any(|r| r.label == base) {
            return Err(GradingError::BadChart(format!(
                "the base size {base} has no row; add it or choose another base"
            )));
        }
        Ok(Self {
            name: name.into(),
            basis: basis.into(),
            base,
            rows,
        })
    }

    /// The built-in XS–XL chart (see the module header for exactly what it is based on).
    pub fn catwalk_base() -> Result<Self, GradingError> {
        let rows = SizeLabel::ALL
            .into_iter()
            .map(|label| {
                let step = f64::from(label.steps_from_m()) * GIRTH_GRADE_CM;
                let sheet = MeasurementSheet {
                    bust: MeasurementSheet::AVERAGE.bust + step,
                    waist: MeasurementSheet::AVERAGE.waist + step,
                    hips: MeasurementSheet::AVERAGE.hips + step,
                    ..MeasurementSheet::AVERAGE
                };
                let body = BodyMeasurements::new(sheet)
                    .map_err(|e| GradingError::BadChart(format!("size {label}: {e}")))?;
                Ok(SizeRow { label, body })
            })
            .collect::<Result<Vec<_>, GradingError>>()?;
        Self::new(
            "Catwalk base chart XS–XL",
            "Not a national standard. Base size M is the crate's average body (bust 100, \
             waist 84, hips 103.5 cm, height 172 cm); bust, waist and hips change by 4 cm per \
             size (a common industry grading rule); lengths and shoulder width are held at \
             size M.",
            SizeLabel::M,
            rows,
        )
    }

    /// The rows, smallest first.
    pub fn rows(&self) -> &[SizeRow] {
        &self.rows
    }

    /// The body of one size.
    pub fn body(&self, label: SizeLabel) -> Option<&BodyMeasurements> {
        self.rows.iter().find(|r| r.label == label).map(|r| &r.body)
    }
}
