//! Translation cost for every pair, on the golden cases (`tests/golden/<pair>/`): the rich
//! conversation's request (about 2.5 KB: images, a PDF, tools, history, structured output)
//! and its upstream stream, per event. `cargo bench -p aigw-translate`.
//!
//! Also the parse-only baselines the figures compare with: the caller's request into
//! `serde_json::Value` and into its generated type.

use std::hint::black_box;
use std::path::Path;

use aigw_translate::Translator;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

use aigw_translate::PAIRS;

/// The gateway binary's allocator, so the figures are the gateway's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn translator(pair: &str) -> Box<dyn Translator> {
    let options = aigw_translate::PairOptions {
        reasoning_field: Some("reasoning_content".to_owned()),
        stream: true,
        sse: true,
        caller_model: "caller-model".to_owned(),
    };
    aigw_translate::by_name(pair, false, &options).expect("a pair")
}

#[path = "../tests/common/mod.rs"]
mod common;

/// The rich golden case's request (bytes) and upstream stream.
fn case(pair: &str) -> (Vec<u8>, Vec<(Option<String>, String)>) {
    let c = common::golden_case(pair, "tools_vision_reasoning");
    let request = serde_json::to_vec(&c["request"]).expect("json");
    (request, common::upstream_stream(&c))
}

fn requests(c: &mut Criterion) {
    for pair in PAIRS {
        bench_request(c, "request", pair, &case(pair).0);
    }
}

/// One request translated by `pair`, a fresh translator each time, as the gateway does.
fn bench_request(c: &mut Criterion, group: &str, pair: &str, request: &[u8]) {
    let model = upstream_model(pair);
    c.bench_function(&format!("{group} {pair} ({} B)", request.len()), |b| {
        b.iter(|| {
            let mut t = translator(pair);
            black_box(t.request(black_box(request), model).expect("ok"));
        })
    });
}

/// The upstream model a request is translated for: toward Gemini a Gemini 3 one, which
/// takes images inside a tool's result (the model rides in the path: it changes nothing
/// else of the request).
fn upstream_model(pair: &str) -> &'static str {
    match pair.ends_with("_gemini") {
        true => "gemini-3-pro-preview",
        false => "upstream-model",
    }
}

/// The load benchmark's request (`scripts/bench-load.sh`: a system prompt and one short
/// question), from a Chat Completions caller to each other upstream; and a plain text
/// conversation of about 2 KB (a system prompt and ten turns, no images or tools) from
/// every caller to every upstream, and an agent's first turn with three tools: the
/// figures beside the rich golden request's.
fn text_requests(c: &mut Criterion) {
    let small = br#"{"model":"claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark, please."}],"temperature":0.2}"#;
    for pair in ["openai_anthropic", "openai_gemini", "openai_responses"] {
        bench_request(c, "small request", pair, small);
    }
    for pair in PAIRS {
        let request = text_conversation(pair.split('_').next().expect("caller"));
        bench_request(c, "text request", pair, &request);
    }
    let every = ["openai", "anthropic", "gemini", "responses"];
    bench_fast_request(c, "tools request", &every, tools_conversation);
    bench_fast_request(c, "history request", &every, history_conversation);
    bench_fast_request(
        c,
        "dialect tools request",
        &["gemini"],
        dialect_tools_conversation,
    );
    bench_fast_request(c, "image request", &every, image_conversation);
    bench_fast_request(c, "image url request", &every, image_url_conversation);
    bench_fast_request(c, "document request", &every, document_conversation);
    // (Chat takes files as data only: toward it a PDF by URL goes the general way.)
    let pdf_url_pairs = [
        "anthropic_gemini",
        "anthropic_responses",
        "gemini_anthropic",
        "gemini_responses",
        "responses_anthropic",
        "responses_gemini",
    ];
    bench_fast_pairs(c, "pdf url request", &pdf_url_pairs, |pair| {
        pdf_url_conversation(pair.split('_').next().expect("caller"))
    });
    bench_fast_request(c, "settings request", &every, settings_conversation);
    let openai_callers = ["openai", "responses"];
    bench_fast_request(c, "service request", &openai_callers, service_conversation);
    bench_fast_request(c, "agent request", &["anthropic"], claude_code_conversation);
    bench_fast_request(
        c,
        "screenshot result request",
        &["anthropic", "gemini", "responses"],
        screenshot_result_conversation,
    );
    bench_fast_request(c, "codex request", &["responses"], codex_conversation);
    bench_fast_pairs(
        c,
        "codex later request",
        &[
            "responses_anthropic",
            "responses_gemini",
            "responses_openai",
        ],
        codex_later_conversation,
    );
    bench_fast_pairs(
        c,
        "gemini signed request",
        &["gemini_anthropic", "gemini_responses"],
        gemini_signed_conversation,
    );
    bench_fast_pairs(
        c,
        "gemini thoughts request",
        &["gemini_anthropic", "gemini_responses"],
        gemini_thoughts_conversation,
    );
    let chat_pairs = ["openai_anthropic", "openai_gemini", "openai_responses"];
    bench_fast_pairs(
        c,
        "chat reasoning request",
        &chat_pairs,
        chat_reasoning_conversation,
    );
    // The agents' requests on the general path, side by side.
    aigw_translate::fast::set_enabled(false);
    for pair in [
        "anthropic_openai",
        "anthropic_gemini",
        "anthropic_responses",
    ] {
        let request = claude_code_conversation("anthropic");
        bench_request(c, "agent request, general path,", pair, &request);
    }
    for pair in [
        "responses_anthropic",
        "responses_gemini",
        "responses_openai",
    ] {
        let request = codex_later_conversation(pair);
        bench_request(c, "codex later request, general path,", pair, &request);
    }
    for pair in ["gemini_anthropic", "gemini_responses"] {
        let request = gemini_signed_conversation(pair);
        bench_request(c, "gemini signed request, general path,", pair, &request);
    }
    for pair in [
        "anthropic_openai",
        "anthropic_gemini",
        "anthropic_responses",
        "gemini_anthropic",
        "gemini_openai",
        "gemini_responses",
        "responses_anthropic",
        "responses_gemini",
        "responses_openai",
    ] {
        let request = screenshot_result_conversation(pair.split('_').next().expect("caller"));
        let group = "screenshot result request, general path,";
        bench_request(c, group, pair, &request);
    }
    for pair in PAIRS {
        let caller = pair.split('_').next().expect("caller");
        let request = image_url_conversation(caller);
        bench_request(c, "image url request, general path,", pair, &request);
        let request = document_conversation(caller);
        bench_request(c, "document request, general path,", pair, &request);
    }
    for pair in pdf_url_pairs {
        let request = pdf_url_conversation(pair.split('_').next().expect("caller"));
        bench_request(c, "pdf url request, general path,", pair, &request);
    }
    for pair in PAIRS {
        let request = settings_conversation(pair.split('_').next().expect("caller"));
        bench_request(c, "settings request, general path,", pair, &request);
    }
    for pair in PAIRS {
        let caller = pair.split('_').next().expect("caller");
        if openai_callers.contains(&caller) {
            let request = service_conversation(caller);
            bench_request(c, "service request, general path,", pair, &request);
        }
    }
    for pair in ["gemini_anthropic", "gemini_responses"] {
        let request = gemini_thoughts_conversation(pair);
        bench_request(c, "gemini thoughts request, general path,", pair, &request);
    }
    for pair in chat_pairs {
        let request = chat_reasoning_conversation(pair);
        bench_request(c, "chat reasoning request, general path,", pair, &request);
    }
    aigw_translate::fast::set_enabled(true);
    bench_fast_request(c, "format request", &every, format_conversation);
}

