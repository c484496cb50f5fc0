//! The request fast path (conversations of text, function calls and their results, with
//! or without function tools, written straight to the upstream's bytes) against the
//! general path, on requests it was and was not written for: plain conversations of each
//! caller protocol, ones with tools and a tool choice (whose schemas' values are changed
//! too; Gemini's own schema dialect among them), ones with images (base64 data, texts and
//! images in either order, after a tool's result too), and an agent's later turns (the
//! model's text and calls, their results, a text; Gemini calls with and without ids),
//! rewritten as clients may send them (white space, escapes in strings and keys, reversed
//! keys, odd text, integers as floats, image types and URLs the pairs treat apart, a
//! detail), then each value replaced by values of other types (ids, names, arguments,
//! results, roles), each field removed or given twice, each message removed or repeated,
//! each two neighbours in a list swapped, each list replaced by a string, and fields the
//! fast path must not take added to every object.
//!
//! For every variant and every pair of its caller, the outcome must be the same with the
//! fast path and without: the upstream request (as JSON), its stream switch and losses,
//! or the same error; and then, the request having set the pair's state, the same answer
//! and the same stream for the pair's golden upstream answer.

mod common;

use aigw_translate::{PAIRS, PairOptions};
use common::golden_case;
use common::mutate::{escaped, in_parallel, integers_as_floats, reversed_keys, variants};
use serde_json::{Value, json};

/// Plain conversations in `caller`'s protocol.
fn bases(caller: &str) -> Vec<Value> {
    let sys = "You are brief. Answer in \"plain\" words, é ✓ 😀.";
    let (u1, a1, u2) = ("What is 2+2?\n", "4.", "And 3+3? \\ tab\there");
    match caller {
        "openai" => vec![
            json!({"model": "gpt-caller", "messages": [
                {"role": "system", "content": [{"type": "text", "text": sys}]},
                {"role": "user", "content": [{"type": "text", "text": u1}]},
                {"role": "assistant", "content": [{"type": "text", "text": a1}]},
                {"role": "user", "content": u2}], "stream": true}),
            json!({"model": "gpt-caller", "messages": [
                {"role": "system", "content": sys}, {"role": "user", "content": u1},
                {"role": "assistant", "content": a1}, {"role": "user", "content": u2}],
                "max_completion_tokens": 1024, "temperature": 0.3, "top_p": 1,
                "stream": true, "stream_options": {"include_usage": true}}),
            json!({"model": "gpt-caller", "messages": [{"role": "developer", "content": sys},
                {"role": "user", "content": u1}],
                "max_tokens": 64, "temperature": 0, "stream": false}),
            json!({"model": "gpt-caller", "messages": [
                {"role": "assistant", "content": a1}, {"role": "user", "content": u2},
                {"role": "assistant", "content": a1}], "max_completion_tokens": 20,
                "stop": ["\n\n", "END"]}),
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1}],
                "stop": "STOP"}),
            // Settings only some protocols have, in either order.
            json!({"model": "gpt-caller", "messages": [
                {"role": "system", "content": sys}, {"role": "user", "content": u1},
                {"role": "assistant", "content": a1}, {"role": "user", "content": u2}],
                "seed": 42, "stop": ["END"], "temperature": 0.2}),
            // Defaults some clients give explicitly: one answer, no log probabilities.
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1}],
                "stop": "STOP", "max_tokens": 100, "seed": -7, "n": 1, "logprobs": false}),
            // Penalties, in another order than the pairs report them.
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1},
                {"role": "assistant", "content": a1}, {"role": "user", "content": u2}],
                "presence_penalty": 0.5, "seed": 3, "frequency_penalty": -0.25, "stop": ["END"]}),
        ],
        "anthropic" => vec![
            json!({"model": "claude-caller", "system": [{"type": "text", "text": sys}], "messages": [
                {"role": "user", "content": [{"type": "text", "text": u1}]},
                {"role": "assistant", "content": [{"type": "text", "text": a1}]},
                {"role": "user", "content": u2}], "max_tokens": 512}),
            json!({"model": "claude-caller", "system": sys, "messages": [
                {"role": "user", "content": u1}, {"role": "assistant", "content": a1},
                {"role": "user", "content": u2}],
                "max_tokens": 1024, "temperature": 1, "top_p": 0.9, "stream": true}),
            json!({"model": "claude-caller", "messages": [{"role": "user", "content": u1},
                {"role": "assistant", "content": a1}], "max_tokens": 16, "stream": false,
                "stop_sequences": ["END", "é"]}),
            json!({"model": "claude-caller", "system": sys, "messages": [
                {"role": "user", "content": u1}, {"role": "assistant", "content": a1},
                {"role": "user", "content": u2}],
                "max_tokens": 512, "top_k": 40, "stop_sequences": ["END"]}),
            json!({"model": "claude-caller", "messages": [{"role": "user", "content": u1}],
                "stop_sequences": [], "max_tokens": 64, "top_k": 5, "stream": true}),
        ],
        "gemini" => vec![
            json!({"systemInstruction": {"parts": [{"text": sys}]}, "contents": [
                {"role": "user", "parts": [{"text": u1}]}, {"role": "model", "parts": [{"text": a1}]},
                {"role": "user", "parts": [{"text": u2}]}],
                "generationConfig": {"maxOutputTokens": 1024, "temperature": 0.3, "topP": 1}}),
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}]}),
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
                "generationConfig": {"stopSequences": ["END", "two words"]}}),
            json!({"systemInstruction": {"parts": [{"text": sys}]}, "contents": [
                {"role": "user", "parts": [{"text": u1}]}, {"role": "model", "parts": [{"text": a1}]},
                {"role": "user", "parts": [{"text": u2}]}],
                "generationConfig": {"seed": 42, "topK": 40, "stopSequences": ["END"],
                    "temperature": 0.5}}),
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
                "generationConfig": {"topK": 1, "maxOutputTokens": 64, "seed": -3}}),
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]},
                {"role": "model", "parts": [{"text": a1}]}, {"role": "user", "parts": [{"text": u2}]}],
                "generationConfig": {"frequencyPenalty": 0.25, "presencePenalty": -0.5,
                    "seed": 11, "topK": 8}}),
        ],
        _ => vec![
            json!({"model": "gpt-caller", "input": [
                {"role": "user", "content": [{"type": "input_text", "text": u1}]},
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": a1}]},
                {"role": "user", "content": u2}], "temperature": 0.5}),
            json!({"model": "gpt-caller", "instructions": sys, "input": [
                {"role": "user", "content": u1}, {"type": "message", "role": "assistant", "content": a1},
                {"role": "user", "content": u2}],
                "max_output_tokens": 1024, "temperature": 0.3, "top_p": 1, "stream": true}),
            json!({"model": "gpt-caller", "input": u1, "stream": false}),
            json!({"model": "gpt-caller", "input": u2, "max_output_tokens": 16, "temperature": 1}),
        ],
    }
}

/// Conversations with function tools and a tool choice in `caller`'s protocol (the
/// answers to them are the golden `tools_vision_reasoning` case's, which call tools).
fn tool_bases(caller: &str) -> Vec<Value> {
    let weather = json!({"type": "object", "properties": {
            "city": {"type": "string", "description": "The city, \"quoted\", é ✓ 😀."},
            "days": {"type": "integer", "minimum": 1, "maximum": 16}},
        "required": ["city"], "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#"});
    let empty = json!({"type": "object", "properties": {}});
    let (sys, u1) = ("You call tools.", "Weather in Paris?");
    match caller {
        "openai" => vec![
            json!({"model": "gpt-caller", "messages": [{"role": "system", "content": sys},
                {"role": "user", "content": u1}],
                "tools": [{"type": "function", "function": {"name": "get_weather",
                    "description": "Weather \"now\" ✓.", "parameters": weather}},
                    {"type": "function", "function": {"name": "now-2", "parameters": empty}}],
                "tool_choice": "auto", "stream": true}),
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1}],
                "tools": [{"type": "function", "function": {"name": "get_weather",
                    "parameters": weather}}],
                "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                "max_completion_tokens": 256}),
        ],
        "anthropic" => vec![
            json!({"model": "claude-caller", "system": sys, "messages": [
                {"role": "user", "content": u1}], "max_tokens": 512, "stream": true,
                "tools": [{"name": "get_weather", "description": "Weather \"now\" ✓.",
                    "input_schema": weather}, {"name": "now-2", "input_schema": empty}],
                "tool_choice": {"type": "any"}}),
            json!({"model": "claude-caller", "messages": [{"role": "user", "content": u1}],
                "max_tokens": 512, "tools": [{"name": "get_weather", "input_schema": weather}],
                "tool_choice": {"type": "tool", "name": "get_weather"}}),
        ],
        "gemini" => vec![
            json!({"systemInstruction": {"parts": [{"text": sys}]},
                "contents": [{"role": "user", "parts": [{"text": u1}]}],
                "tools": [{"functionDeclarations": [{"name": "get_weather",
                    "description": "Weather \"now\" ✓.", "parametersJsonSchema": weather}]},
                    {"functionDeclarations": [{"name": "now-2", "parametersJsonSchema": empty}]}],
                "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}}}),
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
                "tools": [{"functionDeclarations": [{"name": "get_weather",
                    "parametersJsonSchema": weather}]}],
                "toolConfig": {"functionCallingConfig": {"mode": "ANY",
                    "allowedFunctionNames": ["get_weather"]}},
                "generationConfig": {"maxOutputTokens": 256}}),
            // Gemini's own schema dialect, as google-genai's typed `Schema` sends it.
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
                "tools": [{"functionDeclarations": [{"name": "get_weather",
                    "description": "Weather \"now\" ✓.", "parameters": {"type": "OBJECT",
                    "properties": {
                        "city": {"type": "STRING", "description": "The city, é ✓ 😀.",
                            "nullable": true},
                        "days": {"type": "INTEGER", "format": "int32", "minimum": 1,
                            "maximum": 16, "default": 3},
                        "unit": {"type": "STRING", "enum": ["C", "F"], "title": "Unit"},
                        "hours": {"type": "ARRAY", "items": {"type": "NUMBER"},
                            "minItems": "1", "maxItems": "24"},
                        "at": {"anyOf": [{"type": "STRING", "pattern": "^[0-9]+$",
                            "maxLength": "8"}, {"type": "NULL"}]},
                        "any": {"type": "TYPE_UNSPECIFIED", "example": {"k": [1, "v"]}}},
                    "required": ["city"], "propertyOrdering": ["city", "days"]}}]}],
                "toolConfig": {"functionCallingConfig": {"mode": "ANY"}}}),
        ],
        _ => vec![
            json!({"model": "gpt-caller", "instructions": sys, "input": u1, "stream": true,
                "tools": [{"type": "function", "name": "get_weather",
                    "description": "Weather \"now\" ✓.", "parameters": weather},
                    {"type": "function", "name": "now-2", "parameters": empty}],
                "tool_choice": "required"}),
            json!({"model": "gpt-caller", "input": [{"role": "user", "content": u1}],
                "tools": [{"type": "function", "name": "get_weather", "parameters": weather}],
                "tool_choice": {"type": "function", "name": "get_weather"}}),
        ],
    }
}

