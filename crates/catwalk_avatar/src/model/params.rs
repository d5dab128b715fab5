//! Body parameters: the six Anny phenotypes (each in a documented range) and the local
//! changes (bipolar, in [-1, 1]) that refine single measurements.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The lowest age value the converted assets cover (the `child` anchor).
pub const AGE_MIN: f64 = 1.0 / 3.0;
/// Age of a young adult (the `young` anchor), the default.
pub const AGE_YOUNG_ADULT: f64 = 2.0 / 3.0;

/// The macro shape of a body, as Anny's phenotype parameters. Values outside their range
/// are clamped when the mesh is built, as Anny does without extrapolation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phenotype {
    /// 0 = male, 1 = female; values between blend the two.
    pub gender: f64,
    /// 1/3 = child, 2/3 = young adult, 1 = old (Anny's anchors; younger ages are not converted).
    pub age: f64,
    /// 0 = minimum, 0.5 = average, 1 = maximum muscle.
    pub muscle: f64,
    /// 0 = minimum, 0.5 = average, 1 = maximum weight.
    pub weight: f64,
    /// 0 = minimum, 1 = maximum height.
    pub height: f64,
    /// 0 = ideal, 1 = uncommon proportions.
    pub proportions: f64,
    /// Breast size, female bodies only: 0 = minimum, 0.5 = average, 1 = maximum cup.
    #[serde(default = "half")]
    pub cupsize: f64,
}

fn half() -> f64 {
    0.5
}

impl Phenotype {
    /// An average young adult of the given gender (0 = male, 1 = female).
    pub fn average(gender: f64) -> Self {
        Self {
            gender,
            age: AGE_YOUNG_ADULT,
            muscle: 0.5,
            weight: 0.5,
            height: 0.5,
            proportions: 0.5,
            cupsize: 0.5,
        }
    }

    /// The phenotype with every value clamped into its range.
    pub fn clamped(&self) -> Self {
        Self {
            gender: self.gender.clamp(0.0, 1.0),
            age: self.age.clamp(AGE_MIN, 1.0),
            muscle: self.muscle.clamp(0.0, 1.0),
            weight: self.weight.clamp(0.0, 1.0),
            height: self.height.clamp(0.0, 1.0),
            proportions: self.proportions.clamp(0.0, 1.0),
            cupsize: self.cupsize.clamp(0.0, 1.0),
        }
    }
}

/// All parameters of a body: phenotype plus local changes by name (missing names are 0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyParams {
    /// Macro shape.
    pub phenotype: Phenotype,
    /// Local changes, e.g. `measure-waist-circ` = 0.3; each in [-1, 1].
    #[serde(default)]
    pub local: BTreeMap<String, f64>,
}

impl BodyParams {
    /// The average young adult of the given gender with no local change.
    pub fn average(gender: f64) -> Self {
        Self {
            phenotype: Phenotype::average(gender),
            local: BTreeMap::new(),
        }
    }
}
