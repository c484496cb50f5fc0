//! The JSON examples a spec holds, and the nullability they prove.
//!
//! Two uses share one reader:
//! - the conformance tests round-trip every example through the generated types;
//! - selection widens nullability from the examples: where a spec's own example holds
//!   `null` for a property the schema does not declare nullable (OpenAI's `Response.user`,
//!   `Response.usage`, `CreateChatCompletionResponse.system_fingerprint`), the server
//!   sends `null` there, so the property becomes nullable (`Option<Option<T>>`, absent ≠
//!   `null`) instead of a type that drops the `null` on the way back.
//!
//! Examples are found at: component `example` / `examples` / `x-oaiMeta.example` (a JSON
//! or SSE text), and OpenAI operation examples (`x-oaiMeta.examples[].request.curl` bodies
//! and `.response` texts). A Discovery document has none.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::select::Provider;

const REF_PREFIX: &str = "#/components/schemas/";

/// One example found in a spec.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it sits in the spec (a JSON pointer, `#n` for the n-th document of a text).
    pub pointer: String,
    /// The component schema it is an instance of.
    pub schema: String,
    pub value: Value,
}

/// Every example of `provider`'s selected operations and of every component schema,
/// and the example texts that are not JSON (with where they are).
pub fn collect(provider: &Provider, spec: &Value) -> (Vec<Example>, Vec<String>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (path, method) in &provider.operations {
        let Some(op) = spec
            .get("paths")
            .and_then(|ps| ps.get(path))
            .and_then(|i| i.get(method))
        else {
            continue;
        };
        operation_examples(path, method, op, &mut out, &mut skipped);
    }
    let Some(Value::Object(schemas)) = spec.pointer("/components/schemas") else {
        return (out, skipped);
    };
    for (name, schema) in schemas {
        let base = format!("/components/schemas/{}", escape(name));
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
                None => skipped.push(format!("{base}/x-oaiMeta/example: not JSON")),
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
                pointer: format!("{base}/{at}"),
                schema: name.clone(),
                value,
            });
        }
    }
    (out, skipped)
}

/// OpenAI's `x-oaiMeta.examples` of one operation: request bodies from the curl
/// samples, response texts (JSON, or SSE for streaming examples).
fn operation_examples(
    path: &str,
    method: &str,
    op: &Value,
    out: &mut Vec<Example>,
    skipped: &mut Vec<String>,
) {
    let request = ref_name(op.pointer("/requestBody/content/application~1json/schema"));
    let response = ref_name(op.pointer("/responses/200/content/application~1json/schema"));
    let stream = ref_name(op.pointer("/responses/200/content/text~1event-stream/schema"));
    let examples = match op.pointer("/x-oaiMeta/examples") {
        Some(Value::Array(a)) => a.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => vec![],
    };
    for (i, ex) in examples.iter().enumerate() {
        let at = format!("/paths/{}/{method}/x-oaiMeta/examples/{i}", escape(path));
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
                &stream
            } else {
                &response
            };
            if let Some(schema) = schema {
                out.push(Example {
                    pointer: format!("{at}/response#{j}"),
                    schema: schema.clone(),
                    value: doc,
                });
            }
        }
    }
}

/// Parses an example text holding one or more JSON documents (SSE `data:` lines allowed;
/// a line of dots between documents is the docs' elision mark, not a document).
fn json_documents(text: &str) -> Option<Vec<Value>> {
    let is_elision = |l: &str| {
        let t = l.trim();
        t.len() >= 3 && t.chars().all(|c| c == '.')
    };
    let cleaned: String = text
        .lines()
        .filter(|l| !l.starts_with("event:") && !is_elision(l))
        .map(|l| l.strip_prefix("data: ").unwrap_or(l))
        .filter(|l| l.trim() != "[DONE]")
        .collect::<Vec<_>>()
        .join("\n");
    let docs: Result<Vec<Value>, _> = serde_json::Deserializer::from_str(&cleaned)
        .into_iter()
        .collect();
    docs.ok().filter(|d| !d.is_empty())
}

/// The JSON body of a curl sample (`-d '...'`).
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

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A schema node in the raw components: component name and pointer inside it.
type Place = (String, String);

/// Walks are bounded: a schema graph may be cyclic.
const MAX_DEPTH: usize = 24;

