//! Where a garment hangs from: the vertices attached to the body and where on the body they
//! go. Garments with shoulder seams (tops, dresses) hang from the shoulders; the rest
//! (skirts, trousers) from the waist edge.
//!
//! - Shoulders: each shoulder-seam vertex but the shoulder tip goes straight down (at the body's centre plane,
//!   at the distance from centre front the pattern drafts it) onto the top of the
//!   shoulders.
//! - Waist: the waist edges of all panels form one loop. Its vertices are ordered around the
//!   body, their distances along the loop taken from the pattern, and they are laid out by
//!   arc length on the torso's cross-section at the waist height, offset outward so that its
//!   perimeter is the loop's (the ease; at least the fabric thickness), centre front on
//!   centre front.

use catwalk_cloth::glam::{Vec2, Vec3};

use super::DrapeError;
use super::body::{BoneRole, CapsuleBody};
use crate::mesh::GarmentMesh;
use crate::pattern::Pattern;

/// Rays around the torso when measuring its cross-section.
const CONTOUR_SAMPLES: usize = 256;
/// Clearance between an attached vertex and the body beyond the fabric thickness, m.
const ANCHOR_CLEARANCE_M: f32 = 0.0005;

/// What holds a garment up on the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hanging {
    /// The shoulder seams rest on the shoulders (tops, dresses).
    Shoulders,
    /// The waist edge is held around the waist (skirts, trousers).
    Waist,
}

/// Attached vertices, their bones and their targets in the body's rest pose.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Anchors {
    pub hanging: Hanging,
    pub vertices: Vec<u32>,
    pub bones: Vec<usize>,
    pub rest_targets: Vec<Vec3>,
}

/// Chooses how the garment hangs and computes where each attached vertex goes.
pub(crate) fn anchors(
    pattern: &Pattern,
    mesh: &GarmentMesh,
    placed: &[Vec3],
    body: &CapsuleBody,
    thickness: f32,
) -> Result<Anchors, DrapeError> {
    let names: Vec<&str> = pattern.panels.iter().map(|p| p.name.as_str()).collect();
    let meshed: Vec<&str> = mesh.panels.iter().map(|p| p.name.as_str()).collect();
    if names != meshed {
        return Err(DrapeError::MeshMismatch);
    }
    let clearance = thickness + ANCHOR_CLEARANCE_M;
    // The shoulder tips are left free: the sleeve caps and armholes meet there and must be
    // able to settle around the arm.
    let armholes = group_vertices(pattern, mesh, &["armhole_left", "armhole_right"]);
    let mut shoulders = group_vertices(pattern, mesh, &["shoulder_left", "shoulder_right"]);
    shoulders.retain(|v| armholes.binary_search(v).is_err());
    let (hanging, vertices, targets) = if !shoulders.is_empty() {
        let targets = shoulders
            .iter()
            .map(|&v| shoulder_target(body, mesh.placed_m[v as usize], clearance))
            .collect::<Result<Vec<_>, _>>()?;
        (Hanging::Shoulders, shoulders, targets)
    } else {
        let waist = group_vertices(pattern, mesh, &["waist"]);
        if waist.is_empty() {
            return Err(DrapeError::NothingToHangFrom);
        }
        let targets = waist_targets(body, mesh, placed, &waist, clearance)?;
        (Hanging::Waist, waist, targets)
    };
    Ok(Anchors {
        hanging,
        bones: targets
            .iter()
            .map(|&t| body.nearest_torso_bone(t))
            .collect(),
        vertices,
        rest_targets: targets,
    })
}

