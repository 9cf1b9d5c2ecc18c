//! How the workspace's integration tests wait: one patience and one
//! `eventually`, so no test tunes its own timeout and no test sleeps to
//! synchronise.
//!
//! Tests wait on signals (a line a process printed, a D-Bus call seen, a
//! server's answer). [`patience`] is only the safety net that turns "never
//! happened" into a failure naming what was awaited. It is the same for
//! every wait, 30 s, and `PMAP_TEST_PATIENCE` scales it (a factor such as
//! `2` or `0.5`) for a machine known to be slow, never test by test.
//!
//! [`eventually`] probes a condition that has no signal of its own (a row
//! on a server, a menu label) until it holds; the probe interval is short
//! and the answer is the probe's, never the clock's.
//!
//! [`RecordingProxy`] is an HTTP proxy on loopback that records what
//! crosses it, for the tests of the client's proxy rules.
//!
//! [`secret_tool`] reads what the keyring holds through libsecret's tool.
//!
//! With the `system-bus` feature, [`system_bus`] gives resume and network
//! tests a private bus and the logind and NetworkManager they play on it.

#[cfg(feature = "system-bus")]
pub mod system_bus;

use std::future::Future;
use std::time::Duration;

mod proxy;
pub mod secret_tool;

pub use proxy::RecordingProxy;

/// The patience every wait gets before `PMAP_TEST_PATIENCE` scales it.
pub const BASE_PATIENCE: Duration = Duration::from_secs(30);

/// The environment variable that scales [`BASE_PATIENCE`].
pub const PATIENCE_SCALE_VAR: &str = "PMAP_TEST_PATIENCE";

/// How often [`eventually`] probes.
const PROBE_INTERVAL: Duration = Duration::from_millis(50);

/// How long any one awaited thing may take before the test fails:
/// [`BASE_PATIENCE`] times `PMAP_TEST_PATIENCE` (default 1).
pub fn patience() -> Duration {
    scaled(std::env::var(PATIENCE_SCALE_VAR).ok().as_deref())
}

fn scaled(scale: Option<&str>) -> Duration {
    let Some(text) = scale else {
        return BASE_PATIENCE;
    };
    match text.trim().parse::<f64>() {
        Ok(factor) if factor.is_finite() && factor > 0.0 && factor <= 100.0 => {
            BASE_PATIENCE.mul_f64(factor)
        }
        _ => panic!("{PATIENCE_SCALE_VAR}={text:?} is not a factor between 0 and 100"),
    }
}

/// Probes until `probe` returns `Some`, and returns that value; panics
/// naming `what` if it has not held within [`patience`].
pub async fn eventually<T, F, Fut>(what: &str, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    match try_eventually(probe).await {
        Some(value) => value,
        None => panic!("timed out after {:?} waiting for {what}", patience()),
    }
}

/// Like [`eventually`], but returns `None` instead of panicking, for
/// callers that record a failure and go on.
pub async fn try_eventually<T, F, Fut>(mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + patience();
    loop {
        if let Some(value) = probe().await {
            return Some(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
}

/// [`eventually`] for synchronous code (process start-up, files).
pub fn eventually_blocking<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + patience();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {:?} waiting for {what}",
            patience()
        );
        std::thread::sleep(PROBE_INTERVAL);
    }
}

/// Awaits `future` for at most [`patience`]; panics naming `what` if it
/// does not finish, for a wait on a channel or a process.
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(patience(), future)
        .await
        .unwrap_or_else(|_| panic!("timed out after {:?} waiting for {what}", patience()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patience_is_the_base_scaled_by_the_factor() {
        assert_eq!(scaled(None), BASE_PATIENCE);
        assert_eq!(scaled(Some("2")), BASE_PATIENCE * 2);
        assert_eq!(scaled(Some(" 0.5 ")), BASE_PATIENCE / 2);
    }

    #[test]
    #[should_panic(expected = "not a factor")]
    fn a_factor_that_is_not_a_positive_number_is_refused() {
        scaled(Some("-1"));
    }

    #[tokio::test(start_paused = true)]
    async fn eventually_returns_the_probes_answer_once_it_holds() {
        let mut calls = 0;
        let answer = eventually("the third call", || {
            calls += 1;
            let done = calls == 3;
            async move { done.then_some("held") }
        })
        .await;
        assert_eq!((answer, calls), ("held", 3));
    }

    #[tokio::test(start_paused = true)]
    async fn a_probe_that_never_holds_gives_up_after_patience() {
        let started = tokio::time::Instant::now();
        let gave_up = try_eventually(|| async { None::<()> }).await;
        assert_eq!(gave_up, None);
        assert!(started.elapsed() >= patience());
    }
}