/// Requests with the service settings a Chat or Responses caller may give (where the
/// answer is kept, which tier serves it, whom it is for, how its prompt is cached): a
/// first turn with tools, reasoning asked for, every setting at once (`store: true`, so
/// no encrypted reasoning is asked back toward the Responses API) and a verbosity; a later
/// turn with `store: false`, metadata, a cache key and the default verbosity (beside JSON
/// mode, from Responses callers).
fn service_bases(caller: &str) -> Vec<Value> {
    let metadata = json!({"run": "svc-7", "note": "é \"q\""});
    let (mut first, mut later) = match caller {
        "openai" => (
            tool_bases(caller)[0].clone(),
            history_bases(caller)[1].clone(),
        ),
        "responses" => (
            tool_bases(caller)[1].clone(),
            history_bases(caller)[1].clone(),
        ),
        _ => return Vec::new(),
    };
    first["store"] = json!(true);
    first["metadata"] = metadata.clone();
    first["service_tier"] = json!("flex");
    first["safety_identifier"] = json!("sid-\"1\"");
    first["prompt_cache_key"] = json!("pck-1");
    first["prompt_cache_retention"] = json!("24h");
    if caller == "openai" {
        first["modalities"] = json!(["text"]);
        first["reasoning_effort"] = json!("low");
        first["verbosity"] = json!("low");
        later["verbosity"] = json!("medium");
    } else {
        first["truncation"] = json!("disabled");
        first["max_tool_calls"] = json!(4);
        first["background"] = json!(false);
        first["reasoning"] = json!({"effort": "low"});
        first["text"] = json!({"verbosity": "high"});
        later["text"] = json!({"format": {"type": "json_object"}, "verbosity": "medium"});
    }
    later["store"] = json!(false);
    later["metadata"] = metadata;
    later["prompt_cache_key"] = json!("pck-2");
    // Standard capacity (sent under Anthropic's and Gemini's words), a tier only the
    // Responses API has (reported everywhere); `flex` above goes to Gemini only, the
    // `auto` addition (the default) nowhere, and is no loss.
    later["service_tier"] = json!(if caller == "openai" {
        "default"
    } else {
        "ultrafast"
    });
    vec![first, later]
}

/// An agent's later turns in `caller`'s protocol: the model's calls and their results in
/// the history (the answers to them are the golden `tools_vision_reasoning` case's).
fn history_bases(caller: &str) -> Vec<Value> {
    let tools = tool_bases(caller);
    let with_tools = |i: usize, key: &str, history: Value| {
        let mut v = tools[i].clone();
        v[key] = history;
        v
    };
    let (u1, u2) = ("Weather in Paris?", "Thanks \"plain\"; and Rome? é ✓ 😀");
    let (done, args) = (
        "It rains \"hard\".",
        r#"{"city":"Zürich \"Z\"","days":2.5}"#,
    );
    let rain = "18C, rain ✓ \"wet\"";
    match caller {
        "openai" => vec![
            with_tools(
                0,
                "messages",
                json!([{"role": "system", "content": "You call tools."},
                {"role": "user", "content": u1},
                {"role": "assistant", "content": null, "refusal": null, "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": args}},
                    {"id": "call-2", "type": "function", "function": {"name": "now-2", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": rain},
                {"role": "tool", "tool_call_id": "call-2", "content": "09:00"},
                {"role": "assistant", "content": done}, {"role": "user", "content": u2}]),
            ),
            with_tools(
                1,
                "messages",
                json!([{"role": "user", "content": u1},
                {"role": "assistant", "content": "Checking.", "tool_calls": [
                    {"id": "call_1", "type": "function", "function": {"name": "get_weather",
                        "arguments": "{\"city\": \"Paris\", \"days\": 1}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": rain},
                {"role": "user", "content": u2}]),
            ),
        ],
        "anthropic" => vec![
            with_tools(
                0,
                "messages",
                json!([{"role": "user", "content": u1},
                {"role": "assistant", "content": [{"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather",
                        "input": {"city": "Zürich \"Z\"", "days": 2.50}},
                    {"type": "tool_use", "id": "toolu-2", "name": "now-2", "input": {}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": rain},
                    {"type": "tool_result", "tool_use_id": "toolu-2", "content": "09:00"}]},
                {"role": "assistant", "content": done}, {"role": "user", "content": u2}]),
            ),
            with_tools(
                1,
                "messages",
                json!([{"role": "user", "content": u1},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1",
                    "name": "get_weather", "input": {"city": "Paris", "days": 1}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": rain},
                    {"type": "text", "text": u2}]}]),
            ),
        ],
        "gemini" => vec![
            with_tools(
                0,
                "contents",
                json!([{"role": "user", "parts": [{"text": u1}]},
                {"role": "model", "parts": [{"text": "Checking."},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Zürich \"Z\"", "days": 2.50}}},
                    {"functionCall": {"name": "now-2", "args": {}}}]},
                {"role": "user", "parts": [
                    {"functionResponse": {"name": "get_weather", "response": {"result": rain}}},
                    {"functionResponse": {"name": "now-2", "response": {"output": "09:00"}}}]},
                {"role": "model", "parts": [{"text": done}]},
                {"role": "user", "parts": [{"text": u2}]}]),
            ),
            with_tools(
                1,
                "contents",
                json!([{"role": "user", "parts": [{"text": u1}]},
                {"role": "model", "parts": [{"functionCall": {"id": "call_9", "name": "get_weather",
                    "args": {"city": "Paris", "days": 1}}}]},
                {"role": "user", "parts": [
                    {"functionResponse": {"id": "call_9", "name": "get_weather", "response": {"result": rain}}},
                    {"text": u2}]}]),
            ),
        ],
        _ => vec![
            with_tools(
                0,
                "input",
                json!([{"role": "user", "content": u1},
                {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "get_weather",
                    "arguments": args, "status": "completed"},
                {"type": "function_call", "call_id": "call-2", "name": "now-2", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "call_1", "output": rain},
                {"type": "function_call_output", "call_id": "call-2", "output": "09:00"},
                {"type": "message", "role": "assistant", "content": done},
                {"role": "user", "content": u2}]),
            ),
            with_tools(
                1,
                "input",
                json!([{"role": "user", "content": u1},
                {"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
                    "content": [{"type": "output_text", "text": "Checking.", "annotations": [],
                        "logprobs": []}]},
                {"type": "function_call", "call_id": "call_1", "name": "get_weather",
                    "arguments": "{\"city\": \"Paris\", \"days\": 1}"},
                {"type": "function_call_output", "call_id": "call_1", "output": rain},
                {"role": "user", "content": u2}]),
            ),
        ],
    }
}

/// Conversations with images in the user's turns, in `caller`'s protocol, each with the
/// golden case whose answer follows it: texts and images in either order, and (with the
/// tools of `tool_bases`) an image after a tool's result.
/// An Anthropic caller's later turns whose tool result holds screenshots and PDFs, as
/// Claude Code sends them: base64 images and an untitled PDF (the fast paths take them:
/// Chat's reports them, Gemini's takes them toward a Gemini 3 model), then an error's
/// image by URL, a titled PDF and texts between them and a PDF by URL, and a titled PDF
/// alone (Gemini's go the general way: it reports the title, and media by URL).
fn result_media_bases() -> Vec<Value> {
    let tools = tool_bases("anthropic");
    let image = |media: &str, data: &str| json!({"type": "image", "source": {"type": "base64", "media_type": media, "data": data}});
    let pdf = json!({"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQ="}});
    let text = |t: &str| json!({"type": "text", "text": t});
    let with_result = |content: Value, error: bool| {
        let mut v = tools[1].clone();
        let mut result =
            json!({"type": "tool_result", "tool_use_id": "toolu_1", "content": content});
        if error {
            result["is_error"] = json!(true);
        }
        v["messages"] = json!([{"role": "user", "content": "Screenshot the page."},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1",
                "name": "get_weather", "input": {"city": "Paris"}}]},
            {"role": "user", "content": [result, text("What does it show?")]}]);
        v
    };
    let mut titled = pdf.clone();
    titled["title"] = json!("report \"Q3\" é.pdf");
    vec![
        with_result(
            json!([
                text("Captured \"home\" ✓."),
                image("image/png", "iVBORw0KGgo="),
                pdf,
                image("image/webp", "UklGRg+/")
            ]),
            false,
        ),
        with_result(
            json!([{"type": "image", "source": {"type": "url",
                "url": "https://example.com/shot.png"}},
            text("Captured."), titled.clone(), text("Page 2:"), image("image/gif", "R0lGODlh"),
            {"type": "document", "source": {"type": "url", "url": "https://example.com/reports/q3.pdf"}}]),
            true,
        ),
        with_result(json!([text("The report:"), titled]), false),
    ]
}

