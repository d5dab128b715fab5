//! GarmentCode JSON → [`Pattern`]: parse with serde (tracking the JSON path), convert
//! units and curvature, then validate. Every error names the JSON path to fix.

use std::path::Path;

use glam::{DVec2, DVec3};
use serde_json::Value;

use super::raw::{SpecCutting, SpecEdge, SpecFile, SpecPanel, SpecStitchEnd};
use crate::panel::{CuttingInfo, Edge, EdgeShape, Panel};
use crate::pattern::{Pattern, PatternError, Problem, Stitch, StitchDirection, StitchEnd};

/// Why a pattern file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read from disk.
    #[error("could not read pattern file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not JSON of GarmentCode's shape (bad syntax, a missing key, a wrong type).
    #[error("{path}: {message}")]
    Json {
        /// JSON path where parsing stopped (`.` for the top level).
        path: String,
        /// serde's message, with line and column.
        message: String,
    },
    /// The JSON has the right shape but describes an invalid pattern.
    #[error(transparent)]
    Invalid(#[from] PatternError),
}

impl ReadError {
    /// The JSON path of the problem.
    pub fn path(&self) -> &str {
        match self {
            Self::Io { .. } => "",
            Self::Json { path, .. } => path,
            Self::Invalid(e) => &e.path,
        }
    }
}

/// Reads a GarmentCode specification file.
pub fn read_file(path: impl AsRef<Path>) -> Result<Pattern, ReadError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    from_json_str(&text)
}

/// Parses GarmentCode specification JSON into a validated pattern in cm.
pub fn from_json_str(text: &str) -> Result<Pattern, ReadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let file: SpecFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        ReadError::Json {
            path,
            message: e.into_inner().to_string(),
        }
    })?;
    let (pattern, undirected) = convert(file)?;
    pattern.validate()?;
    let mut pattern = pattern;
    for s in undirected {
        let direction = infer_direction(&pattern, &pattern.stitches[s]);
        pattern.stitches[s].direction = direction;
    }
    Ok(pattern)
}

fn err(path: impl Into<String>, problem: Problem) -> ReadError {
    ReadError::Invalid(PatternError::new(path, problem))
}

/// Converts the parsed file; returns the indices of stitches whose direction must be
/// inferred from the placement.
fn convert(file: SpecFile) -> Result<(Pattern, Vec<usize>), ReadError> {
    let SpecFile {
        pattern: spec,
        mut properties,
        rest,
    } = file;
    let units = match properties.remove("units_in_meter") {
        None => 100.0,
        Some(v) => v
            .as_f64()
            .filter(|u| u.is_finite() && *u > 0.0)
            .ok_or_else(|| {
                err(
                    "properties.units_in_meter",
                    Problem::BadUnits(v.as_f64().unwrap_or(f64::NAN)),
                )
            })?,
    };
    let scale = 100.0 / units;

    let mut order: Vec<String> = Vec::new();
    if let Some(listed) = &spec.panel_order {
        for (i, name) in listed.iter().enumerate() {
            if !spec.panels.contains_key(name) {
                return Err(err(
                    format!("pattern.panel_order[{i}]"),
                    Problem::UnknownPanel {
                        name: name.clone(),
                        known: quoted(spec.panels.keys()),
                    },
                ));
            }
            if order.contains(name) {
                return Err(err(
                    format!("pattern.panel_order[{i}]"),
                    Problem::DuplicatePanel(name.clone()),
                ));
            }
            order.push(name.clone());
        }
    }
    for name in spec.panels.keys() {
        if !order.contains(name) {
            order.push(name.clone());
        }
    }

    let mut pattern = Pattern::new();
    pattern.passthrough = rest;
    pattern.properties = properties;
    let mut panels = spec.panels;
    for name in &order {
        if let Some(raw) = panels.remove(name) {
            pattern.panels.push(convert_panel(name, raw, scale)?);
        }
    }

    let mut undirected = Vec::new();
    for (s, raw) in spec.stitches.into_iter().enumerate() {
        let ends = stitch_ends(s, raw)?;
        let direction = match ends[0].direction.as_deref() {
            None => {
                undirected.push(s);
                StitchDirection::Opposite
            }
            Some("opposite") => StitchDirection::Opposite,
            Some("same") => StitchDirection::Same,
            Some(other) => {
                return Err(err(
                    format!("pattern.stitches[{s}][0].direction"),
                    Problem::Format(format!(
                        "a stitch direction is \"opposite\" or \"same\"; got \"{other}\""
                    )),
                ));
            }
        };
        let [a, b] = ends.map(|e| StitchEnd::new(e.panel, e.edge));
        pattern.stitches.push(Stitch::new(a, b, direction));
    }
    Ok((pattern, undirected))
}

