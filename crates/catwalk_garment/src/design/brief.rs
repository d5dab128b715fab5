//! A designer's brief: garment family (or any), style keywords, palette, fit and fabric.

use serde::{Deserialize, Serialize};

use super::BriefError;
use super::colour::Palette;
use super::vocabulary::{FabricPreset, Fit, GarmentKind, StyleKeyword, parse_fabric};
use crate::body::BodyMeasurements;
use crate::grading::SizeChart;

/// What the designer asks for. Build it with [`DesignBrief::new`] (or field by field) and
/// parse user text with [`DesignBrief::parse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignBrief {
    /// The family, or `None` for any (chosen by the keywords).
    pub garment: Option<GarmentKind>,
    /// Occasion and style keywords (see [`StyleKeyword`]).
    pub keywords: Vec<StyleKeyword>,
    /// Colours to choose from.
    pub palette: Palette,
    /// Fit, or `None` to let the keywords choose.
    pub fit: Option<Fit>,
    /// Fabric, or `None` to let the keywords choose.
    pub fabric: Option<FabricPreset>,
    /// The bodies every candidate must draft on: the average body unless set, every size
    /// of a chart after [`DesignBrief::for_sizes`].
    pub bodies: Vec<BodyMeasurements>,
}

impl DesignBrief {
    /// A brief for any garment in `palette`, with no keywords, fit or fabric yet.
    pub fn new(palette: Palette) -> Self {
        Self {
            garment: None,
            keywords: Vec::new(),
            palette,
            fit: None,
            fabric: None,
            bodies: vec![BodyMeasurements::average()],
        }
    }

    /// The brief with candidates required to draft in every size of `chart`, so that each
    /// can be graded.
    pub fn for_sizes(mut self, chart: &SizeChart) -> Self {
        self.bodies = chart.rows().iter().map(|r| r.body).collect();
        self
    }

    /// Parses a brief from the words a designer types: `garment` is a family or `"any"`,
    /// `keywords` are from [`StyleKeyword`], `palette` is a palette name or a list of hex
    /// colours, `fit` and `fabric` may be empty (no preference).
    pub fn parse(
        garment: &str,
        keywords: &[&str],
        palette: &str,
        fit: &str,
        fabric: &str,
    ) -> Result<Self, BriefError> {
        let optional = |s: &str| {
            let t = s.trim();
            (!t.is_empty() && !t.eq_ignore_ascii_case("any")).then_some(t.to_string())
        };
        Ok(Self {
            garment: optional(garment).map(|g| g.parse()).transpose()?,
            keywords: keywords
                .iter()
                .map(|k| k.parse())
                .collect::<Result<_, _>>()?,
            palette: palette.parse()?,
            fit: optional(fit).map(|f| f.parse()).transpose()?,
            fabric: optional(fabric).map(|f| parse_fabric(&f)).transpose()?,
            bodies: vec![BodyMeasurements::average()],
        })
    }
}
