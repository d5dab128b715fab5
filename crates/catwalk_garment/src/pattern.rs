//! A sewing pattern: panels plus the stitches that join their edges, and the checks that
//! make a pattern safe to mesh and to cut (closed, simple outlines; stitches between edges
//! that exist and have similar lengths).

use glam::DVec2;
use serde_json::{Map, Value};

use crate::panel::{EdgeGeometryError, Panel};
use crate::polygon;

/// Stitched edges may differ in length by at most this factor (gathered seams up to 2×);
/// anything more is almost certainly the wrong edge.
pub const MAX_STITCH_LENGTH_RATIO: f64 = 2.0;

/// One side of a stitch: an edge of a named panel.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StitchEnd {
    /// The panel's name.
    pub panel: String,
    /// The edge's index in that panel.
    pub edge: usize,
}

impl StitchEnd {
    /// An edge of a panel.
    pub fn new(panel: impl Into<String>, edge: usize) -> Self {
        Self {
            panel: panel.into(),
            edge,
        }
    }
}

/// How the two stitched edges run along the seam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StitchDirection {
    /// The start of one edge meets the end of the other: the usual case for two panels both
    /// outlined counter-clockwise and sewn right side to right side.
    Opposite,
    /// Start meets start and end meets end.
    Same,
}

impl StitchDirection {
    /// The name written to pattern files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opposite => "opposite",
            Self::Same => "same",
        }
    }
}

/// A seam joining two edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Stitch {
    /// The first edge.
    pub a: StitchEnd,
    /// The second edge.
    pub b: StitchEnd,
    /// How the edges run along each other.
    pub direction: StitchDirection,
}

impl Stitch {
    /// A stitch between two edges.
    pub fn new(a: StitchEnd, b: StitchEnd, direction: StitchDirection) -> Self {
        Self { a, b, direction }
    }
}

/// A complete pattern. Lengths are always in cm: the reader scales files written in other
/// units (`units_in_meter` other than 100).
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Panels in GarmentCode's `panel_order`.
    pub panels: Vec<Panel>,
    /// Seams.
    pub stitches: Vec<Stitch>,
    /// Top-level keys of a GarmentCode file this crate does not interpret (`parameters`,
    /// `parameter_order`, …), kept so a file written back loses nothing.
    pub passthrough: Map<String, Value>,
    /// Keys of GarmentCode's `properties` object other than `units_in_meter`.
    pub properties: Map<String, Value>,
}

/// What is wrong with a pattern, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct PatternError {
    /// JSON path of the offending value, e.g. `pattern.stitches[3][1].edge`.
    pub path: String,
    /// What is wrong.
    pub problem: Problem,
}

impl PatternError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, problem: Problem) -> Self {
        Self {
            path: path.into(),
            problem,
        }
    }
}

/// The kinds of pattern mistakes, each saying what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// A stitch names a panel that does not exist.
    #[error("no panel is named \"{name}\"; the panels are {known}")]
    UnknownPanel {
        /// The name given.
        name: String,
        /// The names that exist, comma separated.
        known: String,
    },
    /// A stitch or edge group names an edge past the panel's edge list.
    #[error("panel \"{panel}\" has no edge {edge}; its edges are numbered 0 to {last}", last = count.saturating_sub(1))]
    UnknownEdge {
        /// The panel.
        panel: String,
        /// The edge index given.
        edge: usize,
        /// How many edges the panel has.
        count: usize,
    },
    /// Two panels share a name.
    #[error("the panel name \"{0}\" is used twice; panel names must be unique")]
    DuplicatePanel(String),
    /// Fewer than two edges cannot enclose anything.
    #[error("a panel needs at least 2 edges to be closed; this one has {0}")]
    TooFewEdges(usize),
    /// The edge loop has a gap.
    #[error(
        "the panel outline is open: this edge starts at vertex {starts_at} but the previous \
         edge ends at vertex {previous_ends_at}; each edge must start where the previous one ends"
    )]
    OpenOutline {
        /// Where this edge starts.
        starts_at: usize,
        /// Where the previous edge ends.
        previous_ends_at: usize,
    },
    /// An edge's geometry cannot be built.
    #[error("{0}")]
    Geometry(#[from] EdgeGeometryError),
    /// The outline crosses or touches itself.
    #[error(
        "the panel outline crosses itself: edge {first} meets edge {second} away from a \
         shared corner; move the vertices or reduce the curvature so the outline is simple"
    )]
    SelfIntersecting {
        /// One edge involved.
        first: usize,
        /// The other edge involved.
        second: usize,
    },
    /// The outline encloses (almost) nothing.
    #[error("the panel encloses {0:.4} cm²; a panel must have a positive area")]
    ZeroArea(f64),
    /// A number is NaN or infinite.
    #[error("{0} is not a finite number")]
    NotFinite(f64),
    /// The two stitched edges differ too much in length.
    #[error(
        "the stitched edges are {a:.2} cm and {b:.2} cm long (ratio {ratio:.2}); stitched \
         edges may differ by at most {max}x — check that the stitch names the right edges"
    )]
    StitchLengthMismatch {
        /// Length of the first edge.
        a: f64,
        /// Length of the second edge.
        b: f64,
        /// Longer divided by shorter.
        ratio: f64,
        /// The largest ratio allowed.
        max: f64,
    },
    /// A stitch joins an edge to itself.
    #[error("a stitch cannot join an edge to itself")]
    StitchToItself,
    /// `units_in_meter` is not positive.
    #[error("units_in_meter must be a positive number (100 for cm); got {0}")]
    BadUnits(f64),
    /// The seam allowance is negative or absurd.
    #[error("a seam allowance must be 0 to 10 cm; got {0}")]
    BadSeamAllowance(f64),
    /// The grain line has no direction.
    #[error("the grain line must be a non-zero direction")]
    BadGrain,
    /// A value has the wrong shape for its key (used by the file reader).
    #[error("{0}")]
    Format(String),
}

