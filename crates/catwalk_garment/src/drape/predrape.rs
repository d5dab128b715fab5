//! The pre-drape arrangement: each panel, placed flat where the pattern says, is curved onto
//! a cylinder around the body part it faces (the bounding cylinders CLO and Marvelous
//! Designer arrange panels on), so seams start short and never have to close through the
//! body.
//!
//! A panel faces the torso (a vertical axis through the torso's centre) unless its centre
//! is much closer ([`LIMB_PREFERENCE`]) to a limb capsule lying in the panel's plane, as a
//! sleeve half beside an arm is. The panel's centre goes to the point of the cylinder
//! facing the panel; distances across the axis become arc lengths (so the panel keeps its
//! size). Round the torso the cylinder's radius is the panel's distance from the axis,
//! widened so that no panel wraps more than [`MAX_WRAP`] of a half turn to either side.
//! Round a limb each row of the panel across the limb gets its own radius, the one at which
//! it wraps [`MAX_WRAP`] of a half turn to either side (never inside the limb): the two halves
//! of a sleeve become a tube that follows its taper round the arm itself, wherever the
//! pattern placed it (an avatar's arm is rarely exactly where the draft assumed).
//!
//! A panel labelled [`LEG_LABEL`] (a trouser leg's front or back) is dressed like a pair of
//! trousers laid on a tailor's dummy: below the crotch each row of it is curved half-way
//! round its leg, centred on the leg's front (or back), so the inseam and outseam meet their
//! partners beside the leg instead of closing through it; above the hip line it curves
//! round the hips where it lies; in between the two shapes are blended.

use catwalk_cloth::glam::Vec3;

use super::body::{BoneRole, CapsuleBody, Shape};
use crate::mesh::GarmentMesh;
use crate::pattern::Pattern;

/// A limb is chosen over the torso when the panel is closer to it than this fraction of its
/// distance to the torso axis.
pub const LIMB_PREFERENCE: f32 = 0.6;
/// The largest wrap to either side of the panel's centre, as a fraction of a half turn.
pub const MAX_WRAP: f32 = 0.45;
/// The panel label (GarmentCode's optional body-part label) of a trouser leg's panels.
pub const LEG_LABEL: &str = "leg";
/// How much of a half turn a leg panel's row covers to either side of the leg's front.
pub const LEG_WRAP: f32 = 0.47;
/// Height of the rows a leg panel's width is measured in (m).
const ROW_M: f32 = 0.02;

/// The pre-drape position of every vertex of `mesh` around `body` in its rest pose.
pub(crate) fn wrapped_positions(
    pattern: &Pattern,
    mesh: &GarmentMesh,
    body: &CapsuleBody,
) -> Vec<Vec3> {
    let mut out = mesh.placed_m.clone();
    let torso = torso_centre(body);
    for span in &mesh.panels {
        let is_leg = pattern
            .panels
            .iter()
            .any(|p| p.name == span.name && p.label.as_deref() == Some(LEG_LABEL));
        let vertices = span.vertices.start as usize..span.vertices.end as usize;
        let points = &mesh.placed_m[vertices.clone()];
        let centre = points.iter().fold(Vec3::ZERO, |a, &p| a + p) / points.len() as f32;
        let mut normal = Vec3::ZERO;
        for t in span.triangles.start..span.triangles.end {
            let [a, b, c] = mesh.triangles[t as usize].map(|i| mesh.placed_m[i as usize]);
            normal += (b - a).cross(c - a);
        }
        let Some(normal) = normal.try_normalize() else {
            continue;
        };
        if is_leg && let Some(wrapped) = leg_wrap(points, centre, normal, torso, body) {
            out[vertices].copy_from_slice(&wrapped);
            continue;
        }
        let Some((origin, axis, limb_radius)) = choose_axis(body, torso, centre, normal) else {
            continue;
        };
        let wrapped = match limb_radius {
            Some(r) => limb_wrap(points, centre, normal, origin, axis, r),
            None => wrap(points, centre, normal, origin, axis),
        };
        let Some(wrapped) = wrapped else {
            continue;
        };
        out[vertices].copy_from_slice(&wrapped);
    }
    out
}

/// The torso's centre line (x, z) from its shapes.
fn torso_centre(body: &CapsuleBody) -> Vec3 {
    let mut sum = Vec3::ZERO;
    let mut n = 0.0f32;
    for s in body.shapes() {
        if body.bones()[s.bone].role == BoneRole::Torso {
            sum += match s.shape {
                Shape::Capsule(c) => (c.a + c.b) * 0.5,
                Shape::Sphere(s) => s.center,
            };
            n += 1.0;
        }
    }
    let c = sum / n.max(1.0);
    Vec3::new(c.x, 0.0, c.z)
}

