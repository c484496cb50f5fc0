//! A forward-only JSON reader over borrowed text, for the stream fast paths
//! ([`crate::fast`]): it walks one document once, hands out object keys as raw bytes and
//! strings as borrowed slices (decoded only when they hold escapes), and skips what the
//! reader does not ask for without building anything. No allocation unless a string has
//! escapes.
//!
//! Every method returns `None` on anything it does not expect (a wrong type, malformed
//! JSON, a key with escapes), and the fast path that called it then gives the event to the
//! pair's general path, which parses it fully and reports real errors. So the reader may
//! refuse more than JSON does: what it skips it checks as `serde_json` would (string
//! escapes, surrogates in pairs, literals, number syntax and range, nesting), since the
//! request fast path ([`crate::plain`]) copies some of what it skips as it is; and a key
//! given twice in an object is refused (readers disagree on which counts).

use std::borrow::Cow;

/// Nesting depth past which [`Scan::skip`] gives up (the general path then decides).
const MAX_DEPTH: usize = 64;

/// Keys in one object past which [`Scan::object`] gives up (the general path decides).
const MAX_KEYS: usize = 16;

/// Bytes that end the plain run of a string: the quote, a backslash, control characters.
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The bytes of `x` (eight, little-endian) that end a string's plain run (a quote, a
/// backslash, a control character), as the high bit of each. Only the lowest set bit is
/// exact (a borrow may mark a byte above a true one), which is all [`plain_run`] uses.
fn stops(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    zero_bytes(x ^ (ONES * u64::from(b'"')))
        | zero_bytes(x ^ (ONES * u64::from(b'\\')))
        | (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
}

/// The index of the first byte at or after `from` that ends a string's plain run: eight
/// bytes at a time, then the last few one by one.
fn plain_run(b: &[u8], mut from: usize) -> Option<usize> {
    while let Some(chunk) = b.get(from..from + 8) {
        let m = stops(u64::from_le_bytes(chunk.try_into().ok()?));
        if m != 0 {
            return Some(from + (m.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    while let Some(&c) = b.get(from) {
        if STOPS[c as usize] {
            return Some(from);
        }
        from += 1;
    }
    None
}

/// The four hex digits at `at`, as a UTF-16 unit.
fn hex4(b: &[u8], at: usize) -> Option<u16> {
    let h = b.get(at..at + 4)?;
    if !h.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
}

/// Values a reader marks in one document ([`Scan::hole`]) past which it makes no
/// [`Template`].
const MAX_HOLES: usize = 8;

/// Documents longer than this make no [`Template`]: a stream keeps its template to its
/// end, and a provider's events are a few hundred bytes (a huge delta is read whole).
const MAX_TEMPLATE: usize = 16 * 1024;

/// A value a reader marked: its place in the text, and the reader's tag for it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hole {
    start: u32,
    end: u32,
    tag: u8,
}

/// A document a reader took, as the pattern of a stream's next events: providers repeat
/// one shape in every event of a stream (the same ids, keys and order) and change only a
/// few values, the text and the counts. An event that is the template's text but in its
/// holes, with a scalar in each, walks as the template did: every key, every skipped
/// value and every choice the reader made on them are the same bytes, so the reader
/// needs only the values in the holes ([`Template::fill`]), not a walk of the whole event.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    text: Box<str>,
    holes: Box<[Hole]>,
}

/// The values of an event in its template's holes: (tag, the value's JSON text).
pub(crate) type Filled<'a> = ([(u8, &'a str); MAX_HOLES], usize);

