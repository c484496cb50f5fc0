//! No silent loss, checked field by field on every pair's golden requests:
//!
//! - a field the caller's spec does not name, added to any object of the request, is
//!   reported lost (at its pointer or with the part that holds it) or refused, never
//!   dropped without a word nor forwarded; in objects that are data rather than protocol
//!   (JSON schemas, tool arguments, metadata) the key is the caller's own, and must be
//!   sent and not reported (unless the whole object is);
//! - every value of the request matters: changed (a string extended, a number moved, a
//!   boolean flipped), it changes the upstream request, the stream switch, the losses
//!   reported, the answer or the stream the caller gets, or the request is refused. The
//!   few values that change none of these are listed in [`SAME_OUTCOME`], each with why;
//! - the other way round, what is reported lost is not sent: the request without it is
//!   the same upstream request (a loss that is in fact carried would make strict mode
//!   refuse a request it serves);
//! - requests with settings beyond the golden ones ([`setting_cases`]) and requests as
//!   the official clients and coding agents send them ([`client_requests`]) report
//!   exactly what has no place in the target, and carry what has a counterpart.

mod common;

use aigw_translate::{PAIRS, PairOptions, by_name};
use common::golden_case;
use common::mutate::{in_parallel, leaves, objects};
use serde_json::{Map, Value, json};

/// Values whose change leaves every outcome the same, by design: (caller protocol or
/// pair, pointer pattern with `*` for one token, why).
const SAME_OUTCOME: &[(&str, &str, &str)] = &[
    (
        "openai",
        "/tools/*/function/parameters/type",
        "Anthropic tool schemas are objects: the fixup sets the type",
    ),
    (
        "openai",
        "/response_format/json_schema/name",
        "a name only: Anthropic and Gemini structured output have none",
    ),
    (
        "openai",
        "/response_format/json_schema/strict",
        "Anthropic and Gemini structured output is always strict",
    ),
    (
        "openai",
        "/messages/*/thinking_blocks/*/type",
        "a block with a signature is carried whatever its type is called",
    ),
    (
        "openai",
        "/messages/*/thinking_blocks/*/thinking",
        "Gemini takes back only the signature of a thought",
    ),
    (
        "openai",
        "/messages/*/reasoning_content",
        "the thinking blocks carry the reasoning back where they are given",
    ),
    (
        "anthropic",
        "/thinking/budget_tokens",
        "budgets map onto effort levels: a nearby budget is the same level",
    ),
    (
        "anthropic",
        "/messages/*/content/*/source/media_type",
        "a base64 document is a PDF on every target",
    ),
    (
        "anthropic",
        "/messages/*/content/*/content/*/source/media_type",
        "a base64 document inside a tool's result too",
    ),
    (
        "anthropic",
        "/messages/*/content/*/thinking",
        "Gemini takes back only the signature of a thought",
    ),
    (
        "gemini",
        "/contents/*/parts/*/functionResponse/name",
        "a result with an id names its call by the id; the other protocols' results have no name",
    ),
    (
        "gemini",
        "/contents/*/parts/*/fileData/mimeType",
        "a URL's content names its own type for the other providers",
    ),
    (
        "gemini",
        "/generationConfig/thinkingConfig/thinkingBudget",
        "budgets map onto effort levels: a nearby budget is the same level",
    ),
    (
        "gemini",
        "/tools/*/functionDeclarations/*/parameters/type",
        "Anthropic tool schemas are objects: the fixup sets the type",
    ),
    (
        "gemini",
        "/tools/*/functionDeclarations/*/parametersJsonSchema/type",
        "Anthropic tool schemas are objects: the fixup sets the type",
    ),
    (
        "responses",
        "/input/*/id",
        "an item id of OpenAI's storage: no other provider has one",
    ),
    (
        "responses",
        "/input/*/summary/*/type",
        "a summary part is text whatever its type is called",
    ),
    (
        "responses",
        "/input/*/summary/*/text",
        "Gemini takes back only the signature of a thought",
    ),
    (
        "openai_responses",
        "/max_tokens",
        "under the Responses API's 16, both values become 16, reported as upstream:/max_output_tokens",
    ),
    (
        "anthropic_responses",
        "/max_tokens",
        "under the Responses API's 16, both values become 16, reported as upstream:/max_output_tokens",
    ),
    (
        "gemini_responses",
        "/generationConfig/maxOutputTokens",
        "under the Responses API's 16, both values become 16, reported as upstream:/max_output_tokens",
    ),
];

/// Objects whose keys are the caller's data, not protocol fields (pointer patterns; `**`
/// at the end for everything below).
const DATA: &[&str] = &[
    "/tools/*/function/parameters/**",
    "/tools/*/parameters/**",
    "/tools/*/input_schema/**",
    "/tools/*/functionDeclarations/*/parameters/**",
    "/tools/*/functionDeclarations/*/parametersJsonSchema/**",
    "/response_format/json_schema/schema/**",
    "/output_config/format/schema/**",
    "/text/format/schema/**",
    "/generationConfig/responseJsonSchema/**",
    "/generationConfig/responseSchema/**",
    "/messages/*/content/*/input/**",
    "/contents/*/parts/*/functionCall/args/**",
    "/contents/*/parts/*/functionResponse/response/**",
];

fn matches(pattern: &str, p: &str) -> bool {
    let (pattern, deep) = match pattern.strip_suffix("/**") {
        Some(base) => (base, true),
        None => (pattern, false),
    };
    let a: Vec<&str> = pattern.split('/').collect();
    let b: Vec<&str> = p.split('/').collect();
    (b.len() == a.len() || deep && b.len() > a.len())
        && a.iter().zip(&b).all(|(x, y)| *x == "*" || x == y)
}

/// Whether pointer `p` is `at` or inside it.
fn within(p: &str, at: &str) -> bool {
    p.strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Everything the caller can tell of `body` sent through `pair`, configured as the golden
/// `case` is.
fn outcome(pair: &str, case: &Map<String, Value>, body: &Value) -> Value {
    let options = PairOptions {
        reasoning_field: case
            .get("reasoning_field")
            .and_then(Value::as_str)
            .map(str::to_owned),
        stream: case.get("caller_stream") == Some(&Value::Bool(true)),
        sse: true,
        caller_model: "caller-model".into(),
    };
    common::outcome(pair, &options, false, case, &body.to_string())
}

/// A changed value of the same type (`None` for null).
fn changed(v: &Value) -> Option<Value> {
    Some(match v {
        Value::String(s) => json!(format!("{s}x")),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => json!(u + 3),
            (None, Some(f)) => json!(f / 2.0 + 0.01),
            _ => return None,
        },
        Value::Bool(b) => json!(!b),
        _ => return None,
    })
}

/// The golden cases of `pair` whose requests are varied: the two every pair has, a
/// tool's result with media (callers other than Chat's, whose tool messages hold text
/// only), and a PDF by URL (between the protocols that take one).
fn case_names(pair: &str) -> Vec<&'static str> {
    let mut names = vec!["tools_vision_reasoning", "limits_and_errors"];
    if !pair.starts_with("openai_") {
        names.push("media_in_results");
        if !pair.ends_with("_openai") {
            names.push("documents_by_url");
        }
    }
    names
}

/// A probe key no spec names (camelCase: Gemini callers' keys are normalized to it).
const PROBE: &str = "xAigwProbe";

