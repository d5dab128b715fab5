//! Body colliders: spheres and capsules driven by a skeleton, and static planes (the ground).
//!
//! The caller moves each shape to its pose at the *end* of the coming frame; the solver
//! interpolates linearly between the previous and the new pose across the substeps, so a leg
//! sweeping through the cloth pushes it substep by substep instead of teleporting.

use std::sync::Arc;

use glam::Vec3;

use crate::sdf::SdfGrid;

/// A sphere collider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sphere {
    /// Centre, m.
    pub center: Vec3,
    /// Radius, m.
    pub radius: f32,
}

/// A capsule collider: the set of points within `radius` of the segment `a`–`b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capsule {
    /// One end of the core segment, m.
    pub a: Vec3,
    /// The other end of the core segment, m.
    pub b: Vec3,
    /// Radius, m.
    pub radius: f32,
}

/// A static half-space: points with `normal · x < offset` are inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    /// Unit normal pointing out of the solid.
    pub normal: Vec3,
    /// Signed distance of the plane from the origin along `normal`.
    pub offset: f32,
}

impl Plane {
    /// The ground plane `y = height`, solid below.
    pub fn ground(height: f32) -> Self {
        Plane {
            normal: Vec3::Y,
            offset: height,
        }
    }
}

/// Handle of a sphere in a [`ColliderSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SphereId(pub usize);

/// Handle of a capsule in a [`ColliderSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CapsuleId(pub usize);

/// Where a point is relative to a collider surface.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurfacePoint {
    /// Signed distance to the surface, m (negative inside).
    pub distance: f32,
    /// Outward unit normal at the closest surface point.
    pub normal: Vec3,
}

impl Sphere {
    /// Signed distance and normal at `p`.
    pub fn surface(&self, p: Vec3) -> SurfacePoint {
        let d = p - self.center;
        let len = d.length();
        let normal = if len > 1e-9 { d / len } else { Vec3::Y };
        SurfacePoint {
            distance: len - self.radius,
            normal,
        }
    }

    /// Linear interpolation between two poses (`t` in 0..=1).
    pub fn lerp(&self, to: &Sphere, t: f32) -> Sphere {
        Sphere {
            center: self.center.lerp(to.center, t),
            radius: self.radius + (to.radius - self.radius) * t,
        }
    }
}

impl Capsule {
    /// Parameter (0..=1) of the closest point on the core segment to `p`.
    pub fn closest_parameter(&self, p: Vec3) -> f32 {
        let ab = self.b - self.a;
        let len2 = ab.length_squared();
        if len2 < 1e-12 {
            0.0
        } else {
            ((p - self.a).dot(ab) / len2).clamp(0.0, 1.0)
        }
    }

    /// Signed distance and normal at `p`, plus the segment parameter of the closest point.
    pub fn surface(&self, p: Vec3) -> (SurfacePoint, f32) {
        let t = self.closest_parameter(p);
        let core = self.a.lerp(self.b, t);
        let d = p - core;
        let len = d.length();
        let normal = if len > 1e-9 {
            d / len
        } else {
            // On the axis: push out perpendicular to it.
            (self.b - self.a).any_orthonormal_vector()
        };
        (
            SurfacePoint {
                distance: len - self.radius,
                normal,
            },
            t,
        )
    }

    /// Linear interpolation between two poses (`t` in 0..=1).
    pub fn lerp(&self, to: &Capsule, t: f32) -> Capsule {
        Capsule {
            a: self.a.lerp(to.a, t),
            b: self.b.lerp(to.b, t),
            radius: self.radius + (to.radius - self.radius) * t,
        }
    }
}

impl Plane {
    /// Signed distance and normal at `p`.
    pub fn surface(&self, p: Vec3) -> SurfacePoint {
        SurfacePoint {
            distance: self.normal.dot(p) - self.offset,
            normal: self.normal,
        }
    }
}

/// The colliders a cloth collides with, at their current pose. Each [`crate::Cloth`]
/// remembers the pose it last stepped to and interpolates from there, so one set can drive
/// several garments on the same body.
#[derive(Debug, Clone, Default)]
pub struct ColliderSet {
    pose: ColliderPose,
}

