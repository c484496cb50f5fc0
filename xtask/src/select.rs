//! Selection: which operations and schemas each provider's crate carries, and the
//! assembly of the normalized OpenAPI 3.0.3 document that progenitor reads.
//!
//! Both input shapes end here: OpenAPI 3.1 (OpenAI, Anthropic) and Google Discovery
//! (Gemini: bare `$ref` names, `resources.*.methods`, `flatPath`). Path keys with a
//! query string (`/v1/messages?beta=true`) are beta twins and are skipped: the crates
//! carry the non-beta surface; `Beta*` schemas stay reachable by adding them as roots.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::{Map, Value, json};

use crate::examples;
use crate::normalize::{self, Ctx};
use crate::specs::SpecFormat;

const REF_PREFIX: &str = "#/components/schemas/";

/// What one provider's crate is generated from.
#[derive(Debug, Clone)]
pub struct Provider {
    /// `openai`, `anthropic`, `gemini`.
    pub name: &'static str,
    /// Crate name (`aigw-openai`).
    pub crate_name: &'static str,
    /// Human name used in docs.
    pub title: &'static str,
    /// Selected operations as (path key, method) for OpenAPI, or
    /// (`resource.method`, "") for Discovery.
    pub operations: Vec<(String, String)>,
    /// Schemas no selected operation references but the crate must carry
    /// (stream events, error bodies).
    pub roots: Vec<String>,
    /// The project's own overlay under `specs/` (relative to `specs/`).
    pub overlay: Option<&'static str>,
}

fn ops(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, m)| (p.to_string(), m.to_string()))
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| n.to_string()).collect()
}

/// The three providers.
pub fn providers() -> Vec<Provider> {
    vec![
        Provider {
            name: "openai",
            crate_name: "aigw-openai",
            title: "OpenAI",
            operations: ops(&[
                ("/chat/completions", "post"),
                ("/responses", "post"),
                ("/responses/{response_id}", "get"),
                ("/responses/{response_id}", "delete"),
                ("/responses/{response_id}/cancel", "post"),
                ("/responses/{response_id}/input_items", "get"),
                ("/embeddings", "post"),
                ("/models", "get"),
                ("/models/{model}", "get"),
            ]),
            roots: names(&[
                "CreateChatCompletionStreamResponse",
                "ResponseStreamEvent",
                "ErrorResponse",
                "Error",
            ]),
            overlay: Some("openai/overlay.json"),
        },
        Provider {
            name: "anthropic",
            crate_name: "aigw-anthropic",
            title: "Anthropic",
            operations: ops(&[
                ("/v1/messages", "post"),
                ("/v1/messages/count_tokens", "post"),
                ("/v1/models", "get"),
                ("/v1/models/{model_id}", "get"),
            ]),
            roots: names(&["MessageStreamEvent", "ErrorResponse"]),
            overlay: Some("anthropic/overlay.json"),
        },
        Provider {
            name: "gemini",
            crate_name: "aigw-gemini",
            title: "Gemini",
            operations: ops(&[
                ("models.generateContent", ""),
                ("models.streamGenerateContent", ""),
                ("models.embedContent", ""),
                ("models.batchEmbedContents", ""),
                ("models.countTokens", ""),
                ("models.list", ""),
                ("models.get", ""),
            ]),
            roots: names(&["ErrorResponse"]),
            overlay: Some("gemini/overlay.json"),
        },
    ]
}

/// Errors of selection: the spec lacks what the provider needs.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error("{provider}: operation {method} {path} is not in the spec")]
    MissingOperation {
        provider: String,
        path: String,
        method: String,
    },
    #[error("{provider}: schema `{name}` is referenced but not defined")]
    MissingSchema { provider: String, name: String },
    #[error("{provider}: overlay {path}: {message}")]
    Overlay {
        provider: String,
        path: String,
        message: String,
    },
}

