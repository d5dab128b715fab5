//! Candidate generation: sample designs from the brief's priors, keep those that draft,
//! then pick a diverse set by farthest-point selection from an oversampled pool.

use super::BriefError;
use super::brief::DesignBrief;
use super::candidate::DesignCandidate;
use super::garment::{AXIS_COUNT, DesignAxes, NecklineShape};
use super::priors::{KeywordPriors, axis, combine};
use super::rng::DesignRng;
use super::vocabulary::{FabricPreset, GarmentKind};

/// The pool is this many times the number of candidates asked for (at least
/// [`MIN_POOL`]), so farthest-point selection has room to spread out.
pub const OVERSAMPLING: usize = 8;
/// Smallest pool drawn.
pub const MIN_POOL: usize = 32;
/// Draws allowed per pool member before giving up on a brief that rarely drafts.
const ATTEMPTS_PER_DESIGN: usize = 20;
/// Spread of the fit axis inside the band of a fit the brief asks for.
const FIT_SD: f64 = 0.08;
/// How sharply colour choice follows the keywords' preferred lightness.
const LIGHTNESS_SHARPNESS: f64 = 8.0;

/// Draws designs that follow a brief.
#[derive(Debug, Clone)]
pub struct DesignSampler {
    brief: DesignBrief,
    priors: KeywordPriors,
    colour_weights: Vec<f64>,
}

impl DesignSampler {
    /// The sampler for `brief` (its keyword priors combined once).
    pub fn new(brief: &DesignBrief) -> Self {
        let priors = combine(&brief.keywords);
        let colour_weights = brief
            .palette
            .colours()
            .iter()
            .map(|c| match priors.lightness {
                Some((target, weight)) => {
                    (-LIGHTNESS_SHARPNESS * weight * (c.lightness() - target).powi(2)).exp()
                }
                None => 1.0,
            })
            .collect();
        Self {
            brief: brief.clone(),
            priors,
            colour_weights,
        }
    }

    /// The combined keyword priors.
    pub fn priors(&self) -> &KeywordPriors {
        &self.priors
    }

    /// The brief.
    pub fn brief(&self) -> &DesignBrief {
        &self.brief
    }

    /// One draw from the priors; not yet checked against the garment programs.
    pub fn draw(&self, rng: &mut DesignRng) -> DesignCandidate {
        let kind = match self.brief.garment {
            Some(k) => k,
            None => GarmentKind::ALL[rng.weighted(&self.priors.kinds)],
        };
        let mut a = [0.0; AXIS_COUNT];
        for (value, prior) in a.iter_mut().zip(&self.priors.axes) {
            *value = (prior.mean + prior.sd * rng.normal()).clamp(0.0, 1.0);
        }
        if let Some(fit) = self.brief.fit {
            let (lo, hi) = fit.band();
            a[axis::FIT] = ((lo + hi) / 2.0 + FIT_SD * rng.normal()).clamp(lo, hi);
        }
        let neckline = NecklineShape::ALL[rng.weighted(&self.priors.necklines)];
        let fabric = match self.brief.fabric {
            Some(f) => f,
            None => FabricPreset::ALL[rng.weighted(&self.priors.fabrics)],
        };
        let colours = self.brief.palette.colours();
        let colour = colours[rng.weighted(&self.colour_weights).min(colours.len() - 1)];
        DesignCandidate::new(
            kind,
            DesignAxes::from_array(a),
            neckline,
            colour,
            fabric,
            &self.brief.keywords,
        )
    }

    /// A draw that drafts a valid pattern on every body of the brief; failures are
    /// redrawn.
    pub fn draw_valid(&self, rng: &mut DesignRng) -> Result<DesignCandidate, BriefError> {
        let mut last = None;
        for _ in 0..ATTEMPTS_PER_DESIGN {
            let c = self.draw(rng);
            match self
                .brief
                .bodies
                .iter()
                .try_for_each(|b| c.pattern(b).map(drop))
            {
                Ok(()) => return Ok(c),
                Err(e) => last = Some(e),
            }
        }
        Err(BriefError::NoValidDesign {
            attempts: ATTEMPTS_PER_DESIGN,
            last: last.map(|e| e.to_string()).unwrap_or_default(),
        })
    }

    /// `size` valid draws.
    pub fn pool(
        &self,
        size: usize,
        rng: &mut DesignRng,
    ) -> Result<Vec<DesignCandidate>, BriefError> {
        (0..size).map(|_| self.draw_valid(rng)).collect()
    }
}

/// Generates `n` diverse candidates for `brief`: a pool of `max(8n, 32)` valid draws,
/// from which the first draw is kept and then, repeatedly, the draw farthest from every
/// kept one ([`DesignCandidate::distance`]). The same brief and seed give the same
/// candidates.
pub fn generate(
    brief: &DesignBrief,
    n: usize,
    seed: u64,
) -> Result<Vec<DesignCandidate>, BriefError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let sampler = DesignSampler::new(brief);
    let mut rng = DesignRng::seeded(seed);
    let pool = sampler.pool((n * OVERSAMPLING).max(MIN_POOL), &mut rng)?;
    Ok(farthest_points(pool, n))
}

/// Greedy farthest-point selection of `n` members of `pool`, starting from its first.
pub fn farthest_points(mut pool: Vec<DesignCandidate>, n: usize) -> Vec<DesignCandidate> {
    let mut chosen = Vec::with_capacity(n);
    if pool.is_empty() {
        return chosen;
    }
    chosen.push(pool.swap_remove(0));
    let mut nearest: Vec<f64> = pool.iter().map(|c| c.distance(&chosen[0])).collect();
    while chosen.len() < n && !pool.is_empty() {
        let mut best = 0;
        for (i, d) in nearest.iter().enumerate() {
            if *d > nearest[best] {
                best = i;
            }
        }
        let next = pool.swap_remove(best);
        nearest.swap_remove(best);
        for (d, c) in nearest.iter_mut().zip(&pool) {
            *d = d.min(c.distance(&next));
        }
        chosen.push(next);
    }
    chosen
}
