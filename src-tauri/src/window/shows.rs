//! Which "show this view" requests a window process has answered, so that
//! one sent as its window was closing (or as it crashed) is not lost: the
//! process answers a Show only when it showed the window, and when the
//! process ends with a Show unanswered the app opens a new window on that
//! view.

use crate::cli::View;

#[derive(Debug, Default)]
pub struct Shows {
    unanswered: u32,
    /// The newest view asked for.
    view: Option<View>,
    /// Whether the process has shown its window at all.
    answered_any: bool,
    /// The process was started again for a Show its predecessor left
    /// unanswered: if it shows nothing either, it is not started a third
    /// time (a window process that cannot start is not restarted forever).
    retry: bool,
}

impl Shows {
    /// For a process started again for its predecessor's unanswered Show.
    pub fn retrying() -> Shows {
        Shows {
            retry: true,
            ..Shows::default()
        }
    }

    pub fn sent(&mut self, view: View) {
        self.unanswered += 1;
        self.view = Some(view);
    }

    pub fn answered(&mut self) {
        self.unanswered = self.unanswered.saturating_sub(1);
        self.answered_any = true;
    }

    /// The view to open in a new window process, once this one has ended.
    pub fn to_reopen(&self) -> Option<View> {
        let gave_up = self.retry && !self.answered_any;
        if self.unanswered > 0 && !gave_up {
            self.view
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_show_sent_as_the_window_closed_is_opened_again() {
        let mut shows = Shows::default();
        shows.sent(View::Inbox);
        shows.answered();
        assert_eq!(shows.to_reopen(), None, "every Show was answered");
        // The user closes the window, and clicks Open before the app has
        // heard: the dying process does not answer.
        shows.sent(View::Calendar);
        assert_eq!(shows.to_reopen(), Some(View::Calendar));
    }

    #[test]
    fn the_newest_view_wins_and_answers_settle_in_order() {
        let mut shows = Shows::default();
        shows.sent(View::Inbox);
        shows.answered();
        shows.sent(View::Status);
        shows.sent(View::Preferences);
        shows.answered();
        assert_eq!(shows.to_reopen(), Some(View::Preferences));
        shows.answered();
        assert_eq!(shows.to_reopen(), None);
    }

    #[test]
    fn a_process_that_cannot_show_its_window_is_started_once_more_not_forever() {
        let mut first = Shows::default();
        first.sent(View::Inbox);
        assert_eq!(first.to_reopen(), Some(View::Inbox), "one more try");
        let mut again = Shows::retrying();
        again.sent(View::Inbox);
        assert_eq!(again.to_reopen(), None, "it showed nothing either");
        let mut working = Shows::retrying();
        working.sent(View::Inbox);
        working.answered();
        working.sent(View::Status);
        assert_eq!(working.to_reopen(), Some(View::Status), "it had worked");
    }
}