/// The vertices on the edges of the named groups of every panel, each once, sorted.
fn group_vertices(pattern: &Pattern, mesh: &GarmentMesh, groups: &[&str]) -> Vec<u32> {
    let mut out = Vec::new();
    for (p, panel) in pattern.panels.iter().enumerate() {
        for group in groups {
            for &edge in panel.edge_groups.get(*group).into_iter().flatten() {
                out.extend_from_slice(mesh.edge_vertices(p, edge).unwrap_or_default());
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Straight down from above `placed` (the pattern's flat placement, whose x is the
/// distance across the body the pattern drafts), in the body's centre plane z = 0, onto the
/// torso
/// (the head and the arms are left out: a shoulder seam rests on the shoulders).
fn shoulder_target(body: &CapsuleBody, placed: Vec3, clearance: f32) -> Result<Vec3, DrapeError> {
    let keep = |r: BoneRole| r == BoneRole::Torso;
    let mut p = Vec3::new(placed.x, placed.y + 0.3, 0.0);
    for _ in 0..500 {
        let d = body.rest_distance(p, keep);
        if d < 1e-5 {
            return Ok(p + Vec3::Y * clearance);
        }
        p.y -= d;
        if p.y < placed.y - 0.5 {
            break;
        }
    }
    Err(DrapeError::NoBodyUnder {
        what: "shoulder seam",
        x: placed.x,
        y: placed.y,
    })
}

/// Targets for the waist loop's vertices (see the module docs).
fn waist_targets(
    body: &CapsuleBody,
    mesh: &GarmentMesh,
    placed: &[Vec3],
    waist: &[u32],
    clearance: f32,
) -> Result<Vec<Vec3>, DrapeError> {
    let centre = waist
        .iter()
        .map(|&v| placed[v as usize])
        .fold(Vec3::ZERO, |a, p| a + p)
        / waist.len() as f32;
    let height = waist
        .iter()
        .map(|&v| placed[v as usize].y)
        .fold(f32::INFINITY, f32::min);
    let angle = |v: u32| {
        let p = placed[v as usize] - centre;
        p.x.atan2(p.z)
    };

    // Weld seam-joined waist vertices into loop points, ordered by angle around the body.
    let index_of = |v: u32| waist.binary_search(&v).ok();
    let mut parent: Vec<usize> = (0..waist.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for &[a, b] in &mesh.seam_pairs {
        if let (Some(i), Some(j)) = (index_of(a), index_of(b)) {
            let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
            parent[ri] = rj;
        }
    }
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut group_of_root = vec![usize::MAX; waist.len()];
    for (i, &v) in waist.iter().enumerate() {
        let r = root(&mut parent, i);
        if group_of_root[r] == usize::MAX {
            group_of_root[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of_root[r]].push(v);
    }
    // A circular mean: a group welded across centre back has angles near +π and −π.
    let group_angle = |g: &[u32]| {
        let (s, c) = g
            .iter()
            .map(|&v| angle(v))
            .fold((0.0f32, 0.0f32), |(s, c), a| (s + a.sin(), c + a.cos()));
        s.atan2(c)
    };
    groups.sort_by(|a, b| group_angle(a).total_cmp(&group_angle(b)));
    if groups.len() < 3 {
        return Err(DrapeError::NothingToHangFrom);
    }

    // Distances along the loop from the pattern (rest space, within one panel).
    let gap = |a: &[u32], b: &[u32]| {
        let mut best = f32::INFINITY;
        for &u in a {
            for &w in b {
                if mesh.vertex_panel[u as usize] == mesh.vertex_panel[w as usize] {
                    best = best.min(mesh.rest_m[u as usize].distance(mesh.rest_m[w as usize]));
                }
            }
        }
        if best.is_finite() {
            best
        } else {
            placed[a[0] as usize].distance(placed[b[0] as usize])
        }
    };
    let m = groups.len();
    let mut along = vec![0.0f32; m];
    for k in 1..m {
        along[k] = along[k - 1] + gap(&groups[k - 1], &groups[k]);
    }
    let loop_length = along[m - 1] + gap(&groups[m - 1], &groups[0]);
    // Arc length of centre front (angle 0), interpolated between the points around it.
    let angles: Vec<f32> = groups.iter().map(|g| group_angle(g)).collect();
    let front = match angles.iter().position(|&a| a >= 0.0) {
        Some(0) | None => {
            let (a0, a1) = (angles[m - 1] - std::f32::consts::TAU, angles[0]);
            let closing = loop_length - along[m - 1];
            let t = if a1 > a0 { (0.0 - a0) / (a1 - a0) } else { 0.0 };
            let mut s = along[m - 1] + closing * t.clamp(0.0, 1.0);
            if s >= loop_length {
                s -= loop_length;
            }
            s
        }
        Some(k) => {
            let (a0, a1) = (angles[k - 1], angles[k]);
            let t = if a1 > a0 { -a0 / (a1 - a0) } else { 0.0 };
            along[k - 1] + (along[k] - along[k - 1]) * t.clamp(0.0, 1.0)
        }
    };

    let contour = Contour::around(body, Vec3::new(centre.x, height, centre.z))?;
    // Offset so the targets' loop is as long as the waist edge, but at least clear of the body.
    let offset = ((loop_length - contour.perimeter) / std::f32::consts::TAU).max(clearance);
    let eased = contour.offset(offset);
    let mut targets = vec![Vec3::ZERO; mesh.vertex_count()];
    for (k, group) in groups.iter().enumerate() {
        let s = (along[k] - front).rem_euclid(loop_length) / loop_length;
        let q = eased.at_fraction(s);
        for &v in group {
            targets[v as usize] = Vec3::new(q.x, height, q.y);
        }
    }
    Ok(waist.iter().map(|&v| targets[v as usize]).collect())
}

/// A closed cross-section of the torso in the horizontal plane, starting at centre front
/// (+z) and running toward +x.
#[derive(Debug, Clone)]
struct Contour {
    points: Vec<Vec2>,
    perimeter: f32,
}

impl Contour {
    /// The outermost torso surface along rays from `centre`.
    fn around(body: &CapsuleBody, centre: Vec3) -> Result<Self, DrapeError> {
        let keep = |r: BoneRole| r == BoneRole::Torso;
        let mut points = Vec::with_capacity(CONTOUR_SAMPLES);
        for i in 0..CONTOUR_SAMPLES {
            let a = i as f32 / CONTOUR_SAMPLES as f32 * std::f32::consts::TAU;
            let dir = Vec3::new(a.sin(), 0.0, a.cos());
            let mut t = 1.0f32;
            let mut hit = false;
            for _ in 0..500 {
                let d = body.rest_distance(centre + dir * t, keep);
                if d < 1e-5 {
                    hit = true;
                    break;
                }
                t -= d;
                if t <= 0.0 {
                    break;
                }
            }
            if !hit {
                return Err(DrapeError::NoBodyUnder {
                    what: "waist edge",
                    x: centre.x,
                    y: centre.y,
                });
            }
            let p = dir * t;
            points.push(Vec2::new(p.x + centre.x, p.z + centre.z));
        }
        Ok(Self::from_points(points))
    }

    fn from_points(points: Vec<Vec2>) -> Self {
        let n = points.len();
        let perimeter = (0..n)
            .map(|i| points[i].distance(points[(i + 1) % n]))
            .sum();
        Contour { points, perimeter }
    }

    /// Every point moved `distance` outward along the contour's normal.
    fn offset(&self, distance: f32) -> Contour {
        let n = self.points.len();
        let points = (0..n)
            .map(|i| {
                let tangent = self.points[(i + 1) % n] - self.points[(i + n - 1) % n];
                // The contour runs from +z toward +x, so in (x, z) the outward normal is
                // (−t_z, t_x).
                let normal = Vec2::new(-tangent.y, tangent.x).normalize_or_zero();
                self.points[i] + normal * distance
            })
            .collect();
        Self::from_points(points)
    }

    /// The point a fraction `s` (0..1) of the way around from centre front.
    fn at_fraction(&self, s: f32) -> Vec2 {
        let n = self.points.len();
        let mut left = s.clamp(0.0, 1.0) * self.perimeter;
        for i in 0..n {
            let (a, b) = (self.points[i], self.points[(i + 1) % n]);
            let len = a.distance(b);
            if left <= len {
                return a.lerp(b, if len > 0.0 { left / len } else { 0.0 });
            }
            left -= len;
        }
        self.points[0]
    }
}
