//! Human tables and JSON output.
//!
//! Every text line goes through [`line`] (or [`error`]), which shows the
//! control characters in it as visible escapes (see [`terminal`]): text
//! from the server can never drive the terminal.

pub mod terminal;

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// How a command prints its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `--format`: what the user asked for. `ics` is the calendar's alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Readable lines and tables.
    Text,
    /// One JSON value per line.
    Json,
    /// iCalendar (RFC 5545): `calendar` only.
    Ics,
}

impl FormatArg {
    /// The format of a command that has no iCalendar form.
    pub fn plain(self) -> anyhow::Result<Format> {
        match self {
            FormatArg::Text => Ok(Format::Text),
            FormatArg::Json => Ok(Format::Json),
            FormatArg::Ics => {
                anyhow::bail!("--format ics is for `calendar` only; use text or json here")
            }
        }
    }
}

impl From<Format> for FormatArg {
    fn from(format: Format) -> FormatArg {
        match format {
            Format::Text => FormatArg::Text,
            Format::Json => FormatArg::Json,
        }
    }
}

/// Writes `text` to stdout exactly as it is (an iCalendar document, whose
/// writer has already escaped the server's text) and flushes.
pub fn raw(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Prints one JSON value on one line and flushes (watch output is read
/// line by line by scripts and tests).
pub fn json_line(value: &impl Serialize) {
    let mut out = std::io::stdout().lock();
    if serde_json::to_writer(&mut out, value).is_ok() {
        let _ = writeln!(out);
        let _ = out.flush();
    }
}

/// Prints `page` (an answer with an `items` array) as one JSON line, each
/// item with `"url"` set to the matching entry of `urls`: the web page
/// the app opens for it (`null` when there is none). Everything else is
/// the server's, unchanged.
pub fn json_line_with_urls(page: &impl Serialize, urls: impl IntoIterator<Item = Option<String>>) {
    let mut value = serde_json::to_value(page).unwrap_or_default();
    if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
        for (item, url) in items.iter_mut().zip(urls) {
            if let Some(item) = item.as_object_mut() {
                item.insert("url".to_owned(), url.into());
            }
        }
    }
    json_line(&value);
}

/// Prints a plain line and flushes. A newline in `text` is kept (it is
/// the caller's layout); every other control character is shown escaped.
/// Server text that must stay on one line is passed through
/// [`terminal::visible`] before it is put in `text`.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", visible_lines(text));
    let _ = out.flush();
}

/// Prints a line on stderr, escaped like [`line`]: error messages may
/// quote the server.
pub fn error(text: &str) {
    eprintln!("{}", visible_lines(text));
}

fn visible_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal::visible)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A left-aligned table: column widths fit the widest cell (in chars),
/// the last column is not padded. Cells are one line each: a control
/// character in a cell, a newline included, is shown escaped.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| terminal::visible(c).into_owned())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let render = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let mut text = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            text.push_str(cell);
            if i < last {
                text.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        text.trim_end().to_owned()
    };
    line(&render(headers.to_vec()));
    for row in &rows {
        line(&render(row.iter().map(String::as_str).collect()));
    }
}

/// "3 min ago", "in 2 h", "5 d ago": enough to scan a list.
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - at).num_seconds();
    let (n, unit) = match secs.unsigned_abs() {
        s if s < 60 => return "just now".to_owned(),
        s if s < 3600 => (s / 60, "min"),
        s if s < 86_400 => (s / 3600, "h"),
        s => (s / 86_400, "d"),
    };
    if secs >= 0 {
        format!("{n} {unit} ago")
    } else {
        format!("in {n} {unit}")
    }
}

/// Cuts long text to `max` chars with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(max.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let now = Utc::now();
        assert_eq!(relative(now, now), "just now");
        assert_eq!(
            relative(now - chrono::Duration::minutes(3), now),
            "3 min ago"
        );
        assert_eq!(relative(now + chrono::Duration::hours(2), now), "in 2 h");
        assert_eq!(relative(now - chrono::Duration::days(5), now), "5 d ago");
    }

    #[test]
    fn lines_keep_their_newlines_and_show_every_other_control() {
        assert_eq!(
            visible_lines("[high] \u{1b}]0;x\u{7}t\n    \u{9b}2Jbody"),
            "[high] ␛]0;x␇t\n    \\u{9b}2Jbody"
        );
    }

    #[test]
    fn clip_keeps_short_text_and_marks_cuts() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdefghijkl", 5), "abcd…");
    }
}
