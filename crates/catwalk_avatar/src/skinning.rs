//! Linear-blend skinning: each vertex moves with the weighted sum of its joints' skinning
//! matrices.

use glam::{Mat4, Vec3};

use crate::model::{BodyModel, RestBody};
use crate::skeleton::Pose;

/// A posed body: vertex positions after skinning, and the joints' world positions.
#[derive(Debug, Clone)]
pub struct PosedBody {
    /// Vertex positions.
    pub vertices: Vec<Vec3>,
    /// World position of each joint.
    pub joints: Vec<Vec3>,
}

/// Skins `rest` with explicit influences (4 per vertex) and matrices.
pub fn skin_vertices(
    rest: &[Vec3],
    joints: &[[u16; 4]],
    weights: &[[f32; 4]],
    matrices: &[Mat4],
) -> Vec<Vec3> {
    rest.iter()
        .zip(joints.iter().zip(weights))
        .map(|(p, (j, w))| {
            let mut m = Mat4::ZERO;
            for k in 0..4 {
                if w[k] != 0.0 {
                    m += matrices[j[k] as usize] * w[k];
                }
            }
            m.transform_point3(*p)
        })
        .collect()
}

/// Poses a rest body of `model`.
pub fn pose_body(model: &BodyModel, rest: &RestBody, pose: &Pose) -> PosedBody {
    let world = model.skeleton.world_transforms(&rest.joints, pose);
    let matrices = model.skeleton.skinning_matrices(&rest.joints, pose);
    PosedBody {
        vertices: skin_vertices(
            &rest.vertices,
            &model.skin_joints,
            &model.skin_weights,
            &matrices,
        ),
        joints: world.iter().map(|m| m.w_axis.truncate()).collect(),
    }
}
