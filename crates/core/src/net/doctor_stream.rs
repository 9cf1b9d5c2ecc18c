//! The last `doctor` step: open the event stream the way the app does and
//! listen for a few seconds.

use std::sync::Arc;

use tokio::sync::{Notify, mpsc};

use super::doctor::{Checkup, Verdict};
use crate::FailureKind;
use crate::rest::Client;
use crate::shell::{StreamEvent, supervise};
use crate::sse::SseItem;

/// Opens the stream, then listens for `checkup.listen` once it is open.
/// Ok if it opened and did not fail meanwhile; the first failure is the
/// verdict. Opening is bounded by the stream's own answer timeout.
pub(crate) async fn listen(client: Client, checkup: &Checkup) -> (Verdict, String) {
    let (tx, mut rx) = mpsc::channel(16);
    let task = tokio::spawn(supervise(
        client,
        checkup.settings.clone(),
        tx,
        Arc::new(Notify::new()),
    ));
    let verdict = open_then_listen(&mut rx, checkup).await;
    task.abort();
    verdict
}

async fn open_then_listen(
    rx: &mut mpsc::Receiver<StreamEvent>,
    checkup: &Checkup,
) -> (Verdict, String) {
    let mut counts = Counts::default();
    loop {
        match rx.recv().await {
            Some(StreamEvent::Opened) => break,
            Some(StreamEvent::Failed { kind, .. }) => return (Verdict::Fail, describe(&kind)),
            Some(StreamEvent::Items(items)) => counts.add(items),
            Some(StreamEvent::Connecting) => {}
            None => return (Verdict::Fail, "the stream stopped".into()),
        }
    }
    let failure = tokio::time::timeout(checkup.listen, async {
        while let Some(event) = rx.recv().await {
            match event {
                StreamEvent::Items(items) => counts.add(items),
                StreamEvent::Failed { kind, .. } => return Some(kind),
                StreamEvent::Opened | StreamEvent::Connecting => {}
            }
        }
        None
    })
    .await;
    let secs = checkup.listen.as_secs_f64();
    match failure {
        Ok(Some(kind)) => (Verdict::Fail, format!("opened, then {}", describe(&kind))),
        _ => (
            Verdict::Ok,
            format!(
                "open; {} event(s) and {} heartbeat(s) in {secs} s",
                counts.events, counts.heartbeats
            ),
        ),
    }
}

#[derive(Default)]
struct Counts {
    events: usize,
    heartbeats: usize,
}

impl Counts {
    fn add(&mut self, items: Vec<SseItem>) {
        for item in items {
            match item {
                SseItem::Message(_) => self.events += 1,
                SseItem::Comment(_) => self.heartbeats += 1,
                _ => {}
            }
        }
    }
}

fn describe(kind: &FailureKind) -> String {
    match kind {
        FailureKind::Unauthorized => "the server rejected the token (401)".into(),
        FailureKind::Forbidden => "this account may not receive live events (403)".into(),
        FailureKind::Network(reason) => reason.clone(),
        FailureKind::Server(status) => format!("the server answered {status}"),
        FailureKind::Protocol(reason) | FailureKind::Portal(reason) => reason.clone(),
        FailureKind::Stalled => "the stream went silent".into(),
    }
}
