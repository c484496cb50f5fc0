"""End-to-end checks of the gateway with the official `openai` Python SDK.

Env: AIGW_BASE (e.g. http://127.0.0.1:19000), AIGW_KEY (a gateway key),
AIGW_OPENAI_MODEL (default gpt-4o), AIGW_OPENAI_EMBED_MODEL (default
text-embedding-3-small). Scenario tokens for the mock upstream ride on the model
name after `+` (`gpt-4o+status=400`).

Run: python openai_sdk.py [check_name ...]   (no names: every check)
Prints `ok <name>` / `FAIL <name>: <traceback>`; exits 1 if any check failed.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, Callable

import openai
from openai import OpenAI
from pydantic import BaseModel

BASE = os.environ.get("AIGW_BASE", "http://127.0.0.1:19000").rstrip("/")
KEY = os.environ.get("AIGW_KEY", "gw-sdk-key")
MODEL = os.environ.get("AIGW_OPENAI_MODEL", "gpt-4o")
# Set when the model routes to another protocol (the gateway translates).
TRANSLATED = os.environ.get("AIGW_TRANSLATED") == "1"
EMBED_MODEL = os.environ.get("AIGW_OPENAI_EMBED_MODEL", "text-embedding-3-small")
TIMEOUT = 20.0


def client(key: str = KEY) -> OpenAI:
    return OpenAI(api_key=key, base_url=f"{BASE}/v1", max_retries=0, timeout=TIMEOUT)


C = client()

WEATHER_TOOL: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}

RESPONSES_WEATHER_TOOL: Any = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather in a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": True,
}

# ---------------------------------------------------------------------------------------
# Harness

CHECKS: list[Callable[[], None]] = []


def check(fn: Callable[[], None]) -> Callable[[], None]:
    CHECKS.append(fn)
    return fn


def eq(got: Any, want: Any, what: str = "") -> None:
    assert got == want, f"{what}: expected {want!r}, got {got!r}"


def raises(exc: type[BaseException], fn: Callable[[], Any]) -> Any:
    try:
        fn()
    except exc as e:
        return e
    raise AssertionError(f"expected {exc.__name__}, nothing was raised")


def main() -> None:
    only = set(sys.argv[1:])
    unknown = only - {f.__name__ for f in CHECKS}
    if unknown:
        sys.exit(f"unknown checks: {', '.join(sorted(unknown))}")
    failed = 0
    for fn in CHECKS:
        if only and fn.__name__ not in only:
            continue
        try:
            fn()
            print(f"ok {fn.__name__}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {fn.__name__}: {traceback.format_exc()}", flush=True)
    print(f"# openai: {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


# ---------------------------------------------------------------------------------------
# Chat Completions


@check
def chat_text() -> None:
    r = C.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hello there"}]
    )
    eq(r.object, "chat.completion", "object")
    assert r.id, "empty id"
    eq(len(r.choices), 1, "choices")
    choice = r.choices[0]
    eq(choice.message.role, "assistant", "role")
    eq(choice.message.content, "Echo: hello there", "content")
    eq(choice.message.tool_calls, None, "tool_calls")
    eq(choice.finish_reason, "stop", "finish_reason")
    assert r.usage is not None, "no usage"
    assert r.usage.prompt_tokens > 0, r.usage
    assert r.usage.completion_tokens > 0, r.usage
    eq(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens, "total_tokens")


@check
def chat_stream_text() -> None:
    stream = C.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "stream me"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert chunks, "no chunks"
    for c in chunks:
        eq(c.object, "chat.completion.chunk", "chunk object")
    deltas = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(deltas) > 1, f"expected several content deltas, got {deltas!r}"
    eq("".join(deltas), "Echo: stream me", "assembled text")
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    eq(finishes, ["stop"], "finish reasons")
    last = chunks[-1]
    eq(last.choices, [], "last chunk choices")
    assert last.usage is not None, "last chunk has no usage"
    assert last.usage.prompt_tokens > 0 and last.usage.completion_tokens > 0, last.usage
    # Only the last chunk carries usage.
    assert all(c.usage is None for c in chunks[:-1]), "usage before the last chunk"


@check
def chat_tool_call() -> None:
    r = C.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "weather in Paris?"}],
        tools=[WEATHER_TOOL],
    )
    choice = r.choices[0]
    eq(choice.finish_reason, "tool_calls", "finish_reason")
    calls = choice.message.tool_calls
    assert calls is not None and len(calls) == 1, calls
    call = calls[0]
    eq(call.type, "function", "call type")
    assert call.id, "empty tool call id"
    eq(call.function.name, "get_weather", "function name")
    eq(json.loads(call.function.arguments), {"city": "Paris"}, "arguments")


@check
def chat_tool_call_stream_helper() -> None:
    with C.chat.completions.stream(
        model=MODEL,
        messages=[{"role": "user", "content": "weather in Paris?"}],
        tools=[WEATHER_TOOL],
    ) as stream:
        events = list(stream)
        final = stream.get_final_completion()
    types = [e.type for e in events]
    assert "tool_calls.function.arguments.delta" in types, types
    done = [e for e in events if e.type == "tool_calls.function.arguments.done"]
    eq(len(done), 1, "arguments.done events")
    eq(done[0].name, "get_weather", "done name")
    eq(json.loads(done[0].arguments), {"city": "Paris"}, "done arguments")
    choice = final.choices[0]
    eq(choice.finish_reason, "tool_calls", "finish_reason")
    calls = choice.message.tool_calls
    assert calls is not None and len(calls) == 1, calls
    eq(calls[0].type, "function", "call type")
    assert calls[0].id, "empty tool call id"
    eq(calls[0].function.name, "get_weather", "function name")
    eq(json.loads(calls[0].function.arguments), {"city": "Paris"}, "arguments")


def _tool_round_two_messages(first: Any) -> list[Any]:
    call = first.choices[0].message.tool_calls[0]
    return [
        {"role": "user", "content": "weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.function.name, "arguments": call.function.arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call.id, "content": "22 degrees and sunny"},
    ]


@check
def chat_tool_round_trip() -> None:
    first = C.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "weather in Paris?"}],
        tools=[WEATHER_TOOL],
    )
    eq(first.choices[0].finish_reason, "tool_calls", "round 1 finish_reason")
    second = C.chat.completions.create(
        model=MODEL, messages=_tool_round_two_messages(first), tools=[WEATHER_TOOL]
    )
    eq(second.choices[0].message.content, "The tool said: 22 degrees and sunny", "round 2 content")
    eq(second.choices[0].finish_reason, "stop", "round 2 finish_reason")


@check
def chat_tool_round_trip_stream() -> None:
    with C.chat.completions.stream(
        model=MODEL,
        messages=[{"role": "user", "content": "weather in Paris?"}],
        tools=[WEATHER_TOOL],
    ) as s1:
        first = s1.get_final_completion()
    eq(first.choices[0].finish_reason, "tool_calls", "round 1 finish_reason")
    with C.chat.completions.stream(
        model=MODEL, messages=_tool_round_two_messages(first), tools=[WEATHER_TOOL]
    ) as s2:
        events = list(s2)
        second = s2.get_final_completion()
    done = [e for e in events if e.type == "content.done"]
    eq(len(done), 1, "content.done events")
    eq(done[0].content, "The tool said: 22 degrees and sunny", "content.done")
    eq(second.choices[0].message.content, "The tool said: 22 degrees and sunny", "round 2 content")
    eq(second.choices[0].finish_reason, "stop", "round 2 finish_reason")


@check
def chat_structured_output_json_schema() -> None:
    r = C.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "describe Paris"}],
        response_format={
            "type": "json_schema",
            "json_schema": {
                "name": "city_report",
                "strict": True,
                "schema": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "population": {"type": "integer"},
                        "sunny": {"type": "boolean"},
                    },
                    "required": ["city", "population", "sunny"],
                    "additionalProperties": False,
                },
            },
        },
    )
    content = r.choices[0].message.content
    assert content is not None
    eq(json.loads(content), {"city": "Echo: describe Paris", "population": 1, "sunny": True}, "json")
    eq(r.choices[0].finish_reason, "stop", "finish_reason")


class CityReport(BaseModel):
    city: str
    population: int


@check
def chat_structured_output_parse() -> None:
    r = C.chat.completions.parse(
        model=MODEL,
        messages=[{"role": "user", "content": "describe Paris"}],
        response_format=CityReport,
    )
    parsed = r.choices[0].message.parsed
    assert isinstance(parsed, CityReport), type(parsed)
    eq(parsed, CityReport(city="Echo: describe Paris", population=1), "parsed")


# ---------------------------------------------------------------------------------------
# Responses


@check
def responses_text() -> None:
    r = C.responses.create(model=MODEL, input="hello responses")
    eq(r.object, "response", "object")
    assert r.id, "empty id"
    eq(r.status, "completed", "status")
    eq(r.output_text, "Echo: hello responses", "output_text")
    eq(len(r.output), 1, "output items")
    item = r.output[0]
    eq(item.type, "message", "item type")
    assert item.type == "message"
    eq(item.role, "assistant", "role")
    assert r.usage is not None and r.usage.input_tokens > 0 and r.usage.output_tokens > 0, r.usage


@check
def responses_stream() -> None:
    events = list(C.responses.create(model=MODEL, input="stream responses", stream=True))
    types = [e.type for e in events]
    eq(types[0], "response.created", "first event")
    eq(types[-1], "response.completed", "last event")
    for t in (
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.output_item.done",
    ):
        assert t in types, f"{t} missing from {types}"
    seqs = [e.sequence_number for e in events]
    eq(seqs, list(range(len(events))), "sequence numbers")
    deltas = [e.delta for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) > 1, deltas
    eq("".join(deltas), "Echo: stream responses", "assembled deltas")
    last = events[-1]
    assert last.type == "response.completed"
    eq(last.response.status, "completed", "final status")
    eq(last.response.output_text, "Echo: stream responses", "final output_text")
    assert last.response.usage is not None and last.response.usage.output_tokens > 0


@check
def responses_stream_helper() -> None:
    with C.responses.stream(model=MODEL, input="helper stream") as stream:
        events = list(stream)
        final = stream.get_final_response()
    types = [e.type for e in events]
    assert "response.output_text.delta" in types, types
    eq(types[-1], "response.completed", "last event")
    eq(final.status, "completed", "status")
    eq(final.output_text, "Echo: helper stream", "output_text")
    assert final.usage is not None and final.usage.input_tokens > 0


@check
def responses_function_tool() -> None:
    r = C.responses.create(
        model=MODEL, input="weather in Paris?", tools=[RESPONSES_WEATHER_TOOL]
    )
    eq(len(r.output), 1, "output items")
    item = r.output[0]
    eq(item.type, "function_call", "item type")
    assert item.type == "function_call"
    eq(item.name, "get_weather", "name")
    assert item.call_id, "empty call_id"
    eq(json.loads(item.arguments), {"city": "Paris"}, "arguments")
    # Second round: the function output goes back.
    r2 = C.responses.create(
        model=MODEL,
        input=[
            {"role": "user", "content": "weather in Paris?"},
            {
                "type": "function_call",
                "call_id": item.call_id,
                "name": item.name,
                "arguments": item.arguments,
            },
            {"type": "function_call_output", "call_id": item.call_id, "output": "22C"},
        ],
        tools=[RESPONSES_WEATHER_TOOL],
    )
    eq(r2.output_text, "The tool said: 22C", "round 2 output_text")


@check
def responses_function_tool_stream_helper() -> None:
    with C.responses.stream(
        model=MODEL, input="weather in Paris?", tools=[RESPONSES_WEATHER_TOOL]
    ) as stream:
        events = list(stream)
        final = stream.get_final_response()
    types = [e.type for e in events]
    assert "response.function_call_arguments.delta" in types, types
    assert "response.function_call_arguments.done" in types, types
    item = final.output[0]
    eq(item.type, "function_call", "item type")
    assert item.type == "function_call"
    eq(item.name, "get_weather", "name")
    eq(json.loads(item.arguments), {"city": "Paris"}, "arguments")
    # Strict function tools are parsed by the helper.
    eq(item.parsed_arguments, {"city": "Paris"}, "parsed_arguments")


def _items(output: Any) -> list[Any]:
    """Output items as the next request's input items."""
    return [i.model_dump(exclude_none=True) for i in output]


