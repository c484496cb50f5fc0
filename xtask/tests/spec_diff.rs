//! spec-diff: one or more cases per rule on small spec pairs of our own
//! (`tests/spec_diff/rules.json`), the real history in `../shared/specs/*/history/`
//! against the pinned specs, the self-diff and mirror properties, bad inputs, and the CLI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use xtask::diff::{self, Change, Input, Options, RULES};
use xtask::select::Provider;
use xtask::specs::SpecFormat;

fn test_provider() -> Provider {
    Provider {
        name: "t",
        crate_name: "t",
        title: "T",
        operations: vec![],
        roots: vec![],
        overlay: None,
    }
}

fn default_paths() -> Value {
    json!({"/things": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resp"}}}}}
    }}})
}

fn mini_spec(schemas: &Value, paths: Option<&Value>) -> Input {
    Input {
        label: "case".into(),
        value: json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": paths.cloned().unwrap_or_else(default_paths),
            "components": {"schemas": schemas},
        }),
        format: SpecFormat::OpenapiJson,
        provider: None,
    }
}

fn line(c: &Change) -> String {
    let kind = serde_json::to_value(c.kind).expect("kind");
    format!("{} {} {}", kind.as_str().unwrap_or("?"), c.rule, c.at)
}

#[test]
fn every_rule_has_a_case_and_every_case_holds() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec_diff/rules.json");
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("cases")).expect("JSON");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["rule"].as_str().expect("rule");
        let old = mini_spec(&case["old"], case.get("old_paths"));
        let new = mini_spec(&case["new"], case.get("new_paths"));
        let changes = diff::changes_between(&old, &new, &test_provider(), None, true)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut got: Vec<String> = changes.iter().map(line).collect();
        let mut want: Vec<String> = case["expect"]
            .as_array()
            .expect("expect")
            .iter()
            .map(|v| v.as_str().expect("string").to_owned())
            .collect();
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{name}:\n    want {want:?}\n    got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in RULES {
        assert!(
            cases.iter().any(|c| c["rule"]
                .as_str()
                .is_some_and(|r| r.split(' ').next() == Some(rule.name))),
            "rule {} has no case in rules.json",
            rule.name
        );
    }
}

