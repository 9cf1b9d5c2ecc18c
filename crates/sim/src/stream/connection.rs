//! One stream's body: the ping, queued frames, heartbeats, stalls and close.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::Stream;
use tokio::time::{Instant, sleep_until};

use super::hub::Subscription;

const PING: &[u8] = b"event: ping\ndata: {\"type\":\"ping\"}\n\n";
const HEARTBEAT: &[u8] = b": heartbeat\n\n";
/// Frames already queued are sent together, up to about this many bytes
/// per write. One chunk per frame cost a trip through the select, a timer
/// and an HTTP chunk header for every frame: the sim, not the client, was
/// the limit on a queued stream.
const BATCH_BYTES: usize = 256 * 1024;

/// Produces the bytes of one SSE response until the stream is closed.
struct Body {
    subscription: Subscription,
    heartbeat: Duration,
    next_heartbeat: Instant,
    pinged: bool,
}

impl Body {
    fn emit(&mut self, chunk: Bytes, frames: u64) -> Bytes {
        let stats = &self.subscription.stats;
        if frames > 0 {
            stats.frames_sent.fetch_add(frames, Ordering::Relaxed);
        }
        stats
            .bytes_sent
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        self.next_heartbeat = Instant::now() + self.heartbeat;
        chunk
    }

    /// `first` and whatever else is queued right now, up to [`BATCH_BYTES`],
    /// as one chunk. A lone frame goes out as it is, uncopied.
    fn batch(&mut self, first: Bytes) -> Bytes {
        let Ok(second) = self.subscription.queue.try_recv() else {
            return self.emit(first, 1);
        };
        let mut chunk = BytesMut::with_capacity(BATCH_BYTES.max(first.len() + second.len()));
        chunk.extend_from_slice(&first);
        chunk.extend_from_slice(&second);
        let mut frames = 2;
        while chunk.len() < BATCH_BYTES {
            let Ok(next) = self.subscription.queue.try_recv() else {
                break;
            };
            chunk.extend_from_slice(&next);
            frames += 1;
        }
        self.emit(chunk.freeze(), frames)
    }

    /// Waits while a stall is in force; false when the stream should end.
    async fn wait_out_stall(&mut self) -> bool {
        loop {
            let until = *self.subscription.stall.borrow_and_update();
            match until {
                Some(until) if Instant::now() < until => {
                    tokio::select! {
                        _ = sleep_until(until) => {}
                        changed = self.subscription.close.changed() => {
                            if changed.is_err() || *self.subscription.close.borrow() {
                                return false;
                            }
                        }
                        _ = self.subscription.stall.changed() => {}
                    }
                }
                _ => return true,
            }
            // Silence counts as idle time: heartbeat one interval after.
            self.next_heartbeat = Instant::now() + self.heartbeat;
        }
    }

    async fn next_chunk(&mut self) -> Option<Bytes> {
        if !self.pinged {
            self.pinged = true;
            return Some(self.emit(Bytes::from_static(PING), 1));
        }
        loop {
            if *self.subscription.close.borrow() || !self.wait_out_stall().await {
                return None;
            }
            tokio::select! {
                biased;
                changed = self.subscription.close.changed() => {
                    if changed.is_err() || *self.subscription.close.borrow() {
                        return None;
                    }
                }
                changed = self.subscription.stall.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                frame = self.subscription.queue.recv() => {
                    return frame.map(|frame| self.batch(frame));
                }
                _ = sleep_until(self.next_heartbeat) => {
                    return Some(self.emit(Bytes::from_static(HEARTBEAT), 0));
                }
            }
        }
    }
}

/// The response body for a new stream: `event: ping` first, then frames
/// from the queue and `: heartbeat` comments whenever `heartbeat` passes
/// without output. `frames_sent` counts the ping and data frames, not
/// heartbeats; `bytes_sent` counts everything.
pub(crate) fn body(
    subscription: Subscription,
    heartbeat: Duration,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
    let state = Body {
        subscription,
        heartbeat,
        next_heartbeat: Instant::now() + heartbeat,
        pinged: false,
    };
    futures_util::stream::unfold(state, |mut state| async move {
        let chunk = state.next_chunk().await?;
        Some((Ok(chunk), state))
    })
}