@check
def responses_tool_round_trip() -> None:
    # The whole first answer goes back as input, then the call's output.
    first = C.responses.create(model=MODEL, input="weather in Paris?", tools=[RESPONSES_WEATHER_TOOL])
    calls = [i for i in first.output if i.type == "function_call"]
    eq(len(calls), 1, "calls")
    second = C.responses.create(
        model=MODEL,
        input=[{"role": "user", "content": "weather in Paris?"}, *_items(first.output),
               {"type": "function_call_output", "call_id": calls[0].call_id, "output": "rainy"}],
        tools=[RESPONSES_WEATHER_TOOL],
    )
    eq(second.output_text, "The tool said: rainy", "round 2")


@check
def responses_tool_round_trip_stream() -> None:
    with C.responses.stream(model=MODEL, input="weather in Paris?", tools=[RESPONSES_WEATHER_TOOL]) as s1:
        first = s1.get_final_response()
    calls = [i for i in first.output if i.type == "function_call"]
    eq(len(calls), 1, "calls")
    eq(calls[0].parsed_arguments, {"city": "Paris"}, "parsed_arguments")
    with C.responses.stream(
        model=MODEL,
        input=[{"role": "user", "content": "weather in Paris?"}, *_items(first.output),
               {"type": "function_call_output", "call_id": calls[0].call_id, "output": "rainy"}],
        tools=[RESPONSES_WEATHER_TOOL],
    ) as s2:
        deltas = [e.delta for e in s2 if e.type == "response.output_text.delta"]
        second = s2.get_final_response()
    eq("".join(deltas), "The tool said: rainy", "round 2 deltas")
    eq(second.output_text, "The tool said: rainy", "round 2")