/// Makes nullable every property that an example shows `null` and whose schema does not
/// admit `null`: the property schema `S` becomes `anyOf [S, {type: null}]`, which the
/// normalizer lowers like any other 3.1 nullable. Returns the places widened
/// (`Component/pointer`), sorted.
pub fn admit_example_nulls(schemas: &mut Map<String, Value>, examples: &[Example]) -> Vec<String> {
    let mut places = BTreeSet::new();
    for ex in examples {
        if schemas.contains_key(&ex.schema) {
            walk(
                schemas,
                (ex.schema.clone(), String::new()),
                &ex.value,
                0,
                &mut places,
            );
        }
    }
    // Deepest first, so that wrapping an outer schema cannot move an inner one.
    let mut ordered: Vec<&Place> = places.iter().collect();
    ordered.sort_by_key(|(_, ptr)| std::cmp::Reverse(ptr.matches('/').count()));
    for (name, ptr) in ordered {
        widen(schemas, name, ptr, json!({"type": "null"}));
    }
    places
        .into_iter()
        .map(|(name, ptr)| format!("{name}{ptr}"))
        .collect()
}

/// Widens the schema at `ptr` in component `name` to `anyOf [it, branch]`. `false` when
/// there is no such schema.
pub fn widen(schemas: &mut Map<String, Value>, name: &str, ptr: &str, branch: Value) -> bool {
    let Some(node) = schemas.get_mut(name).and_then(|s| s.pointer_mut(ptr)) else {
        return false;
    };
    let original = node.take();
    *node = json!({"anyOf": [original, branch]});
    true
}

fn node<'a>(schemas: &'a Map<String, Value>, place: &Place) -> Option<&'a Value> {
    schemas.get(&place.0)?.pointer(&place.1)
}

/// The place a local component `$ref` at `place` points to.
fn follow(schemas: &Map<String, Value>, place: &Place) -> Option<Place> {
    let target = node(schemas, place)?.get("$ref")?.as_str()?;
    let name = target.strip_prefix(REF_PREFIX)?;
    schemas
        .contains_key(name)
        .then(|| (name.to_owned(), String::new()))
}

fn child(place: &Place, segment: &str) -> Place {
    (place.0.clone(), format!("{}/{segment}", place.1))
}

fn walk(
    schemas: &Map<String, Value>,
    place: Place,
    value: &Value,
    depth: usize,
    found: &mut BTreeSet<Place>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(obj) => {
            let Some(object) = best_branch(schemas, place, obj, depth) else {
                return;
            };
            for (key, v) in obj {
                let Some(prop) = find_property(schemas, &object, key, depth) else {
                    continue;
                };
                if v.is_null() {
                    if !admits_null(schemas, &prop, depth) {
                        found.insert(prop);
                    }
                } else {
                    walk(schemas, prop, v, depth + 1, found);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = items_of(schemas, place, depth) {
                for v in items {
                    walk(schemas, item.clone(), v, depth + 1, found);
                }
            }
        }
        _ => {}
    }
}

/// The schema among `place`'s `$ref`, `anyOf` and `oneOf` branches that best describes
/// the object `obj`: a branch whose constant `type` differs is out; of the rest, the one
/// naming most of the object's keys.
fn best_branch(
    schemas: &Map<String, Value>,
    place: Place,
    obj: &Map<String, Value>,
    depth: usize,
) -> Option<Place> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(target) = follow(schemas, &place) {
        return best_branch(schemas, target, obj, depth + 1);
    }
    let here = node(schemas, &place)?;
    let mut best: Option<(usize, Place)> = None;
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = here.get(key) else {
            continue;
        };
        for i in 0..branches.len() {
            let Some(branch) = best_branch(
                schemas,
                child(&place, &format!("{key}/{i}")),
                obj,
                depth + 1,
            ) else {
                continue;
            };
            let tag = find_property(schemas, &branch, "type", depth)
                .and_then(|p| node(schemas, &p).and_then(constant));
            if let (Some(tag), Some(actual)) = (tag, obj.get("type"))
                && &tag != actual
            {
                continue;
            }
            let score = obj
                .keys()
                .filter(|k| find_property(schemas, &branch, k, depth).is_some())
                .count();
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, branch));
            }
        }
    }
    match best {
        Some((_, branch)) => Some(branch),
        None => Some(place),
    }
}

