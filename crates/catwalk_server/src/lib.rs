//! The Catwalk show server: scheduled shows on a shared show clock, durable ratings and
//! purchase intent, live aggregates and presence, over websockets (tokio-tungstenite).
//!
//! # Layout
//! - [`config`]: every limit and interval, with defaults ([`ServerConfig`]).
//! - [`clock`]: the server's show clock ([`ServerClock`]), pausable in tests.
//! - [`auth`]: organizer tokens signed with the admin key ([`AdminKey`]).
//! - [`store`]: SQLite in WAL mode behind one writer thread with group commit; the
//!   idempotency table, the vote log, show state and the outbox live there.
//! - [`show`]: one sequencer task per show ([`show::ShowRegistry`]): the show state machine,
//!   the timeline with (epoch, offset), fan-out to the audience, aggregates and presence.
//! - [`connection`]: one websocket connection: hello, join, writes, rate limit.
//! - [`queue`]: the send path: frames written straight to the socket, a bounded queue
//!   behind it for when the socket is full.
//! - [`wire`]: server frames encoded once for every recipient.
//! - [`outbox`]: forwards ratings and purchase intents to the production backend, with retries.
//! - [`server`]: the accept loop and graceful shutdown ([`run`]).
//!
//! Writes flow: connection → store writer (one transaction per batch, fsync, then the acks)
//! → aggregate board → the show's sequencer broadcasts the changed totals at a steady rate.

pub mod auth;
pub mod clock;
pub mod config;
pub mod connection;
pub mod outbox;
pub mod queue;
pub mod ratelimit;
pub mod server;
pub mod show;
pub mod stats;
pub mod store;
pub mod wire;

pub use auth::{AdminKey, AuthError, Claims};
pub use clock::ServerClock;
pub use config::ServerConfig;
pub use server::{ServerReport, run};
