//! `spec-diff`: what changed between two versions of one provider's spec, and what each
//! change means for a client of the generated crate.
//!
//! Both versions go through the normalization codegen uses ([`Purpose::Diff`]: the same
//! selection and lowering, with the validation keywords kept), so the report speaks of
//! what the generated code sees: nullability written in any idiom is one thing, `anyOf`
//! and `oneOf` are one thing, a Discovery document reads like OpenAPI.
//!
//! Each change names a [`Rule`]; a rule classifies by the side the schema is on (sent in
//! requests, read from responses, or both: then the worse of the two). [`RULES`] is the
//! list, documented in CONTRIBUTING.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::select::{self, Provider, Purpose};
use crate::specs::{self, SpecFormat};

/// What a change means for a client of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Code or requests that worked may stop working.
    Breaking,
    /// Survived at run time by the generated crate's open enums, unknown-variant arms,
    /// `extra` maps and all-optional fields; regenerate to see it typed.
    Absorbed,
    /// Nothing a client does stops working.
    NonBreaking,
}

impl Kind {
    fn severity(self) -> u8 {
        match self {
            Kind::Breaking => 2,
            Kind::Absorbed => 1,
            Kind::NonBreaking => 0,
        }
    }

    /// The label used in text and Markdown reports.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Absorbed => "absorbed by forward-compatibility",
            Kind::NonBreaking => "non-breaking",
        }
    }
}

/// Which way data flows through a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Only in what clients send.
    Request,
    /// Only in what clients read.
    Response,
    /// Both, or unknown (a schema no operation reaches): the worse classification holds.
    Both,
}

impl Side {
    fn join(self, other: Side) -> Side {
        if self == other { self } else { Side::Both }
    }
}

/// One classification rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    /// The kind when the schema is on the request side.
    pub request: Kind,
    /// The kind when the schema is on the response side.
    pub response: Kind,
    /// Why, for CONTRIBUTING and `--explain`.
    pub why: &'static str,
}

use Kind::{Absorbed, Breaking, NonBreaking};

/// Every rule spec-diff applies (a table: one rule a line).
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    Rule { name: "operation-added", request: NonBreaking, response: NonBreaking, why: "a new endpoint; old clients do not call it" },
    Rule { name: "operation-removed", request: Breaking, response: Breaking, why: "calls to it fail; its client method disappears" },
    Rule { name: "parameter-added", request: NonBreaking, response: NonBreaking, why: "an optional parameter; old calls omit it" },
    Rule { name: "parameter-added-required", request: Breaking, response: Breaking, why: "old calls omit a parameter the server now requires" },
    Rule { name: "parameter-removed", request: Breaking, response: Breaking, why: "calls that pass it break; the client method's signature changes" },
    Rule { name: "parameter-became-required", request: Breaking, response: Breaking, why: "calls that omitted it are now rejected" },
    Rule { name: "parameter-became-optional", request: NonBreaking, response: NonBreaking, why: "old calls still pass it" },
    Rule { name: "body-added", request: NonBreaking, response: NonBreaking, why: "an operation gains a request or success body schema" },
    Rule { name: "body-removed", request: Breaking, response: Breaking, why: "an operation loses its request or success body schema" },
    Rule { name: "schema-added", request: NonBreaking, response: NonBreaking, why: "a new type in the crate" },
    Rule { name: "schema-removed", request: Breaking, response: Breaking, why: "a type leaves the crate; code naming it stops compiling" },
    Rule { name: "property-added", request: NonBreaking, response: Absorbed, why: "request: optional, old clients omit it; response: old clients keep it in `extra`" },
    Rule { name: "property-added-required", request: Breaking, response: Absorbed, why: "request: old clients omit a property the server now requires; response: kept in `extra`" },
    Rule { name: "property-removed", request: Breaking, response: Breaking, why: "request: the server no longer takes it; response: clients lose the data and the field leaves the crate" },
    Rule { name: "type-changed", request: Breaking, response: Breaking, why: "the value's JSON type (or referenced schema) changed" },
    Rule { name: "type-widened", request: NonBreaking, response: Breaking, why: "more values allowed (integer → number, a type → any): old readers cannot hold the new ones" },
    Rule { name: "type-narrowed", request: Breaking, response: NonBreaking, why: "fewer values allowed (number → integer, any → a type): old writers may send what is now rejected" },
    Rule { name: "format-changed", request: NonBreaking, response: NonBreaking, why: "formats do not change the generated Rust type (int32 and int64 are both i64; string formats stay String)" },
    Rule { name: "became-nullable", request: NonBreaking, response: Absorbed, why: "response: old readers' `Option` reads null as `None`" },
    Rule { name: "became-non-nullable", request: Breaking, response: NonBreaking, why: "request: a null that was accepted is now rejected" },
    Rule { name: "required-added", request: Breaking, response: NonBreaking, why: "request: old clients may omit a property now required" },
    Rule { name: "required-removed", request: NonBreaking, response: Absorbed, why: "response: the property may be absent; every generated field is an `Option`" },
    Rule { name: "enum-value-added", request: NonBreaking, response: Absorbed, why: "response: open enums keep a new value in `Unknown(String)`" },
    Rule { name: "enum-value-removed", request: Breaking, response: NonBreaking, why: "request: a value clients may send is now rejected" },
    Rule { name: "variant-added", request: NonBreaking, response: Absorbed, why: "response: unions keep a new variant in `Unknown(Value)`" },
    Rule { name: "variant-removed", request: Breaking, response: NonBreaking, why: "request: a shape clients may send is now rejected" },
    Rule { name: "open-enum-value-added", request: NonBreaking, response: NonBreaking, why: "an open enum (`anyOf [string, const...]`) lists a new value; its string branch took it already" },
    Rule { name: "open-enum-value-removed", request: NonBreaking, response: NonBreaking, why: "an open enum stops listing a value; its string branch still takes it" },
    Rule { name: "discriminator-changed", request: Breaking, response: Breaking, why: "the union's tag field changed: dispatch on the old tag fails" },
    Rule { name: "default-changed", request: Breaking, response: NonBreaking, why: "request: clients that omit the field now get other behaviour" },
    Rule { name: "constraint-tightened", request: Breaking, response: NonBreaking, why: "request: values that were valid (length, bound, pattern, item count) are now rejected; responses are not validated" },
    Rule { name: "constraint-loosened", request: NonBreaking, response: NonBreaking, why: "request: everything valid stays valid; responses are not validated" },
];

