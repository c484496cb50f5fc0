//! The official client SDKs (`openai`, `anthropic`, `google-genai` from PyPI, pinned in
//! `tests/sdk/requirements.txt`) drive the gateway unmodified: each script in `tests/sdk/`
//! runs its checks (every surface, streaming and not, tool calls, errors) against a gateway
//! on loopback in front of the mock upstreams, and prints `ok <check>` or `FAIL <check>`.
//!
//! The Python interpreter is `$AIGW_PYTHON`, else `.venv/bin/python` at the workspace root
//! (`.ci/run` creates it; see README). Without one the test fails, saying how to make it.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("AIGW_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = workspace().join(".venv/bin/python");
    assert!(
        venv.exists(),
        "the SDK tests need Python with the official SDKs: run\n  python3 -m venv .venv && .venv/bin/pip install -r tests/sdk/requirements.txt\n(or set AIGW_PYTHON)"
    );
    venv
}

/// Runs `script` against a fresh bench; returns the checks that passed. Fails the test on
/// any failed check or a non-zero exit.
async fn run_script(script: &str, extra_env: &[(&str, &str)]) -> Vec<String> {
    run_checks(script, extra_env, &[]).await
}

/// A gateway with a gateway key, for the scripts.
async fn keyed_bench() -> Bench {
    let base = BASE_TOML.replace("[server]", "[server]\ngateway_keys_env = [\"GATEWAY_KEY\"]");
    Bench::start_with(&base, "").await
}

/// Runs the named checks of `script` (all when empty).
async fn run_checks(script: &str, extra_env: &[(&str, &str)], checks: &[&str]) -> Vec<String> {
    run_checks_on(&keyed_bench().await, script, extra_env, checks).await
}

