//! Server-sent events over bytes, no I/O.
//!
//! [`Decoder`] splits a byte stream, fed in chunks of any size, into SSE frames (the lines
//! up to and including a blank line) and keeps each frame's exact bytes, so a passthrough
//! can inspect an event and forward it unchanged: line endings (`\n`, `\r\n`, `\r`),
//! comments, unknown fields and blank keep-alive lines all survive. Frames are handed out
//! as borrowed [`Frame`] views; [`Decoder::take_ready`] then returns every frame handed out
//! so far as one [`Bytes`], without copying, for one write downstream.
//!
//! [`encode`] writes an event (`event:` and `data:` lines, multi-line data split per line).
//!
//! ```
//! let mut d = aigw_sse::Decoder::new();
//! d.push(b"event: ping\ndata: {}\n\ndata: hel");
//! let f = d.next_frame().unwrap();
//! assert_eq!(f.event(), Some("ping"));
//! assert_eq!(f.data().as_deref(), Some("{}"));
//! assert!(d.next_frame().is_none()); // the second frame is not complete yet
//! assert_eq!(&d.take_ready()[..], b"event: ping\ndata: {}\n\n");
//! ```

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};

/// Incremental SSE frame decoder.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: BytesMut,
    /// End of the frames already handed out by `next_frame` (not yet taken).
    ready: usize,
    /// Start of the line being scanned, inside the frame after `ready`.
    line_start: usize,
    /// Where scanning for the next line terminator resumes.
    scan: usize,
}

impl Decoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends bytes from the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete frame, if the bytes pushed so far hold one.
    pub fn next_frame(&mut self) -> Option<Frame<'_>> {
        let start = self.ready;
        let end = self.find_frame_end()?;
        self.ready = end;
        self.line_start = end;
        self.scan = end;
        Some(Frame {
            raw: &self.buf[start..end],
        })
    }

    /// Every frame handed out by [`next_frame`](Self::next_frame) since the last call, as
    /// one buffer (empty when none).
    pub fn take_ready(&mut self) -> Bytes {
        let n = self.ready;
        self.ready = 0;
        self.line_start -= n;
        self.scan -= n;
        self.buf.split_to(n).freeze()
    }

    /// Bytes after the last complete frame: a frame cut off by the end of the stream.
    /// Only meaningful once the stream has ended; clears the decoder.
    pub fn take_incomplete(&mut self) -> Bytes {
        let _ = self.take_ready();
        self.line_start = 0;
        self.scan = 0;
        self.buf.split().freeze()
    }

    /// Whether bytes of an incomplete frame are buffered.
    pub fn has_incomplete(&self) -> bool {
        self.buf.len() > self.ready
    }

    /// Finds the end (exclusive) of the frame starting at `self.ready`: the end of the
    /// first blank line. Remembers how far it got.
    fn find_frame_end(&mut self) -> Option<usize> {
        let buf = &self.buf[..];
        loop {
            let rel = memchr::memchr2(b'\n', b'\r', &buf[self.scan..])?;
            let i = self.scan + rel;
            let term = if buf[i] == b'\r' {
                match buf.get(i + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    // `\r` last: a `\n` may follow in the next chunk.
                    None => return None,
                }
            } else {
                1
            };
            let blank = i == self.line_start;
            self.line_start = i + term;
            self.scan = i + term;
            if blank {
                return Some(i + term);
            }
        }
    }
}

/// One frame: its lines up to and including the blank line that ends it.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    raw: &'a [u8],
}

impl<'a> Frame<'a> {
    /// A frame over `raw` (the exact bytes of one frame).
    pub fn new(raw: &'a [u8]) -> Self {
        Self { raw }
    }

    /// The frame's exact bytes.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The frame's fields in order, as `(name, value)`; comments are skipped.
    pub fn fields(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + 'a {
        lines(self.raw).filter_map(|line| {
            if line.is_empty() || line[0] == b':' {
                return None;
            }
            Some(match memchr::memchr(b':', line) {
                Some(c) => {
                    let value = &line[c + 1..];
                    (&line[..c], value.strip_prefix(b" ").unwrap_or(value))
                }
                None => (line, &line[line.len()..]),
            })
        })
    }

    /// The `event:` field (the last one, as the SSE rules say), if valid UTF-8.
    pub fn event(&self) -> Option<&'a str> {
        self.fields()
            .filter(|(name, _)| *name == b"event")
            .last()
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    }

    /// The data: every `data:` line joined by `\n`; `None` when the frame has none.
    /// Borrowed when there is one line.
    pub fn data(&self) -> Option<Cow<'a, str>> {
        let mut out: Option<Cow<'a, str>> = None;
        for (name, value) in self.fields() {
            if name != b"data" {
                continue;
            }
            let value = String::from_utf8_lossy(value);
            out = Some(match out {
                None => value,
                Some(prev) => {
                    let mut s = prev.into_owned();
                    s.push('\n');
                    s.push_str(&value);
                    Cow::Owned(s)
                }
            });
        }
        out
    }

    /// Whether the frame dispatches no event (only comments and blank lines).
    pub fn is_empty(&self) -> bool {
        self.fields().next().is_none()
    }
}

