//! Server text made safe for a terminal.
//!
//! Titles and bodies come from the server, and a terminal interprets
//! control characters: `ESC ] 52` writes the clipboard, `ESC ] 8` makes
//! links, `ESC ] 0` sets the window title, `ESC [ 2 J` clears the screen.
//! Every text path prints through [`visible`], so none of them reaches
//! the terminal as a control: each is shown instead.
//!
//! - C0 controls (U+0000–U+001F) and DEL (U+007F) become their Unicode
//!   control pictures: ESC prints as `␛`, BEL as `␇`, a newline as `␊`,
//!   a tab as `␉`, DEL as `␡`.
//! - C1 controls (U+0080–U+009F), which have no pictures, become `\u{9b}`
//!   and the like (U+009B is CSI, the one-character `ESC [`).
//! - The explicit bidi controls (U+202A–U+202E, U+2066–U+2069), which a
//!   terminal with bidi support obeys by reordering what follows, become
//!   `\u{202e}` and the like.
//!
//! JSON output is not passed through here: serde escapes controls itself,
//! and scripts get the server's text unchanged.

use std::borrow::Cow;
use std::fmt::Write;

use companion_core::engine::is_bidi_control;

/// `text` with every control character shown as a visible escape. Text
/// without controls is returned as it is. Newlines are escaped too: a
/// caller that lays text out on several lines splits it first
/// (see [`super::line`]).
pub fn visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() || is_bidi_control(c);
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c as u32 {
            code @ 0x00..=0x1F => shown.push(picture(0x2400 + code)),
            0x7F => shown.push('␡'),
            code @ 0x80..=0x9F => {
                let _ = write!(shown, "\\u{{{code:x}}}");
            }
            code if is_bidi_control(c) => {
                let _ = write!(shown, "\\u{{{code:x}}}");
            }
            _ => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

fn picture(code: u32) -> char {
    char::from_u32(code).unwrap_or('�')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "Finding «SQLi» in /login — é ü 漢字 🙂";
        assert!(matches!(visible(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn every_control_is_shown_and_none_is_left() {
        let cases = [
            ("\u{1b}]0;x\u{7}title", "␛]0;x␇title"),
            ("\u{1b}]52;c;aGk=\u{1b}\\", "␛]52;c;aGk=␛\\"),
            (
                "\u{1b}]8;;https://evil.test\u{1b}\\y\u{1b}]8;;\u{1b}\\",
                "␛]8;;https://evil.test␛\\y␛]8;;␛\\",
            ),
            ("\u{1b}[2J\u{1b}[H", "␛[2J␛[H"),
            ("a\nb\r\tc\0", "a␊b␍␉c␀"),
            ("del\u{7f}", "del␡"),
            ("\u{9b}2J", "\\u{9b}2J"),
            ("\u{9d}0;x\u{9c}", "\\u{9d}0;x\\u{9c}"),
            ("\u{80}\u{9f}", "\\u{80}\\u{9f}"),
            ("Invoice \u{202e}fdp.exe", "Invoice \\u{202e}fdp.exe"),
            ("\u{2067}x\u{2069}\u{202a}", "\\u{2067}x\\u{2069}\\u{202a}"),
        ];
        for (raw, shown) in cases {
            assert_eq!(visible(raw), shown, "{raw:?}");
        }
        let every: String = (0u32..=0x9F).filter_map(char::from_u32).collect();
        let shown = visible(&every);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
    }

    #[test]
    fn shown_text_is_shown_the_same_again() {
        let once = visible("\u{1b}[31mred\u{9b}0m").into_owned();
        assert_eq!(visible(&once), once);
    }
}
