//! A Gemini answer: `GenerateContentResponse` chunks (as SSE `data:` events or the
//! JSON-array stream, whichever the caller asked for) with text and thought parts (thoughts
//! only for a caller that asked for them with `includeThoughts`, as Gemini does) as they
//! come, each function call whole once its arguments are (Gemini has no argument deltas),
//! the finish reason and `usageMetadata` on the last chunk; and the whole response. A
//! reasoning signature goes on the part after the thoughts as `thoughtSignature`, where
//! Gemini puts its own (on the first function call, or the text).

use serde_json::{Map, Value, json};

use super::{AnswerWriter, Call, Stop, Usage};

/// Writes a Gemini answer.
#[derive(Debug)]
pub struct GeminiWriter {
    model: String,
    stream: bool,
    /// SSE rather than the JSON-array stream.
    sse: bool,
    id: String,
    /// Chunks written so far (the JSON-array form needs `[` then `,`).
    written: usize,
    /// Every part of the answer, adjacent text merged.
    parts: Vec<Value>,
    /// The call whose arguments are still coming.
    pending: Option<Call>,
    /// A signature waiting for the next part.
    signature: Option<String>,
    /// The caller asked for thoughts (`includeThoughts`); without it thought text is left
    /// out, as Gemini leaves it out, and only its signature is sent.
    shows_thoughts: bool,
    finish: Option<(Stop, Usage)>,
    /// The tier that served the answer (`usageMetadata.serviceTier`).
    tier: Option<&'static str>,
    complete: bool,
}

impl GeminiWriter {
    pub fn new(model: &str, stream: bool, sse: bool, shows_thoughts: bool) -> GeminiWriter {
        GeminiWriter {
            model: model.to_owned(),
            stream,
            sse,
            id: String::new(),
            written: 0,
            parts: Vec::new(),
            pending: None,
            signature: None,
            shows_thoughts,
            finish: None,
            tier: None,
            complete: false,
        }
    }

    /// Writes one chunk in the caller's stream form.
    fn emit(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if !self.stream {
            return;
        }
        self.open_frame(out);
        out.extend_from_slice(chunk);
        self.close_frame(out);
    }

    fn open_frame(&mut self, out: &mut Vec<u8>) {
        if self.sse {
            out.extend_from_slice(b"data: ");
        } else {
            out.extend_from_slice(if self.written == 0 { b"[" } else { b",\r\n" });
        }
        self.written += 1;
    }

    fn close_frame(&self, out: &mut Vec<u8>) {
        if self.sse {
            out.extend_from_slice(b"\r\n\r\n");
        }
    }

    /// A chunk of one text part (a thought with `thought`), written straight as bytes: the
    /// commonest events of a stream.
    fn text_chunk(
        &mut self,
        text: &str,
        thought: bool,
        signature: Option<&str>,
        out: &mut Vec<u8>,
    ) {
        self.open_frame(out);
        crate::fast::gemini_chunk(text, thought, signature, b"", &self.model, &self.id, out);
        self.close_frame(out);
    }

    /// Text or thought text: to the stream, and merged into the answer's parts.
    fn text_part(&mut self, text: &str, thought: bool, out: &mut Vec<u8>) {
        self.flush_call(out);
        let signature = self.signature.take();
        if self.stream {
            self.text_chunk(text, thought, signature.as_deref(), out);
        }
        if signature.is_none()
            && let Some(last) = self.parts.last_mut()
            && last.get("thoughtSignature").is_none()
            && last.get("thought").is_some() == thought
            && let Some(Value::String(a)) = last.get_mut("text")
        {
            a.push_str(text);
            return;
        }
        let mut part = Map::new();
        part.insert("text".into(), Value::String(text.to_owned()));
        if thought {
            part.insert("thought".into(), Value::Bool(true));
        }
        if let Some(sig) = signature {
            part.insert("thoughtSignature".into(), Value::String(sig));
        }
        self.parts.push(Value::Object(part));
    }

    fn chunk(&self, parts: Vec<Value>, end: Option<(Stop, Usage)>) -> Value {
        let mut candidate = json!({"content": {"role": "model", "parts": parts}, "index": 0});
        let mut c = json!({"candidates": [], "modelVersion": self.model, "responseId": self.id});
        if let Some((stop, u)) = end {
            candidate["finishReason"] = json!(finish_reason(stop));
            c["usageMetadata"] = usage(u);
            if let Some(word) = self.tier {
                c["usageMetadata"]["serviceTier"] = Value::String(word.to_owned());
            }
        }
        c["candidates"] = json!([candidate]);
        c
    }

