//! Wire types shared by the Catwalk client, the show server, the load generator and the
//! production intake.
//!
//! Every frame is a JSON object carrying the protocol version `"v"` and a message `"type"`.
//! Text frames are the only encoding; they stay readable in logs and browser tools.
//!
//! # Layout
//! - [`ids`]: identifiers that are parsed, never trusted (`ShowId`, `LookId`, `ViewerId`,
//!   `IdempotencyKey`, `EventId`).
//! - [`values`]: validated values (`Stars`, `SizeLabel`, `Quantity`, `ShowTime`, `Role`).
//! - [`client`]: what a client may send ([`ClientMessage`]).
//! - [`server`]: what the server sends ([`ServerMessage`]), including snapshots, timeline
//!   events, acks, aggregates, presence and errors with stable codes.
//! - [`codec`]: encoding and decoding with typed errors; bad input never panics.
//! - [`clock`]: the show-clock estimator a client uses to follow the server's clock.
//! - [`intake`]: events the show server forwards to the production backend.

pub mod client;
pub mod clock;
pub mod codec;
pub mod ids;
pub mod intake;
pub mod server;
pub mod values;

pub use client::{ClientMessage, LookSpec, ResumeFrom, ShowAction, WriteBody};
pub use clock::{ClockEstimator, ClockSample};
pub use codec::{DecodeError, decode_client, decode_server, encode};
pub use ids::{EventId, IdError, IdempotencyKey, LookId, ShowId, ViewerId};
pub use intake::{IntakeEvent, IntakeEventKind};
pub use server::{
    ErrorCode, LookAggregate, ServerMessage, ShowSnapshot, ShowStatus, ShowSummary, TimelineEvent,
    WriteKind,
};
pub use values::{Quantity, Role, ShowTime, SizeLabel, Stars, ValueError};

/// The protocol version this crate speaks. A frame with any other `"v"` is rejected with
/// [`ErrorCode::UnsupportedVersion`].
pub const PROTOCOL_VERSION: u16 = 1;
