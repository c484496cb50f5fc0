//! Every JSON example the pinned specs hold for the selected operations (request,
//! response, stream events) and for every generated schema round-trips through the
//! generated types to an equal JSON value. The examples are read from the spec at test
//! time; none is committed.

use aigw_conformance::{PROVIDERS, check};
use serde_json::Value;
use xtask::select::providers;

/// One example found in a spec.
struct Example {
    /// Where it sits in the spec.
    pointer: String,
    schema: String,
    value: Value,
}

/// Parses an example text that holds one or more JSON documents (SSE `data:` lines allowed).
fn json_documents(text: &str) -> Option<Vec<Value>> {
    let cleaned: String = text
        .lines()
        .filter(|l| !l.starts_with("event:"))
        .map(|l| l.strip_prefix("data: ").unwrap_or(l))
        .filter(|l| l.trim() != "[DONE]")
        .collect::<Vec<_>>()
        .join("\n");
    let docs: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(&cleaned)
        .into_iter()
        .collect();
    docs.ok().filter(|d| !d.is_empty())
}

/// The JSON body of a curl example (`-d '...'`).
fn curl_body(curl: &str) -> Option<Value> {
    let start = curl.find("-d '")? + 4;
    let end = curl.rfind('\'')?;
    (end > start)
        .then(|| serde_json::from_str(&curl[start..end]).ok())
        .flatten()
}

fn ref_name(v: Option<&Value>) -> Option<String> {
    let r = v?.get("$ref")?.as_str()?;
    Some(r.rsplit('/').next()?.to_owned())
}

fn examples_of(provider: &str) -> (Vec<Example>, Vec<String>) {
    let p = providers()
        .into_iter()
        .find(|p| p.name == provider)
        .expect("provider");
    let spec = xtask::specs::fetch(provider)
        .expect("pinned spec")
        .parse()
        .expect("parse");
    let (_, normalized) = xtask::codegen::normalized(&p).expect("normalize");
    let mut out = Vec::new();
    let mut skipped = Vec::new();

    // Operation examples (OpenAI's x-oaiMeta): request bodies from curl, responses.
    for (path, method) in p.operations {
        let Some(op) = spec
            .get("paths")
            .and_then(|ps| ps.get(*path))
            .and_then(|i| i.get(*method))
        else {
            continue;
        };
        let request = ref_name(op.pointer("/requestBody/content/application~1json/schema"));
        let response = ref_name(op.pointer("/responses/200/content/application~1json/schema"));
        let stream = ref_name(op.pointer("/responses/200/content/text~1event-stream/schema"));
        let examples = match op.pointer("/x-oaiMeta/examples") {
            Some(Value::Array(a)) => a.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            _ => vec![],
        };
        for (i, ex) in examples.iter().enumerate() {
            let at = format!("paths{path}/{method}/x-oaiMeta/examples/{i}");
            if let (Some(schema), Some(curl)) = (
                &request,
                ex.pointer("/request/curl").and_then(Value::as_str),
            ) {
                match curl_body(curl) {
                    Some(value) => out.push(Example {
                        pointer: format!("{at}/request"),
                        schema: schema.clone(),
                        value,
                    }),
                    None if curl.contains("-d '") => {
                        skipped.push(format!("{at}/request: curl body is not JSON"))
                    }
                    None => {}
                }
            }
            let Some(text) = ex.get("response").and_then(Value::as_str) else {
                continue;
            };
            let Some(docs) = json_documents(text) else {
                skipped.push(format!("{at}/response: not JSON"));
                continue;
            };
            let is_event = |d: &Value| {
                d.get("object")
                    .and_then(Value::as_str)
                    .is_some_and(|o| o.ends_with(".chunk"))
                    || (d.get("type").is_some() && d.get("object").is_none())
            };
            for (j, doc) in docs.into_iter().enumerate() {
                let schema = if stream.is_some() && is_event(&doc) {
                    stream.clone()
                } else {
                    response.clone()
                };
                if let Some(schema) = schema {
                    out.push(Example {
                        pointer: format!("{at}/response#{j}"),
                        schema,
                        value: doc,
                    });
                }
            }
        }
    }

    // Schema-level examples of every generated schema.
    let base = if spec.get("discoveryVersion").is_some() {
        "/schemas"
    } else {
        "/components/schemas"
    };
    for name in normalized.origins.keys() {
        let Some(schema) = spec.pointer(&format!("{base}/{name}")) else {
            continue;
        };
        let mut found: Vec<(String, Value)> = Vec::new();
        if let Some(v) = schema.get("example") {
            found.push(("example".into(), v.clone()));
        }
        if let Some(Value::Array(vs)) = schema.get("examples") {
            found.extend(
                vs.iter()
                    .enumerate()
                    .map(|(i, v)| (format!("examples/{i}"), v.clone())),
            );
        }
        if let Some(Value::String(text)) = schema.pointer("/x-oaiMeta/example") {
            match json_documents(text) {
                Some(docs) => found.extend(
                    docs.into_iter()
                        .enumerate()
                        .map(|(i, v)| (format!("x-oaiMeta/example#{i}"), v)),
                ),
                None => skipped.push(format!("{base}/{name}/x-oaiMeta/example: not JSON")),
            }
        }
        for (at, value) in found {
            // An example given as a JSON string of an object is that object.
            let value = match &value {
                Value::String(s) if s.trim_start().starts_with('{') => {
                    serde_json::from_str(s).unwrap_or(value)
                }
                _ => value,
            };
            out.push(Example {
                pointer: format!("{base}/{name}/{at}"),
                schema: name.clone(),
                value,
            });
        }
    }
    (out, skipped)
}

/// Examples that contradict their own schema in the pinned spec, with why. Each is a
/// spec bug, listed so that the test fails when it is fixed upstream or when anything else
/// fails.
const SPEC_EXAMPLE_BUGS: &[(&str, &str)] = &[(
    "openai /components/schemas/ResponseQueuedEvent/x-oaiMeta/example#0",
    "the example's response.created_at is the string \"2021-01-01T00:00:00Z\"; the schema says a unix-seconds number",
)];

#[test]
fn spec_examples_round_trip() {
    let mut failures = Vec::new();
    for provider in PROVIDERS {
        let (examples, skipped) = examples_of(provider);
        let mut passed = 0;
        for ex in &examples {
            match check(provider, &ex.schema, &ex.value) {
                Ok(()) => passed += 1,
                Err(why) => {
                    failures.push(format!("{provider} {} as {}: {why}", ex.pointer, ex.schema))
                }
            }
        }
        println!(
            "{provider}: {passed} of {} examples round-trip",
            examples.len()
        );
        for s in skipped {
            println!("  not counted (spec text is not JSON): {s}");
        }
    }
    let mut unexpected = Vec::new();
    for f in &failures {
        match SPEC_EXAMPLE_BUGS.iter().find(|(at, _)| f.starts_with(at)) {
            Some((_, why)) => println!("  exception (spec bug): {f}\n    because {why}"),
            None => unexpected.push(f),
        }
    }
    for f in &unexpected {
        println!("  FAILED {f}");
    }
    assert!(
        unexpected.is_empty(),
        "{} spec examples do not round-trip",
        unexpected.len()
    );
    assert_eq!(
        failures.len(),
        SPEC_EXAMPLE_BUGS.len(),
        "a listed spec-example bug now round-trips: remove it from SPEC_EXAMPLE_BUGS"
    );
}
