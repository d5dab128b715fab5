//! The preference model: Bayesian linear regression of the audience's target score on a
//! feature map of the design, with a Gaussian prior on the weights.
//!
//! Features φ(design), all in `[0, 1]` ([`FEATURE_COUNT`] of them): a constant; the six
//! normalised design axes and their squares (so a preferred length or flare in the middle
//! of a range can be learnt); the colour's lightness and its square; the garment family
//! and the fabric preset one-hot.
//!
//! With weight prior `w ~ N(0, α⁻¹ I)` and score noise `N(0, σ² / cᵢ)` (cᵢ the response's
//! [`confidence`](super::AudienceResponse::confidence)), the posterior is
//! `N(m, A⁻¹)` with `A = α I + σ⁻² Σ cᵢ φᵢ φᵢᵀ` and `m = σ⁻² A⁻¹ Σ cᵢ φᵢ (yᵢ − ȳ)`, where
//! `ȳ` is the confidence-weighted mean score (the model predicts deviations from it).
//! The expected score of a design is `ȳ + φᵀ m`, its uncertainty the posterior standard
//! deviation of that expectation, `sqrt(φᵀ A⁻¹ φ)`. `A` is factored once with a Cholesky
//! decomposition.

use super::AudienceError;
use super::linalg::{Cholesky, SquareMatrix};
use super::response::AudienceResponse;
use crate::design::DesignCandidate;
use crate::design::garment::AXIS_COUNT;
use crate::design::{FabricPreset, GarmentKind};

/// Length of [`features`].
pub const FEATURE_COUNT: usize = 1 + 2 * AXIS_COUNT + 2 + 4 + 6;

/// The feature map φ (see the module header).
pub fn features(c: &DesignCandidate) -> [f64; FEATURE_COUNT] {
    let mut f = [0.0; FEATURE_COUNT];
    f[0] = 1.0;
    for (i, a) in c.axes.to_array().into_iter().enumerate() {
        f[1 + i] = a;
        f[1 + AXIS_COUNT + i] = a * a;
    }
    let l = c.colour.lightness();
    let base = 1 + 2 * AXIS_COUNT;
    f[base] = l;
    f[base + 1] = l * l;
    f[base + 2 + c.kind.index()] = 1.0;
    f[base + 2 + GarmentKind::ALL.len() + c.fabric.index()] = 1.0;
    debug_assert_eq!(
        base + 2 + GarmentKind::ALL.len() + FabricPreset::ALL.len(),
        FEATURE_COUNT
    );
    f
}

/// The model's prior.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrior {
    /// Precision α of the weight prior (1 / variance of each weight).
    pub weight_precision: f64,
    /// Score noise σ of a response with full confidence.
    pub noise_sd: f64,
}

impl Default for ModelPrior {
    /// α = 1 (weights of order one are plausible for features and scores in `[0, 1]`),
    /// σ = 0.08 (a tenth of the score range, about the spread of a 40-rating mean).
    fn default() -> Self {
        Self {
            weight_precision: 1.0,
            noise_sd: 0.08,
        }
    }
}

/// The expected score of a design and how sure the model is of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScorePrediction {
    /// Posterior mean of the target score.
    pub expected: f64,
    /// Posterior standard deviation of that mean.
    pub uncertainty: f64,
}

/// A fitted preference model.
#[derive(Debug, Clone)]
pub struct PreferenceModel {
    precision: Cholesky,
    weights: Vec<f64>,
    offset: f64,
    observations: usize,
}

impl PreferenceModel {
    /// Fits the model to the designs shown and the audience's responses.
    pub fn fit(
        observations: &[(DesignCandidate, AudienceResponse)],
        prior: ModelPrior,
    ) -> Result<Self, AudienceError> {
        if observations.is_empty() {
            return Err(AudienceError::NoObservations);
        }
        if !(prior.weight_precision > 0.0 && prior.noise_sd > 0.0) {
            return Err(AudienceError::BadPrior);
        }
        let beta = prior.noise_sd.powi(-2);
        let total_confidence: f64 = observations.iter().map(|(_, r)| r.confidence()).sum();
        let offset = observations
            .iter()
            .map(|(_, r)| r.confidence() * r.score())
            .sum::<f64>()
            / total_confidence;
        let mut a = SquareMatrix::scaled_identity(FEATURE_COUNT, prior.weight_precision);
        let mut b = vec![0.0; FEATURE_COUNT];
        for (design, response) in observations {
            let phi = features(design);
            let w = beta * response.confidence();
            a.add_outer(&phi, w);
            let y = response.score() - offset;
            for (bi, p) in b.iter_mut().zip(phi) {
                *bi += w * y * p;
            }
        }
        let precision = a.cholesky().ok_or(AudienceError::BadPrior)?;
        let weights = precision.solve(&b);
        Ok(Self {
            precision,
            weights,
            offset,
            observations: observations.len(),
        })
    }

    /// The expected score of `design` and its uncertainty.
    pub fn predict(&self, design: &DesignCandidate) -> ScorePrediction {
        let phi = features(design);
        let mean: f64 = phi.iter().zip(&self.weights).map(|(p, w)| p * w).sum();
        ScorePrediction {
            expected: self.offset + mean,
            uncertainty: self.precision.inverse_quadratic_form(&phi).sqrt(),
        }
    }

    /// Number of designs the model was fitted to.
    pub fn observations(&self) -> usize {
        self.observations
    }
}
