//! Fabric presets with measured parameters, and their mapping to XPBD compliances.
//!
//! Sources are the references of the project's cloth research notes (`anchors-cloth.md` §4):
//! - **\[W\]** Wang, Ramamoorthi & O'Brien 2011, measured ARCSim materials (density kg/m²,
//!   bending ×1e-6, stretch `c11` in ~N/m, shear `c33`).
//! - **\[D\]** DrapeTester, SIGGRAPH Asia 2022: 618 fabrics, density 15–870 g/m², linear warp
//!   bending 3.4e-7 to 2.7e-4 N·m.
//! - **\[G\]** fabric-weight (GSM) guides (smfabricblog.com, sewinggem.com.au, textimes.com).
//! - **\[GC\]** GarmentCode's `default_sim_props.yaml` (friction 0.5, max velocity 25), §3.
//!
//! Values marked *estimate* have no measured source; the range they were read from is named.
//! Mapping to XPBD (anchors §4 "Practical mapping"): stretch compliance = 1 / k (m/N) per edge,
//! bending compliance = 1 / k_bend scaled by the hinge area, shear softer than stretch.

use crate::error::ClothError;

/// A named fabric with measured (or clearly marked estimated) parameters. This is the one
/// list of fabrics in Catwalk: garments, tech packs and the simulator all name these.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum FabricPreset {
    /// Silk chiffon: very light, sheer, floaty woven.
    SilkChiffon,
    /// Silk charmeuse (satin weave): light, fluid woven.
    SilkCharmeuse,
    /// Cotton jersey (T-shirt knit): stretchy knit.
    CottonJersey,
    /// Cotton/poly twill (trousers): inextensible woven that shears easily.
    CottonTwill,
    /// Denim (11 oz): heavy, stiff woven.
    Denim,
    /// Wool suiting: medium-weight woven.
    WoolSuiting,
}

impl FabricPreset {
    /// Every preset, for sweeps in tests and tools.
    pub const ALL: [FabricPreset; 6] = [
        FabricPreset::SilkChiffon,
        FabricPreset::SilkCharmeuse,
        FabricPreset::CottonJersey,
        FabricPreset::CottonTwill,
        FabricPreset::Denim,
        FabricPreset::WoolSuiting,
    ];

