//! Post-pass snapshots: each small spec under `tests/postpass/<case>.json` goes through the
//! whole pipeline (normalize, progenitor, post-pass, prettyplease) and must give exactly
//! `tests/postpass/<case>.rs`. `AIGW_UPDATE_SNAPSHOTS=1` rewrites the snapshots; review
//! the diff. The snapshots are also compiled below and their behaviour asserted, so a
//! snapshot is never accepted just because it was written.

use std::path::Path;

use serde_json::{Value, json};
use xtask::select::{Provider, normalize_spec};
use xtask::specs::SpecFormat;

fn generate(case: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/postpass");
    let text = std::fs::read_to_string(dir.join(format!("{case}.json"))).expect("case spec");
    let spec: Value = serde_json::from_str(&text).expect("case spec is JSON");
    let roots: Vec<String> = spec["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .cloned()
        .collect();
    let provider = Provider {
        name: "case",
        crate_name: "case",
        title: "Case",
        operations: vec![],
        roots,
        overlay: None,
    };
    let normalized =
        normalize_spec(&provider, &spec, SpecFormat::OpenapiJson, None).expect("normalize");
    let (types, _) = xtask::generate::post_passed(&provider, &normalized).expect("generate");
    xtask::postpass::format(&types)
}

fn snapshot(case: &str) {
    let got = generate(case);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/postpass/{case}.rs"));
    if std::env::var_os("AIGW_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &got).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{} is stale: rerun with AIGW_UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

#[test]
fn records_snapshot() {
    snapshot("records");
}

#[test]
fn unions_snapshot() {
    snapshot("unions");
}

#[allow(dead_code, clippy::all)]
#[rustfmt::skip]
mod records {
    include!("postpass/records.rs");
}

#[allow(dead_code, clippy::all)]
#[rustfmt::skip]
mod unions {
    include!("postpass/unions.rs");
}

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(v.clone()).expect("deserializes");
    let back = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(&back, v, "round-trip");
    (typed, back)
}

#[test]
fn structs_keep_unknown_fields_nulls_and_empty_arrays() {
    let doc = json!({"id": "r1", "kind": "alpha", "object": "record", "note": null, "tags": [],
                     "score": 1.0, "count": null, "meta": {"a": "b"}, "new_field": {"x": [1]}});
    let (r, _) = roundtrip::<records::Record>(&doc);
    assert_eq!(r.note, Some(None), "null is kept apart from absent");
    assert_eq!(r.count, Some(None));
    assert_eq!(r.tags, Some(vec![]), "a present [] is kept");
    assert_eq!(r.extra.get("new_field"), Some(&json!({"x": [1]})));
    assert_eq!(
        r.score.map(|n| n.to_string()),
        Some("1.0".into()),
        "1.0 stays 1.0"
    );
    let (r, _) = roundtrip::<records::Record>(&json!({"id": "r2"}));
    assert_eq!((r.note, r.tags, r.kind), (None, None, None), "all optional");
}

#[test]
fn enums_keep_unknown_values() {
    let (r, _) = roundtrip::<records::Record>(&json!({"kind": "gamma", "object": "record.v2"}));
    assert_eq!(r.kind, Some(records::Kind::Unknown("gamma".into())));
    assert_eq!(r.kind.as_ref().map(|k| k.as_str()), Some("gamma"));
    let (r, _) = roundtrip::<records::Record>(&json!({"kind": "beta"}));
    assert_eq!(r.kind, Some(records::Kind::Beta));
}

#[test]
fn recursive_nullable_parent() {
    let doc = json!({"id": "c", "parent": {"id": "p", "parent": null}});
    let (r, _) = roundtrip::<records::Record>(&doc);
    let parent = r.parent.flatten().expect("parent");
    assert_eq!(parent.id.as_deref(), Some("p"));
    assert_eq!(parent.parent, Some(None));
}

#[test]
fn unions_dispatch_on_tags_shared_tags_and_member_unions() {
    use unions::{InputItem, Item};
    let cases = [
        (
            json!({"type": "message", "role": "system", "content": "s"}),
            "InputMessage",
        ),
        (
            json!({"type": "message", "role": "assistant", "id": "m", "content": [{"type": "text", "text": "t"}]}),
            "OutputMessage",
        ),
        (
            json!({"type": "function_call", "name": "f", "arguments": "{}"}),
            "FunctionCall",
        ),
        (
            json!({"type": "web_search_2025_08_26", "query": "q"}),
            "WebSearch",
        ),
        (json!({"type": "code_run", "code": "print(1)"}), "Unknown"),
    ];
    for (doc, want) in cases {
        let (item, _) = roundtrip::<Item>(&doc);
        let got = match &item {
            Item::InputMessage(_) => "InputMessage",
            Item::OutputMessage(_) => "OutputMessage",
            Item::FunctionCall(_) => "FunctionCall",
            Item::WebSearch(_) => "WebSearch",
            Item::Unknown(_) => "Unknown",
        };
        assert_eq!(got, want, "{doc}");
    }
    // A union of unions: the member union's tags route through it.
    let (item, _) = roundtrip::<InputItem>(&json!({"type": "function_call", "name": "f"}));
    assert!(
        matches!(item, InputItem::Item(Item::FunctionCall(_))),
        "{item:?}"
    );
    // No tag at all: the variant that reads it back exactly.
    let (item, _) = roundtrip::<InputItem>(&json!({"role": "user", "content": "hi"}));
    assert!(matches!(item, InputItem::EasyMessage(_)), "{item:?}");
    // A known tag whose body no longer fits (a type changed upstream) is kept whole.
    let (item, _) = roundtrip::<Item>(&json!({"type": "function_call", "name": 7}));
    assert!(matches!(item, Item::Unknown(_)), "{item:?}");
}

#[test]
fn untagged_unions_tell_json_kinds_apart() {
    use unions::Content;
    let (c, _) = roundtrip::<Content>(&json!("plain"));
    assert!(matches!(c, Content::String(_)), "{c:?}");
    let (c, _) = roundtrip::<Content>(
        &json!([{"type": "text", "text": "t"}, {"type": "image", "url": "u"}]),
    );
    assert!(matches!(c, Content::Array(_)), "{c:?}");
    let (c, _) = roundtrip::<Content>(&json!(42));
    assert!(matches!(c, Content::Unknown(_)), "{c:?}");
}

/// A generated type's `UnknownFields::unknown_fields`.
type Walk<T> = fn(&T, &mut String, &mut dyn FnMut(&str));

/// The pointers `UnknownFields` finds in `T` read from `doc` (fields first, then the
/// struct's own unknown keys).
fn unknown_in<T: serde::de::DeserializeOwned>(doc: &Value, walk: Walk<T>) -> Vec<String> {
    let typed: T = serde_json::from_value(doc.clone()).expect("deserializes");
    let mut found = Vec::new();
    let mut at = String::from("/at");
    walk(&typed, &mut at, &mut |p| found.push(p.to_owned()));
    assert_eq!(at, "/at", "the pointer is as it was");
    found
}

#[test]
fn unknown_fields_are_found_anywhere_with_their_pointers() {
    use records::UnknownFields as _;
    let doc = json!({"id": "c", "new": 1, "a/b~c": 2,
                     "parent": {"id": "p", "deeper": true, "parent": {"id": "q", "x": null}}});
    assert_eq!(
        unknown_in::<records::Record>(&doc, records::Record::unknown_fields),
        [
            "/at/parent/parent/x",
            "/at/parent/deeper",
            "/at/new",
            "/at/a~1b~0c"
        ]
    );
    assert!(
        unknown_in::<records::Record>(
            &json!({"id": "k", "meta": {"free": "form"}}),
            records::Record::unknown_fields
        )
        .is_empty(),
        "keys of a map the schema allows are not unknown"
    );
    // Through unions: the variant held, its list items, an unknown tag kept whole.
    use unions::UnknownFields as _;
    let item = json!({"type": "message", "role": "assistant", "id": "m", "shade": 1,
                      "content": [{"type": "text", "text": "t"}, {"type": "text", "text": "u", "lang": "en"}]});
    assert_eq!(
        unknown_in::<unions::Item>(&item, unions::Item::unknown_fields),
        ["/at/content/1/lang", "/at/shade"]
    );
    assert!(
        unknown_in::<unions::Item>(
            &json!({"type": "code_run", "code": "x"}),
            unions::Item::unknown_fields
        )
        .is_empty(),
        "an unknown variant is kept whole, not walked"
    );
}