fn image_bases(caller: &str) -> Vec<(Value, &'static str)> {
    let (png, jpeg, webp) = ("iVBORw0KGgo=", "/9j/4AAQSkZJRg==", "UklGRg+/");
    let rain = "18C, rain";
    let tools = tool_bases(caller);
    let with_tools = |key: &str, history: Value| {
        let mut v = tools[1].clone();
        v[key] = history;
        v
    };
    let bases = match caller {
        "openai" => {
            let image = |media: &str, data: &str| json!({"type": "image_url", "image_url": {"url": format!("data:{media};base64,{data}")}});
            let text = |t: &str| json!({"type": "text", "text": t});
            [
                json!({"model": "gpt-caller", "messages": [
                    {"role": "system", "content": "You describe images."},
                    {"role": "user", "content": [text("Describe \"it\" ✓."), image("image/png", png)]},
                    {"role": "assistant", "content": "A dot."},
                    {"role": "user", "content": [image("image/jpeg", jpeg), text("And this?"),
                        text("Be brief."), image("image/webp", webp)]}],
                    "max_completion_tokens": 300}),
                with_tools(
                    "messages",
                    json!([{"role": "user", "content": "Weather in Paris?"},
                    {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1",
                        "type": "function", "function": {"name": "get_weather",
                        "arguments": "{\"city\":\"Paris\"}"}}]},
                    {"role": "tool", "tool_call_id": "call_1", "content": rain},
                    {"role": "user", "content": [image("image/gif", "R0lGODlh"), text("Like this?")]}]),
                ),
            ]
        }
        "anthropic" => {
            let image = |media: &str, data: &str| json!({"type": "image", "source": {"type": "base64", "media_type": media, "data": data}});
            let text = |t: &str| json!({"type": "text", "text": t});
            [
                json!({"model": "claude-caller", "system": "You describe images.", "messages": [
                    {"role": "user", "content": [text("Describe \"it\" ✓."), image("image/png", png)]},
                    {"role": "assistant", "content": "A dot."},
                    {"role": "user", "content": [image("image/jpeg", jpeg), text("And this?"),
                        text("Be brief."), image("image/webp", webp)]}],
                    "max_tokens": 300}),
                with_tools(
                    "messages",
                    json!([{"role": "user", "content": "Weather in Paris?"},
                    {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1",
                        "name": "get_weather", "input": {"city": "Paris"}}]},
                    {"role": "user", "content": [
                        {"type": "tool_result", "tool_use_id": "toolu_1", "content": rain},
                        image("image/gif", "R0lGODlh"), text("Like this?")]}]),
                ),
            ]
        }
        "gemini" => {
            let image =
                |media: &str, data: &str| json!({"inlineData": {"mimeType": media, "data": data}});
            let text = |t: &str| json!({"text": t});
            [
                json!({"systemInstruction": {"parts": [{"text": "You describe images."}]}, "contents": [
                    {"role": "user", "parts": [text("Describe \"it\" ✓."), image("image/png", png)]},
                    {"role": "model", "parts": [text("A dot.")]},
                    {"role": "user", "parts": [image("image/jpeg", jpeg), text("And this?"),
                        text("Be brief."), image("image/webp", webp)]}],
                    "generationConfig": {"maxOutputTokens": 300}}),
                with_tools(
                    "contents",
                    json!([{"role": "user", "parts": [text("Weather in Paris?")]},
                    {"role": "model", "parts": [{"functionCall": {"name": "get_weather",
                        "args": {"city": "Paris"}}}]},
                    {"role": "user", "parts": [
                        {"functionResponse": {"name": "get_weather", "response": {"result": rain}}},
                        // As google-genai sends it: the type by its proto name.
                        {"inlineData": {"data": "R0lGODlh", "mime_type": "image/gif"}},
                        text("Like this?")]}]),
                ),
            ]
        }
        _ => {
            let image = |media: &str, data: &str| {
                json!({"type": "input_image", "image_url": format!("data:{media};base64,{data}"),
                    "detail": "auto"})
            };
            let text = |t: &str| json!({"type": "input_text", "text": t});
            [
                json!({"model": "gpt-caller", "instructions": "You describe images.", "input": [
                    {"role": "user", "content": [text("Describe \"it\" ✓."), image("image/png", png)]},
                    {"type": "message", "role": "assistant", "content": "A dot."},
                    {"role": "user", "content": [{"type": "input_image",
                        "image_url": format!("data:image/jpeg;base64,{jpeg}")}, text("And this?"),
                        text("Be brief."), image("image/webp", webp)]}],
                    "max_output_tokens": 300}),
                with_tools(
                    "input",
                    json!([{"role": "user", "content": "Weather in Paris?"},
                    {"type": "function_call", "call_id": "call_1", "name": "get_weather",
                        "arguments": "{\"city\":\"Paris\"}"},
                    {"type": "function_call_output", "call_id": "call_1", "output": rain},
                    {"role": "user", "content": [image("image/gif", "R0lGODlh"), text("Like this?")]}]),
                ),
            ]
        }
    };
    let [plain, after_results] = bases;
    let mut out = vec![
        (plain, "limits_and_errors"),
        (after_results, "tools_vision_reasoning"),
        (url_images(caller), "limits_and_errors"),
        (documents(caller, true), "limits_and_errors"),
    ];
    // (A Gemini caller's documents have no name.)
    if caller != "gemini" {
        out.push((documents(caller, false), "limits_and_errors"));
    }
    // (Chat takes files as data only.)
    if caller != "openai" {
        out.push((url_documents(caller, true), "limits_and_errors"));
    }
    if caller != "openai" && caller != "gemini" {
        out.push((url_documents(caller, false), "limits_and_errors"));
    }
    // Media inside results: an Anthropic caller's, toward a Gemini 3 model, which takes
    // them (the golden case's upstream model), and toward another.
    if caller == "anthropic" {
        for case in ["media_in_results", "tools_vision_reasoning"] {
            out.extend(result_media_bases().into_iter().map(|b| (b, case)));
        }
    }
    // A Gemini caller's: a function response's parts.
    if caller == "gemini" {
        out.extend(
            gemini_result_media_bases()
                .into_iter()
                .map(|b| (b, "media_in_results")),
        );
    }
    // A Responses caller's: a function call output's parts, toward a Gemini 3 model and
    // toward another.
    if caller == "responses" {
        for case in ["media_in_results", "tools_vision_reasoning"] {
            out.extend(
                responses_result_media_bases()
                    .into_iter()
                    .map(|b| (b, case)),
            );
        }
    }
    out
}

/// A Gemini caller's later turns whose function responses hold images and PDFs
/// (`functionResponse.parts` of inline data, as gemini-cli sends a screenshot or a file it
/// read to Gemini 3): a PNG and a PDF (the PDF in the proto spelling google-genai writes),
/// then two responses of which the second holds a WebP, a text after them.
fn gemini_result_media_bases() -> Vec<Value> {
    let tools = tool_bases("gemini");
    let inline = |media: &str, data: &str| json!({"inlineData": {"mimeType": media, "data": data}});
    let with_turns = |user: Value, model: Value| {
        let mut v = tools[0].clone();
        v["contents"] = json!([{"role": "user", "parts": [{"text": "Screenshot the page."}]},
            {"role": "model", "parts": model}, {"role": "user", "parts": user}]);
        v
    };
    let call = |id: Option<&str>, name: &str| {
        let mut f = json!({"name": name, "args": {"city": "Paris"}});
        if let Some(id) = id {
            f["id"] = json!(id);
        }
        json!({"functionCall": f})
    };
    vec![
        with_turns(
            json!([{"functionResponse": {"id": "call_1", "name": "get_weather",
                "response": {"output": "Captured \"home\" ✓."},
                "parts": [inline("image/png", "iVBORw0KGgo="),
                    {"inline_data": {"mime_type": "application/pdf", "data": "JVBERi0xLjQ="}}]}}]),
            json!([call(Some("call_1"), "get_weather")]),
        ),
        with_turns(
            json!([{"functionResponse": {"name": "get_weather", "response": {"result": "18C"}}},
                {"functionResponse": {"name": "now-2", "response": {"output": "09:00"},
                    "parts": [inline("image/webp", "UklGRg+/")]}},
                {"text": "What does it show?"}]),
            json!([{"text": "Checking."}, call(None, "get_weather"), call(None, "now-2")]),
        ),
    ]
}

/// A Responses caller's later turns whose function call outputs are lists of parts (as
/// the OpenAI Agents SDK sends a tool's image or file): a text, a PNG (its detail
/// `auto`), an unnamed PDF and a WebP (every fast path takes them: Chat's reports the
/// media, Gemini's sends them toward a Gemini 3 model); an image by URL before the text,
/// a named PDF and a PDF by URL (Gemini's go the general way: it reports the name, and
/// media by URL); two outputs, a string and a text after a JPEG, with a
/// `prompt_cache_key`; a list of one text alone; two texts around a GIF.
fn responses_result_media_bases() -> Vec<Value> {
    let tools = tool_bases("responses");
    let text = |t: &str| json!({"type": "input_text", "text": t});
    let image = |media: &str, data: &str| json!({"type": "input_image", "image_url": format!("data:{media};base64,{data}")});
    let pdf = |name: Option<&str>| {
        let mut f =
            json!({"type": "input_file", "file_data": "data:application/pdf;base64,JVBERi0xLjQ="});
        if let Some(name) = name {
            f["filename"] = json!(name);
        }
        f
    };
    let call = |id: &str, name: &str| {
        json!({"type": "function_call", "call_id": id, "name": name,
            "arguments": "{\"city\":\"Paris\"}"})
    };
    let output = |id: &str, output: Value| json!({"type": "function_call_output", "call_id": id, "output": output});
    let with_items = |items: Vec<Value>| {
        let mut v = tools[1].clone();
        let mut input = vec![json!({"role": "user", "content": "Screenshot the page."})];
        input.extend(items);
        input.push(json!({"role": "user", "content": "What does it show?"}));
        v["input"] = Value::Array(input);
        v
    };
    let mut png = image("image/png", "iVBORw0KGgo=");
    png["detail"] = json!("auto");
    // With a setting reported before the media toward Chat.
    let mut two_outputs = with_items(vec![
        call("call_1", "get_weather"),
        call("call_2", "now-2"),
        output("call_1", json!("18C")),
        output(
            "call_2",
            json!([image("image/jpeg", "/9j/4AAQSkZJRg=="), text("09:00")]),
        ),
    ]);
    two_outputs["prompt_cache_key"] = json!("agent-cache-7");
    // (Counted with the other results: it holds no media.)
    let mut text_alone = with_items(vec![
        call("call_1", "get_weather"),
        output("call_1", json!([text("18C, rain")])),
    ]);
    text_alone["input"][0]["content"] = json!("Weather in Paris?");
    vec![
        with_items(vec![
            call("call_1", "get_weather"),
            output(
                "call_1",
                json!([
                    text("Captured \"home\" ✓."),
                    png,
                    pdf(None),
                    image("image/webp", "UklGRg+/")
                ]),
            ),
        ]),
        with_items(vec![
            call("call_1", "get_weather"),
            output(
                "call_1",
                json!([{"type": "input_image", "image_url": "https://example.com/shot.png"},
                    text("Captured."), pdf(Some("report \"Q3\" é.pdf")),
                    {"type": "input_file", "file_url": "https://example.com/reports/q3.pdf"}]),
            ),
        ]),
        two_outputs,
        text_alone,
        // Two texts (the pairs join them differently: the general path's).
        with_items(vec![
            call("call_1", "get_weather"),
            output(
                "call_1",
                json!([text("Page 1:"), image("image/gif", "R0lGODlh"),
                    {"type": "output_text", "text": "Page 2:"}]),
            ),
        ]),
    ]
}

