//! One panel's triangulation: the resampled outline as constraint edges, interior points
//! seeded on a hexagonal lattice at the target spacing, then spade's Delaunay refinement
//! (outline kept intact so seam vertices stay where the stitches expect them).

use std::collections::HashSet;

use glam::DVec2;
use spade::{
    AngleLimit, ConstrainedDelaunayTriangulation, Point2, RefinementParameters, Triangulation,
};

use super::{MeshError, MeshOptions};
use crate::panel::Panel;
use crate::polygon;

/// Interior seeds keep at least this fraction of the target spacing from the outline.
const SEED_CLEARANCE: f64 = 0.6;

/// A panel triangulation in panel coordinates (cm).
#[derive(Debug, Clone, PartialEq)]
pub struct PanelTriangulation {
    /// Points: the outline points first, unchanged and in order, then interior points.
    pub points: Vec<DVec2>,
    /// Counter-clockwise triangles.
    pub triangles: Vec<[u32; 3]>,
}

/// Triangulates the region inside `outline` at the options' target edge length.
pub fn triangulate(
    panel: &Panel,
    outline: &[DVec2],
    options: &MeshOptions,
) -> Result<PanelTriangulation, MeshError> {
    let fail = |reason: String| MeshError::Triangulation {
        panel: panel.name.clone(),
        reason,
    };
    let h = options.target_edge_cm;
    let mut cdt: ConstrainedDelaunayTriangulation<Point2<f64>> =
        ConstrainedDelaunayTriangulation::new();
    let mut handles = Vec::with_capacity(outline.len());
    for p in outline {
        let handle = cdt
            .insert(Point2::new(p.x, p.y))
            .map_err(|e| fail(format!("outline point {p} rejected: {e:?}")))?;
        handles.push(handle);
    }
    if handles.iter().collect::<HashSet<_>>().len() != handles.len() {
        return Err(fail(
            "two outline points coincide; an edge is shorter than the triangulator can \
             resolve"
                .into(),
        ));
    }
    for i in 0..handles.len() {
        let (a, b) = (handles[i], handles[(i + 1) % handles.len()]);
        if !cdt.can_add_constraint(a, b) {
            return Err(fail(format!(
                "the outline crosses itself near ({:.2}, {:.2}) cm",
                outline[i].x, outline[i].y
            )));
        }
        cdt.add_constraint(a, b);
    }
    for seed in interior_seeds(outline, h) {
        cdt.insert(Point2::new(seed.x, seed.y))
            .map_err(|e| fail(format!("interior point rejected: {e:?}")))?;
    }
    let equilateral = 3f64.sqrt() / 4.0 * h * h;
    let params = RefinementParameters::<f64>::new()
        .exclude_outer_faces(true)
        .keep_constraint_edges()
        .with_angle_limit(AngleLimit::from_deg(options.min_angle_deg))
        .with_max_allowed_area(equilateral * 1.5)
        .with_min_required_area(equilateral * 0.05);
    let result = cdt.refine(params);
    let excluded: HashSet<_> = result.excluded_faces.into_iter().collect();

    // Outline points keep their indices; other vertices are numbered as triangles use them.
    let mut remap: Vec<Option<u32>> = vec![None; cdt.num_vertices()];
    let mut points: Vec<DVec2> = outline.to_vec();
    for (i, h) in handles.iter().enumerate() {
        remap[h.index()] = Some(i as u32);
    }
    let mut triangles = Vec::new();
    for face in cdt.inner_faces() {
        if excluded.contains(&face.fix()) {
            continue;
        }
        let mut tri = [0u32; 3];
        for (k, v) in face.vertices().iter().enumerate() {
            let slot = &mut remap[v.fix().index()];
            tri[k] = match *slot {
                Some(i) => i,
                None => {
                    let pos = v.position();
                    points.push(DVec2::new(pos.x, pos.y));
                    let i = (points.len() - 1) as u32;
                    *slot = Some(i);
                    i
                }
            };
        }
        triangles.push(tri);
    }
    if triangles.is_empty() {
        return Err(fail("no triangles inside the outline".into()));
    }
    Ok(PanelTriangulation { points, triangles })
}

/// Points on a hexagonal lattice of spacing `h` inside the outline and clear of it.
fn interior_seeds(outline: &[DVec2], h: f64) -> Vec<DVec2> {
    let (min, max) = outline.iter().fold(
        (DVec2::splat(f64::MAX), DVec2::splat(f64::MIN)),
        |(lo, hi), p| (lo.min(*p), hi.max(*p)),
    );
    let row = h * 3f64.sqrt() / 2.0;
    let clearance = SEED_CLEARANCE * h;
    let mut seeds = Vec::new();
    let mut y = min.y + row / 2.0;
    let mut odd = false;
    while y < max.y {
        let mut x = min.x + if odd { h } else { h / 2.0 };
        while x < max.x {
            let p = DVec2::new(x, y);
            if polygon::contains(outline, p) && polygon::distance_to_outline(outline, p) > clearance
            {
                seeds.push(p);
            }
            x += h;
        }
        y += row;
        odd = !odd;
    }
    seeds
}
