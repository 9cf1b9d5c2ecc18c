//! Where a click on a shown pop-up leads: what each pop-up's actions
//! target, and the bounded table of shown pop-ups that still have them.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use companion_core::{Popup, PopupKind};

use crate::cli::View;

/// How many pop-ups keep working actions; an older one's click is ignored.
const ROUTES: usize = 256;
/// How long a pop-up keeps working actions; a later click is ignored.
const ROUTE_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// Event pop-ups and reminders can be snoozed; summaries cannot.
pub(super) fn snoozable(popup: &Popup) -> bool {
    matches!(popup.kind, PopupKind::Event | PopupKind::Reminder)
}

/// The app's own view a pop-up opens, for pop-ups about the app's data
/// rather than one page on the server: the agenda opens the calendar.
pub(super) fn view_of(popup: &Popup) -> Option<View> {
    match popup.kind {
        PopupKind::Agenda => Some(View::Calendar),
        _ => None,
    }
}

/// Where a click on one shown pop-up leads.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Target {
    pub(super) url: Option<String>,
    pub(super) notification_id: Option<String>,
    pub(super) view: Option<View>,
    /// The pop-up itself, to raise again after a snooze.
    pub(super) snooze: Option<Popup>,
}

impl Target {
    /// `None` when the pop-up has no action.
    pub(super) fn of(popup: &Popup) -> Option<Target> {
        let target = Target {
            url: popup.url.clone(),
            notification_id: popup.notification_id.clone(),
            view: view_of(popup),
            snooze: snoozable(popup).then(|| popup.clone()),
        };
        (target.url.is_some()
            || target.notification_id.is_some()
            || target.view.is_some()
            || target.snooze.is_some())
        .then_some(target)
    }
}

/// One shown pop-up with actions, and when it was shown.
#[derive(Debug)]
struct Route {
    id: u32,
    target: Target,
    shown: Instant,
}

/// The shown pop-ups that have actions, by daemon id, oldest first. The
/// daemon does not always close what it shows, so a route is forgotten
/// after [`ROUTE_TTL`], and the oldest beyond [`ROUTES`]. Time is passed
/// in, so the bounds are tested without waiting.
#[derive(Default)]
pub(super) struct Routes(VecDeque<Route>);

impl Routes {
    pub(super) fn insert(&mut self, id: u32, target: Target, now: Instant) {
        self.take(id, now);
        if self.0.len() >= ROUTES {
            self.0.pop_front();
        }
        self.0.push_back(Route {
            id,
            target,
            shown: now,
        });
    }

    pub(super) fn take(&mut self, id: u32, now: Instant) -> Option<Target> {
        self.expire(now);
        let at = self.0.iter().position(|route| route.id == id)?;
        self.0.remove(at).map(|route| route.target)
    }

    /// Drops the routes shown [`ROUTE_TTL`] or longer ago; they are
    /// oldest first, so only the front needs looking at.
    fn expire(&mut self, now: Instant) {
        while self
            .0
            .front()
            .is_some_and(|r| now.saturating_duration_since(r.shown) >= ROUTE_TTL)
        {
            self.0.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(n: u32) -> Target {
        Target {
            url: None,
            notification_id: Some(format!("n-{n}")),
            view: None,
            snooze: None,
        }
    }

    #[test]
    fn routes_forget_the_oldest_beyond_their_bound_and_hand_each_out_once() {
        let now = Instant::now();
        let mut routes = Routes::default();
        for id in 0..=ROUTES as u32 {
            routes.insert(id, target(id), now);
        }
        assert_eq!(routes.0.len(), ROUTES);
        assert_eq!(routes.take(0, now), None, "the oldest was forgotten");
        assert_eq!(routes.take(7, now), Some(target(7)));
        assert_eq!(routes.take(7, now), None, "a second click finds nothing");
    }

    #[test]
    fn routes_stay_bounded_and_expire_when_the_daemon_never_closes_popups() {
        // 1,000 pop-ups nobody closes: a burst of 500 a second apart, then
        // 500 ten minutes apart (about 83 hours), so first the cap and then
        // the expiry bounds the table.
        let start = Instant::now();
        let mut routes = Routes::default();
        let mut shown = Vec::new();
        let mut now = start;
        for id in 0..1_000u32 {
            now += if id < 500 {
                Duration::from_secs(1)
            } else {
                Duration::from_secs(10 * 60)
            };
            routes.insert(id, target(id), now);
            shown.push((id, now));
            assert!(
                routes.0.len() <= ROUTES,
                "{} routes at {id}",
                routes.0.len()
            );
        }
        assert!(
            routes
                .0
                .iter()
                .all(|r| now.saturating_duration_since(r.shown) < ROUTE_TTL),
            "a route older than a day is kept"
        );
        assert_eq!(
            routes.0.len(),
            144,
            "one a day's pop-ups, ten minutes apart"
        );
        let (expired, _) = shown[1_000 - 145];
        assert_eq!(routes.take(expired, now), None, "a day old: forgotten");
        let (recent, _) = shown[999];
        assert_eq!(routes.take(recent, now), Some(target(recent)));

        // With no later pop-up, a click a day on still finds nothing.
        let (last_but_one, _) = shown[998];
        assert_eq!(routes.take(last_but_one, now + ROUTE_TTL), None);
        assert!(routes.0.is_empty());
    }
}
