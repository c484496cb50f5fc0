//! Schema lowering: turns one OpenAPI 3.1 / JSON Schema schema into the
//! OpenAPI 3.0.3 subset that openapiv3 + progenitor + typify take, keeping
//! everything that decides the *wire shape* and dropping what only validates.
//!
//! One function per construct (as typify does), each with its own test:
//! - nullability, in all three idioms (`type: [X, "null"]`, `anyOf/oneOf [X, {type: null}]`,
//!   the leftover `nullable: true`, `enum` holding `null`) → 3.0 `nullable: true`;
//! - `const` → a single-value `enum`;
//! - `anyOf` → `oneOf` (typify derives tags itself; the `discriminator` is kept),
//!   and the open-enum idiom `anyOf [{type: string}, {type: string, enum}]` → one string enum
//!   (the post-pass makes every enum open anyway);
//! - `$recursiveRef: "#"` → a `$ref` to the component that holds it;
//! - `additionalProperties: false` dropped (never `deny_unknown_fields`);
//! - `required` dropped: the specs' own examples omit "required" properties;
//! - validation-only keywords dropped (lengths, bounds, patterns, string formats, defaults):
//!   a wire type must accept what the server sends, and typify would otherwise generate
//!   validating newtypes and default-filling fields that break round-trips;
//! - `type: number` → `serde_json::Number` (echoes `1` and `1.0` as they came);
//! - prose (`description`, `title`, examples, `x-*`) dropped: generated docs name the
//!   schema and its JSON pointer instead of copying the spec's text.

use serde_json::{Map, Value, json};

/// Where a schema sits: the component that holds it, used for `$recursiveRef`.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The component name whose definition is being lowered.
    pub component: &'a str,
    /// Prefix of component `$ref`s in the output (`#/components/schemas/`).
    pub ref_prefix: &'a str,
    /// Keep what only validates (`required`, bounds, lengths, patterns, formats,
    /// defaults): spec-diff reports their changes; codegen drops them.
    pub keep_constraints: bool,
}