    /// The name as people write it, e.g. on a cutting list ("silk chiffon", "denim", ...).
    pub fn label(self) -> &'static str {
        match self {
            FabricPreset::SilkChiffon => "silk chiffon",
            FabricPreset::SilkCharmeuse => "silk charmeuse",
            FabricPreset::CottonJersey => "cotton jersey",
            FabricPreset::CottonTwill => "cotton twill",
            FabricPreset::Denim => "denim",
            FabricPreset::WoolSuiting => "wool suiting",
        }
    }

    /// Position in [`FabricPreset::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Reads a name in any common spelling ("Silk chiffon", "silk-chiffon", "silk_chiffon").
    pub fn parse(name: &str) -> Option<Self> {
        let word = name.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        Self::ALL.into_iter().find(|f| f.label() == word)
    }

    /// A short lowercase name ("denim", "silk-chiffon", ...).
    pub fn name(self) -> &'static str {
        match self {
            FabricPreset::SilkChiffon => "silk-chiffon",
            FabricPreset::SilkCharmeuse => "silk-charmeuse",
            FabricPreset::CottonJersey => "cotton-jersey",
            FabricPreset::CottonTwill => "cotton-twill",
            FabricPreset::Denim => "denim",
            FabricPreset::WoolSuiting => "wool-suiting",
        }
    }

    /// The physical parameters of this preset.
    pub fn params(self) -> FabricParams {
        match self {
            FabricPreset::SilkChiffon => FabricParams {
                // [G] chiffon and organza 20–100 g/m²; mid-light value.
                density: 0.050,
                // estimate: [W]/[D] give no c11 for chiffon; anchors §4 says "near-inextensible
                // in warp/weft" — taken at half the twill c11 ≈ 2,050 N/m [W].
                warp_stiffness: 1000.0,
                weft_stiffness: 1000.0,
                // estimate: "soft on the bias" [G]; c33/c11 ≈ 3% as for twill [W].
                shear_stiffness: 30.0,
                // [D] fabrics of 15–60 g/m²: ~3e-7–3e-6 N·m; geometric middle.
                bending_stiffness: 1.0e-6,
                // engine choice: light fabric, more air damping.
                damping: 0.8,
                // estimate: smooth silk below GarmentCode's body friction 0.5 [GC].
                friction: 0.3,
                // engine choice: collision margin, not the physical thickness.
                thickness: 0.003,
                woven: true,
            },
            FabricPreset::SilkCharmeuse => FabricParams {
                // [G] charmeuse 80–170 g/m² (19 momme ≈ 82); middle of the range.
                density: 0.120,
                // estimate: woven, near-inextensible (anchors §4), below twill's 2,050 N/m [W].
                warp_stiffness: 1500.0,
                weft_stiffness: 1500.0,
                // estimate: c33/c11 ≈ 3% as for twill [W].
                shear_stiffness: 45.0,
                // [G]/[D] ~1e-6–1e-5 N·m; geometric middle.
                bending_stiffness: 3.0e-6,
                // engine choice.
                damping: 0.6,
                // estimate: satin face is slippery, below 0.5 [GC].
                friction: 0.25,
                // engine choice: collision margin.
                thickness: 0.003,
                woven: true,
            },
            FabricPreset::CottonJersey => FabricParams {
                // [W] gray-interlock 60/40 cotton-poly: 187 g/m².
                density: 0.187,
                // [W] c11 17–140 N/m across samples; warp near the top, weft lower
                // (a knit stretches more across the course; [D] warp/weft ratios up to ~8×).
                warp_stiffness: 120.0,
                weft_stiffness: 40.0,
                // estimate: knits shear easily; a quarter of the weft stiffness.
                shear_stiffness: 10.0,
                // [W] 0.7–3.9e-5 N·m.
                bending_stiffness: 2.0e-5,
                // engine choice.
                damping: 0.5,
                // [GC] body friction 0.5.
                friction: 0.5,
                // engine choice: collision margin.
                thickness: 0.003,
                woven: false,
            },
            FabricPreset::CottonTwill => FabricParams {
                // [W] royal-target cotton/poly twill: 220 g/m².
                density: 0.220,
                // [W] c11 ≈ 2,020–2,110 N/m.
                warp_stiffness: 2050.0,
                weft_stiffness: 2050.0,
                // [W] c33 ≈ 20–120 N/m.
                shear_stiffness: 60.0,
                // [W] 1.1–2.2e-4 N·m.
                bending_stiffness: 1.5e-4,
                // engine choice.
                damping: 0.5,
                // [GC] body friction 0.5.
                friction: 0.5,
                // engine choice: collision margin.
                thickness: 0.003,
                woven: true,
            },
            FabricPreset::Denim => FabricParams {
                // [W] 11 oz 99/1 denim measured at 324 g/m² (nominal 373) [G].
                density: 0.324,
                // [W] c11 205–232 N/m (a stretch denim).
                warp_stiffness: 220.0,
                weft_stiffness: 220.0,
                // estimate: c33/c11 ≈ 5% (top of twill's 1–5% [W]) — denim is stiffer on the bias.
                shear_stiffness: 11.0,
                // [W] 0.6–1.2e-4 N·m.
                bending_stiffness: 9.0e-5,
                // engine choice.
                damping: 0.5,
                // [GC] body friction 0.5.
                friction: 0.5,
                // engine choice: a thicker collision margin for a heavy fabric.
                thickness: 0.004,
                woven: true,
            },
            FabricPreset::WoolSuiting => FabricParams {
                // [G] light suits 210–230 g/m², heavier 320+; light-suit middle.
                density: 0.220,
                // estimate: woven, "inextensible" (anchors §4); twill's c11 [W].
                warp_stiffness: 2000.0,
                weft_stiffness: 2000.0,
                // estimate: c33/c11 ≈ 3% as for twill [W].
                shear_stiffness: 60.0,
                // estimate: 2e-5–1e-4 N·m read off [D] fabrics of similar density.
                bending_stiffness: 5.0e-5,
                // engine choice.
                damping: 0.5,
                // [GC] body friction 0.5.
                friction: 0.5,
                // engine choice: collision margin.
                thickness: 0.003,
                woven: true,
            },
        }
    }
}

