//! Requests the gateway sends upstream after translating validate against the target
//! provider's pinned spec (the operation's request schema, checked with the `jsonschema`
//! crate): every golden case's translated request, and translations of requests generated
//! at random from each caller protocol's schema (property test: a translation either
//! validates or fails with a clear error; it never panics). What the gateway gives back
//! validates against the caller's spec: every golden case's translated answer, stream
//! event and error (the spec read as the wire is: see [`answer_validator`]).
//!
//! OpenAI's and Anthropic's request schemas are their OpenAPI 3.1 components as JSON
//! Schema. Gemini's Discovery schemas are turned into JSON Schema here (`$ref` names,
//! `type: any`), with unknown properties refused, as Gemini refuses unknown fields.

use std::path::Path;

use aigw_conformance::generate::Generator;
use aigw_translate::Translator;
use serde_json::{Map, Value, json};
use xtask::select::providers;

/// The target request schema of each upstream protocol.
fn target_schema(target: &str) -> &'static str {
    match target {
        "openai" => "CreateChatCompletionRequest",
        "responses" => "CreateResponse",
        "anthropic" => "CreateMessageParams",
        _ => "GenerateContentRequest",
    }
}

fn spec(provider: &str) -> Value {
    let mut v: Value = xtask::specs::fetch(provider)
        .expect("pinned spec")
        .parse()
        .expect("spec parses");
    discriminated_one_of_to_any_of(&mut v);
    v
}

/// A `oneOf` with an OpenAPI `discriminator` selects its branch by the discriminator; a
/// JSON Schema validator reads it as "exactly one branch matches", which OpenAI's spec
/// breaks where two branches share a discriminator value (a Responses input message
/// matches both `EasyInputMessage` and `InputMessage`). Validated as `anyOf`.
fn discriminated_one_of_to_any_of(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.contains_key("discriminator")
                && let Some(branches) = m.remove("oneOf")
            {
                m.insert("anyOf".into(), branches);
            }
            m.values_mut().for_each(discriminated_one_of_to_any_of);
        }
        Value::Array(a) => a.iter_mut().for_each(discriminated_one_of_to_any_of),
        _ => {}
    }
}

/// Discovery schemas → JSON Schema (`$ref: Name` → `#/definitions/Name`, `type: any` →
/// any, objects closed to unknown properties).
fn discovery_to_json_schema(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(name)) => {
                        out.insert("$ref".into(), json!(format!("#/definitions/{name}")));
                    }
                    ("type", Value::String(t)) if t == "any" => {}
                    (
                        "id" | "description" | "enumDescriptions" | "enumDeprecated" | "readOnly"
                        | "deprecated" | "annotations",
                        _,
                    ) => {}
                    ("properties", Value::Object(props)) => {
                        let props: Map<String, Value> = props
                            .iter()
                            .map(|(k, v)| (k.clone(), discovery_to_json_schema(v)))
                            .collect();
                        out.insert("properties".into(), Value::Object(props));
                        out.insert("additionalProperties".into(), json!(false));
                    }
                    _ => {
                        out.insert(k.clone(), discovery_to_json_schema(x));
                    }
                }
            }
            // int64 and friends are strings on the wire; formats are not checked.
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(discovery_to_json_schema).collect()),
        other => other.clone(),
    }
}

