//! Rating aggregation that is robust to few votes.
//!
//! A raw mean lets one 5-star review outrank a hundred 4.8s. The [`BayesianAverage`]
//! blends the observed mean with a prior as if `prior_weight` extra votes at `prior_mean`
//! had been cast: `(prior_weight * prior_mean + sum) / (prior_weight + count)`. The
//! [`wilson_lower_bound`] gives a conservative estimate of a proportion (e.g. the share of
//! engaged viewers who would buy) at 95% confidence.

use serde::Serialize;

/// The prior used for star ratings everywhere in the backend: 5 votes of 3.0 stars.
pub const STAR_PRIOR: Prior = Prior {
    mean: 3.0,
    weight: 5.0,
};

/// A prior belief: `weight` imaginary votes at `mean`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prior {
    /// The prior mean (stars).
    pub mean: f64,
    /// How many votes the prior is worth.
    pub weight: f64,
}

/// A Bayesian average and the numbers it came from, as shown in API responses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BayesianAverage {
    /// The prior.
    pub prior: Prior,
    /// How many ratings were observed.
    pub count: i64,
    /// Their plain mean (`null` when none).
    pub mean: Option<f64>,
    /// The blended score, in stars.
    pub score: f64,
}

impl BayesianAverage {
    /// The average of ratings whose count and sum of stars are given.
    pub fn new(prior: Prior, count: i64, sum: i64) -> Self {
        let mean = (count > 0).then(|| sum as f64 / count as f64);
        let score = (prior.weight * prior.mean + sum as f64) / (prior.weight + count as f64);
        Self {
            prior,
            count,
            mean,
            score,
        }
    }

    /// The score scaled from 1..=5 stars to 0..=1.
    pub fn unit(&self) -> f64 {
        ((self.score - 1.0) / 4.0).clamp(0.0, 1.0)
    }
}

/// The lower bound of the Wilson score interval for `successes` out of `trials` at 95%
/// confidence (z = 1.96); 0 when there are no trials.
pub fn wilson_lower_bound(successes: i64, trials: i64) -> f64 {
    if trials <= 0 {
        return 0.0;
    }
    let n = trials as f64;
    let p = successes.clamp(0, trials) as f64 / n;
    let z = 1.96_f64;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let margin = z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt();
    ((centre - margin) / (1.0 + z2 / n)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_five_star_review_does_not_beat_many_good_ones() {
        let newcomer = BayesianAverage::new(STAR_PRIOR, 1, 5);
        let established = BayesianAverage::new(STAR_PRIOR, 100, 460);
        assert!(newcomer.score < established.score);
        assert_eq!(newcomer.mean, Some(5.0));
        assert!((newcomer.score - 20.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn no_ratings_gives_the_prior() {
        let none = BayesianAverage::new(STAR_PRIOR, 0, 0);
        assert_eq!(none.mean, None);
        assert!((none.score - 3.0).abs() < 1e-9);
        assert!((none.unit() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn wilson_prefers_more_evidence() {
        assert!(wilson_lower_bound(9, 10) < wilson_lower_bound(90, 100));
        assert_eq!(wilson_lower_bound(0, 0), 0.0);
        let w = wilson_lower_bound(1, 1);
        assert!(w > 0.0 && w < 1.0);
    }
}