/// Runs the named checks of `script` against the gateway of `b`.
async fn run_checks_on(
    b: &Bench,
    script: &str,
    extra_env: &[(&str, &str)],
    checks: &[&str],
) -> Vec<String> {
    let mut cmd = Command::new(python());
    cmd.arg(workspace().join("tests/sdk").join(script))
        .args(checks)
        .env("AIGW_BASE", format!("http://{}", b.addr))
        .env("AIGW_KEY", GATEWAY_KEY)
        .env_remove("OPENAI_API_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("GEMINI_API_KEY")
        .env_remove("GOOGLE_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env_remove("ANTHROPIC_BASE_URL");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    let failed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert!(
        out.status.success() && failed.is_empty(),
        "{script}: {} failed\n{stdout}\n{stderr}",
        failed.len()
    );
    let mut passed: Vec<String> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("ok "))
        .map(str::to_owned)
        .collect();
    // The script runs its checks in its own order; callers compare sets.
    if !checks.is_empty() {
        passed.sort();
    }
    assert!(
        !passed.is_empty(),
        "{script} ran no check:\n{stdout}\n{stderr}"
    );
    passed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_sdk() {
    let passed = run_script("openai_sdk.py", &[]).await;
    assert!(passed.len() >= 15, "{passed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_sdk() {
    let passed = run_script("anthropic_sdk.py", &[]).await;
    assert!(passed.len() >= 10, "{passed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn genai_sdk() {
    let passed = run_script("genai_sdk.py", &[]).await;
    assert!(passed.len() >= 10, "{passed:?}");
}

fn sorted(checks: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = checks.iter().map(|c| (*c).to_owned()).collect();
    v.sort();
    v
}

/// The openai SDK's Chat Completions checks, for routes the gateway translates.
const OPENAI_CHAT_CHECKS: [&str; 16] = [
    "chat_text",
    "chat_image",
    "chat_sampling_settings",
    "chat_service_settings",
    "chat_thinking_round_trip",
    "chat_stream_text",
    "chat_tool_call",
    "chat_tool_call_stream_helper",
    "chat_tool_round_trip",
    "chat_tool_round_trip_stream",
    "chat_structured_output_json_schema",
    "chat_structured_output_parse",
    "error_400",
    "error_wrong_key",
    "error_stream_reset",
    "error_rate_limited",
];

/// With a Claude model: translated to the Anthropic mock and back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_sdk_through_anthropic() {
    let passed = run_checks(
        "openai_sdk.py",
        &[
            ("AIGW_OPENAI_MODEL", "claude-sonnet-4-5"),
            ("AIGW_TRANSLATED", "1"),
        ],
        &OPENAI_CHAT_CHECKS,
    )
    .await;
    assert_eq!(passed, sorted(&OPENAI_CHAT_CHECKS));
}

/// The translations of `b`'s gateway that took the fast path, and the others, from its
/// metrics.
fn translations_by_path(b: &Bench) -> (u64, u64) {
    let (mut fast, mut general) = (0, 0);
    for line in b.gw.metrics.render().lines() {
        let Some(rest) = line.strip_prefix("aigw_translations_total{") else {
            continue;
        };
        let n: u64 = rest
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if rest.contains("path=\"fast\"") {
            fast += n;
        } else {
            general += n;
        }
    }
    (fast, general)
}

/// An agent's turns as the SDKs send them (the first with tools, the second with the
/// model's call and its result in the history), translated to another provider, take the
/// request fast path: every translated request of the openai SDK's tool round trips (two
/// rounds each, streamed and not), image, structured-output and settings (a seed, stop
/// sequences, JSON mode; the service settings: `store`, `metadata`, the tier, whom it is
/// for, the cache key) checks through Anthropic and Gemini (its Responses checks' service
/// settings too), of the anthropic SDK's
/// through Chat Completions (an agent's requests shaped as Claude Code's too, `top_k`
/// with stop sequences, and a screenshot in a tool's result, also through the Responses
/// API and a Gemini 3 model) and of google-genai's (typed `Schema` tools) through Anthropic;
/// the anthropic SDK's thinking carried into the next turn through Gemini and the
/// Responses API, google-genai's function round trip with thinking (the thought signature
/// on its call part sent back) through Anthropic and the Responses API, the openai SDK's
/// stateless reasoning round trip on the Responses API through Anthropic and Gemini (its
/// reasoning item sent back with the state the gateway sealed), and its thinking round
/// trip on Chat (`reasoning_effort`, then the model's reasoning sent back in its message
/// as the answer gave it); a PDF by URL from the anthropic, google-genai and Responses
/// checks, each toward two providers that take one; google-genai's image inside a
/// function's result through Anthropic and the Responses API.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sdk_tool_rounds_take_the_translation_fast_path() {
    // With an image and structured output through Chat and Responses, and a conversation
    // with reasoning (its second request sends the model's reasoning back as the answer
    // gave it: `reasoning_content` and signed `thinking_blocks`).
    let checks = [
        "chat_tool_round_trip",
        "chat_tool_round_trip_stream",
        "chat_image",
        "responses_image_input",
        "chat_structured_output_json_schema",
        "chat_structured_output_parse",
        "responses_structured_output_parse",
        "chat_thinking_round_trip",
        "chat_sampling_settings",
        "chat_service_settings",
    ];
    for model in ["claude-sonnet-4-5", "gemini-2.5-flash"] {
        let b = keyed_bench().await;
        let env = [("AIGW_OPENAI_MODEL", model), ("AIGW_TRANSLATED", "1")];
        let passed = run_checks_on(&b, "openai_sdk.py", &env, &checks).await;
        assert_eq!(passed, sorted(&checks));
        // Every request, the thinking round trip's second and the service settings' stream
        // too.
        assert_eq!(translations_by_path(&b), (14, 0), "openai SDK to {model}");
    }
    // The anthropic SDK sends its answer's blocks back as they came: fast too, and so
    // are an agent's requests shaped as Claude Code sends them (system blocks, cache
    // hints, `metadata.user_id`, texts after the results, a screenshot in a result). The
    // google-genai checks declare their tool with a typed `Schema` (Gemini's own schema
    // dialect, `parameters`, and `response_schema` for structured output), which the fast
    // path converts to JSON Schema as the general path does: fast too. Their image and
    // structured-output checks too.
    let sdks = [
        (
            "anthropic_sdk.py",
            "AIGW_ANTHROPIC_MODEL",
            "gpt-4o",
            "tool",
            &[
                "structured_output_parse",
                "agent_cache_hints_round_trip_stream",
                "sampling_settings",
                "tool_result_with_image",
                "tool_use_one_at_a_time",
            ][..],
            (13, 0),
        ),
        (
            "genai_sdk.py",
            "AIGW_GEMINI_MODEL",
            "claude-sonnet-4-5",
            "function",
            &["structured_output_parsed", "structured_output_schema"][..],
            (7, 0),
        ),
    ];
    // The openai SDK's Responses checks: a tool round trip (the first answer's items sent
    // back as they came) is fast, and so is a stateless reasoning round trip
    // (`reasoning`, `store: false`, `include`; its second request sends the reasoning
    // item back, whose state goes back as Anthropic's thinking, Gemini's signature).
    for (model, no_count) in [("claude-sonnet-4-5", "1"), ("gemini-2.5-flash", "0")] {
        let checks = [
            "responses_tool_round_trip",
            "responses_thinking_round_trip",
            "responses_pdf_by_url",
            "responses_service_settings",
        ];
        let b = keyed_bench().await;
        let env = [
            ("AIGW_OPENAI_MODEL", model),
            ("AIGW_TRANSLATED", "1"),
            ("AIGW_NO_REASONING_COUNT", no_count),
        ];
        let passed = run_checks_on(&b, "openai_sdk.py", &env, &checks).await;
        assert_eq!(passed, sorted(&checks));
        // Each request, the service settings' stream too.
        assert_eq!(
            translations_by_path(&b),
            (7, 0),
            "openai SDK's Responses to {model}"
        );
    }
    // Thinking carried into the next turn, with a call and its result too: the signature
    // the gateway sealed goes back as the upstream's own state (a Gemini thought
    // signature, a Responses reasoning item, an Anthropic thinking block), on the fast
    // path: every request. google-genai's too: its whole content sent back (thought parts
    // and the signed part after them), and without its thoughts (the signature alone on
    // the call part, as gemini-cli sends its history back), with a budget, Gemini 3's
    // level, or thoughts not asked for.
    // A PDF by URL beside them, where the upstream takes one (and the anthropic SDK's
    // `disable_parallel_tool_use`, reported toward Gemini), and google-genai's image
    // inside a function's result (`FunctionResponse.parts`), the openai SDK's inside a
    // function's output.
    let anthropic_thinking = [
        "thinking_carried_into_next_turn",
        "thinking_with_tool_round_trip_stream",
        "pdf_by_url",
        "tool_use_one_at_a_time",
    ];
    let genai_thinking = [
        "pdf_by_url",
        "function_response_with_image",
        "thinking_signature_carried_into_next_turn",
        "thinking_function_call_round_trip",
        "thought_signature_function_call_round_trip",
        "thinking_level_function_call_round_trip",
        "thinking_hidden_function_call_round_trip",
    ];
    let carried = [
        (
            "anthropic_sdk.py",
            "AIGW_ANTHROPIC_MODEL",
            "gemini-2.5-flash",
            &anthropic_thinking[..],
            (6, 0),
        ),
        // A screenshot inside a tool's result, where the upstream takes it.
        (
            "anthropic_sdk.py",
            "AIGW_ANTHROPIC_MODEL",
            "gemini-3-pro-preview",
            &["tool_result_with_image"][..],
            (2, 0),
        ),
        (
            "anthropic_sdk.py",
            "AIGW_ANTHROPIC_MODEL",
            "openai-responses/gpt-5",
            &["tool_result_with_image"][..],
            (2, 0),
        ),
        // The openai SDK's screenshot in a function's output (a list of parts): carried
        // to Anthropic and Gemini 3, reported toward Chat.
        (
            "openai_sdk.py",
            "AIGW_OPENAI_MODEL",
            "claude-sonnet-4-5",
            &["responses_tool_output_with_image"][..],
            (2, 0),
        ),
        (
            "openai_sdk.py",
            "AIGW_OPENAI_MODEL",
            "gemini-3-pro-preview",
            &["responses_tool_output_with_image"][..],
            (2, 0),
        ),
        (
            "openai_sdk.py",
            "AIGW_OPENAI_MODEL",
            "chat-only/gpt-4o",
            &["responses_tool_output_with_image"][..],
            (2, 0),
        ),
        (
            "anthropic_sdk.py",
            "AIGW_ANTHROPIC_MODEL",
            "openai-responses/gpt-5",
            &anthropic_thinking[..],
            (6, 0),
        ),
        (
            "genai_sdk.py",
            "AIGW_GEMINI_MODEL",
            "claude-sonnet-4-5",
            &genai_thinking[..],
            (13, 0),
        ),
        (
            "genai_sdk.py",
            "AIGW_GEMINI_MODEL",
            "openai-responses/gpt-5",
            &genai_thinking[..],
            (13, 0),
        ),
    ];
    for (script, key, model, checks, expected) in carried {
        let b = keyed_bench().await;
        let env = [(key, model), ("AIGW_TRANSLATED", "1")];
        let passed = run_checks_on(&b, script, &env, checks).await;
        assert_eq!(passed, sorted(checks));
        assert_eq!(translations_by_path(&b), expected, "{script} to {model}");
    }
    for (script, key, model, kind, more, expected) in sdks {
        let mut checks = vec![
            format!("{kind}_round_trip"),
            format!("{kind}_round_trip_stream"),
            "image_input".to_owned(),
        ];
        checks.extend(more.iter().map(|c| (*c).to_owned()));
        let checks: Vec<&str> = checks.iter().map(String::as_str).collect();
        let b = keyed_bench().await;
        let env = [(key, model), ("AIGW_TRANSLATED", "1")];
        let passed = run_checks_on(&b, script, &env, &checks).await;
        assert_eq!(passed, sorted(&checks));
        assert_eq!(translations_by_path(&b), expected, "{script} to {model}");
    }
}

/// With a Gemini model: translated to the Gemini mock and back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_sdk_through_gemini() {
    let passed = run_checks(
        "openai_sdk.py",
        &[
            ("AIGW_OPENAI_MODEL", "gemini-2.5-flash"),
            ("AIGW_TRANSLATED", "1"),
        ],
        &OPENAI_CHAT_CHECKS,
    )
    .await;
    assert_eq!(passed, sorted(&OPENAI_CHAT_CHECKS));
}