@check
def responses_structured_output_parse() -> None:
    r = C.responses.parse(model=MODEL, input="describe Paris", text_format=CityReport)
    eq(r.output_parsed, CityReport(city="Echo: describe Paris", population=1), "parsed")


@check
def responses_image_input() -> None:
    r = C.responses.create(
        model=MODEL,
        input=[{"role": "user", "content": [
            {"type": "input_text", "text": "what is in this image?"},
            {"type": "input_image", "detail": "auto", "image_url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="},
        ]}],
    )
    eq(r.output_text, "Echo: what is in this image? [image]", "output_text")


@check
def responses_pdf_by_url() -> None:
    """A PDF given by its URL (`input_file` with `file_url`): it reaches Anthropic as a URL
    source and Gemini as `fileData`; Chat takes files as data only, and the route says so
    in `x-aigw-lost`."""
    r = C.responses.with_raw_response.create(
        model=MODEL,
        input=[{"role": "user", "content": [
            {"type": "input_text", "text": "summarize"},
            {"type": "input_file", "file_url": "https://example.com/reports/q3.pdf"},
        ]}],
    )
    carried = not MODEL.startswith("chat-only/")
    eq(r.headers.get("x-aigw-lost"), None if carried else "/input/0/content/1", "x-aigw-lost")
    eq(r.parse().output_text, "Echo: summarize" + (" [document]" if carried else ""), "output_text")


