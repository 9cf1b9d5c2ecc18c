//! Reconnect delays: full-jitter exponential backoff ("Exponential Backoff
//! And Jitter", AWS architecture blog), reset once a stream has been healthy.
//!
//! Pure: the caller passes the random draw, so the policy is testable without
//! a seeded RNG. (The `backoff` crate is unmaintained and entangles retries
//! with futures; this is the twenty lines we need.)

use std::time::Duration;

/// A `Retry-After` beyond this is treated as this (a broken or hostile
/// server must not park the client for days).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// The policy's knobs; PMAP's defaults are 0.5 s doubling to a 60 s cap,
/// reset after 30 s of healthy streaming.
#[derive(Clone, Debug, PartialEq)]
pub struct BackoffPolicy {
    pub base: Duration,
    pub cap: Duration,
    pub healthy_after: Duration,
}

impl Default for BackoffPolicy {
    fn default() -> Self {
        BackoffPolicy {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            healthy_after: Duration::from_secs(30),
        }
    }
}

/// Attempt counter plus policy.
#[derive(Clone, Debug)]
pub struct Backoff {
    policy: BackoffPolicy,
    attempt: u32,
}

impl Backoff {
    pub fn new(policy: BackoffPolicy) -> Self {
        Backoff { policy, attempt: 0 }
    }

    /// Failures since the last healthy stream.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The delay before the next attempt. `unit` is a uniform draw in [0, 1);
    /// `retry_after` is the server's `Retry-After`, which is honoured as a
    /// floor (a jittered value above it is kept, to spread a thundering herd).
    pub fn next_delay(&mut self, unit: f64, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .policy
            .base
            .saturating_mul(2u32.saturating_pow(self.attempt.min(31)));
        let ceiling = exp.min(self.policy.cap);
        self.attempt = self.attempt.saturating_add(1);
        let jittered = ceiling.mul_f64(unit.clamp(0.0, 1.0));
        match retry_after {
            Some(floor) => jittered.max(floor.min(MAX_RETRY_AFTER)),
            None => jittered,
        }
    }

    /// Called when a stream ends: if it had stayed up for `healthy_after`,
    /// the next failure starts from the base delay again.
    pub fn stream_ended_after(&mut self, lived: Duration) {
        if lived >= self.policy.healthy_after {
            self.attempt = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff() -> Backoff {
        Backoff::new(BackoffPolicy::default())
    }

    #[test]
    fn ceiling_doubles_from_half_a_second_to_the_cap() {
        let mut b = backoff();
        let ceilings: Vec<f64> = (0..10)
            .map(|_| b.next_delay(1.0, None).as_secs_f64())
            .collect();
        assert_eq!(
            ceilings,
            vec![0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
        );
    }

    #[test]
    fn full_jitter_spans_zero_to_the_ceiling() {
        let mut b = backoff();
        b.next_delay(0.0, None);
        b.next_delay(0.0, None);
        assert_eq!(b.next_delay(0.0, None), Duration::ZERO);
        assert_eq!(b.next_delay(0.5, None), Duration::from_secs(2));
    }

    #[test]
    fn many_failures_never_overflow() {
        let mut b = backoff();
        for _ in 0..1000 {
            assert!(b.next_delay(0.999, None) <= Duration::from_secs(60));
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        let mut b = backoff();
        assert_eq!(
            b.next_delay(0.1, Some(Duration::from_secs(5))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn an_absurd_retry_after_is_clamped() {
        let mut b = backoff();
        let huge = Some(Duration::from_secs(86_400 * 365));
        assert_eq!(b.next_delay(0.1, huge), MAX_RETRY_AFTER);
    }

    #[test]
    fn a_healthy_stream_resets_the_attempts_and_a_short_one_does_not() {
        let mut b = backoff();
        for _ in 0..5 {
            b.next_delay(0.5, None);
        }
        b.stream_ended_after(Duration::from_secs(3));
        assert_eq!(b.attempt(), 5);
        b.stream_ended_after(Duration::from_secs(31));
        assert_eq!(b.attempt(), 0);
        assert_eq!(b.next_delay(1.0, None), Duration::from_millis(500));
    }
}