/// The axis a panel wraps around: a point on it, its direction and, for a limb, the limb's
/// radius.
fn choose_axis(
    body: &CapsuleBody,
    torso: Vec3,
    centre: Vec3,
    normal: Vec3,
) -> Option<(Vec3, Vec3, Option<f32>)> {
    let torso_origin = Vec3::new(torso.x, centre.y, torso.z);
    let torso_distance = centre.distance(torso_origin);
    let mut best = (torso_distance * LIMB_PREFERENCE, None);
    for s in body.shapes() {
        let (Shape::Capsule(c), BoneRole::Limb) = (s.shape, body.bones()[s.bone].role) else {
            continue;
        };
        let axis = (c.b - c.a).normalize_or_zero();
        if axis == Vec3::ZERO || axis.dot(normal).abs() > 0.5 {
            continue;
        }
        let t = c.closest_parameter(centre);
        let d = centre.distance(c.a.lerp(c.b, t));
        if d < best.0 {
            best = (d, Some((c.a, axis, Some(c.radius))));
        }
    }
    match best.1 {
        Some(limb) => Some(limb),
        None if normal.y.abs() < 0.5 => Some((torso_origin, Vec3::Y, None)),
        None => None,
    }
}

/// The panel's points curved onto a cylinder about the axis (see the module docs); `None`
/// when the axis does not lie in the panel's plane.
fn wrap(
    points: &[Vec3],
    centre: Vec3,
    normal: Vec3,
    origin: Vec3,
    axis: Vec3,
) -> Option<Vec<Vec3>> {
    // The axis within the panel's plane, and the direction from the axis to the panel.
    let axis = (axis - normal * axis.dot(normal)).try_normalize()?;
    let offset = centre - origin;
    let facing = if offset.dot(normal) >= 0.0 {
        normal
    } else {
        -normal
    };
    let across = axis.cross(facing);
    let along_centre = offset.dot(axis);
    let half_width = points
        .iter()
        .map(|&p| (p - centre).dot(across).abs())
        .fold(0.0f32, f32::max);
    let radius = offset
        .dot(facing)
        .abs()
        .max(half_width / (MAX_WRAP * std::f32::consts::PI));
    let foot = origin + axis * along_centre;
    Some(
        points
            .iter()
            .map(|&p| {
                let rel = p - centre;
                let angle = rel.dot(across) / radius;
                let height = rel.dot(axis);
                foot + axis * height + (facing * angle.cos() + across * angle.sin()) * radius
            })
            .collect(),
    )
}

/// Clearance between a limb and the tube a panel is wrapped into (m).
const LIMB_CLEARANCE_M: f32 = 0.005;

/// The panel's points curved round a limb's axis row by row (see the module docs); `None`
/// when the axis does not lie in the panel's plane.
fn limb_wrap(
    points: &[Vec3],
    centre: Vec3,
    normal: Vec3,
    origin: Vec3,
    axis: Vec3,
    limb_radius: f32,
) -> Option<Vec<Vec3>> {
    let axis = (axis - normal * axis.dot(normal)).try_normalize()?;
    // The facing direction is measured from the limb's axis, not the panel's plane: the
    // limb may lie off where the draft placed the panel.
    let offset = centre - origin;
    let radial = (offset - axis * offset.dot(axis)).try_normalize();
    let facing = match radial {
        Some(r) if r.dot(normal).abs() > 0.3 => {
            if r.dot(normal) >= 0.0 {
                normal
            } else {
                -normal
            }
        }
        _ => {
            if offset.dot(normal) >= 0.0 {
                normal
            } else {
                -normal
            }
        }
    };
    let across = axis.cross(facing);
    let heights: Vec<f32> = points.iter().map(|&p| (p - origin).dot(axis)).collect();
    let lowest = heights.iter().copied().fold(f32::INFINITY, f32::min);
    let row_of = |h: f32| ((h - lowest) / ROW_M).floor().max(0.0) as usize;
    let row: Vec<usize> = heights.iter().map(|&h| row_of(h)).collect();
    let extent = row_extents(points, &row, across);
    let least = limb_radius + LIMB_CLEARANCE_M;
    Some(
        points
            .iter()
            .zip(&heights)
            .map(|(&p, &h)| {
                let (lo, hi) = extent[row_of(h)];
                let width = (hi - lo).max(1e-3);
                let radius = (width / (2.0 * MAX_WRAP * std::f32::consts::PI)).max(least);
                let angle = (p.dot(across) - (lo + hi) * 0.5) / radius;
                origin + axis * h + (facing * angle.cos() + across * angle.sin()) * radius
            })
            .collect(),
    )
}