#[test]
fn unknown_fields_anywhere_are_reported_and_every_value_matters() {
    // (pair, case name, what, body, kind): kind "probe" at an object, "change" at a leaf.
    let mut jobs = Vec::new();
    for pair in PAIRS {
        for name in case_names(pair) {
            let case = golden_case(pair, name);
            let base = case["request"].clone();
            let mut at = Vec::new();
            objects(&base, String::new(), &mut at);
            for o in at {
                let mut b = base.clone();
                if let Some(Value::Object(m)) = b.pointer_mut(&o) {
                    m.insert(PROBE.into(), json!(1));
                }
                let kind = if DATA.iter().any(|d| matches(d, &o)) {
                    "data"
                } else {
                    "probe"
                };
                jobs.push((pair, name, o, b, kind));
            }
            let mut at = Vec::new();
            leaves(&base, String::new(), &mut at);
            for p in at {
                let Some(new) = base.pointer(&p).and_then(changed) else {
                    continue;
                };
                let mut b = base.clone();
                if let Some(x) = b.pointer_mut(&p) {
                    *x = new;
                }
                jobs.push((pair, name, p, b, "change"));
            }
        }
    }
    let base_outcomes: std::collections::BTreeMap<(&str, &str), Value> = PAIRS
        .into_iter()
        .flat_map(|pair| {
            case_names(pair).into_iter().map(move |name| {
                let case = golden_case(pair, name);
                ((pair, name), outcome(pair, &case, &case["request"]))
            })
        })
        .collect();
    // Each variant: a failure, and the entry of SAME_OUTCOME that excused it.
    let results = in_parallel(&jobs, |(pair, name, at, body, kind)| {
        let case = golden_case(pair, name);
        let after = outcome(pair, &case, body);
        if after.get("error").is_some() {
            return (None, None);
        }
        let losses: Vec<&str> = after["losses"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let caller = pair.split('_').next().unwrap_or("");
        let field = if at.is_empty() {
            format!("/{PROBE}")
        } else {
            format!("{at}/{PROBE}")
        };
        if *kind == "data" {
            // The caller's own key in a schema (or arguments, metadata): sent, and not
            // reported, unless the whole object is.
            let whole = losses.iter().any(|l| within(&field, l) && *l != field);
            let sent = after["request"].to_string().contains(PROBE);
            return (
                (!whole && !sent || losses.contains(&field.as_str())).then(|| {
                    format!("{pair} {name}: the data key {field} is reported or not sent")
                }),
                None,
            );
        }
        if *kind == "probe" {
            let silent = !losses.iter().any(|l| within(&field, l));
            return (
                silent
                    .then(|| format!("{pair} {name}: an unknown field at {field} is not reported")),
                None,
            );
        }
        if after != base_outcomes[&(*pair, *name)] || losses.iter().any(|l| within(at, l)) {
            return (None, None);
        }
        match SAME_OUTCOME
            .iter()
            .position(|(c, p, _)| (*c == caller || c == pair) && matches(p, at))
        {
            Some(i) => (None, Some(i)),
            None => (
                Some(format!("{pair} {name}: changing {at} changes nothing")),
                None,
            ),
        }
    });
    let used: std::collections::BTreeSet<usize> = results.iter().filter_map(|r| r.1).collect();
    let unused: Vec<&str> = (0..SAME_OUTCOME.len())
        .filter(|i| !used.contains(i))
        .map(|i| SAME_OUTCOME[i].1)
        .collect();
    assert!(
        unused.is_empty(),
        "SAME_OUTCOME entries no variant needs: {unused:?}"
    );
    let failures: Vec<String> = results.into_iter().filter_map(|r| r.0).collect();
    println!("{} variants", jobs.len());
    assert!(
        jobs.len() > 1000,
        "every object and every value of every pair"
    );
    assert!(
        failures.is_empty(),
        "{} silent:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The request `pair` sends for `body` and its losses (or the error).
fn sent(pair: &str, body: &Value) -> Result<(Value, Vec<String>), String> {
    sent_to(pair, body, "upstream-model")
}

/// What `pair` sends upstream for `body` toward the upstream model `model`, and the losses
/// it reports.
fn sent_to(pair: &str, body: &Value, model: &str) -> Result<(Value, Vec<String>), String> {
    let options = PairOptions {
        caller_model: "caller-model".into(),
        ..Default::default()
    };
    let mut t = by_name(pair, false, &options).expect("pair");
    let r = t
        .request(body.to_string().as_bytes(), model)
        .map_err(|e| e.to_string())?;
    Ok((
        serde_json::from_slice(&r.body).expect("JSON"),
        t.losses().to_vec(),
    ))
}

/// Requests with settings beyond the golden ones, per pair: (body, pair, the losses it
/// reports, (pointer, value) the upstream request must hold, `null` for nothing).
#[allow(clippy::type_complexity)]
fn setting_cases() -> Vec<(
    Value,
    &'static str,
    Vec<&'static str>,
    Vec<(&'static str, Value)>,
)> {
    let schema = json!({"type": "object", "properties": {}});
    // A Responses conversation whose reasoning item holds `state`, then a model turn.
    let reasoning = |state: &str| {
        json!({"model": "m", "input": [{"role": "user", "content": "hi"},
            {"type": "reasoning", "id": "rs_1", "encrypted_content": state,
             "summary": [{"type": "summary_text", "text": "t"}]},
            {"role": "assistant", "content": "ok"}, {"role": "user", "content": "more"}]})
    };
    let anthropic_thought = |signature: &str| {
        json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"},
            {"role": "assistant", "content": [{"type": "thinking", "thinking": "t", "signature": signature},
                {"type": "text", "text": "ok"}]},
            {"role": "user", "content": "more"}]})
    };
    let gemini_thought = |signature: &str| {
        json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]},
            {"role": "model", "parts": [{"text": "t", "thought": true, "thoughtSignature": signature},
                {"text": "ok"}]},
            {"role": "user", "parts": [{"text": "more"}]}]})
    };
    // A tool's result whose text block carries a cache hint (no other protocol has one).
    let hinted_result = json!({"model": "m", "max_tokens": 20, "messages": [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1",
            "content": [{"type": "text", "text": "done", "cache_control": {"type": "ephemeral"}}]}]}],
        "tools": [{"name": "f", "input_schema": {"type": "object"}}]});
    let hint_lost = vec!["/messages/2/content/0/content/0/cache_control"];
    // A Chat caller's image and PDF, each with a cache breakpoint, the file with an id.
    let chat_media = json!({"model": "m", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"},
         "prompt_cache_breakpoint": {"mode": "explicit"}},
        {"type": "file", "file": {"file_data": "data:application/pdf;base64,JVBE", "file_id": "file-1"},
         "prompt_cache_breakpoint": {"mode": "explicit"}}]}]});
    // A Chat caller's images with a detail: `auto` (the default) loses nothing.
    let chat_details = json!({"model": "m", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "https://e.com/a.png", "detail": "auto"}},
        {"type": "image_url", "image_url": {"url": "https://e.com/b.png", "detail": "low"}}]}]});
    // OpenAI's service settings: a Chat caller's go to the Responses API as they are (its
    // verbosity as `text.verbosity`); Anthropic and Gemini have none. `null` is no
    // setting, `store: false` and `verbosity: medium` (the defaults) none to report.
    let services = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
        "store": true, "metadata": {"run": "42"}, "service_tier": "flex",
        "safety_identifier": "u-7", "prompt_cache_key": "c-7", "prompt_cache_retention": "24h",
        "verbosity": "low"});
    let no_services = json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
        "store": false, "metadata": null, "service_tier": null, "safety_identifier": null,
        "prompt_cache_key": null, "prompt_cache_retention": null, "verbosity": "medium"});
    let mut cases = vec![
        (
            services.clone(),
            "openai_responses",
            vec![],
            vec![
                ("/store", json!(true)),
                ("/metadata", json!({"run": "42"})),
                ("/service_tier", json!("flex")),
                ("/safety_identifier", json!("u-7")),
                ("/prompt_cache_key", json!("c-7")),
                ("/prompt_cache_retention", json!("24h")),
                ("/text/verbosity", json!("low")),
            ],
        ),
        (
            services.clone(),
            "openai_anthropic",
            vec![
                "/metadata",
                "/store",
                "/service_tier",
                "/verbosity",
                "/prompt_cache_retention",
                "/safety_identifier",
                "/prompt_cache_key",
            ],
            vec![("/metadata", Value::Null), ("/service_tier", Value::Null)],
        ),
        // Gemini has a flex tier too.
        (
            services,
            "openai_gemini",
            vec![
                "/metadata",
                "/store",
                "/verbosity",
                "/safety_identifier",
                "/prompt_cache_key",
                "/prompt_cache_retention",
            ],
            vec![("/metadata", Value::Null), ("/serviceTier", json!("flex"))],
        ),
        // A Responses caller's go to Chat as they are, but those Chat has not; `store:
        // false` is Chat's default, not written.
        (
            json!({"model": "m", "input": "hi", "store": true, "metadata": {"run": "42"},
                "truncation": "auto", "service_tier": "priority", "prompt_cache_key": "c-7",
                "prompt_cache_retention": "in-memory", "max_tool_calls": 3,
                "safety_identifier": "u-7"}),
            "responses_openai",
            vec!["/truncation", "/max_tool_calls"],
            vec![
                ("/store", json!(true)),
                ("/metadata", json!({"run": "42"})),
                ("/service_tier", json!("priority")),
                ("/prompt_cache_key", json!("c-7")),
                ("/prompt_cache_retention", json!("in-memory")),
                ("/safety_identifier", json!("u-7")),
                ("/truncation", Value::Null),
                ("/max_tool_calls", Value::Null),
            ],
        ),
        (
            json!({"model": "m", "input": "hi", "store": false, "metadata": null,
                "service_tier": null}),
            "responses_openai",
            vec![],
            vec![
                ("/store", Value::Null),
                ("/metadata", Value::Null),
                ("/service_tier", Value::Null),
            ],
        ),
        // Service tiers under the upstream's word (standard capacity, flex, priority); a
        // default is no setting; a tier the upstream has not is reported.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "service_tier": "default"}),
            "openai_anthropic",
            vec![],
            vec![("/service_tier", json!("standard_only"))],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "service_tier": "auto"}),
            "openai_anthropic",
            vec![],
            vec![("/service_tier", Value::Null)],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "service_tier": "scale"}),
            "openai_gemini",
            vec!["/service_tier"],
            vec![("/serviceTier", Value::Null)],
        ),
        (
            json!({"model": "m", "input": "hi", "service_tier": "priority"}),
            "responses_gemini",
            vec![],
            vec![("/serviceTier", json!("priority"))],
        ),
        // A tier only the Responses API has is reported toward Chat.
        (
            json!({"model": "m", "input": "hi", "service_tier": "ultrafast"}),
            "responses_openai",
            vec!["/service_tier"],
            vec![("/service_tier", Value::Null)],
        ),
        (
            json!({"model": "m", "input": "hi", "service_tier": "flex"}),
            "responses_anthropic",
            vec!["/service_tier"],
            vec![("/service_tier", Value::Null)],
        ),
        (
            json!({"model": "m", "input": "hi", "service_tier": "default"}),
            "responses_anthropic",
            vec![],
            vec![("/service_tier", json!("standard_only"))],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}], "service_tier": "standard_only"}),
            "anthropic_openai",
            vec![],
            vec![("/service_tier", json!("default"))],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}], "service_tier": "standard_only"}),
            "anthropic_responses",
            vec![],
            vec![("/service_tier", json!("default"))],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}], "service_tier": "auto"}),
            "anthropic_responses",
            vec![],
            vec![("/service_tier", Value::Null)],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}], "service_tier": "standard_only"}),
            "anthropic_gemini",
            vec![],
            vec![("/serviceTier", json!("standard"))],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "serviceTier": "flex"}),
            "gemini_openai",
            vec![],
            vec![("/service_tier", json!("flex"))],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "serviceTier": "priority"}),
            "gemini_responses",
            vec![],
            vec![("/service_tier", json!("priority"))],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "serviceTier": "standard"}),
            "gemini_anthropic",
            vec![],
            vec![("/service_tier", json!("standard_only"))],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "serviceTier": "unspecified"}),
            "gemini_anthropic",
            vec![],
            vec![("/service_tier", Value::Null)],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "serviceTier": "priority"}),
            "gemini_anthropic",
            vec!["/serviceTier"],
            vec![("/service_tier", Value::Null)],
        ),
        (no_services.clone(), "openai_anthropic", vec![], vec![]),
        (no_services.clone(), "openai_gemini", vec![], vec![]),
        (
            no_services,
            "openai_responses",
            vec![],
            vec![
                ("/store", json!(false)),
                ("/metadata", Value::Null),
                ("/text/verbosity", json!("medium")),
            ],
        ),
        // Gemini's seed and `topK` are `int32`s: beyond, reported and not sent.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                   "seed": 4_294_967_296_i64}),
            "openai_gemini",
            vec!["/seed"],
            vec![("/generationConfig/seed", Value::Null)],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                   "seed": -2_147_483_648_i64}),
            "openai_gemini",
            vec![],
            vec![("/generationConfig/seed", json!(-2_147_483_648_i64))],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}],
                   "top_k": 2_147_483_648_i64}),
            "anthropic_gemini",
            vec!["/top_k"],
            vec![("/generationConfig/topK", Value::Null)],
        ),
        // So is its token limit, under each caller's name.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                   "max_completion_tokens": 2_147_483_648_i64}),
            "openai_gemini",
            vec!["/max_completion_tokens"],
            vec![("/generationConfig/maxOutputTokens", Value::Null)],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                   "max_tokens": 2_147_483_647_i64}),
            "openai_gemini",
            vec![],
            vec![(
                "/generationConfig/maxOutputTokens",
                json!(2_147_483_647_i64),
            )],
        ),
        (
            json!({"model": "m", "max_tokens": 4_294_967_296_i64,
                   "messages": [{"role": "user", "content": "hi"}]}),
            "anthropic_gemini",
            vec!["/max_tokens"],
            vec![("/generationConfig/maxOutputTokens", Value::Null)],
        ),
        (
            json!({"model": "m", "input": "hi", "max_output_tokens": 4_294_967_296_i64}),
            "responses_gemini",
            vec!["/max_output_tokens"],
            vec![("/generationConfig", Value::Null)],
        ),
        (
            json!({"model": "m", "input": "hi", "max_output_tokens": 2_147_483_647_i64}),
            "responses_gemini",
            vec![],
            vec![(
                "/generationConfig/maxOutputTokens",
                json!(2_147_483_647_i64),
            )],
        ),
        (
            chat_details.clone(),
            "openai_anthropic",
            vec!["/messages/0/content/1/image_url/detail"],
            vec![(
                "/messages/0/content/0/source/url",
                json!("https://e.com/a.png"),
            )],
        ),
        (
            chat_details.clone(),
            "openai_gemini",
            vec!["/messages/0/content/1/image_url/detail"],
            vec![(
                "/contents/0/parts/0/fileData/fileUri",
                json!("https://e.com/a.png"),
            )],
        ),
        (
            hinted_result.clone(),
            "anthropic_openai",
            hint_lost.clone(),
            vec![(
                "/messages/2/content",
                json!([{"type": "text", "text": "done"}]),
            )],
        ),
        (
            hinted_result.clone(),
            "anthropic_gemini",
            hint_lost.clone(),
            vec![(
                "/contents/2/parts/0/functionResponse/response",
                json!({"result": "done"}),
            )],
        ),
        (
            hinted_result,
            "anthropic_responses",
            hint_lost,
            vec![("/input/2/output", json!("done"))],
        ),
    ];
    cases.extend(vec![
        // Reasoning state goes back only to the provider that made it: an Anthropic
        // signature (or redacted data) to Anthropic, a Gemini signature to Gemini; OpenAI's
        // own state, or the other provider's, is reported and not sent.
        (
            reasoning("an:c2ln"),
            "responses_anthropic",
            vec![],
            vec![(
                "/messages/1/content/0",
                json!({"type": "thinking", "thinking": "t", "signature": "c2ln"}),
            )],
        ),
        (
            reasoning("rd:ZGF0YQ=="),
            "responses_anthropic",
            vec![],
            vec![(
                "/messages/1/content/0",
                json!({"type": "redacted_thinking", "data": "ZGF0YQ=="}),
            )],
        ),
        (
            reasoning("gAAAAABfernet"),
            "responses_anthropic",
            vec!["/input/1"],
            vec![(
                "/messages/1/content",
                json!([{"type": "text", "text": "ok"}]),
            )],
        ),
        (
            reasoning("gm:c2ln"),
            "responses_anthropic",
            vec!["/input/1"],
            vec![(
                "/messages/1/content",
                json!([{"type": "text", "text": "ok"}]),
            )],
        ),
        // The same for Anthropic and Gemini callers, whose signature fields carry the
        // mark as base64 (`aigw-gm1` / `aigw-an1`, a line break, the signature).
        (
            anthropic_thought("YWlndy1nbTEKYzJsbg=="),
            "anthropic_gemini",
            vec![],
            vec![("/contents/1/parts/0/thoughtSignature", json!("c2ln"))],
        ),
        (
            anthropic_thought("c2ln"),
            "anthropic_gemini",
            vec!["/messages/1/content/0/signature"],
            vec![("/contents/1/parts/0", json!({"text": "ok"}))],
        ),
        (
            gemini_thought("YWlndy1hbjEKYzJsbg=="),
            "gemini_anthropic",
            vec![],
            vec![(
                "/messages/1/content/0",
                json!({"type": "thinking", "thinking": "t", "signature": "c2ln"}),
            )],
        ),
        (
            gemini_thought("c2ln"),
            "gemini_anthropic",
            vec!["/contents/1/parts/0"],
            vec![(
                "/messages/1/content",
                json!([{"type": "text", "text": "ok"}]),
            )],
        ),
        // Toward the Responses API, a signature that carries no item of ours is reported
        // with the thoughts it signs (on itself, or waiting before it).
        (
            gemini_thought("c2ln"),
            "gemini_responses",
            vec!["/contents/1/parts/0"],
            vec![("/input/1", json!({"type": "message", "role": "assistant", "content": "ok"}))],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]},
                {"role": "model", "parts": [{"text": "a", "thought": true},
                    {"text": "b", "thought": true}, {"text": "ok", "thoughtSignature": "c2ln"}]},
                {"role": "user", "parts": [{"text": "more"}]}]}),
            "gemini_responses",
            vec![
                "/contents/1/parts/2/thoughtSignature",
                "/contents/1/parts/0",
                "/contents/1/parts/1",
            ],
            vec![("/input/1", json!({"type": "message", "role": "assistant", "content": "ok"}))],
        ),
        (
            reasoning("gm:c2ln"),
            "responses_gemini",
            vec![],
            vec![("/contents/1/parts/0/thoughtSignature", json!("c2ln"))],
        ),
        (
            reasoning("an:c2ln"),
            "responses_gemini",
            vec!["/input/1/encrypted_content"],
            vec![("/contents/1/parts/0/thoughtSignature", Value::Null)],
        ),
        (
            reasoning("gAAAAABfernet"),
            "responses_gemini",
            vec!["/input/1/encrypted_content"],
            vec![("/contents/1/parts/0", json!({"text": "ok"}))],
        ),
        // A system block that is not text, an output format that is not a JSON schema.
        (
            json!({"model": "m", "max_tokens": 20, "system": [{"type": "textx", "text": "s"}],
                   "messages": [{"role": "user", "content": "hi"}],
                   "output_config": {"format": {"type": "json_schemax", "schema": schema}}}),
            "anthropic_openai",
            vec!["/system/0", "/output_config/format"],
            vec![],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "userx", "content": "a"},
                   {"role": "user", "content": "hi"}]}),
            "anthropic_gemini",
            vec!["/messages/0"],
            vec![("/contents/0/parts/0/text", json!("hi"))],
        ),
        // A tool result part that is not text.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                   {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
                    "function": {"name": "f", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": [{"type": "textx", "text": "r"}]}]}),
            "openai_gemini",
            vec!["/messages/2/content/0"],
            vec![],
        ),
        (
            json!({"contents": [{"role": "userx", "parts": [{"text": "a"}]},
                   {"role": "user", "parts": [{"text": "hi"}]}]}),
            "gemini_anthropic",
            vec!["/contents/0"],
            vec![("/messages/0/content/0/text", json!("hi"))],
        ),
        // Responses: strict tools, verbosity, a format's description, image detail,
        // a function output's image.
        (
            json!({"model": "m", "input": [{"role": "user", "content": [
                     {"type": "input_image", "image_url": "https://e.com/a.png", "detail": "high"}]}],
                   "tools": [{"type": "function", "name": "f", "parameters": schema, "strict": true}],
                   "text": {"verbosity": "low", "format": {"type": "json_schema", "name": "n",
                            "description": "d", "schema": schema}}}),
            "responses_openai",
            vec![],
            vec![
                ("/tools/0/function/strict", json!(true)),
                ("/verbosity", json!("low")),
                ("/response_format/json_schema/description", json!("d")),
                ("/messages/0/content/0/image_url/detail", json!("high")),
            ],
        ),
        (
            json!({"model": "m", "input": [{"role": "user", "content": [
                     {"type": "input_image", "image_url": "https://e.com/a.png", "detail": "high"}]}],
                   "tools": [{"type": "function", "name": "f", "parameters": schema, "strict": true}],
                   "text": {"verbosity": "low", "format": {"type": "json_schema", "name": "n",
                            "description": "d", "schema": schema}}}),
            "responses_anthropic",
            vec![
                "/input/0/content/0/detail",
                "/text/verbosity",
                "/text/format/description",
            ],
            vec![("/tools/0/strict", json!(true))],
        ),
        (
            json!({"model": "m", "input": [{"role": "user", "content": "q"},
                   {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
                   {"type": "function_call_output", "call_id": "c1", "output": [
                     {"type": "input_text", "text": "r"},
                     {"type": "input_image", "image_url": "https://e.com/a.png"}]}],
                   "tools": [{"type": "function", "name": "f", "parameters": schema, "strict": true}]}),
            "responses_gemini",
            vec!["/input/2/output/1", "/tools/0/strict"],
            vec![],
        ),
        // Gemini callers: a function result's image (carried), a non-text instruction, a tool only
        // Gemini runs, unread generation settings, a thinking level, allowed names,
        // VALIDATED (auto, its calls checked), an enum output.
        (
            json!({"systemInstruction": {"parts": [{"text": "s"},
                     {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}}]},
                   "contents": [{"role": "user", "parts": [{"text": "hi"}]},
                     {"role": "model", "parts": [{"functionCall": {"id": "c1", "name": "shot", "args": {}}}]},
                     {"role": "user", "parts": [{"functionResponse": {"id": "c1", "name": "shot",
                       "response": {"ok": true},
                       "parts": [{"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}}]}}]}],
                   "tools": [{"functionDeclarations": [{"name": "shot"}, {"name": "g"}]}, {"googleMaps": {}}],
                   "toolConfig": {"functionCallingConfig": {"mode": "VALIDATED", "allowedFunctionNames": ["shot", "g"]}},
                   "generationConfig": {"responseFormat": {"text": {"mimeType": "application/json"}},
                     "thinkingConfig": {"thinkingLevel": "HIGH"}, "responseMimeType": "text/x.enum"},
                   "serviceTier": "flex"}),
            "gemini_anthropic",
            vec![
                "/systemInstruction/parts/1",
                "/tools/1",
                "/toolConfig/functionCallingConfig/allowedFunctionNames",
                "/generationConfig/responseFormat",
                "/generationConfig/responseMimeType",
                "/serviceTier",
            ],
            vec![
                ("/thinking/budget_tokens", json!(16384)),
                ("/tool_choice/type", json!("auto")),
                (
                    "/messages/2/content/0/content/1/source/data",
                    json!("iVBORw0KGgo="),
                ),
            ],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "tools": [{"functionDeclarations": [{"name": "f"}, {"name": "g"}]}],
                   "toolConfig": {"functionCallingConfig": {"mode": "VALIDATED"}},
                   "generationConfig": {"mediaResolution": "MEDIA_RESOLUTION_LOW"}}),
            "gemini_openai",
            vec!["/generationConfig/mediaResolution"],
            vec![("/tool_choice", json!("auto"))],
        ),
        // Chat callers: legacy calls, settings Gemini has no place for, a refusal in the
        // history (the model's words), a format's description.
        (
            json!({"model": "m", "messages": [{"role": "system", "content": "s", "name": "boss"},
                     {"role": "user", "content": "hi"},
                     {"role": "assistant", "content": "ok", "refusal": "no",
                      "function_call": {"name": "f", "arguments": "{}"}},
                     {"role": "user", "content": "go"}],
                   "moderation": {"model": "omni-moderation-latest"}, "prompt_cache_retention": "24h",
                   "safety_identifier": "u", "verbosity": "low",
                   "response_format": {"type": "json_schema", "json_schema": {"name": "n",
                     "description": "d", "schema": schema}}}),
            "openai_gemini",
            vec![
                "/messages/0/name",
                "/messages/2/function_call",
                "/moderation",
                "/prompt_cache_retention",
                "/safety_identifier",
                "/verbosity",
                "/response_format/json_schema/description",
            ],
            vec![("/contents/1/parts/1/text", json!("no"))],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                     {"role": "function", "name": "f", "content": "r"}]}),
            "openai_responses",
            vec!["/messages/1"],
            vec![],
        ),
        // Anthropic callers: document context, citations and title, tool examples, the
        // thinking display, data residency, the parallel switch of a named choice.
        (
            json!({"model": "m", "max_tokens": 2000, "inference_geo": "us",
                   "thinking": {"type": "enabled", "budget_tokens": 1024, "display": "omitted"},
                   "messages": [{"role": "user", "content": [
                     {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                      "data": "JVBERi0="}, "title": "T", "context": "C", "citations": {"enabled": true}},
                     {"type": "text", "text": "hi"}]}],
                   "tools": [{"name": "f", "input_schema": schema, "input_examples": [{"a": 1}]}],
                   "tool_choice": {"type": "tool", "name": "f", "disable_parallel_tool_use": true}}),
            "anthropic_gemini",
            vec![
                "/inference_geo",
                "/thinking/display",
                "/messages/0/content/0/title",
                "/messages/0/content/0/context",
                "/messages/0/content/0/citations",
                "/tools/0/input_examples",
                "/tool_choice/disable_parallel_tool_use",
            ],
            vec![],
        ),
        // A `none` choice has no parallel switch: an unknown field there, reported by
        // every pair and not sent as `parallel_tool_calls: false`.
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}],
                   "tools": [{"name": "f", "input_schema": schema}],
                   "tool_choice": {"type": "none", "disable_parallel_tool_use": true}}),
            "anthropic_responses",
            vec!["/tool_choice/disable_parallel_tool_use"],
            vec![("/tool_choice", json!("none")), ("/parallel_tool_calls", Value::Null)],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}],
                   "tools": [{"name": "f", "input_schema": schema}],
                   "tool_choice": {"type": "none", "disable_parallel_tool_use": true}}),
            "anthropic_openai",
            vec!["/tool_choice/disable_parallel_tool_use"],
            vec![("/tool_choice", json!("none")), ("/parallel_tool_calls", Value::Null)],
        ),
        // Reasoning turned off: sent where the caller's word is the target's (Responses'
        // `none` to Chat, to Gemini a zero budget as from Chat); from Anthropic's
        // `disabled` and Gemini's zero budget nothing is sent (`none` is refused by models
        // that do not reason, and clients send these switches whatever the model).
        (
            json!({"model": "m", "max_tokens": 100, "thinking": {"type": "disabled"},
                   "messages": [{"role": "user", "content": "hi"}]}),
            "anthropic_openai",
            vec![],
            vec![("/reasoning_effort", Value::Null)],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "generationConfig": {"thinkingConfig": {"thinkingBudget": 0}}}),
            "gemini_responses",
            vec![],
            vec![("/reasoning", Value::Null)],
        ),
        (
            json!({"model": "m", "input": "hi", "reasoning": {"effort": "none"}}),
            "responses_openai",
            vec![],
            vec![("/reasoning_effort", json!("none"))],
        ),
        (
            json!({"model": "m", "input": "hi", "reasoning": {"effort": "none"}}),
            "responses_gemini",
            vec![],
            vec![("/generationConfig/thinkingConfig/thinkingBudget", json!(0))],
        ),
        // Values a spec does not list, read as the nearest known one: reported.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                   "reasoning_effort": "extreme"}),
            "openai_anthropic",
            vec!["/reasoning_effort"],
            vec![],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "tools": [{"functionDeclarations": [{"name": "f"}]}],
                   "toolConfig": {"functionCallingConfig": {"mode": "AUTOX"}}}),
            "gemini_responses",
            vec!["/toolConfig/functionCallingConfig/mode"],
            vec![],
        ),
        (
            json!({"model": "m", "input": "hi", "reasoning": {"effort": "extreme"}}),
            "responses_anthropic",
            vec!["/reasoning/effort"],
            vec![],
        ),
        (
            json!({"model": "m", "max_tokens": 100, "thinking": {"type": "sometimes"},
                   "messages": [{"role": "user", "content": "hi"}]}),
            "anthropic_responses",
            vec!["/thinking"],
            vec![],
        ),
        // What is carried or at its default is not reported: a direct caller (Anthropic
        // writes it on every call), a zod schema's own keys.
        (
            json!({"model": "m", "max_tokens": 100, "messages": [
                     {"role": "user", "content": "hi"},
                     {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f",
                       "input": {}, "caller": {"type": "direct"}}]},
                     {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "r"}]}],
                   "tools": [{"name": "f", "allowed_callers": ["direct"], "input_schema": {
                     "type": "object", "properties": {}, "additionalProperties": false,
                     "$schema": "http://json-schema.org/draft-07/schema#"}}]}),
            "anthropic_openai",
            vec![],
            vec![(
                "/tools/0/function/parameters/additionalProperties",
                json!(false),
            )],
        ),
        // Parallel calls left on are Gemini's own behaviour: nothing lost.
        (
            json!({"model": "m", "input": "hi", "parallel_tool_calls": true,
                   "tools": [{"type": "function", "name": "f", "parameters": schema}]}),
            "responses_gemini",
            vec![],
            vec![],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
                   "parallel_tool_calls": true,
                   "tools": [{"type": "function", "function": {"name": "f"}}]}),
            "openai_gemini",
            vec![],
            vec![],
        ),
        // A Chat caller's reasoning text without the blocks that sign it: no upstream
        // can verify it. Gemini takes one signature per part: the first block's goes on
        // the first call, the others are reported.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                     {"role": "assistant", "content": "ok", "reasoning_content": "thought"},
                     {"role": "user", "content": "go"}]}),
            "openai_gemini",
            vec!["/messages/1/reasoning_content"],
            vec![("/contents/1/parts/0", json!({"text": "ok"}))],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                     {"role": "assistant", "content": "ok", "reasoning_content": "thought"},
                     {"role": "user", "content": "go"}]}),
            "openai_anthropic",
            vec!["/messages/1/reasoning_content"],
            vec![("/messages/1/content", json!([{"type": "text", "text": "ok"}]))],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                     {"role": "assistant", "content": "ok", "reasoning_content": "thought"},
                     {"role": "user", "content": "go"}]}),
            "openai_responses",
            vec!["/messages/1/reasoning_content"],
            vec![("/input/1/content", json!("ok"))],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                     {"role": "assistant", "content": "ok", "reasoning_content": "",
                      "thinking_blocks": [{"type": "thinking", "thinking": "", "signature": ""},
                        {"type": "thinking", "thinking": "", "signature": "c2lnMQ=="},
                        {"type": "redacted_thinking", "data": "ZGF0YQ=="},
                        {"type": "thinking", "thinking": "", "signature": "c2lnMg=="}],
                      "tool_calls": [{"id": "c1", "type": "function",
                        "function": {"name": "f", "arguments": "{}"}}]},
                     {"role": "tool", "tool_call_id": "c1", "content": "done"}]}),
            "openai_gemini",
            vec![
                "/messages/1/thinking_blocks/0",
                "/messages/1/thinking_blocks/2",
                "/messages/1/thinking_blocks/3",
            ],
            vec![
                ("/contents/1/parts/1/thoughtSignature", json!("c2lnMQ==")),
                ("/contents/1/parts/0/thoughtSignature", Value::Null),
            ],
        ),
        // Reasoning fields off the model's messages have nothing to go with.
        (
            json!({"model": "m", "messages": [
                {"role": "system", "content": "rules", "reasoning_content": "why"},
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                    "function": {"name": "f", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "done", "thinking_blocks": []}]}),
            "openai_gemini",
            vec!["/messages/0/reasoning_content", "/messages/3/thinking_blocks"],
            vec![("/systemInstruction/parts/0/text", json!("rules"))],
        ),
        // The empty text part a signature rides on (the gateway's own answers send it)
        // is no block: Anthropic refuses empty text.
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]},
                {"role": "model", "parts": [{"text": "", "thoughtSignature":
                    aigw_translate::sealed::Sealed::AnthropicThinking.seal_base64("c2ln")},
                    {"text": "ok"}]},
                {"role": "user", "parts": [{"text": "more"}]}]}),
            "gemini_anthropic",
            vec![],
            vec![(
                "/messages/1/content",
                json!([{"type": "thinking", "thinking": "", "signature": "c2ln"},
                    {"type": "text", "text": "ok"}]),
            )],
        ),
        // A document's title is the file's name where the target names files.
        (
            json!({"model": "m", "max_tokens": 100, "messages": [{"role": "user", "content": [
                     {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                      "data": "JVBERi0="}, "title": "Report.pdf"},
                     {"type": "text", "text": "sum up"}]}]}),
            "anthropic_responses",
            vec![],
            vec![("/input/0/content/0/filename", json!("Report.pdf"))],
        ),
        // A refusal part in a Chat history is the model's words; an unknown part is not.
        (
            json!({"model": "m", "messages": [{"role": "user", "content": "hi"},
                     {"role": "assistant", "content": [{"type": "refusal", "refusal": "no"},
                       {"type": "sticker", "id": "s"}]},
                     {"role": "user", "content": "go"}]}),
            "openai_gemini",
            vec!["/messages/1/content/1"],
            vec![("/contents/1/parts/0/text", json!("no"))],
        ),
        // Anthropic's system prompt takes text only.
        (
            json!({"model": "m", "input": [{"role": "developer", "content": [
                     {"type": "input_text", "text": "rules"},
                     {"type": "input_image", "image_url": "https://e.com/a.png"}]},
                   {"role": "user", "content": "hi"}]}),
            "responses_anthropic",
            vec!["/input/0/content/1"],
            vec![
                ("/system/0/text", json!("rules")),
                ("/system/1", Value::Null),
            ],
        ),
        // A thinking level the spec does not list: reported, not guessed.
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "generationConfig": {"thinkingConfig": {"thinkingLevel": "ULTRA"}}}),
            "gemini_openai",
            vec!["/generationConfig/thinkingConfig/thinkingLevel"],
            vec![("/reasoning_effort", Value::Null)],
        ),
        // A Chat part whose image URL or text is not a string: reported toward Responses,
        // as by the typed pairs (it was sent as an empty URL and text).
        (
            json!({"model": "m", "messages": [{"role": "user", "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": "data:image/png;base64,iVBORw0KGgo="},
                {"type": "text", "text": 5}]}]}),
            "openai_responses",
            vec!["/messages/0/content/1", "/messages/0/content/2"],
            vec![(
                "/input/0/content",
                json!([{"type": "input_text", "text": "look"}]),
            )],
        ),
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": "data:image/png;base64,iVBORw0KGgo="},
                {"type": "text", "text": 5}]}]}),
            "openai_anthropic",
            vec!["/messages/0/content/1", "/messages/0/content/2"],
            vec![(
                "/messages/0/content",
                json!([{"type": "text", "text": "look"}]),
            )],
        ),
        // A Gemini response schema without the JSON mime type: reported, not dropped.
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "generationConfig": {"responseJsonSchema": {"type": "object"}}}),
            "gemini_openai",
            vec!["/generationConfig/responseJsonSchema"],
            vec![("/response_format", Value::Null)],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "generationConfig": {"responseMimeType": "text/plain",
                       "responseSchema": {"type": "OBJECT"}}}),
            "gemini_anthropic",
            vec!["/generationConfig/responseSchema"],
            vec![("/output_config", Value::Null)],
        ),
        (
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}],
                   "generationConfig": {"responseJsonSchema": {"type": "object"}}}),
            "gemini_responses",
            vec!["/generationConfig/responseJsonSchema"],
            vec![("/text", Value::Null)],
        ),
        // Chat callers' media: a cache breakpoint on an image or a file is Anthropic's
        // cache hint and has no place in Gemini; a file's id beside its data, an image
        // without its URL have none anywhere.
        (
            chat_media.clone(),
            "openai_anthropic",
            vec!["/messages/0/content/2/file/file_id"],
            vec![
                ("/messages/0/content/1/cache_control", json!({"type": "ephemeral"})),
                ("/messages/0/content/2/cache_control", json!({"type": "ephemeral"})),
                ("/messages/0/content/2/source/type", json!("base64")),
            ],
        ),
        (
            chat_media,
            "openai_gemini",
            vec![
                "/messages/0/content/1/prompt_cache_breakpoint",
                "/messages/0/content/2/file/file_id",
                "/messages/0/content/2/prompt_cache_breakpoint",
            ],
            vec![
                ("/contents/0/parts/1/inlineData/mimeType", json!("image/png")),
                ("/contents/0/parts/2/inlineData/mimeType", json!("application/pdf")),
            ],
        ),
        (
            json!({"model": "m", "messages": [{"role": "user", "content": [
                {"type": "text", "text": "look"},
                {"type": "image_url", "image_url": {"url": ""}}]}]}),
            "openai_gemini",
            vec!["/messages/0/content/1"],
            vec![("/contents/0/parts/1", Value::Null)],
        ),
        // Anthropic callers: a text document goes as a text, without its title.
        (
            json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": [
                {"type": "text", "text": "read"},
                {"type": "document", "title": "notes.txt",
                 "source": {"type": "text", "media_type": "text/plain", "data": "the notes"}}]}]}),
            "anthropic_openai",
            vec!["/messages/0/content/1/title"],
            vec![("/messages/0/content/1/text", json!("the notes"))],
        ),
        // A tool's result of an image and a document: what the Responses API's parts have
        // no place for is reported, as of the message's own blocks.
        (
            json!({"model": "m", "max_tokens": 20, "messages": [
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"},
                     "transformations": [{"type": "crop"}]},
                    {"type": "document", "context": "from the tool", "citations": {"enabled": true},
                     "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBE"}}]}]}],
                "tools": [{"name": "f", "input_schema": {"type": "object"}}]}),
            "anthropic_responses",
            vec![
                "/messages/2/content/0/content/0/transformations",
                "/messages/2/content/0/content/1/citations",
                "/messages/2/content/0/content/1/context",
            ],
            vec![("/input/2/output/0/type", json!("input_image"))],
        ),
    ]);
    // Responses callers: an id or URL beside the data the pairs send has no place.
    for pair in [
        "responses_anthropic",
        "responses_gemini",
        "responses_openai",
    ] {
        cases.push((
            json!({"model": "m", "input": [{"role": "user", "content": [
                {"type": "input_text", "text": "look"},
                {"type": "input_image", "image_url": "data:image/png;base64,iVBO", "file_id": "file-1"},
                {"type": "input_file", "file_data": "data:application/pdf;base64,JVBE",
                 "file_id": "file-2", "file_url": "https://example.com/a.pdf"}]}]}),
            pair,
            vec![
                "/input/0/content/1/file_id",
                "/input/0/content/2/file_id",
                "/input/0/content/2/file_url",
            ],
            vec![],
        ));
    }
    // PDFs by URL: Anthropic's URL source, Gemini's file data, a Responses file URL whose
    // path names a PDF (a file by URL carries no type). Chat takes files as data only.
    let pdf_url = "https://e.com/r.pdf";
    let anthropic_pdf = json!({"model": "m", "max_tokens": 20, "messages": [{"role": "user", "content": [
        {"type": "text", "text": "read"},
        {"type": "document", "source": {"type": "url", "url": pdf_url}}]}]});
    let gemini_pdf = |uri: &str| {
        json!({"contents": [{"role": "user", "parts": [{"text": "read"},
            {"fileData": {"mimeType": "application/pdf", "fileUri": uri}}]}]})
    };
    let responses_pdf = |url: &str| {
        json!({"model": "m", "input": [{"role": "user", "content": [
            {"type": "input_text", "text": "read"},
            {"type": "input_file", "file_url": url, "filename": "r.pdf", "file_id": "file-1"}]}]})
    };
    let gemini_file = json!({"mimeType": "application/pdf", "fileUri": pdf_url});
    let url_source = json!({"type": "url", "url": pdf_url});
    cases.extend(vec![
        (
            anthropic_pdf.clone(),
            "anthropic_gemini",
            vec![],
            vec![("/contents/0/parts/1/fileData", gemini_file.clone())],
        ),
        (
            anthropic_pdf.clone(),
            "anthropic_responses",
            vec![],
            vec![("/input/0/content/1/file_url", json!(pdf_url))],
        ),
        (
            anthropic_pdf,
            "anthropic_openai",
            vec!["/messages/0/content/1"],
            vec![("/messages/0/content", json!("read"))],
        ),
        (
            gemini_pdf(pdf_url),
            "gemini_anthropic",
            vec![],
            vec![("/messages/0/content/1/source", url_source.clone())],
        ),
        (
            gemini_pdf(pdf_url),
            "gemini_responses",
            vec![],
            vec![("/input/0/content/1/file_url", json!(pdf_url))],
        ),
        (
            gemini_pdf(pdf_url),
            "gemini_openai",
            vec!["/contents/0/parts/1"],
            vec![],
        ),
        // A Cloud Storage URI is no URL Anthropic can fetch.
        (
            gemini_pdf("gs://b/r.pdf"),
            "gemini_anthropic",
            vec!["/contents/0/parts/1"],
            vec![("/messages/0/content/1", Value::Null)],
        ),
        (
            responses_pdf(pdf_url),
            "responses_anthropic",
            vec!["/input/0/content/1/file_id"],
            vec![
                ("/messages/0/content/1/source", url_source),
                ("/messages/0/content/1/title", json!("r.pdf")),
            ],
        ),
        (
            responses_pdf(pdf_url),
            "responses_gemini",
            vec!["/input/0/content/1/file_id", "/input/0/content/1/filename"],
            vec![("/contents/0/parts/1/fileData", gemini_file)],
        ),
        (
            responses_pdf(pdf_url),
            "responses_openai",
            vec!["/input/0/content/1"],
            vec![("/messages/0/content/1", Value::Null)],
        ),
    ]);
    // A file by a URL that names no PDF has no type to send it by.
    for pair in ["responses_anthropic", "responses_gemini"] {
        cases.push((
            responses_pdf("https://e.com/r.docx"),
            pair,
            vec!["/input/0/content/1"],
            vec![],
        ));
    }
    cases.extend(vec![
        // Toward Gemini, file data that is no `data:` URL is no file.
        (
            json!({"model": "m", "input": [{"role": "user", "content": [
                {"type": "input_text", "text": "read"},
                {"type": "input_file", "file_data": "JVBERi0xLjQ=", "filename": "a.pdf"}]}]}),
            "responses_gemini",
            vec!["/input/0/content/1"],
            vec![("/contents/0/parts/1", Value::Null)],
        ),
        // Responses callers: a reasoning item's raw text.
        (
            json!({"model": "m", "input": [{"role": "user", "content": "q"},
                     {"type": "reasoning", "summary": [], "content": [{"type": "reasoning_text", "text": "raw"}]},
                     {"role": "user", "content": "go"}]}),
            "responses_anthropic",
            vec!["/input/1/content"],
            vec![],
        ),
    ]);
    cases
}

