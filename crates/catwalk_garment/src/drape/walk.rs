//! A procedural walk cycle (walking in place) for a [`CapsuleBody`] built from measurements:
//! hips swing, knees flex, arms swing against the legs, the pelvis bobs and turns. Stands in
//! for an animated skeleton in the example and the tests. [`lower_arms`] brings the arms down
//! from the A-pose garments are sewn in towards the sides, for a relaxed stance.

use std::f32::consts::TAU;

use catwalk_cloth::glam::{Affine3A, Quat, Vec3};

use super::DrapeError;
use super::body::{BodyPose, CapsuleBody};

/// The gait, in seconds and radians.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WalkCycle {
    /// Duration of one full stride (a left and a right step), s.
    pub stride_period: f32,
    /// Hip swing amplitude, rad.
    pub hip_amplitude: f32,
    /// Largest knee flexion, rad.
    pub knee_flexion: f32,
    /// Arm swing amplitude, rad.
    pub arm_amplitude: f32,
    /// Vertical bob of the pelvis, m.
    pub bob: f32,
    /// How far each leg turns in towards the midline at the hip, rad: a runway walk with
    /// the feet nearer one line, which a narrow skirt needs when the body stands wide.
    pub adduction: f32,
}

impl Default for WalkCycle {
    fn default() -> Self {
        WalkCycle {
            stride_period: 1.1,
            hip_amplitude: 22f32.to_radians(),
            knee_flexion: 40f32.to_radians(),
            arm_amplitude: 12f32.to_radians(),
            bob: 0.01,
            adduction: 0.0,
        }
    }
}

/// Bone indices the walk needs.
#[derive(Debug, Clone, Copy)]
struct Rig {
    pelvis: usize,
    chest: usize,
    head: usize,
    arms: [(usize, usize); 2],
    legs: [(usize, usize); 2],
}

impl WalkCycle {
    /// The pose of `body` at `time` s after the walk starts (standing still at 0, easing in
    /// over the first stride). `body` needs the bones of
    /// [`BONES`](super::measured::BONES).
    pub fn pose(&self, body: &CapsuleBody, time: f32) -> Result<BodyPose, DrapeError> {
        let rig = rig(body)?;
        let joint = |b: usize| body.bones()[b].joint;
        let about = |centre: Vec3, rotation: Quat| {
            Affine3A::from_translation(centre)
                * Affine3A::from_quat(rotation)
                * Affine3A::from_translation(-centre)
        };
        let phase = TAU * time / self.stride_period;
        let ease = (time / self.stride_period).clamp(0.0, 1.0);
        let swing = ease * self.hip_amplitude * phase.sin();
        let flex = [
            ease * self.knee_flexion * (0.5 + 0.5 * phase.cos()),
            ease * self.knee_flexion * (0.5 - 0.5 * phase.cos()),
        ];

        let lift = Vec3::new(
            0.015 * ease * phase.sin(),
            self.bob * ease * ((2.0 * phase).cos() - 1.0),
            0.0,
        );
        let turn = Quat::from_rotation_y(4f32.to_radians() * ease * phase.sin());
        let root = Affine3A::from_translation(lift) * about(joint(rig.pelvis), turn);
        let mut pose = body.rest_pose();
        pose.bones[rig.pelvis] = root;
        pose.bones[rig.chest] = root;
        pose.bones[rig.head] = root;
        for (side, ((upper, fore), (thigh, shin))) in rig.arms.iter().zip(&rig.legs).enumerate() {
            let sign = if side == 0 { 1.0 } else { -1.0 };
            // Forward swing turns a hanging limb toward +z: a rotation about −x.
            // The left leg (+x) turns in towards −x below the hip: a rotation about −z.
            let inward = Quat::from_rotation_z(-sign * ease * self.adduction);
            let leg = root * about(joint(*thigh), inward * Quat::from_rotation_x(-sign * swing));
            pose.bones[*thigh] = leg;
            pose.bones[*shin] = leg * about(joint(*shin), Quat::from_rotation_x(flex[side]));
            let arm_swing = -sign * ease * self.arm_amplitude * phase.sin();
            let arm = root * about(joint(*upper), Quat::from_rotation_x(-arm_swing));
            pose.bones[*upper] = arm;
            pose.bones[*fore] = arm * about(joint(*fore), Quat::from_rotation_x(-0.2 * ease));
        }
        Ok(pose)
    }
}

