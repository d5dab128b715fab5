//! The production domain, free of HTTP and SQL: money, identifiers, the state machines,
//! ranking and partner recommendation. Every rule here is unit-tested.
//!
//! - [`money`]: [`Krw`], integer won.
//! - [`ids`]: prefixed identifiers and unguessable tokens.
//! - [`rating`]: Bayesian averages with a stated prior, and the Wilson lower bound.
//! - [`ranking`]: the design score production companies sort by.
//! - [`recommend`]: hard filters and the weighted partner score.
//! - [`negotiation`]: offers and counter-offers.
//! - [`contract`]: the signed contract document, its hash and ed25519 signatures.
//! - [`work_order`]: stages, progress rules and the derived work-order status.
//! - [`campaign`]: the all-or-nothing pre-order campaign and its pledges.
//! - [`shipment`]: tracking states.

pub mod campaign;
pub mod contract;
pub mod ids;
pub mod money;
pub mod negotiation;
pub mod ranking;
pub mod rating;
pub mod recommend;
pub mod shipment;
pub mod work_order;

pub use money::Krw;