/// The anthropic SDK's Messages checks, for routes the gateway translates.
const ANTHROPIC_CHECKS: [&str; 22] = [
    "messages_text",
    "image_input",
    "pdf_by_url",
    "tool_result_with_image",
    "sampling_settings",
    "structured_output_parse",
    "messages_stream_text",
    "messages_stream_events",
    "tool_use",
    "tool_use_one_at_a_time",
    "service_tier_standard_only",
    "tool_use_stream",
    "tool_round_trip",
    "tool_round_trip_stream",
    "agent_cache_hints_round_trip_stream",
    "error_400",
    "error_unknown_model",
    "error_wrong_key",
    "error_stream_reset",
    "error_stream_reset_raw",
    "error_overloaded",
    "error_rate_limited",
];

/// With an OpenAI model: translated to the OpenAI mock and back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_sdk_through_openai() {
    let passed = run_checks(
        "anthropic_sdk.py",
        &[("AIGW_ANTHROPIC_MODEL", "gpt-4o"), ("AIGW_TRANSLATED", "1")],
        &ANTHROPIC_CHECKS,
    )
    .await;
    assert_eq!(passed, sorted(&ANTHROPIC_CHECKS));
}

/// The google-genai SDK's generateContent checks, for routes the gateway translates
/// (thinking needs an upstream that returns reasoning text; countTokens has no
/// counterpart: both are checked in `translation.rs`).
const GENAI_CHECKS: [&str; 17] = [
    "generate_text",
    "service_tier_flex",
    "image_input",
    "pdf_by_url",
    "function_response_with_image",
    "generate_stream",
    "function_call",
    "function_call_from_python_function",
    "function_round_trip",
    "function_round_trip_stream",
    "structured_output_parsed",
    "structured_output_schema",
    "error_400",
    "error_unknown_model",
    "error_wrong_key",
    "error_stream_reset",
    "error_rate_limited",
];

