//! Conformance cases taken from the WHATWG "server-sent events" parsing rules.

use super::*;

fn parse_chunks(chunks: &[&[u8]]) -> Vec<SseItem> {
    let mut parser = Parser::new(1024);
    let mut out = Vec::new();
    for chunk in chunks {
        parser.feed(&Bytes::copy_from_slice(chunk), &mut out);
    }
    out
}

fn parse(text: &str) -> Vec<SseItem> {
    parse_chunks(&[text.as_bytes()])
}

fn msg(event: &str, data: &str, id: &str) -> SseItem {
    SseItem::Message(SseMessage {
        event: event.into(),
        data: data.into(),
        id: id.into(),
    })
}

#[test]
fn data_line_then_blank_line_dispatches_a_message() {
    assert_eq!(parse("data: hello\n\n"), vec![msg("message", "hello", "")]);
}

#[test]
fn lf_cr_and_crlf_all_end_lines() {
    let expected = vec![
        msg("message", "a", ""),
        msg("message", "b", ""),
        msg("message", "c", ""),
    ];
    assert_eq!(parse("data: a\n\ndata: b\r\rdata: c\r\n\r\n"), expected);
}

#[test]
fn crlf_split_across_chunks_is_one_line_end() {
    let out = parse_chunks(&[b"data: a\r", b"\n\r", b"\n"]);
    assert_eq!(out, vec![msg("message", "a", "")]);
}

#[test]
fn every_split_point_gives_the_same_items() {
    let text = "\u{feff}: hi\r\nevent: x\rdata: 1\ndata:2\r\nid: 7\n\nretry: 30\n\ndata: é\n\n";
    let whole = parse(text);
    let bytes = text.as_bytes();
    for cut in 0..=bytes.len() {
        assert_eq!(
            parse_chunks(&[&bytes[..cut], &bytes[cut..]]),
            whole,
            "cut at {cut}"
        );
    }
    let byte_by_byte: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(parse_chunks(&byte_by_byte), whole);
}

#[test]
fn leading_bom_is_stripped_once() {
    let bom = "\u{feff}";
    assert_eq!(
        parse(&format!("{bom}data: x\n\n")),
        vec![msg("message", "x", "")]
    );
    // A second BOM is part of the field name, which is then unknown.
    assert_eq!(parse(&format!("{bom}{bom}data: x\n\n")), vec![]);
    assert_eq!(
        parse_chunks(&[&bom.as_bytes()[..1], &bom.as_bytes()[1..], b"data: y\n\n"]),
        vec![msg("message", "y", "")]
    );
}

#[test]
fn comments_are_reported_and_do_not_dispatch() {
    assert_eq!(
        parse(": heartbeat\n\n"),
        vec![SseItem::Comment("heartbeat".into())]
    );
    assert_eq!(parse(":\n"), vec![SseItem::Comment(String::new())]);
}

#[test]
fn only_one_leading_space_after_the_colon_is_removed() {
    assert_eq!(parse("data:  two\n\n"), vec![msg("message", " two", "")]);
    assert_eq!(parse("data:none\n\n"), vec![msg("message", "none", "")]);
}

#[test]
fn multi_line_data_is_joined_with_lf() {
    assert_eq!(
        parse("data: a\ndata: b\ndata\n\n"),
        vec![msg("message", "a\nb\n", "")]
    );
}

#[test]
fn field_without_colon_has_empty_value() {
    assert_eq!(parse("data\n\n"), vec![msg("message", "", "")]);
}

#[test]
fn data_without_a_final_blank_line_is_discarded() {
    assert_eq!(
        parse("data: complete\n\ndata: incomplete\n"),
        vec![msg("message", "complete", "")]
    );
    assert_eq!(parse("data: no newline at all"), vec![]);
}

#[test]
fn blank_line_without_data_resets_the_event_name() {
    assert_eq!(
        parse("event: x\n\ndata: d\n\n"),
        vec![msg("message", "d", "")]
    );
}

