//! The same-protocol stream passthrough: upstream bytes go to the caller as they arrive,
//! whole SSE frames at a time and byte for byte (no re-encoding; events no schema knows
//! pass too), while the frames are read for what the gateway needs: the protocol's end
//! event, the last sequence number, and usage for metrics.
//!
//! The caller always sees a well-formed end: when the upstream breaks off (a reset, an end
//! before the protocol's end event, no data within the idle timeout), a half-received frame
//! is dropped and the protocol's error event closes the stream. Gemini's JSON-array stream
//! form (`streamGenerateContent` without `alt=sse`) is passed through as bytes, and closed
//! as a JSON array with an error element where the cut allows.
//!
//! The `on_end` callback runs once: at the end, or when the caller goes away (the stream is
//! dropped, which drops the upstream response and so cancels the upstream request).

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;

use crate::protocol::{ErrorKind, StreamShape, stream_error_event};
use crate::usage::{Tokens, has_usage_value, tokens_in};

/// How a passthrough stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The upstream's own end (or a clean end where the protocol has no end event).
    Complete,
    /// The upstream broke off; the caller got an error event. The reason is for metrics.
    Broken(&'static str),
    /// The caller went away first.
    Cancelled,
}

/// Called once when the stream ends: its usage and outcome.
pub type OnEnd = Box<dyn FnOnce(Tokens, Outcome) + Send>;

type Upstream = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A translator shared with the attempt that created it.
pub type SharedTranslator = std::sync::Arc<std::sync::Mutex<Box<dyn aigw_translate::Translator>>>;

enum Mode {
    Sse(aigw_sse::Decoder),
    JsonArray(ArrayTracker),
    /// Upstream SSE events translated into the caller's protocol, one at a time.
    Translate(aigw_sse::Decoder, SharedTranslator),
}

/// The passthrough body stream.
pub struct Passthrough {
    upstream: Upstream,
    mode: Mode,
    shape: StreamShape,
    idle: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
    done: bool,
    saw_end: bool,
    next_sequence_number: Option<u64>,
    tokens: Tokens,
    /// The upstream's events each carry the running total (Gemini): the first event with
    /// usage is read, and the last, at the end, from `last_usage`; not those between.
    cumulative_usage: bool,
    last_usage: Vec<u8>,
    on_end: Option<OnEnd>,
}

impl Passthrough {
    /// An SSE passthrough in `shape`.
    pub fn sse(upstream: Upstream, shape: StreamShape, idle: Duration, on_end: OnEnd) -> Self {
        Self::new(
            upstream,
            Mode::Sse(aigw_sse::Decoder::new()),
            shape,
            idle,
            on_end,
        )
    }

    /// A stream in another protocol, translated event by event; `cumulative_usage` when
    /// the upstream's events each carry the usage so far (Gemini).
    pub fn translated(
        upstream: Upstream,
        translator: SharedTranslator,
        cumulative_usage: bool,
        idle: Duration,
        on_end: OnEnd,
    ) -> Self {
        let mut s = Self::new(
            upstream,
            Mode::Translate(aigw_sse::Decoder::new(), translator),
            StreamShape::ChatCompletions,
            idle,
            on_end,
        );
        s.cumulative_usage = cumulative_usage;
        s
    }

    /// A passthrough of Gemini's JSON-array stream.
    pub fn json_array(upstream: Upstream, idle: Duration, on_end: OnEnd) -> Self {
        Self::new(
            upstream,
            Mode::JsonArray(ArrayTracker::default()),
            StreamShape::GeminiSse,
            idle,
            on_end,
        )
    }

    fn new(
        upstream: Upstream,
        mode: Mode,
        shape: StreamShape,
        idle: Duration,
        on_end: OnEnd,
    ) -> Self {
        Passthrough {
            upstream,
            mode,
            shape,
            idle,
            sleep: Box::pin(tokio::time::sleep(idle)),
            done: false,
            saw_end: false,
            next_sequence_number: None,
            tokens: Tokens::default(),
            cumulative_usage: shape == StreamShape::GeminiSse,
            last_usage: Vec::new(),
            on_end: Some(on_end),
        }
    }

    fn finish(&mut self, outcome: Outcome) {
        self.done = true;
        if let Some(t) = tokens_in(&self.last_usage) {
            self.tokens.merge(t);
        }
        if let Some(f) = self.on_end.take() {
            f(self.tokens, outcome);
        }
    }