@check
def responses_tool_output_with_image() -> None:
    """A function's output holding a screenshot (a list of parts, as the Agents SDK sends a
    tool's image): where the upstream takes images inside results (Anthropic, Gemini 3 and
    later) the model sees it; Chat's tool messages and Gemini 2.x have no place for it, and
    the route says so in `x-aigw-lost`."""
    first = C.responses.create(model=MODEL, input="weather in Paris?", tools=[RESPONSES_WEATHER_TOOL])
    calls = [i for i in first.output if i.type == "function_call"]
    eq(len(calls), 1, "calls")
    items = _items(first.output)
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    r = C.responses.with_raw_response.create(
        model=MODEL,
        input=[{"role": "user", "content": "weather in Paris?"}, *items,
               {"type": "function_call_output", "call_id": calls[0].call_id, "output": [
                   {"type": "input_text", "text": "22 degrees and sunny"},
                   {"type": "input_image", "image_url": f"data:image/png;base64,{png}"},
               ]}],
        tools=[RESPONSES_WEATHER_TOOL],
    )
    carried = not TRANSLATED or not MODEL.startswith(("chat-only/", "gemini-2"))
    lost = [] if carried else [f"/input/{1 + len(items)}/output/1"]
    # Gemini has no strict tools.
    if TRANSLATED and MODEL.startswith("gemini"):
        lost.append("/tools/0/strict")
    eq(r.headers.get("x-aigw-lost"), ",".join(lost) or None, "x-aigw-lost")
    said = "The tool said: 22 degrees and sunny" + (" [image]" if carried else "")
    eq(r.parse().output_text, said, "output_text")