/// The two ends of stitch `s`: `[end, end]`, where any further elements that are not
/// objects (flags some writers add) are ignored, or the older `{"from": end, "to": end}`.
fn stitch_ends(s: usize, raw: Value) -> Result<[SpecStitchEnd; 2], ReadError> {
    let base = format!("pattern.stitches[{s}]");
    let (keys, values): (Vec<String>, Vec<Value>) = match raw {
        Value::Array(items) => {
            let objects: Vec<(usize, Value)> = items
                .into_iter()
                .enumerate()
                .filter(|(_, v)| v.is_object())
                .collect();
            if objects.len() != 2 {
                return Err(err(
                    base,
                    Problem::Format(format!(
                        "a stitch joins exactly 2 edges; this one lists {}",
                        objects.len()
                    )),
                ));
            }
            objects
                .into_iter()
                .map(|(i, v)| (format!("[{i}]"), v))
                .unzip()
        }
        Value::Object(mut map) => match (map.remove("from"), map.remove("to")) {
            (Some(from), Some(to)) => (vec![".from".into(), ".to".into()], vec![from, to]),
            _ => {
                return Err(err(
                    base,
                    Problem::Format(
                        "a stitch is [{\"panel\", \"edge\"}, {\"panel\", \"edge\"}] or \
                         {\"from\": …, \"to\": …}"
                            .into(),
                    ),
                ));
            }
        },
        _ => {
            return Err(err(
                base,
                Problem::Format("a stitch is a list of its 2 edges".into()),
            ));
        }
    };
    let mut ends = Vec::with_capacity(2);
    for (key, value) in keys.into_iter().zip(values) {
        let end: SpecStitchEnd = serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = e.path().to_string();
            ReadError::Json {
                path: if inner == "." {
                    format!("{base}{key}")
                } else {
                    format!("{base}{key}.{inner}")
                },
                message: e.into_inner().to_string(),
            }
        })?;
        ends.push(end);
    }
    ends.try_into().map_err(|_| {
        err(
            base,
            Problem::Format("a stitch joins exactly 2 edges".into()),
        )
    })
}

fn convert_panel(name: &str, raw: SpecPanel, scale: f64) -> Result<Panel, ReadError> {
    let base = format!("pattern.panels.{name}");
    let vertices = raw
        .vertices
        .iter()
        .map(|v| DVec2::new(v[0], v[1]) * scale)
        .collect();
    let edges = raw
        .edges
        .into_iter()
        .enumerate()
        .map(|(i, e)| convert_edge(&format!("{base}.edges[{i}]"), e, scale))
        .collect::<Result<Vec<_>, _>>()?;
    let mut panel = Panel::new(name, vertices, edges);
    panel.translation = DVec3::from_array(raw.translation) * scale;
    panel.rotation_deg = DVec3::from_array(raw.rotation);
    panel.label = raw.label;
    if let Some(SpecCutting {
        fabric,
        grain,
        seam_allowance,
        edge_groups,
    }) = raw.catwalk
    {
        let default = CuttingInfo::default();
        panel.cutting = CuttingInfo {
            fabric,
            grain: grain.map(DVec2::from_array).unwrap_or(default.grain),
            seam_allowance_cm: seam_allowance
                .map(|s| s * scale)
                .unwrap_or(default.seam_allowance_cm),
        };
        if !panel.cutting.grain.is_finite() || panel.cutting.grain.length() < 1e-9 {
            return Err(err(format!("{base}.catwalk.grain"), Problem::BadGrain));
        }
        panel.cutting.grain = panel.cutting.grain.normalize();
        panel.edge_groups = edge_groups;
    }
    Ok(panel)
}