fn validator(target: &str) -> jsonschema::Validator {
    let name = target_schema(target);
    let root = match target {
        "gemini" => {
            let s = spec("gemini");
            let defs = discovery_to_json_schema(&s["schemas"]);
            json!({"$ref": format!("#/definitions/{name}"), "definitions": defs})
        }
        target => {
            let s = spec(if target == "responses" {
                "openai"
            } else {
                target
            });
            json!({"$ref": format!("#/components/schemas/{name}"), "components": s["components"]})
        }
    };
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(&root)
        .unwrap_or_else(|e| panic!("{target} schema compiles: {e}"))
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

fn translator(pair: &str) -> Box<dyn Translator> {
    let options = aigw_translate::PairOptions {
        caller_model: "caller-model".into(),
        sse: true,
        ..Default::default()
    };
    aigw_translate::by_name(pair, false, &options).expect("a pair")
}

use aigw_translate::PAIRS;

fn target_of(pair: &str) -> &str {
    pair.split('_').nth(1).expect("pair")
}

#[test]
fn golden_translated_requests_validate_against_the_target_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gateway/translate/tests/golden");
    let mut failures = Vec::new();
    let mut checked = 0;
    for target in ["openai", "responses", "anthropic", "gemini"] {
        let v = validator(target);
        for pair in PAIRS.iter().filter(|p| target_of(p) == target) {
            for case in std::fs::read_dir(root.join(pair))
                .expect("pair dir")
                .flatten()
            {
                let c: Value =
                    serde_json::from_str(&std::fs::read_to_string(case.path()).expect("case"))
                        .expect("JSON");
                let errs = errors(&v, &c["expect_request"]);
                checked += 1;
                if !errs.is_empty() {
                    failures.push(format!("{}: {}", case.path().display(), errs.join("; ")));
                }
            }
        }
    }
    println!("{checked} translated golden requests validated");
    assert!(checked >= 24);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The caller's request schema, with `required` and bounds kept (spec-diff's
/// normalization), for generating requests that are valid for their caller.
fn caller_doc(provider: &str) -> Value {
    let p = providers()
        .into_iter()
        .find(|p| p.name == provider)
        .expect("provider");
    let input = xtask::diff::load(provider).expect("pinned spec");
    let overlay = p.overlay.map(|rel| {
        let path = xtask::specs::workspace_root().join("specs").join(rel);
        serde_json::from_str::<Value>(&std::fs::read_to_string(path).expect("overlay"))
            .expect("overlay JSON")
    });
    xtask::select::normalize_spec_for(
        &p,
        &input.value,
        input.format,
        overlay.as_ref(),
        xtask::select::Purpose::Diff,
    )
    .expect("normalize")
    .doc
}

/// A validator for the caller's own request schema.
fn caller_validator(provider: &str, schema: &str) -> jsonschema::Validator {
    let root = match provider {
        "gemini" => {
            let s = spec("gemini");
            json!({"$ref": format!("#/definitions/{schema}"), "definitions": discovery_to_json_schema(&s["schemas"])})
        }
        _ => {
            let s = spec(provider);
            json!({"$ref": format!("#/components/schemas/{schema}"), "components": s["components"]})
        }
    };
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(&root)
        .expect("caller schema compiles")
}

/// How many random cases each property test tries (`AIGW_TRANSLATE_PROPTEST_CASES`,
/// default 400) and its seed (`AIGW_PROPTEST_SEED`).
fn random_cases() -> (usize, u64) {
    let cases = std::env::var("AIGW_TRANSLATE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let seed = std::env::var("AIGW_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x7a11);
    (cases, seed)
}

/// Prints one failure of each kind (its pair and the place, without indexes).
fn print_one_of_each_kind(failures: &[String]) {
    let mut seen = std::collections::BTreeSet::new();
    for f in failures {
        let pair = f.split(' ').next().unwrap_or("");
        let place: String = f
            .split(" at ")
            .nth(1)
            .unwrap_or("")
            .split(['\n', ';'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        if seen.insert((pair.to_owned(), place)) {
            println!("FAILED {}", f.chars().take(1500).collect::<String>());
        }
    }
}

#[test]
fn random_requests_translate_into_valid_requests_or_clear_errors() {
    let (cases, seed) = random_cases();
    let callers = [
        (
            "openai",
            "CreateChatCompletionRequest",
            &["openai_anthropic", "openai_gemini", "openai_responses"][..],
        ),
        (
            "openai",
            "CreateResponse",
            &[
                "responses_openai",
                "responses_anthropic",
                "responses_gemini",
            ][..],
        ),
        (
            "anthropic",
            "CreateMessageParams",
            &[
                "anthropic_openai",
                "anthropic_gemini",
                "anthropic_responses",
            ][..],
        ),
        (
            "gemini",
            "GenerateContentRequest",
            &["gemini_openai", "gemini_anthropic", "gemini_responses"][..],
        ),
    ];
    let validators: Vec<(&str, jsonschema::Validator)> =
        ["openai", "responses", "anthropic", "gemini"]
            .into_iter()
            .map(|t| (t, validator(t)))
            .collect();
    let mut failures = Vec::new();
    for (provider, schema, pairs) in callers {
        let doc = caller_doc(provider);
        let caller = caller_validator(provider, schema);
        let mut generator = Generator::new(&doc, seed).expect("schemas").without_nulls();
        let (mut valid_inputs, mut ok, mut refused) = (0, 0, 0);
        for i in 0..cases {
            let Some(mut request) = generator.instance_of(schema) else {
                continue;
            };
            if let Some(o) = request.as_object_mut() {
                o.insert("model".into(), json!("caller-model"));
                o.remove("stream");
            }
            // Only requests their own protocol accepts.
            if !caller.is_valid(&request) {
                if std::env::var_os("AIGW_SHOW_INVALID").is_some() && i < 5 {
                    println!(
                        "invalid caller request: {}",
                        errors(&caller, &request).join("; ")
                    );
                }
                continue;
            }
            valid_inputs += 1;
            let body = serde_json::to_vec(&request).expect("json");
            for pair in pairs {
                let mut t = translator(pair);
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    t.request(&body, "upstream-model")
                }));
                match result {
                    Err(_) => failures.push(format!("{pair} case {i}: panicked on {request}")),
                    Ok(Err(e)) => {
                        refused += 1;
                        if std::env::var_os("AIGW_SHOW_REFUSED").is_some() {
                            println!("refused {pair}: {e}");
                        }
                    }
                    Ok(Ok(out)) => {
                        ok += 1;
                        let sent: Value = serde_json::from_slice(&out.body).expect("JSON");
                        let v = &validators
                            .iter()
                            .find(|(t, _)| *t == target_of(pair))
                            .expect("validator")
                            .1;
                        let errs = errors(v, &sent);
                        if !errs.is_empty() {
                            failures.push(format!(
                                "{pair} case {i}: {}\n    caller {request}\n    sent {sent}",
                                errs.join("; ")
                            ));
                        }
                    }
                }
            }
        }
        println!(
            "{provider} {schema}: {cases} generated, {valid_inputs} valid for their caller; {ok} translations validated, {refused} refused with an error"
        );
        assert!(
            valid_inputs > 0,
            "{provider} {schema}: no valid request generated"
        );
    }
    let mut kinds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for f in &failures {
        let pair = f.split(' ').next().unwrap_or("");
        let what = f
            .split(": ")
            .nth(1)
            .unwrap_or("")
            .split('\n')
            .next()
            .unwrap_or("");
        let what: String = what
            .split(" at ")
            .map(|p| p.split('[').next().unwrap_or(p))
            .collect::<Vec<_>>()
            .join(" at ");
        *kinds
            .entry(format!(
                "{pair}: {}",
                what.chars()
                    .rev()
                    .take(90)
                    .collect::<String>()
                    .chars()
                    .rev()
                    .collect::<String>()
            ))
            .or_default() += 1;
    }
    for (k, n) in &kinds {
        println!("{n:4} {k}");
    }
    let mut seen = std::collections::BTreeSet::new();
    for f in &failures {
        let pair = f.split(' ').next().unwrap_or("").to_owned();
        let at = f
            .split(" at /")
            .nth(1)
            .unwrap_or("")
            .split(['/', ';', '\n'])
            .next()
            .unwrap_or("")
            .to_owned();
        if seen.insert((pair, at)) {
            println!("FAILED {}", f.chars().take(1500).collect::<String>());
        }
    }
    assert!(
        failures.is_empty(),
        "{} translations failed",
        failures.len()
    );
}