/// A conversation with PDFs as base64 data in `caller`'s protocol, beside an image: the
/// first `named` (Chat's and Responses' `filename`, Anthropic's `title`; Gemini's inline
/// data has no name, and Gemini no place for one).
fn documents(caller: &str, named: bool) -> Value {
    let pdf = "JVBERi0xLjQKJcfs";
    let png = "iVBORw0KGgo=";
    let url = format!("data:application/pdf;base64,{pdf}");
    let name = "report \"Q3\".pdf";
    let (mut first, second) = match caller {
        "openai" => (
            json!([{"type": "text", "text": "Summarize this."},
                {"type": "file", "file": {"file_data": url, "filename": name}}]),
            json!([{"type": "file", "file": {"file_data": url}},
                {"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{png}")}},
                {"type": "text", "text": "And these?"}]),
        ),
        "anthropic" => {
            let source = json!({"type": "base64", "media_type": "application/pdf", "data": pdf});
            (
                json!([{"type": "text", "text": "Summarize this."},
                    {"type": "document", "source": source, "title": name}]),
                json!([{"type": "document", "source": source},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}},
                    {"type": "text", "text": "And these?"}]),
            )
        }
        "gemini" => (
            json!([{"text": "Summarize this."},
                {"inlineData": {"mimeType": "application/pdf", "data": pdf}}]),
            json!([{"inline_data": {"mime_type": "application/pdf", "data": pdf}},
                {"inlineData": {"mimeType": "image/png", "data": png}},
                {"text": "And these?"}]),
        ),
        _ => (
            json!([{"type": "input_text", "text": "Summarize this."},
                {"type": "input_file", "file_data": url, "filename": name}]),
            json!([{"type": "input_file", "file_data": url},
                {"type": "input_image", "image_url": format!("data:image/png;base64,{png}"), "detail": "auto"},
                {"type": "input_text", "text": "And these?"}]),
        ),
    };
    if !named {
        for part in first.as_array_mut().expect("parts") {
            let part = part.as_object_mut().expect("part");
            part.remove("title");
            part.remove("filename");
            if let Some(file) = part.get_mut("file").and_then(Value::as_object_mut) {
                file.remove("filename");
            }
        }
    }
    about_a_report(caller, first, second)
}

/// A user's turn of `first` parts, the model's answer about a report, a user's turn of
/// `second` parts, in `caller`'s protocol.
fn about_a_report(caller: &str, first: Value, second: Value) -> Value {
    let answer = "A quarterly report.";
    match caller {
        "openai" => json!({"model": "gpt-caller", "messages": [
            {"role": "user", "content": first}, {"role": "assistant", "content": answer},
            {"role": "user", "content": second}]}),
        "anthropic" => json!({"model": "claude-caller", "max_tokens": 300, "messages": [
            {"role": "user", "content": first}, {"role": "assistant", "content": answer},
            {"role": "user", "content": second}]}),
        "gemini" => json!({"contents": [{"role": "user", "parts": first},
            {"role": "model", "parts": [{"text": answer}]},
            {"role": "user", "parts": second}]}),
        _ => json!({"model": "gpt-caller", "input": [{"role": "user", "content": first},
            {"type": "message", "role": "assistant", "content": answer},
            {"role": "user", "content": second}]}),
    }
}

/// A conversation with PDFs by http(s) URL in `caller`'s protocol (Anthropic's URL source,
/// Gemini's `fileData`, Responses' `file_url`), the first `named` where the protocol names
/// files (Anthropic's `title`, Responses' `filename`; Gemini has no place for a name), the
/// second beside an image by URL.
fn url_documents(caller: &str, named: bool) -> Value {
    let pdf = "https://example.com/reports/q3.pdf";
    let png = "https://example.com/cat.png";
    let name = "report \"Q3\".pdf";
    let (mut first, second) = match caller {
        "anthropic" => (
            json!([{"type": "text", "text": "Summarize this."},
                {"type": "document", "source": {"type": "url", "url": pdf}, "title": name}]),
            json!([{"type": "document", "source": {"type": "url", "url": pdf}},
                {"type": "image", "source": {"type": "url", "url": png}},
                {"type": "text", "text": "And these?"}]),
        ),
        "gemini" => (
            json!([{"text": "Summarize this."},
                {"fileData": {"mimeType": "application/pdf", "fileUri": pdf}}]),
            json!([{"file_data": {"mime_type": "application/pdf", "file_uri": pdf}},
                {"fileData": {"mimeType": "image/png", "fileUri": png}},
                {"text": "And these?"}]),
        ),
        _ => (
            json!([{"type": "input_text", "text": "Summarize this."},
                {"type": "input_file", "file_url": pdf, "filename": name}]),
            json!([{"type": "input_file", "file_url": pdf},
                {"type": "input_image", "image_url": png, "detail": "auto"},
                {"type": "input_text", "text": "And these?"}]),
        ),
    };
    if !named && let Some(part) = first[1].as_object_mut() {
        part.remove("title");
        part.remove("filename");
    }
    about_a_report(caller, first, second)
}

/// A conversation with images by http(s) URL in `caller`'s protocol (one with a query and
/// a fragment, one whose extension names no type, beside a base64 one).
fn url_images(caller: &str) -> Value {
    let urls = [
        "https://example.com/cat.png",
        "http://example.com/photos/dog.JPG?size=large#top",
        "https://example.com/chart",
    ];
    let png = "iVBORw0KGgo=";
    // An image part for a URL, and a text part, in the caller's protocol.
    type Maker = Box<dyn Fn(&str) -> Value>;
    let (image, text): (Maker, fn(&str) -> Value) = match caller {
        "openai" => (
            Box::new(|url| json!({"type": "image_url", "image_url": {"url": url}})),
            |t| json!({"type": "text", "text": t}),
        ),
        "anthropic" => (
            Box::new(|url| {
                json!({"type": "image", "source": match url.strip_prefix("data:image/png;base64,") {
                    Some(data) => json!({"type": "base64", "media_type": "image/png", "data": data}),
                    None => json!({"type": "url", "url": url}),
                }})
            }),
            |t| json!({"type": "text", "text": t}),
        ),
        "gemini" => (
            Box::new(|url| match url.strip_prefix("data:image/png;base64,") {
                Some(data) => json!({"inlineData": {"mimeType": "image/png", "data": data}}),
                // As google-genai sends it: the proto names.
                None if url.contains("dog") => {
                    json!({"file_data": {"file_uri": url, "mime_type": "image/jpeg"}})
                }
                None => json!({"fileData": {"mimeType": "image/png", "fileUri": url}}),
            }),
            |t| json!({"text": t}),
        ),
        _ => (
            Box::new(|url| {
                let mut v = json!({"type": "input_image", "image_url": url});
                if !url.contains("dog") {
                    v["detail"] = json!("auto");
                }
                v
            }),
            |t| json!({"type": "input_text", "text": t}),
        ),
    };
    let first = json!([text("What is in these?"), image(urls[0]), image(urls[1])]);
    let second = json!([
        image(urls[2]),
        text("And this \"chart\"?"),
        image(&format!("data:image/png;base64,{png}"))
    ]);
    match caller {
        "openai" => json!({"model": "gpt-caller", "messages": [
            {"role": "user", "content": first}, {"role": "assistant", "content": "A cat, a dog."},
            {"role": "user", "content": second}]}),
        "anthropic" => json!({"model": "claude-caller", "max_tokens": 300, "messages": [
            {"role": "user", "content": first}, {"role": "assistant", "content": "A cat, a dog."},
            {"role": "user", "content": second}]}),
        "gemini" => json!({"contents": [{"role": "user", "parts": first},
            {"role": "model", "parts": [{"text": "A cat, a dog."}]},
            {"role": "user", "parts": second}]}),
        _ => json!({"model": "gpt-caller", "input": [{"role": "user", "content": first},
            {"type": "message", "role": "assistant", "content": "A cat, a dog."},
            {"role": "user", "content": second}]}),
    }
}

/// Conversations asking for structured output (JSON that a schema describes) in
/// `caller`'s protocol, one with tools beside it.
fn format_bases(caller: &str) -> Vec<Value> {
    let schema = json!({"type": "object", "properties": {
            "city": {"type": "string", "description": "The city, \"quoted\", é ✓."},
            "temp": {"type": "number", "minimum": -90, "maximum": 60}},
        "required": ["city", "temp"], "additionalProperties": false,
        "$defs": {"unit": {"enum": ["C", "F"]}}});
    let u1 = "Weather in Paris, as JSON?";
    let mut bases = match caller {
        "openai" => vec![
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1}],
                "response_format": {"type": "json_schema", "json_schema": {"name": "weather",
                    "schema": schema, "strict": true}}, "max_completion_tokens": 300}),
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1}],
                "response_format": {"type": "json_schema", "json_schema": {"schema": schema}}}),
        ],
        "anthropic" => vec![json!({"model": "claude-caller", "max_tokens": 300,
            "messages": [{"role": "user", "content": u1}],
            "output_config": {"format": {"type": "json_schema", "schema": schema}}})],
        "gemini" => vec![
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
            "generationConfig": {"maxOutputTokens": 300, "responseMimeType": "application/json",
                "responseJsonSchema": schema}}),
            // In Gemini's own dialect, as google-genai's typed `Schema` sends it.
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
                "generationConfig": {"responseMimeType": "application/json", "responseSchema": {
                    "type": "OBJECT", "properties": {
                        "city": {"type": "STRING", "nullable": true, "maxLength": "40"},
                        "temp": {"type": "NUMBER", "minimum": -90}},
                    "required": ["city", "temp"], "propertyOrdering": ["city", "temp"]}}}),
        ],
        _ => vec![
            json!({"model": "gpt-caller", "input": u1, "text": {"format": {"type": "json_schema",
                "name": "weather", "schema": schema, "strict": true}}}),
            json!({"model": "gpt-caller", "input": [{"role": "user", "content": u1}],
                "text": {"format": {"type": "json_schema", "schema": schema}},
                "max_output_tokens": 300}),
        ],
    };
    // With tools beside it.
    let mut with_tools = tool_bases(caller)[1].clone();
    for key in ["response_format", "output_config", "text"] {
        if let Some(v) = bases[0].get(key) {
            with_tools[key] = v.clone();
        }
    }
    if let Some(config) = bases[0].get("generationConfig") {
        with_tools["generationConfig"] = config.clone();
    }
    bases.push(with_tools);
    bases.extend(json_mode_bases(caller));
    bases
}