/// The rule named `name`.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub rule: &'static str,
    /// Where: `POST /responses`, `CreateResponse.tools[].type`, ...
    pub at: String,
    pub detail: String,
}

/// Counts by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub breaking: usize,
    pub absorbed: usize,
    pub non_breaking: usize,
}

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub provider: String,
    pub old: String,
    pub new: String,
    /// `generated` (the operations and roots the crate is generated from) or `all`.
    pub scope: &'static str,
    pub summary: Summary,
    pub changes: Vec<Change>,
}

/// Errors of spec-diff: bad inputs, named.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(transparent)]
    Spec(#[from] specs::SpecError),
    #[error(transparent)]
    Select(#[from] select::SelectError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not an OpenAPI document or a Google Discovery document: {message}")]
    NotASpec { path: PathBuf, message: String },
    #[error(
        "cannot compare {old} ({old_kind}) with {new} ({new_kind}): both must be OpenAPI or both Google Discovery"
    )]
    Mismatch {
        old: String,
        old_kind: &'static str,
        new: String,
        new_kind: &'static str,
    },
    #[error(
        "cannot tell which provider {0} is for (known: openai, anthropic, gemini); pass --provider"
    )]
    UnknownProvider(String),
    #[error("{old} is for {old_provider} but {new} is for {new_provider}")]
    ProviderMismatch {
        old: String,
        old_provider: String,
        new: String,
        new_provider: String,
    },
    #[error("overlay {path}: {message}")]
    Overlay { path: PathBuf, message: String },
}

/// One side of a diff: a parsed spec and what it is.
#[derive(Debug, Clone)]
pub struct Input {
    /// As the user named it (a path or a pinned provider name).
    pub label: String,
    pub value: Value,
    pub format: SpecFormat,
    /// Known from a pin or recognized from the content.
    pub provider: Option<String>,
}

