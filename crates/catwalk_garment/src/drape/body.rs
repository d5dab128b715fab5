//! The body a garment drapes on: bones carrying capsules and spheres, posed each frame by a
//! skinning transform per bone. An avatar's skeleton feeds the same structure; until then
//! [`CapsuleBody::from_measurements`](super::CapsuleBody::from_measurements) builds one from
//! a measurement sheet.

use catwalk_cloth::glam::{Affine3A, Vec3};
use catwalk_cloth::{Capsule, CapsuleId, ColliderSet, Sphere, SphereId};

use super::DrapeError;

/// What a bone is for: garments hang from and wrap around the torso; limbs move through
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoneRole {
    /// Pelvis, spine, chest: the part a waistband or a shoulder seam rests on.
    Torso,
    /// Neck and head.
    Head,
    /// Arms and legs.
    Limb,
}

/// One bone of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Bone {
    /// Name (`"pelvis"`, `"thigh_left"`, ...), as the skeleton calls it.
    pub name: String,
    /// What the bone is for.
    pub role: BoneRole,
    /// The joint it turns about, in the rest pose, m.
    pub joint: Vec3,
}

/// A collision shape in the rest pose, m.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// A capsule.
    Capsule(Capsule),
    /// A sphere.
    Sphere(Sphere),
}

impl Shape {
    /// Signed distance from `p` to the surface (negative inside).
    pub fn distance(&self, p: Vec3) -> f32 {
        match self {
            Shape::Capsule(c) => c.surface(p).0.distance,
            Shape::Sphere(s) => s.surface(p).distance,
        }
    }

    /// The shape moved by a bone's skinning transform (rigid; radii unchanged).
    pub fn transformed(&self, transform: &Affine3A) -> Shape {
        match *self {
            Shape::Capsule(c) => Shape::Capsule(Capsule {
                a: transform.transform_point3(c.a),
                b: transform.transform_point3(c.b),
                radius: c.radius,
            }),
            Shape::Sphere(s) => Shape::Sphere(Sphere {
                center: transform.transform_point3(s.center),
                radius: s.radius,
            }),
        }
    }

    fn radius(&self) -> f32 {
        match self {
            Shape::Capsule(c) => c.radius,
            Shape::Sphere(s) => s.radius,
        }
    }

    fn is_finite(&self) -> bool {
        match self {
            Shape::Capsule(c) => c.a.is_finite() && c.b.is_finite(),
            Shape::Sphere(s) => s.center.is_finite(),
        }
    }
}

/// A shape carried by a bone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyShape {
    /// Index of the bone in [`CapsuleBody::bones`].
    pub bone: usize,
    /// The shape in the rest pose.
    pub shape: Shape,
}

/// The body at one instant: one skinning transform per bone, mapping rest-pose points to
/// posed points (a skeleton's global joint matrix times its inverse bind matrix). Bones must
/// move rigidly.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyPose {
    /// One transform per bone, in [`CapsuleBody::bones`] order.
    pub bones: Vec<Affine3A>,
}

impl BodyPose {
    /// The rest pose of a body with `bones` bones.
    pub fn rest(bones: usize) -> Self {
        BodyPose {
            bones: vec![Affine3A::IDENTITY; bones],
        }
    }
}

/// A body made of capsules and spheres on bones.
#[derive(Debug, Clone, PartialEq)]
pub struct CapsuleBody {
    pub(super) bones: Vec<Bone>,
    pub(super) shapes: Vec<BodyShape>,
}

impl CapsuleBody {
    /// A body from its bones and shapes; every shape's bone must exist, every radius be
    /// positive and every coordinate finite, and there must be at least one torso shape.
    pub fn new(bones: Vec<Bone>, shapes: Vec<BodyShape>) -> Result<Self, DrapeError> {
        for (i, s) in shapes.iter().enumerate() {
            if s.bone >= bones.len() {
                return Err(DrapeError::BadBody(format!(
                    "shape {i} is on bone {}, but the body has {} bones",
                    s.bone,
                    bones.len()
                )));
            }
            if !(s.shape.radius() > 0.0 && s.shape.radius().is_finite() && s.shape.is_finite()) {
                return Err(DrapeError::BadBody(format!(
                    "shape {i} has a radius that is not positive or a coordinate that is not \
                     finite; give radii and positions in metres"
                )));
            }
        }
        if !shapes.iter().any(|s| bones[s.bone].role == BoneRole::Torso) {
            return Err(DrapeError::BadBody(
                "the body has no torso shape; a garment needs a torso to hang from".into(),
            ));
        }
        Ok(CapsuleBody { bones, shapes })
    }

