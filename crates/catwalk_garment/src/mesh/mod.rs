//! Meshing a pattern for the cloth simulator: every panel becomes a constrained Delaunay
//! triangulation at a target edge length, stitched edges get matching vertex counts so
//! their vertices pair up one to one, and every vertex keeps its panel and 2D point so the
//! simulated garment and the cut pattern never diverge.
//!
//! - [`boundary`]: resampling outlines so stitched edges have equal vertex counts, and
//!   the seam vertex pairs.
//! - [`triangulate`]: interior seeding and spade's constrained Delaunay refinement.

pub mod boundary;
pub mod triangulate;

use std::ops::Range;

use glam::{DVec2, Vec2, Vec3};

use crate::pattern::{Pattern, PatternError};
use crate::programs::params::{ParamError, ParamRange};

/// The target edge length range (cm): 3 mm to 10 cm.
pub const TARGET_EDGE: ParamRange = ParamRange::new("target_edge", 0.3, 10.0, "cm");
/// The smallest-angle goal for refinement (degrees); spade guarantees termination to 30°.
pub const MIN_ANGLE: ParamRange = ParamRange::new("min_angle", 0.0, 30.0, "degrees");

/// How finely to mesh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeshOptions {
    /// Target triangle edge length in cm (see [`TARGET_EDGE`]); 1–2 cm for simulation.
    pub target_edge_cm: f64,
    /// Refinement inserts points until triangles have no angle below this (see
    /// [`MIN_ANGLE`]), except where the outline itself has a sharper corner.
    pub min_angle_deg: f64,
}

impl Default for MeshOptions {
    fn default() -> Self {
        Self {
            target_edge_cm: 1.5,
            min_angle_deg: 25.0,
        }
    }
}

/// Why a pattern could not be meshed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeshError {
    /// The pattern is invalid.
    #[error(transparent)]
    Pattern(#[from] PatternError),
    /// An option is out of range.
    #[error(transparent)]
    Options(#[from] ParamError),
    /// The triangulator refused the panel's outline.
    #[error("panel \"{panel}\" could not be triangulated: {reason}")]
    Triangulation {
        /// The panel.
        panel: String,
        /// What went wrong.
        reason: String,
    },
}

/// Where one panel's vertices and triangles are in a [`GarmentMesh`].
#[derive(Debug, Clone, PartialEq)]
pub struct PanelSpan {
    /// The panel's name.
    pub name: String,
    /// Its vertices; boundary vertices come first, in outline order.
    pub vertices: Range<u32>,
    /// Its triangles.
    pub triangles: Range<u32>,
    /// For each panel edge, its vertices from start to end inclusive (global indices).
    pub edge_vertices: Vec<Vec<u32>>,
}

/// A triangle mesh of a whole garment, laid out as structure-of-arrays for the simulator.
///
/// Panels are not joined: each has its own vertices, and [`GarmentMesh::seam_pairs`] says
/// which vertices the simulator should pull together (GarmentCode's approach).
#[derive(Debug, Clone, PartialEq)]
pub struct GarmentMesh {
    /// Rest position of each vertex in its panel's plane, metres.
    pub rest_m: Vec<Vec2>,
    /// Pre-drape position of each vertex around the body (panels placed as the pattern
    /// says), metres, y up.
    pub placed_m: Vec<Vec3>,
    /// The panel each vertex belongs to (index into [`GarmentMesh::panels`]).
    pub vertex_panel: Vec<u32>,
    /// The exact panel-plane point (cm) each vertex stands for: the map back to the pattern.
    pub vertex_point_cm: Vec<DVec2>,
    /// Triangles, counter-clockwise in rest space.
    pub triangles: Vec<[u32; 3]>,
    /// Warp (grain line) direction of each triangle in rest space, unit length.
    pub triangle_warp: Vec<Vec2>,
    /// Pairs of vertices on stitched edges that are sewn together, each pair once, lower
    /// index first. A vertex where three panels meet (an underarm point) appears in more
    /// than one pair: treat the pairs as edges of a union-find to weld vertices.
    pub seam_pairs: Vec<[u32; 2]>,
    /// Per-panel ranges, in pattern order.
    pub panels: Vec<PanelSpan>,
}

impl GarmentMesh {
    /// Meshes every panel of a validated pattern.
    pub fn from_pattern(pattern: &Pattern, options: &MeshOptions) -> Result<Self, MeshError> {
        TARGET_EDGE.check(options.target_edge_cm)?;
        MIN_ANGLE.check(options.min_angle_deg)?;
        pattern.validate()?;
        let h = options.target_edge_cm;
        let counts = boundary::edge_segment_counts(pattern, h)?;
        let mut mesh = GarmentMesh {
            rest_m: Vec::new(),
            placed_m: Vec::new(),
            vertex_panel: Vec::new(),
            vertex_point_cm: Vec::new(),
            triangles: Vec::new(),
            triangle_warp: Vec::new(),
            seam_pairs: Vec::new(),
            panels: Vec::new(),
        };
        for (p, panel) in pattern.panels.iter().enumerate() {
            let outline = boundary::resample_outline(panel, &counts[p])?;
            let tri = triangulate::triangulate(panel, &outline.points, options)?;
            let base = mesh.vertex_point_cm.len() as u32;
            let first_triangle = mesh.triangles.len() as u32;
            let warp = panel.cutting.grain.normalize_or(DVec2::Y).as_vec2();
            for &point in &tri.points {
                mesh.vertex_point_cm.push(point);
                mesh.rest_m.push((point / 100.0).as_vec2());
                mesh.placed_m.push((panel.place(point) / 100.0).as_vec3());
                mesh.vertex_panel.push(p as u32);
            }
            for t in &tri.triangles {
                mesh.triangles.push(t.map(|i| i + base));
                mesh.triangle_warp.push(warp);
            }
            mesh.panels.push(PanelSpan {
                name: panel.name.clone(),
                vertices: base..base + tri.points.len() as u32,
                triangles: first_triangle..mesh.triangles.len() as u32,
                edge_vertices: outline
                    .edge_vertices
                    .iter()
                    .map(|e| e.iter().map(|&i| i + base).collect())
                    .collect(),
            });
        }
        mesh.seam_pairs = boundary::seam_pairs(pattern, &mesh.panels);
        Ok(mesh)
    }

    /// Number of vertices.
    pub fn vertex_count(&self) -> usize {
        self.rest_m.len()
    }

    /// The vertices along edge `edge` of panel `panel`, start to end.
    pub fn edge_vertices(&self, panel: usize, edge: usize) -> Option<&[u32]> {
        self.panels
            .get(panel)?
            .edge_vertices
            .get(edge)
            .map(Vec::as_slice)
    }
}
