//! Where a look's model is on the runway at each moment of its slot, as a pure function of
//! the time since the look took the runway (show time, so every client agrees).
//!
//! A look of duration `D` walks out from backstage to the front of the runway in the
//! first half, poses, turns and walks back along the return lane, passing the next look,
//! which enters on time at `D`. The model is off stage once back ([`Phase::Gone`]).
//! Fractions of `D` are the constants below; the walk's stride follows the speed so the
//! feet do not slide.

use std::f32::consts::PI;

use glam::Vec3;

/// Share of the slot spent walking out.
pub const WALK_OUT: f32 = 0.5;
/// Share spent posing at the front.
pub const POSE: f32 = 0.12;
/// Share spent turning and stepping into the return lane.
pub const TURN: f32 = 0.08;
/// Share spent walking back (the model is still walking when the next look enters).
pub const WALK_BACK: f32 = 0.5;
/// Step length the stride is matched to, m.
pub const STEP_M: f32 = 0.62;

/// The runway's floor plan, m. The audience sits around `z > 0`; backstage is at
/// `z = -length / 2`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunwayLayout {
    /// Length of the catwalk.
    pub length: f32,
    /// Width of the catwalk.
    pub width: f32,
    /// x of the lane models walk out in.
    pub out_lane: f32,
    /// x of the lane they walk back in.
    pub back_lane: f32,
}

impl Default for RunwayLayout {
    fn default() -> Self {
        RunwayLayout {
            length: 8.0,
            width: 2.4,
            out_lane: 0.0,
            back_lane: -0.7,
        }
    }
}

impl RunwayLayout {
    /// Where models enter and leave.
    pub fn backstage(&self) -> f32 {
        -self.length / 2.0
    }

    /// Where they stop to pose.
    pub fn front(&self) -> f32 {
        self.length / 2.0 - 0.9
    }
}

/// What the model is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not yet on.
    Waiting,
    /// Walking towards the audience.
    WalkOut,
    /// Standing at the front.
    Pose,
    /// Turning round.
    Turn,
    /// Walking back.
    WalkBack,
    /// Off stage.
    Gone,
}

/// A model's placement at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// What the model is doing.
    pub phase: Phase,
    /// Position of the body's origin on the floor.
    pub position: Vec3,
    /// Heading about +y, rad (0 faces the audience, +z).
    pub yaw: f32,
    /// Time into the walk cycle, s (restarts at each walk).
    pub walk_time: f32,
    /// 1 while walking, 0 while standing; eases between.
    pub walking: f32,
    /// Stride period that matches the walking speed, s.
    pub stride_period: f32,
}

/// The placement `elapsed` seconds after a look of `duration` seconds took the runway.
pub fn place(layout: &RunwayLayout, elapsed: f32, duration: f32) -> Placement {
    let d = duration.max(1.0);
    let (z0, z1) = (layout.backstage(), layout.front());
    let walk_s = WALK_OUT * d;
    let speed = (z1 - z0) / walk_s;
    let stride_period = (2.0 * STEP_M / speed).clamp(0.8, 1.6);
    let t_pose = walk_s;
    let t_turn = t_pose + POSE * d;
    let t_back = t_turn + TURN * d;
    let t_gone = t_back + WALK_BACK * d;
    let base = Placement {
        phase: Phase::Waiting,
        position: Vec3::new(layout.out_lane, 0.0, z0),
        yaw: 0.0,
        walk_time: 0.0,
        walking: 0.0,
        stride_period,
    };
    let ease_out = |left: f32| (left / 0.5).clamp(0.0, 1.0);
    if elapsed < 0.0 {
        base
    } else if elapsed < t_pose {
        Placement {
            phase: Phase::WalkOut,
            position: Vec3::new(layout.out_lane, 0.0, z0 + speed * elapsed),
            walk_time: elapsed,
            walking: ease_out(t_pose - elapsed),
            ..base
        }
    } else if elapsed < t_turn {
        Placement {
            phase: Phase::Pose,
            position: Vec3::new(layout.out_lane, 0.0, z1),
            ..base
        }
    } else if elapsed < t_back {
        let s = smoothstep((elapsed - t_turn) / (t_back - t_turn));
        let x = layout.out_lane + (layout.back_lane - layout.out_lane) * s;
        Placement {
            phase: Phase::Turn,
            position: Vec3::new(x, 0.0, z1),
            yaw: PI * s,
            ..base
        }
    } else if elapsed < t_gone {
        let t = elapsed - t_back;
        Placement {
            phase: Phase::WalkBack,
            position: Vec3::new(layout.back_lane, 0.0, z1 - speed * t),
            yaw: PI,
            walk_time: t,
            walking: 1.0,
            ..base
        }
    } else {
        Placement {
            phase: Phase::Gone,
            position: Vec3::new(layout.back_lane, 0.0, z0),
            yaw: PI,
            ..base
        }
    }
}

/// How long after its start a look's model is still on stage, s.
pub fn on_stage_for(duration: f32) -> f32 {
    duration.max(1.0) * (WALK_OUT + POSE + TURN + WALK_BACK)
}

/// 0 at or below 0, 1 at or above 1, smooth in between.
pub fn smoothstep(x: f32) -> f32 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_look_walks_out_poses_turns_and_walks_back() {
        let l = RunwayLayout::default();
        let d = 15.0;
        let mut phases = Vec::new();
        let mut last_z = f32::NEG_INFINITY;
        for i in 0..=200 {
            let t = i as f32 * 0.1 - 0.5;
            let p = place(&l, t, d);
            if phases.last() != Some(&p.phase) {
                phases.push(p.phase);
            }
            if p.phase == Phase::WalkOut {
                assert!(p.position.z >= last_z, "walked backwards at {t}");
                last_z = p.position.z;
            }
            assert!(p.position.z >= l.backstage() - 1e-4 && p.position.z <= l.length / 2.0);
        }
        assert_eq!(
            phases,
            [
                Phase::Waiting,
                Phase::WalkOut,
                Phase::Pose,
                Phase::Turn,
                Phase::WalkBack,
                Phase::Gone
            ]
        );
        // At the front it faces the audience; walking back it faces backstage.
        assert_eq!(place(&l, 0.55 * d, d).yaw, 0.0);
        assert!((place(&l, 0.8 * d, d).yaw - PI).abs() < 1e-6);
        // The next look enters while this one is still walking back, in the other lane.
        let this = place(&l, d + 0.5, d);
        let next = place(&l, 0.5, d);
        assert_eq!(this.phase, Phase::WalkBack);
        assert!((this.position.x - next.position.x).abs() > 0.5);
    }

    #[test]
    fn stride_matches_speed_and_is_continuous() {
        let l = RunwayLayout::default();
        for d in [8.0, 15.0, 30.0] {
            let p = place(&l, 1.0, d);
            let speed = (l.front() - l.backstage()) / (WALK_OUT * d);
            let step = speed * p.stride_period / 2.0;
            assert!(
                (0.8..=1.6).contains(&p.stride_period),
                "{}",
                p.stride_period
            );
            if (0.8..1.6).contains(&(2.0 * STEP_M / speed)) {
                assert!((step - STEP_M).abs() < 0.01, "step {step}");
            }
            // No jumps in position between consecutive frames.
            let mut prev = place(&l, 0.0, d).position;
            for i in 1..(on_stage_for(d) * 60.0) as usize {
                let p = place(&l, i as f32 / 60.0, d).position;
                assert!(p.distance(prev) < 0.1, "jump at frame {i}");
                prev = p;
            }
        }
    }
}