/// The `text request` conversation asking for its answer as JSON by a four-field schema,
/// in `caller`'s protocol.
fn format_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let schema = json!({"type": "object", "properties": {
            "city": {"type": "string", "description": "The city's name."},
            "population": {"type": "integer", "minimum": 0},
            "sunny": {"type": "boolean"},
            "notes": {"type": "array", "items": {"type": "string"}}},
        "required": ["city", "population", "sunny", "notes"], "additionalProperties": false});
    let mut body: Value = serde_json::from_slice(&text_conversation(caller)).expect("json");
    match caller {
        "openai" => {
            body["response_format"] = json!({"type": "json_schema",
                "json_schema": {"name": "city_report", "strict": true, "schema": schema}});
        }
        "anthropic" => {
            body["output_config"] = json!({"format": {"type": "json_schema", "schema": schema}});
        }
        "gemini" => {
            body["generationConfig"]["responseMimeType"] = json!("application/json");
            body["generationConfig"]["responseJsonSchema"] = schema;
        }
        _ => {
            body["text"] = json!({"format": {"type": "json_schema", "name": "city_report",
                "strict": true, "schema": schema}});
        }
    }
    serde_json::to_vec(&body).expect("json")
}

/// A question about a 48 KB PNG (as base64, 64 KB), its answer and a follow-up, in
/// `caller`'s protocol: the image's bytes are most of the request.
fn image_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    // Base64 text (not a real image: no pair decodes it).
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data: String = (0..64 * 1024)
        .map(|i| char::from(alphabet[i % 64]))
        .collect();
    let (ask, answer, more) = (
        "What is on this chart? Name the axes and the trend.",
        "A line chart of requests per second against time; it rises steadily, then levels off.",
        "At what time does it level off?",
    );
    let url = format!("data:image/png;base64,{data}");
    let body = match caller {
        "openai" => json!({"model": "m", "max_completion_tokens": 1024, "messages": [
            {"role": "user", "content": [{"type": "text", "text": ask},
                {"type": "image_url", "image_url": {"url": url}}]},
            {"role": "assistant", "content": answer}, {"role": "user", "content": more}]}),
        "anthropic" => json!({"model": "m", "max_tokens": 1024, "messages": [
            {"role": "user", "content": [{"type": "text", "text": ask}, {"type": "image",
                "source": {"type": "base64", "media_type": "image/png", "data": data}}]},
            {"role": "assistant", "content": answer}, {"role": "user", "content": more}]}),
        "gemini" => json!({"generationConfig": {"maxOutputTokens": 1024}, "contents": [
            {"role": "user", "parts": [{"text": ask},
                {"inlineData": {"mimeType": "image/png", "data": data}}]},
            {"role": "model", "parts": [{"text": answer}]},
            {"role": "user", "parts": [{"text": more}]}]}),
        _ => json!({"model": "m", "max_output_tokens": 1024, "input": [
            {"role": "user", "content": [{"type": "input_text", "text": ask},
                {"type": "input_image", "image_url": url, "detail": "auto"}]},
            {"type": "message", "role": "assistant", "content": answer},
            {"role": "user", "content": more}]}),
    };
    serde_json::to_vec(&body).expect("json")
}

/// Three photos by URL (a CDN's, with signed queries) compared, the answer and a
/// follow-up, in `caller`'s protocol (about 1.6 KB).
fn image_url_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let urls: Vec<String> = ["front", "side", "back"]
        .iter()
        .map(|view| {
            format!(
                "https://images.example-cdn.com/products/2026/11/chair-{view}.jpg?w=1024&h=768&fit=crop&sig=9f8e7d6c5b4a39281706f5e4d3c2b1a0"
            )
        })
        .collect();
    let (ask, answer, more) = (
        "These are three photos of the same chair. Describe its material, colour and condition, and say whether any of the photos shows damage.",
        "The chair is solid oak with a natural matte finish and a grey wool seat cushion. The front and side views show it in good condition; the back view shows a scratch about 5 cm long on the left rear leg, near the floor.",
        "Could the scratch be sanded out, or does the leg need replacing?",
    );
    let body = match caller {
        "openai" => {
            let mut content = vec![json!({"type": "text", "text": ask})];
            content.extend(
                urls.iter()
                    .map(|u| json!({"type": "image_url", "image_url": {"url": u}})),
            );
            json!({"model": "m", "max_completion_tokens": 1024, "messages": [
                {"role": "system", "content": "You inspect furniture for a resale shop."},
                {"role": "user", "content": content},
                {"role": "assistant", "content": answer}, {"role": "user", "content": more}]})
        }
        "anthropic" => {
            let mut content = vec![json!({"type": "text", "text": ask})];
            content.extend(
                urls.iter()
                    .map(|u| json!({"type": "image", "source": {"type": "url", "url": u}})),
            );
            json!({"model": "m", "max_tokens": 1024,
                "system": "You inspect furniture for a resale shop.", "messages": [
                {"role": "user", "content": content},
                {"role": "assistant", "content": answer}, {"role": "user", "content": more}]})
        }
        "gemini" => {
            let mut parts = vec![json!({"text": ask})];
            parts.extend(
                urls.iter()
                    .map(|u| json!({"fileData": {"mimeType": "image/jpeg", "fileUri": u}})),
            );
            json!({"generationConfig": {"maxOutputTokens": 1024},
                "systemInstruction": {"parts": [{"text": "You inspect furniture for a resale shop."}]},
                "contents": [{"role": "user", "parts": parts},
                {"role": "model", "parts": [{"text": answer}]},
                {"role": "user", "parts": [{"text": more}]}]})
        }
        _ => {
            let mut content = vec![json!({"type": "input_text", "text": ask})];
            content.extend(
                urls.iter()
                    .map(|u| json!({"type": "input_image", "image_url": u, "detail": "auto"})),
            );
            json!({"model": "m", "max_output_tokens": 1024,
                "instructions": "You inspect furniture for a resale shop.", "input": [
                {"role": "user", "content": content},
                {"type": "message", "role": "assistant", "content": answer},
                {"role": "user", "content": more}]})
        }
    };
    serde_json::to_vec(&body).expect("json")
}

/// A question about a small PDF (1.2 KB of base64, no name: toward Gemini a name is
/// reported), the answer and a follow-up, in `caller`'s protocol (about 1.8 KB).
fn document_conversation(caller: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data: String = "JVBERi0xLjcK"
        .chars()
        .chain((0..1200).map(|i| char::from(alphabet[i * 7 % 64])))
        .collect();
    document_request(caller, Pdf::Data(&data))
}

