//! Counters the server keeps and logs: connections, frames, writes, commits and evictions.

use std::sync::atomic::{AtomicU64, Ordering};

/// Server-wide counters, updated with relaxed atomics.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections open now.
    pub connections: AtomicU64,
    /// Connections accepted since start.
    pub accepted: AtomicU64,
    /// Connections refused because the server was full.
    pub refused: AtomicU64,
    /// Clients disconnected for being too slow.
    pub evicted_slow: AtomicU64,
    /// Writes acknowledged (including replays).
    pub acked: AtomicU64,
    /// Transactions committed.
    pub commits: AtomicU64,
    /// Frames sent (or queued) to clients by broadcasts.
    pub frames_out: AtomicU64,
}

impl Stats {
    /// Adds one to a counter.
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
