//! Desktop notifications over the freedesktop interface
//! `org.freedesktop.Notifications`, spoken directly with zbus: title, body,
//! urgency from severity, app name and icon, and the actions **Open** and
//! **Mark read**. What the user picks goes back to the engine as a
//! [`UserAction`], so the same rules (same-origin links, the badge) apply
//! as for the tray and the window.
//!
//! One task owns one session-bus connection for the whole app and shows
//! pop-ups one at a time, in the order the engine raised them;
//! [`Notifier::show`] only queues. Before the task sends its first `Notify`
//! it subscribes to the daemon's signals (`ActionInvoked`,
//! `NotificationClosed`), so a click can never arrive while nobody listens
//! (notify-rust subscribed per pop-up *after* `Notify` returned, and a click
//! in that gap was lost). One match rule covers both signals, so they are
//! read in the order the daemon sent them; it names no sender. Signals are
//! routed by notification id through a bounded map of the pop-ups that
//! have actions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use companion_core::{Popup, UserAction};
use futures_util::StreamExt;
use tauri::{AppHandle, Manager};
use tokio::sync::mpsc;
use zbus::message::Type;
use zbus::zvariant::Value;
use zbus::{Connection, MatchRule, Message, MessageStream};

mod routes;

use routes::{Routes, Target, snoozable, view_of};

use crate::desktop_entry::DESKTOP_ID;
use crate::state::{AppState, lock};
use crate::window;

pub const APP_NAME: &str = "PMAP Companion";
pub const ACTION_OPEN: &str = "open";
pub const ACTION_MARK_READ: &str = "mark_read";
pub const ACTION_SNOOZE: &str = "snooze";
const DAEMON: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// A daemon that never answers `Notify` must not stall every later pop-up.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(25);

pub struct Notifier {
    queue: mpsc::UnboundedSender<Popup>,
}

