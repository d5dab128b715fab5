//! The GarmentCode file's shape as serde types: parsed first, then checked and converted
//! by [`super::read`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SpecFile {
    pub pattern: SpecPattern,
    #[serde(default)]
    pub properties: Map<String, Value>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SpecPattern {
    pub panels: BTreeMap<String, SpecPanel>,
    /// Each stitch is `[end, end]` (GarmentCode 2) or `{"from": end, "to": end}` (older
    /// files); parsed by hand in `read` so both load.
    #[serde(default)]
    pub stitches: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel_order: Option<Vec<String>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SpecPanel {
    pub vertices: Vec<[f64; 2]>,
    pub edges: Vec<SpecEdge>,
    #[serde(default)]
    pub translation: [f64; 3],
    #[serde(default)]
    pub rotation: [f64; 3],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catwalk: Option<SpecCutting>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SpecEdge {
    pub endpoints: [usize; 2],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curvature: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SpecCutting {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fabric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grain: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seam_allowance: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub edge_groups: BTreeMap<String, Vec<usize>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SpecStitchEnd {
    pub panel: String,
    pub edge: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}
