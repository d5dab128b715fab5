//! Skinning and posing: the identity pose reproduces the rest mesh; rotating a joint moves
//! only the vertices it weighs on, rigidly about the joint.

mod support;

use catwalk_avatar::{BodyParams, Pose, pose_body};
use glam::Quat;

#[test]
fn identity_pose_reproduces_the_rest_mesh() {
    let (model, _) = support::model();
    let rest = model.build(&BodyParams::average(0.0)).expect("build");
    let posed = pose_body(model, &rest, &Pose::rest(&model.skeleton));
    let worst = rest
        .vertices
        .iter()
        .zip(&posed.vertices)
        .map(|(a, b)| a.distance(*b))
        .fold(0.0f32, f32::max);
    assert!(worst < 1e-5, "rest pose moved a vertex by {worst} m");
    for (a, b) in rest.joints.iter().zip(&posed.joints) {
        assert!(a.distance(*b) < 1e-5);
    }
}

#[test]
fn rotating_the_left_forearm_moves_only_its_weighted_vertices() {
    let (model, _) = support::model();
    let rest = model.build(&BodyParams::average(1.0)).expect("build");
    let elbow = model.skeleton.index("lowerarm01.L").expect("bone");
    let mut pose = Pose::rest(&model.skeleton);
    pose.set(&model.skeleton, "lowerarm01.L", Quat::from_rotation_x(1.0));
    let posed = pose_body(model, &rest, &pose);
    let mut moved = 0;
    for (i, (a, b)) in rest.vertices.iter().zip(&posed.vertices).enumerate() {
        let influence: f32 = (0..4)
            .filter(|&k| {
                model
                    .skeleton
                    .is_descendant(model.skin_joints[i][k] as usize, elbow)
            })
            .map(|k| model.skin_weights[i][k])
            .sum();
        let d = a.distance(*b);
        if influence == 0.0 {
            assert!(d < 1e-6, "vertex {i} has no forearm weight but moved {d} m");
        } else if influence > 0.999 {
            moved += 1;
            // Fully weighted vertices turn rigidly about the elbow: distance to it is kept.
            let j = rest.joints[elbow];
            assert!((a.distance(j) - b.distance(j)).abs() < 1e-4);
            assert!(d > 0.0 || a.distance(j) < 1e-3);
        }
    }
    assert!(moved > 100, "the forearm has fully weighted vertices");
    // The right hand did not move.
    let wrist_r = model.skeleton.index("wrist.R").expect("bone");
    assert!(rest.joints[wrist_r].distance(posed.joints[wrist_r]) < 1e-6);
}