/// JSON without a schema (Anthropic has none: its pairs report it), beside a seed the
/// Anthropic pairs report too (before it: the general paths' order, not the caller's).
fn json_mode_bases(caller: &str) -> Vec<Value> {
    let (sys, u1) = ("Answer as a JSON object.", "Weather in Paris?");
    // With tools beside it.
    let mut with_tools = tool_bases(caller)[1].clone();
    match caller {
        "openai" => with_tools["response_format"] = json!({"type": "json_object"}),
        "gemini" => {
            with_tools["generationConfig"] = json!({"responseMimeType": "application/json"})
        }
        "responses" => with_tools["text"] = json!({"format": {"type": "json_object"}}),
        _ => return Vec::new(),
    }
    let bases = match caller {
        "openai" => vec![
            json!({"model": "gpt-caller", "messages": [{"role": "system", "content": sys},
                {"role": "user", "content": u1}], "response_format": {"type": "json_object"}}),
            json!({"model": "gpt-caller", "messages": [{"role": "user", "content": u1}],
                "seed": 9, "response_format": {"type": "json_object"}, "stream": true}),
        ],
        "gemini" => vec![
            json!({"contents": [{"role": "user", "parts": [{"text": u1}]}],
                "generationConfig": {"responseMimeType": "application/json", "seed": 5}}),
            json!({"systemInstruction": {"parts": [{"text": sys}]},
                "contents": [{"role": "user", "parts": [{"text": u1}]}],
                "generationConfig": {"responseMimeType": "application/json"}}),
        ],
        "responses" => vec![
            json!({"model": "gpt-caller", "input": u1,
                "text": {"format": {"type": "json_object"}}}),
            json!({"model": "gpt-caller", "instructions": sys,
                "input": [{"role": "user", "content": u1}],
                "text": {"format": {"type": "json_object"}}, "max_output_tokens": 300}),
        ],
        _ => Vec::new(),
    };
    bases.into_iter().chain([with_tools]).collect()
}

/// Whole-request rewrites a client may send (the name, and the text).
fn rewrites(v: &Value) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("as sent", v.to_string()),
        ("pretty", serde_json::to_string_pretty(v).expect("json")),
        ("spaced", format!(" \n{v}\t ")),
        ("escaped", escaped(v)),
    ];
    // Escapes the fast path copies as they are, and ones no reader may take.
    let text = v.to_string();
    out.push(("pair escaped", text.replace('😀', "\\ud83d\\ude00")));
    out.push(("slash escaped", text.replace("plain", "pl\\/ain")));
    out.push(("lone high surrogate", text.replace('😀', "\\ud83d")));
    out.push(("lone low surrogate", text.replace('😀', "\\ude00")));
    out.push(("high then other", text.replace('😀', "\\ud83d\\u0041")));
    out.push(("bad escape", text.replace("plain", "pl\\xain")));
    // Numbers a schema may hold that serde_json refuses (beyond `f64`) or reads inexactly.
    if text.contains("\"maximum\":16") {
        let long = format!("1{}", "0".repeat(400));
        for (name, n) in [
            ("number out of range", "1e400"),
            ("long integer", long.as_str()),
            ("big float", "1.5e300"),
            ("tiny float", "1e-400"),
        ] {
            out.push((
                name,
                text.replace("\"maximum\":16", &format!("\"maximum\":{n}")),
            ));
        }
    }
    // Images the pairs treat apart (renamed, refused or reported), and the detail.
    for (name, from, to) in [
        ("jpg", "image/png", "image/jpg"),
        ("heic", "image/png", "image/heic"),
        ("upper-case type", "image/png", "IMAGE/PNG"),
        ("data URL without base64", "image/png;base64,", "image/png,"),
        (
            "http URL",
            "data:image/png;base64,",
            "https://example.com/a.png?",
        ),
        ("low detail", "\"detail\":\"auto\"", "\"detail\":\"low\""),
        (
            "detail on Chat",
            "base64,iVBORw0KGgo=\"",
            "base64,iVBORw0KGgo=\",\"detail\":\"auto\"",
        ),
        ("escaped data", "iVBORw0KGgo=", "iVBORw0K\\/Ggo="),
        // URLs the pairs treat apart (Chat's Anthropic pair refuses all but http(s)).
        (
            "ftp URL",
            "https://example.com/cat.png",
            "ftp://example.com/cat.png",
        ),
        (
            "gs URL",
            "https://example.com/cat.png",
            "gs://bucket/cat.png",
        ),
        (
            "upper-case scheme",
            "https://example.com/cat.png",
            "HTTPS://example.com/cat.png",
        ),
        ("empty URL", "https://example.com/cat.png", ""),
        (
            "escaped URL",
            "https://example.com/cat.png",
            "https:\\/\\/example.com\\/cat.png",
        ),
        (
            "PDF URL",
            "https://example.com/chart",
            "https://example.com/chart.pdf",
        ),
        // Documents the pairs treat apart.
        ("text document", "application/pdf", "text/plain"),
        // PDFs by URL the pairs treat apart: a URL that names no PDF (a Responses file
        // has no other type), schemes other than http(s).
        ("docx URL", "q3.pdf", "q3.docx"),
        ("upper-case PDF", "q3.pdf", "q3.PDF"),
        ("PDF URL query", "q3.pdf", "q3.pdf?v=2#p3"),
        (
            "gs PDF URL",
            "https://example.com/reports/q3.pdf",
            "gs://bucket/q3.pdf",
        ),
        (
            "http PDF URL",
            "https://example.com/reports/q3.pdf",
            "http://example.com/reports/q3.pdf",
        ),
        (
            "escaped PDF URL",
            "https://example.com/reports/q3.pdf",
            "https:\\/\\/example.com\\/reports\\/q3.pdf",
        ),
        (
            "PDF data URL without base64",
            "application/pdf;base64,",
            "application/pdf,",
        ),
        (
            "escaped PDF data",
            "JVBERi0xLjQKJcfs",
            "JVBERi0x\\/LjQKJcfs",
        ),
    ] {
        if text.contains(from) {
            out.push((name, text.replace(from, to)));
        }
    }
    out.push(("reversed keys", reversed_keys(v)));
    out.push(("integers as floats", integers_as_floats(v)));
    out
}

/// The tool and history bases of `caller` (only `of`), each edited by `edit` (given its
/// place).
fn agent_turns(caller: &str, of: &str, edit: impl Fn(usize, &mut Value)) -> Vec<Value> {
    if caller != of {
        return Vec::new();
    }
    let bases = tool_bases(caller).into_iter().chain(history_bases(caller));
    bases
        .enumerate()
        .map(|(i, mut v)| {
            edit(i, &mut v);
            v
        })
        .collect()
}

/// An OpenAI SDK agent's requests (Chat callers only): `reasoning_effort` (with max tokens
/// at or under the Anthropic budget, and without), `parallel_tool_calls`, `user`.
fn chat_agent_bases(caller: &str) -> Vec<Value> {
    agent_turns(caller, "openai", |i, v| {
        v["reasoning_effort"] = json!(["high", "low", "none", "medium"][i % 4]);
        v["parallel_tool_calls"] = json!(i % 2 == 0);
        v["user"] = json!("user-\"42\" é");
        if i == 1 {
            v["max_completion_tokens"] = json!(20000);
        }
    })
}

/// An agent client's requests as Codex sends them (Responses callers only): `store: false`,
/// `include` of encrypted reasoning, `prompt_cache_key`, `parallel_tool_calls`, `reasoning`
/// (an effort, none included, and a summary), tools' `strict`, `user`.
fn codex_bases(caller: &str) -> Vec<Value> {
    agent_turns(caller, "responses", codex_settings)
}

/// What Codex sets on the `i`th request of `codex_bases`.
fn codex_settings(i: usize, v: &mut Value) {
    v["store"] = json!(false);
    v["include"] = json!(["reasoning.encrypted_content"]);
    v["prompt_cache_key"] = json!("codex-5d41402abc4b2a76");
    v["parallel_tool_calls"] = json!(i % 2 == 1);
    // Codex's tools say `strict: false`; the SDK's helpers `true`.
    v["tools"][0]["strict"] = json!(i.is_multiple_of(3));
    v["reasoning"] = [
        json!({"effort": "medium", "summary": "auto"}),
        json!({"effort": "none"}),
        json!({"effort": "high", "summary": "detailed"}),
        json!({"summary": "concise"}),
    ][i % 4]
        .clone();
    if i == 2 {
        v["user"] = json!("codex-user é");
    }
}

/// Codex's later turns (Responses callers only): the history bases as `codex_bases` sends
/// them, with the model's reasoning items sent back before its calls and its text: state
/// the gateway sealed for Anthropic (thinking, redacted thinking) and for Gemini, OpenAI's
/// own, none; summaries of no text, one, two, and an empty one; two items in a row.
fn codex_later_bases(caller: &str) -> Vec<Value> {
    if caller != "responses" {
        return Vec::new();
    }
    let states = [
        Some("an:EqQBCkYIARgCKkDq/x+9Zw=="),
        Some("rd:EmwKAhgBEgy3vN+/a=="),
        Some("gm:CiIBVKhc7o+/Zm=="),
        Some("gAAAAABo_opaque-state=="),
        None,
    ];
    let part = |text: &str| json!({"type": "summary_text", "text": text});
    let summaries = [
        json!([]),
        json!([part("**Checking** the \"weather\" ✓\n\nFirst, Paris.")]),
        json!([part("**Plan**"), part("Then \"Rome\" é 😀.")]),
        json!([part("")]),
    ];
    let item = |n: usize, k: usize| {
        let mut r = json!({"type": "reasoning", "id": format!("rs_codex{n}"),
            "summary": summaries[(n + k) % 4]});
        if let Some(state) = states[k % 5] {
            r["encrypted_content"] = json!(state);
        }
        r
    };
    let history = history_bases(caller);
    let mut out = Vec::new();
    for k in 0..5 {
        let mut v = history[0].clone();
        codex_settings(k, &mut v);
        let input = v["input"].as_array_mut().expect("input");
        // Before the model's text, then before its calls (and a second there).
        input.insert(5, item(1, k + 1));
        if k == 4 {
            input.insert(1, item(2, 2));
        }
        input.insert(1, item(0, k));
        out.push(v);
    }
    // Before the model's own output message (with its id and status), then its call.
    let mut v = history[1].clone();
    codex_settings(2, &mut v);
    v["input"]
        .as_array_mut()
        .expect("input")
        .insert(1, item(3, 0));
    out.push(v);
    out
}