/// Loads `arg`: a pinned provider name (`openai`) or a path to an OpenAPI (JSON or YAML)
/// or Google Discovery document.
pub fn load(arg: &str) -> Result<Input, DiffError> {
    let path = Path::new(arg);
    if !path.exists()
        && let Ok(pin) = specs::pin(arg)
    {
        let spec = specs::fetch(&pin.provider)?;
        return Ok(Input {
            label: format!("pinned {arg}"),
            value: spec.parse()?,
            format: pin.format,
            provider: Some(pin.provider),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| DiffError::Read {
        path: path.to_owned(),
        source,
    })?;
    let format = sniff(path, &bytes)?;
    let value = specs::parse_spec_bytes(path, &bytes, format).map_err(|e| match e {
        specs::SpecError::Malformed { path, message } => DiffError::NotASpec { path, message },
        other => other.into(),
    })?;
    let provider = recognize(&value);
    Ok(Input {
        label: arg.to_owned(),
        value,
        format,
        provider,
    })
}

/// The format of a spec file, from its content: JSON or YAML, OpenAPI or Discovery.
fn sniff(path: &Path, bytes: &[u8]) -> Result<SpecFormat, DiffError> {
    let not_a_spec = |message: &str| DiffError::NotASpec {
        path: path.to_owned(),
        message: message.into(),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| not_a_spec("not UTF-8 text"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let head = &trimmed[..trimmed.len().min(4096)];
        if head.contains("\"discoveryVersion\"") || text.contains("\"discoveryVersion\"") {
            return Ok(SpecFormat::GoogleDiscovery);
        }
        return Ok(SpecFormat::OpenapiJson);
    }
    if trimmed.is_empty() {
        return Err(not_a_spec("the file is empty"));
    }
    Ok(SpecFormat::OpenapiYaml)
}

/// Which provider a spec describes, from what it serves.
pub fn recognize(spec: &Value) -> Option<String> {
    if spec.get("discoveryVersion").is_some() {
        return (spec.get("name").and_then(Value::as_str) == Some("generativelanguage"))
            .then(|| "gemini".to_owned());
    }
    let paths = spec.get("paths")?.as_object()?;
    if paths.keys().any(|p| p.starts_with("/v1/messages")) {
        return Some("anthropic".into());
    }
    if paths
        .keys()
        .any(|p| p == "/chat/completions" || p == "/responses")
    {
        return Some("openai".into());
    }
    None
}

fn format_kind(f: SpecFormat) -> &'static str {
    match f {
        SpecFormat::GoogleDiscovery => "Google Discovery",
        _ => "OpenAPI",
    }
}

/// Options of one diff.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The provider, when neither input says.
    pub provider: Option<String>,
    /// Whole spec instead of the generated operations.
    pub all: bool,
}

/// Diffs two loaded specs.
pub fn diff(old: &Input, new: &Input, options: &Options) -> Result<Report, DiffError> {
    let (is_disc_old, is_disc_new) = (
        old.format == SpecFormat::GoogleDiscovery,
        new.format == SpecFormat::GoogleDiscovery,
    );
    if is_disc_old != is_disc_new {
        return Err(DiffError::Mismatch {
            old: old.label.clone(),
            old_kind: format_kind(old.format),
            new: new.label.clone(),
            new_kind: format_kind(new.format),
        });
    }
    let provider_name = match (&options.provider, &old.provider, &new.provider) {
        (Some(p), _, _) => p.clone(),
        (None, Some(a), Some(b)) if a != b => {
            return Err(DiffError::ProviderMismatch {
                old: old.label.clone(),
                old_provider: a.clone(),
                new: new.label.clone(),
                new_provider: b.clone(),
            });
        }
        (None, Some(p), _) | (None, None, Some(p)) => p.clone(),
        (None, None, None) => return Err(DiffError::UnknownProvider(old.label.clone())),
    };
    let base = select::providers()
        .into_iter()
        .find(|p| p.name == provider_name)
        .ok_or_else(|| DiffError::UnknownProvider(provider_name.clone()))?;
    let overlay = load_overlay(&base)?;
    let changes = changes_between(old, new, &base, overlay.as_ref(), options.all)?;
    let mut summary = Summary::default();
    for c in &changes {
        match c.kind {
            Kind::Breaking => summary.breaking += 1,
            Kind::Absorbed => summary.absorbed += 1,
            Kind::NonBreaking => summary.non_breaking += 1,
        }
    }
    Ok(Report {
        provider: provider_name,
        old: old.label.clone(),
        new: new.label.clone(),
        scope: if options.all { "all" } else { "generated" },
        summary,
        changes,
    })
}

/// The sorted changes from `old` to `new`, both normalized for `base` (its operations and
/// roots; with `all`, every operation and schema of each spec).
pub fn changes_between(
    old: &Input,
    new: &Input,
    base: &Provider,
    overlay: Option<&Value>,
    all: bool,
) -> Result<Vec<Change>, DiffError> {
    let normalize = |input: &Input| -> Result<Value, DiffError> {
        let provider = if all {
            everything(base, &input.value)
        } else {
            base.clone()
        };
        let n = select::normalize_spec_for(
            &provider,
            &input.value,
            input.format,
            overlay,
            Purpose::Diff,
        )?;
        Ok(n.doc)
    };
    // With `all` every schema is a root: sides come from the operations alone.
    let roots = if all { Vec::new() } else { base.roots.clone() };
    let mut changes = compare_documents(&normalize(old)?, &normalize(new)?, &roots);
    changes.sort();
    changes.dedup();
    Ok(changes)
}

fn load_overlay(provider: &Provider) -> Result<Option<Value>, DiffError> {
    let Some(rel) = provider.overlay else {
        return Ok(None);
    };
    let path = specs::workspace_root().join("specs").join(rel);
    let overlay_err = |message: String| DiffError::Overlay {
        path: path.clone(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| overlay_err(e.to_string()))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| overlay_err(e.to_string()))
}

/// `base` with every operation and every schema of `spec` selected.
fn everything(base: &Provider, spec: &Value) -> Provider {
    let mut operations = Vec::new();
    if spec.get("discoveryVersion").is_some() {
        fn walk(resources: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
            let Some(resources) = resources.as_object() else {
                return;
            };
            for (name, resource) in resources {
                let qualified = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                if let Some(Value::Object(methods)) = resource.get("methods") {
                    for method in methods.keys() {
                        out.push((format!("{qualified}.{method}"), String::new()));
                    }
                }
                if let Some(nested) = resource.get("resources") {
                    walk(nested, &qualified, out);
                }
            }
        }
        if let Some(resources) = spec.get("resources") {
            walk(resources, "", &mut operations);
        }
    } else if let Some(Value::Object(paths)) = spec.get("paths") {
        for (path, item) in paths {
            // Beta twins (`?beta=true`) are the same endpoint; their schemas are roots.
            if path.contains('?') {
                continue;
            }
            for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
                if item.get(method).is_some() {
                    operations.push((path.clone(), method.to_owned()));
                }
            }
        }
    }
    let schemas = spec
        .get("schemas")
        .or_else(|| spec.pointer("/components/schemas"))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    Provider {
        operations,
        roots: schemas,
        ..base.clone()
    }
}

