//! An Anthropic Messages answer: `message_start`, `content_block_start` / `_delta` /
//! `_stop` for thinking (with its `signature_delta`), text and `tool_use` blocks
//! (`input_json_delta`), `message_delta` with the stop reason and usage, `message_stop`;
//! and the `message` object.

use serde_json::{Value, json};

use super::{AnswerWriter, Stop, Usage};

/// The block open in the caller's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Thinking,
    Text,
    Tool,
}

/// Writes an Anthropic Messages answer.
#[derive(Debug)]
pub struct AnthropicWriter {
    model: String,
    stream: bool,
    id: String,
    open: Open,
    /// The blocks so far; the last one is the open one.
    blocks: Vec<Value>,
    /// The open block's text, thinking or tool arguments, put in the block at its end.
    buf: String,
    finish: Option<(Stop, Usage)>,
    /// The tier that served the answer (`usage.service_tier`).
    tier: Option<&'static str>,
    complete: bool,
}

impl AnthropicWriter {
    pub fn new(model: &str, stream: bool) -> AnthropicWriter {
        AnthropicWriter {
            model: model.to_owned(),
            stream,
            id: String::new(),
            open: Open::None,
            blocks: Vec::new(),
            buf: String::new(),
            finish: None,
            tier: None,
            complete: false,
        }
    }

    /// `usage` with the tier that served the answer, when known.
    fn tiered(&self, mut usage: Value) -> Value {
        if let Some(word) = self.tier {
            usage["service_tier"] = Value::String(word.to_owned());
        }
        usage
    }

    fn event(&self, kind: &str, payload: Value, out: &mut Vec<u8>) {
        if self.stream {
            crate::sse(out, Some(kind), &payload);
        }
    }

    fn close(&mut self, out: &mut Vec<u8>) {
        if self.open == Open::None {
            return;
        }
        let buf = std::mem::take(&mut self.buf);
        if let Some(last) = self.blocks.last_mut() {
            match self.open {
                Open::Text => last["text"] = Value::String(buf),
                Open::Thinking => last["thinking"] = Value::String(buf),
                Open::Tool => {
                    let call = super::Call {
                        arguments: buf,
                        ..Default::default()
                    };
                    last["input"] = call.arguments_object();
                }
                Open::None => {}
            }
        }
        self.open = Open::None;
        let index = self.blocks.len() - 1;
        self.event(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": index}),
            out,
        );
    }

    fn open(&mut self, kind: Open, block: Value, out: &mut Vec<u8>) {
        self.close(out);
        let index = self.blocks.len();
        self.event(
            "content_block_start",
            json!({"type": "content_block_start", "index": index, "content_block": block}),
            out,
        );
        self.blocks.push(block);
        self.open = kind;
    }

    /// A `content_block_delta` of `kind` whose `field` is `text`, written straight as bytes:
    /// the commonest events of a stream.
    fn text_delta(&self, kind: &str, field: &str, text: &str, out: &mut Vec<u8>) {
        if self.stream {
            let index = self.blocks.len() as i64 - 1;
            crate::fast::anthropic_delta(index, kind, field, text, out);
        }
    }

    fn delta(&self, delta: Value, out: &mut Vec<u8>) {
        let index = self.blocks.len() - 1;
        self.event(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": index, "delta": delta}),
            out,
        );
    }
}

fn stop_reason(stop: Stop) -> &'static str {
    match stop {
        Stop::End => "end_turn",
        Stop::Length => "max_tokens",
        Stop::ToolCalls => "tool_use",
        Stop::ContentFilter | Stop::Refusal => "refusal",
    }
}

fn usage(u: Usage) -> Value {
    let (cached, written) = (crate::tokens(u.cached), crate::tokens(u.cache_write));
    json!({
        "input_tokens": crate::tokens_less(u.input, cached.saturating_add(written)),
        "output_tokens": crate::tokens(u.output),
        "cache_read_input_tokens": cached,
        "cache_creation_input_tokens": written,
    })
}

impl AnswerWriter for AnthropicWriter {
    fn start(&mut self, id: &str, out: &mut Vec<u8>) {
        if !self.id.is_empty() {
            return;
        }
        self.id = format!(
            "msg_{}",
            id.trim_start_matches("resp_")
                .trim_start_matches("chatcmpl-")
        );
        self.event(
            "message_start",
            json!({"type": "message_start", "message": {"id": self.id, "type": "message", "role": "assistant",
                "model": self.model, "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": self.tiered(json!({"input_tokens": 0, "output_tokens": 0}))}}),
            out,
        );
    }

    fn tier(&mut self, word: &'static str) {
        self.tier = Some(word);
    }

    fn text(&mut self, delta: &str, out: &mut Vec<u8>) {
        if self.open != Open::Text {
            self.open(Open::Text, json!({"type": "text", "text": ""}), out);
        }
        if delta.is_empty() {
            return;
        }
        self.buf.push_str(delta);
        self.text_delta("text_delta", "text", delta, out);
    }

    fn reasoning(&mut self, delta: &str, out: &mut Vec<u8>) {
        if self.open != Open::Thinking {
            self.open(
                Open::Thinking,
                json!({"type": "thinking", "thinking": "", "signature": ""}),
                out,
            );
        }
        if delta.is_empty() {
            return;
        }
        self.buf.push_str(delta);
        self.text_delta("thinking_delta", "thinking", delta, out);
    }

    fn signature(&mut self, signature: &str, out: &mut Vec<u8>) {
        if self.open != Open::Thinking {
            self.reasoning("", out);
        }
        if let Some(last) = self.blocks.last_mut() {
            last["signature"] = Value::String(signature.to_owned());
        }
        self.delta(
            json!({"type": "signature_delta", "signature": signature}),
            out,
        );
        self.close(out);
    }

    fn call(&mut self, call_id: &str, name: &str, out: &mut Vec<u8>) {
        self.open(
            Open::Tool,
            json!({"type": "tool_use", "id": crate::fixups::anthropic_id(call_id), "name": name, "input": {}}),
            out,
        );
    }

    fn arguments(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() || self.open != Open::Tool {
            return;
        }
        self.buf.push_str(delta);
        self.text_delta("input_json_delta", "partial_json", delta, out);
    }

    fn finish(&mut self, stop: Stop, u: Usage, out: &mut Vec<u8>) {
        if self.complete {
            return;
        }
        self.close(out);
        self.finish = Some((stop, u));
        self.event(
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": stop_reason(stop), "stop_sequence": null},
                "usage": usage(u)}),
            out,
        );
        self.event("message_stop", json!({"type": "message_stop"}), out);
        self.complete = true;
    }

    fn error(&mut self, message: &str, out: &mut Vec<u8>) {
        self.event(
            "error",
            json!({"type": "error", "error": {"type": "api_error", "message": message}}),
            out,
        );
        self.complete = true;
    }

    fn body(&self) -> Value {
        let (stop, u) = self.finish.unwrap_or((Stop::End, Usage::default()));
        json!({
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": self.blocks,
            "stop_reason": stop_reason(stop),
            "stop_sequence": null,
            "usage": self.tiered(usage(u)),
        })
    }

    fn complete(&self) -> bool {
        self.complete
    }
}