/// What a caller of each protocol gets back, validated by its spec's schemas: the whole
/// answer, one stream event's data, an error body (Gemini's Discovery document has no
/// schema for its error envelope: checked by hand in [`gemini_error_errors`]).
struct CallerSchemas {
    caller: &'static str,
    answer: jsonschema::Validator,
    event: jsonschema::Validator,
    error: Option<jsonschema::Validator>,
}

impl CallerSchemas {
    fn of(caller: &'static str) -> CallerSchemas {
        let (provider, answer, event, error) = match caller {
            "openai" => (
                "openai",
                "CreateChatCompletionResponse",
                "CreateChatCompletionStreamResponse",
                Some("ErrorResponse"),
            ),
            "responses" => (
                "openai",
                "Response",
                "ResponseStreamEvent",
                Some("ErrorResponse"),
            ),
            "anthropic" => (
                "anthropic",
                "Message",
                "MessageStreamEvent",
                Some("ErrorResponse"),
            ),
            _ => (
                "gemini",
                "GenerateContentResponse",
                "GenerateContentResponse",
                None,
            ),
        };
        CallerSchemas {
            caller,
            answer: answer_validator(provider, answer),
            event: answer_validator(provider, event),
            error: error.map(|e| answer_validator(provider, e)),
        }
    }

    /// The schema errors of an error body.
    fn error_errors(&self, v: &Value) -> Vec<String> {
        match &self.error {
            Some(e) => errors(e, v),
            None => gemini_error_errors(v),
        }
    }