/// A tool's result holding a text, a base64 PNG, a base64 PDF with a name and an image by
/// URL (a Gemini caller: a PNG, a PDF and audio), from each caller: sent where the upstream
/// takes media inside a result (Anthropic; the Responses API; Gemini 3 and later, inline
/// data only), reported where not (Chat's tool messages; Gemini 2.x, which refuses the
/// request).
#[test]
fn media_inside_results_go_where_the_upstream_takes_them() {
    let png = "iVBORw0KGgo=";
    let pdf = "JVBERi0xLjQ=";
    let anthropic = json!({"model": "m", "max_tokens": 20, "messages": [
        {"role": "user", "content": "shoot"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [
            {"type": "text", "text": "r"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}},
            {"type": "document", "title": "a.pdf",
             "source": {"type": "base64", "media_type": "application/pdf", "data": pdf}},
            {"type": "image", "source": {"type": "url", "url": "https://e.com/a.png"}}]}]}],
        "tools": [{"name": "f", "input_schema": {"type": "object"}}]});
    let responses = json!({"model": "m", "input": [
        {"role": "user", "content": "shoot"},
        {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": [
            {"type": "input_text", "text": "r"},
            {"type": "input_image", "image_url": format!("data:image/png;base64,{png}"), "detail": "high"},
            {"type": "input_file", "file_data": format!("data:application/pdf;base64,{pdf}"), "filename": "a.pdf"},
            {"type": "input_image", "image_url": "https://e.com/a.png"}]}],
        "tools": [{"type": "function", "name": "f", "parameters": {"type": "object"}}]});
    let gemini = json!({"contents": [
        {"role": "user", "parts": [{"text": "shoot"}]},
        {"role": "model", "parts": [{"functionCall": {"name": "f", "args": {}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": "f", "response": {"result": "r"}, "parts": [
            {"inlineData": {"mimeType": "image/png", "data": png}},
            {"inline_data": {"mime_type": "application/pdf", "data": pdf}},
            {"inlineData": {"mimeType": "audio/wav", "data": "UklGRg=="}}]}}]}],
        "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "object"}}]}]});
    let result = "/messages/2/content/0/content";
    let output = "/input/2/output";
    let response = "/contents/2/parts/0/functionResponse";
    // (caller's request, pair, upstream model, losses, (pointer, value) the upstream
    // request holds, `null` for nothing).
    type Case<'a> = (
        &'a Value,
        &'a str,
        &'a str,
        Vec<String>,
        Vec<(String, Value)>,
    );
    let cases: Vec<Case> = vec![
        (
            &anthropic,
            "anthropic_openai",
            "m",
            (1..4).map(|k| format!("{result}/{k}")).collect(),
            vec![(
                "/messages/2/content".into(),
                json!([{"type": "text", "text": "r"}]),
            )],
        ),
        (
            &anthropic,
            "anthropic_gemini",
            "gemini-3-pro-preview",
            vec![format!("{result}/2/title"), format!("{result}/3")],
            vec![
                (
                    format!("{response}/parts"),
                    json!([
                {"inlineData": {"data": png, "mimeType": "image/png"}},
                {"inlineData": {"data": pdf, "mimeType": "application/pdf"}}]),
                ),
                (format!("{response}/response"), json!({"result": "r"})),
            ],
        ),
        (
            &anthropic,
            "anthropic_gemini",
            "gemini-2.5-flash",
            (1..4).map(|k| format!("{result}/{k}")).collect(),
            vec![(format!("{response}/parts"), Value::Null)],
        ),
        (
            &anthropic,
            "anthropic_responses",
            "m",
            vec![],
            vec![
                (
                    "/input/2/output/1/image_url".into(),
                    json!(format!("data:image/png;base64,{png}")),
                ),
                ("/input/2/output/2/filename".into(), json!("a.pdf")),
                (
                    "/input/2/output/3/image_url".into(),
                    json!("https://e.com/a.png"),
                ),
            ],
        ),
        (
            &responses,
            "responses_openai",
            "m",
            (1..4).map(|k| format!("{output}/{k}")).collect(),
            vec![("/messages/2/content".into(), json!("r"))],
        ),
        (
            &responses,
            "responses_gemini",
            "gemini-3-pro-preview",
            vec![
                format!("{output}/1/detail"),
                format!("{output}/2/filename"),
                format!("{output}/3"),
            ],
            vec![(
                format!("{response}/parts"),
                json!([
                {"inlineData": {"mimeType": "image/png", "data": png}},
                {"inlineData": {"mimeType": "application/pdf", "data": pdf}}]),
            )],
        ),
        (
            &responses,
            "responses_gemini",
            "gemini-2.5-flash",
            (1..4).map(|k| format!("{output}/{k}")).collect(),
            vec![(format!("{response}/parts"), Value::Null)],
        ),
        (
            &responses,
            "responses_anthropic",
            "m",
            vec![format!("{output}/1/detail")],
            vec![
                (format!("{result}/0"), json!({"type": "text", "text": "r"})),
                (format!("{result}/1/source/data"), json!(png)),
                (format!("{result}/2/title"), json!("a.pdf")),
                (
                    format!("{result}/3/source/url"),
                    json!("https://e.com/a.png"),
                ),
            ],
        ),
        (
            &gemini,
            "gemini_openai",
            "m",
            vec![format!("{response}/parts")],
            vec![("/messages/2/content".into(), json!("r"))],
        ),
        (
            &gemini,
            "gemini_anthropic",
            "m",
            vec![format!("{response}/parts/2")],
            vec![
                (format!("{result}/0/text"), json!("r")),
                (format!("{result}/1/source/media_type"), json!("image/png")),
                (format!("{result}/2/source/data"), json!(pdf)),
                (format!("{result}/3"), Value::Null),
            ],
        ),
        (
            &gemini,
            "gemini_responses",
            "m",
            vec![format!("{response}/parts/2")],
            vec![
                ("/input/2/output/0/text".into(), json!("r")),
                (
                    "/input/2/output/1/image_url".into(),
                    json!(format!("data:image/png;base64,{png}")),
                ),
                (
                    "/input/2/output/2/file_data".into(),
                    json!(format!("data:application/pdf;base64,{pdf}")),
                ),
                ("/input/2/output/3".into(), Value::Null),
            ],
        ),
    ];
    for (body, pair, model, lost, holds) in cases {
        let (request, mut losses) =
            sent_to(pair, body, model).unwrap_or_else(|e| panic!("{pair}: {e}"));
        losses.sort_unstable();
        assert_eq!(losses, lost, "{pair} toward {model}: {request}");
        for (at, want) in holds {
            let want = Some(&want).filter(|w| !w.is_null());
            assert_eq!(
                request.pointer(&at),
                want,
                "{pair} toward {model}: {at} in {request}"
            );
        }
    }
}

