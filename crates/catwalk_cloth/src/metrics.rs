//! Quality measures used by tests, benchmarks and tools: edge strain, kinetic energy,
//! penetration depth and finiteness (anchors-cloth.md §5).

use crate::cloth::{Cloth, EdgeKind};
use crate::colliders::ColliderSet;

/// Edge strain statistics over the mesh edges (seams and tethers excluded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrainStats {
    /// 95th percentile of `|l / l0 - 1|`.
    pub p95: f32,
    /// Largest `|l / l0 - 1|`.
    pub max: f32,
    /// Mean of `|l / l0 - 1|`.
    pub mean: f32,
}

impl Cloth {
    /// Strain of every mesh edge against its pattern rest length (stretch or compression).
    pub fn edge_strains(&self) -> Vec<f32> {
        self.edges
            .iter()
            .zip(&self.edge_rest)
            .map(|(&[a, b], &rest)| {
                (self.pos[a as usize].distance(self.pos[b as usize]) / rest - 1.0).abs()
            })
            .collect()
    }

    /// p95, maximum and mean strain over every mesh edge.
    pub fn strain_stats(&self) -> StrainStats {
        stats_of(self.edge_strains())
    }

    /// p95, maximum and mean strain over the warp and weft edges: the fabric's stretch,
    /// leaving out bias edges, whose length also changes when the weave shears.
    pub fn stretch_strain_stats(&self) -> StrainStats {
        let strains = self
            .edge_strains()
            .into_iter()
            .zip(&self.edge_kind)
            .filter(|&(_, &k)| k != EdgeKind::Shear)
            .map(|(s, _)| s)
            .collect();
        stats_of(strains)
    }
}

impl Cloth {
    /// Kinetic energy `Σ ½ m v²` of the free vertices, J.
    pub fn kinetic_energy(&self) -> f32 {
        self.vel
            .iter()
            .zip(&self.mass)
            .zip(&self.inv_mass)
            .filter(|&(_, &w)| w > 0.0)
            .map(|((v, &m), _)| 0.5 * m * v.length_squared())
            .sum()
    }

    /// Deepest penetration of any vertex into the colliders' current pose, m (0 if none).
    pub fn max_penetration(&self, colliders: &ColliderSet) -> f32 {
        let pose = colliders.current();
        self.pos
            .iter()
            .map(|&p| pose.penetration(p))
            .fold(0.0, f32::max)
    }

    /// Whether every position and velocity is finite.
    pub fn is_finite(&self) -> bool {
        self.pos.iter().all(|p| p.is_finite()) && self.vel.iter().all(|v| v.is_finite())
    }
}

/// p95 (nearest rank), maximum and mean of a list of strains.
fn stats_of(mut strains: Vec<f32>) -> StrainStats {
    let mean = strains.iter().sum::<f32>() / strains.len().max(1) as f32;
    strains.sort_by(f32::total_cmp);
    let p95 = strains
        .get(((strains.len() as f32 * 0.95).ceil() as usize).saturating_sub(1))
        .copied()
        .unwrap_or(0.0);
    StrainStats {
        p95,
        max: strains.last().copied().unwrap_or(0.0),
        mean,
    }
}