/// Lowers both arms of `pose` by `angle` rad towards the body's sides, each about its
/// shoulder in the body's frontal plane, before the pose's own arm movement (a swing
/// stays a swing about the lowered arm). The forearm keeps its bend at the elbow.
/// Lower the arms gradually while a garment is on: a sleeve follows the arm only as fast
/// as the cloth steps.
pub fn lower_arms(body: &CapsuleBody, pose: &mut BodyPose, angle: f32) -> Result<(), DrapeError> {
    body.check_pose(pose)?;
    let rig = rig(body)?;
    for (side, (upper, fore)) in rig.arms.into_iter().enumerate() {
        // The left arm hangs out along +x: turning it down is a rotation about −z.
        let sign = if side == 0 { -1.0 } else { 1.0 };
        let shoulder = body.bones()[upper].joint;
        let down = Affine3A::from_translation(shoulder)
            * Affine3A::from_rotation_z(sign * angle)
            * Affine3A::from_translation(-shoulder);
        let elbow_bend = pose.bones[upper].inverse() * pose.bones[fore];
        pose.bones[upper] *= down;
        pose.bones[fore] = pose.bones[upper] * elbow_bend;
    }
    Ok(())
}

fn rig(body: &CapsuleBody) -> Result<Rig, DrapeError> {
    let find = |name: &str| {
        body.bone(name).ok_or_else(|| {
            DrapeError::BadBody(format!(
                "the walk cycle needs a bone called \"{name}\"; build the body with \
                 CapsuleBody::from_measurements or name its bones the same way"
            ))
        })
    };
    Ok(Rig {
        pelvis: find("pelvis")?,
        chest: find("chest")?,
        head: find("head")?,
        arms: [
            (find("upper_arm_left")?, find("forearm_left")?),
            (find("upper_arm_right")?, find("forearm_right")?),
        ],
        legs: [
            (find("thigh_left")?, find("shin_left")?),
            (find("thigh_right")?, find("shin_right")?),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::BodyMeasurements;
    use crate::drape::body::Shape;

    #[test]
    fn limbs_keep_their_lengths_and_the_knee_stays_joined() {
        let body = CapsuleBody::from_measurements(&BodyMeasurements::average());
        let walk = WalkCycle::default();
        let rest: Vec<Shape> = body.posed_shapes(&body.rest_pose()).collect();
        let thigh = body.bone("thigh_left").expect("bone");
        let shin = body.bone("shin_left").expect("bone");
        let mut moved = 0.0f32;
        for k in 0..40 {
            let pose = walk.pose(&body, k as f32 * 0.07).expect("pose");
            let posed: Vec<Shape> = body.posed_shapes(&pose).collect();
            for (a, b) in rest.iter().zip(&posed) {
                if let (Shape::Capsule(a), Shape::Capsule(b)) = (a, b) {
                    assert!((a.a.distance(a.b) - b.a.distance(b.b)).abs() < 1e-4);
                }
            }
            let knee_rest = body.bones()[shin].joint;
            let from_thigh = pose.bones[thigh].transform_point3(knee_rest);
            let from_shin = pose.bones[shin].transform_point3(knee_rest);
            assert!(from_thigh.distance(from_shin) < 1e-5, "knee came apart");
            moved = moved.max(from_thigh.distance(knee_rest));
        }
        assert!(moved > 0.1, "the knee should swing, moved only {moved} m");
    }

    #[test]
    fn lowered_arms_hang_closer_to_the_sides_and_stay_joined() {
        let body = CapsuleBody::from_measurements(&BodyMeasurements::average());
        let walk = WalkCycle::default();
        let upper = body.bone("upper_arm_left").expect("bone");
        let fore = body.bone("forearm_left").expect("bone");
        let right = body.bone("forearm_right").expect("bone");
        let elbow = body.bones()[fore].joint;
        let wrist_of = |pose: &BodyPose, bone: usize| {
            let tip = body
                .posed_shapes(pose)
                .zip(body.shapes())
                .filter(|(_, s)| s.bone == bone)
                .map(|(posed, _)| match posed {
                    Shape::Capsule(c) => c.b,
                    Shape::Sphere(s) => s.center,
                })
                .last();
            tip.expect("forearm capsule")
        };
        for time in [0.0, 0.4, 1.3] {
            let mut pose = walk.pose(&body, time).expect("pose");
            let before = [wrist_of(&pose, fore), wrist_of(&pose, right)];
            lower_arms(&body, &mut pose, 25f32.to_radians()).expect("lower");
            let after = [wrist_of(&pose, fore), wrist_of(&pose, right)];
            // The elbow is where both arm bones put it.
            let from_upper = pose.bones[upper].transform_point3(elbow);
            let from_fore = pose.bones[fore].transform_point3(elbow);
            assert!(from_upper.distance(from_fore) < 1e-5, "elbow came apart");
            for (b, a) in before.iter().zip(&after) {
                assert!(
                    a.x.abs() < b.x.abs() - 0.1,
                    "wrist {b} -> {a}: not nearer the side"
                );
                assert!(a.y < b.y - 0.05, "wrist {b} -> {a}: not lower");
            }
            // Mirror images: the two wrists stay symmetric about the midline at rest.
            if time == 0.0 {
                assert!((after[0].x + after[1].x).abs() < 1e-4, "{after:?}");
            }
        }
    }
}