@check
def responses_service_settings() -> None:
    """Settings about the service that only OpenAI's APIs have (storage, metadata, the
    tier, truncation, a cap on tool calls, whom it is for, the prompt cache): a route to
    Anthropic or Gemini reports each in `x-aigw-lost`, in the order the request's fields
    are checked; a route to Chat carries those Chat has, and the verbosity."""
    r = C.responses.with_raw_response.create(
        model=MODEL,
        input="hello",
        store=True,
        metadata={"run": "42"},
        truncation="disabled",
        service_tier="flex",
        prompt_cache_key="conversation-7",
        max_tool_calls=3,
        safety_identifier="user-7",
        background=False,
        text={"verbosity": "low"},
    )
    want = ("/store,/metadata,/truncation,/service_tier,/prompt_cache_key,/max_tool_calls,"
            "/safety_identifier") if TRANSLATED else None
    # Chat has all but the truncation and the cap on tool calls: carried there.
    if TRANSLATED and MODEL.startswith("chat-only/"):
        want = "/truncation,/max_tool_calls"
    # Gemini has a flex tier: sent there as its `serviceTier`.
    if TRANSLATED and MODEL.startswith("gemini"):
        want = want.replace("/service_tier,", "")
    # Chat has a verbosity; Anthropic and Gemini have none.
    if TRANSLATED and not MODEL.startswith("chat-only/"):
        want += ",/text/verbosity"
    eq(r.headers.get("x-aigw-lost"), want, "x-aigw-lost")
    response = r.parse()
    eq(response.output_text, "Echo: hello", "output_text")
    # The answer echoes the caller's metadata, as the Responses API does, whoever answered;
    # settings the caller left out are there too (`null` where the upstream chose).
    eq(response.metadata, {"run": "42"}, "metadata")
    eq(response.instructions, None, "instructions")
    # So are the other settings the response object has, whoever answered (a route that
    # had no place for one says so in `x-aigw-lost`).
    echoed = (response.truncation, response.prompt_cache_key, response.max_tool_calls,
              response.safety_identifier)
    eq(echoed, ("disabled", "conversation-7", 3, "user-7"), "echoed settings")
    # The tier that served the answer, in OpenAI's word, whole and streamed.
    tier = _served_tier()
    eq(response.service_tier, tier, "service_tier")
    with C.responses.stream(model=MODEL, input="hello", service_tier="flex") as s:
        eq(s.get_final_response().service_tier, tier, "service_tier (stream)")


