//! A schema-driven JSON instance generator over the *normalized* schemas (the ones the
//! generated code was made from): random but valid instances, for the property test.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

/// Generates instances of component schemas of one normalized document.
pub struct Generator<'a> {
    schemas: &'a Map<String, Value>,
    rng: SmallRng,
    max_depth: usize,
    nulls: bool,
}

impl<'a> Generator<'a> {
    /// A generator over `doc`'s `components.schemas`, seeded for repeatability.
    pub fn new(doc: &'a Value, seed: u64) -> Option<Self> {
        Some(Self {
            schemas: doc.pointer("/components/schemas")?.as_object()?,
            rng: SmallRng::seed_from_u64(seed),
            max_depth: 6,
            nulls: true,
        })
    }

    /// A generator that never writes `null` for a nullable value (for checks against a
    /// validator that does not read the 3.0 `nullable` keyword).
    pub fn without_nulls(mut self) -> Self {
        self.nulls = false;
        self
    }

    /// One instance of the component `name`.
    pub fn instance_of(&mut self, name: &str) -> Option<Value> {
        let schema = self.schemas.get(name)?.clone();
        Some(self.value_for(&schema, 0))
    }

    fn value_for(&mut self, schema: &Value, depth: usize) -> Value {
        let Some(o) = schema.as_object() else {
            return self.any(depth);
        };
        if self.nulls && o.get("nullable") == Some(&Value::Bool(true)) && self.rng.random_bool(0.15)
        {
            return Value::Null;
        }
        if let Some(Value::String(r)) = o.get("$ref") {
            let name = r.rsplit('/').next().unwrap_or(r);
            let target = self.schemas.get(name).cloned().unwrap_or(json!({}));
            return self.value_for(&target, depth + 1);
        }
        if let Some(Value::Array(all)) = o.get("allOf") {
            if let Some(props) = self.merged_properties(all, o) {
                let mut required = Map::new();
                required.insert(
                    "required".into(),
                    Value::Array(self.merged_required(all, o)),
                );
                return self.object(&props, &required, depth);
            }
            let mut merged = Map::new();
            let mut last = None;
            for branch in all.clone() {
                match self.value_for(&branch, depth) {
                    Value::Object(m) => merged.extend(m),
                    other => last = Some(other),
                }
            }
            if let Some(Value::Object(props)) = o.get("properties") {
                let own = self.object(props, o, depth);
                if let Value::Object(m) = own {
                    merged.extend(m);
                }
            }
            return match last {
                // A branch that is not an object (a string, an array, a `null`) is the value.
                Some(other) if merged.is_empty() => other,
                _ => Value::Object(merged),
            };
        }
        if let Some(Value::Array(one)) = o.get("oneOf") {
            if one.is_empty() {
                return self.any(depth);
            }
            let pick = one[self.rng.random_range(0..one.len())].clone();
            return self.value_for(&pick, depth);
        }
        if let Some(Value::Array(values)) = o.get("enum")
            && !values.is_empty()
        {
            return values[self.rng.random_range(0..values.len())].clone();
        }
        if o.contains_key("x-rust-type") {
            let (lo, hi) = (
                o.get("minimum").and_then(Value::as_f64),
                o.get("maximum").and_then(Value::as_f64),
            );
            if lo.is_some() || hi.is_some() {
                let (lo, hi) = (lo.unwrap_or(-10.0), hi.unwrap_or(10.0));
                return json!(self.rng.random_range(lo..=hi.max(lo)));
            }
            return self.number();
        }
        let bound = |k: &str| o.get(k).and_then(Value::as_f64);
        match o.get("type").and_then(Value::as_str) {
            Some("string") => {
                let s = self.string();
                // Honour a minimum length where the schema has one (constrained documents).
                match o.get("minLength").and_then(Value::as_u64) {
                    Some(min) if s.as_str().is_some_and(|t| (t.chars().count() as u64) < min) => {
                        json!("x".repeat(min as usize))
                    }
                    _ => s,
                }
            }
            Some("integer") if bound("minimum").is_some() || bound("maximum").is_some() => {
                let lo = bound("minimum").unwrap_or(-1000.0).max(-1e9) as i64;
                let hi = bound("maximum").unwrap_or(100_000.0).min(1e9) as i64;
                json!(self.rng.random_range(lo..=hi.max(lo)))
            }
            Some("integer") => json!(self.rng.random_range(-1000i64..100_000)),
            Some("boolean") => json!(self.rng.random_bool(0.5)),
            Some("array") => {
                let min = o.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                if depth >= self.max_depth && min == 0 {
                    return json!([]);
                }
                let items = o.get("items").cloned().unwrap_or(json!({}));
                let max = o
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(min.max(2), |m| m as usize);
                let n = self.rng.random_range(min..=max.max(min));
                Value::Array((0..n).map(|_| self.value_for(&items, depth + 1)).collect())
            }
            Some("object") | None if o.contains_key("properties") => {
                let props = o["properties"].as_object().cloned().unwrap_or_default();
                self.object(&props, o, depth)
            }
            Some("object") => {
                let mut m = Map::new();
                if depth < self.max_depth
                    && let Some(ap) = o.get("additionalProperties").cloned()
                {
                    for i in 0..self.rng.random_range(0..3) {
                        m.insert(format!("k{i}"), self.value_for(&ap, depth + 1));
                    }
                }
                Value::Object(m)
            }
            _ => self.any(depth),
        }
    }