impl Pattern {
    /// An empty pattern in cm.
    pub fn new() -> Self {
        Self {
            panels: Vec::new(),
            stitches: Vec::new(),
            passthrough: Map::new(),
            properties: Map::new(),
        }
    }

    /// The panel named `name`.
    pub fn panel(&self, name: &str) -> Option<&Panel> {
        self.panels.iter().find(|p| p.name == name)
    }

    /// The index of the panel named `name`.
    pub fn panel_index(&self, name: &str) -> Option<usize> {
        self.panels.iter().position(|p| p.name == name)
    }

    /// Total length (cm) of the edges in group `group` over every panel.
    pub fn group_length(&self, group: &str) -> Result<f64, EdgeGeometryError> {
        let mut total = 0.0;
        for panel in &self.panels {
            total += panel.group_length(group)?;
        }
        Ok(total)
    }

    /// Checks everything a mesher and a cutter rely on; the first problem found is returned
    /// with the JSON path of the value to fix.
    pub fn validate(&self) -> Result<(), PatternError> {
        for (i, panel) in self.panels.iter().enumerate() {
            if self.panels[..i].iter().any(|p| p.name == panel.name) {
                return Err(PatternError::new(
                    "pattern.panel_order",
                    Problem::DuplicatePanel(panel.name.clone()),
                ));
            }
            validate_panel(panel)?;
        }
        for (s, stitch) in self.stitches.iter().enumerate() {
            self.validate_stitch(s, stitch)?;
        }
        Ok(())
    }

    fn validate_stitch(&self, s: usize, stitch: &Stitch) -> Result<(), PatternError> {
        let mut lengths = [0.0; 2];
        for (k, end) in [&stitch.a, &stitch.b].into_iter().enumerate() {
            let Some(panel) = self.panel(&end.panel) else {
                let known: Vec<String> = self
                    .panels
                    .iter()
                    .map(|p| format!("\"{}\"", p.name))
                    .collect();
                return Err(PatternError::new(
                    format!("pattern.stitches[{s}][{k}].panel"),
                    Problem::UnknownPanel {
                        name: end.panel.clone(),
                        known: known.join(", "),
                    },
                ));
            };
            if end.edge >= panel.edges.len() {
                return Err(PatternError::new(
                    format!("pattern.stitches[{s}][{k}].edge"),
                    Problem::UnknownEdge {
                        panel: panel.name.clone(),
                        edge: end.edge,
                        count: panel.edges.len(),
                    },
                ));
            }
            lengths[k] = panel.edge_length(end.edge).map_err(|e| {
                PatternError::new(format!("pattern.stitches[{s}][{k}].edge"), e.into())
            })?;
        }
        if stitch.a == stitch.b {
            return Err(PatternError::new(
                format!("pattern.stitches[{s}]"),
                Problem::StitchToItself,
            ));
        }
        let (short, long) = (lengths[0].min(lengths[1]), lengths[0].max(lengths[1]));
        let ratio = if short > 0.0 {
            long / short
        } else {
            f64::INFINITY
        };
        if ratio > MAX_STITCH_LENGTH_RATIO {
            return Err(PatternError::new(
                format!("pattern.stitches[{s}]"),
                Problem::StitchLengthMismatch {
                    a: lengths[0],
                    b: lengths[1],
                    ratio,
                    max: MAX_STITCH_LENGTH_RATIO,
                },
            ));
        }
        Ok(())
    }
}