/// The `document request` conversation with its PDF given by an http(s) URL (Anthropic's
/// URL source, Gemini's `fileData`, Responses' `file_url`; Chat takes files as data
/// only), about 0.7 KB.
fn pdf_url_conversation(caller: &str) -> Vec<u8> {
    document_request(
        caller,
        Pdf::Url("https://billing.example.com/invoices/2026-10.pdf"),
    )
}

/// Where a benchmark's PDF is: its base64 text, or its URL.
enum Pdf<'a> {
    Data(&'a str),
    Url(&'a str),
}

/// A question about the PDF `pdf`, the answer and a follow-up, in `caller`'s protocol.
fn document_request(caller: &str, pdf: Pdf<'_>) -> Vec<u8> {
    use serde_json::json;
    let (ask, answer, more) = (
        "This is last month's invoice from our hosting provider. List each line item with its amount, and say whether the total matches the sum of the items.",
        "There are three line items: compute, 412.50 EUR; storage, 88.20 EUR; egress, 37.05 EUR. They sum to 537.75 EUR, which matches the stated total.",
        "Which item grew the most compared with the usual month?",
    );
    // The PDF's part in the caller's protocol.
    let file = match (caller, pdf) {
        ("openai", Pdf::Data(data)) => {
            json!({"type": "file", "file": {"file_data": format!("data:application/pdf;base64,{data}")}})
        }
        ("anthropic", Pdf::Data(data)) => json!({"type": "document",
            "source": {"type": "base64", "media_type": "application/pdf", "data": data}}),
        ("anthropic", Pdf::Url(url)) => {
            json!({"type": "document", "source": {"type": "url", "url": url}})
        }
        ("gemini", Pdf::Data(data)) => {
            json!({"inlineData": {"mimeType": "application/pdf", "data": data}})
        }
        ("gemini", Pdf::Url(url)) => {
            json!({"fileData": {"mimeType": "application/pdf", "fileUri": url}})
        }
        ("responses", Pdf::Data(data)) => json!({"type": "input_file",
            "file_data": format!("data:application/pdf;base64,{data}")}),
        ("responses", Pdf::Url(url)) => json!({"type": "input_file", "file_url": url}),
        _ => panic!("{caller} has no PDF by URL"),
    };
    let body = match caller {
        "openai" => json!({"model": "m", "max_completion_tokens": 1024, "messages": [
            {"role": "user", "content": [{"type": "text", "text": ask}, file]},
            {"role": "assistant", "content": answer}, {"role": "user", "content": more}]}),
        "anthropic" => json!({"model": "m", "max_tokens": 1024, "messages": [
            {"role": "user", "content": [{"type": "text", "text": ask}, file]},
            {"role": "assistant", "content": answer}, {"role": "user", "content": more}]}),
        "gemini" => json!({"generationConfig": {"maxOutputTokens": 1024}, "contents": [
            {"role": "user", "parts": [{"text": ask}, file]},
            {"role": "model", "parts": [{"text": answer}]},
            {"role": "user", "parts": [{"text": more}]}]}),
        _ => json!({"model": "m", "max_output_tokens": 1024, "input": [
            {"role": "user", "content": [{"type": "input_text", "text": ask}, file]},
            {"type": "message", "role": "assistant", "content": answer},
            {"role": "user", "content": more}]}),
    };
    serde_json::to_vec(&body).expect("json")
}

/// The `text request` conversation with the settings its caller's protocol has beyond it
/// (temperature, `top_p`, a seed or `top_k`, stop sequences, a penalty, JSON mode without
/// a schema; the Responses API has none of the seed, `top_k`, stop sequences and
/// penalties, Anthropic no JSON mode and no penalties): each upstream takes some and the pair reports the others.
fn settings_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&text_conversation(caller)).expect("json");
    let (at, settings) = match caller {
        "openai" => (
            "",
            json!({"temperature": 0.7, "top_p": 0.95, "seed": 1234, "stop": ["\nUser:"],
                "presence_penalty": 0.2, "response_format": {"type": "json_object"}}),
        ),
        "anthropic" => (
            "",
            json!({"temperature": 0.7, "top_p": 0.95, "top_k": 40, "stop_sequences": ["\nUser:"]}),
        ),
        "gemini" => (
            "/generationConfig",
            json!({"temperature": 0.7, "topP": 0.95, "topK": 40, "seed": 1234,
                "stopSequences": ["\nUser:"], "presencePenalty": 0.2,
                "responseMimeType": "application/json"}),
        ),
        _ => (
            "",
            json!({"temperature": 0.7, "top_p": 0.95, "text": {"format": {"type": "json_object"}}}),
        ),
    };
    if body.pointer(at).is_none() {
        body["generationConfig"] = json!({});
    }
    let target = body
        .pointer_mut(at)
        .and_then(Value::as_object_mut)
        .expect("object");
    for (key, value) in settings.as_object().expect("object") {
        target.insert(key.clone(), value.clone());
    }
    serde_json::to_vec(&body).expect("json")
}

/// The `text request` conversation with OpenAI's service settings as an application
/// sets them (Chat and Responses callers): `store`, `metadata`, `service_tier`,
/// `safety_identifier`, `prompt_cache_key`: the Responses API takes a Chat caller's,
/// the other upstreams none (the pairs report them).
fn service_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&text_conversation(caller)).expect("json");
    let settings = json!({"store": true, "metadata": {"app": "support-bot", "ticket": "T-20931"},
        "service_tier": "flex", "safety_identifier": "user-5d41402abc4b2a76",
        "prompt_cache_key": "support-bot-v3"});
    let object = body.as_object_mut().expect("object");
    for (key, value) in settings.as_object().expect("object") {
        object.insert(key.clone(), value.clone());
    }
    serde_json::to_vec(&body).expect("json")
}

/// `group`'s request (`build` writes it in a caller's protocol) from each of `callers`
/// to every upstream; the figure is the request fast path's, so the request must take it.
fn bench_fast_request(
    c: &mut Criterion,
    group: &str,
    callers: &[&str],
    build: fn(&str) -> Vec<u8>,
) {
    let of_callers = |pair: &&&str| callers.iter().any(|c| pair.split('_').next() == Some(c));
    let pairs: Vec<&str> = PAIRS.iter().copied().filter(|p| of_callers(&p)).collect();
    bench_fast_pairs(c, group, &pairs, |pair| {
        build(pair.split('_').next().expect("caller"))
    });
}

/// `group`'s request (`build` writes it for a pair) through each of `pairs`, which must
/// take the request fast path.
fn bench_fast_pairs(
    c: &mut Criterion,
    group: &str,
    pairs: &[&str],
    build: impl Fn(&str) -> Vec<u8>,
) {
    for &pair in pairs {
        let request = build(pair);
        let before = aigw_translate::fast::plain_requests();
        translator(pair)
            .request(&request, upstream_model(pair))
            .expect("ok");
        assert!(
            aigw_translate::fast::plain_requests() > before,
            "{pair}: the {group} takes the fast path"
        );
        bench_request(c, group, pair, &request);
    }
}