/// The normalized document and where each of its schemas came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// An OpenAPI 3.0.3 document: selected operations, reachable schemas, lowered.
    pub doc: Value,
    /// Schema name → JSON pointer of its definition in the upstream spec (or overlay).
    pub origins: BTreeMap<String, String>,
}

/// What a normalized document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The generator's input: validation-only keywords dropped; an overlay entry that
    /// does not apply is an error.
    Codegen,
    /// spec-diff's input: the same lowering, validation keywords (`required`, bounds,
    /// formats, defaults) kept; overlay entries that do not apply to an older spec are
    /// skipped.
    Diff,
}

/// Selects and normalizes `spec` for `provider`. `overlay` is the parsed overlay, if any.
pub fn normalize_spec(
    provider: &Provider,
    spec: &Value,
    format: SpecFormat,
    overlay: Option<&Value>,
) -> Result<Normalized, SelectError> {
    normalize_spec_for(provider, spec, format, overlay, Purpose::Codegen)
}

/// [`normalize_spec`] for a [`Purpose`].
pub fn normalize_spec_for(
    provider: &Provider,
    spec: &Value,
    format: SpecFormat,
    overlay: Option<&Value>,
    purpose: Purpose,
) -> Result<Normalized, SelectError> {
    let keep = purpose == Purpose::Diff;
    let (raw_schemas, schema_pointer_base, operations) = match format {
        SpecFormat::GoogleDiscovery => (
            spec.get("schemas").cloned().unwrap_or(json!({})),
            "#/schemas/",
            discovery_operations(provider, spec, keep)?,
        ),
        _ => (
            spec.pointer("/components/schemas")
                .cloned()
                .unwrap_or(json!({})),
            REF_PREFIX,
            openapi_operations(provider, spec, keep)?,
        ),
    };
    let mut raw_schemas = match raw_schemas {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut origins: BTreeMap<String, String> = raw_schemas
        .keys()
        .map(|k| {
            (
                k.clone(),
                format!("{schema_pointer_base}{}", escape_pointer(k)),
            )
        })
        .collect();
    if let (Some(overlay), Some(path)) = (overlay, provider.overlay) {
        apply_overlay(
            provider,
            path,
            overlay,
            &mut raw_schemas,
            &mut origins,
            purpose,
        )?;
    }
    // Where the spec's own examples hold `null`, the server sends it: admit it.
    let (examples, _) = examples::collect(provider, spec);
    examples::admit_example_nulls(&mut raw_schemas, &examples);

    // Lower operations, then walk `$ref`s from them and the roots.
    let mut paths = Map::new();
    let mut pending: VecDeque<String> = provider.roots.iter().map(|r| r.to_string()).collect();
    for op in operations {
        collect_refs(&op.operation, &mut pending);
        let item = paths
            .entry(op.path.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| {
                m.insert(op.method.clone(), op.operation.clone());
            });
        debug_assert!(item.is_some());
    }
    let mut schemas = BTreeMap::new();
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(raw) = raw_schemas.get(&name) else {
            // A diff scope names what the other version has; this one may not.
            if keep {
                continue;
            }
            return Err(SelectError::MissingSchema {
                provider: provider.name.into(),
                name,
            });
        };
        let lowered = normalize::lower(
            raw,
            Ctx {
                component: &name,
                ref_prefix: REF_PREFIX,
                keep_constraints: keep,
            },
        );
        collect_refs(&lowered, &mut pending);
        schemas.insert(name, lowered);
    }
    origins.retain(|k, _| schemas.contains_key(k));
    let schemas = move_component_nullability_to_refs(schemas, &mut paths);

    let doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("{} (normalized by aigw xtask)", provider.title),
            "version": spec.pointer("/info/version").and_then(Value::as_str)
                .or_else(|| spec.get("revision").and_then(Value::as_str))
                .unwrap_or("unversioned"),
        },
        "paths": Value::Object(paths),
        "components": {"schemas": schemas.into_iter().collect::<Map<_, _>>()},
    });
    Ok(Normalized { doc, origins })
}

