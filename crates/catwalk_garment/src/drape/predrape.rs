//! The pre-drape arrangement: each panel, placed flat where the pattern says, is curved onto
//! a cylinder around the body part it faces (the bounding cylinders CLO and Marvelous
//! Designer arrange panels on), so seams start short and never have to close through the
//! body.
//!
//! A panel faces the torso (a vertical axis through the torso's centre) unless its centre
//! is much closer ([`LIMB_PREFERENCE`]) to a limb capsule lying in the panel's plane, as a
//! sleeve half beside an arm is. The panel's centre goes to the point of the cylinder
//! facing the panel; distances across the axis become arc lengths (so the panel keeps its
//! size); the cylinder's radius is the panel's distance from the axis, widened so that no
//! panel wraps more than [`MAX_WRAP`] of a half turn to either side.

use catwalk_cloth::glam::Vec3;

use super::body::{BoneRole, CapsuleBody, Shape};
use crate::mesh::GarmentMesh;

/// A limb is chosen over the torso when the panel is closer to it than this fraction of its
/// distance to the torso axis.
pub const LIMB_PREFERENCE: f32 = 0.6;
/// The largest wrap to either side of the panel's centre, as a fraction of a half turn.
pub const MAX_WRAP: f32 = 0.45;

/// The pre-drape position of every vertex of `mesh` around `body` in its rest pose.
pub(crate) fn wrapped_positions(mesh: &GarmentMesh, body: &CapsuleBody) -> Vec<Vec3> {
    let mut out = mesh.placed_m.clone();
    let torso = torso_centre(body);
    for span in &mesh.panels {
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
        let Some((origin, axis)) = choose_axis(body, torso, centre, normal) else {
            continue;
        };
        let Some(wrapped) = wrap(points, centre, normal, origin, axis) else {
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

/// The axis a panel wraps around: a point on it and its direction.
fn choose_axis(
    body: &CapsuleBody,
    torso: Vec3,
    centre: Vec3,
    normal: Vec3,
) -> Option<(Vec3, Vec3)> {
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
            best = (d, Some((c.a, axis)));
        }
    }
    match best.1 {
        Some(limb) => Some(limb),
        None if normal.y.abs() < 0.5 => Some((torso_origin, Vec3::Y)),
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
