//! Token usage read from responses and stream events of every protocol, for metrics.
//! Only the usage objects are built; everything else in the body is skipped.
//!
//! OpenAI Chat (`usage.prompt_tokens`, `completion_tokens`, `*_details`), OpenAI Responses
//! (`usage.input_tokens`, ..., also inside `response` of stream events), Anthropic (`usage`,
//! also inside `message` of `message_start`; cache read and creation), Gemini
//! (`usageMetadata`). Streams report cumulative figures, so merging keeps the largest.

use serde::Deserialize;
use serde_json::value::RawValue;

/// Token counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cached_input: u64,
    pub cache_write: u64,
    pub reasoning: u64,
}

impl Tokens {
    /// Field by field, the larger.
    pub fn merge(&mut self, other: Tokens) {
        self.input = self.input.max(other.input);
        self.output = self.output.max(other.output);
        self.cached_input = self.cached_input.max(other.cached_input);
        self.cache_write = self.cache_write.max(other.cache_write);
        self.reasoning = self.reasoning.max(other.reasoning);
    }

    /// (kind label, count) pairs.
    pub fn kinds(&self) -> [(&'static str, u64); 5] {
        [
            ("input", self.input),
            ("output", self.output),
            ("cached_input", self.cached_input),
            ("cache_write", self.cache_write),
            ("reasoning", self.reasoning),
        ]
    }
}

/// The places usage can sit, kept as raw JSON and read only when present: a value of an
/// unexpected shape is skipped, not an error.
#[derive(Deserialize, Default)]
struct Holder<'a> {
    #[serde(borrow, default)]
    usage: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "usageMetadata")]
    usage_metadata: Option<&'a RawValue>,
    #[serde(borrow, default)]
    response: Option<&'a RawValue>,
    #[serde(borrow, default)]
    message: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Details {
    #[serde(default)]
    cached_tokens: Option<f64>,
    #[serde(default)]
    reasoning_tokens: Option<f64>,
}

#[derive(Deserialize, Default)]
struct Usage {
    #[serde(default)]
    prompt_tokens: Option<f64>,
    #[serde(default)]
    completion_tokens: Option<f64>,
    #[serde(default)]
    input_tokens: Option<f64>,
    #[serde(default)]
    output_tokens: Option<f64>,
    #[serde(default)]
    cache_read_input_tokens: Option<f64>,
    #[serde(default)]
    cache_creation_input_tokens: Option<f64>,
    #[serde(default)]
    prompt_tokens_details: Option<Details>,
    #[serde(default)]
    completion_tokens_details: Option<Details>,
    #[serde(default)]
    input_tokens_details: Option<Details>,
    #[serde(default)]
    output_tokens_details: Option<Details>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct GeminiUsage {
    #[serde(default)]
    prompt_token_count: Option<f64>,
    #[serde(default)]
    candidates_token_count: Option<f64>,
    #[serde(default)]
    cached_content_token_count: Option<f64>,
    #[serde(default)]
    thoughts_token_count: Option<f64>,
}

fn n(v: Option<f64>) -> u64 {
    v.filter(|x| x.is_finite() && *x >= 0.0)
        .map_or(0, |x| x as u64)
}

fn details(d: &Option<Details>) -> (u64, u64) {
    match d {
        Some(d) => (n(d.cached_tokens), n(d.reasoning_tokens)),
        None => (0, 0),
    }
}

/// `raw` read as `T`, when it has that shape.
fn read<'a, T: Deserialize<'a>>(raw: Option<&'a RawValue>) -> Option<T> {
    serde_json::from_str(raw?.get()).ok()
}

impl Holder<'_> {
    fn tokens(&self, depth: u8) -> Option<Tokens> {
        let mut found = None::<Tokens>;
        let mut add = |t: Tokens| found.get_or_insert_with(Tokens::default).merge(t);
        if let Some(u) = read::<Usage>(self.usage) {
            let (cached_a, _) = details(&u.prompt_tokens_details);
            let (cached_b, _) = details(&u.input_tokens_details);
            let (_, reasoning_a) = details(&u.completion_tokens_details);
            let (_, reasoning_b) = details(&u.output_tokens_details);
            add(Tokens {
                input: n(u.prompt_tokens).max(n(u.input_tokens)),
                output: n(u.completion_tokens).max(n(u.output_tokens)),
                cached_input: n(u.cache_read_input_tokens).max(cached_a).max(cached_b),
                cache_write: n(u.cache_creation_input_tokens),
                reasoning: reasoning_a.max(reasoning_b),
            });
        }
        if let Some(g) = read::<GeminiUsage>(self.usage_metadata) {
            add(Tokens {
                input: n(g.prompt_token_count),
                output: n(g.candidates_token_count),
                cached_input: n(g.cached_content_token_count),
                cache_write: 0,
                reasoning: n(g.thoughts_token_count),
            });
        }
        if depth == 0 {
            for nested in [self.response, self.message].into_iter().flatten() {
                if let Some(t) = read::<Holder>(Some(nested)).and_then(|h| h.tokens(1)) {
                    add(t);
                }
            }
        }
        found
    }
}