    /// Ends a broken stream: the closing error event (nothing when the cut cannot be
    /// closed well-formed).
    fn break_off(&mut self, reason: &'static str, message: String) -> Option<Bytes> {
        self.finish(Outcome::Broken(reason));
        let kind = if reason == "idle_timeout" {
            ErrorKind::Timeout
        } else {
            ErrorKind::Upstream
        };
        match &mut self.mode {
            Mode::Sse(decoder) => {
                let _ = decoder.take_incomplete();
                Some(stream_error_event(
                    self.shape,
                    kind,
                    &message,
                    self.next_sequence_number,
                ))
            }
            Mode::JsonArray(tracker) => {
                let body = crate::protocol::error_body(
                    crate::protocol::Protocol::Gemini,
                    kind,
                    &message,
                    None,
                );
                tracker.close_with(&body)
            }
            Mode::Translate(decoder, translator) => {
                let _ = decoder.take_incomplete();
                let mut out = Vec::new();
                if let Ok(mut t) = translator.lock() {
                    t.stream_error(&message, &mut out);
                }
                Some(Bytes::from(out))
            }
        }
    }

    /// Reads one complete frame.
    fn inspect(
        shape: StreamShape,
        frame: aigw_sse::Frame<'_>,
        saw_end: &mut bool,
        next_seq: &mut Option<u64>,
        (cumulative, last_usage): (bool, &mut Vec<u8>),
        tokens: &mut Tokens,
    ) {
        let Some(data) = frame.data() else { return };
        let event = frame.event();
        match shape {
            StreamShape::ChatCompletions => {
                if data.trim() == "[DONE]" {
                    *saw_end = true;
                    return;
                }
            }
            StreamShape::Responses => {
                if let Some(n) = sequence_number(&data) {
                    *next_seq = Some(n + 1);
                }
                let kind = event.or_else(|| type_of(&data));
                if matches!(
                    kind,
                    Some(
                        "response.completed" | "response.failed" | "response.incomplete" | "error"
                    )
                ) {
                    *saw_end = true;
                }
            }
            StreamShape::Messages => {
                let kind = event.or_else(|| type_of(&data));
                if matches!(kind, Some("message_stop" | "error")) {
                    *saw_end = true;
                }
            }
            StreamShape::GeminiSse => {}
        }
        count_usage(data.as_bytes(), cumulative, last_usage, tokens);
    }
}

/// Counts an event's usage: read now, or, when each event carries the running total, the
/// first read now and the last kept (in a reused buffer) to be read once at the end; the
/// counts are the larger of each, so a field given only at the start or the end counts.
fn count_usage(data: &[u8], cumulative: bool, last_usage: &mut Vec<u8>, tokens: &mut Tokens) {
    if cumulative && *tokens != Tokens::default() {
        if has_usage_value(data) {
            last_usage.clear();
            last_usage.extend_from_slice(data);
        }
    } else if let Some(t) = tokens_in(data) {
        tokens.merge(t);
    }
}