/// A step of an agent's conversation.
enum Step {
    User(&'static str),
    /// The model's text, if any, and its calls: (id, function, arguments).
    Model(
        Option<&'static str>,
        Vec<(&'static str, &'static str, Value)>,
    ),
    /// The results of the model's last calls: (id, function, text).
    Results(Vec<(&'static str, &'static str, &'static str)>),
}

/// An agent's later turn of about 2 KB: the first turn's system prompt and tools, then
/// a task, three rounds of calls (one, two, one) and their results, the model's
/// report and a follow-up, in `caller`'s protocol.
fn history_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let steps = [
        Step::User("Rename the function `parse_config` to `load_config` everywhere in the crate."),
        Step::Model(
            Some("I will look for every use of it first."),
            vec![(
                "call_a1",
                "search",
                json!({"pattern": "parse_config", "glob": "**/*.rs"}),
            )],
        ),
        Step::Results(vec![(
            "call_a1",
            "search",
            "src/config.rs:12: pub fn parse_config(path: &Path) -> Result<Config>\nsrc/main.rs:40:     let config = parse_config(&args.config)?;",
        )]),
        Step::Model(
            None,
            vec![
                (
                    "call_b1",
                    "read_file",
                    json!({"path": "src/config.rs", "start_line": 1, "end_line": 30}),
                ),
                (
                    "call_b2",
                    "read_file",
                    json!({"path": "src/main.rs", "start_line": 30, "end_line": 50}),
                ),
            ],
        ),
        Step::Results(vec![
            (
                "call_b1",
                "read_file",
                "use std::path::Path;\n\n/// Reads the configuration file.\npub fn parse_config(path: &Path) -> Result<Config> {\n    let text = std::fs::read_to_string(path)?;\n    toml::from_str(&text).map_err(Error::from)\n}",
            ),
            (
                "call_b2",
                "read_file",
                "fn main() -> Result<()> {\n    let args = Args::parse();\n    let config = parse_config(&args.config)?;\n    run(config)\n}",
            ),
        ]),
        Step::Model(
            Some("Both uses found; renaming the definition."),
            vec![(
                "call_c1",
                "edit_file",
                json!({"path": "src/config.rs", "old": "pub fn parse_config(", "new": "pub fn load_config("}),
            )],
        ),
        Step::Results(vec![("call_c1", "edit_file", "Replaced 1 occurrence.")]),
        Step::Model(
            Some("The definition is renamed; `src/main.rs` still calls the old name."),
            vec![],
        ),
        Step::User("Go on with main.rs, then run the tests."),
    ];
    let mut body: Value = serde_json::from_slice(&tools_conversation(caller)).expect("json");
    let args = |a: &Value| a.to_string();
    let history: Vec<Value> = match caller {
        "openai" => {
            let mut all = vec![body["messages"][0].clone()];
            for step in &steps {
                match step {
                    Step::User(t) => all.push(json!({"role": "user", "content": t})),
                    Step::Model(text, calls) => {
                        let mut m = json!({"role": "assistant", "content": text});
                        if !calls.is_empty() {
                            m["tool_calls"] = calls.iter().map(|(id, n, a)| json!({"id": id, "type": "function", "function": {"name": n, "arguments": args(a)}})).collect();
                        }
                        all.push(m);
                    }
                    Step::Results(rs) => all.extend(rs.iter().map(|(id, _, t)| json!({"role": "tool", "tool_call_id": id, "content": t}))),
                }
            }
            all
        }
        "anthropic" => steps
            .iter()
            .map(|step| match step {
                Step::User(t) => json!({"role": "user", "content": t}),
                Step::Model(text, calls) => {
                    let mut blocks: Vec<Value> = text.iter().map(|t| json!({"type": "text", "text": t})).collect();
                    blocks.extend(calls.iter().map(|(id, n, a)| json!({"type": "tool_use", "id": id, "name": n, "input": a})));
                    json!({"role": "assistant", "content": blocks})
                }
                Step::Results(rs) => json!({"role": "user", "content": rs.iter().map(|(id, _, t)| json!({"type": "tool_result", "tool_use_id": id, "content": t})).collect::<Vec<_>>()}),
            })
            .collect(),
        "gemini" => steps
            .iter()
            .map(|step| match step {
                Step::User(t) => json!({"role": "user", "parts": [{"text": t}]}),
                Step::Model(text, calls) => {
                    let mut parts: Vec<Value> = text.iter().map(|t| json!({"text": t})).collect();
                    parts.extend(calls.iter().map(|(_, n, a)| json!({"functionCall": {"name": n, "args": a}})));
                    json!({"role": "model", "parts": parts})
                }
                Step::Results(rs) => json!({"role": "user", "parts": rs.iter().map(|(_, n, t)| json!({"functionResponse": {"name": n, "response": {"result": t}}})).collect::<Vec<_>>()}),
            })
            .collect(),
        _ => {
            let mut all = Vec::new();
            for step in &steps {
                match step {
                    Step::User(t) => all.push(json!({"role": "user", "content": t})),
                    Step::Model(text, calls) => {
                        all.extend(text.iter().map(|t| json!({"type": "message", "role": "assistant", "content": t})));
                        all.extend(calls.iter().map(|(id, n, a)| json!({"type": "function_call", "call_id": id, "name": n, "arguments": args(a)})));
                    }
                    Step::Results(rs) => all.extend(rs.iter().map(|(id, _, t)| json!({"type": "function_call_output", "call_id": id, "output": t}))),
                }
            }
            all
        }
    };
    let key = match caller {
        "openai" => "messages",
        "gemini" => "contents",
        "anthropic" => "messages",
        _ => "input",
    };
    body[key] = Value::Array(history);
    serde_json::to_vec(&body).expect("json")
}

/// The `tools request` as Codex sends it (a Responses caller's first turn): stateless
/// (`store: false`, encrypted reasoning included), `reasoning` with an effort and
/// summaries, parallel calls off, a `prompt_cache_key`, tools with `strict: false`.
fn codex_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&tools_conversation(caller)).expect("json");
    body["store"] = json!(false);
    body["include"] = json!(["reasoning.encrypted_content"]);
    body["reasoning"] = json!({"effort": "medium", "summary": "auto"});
    body["parallel_tool_calls"] = json!(false);
    body["prompt_cache_key"] = json!("0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    for tool in body["tools"].as_array_mut().expect("tools") {
        tool["strict"] = json!(false);
    }
    serde_json::to_vec(&body).expect("json")
}