/// The usage in a JSON body (a response, or one stream event's data), if any.
pub fn tokens_in(json: &[u8]) -> Option<Tokens> {
    // Most stream events carry no usage (or `"usage":null`): skip them without parsing.
    if !has_usage_value(json) {
        return None;
    }
    serde_json::from_slice::<Holder>(json).ok()?.tokens(0)
}

/// Whether a `usage`/`usageMetadata` key with a non-null value may be in `json`.
pub fn has_usage_value(json: &[u8]) -> bool {
    memchr::memmem::find_iter(json, b"sage").any(|i| {
        // The key `"usage…`, not `"message"` or `"finishMessage"`.
        if i < 2 || &json[i - 2..i] != b"\"u" {
            return false;
        }
        let rest = &json[i + 4..];
        let rest = rest.strip_prefix(b"Metadata").unwrap_or(rest);
        let Some(rest) = rest.strip_prefix(b"\"") else {
            return false;
        };
        let mut it = rest.iter().skip_while(|b| b.is_ascii_whitespace());
        if it.next() != Some(&b':') {
            return false;
        }
        it.find(|b| !b.is_ascii_whitespace()) != Some(&b'n')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_protocol() {
        let chat = br#"{"id":"x","choices":[{"message":{"role":"assistant","content":"usage"}}],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}"#;
        assert_eq!(
            tokens_in(chat),
            Some(Tokens {
                input: 10,
                output: 5,
                cached_input: 4,
                cache_write: 0,
                reasoning: 2
            })
        );
        let responses_event = br#"{"type":"response.completed","sequence_number":9,"response":{"id":"r","usage":{"input_tokens":7,"output_tokens":3,"input_tokens_details":{"cached_tokens":1},"output_tokens_details":{"reasoning_tokens":2}}}}"#;
        assert_eq!(
            tokens_in(responses_event),
            Some(Tokens {
                input: 7,
                output: 3,
                cached_input: 1,
                cache_write: 0,
                reasoning: 2
            })
        );
        let start = br#"{"type":"message_start","message":{"id":"m","usage":{"input_tokens":20,"output_tokens":1,"cache_read_input_tokens":8,"cache_creation_input_tokens":6}}}"#;
        let delta = br#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}"#;
        let mut t = tokens_in(start).expect("start");
        t.merge(tokens_in(delta).expect("delta"));
        assert_eq!(
            t,
            Tokens {
                input: 20,
                output: 15,
                cached_input: 8,
                cache_write: 6,
                reasoning: 0
            }
        );
        let gemini = br#"{"candidates":[],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":4,"thoughtsTokenCount":3,"cachedContentTokenCount":2}}"#;
        assert_eq!(
            tokens_in(gemini),
            Some(Tokens {
                input: 12,
                output: 4,
                cached_input: 2,
                cache_write: 0,
                reasoning: 3
            })
        );
        assert_eq!(tokens_in(br#"{"type":"content_block_delta"}"#), None);
        assert_eq!(tokens_in(br#"{"usage": null, "message": "usage"}"#), None);
        assert_eq!(tokens_in(b"[DONE]"), None);
        assert!(!has_usage_value(br#"{"choices":[],"usage" : null}"#));
        assert!(has_usage_value(br#"{"usage" : {"prompt_tokens":1}}"#));
        assert!(has_usage_value(
            br#"{"usageMetadata":{"promptTokenCount":1}}"#
        ));
    }

    #[test]
    fn only_usage_keys_with_a_value_count() {
        for (json, has) in [
            (r#"{"usage":{"total_tokens":1}}"#, true),
            (r#"{"usageMetadata": {"promptTokenCount":1}}"#, true),
            (r#"{"usage":null}"#, false),
            (r#"{"error":{"code":503,"message":"overloaded"}}"#, false),
            (r#"{"candidates":[{"finishMessage":"x"}]}"#, false),
            (r#"{"text":"say \"usage\": 3"}"#, false),
        ] {
            assert_eq!(has_usage_value(json.as_bytes()), has, "{json}");
        }
    }
}
