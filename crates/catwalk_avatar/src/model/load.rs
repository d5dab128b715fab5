//! Turns a parsed body file into a [`BodyModel`], checking every array size and index
//! against the header and deriving each vertex's body region from its skin weights.

use std::path::Path;

use glam::Vec3;

use super::blend::{VARIATIONS, vec3s};
use super::file::BodyFile;
use super::{BodyModel, BodyRegion, LoadError, LocalTarget, PhenotypeTarget};
use crate::skeleton::Skeleton;

/// Builds the model from a parsed file, checking every size against the header.
pub(super) fn from_file(file: &BodyFile, path: &Path) -> Result<BodyModel, LoadError> {
    let h = &file.header;
    let corrupt = |why: String| LoadError::Corrupt {
        path: path.to_path_buf(),
        why,
    };
    let n_bones = h.bones.len();
    let n_points = h.vertex_count + h.joint_point_count;
    if h.joint_point_count != 2 * n_bones || h.max_influences != 4 {
        return Err(corrupt(
            "joint point or influence counts do not match the rig".into(),
        ));
    }
    let template = vec3s(&file.f32s("template", path)?);
    let tris = file.u32s("triangles", path)?;
    let joints = file.u16s("skin_joints", path)?;
    let weights = file.f32s("skin_weights", path)?;
    let basis = file.i16s("phenotype_basis", path)?;
    let basis_scale = file.f32s("phenotype_basis_scale", path)?;
    let projection = file.f32s("phenotype_projection", path)?;
    let local_idx = file.u32s("local_indices", path)?;
    let local_delta = vec3s(&file.f32s("local_deltas", path)?);
    let rank = h.phenotype_rank;
    let n_targets = h.phenotype_targets.len();
    if template.len() != n_points
        || tris.len() != 3 * h.triangle_count
        || joints.len() != 4 * h.vertex_count
        || weights.len() != 4 * h.vertex_count
        || basis.len() != rank * 3 * n_points
        || basis_scale.len() != rank
        || projection.len() != n_targets * rank
        || local_idx.len() != local_delta.len()
    {
        return Err(corrupt("array sizes do not match the header".into()));
    }
    if tris.iter().any(|&i| i as usize >= h.vertex_count)
        || joints.iter().any(|&j| j as usize >= n_bones)
        || local_idx.iter().any(|&i| i as usize >= n_points)
    {
        return Err(corrupt("an index is out of range".into()));
    }

    let mut parents = Vec::with_capacity(n_bones);
    for (i, b) in h.bones.iter().enumerate() {
        let parent = usize::try_from(b.parent).ok();
        if parent.is_some_and(|p| p >= i) || (parent.is_none() && i != 0) {
            return Err(corrupt(format!("bone {} is not after its parent", b.name)));
        }
        parents.push(parent);
    }
    let names: Vec<String> = h.bones.iter().map(|b| b.name.clone()).collect();
    let skeleton = Skeleton::new(names, parents);

    let mut phenotype_targets = Vec::with_capacity(n_targets);
    for t in &h.phenotype_targets {
        let mut components = Vec::new();
        for c in &t.components {
            let idx = VARIATIONS
                .iter()
                .position(|v| v.0 == c)
                .ok_or_else(|| corrupt(format!("unknown phenotype variation {c}")))?;
            components.push(idx);
        }
        phenotype_targets.push(PhenotypeTarget { components });
    }

    let slice = |r: super::file::SparseRange| -> Result<(Vec<u32>, Vec<Vec3>), LoadError> {
        let end = r.start + r.count;
        if end > local_idx.len() {
            return Err(corrupt("a local target range is out of bounds".into()));
        }
        Ok((
            local_idx[r.start..end].to_vec(),
            local_delta[r.start..end].to_vec(),
        ))
    };
    let mut local_targets = Vec::new();
    for t in &h.local_targets {
        local_targets.push(LocalTarget {
            name: t.name.clone(),
            pos: slice(t.pos)?,
            neg: slice(t.neg)?,
        });
    }

    let skin_joints: Vec<[u16; 4]> = joints
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect();
    let skin_weights: Vec<[f32; 4]> = weights
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect();
    let bone_regions: Vec<BodyRegion> = skeleton
        .names
        .iter()
        .map(|n| BodyRegion::of_bone(n))
        .collect();
    let regions = skin_joints
        .iter()
        .zip(&skin_weights)
        .map(|(j, w)| {
            // Influences are sorted by weight; sum weights per region and take the largest.
            let mut best = (bone_regions[j[0] as usize], 0.0f32);
            for k in 0..4 {
                let region = bone_regions[j[k] as usize];
                let total: f32 = (0..4)
                    .filter(|&m| bone_regions[j[m] as usize] == region)
                    .map(|m| w[m])
                    .sum();
                if total > best.1 {
                    best = (region, total);
                }
            }
            best.0
        })
        .collect();

    Ok(BodyModel {
        template,
        triangles: tris.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect(),
        skin_joints,
        skin_weights,
        skeleton,
        regions,
        phenotype_targets,
        basis,
        basis_scale,
        projection,
        rank,
        local_targets,
        vertex_count: h.vertex_count,
        source: h
            .source
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    })
}