/// The `history request` as Codex sends it later in a conversation (a Responses caller's,
/// with `codex_conversation`'s settings): the model's reasoning sent back before each of
/// its steps, a summary of two texts and the state the gateway sealed for `pair`'s upstream
/// (Anthropic's thinking signature, Gemini's thought signature, 360 base64 characters; a
/// Chat upstream's answers carry none: its summary goes to the reasoning field).
fn codex_later_conversation(pair: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&codex_conversation("responses")).expect("json");
    let history: Value = serde_json::from_slice(&history_conversation("responses")).expect("json");
    let state = opaque_state();
    let prefix = match pair {
        "responses_anthropic" => Some("an:"),
        "responses_gemini" => Some("gm:"),
        _ => None,
    };
    let mut input = Vec::new();
    let mut n = 0;
    for item in history["input"].as_array().expect("input") {
        let starts_step = item["type"] == "function_call" || item["role"] == "assistant";
        let after_step = input.last().is_some_and(|l: &Value| {
            l["type"] == "function_call" || l["role"] == "assistant" || l["type"] == "reasoning"
        });
        if starts_step && !after_step {
            n += 1;
            let mut r = json!({"type": "reasoning", "summary": [
                {"type": "summary_text", "text": format!("**Step {n}: reading the code**")},
                {"type": "summary_text", "text": "I need to find where `parse_config` is used and change each call site, then check that the tests still pass."}]});
            if let Some(prefix) = prefix {
                r["encrypted_content"] = json!(format!("{prefix}{state}"));
            }
            input.push(r);
        }
        input.push(item.clone());
    }
    body["input"] = Value::Array(input);
    serde_json::to_vec(&body).expect("json")
}

/// 360 base64 characters, as a provider's opaque reasoning state.
fn opaque_state() -> String {
    (0..360)
        .map(|i| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i * 7 % 64] as char
        })
        .collect()
}

/// The `history request` of a Gemini caller whose model thinks (as google-genai and
/// gemini-cli send it back): a thought signature on the first part of each of the model's
/// turns, made by the gateway for `pair`'s upstream (Anthropic's sealed thinking
/// signature, or a Responses reasoning item's id and 360 characters of state).
fn gemini_signed_conversation(pair: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&history_conversation("gemini")).expect("json");
    let state = opaque_state();
    let signature = match pair {
        "gemini_anthropic" => aigw_translate::sealed::Sealed::AnthropicThinking.seal_base64(&state),
        _ => aigw_translate::responses_upstream::signature("rs_68a1b2c3d4e5f6", Some(&state)),
    };
    for content in body["contents"].as_array_mut().expect("contents") {
        if content["role"] == "model" {
            content["parts"][0]["thoughtSignature"] = json!(signature);
        }
    }
    serde_json::to_vec(&body).expect("json")
}

/// The `gemini signed request` with the model's thoughts shown and sent back (as
/// google-genai sends a thinking model's whole content back): a thought part before each
/// of the model's turns' signed first part, and `includeThoughts`.
fn gemini_thoughts_conversation(pair: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&gemini_signed_conversation(pair)).expect("json");
    body["generationConfig"]["thinkingConfig"] = json!({"includeThoughts": true});
    let thought = "**Reading the code**\n\nI need to find where `parse_config` is used and change each call site, then check that the tests still pass.";
    for content in body["contents"].as_array_mut().expect("contents") {
        if content["role"] == "model" {
            let parts = content["parts"].as_array_mut().expect("parts");
            parts.insert(0, json!({"text": thought, "thought": true}));
        }
    }
    serde_json::to_vec(&body).expect("json")
}

/// The `history request` of a Chat caller whose model thinks (`reasoning_effort`), with
/// the model's reasoning sent back on each of its messages as `pair`'s answers give it
/// (the openai SDK sends the message back whole): `reasoning_content` and a signed
/// thinking block (Anthropic's signature with its text, Gemini's without, a Responses
/// reasoning item's id and state sealed by the gateway; 360 characters of state each).
fn chat_reasoning_conversation(pair: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&history_conversation("openai")).expect("json");
    body["reasoning_effort"] = json!("medium");
    let state = opaque_state();
    let thought = "I need to find where `parse_config` is used and change each call site, then check that the tests still pass.";
    let block = match pair {
        "openai_anthropic" => json!({"type": "thinking", "thinking": thought, "signature": state}),
        "openai_gemini" => json!({"type": "thinking", "thinking": "", "signature": state}),
        _ => json!({"type": "thinking", "thinking": thought,
            "signature": aigw_translate::responses_upstream::signature("rs_68a1b2c3d4e5f6", Some(&state))}),
    };
    for message in body["messages"].as_array_mut().expect("messages") {
        if message["role"] == "assistant" {
            message["reasoning_content"] = json!(thought);
            message["thinking_blocks"] = json!([block]);
        }
    }
    serde_json::to_vec(&body).expect("json")
}

/// A caller's turn after a tool took a screenshot, as Claude Code (an Anthropic caller),
/// gemini-cli (a Gemini caller, toward Gemini 3) or an OpenAI Agents SDK agent (a
/// Responses caller, the output a list of parts) sends it: the call, its result (a line
/// of text and a small PNG, 1.2 KB of base64) and a question (about 2 KB).
fn screenshot_result_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data: String = "iVBORw0KGgo"
        .chars()
        .chain((0..1200).map(|i| char::from(alphabet[i * 11 % 64])))
        .collect();
    if caller == "gemini" {
        let body = json!({
            "systemInstruction": {"parts": [{"text": "You are a coding agent. Use the tools to check your work."}]},
            "tools": [{"functionDeclarations": [{"name": "screenshot",
                "description": "Takes a screenshot of the running app.",
                "parametersJsonSchema": {"type": "object", "properties": {"url": {"type": "string"}},
                    "required": ["url"]}}]}],
            "generationConfig": {"maxOutputTokens": 4096},
            "contents": [
                {"role": "user", "parts": [{"text": "The login button looks misaligned on the settings page. Check it."}]},
                {"role": "model", "parts": [{"text": "I'll take a screenshot of the settings page."},
                    {"functionCall": {"id": "call_01", "name": "screenshot",
                        "args": {"url": "http://localhost:3000/settings"}}}]},
                {"role": "user", "parts": [{"functionResponse": {"id": "call_01", "name": "screenshot",
                    "response": {"output": "Screenshot of http://localhost:3000/settings (1280x800)."},
                    "parts": [{"inlineData": {"mimeType": "image/png", "data": data}}]}}]}]});
        return serde_json::to_vec(&body).expect("json");
    }
    if caller == "responses" {
        let body = json!({"model": "m", "stream": true, "store": false,
            "instructions": "You are a coding agent. Use the tools to check your work.",
            "max_output_tokens": 4096,
            "tools": [{"type": "function", "name": "screenshot",
                "description": "Takes a screenshot of the running app.",
                "parameters": {"type": "object", "properties": {"url": {"type": "string"}},
                    "required": ["url"]}}],
            "input": [
                {"role": "user", "content": "The login button looks misaligned on the settings page. Check it."},
                {"type": "message", "role": "assistant", "content": "I'll take a screenshot of the settings page."},
                {"type": "function_call", "call_id": "call_01", "name": "screenshot",
                    "arguments": "{\"url\":\"http://localhost:3000/settings\"}"},
                {"type": "function_call_output", "call_id": "call_01", "output": [
                    {"type": "input_text", "text": "Screenshot of http://localhost:3000/settings (1280x800)."},
                    {"type": "input_image", "image_url": format!("data:image/png;base64,{data}")}]}]});
        return serde_json::to_vec(&body).expect("json");
    }
    assert_eq!(caller, "anthropic");
    let body = json!({"model": "m", "max_tokens": 4096, "stream": true,
        "system": "You are a coding agent. Use the tools to check your work.",
        "tools": [{"name": "screenshot", "description": "Takes a screenshot of the running app.",
            "input_schema": {"type": "object", "properties": {"url": {"type": "string"}},
                "required": ["url"]}}],
        "messages": [
            {"role": "user", "content": "The login button looks misaligned on the settings page. Check it."},
            {"role": "assistant", "content": [{"type": "text", "text": "I'll take a screenshot of the settings page."},
                {"type": "tool_use", "id": "toolu_01", "name": "screenshot",
                    "input": {"url": "http://localhost:3000/settings"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": [
                {"type": "text", "text": "Screenshot of http://localhost:3000/settings (1280x800)."},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}]}]}]});
    serde_json::to_vec(&body).expect("json")
}

