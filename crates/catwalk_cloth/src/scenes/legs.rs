//! A procedural walk cycle (walking in place) for a pair of capsule legs: hips swing, knees
//! flex, the pelvis bobs, sways and turns. Stands in for an animated skeleton.

use std::f32::consts::TAU;

use glam::{Quat, Vec3};

use crate::colliders::Capsule;

/// Dimensions and gait of the legs, SI units and radians.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WalkingLegs {
    /// Height of the hip joints at rest, m.
    pub pelvis_height: f32,
    /// Half the distance between the hip joints, m.
    pub hip_half_width: f32,
    /// Thigh length (hip to knee), m.
    pub thigh_length: f32,
    /// Shin length (knee to ankle), m.
    pub shin_length: f32,
    /// Thigh capsule radius, m.
    pub thigh_radius: f32,
    /// Shin capsule radius, m.
    pub shin_radius: f32,
    /// Duration of one full stride (left and right step), s.
    pub stride_period: f32,
    /// Hip swing amplitude, rad.
    pub hip_amplitude: f32,
    /// Largest knee flexion, rad.
    pub knee_flexion: f32,
}

impl Default for WalkingLegs {
    fn default() -> Self {
        WalkingLegs {
            pelvis_height: 0.93,
            hip_half_width: 0.09,
            thigh_length: 0.43,
            shin_length: 0.45,
            thigh_radius: 0.07,
            shin_radius: 0.05,
            stride_period: 1.1,
            hip_amplitude: 25f32.to_radians(),
            knee_flexion: 45f32.to_radians(),
        }
    }
}

/// The legs at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegPose {
    /// Left thigh, left shin, right thigh, right shin.
    pub capsules: [Capsule; 4],
    /// Centre between the hip joints.
    pub pelvis: Vec3,
    /// Pelvis turn about the vertical axis.
    pub pelvis_rotation: Quat,
}

impl WalkingLegs {
    /// The pose at time `t` (s). At `t = 0` the legs hang straight.
    pub fn pose(&self, t: f32) -> LegPose {
        let phase = TAU * t / self.stride_period;
        // Ease in over the first stride so the cloth is not yanked at t = 0.
        let ease = (t / self.stride_period).clamp(0.0, 1.0);
        let pelvis = Vec3::new(
            0.02 * ease * phase.sin(),
            self.pelvis_height + 0.01 * ease * (2.0 * phase).cos() - 0.01 * ease,
            0.0,
        );
        let pelvis_rotation = Quat::from_rotation_y(5f32.to_radians() * ease * phase.sin());
        let leg = |side: f32, swing: f32, flex: f32| {
            let hip = pelvis + pelvis_rotation * Vec3::new(side * self.hip_half_width, 0.0, 0.0);
            let thigh_dir = pelvis_rotation * Vec3::new(0.0, -swing.cos(), swing.sin());
            let shin_angle = swing - flex;
            let shin_dir = pelvis_rotation * Vec3::new(0.0, -shin_angle.cos(), shin_angle.sin());
            let knee = hip + thigh_dir * self.thigh_length;
            let ankle = knee + shin_dir * self.shin_length;
            [
                Capsule {
                    a: hip,
                    b: knee,
                    radius: self.thigh_radius,
                },
                Capsule {
                    a: knee,
                    b: ankle,
                    radius: self.shin_radius,
                },
            ]
        };
        let swing = ease * self.hip_amplitude * phase.sin();
        // Each knee bends most while its leg swings forward past the vertical (the left leg's
        // swing speed peaks at phase 0, the right leg's at phase π).
        let flex_left = ease * self.knee_flexion * (0.5 + 0.5 * phase.cos());
        let flex_right = ease * self.knee_flexion * (0.5 - 0.5 * phase.cos());
        let [lt, ls] = leg(1.0, swing, flex_left);
        let [rt, rs] = leg(-1.0, -swing, flex_right);
        LegPose {
            capsules: [lt, ls, rt, rs],
            pelvis,
            pelvis_rotation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legs_keep_their_lengths_while_walking() {
        let legs = WalkingLegs::default();
        for k in 0..50 {
            let pose = legs.pose(k as f32 * 0.07);
            let [lt, ls, rt, rs] = pose.capsules;
            for (c, len) in [
                (lt, legs.thigh_length),
                (ls, legs.shin_length),
                (rt, legs.thigh_length),
                (rs, legs.shin_length),
            ] {
                assert!((c.a.distance(c.b) - len).abs() < 1e-4);
            }
            assert!(lt.b.distance(ls.a) < 1e-6, "knee must join thigh and shin");
        }
    }
}
