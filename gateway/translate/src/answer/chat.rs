//! A Chat Completions answer: `chat.completion.chunk`s (a role chunk, content, refusal and
//! `reasoning_content` deltas, `tool_calls` with index, id and argument deltas, the finish
//! chunk, the usage chunk when the caller asked for it, `[DONE]`) and the
//! `chat.completion` object. Reasoning signatures travel as `thinking_blocks`, the field
//! OpenAI-shaped clients carry signed thinking in.

use serde_json::{Value, json};

use super::{AnswerWriter, Call, Stop, Usage};

/// Writes a Chat Completions answer.
#[derive(Debug)]
pub struct ChatWriter {
    model: String,
    stream: bool,
    include_usage: bool,
    id: String,
    created: i64,
    content: String,
    refusal: String,
    reasoning: String,
    /// Reasoning text since the last signature.
    unsigned: String,
    thinking_blocks: Vec<Value>,
    calls: Vec<Call>,
    finish: Option<(Stop, Usage)>,
    /// The tier that served the answer (`service_tier`, on every chunk from when it is
    /// known).
    tier: Option<&'static str>,
    complete: bool,
    /// `data: {"id":…,"choices":[{"index":0,"delta":` rendered once (see `delta`).
    prefix: Vec<u8>,
}

impl ChatWriter {
    /// A writer for the caller's `model`; `stream` writes chunks, `include_usage` adds the
    /// usage chunk (`stream_options.include_usage`).
    pub fn new(model: &str, stream: bool, include_usage: bool) -> ChatWriter {
        ChatWriter {
            model: model.to_owned(),
            stream,
            include_usage,
            id: String::new(),
            created: crate::now_secs(),
            content: String::new(),
            refusal: String::new(),
            reasoning: String::new(),
            unsigned: String::new(),
            thinking_blocks: Vec::new(),
            calls: Vec::new(),
            finish: None,
            tier: None,
            complete: false,
            prefix: Vec::new(),
        }
    }

    /// A chunk whose delta is `{"<key>": <text>}` (or a tool call's argument text when
    /// `call` is set), written straight as bytes: the commonest events of a stream.
    fn delta(&mut self, key: &str, text: &str, call: Option<usize>, out: &mut Vec<u8>) {
        if !self.stream {
            return;
        }
        if self.prefix.is_empty() {
            self.prefix = crate::fast::chat_prefix(&self.id, self.created, &self.model, self.tier);
        }
        crate::fast::chat_chunk(&self.prefix, key, text, call.map(|i| i as i64), out);
    }

    fn chunk(&self, delta: Value, finish: Option<&str>, out: &mut Vec<u8>) {
        if self.stream {
            let choices =
                json!([{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]);
            crate::sse(out, None, &self.head(choices));
        }
    }

    /// A chunk with `choices` (and no usage).
    fn head(&self, choices: Value) -> Value {
        crate::fast::chat_head(&self.id, self.created, &self.model, self.tier, choices)
    }
}

fn finish_reason(stop: Stop) -> &'static str {
    match stop {
        Stop::End | Stop::Refusal => "stop",
        Stop::Length => "length",
        Stop::ToolCalls => "tool_calls",
        Stop::ContentFilter => "content_filter",
    }
}

fn usage(u: Usage) -> Value {
    json!({
        "prompt_tokens": u.input,
        "completion_tokens": u.output,
        "total_tokens": u.input.saturating_add(u.output),
        "prompt_tokens_details": {"cached_tokens": u.cached, "cache_write_tokens": u.cache_write},
        "completion_tokens_details": {"reasoning_tokens": u.reasoning},
    })
}

impl AnswerWriter for ChatWriter {
    fn start(&mut self, id: &str, out: &mut Vec<u8>) {
        if !self.id.is_empty() {
            return;
        }
        self.id = format!(
            "chatcmpl-{}",
            id.trim_start_matches("resp_").trim_start_matches("msg_")
        );
        self.chunk(json!({"role": "assistant", "content": ""}), None, out);
    }