/// typify renders a component that is itself nullable as `struct X(Option<X>)` beside the
/// union `X` (a name clash). Nullability belongs to the places that use the component:
/// strip it from the definition and make every `$ref` to it nullable.
fn move_component_nullability_to_refs(
    mut schemas: BTreeMap<String, Value>,
    paths: &mut Map<String, Value>,
) -> BTreeMap<String, Value> {
    let nullable: BTreeSet<String> = schemas
        .iter_mut()
        .filter_map(|(name, schema)| {
            let o = schema.as_object_mut()?;
            if o.get("nullable") != Some(&Value::Bool(true)) {
                return None;
            }
            o.remove("nullable");
            // `{allOf: [$ref]}` left alone is the referenced schema itself.
            if o.len() == 1
                && let Some(Value::Array(all)) = o.get("allOf")
                && all.len() == 1
            {
                let only = all[0].clone();
                *schema = only;
            }
            Some(name.clone())
        })
        .collect();
    if nullable.is_empty() {
        return schemas;
    }
    fn rewrite(v: &mut Value, nullable: &BTreeSet<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    let name = r.rsplit('/').next().unwrap_or(r);
                    if nullable.contains(name) {
                        let reference = Value::Object(std::mem::take(o));
                        *v = json!({"allOf": [reference], "nullable": true,
                                    "description": normalize::NULLABLE_MARKER});
                        return;
                    }
                }
                for child in o.values_mut() {
                    rewrite(child, nullable);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|c| rewrite(c, nullable)),
            _ => {}
        }
    }
    for schema in schemas.values_mut() {
        rewrite(schema, &nullable);
    }
    for item in paths.values_mut() {
        rewrite(item, &nullable);
    }
    schemas
}

/// Escapes a JSON pointer segment.
fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Adds the overlay's schemas and its union additions (new discriminated variants).
fn apply_overlay(
    provider: &Provider,
    path: &str,
    overlay: &Value,
    raw_schemas: &mut Map<String, Value>,
    origins: &mut BTreeMap<String, String>,
    purpose: Purpose,
) -> Result<(), SelectError> {
    let err = |message: String| SelectError::Overlay {
        provider: provider.name.into(),
        path: path.into(),
        message,
    };
    if let Some(Value::Object(extra)) = overlay.pointer("/components/schemas") {
        for (name, schema) in extra {
            raw_schemas.insert(name.clone(), schema.clone());
            origins.insert(
                name.clone(),
                format!("specs/{path}#/components/schemas/{}", escape_pointer(name)),
            );
        }
    }
    // `admit`: what the servers send beyond the schema (a `null`, a second shape), each
    // with the evidence in `why`. The schema at `at` becomes `anyOf [it, schema]`.
    if let Some(Value::Array(admits)) = overlay.get("admit") {
        for admit in admits {
            let (Some(at), Some(schema)) =
                (admit.get("at").and_then(Value::as_str), admit.get("schema"))
            else {
                return Err(err(format!(
                    "each `admit` needs `at` and `schema`: {admit}"
                )));
            };
            let (name, ptr) = match at.split_once('/') {
                Some((name, rest)) => (name, format!("/{rest}")),
                None => (at, String::new()),
            };
            if !examples::widen(raw_schemas, name, &ptr, schema.clone())
                && purpose == Purpose::Codegen
            {
                return Err(err(format!("admit: `{at}` is not in the spec")));
            }
        }
    }
    if let Some(Value::Object(additions)) = overlay.get("union_additions") {
        for (union, variants) in additions {
            let Some(target) = raw_schemas.get_mut(union).and_then(Value::as_object_mut) else {
                if purpose == Purpose::Diff {
                    continue;
                }
                return Err(err(format!("union `{union}` is not in the spec")));
            };
            let key = if target.contains_key("oneOf") {
                "oneOf"
            } else {
                "anyOf"
            };
            let Some(Value::Object(variants)) = Some(variants) else {
                return Err(err(format!("`{union}` additions must be an object")));
            };
            for (tag, reference) in variants {
                if let Some(Value::Array(branches)) = target.get_mut(key) {
                    branches.push(json!({"$ref": reference}));
                }
                if let Some(Value::Object(mapping)) = target
                    .get_mut("discriminator")
                    .and_then(|d| d.get_mut("mapping"))
                {
                    mapping.insert(tag.clone(), reference.clone());
                }
            }
        }
    }
    Ok(())
}

