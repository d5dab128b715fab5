//! The show-clock estimator: how a client follows the server's show clock.
//!
//! Each ping/pong gives one sample: `offset = server_time − (t_send + t_recv) / 2`, trusted
//! to within half the round trip. The estimator keeps a window of recent samples, takes the
//! one with the lowest round trip (the least queueing noise) as its target, and slews the
//! applied offset towards it instead of stepping, so animations do not jump. The time it
//! reports never goes backwards, even when the estimate drops.

use std::collections::VecDeque;

/// One ping/pong exchange, all in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSample {
    /// The client's clock when the ping left.
    pub sent: u64,
    /// The server's clock in the pong.
    pub server: u64,
    /// The client's clock when the pong arrived.
    pub received: u64,
}

impl ClockSample {
    /// Round-trip time; zero if the clock went backwards.
    pub fn rtt(&self) -> u64 {
        self.received.saturating_sub(self.sent)
    }

    /// Estimated `server − client` offset in microseconds.
    pub fn offset(&self) -> i64 {
        let midpoint = self.sent as i128 + (self.rtt() as i128) / 2;
        (self.server as i128 - midpoint) as i64
    }
}

/// Follows the server's show clock from ping/pong samples.
#[derive(Debug, Clone)]
pub struct ClockEstimator {
    window: VecDeque<ClockSample>,
    capacity: usize,
    applied: Option<f64>,
    smoothing: f64,
    step_threshold_us: u64,
    last_reported: u64,
}

impl Default for ClockEstimator {
    fn default() -> Self {
        Self::new(16)
    }
}

impl ClockEstimator {
    /// An estimator keeping the last `window` samples (at least 1).
    pub fn new(window: usize) -> Self {
        Self {
            window: VecDeque::with_capacity(window.max(1)),
            capacity: window.max(1),
            applied: None,
            smoothing: 0.25,
            step_threshold_us: 1_000_000,
            last_reported: 0,
        }
    }

    /// Adds a sample and moves the applied offset a step towards the best sample's offset.
    /// The first sample, or a target more than a second away, is applied at once.
    pub fn add_sample(&mut self, sample: ClockSample) {
        if sample.received < sample.sent {
            return;
        }
        if self.window.len() == self.capacity {
            self.window.pop_front();
        }
        self.window.push_back(sample);
        let Some(target) = self.target_offset() else {
            return;
        };
        let target = target as f64;
        self.applied = Some(match self.applied {
            Some(current) if (target - current).abs() < self.step_threshold_us as f64 => {
                current + (target - current) * self.smoothing
            }
            _ => target,
        });
    }

    /// The offset of the lowest-round-trip sample in the window.
    pub fn target_offset(&self) -> Option<i64> {
        self.window
            .iter()
            .min_by_key(|s| s.rtt())
            .map(ClockSample::offset)
    }

    /// The lowest round trip in the window, in microseconds.
    pub fn best_rtt(&self) -> Option<u64> {
        self.window.iter().map(ClockSample::rtt).min()
    }

    /// The offset currently applied (`server − client`, microseconds).
    pub fn offset(&self) -> Option<i64> {
        self.applied.map(|o| o.round() as i64)
    }

    /// Whether at least one sample has arrived.
    pub fn is_synced(&self) -> bool {
        self.applied.is_some()
    }

    /// The server's show time now, given the client's clock now. Never smaller than a value
    /// returned before.
    pub fn show_time(&mut self, client_now: u64) -> u64 {
        let estimate = (client_now as i128 + i128::from(self.offset().unwrap_or(0))).max(0) as u64;
        self.last_reported = self.last_reported.max(estimate);
        self.last_reported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sample for a server that is `offset` ahead, with `up` and `down` one-way delays.
    fn sample(at: u64, offset: i64, up: u64, down: u64) -> ClockSample {
        let server = (at as i64 + up as i64 + offset) as u64;
        ClockSample {
            sent: at,
            server,
            received: at + up + down,
        }
    }

    #[test]
    fn symmetric_sample_gives_the_exact_offset() {
        let s = sample(1_000, 5_000, 200, 200);
        assert_eq!(s.rtt(), 400);
        assert_eq!(s.offset(), 5_000);
    }

    #[test]
    fn first_sample_is_applied_at_once() {
        let mut c = ClockEstimator::default();
        assert!(!c.is_synced());
        c.add_sample(sample(0, 2_000_000, 100, 100));
        assert_eq!(c.offset(), Some(2_000_000));
    }

    #[test]
    fn lowest_round_trip_wins_over_noisy_samples() {
        let mut c = ClockEstimator::default();
        // A clean sample, then asymmetric, queued ones that would skew the estimate badly.
        c.add_sample(sample(0, 10_000, 150, 150));
        for i in 1..10 {
            c.add_sample(sample(i * 100_000, 10_000, 40_000, 500));
        }
        assert_eq!(c.target_offset(), Some(10_000));
        assert_eq!(c.best_rtt(), Some(300));
        let applied = c.offset().expect("synced");
        assert!((applied - 10_000).abs() <= 1, "applied {applied}");
    }

    #[test]
    fn estimate_is_smoothed_towards_a_new_target() {
        let mut c = ClockEstimator::new(1);
        c.add_sample(sample(0, 0, 100, 100));
        c.add_sample(sample(1_000, 100_000, 100, 100));
        let step = c.offset().expect("synced");
        assert!(step > 0 && step < 100_000, "moved part way, got {step}");
        for i in 0..40 {
            c.add_sample(sample(2_000 + i, 100_000, 100, 100));
        }
        let settled = c.offset().expect("synced");
        assert!((settled - 100_000).abs() < 50, "converged, got {settled}");
    }

    #[test]
    fn reported_time_never_goes_backwards() {
        let mut c = ClockEstimator::new(1);
        c.add_sample(sample(0, 500_000, 100, 100));
        let before = c.show_time(1_000_000);
        // The server turns out to be behind what we thought: the offset drops by 400 ms.
        for i in 0..50 {
            c.add_sample(sample(1_000_000 + i, 100_000, 100, 100));
        }
        let mut last = before;
        for t in (1_000_001..1_400_000).step_by(10_000) {
            let now = c.show_time(t);
            assert!(now >= last, "time went back from {last} to {now}");
            last = now;
        }
        // ...and it catches up with real time again once the drop is absorbed.
        assert_eq!(c.show_time(3_000_000), 3_100_000);
    }

    #[test]
    fn sample_with_clock_going_backwards_is_ignored() {
        let mut c = ClockEstimator::default();
        c.add_sample(ClockSample {
            sent: 10,
            server: 5,
            received: 5,
        });
        assert!(!c.is_synced());
    }
}
