//! Writers of a caller's answer, one per caller protocol, driven by whatever reads the
//! upstream's: the upstream side calls [`AnswerWriter`]'s methods in the order the answer
//! unfolds (text, reasoning with its opaque signature, function calls with argument
//! deltas, the end with its reason and usage), and the writer produces the caller's
//! stream events as they come and the whole answer at the end.
//!
//! Used by the pairs whose upstream is OpenAI's Responses API ([`crate::responses_upstream`]);
//! the writer for a Responses *caller* is [`crate::responses::Writer`].

pub mod anthropic;
pub mod chat;
pub mod gemini;

use serde_json::Value;

/// Why an answer ended, in terms every caller protocol has a word for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The model finished.
    End,
    /// The output token limit was reached.
    Length,
    /// The model asked for function calls.
    ToolCalls,
    /// A safety or content filter cut the answer.
    ContentFilter,
    /// The model refused (the refusal text was written with [`AnswerWriter::refusal`]).
    Refusal,
}

/// Token counts of an answer. `input` includes `cached` and `cache_write`; `output`
/// includes `reasoning`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input: i64,
    pub cached: i64,
    pub cache_write: i64,
    pub output: i64,
    pub reasoning: i64,
}

/// A caller protocol's answer, written piece by piece. Streaming writers append the
/// caller's events to `out` as each piece arrives; a non-streaming writer appends nothing
/// and gives the whole answer from [`AnswerWriter::body`] after [`AnswerWriter::finish`].
pub trait AnswerWriter: Send {
    /// The answer begins; `id` is the upstream's id for it.
    fn start(&mut self, id: &str, out: &mut Vec<u8>);
    /// The tier that served the answer, in the caller's word (before `start` when the
    /// upstream names it there, else before `finish`): written where the caller's
    /// protocol has it from then on.
    fn tier(&mut self, word: &'static str);
    /// Answer text; an empty delta opens a text block where the caller's protocol has
    /// them.
    fn text(&mut self, delta: &str, out: &mut Vec<u8>);
    /// Refusal text.
    fn refusal(&mut self, delta: &str, out: &mut Vec<u8>) {
        self.text(delta, out);
    }
    /// Reasoning text (a summary or the thoughts themselves); an empty delta opens a
    /// reasoning block without text.
    fn reasoning(&mut self, delta: &str, out: &mut Vec<u8>);
    /// The opaque signature that closes the reasoning block written last (or stands alone).
    fn signature(&mut self, signature: &str, out: &mut Vec<u8>);
    /// A function call begins.
    fn call(&mut self, call_id: &str, name: &str, out: &mut Vec<u8>);
    /// Arguments (JSON text) of the call begun last.
    fn arguments(&mut self, delta: &str, out: &mut Vec<u8>);
    /// The answer ends.
    fn finish(&mut self, stop: Stop, usage: Usage, out: &mut Vec<u8>);
    /// The upstream broke off: the caller's error event, and the stream's end.
    fn error(&mut self, message: &str, out: &mut Vec<u8>);
    /// The whole answer, after `finish`.
    fn body(&self) -> Value;
    /// Whether the caller's stream has its end (after `finish` or `error`).
    fn complete(&self) -> bool;
}

/// A function call being written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Call {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

impl Call {
    /// The arguments as a JSON object (`{}` when they are not one).
    pub fn arguments_object(&self) -> Value {
        match serde_json::from_str::<Value>(&self.arguments) {
            Ok(v @ Value::Object(_)) => v,
            _ => Value::Object(Default::default()),
        }
    }
}