    /// The schema errors of a stream event's data (`name`: its SSE event name): an error
    /// in the caller's shape, or an event.
    fn event_errors(&self, name: Option<&str>, data: &Value) -> Vec<String> {
        if stream_error(self.caller, name, data) {
            self.error_errors(data)
        } else {
            errors(&self.event, data)
        }
    }
}

/// Every caller protocol's schemas.
fn all_caller_schemas() -> Vec<CallerSchemas> {
    ["openai", "responses", "anthropic", "gemini"]
        .into_iter()
        .map(CallerSchemas::of)
        .collect()
}

/// A validator for what a caller of `provider` gets back, the spec read as the wire is:
/// OpenAI's `nullable: true` (an OpenAPI 3.0 idiom left in its 3.1 document, in the chat
/// chunk's `finish_reason` and `logprobs` for one: JSON Schema ignores it) admits `null`;
/// in Anthropic's response schemas, a property `required` but with a `default` may be
/// absent (its SDK models mark every field required, nullable ones with a `null` default;
/// the API leaves them out: a text block without citations has no `citations`); and a
/// Responses object's `usage` may be `null`, as the API's `response.created` and
/// `response.in_progress` events have it before there is any (its `usage` is optional in
/// the spec, not nullable).
fn answer_validator(provider: &str, schema: &str) -> jsonschema::Validator {
    if provider == "gemini" {
        return caller_validator(provider, schema);
    }
    let mut components = spec(provider)["components"].take();
    as_the_wire_is(&mut components, provider == "anthropic");
    let response_parts = components
        .pointer_mut("/schemas/Response/allOf")
        .and_then(Value::as_array_mut);
    for part in response_parts.into_iter().flatten() {
        if let Some(usage) = part.pointer_mut("/properties/usage") {
            *usage = json!({"anyOf": [usage.take(), {"type": "null"}]});
        }
    }
    let root = json!({"$ref": format!("#/components/schemas/{schema}"), "components": components});
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build(&root)
        .expect("answer schema compiles")
}

/// `nullable: true` → also `null`; with `defaults_optional`, `required` without the
/// properties that have a `default`.
fn as_the_wire_is(v: &mut Value, defaults_optional: bool) {
    match v {
        Value::Object(m) => {
            m.values_mut()
                .for_each(|x| as_the_wire_is(x, defaults_optional));
            if defaults_optional && let Some(Value::Object(props)) = m.get("properties") {
                let defaulted: Vec<String> = props
                    .iter()
                    .filter(|(_, p)| p.get("default").is_some())
                    .map(|(k, _)| k.clone())
                    .collect();
                if let Some(Value::Array(required)) = m.get_mut("required") {
                    required.retain(|r| !defaulted.iter().any(|d| r == d.as_str()));
                }
            }
            if m.remove("nullable") == Some(Value::Bool(true)) {
                let inner = Value::Object(std::mem::take(m));
                m.insert("anyOf".into(), json!([inner, {"type": "null"}]));
            }
        }
        Value::Array(a) => a
            .iter_mut()
            .for_each(|x| as_the_wire_is(x, defaults_optional)),
        _ => {}
    }
}

/// Gemini's error envelope: `{"error": {"code": int, "message": string, "status": string}}`.
fn gemini_error_errors(v: &Value) -> Vec<String> {
    let e = &v["error"];
    let mut errs = Vec::new();
    if !e["code"].is_u64() {
        errs.push(format!("error.code is not an integer in {v}"));
    }
    for key in ["message", "status"] {
        if !e[key].is_string() {
            errs.push(format!("error.{key} is not a string in {v}"));
        }
    }
    errs
}

/// The error a stream event carries in the caller's shape, if it is one: a Chat stream's
/// `{"error": ...}` chunk, a Responses `error` event, an Anthropic `error` event, a Gemini
/// chunk of `{"error": ...}`.
fn stream_error(caller: &str, event: Option<&str>, data: &Value) -> bool {
    match caller {
        "anthropic" => event == Some("error") || data["type"] == "error",
        "responses" => false,
        _ => data.get("error").is_some() && data.get("choices").is_none(),
    }
}