/// The single value a schema allows (`const`, or a one-value `enum`).
fn constant(schema: &Value) -> Option<Value> {
    if let Some(c) = schema.get("const") {
        return Some(c.clone());
    }
    match schema.get("enum") {
        Some(Value::Array(values)) if values.len() == 1 => Some(values[0].clone()),
        _ => None,
    }
}

/// Where property `key` is declared for the object schema at `place`: its own
/// `properties`, or those of its `$ref` and `allOf` members.
fn find_property(
    schemas: &Map<String, Value>,
    place: &Place,
    key: &str,
    depth: usize,
) -> Option<Place> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(target) = follow(schemas, place) {
        return find_property(schemas, &target, key, depth + 1);
    }
    let here = node(schemas, place)?;
    if here.get("properties").and_then(|p| p.get(key)).is_some() {
        return Some(child(place, &format!("properties/{}", escape(key))));
    }
    let Some(Value::Array(members)) = here.get("allOf") else {
        return None;
    };
    (0..members.len()).find_map(|i| {
        find_property(
            schemas,
            &child(place, &format!("allOf/{i}")),
            key,
            depth + 1,
        )
    })
}

/// The item schema of the array schema at `place` (through `$ref` and union branches).
fn items_of(schemas: &Map<String, Value>, place: Place, depth: usize) -> Option<Place> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(target) = follow(schemas, &place) {
        return items_of(schemas, target, depth + 1);
    }
    let here = node(schemas, &place)?;
    if here.get("items").is_some_and(Value::is_object) {
        return Some(child(&place, "items"));
    }
    ["anyOf", "oneOf", "allOf"].iter().find_map(|key| {
        let n = here.get(*key)?.as_array()?.len();
        (0..n).find_map(|i| items_of(schemas, child(&place, &format!("{key}/{i}")), depth + 1))
    })
}