    fn tier(&mut self, word: &'static str) {
        if self.tier != Some(word) {
            self.tier = Some(word);
            self.prefix.clear();
        }
    }

    fn text(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        self.content.push_str(delta);
        self.delta("content", delta, None, out);
    }

    fn refusal(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        self.refusal.push_str(delta);
        self.delta("refusal", delta, None, out);
    }

    fn reasoning(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        self.reasoning.push_str(delta);
        self.unsigned.push_str(delta);
        self.delta("reasoning_content", delta, None, out);
    }

    fn signature(&mut self, signature: &str, out: &mut Vec<u8>) {
        let thinking = std::mem::take(&mut self.unsigned);
        self.thinking_blocks
            .push(json!({"type": "thinking", "thinking": thinking, "signature": signature}));
        // The text went out as `reasoning_content` deltas; the block carries the signature.
        self.chunk(
            json!({"thinking_blocks": [{"type": "thinking", "thinking": "", "signature": signature}]}),
            None,
            out,
        );
    }

    fn call(&mut self, call_id: &str, name: &str, out: &mut Vec<u8>) {
        let index = self.calls.len();
        self.calls.push(Call {
            id: call_id.to_owned(),
            name: name.to_owned(),
            arguments: String::new(),
        });
        self.chunk(
            json!({"tool_calls": [{"index": index, "id": call_id, "type": "function", "function": {"name": name, "arguments": ""}}]}),
            None,
            out,
        );
    }

    fn arguments(&mut self, delta: &str, out: &mut Vec<u8>) {
        if delta.is_empty() {
            return;
        }
        let Some(index) = self.calls.len().checked_sub(1) else {
            return;
        };
        self.calls[index].arguments.push_str(delta);
        self.delta("", delta, Some(index), out);
    }

    fn finish(&mut self, stop: Stop, u: Usage, out: &mut Vec<u8>) {
        if self.complete {
            return;
        }
        self.finish = Some((stop, u));
        self.chunk(json!({}), Some(finish_reason(stop)), out);
        if self.stream {
            if self.include_usage {
                let mut last = self.head(json!([]));
                last["usage"] = usage(u);
                crate::sse(out, None, &last);
            }
            aigw_sse::encode(None, "[DONE]", out);
        }
        self.complete = true;
    }

    fn error(&mut self, message: &str, out: &mut Vec<u8>) {
        if self.stream {
            let body = json!({"error": {"message": message, "type": "server_error", "param": null, "code": "upstream_stream_error"}});
            crate::sse(out, None, &body);
            aigw_sse::encode(None, "[DONE]", out);
        }
        self.complete = true;
    }

    fn body(&self) -> Value {
        let (stop, u) = self.finish.unwrap_or((Stop::End, Usage::default()));
        let mut message = json!({
            "role": "assistant",
            "content": if self.content.is_empty() && (!self.calls.is_empty() || !self.refusal.is_empty()) {
                Value::Null
            } else {
                Value::String(self.content.clone())
            },
            "refusal": if self.refusal.is_empty() { Value::Null } else { Value::String(self.refusal.clone()) },
        });
        if !self.calls.is_empty() {
            message["tool_calls"] = self
                .calls
                .iter()
                .map(|c| json!({"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}))
                .collect();
        }
        if !self.reasoning.is_empty() || !self.thinking_blocks.is_empty() {
            message["reasoning_content"] = Value::String(self.reasoning.clone());
        }
        if !self.thinking_blocks.is_empty() {
            message["thinking_blocks"] = Value::Array(self.thinking_blocks.clone());
        }
        let mut body = json!({
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish_reason(stop)}],
            "usage": usage(u),
        });
        if let Some(word) = self.tier {
            body["service_tier"] = Value::String(word.to_owned());
        }
        body
    }

    fn complete(&self) -> bool {
        self.complete
    }
}
