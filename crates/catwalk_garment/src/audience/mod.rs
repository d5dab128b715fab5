//! Learning from the audience: turn the show's ratings and purchase intent per design into
//! a preference model over design parameters, and propose new designs expected to score
//! higher, each with its expected score and uncertainty.
//!
//! - [`response`]: [`AudienceResponse`] (the show server's aggregate for one design) and the
//!   documented target score.
//! - [`live`]: [`AudienceResponse::from_look_aggregate`], from the show server's live
//!   [`LookAggregate`](catwalk_protocol::LookAggregate) and a viewer count.
//! - [`model`]: [`PreferenceModel`], Bayesian linear regression on a feature map of the
//!   design with a Gaussian prior.
//! - [`propose`](mod@propose): ranking a pool of valid candidates by upper confidence bound.
//! - [`linalg`]: the Cholesky factorisation the model is solved with.

pub mod linalg;
pub mod live;
pub mod model;
pub mod propose;
pub mod response;

pub use model::{ModelPrior, PreferenceModel, ScorePrediction};
pub use propose::{Proposal, ProposalOptions};
pub use response::AudienceResponse;

use crate::design::BriefError;

/// Why the audience model could not be fitted or could not propose designs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AudienceError {
    /// Nothing to learn from.
    #[error("no designs with audience responses; show some designs before fitting the model")]
    NoObservations,
    /// The prior's precision or noise is not positive.
    #[error(
        "the model prior needs a positive weight precision and noise; use ModelPrior::default()"
    )]
    BadPrior,
    /// A show-server aggregate whose totals disagree with its histogram.
    #[error(
        "the aggregate of look \"{look}\" is inconsistent: {detail}; fetch a fresh snapshot \
         from the show server"
    )]
    InconsistentAggregate {
        /// The look.
        look: String,
        /// What disagrees.
        detail: String,
    },
    /// The brief could not produce candidates.
    #[error(transparent)]
    Brief(#[from] BriefError),
}
