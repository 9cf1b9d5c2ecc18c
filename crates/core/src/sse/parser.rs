//! A byte-fed, synchronous parser for `text/event-stream`, following the
//! WHATWG HTML "server-sent events" interpretation rules.
//!
//! It never touches a socket: the supervisor feeds it whatever chunks the
//! network produced and gets back [`SseItem`]s. Unlike most SSE crates it
//! reports comments, because PMAP's heartbeats are comments and the idle
//! watchdog must count them. It also enforces a frame size cap so a hostile
//! or broken server cannot make the client buffer without bound.

use bytes::Bytes;

use crate::event::FrameText;

const BOM: &[u8] = "\u{feff}".as_bytes();
/// A line buffer grown past this by a big frame is freed, not kept.
const KEPT_LINE_CAPACITY: usize = 64 * 1024;
/// The event name when the stream gives none.
const MESSAGE: FrameText = FrameText::from_static("message");

/// One thing the stream said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SseItem {
    /// A dispatched event (WHATWG "message" by default).
    Message(SseMessage),
    /// A comment line (`: heartbeat`), without the colon and one leading space.
    Comment(String),
    /// A valid `retry:` field, in milliseconds.
    Retry(u64),
    /// An event whose data (or a single line) exceeded the frame cap; it was
    /// discarded. `bytes` is how much had been seen when it was cut.
    Oversized { bytes: usize },
}

/// A dispatched event: name, data (lines joined by `\n`) and the last event
/// id. Name and data are the stream's bytes, decoded as UTF-8 when read
/// ([`FrameText::text`]); a one-line `data:` that lay whole in a network
/// chunk is a slice of that chunk, not a copy.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SseMessage {
    pub event: FrameText,
    pub data: FrameText,
    pub id: String,
}

/// The data lines of the event being read.
#[derive(Debug, Default)]
enum Data {
    /// No `data:` line yet (WHATWG's empty data buffer: nothing to dispatch).
    #[default]
    None,
    /// One line's value, shared with the chunk it lay in.
    Line(Bytes),
    /// Several lines' values joined by LF (or one cut by a chunk boundary).
    Joined(Vec<u8>),
}

impl Data {
    /// What WHATWG's data buffer would hold: each value and its LF.
    fn buffered(&self) -> usize {
        match self {
            Data::None => 0,
            Data::Line(line) => line.len() + 1,
            Data::Joined(lines) => lines.len() + 1,
        }
    }
}

/// Incremental parser state. Feed bytes with [`Parser::feed`].
///
/// It reads bytes, not text: field names and line ends are ASCII, which
/// UTF-8 never uses inside a multi-byte sequence, so splitting before
/// decoding gives what decoding first would; the values are decoded (with
/// U+FFFD for bad bytes) when read.
#[derive(Debug)]
pub struct Parser {
    max_frame: usize,
    line: Vec<u8>,
    bom_checked: bool,
    after_cr: bool,
    skipping_line: bool,
    data: Data,
    event: Option<Bytes>,
    last_id: String,
    oversized: Option<usize>,
}

impl Parser {
    /// A parser that discards any event whose data exceeds `max_frame` bytes.
    pub fn new(max_frame: usize) -> Self {
        Parser {
            max_frame,
            line: Vec::new(),
            bom_checked: false,
            after_cr: false,
            skipping_line: false,
            data: Data::None,
            event: None,
            last_id: String::new(),
            oversized: None,
        }
    }

    /// The last event id seen so far (what a reconnect would send).
    pub fn last_event_id(&self) -> &str {
        &self.last_id
    }