/// Pushes every component name referenced under `value`.
fn collect_refs(value: &Value, out: &mut VecDeque<String>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                if k == "$ref" {
                    if let Some(r) = v.as_str() {
                        out.push_back(r.rsplit('/').next().unwrap_or(r).to_owned());
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// One lowered operation.
struct Operation {
    path: String,
    method: String,
    operation: Value,
}

fn lower_inline(schema: &Value, op_id: &str, keep: bool) -> Value {
    normalize::lower(
        schema,
        Ctx {
            component: op_id,
            ref_prefix: REF_PREFIX,
            keep_constraints: keep,
        },
    )
}

fn openapi_operations(
    provider: &Provider,
    spec: &Value,
    keep: bool,
) -> Result<Vec<Operation>, SelectError> {
    let mut out = Vec::new();
    for (path, method) in &provider.operations {
        let Some(op) = spec
            .get("paths")
            .and_then(|p| p.get(path))
            .and_then(|item| item.get(method))
            .and_then(Value::as_object)
        else {
            if keep {
                continue;
            }
            return Err(SelectError::MissingOperation {
                provider: provider.name.into(),
                path: path.to_string(),
                method: method.to_string(),
            });
        };
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{method}_{}", path.replace(['/', '{', '}'], "_")));
        let path_item_params = spec
            .pointer(&format!("/paths/{}/parameters", escape_pointer(path)))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut params = Vec::new();
        for p in path_item_params.iter().chain(
            op.get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        ) {
            let p = resolve_parameter(spec, p);
            let Some(p) = p.as_object() else { continue };
            let location = p.get("in").and_then(Value::as_str).unwrap_or("");
            if !matches!(location, "path" | "query" | "header") {
                continue;
            }
            let mut lowered = Map::new();
            for k in ["name", "in", "required"] {
                if let Some(v) = p.get(k) {
                    lowered.insert(k.into(), v.clone());
                }
            }
            lowered.insert(
                "schema".into(),
                lower_inline(
                    p.get("schema").unwrap_or(&json!({"type": "string"})),
                    &op_id,
                    keep,
                ),
            );
            params.push(Value::Object(lowered));
        }
        let mut lowered_op = Map::new();
        lowered_op.insert("operationId".into(), json!(op_id));
        lowered_op.insert("parameters".into(), Value::Array(params));
        if let Some(schema) = op.get("requestBody").and_then(|b| json_schema_of(spec, b)) {
            let required = op
                .get("requestBody")
                .and_then(|b| b.get("required"))
                .cloned()
                .unwrap_or(json!(true));
            lowered_op.insert(
                "requestBody".into(),
                json!({"required": required, "content": {"application/json": {"schema": lower_inline(&schema, &op_id, keep)}}}),
            );
        }
        lowered_op.insert("responses".into(), lower_responses(spec, op, &op_id, keep));
        out.push(Operation {
            path: path.split('?').next().unwrap_or(path).to_owned(),
            method: method.to_string(),
            operation: Value::Object(lowered_op),
        });
    }
    Ok(out)
}

/// Responses as progenitor takes them: at most one success type and one error type.
/// Statuses without a JSON body are left out (the client reports them as unexpected
/// responses); a second, different error body is left out too.
fn lower_responses(spec: &Value, op: &Map<String, Value>, op_id: &str, keep: bool) -> Value {
    let mut responses = Map::new();
    let (mut success, mut error): (Option<Value>, Option<Value>) = (None, None);
    if let Some(Value::Object(rs)) = op.get("responses") {
        for (status, response) in rs {
            let response = resolve_any(spec, response);
            let Some(schema) = json_schema_of(spec, &response) else {
                continue;
            };
            let schema = lower_inline(&schema, op_id, keep);
            let slot = if status.starts_with('2') {
                &mut success
            } else {
                &mut error
            };
            match slot {
                Some(existing) if *existing != schema => continue,
                Some(_) => {}
                None => *slot = Some(schema.clone()),
            }
            responses.insert(
                status.clone(),
                json!({"description": "", "content": {"application/json": {"schema": schema}}}),
            );
        }
    }
    if responses.is_empty() {
        responses.insert("200".into(), json!({"description": ""}));
    }
    Value::Object(responses)
}

/// Follows a `$ref` to a parameter component.
fn resolve_parameter(spec: &Value, p: &Value) -> Value {
    resolve_any(spec, p)
}

/// Follows one local `$ref` (`#/components/...`), or returns the value itself.
fn resolve_any(spec: &Value, v: &Value) -> Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) if r.starts_with("#/") => spec.pointer(&r[1..]).cloned().unwrap_or(Value::Null),
        _ => v.clone(),
    }
}