#[test]
fn settings_without_a_counterpart_are_reported_and_carried_where_they_have_one() {
    for (body, pair, lost, holds) in setting_cases() {
        let (request, losses) = sent(pair, &body).unwrap_or_else(|e| panic!("{pair}: {e}"));
        // Exactly these losses: none missing, none reported that is carried.
        let mut got: Vec<&str> = losses.iter().map(String::as_str).collect();
        let mut want = lost.clone();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{pair}: the losses of {body}");
        for (at, want) in holds {
            // `null`: nothing there.
            let want = Some(&want).filter(|w| !w.is_null());
            assert_eq!(request.pointer(at), want, "{pair}: {at} in {request}");
        }
    }
}

/// A field reported lost must not reach the upstream: the request without it is the same
/// request (on the golden requests, the setting cases and the client requests). List items are left out (their
/// removal shifts what follows), and so are clamped values (`upstream:`), which are sent.
#[test]
fn what_is_reported_lost_is_not_sent() {
    let (mut failures, mut checked) = (Vec::new(), 0);
    for pair in PAIRS {
        let golden = ["tools_vision_reasoning", "limits_and_errors"]
            .map(|name| (name, golden_case(pair, name)["request"].clone()));
        let cases = setting_cases()
            .into_iter()
            .filter(|c| c.1 == pair)
            .map(|c| ("a setting case", c.0));
        let clients = client_requests()
            .into_iter()
            .filter(|c| pair.split('_').next() == Some(c.0))
            .map(|c| ("a client request", c.1));
        for (name, request) in golden.into_iter().chain(cases).chain(clients) {
            let Ok((sent_before, losses)) = sent(pair, &request) else {
                continue;
            };
            for l in &losses {
                // Clamped values name the upstream's field; list items shift what follows.
                let last = l.rsplit('/').next().unwrap_or("");
                if l.starts_with("upstream:") || last.parse::<usize>().is_ok() {
                    continue;
                }
                let (parent, key) = l.rsplit_once('/').expect("a pointer");
                let key = key.replace("~1", "/").replace("~0", "~");
                let mut without = request.clone();
                let removed = without
                    .pointer_mut(parent)
                    .and_then(Value::as_object_mut)
                    .and_then(|o| o.remove(&key));
                if removed.is_none() {
                    failures.push(format!(
                        "{pair} {name}: {l} is reported but not in the request"
                    ));
                    continue;
                }
                checked += 1;
                match sent(pair, &without) {
                    Ok((after, _)) if after != sent_before => failures.push(format!(
                        "{pair} {name}: {l} is reported lost, yet the request changes without it"
                    )),
                    Err(e) => failures.push(format!(
                        "{pair} {name}: {l} is reported lost, yet without it the request fails: {e}"
                    )),
                    Ok(_) => {}
                }
            }
        }
    }
    println!("{checked} losses checked");
    assert!(checked >= 60, "the requests report losses to check");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Requests as the clients send them (a coding agent on Anthropic, an agent on the
/// Responses API echoing its output items, the openai SDK with strict tools, google-genai
/// with a thought signature and thinking off), by caller protocol.
fn client_requests() -> Vec<(&'static str, Value)> {
    let schema = json!({"type": "object", "properties": {"command": {"type": "string"}},
        "required": ["command"], "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#"});
    vec![
        (
            "anthropic",
            json!({"model": "claude-sonnet-4-5", "max_tokens": 32000, "stream": true,
                "system": [{"type": "text", "text": "You are a coding agent.", "cache_control": {"type": "ephemeral"}},
                           {"type": "text", "text": "env"}],
                "messages": [{"role": "user", "content": [{"type": "text", "text": "list files"}]},
                  {"role": "assistant", "content": [{"type": "thinking", "thinking": "run ls", "signature": "c2ln"},
                    {"type": "text", "text": "Running ls."},
                    {"type": "tool_use", "id": "toolu_01", "name": "Bash", "input": {"command": "ls"}, "caller": {"type": "direct"}}]},
                  {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01",
                    "content": [{"type": "text", "text": "a.txt"}], "is_error": false},
                    {"type": "text", "text": "thanks", "cache_control": {"type": "ephemeral"}}]}],
                "tools": [{"name": "Bash", "description": "Run a command", "input_schema": schema}],
                "thinking": {"type": "enabled", "budget_tokens": 4000}, "metadata": {"user_id": "u"}}),
        ),
        (
            "responses",
            json!({"model": "gpt-5", "instructions": "Be helpful", "store": false,
                "include": ["reasoning.encrypted_content"],
                "input": [{"role": "user", "content": "weather?"},
                  {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "need tool"}], "encrypted_content": "c2ln"},
                  {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "get_weather",
                   "arguments": "{\"city\":\"Paris\"}", "status": "completed"},
                  {"type": "function_call_output", "call_id": "call_1", "output": "18C"},
                  {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                   "content": [{"type": "output_text", "text": "It is 18C.", "annotations": [], "logprobs": []}]},
                  {"role": "user", "content": [{"type": "input_text", "text": "thanks"}]}],
                "tools": [{"type": "function", "name": "get_weather", "description": "w",
                  "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                  "required": ["city"], "additionalProperties": false}, "strict": true}],
                "reasoning": {"effort": "medium", "summary": "auto"}, "parallel_tool_calls": true, "stream": true}),
        ),
        (
            "openai",
            json!({"model": "gpt-4o", "messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi"},
                {"role": "assistant", "content": null, "refusal": null,
                 "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "ok"}],
                "tools": [{"type": "function", "function": {"name": "f", "description": "d",
                  "parameters": {"type": "object", "properties": {}, "additionalProperties": false}, "strict": true}}],
                "tool_choice": "auto", "stream": true, "stream_options": {"include_usage": true},
                "temperature": 0.7, "max_completion_tokens": 500}),
        ),
        (
            "gemini",
            json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]},
                {"role": "model", "parts": [{"functionCall": {"name": "f", "args": {"a": 1}}, "thoughtSignature": "c2ln"}]},
                {"role": "user", "parts": [{"functionResponse": {"name": "f", "response": {"result": "ok"}}}]}],
                "systemInstruction": {"role": "user", "parts": [{"text": "sys"}]},
                "tools": [{"functionDeclarations": [{"name": "f", "description": "d",
                  "parameters": {"type": "OBJECT", "properties": {"a": {"type": "INTEGER"}}, "required": ["a"]}}]}],
                "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}},
                "generationConfig": {"temperature": 0.5, "maxOutputTokens": 800, "thinkingConfig": {"thinkingBudget": 0}}}),
        ),
    ]
}