impl Default for Pattern {
    fn default() -> Self {
        Self::new()
    }
}

/// Checks one panel: finite numbers, a closed loop, buildable edges, a simple outline with
/// positive area, and sane cutting data.
pub fn validate_panel(panel: &Panel) -> Result<(), PatternError> {
    let base = format!("pattern.panels.{}", panel.name);
    for (i, v) in panel.vertices.iter().enumerate() {
        for (c, x) in [v.x, v.y].into_iter().enumerate() {
            if !x.is_finite() {
                return Err(PatternError::new(
                    format!("{base}.vertices[{i}][{c}]"),
                    Problem::NotFinite(x),
                ));
            }
        }
    }
    if panel.edges.len() < 2 {
        return Err(PatternError::new(
            format!("{base}.edges"),
            Problem::TooFewEdges(panel.edges.len()),
        ));
    }
    let n = panel.edges.len();
    for (i, edge) in panel.edges.iter().enumerate() {
        let path = format!("{base}.edges[{i}]");
        panel.edge_curve(edge).map_err(|e| {
            let sub = match e {
                EdgeGeometryError::NoSuchVertex { index, .. } if index == edge.start => {
                    ".endpoints[0]"
                }
                EdgeGeometryError::NoSuchVertex { .. } => ".endpoints[1]",
                _ => ".curvature",
            };
            PatternError::new(format!("{path}{sub}"), e.into())
        })?;
    }
    for (i, edge) in panel.edges.iter().enumerate() {
        let path = format!("{base}.edges[{i}]");
        let prev = &panel.edges[(i + n - 1) % n];
        if prev.end != edge.start {
            return Err(PatternError::new(
                format!("{path}.endpoints[0]"),
                Problem::OpenOutline {
                    starts_at: edge.start,
                    previous_ends_at: prev.end,
                },
            ));
        }
    }
    // Flatten with a record of which edge each segment came from.
    let mut points: Vec<DVec2> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, edge) in panel.edges.iter().enumerate() {
        let curve = panel
            .edge_curve(edge)
            .map_err(|e| PatternError::new(format!("{base}.edges[{i}]"), e.into()))?;
        let mut seg = curve.flatten(0.5);
        seg.pop();
        for p in seg {
            if points
                .last()
                .is_none_or(|q| q.distance(p) > polygon::POINT_EPS)
            {
                points.push(p);
                owner.push(i);
            }
        }
    }
    let area = polygon::signed_area(&points).abs();
    if area < 1e-6 {
        return Err(PatternError::new(base, Problem::ZeroArea(area)));
    }
    if let Some((a, b)) = polygon::first_self_intersection(&points) {
        let (first, second) = (owner[a].min(owner[b]), owner[a].max(owner[b]));
        return Err(PatternError::new(
            format!("{base}.edges[{second}]"),
            Problem::SelfIntersecting { first, second },
        ));
    }
    let cut = &panel.cutting;
    if !(0.0..=10.0).contains(&cut.seam_allowance_cm) {
        return Err(PatternError::new(
            format!("{base}.catwalk.seam_allowance"),
            Problem::BadSeamAllowance(cut.seam_allowance_cm),
        ));
    }
    if !cut.grain.is_finite() || cut.grain.length() < 1e-9 {
        return Err(PatternError::new(
            format!("{base}.catwalk.grain"),
            Problem::BadGrain,
        ));
    }
    for (group, edges) in &panel.edge_groups {
        for (k, &e) in edges.iter().enumerate() {
            if e >= n {
                return Err(PatternError::new(
                    format!("{base}.catwalk.edge_groups.{group}[{k}]"),
                    Problem::UnknownEdge {
                        panel: panel.name.clone(),
                        edge: e,
                        count: n,
                    },
                ));
            }
        }
    }
    Ok(())
}