#[test]
fn golden_translated_answers_validate_against_the_caller_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gateway/translate/tests/golden");
    let mut failures = Vec::new();
    let (mut answers, mut events, mut errors_checked) = (0, 0, 0);
    for schemas in all_caller_schemas() {
        let caller = schemas.caller;
        for pair in PAIRS.iter().filter(|p| p.split('_').next() == Some(caller)) {
            for case in std::fs::read_dir(root.join(pair))
                .expect("pair dir")
                .flatten()
            {
                let path = case.path();
                let c: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("case"))
                    .expect("JSON");
                let mut fail = |what: String, errs: Vec<String>| {
                    if !errs.is_empty() {
                        failures.push(format!("{} {what}: {}", path.display(), errs.join("; ")));
                    }
                };
                if let Some(v) = c.get("expect_response") {
                    answers += 1;
                    fail("answer".into(), errors(&schemas.answer, v));
                }
                for (i, e) in c["expect_stream"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let (name, data) = match e.get("data") {
                        Some(data) => (e.get("event").and_then(Value::as_str), data),
                        None => (None, e),
                    };
                    // `[DONE]`, and Anthropic's `ping` (no schema of its own).
                    if !data.is_object() || name == Some("ping") {
                        continue;
                    }
                    events += 1;
                    fail(
                        format!("stream event {i} ({})", name.unwrap_or("data")),
                        schemas.event_errors(name, data),
                    );
                }
                if let Some(v) = c.get("expect_error") {
                    errors_checked += 1;
                    fail("error".into(), schemas.error_errors(v));
                }
            }
        }
    }
    println!(
        "{answers} answers, {events} stream events, {errors_checked} errors validated against their caller's spec"
    );
    assert!(answers >= 40 && events >= 400 && errors_checked >= 12);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The upstream protocol of each target, by its spec: the provider and its answer schema.
fn upstream_answer(target: &str) -> (&'static str, &'static str) {
    match target {
        "openai" => ("openai", "CreateChatCompletionResponse"),
        "responses" => ("openai", "Response"),
        "anthropic" => ("anthropic", "Message"),
        _ => ("gemini", "GenerateContentResponse"),
    }
}

/// A plain request of each caller protocol, to put a pair in the state an answer comes in.
fn plain_request(caller: &str) -> Value {
    match caller {
        "openai" => {
            json!({"model": "caller-model", "messages": [{"role": "user", "content": "hi"}]})
        }
        "responses" => json!({"model": "caller-model", "input": "hi"}),
        "anthropic" => json!({"model": "caller-model", "max_tokens": 64,
            "messages": [{"role": "user", "content": "hi"}]}),
        _ => json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}),
    }
}

#[test]
fn random_upstream_answers_translate_into_valid_answers_or_clear_errors() {
    let (cases, seed) = random_cases();
    let mut failures = Vec::new();
    let callers = all_caller_schemas();
    for target in ["openai", "responses", "anthropic", "gemini"] {
        let (provider, schema) = upstream_answer(target);
        let doc = caller_doc(provider);
        let upstream = answer_validator(provider, schema);
        let mut generator = Generator::new(&doc, seed).expect("schemas").without_nulls();
        let (mut valid, mut ok, mut refused) = (0, 0, 0);
        for i in 0..cases {
            let Some(answer) = generator.instance_of(schema) else {
                continue;
            };
            // Only answers the upstream's own spec allows.
            if !upstream.is_valid(&answer) {
                if std::env::var_os("AIGW_SHOW_INVALID").is_some() && i < 3 {
                    println!(
                        "invalid {schema}: {}",
                        errors(&upstream, &answer).join("; ")
                    );
                }
                continue;
            }
            valid += 1;
            let body = serde_json::to_vec(&answer).expect("json");
            for pair in PAIRS.iter().filter(|p| target_of(p) == target) {
                let caller = pair.split('_').next().expect("pair");
                let mut t = translator(pair);
                let request = serde_json::to_vec(&plain_request(caller)).expect("json");
                t.request(&request, "upstream-model")
                    .expect("a plain request");
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| t.response(&body)));
                match result {
                    Err(_) => failures.push(format!("{pair} case {i}: panicked on {answer}")),
                    Ok(Err(e)) => {
                        refused += 1;
                        if std::env::var_os("AIGW_SHOW_REFUSED").is_some() {
                            println!("refused {pair}: {e}");
                        }
                    }
                    Ok(Ok(out)) => {
                        ok += 1;
                        let got: Value = serde_json::from_slice(&out).expect("JSON");
                        let schemas = callers.iter().find(|s| s.caller == caller).expect("caller");
                        let errs = errors(&schemas.answer, &got);
                        if !errs.is_empty() {
                            failures.push(format!(
                                "{pair} case {i}: {}\n    upstream {answer}\n    answer {got}",
                                errs.join("; ")
                            ));
                        }
                    }
                }
            }
        }
        println!(
            "{provider} {schema}: {cases} generated, {valid} valid; {ok} translated answers validated, {refused} refused with an error"
        );
        assert!(valid > 0, "{provider} {schema}: no valid answer generated");
    }
    print_one_of_each_kind(&failures);
    assert!(failures.is_empty(), "{} answers failed", failures.len());
}