/// Client requests report exactly what has no place in each target, and nothing that
/// is carried or at its default (a false report is a refused request in strict mode).
#[test]
fn client_requests_report_only_what_has_no_place() {
    let want: &[(&str, &[&str])] = &[
        // Cache hints; a thinking signature only Anthropic reads (Anthropic made it: Gemini
        // would refuse it as a thought signature); a user id Gemini has no place for.
        (
            "anthropic_openai",
            &[
                "/system/0/cache_control",
                "/messages/1/content/0",
                "/messages/2/content/1/cache_control",
            ],
        ),
        (
            "anthropic_gemini",
            &[
                "/system/0/cache_control",
                "/messages/1/content/0/signature",
                "/messages/2/content/1/cache_control",
                "/metadata",
            ],
        ),
        (
            "anthropic_responses",
            &[
                "/system/0/cache_control",
                "/messages/1/content/0",
                "/messages/2/content/1/cache_control",
            ],
        ),
        // OpenAI's reasoning state means nothing to Chat, Anthropic or Gemini (which
        // refuse a signature they did not make); strict tools, nothing to Gemini.
        ("responses_openai", &["/input/1"]),
        ("responses_anthropic", &["/input/1"]),
        (
            "responses_gemini",
            &["/input/1/encrypted_content", "/tools/0/strict"],
        ),
        ("openai_anthropic", &[]),
        ("openai_gemini", &["/tools/0/function/strict"]),
        ("openai_responses", &[]),
        // A thought signature only Gemini reads (Gemini made it: Anthropic would refuse it).
        ("gemini_openai", &["/contents/1/parts/0/thoughtSignature"]),
        (
            "gemini_anthropic",
            &["/contents/1/parts/0/thoughtSignature"],
        ),
        (
            "gemini_responses",
            &["/contents/1/parts/0/thoughtSignature"],
        ),
    ];
    for (caller, body) in client_requests() {
        for pair in PAIRS.iter().filter(|p| p.split('_').next() == Some(caller)) {
            let (_, losses) = sent(pair, &body).unwrap_or_else(|e| panic!("{pair}: {e}"));
            let mut got: Vec<&str> = losses.iter().map(String::as_str).collect();
            let mut expected = want
                .iter()
                .find(|(p, _)| p == pair)
                .map(|(_, l)| l.to_vec())
                .expect("every pair listed");
            got.sort_unstable();
            expected.sort_unstable();
            assert_eq!(got, expected, "{pair}");
        }
    }
}

