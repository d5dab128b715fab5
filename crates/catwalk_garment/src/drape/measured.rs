//! A capsule body built from a measurement sheet, so garments drape today without an
//! avatar.
//!
//! The torso is a stack of horizontal capsules (axis left–right) from the hip line up to the
//! bust, each a stadium in cross-section whose girth is the body's girth at that height
//! (interpolated between hips, waist and bust) and whose width is [`HIP_WIDTH_RATIO`] /
//! [`BUST_WIDTH_RATIO`] times its depth. Proportions the sheet does not carry are estimates,
//! documented at each constant: the bust line, knee and ankle heights are fractions of the
//! height (anthropometric tables put them near 0.72, 0.285 and 0.045), limb girths are
//! fractions of the bust or hips. The shoulder line matches the top programs' drafting (high
//! point at the body's shoulder height, shoulder point [`SHOULDER_DROP_CM`] lower) and the arms hang
//! in the A-pose the sleeves are placed for ([`ARM_ANGLE_DEG`]).

use std::f32::consts::PI;

use catwalk_cloth::glam::Vec3;
use catwalk_cloth::{Capsule, Sphere};

use super::body::{BodyShape, Bone, BoneRole, CapsuleBody, Shape};
use crate::body::BodyMeasurements;
use crate::programs::top::{ARM_ANGLE_DEG, SHOULDER_DROP_CM};

/// Width over depth of the torso at the hips.
pub const HIP_WIDTH_RATIO: f32 = 1.3;
/// Width over depth of the torso at the bust.
pub const BUST_WIDTH_RATIO: f32 = 1.4;
/// Bust line height as a fraction of the height.
pub const BUST_HEIGHT_RATIO: f32 = 0.72;
/// Knee height as a fraction of the height.
pub const KNEE_HEIGHT_RATIO: f32 = 0.285;
/// Ankle height as a fraction of the height.
pub const ANKLE_HEIGHT_RATIO: f32 = 0.045;
/// Thigh girth at the top as a fraction of the hips: a little under a real thigh's (about
/// 0.56), because round capsules that far apart would stand out of the hip outline; with
/// [`THIGH_GAP_RATIO`] the thighs then fit inside the hips and leave the crotch seam room.
pub const THIGH_GIRTH_RATIO: f32 = 0.5;
/// Knee girth as a fraction of the hips (the thigh tapers to it).
pub const KNEE_GIRTH_RATIO: f32 = 0.38;
/// Distance of each hip joint from the middle, in thigh radii at the top: a little more
/// than one, so the crotch seam has room between the thighs (about 2.5 cm).
pub const THIGH_GAP_RATIO: f32 = 1.15;
/// Capsules each thigh is built of, from the full top girth tapering to the knee girth.
pub const THIGH_SEGMENTS: usize = 3;
/// Calf girth as a fraction of the hips.
pub const CALF_GIRTH_RATIO: f32 = 0.35;
/// Upper-arm girth as a fraction of the bust.
pub const UPPER_ARM_GIRTH_RATIO: f32 = 0.29;
/// Forearm girth as a fraction of the bust.
pub const FOREARM_GIRTH_RATIO: f32 = 0.23;
/// Neck girth as a fraction of the bust.
pub const NECK_GIRTH_RATIO: f32 = 0.36;
/// Upper arm as a fraction of the arm length (shoulder to wrist).
pub const UPPER_ARM_RATIO: f32 = 0.45;
/// The torso stack has a capsule at least every this many metres.
const TORSO_SPACING_M: f32 = 0.04;
/// How far above the crotch the torso's lowest surface stays (m).
pub const CROTCH_CLEARANCE_M: f32 = 0.01;
/// The thinnest capsule a flattened torso slice is built of (m).
const MIN_SLICE_RADIUS_M: f32 = 0.02;

/// Bone names of [`CapsuleBody::from_measurements`], in order.
pub const BONES: [&str; 11] = [
    "pelvis",
    "chest",
    "head",
    "upper_arm_left",
    "forearm_left",
    "upper_arm_right",
    "forearm_right",
    "thigh_left",
    "shin_left",
    "thigh_right",
    "shin_right",
];

