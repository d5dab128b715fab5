//! The fit map behind the designer's "fit view": each vertex of a draped garment classed as
//! tight, snug, with ease or loose, from how far its fabric is stretched and how far it is
//! from the body.
//!
//! Thresholds (per vertex; strain is the largest stretch `l / l0 − 1` of the vertex's warp
//! and weft edges against the cut pattern (bias edges lengthen when the weave shears, which
//! is drape, not tightness), clearance the distance to the nearest body shape minus
//! the fabric's collision thickness):
//! - **tight**: strain above [`TIGHT_STRAIN`] (2 %: more than a woven garment stretches
//!   under its own weight; the solver's quality gate for that is p95 ≤ 3 %), or touching
//!   the body (clearance ≤ [`CONTACT_CLEARANCE_M`]) with strain above
//!   [`PRESSED_STRAIN`] (0.5 %): pressed onto the body;
//! - **snug**: touching the body without being stretched;
//! - **ease**: clearance up to [`LOOSE_CLEARANCE_M`] (5 cm);
//! - **loose**: farther from the body than that.

use catwalk_cloth::colliders::ColliderPose;
use catwalk_cloth::glam::Vec3;
use catwalk_cloth::{Cloth, EdgeKind};

/// Strain above which a vertex is tight.
pub const TIGHT_STRAIN: f32 = 0.02;
/// Strain above which a vertex touching the body is pressed onto it (tight).
pub const PRESSED_STRAIN: f32 = 0.005;
/// Clearance (beyond the fabric thickness) up to which a vertex touches the body, m.
pub const CONTACT_CLEARANCE_M: f32 = 0.002;
/// Clearance beyond which a vertex is loose, m.
pub const LOOSE_CLEARANCE_M: f32 = 0.05;

/// How a vertex fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FitClass {
    /// Stretched, or pressed onto the body.
    Tight,
    /// Resting on the body, not stretched.
    Snug,
    /// Close to the body with room to move.
    Ease,
    /// Far from the body.
    Loose,
}

impl FitClass {
    /// Every class, tight to loose.
    pub const ALL: [FitClass; 4] = [
        FitClass::Tight,
        FitClass::Snug,
        FitClass::Ease,
        FitClass::Loose,
    ];

    /// The fit view's colour (sRGB): red, amber, green, blue.
    pub fn colour(self) -> [u8; 3] {
        match self {
            FitClass::Tight => [214, 48, 49],
            FitClass::Snug => [240, 170, 40],
            FitClass::Ease => [60, 170, 90],
            FitClass::Loose => [60, 120, 210],
        }
    }

    /// A lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            FitClass::Tight => "tight",
            FitClass::Snug => "snug",
            FitClass::Ease => "ease",
            FitClass::Loose => "loose",
        }
    }
}

/// One vertex of the fit map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitSample {
    /// The class.
    pub class: FitClass,
    /// Largest stretch of the vertex's warp and weft edges (negative when all are
    /// compressed; −∞ for a vertex with only bias edges).
    pub strain: f32,
    /// Distance from the body beyond the fabric thickness, m (negative inside).
    pub clearance_m: f32,
}

/// Per-vertex fit of a draped garment.
#[derive(Debug, Clone, PartialEq)]
pub struct FitMap {
    /// One sample per cloth vertex.
    pub samples: Vec<FitSample>,
}

impl FitMap {
    /// The fit of `cloth` on a body whose shapes are `body` (spheres and capsules; planes
    /// and grids are ignored).
    pub fn measure(cloth: &Cloth, body: &ColliderPose) -> FitMap {
        let pos = cloth.positions();
        let mut strain = vec![f32::NEG_INFINITY; pos.len()];
        let edges = cloth.edges().iter().zip(cloth.edge_rest_lengths());
        for ((&[a, b], &rest), &kind) in edges.zip(cloth.edge_kinds()) {
            if kind == EdgeKind::Shear {
                continue;
            }
            let s = pos[a as usize].distance(pos[b as usize]) / rest - 1.0;
            for v in [a, b] {
                strain[v as usize] = strain[v as usize].max(s);
            }
        }
        let thickness = cloth.fabric().thickness;
        let samples = pos
            .iter()
            .zip(strain)
            .map(|(&p, strain)| {
                let clearance_m = distance_to_body(body, p) - thickness;
                FitSample {
                    class: classify(strain, clearance_m),
                    strain,
                    clearance_m,
                }
            })
            .collect();
        FitMap { samples }
    }

    /// How many vertices fall in `class`.
    pub fn count(&self, class: FitClass) -> usize {
        self.samples.iter().filter(|s| s.class == class).count()
    }

    /// The fit view's colour of each vertex.
    pub fn colours(&self) -> Vec<[u8; 3]> {
        self.samples.iter().map(|s| s.class.colour()).collect()
    }
}

/// The class for a strain and a clearance (see the module docs).
pub fn classify(strain: f32, clearance_m: f32) -> FitClass {
    let touching = clearance_m <= CONTACT_CLEARANCE_M;
    if strain > TIGHT_STRAIN || (touching && strain > PRESSED_STRAIN) {
        FitClass::Tight
    } else if touching {
        FitClass::Snug
    } else if clearance_m <= LOOSE_CLEARANCE_M {
        FitClass::Ease
    } else {
        FitClass::Loose
    }
}

fn distance_to_body(body: &ColliderPose, p: Vec3) -> f32 {
    let spheres = body.spheres.iter().map(|s| s.surface(p).distance);
    let capsules = body.capsules.iter().map(|c| c.surface(p).0.distance);
    spheres.chain(capsules).fold(f32::INFINITY, f32::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_documented_thresholds() {
        assert_eq!(classify(0.03, 0.10), FitClass::Tight);
        assert_eq!(classify(0.01, 0.001), FitClass::Tight);
        assert_eq!(classify(0.0, 0.001), FitClass::Snug);
        assert_eq!(classify(0.01, 0.02), FitClass::Ease);
        assert_eq!(classify(0.0, 0.08), FitClass::Loose);
    }
}