// ---------------------------------------------------------------------------------------
// Comparison of two normalized documents.

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// Every change from `old` to `new` (normalized documents). `response_roots`: schemas
/// read from responses that no operation names (stream events, error bodies).
pub fn compare_documents(old: &Value, new: &Value, response_roots: &[String]) -> Vec<Change> {
    let old_sides = sides(old, response_roots);
    let new_sides = sides(new, response_roots);
    let mut d = Differ {
        old_schemas: schemas_of(old),
        new_schemas: schemas_of(new),
        visiting: BTreeSet::new(),
        out: Vec::new(),
    };
    d.operations(old, new);
    let names: BTreeSet<String> = d
        .old_schemas
        .keys()
        .chain(d.new_schemas.keys())
        .cloned()
        .collect();
    for name in &names {
        let side_old = old_sides.get(name).copied();
        let side_new = new_sides.get(name).copied();
        let side = match (side_old, side_new) {
            (Some(a), Some(b)) => a.join(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => Side::Both,
        };
        match (d.old_schemas.get(name), d.new_schemas.get(name)) {
            (Some(_), None) => d.push("schema-removed", side, name, String::new()),
            (None, Some(_)) => d.push("schema-added", side, name, String::new()),
            (Some(a), Some(b)) => {
                let (a, b) = ((*a).clone(), (*b).clone());
                d.schema(&a, &b, name, side, 0);
            }
            (None, None) => {}
        }
    }
    d.out
}

fn schemas_of(doc: &Value) -> BTreeMap<String, &Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}

/// Which side each component schema is on: reached from request bodies and parameters,
/// from responses and `response_roots`, or both. Schemas reached from nothing are absent
/// (treated as both).
fn sides(doc: &Value, response_roots: &[String]) -> BTreeMap<String, Side> {
    let schemas = schemas_of(doc);
    let mut out: BTreeMap<String, Side> = BTreeMap::new();
    let mark = |start: Vec<String>, side: Side, out: &mut BTreeMap<String, Side>| {
        let mut pending = start;
        let mut seen = BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            out.entry(name.clone())
                .and_modify(|s| *s = s.join(side))
                .or_insert(side);
            if let Some(schema) = schemas.get(&name) {
                refs_in(schema, &mut pending);
            }
        }
    };
    let mut request = Vec::new();
    let mut response: Vec<String> = response_roots.to_vec();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for item in paths.values() {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                if let Some(p) = op.get("parameters") {
                    refs_in(p, &mut request);
                }
                if let Some(b) = op.get("requestBody") {
                    refs_in(b, &mut request);
                }
                if let Some(r) = op.get("responses") {
                    refs_in(r, &mut response);
                }
            }
        }
    }
    mark(request, Side::Request, &mut out);
    mark(response, Side::Response, &mut out);
    out
}

fn refs_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                out.push(r.rsplit('/').next().unwrap_or(r).to_owned());
            }
            o.values().for_each(|c| refs_in(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| refs_in(c, out)),
        _ => {}
    }
}

struct Differ<'a> {
    old_schemas: BTreeMap<String, &'a Value>,
    new_schemas: BTreeMap<String, &'a Value>,
    /// Pairs of differently named components being compared (recursion guard).
    visiting: BTreeSet<(String, String)>,
    out: Vec<Change>,
}

/// Inline schemas nest; a bound keeps a pathological document finite.
const MAX_DEPTH: usize = 64;