fn convert_edge(path: &str, raw: SpecEdge, scale: f64) -> Result<Edge, ReadError> {
    let [start, end] = raw.endpoints;
    let shape = match raw.curvature {
        None | Some(Value::Null) => EdgeShape::Line,
        Some(v) => parse_curvature(&format!("{path}.curvature"), &v, scale)?,
    };
    Ok(Edge {
        start,
        end,
        shape,
        label: raw.label,
    })
}

fn parse_curvature(path: &str, value: &Value, scale: f64) -> Result<EdgeShape, ReadError> {
    let bad = |p: String, msg: &str| err(p, Problem::Format(msg.to_string()));
    // The older form: a bare relative control point of a quadratic curve.
    if let Some(point) = as_point(value) {
        return Ok(EdgeShape::Quadratic { control: point });
    }
    let Some(obj) = value.as_object() else {
        return Err(bad(
            path.to_string(),
            "curvature is an object {\"type\": …, \"params\": […]} or a point [x, y]",
        ));
    };
    let kind = obj.get("type").and_then(Value::as_str).ok_or_else(|| {
        bad(
            format!("{path}.type"),
            "expected \"quadratic\", \"cubic\" or \"circle\"",
        )
    })?;
    let params = obj
        .get("params")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(format!("{path}.params"), "expected a list of parameters"))?;
    let point = |i: usize| {
        params.get(i).and_then(as_point).ok_or_else(|| {
            bad(
                format!("{path}.params[{i}]"),
                "expected a control point [x, y] of two numbers",
            )
        })
    };
    match kind {
        "quadratic" => {
            if params.len() != 1 {
                return Err(bad(
                    format!("{path}.params"),
                    "a quadratic curve has exactly 1 control point",
                ));
            }
            Ok(EdgeShape::Quadratic { control: point(0)? })
        }
        "cubic" => {
            if params.len() != 2 {
                return Err(bad(
                    format!("{path}.params"),
                    "a cubic curve has exactly 2 control points",
                ));
            }
            Ok(EdgeShape::Cubic {
                control1: point(0)?,
                control2: point(1)?,
            })
        }
        "circle" => {
            if params.len() != 3 {
                return Err(bad(
                    format!("{path}.params"),
                    "a circle edge has 3 parameters: [radius, large_arc, right]",
                ));
            }
            let radius = params[0]
                .as_f64()
                .filter(|r| r.is_finite() && *r > 0.0)
                .ok_or_else(|| {
                    bad(
                        format!("{path}.params[0]"),
                        "the radius must be a positive number",
                    )
                })?;
            let flag = |i: usize| {
                as_flag(&params[i]).ok_or_else(|| {
                    bad(
                        format!("{path}.params[{i}]"),
                        "expected a flag: true, false, 1 or 0",
                    )
                })
            };
            Ok(EdgeShape::Arc {
                radius: radius * scale,
                large_arc: flag(1)?,
                right: flag(2)?,
            })
        }
        other => Err(bad(
            format!("{path}.type"),
            &format!(
                "unknown curvature type \"{other}\"; expected \"quadratic\", \"cubic\" or \"circle\""
            ),
        )),
    }
}

fn as_point(v: &Value) -> Option<DVec2> {
    let a = v.as_array()?;
    match a.as_slice() {
        [x, y] => {
            let p = DVec2::new(x.as_f64()?, y.as_f64()?);
            p.is_finite().then_some(p)
        }
        _ => None,
    }
}

fn as_flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(0.0) => Some(false),
            Some(1.0) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

fn quoted<'a>(names: impl Iterator<Item = &'a String>) -> String {
    names
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which way two stitched edges run, judged from where their panels are placed: the
/// pairing of end points that brings them closer together in 3D.
pub fn infer_direction(pattern: &Pattern, stitch: &Stitch) -> StitchDirection {
    let ends = |end: &StitchEnd| {
        let panel = pattern.panel(&end.panel)?;
        let curve = panel.curve(end.edge).ok()?;
        Some((panel.place(curve.start()), panel.place(curve.end())))
    };
    match (ends(&stitch.a), ends(&stitch.b)) {
        (Some((a0, a1)), Some((b0, b1))) => {
            let same = a0.distance(b0) + a1.distance(b1);
            let opposite = a0.distance(b1) + a1.distance(b0);
            if same < opposite {
                StitchDirection::Same
            } else {
                StitchDirection::Opposite
            }
        }
        _ => StitchDirection::Opposite,
    }
}