/// The JSON schema of a request body or response, if it has `application/json` content.
fn json_schema_of(spec: &Value, body: &Value) -> Option<Value> {
    let body = resolve_any(spec, body);
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(ct, _)| ct.starts_with("application/json"))
        .and_then(|(_, c)| c.get("schema").cloned())
}

fn discovery_operations(
    provider: &Provider,
    spec: &Value,
    keep: bool,
) -> Result<Vec<Operation>, SelectError> {
    let mut out = Vec::new();
    for (qualified, _) in &provider.operations {
        // `models.generateContent`; nested resources: `tunedModels.permissions.create`.
        let (resource, method) = qualified.rsplit_once('.').unwrap_or((qualified, ""));
        let resource_path = resource.replace('.', "/resources/");
        let Some(m) = spec
            .pointer(&format!("/resources/{resource_path}/methods/{method}"))
            .and_then(Value::as_object)
        else {
            if keep {
                continue;
            }
            return Err(SelectError::MissingOperation {
                provider: provider.name.into(),
                path: qualified.to_string(),
                method: String::new(),
            });
        };
        let flat = m
            .get("flatPath")
            .or_else(|| m.get("path"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = format!("/{flat}");
        let op_id = format!("{}_{method}", resource.replace('.', "_"));
        let mut params = Vec::new();
        // Path parameters are the `{name}` placeholders of the flat path.
        for segment in flat.split('{').skip(1) {
            if let Some((name, _)) = segment.split_once('}') {
                params.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
        }
        if let Some(Value::Object(ps)) = m.get("parameters") {
            for (name, p) in ps {
                if p.get("location").and_then(Value::as_str) == Some("query") {
                    params.push(json!({
                        "name": name, "in": "query",
                        "required": p.get("required").cloned().unwrap_or(json!(false)),
                        "schema": lower_inline(p, &op_id, keep),
                    }));
                }
            }
        }
        let mut lowered_op = Map::new();
        lowered_op.insert("operationId".into(), json!(op_id));
        lowered_op.insert("parameters".into(), Value::Array(params));
        if let Some(request) = m.get("request") {
            lowered_op.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": {"schema": lower_inline(request, &op_id, keep)}}}),
            );
        }
        if let Some(response) = m.get("response") {
            let mut schema = lower_inline(response, &op_id, keep);
            if method == "streamGenerateContent" {
                // Without `alt=sse` the REST endpoint answers one JSON array of chunks.
                schema = json!({"type": "array", "items": schema});
            }
            lowered_op.insert(
                "responses".into(),
                json!({"200": {"description": "", "content": {"application/json": {"schema": schema}}}}),
            );
        }
        out.push(Operation {
            path,
            method: m
                .get("httpMethod")
                .and_then(Value::as_str)
                .unwrap_or("GET")
                .to_ascii_lowercase(),
            operation: Value::Object(lowered_op),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(ops_list: &[(&str, &str)], roots: &[&str]) -> Provider {
        Provider {
            name: "t",
            crate_name: "t",
            title: "T",
            operations: ops(ops_list),
            roots: names(roots),
            overlay: Some("t/overlay.json"),
        }
    }

    #[test]
    fn beta_twins_are_skipped_and_reachability_follows_refs() {
        let spec = json!({
            "openapi": "3.1.0", "info": {},
            "paths": {
                "/v1/x": {"post": {"operationId": "x", "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Res"}}, "text/event-stream": {"schema": {"$ref": "#/components/schemas/Ev"}}}}}}},
                "/v1/x?beta=true": {"post": {"operationId": "beta_x", "responses": {}}}
            },
            "components": {"schemas": {
                "Req": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/Inner"}}},
                "Inner": {"type": "string"},
                "Res": {"type": "object"},
                "Ev": {"type": "object"},
                "Unused": {"type": "object"}
            }}
        });
        let n = normalize_spec(
            &provider(&[("/v1/x", "post")], &[]),
            &spec,
            SpecFormat::OpenapiJson,
            None,
        )
        .unwrap();
        let names: Vec<&String> = n.doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["Inner", "Req", "Res"]);
        assert_eq!(n.doc["paths"].as_object().unwrap().len(), 1);
        assert_eq!(n.origins["Req"], "#/components/schemas/Req");
        assert!(
            n.doc["paths"]["/v1/x"]["post"]["responses"]["200"]["content"]
                .get("text/event-stream")
                .is_none()
        );
    }

    #[test]
    fn overlay_adds_union_variants() {
        let spec = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "Ev": {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "type", "mapping": {"a": "#/components/schemas/A"}}},
            "A": {"type": "object", "properties": {"type": {"const": "a"}}}
        }}});
        let overlay = json!({"components": {"schemas": {"P": {"type": "object", "properties": {"type": {"const": "ping"}}}}},
                             "union_additions": {"Ev": {"ping": "#/components/schemas/P"}}});
        let n = normalize_spec(
            &provider(&[], &["Ev"]),
            &spec,
            SpecFormat::OpenapiJson,
            Some(&overlay),
        )
        .unwrap();
        assert!(n.doc["components"]["schemas"].get("P").is_some());
        assert_eq!(n.origins["P"], "specs/t/overlay.json#/components/schemas/P");
    }

    #[test]
    fn discovery_bare_refs_and_flat_paths() {
        let spec = json!({
            "discoveryVersion": "v1", "revision": "1",
            "resources": {"models": {"methods": {"gen": {
                "flatPath": "v1beta/models/{modelsId}:gen", "httpMethod": "POST",
                "parameters": {"model": {"location": "path"}},
                "request": {"$ref": "Req"}, "response": {"$ref": "Res"}}}}},
            "schemas": {
                "Req": {"id": "Req", "type": "object", "properties": {"n": {"type": "string", "format": "int64"}, "v": {"type": "any"}, "s": {"$ref": "Schema"}}},
                "Schema": {"id": "Schema", "type": "object", "properties": {"items": {"$ref": "Schema"}, "type": {"type": "string", "enum": ["A"]}}},
                "Res": {"id": "Res", "type": "object"}
            }
        });
        let n = normalize_spec(
            &provider(&[("models.gen", "")], &[]),
            &spec,
            SpecFormat::GoogleDiscovery,
            None,
        )
        .unwrap();
        let op = &n.doc["paths"]["/v1beta/models/{modelsId}:gen"]["post"];
        assert_eq!(op["parameters"][0]["name"], "modelsId");
        let req = &n.doc["components"]["schemas"]["Req"];
        assert_eq!(req["properties"]["n"], json!({"type": "string"}));
        assert_eq!(req["properties"]["v"], json!({}));
        assert_eq!(
            req["properties"]["s"],
            json!({"$ref": "#/components/schemas/Schema"})
        );
        assert_eq!(n.origins["Schema"], "#/schemas/Schema");
    }
}
