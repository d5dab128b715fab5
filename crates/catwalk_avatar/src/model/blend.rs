//! Target blending as Anny does it: each phenotype target's coefficient is the product of
//! the piecewise-linear interpolation weights of the phenotype variations it is made of
//! (e.g. `female × young × averagemuscle × maxweight × maxheight`); local targets add
//! their positive half for values above zero and their negative half below.

use glam::Vec3;

use super::{BodyModel, Phenotype, RestBody};

/// The phenotype variations, with the phenotype they belong to and their anchor value.
pub(crate) const VARIATIONS: [(&str, Feature, f64); 18] = [
    ("male", Feature::Gender, 0.0),
    ("female", Feature::Gender, 1.0),
    ("child", Feature::Age, 1.0 / 3.0),
    ("young", Feature::Age, 2.0 / 3.0),
    ("old", Feature::Age, 1.0),
    ("minmuscle", Feature::Muscle, 0.0),
    ("averagemuscle", Feature::Muscle, 0.5),
    ("maxmuscle", Feature::Muscle, 1.0),
    ("minweight", Feature::Weight, 0.0),
    ("averageweight", Feature::Weight, 0.5),
    ("maxweight", Feature::Weight, 1.0),
    ("minheight", Feature::Height, 0.0),
    ("maxheight", Feature::Height, 1.0),
    ("idealproportions", Feature::Proportions, 0.0),
    ("uncommonproportions", Feature::Proportions, 1.0),
    ("mincup", Feature::Cupsize, 0.0),
    ("averagecup", Feature::Cupsize, 0.5),
    ("maxcup", Feature::Cupsize, 1.0),
];

/// The seven phenotypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Feature {
    Gender,
    Age,
    Muscle,
    Weight,
    Height,
    Proportions,
    Cupsize,
}

impl Feature {
    fn value(self, p: &Phenotype) -> f64 {
        match self {
            Self::Gender => p.gender,
            Self::Age => p.age,
            Self::Muscle => p.muscle,
            Self::Weight => p.weight,
            Self::Height => p.height,
            Self::Proportions => p.proportions,
            Self::Cupsize => p.cupsize,
        }
    }
}

/// Interpolation weight of each of the 18 variations for a phenotype (clamped into range):
/// for every phenotype, the two anchors around its value share 1 linearly.
pub fn phenotype_weights(phenotype: &Phenotype) -> [f64; 18] {
    let p = phenotype.clamped();
    let mut out = [0.0; 18];
    let mut i = 0;
    while i < VARIATIONS.len() {
        let feature = VARIATIONS[i].1;
        let mut j = i;
        while j < VARIATIONS.len() && VARIATIONS[j].1 == feature {
            j += 1;
        }
        let v = feature.value(&p);
        // Anchors i..j ascend; find the segment holding v.
        for k in i..j - 1 {
            let (a, b) = (VARIATIONS[k].2, VARIATIONS[k + 1].2);
            if v <= b || k + 1 == j - 1 {
                let t = ((v - a) / (b - a)).clamp(0.0, 1.0);
                out[k] = 1.0 - t;
                out[k + 1] = t;
                break;
            }
        }
        i = j;
    }
    out
}

/// Groups a flat array into 3-vectors.
pub(super) fn vec3s(values: &[f32]) -> Vec<Vec3> {
    values
        .chunks_exact(3)
        .map(|c| Vec3::new(c[0], c[1], c[2]))
        .collect()
}

/// Blends the targets and puts the feet on the floor.
pub(super) fn build(model: &BodyModel, phenotype: &Phenotype, local: &[f64]) -> RestBody {
    let w = phenotype_weights(phenotype);
    // Basis coefficients: sum over targets of (product of variation weights) × projection row.
    let mut coeff = vec![0.0f64; model.rank];
    for (t, target) in model.phenotype_targets.iter().enumerate() {
        let c: f64 = target.components.iter().map(|&i| w[i]).product();
        if c == 0.0 {
            continue;
        }
        let row = &model.projection[t * model.rank..(t + 1) * model.rank];
        for (acc, p) in coeff.iter_mut().zip(row) {
            *acc += c * f64::from(*p);
        }
    }
    let n = model.template.len();
    let mut flat: Vec<f32> = Vec::with_capacity(3 * n);
    for p in &model.template {
        flat.extend_from_slice(&[p.x, p.y, p.z]);
    }
    for (r, c) in coeff.iter().enumerate() {
        let c = (*c * f64::from(model.basis_scale[r])) as f32;
        if c == 0.0 {
            continue;
        }
        let row = &model.basis[r * 3 * n..(r + 1) * 3 * n];
        for (acc, b) in flat.iter_mut().zip(row) {
            *acc += c * f32::from(*b);
        }
    }
    let mut points = vec3s(&flat);
    for (target, value) in model.local_targets.iter().zip(local) {
        let value = value.clamp(-1.0, 1.0) as f32;
        let (idx, delta) = if value > 0.0 {
            &target.pos
        } else if value < 0.0 {
            &target.neg
        } else {
            continue;
        };
        let s = value.abs();
        for (i, d) in idx.iter().zip(delta) {
            points[*i as usize] += s * *d;
        }
    }
    let nv = model.vertex_count;
    let floor = points[..nv]
        .iter()
        .map(|p| p.y)
        .fold(f32::INFINITY, f32::min);
    let shift = Vec3::new(0.0, -floor, 0.0);
    for p in &mut points {
        *p += shift;
    }
    let nb = model.skeleton.len();
    let tails = points[nv + nb..nv + 2 * nb].to_vec();
    let joints = points[nv..nv + nb].to_vec();
    points.truncate(nv);
    RestBody {
        vertices: points,
        joints,
        tails,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_of_each_phenotype_sum_to_one() {
        let p = Phenotype {
            gender: 0.3,
            age: 0.8,
            muscle: 0.7,
            weight: 0.2,
            height: 0.9,
            proportions: 0.4,
            cupsize: 0.5,
        };
        let w = phenotype_weights(&p);
        let sum = |a: usize, b: usize| w[a..b].iter().sum::<f64>();
        for (a, b) in [
            (0, 2),
            (2, 5),
            (5, 8),
            (8, 11),
            (11, 13),
            (13, 15),
            (15, 18),
        ] {
            assert!((sum(a, b) - 1.0).abs() < 1e-12);
        }
        assert!(
            (w[1] - 0.3).abs() < 1e-12,
            "female weight is the gender value"
        );
        // age 0.8 lies between young (2/3) and old (1): 0.4 old.
        assert!((w[4] - 0.4).abs() < 1e-9);
        // muscle 0.7 lies between average and max: 0.4 max.
        assert!((w[7] - 0.4).abs() < 1e-9 && (w[6] - 0.6).abs() < 1e-9);
    }

    #[test]
    fn out_of_range_phenotypes_are_clamped() {
        let mut p = Phenotype::average(0.5);
        p.weight = 1.7;
        p.age = 0.0;
        let w = phenotype_weights(&p);
        assert_eq!(w[10], 1.0);
        assert_eq!(w[2], 1.0, "ages below the child anchor clamp to child");
    }
}