/// The extent `(min, max)` along `across` of each row of a panel, `row[i]` being point `i`'s
/// row; rows without a vertex borrow their neighbour's extent.
fn row_extents(points: &[Vec3], row: &[usize], across: Vec3) -> Vec<(f32, f32)> {
    let rows = row.iter().copied().max().unwrap_or(0) + 1;
    let mut extent = vec![(f32::INFINITY, f32::NEG_INFINITY); rows];
    for (p, &r) in points.iter().zip(row) {
        let c = p.dot(across);
        let e = &mut extent[r];
        *e = (e.0.min(c), e.1.max(c));
    }
    for i in 1..rows {
        if extent[i].0 > extent[i].1 {
            extent[i] = extent[i - 1];
        }
    }
    for i in (0..rows.saturating_sub(1)).rev() {
        if extent[i].0 > extent[i].1 {
            extent[i] = extent[i + 1];
        }
    }
    extent
}

/// One leg as the pre-drape sees it: its axis from the hip joint down (points sorted from
/// the top) and the thigh's radius at the top.
struct Leg {
    axis: Vec<Vec3>,
    thigh_radius: f32,
}

impl Leg {
    /// The legs of `body`: chains of near-vertical limb capsules, one per side of the torso.
    fn of_side(body: &CapsuleBody, torso: Vec3, side: f32) -> Option<Leg> {
        let mut capsules: Vec<_> = body
            .shapes()
            .iter()
            .filter(|s| body.bones()[s.bone].role == BoneRole::Limb)
            .filter_map(|s| match s.shape {
                Shape::Capsule(c) => Some(c),
                Shape::Sphere(_) => None,
            })
            .filter(|c| {
                let d = (c.b - c.a).normalize_or_zero();
                d.y.abs() > 0.85 && ((c.a.x + c.b.x) * 0.5 - torso.x) * side > 0.0
            })
            .collect();
        let top = |c: &catwalk_cloth::Capsule| c.a.y.max(c.b.y);
        capsules.sort_by(|p, q| top(q).total_cmp(&top(p)));
        let first = capsules.first()?;
        let mut axis = Vec::new();
        for c in &capsules {
            let (hi, lo) = if c.a.y >= c.b.y {
                (c.a, c.b)
            } else {
                (c.b, c.a)
            };
            axis.push(hi);
            axis.push(lo);
        }
        axis.sort_by(|p, q| q.y.total_cmp(&p.y));
        Some(Leg {
            axis,
            thigh_radius: first.radius,
        })
    }

    /// The top of the leg (the hip joint).
    fn top(&self) -> Vec3 {
        self.axis[0]
    }

    /// The point of the axis at height `y` (clamped to its ends).
    fn at(&self, y: f32) -> Vec3 {
        let first = self.axis[0];
        if y >= first.y {
            return Vec3::new(first.x, y, first.z);
        }
        for pair in self.axis.windows(2) {
            let (hi, lo) = (pair[0], pair[1]);
            if y >= lo.y {
                let t = if hi.y > lo.y {
                    (hi.y - y) / (hi.y - lo.y)
                } else {
                    0.0
                };
                let p = hi.lerp(lo, t);
                return Vec3::new(p.x, y, p.z);
            }
        }
        let last = self.axis[self.axis.len() - 1];
        Vec3::new(last.x, y, last.z)
    }
}

