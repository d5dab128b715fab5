//! The design ranking production companies sort by (step 3 of the process).
//!
//! score = 0.5 × rating + 0.5 × demand, both in 0..=1:
//! - rating: the Bayesian average of the designs' star ratings ([`STAR_PRIOR`]),
//!   scaled from 1..=5 to 0..=1;
//! - demand: the Wilson lower bound (95%) of the share of engaged viewers (anyone who
//!   rated the design or asked to buy it) who asked to buy it.
//!
//! Both parts shrink towards caution when there are few votes, so a design seen by three
//! enthusiastic viewers does not outrank one that three hundred people want.

use serde::Serialize;

use super::rating::{BayesianAverage, STAR_PRIOR, wilson_lower_bound};

/// Weight of the rating part.
pub const RATING_WEIGHT: f64 = 0.5;
/// Weight of the demand part.
pub const DEMAND_WEIGHT: f64 = 0.5;

/// The facts about one design that the score is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DesignFacts {
    /// Number of current ratings (one per viewer and look).
    pub rating_count: i64,
    /// Sum of their stars.
    pub rating_sum: i64,
    /// Distinct viewers who asked to buy.
    pub intent_viewers: i64,
    /// Units asked for, all sizes.
    pub intent_units: i64,
    /// Distinct viewers who rated or asked to buy.
    pub engaged_viewers: i64,
}

/// A design's score with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignScore {
    /// The final score, 0..=1.
    pub score: f64,
    /// The rating part.
    pub rating: BayesianAverage,
    /// The demand part (Wilson lower bound of intent viewers / engaged viewers).
    pub demand: f64,
    /// Distinct viewers who asked to buy.
    pub intent_viewers: i64,
    /// Units asked for.
    pub intent_units: i64,
    /// Distinct engaged viewers.
    pub engaged_viewers: i64,
    /// One sentence saying why.
    pub explanation: String,
}

/// Scores one design.
pub fn score(f: &DesignFacts) -> DesignScore {
    let rating = BayesianAverage::new(STAR_PRIOR, f.rating_count, f.rating_sum);
    let demand = wilson_lower_bound(f.intent_viewers, f.engaged_viewers);
    let score = RATING_WEIGHT * rating.unit() + DEMAND_WEIGHT * demand;
    let mean = rating
        .mean
        .map_or_else(|| "no ratings yet".to_string(), |m| format!("mean {m:.2}"));
    let explanation = format!(
        "{:.3} = {RATING_WEIGHT} × rating {:.3} (Bayesian {:.2}★ from {} ratings, {mean}, prior {} votes at {:.1}★) + {DEMAND_WEIGHT} × demand {:.3} (Wilson 95% lower bound of {} of {} engaged viewers wanting {} units)",
        score,
        rating.unit(),
        rating.score,
        f.rating_count,
        STAR_PRIOR.weight,
        STAR_PRIOR.mean,
        demand,
        f.intent_viewers,
        f.engaged_viewers,
        f.intent_units
    );
    DesignScore {
        score,
        rating,
        demand,
        intent_viewers: f.intent_viewers,
        intent_units: f.intent_units,
        engaged_viewers: f.engaged_viewers,
        explanation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broad_demand_beats_a_handful_of_fans() {
        let fans = score(&DesignFacts {
            rating_count: 3,
            rating_sum: 15,
            intent_viewers: 3,
            intent_units: 3,
            engaged_viewers: 3,
        });
        let crowd = score(&DesignFacts {
            rating_count: 300,
            rating_sum: 1260,
            intent_viewers: 200,
            intent_units: 260,
            engaged_viewers: 300,
        });
        assert!(
            crowd.score > fans.score,
            "{} vs {}",
            crowd.score,
            fans.score
        );
        assert!(fans.explanation.contains("3 of 3 engaged viewers"));
    }

    #[test]
    fn an_unseen_design_scores_the_prior_only() {
        let s = score(&DesignFacts::default());
        assert!((s.score - 0.25).abs() < 1e-9);
        assert_eq!(s.demand, 0.0);
    }
}