#[test]
fn event_name_applies_to_one_message() {
    let out = parse("event: ping\ndata: {}\n\ndata: 2\n\n");
    assert_eq!(out, vec![msg("ping", "{}", ""), msg("message", "2", "")]);
}

#[test]
fn id_persists_until_changed_and_empty_id_resets_it() {
    let out = parse("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
    assert_eq!(
        out,
        vec![
            msg("message", "a", "1"),
            msg("message", "b", "1"),
            msg("message", "c", "")
        ]
    );
}

#[test]
fn id_containing_null_is_ignored() {
    let out = parse("id: 5\n\nid: a\0b\ndata: x\n\n");
    assert_eq!(out, vec![msg("message", "x", "5")]);
}

#[test]
fn retry_with_only_digits_is_reported_and_anything_else_ignored() {
    assert_eq!(parse("retry: 1500\n"), vec![SseItem::Retry(1500)]);
    assert_eq!(
        parse("retry: 15s\nretry: -1\nretry: \nretry: 1.5\n"),
        vec![]
    );
}

#[test]
fn unknown_fields_are_ignored() {
    assert_eq!(
        parse("foo: bar\ndata: x\nDATA: y\n\n"),
        vec![msg("message", "x", "")]
    );
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    // Kept as bytes, decoded when read.
    let out = parse_chunks(&[b"event: \xfex\ndata: a\xffb\nid: \xff\n\n"]);
    let [SseItem::Message(message)] = &out[..] else {
        panic!("one message: {out:?}")
    };
    assert_eq!(message.event.text(), "\u{fffd}x");
    assert_eq!(message.data.text(), "a\u{fffd}b");
    assert_eq!(message.id, "\u{fffd}");
}

#[test]
fn oversized_data_is_discarded_and_the_next_event_survives() {
    let big = "x".repeat(600);
    let text = format!("data: {big}\ndata: {big}\n\ndata: small\n\n");
    let out = parse(&text);
    assert!(
        matches!(out[0], SseItem::Oversized { bytes } if bytes >= 1024),
        "{:?}",
        out[0]
    );
    assert_eq!(out[1], msg("message", "small", ""));
    assert_eq!(out.len(), 2);
}

#[test]
fn a_huge_line_is_never_buffered_whole() {
    let mut parser = Parser::new(1024);
    let mut out = Vec::new();
    parser.feed(&Bytes::from_static(b"data: "), &mut out);
    for _ in 0..5 * 1024 {
        parser.feed(&Bytes::from_static(&[b'y'; 1024]), &mut out);
        assert!(
            parser.line.capacity() <= 4 * 1024,
            "line buffer grew to {}",
            parser.line.capacity()
        );
    }
    parser.feed(&Bytes::from_static(b"\n\ndata: after\n\n"), &mut out);
    assert!(matches!(out[0], SseItem::Oversized { bytes } if bytes > 5 * 1024 * 1024));
    assert_eq!(out[1], msg("message", "after", ""));
}

#[test]
fn a_one_line_frame_shares_its_chunk_and_a_cut_one_is_whole() {
    // The stream's first line goes through the buffer (the BOM check).
    let chunk = Bytes::from_static(b": hi\ndata: {\"a\":1}\n\ndata: cut");
    let mut parser = Parser::new(1024);
    let mut out = Vec::new();
    parser.feed(&chunk, &mut out);
    let [SseItem::Comment(_), SseItem::Message(message)] = &out[..] else {
        panic!("one message: {out:?}")
    };
    let data = message.data.as_bytes().as_ptr_range();
    let whole = chunk.as_ptr_range();
    assert!(
        whole.start <= data.start && data.end <= whole.end,
        "the data is a slice of the chunk"
    );
    out.clear();
    parser.feed(&Bytes::from_static(b" here\ndata: and more\n"), &mut out);
    parser.feed(&Bytes::from_static(b"\n"), &mut out);
    assert_eq!(out, vec![msg("message", "cut here\nand more", "")]);
}