fn shared(rel: &str) -> String {
    let mirror = std::env::var_os(xtask::specs::MIRROR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(xtask::specs::mirror_dir);
    mirror.join(rel).display().to_string()
}

fn report(old: &str, new: &str) -> diff::Report {
    let (a, b) = (diff::load(old).expect("old"), diff::load(new).expect("new"));
    diff::diff(&a, &b, &Options::default()).expect("diff")
}

fn has(r: &diff::Report, kind: &str, rule: &str, at: &str) -> bool {
    r.changes
        .iter()
        .any(|c| line(c) == format!("{kind} {rule} {at}"))
}

fn counts(r: &diff::Report) -> (usize, usize, usize) {
    (
        r.summary.breaking,
        r.summary.absorbed,
        r.summary.non_breaking,
    )
}

#[test]
fn openai_2025_02_to_2025_04_adds_the_responses_api() {
    let r = report(
        &shared("openai/history/openapi-2025-02-10-a173760.yaml"),
        &shared("openai/history/openapi-2025-04-29-498c71d.yaml"),
    );
    println!("{}", diff::text(&r));
    for op in [
        "POST /responses",
        "GET /responses/{response_id}",
        "DELETE /responses/{response_id}",
        "GET /responses/{response_id}/input_items",
    ] {
        assert!(has(&r, "non-breaking", "operation-added", op), "{op}");
    }
    assert!(has(
        &r,
        "non-breaking",
        "schema-added",
        "ResponseStreamEvent"
    ));
    assert!(has(&r, "non-breaking", "schema-added", "Response"));
    // What the diff calls breaking, by name: a schema the crate carried is gone, and the
    // request's `stop` gained a default.
    let breaking: Vec<String> = r
        .changes
        .iter()
        .filter(|c| c.kind == diff::Kind::Breaking)
        .map(line)
        .collect();
    assert_eq!(
        breaking,
        vec![
            "breaking default-changed CreateChatCompletionRequest.stop|string",
            "breaking schema-removed ChatCompletionModalities",
        ]
    );
    assert_eq!(counts(&r), (2, 9, 159));
}

#[test]
fn openai_2026_05_to_pinned_is_mostly_additive() {
    let r = report(
        &shared("openai/history/openapi-2026-05-13-5162af9.yaml"),
        "openai",
    );
    println!("{}", diff::text(&r));
    // New response enum values are absorbed (open enums), never "breaking".
    assert!(has(&r, "absorbed", "enum-value-added", "ResponseErrorCode"));
    assert!(has(&r, "absorbed", "enum-value-added", "ServiceTier"));
    assert!(
        !r.changes
            .iter()
            .any(|c| c.rule == "enum-value-added" && c.kind == diff::Kind::Breaking)
    );
    // Additive Responses and chat-chunk changes.
    assert!(has(
        &r,
        "absorbed",
        "property-added",
        "ApplyPatchToolCall.caller"
    ));
    assert!(
        r.changes
            .iter()
            .any(|c| c.rule == "variant-added" && c.at == "ResponseStreamEvent"),
        "new stream events"
    );
    // The breaking ones, each a real change: properties moved out of the shared bases
    // into `Response` itself, and MCP call errors became objects.
    assert!(has(
        &r,
        "breaking",
        "property-removed",
        "ModelResponseProperties.service_tier"
    ));
    assert!(has(&r, "breaking", "type-changed", "MCPToolCall.error"));
    assert_eq!(counts(&r), (7, 91, 72));
}

#[test]
fn anthropic_2026_07_to_pinned() {
    let r = report(
        &shared("anthropic/history/anthropic-openapi-2026-07-08.json"),
        "anthropic",
    );
    println!("{}", diff::text(&r));
    assert!(has(&r, "breaking", "variant-removed", "InputContentBlock"));
    assert!(has(&r, "absorbed", "enum-value-added", "StopReason"));
    // Model ids are an open enum: a new id is no break, a dropped id neither.
    assert!(has(&r, "non-breaking", "open-enum-value-added", "Model"));
    assert!(has(&r, "non-breaking", "open-enum-value-removed", "Model"));
    assert_eq!(counts(&r), (2, 4, 82));
}

#[test]
fn gemini_rev20260522_to_pinned() {
    let r = report(
        &shared("gemini/history/discovery-rev20260522.json"),
        "gemini",
    );
    println!("{}", diff::text(&r));
    assert!(has(
        &r,
        "absorbed",
        "enum-value-added",
        "Candidate.finishReason"
    ));
    assert!(has(
        &r,
        "absorbed",
        "property-added",
        "Part.mediaProcessing"
    ));
    assert!(has(
        &r,
        "non-breaking",
        "property-added",
        "GenerationConfig.translationConfig"
    ));
    assert_eq!(counts(&r), (0, 4, 13));
}

#[test]
fn a_spec_against_itself_is_empty() {
    for provider in ["openai", "anthropic", "gemini"] {
        let spec = diff::load(provider).expect("pinned");
        let r = diff::diff(&spec, &spec, &Options::default()).expect("diff");
        assert!(r.changes.is_empty(), "{provider}: {:?}", r.changes.first());
        let all = diff::diff(
            &spec,
            &spec,
            &Options {
                all: true,
                ..Options::default()
            },
        )
        .expect("diff --all");
        assert!(all.changes.is_empty(), "{provider} --all");
    }
}

/// The rule a change has seen from the other direction.
fn mirrored(rule: &str) -> String {
    let swaps = [
        ("-added-required", "-removed"),
        ("-added", "-removed"),
        ("-removed", "-added"),
        ("widened", "narrowed"),
        ("narrowed", "widened"),
        ("became-nullable", "became-non-nullable"),
        ("became-non-nullable", "became-nullable"),
        ("became-required", "became-optional"),
        ("became-optional", "became-required"),
        ("tightened", "loosened"),
        ("loosened", "tightened"),
    ];
    for (from, to) in swaps {
        if let Some(stem) = rule.strip_suffix(from) {
            return format!("{stem}{to}");
        }
    }
    rule.to_owned()
}

fn multiset(changes: &[Change], mirror: bool) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for c in changes {
        // A newly required addition mirrors a removal; compare both as additions.
        let rule = c.rule.replace("-added-required", "-added");
        let rule = if mirror { mirrored(&rule) } else { rule };
        *out.entry((rule, c.at.clone())).or_insert(0) += 1;
    }
    out
}