/// A Gemini caller's later turns with the thought signatures a thinking model's answer
/// carries (as google-genai and gemini-cli send them back), on the model's text and calls
/// (Gemini callers only): the state the gateway sealed for Anthropic (a thinking
/// signature) and for the Responses API (a reasoning item), Gemini's own; on the first
/// call (Gemini's convention), on the text, on several parts, one sealed with no state (no
/// block, no loss); with the `thinkingConfig`s that ask for them (a budget, dynamic, none,
/// a level, thoughts shown or not).
fn gemini_signed_bases(caller: &str) -> Vec<Value> {
    if caller != "gemini" {
        return Vec::new();
    }
    let anthropic =
        aigw_translate::sealed::Sealed::AnthropicThinking.seal_base64("EqQBCkgIARABGAIiQGZvbw==");
    let responses = aigw_translate::responses_upstream::signature("rs_0a1b", Some("gAAAAABenc=="));
    let own = "CiQBcsjafE2x+/Zg0a1b2c3d4e5f6g7h8i9j0==";
    // Sealed with no state: the general path sends no block and reports nothing.
    let empty = aigw_translate::sealed::Sealed::AnthropicThinking.seal_base64("");
    let history = history_bases(caller);
    // (base, [(content, part, signature)])
    type Signed<'s> = (usize, &'s [(usize, usize, &'s str)]);
    let signed: [Signed; 10] = [
        (0, &[(1, 1, &anthropic)]),
        (0, &[(1, 0, &responses), (1, 2, own)]),
        (
            0,
            &[(1, 0, &anthropic), (1, 1, &responses), (3, 0, &anthropic)],
        ),
        (0, &[(3, 0, &responses)]),
        (1, &[(1, 0, own)]),
        (1, &[(1, 0, &responses)]),
        (0, &[(1, 0, &empty), (1, 1, &anthropic)]),
        (0, &[(1, 1, &anthropic)]),
        (1, &[(1, 0, &responses)]),
        (0, &[(3, 0, &responses), (1, 2, own)]),
    ];
    let thinking = [
        json!({"include_thoughts": true}),
        json!({"thinkingBudget": 2048}),
        json!({"thinkingBudget": -1, "includeThoughts": true}),
        json!({"thinkingBudget": 0}),
        json!({"thinking_budget": 512, "include_thoughts": false}),
        json!({}),
        json!({"thinkingBudget": 24576, "includeThoughts": true}),
        // Gemini 3's levels, as gemini-cli sends them (a budget beside one decides).
        json!({"thinkingLevel": "HIGH", "includeThoughts": true}),
        json!({"thinking_level": "MINIMAL"}),
        json!({"thinkingLevel": "MEDIUM", "thinkingBudget": 1024, "includeThoughts": true}),
    ];
    signed
        .iter()
        .zip(thinking)
        .map(|((base, signatures), thinking)| {
            let mut v = history[*base].clone();
            v["generationConfig"]["thinkingConfig"] = thinking;
            for (content, part, signature) in *signatures {
                v["contents"][content]["parts"][part]["thoughtSignature"] = json!(signature);
            }
            v
        })
        .collect()
}

/// A Gemini caller's later turns with the model's thought parts sent back before its text
/// and calls (Gemini callers only; google-genai sends a thinking model's whole content
/// back when thoughts are shown): a thought then the text or first call signed (Gemini's
/// convention, and the gateway's answers'), several thoughts (a stream's deltas), a thought
/// signed itself (the gateway's first of two thinking blocks), empty thoughts; signatures
/// sealed for Anthropic, for the Responses API, with no state, and Gemini's own; thoughts
/// nothing signs, a turn of thoughts alone, `thought: false` (which take the general path).
fn gemini_thought_bases(caller: &str) -> Vec<Value> {
    if caller != "gemini" {
        return Vec::new();
    }
    let seal = aigw_translate::sealed::Sealed::AnthropicThinking;
    let (anthropic, anthropic_2) = (
        seal.seal_base64("EqQBCkgIARABGAIiQGZvbw=="),
        seal.seal_base64("EqQBCkgIARABGAIiQGJhcg=="),
    );
    let (responses, responses_2) = (
        aigw_translate::responses_upstream::signature("rs_0a1b", Some("gAAAAABenc==")),
        aigw_translate::responses_upstream::signature("rs_0a1c", None),
    );
    let own = "CiQBcsjafE2x+/Zg0a1b2c3d4e5f6g7h8i9j0==";
    let empty = seal.seal_base64("");
    let said = "I should check the \"weather\" ✓.\n\nFirst, Paris é 😀.";
    let history = history_bases(caller);
    // (text, signature) of each thought part.
    type Thoughts<'s> = Vec<(&'s str, Option<&'s str>)>;
    // (base, [(content, thoughts, the next part's signature)])
    type Case<'s> = (usize, Vec<(usize, Thoughts<'s>, Option<&'s str>)>);
    let cases: Vec<Case> = vec![
        (0, vec![(1, vec![(said, None)], Some(&anthropic))]),
        (1, vec![(1, vec![(said, None)], Some(&responses))]),
        (
            0,
            vec![(
                1,
                vec![(said, Some(&anthropic)), ("Then Rome.", None)],
                Some(&anthropic_2),
            )],
        ),
        (
            1,
            vec![(1, vec![("I ", None), ("think.", None)], Some(own))],
        ),
        (0, vec![(3, vec![(said, None)], None)]),
        (0, vec![(1, vec![(said, Some(&empty))], Some(&anthropic))]),
        (0, vec![(3, vec![(said, Some(&anthropic))], None)]),
        (
            0,
            vec![(
                1,
                vec![(said, Some(&responses)), ("", None)],
                Some(&responses_2),
            )],
        ),
        (0, vec![(1, vec![("", None)], Some(&anthropic))]),
        (1, vec![(1, vec![(said, Some(own))], Some(&anthropic))]),
        (
            0,
            vec![
                (1, vec![(said, None)], Some(&responses)),
                (3, vec![("Done.", Some(&responses_2))], None),
            ],
        ),
        (0, vec![(1, vec![(said, None)], Some(&empty))]),
        (1, vec![(1, vec![(said, Some(&anthropic))], Some(own))]),
    ];
    let thinking = [
        json!({"includeThoughts": true}),
        json!({"thinkingBudget": 2048, "includeThoughts": true}),
        json!({"thinking_budget": -1, "include_thoughts": true}),
        json!({"thinkingLevel": "HIGH", "includeThoughts": true}),
        json!({"includeThoughts": true}),
        json!({"thinkingBudget": 512}),
        json!({"thinkingBudget": 24576, "includeThoughts": true}),
    ];
    let mut out: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(k, (base, turns))| {
            let mut v = history[*base].clone();
            v["generationConfig"]["thinkingConfig"] = thinking[k % thinking.len()].clone();
            for (content, thoughts, next) in turns {
                let parts = v["contents"][content]["parts"]
                    .as_array_mut()
                    .expect("parts");
                if let Some(signature) = next {
                    parts[0]["thoughtSignature"] = json!(signature);
                }
                for (j, (text, signature)) in thoughts.iter().enumerate() {
                    let mut part = json!({"text": text, "thought": true});
                    if let Some(signature) = signature {
                        part["thoughtSignature"] = json!(signature);
                    }
                    parts.insert(j, part);
                }
            }
            v
        })
        .collect();
    // A turn of thoughts alone, and a thought that says it is not one.
    let mut alone = history[0].clone();
    alone["contents"][3]["parts"] =
        json!([{"text": said, "thought": true, "thoughtSignature": anthropic}]);
    let mut not = history[0].clone();
    not["contents"][1]["parts"]
        .as_array_mut()
        .expect("parts")
        .insert(0, json!({"text": said, "thought": false}));
    out.extend([alone, not]);
    out
}

/// A Chat caller's later turns with the reasoning history the pairs' answers give it back
/// (Chat callers only; the openai SDK sends the message back as it came, LiteLLM-style
/// clients too): `thinking_blocks` with Anthropic's signature and its text, Gemini's
/// signature without text, a Responses reasoning item the gateway sealed, two blocks, an
/// empty signature, an empty list; `reasoning_content` beside them, alone (as DeepSeek's
/// callers send it), empty, `null`; on the model's calls, its text, both; with and without
/// `reasoning_effort`.
fn chat_reasoning_bases(caller: &str) -> Vec<Value> {
    if caller != "openai" {
        return Vec::new();
    }
    let said = "I should check the \"weather\" ✓.\n\nFirst, Paris é 😀.";
    let anthropic =
        json!({"type": "thinking", "thinking": said, "signature": "EqQBCkYIARgCKkDq/x+9Zw=="});
    let gemini = json!({"type": "thinking", "thinking": "", "signature": "CiQBcsjafE2x+/Zg0a1b=="});
    let sealed = aigw_translate::responses_upstream::signature("rs_0a1b", Some("gAAAAABenc=="));
    let responses =
        json!({"signature": sealed, "type": "thinking", "thinking": "Plan: **Paris**."});
    let unsigned = json!({"type": "thinking", "thinking": said, "signature": ""});
    // (thinking_blocks, reasoning_content); `Value::Null` as blocks: no key.
    let histories = [
        (json!([anthropic]), json!(said)),
        (json!([gemini]), Value::Null),
        (json!([responses]), json!("Plan: **Paris**.")),
        (json!([responses, anthropic]), json!("two")),
        (json!([unsigned]), json!(said)),
        (json!([]), Value::Null),
        (Value::Null, json!("Let me think, é.")),
        (Value::Null, json!("")),
    ];
    let history = history_bases(caller);
    let mut out = Vec::new();
    for (k, (blocks, text)) in histories.into_iter().enumerate() {
        // Base 0: the model's calls (message 2) and its text (5); base 1: both (1).
        let (base, messages): (usize, &[usize]) = match k % 3 {
            0 => (0, &[2]),
            1 => (0, &[2, 5]),
            _ => (1, &[1]),
        };
        let mut v = history[base].clone();
        for &m in messages {
            let message = &mut v["messages"][m];
            if !blocks.is_null() {
                message["thinking_blocks"] = blocks.clone();
            }
            // `null` stands for itself once, for no key the other times.
            if !text.is_null() || k == 5 {
                message["reasoning_content"] = text.clone();
            }
        }
        if k % 2 == 0 {
            v["reasoning_effort"] = json!(["low", "high", "medium", "minimal"][k / 2 % 4]);
        }
        if k == 5 {
            // On the user's message too, where the pairs differ on it.
            v["messages"][0]["reasoning_content"] = Value::Null;
        }
        out.push(v);
    }
    out
}

/// An agent client's requests as Claude Code sends them (Anthropic callers only): the
/// system as a list of blocks with cache hints, `metadata.user_id`, thinking off, on with
/// a budget or adaptive, a user's turn of several texts, results as lists of texts and
/// errors, followed by texts, a cache hint on the last tool and on the last block, and
/// thinking blocks sent back with signatures of every kind (the answers are the golden `tools_vision_reasoning` case's).
fn agent_bases(caller: &str) -> Vec<Value> {
    if caller != "anthropic" {
        return Vec::new();
    }
    let hint = json!({"type": "ephemeral"});
    let hour = json!({"type": "ephemeral", "ttl": "1h"});
    let weather = json!({"type": "object", "properties": {"city": {"type": "string"}},
        "required": ["city"], "additionalProperties": false,
        "$schema": "http://json-schema.org/draft-07/schema#"});
    let tools = json!([
        {"name": "now-2", "description": "The time.", "input_schema": {"type": "object", "properties": {}}},
        {"name": "get_weather", "description": "Weather \"now\" ✓.", "input_schema": weather,
            "cache_control": hint}]);
    let system = json!([
        {"type": "text", "text": "You are an agent \"CLI\".", "cache_control": hour},
        {"type": "text", "text": "Work in /tmp.\nBe brief é ✓ 😀.", "cache_control": hint}]);
    let reminder = "<system-reminder>\nThe date is today.\n</system-reminder>";
    let first = json!({"model": "claude-caller", "max_tokens": 32000,
        "system": system, "tools": tools, "thinking": {"type": "disabled"},
        "metadata": {"user_id": "u"},
        "messages": [{"role": "user", "content": [{"type": "text", "text": reminder},
            {"type": "text", "text": "Weather in Paris?"}]}]});
    // A thinking block's signature: Gemini's thought sealed by the gateway, a Responses
    // reasoning item's, Anthropic's own (every other upstream reports it), none.
    let signed = |signature: &str, then: Value| {
        json!({"model": "claude-caller", "max_tokens": 32000, "system": system, "tools": tools,
            "thinking": {"type": "enabled", "budget_tokens": 2048}, "stream": true,
            "messages": [
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": [
                    {"type": "thinking", "thinking": "The user wants \"weather\" ✓.", "signature": signature},
                    {"type": "thinking", "thinking": "", "signature": ""},
                    then,
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"},
                    {"type": "text", "text": reminder}]}]})
    };
    let checking = json!({"type": "text", "text": "Checking."});
    let call = json!({"type": "tool_use", "id": "toolu_0", "name": "now-2", "input": {}});
    let mut thinking = vec![
        signed("YWlndy1nbTEKYzJsbmJtRjBkWEps", checking.clone()),
        signed("YWlndy1yczEKcnNfMGExYgpnQUFBQUFCZW5jPT0=", call.clone()),
        signed("EqQBCkgIARABGAIiQGZvbw==", checking),
        signed("", call),
    ];
    // The second thinking block's signature last (it decides Gemini's).
    let mut last = thinking[0].clone();
    last["messages"][1]["content"]
        .as_array_mut()
        .expect("blocks")
        .swap(0, 1);
    thinking.push(last);
    vec![
        first,
        json!({"model": "claude-caller", "max_tokens": 32000, "temperature": 1,
            "thinking": {"type": "enabled", "budget_tokens": 10000},
            "system": system, "tools": tools, "stream": true,
            "metadata": {"user_id": "user_abc_account_1_session_\"2\""},
            "messages": [{"role": "user", "content": [
                {"type": "text", "text": reminder},
                {"type": "text", "text": "Weather in Paris?", "cache_control": hint}]}]}),
        json!({"model": "claude-caller", "max_tokens": 32000, "system": system, "tools": tools,
            "metadata": {"user_id": "u"}, "stream": true, "thinking": {"type": "adaptive"},
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": reminder},
                    {"type": "text", "text": "Weather in Paris?"}]},
                {"role": "assistant", "content": [{"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather",
                        "input": {"city": "Paris"}},
                    {"type": "tool_use", "id": "toolu_2", "name": "now-2", "input": {}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "is_error": false,
                        "content": [{"type": "text", "text": "18C"},
                            {"type": "text", "text": ", rain \"wet\" ✓"}]},
                    {"type": "tool_result", "tool_use_id": "toolu_2", "is_error": true,
                        "content": [{"type": "text", "text": "Error: no clock"}],
                        "cache_control": hint},
                    {"type": "text", "text": reminder},
                    {"type": "text", "text": "And Rome?", "cache_control": hint}]}]}),
    ]
    .into_iter()
    .chain(thinking)
    .collect()
}