/// The colliders at one instant (a substep's start or end pose).
#[derive(Debug, Clone, Default)]
pub struct ColliderPose {
    /// Spheres at this instant.
    pub spheres: Vec<Sphere>,
    /// Capsules at this instant.
    pub capsules: Vec<Capsule>,
    /// Static planes.
    pub planes: Vec<Plane>,
    /// Static signed-distance grids (shared, not copied, per pose).
    pub sdfs: Vec<Arc<SdfGrid>>,
}

impl ColliderSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a sphere.
    pub fn add_sphere(&mut self, sphere: Sphere) -> SphereId {
        self.pose.spheres.push(sphere);
        SphereId(self.pose.spheres.len() - 1)
    }

    /// Adds a capsule.
    pub fn add_capsule(&mut self, capsule: Capsule) -> CapsuleId {
        self.pose.capsules.push(capsule);
        CapsuleId(self.pose.capsules.len() - 1)
    }

    /// Adds a static plane.
    pub fn add_plane(&mut self, plane: Plane) {
        self.pose.planes.push(plane);
    }

    /// Adds a static signed-distance grid (a body mesh in a fixed pose).
    pub fn add_sdf(&mut self, grid: SdfGrid) {
        self.pose.sdfs.push(Arc::new(grid));
    }

    /// Moves a sphere to where it is at the end of the coming step. Unknown ids are ignored.
    pub fn move_sphere(&mut self, id: SphereId, center: Vec3) {
        if let Some(s) = self.pose.spheres.get_mut(id.0) {
            s.center = center;
        }
    }

    /// Moves a capsule's ends to where they are at the end of the coming step. Unknown ids
    /// are ignored.
    pub fn move_capsule(&mut self, id: CapsuleId, a: Vec3, b: Vec3) {
        if let Some(c) = self.pose.capsules.get_mut(id.0) {
            c.a = a;
            c.b = b;
        }
    }

    /// Number of shapes of all kinds.
    pub fn len(&self) -> usize {
        let p = &self.pose;
        p.spheres.len() + p.capsules.len() + p.planes.len() + p.sdfs.len()
    }

    /// Whether there are no colliders.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The current pose.
    pub fn current(&self) -> &ColliderPose {
        &self.pose
    }
}

impl ColliderPose {
    /// Whether `other` has the same shapes (counts of each kind), so the two can be blended.
    pub fn same_shapes(&self, other: &ColliderPose) -> bool {
        self.spheres.len() == other.spheres.len()
            && self.capsules.len() == other.capsules.len()
            && self.planes.len() == other.planes.len()
            && self.sdfs.len() == other.sdfs.len()
    }

    /// Writes the blend `t` of the way from `from` to `to` into `self` (linear in the sphere
    /// centres and capsule end points; planes and grids are static). Allocation-free once
    /// `self` has grown. `from` and `to` must have the same shapes.
    pub fn blend(&mut self, from: &ColliderPose, to: &ColliderPose, t: f32) {
        self.spheres.clear();
        self.spheres.extend(
            from.spheres
                .iter()
                .zip(&to.spheres)
                .map(|(a, b)| a.lerp(b, t)),
        );
        self.capsules.clear();
        self.capsules.extend(
            from.capsules
                .iter()
                .zip(&to.capsules)
                .map(|(a, b)| a.lerp(b, t)),
        );
        self.planes.clone_from(&to.planes);
        self.sdfs.clone_from(&to.sdfs);
    }
}

/// The deepest contact of a point with a pose: signed distance, normal and the displacement
/// of the touched surface point between `from` and `to` (for friction).
///
/// Capsules are compared by squared distance to their core segment first; the square root,
/// the normal and the motion are worked out only for a capsule that is deeper than the
/// deepest so far (a body has dozens of capsules and a vertex touches one or two).
pub(crate) fn deepest_contact(
    from: &ColliderPose,
    to: &ColliderPose,
    p: Vec3,
) -> Option<(SurfacePoint, Vec3)> {
    let capsules = to.capsules.len().min(from.capsules.len());
    deepest_contact_among(from, to, p, (0..capsules).map(|i| i as u32))
}