/// With an OpenAI model: translated to the OpenAI mock and back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn genai_sdk_through_openai() {
    let passed = run_checks(
        "genai_sdk.py",
        &[("AIGW_GEMINI_MODEL", "gpt-4o"), ("AIGW_TRANSLATED", "1")],
        &GENAI_CHECKS,
    )
    .await;
    assert_eq!(passed, sorted(&GENAI_CHECKS));
}

/// With a Gemini model: translated to the Gemini mock and back (thinking included: its
/// signature travels as Gemini's `thoughtSignature`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_sdk_through_gemini() {
    let mut checks = ANTHROPIC_CHECKS.to_vec();
    checks.extend([
        "thinking",
        "thinking_stream",
        "thinking_carried_into_next_turn",
        "thinking_with_tool_round_trip_stream",
    ]);
    let passed = run_checks(
        "anthropic_sdk.py",
        &[
            ("AIGW_ANTHROPIC_MODEL", "gemini-2.5-flash"),
            ("AIGW_TRANSLATED", "1"),
        ],
        &checks,
    )
    .await;
    checks.sort();
    assert_eq!(passed, checks);
}

/// Images inside a tool's result toward a Gemini 3 model, which takes them
/// (`functionResponse.parts`): the anthropic SDK's screenshot result and the openai SDK's
/// function output (Responses) translated, and google-genai's passed through (the Gemini 2.x routes of the other tests report the
/// image lost, or, passed through, get Gemini's refusal).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_inside_results_through_gemini_3() {
    let model = "gemini-3-pro-preview";
    let env = [("AIGW_ANTHROPIC_MODEL", model), ("AIGW_TRANSLATED", "1")];
    let passed = run_checks("anthropic_sdk.py", &env, &["tool_result_with_image"]).await;
    assert_eq!(passed, ["tool_result_with_image"]);
    let env = [("AIGW_GEMINI_MODEL", model)];
    let passed = run_checks("genai_sdk.py", &env, &["function_response_with_image"]).await;
    assert_eq!(passed, ["function_response_with_image"]);
    let env = [("AIGW_OPENAI_MODEL", model), ("AIGW_TRANSLATED", "1")];
    let check = "responses_tool_output_with_image";
    let passed = run_checks("openai_sdk.py", &env, &[check]).await;
    assert_eq!(passed, [check]);
}