/// Physical fabric parameters in SI units. Build one from a [`FabricPreset`] or by hand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FabricParams {
    /// Areal density, kg/m² (1 g/m² = 0.001 kg/m²).
    pub density: f32,
    /// Membrane stiffness along the warp, N/m (per unit width per unit strain).
    pub warp_stiffness: f32,
    /// Membrane stiffness along the weft, N/m.
    pub weft_stiffness: f32,
    /// Shear (bias) stiffness, N/m.
    pub shear_stiffness: f32,
    /// Bending rigidity, N·m.
    pub bending_stiffness: f32,
    /// Velocity damping rate, 1/s (velocities decay as `exp(-damping · t)`).
    pub damping: f32,
    /// Coulomb friction coefficient against colliders.
    pub friction: f32,
    /// Collision thickness, m: the cloth is kept this far outside every collider.
    pub thickness: f32,
    /// Whether the fabric is woven (the strain quality gates apply to wovens only).
    pub woven: bool,
}

impl FabricParams {
    /// Checks every value is finite and in its physical range.
    pub fn validate(&self) -> Result<(), ClothError> {
        let positive: [(&'static str, f32); 5] = [
            ("density", self.density),
            ("warp_stiffness", self.warp_stiffness),
            ("weft_stiffness", self.weft_stiffness),
            ("shear_stiffness", self.shear_stiffness),
            ("bending_stiffness", self.bending_stiffness),
        ];
        for (name, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                return Err(ClothError::BadFabric {
                    name,
                    value,
                    hint: "use a positive, finite value in SI units",
                });
            }
        }
        let non_negative: [(&'static str, f32); 3] = [
            ("damping", self.damping),
            ("friction", self.friction),
            ("thickness", self.thickness),
        ];
        for (name, value) in non_negative {
            if !(value.is_finite() && value >= 0.0) {
                return Err(ClothError::BadFabric {
                    name,
                    value,
                    hint: "use zero or a positive, finite value",
                });
            }
        }
        Ok(())
    }

    /// XPBD compliance (m/N) of an edge along the warp.
    pub fn warp_compliance(&self) -> f32 {
        1.0 / self.warp_stiffness
    }

    /// XPBD compliance (m/N) of an edge along the weft.
    pub fn weft_compliance(&self) -> f32 {
        1.0 / self.weft_stiffness
    }

    /// XPBD compliance (m/N) of a bias (shear) edge.
    pub fn shear_compliance(&self) -> f32 {
        1.0 / self.shear_stiffness
    }

    /// XPBD compliance of an isometric bending hinge whose two triangles have rest areas
    /// summing to `hinge_area` (m²): `α = A / (3 k_bend)` (Bergou et al. 2006 energy).
    pub fn bending_compliance(&self, hinge_area: f32) -> f32 {
        hinge_area / (3.0 * self.bending_stiffness)
    }
}

impl From<FabricPreset> for FabricParams {
    fn from(preset: FabricPreset) -> Self {
        preset.params()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_every_spelling() {
        for f in FabricPreset::ALL {
            assert_eq!(FabricPreset::parse(f.label()), Some(f));
            assert_eq!(FabricPreset::parse(f.name()), Some(f));
            assert_eq!(FabricPreset::ALL[f.index()], f);
        }
        assert_eq!(
            FabricPreset::parse("Wool_Suiting"),
            Some(FabricPreset::WoolSuiting)
        );
        assert_eq!(FabricPreset::parse("velvet"), None);
    }

    #[test]
    fn every_preset_is_valid_and_in_its_documented_density_range() {
        for preset in FabricPreset::ALL {
            let p = preset.params();
            p.validate().expect("preset must validate");
            // anchors §4 [D]: all measured fabrics lie in 15–870 g/m².
            assert!((0.015..=0.870).contains(&p.density), "{}", preset.name());
            // [D]: bending 3.4e-7 .. 2.7e-4 N·m.
            assert!(
                (3.4e-7..=2.7e-4).contains(&p.bending_stiffness),
                "{}",
                preset.name()
            );
            assert!(p.shear_stiffness < p.warp_stiffness.min(p.weft_stiffness));
        }
    }

    #[test]
    fn negative_density_is_rejected_with_the_parameter_name() {
        let mut p = FabricPreset::Denim.params();
        p.density = -1.0;
        let err = p.validate().expect_err("must reject");
        assert!(err.to_string().contains("density"));
    }
}
