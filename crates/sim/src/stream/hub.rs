//! The broadcaster: every open stream, its bounded queue, and the rules
//! for who gets which frame.
//!
//! Publishing never waits. Each stream has a queue of `buffer` frames and
//! the hub uses `try_send`: when a slow client's queue is full the frame is
//! dropped for that client alone and counted, so one stuck reader can never
//! hold up the others (or the request that caused the event).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::auth::Token;
use crate::envelope::Audience;
use crate::fixture::Scope;

/// Counters of one stream, shared between the hub and the stream body.
#[derive(Debug, Default)]
pub(crate) struct ConnStats {
    pub(crate) frames_sent: AtomicU64,
    pub(crate) frames_dropped: AtomicU64,
    pub(crate) bytes_sent: AtomicU64,
}

/// One open stream as the hub sees it.
#[derive(Debug)]
struct Subscriber {
    user_id: String,
    token: Token,
    scope: Scope,
    queue: mpsc::Sender<Bytes>,
    stats: Arc<ConnStats>,
    close: watch::Sender<bool>,
    stall: watch::Sender<Option<Instant>>,
}

impl Subscriber {
    fn wants(&self, audience: &Audience) -> bool {
        if audience
            .only_user
            .as_ref()
            .is_some_and(|u| *u != self.user_id)
        {
            return false;
        }
        if audience.raw {
            return true;
        }
        if audience.notification {
            return audience.owner.as_deref() == Some(self.user_id.as_str());
        }
        audience
            .company_id
            .as_deref()
            .is_none_or(|c| self.scope.sees(c))
    }
}

/// The receiving half a stream body reads from.
#[derive(Debug)]
pub(crate) struct Subscription {
    pub(crate) id: u64,
    pub(crate) queue: mpsc::Receiver<Bytes>,
    pub(crate) close: watch::Receiver<bool>,
    pub(crate) stall: watch::Receiver<Option<Instant>>,
    pub(crate) stats: Arc<ConnStats>,
    pub(crate) _membership: Membership,
}

/// Removes a stream from the hub when its body is dropped (client gone,
/// stream closed, server stopping).
#[derive(Debug)]
pub(crate) struct Membership {
    id: u64,
    hub: Weak<Hub>,
}

impl Drop for Membership {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.upgrade() {
            hub.write().remove(&self.id);
        }
    }
}

/// How one publish went.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Published {
    pub(crate) delivered: u64,
    pub(crate) dropped: u64,
}

/// A row of `GET /_sim/stats`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConnectionStats {
    pub(crate) id: u64,
    pub(crate) user: String,
    pub(crate) frames_sent: u64,
    pub(crate) frames_dropped: u64,
    pub(crate) bytes_sent: u64,
}

/// All open streams.
#[derive(Debug)]
pub(crate) struct Hub {
    subscribers: RwLock<HashMap<u64, Subscriber>>,
    buffer: usize,
    next_id: AtomicU64,
    dropped_total: AtomicU64,
    stopping: AtomicBool,
}