impl Differ<'_> {
    fn push(&mut self, rule_name: &'static str, side: Side, at: &str, detail: String) {
        let Some(r) = rule(rule_name) else {
            debug_assert!(false, "unknown rule {rule_name}");
            return;
        };
        let kind = match side {
            Side::Request => r.request,
            Side::Response => r.response,
            Side::Both => {
                if r.request.severity() >= r.response.severity() {
                    r.request
                } else {
                    r.response
                }
            }
        };
        self.out.push(Change {
            kind,
            rule: r.name,
            at: at.to_owned(),
            detail,
        });
    }

    fn operations(&mut self, old: &Value, new: &Value) {
        let ops = |doc: &Value| -> BTreeMap<String, Value> {
            let mut out = BTreeMap::new();
            if let Some(Value::Object(paths)) = doc.get("paths") {
                for (path, item) in paths {
                    for method in METHODS {
                        if let Some(op) = item.get(*method) {
                            out.insert(format!("{} {path}", method.to_uppercase()), op.clone());
                        }
                    }
                }
            }
            out
        };
        let (a, b) = (ops(old), ops(new));
        for (key, op) in &a {
            match b.get(key) {
                None => self.push("operation-removed", Side::Both, key, String::new()),
                Some(other) => self.operation(op, other, key),
            }
        }
        for key in b.keys().filter(|k| !a.contains_key(*k)) {
            self.push("operation-added", Side::Both, key, String::new());
        }
    }

    fn operation(&mut self, old: &Value, new: &Value, at: &str) {
        let params = |op: &Value| -> BTreeMap<String, Value> {
            op.get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|p| {
                    let name = p.get("name")?.as_str()?;
                    let location = p.get("in").and_then(Value::as_str).unwrap_or("query");
                    Some((format!("{location} parameter `{name}`"), p.clone()))
                })
                .collect()
        };
        let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
        let (pa, pb) = (params(old), params(new));
        for (name, p) in &pa {
            let here = format!("{at} ({name})");
            match pb.get(name) {
                None => self.push("parameter-removed", Side::Request, &here, String::new()),
                Some(q) => {
                    match (required(p), required(q)) {
                        (false, true) => self.push(
                            "parameter-became-required",
                            Side::Request,
                            &here,
                            String::new(),
                        ),
                        (true, false) => self.push(
                            "parameter-became-optional",
                            Side::Request,
                            &here,
                            String::new(),
                        ),
                        _ => {}
                    }
                    let (sa, sb) = (
                        p.get("schema").cloned().unwrap_or_default(),
                        q.get("schema").cloned().unwrap_or_default(),
                    );
                    self.schema(&sa, &sb, &here, Side::Request, 0);
                }
            }
        }
        for (name, q) in pb.iter().filter(|(n, _)| !pa.contains_key(*n)) {
            let rule = if required(q) {
                "parameter-added-required"
            } else {
                "parameter-added"
            };
            self.push(
                rule,
                Side::Request,
                &format!("{at} ({name})"),
                String::new(),
            );
        }
        let body = |op: &Value, ptr: &str| op.pointer(ptr).cloned();
        let request_ptr = "/requestBody/content/application~1json/schema";
        self.body(
            body(old, request_ptr),
            body(new, request_ptr),
            &format!("{at} request body"),
            Side::Request,
        );
        let statuses = |op: &Value| -> BTreeSet<String> {
            op.get("responses")
                .and_then(Value::as_object)
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default()
        };
        for status in statuses(old).union(&statuses(new)) {
            let ptr = format!("/responses/{status}/content/application~1json/schema");
            self.body(
                body(old, &ptr),
                body(new, &ptr),
                &format!("{at} response {status}"),
                Side::Response,
            );
        }
    }

    fn body(&mut self, old: Option<Value>, new: Option<Value>, at: &str, side: Side) {
        match (old, new) {
            (Some(a), Some(b)) => self.schema(&a, &b, at, side, 0),
            (Some(_), None) => self.push("body-removed", side, at, String::new()),
            (None, Some(_)) => self.push("body-added", side, at, String::new()),
            (None, None) => {}
        }
    }

    /// Compares two (normalized) schemas at `at`.
    fn schema(&mut self, old: &Value, new: &Value, at: &str, side: Side, depth: usize) {
        if depth > MAX_DEPTH || old == new {
            return;
        }
        let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
        match (nullable(old), nullable(new)) {
            (false, true) => self.push("became-nullable", side, at, String::new()),
            (true, false) => self.push("became-non-nullable", side, at, String::new()),
            _ => {}
        }
        // Nullability is compared; below it is not seen again (a nullable reference is
        // `allOf [$ref X]`, which stands for the reference).
        let (old, new) = (without_nullable(old), without_nullable(new));
        // References: the same component is compared once, under its own name; different
        // components (or a reference against an inline schema) by what they describe, so
        // that moving an inline enum into a named schema is no change on the wire.
        match (ref_name(&old), ref_name(&new)) {
            (Some(x), Some(y)) if x == y => return,
            (None, None) => {}
            (x, y) => {
                let pair = (x.clone().unwrap_or_default(), y.clone().unwrap_or_default());
                if !self.visiting.insert(pair.clone()) {
                    return;
                }
                let a = x.and_then(|n| self.old_schemas.get(&n).map(|v| (*v).clone()));
                let b = y.and_then(|n| self.new_schemas.get(&n).map(|v| (*v).clone()));
                let (a, b) = (a.unwrap_or(old), b.unwrap_or(new));
                self.schema(&a, &b, at, side, depth + 1);
                self.visiting.remove(&pair);
                return;
            }
        }
        let (ta, tb) = (json_type(&old), json_type(&new));
        if ta != tb {
            let rule = match (ta.as_deref(), tb.as_deref()) {
                (Some("integer"), Some("number")) | (Some(_), None) => "type-widened",
                (Some("number"), Some("integer")) | (None, Some(_)) => "type-narrowed",
                // `X` → a union with an `X` branch (Anthropic `container`: a string, then
                // a string or an object), and back.
                (Some(t), _) if union_has_type(&new, t) => "type-widened",
                (_, Some(t)) if union_has_type(&old, t) => "type-narrowed",
                _ => "type-changed",
            };
            self.push(
                rule,
                side,
                at,
                format!("{} → {}", describe(&old), describe(&new)),
            );
            if rule == "type-changed" {
                return;
            }
        }
        let (fa, fb) = (old.get("format"), new.get("format"));
        if fa != fb {
            self.push(
                "format-changed",
                side,
                at,
                format!("{} → {}", show(fa), show(fb)),
            );
        }
        self.enums(&old, &new, at, side);
        self.constraints(&old, &new, at, side);
        self.properties(&old, &new, at, side, depth);
        if let (Some(a), Some(b)) = (old.get("items"), new.get("items")) {
            self.schema(a, b, &format!("{at}[]"), side, depth + 1);
        }
        match (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            (Some(a), Some(b)) if a.is_object() && b.is_object() => {
                self.schema(a, b, &format!("{at}{{}}"), side, depth + 1)
            }
            _ => {}
        }
        self.unions(&old, &new, at, side, depth);
    }

    fn enums(&mut self, old: &Value, new: &Value, at: &str, side: Side) {
        let values =
            |s: &Value| -> Option<Vec<Value>> { s.get("enum").and_then(Value::as_array).cloned() };
        let (Some(a), Some(b)) = (values(old), values(new)) else {
            return;
        };
        // An open enum (a free `string` branch beside the listed values) takes any string.
        let open = |s: &Value| s.get(crate::normalize::OPEN_ENUM_MARKER).is_some();
        let (added, removed) = if open(old) && open(new) {
            ("open-enum-value-added", "open-enum-value-removed")
        } else {
            ("enum-value-added", "enum-value-removed")
        };
        for v in a.iter().filter(|v| !b.contains(v)) {
            self.push(removed, side, at, v.to_string());
        }
        for v in b.iter().filter(|v| !a.contains(v)) {
            self.push(added, side, at, v.to_string());
        }
    }

    fn constraints(&mut self, old: &Value, new: &Value, at: &str, side: Side) {
        /// Whether a bigger value of the keyword allows fewer instances.
        const LOWER_BOUNDS: &[&str] = &[
            "minimum",
            "exclusiveMinimum",
            "minLength",
            "minItems",
            "minProperties",
        ];
        const UPPER_BOUNDS: &[&str] = &[
            "maximum",
            "exclusiveMaximum",
            "maxLength",
            "maxItems",
            "maxProperties",
        ];
        for key in crate::normalize::CONSTRAINTS {
            let (a, b) = (bound(old.get(*key)), bound(new.get(*key)));
            if a == b {
                continue;
            }
            let detail = format!("{key}: {} → {}", show(a), show(b));
            if *key == "default" {
                self.push("default-changed", side, at, detail);
                continue;
            }
            let tightened = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(x), Some(y)) => match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) if LOWER_BOUNDS.contains(key) => y > x,
                    (Some(x), Some(y)) if UPPER_BOUNDS.contains(key) => y < x,
                    _ if *key == "uniqueItems" => y == &Value::Bool(true),
                    // A changed pattern or multipleOf may reject what passed.
                    _ => true,
                },
                (None, None) => continue,
            };
            let rule = if tightened {
                "constraint-tightened"
            } else {
                "constraint-loosened"
            };
            self.push(rule, side, at, detail);
        }
    }

    /// Properties (and the required set) of an object schema, its `allOf` members'
    /// included: inline members, and referenced members that the other version does not
    /// also reference (a shared base reports its own changes under its own name).
    fn effective(
        &self,
        s: &Value,
        schemas: &BTreeMap<String, &Value>,
        shared: &BTreeSet<String>,
        depth: usize,
    ) -> (serde_json::Map<String, Value>, BTreeSet<String>) {
        let mut props = serde_json::Map::new();
        let mut required = BTreeSet::new();
        if depth > 8 {
            return (props, required);
        }
        for m in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let member = match ref_name(m) {
                Some(name) if shared.contains(&name) => continue,
                Some(name) => match schemas.get(&name) {
                    Some(v) => (*v).clone(),
                    None => continue,
                },
                None => m.clone(),
            };
            let (p, r) = self.effective(&member, schemas, shared, depth + 1);
            props.extend(p);
            required.extend(r);
        }
        if let Some(Value::Object(own)) = s.get("properties") {
            props.extend(own.clone());
        }
        if let Some(Value::Array(r)) = s.get("required") {
            required.extend(r.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        (props, required)
    }

    fn properties(&mut self, old: &Value, new: &Value, at: &str, side: Side, depth: usize) {
        let member_refs = |s: &Value| -> BTreeSet<String> {
            s.get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(ref_name)
                .collect()
        };
        let shared: BTreeSet<String> = member_refs(old)
            .intersection(&member_refs(new))
            .cloned()
            .collect();
        let (pa, ra) = self.effective(old, &self.old_schemas, &shared, 0);
        let (pb, rb) = self.effective(new, &self.new_schemas, &shared, 0);
        for (name, a) in &pa {
            let here = format!("{at}.{name}");
            match pb.get(name) {
                None => self.push("property-removed", side, &here, String::new()),
                Some(b) => {
                    match (ra.contains(name), rb.contains(name)) {
                        (false, true) => self.push("required-added", side, &here, String::new()),
                        (true, false) => self.push("required-removed", side, &here, String::new()),
                        _ => {}
                    }
                    self.schema(a, b, &here, side, depth + 1);
                }
            }
        }
        for (name, b) in pb.iter().filter(|(n, _)| !pa.contains_key(*n)) {
            let rule = if rb.contains(name) {
                "property-added-required"
            } else {
                "property-added"
            };
            self.push(rule, side, &format!("{at}.{name}"), describe(b));
        }
    }

    fn unions(&mut self, old: &Value, new: &Value, at: &str, side: Side, depth: usize) {
        let branches = |s: &Value| -> Vec<(String, Value)> {
            s.get("oneOf")
                .and_then(Value::as_array)
                .map(|bs| {
                    bs.iter()
                        .enumerate()
                        .map(|(i, b)| (branch_identity(b, i), b.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ba, bb) = (branches(old), branches(new));
        // A value that became a union (or stopped being one) is a type change, reported.
        if ba.is_empty() || bb.is_empty() {
            return;
        }
        let tag = |s: &Value| s.pointer("/discriminator/propertyName").cloned();
        if tag(old) != tag(new) {
            self.push(
                "discriminator-changed",
                side,
                at,
                format!("{} → {}", show(tag(old).as_ref()), show(tag(new).as_ref())),
            );
        }
        // A union with a free `string` branch is an open enum: its listed values are hints.
        let open = |bs: &[(String, Value)]| {
            bs.iter()
                .any(|(_, b)| json_type(b).as_deref() == Some("string") && b.get("enum").is_none())
        };
        let listed = |b: &Value| b.get("enum").is_some();
        for (id, a) in &ba {
            match bb.iter().find(|(other, _)| other == id) {
                None if listed(a) && open(&bb) => {
                    self.push("open-enum-value-removed", side, at, id.clone())
                }
                None => self.push("variant-removed", side, at, id.clone()),
                Some((_, b)) => self.schema(a, b, &format!("{at}|{id}"), side, depth + 1),
            }
        }
        for (id, b) in bb.iter().filter(|(id, _)| !ba.iter().any(|(o, _)| o == id)) {
            let rule = if listed(b) && open(&ba) {
                "open-enum-value-added"
            } else {
                "variant-added"
            };
            self.push(rule, side, at, id.clone());
        }
    }
}

/// `s` without its nullability, `allOf [$ref X]` as the reference.
fn without_nullable(s: &Value) -> Value {
    let mut s = single_all_of(s).unwrap_or_else(|| s.clone());
    if let Some(o) = s.as_object_mut() {
        o.remove("nullable");
        if o.get("description").and_then(Value::as_str) == Some(crate::normalize::NULLABLE_MARKER) {
            o.remove("description");
        }
    }
    s
}

fn ref_name(s: &Value) -> Option<String> {
    let r = s.get("$ref")?.as_str()?;
    Some(r.rsplit('/').next().unwrap_or(r).to_owned())
}

/// `{allOf: [X]}` with nothing else that shapes the value → X.
fn single_all_of(s: &Value) -> Option<Value> {
    let o = s.as_object()?;
    let [only] = o.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    o.keys()
        .all(|k| matches!(k.as_str(), "allOf" | "nullable" | "description"))
        .then(|| only.clone())
}

/// The JSON type a normalized schema says (`number` for the `serde_json::Number` mapping);
/// `None` for any value or a composition.
fn json_type(s: &Value) -> Option<String> {
    if s.get("x-rust-type").is_some() {
        return Some("number".into());
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        return Some(t.to_owned());
    }
    let has = |k: &str| s.get(k).is_some();
    if has("properties") || has("allOf") {
        return Some("object".into());
    }
    if has("oneOf") || has("enum") {
        // A composition or enum: its own comparison speaks of it.
        return Some("composite".into());
    }
    None
}

/// A constraint value; a bound at the int64 extremes (OpenAI's `seed`) is the type's own
/// range, no bound.
fn bound(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.as_f64().is_some_and(|x| x.abs() >= 9.2e18))
}

/// Whether `s` is a union with a branch of JSON type `t`.
fn union_has_type(s: &Value, t: &str) -> bool {
    s.get("oneOf")
        .and_then(Value::as_array)
        .is_some_and(|bs| bs.iter().any(|b| json_type(b).as_deref() == Some(t)))
}

/// How a union branch is recognized across versions: the schema it references, its
/// constant tag, or its JSON type.
fn branch_identity(b: &Value, i: usize) -> String {
    if let Some(r) = ref_name(b) {
        return r;
    }
    if let Some(Value::Array(v)) = b.pointer("/properties/type/enum")
        && let [Value::String(tag)] = v.as_slice()
    {
        return format!("type={tag}");
    }
    if let Some(Value::Array(v)) = b.get("enum")
        && let [value] = v.as_slice()
    {
        return value.to_string();
    }
    match json_type(b) {
        Some(t) if t != "composite" => t,
        _ => format!("#{i}"),
    }
}

fn describe(s: &Value) -> String {
    if let Some(r) = ref_name(s) {
        return r;
    }
    if let Some(inner) = single_all_of(s) {
        return describe(&inner);
    }
    match json_type(s) {
        Some(t) if t == "array" => format!(
            "array of {}",
            s.get("items").map(describe).unwrap_or_else(|| "any".into())
        ),
        Some(t) => t,
        None => "any".into(),
    }
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Output.

/// The report as text for a terminal.
pub fn text(report: &Report) -> String {
    let mut out = format!(
        "spec-diff {}: {} → {} (scope: {})\n  {} breaking, {} absorbed by forward-compatibility, {} non-breaking\n",
        report.provider,
        report.old,
        report.new,
        scope_label(report.scope),
        report.summary.breaking,
        report.summary.absorbed,
        report.summary.non_breaking
    );
    for kind in [Kind::Breaking, Kind::Absorbed, Kind::NonBreaking] {
        let of_kind: Vec<&Change> = report.changes.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({})\n",
            kind.label().to_uppercase(),
            of_kind.len()
        ));
        for c in of_kind {
            if c.detail.is_empty() {
                out.push_str(&format!("  {:<26} {}\n", c.rule, c.at));
            } else {
                out.push_str(&format!("  {:<26} {}  [{}]\n", c.rule, c.at, c.detail));
            }
        }
    }
    out
}

/// The report as Markdown, for a pull-request comment.
pub fn markdown(report: &Report) -> String {
    let mut out = format!(
        "### spec-diff `{}`: `{}` → `{}`\n\nScope: {}.\n\n| breaking | absorbed by forward-compatibility | non-breaking |\n|---:|---:|---:|\n| {} | {} | {} |\n",
        report.provider,
        report.old,
        report.new,
        scope_label(report.scope),
        report.summary.breaking,
        report.summary.absorbed,
        report.summary.non_breaking
    );
    for kind in [Kind::Breaking, Kind::Absorbed, Kind::NonBreaking] {
        let of_kind: Vec<&Change> = report.changes.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let open = if kind == Kind::Breaking { " open" } else { "" };
        out.push_str(&format!(
            "\n<details{open}><summary><b>{}</b> ({})</summary>\n\n| rule | where | detail |\n|---|---|---|\n",
            kind.label(),
            of_kind.len()
        ));
        for c in of_kind {
            out.push_str(&format!(
                "| `{}` | `{}` | {} |\n",
                c.rule,
                c.at.replace('|', "\\|"),
                c.detail.replace('|', "\\|")
            ));
        }
        out.push_str("\n</details>\n");
    }
    out
}

/// The report as JSON (stable field names: `provider`, `old`, `new`, `scope`, `summary`
/// {`breaking`, `absorbed`, `non_breaking`}, `changes` [{`kind`, `rule`, `at`, `detail`}]).
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

fn scope_label(scope: &str) -> &'static str {
    if scope == "all" {
        "the whole spec"
    } else {
        "the operations and schemas the crate is generated from"
    }
}