    /// Feeds one chunk and appends whatever it completed to `out`.
    pub fn feed(&mut self, chunk: &Bytes, out: &mut Vec<SseItem>) {
        let mut rest: &[u8] = chunk;
        while !rest.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if rest[0] == b'\n' {
                    rest = &rest[1..];
                    continue;
                }
            }
            match memchr::memchr2(b'\n', b'\r', rest) {
                // A whole line inside this chunk is read where it lies;
                // only a line cut by a chunk boundary is copied.
                Some(end) if self.line.is_empty() && self.reads_in_place(end) => {
                    self.after_cr = rest[end] == b'\r';
                    self.read_line(&rest[..end], Some(chunk), out);
                    rest = &rest[end + 1..];
                }
                Some(end) => {
                    self.push_line_bytes(&rest[..end]);
                    self.after_cr = rest[end] == b'\r';
                    self.end_line(out);
                    rest = &rest[end + 1..];
                }
                None => {
                    self.push_line_bytes(rest);
                    rest = &[];
                }
            }
        }
    }

    /// Line-length guard: a line longer than the cap (plus room for a field
    /// name) is dropped as it arrives rather than buffered.
    fn push_line_bytes(&mut self, bytes: &[u8]) {
        if self.skipping_line {
            self.note_oversized(bytes.len());
            return;
        }
        self.line.extend_from_slice(bytes);
        if !self.bom_checked && self.line.len() >= BOM.len() {
            self.strip_bom();
        }
        if self.line.len() > self.max_frame.saturating_add(64) {
            let seen = self.line.len();
            self.line = Vec::new();
            self.skipping_line = true;
            self.data = Data::None;
            self.note_oversized(seen);
        }
    }

    fn strip_bom(&mut self) {
        self.bom_checked = true;
        if self.line.starts_with(BOM) {
            self.line.drain(..BOM.len());
        }
    }

    fn note_oversized(&mut self, bytes: usize) {
        let seen = self.oversized.unwrap_or(self.data.buffered());
        self.oversized = Some(seen.saturating_add(bytes));
    }

    fn end_line(&mut self, out: &mut Vec<SseItem>) {
        if !self.bom_checked {
            self.strip_bom();
        }
        if self.skipping_line {
            self.skipping_line = false;
            return;
        }
        // Taken and given back, so the line buffer is allocated once per
        // stream rather than once per line (unless a big frame grew it).
        let mut raw = std::mem::take(&mut self.line);
        self.read_line(&raw, None, out);
        if raw.capacity() <= KEPT_LINE_CAPACITY {
            raw.clear();
            self.line = raw;
        }
    }

    /// Whether a line of `len` bytes that is whole in the chunk can be read
    /// without the buffer: past the BOM check, not skipping, not too long.
    fn reads_in_place(&self, len: usize) -> bool {
        self.bom_checked && !self.skipping_line && len <= self.max_frame.saturating_add(64)
    }

    /// Interprets one complete line (without its line end). `chunk` is the
    /// network chunk `line` lies in, when it was read in place.
    fn read_line(&mut self, line: &[u8], chunk: Option<&Bytes>, out: &mut Vec<SseItem>) {
        if line.is_empty() {
            self.dispatch(out);
        } else if let Some(comment) = line.strip_prefix(b":") {
            let text = comment.strip_prefix(b" ").unwrap_or(comment);
            out.push(SseItem::Comment(String::from_utf8_lossy(text).into_owned()));
        } else {
            let (field, value) = match memchr::memchr(b':', line) {
                Some(i) => {
                    let value = &line[i + 1..];
                    (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
                }
                None => (line, &[][..]),
            };
            // Shared with the chunk when read in place, else copied.
            let keep = |value: &[u8]| match chunk {
                Some(chunk) => chunk.slice_ref(value),
                None => Bytes::copy_from_slice(value),
            };
            match field {
                b"event" => self.event = Some(keep(value)),
                b"data" => self.append_data(value, keep),
                b"id" if !value.contains(&0) => {
                    self.last_id.clear();
                    self.last_id.push_str(&String::from_utf8_lossy(value));
                }
                b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                    // Absurdly long digit strings saturate instead of failing.
                    let ms = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok());
                    out.push(SseItem::Retry(ms.unwrap_or(u64::MAX)));
                }
                _ => {}
            }
        }
    }

    fn append_data(&mut self, value: &[u8], keep: impl FnOnce(&[u8]) -> Bytes) {
        if self.oversized.is_some() {
            self.note_oversized(value.len() + 1);
            return;
        }
        if self.data.buffered() + value.len() + 1 > self.max_frame {
            self.note_oversized(value.len() + 1);
            self.data = Data::None;
            return;
        }
        self.data = match std::mem::take(&mut self.data) {
            Data::None => Data::Line(keep(value)),
            Data::Line(first) => {
                let mut lines = Vec::with_capacity(first.len() + 1 + value.len());
                lines.extend_from_slice(&first);
                lines.push(b'\n');
                lines.extend_from_slice(value);
                Data::Joined(lines)
            }
            Data::Joined(mut lines) => {
                lines.push(b'\n');
                lines.extend_from_slice(value);
                Data::Joined(lines)
            }
        };
    }

    fn dispatch(&mut self, out: &mut Vec<SseItem>) {
        let event = self.event.take().filter(|name| !name.is_empty());
        let data = std::mem::take(&mut self.data);
        if let Some(bytes) = self.oversized.take() {
            out.push(SseItem::Oversized { bytes });
            return;
        }
        let data = match data {
            Data::None => return,
            Data::Line(line) => line,
            Data::Joined(lines) => Bytes::from(lines),
        };
        out.push(SseItem::Message(SseMessage {
            event: event.map_or(MESSAGE, FrameText::from),
            data: FrameText::from(data),
            id: self.last_id.clone(),
        }));
    }
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