impl Hub {
    pub(crate) fn new(buffer: usize) -> Arc<Self> {
        Arc::new(Self {
            subscribers: RwLock::new(HashMap::new()),
            buffer: buffer.max(1),
            next_id: AtomicU64::new(1),
            dropped_total: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<u64, Subscriber>> {
        self.subscribers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<u64, Subscriber>> {
        self.subscribers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a new stream. After shutdown began it starts closed.
    pub(crate) fn subscribe(
        self: &Arc<Self>,
        user_id: &str,
        token: Token,
        scope: Scope,
    ) -> Subscription {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (queue_tx, queue_rx) = mpsc::channel(self.buffer);
        let (close_tx, close_rx) = watch::channel(false);
        let (stall_tx, stall_rx) = watch::channel(None);
        let stats = Arc::new(ConnStats::default());
        let subscriber = Subscriber {
            user_id: user_id.to_string(),
            token,
            scope,
            queue: queue_tx,
            stats: Arc::clone(&stats),
            close: close_tx,
            stall: stall_tx,
        };
        {
            let mut subscribers = self.write();
            if self.stopping.load(Ordering::SeqCst) {
                subscriber.close.send_replace(true);
            }
            subscribers.insert(id, subscriber);
        }
        Subscription {
            id,
            queue: queue_rx,
            close: close_rx,
            stall: stall_rx,
            stats,
            _membership: Membership {
                id,
                hub: Arc::downgrade(self),
            },
        }
    }

    /// Offers `frame` to every stream in `audience` without waiting.
    pub(crate) fn publish(&self, audience: &Audience, frame: &Bytes) -> Published {
        let mut outcome = Published::default();
        for subscriber in self.read().values().filter(|s| s.wants(audience)) {
            match subscriber.queue.try_send(frame.clone()) {
                Ok(()) => outcome.delivered += 1,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    subscriber
                        .stats
                        .frames_dropped
                        .fetch_add(1, Ordering::Relaxed);
                    self.dropped_total.fetch_add(1, Ordering::Relaxed);
                    outcome.dropped += 1;
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        outcome
    }

    fn close_where(&self, doomed: impl Fn(&Subscriber) -> bool) -> usize {
        let mut subscribers = self.write();
        let ids: Vec<u64> = subscribers
            .iter()
            .filter(|(_, s)| doomed(s))
            .map(|(id, _)| *id)
            .collect();
        for id in &ids {
            if let Some(subscriber) = subscribers.remove(id) {
                subscriber.close.send_replace(true);
            }
        }
        ids.len()
    }

    pub(crate) fn close_all(&self) -> usize {
        self.close_where(|_| true)
    }

    pub(crate) fn close_user(&self, user_id: &str) -> usize {
        self.close_where(|s| s.user_id == user_id)
    }

    pub(crate) fn close_token(&self, token: &Token) -> usize {
        self.close_where(|s| s.token == *token)
    }

    /// Silences every stream open right now until `now + duration`.
    pub(crate) fn stall_all(&self, duration: Duration) -> usize {
        let until = Instant::now() + duration;
        let subscribers = self.read();
        for subscriber in subscribers.values() {
            subscriber.stall.send_replace(Some(until));
        }
        subscribers.len()
    }

    /// Closes every stream and refuses to keep new ones open.
    pub(crate) fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.close_all();
    }

    pub(crate) fn stats(&self) -> Vec<ConnectionStats> {
        let mut rows: Vec<ConnectionStats> = self
            .read()
            .iter()
            .map(|(id, s)| ConnectionStats {
                id: *id,
                user: s.user_id.clone(),
                frames_sent: s.stats.frames_sent.load(Ordering::Relaxed),
                frames_dropped: s.stats.frames_dropped.load(Ordering::Relaxed),
                bytes_sent: s.stats.bytes_sent.load(Ordering::Relaxed),
            })
            .collect();
        rows.sort_by_key(|r| r.id);
        rows
    }

    pub(crate) fn frames_dropped(&self) -> u64 {
        self.dropped_total.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience(company: Option<&str>) -> Audience {
        Audience {
            company_id: company.map(str::to_string),
            ..Audience::default()
        }
    }

    #[test]
    fn scope_rules_decide_delivery() {
        let hub = Hub::new(8);
        let ana = hub.subscribe("u-ana", Token::new("a"), Scope::Companies(vec!["c-acme"]));
        let admin = hub.subscribe("u-admin", Token::new("b"), Scope::All);
        let frame = Bytes::from_static(b"data: {}\n\n");
        assert_eq!(
            hub.publish(&audience(Some("c-initech")), &frame).delivered,
            1
        );
        assert_eq!(hub.publish(&audience(Some("c-acme")), &frame).delivered, 2);
        assert_eq!(hub.publish(&audience(None), &frame).delivered, 2);
        let note = Audience {
            notification: true,
            owner: Some("u-ana".into()),
            ..Audience::default()
        };
        assert_eq!(hub.publish(&note, &frame).delivered, 1);
        let orphan = Audience {
            notification: true,
            ..Audience::default()
        };
        assert_eq!(hub.publish(&orphan, &frame).delivered, 0);
        drop((ana, admin));
        assert!(
            hub.stats().is_empty(),
            "dropped subscriptions leave the hub"
        );
    }

    #[test]
    fn full_queues_drop_for_that_stream_only() {
        let hub = Hub::new(2);
        let _slow = hub.subscribe("u-ana", Token::new("a"), Scope::All);
        let mut fast = hub.subscribe("u-ben", Token::new("b"), Scope::All);
        let frame = Bytes::from_static(b"data: {}\n\n");
        for _ in 0..5 {
            hub.publish(&audience(None), &frame);
            assert!(fast.queue.try_recv().is_ok());
        }
        let stats = hub.stats();
        assert_eq!(stats[0].frames_dropped, 3);
        assert_eq!(stats[1].frames_dropped, 0);
        assert_eq!(hub.frames_dropped(), 3);
    }
}
