//! Ways to change a JSON document that a reader may meet (escapes, duplicate keys,
//! values of other types, fields added and removed), for the tests that hold a fast path
//! to the general path on documents it was not written for.

use serde_json::{Map, Value, json};

/// JSON text with every `e` and `"` in strings (keys too) written as `\u` escapes.
pub fn escaped(v: &Value) -> String {
    fn string(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                'e' | 'E' | '"' | 'é' => out.push_str(&format!("\\u{:04x}", c as u32)),
                _ => {
                    let one = serde_json::to_string(&c.to_string()).expect("json");
                    out.push_str(&one[1..one.len() - 1]);
                }
            }
        }
        out.push('"');
    }
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => string(s, out),
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, out);
                }
                out.push(']');
            }
            Value::Object(m) => {
                out.push('{');
                for (i, (k, x)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(k, out);
                    out.push(':');
                    write(x, out);
                }
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// `f` applied to every object, depth first.
pub fn each_object(v: &mut Value, f: &impl Fn(&mut Map<String, Value>)) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(|x| each_object(x, f));
            f(m);
        }
        Value::Array(a) => a.iter_mut().for_each(|x| each_object(x, f)),
        _ => {}
    }
}

/// JSON pointers to every object of `v`.
pub fn objects(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(at.clone());
            for (k, x) in m {
                objects(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| objects(x, format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// JSON pointers to every scalar of `v`.
pub fn leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            leaves(
                x,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(x, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

/// `v` as JSON text, with the object at pointer `at` given `key` a second time, as `dup`,
/// after its own members (what `Value` cannot hold).
pub fn with_duplicate(v: &Value, at: &str, key: &str, dup: &Value) -> String {
    fn write(v: &Value, here: &str, at: &str, key: &str, dup: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                out.push('{');
                for (i, (k, x)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).expect("json"));
                    out.push(':');
                    let path = format!("{here}/{}", k.replace('~', "~0").replace('/', "~1"));
                    write(x, &path, at, key, dup, out);
                }
                if here == at {
                    out.push_str(&format!(
                        ",{}:{dup}",
                        serde_json::to_string(key).expect("json")
                    ));
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(x, &format!("{here}/{i}"), at, key, dup, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(v, "", at, key, dup, &mut out);
    out
}

/// A document's variants, as (what changed, text): each scalar replaced (`replacements`),
/// each field removed, each field given twice (as `null`, as a string), the `additions`
/// added to each object without them.
pub fn variants(
    data: &Value,
    replacements: impl Fn(&Value) -> Vec<Value>,
    additions: &[(&str, Value)],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut paths = Vec::new();
    leaves(data, String::new(), &mut paths);
    for path in &paths {
        for r in replacements(data.pointer(path).expect("leaf")) {
            let mut v = data.clone();
            *v.pointer_mut(path).expect("leaf") = r.clone();
            out.push((format!("{path} = {r}"), v.to_string()));
        }
    }
    // Every container on the way to a leaf.
    let mut containers = vec![String::new()];
    for p in &paths {
        let mut at = p.as_str();
        while let Some(cut) = at.rfind('/') {
            at = &at[..cut];
            containers.push(at.to_owned());
        }
    }
    containers.sort();
    containers.dedup();
    for at in &containers {
        let Some(Value::Object(m)) = data.pointer(at) else {
            continue;
        };
        for key in m.keys() {
            let mut v = data.clone();
            if let Some(m) = v.pointer_mut(at).and_then(Value::as_object_mut) {
                m.shift_remove(key);
            }
            out.push((format!("{at}/{key} removed"), v.to_string()));
            for dup in [json!(null), json!("ZZ")] {
                out.push((
                    format!("{at}/{key} again as {dup}"),
                    with_duplicate(data, at, key, &dup),
                ));
            }
        }
        for (key, value) in additions {
            if m.contains_key(*key) {
                continue;
            }
            let mut v = data.clone();
            if let Some(m) = v.pointer_mut(at).and_then(Value::as_object_mut) {
                m.insert((*key).into(), value.clone());
            }
            out.push((format!("{at}/{key} + {value}"), v.to_string()));
        }
    }
    out
}

/// `v` with every object's keys in reverse order, as text.
pub fn reversed_keys(v: &Value) -> String {
    let mut reversed = v.clone();
    each_object(&mut reversed, &|m| {
        let entries: Vec<_> = std::mem::take(m).into_iter().rev().collect();
        m.extend(entries);
    });
    reversed.to_string()
}

/// `v` with every integer in an object written as a float (`1` as `1.0`), as text.
pub fn integers_as_floats(v: &Value) -> String {
    let mut floats = v.clone();
    each_object(&mut floats, &|m| {
        for x in m.values_mut() {
            if let Some(n) = x.as_i64() {
                *x = json!(n as f64);
            }
        }
    });
    floats.to_string()
}

/// `run` over `jobs` on every core; the results in the jobs' order.
pub fn in_parallel<J: Sync, R: Send>(jobs: &[J], run: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = jobs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|jobs| scope.spawn(|| jobs.iter().map(&run).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("no panic"))
            .collect()
    })
}
