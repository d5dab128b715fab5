//! A token bucket per connection: `rate` messages per second with bursts up to `burst`.

use tokio::time::Instant;

/// What the bucket says about one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// Over the limit: drop the message and tell the client (first time in this window).
    Reject {
        /// Whether to send the client an error now (at most one per second).
        notify: bool,
    },
    /// Far over the limit for long: disconnect.
    Disconnect,
}

/// A token bucket with a flood detector.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
    rejected_in_window: u32,
    window_start: Instant,
    notified_in_window: bool,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate_per_sec: u32, burst: u32) -> Self {
        let now = Instant::now();
        Self {
            rate: f64::from(rate_per_sec.max(1)),
            burst: f64::from(burst.max(1)),
            tokens: f64::from(burst.max(1)),
            last: now,
            rejected_in_window: 0,
            window_start: now,
            notified_in_window: false,
        }
    }

    /// Accounts for one message.
    pub fn check(&mut self) -> Verdict {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if now.duration_since(self.window_start).as_secs_f64() >= 1.0 {
            self.window_start = now;
            self.rejected_in_window = 0;
            self.notified_in_window = false;
        }
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Verdict::Allow;
        }
        self.rejected_in_window += 1;
        // Someone sending ten bursts' worth of rejected messages within a second is not a
        // misbehaving app that will back off; it is a flood.
        if f64::from(self.rejected_in_window) > self.burst * 10.0 {
            return Verdict::Disconnect;
        }
        let notify = !self.notified_in_window;
        self.notified_in_window = true;
        Verdict::Reject { notify }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn allows_burst_then_rejects_then_refills() {
        let mut b = TokenBucket::new(10, 5);
        for _ in 0..5 {
            assert_eq!(b.check(), Verdict::Allow);
        }
        assert_eq!(b.check(), Verdict::Reject { notify: true });
        assert_eq!(b.check(), Verdict::Reject { notify: false });
        tokio::time::advance(Duration::from_millis(300)).await;
        assert_eq!(b.check(), Verdict::Allow);
    }

    #[tokio::test(start_paused = true)]
    async fn flood_disconnects() {
        let mut b = TokenBucket::new(10, 5);
        let verdicts: Vec<_> = (0..200).map(|_| b.check()).collect();
        assert!(verdicts.contains(&Verdict::Disconnect));
    }
}