    fn call_part(&mut self, call: Call) -> Value {
        let mut part = Map::new();
        part.insert(
            "functionCall".into(),
            json!({"id": call.id, "name": call.name, "args": call.arguments_object()}),
        );
        if let Some(sig) = self.signature.take() {
            part.insert("thoughtSignature".into(), Value::String(sig));
        }
        Value::Object(part)
    }

    /// Writes the call whose arguments are complete.
    fn flush_call(&mut self, out: &mut Vec<u8>) {
        if let Some(call) = self.pending.take() {
            let part = self.call_part(call);
            if self.stream {
                let c = self.chunk(vec![part.clone()], None);
                self.emit(c.to_string().as_bytes(), out);
            }
            self.parts.push(part);
        }
    }
}

fn finish_reason(stop: Stop) -> &'static str {
    match stop {
        Stop::End | Stop::ToolCalls | Stop::Refusal => "STOP",
        Stop::Length => "MAX_TOKENS",
        Stop::ContentFilter => "SAFETY",
    }
}

fn usage(u: Usage) -> Value {
    let mut out = json!({
        "promptTokenCount": u.input,
        "candidatesTokenCount": crate::tokens_less(u.output, u.reasoning),
        "totalTokenCount": u.input.saturating_add(u.output),
    });
    if u.reasoning > 0 {
        out["thoughtsTokenCount"] = json!(u.reasoning);
    }
    if u.cached > 0 {
        out["cachedContentTokenCount"] = json!(u.cached);
    }
    out
}

impl AnswerWriter for GeminiWriter {
    fn start(&mut self, id: &str, _out: &mut Vec<u8>) {
        if self.id.is_empty() {
            self.id = id.to_owned();
        }
    }

    fn tier(&mut self, word: &'static str) {
        self.tier = Some(word);
    }

    fn text(&mut self, delta: &str, out: &mut Vec<u8>) {
        if !delta.is_empty() {
            self.text_part(delta, false, out);
        }
    }

    fn reasoning(&mut self, delta: &str, out: &mut Vec<u8>) {
        if self.shows_thoughts && !delta.is_empty() {
            self.text_part(delta, true, out);
        }
    }

    fn signature(&mut self, signature: &str, out: &mut Vec<u8>) {
        // One still waiting (reasoning with nothing shown after it) goes on the call
        // before, or rides on an empty text part of its own: a part carries one.
        self.flush_call(out);
        if self.signature.is_some() {
            self.text_part("", false, out);
        }
        self.signature = Some(signature.to_owned());
    }

    fn call(&mut self, call_id: &str, name: &str, out: &mut Vec<u8>) {
        self.flush_call(out);
        self.pending = Some(Call {
            id: call_id.to_owned(),
            name: name.to_owned(),
            arguments: String::new(),
        });
    }

    fn arguments(&mut self, delta: &str, _out: &mut Vec<u8>) {
        if let Some(call) = &mut self.pending {
            call.arguments.push_str(delta);
        }
    }

    fn finish(&mut self, stop: Stop, u: Usage, out: &mut Vec<u8>) {
        if self.complete {
            return;
        }
        let mut last = Vec::new();
        if let Some(call) = self.pending.take() {
            let part = self.call_part(call);
            self.parts.push(part.clone());
            last.push(part);
        }
        if let Some(sig) = self.signature.take() {
            // A signature with nothing after it rides on an empty text part.
            let part = json!({"text": "", "thoughtSignature": sig});
            self.parts.push(part.clone());
            last.push(part);
        }
        self.finish = Some((stop, u));
        if self.stream {
            let c = self.chunk(last, Some((stop, u)));
            self.emit(c.to_string().as_bytes(), out);
            if !self.sse {
                out.push(b']');
            }
        }
        self.complete = true;
    }

    fn error(&mut self, message: &str, out: &mut Vec<u8>) {
        if self.stream {
            // google-genai raises on a chunk that is `{"error": ...}`.
            let e = json!({"error": {"code": 502, "message": message, "status": "UNAVAILABLE"}});
            self.emit(e.to_string().as_bytes(), out);
            if !self.sse {
                out.push(b']');
            }
        }
        self.complete = true;
    }

    fn body(&self) -> Value {
        let mut c = self.chunk(self.parts.clone(), self.finish);
        if self.finish.is_none() {
            c["candidates"][0]["finishReason"] = json!("STOP");
        }
        c
    }

    fn complete(&self) -> bool {
        self.complete
    }
}
