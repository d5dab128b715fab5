//! Moves a regressed body's girths onto the girths the regressor's measurement head
//! predicted.
//!
//! The regressor outputs body parameters and, from a second head, the tailoring measurements
//! themselves. The parameters fix the body's overall shape, but a parameter error shows in
//! the girths only through the body model, which no training loss sees exactly; the head is
//! trained on the measurements directly. So after the body is built from the parameters and
//! its height matched, each girth that has its own local change (`measure-bust-circ` for the
//! bust, …) is moved until the body measures what the head said: Newton steps on a
//! finite-difference Jacobian taken once and then corrected by Broyden's update after every
//! step taken (the local changes are nearly linear and nearly independent, but not quite: the
//! thigh's level moves with the thigh), with backtracking where a step lands past a jump of
//! a measurement (a girth's level moving to another part of the body), then the height is
//! matched again.

use crate::fit::solve;
use crate::measure::{Landmarks, Measurements, measure};
use crate::model::{BodyModel, BodyParams, RestBody};

use super::error::PhotoError;
use super::pipeline::match_height;

/// The girths refined, each with its measurement index (in
/// [`crate::measure::MEASUREMENT_NAMES`] order) and the local change that moves it.
pub const REFINED_GIRTHS: [(usize, &str); 5] = [
    (1, "measure-bust-circ"),
    (3, "measure-waist-circ"),
    (4, "measure-hips-circ"),
    (8, "measure-neck-circ"),
    (9, "measure-thigh-circ"),
];

const N: usize = REFINED_GIRTHS.len();
/// Finite-difference step of a local change.
const STEP: f64 = 0.05;
/// Newton steps after the Jacobian.
const ITERATIONS: usize = 5;
/// Halvings of a step that does not reduce the residuals before giving up.
const BACKTRACKS: usize = 3;
/// Stop when every girth is this close to its target (cm).
const TOLERANCE_CM: f64 = 0.05;

/// What the refinement did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Refinement {
    /// Bodies built and measured.
    pub evaluations: usize,
    /// The largest girth residual left (cm), over [`REFINED_GIRTHS`].
    pub worst_residual_cm: f64,
}

fn build_and_measure(
    model: &BodyModel,
    landmarks: &Landmarks,
    params: &BodyParams,
) -> Result<(RestBody, Measurements), PhotoError> {
    let rest = model
        .build(params)
        .map_err(|e| PhotoError::Body(e.to_string()))?;
    let (m, _) = measure(landmarks, &rest).map_err(|e| PhotoError::Body(e.to_string()))?;
    Ok((rest, m))
}

fn residuals(m: &Measurements, predicted: &[f64; 10]) -> [f64; N] {
    let values = m.to_array();
    REFINED_GIRTHS.map(|(k, _)| values[k] - predicted[k])
}

fn local(params: &BodyParams, name: &str) -> f64 {
    params.local.get(name).copied().unwrap_or(0.0)
}

fn set_locals(params: &mut BodyParams, x: &[f64; N]) {
    for ((_, name), v) in REFINED_GIRTHS.iter().zip(x) {
        params.local.insert((*name).to_string(), v.clamp(-1.0, 1.0));
    }
}

/// Refines `params` (already height-matched, built into `rest`) so the body's girths match
/// `predicted` (cm, in [`crate::measure::MEASUREMENT_NAMES`] order; the height entry is
/// unused), keeping its stature at `height_cm`. Returns the new parameters, body and
/// measurements.
pub fn refine_girths(
    model: &BodyModel,
    landmarks: &Landmarks,
    (params, rest): (BodyParams, RestBody),
    predicted: &[f64; 10],
    height_cm: f64,
) -> Result<(BodyParams, RestBody, Measurements, Refinement), PhotoError> {
    let (mut params, mut rest) = (params, rest);
    let (mut m, _) = measure(landmarks, &rest).map_err(|e| PhotoError::Body(e.to_string()))?;
    let mut evaluations = 0;
    let mut r = residuals(&m, predicted);
    let mut x = REFINED_GIRTHS.map(|(_, name)| local(&params, name));
    if r.iter().any(|v| v.abs() > TOLERANCE_CM) {
        // Jacobian: column j is the girths' response to local change j (cm per unit).
        let mut jac = [[0.0f64; N]; N];
        for j in 0..N {
            let h = if x[j] + STEP <= 1.0 { STEP } else { -STEP };
            let mut xh = x;
            xh[j] += h;
            let mut probe = params.clone();
            set_locals(&mut probe, &xh);
            let (_, mh) = build_and_measure(model, landmarks, &probe)?;
            evaluations += 1;
            let rh = residuals(&mh, predicted);
            for i in 0..N {
                jac[i][j] = (rh[i] - r[i]) / h;
            }
        }
        let norm = |v: &[f64; N]| v.iter().map(|e| e * e).sum::<f64>();
        'steps: for _ in 0..ITERATIONS {
            let Some(delta) = solve(jac, r.map(|v| -v)) else {
                break;
            };
            // Backtracking: the measurements jump where a girth's level moves to another
            // part of the body, so a full step may land past a jump.
            let mut scale = 1.0;
            for _ in 0..BACKTRACKS {
                let next: [f64; N] =
                    std::array::from_fn(|j| (x[j] + scale * delta[j]).clamp(-1.0, 1.0));
                let step: [f64; N] = std::array::from_fn(|j| next[j] - x[j]);
                let step_norm: f64 = step.iter().map(|v| v * v).sum();
                if step_norm < 1e-12 {
                    break 'steps;
                }
                let mut candidate = params.clone();
                set_locals(&mut candidate, &next);
                let (cr, cm) = build_and_measure(model, landmarks, &candidate)?;
                evaluations += 1;
                let cres = residuals(&cm, predicted);
                if norm(&cres) < norm(&r) {
                    // Broyden: J += (Δr − J s) sᵀ / (sᵀ s), from steps that were taken.
                    for i in 0..N {
                        let expected: f64 = (0..N).map(|j| jac[i][j] * step[j]).sum();
                        let miss = (cres[i] - r[i]) - expected;
                        for j in 0..N {
                            jac[i][j] += miss * step[j] / step_norm;
                        }
                    }
                    (x, params, rest, m, r) = (next, candidate, cr, cm, cres);
                    if r.iter().all(|v| v.abs() <= TOLERANCE_CM) {
                        break 'steps;
                    }
                    continue 'steps;
                }
                scale *= 0.5;
            }
            break;
        }
    }
    let stature = m.to_array()[0];
    if (stature - height_cm).abs() >= 0.1 {
        let (p, body) = match_height(model, params, height_cm)?;
        let (mm, _) = measure(landmarks, &body).map_err(|e| PhotoError::Body(e.to_string()))?;
        (params, rest, m) = (p, body, mm);
        r = residuals(&m, predicted);
        evaluations += 1;
    }
    let worst_residual_cm = r.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    Ok((
        params,
        rest,
        m,
        Refinement {
            evaluations,
            worst_residual_cm,
        },
    ))
}