def _served_tier() -> str:
    """The tier that serves a request for `flex`, as the answer names it: every provider
    but Anthropic has a flex tier; Anthropic serves its standard one (OpenAI's `default`)."""
    return "default" if TRANSLATED and MODEL.startswith("claude") else "flex"


@check
def responses_thinking_round_trip() -> None:
    # Stateless reasoning: the encrypted state must come back with the next turn.
    options: Any = {"reasoning": {"effort": "low", "summary": "auto"}, "store": False,
                    "include": ["reasoning.encrypted_content"]}
    first = C.responses.create(model=MODEL, input="think", **options)
    eq([i.type for i in first.output], ["reasoning", "message"], "item types")
    reasoning = first.output[0]
    assert reasoning.type == "reasoning"
    assert reasoning.encrypted_content, "no encrypted_content"
    assert reasoning.summary and reasoning.summary[0].text, reasoning.summary
    assert first.usage is not None, "no usage"
    # Anthropic counts thinking inside output_tokens only: no reasoning count to carry.
    if os.environ.get("AIGW_NO_REASONING_COUNT") != "1":
        assert first.usage.output_tokens_details.reasoning_tokens > 0, first.usage
    second = C.responses.create(
        model=MODEL,
        input=[{"role": "user", "content": "think"}, *_items(first.output), {"role": "user", "content": "and now?"}],
        **options,
    )
    eq(second.output_text, "Echo: and now?", "second turn")


@check
def error_responses_rate_limited() -> None:
    e = raises(
        openai.RateLimitError,
        lambda: C.responses.create(model=f"{MODEL}+status=429+retry_after=0", input="hi"),
    )
    eq(e.status_code, 429, "status")
    eq(e.code, "rate_limit_exceeded", "code")


@check
def responses_retrieve() -> None:
    r = C.responses.retrieve("resp_42")
    eq(r.id, "resp_42", "id")
    eq(r.status, "completed", "status")
    eq(r.output_text, "stored answer", "output_text")


@check
def responses_delete() -> None:
    # The SDK casts the delete answer to None; no exception means a 2xx.
    eq(C.responses.delete("resp_42"), None, "delete result")
    raw = C.responses.with_raw_response.delete("resp_42")
    eq(raw.status_code, 200, "status")
    eq(json.loads(raw.text), {"id": "resp_42", "object": "response", "deleted": True}, "body")


@check
def responses_cancel() -> None:
    r = C.responses.cancel("resp_42")
    eq(r.id, "resp_42", "id")
    eq(r.status, "cancelled", "status")


@check
def responses_input_items() -> None:
    page = C.responses.input_items.list("resp_42")
    items = list(page)
    eq(len(items), 1, "items")
    item = items[0]
    eq(item.type, "message", "type")
    assert item.type == "message"
    eq(item.role, "user", "role")
    eq(item.content[0].type, "input_text", "content type")
    eq(item.content[0].text, "hello", "text")


# ---------------------------------------------------------------------------------------
# Embeddings and models


@check
def embeddings() -> None:
    r = C.embeddings.create(model=EMBED_MODEL, input=["first text", "second"])
    eq(r.object, "list", "object")
    eq(len(r.data), 2, "vectors")
    eq([d.index for d in r.data], [0, 1], "indexes")
    for d in r.data:
        assert isinstance(d.embedding, list) and len(d.embedding) == 3, d.embedding
        assert all(isinstance(x, float) for x in d.embedding), d.embedding
    eq(r.data[0].embedding, [0.125, 0.1, -0.5], "first vector")
    eq(r.data[1].embedding, [0.125, 0.06, -0.5], "second vector")
    assert r.usage.prompt_tokens > 0, r.usage


@check
def embeddings_float() -> None:
    r = C.embeddings.create(model=EMBED_MODEL, input="one", encoding_format="float")
    eq(len(r.data), 1, "vectors")
    eq(r.data[0].embedding, [0.125, 0.03, -0.5], "vector")


