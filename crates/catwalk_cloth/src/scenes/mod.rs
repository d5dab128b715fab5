//! Reference scenes from the cloth issue — a pinned hanging sheet, a sheet dropped on a
//! sphere (and one on a body mesh's distance grid), a flared skirt on walking capsule legs, a
//! sheet in wind — shared by the tests, the benchmark and the example so that all three
//! measure the same thing.

mod legs;
mod mesh;
mod sheet;
mod skirt;

pub use legs::{LegPose, WalkingLegs};
pub use mesh::PatternMesh;
pub use sheet::{
    hanging_sheet, layered_sheets_on_sphere, sheet_in_wind, sheet_on_body_mesh, sheet_on_sphere,
};
pub use skirt::{SkirtDimensions, skirt_grid_for, skirt_on_walking_legs};

use crate::cloth::Cloth;
use crate::colliders::{CapsuleId, ColliderSet};
use crate::error::ClothError;
use glam::Vec3;

/// What moves the colliders and attachment targets each frame.
#[derive(Debug, Clone)]
pub enum SceneDriver {
    /// Nothing moves.
    Static,
    /// Capsule legs walk in place; the waistband follows the pelvis.
    Walk {
        /// The walk cycle.
        legs: WalkingLegs,
        /// Left thigh, left shin, right thigh, right shin.
        capsules: [CapsuleId; 4],
        /// Waistband vertices' offsets from the pelvis, in attachment order.
        waist_offsets: Vec<Vec3>,
    },
}

/// A cloth with its colliders and the motion that drives them.
#[derive(Debug, Clone)]
pub struct ReferenceScene {
    /// The cloth.
    pub cloth: Cloth,
    /// The colliders it meets.
    pub colliders: ColliderSet,
    /// What moves each frame.
    pub driver: SceneDriver,
}

impl ReferenceScene {
    /// Moves the colliders and attachment targets to their poses at the end of the frame, then
    /// steps the cloth by `dt`.
    pub fn advance(&mut self, dt: f32) -> Result<(), ClothError> {
        if let Some(targets) = self.drive(self.cloth.time() + dt) {
            self.cloth.set_attachment_targets(&targets)?;
        }
        self.cloth.step(dt, &self.colliders)
    }

    /// Moves the colliders to their poses at `time` (s since the scene was built) and returns
    /// the attachment targets at that time, if the driver moves any. [`ReferenceScene::advance`]
    /// calls this; another solver stepping the same scene (the GPU one) calls it directly.
    pub fn drive(&mut self, time: f32) -> Option<Vec<Vec3>> {
        let SceneDriver::Walk {
            legs,
            capsules,
            waist_offsets,
        } = &self.driver
        else {
            return None;
        };
        let pose = legs.pose(time);
        for (id, capsule) in capsules.iter().zip(pose.capsules) {
            self.colliders.move_capsule(*id, capsule.a, capsule.b);
        }
        Some(
            waist_offsets
                .iter()
                .map(|&o| pose.pelvis + pose.pelvis_rotation * o)
                .collect(),
        )
    }
}
