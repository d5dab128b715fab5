//! The graded measurement spec of a tech pack: points of measure (POM) on the finished
//! garment, each with how to measure it, a ± tolerance and its value in every size.
//!
//! Values are measured on the pattern at the seam line (seam allowance excluded), as the
//! total length of an edge group over all panels. Tolerances are this house's defaults
//! (girths ±1 cm, hem ±1.5 cm, neckline and sleeve openings ±0.5 cm), not taken from a
//! standard; change them per style when the factory agrees others.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::grading::{GradedSize, SizeChart};
use crate::pattern::Pattern;

/// One point of measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointOfMeasure {
    /// Short code (`"WAIST"`).
    pub code: String,
    /// How to measure it.
    pub how_to_measure: String,
    /// Allowed deviation either way (cm).
    pub tolerance_cm: f64,
    /// Value per size label (cm).
    pub values: BTreeMap<String, f64>,
}

/// The graded spec: every point of measure in every size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasurementSpec {
    /// The sample size the factory checks first.
    pub base_size: String,
    /// Sizes, smallest first.
    pub sizes: Vec<String>,
    /// Points of measure.
    pub points: Vec<PointOfMeasure>,
    /// The size chart the sizes were graded by, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<ChartSource>,
}

/// Which size chart a spec was graded by, and what its numbers are based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSource {
    /// The chart's name ([`SizeChart::name`]).
    pub name: String,
    /// Its stated basis ([`SizeChart::basis`]).
    pub basis: String,
}

/// A point of measure as the total length of an edge group.
struct PomRule {
    code: &'static str,
    how: &'static str,
    groups: &'static [&'static str],
    /// Count only edges that are not sewn to another edge (openings).
    open_only: bool,
    tolerance_cm: f64,
    /// The share of the total the point is (the slits: one edge of four).
    share: f64,
}

const RULES: [PomRule; 6] = [
    PomRule {
        code: "WAIST",
        how: "waist seam, full circumference, relaxed",
        groups: &["waist"],
        open_only: false,
        tolerance_cm: 1.0,
        share: 1.0,
    },
    PomRule {
        code: "HEM",
        how: "hem opening(s), full circumference, relaxed",
        groups: &["hem"],
        open_only: true,
        tolerance_cm: 1.5,
        share: 1.0,
    },
    PomRule {
        code: "SLIT",
        how: "side slit, hem to top of the slit, each side",
        groups: &["slit_left", "slit_right"],
        open_only: true,
        tolerance_cm: 0.5,
        share: 0.25,
    },
    PomRule {
        code: "NECK",
        how: "neckline edge, front and back",
        groups: &["neckline"],
        open_only: true,
        tolerance_cm: 0.5,
        share: 1.0,
    },
    PomRule {
        code: "ARMH",
        how: "armholes, front and back, both sides",
        groups: &["armhole_left", "armhole_right"],
        open_only: false,
        tolerance_cm: 1.0,
        share: 1.0,
    },
    PomRule {
        code: "CUFF",
        how: "sleeve openings, both sleeves",
        groups: &["cuff"],
        open_only: true,
        tolerance_cm: 0.5,
        share: 1.0,
    },
];

fn measure(pattern: &Pattern, rule: &PomRule) -> f64 {
    let sewn = |panel: &str, edge: usize| {
        pattern.stitches.iter().any(|s| {
            (s.a.panel == panel && s.a.edge == edge) || (s.b.panel == panel && s.b.edge == edge)
        })
    };
    let mut total = 0.0;
    for panel in &pattern.panels {
        for group in rule.groups {
            for &edge in panel.edge_groups.get(*group).into_iter().flatten() {
                if rule.open_only && sewn(&panel.name, edge) {
                    continue;
                }
                total += panel.edge_length(edge).unwrap_or(0.0);
            }
        }
    }
    total * rule.share
}

impl MeasurementSpec {
    /// The spec of a graded design. A point of measure is listed when the garment has it
    /// (its value in the first size is positive).
    pub fn from_graded(sizes: &[GradedSize], base_size: &str) -> Self {
        let labels: Vec<String> = sizes.iter().map(|s| s.label.to_string()).collect();
        let mut points = Vec::new();
        for rule in &RULES {
            let values: BTreeMap<String, f64> = sizes
                .iter()
                .map(|s| (s.label.to_string(), measure(&s.pattern, rule)))
                .collect();
            if sizes
                .first()
                .is_some_and(|s| values.get(s.label.as_str()).is_some_and(|v| *v > 0.0))
            {
                points.push(PointOfMeasure {
                    code: rule.code.to_string(),
                    how_to_measure: rule.how.to_string(),
                    tolerance_cm: rule.tolerance_cm,
                    values,
                });
            }
        }
        Self {
            base_size: base_size.to_string(),
            sizes: labels,
            points,
            chart: None,
        }
    }

    /// The spec of a design graded by `chart` (with [`grade`](crate::grading::grade)): the
    /// chart's base size is the sample size, and the chart's name and basis are recorded.
    pub fn from_chart(sizes: &[GradedSize], chart: &SizeChart) -> Self {
        Self {
            chart: Some(ChartSource {
                name: chart.name.clone(),
                basis: chart.basis.clone(),
            }),
            ..Self::from_graded(sizes, chart.base.as_str())
        }
    }
}
