//! Who is signed in, asked with the same patience as the stream: a laptop
//! that starts the app before the network is up must not give up, but a
//! rejected token must stop at once.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::rest::{Client, Me};
use crate::sse::backoff::{Backoff, BackoffPolicy};

/// `GET /api/v1/me`, retried with full-jitter backoff while the failure is
/// transient (network, 5xx, 429). `on_retry(attempt, delay, error)` is told
/// before each wait so the caller can show "reconnecting".
pub(crate) async fn fetch_identity(
    client: &Client,
    policy: &BackoffPolicy,
    mut on_retry: impl FnMut(u32, Duration, &Error),
) -> Result<Me> {
    let mut backoff = Backoff::new(policy.clone());
    loop {
        match client.me().await {
            Ok(me) => return Ok(me),
            Err(error @ (Error::Network { .. } | Error::Unavailable { .. })) => {
                let retry_after = match &error {
                    Error::Unavailable { retry_after, .. } => retry_after.map(Duration::from_secs),
                    _ => None,
                };
                let delay = backoff.next_delay(rand::random::<f64>(), retry_after);
                on_retry(backoff.attempt(), delay, &error);
                tokio::time::sleep(delay).await;
            }
            Err(other) => return Err(other),
        }
    }
}
