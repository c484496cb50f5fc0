//! Property test: JSON instances generated at random from the *normalized* schemas (what
//! the generated code was made from) round-trip through the generated types for every
//! schema. Case count per provider: `AIGW_PROPTEST_CASES` (default 4000); seed:
//! `AIGW_PROPTEST_SEED` (default fixed, so a failure reproduces).

use aigw_conformance::generate::Generator;
use aigw_conformance::{PROVIDERS, check_understood};
use xtask::select::providers;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn generated_instances_round_trip() {
    let cases = env_u64("AIGW_PROPTEST_CASES", 4000) as usize;
    let seed = env_u64("AIGW_PROPTEST_SEED", 0x5eed_a16e);
    let mut failures = Vec::new();
    for provider in PROVIDERS {
        let p = providers()
            .into_iter()
            .find(|p| p.name == *provider)
            .expect("provider");
        let (_, normalized) = xtask::codegen::normalized(&p).expect("normalize");
        let schemas: Vec<&String> = normalized.origins.keys().collect();
        let mut generator = Generator::new(&normalized.doc, seed).expect("schemas");
        let mut ran = 0;
        for i in 0..cases {
            let schema = schemas[i % schemas.len()];
            let Some(instance) = generator.instance_of(schema) else {
                continue;
            };
            ran += 1;
            if let Err(why) = check_understood(provider, schema, &instance) {
                failures.push(format!(
                    "{provider} {schema} case {i}: {why}\n    instance: {instance}"
                ));
            }
        }
        println!(
            "{provider}: {ran} generated instances over {} schemas (seed {seed:#x})",
            schemas.len()
        );
    }
    for f in failures.iter().take(20) {
        println!("  FAILED {f}");
    }
    assert!(
        failures.is_empty(),
        "{} generated instances do not round-trip",
        failures.len()
    );
}
