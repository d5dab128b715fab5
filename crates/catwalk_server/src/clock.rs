//! The server's show clock: microseconds since the Unix epoch, read from the wall clock once
//! at start and advanced by tokio's monotonic clock after that. It never jumps with NTP
//! adjustments, and tests that pause tokio's time pause the show clock with it.

use catwalk_protocol::ShowTime;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// The show clock every participant follows.
#[derive(Debug, Clone, Copy)]
pub struct ServerClock {
    base_us: u64,
    base: Instant,
}

impl ServerClock {
    /// A clock that reads the wall clock now.
    pub fn start() -> Self {
        let base_us = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_micros() as u64)
            .unwrap_or(0);
        Self {
            base_us,
            base: Instant::now(),
        }
    }

    /// The show time now.
    pub fn now(&self) -> ShowTime {
        ShowTime(self.base_us + self.base.elapsed().as_micros() as u64)
    }

    /// The tokio instant at which the show clock reads `t` (now, if `t` is past).
    pub fn instant_at(&self, t: ShowTime) -> Instant {
        let now = self.now();
        Instant::now() + Duration::from_micros(t.micros_since(now))
    }
}

/// Adding and subtracting durations on the show clock.
pub trait ShowTimeExt {
    /// This time plus `d`.
    fn plus(self, d: Duration) -> ShowTime;
    /// This time minus `d` (not below zero).
    fn minus(self, d: Duration) -> ShowTime;
}

impl ShowTimeExt for ShowTime {
    fn plus(self, d: Duration) -> ShowTime {
        ShowTime(self.micros().saturating_add(d.as_micros() as u64))
    }

    fn minus(self, d: Duration) -> ShowTime {
        ShowTime(self.micros().saturating_sub(d.as_micros() as u64))
    }
}
