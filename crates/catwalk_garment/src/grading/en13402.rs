//! A size chart from a published standard: the women's letter codes of
//! **EN 13402-3:2004** *Size designation of clothes — Part 3: Measurements and intervals*
//! (clause "letter codes", women), whose primary dimension is the **bust girth**.
//!
//! # What is taken from the standard, and what is derived
//! - **Bust girth (from the standard):** each letter code stands for a bust-girth interval:
//!   XS 74–82, S 82–90, M 90–98, L 98–106, XL 106–118 cm ([`BUST_INTERVALS_CM`]). Each size
//!   is drafted for the middle of its interval (78, 86, 94, 102, 112 cm). These intervals
//!   were taken from a secondary reproduction of the standard's table (the standard's own
//!   text was not available to this project); check them against a purchased copy before a
//!   factory relies on them.
//! - **Waist and hip girths (derived):** the letter codes fix only the bust. Waist and hips
//!   keep the proportions of the house chart's base body
//!   ([`MeasurementSheet::AVERAGE`]: waist = 0.84 × bust, hips = 1.035 × bust).
//! - **Height, lengths and shoulder width (derived):** not part of the letter codes; held at
//!   the house chart's base body (height 172 cm) in every size, as
//!   [`SizeChart::catwalk_base`] does.

use super::GradingError;
use super::chart::{SizeChart, SizeLabel, SizeRow};
use crate::body::{BodyMeasurements, MeasurementSheet};

/// The chart's name, for [`SizeChart::by_name`].
pub const NAME: &str = "en13402-3-women";

/// EN 13402-3:2004 women's letter codes: bust-girth interval (cm) of each size, XS–XL.
pub const BUST_INTERVALS_CM: [(SizeLabel, f64, f64); 5] = [
    (SizeLabel::XS, 74.0, 82.0),
    (SizeLabel::S, 82.0, 90.0),
    (SizeLabel::M, 90.0, 98.0),
    (SizeLabel::L, 98.0, 106.0),
    (SizeLabel::XL, 106.0, 118.0),
];

impl SizeChart {
    /// XS–XL by the women's letter codes of EN 13402-3:2004 (see [the module
    /// docs](super::en13402) for which values come from the standard and which are
    /// derived).
    pub fn en13402_3_women() -> Result<Self, GradingError> {
        let base = MeasurementSheet::AVERAGE;
        let rows = BUST_INTERVALS_CM
            .into_iter()
            .map(|(label, low, high)| {
                let bust = (low + high) / 2.0;
                let sheet = MeasurementSheet {
                    bust,
                    waist: bust * base.waist / base.bust,
                    hips: bust * base.hips / base.bust,
                    ..base
                };
                let body = BodyMeasurements::new(sheet)
                    .map_err(|e| GradingError::BadChart(format!("size {label}: {e}")))?;
                Ok(SizeRow { label, body })
            })
            .collect::<Result<Vec<_>, GradingError>>()?;
        Self::new(
            "EN 13402-3:2004 women's letter codes XS–XL",
            "Bust girth from EN 13402-3:2004, letter codes for women (XS 74–82, S 82–90, \
             M 90–98, L 98–106, XL 106–118 cm; each size drafted at the middle of its \
             interval), as reproduced in a secondary source and not yet checked against \
             the standard's text. Derived, not from the standard: waist = 0.84 × bust and \
             hips = 1.035 × bust (the house base body's proportions); height 172 cm, \
             lengths and shoulder width held at the house base body in every size.",
            SizeLabel::M,
            rows,
        )
    }

    /// The names [`SizeChart::by_name`] knows.
    pub const NAMES: [&'static str; 2] = [super::chart::BASE_NAME, NAME];

    /// A built-in chart by name: `"catwalk-base"` ([`SizeChart::catwalk_base`]) or
    /// `"en13402-3-women"` ([`SizeChart::en13402_3_women`]).
    pub fn by_name(name: &str) -> Result<Self, GradingError> {
        match name.trim().to_ascii_lowercase().as_str() {
            super::chart::BASE_NAME => Self::catwalk_base(),
            NAME => Self::en13402_3_women(),
            _ => Err(GradingError::UnknownChart(name.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_sits_in_its_letter_code_interval() {
        let chart = SizeChart::by_name("EN13402-3-women").expect("chart");
        assert_eq!(chart.rows().len(), 5);
        for (row, (label, low, high)) in chart.rows().iter().zip(BUST_INTERVALS_CM) {
            assert_eq!(row.label, label);
            assert!(row.body.bust() > low && row.body.bust() < high);
        }
    }

    #[test]
    fn an_unknown_chart_name_lists_the_known_ones() {
        let e = SizeChart::by_name("ks-k-0051").expect_err("not built in");
        let text = e.to_string();
        for name in SizeChart::NAMES {
            assert!(text.contains(name), "{text}");
        }
    }
}