#[test]
fn a_to_b_and_b_to_a_are_mirror_images() {
    for (old, new) in [
        (
            shared("openai/history/openapi-2026-05-13-5162af9.yaml"),
            "openai".to_owned(),
        ),
        (
            shared("anthropic/history/anthropic-openapi-2026-07-08.json"),
            "anthropic".to_owned(),
        ),
        (
            shared("gemini/history/discovery-rev20260522.json"),
            "gemini".to_owned(),
        ),
    ] {
        let (a, b) = (report(&old, &new), report(&new, &old));
        assert!(!a.changes.is_empty());
        assert_eq!(
            multiset(&a.changes, false),
            multiset(&b.changes, true),
            "{old} ↔ {new}"
        );
    }
}

#[test]
fn bad_inputs_are_clear_errors() {
    let openapi = diff::load("openai").expect("pinned");
    let discovery = diff::load("gemini").expect("pinned");
    let e = diff::diff(&openapi, &discovery, &Options::default()).expect_err("mismatch");
    assert!(
        e.to_string()
            .contains("both must be OpenAPI or both Google Discovery"),
        "{e}"
    );

    let e = diff::load(&format!("{}/Cargo.toml", env!("CARGO_MANIFEST_DIR"))).expect_err("toml");
    assert!(
        e.to_string()
            .contains("is not an OpenAPI document or a Google Discovery document"),
        "{e}"
    );

    let dir = std::env::temp_dir().join(format!("aigw-spec-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let not_spec = dir.join("data.json");
    std::fs::write(&not_spec, r#"{"hello": "world"}"#).expect("write");
    let e = diff::load(&not_spec.display().to_string()).expect_err("not a spec");
    assert!(e.to_string().contains("not an OpenAPI document"), "{e}");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"openapi": "3.1.0", "paths": {"#).expect("write");
    let e = diff::load(&broken.display().to_string()).expect_err("malformed");
    assert!(e.to_string().contains("broken.json"), "{e}");

    let e = diff::load("no/such/file.yaml").expect_err("missing");
    assert!(e.to_string().contains("no/such/file.yaml"), "{e}");

    let anthropic = diff::load("anthropic").expect("pinned");
    let e = diff::diff(&openapi, &anthropic, &Options::default()).expect_err("providers");
    assert!(e.to_string().contains("is for openai but"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask")
}

#[test]
fn cli_formats_and_exit_codes() {
    let old = shared("anthropic/history/anthropic-openapi-2026-07-08.json");
    let out = xtask(&[
        "spec-diff",
        &old,
        "anthropic",
        "--format",
        "json",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(out.status.code(), Some(1), "breaking changes fail the gate");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    for field in ["provider", "old", "new", "scope", "summary", "changes"] {
        assert!(report.get(field).is_some(), "{field}");
    }
    assert_eq!(report["summary"]["breaking"], 2);
    assert_eq!(report["changes"][0]["kind"], "breaking");
    for field in ["kind", "rule", "at", "detail"] {
        assert!(report["changes"][0].get(field).is_some(), "{field}");
    }

    let gemini_old = shared("gemini/history/discovery-rev20260522.json");
    let out = xtask(&["spec-diff", &gemini_old, "gemini", "--fail-on", "breaking"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "no breaking change passes the gate"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("0 breaking, 4 absorbed"), "{text}");
    let out = xtask(&["spec-diff", &gemini_old, "gemini", "--fail-on", "any"]);
    assert_eq!(out.status.code(), Some(1));

    let out = xtask(&["spec-diff", &gemini_old, "gemini", "--format", "markdown"]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("| breaking | absorbed by forward-compatibility | non-breaking |"),
        "{md}"
    );
    assert!(md.contains("`enum-value-added`"), "{md}");

    let out = xtask(&["spec-diff", "openai", "gemini"]);
    assert_eq!(out.status.code(), Some(2), "errors exit 2");
    assert!(String::from_utf8_lossy(&out.stderr).contains("both must be OpenAPI"));

    let out = xtask(&["spec-diff-rules"]);
    let rules = String::from_utf8_lossy(&out.stdout);
    assert_eq!(rules.lines().count(), RULES.len());
}

/// A copy of the workspace's pins and generated/ in a temp dir, for jobs that write.
fn scratch_tree(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aigw-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = xtask::specs::workspace_root();
    for rel in ["generated/anthropic/src", "specs"] {
        std::fs::create_dir_all(dir.join(rel)).expect("dir");
    }
    std::fs::copy(root.join("specs/pins.toml"), dir.join("specs/pins.toml")).expect("pins");
    for entry in std::fs::read_dir(root.join("generated/anthropic/src")).expect("generated") {
        let entry = entry.expect("entry");
        std::fs::copy(
            entry.path(),
            dir.join("generated/anthropic/src").join(entry.file_name()),
        )
        .expect("copy");
    }
    std::fs::copy(
        root.join("generated/anthropic/Cargo.toml"),
        dir.join("generated/anthropic/Cargo.toml"),
    )
    .expect("Cargo.toml");
    dir
}

#[test]
fn spec_update_reports_regenerates_and_moves_the_pin() {
    let dir = scratch_tree("spec-update");
    let pins = dir.join("specs/pins.toml");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .env(xtask::specs::PINS_ENV, &pins)
            .env(xtask::specs::CACHE_ENV, dir.join("cache"))
            .output()
            .expect("run xtask")
    };
    let root = dir.display().to_string();

    // The pinned file itself: nothing to do.
    let pinned = shared("anthropic/openapi.json");
    let out = run(&[
        "spec-update",
        "anthropic",
        "--from",
        &pinned,
        "--root",
        &root,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("anthropic: up to date"));

    // Another revision: the report, then the generated-code change, nothing written yet.
    let other = shared("anthropic/history/anthropic-openapi-2026-07-08.json");
    let before =
        std::fs::read_to_string(dir.join("generated/anthropic/src/types.rs")).expect("types");
    let out = run(&[
        "spec-update",
        "anthropic",
        "--from",
        &other,
        "--root",
        &root,
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("spec-diff anthropic"), "{text}");
    assert!(text.contains("regenerated from"), "{text}");
    assert!(
        text.contains("generated/anthropic/src/types.rs +"),
        "{text}"
    );
    assert_eq!(
        before,
        std::fs::read_to_string(dir.join("generated/anthropic/src/types.rs")).expect("types")
    );

    // --write: the pin moves to the new sha256 and generated/ is rewritten.
    let out = run(&[
        "spec-update",
        "anthropic",
        "--from",
        &other,
        "--root",
        &root,
        "--write",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let moved = std::fs::read_to_string(&pins).expect("pins");
    assert!(moved.contains("83476c2e0dcdcb7de761e8f5e358f16f801ba5431dcfab436fb9a4dbd53ccd55"));
    assert!(
        moved.contains("latest = "),
        "comments and other keys are kept"
    );
    assert_ne!(
        before,
        std::fs::read_to_string(dir.join("generated/anthropic/src/types.rs")).expect("types")
    );

    // A revision the generator cannot take is a clear error naming what is wrong: Gemini
    // revision 20260522 references a `MediaResolution` schema it never defines.
    let gemini_old = shared("gemini/history/discovery-rev20260522.json");
    let out = run(&[
        "spec-update",
        "gemini",
        "--from",
        &gemini_old,
        "--root",
        &root,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`MediaResolution` is referenced but not defined"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn stats_file_names_the_spec_url() {
    let stats = "configured_endpoints: 26\nopenapi_spec_url: https://storage.googleapis.com/x/anthropic-abc.yml\nopenapi_spec_hash: abc\n";
    assert_eq!(
        xtask::update::spec_url_in_stats(stats).as_deref(),
        Some("https://storage.googleapis.com/x/anthropic-abc.yml")
    );
    assert_eq!(
        xtask::update::spec_url_in_stats("configured_endpoints: 1\n"),
        None
    );
}

#[test]
fn contributing_documents_every_rule() {
    let text = std::fs::read_to_string(xtask::specs::workspace_root().join("CONTRIBUTING.md"))
        .expect("CONTRIBUTING.md");
    for rule in RULES {
        assert!(
            text.contains(&format!("| `{}` |", rule.name)),
            "{}",
            rule.name
        );
    }
}