/// Whether the schema at `place` admits `null` in any 3.0 or 3.1 idiom.
fn admits_null(schemas: &Map<String, Value>, place: &Place, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    if let Some(target) = follow(schemas, place) {
        return admits_null(schemas, &target, depth + 1);
    }
    let Some(here) = node(schemas, place) else {
        return true;
    };
    let Some(o) = here.as_object() else {
        return true;
    };
    if o.get("nullable") == Some(&Value::Bool(true))
        || o.get("const") == Some(&Value::Null)
        || o.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.contains(&Value::Null))
    {
        return true;
    }
    match o.get("type") {
        Some(Value::String(t)) if t == "null" => return true,
        Some(Value::Array(ts)) if ts.iter().any(|t| t == "null") => return true,
        None if !o.keys().any(|k| {
            [
                "anyOf",
                "oneOf",
                "allOf",
                "enum",
                "const",
                "properties",
                "items",
            ]
            .contains(&k.as_str())
        }) =>
        {
            // No type at all: any JSON value, `null` included.
            return true;
        }
        _ => {}
    }
    ["anyOf", "oneOf"].iter().any(|key| {
        o.get(*key).and_then(Value::as_array).is_some_and(|bs| {
            (0..bs.len())
                .any(|i| admits_null(schemas, &child(place, &format!("{key}/{i}")), depth + 1))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn example(schema: &str, value: Value) -> Example {
        Example {
            pointer: "#".into(),
            schema: schema.into(),
            value,
        }
    }

    #[test]
    fn a_null_in_an_example_widens_a_plain_property() {
        let mut s = schemas(json!({
            "Resp": {"type": "object", "properties": {"user": {"type": "string"}, "id": {"type": "string"}}}
        }));
        let widened =
            admit_example_nulls(&mut s, &[example("Resp", json!({"id": "r", "user": null}))]);
        assert_eq!(widened, vec!["Resp/properties/user"]);
        assert_eq!(
            s["Resp"]["properties"]["user"],
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
        );
        assert_eq!(s["Resp"]["properties"]["id"], json!({"type": "string"}));
    }

    #[test]
    fn declared_nullability_is_left_alone_in_every_idiom() {
        let mut s = schemas(json!({
            "R": {"type": "object", "properties": {
                "a": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "b": {"type": ["string", "null"]},
                "c": {"type": "string", "nullable": true},
                "d": {"$ref": "#/components/schemas/N"},
                "e": {}
            }},
            "N": {"anyOf": [{"type": "integer"}, {"type": "null"}]}
        }));
        let before = s.clone();
        let widened = admit_example_nulls(
            &mut s,
            &[example(
                "R",
                json!({"a": null, "b": null, "c": null, "d": null, "e": null}),
            )],
        );
        assert!(widened.is_empty(), "{widened:?}");
        assert_eq!(s, before);
    }

    #[test]
    fn the_walk_follows_refs_all_of_arrays_and_the_matching_union_branch() {
        let mut s = schemas(json!({
            "Resp": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"output": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}
            ]},
            "Base": {"type": "object", "properties": {"usage": {"$ref": "#/components/schemas/Usage"}}},
            "Usage": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "Item": {"anyOf": [
                {"type": "object", "properties": {"type": {"const": "text"}, "text": {"type": "string"}}},
                {"type": "object", "properties": {"type": {"const": "call"}, "text": {"type": "string"}, "id": {"type": "string"}}}
            ]}
        }));
        let widened = admit_example_nulls(
            &mut s,
            &[example(
                "Resp",
                json!({"usage": null, "output": [{"type": "call", "text": null, "id": "x"}]}),
            )],
        );
        assert_eq!(
            widened,
            vec!["Base/properties/usage", "Item/anyOf/1/properties/text"]
        );
        assert_eq!(
            s["Base"]["properties"]["usage"],
            json!({"anyOf": [{"$ref": "#/components/schemas/Usage"}, {"type": "null"}]})
        );
        assert_eq!(
            s["Item"]["anyOf"][0]["properties"]["text"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn nested_places_are_wrapped_inner_first() {
        let mut s = schemas(json!({
            "R": {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}}}}
        }));
        admit_example_nulls(
            &mut s,
            &[
                example("R", json!({"a": {"b": null}})),
                example("R", json!({"a": null})),
            ],
        );
        assert_eq!(
            s["R"]["properties"]["a"],
            json!({"anyOf": [
                {"type": "object", "properties": {"b": {"anyOf": [{"type": "string"}, {"type": "null"}]}}},
                {"type": "null"}
            ]})
        );
    }

    #[test]
    fn examples_are_read_from_components_and_operations() {
        let spec = json!({
            "paths": {"/things": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                "responses": {"200": {"content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Resp"}},
                    "text/event-stream": {"schema": {"$ref": "#/components/schemas/Event"}}
                }}},
                "x-oaiMeta": {"examples": [
                    {"request": {"curl": "curl https://x -d '{\"a\": 1}'"}, "response": "{\"id\": \"r\"}"},
                    {"response": "event: e\ndata: {\"type\": \"delta\"}\n\n...\n\ndata: {\"type\": \"done\"}\n\ndata: [DONE]"},
                    {"response": "not json"}
                ]}
            }}},
            "components": {"schemas": {"Resp": {"type": "object", "example": {"id": "s"}}}}
        });
        let provider = Provider {
            name: "t",
            crate_name: "t",
            title: "T",
            operations: vec![("/things".into(), "post".into())],
            roots: vec![],
            overlay: None,
        };
        let (found, skipped) = collect(&provider, &spec);
        let got: Vec<(String, String, Value)> = found
            .into_iter()
            .map(|e| (e.pointer, e.schema, e.value))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "/paths/~1things/post/x-oaiMeta/examples/0/request".into(),
                    "Req".into(),
                    json!({"a": 1})
                ),
                (
                    "/paths/~1things/post/x-oaiMeta/examples/0/response#0".into(),
                    "Resp".into(),
                    json!({"id": "r"})
                ),
                (
                    "/paths/~1things/post/x-oaiMeta/examples/1/response#0".into(),
                    "Event".into(),
                    json!({"type": "delta"})
                ),
                (
                    "/paths/~1things/post/x-oaiMeta/examples/1/response#1".into(),
                    "Event".into(),
                    json!({"type": "done"})
                ),
                (
                    "/components/schemas/Resp/example".into(),
                    "Resp".into(),
                    json!({"id": "s"})
                ),
            ]
        );
        assert_eq!(
            skipped,
            vec!["/paths/~1things/post/x-oaiMeta/examples/2/response: not JSON"]
        );
    }
}