/// The `history request` as Claude Code sends it (an Anthropic caller's): the system as
/// two blocks with cache hints, `metadata.user_id`, a reminder beside the first task and
/// after the last results, cache hints on the last tool and the last block.
fn claude_code_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let mut body: Value = serde_json::from_slice(&history_conversation(caller)).expect("json");
    let hint = json!({"type": "ephemeral"});
    let system = body["system"].as_str().expect("system").to_owned();
    body["system"] = json!([
        {"type": "text", "text": "You are Claude Code, an agent for the command line.", "cache_control": hint},
        {"type": "text", "text": system, "cache_control": hint}]);
    body["metadata"] = json!({"user_id": "user_5d41402abc4b2a76_account_7c9e_session_3f2a9c1e"});
    let reminder =
        "<system-reminder>\nThe working directory is a git repository.\n</system-reminder>";
    let messages = body["messages"].as_array_mut().expect("messages");
    let first = messages[0]["content"].as_str().expect("task").to_owned();
    messages[0]["content"] =
        json!([{"type": "text", "text": reminder}, {"type": "text", "text": first}]);
    let last = messages.len() - 1;
    let follow_up = messages[last]["content"].as_str().expect("text").to_owned();
    messages[last]["content"] = json!([{"type": "text", "text": reminder},
        {"type": "text", "text": follow_up, "cache_control": hint}]);
    let tools = body["tools"].as_array_mut().expect("tools");
    let last_tool = tools.len() - 1;
    tools[last_tool]["cache_control"] = hint;
    serde_json::to_vec(&body).expect("json")
}

/// An agent's first turn of about 2 KB: a system prompt, six turns, three function
/// tools with JSON Schema parameters and `auto` tool choice, in `caller`'s protocol.
fn tools_conversation(caller: &str) -> Vec<u8> {
    use serde_json::json;
    let system = "You are a coding agent. Use the tools to read and change files; never guess a file's content.";
    let turns = [
        "Rename the function `parse_config` to `load_config` everywhere in the crate.",
        "I will look for every use of it first.",
        "Good. Keep the tests passing, and update the docs that mention it as well.",
        "Understood: the code, the tests and the docs.",
        "One more thing: the CHANGELOG needs an entry under Unreleased that names the rename.",
        "Noted. I will add it once the code and the tests are done, in the same commit.",
    ];
    let path = json!({"type": "string", "description": "A path relative to the repository root."});
    let tools = [
        (
            "read_file",
            "Reads a file and returns its text.",
            json!({"type": "object", "properties": {"path": path, "start_line": {"type": "integer", "minimum": 1}, "end_line": {"type": "integer", "minimum": 1}}, "required": ["path"], "additionalProperties": false}),
        ),
        (
            "search",
            "Finds lines that match a regular expression.",
            json!({"type": "object", "properties": {"pattern": {"type": "string", "description": "A Rust regex."}, "glob": {"type": "string", "description": "Which files, e.g. **/*.rs"}, "max_results": {"type": "integer", "default": 50}}, "required": ["pattern"], "additionalProperties": false}),
        ),
        (
            "edit_file",
            "Replaces one exact string in a file with another.",
            json!({"type": "object", "properties": {"path": path, "old": {"type": "string"}, "new": {"type": "string"}}, "required": ["path", "old", "new"], "additionalProperties": false}),
        ),
    ];
    let role = |i: usize, assistant: &'static str| {
        if i.is_multiple_of(2) {
            "user"
        } else {
            assistant
        }
    };
    let messages = |assistant| -> Vec<Value> {
        turns
            .iter()
            .enumerate()
            .map(|(i, t)| json!({"role": role(i, assistant), "content": t}))
            .collect()
    };
    let body = match caller {
        "openai" => {
            let mut all = vec![json!({"role": "system", "content": system})];
            all.extend(messages("assistant"));
            json!({"model": "m", "messages": all, "max_completion_tokens": 4096, "tool_choice": "auto",
                "tools": tools.iter().map(|(n, d, p)| json!({"type": "function", "function": {"name": n, "description": d, "parameters": p}})).collect::<Vec<_>>()})
        }
        "anthropic" => {
            json!({"model": "m", "system": system, "messages": messages("assistant"), "max_tokens": 4096,
            "tool_choice": {"type": "auto"},
            "tools": tools.iter().map(|(n, d, p)| json!({"name": n, "description": d, "input_schema": p})).collect::<Vec<_>>()})
        }
        "gemini" => json!({"systemInstruction": {"parts": [{"text": system}]},
            "contents": turns.iter().enumerate().map(|(i, t)| json!({"role": role(i, "model"), "parts": [{"text": t}]})).collect::<Vec<_>>(),
            "generationConfig": {"maxOutputTokens": 4096},
            "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}},
            "tools": [{"functionDeclarations": tools.iter().map(|(n, d, p)| json!({"name": n, "description": d, "parametersJsonSchema": p})).collect::<Vec<_>>()}]}),
        _ => {
            json!({"model": "m", "instructions": system, "input": messages("assistant"), "max_output_tokens": 4096,
            "tool_choice": "auto",
            "tools": tools.iter().map(|(n, d, p)| json!({"type": "function", "name": n, "description": d, "parameters": p})).collect::<Vec<_>>()})
        }
    };
    serde_json::to_vec(&body).expect("json")
}

/// The Gemini caller's `tools_conversation` with its tools' schemas in Gemini's own
/// dialect (`parameters`: upper-case types, as google-genai's typed `Schema` sends them).
fn dialect_tools_conversation(caller: &str) -> Vec<u8> {
    fn dialect(schema: &mut Value) {
        if let Value::Object(m) = schema {
            m.remove("additionalProperties");
            for (key, v) in m.iter_mut() {
                match (key.as_str(), v) {
                    ("type", Value::String(t)) => *t = t.to_ascii_uppercase(),
                    ("properties", Value::Object(p)) => p.values_mut().for_each(dialect),
                    _ => {}
                }
            }
        }
    }
    let mut body: Value = serde_json::from_slice(&tools_conversation(caller)).expect("json");
    let declarations = body["tools"][0]["functionDeclarations"]
        .as_array_mut()
        .expect("a Gemini caller's tools");
    for d in declarations {
        let d = d.as_object_mut().expect("a declaration");
        let mut schema = d.remove("parametersJsonSchema").expect("a schema");
        dialect(&mut schema);
        d.insert("parameters".into(), schema);
    }
    serde_json::to_vec(&body).expect("json")
}