@check
def models_list() -> None:
    ids = [m.id for m in C.models.list()]
    assert "gpt-4o" in ids, ids
    for m in C.models.list().data:
        eq(m.object, "model", "object")


@check
def models_retrieve() -> None:
    m = C.models.retrieve("gpt-4o")
    eq(m.id, "gpt-4o", "id")
    eq(m.object, "model", "object")
    eq(m.owned_by, "system", "owned_by")


# ---------------------------------------------------------------------------------------
# Errors



@check
def chat_sampling_settings() -> None:
    """Settings only some protocols have (a seed, stop sequences, JSON mode without a
    schema): a translating route sends each where the upstream has a place for it and
    reports the others in `x-aigw-lost` (Anthropic has no seed and no JSON mode)."""
    r = C.chat.completions.with_raw_response.create(
        model=MODEL,
        messages=[{"role": "user", "content": "describe Paris as JSON"}],
        seed=7,
        stop=["END"],
        temperature=0.5,
        response_format={"type": "json_object"},
    )
    lost = r.headers.get("x-aigw-lost")
    want = None
    if TRANSLATED and MODEL.startswith("claude"):
        want = {"/response_format", "/seed"}
    elif TRANSLATED and MODEL.startswith("openai-responses/"):
        want = {"/seed", "/stop"}
    eq(set(lost.split(",")) if lost else None, want, "x-aigw-lost")
    done = r.parse()
    assert done.choices[0].message.content, done
    eq(done.choices[0].finish_reason, "stop", "finish_reason")


@check
def chat_service_settings() -> None:
    """Settings about the service (where the answer is kept, which tier serves it, whom it
    is for, how its prompt is cached) and the verbosity: the Responses API has each, and a
    route there sends them (the verbosity as `text.verbosity`); Anthropic and Gemini have
    none but Gemini's flex tier, and a route there says so in `x-aigw-lost`."""
    r = C.chat.completions.with_raw_response.create(
        model=MODEL,
        messages=[{"role": "user", "content": "hello"}],
        store=True,
        metadata={"run": "42"},
        service_tier="flex",
        safety_identifier="user-7",
        prompt_cache_key="conversation-7",
        verbosity="low",
    )
    want = None
    if TRANSLATED and MODEL.startswith(("claude", "gemini")):
        want = "/metadata,/store,/service_tier,/verbosity,/safety_identifier,/prompt_cache_key"
    # Gemini has a flex tier: sent there as its `serviceTier`.
    if TRANSLATED and MODEL.startswith("gemini"):
        want = want.replace("/service_tier,", "")
    eq(r.headers.get("x-aigw-lost"), want, "x-aigw-lost")
    completion = r.parse()
    eq(completion.choices[0].message.content, "Echo: hello", "content")
    # The tier that served the answer, in OpenAI's word; streamed, the SDK keeps the first
    # chunk's.
    tier = _served_tier()
    eq(completion.service_tier, tier, "service_tier")
    messages: Any = [{"role": "user", "content": "hello"}]
    with C.chat.completions.stream(model=MODEL, messages=messages, service_tier="flex") as s:
        eq(s.get_final_completion().service_tier, tier, "service_tier (stream)")


@check
def chat_image() -> None:
    r = C.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": [
            {"type": "text", "text": "what is in this image?"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}},
        ]}],
    )
    eq(r.choices[0].message.content, "Echo: what is in this image? [image]", "content")


@check
def chat_thinking_round_trip() -> None:
    first = C.chat.completions.create(
        model=MODEL, reasoning_effort="low", messages=[{"role": "user", "content": "think"}]
    )
    message = first.choices[0].message
    extra = message.model_extra or {}
    assert extra.get("reasoning_content"), extra
    if TRANSLATED:
        # The upstream's thinking, signed: it must travel with the next turn.
        blocks = extra.get("thinking_blocks") or []
        assert any(b.get("signature") for b in blocks), blocks
    second = C.chat.completions.create(
        model=MODEL,
        reasoning_effort="low",
        messages=[
            {"role": "user", "content": "think"},
            message.model_dump(exclude_none=True),
            {"role": "user", "content": "and now?"},
        ],
    )
    eq(second.choices[0].message.content, "Echo: and now?", "second turn")


