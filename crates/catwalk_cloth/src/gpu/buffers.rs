//! Packing the CPU cloth's flat arrays into the little-endian byte layouts the WGSL structs in
//! `shaders/cloth/common.wgsl` declare (no `unsafe`, no casts of slices).

use glam::Vec3;

use crate::colliders::ColliderPose;

/// A growing byte buffer with typed pushes.
#[derive(Debug, Default)]
pub(crate) struct Bytes(pub Vec<u8>);

impl Bytes {
    pub fn f32(&mut self, v: f32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn vec4(&mut self, v: Vec3, w: f32) -> &mut Self {
        self.f32(v.x).f32(v.y).f32(v.z).f32(w)
    }

    /// Pads with zeros to a multiple of `align` bytes.
    pub fn pad_to(&mut self, align: usize) -> &mut Self {
        while !self.0.len().is_multiple_of(align) {
            self.0.push(0);
        }
        self
    }
}

/// Kind tags of the WGSL `Collider` record.
const SPHERE: f32 = 0.0;
const CAPSULE: f32 = 1.0;
const PLANE: f32 = 2.0;

/// Bytes of one WGSL `Collider` record.
pub(crate) const COLLIDER_BYTES: usize = 64;

/// The colliders as WGSL `Collider` records, from the pose at the start of the frame to the
/// pose at its end, in the order `deepest_contact` visits them: spheres, capsules, planes.
pub(crate) fn colliders(start: &ColliderPose, end: &ColliderPose) -> Vec<u8> {
    let mut b = Bytes::default();
    for (s0, s1) in start.spheres.iter().zip(&end.spheres) {
        b.vec4(s0.center, SPHERE).vec4(Vec3::ZERO, s0.radius);
        b.vec4(s1.center, 0.0).vec4(Vec3::ZERO, s1.radius);
    }
    for (c0, c1) in start.capsules.iter().zip(&end.capsules) {
        b.vec4(c0.a, CAPSULE).vec4(c0.b, c0.radius);
        b.vec4(c1.a, 0.0).vec4(c1.b, c1.radius);
    }
    for plane in &end.planes {
        b.vec4(plane.normal, PLANE).vec4(Vec3::ZERO, 0.0);
        b.vec4(plane.normal, 0.0).vec4(Vec3::ZERO, plane.offset);
    }
    b.0
}

/// Reads `vec4` records back as points (xyz).
pub(crate) fn read_points(bytes: &[u8]) -> Vec<Vec3> {
    let f = |c: &[u8]| f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    bytes
        .chunks_exact(16)
        .map(|c| Vec3::new(f(&c[0..4]), f(&c[4..8]), f(&c[8..12])))
        .collect()
}

/// WGSL `Attachment` records: start and end target of each attached vertex, and the
/// attachments' compliance.
pub(crate) fn attachment_records(
    vertex: &[u32],
    from: &[Vec3],
    to: &[Vec3],
    compliance: f32,
) -> Vec<u8> {
    let mut b = Bytes::default();
    for ((&v, &f), &t) in vertex.iter().zip(from).zip(to) {
        b.f32(f.x).f32(f.y).f32(f.z).u32(v);
        b.vec4(t, compliance);
    }
    b.0
}