impl Template {
    /// The values of `data` in the template's holes, when `data` is the template's text
    /// outside them and a scalar (checked as [`Scan::skip`] checks it) in each; else
    /// `None`, and the reader walks `data` whole.
    pub(crate) fn fill<'a>(&self, data: &'a str) -> Option<Filled<'a>> {
        let (t, d) = (self.text.as_bytes(), data.as_bytes());
        let mut found = [(0u8, ""); MAX_HOLES];
        let (mut at, mut pos) = (0usize, 0usize);
        for (i, hole) in self.holes.iter().enumerate() {
            let gap = t.get(at..hole.start as usize)?;
            if d.get(pos..pos + gap.len())? != gap {
                return None;
            }
            pos += gap.len();
            // A scalar, right here (white space before it is the template's, in the gap).
            if matches!(d.get(pos)?, b'{' | b'[' | b' ' | b'\n' | b'\r' | b'\t') {
                return None;
            }
            let mut s = Scan {
                text: data,
                pos,
                holes: None,
            };
            s.skip()?;
            found[i] = (hole.tag, &data[pos..s.pos]);
            pos = s.pos;
            at = hole.end as usize;
        }
        (d.get(pos..)? == t.get(at..)?).then_some((found, self.holes.len()))
    }
}

/// A position in one JSON document.
pub(crate) struct Scan<'a> {
    text: &'a str,
    pos: usize,
    /// The values marked so far; `None` once there were more than [`MAX_HOLES`].
    holes: Option<([Hole; MAX_HOLES], usize)>,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Scan {
            text,
            pos: 0,
            holes: Some(([Hole::default(); MAX_HOLES], 0)),
        }
    }

    /// A reader of one value read from a template's hole ([`Template::fill`]): nothing
    /// in it is marked.
    pub(crate) fn value(text: &'a str) -> Self {
        Scan {
            text,
            pos: 0,
            holes: None,
        }
    }

    /// Reads the next value with `read`, and marks it as a hole of the document's
    /// [`Template`]: a value that may differ from one event of a stream to the next (a
    /// text, a count), which the reader reads again from each event that matches it.
    /// The value must be a scalar (a string, number, `true`, `false` or `null`).
    pub(crate) fn hole<R>(
        &mut self,
        tag: u8,
        read: impl FnOnce(&mut Self) -> Option<R>,
    ) -> Option<R> {
        self.peek()?;
        let start = self.pos;
        let r = read(self)?;
        let (start, end) = (u32::try_from(start).ok(), u32::try_from(self.pos).ok());
        self.holes = match (self.holes.take(), start, end) {
            (Some((mut holes, n)), Some(start), Some(end)) if n < MAX_HOLES => {
                holes[n] = Hole { start, end, tag };
                Some((holes, n + 1))
            }
            _ => None,
        };
        Some(r)
    }

    /// The document read (up to here) as a [`Template`] for the next ones: its text and
    /// the values marked in it. `None` when it had too many, or is longer than
    /// [`MAX_TEMPLATE`].
    pub(crate) fn template(&self) -> Option<Template> {
        if self.text.len() > MAX_TEMPLATE {
            return None;
        }
        let (holes, n) = self.holes.as_ref()?;
        Some(Template {
            text: self.text.into(),
            holes: holes[..*n].into(),
        })
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not white space, not consumed.
    fn peek(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.pos += 1)
    }

    /// Whether the next value starts with byte `b` (not consumed).
    pub(crate) fn peek_is(&mut self, b: u8) -> bool {
        self.peek() == Some(b)
    }

    /// The document has ended (only white space left).
    pub(crate) fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    /// Walks an object: `member` gets each key (raw, a key with escapes refuses the walk)
    /// and must consume its value.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&'a [u8], &mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        // A key given twice is refused: JSON readers disagree on which one counts (a
        // `Value` keeps the last, the generated types refuse the object), so the general
        // path decides. Objects of more keys than this are left to it too.
        let mut keys = [(0u32, 0u32); MAX_KEYS];
        let mut n = 0;
        loop {
            let key = self.raw_string()?;
            let b = self.bytes();
            if n == MAX_KEYS
                || keys[..n]
                    .iter()
                    .any(|&(s, e)| &b[s as usize..e as usize] == key)
            {
                return None;
            }
            // The key's place in the text (it ends before the closing quote just read).
            let end = u32::try_from(self.pos - 1).ok()?;
            keys[n] = (end - key.len() as u32, end);
            n += 1;
            self.eat(b':')?;
            member(key, self)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Walks an array: `element` gets each index and must consume the element.
    pub(crate) fn array(
        &mut self,
        mut element: impl FnMut(usize, &mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        let mut i = 0;
        loop {
            element(i, self)?;
            i += 1;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An array of exactly one element, which `element` consumes.
    pub(crate) fn single(&mut self, element: impl FnOnce(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        element(self)?;
        self.eat(b']')
    }

    /// A string without escapes, its bytes between the quotes.
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let b = self.bytes();
        let end = plain_run(b, self.pos)?;
        if b[end] != b'"' {
            return None;
        }
        let start = self.pos;
        self.pos = end + 1;
        Some(&b[start..end])
    }

    /// A string, borrowed when it holds no escapes.
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos;
        let end = plain_run(self.bytes(), start + 1)?;
        match self.bytes()[end] {
            b'"' => {
                self.pos = end + 1;
                // The quotes are ASCII, so these are char boundaries.
                Some(Cow::Borrowed(&self.text[start + 1..end]))
            }
            b'\\' => {
                // Escapes: find the end, then let serde_json decode it.
                self.skip_string()?;
                serde_json::from_str::<String>(&self.text[start..self.pos])
                    .ok()
                    .map(Cow::Owned)
            }
            _ => None,
        }
    }

    /// A string as its JSON literal, quotes included, for copying as it is: checked as
    /// `serde_json` decodes strings (known escapes, no control characters, `\u`
    /// surrogates only in pairs), so a copy means the same text.
    pub(crate) fn literal(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let (start, b) = (self.pos, self.bytes());
        let mut i = start + 1;
        loop {
            i = plain_run(b, i)?;
            match b[i] {
                b'"' => {
                    self.pos = i + 1;
                    return Some(&self.text[start..self.pos]);
                }
                b'\\' => match *b.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let unit = hex4(b, i + 2)?;
                        i += 6;
                        match unit {
                            0xD800..=0xDBFF => {
                                // A high surrogate, which needs its low one next.
                                if b.get(i..i + 2)? != b"\\u"
                                    || !(0xDC00..=0xDFFF).contains(&hex4(b, i + 2)?)
                                {
                                    return None;
                                }
                                i += 6;
                            }
                            0xDC00..=0xDFFF => return None,
                            _ => {}
                        }
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// A string or `null`.
    pub(crate) fn string_or_null(&mut self) -> Option<Option<Cow<'a, str>>> {
        if self.null() {
            return Some(None);
        }
        self.string().map(Some)
    }

    /// Consumes a `null` if one is next.
    pub(crate) fn null(&mut self) -> bool {
        if self.peek() == Some(b'n') && self.bytes()[self.pos..].starts_with(b"null") {
            self.pos += 4;
            return true;
        }
        false
    }

    /// A `null`, and nothing else.
    pub(crate) fn only_null(&mut self) -> Option<()> {
        self.null().then_some(())
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self) -> Option<bool> {
        self.peek()?;
        let rest = &self.bytes()[self.pos..];
        if rest.starts_with(b"true") {
            self.pos += 4;
            Some(true)
        } else if rest.starts_with(b"false") {
            self.pos += 5;
            Some(false)
        } else {
            None
        }
    }

    /// An integer that fits `i64` (no fraction, no exponent).
    pub(crate) fn int(&mut self) -> Option<i64> {
        self.peek()?;
        let b = self.bytes();
        let start = self.pos;
        let negative = b[start] == b'-';
        let mut i = start + usize::from(negative);
        let digits = i;
        let mut n: i64 = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
            i += 1;
        }
        // JSON has no leading zeros, and an integer goes on no further; `-0` is a float
        // to `serde_json` (an integer field refuses it).
        if i == digits
            || (b[digits] == b'0' && i - digits > 1)
            || matches!(b.get(i), Some(b'.' | b'e' | b'E'))
            || (negative && n == 0)
        {
            return None;
        }
        self.pos = i;
        Some(if negative { -n } else { n })
    }

    /// A number, as `serde_json` reads it (the same rounding as the general path).
    pub(crate) fn number(&mut self) -> Option<serde_json::Number> {
        self.peek()?;
        let start = self.pos;
        self.skip_number()?;
        serde_json::from_str(&self.text[start..self.pos]).ok()
    }

    /// Skips a string, after checking its escapes and that it has no control characters.
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        let b = self.bytes();
        let mut i = self.pos;
        loop {
            i = plain_run(b, i)?;
            match b[i] {
                b'"' => {
                    self.pos = i + 1;
                    return Some(());
                }
                b'\\' => match *b.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let hex = b.get(i + 2..i + 6)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        i += 6;
                    }
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// Skips a number after checking its syntax.
    fn skip_number(&mut self) -> Option<()> {
        let b = self.bytes();
        let mut i = self.pos;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let int = i;
        if !digits(&mut i) || (b[int] == b'0' && i - int > 1) {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return None;
            }
        }
        self.pos = i;
        Some(())
    }

    /// Skips any value.
    pub(crate) fn skip(&mut self) -> Option<()> {
        self.skip_at(0)
    }

    /// What `read` reads, and the JSON text it read.
    pub(crate) fn spanned<R>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Option<R>,
    ) -> Option<(&'a str, R)> {
        self.peek()?;
        let start = self.pos;
        let r = read(self)?;
        Some((&self.text[start..self.pos], r))
    }

    /// Writes the next value as `serde_json` writes it once read into a `Value`: compact,
    /// keys in their order, strings escaped its way (what the general path sends when it
    /// turns an object into a string). `None` where that is not certain (a number with a
    /// fraction or an exponent, `-0`, an integer beyond 64 bits: `serde_json` rewrites
    /// those), and the caller asks `serde_json`.
    pub(crate) fn compact(&mut self, out: &mut Vec<u8>) -> Option<()> {
        self.compact_at(out, 0)
    }

    fn compact_at(&mut self, out: &mut Vec<u8>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => {
                let lit = self.literal()?;
                if lit.contains('\\') {
                    let text: String = serde_json::from_str(lit).ok()?;
                    serde_json::to_writer(&mut *out, &text).ok()?;
                } else {
                    // Checked by `literal`: no control characters, so nothing to escape.
                    out.extend_from_slice(lit.as_bytes());
                }
            }
            b'{' => {
                out.push(b'{');
                let mut first = true;
                // Keys come without escapes or control characters (`object` refuses
                // others), so they are written as they are.
                self.object(|key, s| {
                    if !std::mem::take(&mut first) {
                        out.push(b',');
                    }
                    out.push(b'"');
                    out.extend_from_slice(key);
                    out.extend_from_slice(b"\":");
                    s.compact_at(out, depth + 1)
                })?;
                out.push(b'}');
            }
            b'[' => {
                out.push(b'[');
                self.array(|i, s| {
                    if i > 0 {
                        out.push(b',');
                    }
                    s.compact_at(out, depth + 1)
                })?;
                out.push(b']');
            }
            b't' | b'f' => {
                let b = self.bool()?;
                out.extend_from_slice(if b { b"true" } else { b"false" });
            }
            b'n' => {
                self.only_null()?;
                out.extend_from_slice(b"null");
            }
            _ => {
                let start = self.pos;
                self.skip_number()?;
                let text = &self.text[start..self.pos];
                let integer = !text.contains(['.', 'e', 'E']) && text != "-0";
                (integer && (text.parse::<u64>().is_ok() || text.parse::<i64>().is_ok()))
                    .then_some(())?;
                out.extend_from_slice(text.as_bytes());
            }
        }
        Some(())
    }

    fn skip_at(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            // Checked as `literal` checks a string (surrogates in pairs), since what is
            // skipped may be copied as it is.
            b'"' => self.literal().map(drop),
            b'{' => self.object(|_, s| s.skip_at(depth + 1)),
            b'[' => self.array(|_, s| s.skip_at(depth + 1)),
            b't' | b'f' => self.bool().map(drop),
            b'n' => self.only_null(),
            _ => {
                let start = self.pos;
                self.skip_number()?;
                // `serde_json` refuses a number beyond `f64`'s range (`1e400`, 400
                // digits); one of at most 15 digits and no exponent is always in range.
                let text = &self.text[start..self.pos];
                if text.len() > 15 || text.contains(['e', 'E']) {
                    text.parse::<f64>().ok().filter(|x| x.is_finite())?;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Skips the whole document, as the fast paths skip what they do not read.
    fn skips(text: &str) -> bool {
        let mut s = Scan::new(text);
        s.skip().is_some() && s.end().is_some()
    }

    #[test]
    fn compact_writes_what_serde_json_writes_or_declines() {
        let written = [
            r#"{"city":"Zürich \"Z\"","days":2}"#,
            r#" { "a" : [ 1 , -2 , 0 , true , false , null ] , "b" : { } , "c" : [ ] } "#,
            r#"{"e":"\u00e9\/\u001f\u007f\ud83d\ude00\b\f\n\r\t\\"}"#,
            r#"{"big":18446744073709551615,"small":-9223372036854775808}"#,
            r#""x""#,
            "[[[[{}]]]]",
        ];
        for text in written {
            let mut out = Vec::new();
            let mut s = Scan::new(text);
            s.compact(&mut out).expect(text);
            assert!(s.end().is_some(), "{text}");
            let value: serde_json::Value = serde_json::from_str(text).expect("json");
            assert_eq!(
                String::from_utf8(out).expect("utf-8"),
                value.to_string(),
                "{text}"
            );
        }
        // Numbers `serde_json` rewrites, keys given twice or with escapes, bad JSON.
        let declined = [
            "1.5",
            "1.0",
            "1e2",
            "-0",
            "18446744073709551616",
            "-9223372036854775809",
            r#"{"a":1,"a":2}"#,
            r#"{"\u0061":1}"#,
            r#"{"a":}"#,
            r#""\ud83d""#,
        ];
        for text in declined {
            assert!(Scan::new(text).compact(&mut Vec::new()).is_none(), "{text}");
        }
    }

    #[test]
    fn skips_what_json_accepts_and_refuses_what_it_does_not() {
        let cases = [
            r#"{"a":[1,-2.5e+3,0,true,false,null,"x\"\u00e9\n"],"b":{},"c":[]}"#,
            " { \"a\" : [ 1 , 2 ] } ",
            r#""é and ✓""#,
            "0",
            "-0.0e5",
            r#"{"a":1,}"#,
            r#"[1 2]"#,
            r#"{"a" 1}"#,
            "01",
            "1.",
            "1e",
            "-",
            "tru",
            "nul",
            r#""\x""#,
            r#""\u12g4""#,
            r#""\ud83d""#,
            r#""\ude00 \ud83d\ude00""#,
            "1e400",
            "-1E+400",
            "1e-400",
            "1.5e300",
            "123456789012345678901234567890",
            r#"{"a":"\ud83d\ude00 \u00e9"}"#,
            "\"a\u{1}b\"",
            r#"{"a":1"#,
            r#"[1,2]]"#,
            r#"{"a":1} x"#,
            "",
        ];
        for text in cases {
            let json = serde_json::from_str::<serde_json::Value>(text).is_ok();
            assert_eq!(skips(text), json, "{text:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(
            !skips(&deep),
            "too deep for the fast path: the general path decides"
        );
    }

    #[test]
    fn literals_are_what_serde_json_decodes_and_plain_runs_find_every_stop() {
        let cases = [
            r#""plain""#,
            r#""""#,
            r#""tab\tquote\"slash\/back\\""#,
            r#""\u00e9 \ud83d\ude00 \u0000""#,
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\ud83dx""#,
            r#""\u12""#,
            r#""\u+123""#,
            r#""\x""#,
            "\"a\u{1}b\"",
            "\"a\u{7f}é✓😀\"",
            r#""unterminated"#,
        ];
        for text in cases {
            let json = serde_json::from_str::<String>(text).ok();
            let mut s = Scan::new(text);
            let literal = s.literal();
            assert_eq!(literal.is_some(), json.is_some(), "{text:?}");
            if let Some(l) = literal {
                assert_eq!(l, text);
                assert!(s.end().is_some());
            }
        }
        // Every stop byte at every offset of a long run, past the eight-byte steps.
        for stop in [b'"', b'\\', 0x00, 0x1f] {
            for at in 0..40 {
                let mut b = vec![b'a'; 40];
                b[at] = stop;
                // Bytes at and above 0x80 (UTF-8) around it are not stops.
                if at > 0 {
                    b[at - 1] = 0xc3;
                }
                assert_eq!(plain_run(&b, 0), Some(at), "{stop:#x} at {at}");
            }
        }
        assert_eq!(plain_run(&[b'a'; 40], 0), None);
        // Against the byte-by-byte answer on random bytes, stops rare and dense.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..4000 {
            let len = round % 37;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let pick = [b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xff, 0xe2];
                    if seed.is_multiple_of(4) {
                        pick[(seed >> 8) as usize % pick.len()]
                    } else {
                        (seed >> 16) as u8
                    }
                })
                .collect();
            for from in 0..=len {
                let naive = (from..len).find(|&i| STOPS[bytes[i] as usize]);
                assert_eq!(plain_run(&bytes, from), naive, "{bytes:?} from {from}");
            }
        }
        assert_eq!(plain_run(b" \x7f\x80\xff\x20\x21", 0), None);
    }

    #[test]
    fn reads_strings_integers_and_walks_containers() {
        let mut s = Scan::new(
            r#"{"t":"plain","e":"tab\tand \u00e9","n":-42,"big":12345678901234567890,"f":1.5,"k":[true,null]}"#,
        );
        let mut seen = Vec::new();
        s.object(|key, s| {
            match key {
                b"t" => assert!(matches!(s.string()?, Cow::Borrowed("plain"))),
                b"e" => assert_eq!(s.string()?, "tab\tand é"),
                b"n" => assert_eq!(s.int()?, -42),
                b"big" => assert!(s.clone_int().is_none() && s.skip().is_some()),
                b"f" => assert!(s.clone_int().is_none() && s.skip().is_some()),
                b"k" => s.array(|i, s| {
                    if i == 0 {
                        assert!(s.bool()?);
                    } else {
                        assert!(s.null());
                    }
                    Some(())
                })?,
                _ => return None,
            }
            seen.push(String::from_utf8_lossy(key).into_owned());
            Some(())
        })
        .expect("walks");
        assert_eq!(seen, ["t", "e", "n", "big", "f", "k"]);
        assert!(s.end().is_some());
        // `-0` is a float to serde_json; `0` an integer.
        assert!(Scan::new("-0").clone_int().is_none());
        assert_eq!(Scan::new("0").clone_int(), Some(0));
        // A key given twice refuses the walk, at any depth.
        assert!(
            Scan::new(r#"{"a":1,"a":null}"#)
                .object(|_, s| s.skip())
                .is_none()
        );
        let mut nested = Scan::new(r#"{"a":{"b":1,"c":2,"b":3}}"#);
        assert!(nested.skip().is_none());
        // A key with an escape refuses the walk.
        assert!(Scan::new(r#"{"a\"b":1}"#).object(|_, s| s.skip()).is_none());
    }

    impl Scan<'_> {
        /// `int` from the same position, leaving it unchanged.
        fn clone_int(&mut self) -> Option<i64> {
            let pos = self.pos;
            let n = self.int();
            self.pos = pos;
            n
        }
    }
}