@check
def error_400() -> None:
    e = raises(
        openai.BadRequestError,
        lambda: C.chat.completions.create(
            model=f"{MODEL}+status=400", messages=[{"role": "user", "content": "hi"}]
        ),
    )
    eq(e.status_code, 400, "status")
    eq(e.type, "invalid_request_error", "type")
    assert "scripted failure" in e.message, e.message


@check
def error_unknown_model() -> None:
    e = raises(
        openai.NotFoundError,
        lambda: C.chat.completions.create(
            model="no-such-model", messages=[{"role": "user", "content": "hi"}]
        ),
    )
    eq(e.status_code, 404, "status")
    eq(e.code, "model_not_found", "code")


@check
def error_wrong_key() -> None:
    bad = client("not-the-key")
    e = raises(
        openai.AuthenticationError,
        lambda: bad.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}]
        ),
    )
    eq(e.status_code, 401, "status")
    e = raises(openai.AuthenticationError, lambda: bad.models.list())
    eq(e.status_code, 401, "status (models)")


@check
def error_stream_reset() -> None:
    stream = C.chat.completions.create(
        model=f"{MODEL}+reset=2",
        messages=[{"role": "user", "content": "break"}],
        stream=True,
    )
    got: list[Any] = []

    def consume() -> None:
        for chunk in stream:
            got.append(chunk)

    e = raises(openai.APIError, consume)
    # Events 0 and 1 arrived before the break (through a translating route, the
    # upstream's first events map to however many chunks its protocol gives).
    if TRANSLATED:
        assert got, "chunks before the error"
    else:
        eq(len(got), 2, "chunks before the error")
    eq(e.code, "upstream_stream_error", "error code")
    assert not isinstance(e, openai.APIConnectionError), "the stream should end with an error event"


@check
def error_stream_reset_helper() -> None:
    def consume() -> None:
        with C.chat.completions.stream(
            model=f"{MODEL}+reset=2", messages=[{"role": "user", "content": "break"}]
        ) as s:
            for _ in s:
                pass

    e = raises(openai.APIError, consume)
    eq(e.code, "upstream_stream_error", "error code")


@check
def error_responses_stream_reset() -> None:
    reset = 2 if TRANSLATED else 3
    events = list(C.responses.create(model=f"{MODEL}+reset={reset}", input="break", stream=True))
    types = [e.type for e in events]
    if TRANSLATED:
        # The upstream's first events map to however many Responses events they make.
        eq(types[:2], ["response.created", "response.in_progress"], "first types")
        eq(types[-1], "error", "last type")
    else:
        eq(types, ["response.created", "response.in_progress", "response.output_item.added", "error"], "types")
    err = events[-1]
    assert err.type == "error"
    eq(err.code, "upstream_stream_error", "code")
    eq(err.sequence_number, len(events) - 1, "sequence_number follows the last one")


@check
def error_rate_limited() -> None:
    e = raises(
        openai.RateLimitError,
        lambda: C.chat.completions.create(
            model=f"{MODEL}+status=429+retry_after=0",
            messages=[{"role": "user", "content": "hi"}],
        ),
    )
    eq(e.status_code, 429, "status")
    eq(e.code, "rate_limit_exceeded", "code")


@check
def retry_recovers_from_one_429() -> None:
    # The upstream fails the first time only; the gateway's own retry answers.
    import uuid

    tag = uuid.uuid4().hex[:8]
    r = C.chat.completions.create(
        model=f"{MODEL}+status=429x1+retry_after=0+tag={tag}",
        messages=[{"role": "user", "content": "again"}],
    )
    eq(r.choices[0].message.content, "Echo: again", "content")


if __name__ == "__main__":
    main()