/// The validation keywords kept for spec-diff (`Ctx::keep_constraints`).
pub const CONSTRAINTS: &[&str] = &[
    "default",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Keywords that only validate or document, never shape the wire.
const DROPPED: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "contentEncoding",
    "contentMediaType",
    "externalDocs",
    "xml",
    "$schema",
    "$id",
    "$comment",
    "$recursiveAnchor",
    "$dynamicAnchor",
    "$anchor",
    "$defs",
    "definitions",
    "propertyNames",
    "patternProperties",
    "dependentRequired",
    "contains",
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// The `x-rust-type` that maps JSON numbers to `serde_json::Number`.
pub fn number_type() -> Value {
    json!({"crate": "serde_json", "version": "1", "path": "serde_json::Number"})
}

/// Lowers one schema (and everything nested in it).
pub fn lower(schema: &Value, ctx: Ctx) -> Value {
    match schema {
        Value::Bool(_) => json!({}),
        Value::Object(obj) => lower_object(obj, ctx),
        // Not a schema at all: treat as "anything" rather than fail.
        _ => json!({}),
    }
}

fn lower_object(input: &Map<String, Value>, ctx: Ctx) -> Value {
    if let Some(target) = input.get("$recursiveRef") {
        return lower_recursive_ref(target, ctx);
    }
    if let Some(Value::String(target)) = input.get("$ref") {
        return lower_ref(target, input, ctx);
    }
    let mut out = Map::new();
    let mut nullable = matches!(input.get("nullable"), Some(Value::Bool(true)));

    for (key, value) in input {
        if ctx.keep_constraints && CONSTRAINTS.contains(&key.as_str()) {
            out.insert(key.clone(), value.clone());
            continue;
        }
        if DROPPED.contains(&key.as_str()) || key.starts_with("x-") || key == "nullable" {
            continue;
        }
        match key.as_str() {
            "type" => match lower_type(value) {
                TypeKw::One(t) => {
                    out.insert("type".into(), Value::String(t));
                }
                TypeKw::Null => nullable = true,
                TypeKw::NullableOne(t) => {
                    nullable = true;
                    out.insert("type".into(), Value::String(t));
                }
                TypeKw::Many(types) => {
                    out.insert("x-aigw-types".into(), json!(types));
                }
                TypeKw::Any => {}
            },
            "const" => {
                out.insert("enum".into(), json!([value]));
            }
            "enum" => {
                let (values, had_null) = lower_enum(value);
                nullable |= had_null;
                out.insert("enum".into(), values);
            }
            "properties" => {
                let props = value
                    .as_object()
                    .map(|p| {
                        p.iter()
                            .map(|(name, s)| (name.clone(), mark_nullable(lower(s, ctx))))
                            .collect::<Map<_, _>>()
                    })
                    .unwrap_or_default();
                out.insert("properties".into(), Value::Object(props));
            }
            "additionalProperties" => {
                if let Some(map_value) = lower_additional_properties(value, ctx) {
                    out.insert(key.clone(), map_value);
                }
            }
            "items" => {
                // Tuple-form `items` (an array) has no 3.0 spelling: any item.
                let items = if value.is_array() {
                    json!({})
                } else {
                    lower(value, ctx)
                };
                out.insert("items".into(), items);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let raw: Vec<Value> = value.as_array().cloned().unwrap_or_default();
                // Null branches are read before lowering (lowered, they look like `{}`).
                let (raw, had_null) = if key == "allOf" {
                    (raw, false)
                } else {
                    drop_null_branches(raw)
                };
                nullable |= had_null;
                let branches: Vec<Value> = raw.iter().map(|b| lower(b, ctx)).collect();
                let key = if key == "anyOf" {
                    "oneOf"
                } else {
                    key.as_str()
                };
                let merged = match out.remove(key) {
                    Some(Value::Array(mut existing)) => {
                        existing.extend(branches);
                        existing
                    }
                    _ => branches,
                };
                out.insert(key.into(), Value::Array(merged));
            }
            "not" => {
                out.insert("not".into(), lower(value, ctx));
            }
            "format" if ctx.keep_constraints => {
                out.insert("format".into(), value.clone());
            }
            "format" => {
                if let Some(format) = lower_format(input.get("type"), value) {
                    out.insert("format".into(), format);
                }
            }
            // `required` is advisory for wire types: the specs' own examples (and so the
            // servers) omit properties the schemas mark required (OpenAI `logprobs`,
            // `refusal`, `sequence_number`; Anthropic `cache_creation`). A reader that
            // insists on them rejects real responses, so every property is optional.
            "required" if ctx.keep_constraints => {
                out.insert(key.clone(), value.clone());
            }
            "required" => {}
            "discriminator" => {
                out.insert(key.clone(), value.clone());
            }
            // Any other keyword carries no wire shape that 3.0 can say.
            _ => {}
        }
    }

    if let Some(Value::Array(branches)) = out.remove("oneOf") {
        lower_union_into(&mut out, branches, ctx.keep_constraints);
    }
    if let Some(Value::Array(branches)) = out.remove("allOf") {
        lower_all_of_into(&mut out, branches);
    }
    if let Some(types) = out.remove("x-aigw-types") {
        split_type_array_into(&mut out, types);
    }
    if out.get("type") == Some(&json!("number")) {
        out.remove("type");
        out.insert("x-rust-type".into(), number_type());
    }
    if out.contains_key("properties") && !out.contains_key("type") && !has_composition(&out) {
        out.insert("type".into(), json!("object"));
    }
    if nullable {
        make_nullable(out)
    } else {
        Value::Object(out)
    }
}

fn has_composition(out: &Map<String, Value>) -> bool {
    ["oneOf", "allOf", "anyOf"]
        .iter()
        .any(|k| out.contains_key(*k))
}

/// The description typify copies into a nullable property's field doc, where the
/// post-pass finds it (typify itself renders optional and optional-nullable alike).
pub const NULLABLE_MARKER: &str = "aigw:nullable";

/// Marks a lowered property schema that admits `null`.
fn mark_nullable(mut schema: Value) -> Value {
    if let Value::Object(o) = &mut schema
        && o.get("nullable") == Some(&Value::Bool(true))
    {
        o.insert("description".into(), json!(NULLABLE_MARKER));
    }
    schema
}

/// `$recursiveRef: "#"` points at the schema resource that declared `$recursiveAnchor`:
/// in these specs, the component holding it.
fn lower_recursive_ref(target: &Value, ctx: Ctx) -> Value {
    match target.as_str() {
        Some("#") | None => json!({"$ref": format!("{}{}", ctx.ref_prefix, ctx.component)}),
        Some(other) => lower_ref(other, &Map::new(), ctx),
    }
}

/// A `$ref` keeps only the reference; a 3.1 sibling `nullable`/null-type makes it
/// the 3.0 `allOf [$ref] + nullable` idiom.
fn lower_ref(target: &str, siblings: &Map<String, Value>, ctx: Ctx) -> Value {
    let name = target.rsplit('/').next().unwrap_or(target);
    let reference = json!({"$ref": format!("{}{}", ctx.ref_prefix, name)});
    let nullable = matches!(siblings.get("nullable"), Some(Value::Bool(true)))
        || matches!(
            lower_type(siblings.get("type").unwrap_or(&Value::Null)),
            TypeKw::Null
        );
    if nullable {
        json!({"allOf": [reference], "nullable": true})
    } else {
        reference
    }
}

enum TypeKw {
    One(String),
    NullableOne(String),
    Null,
    Many(Vec<String>),
    Any,
}

/// `type` as a string or a 3.1 type array.
fn lower_type(value: &Value) -> TypeKw {
    match value {
        Value::String(t) if t == "null" => TypeKw::Null,
        // Discovery's `any` (protobuf `Value`): no type constraint.
        Value::String(t) if t == "any" => TypeKw::Any,
        Value::String(t) => TypeKw::One(t.clone()),
        Value::Array(types) => {
            let mut names: Vec<String> = types
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            let had_null = names.iter().any(|t| t == "null");
            names.retain(|t| t != "null");
            match (names.len(), had_null) {
                (0, true) => TypeKw::Null,
                (0, false) => TypeKw::Any,
                (1, false) => TypeKw::One(names.remove(0)),
                (1, true) => TypeKw::NullableOne(names.remove(0)),
                _ => TypeKw::Many(names),
            }
        }
        _ => TypeKw::Any,
    }
}

/// Drops `null` from an enum, saying whether it was there.
fn lower_enum(value: &Value) -> (Value, bool) {
    let Some(values) = value.as_array() else {
        return (value.clone(), false);
    };
    let had_null = values.iter().any(Value::is_null);
    let kept: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
    (Value::Array(kept), had_null)
}

/// `false` and `true` both mean "keep unknown keys" to us; a schema means a map.
fn lower_additional_properties(value: &Value, ctx: Ctx) -> Option<Value> {
    match value {
        Value::Bool(_) => None,
        Value::Object(o) if o.is_empty() => Some(json!({})),
        other => Some(lower(other, ctx)),
    }
}

/// Integer formats pick the Rust width; every other format (date-time, uri, byte,
/// int64-as-string, float/double) leaves the wire value a plain string or number.
fn lower_format(ty: Option<&Value>, format: &Value) -> Option<Value> {
    let is_integer = match ty {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    match format.as_str() {
        Some("int64") | Some("int32") if is_integer => Some(json!("int64")),
        _ => None,
    }
}

fn is_null_schema(branch: &Value) -> bool {
    match branch {
        Value::Object(o) => {
            o.get("type") == Some(&json!("null"))
                || o.get("enum").is_some_and(|e| e == &json!([null]))
                || o.get("const") == Some(&Value::Null) && o.contains_key("const")
        }
        _ => false,
    }
}

/// Removes `{type: null}` branches of a union, saying whether there was one.
fn drop_null_branches(branches: Vec<Value>) -> (Vec<Value>, bool) {
    let before = branches.len();
    let kept: Vec<Value> = branches
        .into_iter()
        .filter(|b| !is_null_schema(b))
        .collect();
    let had_null = kept.len() != before;
    (kept, had_null)
}

/// A union after null removal: the open-enum idiom becomes one string enum, a single
/// branch is inlined, anything else stays a `oneOf`.
/// The marker spec-diff reads on a merged string enum that had a free `string` branch
/// (the server takes any string; the listed values are hints). Diff mode only.
pub const OPEN_ENUM_MARKER: &str = "x-aigw-open-enum";

fn lower_union_into(out: &mut Map<String, Value>, branches: Vec<Value>, mark_open: bool) {
    if let Some(open_enum) = merge_open_enum(&branches) {
        let open = branches.iter().any(|b| b.get("enum").is_none());
        for (k, v) in open_enum {
            out.insert(k, v);
        }
        if mark_open && open {
            out.insert(OPEN_ENUM_MARKER.into(), json!(true));
        }
        return;
    }
    match branches.len() {
        0 => {}
        1 => {
            let only = branches.into_iter().next().unwrap_or_default();
            merge_single_branch(out, only);
        }
        _ => {
            out.insert("oneOf".into(), Value::Array(branches));
        }
    }
}

/// `anyOf [{type: string}, {type: string, enum: [..]}]` (and unions of string enums)
/// are one open string enum.
fn merge_open_enum(branches: &[Value]) -> Option<Map<String, Value>> {
    if branches.len() < 2 {
        return None;
    }
    let mut values: Vec<Value> = Vec::new();
    let mut any_enum = false;
    for branch in branches {
        let o = branch.as_object()?;
        if o.get("type") != Some(&json!("string")) {
            return None;
        }
        if o.keys().any(|k| k != "type" && k != "enum") {
            return None;
        }
        if let Some(Value::Array(vs)) = o.get("enum") {
            any_enum = true;
            for v in vs {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
        }
    }
    let mut merged = Map::new();
    merged.insert("type".into(), json!("string"));
    if any_enum {
        merged.insert("enum".into(), Value::Array(values));
    }
    Some(merged)
}

/// A one-branch union is that branch: inlined when the parent says nothing else,
/// else kept as a one-element `allOf` (how 3.0 puts a `$ref` beside other keywords).
fn merge_single_branch(out: &mut Map<String, Value>, only: Value) {
    let Value::Object(branch) = only else { return };
    let parent_is_empty = out.keys().all(|k| k == "discriminator");
    if parent_is_empty {
        out.remove("discriminator");
        for (k, v) in branch {
            out.insert(k, v);
        }
    } else {
        let mut all = match out.remove("allOf") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        all.push(Value::Object(branch));
        out.insert("allOf".into(), Value::Array(all));
    }
}

/// `allOf` of one schema and nothing beside it is that schema.
fn lower_all_of_into(out: &mut Map<String, Value>, branches: Vec<Value>) {
    if branches.len() == 1 && out.is_empty() {
        if let Some(Value::Object(only)) = branches.into_iter().next() {
            if only.contains_key("$ref") {
                out.insert("allOf".into(), json!([Value::Object(only)]));
            } else {
                out.extend(only);
            }
        }
        return;
    }
    if !branches.is_empty() {
        out.insert("allOf".into(), Value::Array(branches));
    }
}

/// A 3.1 type array of several non-null types is a `oneOf` of one schema per type.
fn split_type_array_into(out: &mut Map<String, Value>, types: Value) {
    let Some(types) = types.as_array() else {
        return;
    };
    let branches: Vec<Value> = types
        .iter()
        .map(|t| match t.as_str() {
            Some("number") => json!({"x-rust-type": number_type()}),
            Some("array") => {
                json!({"type": "array", "items": out.get("items").cloned().unwrap_or(json!({}))})
            }
            Some("object") => {
                let mut o = Map::new();
                o.insert("type".into(), json!("object"));
                for k in ["properties", "required", "additionalProperties"] {
                    if let Some(v) = out.get(k) {
                        o.insert(k.into(), v.clone());
                    }
                }
                Value::Object(o)
            }
            Some(other) => json!({"type": other}),
            None => json!({}),
        })
        .collect();
    for k in [
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
    ] {
        out.remove(k);
    }
    out.insert("oneOf".into(), Value::Array(branches));
}

/// 3.0 nullability: `nullable: true` beside a type, or around a `$ref`/composition.
fn make_nullable(mut out: Map<String, Value>) -> Value {
    if out.is_empty() {
        // Anything-or-null is anything.
        return Value::Object(out);
    }
    if out.contains_key("$ref") {
        return json!({"allOf": [Value::Object(out)], "nullable": true});
    }
    if out.contains_key("x-rust-type") && !out.contains_key("type") {
        // typify reads `x-rust-type` before nullability: wrap it.
        return json!({"oneOf": [Value::Object(out)], "nullable": true});
    }
    out.insert("nullable".into(), Value::Bool(true));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn low(v: Value) -> Value {
        lower(
            &v,
            Ctx {
                component: "Here",
                ref_prefix: "#/components/schemas/",
                keep_constraints: false,
            },
        )
    }

    #[test]
    fn type_array_with_null_is_nullable() {
        assert_eq!(
            low(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn any_of_null_branch_is_nullable() {
        assert_eq!(
            low(json!({"anyOf": [{"type": "integer"}, {"type": "null"}]})),
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(
            low(json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true})
        );
    }

    #[test]
    fn leftover_nullable_is_kept() {
        assert_eq!(
            low(json!({"type": "string", "nullable": true, "description": "d"})),
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn null_in_enum_is_nullable() {
        assert_eq!(
            low(json!({"type": "string", "enum": ["a", null]})),
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
    }

    #[test]
    fn const_is_single_value_enum() {
        assert_eq!(
            low(json!({"type": "string", "const": "message"})),
            json!({"type": "string", "enum": ["message"]})
        );
    }

    #[test]
    fn any_of_becomes_one_of_with_discriminator() {
        let out = low(json!({
            "anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "type"}
        }));
        assert_eq!(
            out,
            json!({"discriminator": {"propertyName": "type"},
                   "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]})
        );
    }

    #[test]
    fn open_enum_idiom_is_one_string_enum() {
        assert_eq!(
            low(json!({"anyOf": [{"type": "string"}, {"type": "string", "enum": ["a", "b"]}]})),
            json!({"type": "string", "enum": ["a", "b"]})
        );
    }

    #[test]
    fn recursive_ref_points_at_its_component() {
        assert_eq!(
            low(json!({"type": "array", "items": {"$recursiveRef": "#"}})),
            json!({"type": "array", "items": {"$ref": "#/components/schemas/Here"}})
        );
    }

    #[test]
    fn additional_properties_false_is_dropped_maps_kept() {
        assert_eq!(
            low(
                json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false})
            ),
            json!({"type": "object", "properties": {"a": {"type": "string"}}})
        );
        assert_eq!(
            low(json!({"type": "object", "additionalProperties": {"type": "string"}})),
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
    }

    #[test]
    fn validation_and_prose_are_dropped() {
        assert_eq!(
            low(
                json!({"type": "string", "maxLength": 3, "pattern": "^a", "format": "date-time",
                       "default": "x", "title": "T", "x-stainless-const": true})
            ),
            json!({"type": "string"})
        );
    }

    #[test]
    fn numbers_keep_their_spelling() {
        assert_eq!(
            low(json!({"type": "number", "minimum": 0})),
            json!({"x-rust-type": number_type()})
        );
        assert_eq!(
            low(json!({"type": ["number", "null"]})),
            json!({"oneOf": [{"x-rust-type": number_type()}], "nullable": true})
        );
    }

    #[test]
    fn several_types_are_a_union() {
        assert_eq!(
            low(json!({"type": ["string", "integer"]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn property_names_are_not_keywords() {
        // Gemini's `Schema` has properties named like keywords.
        let out = low(json!({"type": "object", "properties": {
            "description": {"type": "string"}, "default": {}, "format": {"type": "string"}}}));
        assert_eq!(
            out["properties"],
            json!({"description": {"type": "string"}, "default": {}, "format": {"type": "string"}})
        );
    }

    #[test]
    fn required_is_advisory() {
        assert_eq!(
            low(json!({"type": "object", "properties": {"a": {}}, "required": ["a", "b"]})),
            json!({"type": "object", "properties": {"a": {}}})
        );
    }
}
