//! Every JSON example the pinned specs hold for the selected operations (request,
//! response, stream events) and for every generated schema round-trips through the
//! generated types to an equal JSON value. The examples are read from the spec at test
//! time; none is committed.

use aigw_conformance::{PROVIDERS, check, check_understood};
use xtask::examples::Example;
use xtask::select::providers;

/// The examples of `provider`'s pinned spec that have a generated type, and the example
/// texts that are not JSON.
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
    let (mut found, mut skipped) = xtask::examples::collect(&p, &spec);
    found.retain(|e| normalized.origins.contains_key(&e.schema));
    let selected = |at: &str| {
        at.strip_prefix("/components/schemas/")
            .and_then(|rest| rest.split('/').next())
            .is_none_or(|name| normalized.origins.contains_key(name))
    };
    skipped.retain(|s| selected(s));
    (found, skipped)
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
        let mut outside_schema = Vec::new();
        for ex in &examples {
            match check(provider, &ex.schema, &ex.value) {
                Ok(_) => {
                    passed += 1;
                    if let Err(why) = check_understood(provider, &ex.schema, &ex.value) {
                        outside_schema.push(format!("{} as {}: {why}", ex.pointer, ex.schema));
                    }
                }
                Err(why) => {
                    failures.push(format!("{provider} {} as {}: {why}", ex.pointer, ex.schema))
                }
            }
        }
        println!(
            "{provider}: {passed} of {} examples round-trip; {} of them hold something their \
             schema does not name (kept by the catch-alls)",
            examples.len(),
            outside_schema.len()
        );
        for o in &outside_schema {
            println!("  outside the schema: {o}");
        }
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