/// An Anthropic answer of two thinking blocks (one signed, one redacted) gives a Responses
/// caller two reasoning items, each with its own state: one item would keep only the last,
/// and the first block could never go back.
#[test]
fn every_thinking_block_keeps_its_state_for_a_responses_caller() {
    let options = PairOptions {
        caller_model: "m".into(),
        ..Default::default()
    };
    let states = |items: &Value| -> Vec<Value> {
        items
            .as_array()
            .expect("output")
            .iter()
            .filter(|i| i["type"] == "reasoning")
            .map(|i| i["encrypted_content"].clone())
            .collect()
    };
    let want = vec![json!("an:c2lnLUE="), json!("rd:ZGF0YQ==")];
    let body = br#"{"model":"m","input":"hi"}"#;
    // Whole.
    let mut t = by_name("responses_anthropic", false, &options).expect("pair");
    t.request(body, "claude").expect("request");
    let answer = json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude",
        "content": [{"type": "thinking", "thinking": "A", "signature": "c2lnLUE="},
                    {"type": "redacted_thinking", "data": "ZGF0YQ=="},
                    {"type": "text", "text": "ok"}],
        "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 2}});
    let out: Value =
        serde_json::from_slice(&t.response(answer.to_string().as_bytes()).expect("answer"))
            .expect("json");
    assert_eq!(states(&out["output"]), want, "{out}");
    // Streamed.
    let mut t = by_name("responses_anthropic", false, &options).expect("pair");
    t.request(br#"{"model":"m","input":"hi","stream":true}"#, "claude")
        .expect("request");
    let events = [
        json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
            "model": "claude", "content": [], "usage": {"input_tokens": 1, "output_tokens": 0}}}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": "", "signature": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "A"}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "c2lnLUE="}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "content_block_start", "index": 1, "content_block": {"type": "redacted_thinking", "data": "ZGF0YQ=="}}),
        json!({"type": "content_block_stop", "index": 1}),
        json!({"type": "content_block_start", "index": 2, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 2, "delta": {"type": "text_delta", "text": "ok"}}),
        json!({"type": "content_block_stop", "index": 2}),
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}),
        json!({"type": "message_stop"}),
    ];
    let mut out = Vec::new();
    for e in &events {
        let name = e["type"].as_str().expect("type");
        t.stream_event(Some(name), &e.to_string(), &mut out)
            .expect("event");
    }
    t.stream_finish(&mut out);
    let events = common::events_of(&out);
    let done = events
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["data"]["type"] == "response.completed")
        .unwrap_or_else(|| panic!("no response.completed: {events}"));
    assert_eq!(states(&done["data"]["response"]["output"]), want, "{done}");
}

