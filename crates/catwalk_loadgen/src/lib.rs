//! Simulated audiences for Catwalk's show server: a websocket client, viewer bots that follow
//! the timeline and rate and state intent, an organizer bot that runs a show, and the load
//! test that measures fan-out latency, acked writes per second, memory per connection and
//! reconciles every acknowledged vote against the server's totals.
//!
//! # Layout
//! - [`client`]: [`ShowClient`], a small typed websocket client (also used by the tests).
//! - [`socket`]: [`socket::ViewerSocket`], the lean connection the simulated viewers use.
//! - [`tally`]: what the bots had acknowledged, to compare with the server's aggregates.
//! - [`viewer`]: one simulated audience member.
//! - [`organizer`]: creating and driving a show.
//! - [`load`]: the load test ([`LoadPlan`] → [`LoadReport`]).
//! - [`demo`]: a demo show's line-up.

pub mod client;
pub mod demo;
pub mod load;
pub mod organizer;
pub mod socket;
pub mod tally;
pub mod viewer;

pub use client::ShowClient;
pub use load::{LoadPlan, LoadReport, run_load};