/// The lines of `raw` without their terminators (`\n`, `\r\n` or `\r`).
fn lines(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) => {
                let line = &rest[..i];
                let term = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                rest = &rest[i + term..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = &rest[rest.len()..];
                Some(line)
            }
        }
    })
}

/// Appends one event to `out`: an `event:` line when `event` is given, one `data:` line per
/// line of `data`, then the blank line.
pub fn encode(event: Option<&str>, data: &str, out: &mut Vec<u8>) {
    if let Some(event) = event {
        out.extend_from_slice(b"event: ");
        out.extend_from_slice(event.as_bytes());
        out.push(b'\n');
    }
    for line in data.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
}

/// [`encode`] into a new buffer.
pub fn encode_to_bytes(event: Option<&str>, data: &str) -> Bytes {
    let mut out = Vec::with_capacity(data.len() + event.map_or(0, str::len) + 16);
    encode(event, data, &mut out);
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames_of(chunks: &[&[u8]]) -> (Vec<Vec<u8>>, Vec<u8>) {
        let mut d = Decoder::new();
        let mut frames = Vec::new();
        let mut forwarded = Vec::new();
        for c in chunks {
            d.push(c);
            while let Some(f) = d.next_frame() {
                frames.push(f.raw().to_vec());
            }
            forwarded.extend_from_slice(&d.take_ready());
        }
        forwarded.extend_from_slice(&d.take_incomplete());
        (frames, forwarded)
    }

    #[test]
    fn frames_split_anywhere_come_out_whole_and_byte_exact() {
        let stream: &[u8] =
            b"event: a\ndata: 1\n\n: comment\r\ndata: 2\r\n\r\nid: 3\rdata: x\r\rdata: tail";
        for cut in 0..stream.len() {
            for cut2 in cut..stream.len() {
                let (frames, forwarded) =
                    frames_of(&[&stream[..cut], &stream[cut..cut2], &stream[cut2..]]);
                assert_eq!(forwarded, stream, "cuts {cut} {cut2}");
                assert_eq!(
                    frames,
                    vec![
                        b"event: a\ndata: 1\n\n".to_vec(),
                        b": comment\r\ndata: 2\r\n\r\n".to_vec(),
                        b"id: 3\rdata: x\r\r".to_vec(),
                    ],
                    "cuts {cut} {cut2}"
                );
            }
        }
    }

    #[test]
    fn a_cr_at_the_end_of_a_chunk_waits_for_a_possible_lf() {
        let (frames, _) = frames_of(&[b"data: 1\r\n\r", b"\ndata: 2\n\n"]);
        assert_eq!(
            frames,
            vec![b"data: 1\r\n\r\n".to_vec(), b"data: 2\n\n".to_vec()]
        );
    }

    #[test]
    fn fields_event_and_data() {
        let f = Frame::new(b"event: x\nevent:y\ndata: a\ndata:b\ndata\nretry: 5\n: c\n\n");
        assert_eq!(f.event(), Some("y"));
        assert_eq!(f.data().as_deref(), Some("a\nb\n"));
        assert!(!f.is_empty());
        let only_comment = Frame::new(b": keep-alive\n\n");
        assert!(only_comment.is_empty());
        assert_eq!(only_comment.data(), None);
        let blank = Frame::new(b"\n");
        assert!(blank.is_empty());
        assert!(matches!(
            Frame::new(b"data: one\n\n").data(),
            Some(Cow::Borrowed("one"))
        ));
    }

    #[test]
    fn leading_blank_lines_are_frames_of_their_own() {
        let (frames, forwarded) = frames_of(&[b"\n\ndata: 1\n\n"]);
        assert_eq!(forwarded, b"\n\ndata: 1\n\n");
        assert_eq!(frames.len(), 3);
    }

    #[test]
    fn encode_splits_lines() {
        assert_eq!(
            &encode_to_bytes(Some("error"), "a\nb\r\nc")[..],
            b"event: error\ndata: a\ndata: b\ndata: c\n\n"
        );
        let mut d = Decoder::new();
        d.push(&encode_to_bytes(None, "{\"x\":1}\nsecond"));
        let f = d.next_frame().expect("frame");
        assert_eq!(f.data().as_deref(), Some("{\"x\":1}\nsecond"));
    }

    #[test]
    fn incomplete_tail_is_reported() {
        let mut d = Decoder::new();
        d.push(b"data: 1\n\ndata: 2\n");
        assert!(d.next_frame().is_some());
        assert!(d.next_frame().is_none());
        assert!(d.has_incomplete());
        assert_eq!(&d.take_ready()[..], b"data: 1\n\n");
        assert_eq!(&d.take_incomplete()[..], b"data: 2\n");
        assert!(!d.has_incomplete());
    }
}