/// A trouser leg panel curved round its leg below the crotch and round the hips above (see
/// the module docs); `None` when the panel does not face front or back or the body has no
/// leg on its side.
fn leg_wrap(
    points: &[Vec3],
    centre: Vec3,
    normal: Vec3,
    torso: Vec3,
    body: &CapsuleBody,
) -> Option<Vec<Vec3>> {
    let facing = Vec3::new(normal.x, 0.0, normal.z).try_normalize()?;
    if normal.y.abs() > 0.5 {
        return None;
    }
    let out_of_body = centre - Vec3::new(torso.x, centre.y, torso.z);
    let facing = if out_of_body.dot(facing) >= 0.0 {
        facing
    } else {
        -facing
    };
    let across = Vec3::Y.cross(facing);
    // The leg on the side where the panel's lowest rows lie.
    let bottom = points.iter().map(|p| p.y).fold(f32::INFINITY, f32::min);
    let low: Vec<Vec3> = points
        .iter()
        .copied()
        .filter(|p| p.y < bottom + 2.0 * ROW_M)
        .collect();
    let low_centre = low.iter().fold(Vec3::ZERO, |a, &p| a + p) / low.len().max(1) as f32;
    let side = if low_centre.x >= torso.x { 1.0 } else { -1.0 };
    let leg = Leg::of_side(body, torso, side)?;

    // Each row's extent across the panel.
    let row_of = |y: f32| ((y - bottom) / ROW_M).floor().max(0.0) as usize;
    let row: Vec<usize> = points.iter().map(|p| row_of(p.y)).collect();
    let extent = row_extents(points, &row, across);

    // Below `crotch` the leg shape, above `hips` the hip shape.
    let top = leg.top();
    let crotch = top.y - 0.5 * leg.thigh_radius;
    let hips = top.y + leg.thigh_radius;
    let torso_radius = out_of_body.dot(facing).abs().max(leg.thigh_radius);
    let torso_at = |p: Vec3| {
        let angle = (p - torso).dot(across) / torso_radius;
        Vec3::new(torso.x, p.y, torso.z)
            + (facing * angle.cos() + across * angle.sin()) * torso_radius
    };
    let leg_at = |p: Vec3| {
        let (lo, hi) = extent[row_of(p.y)];
        let width = (hi - lo).max(1e-3);
        let radius = width / (2.0 * LEG_WRAP * std::f32::consts::PI);
        let angle = (p.dot(across) - (lo + hi) * 0.5) / radius;
        // Keep the tube off the other leg's: its inner side reaches the middle at most.
        let axis = leg.at(p.y);
        let lateral = axis.x - torso.x;
        let x = torso.x + side * lateral.abs().max(radius);
        Vec3::new(x, p.y, axis.z) + (facing * angle.cos() + across * angle.sin()) * radius
    };
    Some(
        points
            .iter()
            .map(|&p| {
                let t = ((p.y - crotch) / (hips - crotch)).clamp(0.0, 1.0);
                let w = t * t * (3.0 - 2.0 * t);
                leg_at(p).lerp(torso_at(p), w)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sleeve_half_placed_off_the_arm_wraps_snugly_round_the_arm_itself() {
        // An arm along −y from the origin, 4 cm thick; a tapering sleeve half (18 cm wide at
        // the top, 10 cm at the bottom, 50 cm long) placed flat in front of it but 7 cm to
        // the side and 6 cm too low, as a draft for another body would place it.
        let (origin, axis, limb_radius) = (Vec3::ZERO, Vec3::NEG_Y, 0.04);
        let mut points = Vec::new();
        for j in 0..=25 {
            let t = j as f32 / 25.0;
            let width = 0.18 + (0.10 - 0.18) * t;
            for i in 0..=10 {
                let x = (i as f32 / 10.0 - 0.5) * width;
                points.push(Vec3::new(0.07 + x, -0.06 - 0.5 * t, 0.08));
            }
        }
        let centre = points.iter().fold(Vec3::ZERO, |a, &p| a + p) / points.len() as f32;
        let wrapped =
            limb_wrap(&points, centre, Vec3::Z, origin, axis, limb_radius).expect("wraps");
        for (row, chunk) in wrapped.chunks(11).enumerate() {
            let width = 0.18 + (0.10 - 0.18) * row as f32 / 25.0;
            let want = (width / (2.0 * MAX_WRAP * std::f32::consts::PI)).max(limb_radius + 0.005);
            for p in chunk {
                let r = Vec3::new(p.x, 0.0, p.z).length();
                // Rows are measured in 2 cm bands, so a band takes its widest row's radius.
                assert!(
                    (r - want).abs() < 2e-3,
                    "row {row}: radius {r}, want {want}"
                );
                // Centred on the arm's front, not where the panel was placed.
                assert!(p.z > -0.2 * want, "row {row}: {p} wraps round the back");
            }
            // Each row keeps its width as arc length round the arm.
            let arc: f32 = chunk.windows(2).map(|w| w[0].distance(w[1])).sum();
            assert!(
                (arc - width).abs() < 0.01 * width,
                "row {row}: arc {arc}, width {width}"
            );
        }
    }
}
