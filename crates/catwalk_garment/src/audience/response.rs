//! What the audience said about one design — the show server's aggregate for a look
//! (star histogram, units wanted per size) plus how many viewers saw it — and the single
//! score the preference model learns from.
//!
//! # Target score
//! `score = 0.7 × stars + 0.3 × intent`, in `[0, 1]`, where
//! - `stars = (m̃ − 1) / 4` with `m̃ = (Σ stars + 5 × 3) / (ratings + 5)`: the mean
//!   rating shrunk towards a neutral 3 stars as if every design started with five
//!   3-star ratings, so two 5-star ratings do not outrank two hundred 4.8-star ones;
//! - `intent = min(1, units / viewers / 0.2)`: units wanted per viewer, where one unit per
//!   five viewers (an exceptional conversion for a show) earns full marks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Neutral rating the mean is shrunk towards.
pub const PRIOR_MEAN_STARS: f64 = 3.0;
/// How many neutral ratings every design starts with.
pub const PRIOR_RATINGS: f64 = 5.0;
/// Weight of the (shrunk) stars in the score.
pub const STAR_WEIGHT: f64 = 0.7;
/// Weight of purchase intent in the score.
pub const INTENT_WEIGHT: f64 = 0.3;
/// Units per viewer that earn the full intent score.
pub const INTENT_SATURATION: f64 = 0.2;

/// The audience's response to one design.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AudienceResponse {
    /// Number of ratings with 1, 2, 3, 4 and 5 stars.
    pub histogram: [u64; 5],
    /// Units wanted per size label.
    pub intents: BTreeMap<String, u64>,
    /// Viewers who saw the design (the show's presence count while it was on the runway).
    pub viewers: u64,
}

impl AudienceResponse {
    /// Number of ratings.
    pub fn ratings(&self) -> u64 {
        self.histogram.iter().sum()
    }

    /// Mean stars, 0 when there are no ratings.
    pub fn mean_stars(&self) -> f64 {
        let n = self.ratings();
        if n == 0 {
            return 0.0;
        }
        let total: u64 = self
            .histogram
            .iter()
            .zip(1u64..)
            .map(|(count, stars)| count * stars)
            .sum();
        total as f64 / n as f64
    }

    /// Total units wanted.
    pub fn units(&self) -> u64 {
        self.intents.values().sum()
    }

    /// The mean shrunk towards [`PRIOR_MEAN_STARS`] (see the module header).
    pub fn shrunk_mean_stars(&self) -> f64 {
        let n = self.ratings() as f64;
        (self.mean_stars() * n + PRIOR_MEAN_STARS * PRIOR_RATINGS) / (n + PRIOR_RATINGS)
    }

    /// Units wanted per viewer (0 with no viewers).
    pub fn intent_rate(&self) -> f64 {
        if self.viewers == 0 {
            0.0
        } else {
            self.units() as f64 / self.viewers as f64
        }
    }

    /// The target score in `[0, 1]` (see the module header).
    pub fn score(&self) -> f64 {
        let stars = (self.shrunk_mean_stars() - 1.0) / 4.0;
        let intent = (self.intent_rate() / INTENT_SATURATION).min(1.0);
        STAR_WEIGHT * stars + INTENT_WEIGHT * intent
    }

    /// How much the score can be trusted, in `(0, 1]`: `(n + 1) / (n + 1 + PRIOR_RATINGS)`
    /// for `n` ratings. The model treats a score as that many times less noisy.
    pub fn confidence(&self) -> f64 {
        let n = self.ratings() as f64 + 1.0;
        n / (n + PRIOR_RATINGS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(histogram: [u64; 5], units: u64, viewers: u64) -> AudienceResponse {
        AudienceResponse {
            histogram,
            intents: BTreeMap::from([("M".to_string(), units)]),
            viewers,
        }
    }

    #[test]
    fn few_perfect_ratings_do_not_beat_many_good_ones() {
        let two_fives = response([0, 0, 0, 0, 2], 0, 100);
        let many_good = response([0, 0, 0, 40, 160], 0, 100);
        assert_eq!(two_fives.mean_stars(), 5.0);
        assert!(many_good.mean_stars() < 5.0);
        assert!(many_good.score() > two_fives.score());
    }

    #[test]
    fn intent_saturates_and_scores_stay_in_range() {
        let best = response([0, 0, 0, 0, 1000], 1000, 100);
        assert!((best.score() - 1.0).abs() < 0.01, "{}", best.score());
        let nothing = AudienceResponse::default();
        assert_eq!(nothing.score(), STAR_WEIGHT * 0.5);
        assert_eq!(nothing.intent_rate(), 0.0);
        let worst = response([1000, 0, 0, 0, 0], 0, 100);
        assert!(worst.score() < 0.01);
    }
}