/// [`deepest_contact`] over the spheres, planes and grids and only the capsules listed
/// (indices into the pose's capsules, each below both poses' capsule counts).
pub(crate) fn deepest_contact_among(
    from: &ColliderPose,
    to: &ColliderPose,
    p: Vec3,
    capsules: impl IntoIterator<Item = u32>,
) -> Option<(SurfacePoint, Vec3)> {
    let mut best: Option<(SurfacePoint, Vec3)> = None;
    let consider = |best: &mut Option<(SurfacePoint, Vec3)>, s: SurfacePoint, motion: Vec3| {
        if best.as_ref().is_none_or(|(b, _)| s.distance < b.distance) {
            *best = Some((s, motion));
        }
    };
    for (a, b) in from.spheres.iter().zip(&to.spheres) {
        consider(&mut best, b.surface(p), b.center - a.center);
    }
    // The deepest capsule so far.
    let mut deepest: Option<usize> = None;
    let mut limit = best.as_ref().map_or(f32::INFINITY, |(s, _)| s.distance);
    for i in capsules {
        let i = i as usize;
        let c = &to.capsules[i];
        // Its distance `len - radius` can only beat `limit` if `len < limit + radius`.
        let reach = limit + c.radius;
        if reach <= 0.0 {
            continue;
        }
        let t = c.closest_parameter(p);
        let len2 = (p - c.a.lerp(c.b, t)).length_squared();
        if reach.is_finite() && len2 >= reach * reach {
            continue;
        }
        let len = len2.sqrt();
        if len - c.radius < limit {
            limit = len - c.radius;
            deepest = Some(i);
        }
    }
    if let Some(i) = deepest {
        let (b, a) = (&to.capsules[i], &from.capsules[i]);
        let (s, t) = b.surface(p);
        consider(&mut best, s, b.a.lerp(b.b, t) - a.a.lerp(a.b, t));
    }
    for plane in &to.planes {
        consider(&mut best, plane.surface(p), Vec3::ZERO);
    }
    for sdf in &to.sdfs {
        consider(&mut best, sdf.surface(p), Vec3::ZERO);
    }
    best
}

impl ColliderPose {
    /// Whether the pose holds no shapes.
    pub fn is_empty(&self) -> bool {
        self.spheres.is_empty()
            && self.capsules.is_empty()
            && self.planes.is_empty()
            && self.sdfs.is_empty()
    }

    /// How deep `p` is inside the union of the shapes (0 when outside all of them).
    pub fn penetration(&self, p: Vec3) -> f32 {
        let mut depth = 0.0f32;
        for s in &self.spheres {
            depth = depth.max(-s.surface(p).distance);
        }
        for c in &self.capsules {
            depth = depth.max(-c.surface(p).0.distance);
        }
        for plane in &self.planes {
            depth = depth.max(-plane.surface(p).distance);
        }
        for sdf in &self.sdfs {
            depth = depth.max(-sdf.distance(p));
        }
        depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capsule_distance_is_measured_from_the_core_segment() {
        let c = Capsule {
            a: Vec3::ZERO,
            b: Vec3::new(0.0, 1.0, 0.0),
            radius: 0.1,
        };
        let (s, t) = c.surface(Vec3::new(0.3, 0.5, 0.0));
        assert!((s.distance - 0.2).abs() < 1e-6);
        assert!((t - 0.5).abs() < 1e-6);
        assert!((s.normal - Vec3::X).length() < 1e-6);
        // Beyond the end cap the distance is to the end point.
        let (s, _) = c.surface(Vec3::new(0.0, 1.5, 0.0));
        assert!((s.distance - 0.4).abs() < 1e-6);
    }

    #[test]
    fn interpolated_pose_lies_between_the_two_frames() {
        let mut set = ColliderSet::new();
        let id = set.add_capsule(Capsule {
            a: Vec3::ZERO,
            b: Vec3::Y,
            radius: 0.1,
        });
        let start = set.current().clone();
        set.move_capsule(id, Vec3::X, Vec3::X + Vec3::Y);
        assert!(start.same_shapes(set.current()));
        let mut pose = ColliderPose::default();
        pose.blend(&start, set.current(), 0.25);
        assert!((pose.capsules[0].a - Vec3::new(0.25, 0.0, 0.0)).length() < 1e-6);
        assert!((pose.capsules[0].b - Vec3::new(0.25, 1.0, 0.0)).length() < 1e-6);
    }
}