/// "Snooze 1 h", "Snooze 10 min", "Snooze 5 s": what the action says for a
/// snooze of `secs`.
pub fn snooze_label(secs: u64) -> String {
    match secs {
        s if s >= 3600 && s % 3600 == 0 => format!("Snooze {} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("Snooze {} min", s / 60),
        s => format!("Snooze {s} s"),
    }
}

impl Notifier {
    /// Starts the task that shows pop-ups one at a time, in order.
    pub fn start(app: AppHandle) -> Notifier {
        let (queue, popups) = mpsc::unbounded_channel();
        tauri::async_runtime::spawn(run(app, popups));
        Notifier { queue }
    }

    /// Queues `popup` without blocking the caller.
    pub fn show(&self, popup: &Popup) {
        if self.queue.send(popup.clone()).is_err() {
            tracing::warn!("the notifier task is gone; pop-up dropped");
        }
    }
}

/// What one `Notify` call sends for a pop-up, built without touching the
/// bus so tests can read it.
#[derive(Debug, PartialEq)]
pub struct DesktopNotification {
    pub app_name: &'static str,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    /// Pairs of action key and label, as the spec lays them out.
    pub actions: Vec<String>,
    pub hints: HashMap<&'static str, Value<'static>>,
}

/// The notification for a pop-up, with actions only where they can work;
/// `snooze` is the Snooze action's label, `sound` the sound theme name a
/// sounding pop-up plays (`None`: silent).
pub fn build(
    popup: &Popup,
    icon: Option<&Path>,
    snooze: &str,
    sound: Option<&str>,
) -> DesktopNotification {
    let mut actions: Vec<String> = Vec::new();
    if popup.url.is_some() || view_of(popup).is_some() {
        actions.extend([ACTION_OPEN.into(), "Open".into()]);
    }
    if popup.notification_id.is_some() {
        actions.extend([ACTION_MARK_READ.into(), "Mark read".into()]);
    }
    if snoozable(popup) {
        actions.extend([ACTION_SNOOZE.into(), snooze.to_owned()]);
    }
    let urgency: u8 = if popup.urgent { 2 } else { 1 };
    let mut hints = HashMap::from([
        ("urgency", Value::from(urgency)),
        ("desktop-entry", Value::from(DESKTOP_ID)),
    ]);
    match sound.filter(|_| popup.sound) {
        Some(name) => {
            hints.insert("sound-name", Value::from(name.to_owned()));
        }
        None => {
            hints.insert("suppress-sound", Value::from(true));
        }
    }
    DesktopNotification {
        app_name: APP_NAME,
        app_icon: icon
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default(),
        summary: escape_markup(&popup.title),
        body: escape_markup(&popup.body),
        actions,
        hints,
    }
}

/// Server text as plain text for the daemon. freedesktop servers render a
/// markup subset in the body (dunst also in the summary, and KDE makes
/// `<a href>` clickable), so a title from a scanner import could otherwise
/// hide text or put a link to any host into a pop-up. The CLI's JSON keeps
/// the raw text; only what the desktop renders is escaped.
fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The app's one connection to the notification daemon.
struct Bus {
    connection: Connection,
    /// The daemon's signals, in the order it sent them.
    signals: MessageStream,
    /// Changes to the daemon's properties (`Inhibited`: do not disturb).
    properties: MessageStream,
    routes: Routes,
}

async fn run(app: AppHandle, mut popups: mpsc::UnboundedReceiver<Popup>) {
    let icon = write_icon(&app);
    let mut bus = match Bus::connect().await {
        Ok(bus) => bus,
        Err(error) => {
            tracing::warn!(%error, "no session bus; pop-ups will not be shown");
            while popups.recv().await.is_some() {
                tracing::warn!("no session bus; pop-up dropped");
            }
            return;
        }
    };
    bus.read_inhibited(&app).await;
    // This task both awaits each `Notify` reply and reads the signals, so
    // a signal is handled only after the id it names is in `routes`.
    loop {
        tokio::select! {
            biased;
            Some(Ok(signal)) = bus.signals.next() => bus.on_signal(&app, &signal),
            Some(Ok(change)) = bus.properties.next() => on_properties(&app, &change),
            popup = popups.recv() => match popup {
                Some(popup) => bus.show(&app, &popup, icon.as_deref()).await,
                None => return,
            },
        }
    }
}

impl Bus {
    /// Connects and puts the match rule in place before any `Notify`.
    async fn connect() -> zbus::Result<Bus> {
        let connection = zbus::connection::Builder::session()?
            .method_timeout(NOTIFY_TIMEOUT)
            .build()
            .await?;
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .interface(DAEMON)?
            .path(PATH)?
            .build();
        let signals = MessageStream::for_match_rule(rule, &connection, None).await?;
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .interface("org.freedesktop.DBus.Properties")?
            .member("PropertiesChanged")?
            .path(PATH)?
            .build();
        let properties = MessageStream::for_match_rule(rule, &connection, None).await?;
        Ok(Bus {
            connection,
            signals,
            properties,
            routes: Routes::default(),
        })
    }

    /// The daemon's `Inhibited` at start; a daemon without it is never
    /// inhibited.
    async fn read_inhibited(&self, app: &AppHandle) {
        let reply = self
            .connection
            .call_method(
                Some(DAEMON),
                PATH,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &(DAEMON, "Inhibited"),
            )
            .await;
        let inhibited = reply
            .ok()
            .and_then(|r| r.body().deserialize::<zbus::zvariant::OwnedValue>().ok())
            .and_then(|v| bool::try_from(v).ok());
        if let Some(on) = inhibited {
            set_inhibited(app, on);
        }
    }

    /// Shows one pop-up and, if it has actions, remembers where they lead.
    async fn show(&mut self, app: &AppHandle, popup: &Popup, icon: Option<&Path>) {
        let (label, sound) = {
            let shared = app.shared();
            let config = lock(&shared.config);
            let prefs = &config.prefs;
            (
                snooze_label(prefs.snooze_secs),
                prefs.sound_name(popup.severity).map(str::to_owned),
            )
        };
        let notification = build(popup, icon, &label, sound.as_deref());
        let (shown, held) = self.notify(&notification).await;
        match shown {
            Ok(id) => {
                if let Some(target) = Target::of(popup) {
                    self.routes.insert(id, target, Instant::now());
                }
            }
            Err(error) => tracing::warn!(%error, "could not show a notification"),
        }
        for signal in held {
            self.on_signal(app, &signal);
        }
    }

    /// Sends one `Notify` and returns the daemon's id for it. Signals that
    /// arrive meanwhile are read, so zbus's bounded queue cannot fill and
    /// hold up the reply, and handed back to be handled after the id is
    /// known.
    async fn notify(&mut self, n: &DesktopNotification) -> (zbus::Result<u32>, Vec<Message>) {
        let body = (
            n.app_name,
            0u32,
            &n.app_icon,
            &n.summary,
            &n.body,
            &n.actions,
            &n.hints,
            -1i32, // expire as the daemon sees fit
        );
        let call = self
            .connection
            .call_method(Some(DAEMON), PATH, Some(DAEMON), "Notify", &body);
        tokio::pin!(call);
        let mut held = Vec::new();
        let reply = loop {
            tokio::select! {
                biased;
                Some(Ok(signal)) = self.signals.next() => held.push(signal),
                reply = &mut call => break reply,
            }
        };
        (reply.and_then(|r| r.body().deserialize::<u32>()), held)
    }

    fn on_signal(&mut self, app: &AppHandle, signal: &Message) {
        let header = signal.header();
        match header.member().map(|m| m.as_str()) {
            Some("ActionInvoked") => {
                let Ok((id, action)) = signal.body().deserialize::<(u32, String)>() else {
                    return;
                };
                if let Some(target) = self.routes.take(id, Instant::now()) {
                    on_action(app, &action, target);
                }
            }
            Some("NotificationClosed") => {
                if let Ok((id, _reason)) = signal.body().deserialize::<(u32, u32)>() {
                    self.routes.take(id, Instant::now());
                }
            }
            _ => {}
        }
    }
}

/// `PropertiesChanged` from the daemon: follows its `Inhibited`.
fn on_properties(app: &AppHandle, change: &Message) {
    type Changed = (
        String,
        HashMap<String, zbus::zvariant::OwnedValue>,
        Vec<String>,
    );
    let Ok((interface, changed, _)) = change.body().deserialize::<Changed>() else {
        return;
    };
    if interface != DAEMON {
        return;
    }
    if let Some(on) = changed
        .get("Inhibited")
        .and_then(|v| bool::try_from(v.clone()).ok())
    {
        set_inhibited(app, on);
    }
}

/// Remembers the desktop's do-not-disturb and tells the running engine,
/// which holds pop-ups back as in a pause.
fn set_inhibited(app: &AppHandle, on: bool) {
    let was = app
        .shared()
        .desktop_inhibited
        .swap(on, std::sync::atomic::Ordering::Relaxed);
    if was == on {
        return;
    }
    tracing::info!(on, "the desktop's do-not-disturb changed");
    if let Some(controls) = app.controls() {
        tauri::async_runtime::spawn(async move { controls.desktop_inhibited(on).await });
    }
}

fn on_action(app: &AppHandle, action: &str, target: Target) {
    tracing::info!(action, "notification action");
    if action == ACTION_SNOOZE {
        if let Some(popup) = target.snooze {
            app.act(UserAction::Snooze { popup });
        }
        return;
    }
    match (action, target.url, target.notification_id, target.view) {
        (ACTION_OPEN, Some(url), id, _) => {
            app.act(UserAction::Open { url });
            if let Some(id) = id {
                app.act(UserAction::MarkRead(id));
            }
        }
        (ACTION_OPEN, None, _, Some(view)) => window::open(app, view),
        (ACTION_MARK_READ, _, Some(id), _) => app.act(UserAction::MarkRead(id)),
        _ => {}
    }
}

/// Writes the bundled icon under the app's cache dir once per start.
fn write_icon(app: &AppHandle) -> Option<PathBuf> {
    let dir = app.path().app_cache_dir().ok()?;
    let path = dir.join("pmap-companion.png");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, include_bytes!("../../icons/128x128.png")));
    match written {
        Ok(()) => Some(path),
        Err(error) => {
            tracing::warn!(%error, "could not write the notification icon");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use companion_core::PopupKind;

    use super::*;
    use crate::cli::View;

    fn popup(urgent: bool, url: Option<&str>, id: Option<&str>) -> Popup {
        Popup {
            kind: PopupKind::Event,
            event_type: Some("finding_assigned".into()),
            title: "Finding assigned".into(),
            body: "SQL injection".into(),
            severity: None,
            urgent,
            url: url.map(str::to_owned),
            notification_id: id.map(str::to_owned),
            sound: false,
        }
    }

    #[test]
    fn urgent_popups_are_critical_and_actions_follow_what_the_popup_has() {
        let full = build(
            &popup(true, Some("https://x/findings/1"), Some("n-1")),
            None,
            "Snooze 1 h",
            Some("bell"),
        );
        assert_eq!(full.hints.get("urgency"), Some(&Value::U8(2)));
        assert_eq!(
            full.actions,
            [
                "open",
                "Open",
                "mark_read",
                "Mark read",
                "snooze",
                "Snooze 1 h"
            ]
        );
        let mut digest = popup(false, None, None);
        digest.kind = PopupKind::ReminderDigest;
        let bare = build(&digest, None, "Snooze 1 h", Some("bell"));
        assert_eq!(bare.hints.get("urgency"), Some(&Value::U8(1)));
        assert!(bare.actions.is_empty(), "a digest cannot be snoozed");
        assert_eq!(bare.app_name, APP_NAME);
    }

    #[test]
    fn the_snooze_label_names_the_delay_in_its_largest_whole_unit() {
        let cases = [
            (3600, "Snooze 1 h"),
            (7200, "Snooze 2 h"),
            (600, "Snooze 10 min"),
            (5, "Snooze 5 s"),
            (90, "Snooze 90 s"),
        ];
        for (secs, want) in cases {
            assert_eq!(snooze_label(secs), want);
        }
    }

    #[test]
    fn the_agenda_opens_the_apps_calendar_and_has_nothing_to_mark_read() {
        let mut agenda = popup(false, None, None);
        agenda.kind = PopupKind::Agenda;
        assert_eq!(
            build(&agenda, None, "Snooze 1 h", Some("bell")).actions,
            ["open", "Open"]
        );
        let target = Target::of(&agenda).expect("a route");
        assert_eq!(target.view, Some(View::Calendar));
        let mut digest = popup(false, None, None);
        digest.kind = PopupKind::ReminderDigest;
        assert_eq!(Target::of(&digest), None);
    }

    #[test]
    fn summary_and_body_reach_the_daemon_as_text_not_markup() {
        let hostile = r#"<b>x</b> & <a href="https://evil.test/">y</a>"#;
        let mut p = popup(false, None, None);
        p.title = hostile.into();
        p.body = format!("body {hostile}");
        let n = build(&p, None, "Snooze 1 h", Some("bell"));
        let escaped =
            r#"&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href="https://evil.test/"&gt;y&lt;/a&gt;"#;
        assert_eq!(n.summary, escaped);
        assert_eq!(n.body, format!("body {escaped}"));
        assert_eq!(
            build(&popup(false, None, None), None, "Snooze 1 h", Some("bell")).summary,
            "Finding assigned"
        );
    }
}