/// Anthropic blocks a Gemini caller has no part for (redacted thinking, a server tool's
/// call) are reported in a stream as in a whole answer, at the block's place.
#[test]
fn blocks_without_a_gemini_part_are_reported_in_streams_as_in_answers() {
    let mut case = golden_case("gemini_anthropic", "tools_vision_reasoning");
    let request = serde_json::to_vec(&case["request"]).expect("request");
    let blocks = [
        json!({"type": "redacted_thinking", "data": "ZGF0YQ=="}),
        json!({"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}),
    ];
    for block in blocks {
        // What the answer (or stream) adds to the request's losses.
        let mut added = |stream: bool| {
            case.insert("caller_stream".into(), json!(stream));
            let mut t = common::translator("gemini_anthropic", &case);
            t.request(&request, "m").expect("request");
            let before = t.losses().len();
            if stream {
                let mut start = json!({"type": "content_block_start", "index": 0});
                start["content_block"] = block.clone();
                let events = [
                    json!({"type": "message_start", "message": {"id": "msg_1", "type": "message",
                        "role": "assistant", "model": "m", "content": [],
                        "usage": {"input_tokens": 1, "output_tokens": 1}}}),
                    start,
                    json!({"type": "content_block_stop", "index": 0}),
                    json!({"type": "content_block_start", "index": 1,
                        "content_block": {"type": "text", "text": ""}}),
                    json!({"type": "content_block_delta", "index": 1,
                        "delta": {"type": "text_delta", "text": "Hi."}}),
                    json!({"type": "content_block_stop", "index": 1}),
                    json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                        "usage": {"output_tokens": 2}}),
                    json!({"type": "message_stop"}),
                ];
                let mut out = Vec::new();
                for e in events {
                    t.stream_event(None, &e.to_string(), &mut out)
                        .expect("event");
                }
                assert!(t.stream_complete(), "the stream ends");
            } else {
                let answer = json!({"id": "msg_1", "type": "message", "role": "assistant",
                    "model": "m", "content": [block.clone(), {"type": "text", "text": "Hi."}],
                    "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 2}});
                t.response(answer.to_string().as_bytes()).expect("answer");
            }
            t.losses()[before..].to_vec()
        };
        assert_eq!(added(false), ["/content/0"], "answer, {block}");
        assert_eq!(added(true), ["/content/0"], "stream, {block}");
    }
}

/// The tier an upstream says served its answer, and what each caller family (OpenAI,
/// Anthropic, Gemini) must get for it: its word, `""` for nothing (a provider's default
/// says nothing), `"!"` for a loss reported. Written out here, not read from the crate.
const SERVED: &[(&str, &str, [&str; 3])] = &[
    ("openai", "priority", ["priority", "priority", "priority"]),
    ("openai", "default", ["default", "standard", "standard"]),
    ("openai", "flex", ["flex", "!", "flex"]),
    ("openai", "scale", ["scale", "!", "!"]),
    ("openai", "auto", ["", "", ""]),
    ("anthropic", "standard", ["default", "-", "standard"]),
    ("anthropic", "priority", ["priority", "-", "priority"]),
    ("anthropic", "batch", ["!", "-", "!"]),
    ("gemini", "flex", ["flex", "!", "-"]),
    ("gemini", "standard", ["default", "standard", "-"]),
    ("gemini", "unspecified", ["", "", "-"]),
];

/// `answer` (or each stream event's data) with the upstream's tier `word` where its
/// protocol names the tier that served it.
fn with_served_tier(upstream: &str, word: &str, answer: &mut Value) {
    let at = |v: &mut Value, path: &[&str]| {
        let mut v = v;
        for key in path {
            if !v.is_object() {
                return;
            }
            v = v
                .as_object_mut()
                .expect("object")
                .entry(*key)
                .or_insert_with(|| json!({}));
        }
        *v = json!(word);
    };
    match upstream {
        "openai" if answer.is_object() => at(answer, &["service_tier"]),
        "responses" if answer.get("response").is_some() => {
            at(answer, &["response", "service_tier"])
        }
        "responses" if answer.get("object") == Some(&json!("response")) => {
            at(answer, &["service_tier"])
        }
        "anthropic" if answer.get("type") == Some(&json!("message_start")) => {
            at(answer, &["message", "usage", "service_tier"])
        }
        "anthropic" if answer.get("type") == Some(&json!("message")) => {
            at(answer, &["usage", "service_tier"])
        }
        "gemini" if answer.is_object() && answer.get("error").is_none() => {
            at(answer, &["usageMetadata", "serviceTier"])
        }
        _ => {}
    }
}

/// Where a caller's answer, and its stream's event, names the tier: the answer's pointer,
/// and the event (picked from the events) and pointer in it.
fn caller_tier(caller: &str, answer: &Value, events: &[Value]) -> (Value, Vec<Value>) {
    let get = |v: &Value, p: &str| v.pointer(p).cloned().unwrap_or(Value::Null);
    // SSE events carry their data; the JSON-array stream's elements are the chunks.
    let data = |e: &Value| e.get("data").unwrap_or(e).clone();
    match caller {
        // Every chunk (but the end) names it: the first one is what the SDK keeps.
        "openai" => (
            get(answer, "/service_tier"),
            events
                .iter()
                .map(data)
                .filter(Value::is_object)
                .map(|d| get(&d, "/service_tier"))
                .collect(),
        ),
        "responses" => (
            get(answer, "/service_tier"),
            events
                .iter()
                .map(data)
                .filter(|d| d["type"] == "response.completed")
                .map(|d| get(&d, "/response/service_tier"))
                .collect(),
        ),
        "anthropic" => (
            get(answer, "/usage/service_tier"),
            events
                .iter()
                .map(data)
                .filter(|d| d["type"] == "message_start")
                .map(|d| get(&d, "/message/usage/service_tier"))
                .collect(),
        ),
        _ => (
            get(answer, "/usageMetadata/serviceTier"),
            events
                .iter()
                .rev()
                .map(data)
                .find(|d| d.get("usageMetadata").is_some())
                .map(|d| get(&d, "/usageMetadata/serviceTier"))
                .into_iter()
                .collect(),
        ),
    }
}

/// The tier an upstream says served the answer reaches the caller under the caller's
/// word, in the whole answer and in the stream, in all twelve directions; a tier the
/// caller's protocol has no word for is reported, a provider's default says nothing.
#[test]
fn served_tiers_come_back_under_the_callers_words() {
    let family = |p: &str| match p {
        "openai" | "responses" => 0,
        "anthropic" => 1,
        _ => 2,
    };
    let mut checked = 0;
    for pair in PAIRS {
        let (caller, upstream) = pair.split_once('_').expect("pair name");
        let case = golden_case(pair, "tools_vision_reasoning");
        let request = serde_json::to_vec(&case["request"]).expect("request");
        for (from, word, want) in SERVED {
            if *from != ["openai", "anthropic", "gemini"][family(upstream)] {
                continue;
            }
            let want = want[family(caller)];
            let expect = match want {
                "" | "!" => Value::Null,
                w => json!(w),
            };
            // The whole answer.
            let mut t = common::translator(pair, &case);
            t.request(&request, "m").expect("request");
            let before = t.losses().len();
            let mut answer = case["upstream_response"].clone();
            with_served_tier(upstream, word, &mut answer);
            let got: Value =
                serde_json::from_slice(&t.response(answer.to_string().as_bytes()).expect("answer"))
                    .expect("JSON");
            let answer_losses = t.losses()[before..].to_vec();
            // The stream, with the delta fast paths and without (the same events).
            let mut streams = Vec::new();
            for fast in [false, true] {
                aigw_translate::fast::set_enabled(fast);
                let mut t = common::translator(pair, &case);
                t.request(&request, "m").expect("request");
                let mut out = Vec::new();
                for e in case["upstream_stream"].as_array().expect("stream") {
                    let mut data = match &e["data"] {
                        Value::String(s) => serde_json::from_str(s).unwrap_or(json!(s)),
                        other => other.clone(),
                    };
                    with_served_tier(upstream, word, &mut data);
                    let data = match data {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    t.stream_event(e.get("event").and_then(Value::as_str), &data, &mut out)
                        .expect("event");
                }
                assert!(t.stream_finish(&mut out), "{pair} {word}: the stream ends");
                streams.push((common::events_of(&out), t.losses()[before..].to_vec()));
            }
            assert_eq!(
                streams[0], streams[1],
                "{pair} {word}: the fast paths differ"
            );
            let (events, stream_losses) = streams.remove(1);
            let (in_answer, in_events) =
                caller_tier(caller, &got, events.as_array().expect("events"));
            assert_eq!(in_answer, expect, "{pair} {word}: the answer {got}");
            assert!(
                !in_events.is_empty(),
                "{pair} {word}: no event names a tier"
            );
            for e in &in_events {
                assert_eq!(*e, expect, "{pair} {word}: the stream {events}");
            }
            for losses in [&answer_losses, &stream_losses] {
                let tier_lost = losses
                    .iter()
                    .any(|l| l.ends_with("service_tier") || l.ends_with("serviceTier"));
                assert_eq!(tier_lost, want == "!", "{pair} {word}: losses {losses:?}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 48, "every (pair, tier) case");
}