impl CapsuleBody {
    /// A capsule body for `body` in the A-pose, standing on y = 0, facing +z; "left" is the
    /// body's own left (+x). Bones are [`BONES`].
    pub fn from_measurements(body: &BodyMeasurements) -> CapsuleBody {
        let cm = |v: f64| v as f32 / 100.0;
        let height = cm(body.height());
        let (bust, waist, hips) = (cm(body.bust()), cm(body.waist()), cm(body.hips()));
        let waist_y = cm(body.waist_height());
        let hip_y = waist_y - cm(body.hip_depth());
        let crotch_y = cm(body.inseam());
        let hps_y = cm(body.shoulder_height());
        let shoulder_y = hps_y - cm(SHOULDER_DROP_CM);
        let shoulder_x = cm(body.shoulder_width()) / 2.0;

        // Stadium radius for a girth and a width/depth ratio k: girth = 4 (k − 1) r + 2π r.
        let radius = |girth: f32, k: f32| girth / (4.0 * (k - 1.0) + 2.0 * PI);
        let bust_radius = radius(bust, BUST_WIDTH_RATIO);
        let bust_y = (BUST_HEIGHT_RATIO * height).min(shoulder_y - bust_radius);
        let profile = [
            (hip_y, hips, HIP_WIDTH_RATIO),
            (waist_y, waist, HIP_WIDTH_RATIO),
            (bust_y, bust, BUST_WIDTH_RATIO),
        ];

        let mut bones = Vec::new();
        let mut bone = |name: &str, role: BoneRole, joint: Vec3| {
            bones.push(Bone {
                name: name.to_string(),
                role,
                joint,
            });
            bones.len() - 1
        };
        let pelvis = bone("pelvis", BoneRole::Torso, Vec3::new(0.0, hip_y, 0.0));
        let chest = bone("chest", BoneRole::Torso, Vec3::new(0.0, waist_y, 0.0));
        let head = bone("head", BoneRole::Head, Vec3::new(0.0, shoulder_y, 0.0));

        let mut shapes = Vec::new();
        let capsule = |shapes: &mut Vec<BodyShape>, bone: usize, a: Vec3, b: Vec3, radius| {
            shapes.push(BodyShape {
                bone,
                shape: Shape::Capsule(Capsule { a, b, radius }),
            });
        };

        // Torso stack.
        for pair in profile.windows(2) {
            let [(y0, g0, k0), (y1, g1, k1)] = [pair[0], pair[1]];
            let steps = ((y1 - y0) / TORSO_SPACING_M).ceil().max(1.0) as usize;
            let last = if y1 == bust_y { steps } else { steps - 1 };
            for i in 0..=last {
                let t = i as f32 / steps as f32;
                let (y, girth, k) = (y0 + (y1 - y0) * t, g0 + (g1 - g0) * t, k0 + (k1 - k0) * t);
                let r = radius(girth, k);
                let half = (k - 1.0) * r;
                let owner = if y < waist_y { pelvis } else { chest };
                // A round slice this deep would hang below the crotch, between the thighs:
                // there it is built of thinner capsules side by side front to back.
                let rho = y - crotch_y - CROTCH_CLEARANCE_M;
                if rho < r {
                    for (z, h, rho) in flat_slice(girth, r, rho.max(MIN_SLICE_RADIUS_M)) {
                        capsule(
                            &mut shapes,
                            owner,
                            Vec3::new(-h, y, z),
                            Vec3::new(h, y, z),
                            rho,
                        );
                    }
                    continue;
                }
                capsule(
                    &mut shapes,
                    owner,
                    Vec3::new(-half, y, 0.0),
                    Vec3::new(half, y, 0.0),
                    r,
                );
            }
        }

        // Shoulders: from the base of the neck down to each shoulder point, just under the
        // line the top programs draft.
        let neck_radius = NECK_GIRTH_RATIO * bust / (2.0 * PI);
        let shoulder_radius = 0.045f32.min(bust_radius * 0.5);
        for side in [1.0f32, -1.0] {
            capsule(
                &mut shapes,
                chest,
                Vec3::new(side * neck_radius, hps_y - shoulder_radius - 0.01, 0.0),
                Vec3::new(
                    side * (shoulder_x - shoulder_radius * 0.6),
                    shoulder_y - shoulder_radius - 0.005,
                    0.0,
                ),
                shoulder_radius,
            );
        }
        // Neck and head. The neck starts above the base of the neck, where necklines sit,
        // so that a drafted neckline is not stretched around it.
        capsule(
            &mut shapes,
            head,
            Vec3::new(0.0, hps_y + 0.6 * neck_radius, -0.01),
            Vec3::new(0.0, hps_y + 0.1, -0.01),
            neck_radius,
        );
        let head_radius = 0.06 * height;
        shapes.push(BodyShape {
            bone: head,
            shape: Shape::Sphere(Sphere {
                center: Vec3::new(0.0, height - head_radius - 0.01, 0.0),
                radius: head_radius,
            }),
        });

        // Arms in the A-pose.
        let arm = cm(body.arm_length());
        let (upper_len, fore_len) = (UPPER_ARM_RATIO * arm, (1.0 - UPPER_ARM_RATIO) * arm);
        let upper_radius = UPPER_ARM_GIRTH_RATIO * bust / (2.0 * PI);
        let fore_radius = FOREARM_GIRTH_RATIO * bust / (2.0 * PI);
        let angle = (ARM_ANGLE_DEG as f32).to_radians();
        for (side, name) in [(1.0f32, "left"), (-1.0, "right")] {
            let down = Vec3::new(side * angle.cos(), -angle.sin(), 0.0);
            let shoulder = Vec3::new(side * (shoulder_x - 0.01), shoulder_y - upper_radius, 0.0);
            let elbow = shoulder + down * upper_len;
            let wrist = elbow + down * fore_len;
            let upper = bone(&format!("upper_arm_{name}"), BoneRole::Limb, shoulder);
            let fore = bone(&format!("forearm_{name}"), BoneRole::Limb, elbow);
            capsule(&mut shapes, upper, shoulder, elbow, upper_radius);
            capsule(&mut shapes, fore, elbow, wrist, fore_radius);
        }

        // Legs.
        // The thighs nearly touch at the top (the hip joints sit [`THIGH_GAP_RATIO`] thigh
        // radii from the middle) and taper to the knee, so the legs part below the crotch
        // and an inseam can close between them.
        let thigh_radius = THIGH_GIRTH_RATIO * hips / (2.0 * PI);
        let knee_radius = KNEE_GIRTH_RATIO * hips / (2.0 * PI);
        let calf_radius = CALF_GIRTH_RATIO * hips / (2.0 * PI);
        let hip_x = (hips / (4.0 * PI)).max(THIGH_GAP_RATIO * thigh_radius);
        let knee_y = KNEE_HEIGHT_RATIO * height;
        let ankle_y = ANKLE_HEIGHT_RATIO * height;
        for (side, name) in [(1.0f32, "left"), (-1.0, "right")] {
            let hip = Vec3::new(side * hip_x, crotch_y + 0.5 * thigh_radius, 0.0);
            let knee = Vec3::new(side * hip_x * 0.8, knee_y, 0.0);
            let ankle = Vec3::new(side * hip_x * 0.75, ankle_y, 0.0);
            let thigh = bone(&format!("thigh_{name}"), BoneRole::Limb, hip);
            let shin = bone(&format!("shin_{name}"), BoneRole::Limb, knee);
            for k in 0..THIGH_SEGMENTS {
                let (t0, t1) = (
                    k as f32 / THIGH_SEGMENTS as f32,
                    (k + 1) as f32 / THIGH_SEGMENTS as f32,
                );
                // Each segment is as thick as the thigh at its upper end.
                let r = thigh_radius + (knee_radius - thigh_radius) * t0;
                capsule(
                    &mut shapes,
                    thigh,
                    hip.lerp(knee, t0),
                    hip.lerp(knee, t1),
                    r,
                );
            }
            capsule(&mut shapes, shin, knee, ankle, calf_radius);
        }
        CapsuleBody { bones, shapes }
    }
}

