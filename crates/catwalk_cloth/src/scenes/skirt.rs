//! A flared (A-line) skirt cut as one annular sector, closed by a seam at the back and
//! attached at the waist to walking capsule legs.

use glam::{Vec2, Vec3};

use super::{PatternMesh, ReferenceScene, SceneDriver, WalkingLegs};
use crate::builder::ClothBuilder;
use crate::colliders::ColliderSet;
use crate::error::ClothError;
use crate::fabric::FabricPreset;

/// The finished skirt's shape, m.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkirtDimensions {
    /// Radius at the waist.
    pub waist_radius: f32,
    /// Radius at the hem.
    pub hem_radius: f32,
    /// Length along the side (waist to hem, slanted).
    pub length: f32,
    /// Height of the waistband above the hip joints.
    pub waist_above_hips: f32,
}

impl Default for SkirtDimensions {
    fn default() -> Self {
        SkirtDimensions {
            waist_radius: 0.17,
            hem_radius: 0.26,
            length: 0.5,
            waist_above_hips: 0.07,
        }
    }
}

/// The `(around, down)` grid that gives a skirt of [`SkirtDimensions::default`] close to
/// `vertices` vertices, its cells about square (the skirt is ~2.8 times wider than long).
pub fn skirt_grid_for(vertices: usize) -> (usize, usize) {
    let down = ((vertices as f32 / 2.8).sqrt().round() as usize).max(3);
    let around = (vertices / down).saturating_sub(1).max(3);
    (around, down)
}

/// A skirt of `around × down` vertices (plus one seam column) on [`WalkingLegs`].
///
/// The pattern is the development of a cone: an annular sector with inner radius `ρ1` and
/// angle `φ` such that `ρ1 φ` is the waist and `(ρ1 + length) φ` the hem circumference. The
/// warp runs radially (down the skirt). The first and last columns are sewn together; the
/// top row is attached to the pelvis.
pub fn skirt_on_walking_legs(
    fabric: FabricPreset,
    around: usize,
    down: usize,
    dims: SkirtDimensions,
    legs: WalkingLegs,
) -> Result<ReferenceScene, ClothError> {
    use std::f32::consts::TAU;
    let around = around.max(3);
    let waist = TAU * dims.waist_radius;
    let hem = TAU * dims.hem_radius;
    let angle = (hem - waist) / dims.length;
    let inner = waist / angle;
    let mesh = PatternMesh::grid(around + 1, down, |u, v| {
        let (r, a) = (inner + v * dims.length, u * angle);
        Vec2::new(r * a.sin(), -r * a.cos())
    });
    let flare = dims.hem_radius - dims.waist_radius;
    let drop = (dims.length * dims.length - flare * flare).max(0.0).sqrt();
    let waist_height = legs.pelvis_height + dims.waist_above_hips;
    let mut placed = Vec::with_capacity(mesh.rest.len());
    for j in 0..mesh.rows {
        let v = j as f32 / (mesh.rows - 1) as f32;
        for i in 0..mesh.columns {
            let theta = TAU * i as f32 / around as f32;
            let r = dims.waist_radius + flare * v;
            placed.push(Vec3::new(
                r * theta.sin(),
                waist_height - drop * v,
                r * theta.cos(),
            ));
        }
    }
    // Warp radial in the pattern: from the sector's apex through each triangle's centroid.
    let warp = mesh
        .triangles
        .iter()
        .map(|t| {
            let c =
                (mesh.rest[t[0] as usize] + mesh.rest[t[1] as usize] + mesh.rest[t[2] as usize])
                    / 3.0;
            c.normalize_or(Vec2::Y)
        })
        .collect();
    let seams: Vec<[u32; 2]> = (0..mesh.rows)
        .map(|j| [mesh.index(0, j), mesh.index(around, j)])
        .collect();
    let waist_vertices: Vec<u32> = (0..=around).map(|i| mesh.index(i, 0)).collect();
    let pelvis = Vec3::new(0.0, legs.pelvis_height, 0.0);
    let waist_offsets = waist_vertices
        .iter()
        .map(|&v| placed[v as usize] - pelvis)
        .collect();
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .fabric(fabric)
        .warp_per_triangle(warp)
        .seams(seams)
        .attachments(waist_vertices)
        .build()?;
    let mut colliders = ColliderSet::new();
    let pose = legs.pose(0.0);
    let capsules = pose.capsules.map(|c| colliders.add_capsule(c));
    Ok(ReferenceScene {
        cloth,
        colliders,
        driver: SceneDriver::Walk {
            legs,
            capsules,
            waist_offsets,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_skirt_reports_its_back_seam_and_its_waistband() {
        for target in [1000, 2000, 8000] {
            let (around, down) = skirt_grid_for(target);
            let vertices = (around + 1) * down;
            assert!(
                vertices.abs_diff(target) * 20 < target,
                "{vertices} vertices for a target of {target}"
            );
        }
        let (around, down) = skirt_grid_for(1000);
        let scene = skirt_on_walking_legs(
            FabricPreset::CottonTwill,
            around,
            down,
            SkirtDimensions::default(),
            WalkingLegs::default(),
        )
        .expect("skirt");
        let cloth = &scene.cloth;
        let seams = cloth.seam_pairs();
        assert_eq!(seams.len(), down);
        for (j, &[a, b]) in seams.iter().enumerate() {
            let mut pair = [a, b];
            pair.sort_unstable();
            let columns = (around + 1) as u32;
            assert_eq!(
                pair,
                [j as u32 * columns, j as u32 * columns + around as u32]
            );
            // Far apart in the pattern, together on the body.
            let (ra, rb) = (
                cloth.rest_positions()[a as usize],
                cloth.rest_positions()[b as usize],
            );
            assert!(ra.distance(rb) > 0.3);
            assert!(cloth.positions()[a as usize].distance(cloth.positions()[b as usize]) < 1e-5);
        }
        let waist: Vec<u32> = (0..=around as u32).collect();
        assert_eq!(cloth.attached_vertices(), waist.as_slice());
    }
}