/// The upstream protocol of each target: the provider and its stream event schema.
fn upstream_event(target: &str) -> (&'static str, &'static str) {
    match target {
        "openai" => ("openai", "CreateChatCompletionStreamResponse"),
        "responses" => ("openai", "ResponseStreamEvent"),
        "anthropic" => ("anthropic", "MessageStreamEvent"),
        _ => ("gemini", "GenerateContentResponse"),
    }
}

/// SSE bytes → (event name, data) pairs, `[DONE]` left out.
fn sse_events(bytes: &[u8]) -> Vec<(Option<String>, String)> {
    // Gemini's streams end their lines with CRLF.
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let mut events = Vec::new();
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let (mut name, mut data) = (None, Vec::new());
        for line in block.lines() {
            if let Some(n) = line.strip_prefix("event:") {
                name = Some(n.trim().to_owned());
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d));
            }
        }
        let data = data.join("\n");
        if data != "[DONE]" {
            events.push((name, data));
        }
    }
    events
}

/// Random streams: a few events of the upstream's stream schema (valid each, not in a
/// meaningful order), fed to a pair as the gateway feeds them (an event the pair cannot
/// translate, or a stream that does not end well, closes the caller's stream with its
/// error). Every event the caller gets is valid for its spec; nothing panics.
#[test]
fn random_upstream_streams_translate_into_valid_events() {
    let (cases, seed) = random_cases();
    let mut failures = Vec::new();
    let callers = all_caller_schemas();
    let mut rng_state = seed;
    let mut next = move |n: usize| {
        // xorshift: how many events each stream has.
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        (rng_state % n as u64) as usize
    };
    for target in ["openai", "responses", "anthropic", "gemini"] {
        let (provider, schema) = upstream_event(target);
        let doc = caller_doc(provider);
        let upstream = answer_validator(provider, schema);
        let mut generator = Generator::new(&doc, seed).expect("schemas").without_nulls();
        let (mut streams, mut events_out) = (0, 0);
        for i in 0..cases {
            let events: Vec<Value> = (0..1 + next(6))
                .filter_map(|_| generator.instance_of(schema))
                .filter(|e| upstream.is_valid(e))
                .collect();
            if events.is_empty() {
                continue;
            }
            streams += 1;
            for pair in PAIRS.iter().filter(|p| target_of(p) == target) {
                let caller = pair.split('_').next().expect("pair");
                let mut t = translator(pair);
                let mut request = plain_request(caller);
                request["stream"] = json!(true);
                let request = serde_json::to_vec(&request).expect("json");
                t.request(&request, "upstream-model")
                    .expect("a plain request");
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut out = Vec::new();
                    for e in &events {
                        let name = e.get("type").and_then(Value::as_str);
                        if let Err(err) = t.stream_event(name, &e.to_string(), &mut out) {
                            t.stream_error(&err.to_string(), &mut out);
                            return out;
                        }
                        if t.stream_complete() {
                            break;
                        }
                    }
                    if !t.stream_finish(&mut out) {
                        t.stream_error("the upstream ended the stream early", &mut out);
                    }
                    out
                }));
                let Ok(out) = result else {
                    failures.push(format!("{pair} case {i}: panicked on {events:?}"));
                    continue;
                };
                let schemas = callers.iter().find(|s| s.caller == caller).expect("caller");
                for (name, data) in sse_events(&out) {
                    events_out += 1;
                    let Ok(v) = serde_json::from_str::<Value>(&data) else {
                        failures.push(format!("{pair} case {i}: not JSON: {data}"));
                        continue;
                    };
                    if name.as_deref() == Some("ping") {
                        continue;
                    }
                    let errs = schemas.event_errors(name.as_deref(), &v);
                    if !errs.is_empty() {
                        failures.push(format!(
                            "{pair} case {i}: {}\n    upstream {}\n    event {v}",
                            errs.join("; "),
                            Value::Array(events.clone())
                        ));
                    }
                }
            }
        }
        println!(
            "{provider} {schema}: {streams} random streams, {events_out} caller events validated"
        );
        assert!(
            streams > 0,
            "{provider} {schema}: no valid stream generated"
        );
    }
    print_one_of_each_kind(&failures);
    assert!(failures.is_empty(), "{} streams failed", failures.len());
}