/// A system prompt and ten alternating turns of about 170 B each, in `caller`'s protocol.
fn text_conversation(caller: &str) -> Vec<u8> {
    let system = "You are a careful assistant. Answer in plain prose, cite nothing you cannot check, and say so when you do not know.";
    let turns: Vec<(bool, String)> = (0..10)
        .map(|i| {
            (
                i % 2 == 0,
                format!("Turn {i}: here is a sentence of ordinary text, with \"quotes\", a tab\tand some numbers 12345, long enough to look like a real message in a chat."),
            )
        })
        .collect();
    // The turns as `{role, content}` messages (Chat, Anthropic, Responses).
    let messages = |assistant: &str| -> Vec<Value> {
        turns
            .iter()
            .map(|(user, text)| {
                serde_json::json!({"role": if *user { "user" } else { assistant }, "content": text})
            })
            .collect()
    };
    let body = match caller {
        "openai" => {
            let mut all = vec![serde_json::json!({"role": "system", "content": system})];
            all.extend(messages("assistant"));
            serde_json::json!({
                "model": "m", "messages": all, "max_completion_tokens": 1024, "temperature": 0.3,
            })
        }
        "anthropic" => serde_json::json!({
            "model": "m", "system": system, "messages": messages("assistant"),
            "max_tokens": 1024, "temperature": 0.3,
        }),
        "gemini" => serde_json::json!({
            "systemInstruction": {"parts": [{"text": system}]},
            "contents": turns.iter().map(|(user, text)| serde_json::json!({
                "role": if *user { "user" } else { "model" }, "parts": [{"text": text}]
            })).collect::<Vec<_>>(),
            "generationConfig": {"maxOutputTokens": 1024, "temperature": 0.3},
        }),
        _ => serde_json::json!({
            "model": "m", "instructions": system, "input": messages("assistant"),
            "max_output_tokens": 1024, "temperature": 0.3,
        }),
    };
    serde_json::to_vec(&body).expect("json")
}