/// Values of other types (and other values) for a scalar of a request.
fn replacements(v: &Value) -> Vec<Value> {
    match v {
        Value::String(s) if s.is_empty() => vec![json!(null), json!("x")],
        Value::String(_) => vec![
            json!(null),
            json!(7),
            json!(""),
            json!("system"),
            json!("developer"),
            json!("assistant"),
            json!("model"),
            json!("user"),
            json!("tool"),
            json!("text"),
            json!("input_text"),
            json!("output_text"),
            json!([{"type": "text", "text": "a"}]),
        ],
        Value::Bool(b) => vec![json!(null), json!(!b), json!("true")],
        Value::Number(_) => vec![
            json!(null),
            json!(-1),
            json!(0),
            json!(1),
            json!(1.5),
            json!(2),
            json!(15),
            json!(16),
            json!(3_000_000_000_i64),
            json!(i32::MAX),
            json!(i64::from(i32::MAX) + 1),
            json!(-0.0),
            json!(1e-300),
            json!(1e300),
            json!("1"),
        ],
        _ => vec![json!("x"), json!({})],
    }
}

/// Fields a plain conversation does not have (or has elsewhere).
fn additions() -> Vec<(&'static str, Value)> {
    vec![
        ("x_aigw_unknown", json!(1)),
        ("name", json!("n")),
        ("n", json!(2)),
        ("stop", json!(["x"])),
        ("stop", json!([])),
        ("stop", json!(["a", "b", "c", "d", "e"])),
        ("stop_sequences", json!([])),
        ("stop_sequences", json!([" \n"])),
        ("stopSequences", json!([])),
        ("stopSequences", json!(["\t"])),
        ("tools", json!([])),
        ("role", json!("user")),
        ("content", json!("c")),
        ("type", json!("message")),
        ("text", json!("t")),
        ("system", json!("s")),
        ("instructions", json!("i")),
        ("metadata", json!({})),
        ("store", json!(true)),
        ("service_tier", json!("auto")),
        ("prompt_cache_key", json!("k-1")),
        ("top_k", json!(3)),
        ("topK", json!(3)),
        ("seed", json!(7)),
        ("n", json!(1)),
        ("n", json!(2)),
        ("logprobs", json!(false)),
        ("logprobs", json!(true)),
        ("presence_penalty", json!(0.5)),
        ("frequencyPenalty", json!(-1)),
        ("max_tokens", json!(100)),
        ("parts", json!([{"text": "p"}])),
        ("stream", json!(true)),
        ("model", json!("other")),
        ("temperature", json!(0.5)),
        ("cache_control", json!({"type": "ephemeral"})),
        ("thought", json!(true)),
        ("include_usage", json!(false)),
        ("maxOutputTokens", json!(32)),
        ("system_instruction", json!({"parts": [{"text": "s"}]})),
        ("tool_choice", json!("auto")),
        ("tool_choice", json!({"type": "none"})),
        (
            "toolConfig",
            json!({"functionCallingConfig": {"mode": "NONE"}}),
        ),
        ("parallel_tool_calls", json!(false)),
        ("disable_parallel_tool_use", json!(true)),
        ("strict", json!(true)),
        ("type", json!("function")),
        ("parameters", json!({"type": "object"})),
        ("input_schema", json!({"type": "object"})),
        ("allowedFunctionNames", json!(["get_weather"])),
        ("functionDeclarations", json!([])),
        // Keys a part of another kind has (a document's title, a file, an image).
        ("title", json!("T")),
        ("file", json!({})),
        ("image_url", json!({})),
    ]
}

/// Each message (of `messages`, `contents`, `input`) removed, and repeated in place.
fn message_edits(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for key in ["messages", "contents", "input"] {
        let Some(list) = v.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, message) in list.iter().enumerate() {
            let mut removed = v.clone();
            removed[key].as_array_mut().expect("list").remove(i);
            out.push((format!("/{key}/{i} removed"), removed.to_string()));
            let mut twice = v.clone();
            twice[key]
                .as_array_mut()
                .expect("list")
                .insert(i, message.clone());
            out.push((format!("/{key}/{i} twice"), twice.to_string()));
        }
    }
    out
}