/// A torso slice `2 r` deep and `girth` round built of capsules of radius `rho` along x,
/// side by side from front to back (no more than `rho` apart, so the ends are nearly
/// straight): their z offsets and half-length, chosen by bisection so that the outline's
/// perimeter is `girth`.
fn flat_slice(girth: f32, r: f32, rho: f32) -> Vec<(f32, f32, f32)> {
    let rho = rho.min(r);
    let span = r - rho;
    let count = 1 + ((2.0 * span) / rho).ceil().max(1.0) as usize;
    let zs: Vec<f32> = (0..count)
        .map(|i| -span + 2.0 * span * i as f32 / (count - 1) as f32)
        .collect();
    let (mut lo, mut hi) = (0.0f32, girth / 2.0);
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if slice_perimeter(&zs, mid, rho) < girth {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let h = 0.5 * (lo + hi);
    zs.into_iter().map(|z| (z, h, rho)).collect()
}

/// The perimeter of the union of stadiums (half-length `h` along x, radius `rho`, centred at
/// z = each of `zs`), from its outline along rays from the origin (the union is star-shaped
/// about it: every stadium contains its own centre line, which meets the z axis).
fn slice_perimeter(zs: &[f32], h: f32, rho: f32) -> f32 {
    const RAYS: usize = 360;
    let inside = |x: f32, z: f32| {
        let dx = (x.abs() - h).max(0.0);
        zs.iter().any(|&c| dx * dx + (z - c) * (z - c) <= rho * rho)
    };
    let reach = h + rho + zs.iter().fold(0.0f32, |m, z| m.max(z.abs())) + 0.01;
    let outline: Vec<(f32, f32)> = (0..RAYS)
        .map(|i| {
            let a = i as f32 / RAYS as f32 * 2.0 * PI;
            let (dx, dz) = (a.cos(), a.sin());
            let (mut lo, mut hi) = (0.0f32, reach);
            for _ in 0..24 {
                let mid = 0.5 * (lo + hi);
                if inside(dx * mid, dz * mid) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            (dx * lo, dz * lo)
        })
        .collect();
    (0..RAYS)
        .map(|i| {
            let (a, b) = (outline[i], outline[(i + 1) % RAYS]);
            ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn torso_girth(body: &CapsuleBody, y: f32) -> f32 {
        // Perimeter of the torso's cross-section at height y, by rays from the centre.
        let n = 720;
        let mut points = Vec::new();
        for i in 0..n {
            let a = i as f32 / n as f32 * 2.0 * PI;
            let dir = Vec3::new(a.sin(), 0.0, a.cos());
            let mut t = 0.6f32;
            for _ in 0..400 {
                let d =
                    body.rest_distance(Vec3::new(0.0, y, 0.0) + dir * t, |r| r == BoneRole::Torso);
                if d < 1e-5 {
                    break;
                }
                t -= d;
            }
            points.push(dir * t);
        }
        (0..n)
            .map(|i| points[i].distance(points[(i + 1) % n]))
            .sum()
    }

    #[test]
    fn torso_girths_match_the_measurements() {
        let m = BodyMeasurements::average();
        let body = CapsuleBody::from_measurements(&m);
        let s = m.sheet();
        let waist_y = (s.waist_height / 100.0) as f32;
        let hip_y = ((s.waist_height - s.hip_depth) / 100.0) as f32;
        for (y, girth) in [(waist_y, s.waist), (hip_y, s.hips)] {
            let measured = torso_girth(&body, y) * 100.0;
            assert!(
                (measured - girth as f32).abs() < 1.0,
                "girth at {y} m: {measured} cm, expected {girth} cm"
            );
        }
        assert_eq!(
            body.bones()
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>(),
            BONES
        );
    }
}