/// The upstream's whole answer of the case (not streamed), translated.
fn responses(c: &mut Criterion) {
    let mut group = c.benchmark_group("response");
    for pair in PAIRS {
        let (request, _) = case(pair);
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/golden/{pair}/tools_vision_reasoning.json"));
        let c: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("case")).expect("JSON");
        let answer = serde_json::to_vec(&c["upstream_response"]).expect("json");
        group.bench_function(format!("{pair} ({} B)", answer.len()), |b| {
            b.iter_batched(
                // Not measured: a translator that has translated the request.
                || {
                    let mut t = translator(pair);
                    t.request(&request, "upstream-model").expect("ok");
                    t
                },
                |mut t| black_box(t.response(black_box(&answer)).expect("ok")),
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// The whole upstream stream of the case, translated; reported per event. The golden
/// streams are dense (reasoning, signatures, two calls, usage in a dozen events or
/// fewer); `answer` is the same stream with its first plain text delta repeated until it
/// has [`ANSWER_EVENTS`] events, the mix of a real answer of a few hundred tokens.
fn streams(c: &mut Criterion) {
    stream_group(c, "stream event", case);
    stream_group(c, "answer event", |pair| {
        let (request, mut events) = case(pair);
        let at = events
            .iter()
            .position(|(_, data)| {
                is_text_delta(pair, &serde_json::from_str(data).unwrap_or(Value::Null))
            })
            .expect("a plain text delta");
        let delta = events[at].clone();
        while events.len() < ANSWER_EVENTS {
            events.insert(at, delta.clone());
        }
        (request, events)
    });
}

/// Events in the `answer` streams.
const ANSWER_EVENTS: usize = 256;

/// A plain text answer of [`ANSWER_EVENTS`] events in each pair's upstream protocol (as
/// the providers frame one: start events, text deltas, stop reason and usage, end), after
/// the plain 2 KB conversation as the request: the commonest stream a gateway carries.
fn plain_answers(c: &mut Criterion) {
    stream_group(c, "plain answer event", |pair| {
        let request = text_conversation(pair.split('_').next().expect("caller"));
        (
            request,
            plain_answer(pair.rsplit('_').next().expect("upstream")),
        )
    });
}

/// A plain text answer in `upstream`'s protocol (`openai` is Chat Completions), as
/// (`event:` name, data), [`ANSWER_EVENTS`] events in all.
fn plain_answer(upstream: &str) -> Vec<(Option<String>, String)> {
    use serde_json::json;
    let word = |i: usize| format!("word{i} ");
    let full: String = (0..ANSWER_EVENTS).map(word).collect();
    let mut events: Vec<(Option<&str>, Value)> = Vec::new();
    match upstream {
        "anthropic" => {
            events.push((
                Some("message_start"),
                json!({"type": "message_start", "message": {
                "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-x",
                "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 25, "output_tokens": 1}}}),
            ));
            events.push((
                Some("content_block_start"),
                json!({"type": "content_block_start",
                "index": 0, "content_block": {"type": "text", "text": ""}}),
            ));
            events.push((Some("ping"), json!({"type": "ping"})));
            for i in 0..ANSWER_EVENTS - 6 {
                events.push((
                    Some("content_block_delta"),
                    json!({"type": "content_block_delta",
                    "index": 0, "delta": {"type": "text_delta", "text": word(i)}}),
                ));
            }
            events.push((
                Some("content_block_stop"),
                json!({"type": "content_block_stop", "index": 0}),
            ));
            events.push((
                Some("message_delta"),
                json!({"type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": null},
                "usage": {"output_tokens": 250}}),
            ));
            events.push((Some("message_stop"), json!({"type": "message_stop"})));
        }
        "openai" => {
            let chunk = |delta: Value, finish: Value| {
                json!({"id": "chatcmpl-1",
                "object": "chat.completion.chunk", "created": 1, "model": "gpt-x",
                "system_fingerprint": "fp_1", "choices": [{"index": 0, "delta": delta,
                "logprobs": null, "finish_reason": finish}]})
            };
            events.push((
                None,
                chunk(
                    json!({"role": "assistant", "content": "", "refusal": null}),
                    Value::Null,
                ),
            ));
            for i in 0..ANSWER_EVENTS - 4 {
                events.push((None, chunk(json!({"content": word(i)}), Value::Null)));
            }
            events.push((None, chunk(json!({}), json!("stop"))));
            events.push((
                None,
                json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
                "created": 1, "model": "gpt-x", "system_fingerprint": "fp_1", "choices": [],
                "usage": {"prompt_tokens": 25, "completion_tokens": 250, "total_tokens": 275}}),
            ));
        }
        "gemini" => {
            for i in 0..ANSWER_EVENTS {
                let mut candidate =
                    json!({"content": {"parts": [{"text": word(i)}], "role": "model"}, "index": 0});
                if i == ANSWER_EVENTS - 1 {
                    candidate["finishReason"] = json!("STOP");
                }
                events.push((
                    None,
                    json!({"candidates": [candidate],
                    "usageMetadata": {"promptTokenCount": 25, "candidatesTokenCount": i + 1,
                        "totalTokenCount": 26 + i},
                    "modelVersion": "gemini-x", "responseId": "r1"}),
                ));
            }
        }
        _ => {
            let response = |status: &str, output: Value, usage: Value| {
                json!({"id": "resp_1",
                "object": "response", "created_at": 1, "status": status, "model": "gpt-x",
                "output": output, "usage": usage})
            };
            let item = |status: &str, content: Value| {
                json!({"id": "msg_1", "type": "message",
                "status": status, "role": "assistant", "content": content})
            };
            let part = |text: &str| json!({"type": "output_text", "text": text, "annotations": []});
            let at = json!({"item_id": "msg_1", "output_index": 0, "content_index": 0});
            let with = |mut v: Value, extra: &Value| {
                v.as_object_mut()
                    .expect("object")
                    .extend(extra.as_object().expect("object").clone());
                v
            };
            events.push((
                Some("response.created"),
                json!({"type": "response.created",
                "response": response("in_progress", json!([]), Value::Null)}),
            ));
            events.push((
                Some("response.in_progress"),
                json!({"type": "response.in_progress",
                "response": response("in_progress", json!([]), Value::Null)}),
            ));
            events.push((
                Some("response.output_item.added"),
                json!({"type": "response.output_item.added",
                "output_index": 0, "item": item("in_progress", json!([]))}),
            ));
            events.push((
                Some("response.content_part.added"),
                with(
                    json!({"type": "response.content_part.added",
                "part": part("")}),
                    &at,
                ),
            ));
            for i in 0..ANSWER_EVENTS - 8 {
                events.push((
                    Some("response.output_text.delta"),
                    with(
                        json!({"type": "response.output_text.delta",
                    "delta": word(i), "logprobs": []}),
                        &at,
                    ),
                ));
            }
            events.push((
                Some("response.output_text.done"),
                with(
                    json!({"type": "response.output_text.done",
                "text": full, "logprobs": []}),
                    &at,
                ),
            ));
            events.push((
                Some("response.content_part.done"),
                with(
                    json!({"type": "response.content_part.done",
                "part": part(&full)}),
                    &at,
                ),
            ));
            let done = item("completed", json!([part(&full)]));
            events.push((
                Some("response.output_item.done"),
                json!({"type": "response.output_item.done",
                "output_index": 0, "item": done.clone()}),
            ));
            events.push((
                Some("response.completed"),
                json!({"type": "response.completed",
                "response": response("completed", json!([done]), json!({"input_tokens": 25,
                    "output_tokens": 250, "total_tokens": 275,
                    "input_tokens_details": {"cached_tokens": 0},
                    "output_tokens_details": {"reasoning_tokens": 0}}))}),
            ));
        }
    }
    // Sequence numbers, as the Responses API numbers its events.
    let mut events: Vec<(Option<String>, String)> = events
        .into_iter()
        .enumerate()
        .map(|(i, (event, mut data))| {
            if upstream == "responses" {
                data["sequence_number"] = json!(i);
            }
            (event.map(str::to_owned), data.to_string())
        })
        .collect();
    if upstream == "openai" {
        events.push((None, "[DONE]".to_owned()));
    }
    assert_eq!(events.len(), ANSWER_EVENTS, "{upstream}");
    events
}

/// Each pair's upstream stream, translated after the pair's request (`stream` gives both),
/// reported per event.
#[allow(clippy::type_complexity)]
fn stream_group(
    c: &mut Criterion,
    name: &str,
    stream: impl Fn(&str) -> (Vec<u8>, Vec<(Option<String>, String)>),
) {
    let mut group = c.benchmark_group(name);
    for pair in PAIRS {
        let (request, events) = stream(pair);
        group.throughput(criterion::Throughput::Elements(events.len() as u64));
        group.bench_function(pair, |b| {
            b.iter_batched(
                // Not measured: a translator that has translated the request.
                || {
                    let mut t = translator(pair);
                    t.request(&request, "upstream-model").expect("ok");
                    t
                },
                // As the gateway does: each upstream event's bytes into a buffer of their
                // own, handed on (dropped here) once written.
                |mut t| {
                    for (event, data) in &events {
                        let mut out = Vec::with_capacity(aigw_translate::out_capacity(data.len()));
                        t.stream_event(event.as_deref(), data, &mut out)
                            .expect("ok");
                        black_box(out);
                    }
                    let mut out = Vec::with_capacity(aigw_translate::out_capacity(0));
                    assert!(t.stream_finish(&mut out), "{pair}: the stream ends well");
                    out
                },
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Whether an upstream event is a plain text delta, by the pair's upstream protocol.
fn is_text_delta(pair: &str, data: &Value) -> bool {
    match pair.rsplit('_').next() {
        Some("anthropic") => data.pointer("/delta/type") == Some(&Value::from("text_delta")),
        Some("responses") => data["type"] == "response.output_text.delta",
        Some("gemini") => {
            data.pointer("/candidates/0/content/parts")
                .and_then(Value::as_array)
                .is_some_and(|p| {
                    p.len() == 1
                        && p[0].get("text").is_some()
                        && p[0].as_object().is_some_and(|o| o.len() == 1)
                })
                && data.pointer("/candidates/0/finishReason").is_none()
        }
        _ => data
            .pointer("/choices/0/delta")
            .and_then(Value::as_object)
            .is_some_and(|d| {
                d.len() == 1
                    && d.get("content")
                        .is_some_and(|c| c.as_str().is_some_and(|c| !c.is_empty()))
            }),
    }
}

/// A text delta, the commonest event, on its own: each pair's golden stream up to its
/// first plain text delta, then that event again and again.
fn text_delta(c: &mut Criterion) {
    let mut group = c.benchmark_group("text delta");
    for pair in PAIRS {
        let (request, events) = case(pair);
        let mut t = translator(pair);
        t.request(&request, "upstream-model").expect("ok");
        let mut out = Vec::with_capacity(4096);
        let mut delta = None;
        for (event, data) in &events {
            t.stream_event(event.as_deref(), data, &mut out)
                .expect("ok");
            let v: Value = serde_json::from_str(data).unwrap_or(Value::Null);
            if is_text_delta(pair, &v) {
                delta = Some((event.clone(), data.clone()));
                break;
            }
        }
        let Some((event, data)) = delta else {
            panic!("{pair}: no plain text delta in the golden stream");
        };
        group.bench_function(pair, |b| {
            b.iter(|| {
                out.clear();
                t.stream_event(event.as_deref(), black_box(&data), &mut out)
                    .expect("ok");
                black_box(&out);
            })
        });
    }
    group.finish();
}

fn parse_only(c: &mut Criterion) {
    let (chat, _) = case("openai_anthropic");
    c.bench_function("parse only: chat request into serde_json::Value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(&chat)).expect("ok")))
    });
    c.bench_function(
        "parse only: chat request into CreateChatCompletionRequest",
        |b| {
            b.iter(|| {
                black_box(
                    serde_json::from_slice::<aigw_openai::CreateChatCompletionRequest>(black_box(
                        &chat,
                    ))
                    .expect("ok"),
                )
            })
        },
    );
}

criterion_group!(
    benches,
    requests,
    text_requests,
    responses,
    streams,
    plain_answers,
    text_delta,
    parse_only
);
criterion_main!(benches);