/// The `"type"` of a stream event's data, found without parsing the event.
fn type_of(data: &str) -> Option<&str> {
    let i = data.find("\"type\"")?;
    let rest = data[i + 6..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

/// The `"sequence_number"` of a Responses stream event.
fn sequence_number(data: &str) -> Option<u64> {
    let i = data.rfind("\"sequence_number\"")?;
    let rest = data[i + 17..].trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

impl Stream for Passthrough {
    type Item = Result<Bytes, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match this.upstream.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    let deadline = tokio::time::Instant::now() + this.idle;
                    this.sleep.as_mut().reset(deadline);
                    let out = match &mut this.mode {
                        Mode::Sse(decoder) => {
                            decoder.push(&chunk);
                            while let Some(frame) = decoder.next_frame() {
                                Self::inspect(
                                    this.shape,
                                    frame,
                                    &mut this.saw_end,
                                    &mut this.next_sequence_number,
                                    (this.cumulative_usage, &mut this.last_usage),
                                    &mut this.tokens,
                                );
                            }
                            decoder.take_ready()
                        }
                        Mode::JsonArray(tracker) => {
                            tracker.feed(&chunk);
                            chunk
                        }
                        Mode::Translate(decoder, translator) => {
                            decoder.push(&chunk);
                            let mut out =
                                Vec::with_capacity(aigw_translate::out_capacity(chunk.len()));
                            let mut failed = None;
                            if let Ok(mut t) = translator.lock() {
                                while let Some(frame) = decoder.next_frame() {
                                    let Some(data) = frame.data() else { continue };
                                    count_usage(
                                        data.as_bytes(),
                                        this.cumulative_usage,
                                        &mut this.last_usage,
                                        &mut this.tokens,
                                    );
                                    if let Err(e) = t.stream_event(frame.event(), &data, &mut out) {
                                        failed = Some(e.to_string());
                                        break;
                                    }
                                }
                                this.saw_end = t.stream_complete();
                            }
                            let _ = decoder.take_ready();
                            if let Some(message) = failed {
                                let mut tail = this
                                    .break_off("untranslatable", message)
                                    .map(|b| b.to_vec())
                                    .unwrap_or_default();
                                out.append(&mut tail);
                                return Poll::Ready(Some(Ok(Bytes::from(out))));
                            }
                            if this.saw_end {
                                this.finish(Outcome::Complete);
                                return Poll::Ready(Some(Ok(Bytes::from(out))));
                            }
                            Bytes::from(out)
                        }
                    };
                    if !out.is_empty() {
                        return Poll::Ready(Some(Ok(out)));
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    let message = format!("the upstream stream broke off: {e}");
                    return Poll::Ready(this.break_off("reset", message).map(Ok));
                }
                Poll::Ready(None) => {
                    let clean = match &this.mode {
                        Mode::Sse(decoder) => {
                            !decoder.has_incomplete()
                                && (this.saw_end || this.shape == StreamShape::GeminiSse)
                        }
                        Mode::JsonArray(tracker) => tracker.is_closed(),
                        Mode::Translate(decoder, translator) => {
                            // A stream cut inside an event did not end well: it is not
                            // finished (which would write the caller's end and close the
                            // translator) but broken off below, with the caller's error.
                            let whole = !decoder.has_incomplete();
                            let mut tail = Vec::new();
                            let ended = whole
                                && translator
                                    .lock()
                                    .map(|mut t| t.stream_finish(&mut tail))
                                    .unwrap_or(false);
                            if ended {
                                this.finish(Outcome::Complete);
                                return Poll::Ready(
                                    (!tail.is_empty()).then(|| Ok(Bytes::from(tail))),
                                );
                            }
                            false
                        }
                    };
                    if clean {
                        this.finish(Outcome::Complete);
                        return Poll::Ready(None);
                    }
                    let message = "the upstream ended the stream before its end event".to_owned();
                    return Poll::Ready(this.break_off("truncated", message).map(Ok));
                }
                Poll::Pending => {
                    if this.sleep.as_mut().poll(cx).is_ready() {
                        let message =
                            format!("no data from the upstream for {} ms", this.idle.as_millis());
                        return Poll::Ready(this.break_off("idle_timeout", message).map(Ok));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

impl Drop for Passthrough {
    fn drop(&mut self) {
        if !self.done {
            self.finish(Outcome::Cancelled);
        }
    }
}

/// Tracks where a streamed JSON array is (depth outside strings), so a cut can be closed.
#[derive(Debug, Default)]
struct ArrayTracker {
    depth: u32,
    in_string: bool,
    escaped: bool,
    started: bool,
    elements: bool,
    closed: bool,
}

impl ArrayTracker {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'[' | b'{' => {
                    if self.depth == 0 {
                        self.started = true;
                    } else if self.depth == 1 {
                        self.elements = true;
                    }
                    self.depth += 1;
                }
                b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 && self.started {
                        self.closed = true;
                    }
                }
                _ => {}
            }
        }
    }

    fn is_closed(&self) -> bool {
        self.closed
    }

    /// The bytes that close the array with `error` as its last element, where possible.
    fn close_with(&self, error: &[u8]) -> Option<Bytes> {
        let mut out = Vec::with_capacity(error.len() + 4);
        match (self.started, self.depth, self.closed) {
            (_, _, true) => return None,
            (false, _, _) => out.push(b'['),
            (true, 1, _) => {
                if self.elements {
                    out.push(b',');
                }
            }
            // Inside an element: no well-formed close exists.
            _ => return None,
        }
        out.extend_from_slice(error);
        out.push(b']');
        Some(Bytes::from(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_types_and_sequence_numbers() {
        assert_eq!(type_of(r#"{"type": "message_stop"}"#), Some("message_stop"));
        assert_eq!(type_of(r#"{"x":1}"#), None);
        assert_eq!(
            sequence_number(r#"{"type":"response.output_text.delta","sequence_number": 41}"#),
            Some(41)
        );
    }

    #[test]
    fn array_tracker_closes_where_it_can() {
        let mut t = ArrayTracker::default();
        t.feed(br#"[{"a": "x]}\"" }"#);
        assert_eq!(
            t.close_with(b"{\"error\":1}").as_deref(),
            Some(&b",{\"error\":1}]"[..])
        );
        t.feed(br#", {"b": [1,"#);
        assert_eq!(t.close_with(b"{}"), None);
        let fresh = ArrayTracker::default();
        assert_eq!(fresh.close_with(b"{}").as_deref(), Some(&b"[{}]"[..]));
        let mut whole = ArrayTracker::default();
        whole.feed(b"[{}]");
        assert!(whole.is_closed());
    }
}
