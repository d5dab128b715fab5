//! Shows: one sequencer task per show owns its state, assigns every timeline event a
//! gap-free offset, persists it before anyone sees it, and fans it out.
//!
//! - [`state`]: the state machine (allowed actions per phase).
//! - [`aggregate`]: live totals per look.
//! - [`audience`]: the joined connections and the fan-out.
//! - [`actor`]: the sequencer task.
//! - [`registry`]: finding and creating shows.

pub mod actor;
pub mod aggregate;
pub mod audience;
pub mod registry;
pub mod state;

pub use actor::{ShowCommand, ShowHandle, ShowView};
pub use registry::ShowRegistry;
