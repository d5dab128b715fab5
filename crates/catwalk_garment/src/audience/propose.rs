//! Proposing the next designs to show: sample a large pool of valid candidates from the
//! brief and rank them by the upper confidence bound `expected + κ × uncertainty`.

use super::AudienceError;
use super::model::PreferenceModel;
use crate::design::{DesignCandidate, DesignRng, DesignSampler};

/// Two proposals closer than this ([`DesignCandidate::distance`]) count as the same
/// design; the lower-ranked one is skipped.
const SAME_DESIGN_DISTANCE: f64 = 0.05;

/// How to search for proposals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProposalOptions {
    /// Valid candidates sampled and ranked.
    pub pool_size: usize,
    /// Exploration weight κ: 0 proposes what the model believes is best, larger values
    /// favour designs the model is unsure about.
    pub kappa: f64,
    /// Seed of the pool.
    pub seed: u64,
}

impl Default for ProposalOptions {
    /// 300 candidates, κ = 1.
    fn default() -> Self {
        Self {
            pool_size: 300,
            kappa: 1.0,
            seed: 0,
        }
    }
}

/// A proposed design with what the model expects of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The design.
    pub candidate: DesignCandidate,
    /// Expected target score.
    pub expected_score: f64,
    /// Standard deviation of the expected score.
    pub uncertainty: f64,
    /// The upper confidence bound it was ranked by.
    pub acquisition: f64,
}

impl PreferenceModel {
    /// The `k` best distinct designs of a pool drawn from `sampler`, by upper confidence
    /// bound, best first.
    pub fn propose(
        &self,
        sampler: &DesignSampler,
        k: usize,
        options: ProposalOptions,
    ) -> Result<Vec<Proposal>, AudienceError> {
        let mut rng = DesignRng::seeded(options.seed);
        let pool = sampler.pool(options.pool_size.max(k), &mut rng)?;
        let mut ranked: Vec<Proposal> = pool
            .into_iter()
            .map(|candidate| {
                let p = self.predict(&candidate);
                Proposal {
                    candidate,
                    expected_score: p.expected,
                    uncertainty: p.uncertainty,
                    acquisition: p.expected + options.kappa * p.uncertainty,
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.acquisition.total_cmp(&a.acquisition));
        let mut chosen: Vec<Proposal> = Vec::with_capacity(k);
        for p in ranked {
            if chosen.len() == k {
                break;
            }
            if chosen
                .iter()
                .all(|c| c.candidate.distance(&p.candidate) > SAME_DESIGN_DISTANCE)
            {
                chosen.push(p);
            }
        }
        Ok(chosen)
    }
}
