//! The decision pipeline for one SSE frame: decode, ownership, dedup, badge
//! and calendar side effects, then whether (and how) it pops up.

use chrono::{DateTime, TimeDelta, Utc};

use super::badge::Change;
use super::dedup::Side;
use super::gate::{Gate, gate};
use super::machine::CALENDAR_DEBOUNCE;
use super::text::event_popup;
use super::{Effect, Engine};
use crate::event::{Decoded, Envelope, EventGroup, EventType, Severity};

impl Engine {
    pub(crate) fn on_frame(
        &mut self,
        event: &str,
        data: &str,
        now: DateTime<Utc>,
        out: &mut Vec<Effect>,
    ) {
        self.stats.frames += 1;
        self.badge.count_frame(now);
        // Matched by reference: an envelope is most of a kilobyte, and a
        // move is a copy.
        let decoded = Envelope::decode(data);
        let envelope = match &decoded {
            Ok(Decoded::Event(envelope)) => envelope,
            Ok(Decoded::Ping) => {
                self.stats.pings += 1;
                return;
            }
            Err(_) if event == "ping" => {
                self.stats.pings += 1;
                return;
            }
            Err(error) => {
                self.stats.malformed += 1;
                tracing::debug!(%error, len = data.len(), "skipped a malformed frame");
                return;
            }
        };
        for ty in self.seen_types.record_envelope(envelope) {
            out.push(Effect::TypeSeen(ty.as_str().to_owned()));
        }
        if envelope.event_type.is_notification()
            && envelope.user_id().as_deref() != Some(self.config.user_id.as_str())
        {
            self.stats.foreign_notifications += 1;
            return;
        }
        if self.dedup.is_repeat(envelope) {
            self.stats.duplicates += 1;
            return;
        }
        self.catch_up.saw(envelope);
        self.apply_to_counts(envelope, now, out);
        self.decide_popup(envelope, now, out);
    }

    /// Badge and calendar follow every event, shown or not.
    fn apply_to_counts(
        &mut self,
        envelope: &Envelope<'_>,
        now: DateTime<Utc>,
        out: &mut Vec<Effect>,
    ) {
        match envelope.event_type {
            EventType::NotificationCreated if !envelope.notification_is_read() => {
                self.adjust_badge(Change::Increment, now, out);
            }
            EventType::NotificationCreated => {
                self.badge.refetch.arm(now, super::badge::SUMMARY_DEBOUNCE)
            }
            EventType::NotificationRead => {
                self.forget_snoozes_of(envelope.notification_id().as_deref(), out);
                self.adjust_badge(Change::Decrement, now, out);
            }
            EventType::NotificationAllRead => {
                self.forget_snoozes_of(None, out);
                self.adjust_badge(Change::Clear, now, out);
            }
            _ => {}
        }
        let affects_deadlines = matches!(
            envelope.event_type.group(),
            EventGroup::Finding | EventGroup::Sla
        );
        if affects_deadlines && !self.stopped() {
            self.calendar_soon.arm(now, CALENDAR_DEBOUNCE);
        }
    }

    fn decide_popup(&mut self, envelope: &Envelope<'_>, now: DateTime<Utc>, out: &mut Vec<Effect>) {
        let ty = &envelope.event_type;
        let row = *ty == EventType::NotificationCreated;
        // An inbox row goes through the cells of the type it is about.
        let decided_as = match envelope.row_event_type() {
            Some(own) if row => own,
            _ => ty.clone(),
        };
        if *ty == EventType::FindingAssigned && !envelope.is_assigned_to(&self.config.user_id) {
            // Someone else's assignment: news for them, not for us.
            self.stats.suppressed_prefs += 1;
            return;
        }
        if !self.in_scope(envelope, decided_as.group(), row) {
            self.stats.suppressed_scope += 1;
            return;
        }
        if envelope
            .company_id
            .as_ref()
            .is_some_and(|c| self.config.prefs.muted_companies.contains(c.as_ref()))
        {
            self.stats.suppressed_muted += 1;
            return;
        }
        let severity = envelope.severity();
        let in_app = self.server_in_app(&decided_as);
        let channels = self
            .config
            .prefs
            .channels_with(&decided_as, severity, in_app);
        if !channels.popup {
            self.stats.suppressed_prefs += 1;
            return;
        }
        let side = if *ty == EventType::NotificationCreated {
            Side::Notification
        } else {
            Side::Domain
        };
        let subject = envelope.subject();
        if let Some(subject) = &subject
            && self.dedup.claimed_by_other(subject, side, now)
        {
            self.stats.merged += 1;
            return;
        }
        let urgent = severity.is_some_and(Severity::is_critical_or_urgent);
        match gate(&self.config, self.held_until(), now, urgent) {
            Gate::Open => {}
            Gate::Quiet => {
                self.stats.suppressed_quiet += 1;
                return;
            }
            Gate::Paused => {
                self.stats.suppressed_paused += 1;
                return;
            }
        }
        if let Some(subject) = subject {
            self.dedup.claim(subject, side, now);
        }
        let prefs = &self.config.prefs;
        if !self
            .storm
            .admit(now, prefs.storm_max, storm_window(prefs.storm_window_secs))
        {
            self.storm.hold(ty, urgent, channels.sound);
            self.stats.coalesced += 1;
            return;
        }
        out.push(Effect::Notify(event_popup(
            envelope,
            &self.config,
            severity,
            channels.sound,
        )));
        self.stats.popups += 1;
        if channels.sound {
            self.stats.sounds += 1;
            out.push(Effect::PlaySound {
                event_type: decided_as.as_str().to_owned(),
            });
        }
    }
}

/// The storm window, clamped to 1 s – 1 day so a bad setting can neither
/// disable coalescing by overflow nor hold pop-ups for ever.
fn storm_window(secs: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(secs.clamp(1, 86_400)).unwrap_or(86_400))
}
