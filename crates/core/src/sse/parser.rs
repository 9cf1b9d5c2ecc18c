//! A byte-fed, synchronous parser for `text/event-stream`, following the
//! WHATWG HTML "server-sent events" interpretation rules.
//!
//! It never touches a socket: the supervisor feeds it whatever chunks the
//! network produced and gets back [`SseItem`]s. Unlike most SSE crates it
//! reports comments, because PMAP's heartbeats are comments and the idle
//! watchdog must count them. It also enforces a frame size cap so a hostile
//! or broken server cannot make the client buffer without bound.

const BOM: &[u8] = "\u{feff}".as_bytes();
/// A line buffer grown past this by a big frame is freed, not kept.
const KEPT_LINE_CAPACITY: usize = 64 * 1024;

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

/// A dispatched event: name, data (lines joined by `\n`) and the last event id.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SseMessage {
    pub event: String,
    pub data: String,
    pub id: String,
}

/// Incremental parser state. Feed bytes with [`Parser::feed`].
#[derive(Debug)]
pub struct Parser {
    max_frame: usize,
    line: Vec<u8>,
    bom_checked: bool,
    after_cr: bool,
    skipping_line: bool,
    data: String,
    event: String,
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
            data: String::new(),
            event: String::new(),
            last_id: String::new(),
            oversized: None,
        }
    }

    /// The last event id seen so far (what a reconnect would send).
    pub fn last_event_id(&self) -> &str {
        &self.last_id
    }

    /// Feeds one chunk and appends whatever it completed to `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<SseItem>) {
        while !chunk.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if chunk[0] == b'\n' {
                    chunk = &chunk[1..];
                    continue;
                }
            }
            match memchr::memchr2(b'\n', b'\r', chunk) {
                // A whole line inside this chunk is read where it lies;
                // only a line cut by a chunk boundary is copied.
                Some(end) if self.line.is_empty() && self.reads_in_place(end) => {
                    self.after_cr = chunk[end] == b'\r';
                    self.read_line(&chunk[..end], out);
                    chunk = &chunk[end + 1..];
                }
                Some(end) => {
                    self.push_line_bytes(&chunk[..end]);
                    self.after_cr = chunk[end] == b'\r';
                    self.end_line(out);
                    chunk = &chunk[end + 1..];
                }
                None => {
                    self.push_line_bytes(chunk);
                    chunk = &[];
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
            self.data = String::new();
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
        let seen = self.oversized.unwrap_or(self.data.len());
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
        self.read_line(&raw, out);
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

    /// Interprets one complete line (without its line end).
    fn read_line(&mut self, raw: &[u8], out: &mut Vec<SseItem>) {
        // Checking is much faster than `from_utf8_lossy` on valid text.
        let line = match std::str::from_utf8(raw) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(raw),
        };
        if line.is_empty() {
            self.dispatch(out);
        } else if let Some(comment) = line.strip_prefix(':') {
            let text = comment.strip_prefix(' ').unwrap_or(comment);
            out.push(SseItem::Comment(text.to_owned()));
        } else {
            let (field, value) = match line.find(':') {
                Some(i) => {
                    let value = &line[i + 1..];
                    (&line[..i], value.strip_prefix(' ').unwrap_or(value))
                }
                None => (&line[..], ""),
            };
            self.field(field, value, out);
        }
    }

    fn field(&mut self, field: &str, value: &str, out: &mut Vec<SseItem>) {
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => self.append_data(value),
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_id),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Absurdly long digit strings saturate instead of failing.
                out.push(SseItem::Retry(value.parse().unwrap_or(u64::MAX)));
            }
            _ => {}
        }
    }

    fn append_data(&mut self, value: &str) {
        if self.oversized.is_some() {
            self.note_oversized(value.len() + 1);
            return;
        }
        if self.data.len() + value.len() + 1 > self.max_frame {
            self.note_oversized(value.len() + 1);
            self.data = String::new();
            return;
        }
        // Room for the value and its LF at once: one allocation per message.
        self.data.reserve(value.len() + 1);
        self.data.push_str(value);
        self.data.push('\n');
    }

    fn dispatch(&mut self, out: &mut Vec<SseItem>) {
        let event = std::mem::take(&mut self.event);
        if let Some(bytes) = self.oversized.take() {
            self.data.clear();
            out.push(SseItem::Oversized { bytes });
            return;
        }
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the trailing LF
        out.push(SseItem::Message(SseMessage {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
        }));
    }
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
