//! [`Pattern`] → GarmentCode JSON. Lengths are written in cm with `units_in_meter: 100`;
//! Catwalk's extra data goes under keys GarmentCode ignores (see [`super`]).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::raw::{SpecCutting, SpecEdge, SpecFile, SpecPanel, SpecPattern, SpecStitchEnd};
use crate::panel::{CuttingInfo, Edge, EdgeShape, Panel};
use crate::pattern::Pattern;

/// The pattern as a GarmentCode JSON value.
pub fn to_json_value(pattern: &Pattern) -> Value {
    let mut properties = pattern.properties.clone();
    properties.insert("units_in_meter".into(), json!(100));
    let file = SpecFile {
        pattern: SpecPattern {
            panels: pattern
                .panels
                .iter()
                .map(|p| (p.name.clone(), spec_panel(p)))
                .collect::<BTreeMap<_, _>>(),
            stitches: pattern
                .stitches
                .iter()
                .map(|s| {
                    json!([
                        SpecStitchEnd {
                            panel: s.a.panel.clone(),
                            edge: s.a.edge,
                            direction: Some(s.direction.as_str().to_string()),
                        },
                        SpecStitchEnd {
                            panel: s.b.panel.clone(),
                            edge: s.b.edge,
                            direction: None,
                        },
                    ])
                })
                .collect(),
            panel_order: Some(pattern.panels.iter().map(|p| p.name.clone()).collect()),
        },
        properties,
        rest: pattern.passthrough.clone(),
    };
    // Serializing plain data with string keys cannot fail.
    serde_json::to_value(file).unwrap_or(Value::Null)
}

/// The pattern as pretty-printed GarmentCode JSON.
pub fn to_json_string(pattern: &Pattern) -> String {
    serde_json::to_string_pretty(&to_json_value(pattern)).unwrap_or_default()
}

/// Writes the pattern to a GarmentCode specification file.
pub fn write_file(pattern: &Pattern, path: impl AsRef<Path>) -> std::io::Result<()> {
    std::fs::write(path, to_json_string(pattern))
}

fn spec_panel(panel: &Panel) -> SpecPanel {
    let cutting = &panel.cutting;
    let catwalk =
        (cutting != &CuttingInfo::default() || !panel.edge_groups.is_empty()).then(|| {
            SpecCutting {
                fabric: cutting.fabric.clone(),
                grain: Some(cutting.grain.to_array()),
                seam_allowance: Some(cutting.seam_allowance_cm),
                edge_groups: panel.edge_groups.clone(),
            }
        });
    SpecPanel {
        vertices: panel.vertices.iter().map(|v| v.to_array()).collect(),
        edges: panel.edges.iter().map(spec_edge).collect(),
        translation: panel.translation.to_array(),
        rotation: panel.rotation_deg.to_array(),
        label: panel.label.clone(),
        catwalk,
    }
}

fn spec_edge(edge: &Edge) -> SpecEdge {
    let curvature = match edge.shape {
        EdgeShape::Line => None,
        EdgeShape::Quadratic { control } => Some(json!({
            "type": "quadratic",
            "params": [control.to_array()],
        })),
        EdgeShape::Cubic { control1, control2 } => Some(json!({
            "type": "cubic",
            "params": [control1.to_array(), control2.to_array()],
        })),
        EdgeShape::Arc {
            radius,
            large_arc,
            right,
        } => Some(json!({
            "type": "circle",
            "params": [radius, u8::from(large_arc), u8::from(right)],
        })),
    };
    SpecEdge {
        endpoints: [edge.start, edge.end],
        curvature,
        label: edge.label.clone(),
    }
}