/// Edits of the request's lists the value mutations do not make: each two neighbours
/// swapped (results out of their calls' order, a text after a call), and each list
/// replaced by a string (a list of one text part by its text: the same content in the
/// other shape, beside the fields that only one shape may carry).
fn list_edits(v: &Value) -> Vec<(String, String)> {
    fn walk(at: &str, node: &Value, root: &Value, out: &mut Vec<(String, String)>) {
        let edit = |out: &mut Vec<(String, String)>, what: String, with: &dyn Fn(&mut Value)| {
            let mut edited = root.clone();
            if let Some(target) = edited.pointer_mut(at) {
                with(target);
                out.push((format!("{at} {what}"), edited.to_string()));
            }
        };
        match node {
            Value::Array(items) => {
                for i in 1..items.len() {
                    edit(out, format!("{} and {i} swapped", i - 1), &|t| {
                        if let Some(list) = t.as_array_mut() {
                            list.swap(i - 1, i);
                        }
                    });
                }
                if !at.is_empty() {
                    edit(out, "as a string".into(), &|t| *t = json!("x"));
                }
                if let [one] = items.as_slice()
                    && let Some(text) = one.get("text")
                {
                    edit(out, "as its text".into(), &|t| *t = text.clone());
                }
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{at}/{i}"), item, root, out);
                }
            }
            Value::Object(fields) => {
                for (key, item) in fields {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    walk(&format!("{at}/{key}"), item, root, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", v, v, &mut out);
    out
}

/// The pair's outcome for the caller's `body`, with or without the fast path, on the
/// golden `case`.
fn outcome(
    pair: &str,
    (options, strict, case): &(PairOptions, bool, &str),
    body: &str,
    fast: bool,
) -> Value {
    aigw_translate::fast::set_enabled(fast);
    common::outcome(pair, options, *strict, &golden_case(pair, case), body)
}

/// How many variants of a kind the fast path took, per pair.
type Counts<'a> = std::collections::BTreeMap<&'a str, usize>;

#[test]
fn the_request_fast_path_agrees_with_the_general_path() {
    // Every variant of every base, for every pair of its caller: (where, pair, options, body).
    let mut jobs = Vec::new();
    for caller in ["openai", "anthropic", "gemini", "responses"] {
        let plain = bases(caller).into_iter().map(|b| (b, "limits_and_errors"));
        let tools = tool_bases(caller)
            .into_iter()
            .chain(history_bases(caller))
            .chain(agent_bases(caller))
            .chain(chat_agent_bases(caller))
            .chain(codex_bases(caller))
            .chain(codex_later_bases(caller))
            .chain(gemini_signed_bases(caller))
            .chain(gemini_thought_bases(caller))
            .chain(chat_reasoning_bases(caller))
            .chain(service_bases(caller))
            .map(|b| (b, "tools_vision_reasoning"));
        let formats = format_bases(caller)
            .into_iter()
            .map(|b| (b, "limits_and_errors"));
        let bases = plain.chain(tools).chain(image_bases(caller)).chain(formats);
        for (b, (base, case)) in bases.enumerate() {
            let base = &base;
            let mut texts: Vec<(String, String)> = rewrites(base)
                .into_iter()
                .map(|(name, t)| (name.to_owned(), t))
                .collect();
            texts.extend(variants(base, replacements, &additions()));
            texts.extend(message_edits(base));
            texts.extend(list_edits(base));
            for pair in PAIRS.iter().filter(|p| p.split('_').next() == Some(caller)) {
                // What the base sends back of the model's thinking.
                let sent_back = |key: &str| base.to_string().contains(key);
                // A Gemini caller's stream switch is its path (the body has none), and
                // its stream is SSE or a JSON array (the thought bases, many, take the
                // answer's framing from the others).
                let modes: &[(bool, bool)] = if caller == "gemini" && sent_back("\"thought\"") {
                    &[(false, true), (true, true)]
                } else if caller == "gemini" {
                    &[(false, true), (true, true), (true, false)]
                } else {
                    &[(false, true)]
                };
                // Thinking sent back to a Chat upstream with a reasoning field and without.
                let fields: &[Option<&str>] = if (*pair == "anthropic_openai"
                    && sent_back("\"signature\""))
                    || (*pair == "responses_openai" && sent_back("rs_codex"))
                    || (*pair == "gemini_openai" && sent_back("\"thought\""))
                {
                    &[None, Some("reasoning_content")]
                } else {
                    &[None]
                };
                for (&(stream, sse), field) in modes
                    .iter()
                    .flat_map(|m| fields.iter().map(move |f| (m, f)))
                {
                    let options = PairOptions {
                        stream,
                        sse,
                        caller_model: "gemini-caller".into(),
                        reasoning_field: field.map(str::to_owned),
                    };
                    for (what, text) in &texts {
                        // Every other variant in strict mode (a loss would be an error).
                        let strict = jobs.len() % 2 == 1;
                        jobs.push((
                            format!("{pair} base {b} (stream {stream}, sse {sse}, strict {strict}, reasoning field {field:?}), {what}"),
                            *pair,
                            (options.clone(), strict, case),
                            text.clone(),
                        ));
                    }
                }
            }
        }
    }
    let results = in_parallel(&jobs, |(where_, pair, options, body)| {
        let before = aigw_translate::fast::plain_requests();
        let fast = outcome(pair, options, body, true);
        let took = aigw_translate::fast::plain_requests() > before;
        let general = outcome(pair, options, body, false);
        let failure = (fast != general)
            .then(|| format!("{where_}:\n  body    {body}\n  fast    {fast}\n  general {general}"));
        (took, failure)
    });
    // Which pairs the fast path took variants of, and how many (with tools apart).
    let mut taken: Counts = Default::default();
    let mut with_tools: Counts = Default::default();
    let mut with_history: Counts = Default::default();
    let mut with_dialect: Counts = Default::default();
    let mut with_images: Counts = Default::default();
    let mut with_image_urls: Counts = Default::default();
    let mut with_documents: Counts = Default::default();
    let mut with_pdf_urls: Counts = Default::default();
    let mut with_format: Counts = Default::default();
    let mut with_hints: Counts = Default::default();
    let mut with_effort: Counts = Default::default();
    let mut with_codex: Counts = Default::default();
    let mut with_reasoning: Counts = Default::default();
    let mut with_signatures: Counts = Default::default();
    let mut with_chat_reasoning: Counts = Default::default();
    let mut with_thoughts: Counts = Default::default();
    let mut with_settings: Counts = Default::default();
    let mut with_json_mode: Counts = Default::default();
    let mut with_result_media: Counts = Default::default();
    let mut with_services: Counts = Default::default();
    for ((_, pair, (_, _, case), body), (took, _)) in jobs.iter().zip(&results) {
        if body.contains("svc-") {
            *with_services.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("\"reasoning_content\"") || body.contains("\"thinking_blocks\"") {
            *with_chat_reasoning.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if pair.starts_with("gemini_") && body.contains("\"thought\"") {
            *with_thoughts.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("thoughtSignature") {
            *with_signatures.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("rs_codex") {
            *with_reasoning.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("codex-") {
            *with_codex.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("\"user-") {
            *with_effort.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("system-reminder") {
            *with_hints.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("json_object")
            || (body.contains("application/json")
                && !body.contains("responseJsonSchema")
                && !body.contains("responseSchema"))
        {
            *with_json_mode.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("$defs") || body.contains("responseSchema") {
            *with_format.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("Screenshot the page") {
            *with_result_media.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("reports/q3") {
            *with_pdf_urls.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("JVBERi0") {
            *with_documents.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if body.contains("example.com/photos") {
            *with_image_urls.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        if ["image_url", "\"image\"", "inlineData", "input_image"]
            .iter()
            .any(|k| body.contains(k))
        {
            *with_images.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        // Settings only some protocols have (stop sequences: all but the Responses API).
        if ["\"seed\"", "\"top_k\"", "\"topK\"", "\"stop", "enalty\""]
            .iter()
            .any(|k| body.contains(k))
        {
            *with_settings.entry(pair).or_default() += usize::from(*took);
            continue;
        }
        // The base in Gemini's schema dialect is the one with an unspecified type.
        if body.contains("TYPE_UNSPECIFIED") {
            *with_dialect.entry(pair).or_default() += usize::from(*took);
        }
        let count = if *case == "limits_and_errors" {
            &mut taken
        } else if ["call_id", "tool_use_id", "\"functionCall\""]
            .iter()
            .any(|k| body.contains(k))
        {
            &mut with_history
        } else {
            &mut with_tools
        };
        *count.entry(pair).or_default() += usize::from(*took);
    }
    let mut failures: Vec<String> = results.into_iter().filter_map(|r| r.1).collect();
    println!(
        "{} requests compared; by the fast path: {taken:?}; with tools: {with_tools:?}; \
         with calls and results: {with_history:?}; with Gemini's schema dialect: \
         {with_dialect:?}; with images: {with_images:?}; with image URLs: {with_image_urls:?}; with documents: {with_documents:?}; with PDFs by URL: {with_pdf_urls:?}; with \
         structured output: \
         {with_format:?}; an agent's, with cache hints: {with_hints:?}; with reasoning \
         effort: {with_effort:?}; as Codex sends them: {with_codex:?}; with reasoning \
         items: {with_reasoning:?}; with Gemini thought signatures: {with_signatures:?}; \
         with Chat callers' reasoning history: {with_chat_reasoning:?}; with Gemini \
         thought parts: {with_thoughts:?}; with settings only some protocols have: \
         {with_settings:?}; in JSON mode: {with_json_mode:?}; with images and PDFs \
         inside results: {with_result_media:?}; with service settings: {with_services:?}",
        jobs.len()
    );
    assert!(jobs.len() >= 3000, "every base, every variant, every pair");
    // Each kind of variant, taken at least 40 times in every pair that has it.
    let every = |_: &&str| true;
    let gemini = |p: &&str| p.starts_with("gemini_");
    let anthropic = |p: &&str| p.starts_with("anthropic_");
    let chat = |p: &&str| p.starts_with("openai_");
    let responses = |p: &&str| p.starts_with("responses_");
    type Kind<'m> = (&'m str, &'m Counts<'m>, fn(&&str) -> bool);
    let kinds: [Kind; 20] = [
        ("plain variants", &taken, every),
        ("variants with tools", &with_tools, every),
        ("variants with calls and results", &with_history, every),
        ("variants in Gemini's schema dialect", &with_dialect, gemini),
        ("variants with images", &with_images, every),
        ("variants with image URLs", &with_image_urls, every),
        ("variants with documents", &with_documents, every),
        // (Chat takes files as data only.)
        ("variants with PDFs by URL", &with_pdf_urls, |p: &&str| {
            !p.starts_with("openai_") && !p.ends_with("_openai")
        }),
        ("variants with structured output", &with_format, every),
        ("agent variants with cache hints", &with_hints, anthropic),
        ("agent variants with reasoning effort", &with_effort, chat),
        ("agent variants as Codex sends them", &with_codex, responses),
        (
            "Codex's later turns with reasoning items",
            &with_reasoning,
            responses,
        ),
        (
            "Gemini turns with thought signatures",
            &with_signatures,
            gemini,
        ),
        (
            "Chat turns with reasoning history",
            &with_chat_reasoning,
            chat,
        ),
        ("Gemini turns with thought parts", &with_thoughts, gemini),
        (
            "variants with settings only some protocols have",
            &with_settings,
            |p: &&str| !p.starts_with("responses_"),
        ),
        ("variants in JSON mode", &with_json_mode, |p: &&str| {
            !p.starts_with("anthropic_")
        }),
        (
            "variants with images and PDFs inside results",
            &with_result_media,
            |p: &&str| !p.starts_with("openai_"),
        ),
        (
            "variants with service settings",
            &with_services,
            |p: &&str| p.starts_with("openai_") || p.starts_with("responses_"),
        ),
    ];
    for (what, counts, of) in kinds {
        for pair in PAIRS.iter().filter(|p| of(p)) {
            let n = counts.get(pair).copied().unwrap_or(0);
            assert!(n >= 40, "the fast path takes the {what} of {pair}: {n}");
        }
    }
    let count = failures.len();
    failures.truncate(4);
    assert!(
        failures.is_empty(),
        "{count} differ:\n{}",
        failures.join("\n\n")
    );
}
