//! The rig: bones in parent-before-child order, rest joint positions from the shaped body,
//! and poses (a local rotation per joint) turned into world transforms.
//!
//! Joint frames at rest are axis-aligned (no rotation); a joint's rest transform is the
//! translation to its bone head. A pose rotates each joint about its head, in the parent's
//! (rest-aligned) frame, so a pose of identity rotations reproduces the rest body.

use glam::{Mat4, Quat, Vec3};

/// Bone names and hierarchy.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// MakeHuman bone names (e.g. `upperarm01.L`).
    pub names: Vec<String>,
    /// Parent of each bone (`None` for the root, bone 0); parents come first.
    pub parents: Vec<Option<usize>>,
}

impl Skeleton {
    /// A skeleton from names and parents (parents must precede children).
    pub fn new(names: Vec<String>, parents: Vec<Option<usize>>) -> Self {
        Self { names, parents }
    }

    /// Number of bones.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the skeleton has no bone.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Index of a bone by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Whether `bone` is `ancestor` or lies below it.
    pub fn is_descendant(&self, bone: usize, ancestor: usize) -> bool {
        let mut b = Some(bone);
        while let Some(i) = b {
            if i == ancestor {
                return true;
            }
            b = self.parents[i];
        }
        false
    }

    /// World transforms of every joint for a pose, given the rest joint positions.
    pub fn world_transforms(&self, rest_joints: &[Vec3], pose: &Pose) -> Vec<Mat4> {
        let mut world: Vec<Mat4> = Vec::with_capacity(self.len());
        for i in 0..self.len() {
            let rotation = pose.rotations.get(i).copied().unwrap_or(Quat::IDENTITY);
            let (parent_world, parent_head) = match self.parents[i] {
                Some(p) => (world[p], rest_joints[p]),
                None => (Mat4::from_translation(pose.root_translation), Vec3::ZERO),
            };
            let local = Mat4::from_rotation_translation(rotation, rest_joints[i] - parent_head);
            world.push(parent_world * local);
        }
        world
    }

    /// Skinning matrices (world × inverse bind) for a pose.
    pub fn skinning_matrices(&self, rest_joints: &[Vec3], pose: &Pose) -> Vec<Mat4> {
        self.world_transforms(rest_joints, pose)
            .into_iter()
            .zip(rest_joints)
            .map(|(w, head)| w * Mat4::from_translation(-*head))
            .collect()
    }
}

/// A pose: a local rotation per joint (missing entries are identity) and a root translation.
#[derive(Debug, Clone, Default)]
pub struct Pose {
    /// Local rotation of each joint about its head, in skeleton order.
    pub rotations: Vec<Quat>,
    /// Translation applied to the whole body.
    pub root_translation: Vec3,
}

impl Pose {
    /// The rest pose of a skeleton.
    pub fn rest(skeleton: &Skeleton) -> Self {
        Self {
            rotations: vec![Quat::IDENTITY; skeleton.len()],
            root_translation: Vec3::ZERO,
        }
    }

    /// Sets a joint's local rotation by bone name; returns false if there is no such bone.
    pub fn set(&mut self, skeleton: &Skeleton, bone: &str, rotation: Quat) -> bool {
        match skeleton.index(bone) {
            Some(i) => {
                if self.rotations.len() < skeleton.len() {
                    self.rotations.resize(skeleton.len(), Quat::IDENTITY);
                }
                self.rotations[i] = rotation;
                true
            }
            None => false,
        }
    }

    /// The rest pose with both arms raised sideways by `degrees` (about the body's Z axis,
    /// at the shoulder joints), e.g. to keep the arms clear of the torso in silhouettes.
    pub fn arms_out(skeleton: &Skeleton, degrees: f32) -> Self {
        let mut pose = Self::rest(skeleton);
        let a = degrees.to_radians();
        pose.set(skeleton, "upperarm01.L", Quat::from_rotation_z(a));
        pose.set(skeleton, "upperarm01.R", Quat::from_rotation_z(-a));
        pose
    }
}