/// With a Claude model: translated to the Anthropic mock and back (thinking included: the
/// Anthropic signature travels as Gemini's `thoughtSignature`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn genai_sdk_through_anthropic() {
    let mut checks = GENAI_CHECKS.to_vec();
    checks.extend([
        "thinking",
        "thinking_stream",
        "thinking_signature_carried_into_next_turn",
        "thinking_function_call_round_trip",
        "thought_signature_function_call_round_trip",
        "thinking_hidden_stream",
        "thinking_hidden_function_call_round_trip",
        "thinking_level_function_call_round_trip",
    ]);
    let passed = run_checks(
        "genai_sdk.py",
        &[
            ("AIGW_GEMINI_MODEL", "claude-sonnet-4-5"),
            ("AIGW_TRANSLATED", "1"),
        ],
        &checks,
    )
    .await;
    checks.sort();
    assert_eq!(passed, checks);
}

/// The openai SDK's Responses checks, for routes the gateway translates.
const RESPONSES_CHECKS: [&str; 15] = [
    "responses_text",
    "responses_stream",
    "responses_stream_helper",
    "responses_function_tool",
    "responses_function_tool_stream_helper",
    "responses_tool_round_trip",
    "responses_tool_round_trip_stream",
    "responses_structured_output_parse",
    "responses_image_input",
    "responses_pdf_by_url",
    "responses_tool_output_with_image",
    "responses_service_settings",
    "error_responses_stream_reset",
    "error_responses_rate_limited",
    "error_wrong_key",
];