    /// The properties of an `allOf` of object schemas, merged as the intersection reads
    /// them: a property defined twice takes the later definition (two enums: the values
    /// both allow), nullable only if every
    /// definition is.
    fn merged_properties(
        &self,
        all: &[Value],
        own: &Map<String, Value>,
    ) -> Option<Map<String, Value>> {
        let mut props = Map::new();
        for branch in all {
            let mut b = branch;
            while let Some(Value::String(r)) = b.get("$ref") {
                b = self.schemas.get(r.rsplit('/').next().unwrap_or(r))?;
            }
            let o = b.as_object()?;
            if let Some(Value::Array(nested)) = o.get("allOf") {
                self.merge_into(&mut props, self.merged_properties(nested, o)?);
            } else if o.get("type").and_then(Value::as_str) == Some("object")
                || o.contains_key("properties")
            {
                self.merge_into(
                    &mut props,
                    o.get("properties")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default(),
                );
            } else {
                return None;
            }
        }
        self.merge_into(
            &mut props,
            own.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        );
        Some(props)
    }

    /// The `required` names of an `allOf`'s branches and its own.
    fn merged_required(&self, all: &[Value], own: &Map<String, Value>) -> Vec<Value> {
        let mut names: Vec<Value> = Vec::new();
        for branch in all {
            let mut b = branch;
            while let Some(Value::String(r)) = b.get("$ref") {
                match self.schemas.get(r.rsplit('/').next().unwrap_or(r)) {
                    Some(target) => b = target,
                    None => break,
                }
            }
            if let Some(o) = b.as_object() {
                match o.get("allOf") {
                    Some(Value::Array(nested)) => names.extend(self.merged_required(nested, o)),
                    _ => names.extend(required_of(o)),
                }
            }
        }
        names.extend(required_of(own));
        let mut unique = Vec::new();
        for n in names {
            if !unique.contains(&n) {
                unique.push(n);
            }
        }
        unique
    }

    fn merge_into(&self, props: &mut Map<String, Value>, more: Map<String, Value>) {
        for (name, mut schema) in more {
            let earlier_forbids_null = props
                .get(&name)
                .is_some_and(|s| s.get("nullable") != Some(&Value::Bool(true)));
            if earlier_forbids_null && let Some(o) = schema.as_object_mut() {
                o.remove("nullable");
            }
            // Two enums: only the values both allow.
            if let (Some(a), Some(b)) = (
                props.get(&name).and_then(|s| self.enum_values(s)),
                self.enum_values(&schema),
            ) {
                let both: Vec<Value> = b.into_iter().filter(|v| a.contains(v)).collect();
                if !both.is_empty() {
                    schema = json!({"type": "string", "enum": both});
                }
            }
            props.insert(name, schema);
        }
    }

    /// The values of an enum schema (through `$ref`s).
    fn enum_values(&self, schema: &Value) -> Option<Vec<Value>> {
        self.resolve(schema).get("enum")?.as_array().cloned()
    }

    /// `schema` with its `$ref`s followed.
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        let mut s = schema;
        for _ in 0..8 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.schemas.get(r.rsplit('/').next().unwrap_or(r)) {
                    Some(target) => s = target,
                    None => break,
                },
                None => break,
            }
        }
        s
    }

    fn object(
        &mut self,
        props: &Map<String, Value>,
        o: &Map<String, Value>,
        depth: usize,
    ) -> Value {
        let required: Vec<&str> = o
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut m = Map::new();
        for (name, schema) in props {
            // Servers always write their tags, so an instance carries them; the normalized
            // schemas no longer say `required`.
            let needed = required.contains(&name.as_str()) || self.is_tag(name, schema);
            if needed || (depth < self.max_depth && self.rng.random_bool(0.5)) {
                m.insert(name.clone(), self.value_for(schema, depth + 1));
            }
        }
        Value::Object(m)
    }

    /// Whether the property `name` with `schema` is a tag the server always writes: a
    /// constant (`object: "response"`), or a `type` enum (a union's discriminator).
    fn is_tag(&self, name: &str, schema: &Value) -> bool {
        self.enum_values(schema)
            .is_some_and(|values| values.len() == 1 || name == "type")
    }

    fn string(&mut self) -> Value {
        const WORDS: &[&str] = &["hello", "", "ünïcødé ✓", "line\nbreak", "42", "a\"quote"];
        json!(WORDS[self.rng.random_range(0..WORDS.len())])
    }

    fn number(&mut self) -> Value {
        if self.rng.random_bool(0.5) {
            json!(self.rng.random_range(-5i64..5))
        } else {
            json!(self.rng.random_range(-10.0f64..10.0))
        }
    }

    fn any(&mut self, depth: usize) -> Value {
        match self.rng.random_range(0..5) {
            0 => Value::Null,
            1 => self.string(),
            2 => self.number(),
            3 if depth < self.max_depth => json!({"k": self.string()}),
            _ => json!([1, "x"]),
        }
    }
}

/// A schema's own `required` names.
fn required_of(o: &Map<String, Value>) -> Vec<Value> {
    o.get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}
