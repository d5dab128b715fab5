//! The bridge from the show server's live totals to the audience model: a
//! [`LookAggregate`] (star histogram and units wanted per size) plus the number of viewers
//! who saw the look becomes an [`AudienceResponse`].
//!
//! The histogram is the source of truth; the aggregate's `ratings` and `mean` are derived
//! from it on the server, so an aggregate whose copies disagree is refused rather than
//! guessed at.

use catwalk_protocol::LookAggregate;

use super::AudienceError;
use super::response::AudienceResponse;

/// The aggregate's mean may differ from the histogram's by this much (rounding).
const MEAN_TOLERANCE: f64 = 1e-6;

impl AudienceResponse {
    /// The response to one look from the server's aggregate and the viewers who saw it.
    pub fn from_look_aggregate(
        aggregate: &LookAggregate,
        viewers: u64,
    ) -> Result<Self, AudienceError> {
        let response = Self {
            histogram: aggregate.histogram,
            intents: aggregate
                .intents
                .iter()
                .map(|(size, units)| (size.as_str().to_string(), *units))
                .collect(),
            viewers,
        };
        let look = aggregate.look.as_str().to_string();
        if response.ratings() != aggregate.ratings {
            return Err(AudienceError::InconsistentAggregate {
                look,
                detail: format!(
                    "the histogram holds {} ratings but `ratings` says {}",
                    response.ratings(),
                    aggregate.ratings
                ),
            });
        }
        if (response.mean_stars() - aggregate.mean).abs() > MEAN_TOLERANCE {
            return Err(AudienceError::InconsistentAggregate {
                look,
                detail: format!(
                    "the histogram's mean is {:.3} stars but `mean` says {:.3}",
                    response.mean_stars(),
                    aggregate.mean
                ),
            });
        }
        Ok(response)
    }
}

impl TryFrom<(&LookAggregate, u64)> for AudienceResponse {
    type Error = AudienceError;
    /// See [`AudienceResponse::from_look_aggregate`].
    fn try_from((aggregate, viewers): (&LookAggregate, u64)) -> Result<Self, AudienceError> {
        Self::from_look_aggregate(aggregate, viewers)
    }
}