async fn responses_through(model: &str, extra: &[&'static str], env: &[(&str, &str)]) {
    let mut checks = RESPONSES_CHECKS.to_vec();
    checks.extend(extra);
    let mut vars = vec![("AIGW_OPENAI_MODEL", model), ("AIGW_TRANSLATED", "1")];
    vars.extend(env);
    let passed = run_checks("openai_sdk.py", &vars, &checks).await;
    checks.sort();
    assert_eq!(passed, checks);
}

/// Responses API to a provider that serves only Chat Completions (no reasoning to carry:
/// Chat Completions has none).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_responses_through_chat_only_provider() {
    responses_through("chat-only/gpt-4o", &[], &[]).await;
}

/// Responses API to Anthropic (reasoning items carry the thinking signatures).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_responses_through_anthropic() {
    // Anthropic counts thinking inside its output tokens: no reasoning count to carry.
    responses_through(
        "claude-sonnet-4-5",
        &["responses_thinking_round_trip"],
        &[("AIGW_NO_REASONING_COUNT", "1")],
    )
    .await;
}

/// Responses API to Gemini (reasoning items carry the thought signatures).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_responses_through_gemini() {
    responses_through("gemini-2.5-flash", &["responses_thinking_round_trip"], &[]).await;
}

/// Chat Completions to a provider called through the Responses API (models served only
/// there): translated to the OpenAI mock's `/responses` and back, reasoning included (its
/// encrypted state travels in `thinking_blocks` and the mock verifies it comes back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_sdk_chat_through_responses_api() {
    let passed = run_checks(
        "openai_sdk.py",
        &[
            ("AIGW_OPENAI_MODEL", "openai-responses/gpt-5"),
            ("AIGW_TRANSLATED", "1"),
        ],
        &OPENAI_CHAT_CHECKS,
    )
    .await;
    assert_eq!(passed, sorted(&OPENAI_CHAT_CHECKS));
}

/// Messages to the Responses API: thinking blocks carry the reasoning items.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_sdk_through_responses_api() {
    let mut checks = ANTHROPIC_CHECKS.to_vec();
    checks.extend([
        "thinking",
        "thinking_stream",
        "thinking_carried_into_next_turn",
        "thinking_with_tool_round_trip_stream",
    ]);
    let passed = run_checks(
        "anthropic_sdk.py",
        &[
            ("AIGW_ANTHROPIC_MODEL", "openai-responses/gpt-5"),
            ("AIGW_TRANSLATED", "1"),
            ("AIGW_RESET_AT", "4"),
        ],
        &checks,
    )
    .await;
    checks.sort();
    assert_eq!(passed, checks);
}

/// generateContent to the Responses API: `thoughtSignature` carries the reasoning items.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn genai_sdk_through_responses_api() {
    let mut checks = GENAI_CHECKS.to_vec();
    checks.extend([
        "thinking",
        "thinking_stream",
        "thinking_signature_carried_into_next_turn",
        "thinking_function_call_round_trip",
        "thought_signature_function_call_round_trip",
        "thinking_hidden_stream",
        "thinking_hidden_function_call_round_trip",
        "thinking_level_function_call_round_trip",
    ]);
    let passed = run_checks(
        "genai_sdk.py",
        &[
            ("AIGW_GEMINI_MODEL", "openai-responses/gpt-5"),
            ("AIGW_TRANSLATED", "1"),
        ],
        &checks,
    )
    .await;
    checks.sort();
    assert_eq!(passed, checks);
}