    /// The bones.
    pub fn bones(&self) -> &[Bone] {
        &self.bones
    }

    /// The shapes, in the rest pose.
    pub fn shapes(&self) -> &[BodyShape] {
        &self.shapes
    }

    /// The index of the bone called `name`.
    pub fn bone(&self, name: &str) -> Option<usize> {
        self.bones.iter().position(|b| b.name == name)
    }

    /// The rest pose.
    pub fn rest_pose(&self) -> BodyPose {
        BodyPose::rest(self.bones.len())
    }

    /// Checks that `pose` has one finite transform per bone.
    pub fn check_pose(&self, pose: &BodyPose) -> Result<(), DrapeError> {
        if pose.bones.len() != self.bones.len() {
            return Err(DrapeError::PoseBoneCount {
                got: pose.bones.len(),
                expected: self.bones.len(),
            });
        }
        if let Some(i) = pose.bones.iter().position(|t| !t.is_finite()) {
            return Err(DrapeError::BadBody(format!(
                "the pose of bone \"{}\" is not finite",
                self.bones[i].name
            )));
        }
        Ok(())
    }

    /// Every shape in `pose` (same order as [`CapsuleBody::shapes`]). The pose must have
    /// passed [`CapsuleBody::check_pose`].
    pub fn posed_shapes<'a>(&'a self, pose: &'a BodyPose) -> impl Iterator<Item = Shape> + 'a {
        self.shapes
            .iter()
            .map(|s| s.shape.transformed(&pose.bones[s.bone]))
    }

    /// Signed distance from `p` to the union of the shapes whose bones pass `keep`, in the
    /// rest pose (infinity when none pass).
    pub(crate) fn rest_distance(&self, p: Vec3, keep: impl Fn(BoneRole) -> bool) -> f32 {
        self.shapes
            .iter()
            .filter(|s| keep(self.bones[s.bone].role))
            .map(|s| s.shape.distance(p))
            .fold(f32::INFINITY, f32::min)
    }

    /// The bone of the torso shape nearest to `p` in the rest pose.
    pub(crate) fn nearest_torso_bone(&self, p: Vec3) -> usize {
        self.shapes
            .iter()
            .filter(|s| self.bones[s.bone].role == BoneRole::Torso)
            .min_by(|a, b| a.shape.distance(p).total_cmp(&b.shape.distance(p)))
            .map_or(0, |s| s.bone)
    }
}

/// The body's shapes as cloth colliders, and their handles for moving them each frame.
#[derive(Debug, Clone)]
pub(crate) struct BodyColliders {
    pub set: ColliderSet,
    handles: Vec<Handle>,
}

#[derive(Debug, Clone, Copy)]
enum Handle {
    Capsule(CapsuleId),
    Sphere(SphereId),
}

impl BodyColliders {
    /// Colliders for `body` in `pose`.
    pub fn new(body: &CapsuleBody, pose: &BodyPose) -> Self {
        let mut set = ColliderSet::new();
        let handles = body
            .posed_shapes(pose)
            .map(|shape| match shape {
                Shape::Capsule(c) => Handle::Capsule(set.add_capsule(c)),
                Shape::Sphere(s) => Handle::Sphere(set.add_sphere(s)),
            })
            .collect();
        BodyColliders { set, handles }
    }

    /// Moves every collider to `pose`.
    pub fn pose(&mut self, body: &CapsuleBody, pose: &BodyPose) {
        for (handle, shape) in self.handles.iter().zip(body.posed_shapes(pose)) {
            match (*handle, shape) {
                (Handle::Capsule(id), Shape::Capsule(c)) => self.set.move_capsule(id, c.a, c.b),
                (Handle::Sphere(id), Shape::Sphere(s)) => self.set.move_sphere(id, s.center),
                _ => {}
            }
        }
    }
}
