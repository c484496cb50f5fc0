"""End-to-end checks of the gateway with the official `google-genai` Python SDK.

Env: AIGW_BASE (e.g. http://127.0.0.1:19000), AIGW_KEY (a gateway key),
AIGW_GEMINI_MODEL (default gemini-2.5-flash), AIGW_GEMINI_EMBED_MODEL (default
gemini-embedding-001). Scenario tokens for the mock upstream ride on the model name
after `+` (`gemini-2.5-flash+status=400`).

The client goes to `{AIGW_BASE}/v1beta/models/...` (google-genai 3.x defaults to
`v1`; the version is set explicitly). SDK retries are off.

Run: python genai_sdk.py [check_name ...]   (no names: every check)
Prints `ok <name>` / `FAIL <name>: <traceback>`; exits 1 if any check failed.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any, Callable

from google import genai
from google.genai import errors, types
from pydantic import BaseModel

BASE = os.environ.get("AIGW_BASE", "http://127.0.0.1:19000").rstrip("/")
KEY = os.environ.get("AIGW_KEY", "gw-sdk-key")
MODEL = os.environ.get("AIGW_GEMINI_MODEL", "gemini-2.5-flash")
# Set when the model routes to another protocol (the gateway translates).
TRANSLATED = os.environ.get("AIGW_TRANSLATED") == "1"
EMBED_MODEL = os.environ.get("AIGW_GEMINI_EMBED_MODEL", "gemini-embedding-001")
# A 1x1 PNG, base64.
PDF_URL = "https://example.com/reports/q3.pdf"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
TIMEOUT_MS = 20_000


def client(key: str = KEY) -> genai.Client:
    return genai.Client(
        api_key=key,
        http_options=types.HttpOptions(
            base_url=BASE,
            api_version="v1beta",
            timeout=TIMEOUT_MS,
            retry_options=types.HttpRetryOptions(attempts=1),
        ),
    )


C = client()

WEATHER_DECL = types.FunctionDeclaration(
    name="get_weather",
    description="Current weather in a city",
    parameters=types.Schema(
        type=types.Type.OBJECT,
        properties={"city": types.Schema(type=types.Type.STRING)},
        required=["city"],
    ),
)
NO_AFC = types.AutomaticFunctionCallingConfig(disable=True)
TOOL_CONFIG = types.GenerateContentConfig(
    tools=[types.Tool(function_declarations=[WEATHER_DECL])],
    automatic_function_calling=NO_AFC,
)
THINKING_CONFIG = types.GenerateContentConfig(
    thinking_config=types.ThinkingConfig(include_thoughts=True)
)
THOUGHT_TEXT = "Thinking about the question."
THINKING_TOOL_CONFIG = types.GenerateContentConfig(
    tools=[types.Tool(function_declarations=[WEATHER_DECL])],
    automatic_function_calling=NO_AFC,
    thinking_config=types.ThinkingConfig(include_thoughts=True),
)
# Thinking on, its thoughts not asked for: Gemini sends the signatures alone.
HIDDEN_THINKING_CONFIG = types.GenerateContentConfig(
    thinking_config=types.ThinkingConfig(thinking_budget=1024)
)
HIDDEN_THINKING_TOOL_CONFIG = types.GenerateContentConfig(
    tools=[types.Tool(function_declarations=[WEATHER_DECL])],
    automatic_function_calling=NO_AFC,
    thinking_config=types.ThinkingConfig(thinking_budget=1024),
)

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
    print(f"# genai: {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


def user(text: str) -> types.Content:
    return types.Content(role="user", parts=[types.Part(text=text)])


# ---------------------------------------------------------------------------------------
# generateContent / streamGenerateContent


@check
def generate_text() -> None:
    r = C.models.generate_content(model=MODEL, contents="hello there")
    eq(r.text, "Echo: hello there", "text")
    assert r.candidates, "no candidates"
    cand = r.candidates[0]
    eq(cand.finish_reason, types.FinishReason.STOP, "finish_reason")
    assert cand.content is not None
    eq(cand.content.role, "model", "role")
    u = r.usage_metadata
    assert u is not None, "no usage_metadata"
    assert u.prompt_token_count and u.prompt_token_count > 0, u
    assert u.candidates_token_count and u.candidates_token_count > 0, u
    eq(u.total_token_count, u.prompt_token_count + u.candidates_token_count, "total_token_count")
    eq(r.function_calls, None, "function_calls")


@check
def generate_stream() -> None:
    chunks = list(C.models.generate_content_stream(model=MODEL, contents="stream me"))
    assert len(chunks) > 1, chunks
    eq("".join(c.text or "" for c in chunks), "Echo: stream me", "assembled text")
    last = chunks[-1]
    assert last.candidates
    eq(last.candidates[0].finish_reason, types.FinishReason.STOP, "last finish_reason")
    assert all(c.candidates[0].finish_reason is None for c in chunks[:-1]), "early finish_reason"
    # Gemini puts usage on every chunk; a translated stream knows it at the end only.
    for c in chunks[-1:] if TRANSLATED else chunks:
        assert c.usage_metadata and c.usage_metadata.prompt_token_count, c.usage_metadata


@check
def service_tier_flex() -> None:
    """Gemini's flex tier: OpenAI has one too (a route there sends it), Anthropic none (the
    route says so in `x-aigw-lost`). The tier that served the answer is in the wire's
    `usageMetadata.serviceTier`, which this SDK's `GenerateContentResponseUsageMetadata`
    has no field for (google-genai 3.6.1): the translation tests check it there."""
    config = types.GenerateContentConfig(service_tier=types.ServiceTier.FLEX)
    r = C.models.generate_content(model=MODEL, contents="hello", config=config)
    anthropic = TRANSLATED and MODEL.startswith("claude")
    headers = r.sdk_http_response.headers if r.sdk_http_response else None
    eq((headers or {}).get("x-aigw-lost"), "/serviceTier" if anthropic else None, "x-aigw-lost")
    eq(r.text, "Echo: hello", "text")
    chunks = list(C.models.generate_content_stream(model=MODEL, contents="hello", config=config))
    eq("".join(c.text or "" for c in chunks), "Echo: hello", "assembled text")


@check
def function_call() -> None:
    r = C.models.generate_content(model=MODEL, contents="weather in Paris?", config=TOOL_CONFIG)
    calls = r.function_calls
    assert calls is not None and len(calls) == 1, calls
    eq(calls[0].name, "get_weather", "name")
    eq(calls[0].args, {"city": "Paris"}, "args")
    eq(r.text, None, "text")


def get_weather(city: str) -> str:
    """Current weather in a city."""
    return f"sunny in {city}"


@check
def function_call_from_python_function() -> None:
    # The SDK builds the declaration from a Python callable; no automatic calling.
    r = C.models.generate_content(
        model=MODEL,
        contents="weather in Paris?",
        config=types.GenerateContentConfig(tools=[get_weather], automatic_function_calling=NO_AFC),
    )
    calls = r.function_calls
    assert calls is not None and len(calls) == 1, calls
    eq(calls[0].name, "get_weather", "name")
    eq(calls[0].args, {"city": "Paris"}, "args")


def _round_two(first: types.GenerateContentResponse, result: Any) -> list[types.Content]:
    assert first.candidates and first.candidates[0].content
    call = first.function_calls[0]  # type: ignore[index]
    return [
        user("weather in Paris?"),
        first.candidates[0].content,
        types.Content(
            role="user",
            parts=[types.Part.from_function_response(name=call.name or "", response=result)],
        ),
    ]


@check
def function_round_trip() -> None:
    first = C.models.generate_content(model=MODEL, contents="weather in Paris?", config=TOOL_CONFIG)
    assert first.function_calls, "round 1 made no call"
    second = C.models.generate_content(
        model=MODEL, contents=_round_two(first, {"result": "22C"}), config=TOOL_CONFIG
    )
    eq(second.text, 'The tool said: 22C', "round 2 text")
    eq(second.function_calls, None, "round 2 function_calls")


@check
def function_round_trip_stream() -> None:
    first_chunks = list(
        C.models.generate_content_stream(model=MODEL, contents="weather in Paris?", config=TOOL_CONFIG)
    )
    calls = [fc for c in first_chunks for fc in (c.function_calls or [])]
    eq(len(calls), 1, "round 1 calls")
    eq(calls[0].name, "get_weather", "name")
    eq(calls[0].args, {"city": "Paris"}, "args")
    call_chunk = next(c for c in first_chunks if c.function_calls)
    chunks = list(
        C.models.generate_content_stream(
            model=MODEL, contents=_round_two(call_chunk, {"result": "22C"}), config=TOOL_CONFIG
        )
    )
    eq("".join(c.text or "" for c in chunks), 'The tool said: 22C', "round 2 text")


# ---------------------------------------------------------------------------------------
# Thinking


@check
def thinking() -> None:
    r = C.models.generate_content(model=MODEL, contents="think first", config=THINKING_CONFIG)
    assert r.candidates and r.candidates[0].content and r.candidates[0].content.parts
    parts = r.candidates[0].content.parts
    thoughts = [p for p in parts if p.thought]
    eq(len(thoughts), 1, "thought parts")
    if TRANSLATED:
        assert thoughts[0].text, "thought text"
    else:
        eq(thoughts[0].text, THOUGHT_TEXT, "thought text")
    signed = [p for p in parts if p.thought_signature]
    eq(len(signed), 1, "parts with a thought_signature")
    assert isinstance(signed[0].thought_signature, bytes) and signed[0].thought_signature
    eq(signed[0].text, "Echo: think first", "signed part text")
    # `.text` leaves the thoughts out.
    eq(r.text, "Echo: think first", "text")
    u = r.usage_metadata
    # Anthropic counts thinking inside output tokens: no separate figure to translate.
    assert u and (TRANSLATED or (u.thoughts_token_count and u.thoughts_token_count > 0)), u


@check
def thinking_stream() -> None:
    chunks = list(
        C.models.generate_content_stream(model=MODEL, contents="think first", config=THINKING_CONFIG)
    )
    parts = [p for c in chunks if c.candidates and c.candidates[0].content for p in (c.candidates[0].content.parts or [])]
    thoughts = [p for p in parts if p.thought]
    if TRANSLATED:
        assert "".join(p.text or "" for p in thoughts), "thought parts"
    else:
        eq([p.text for p in thoughts], [THOUGHT_TEXT], "thought parts")
    signed = [p for p in parts if p.thought_signature]
    eq(len(signed), 1, "parts with a thought_signature")
    assert signed[0].thought_signature
    eq("".join(p.text or "" for p in parts if not p.thought), "Echo: think first", "answer text")


@check
def thinking_signature_carried_into_next_turn() -> None:
    first = C.models.generate_content(model=MODEL, contents="think first", config=THINKING_CONFIG)
    assert first.candidates and first.candidates[0].content
    prev = first.candidates[0].content
    assert any(p.thought_signature for p in prev.parts or []), "no signature to carry"
    second = C.models.generate_content(
        model=MODEL,
        contents=[user("think first"), prev, user("and then?")],
        config=THINKING_CONFIG,
    )
    eq(second.text, "Echo: and then?", "text")


@check
def thinking_function_call_round_trip() -> None:
    # A function call made while thinking carries a signature that must come back with it.
    config = THINKING_TOOL_CONFIG
    first = C.models.generate_content(model=MODEL, contents="weather in Paris?", config=config)
    assert first.candidates and first.candidates[0].content
    fc_parts = [p for p in first.candidates[0].content.parts or [] if p.function_call]
    eq(len(fc_parts), 1, "function call parts")
    assert fc_parts[0].thought_signature, "function call part without a thought_signature"
    second = C.models.generate_content(
        model=MODEL, contents=_round_two(first, {"result": "rain"}), config=config
    )
    eq(second.text, 'The tool said: rain', "round 2 text")


@check
def thought_signature_function_call_round_trip() -> None:
    _function_round_trip_as_gemini_cli(THINKING_TOOL_CONFIG)


@check
def thinking_level_function_call_round_trip() -> None:
    # Gemini 3's thinking level, as gemini-cli asks for it.
    _function_round_trip_as_gemini_cli(
        types.GenerateContentConfig(
            tools=[types.Tool(function_declarations=[WEATHER_DECL])],
            automatic_function_calling=NO_AFC,
            thinking_config=types.ThinkingConfig(thinking_level="HIGH", include_thoughts=True),
        )
    )


def _function_round_trip_as_gemini_cli(config: types.GenerateContentConfig) -> None:
    # The history as gemini-cli keeps it: the model's thought parts left out, the
    # signature on its call part sent back with it.
    first = C.models.generate_content(model=MODEL, contents="weather in Paris?", config=config)
    assert first.candidates and first.candidates[0].content
    content = first.candidates[0].content
    parts = [p for p in content.parts or [] if not p.thought]
    fc_parts = [p for p in parts if p.function_call]
    eq(len(fc_parts), 1, "function call parts")
    assert fc_parts[0].thought_signature, "function call part without a thought_signature"
    call = fc_parts[0].function_call
    assert call is not None
    second = C.models.generate_content(
        model=MODEL,
        contents=[
            user("weather in Paris?"),
            types.Content(role="model", parts=parts),
            types.Content(
                role="user",
                parts=[types.Part.from_function_response(name=call.name or "", response={"result": "rain"})],
            ),
        ],
        config=config,
    )
    eq(second.text, 'The tool said: rain', "round 2 text")


@check
def thinking_hidden_stream() -> None:
    chunks = list(
        C.models.generate_content_stream(
            model=MODEL, contents="think first", config=HIDDEN_THINKING_CONFIG
        )
    )
    parts = [p for c in chunks if c.candidates and c.candidates[0].content for p in (c.candidates[0].content.parts or [])]
    eq([p.text for p in parts if p.thought], [], "thought parts nobody asked for")
    signed = [p for p in parts if p.thought_signature]
    eq(len(signed), 1, "parts with a thought_signature")
    eq("".join(p.text or "" for p in parts), "Echo: think first", "answer text")
    u = chunks[-1].usage_metadata
    assert u and (TRANSLATED or (u.thoughts_token_count and u.thoughts_token_count > 0)), u


@check
def thinking_hidden_function_call_round_trip() -> None:
    # No thought parts, but the call's signature, which must come back with it.
    config = HIDDEN_THINKING_TOOL_CONFIG
    first = C.models.generate_content(model=MODEL, contents="weather in Paris?", config=config)
    assert first.candidates and first.candidates[0].content
    parts = first.candidates[0].content.parts or []
    eq([p.text for p in parts if p.thought], [], "thought parts nobody asked for")
    fc_parts = [p for p in parts if p.function_call]
    eq(len(fc_parts), 1, "function call parts")
    assert fc_parts[0].thought_signature, "function call part without a thought_signature"
    second = C.models.generate_content(
        model=MODEL, contents=_round_two(first, {"result": "rain"}), config=config
    )
    eq(second.text, 'The tool said: rain', "round 2 text")


# ---------------------------------------------------------------------------------------
# Structured output


class CityReport(BaseModel):
    city: str
    population: int


@check
def structured_output_parsed() -> None:
    r = C.models.generate_content(
        model=MODEL,
        contents="describe Paris",
        config=types.GenerateContentConfig(
            response_mime_type="application/json", response_schema=CityReport
        ),
    )
    eq(json.loads(r.text or ""), {"city": "Echo: describe Paris", "population": 1}, "JSON text")
    assert isinstance(r.parsed, CityReport), type(r.parsed)
    eq(r.parsed, CityReport(city="Echo: describe Paris", population=1), "parsed")


@check
def structured_output_schema() -> None:
    r = C.models.generate_content(
        model=MODEL,
        contents="describe Paris",
        config=types.GenerateContentConfig(
            response_mime_type="application/json",
            response_schema=types.Schema(
                type=types.Type.OBJECT,
                properties={
                    "city": types.Schema(type=types.Type.STRING),
                    "sunny": types.Schema(type=types.Type.BOOLEAN),
                },
            ),
        ),
    )
    eq(r.parsed, {"city": "Echo: describe Paris", "sunny": True}, "parsed")


# ---------------------------------------------------------------------------------------
# Embeddings, tokens, models


@check
def embed_content() -> None:
    r = C.models.embed_content(model=EMBED_MODEL, contents="hello")
    assert r.embeddings is not None
    eq(len(r.embeddings), 1, "embeddings")
    eq(r.embeddings[0].values, [0.25, 0.05, -0.75], "values")


@check
def embed_content_batch() -> None:
    r = C.models.embed_content(model=EMBED_MODEL, contents=["hello", "hello world"])
    assert r.embeddings is not None
    eq(len(r.embeddings), 2, "embeddings")
    eq(r.embeddings[0].values, [0.25, 0.05, -0.75], "first values")
    eq(r.embeddings[1].values, [0.25, 0.11, -0.75], "second values")


@check
def count_tokens() -> None:
    r = C.models.count_tokens(model=MODEL, contents="count these words please")
    assert isinstance(r.total_tokens, int) and r.total_tokens > 0, r


@check
def models_list() -> None:
    names = [m.name for m in C.models.list()]
    assert "models/gemini-2.5-flash" in names, names


@check
def models_get() -> None:
    m = C.models.get(model="gemini-2.5-flash")
    eq(m.name, "models/gemini-2.5-flash", "name")
    eq(m.display_name, "gemini-2.5-flash", "display_name")
    eq(m.input_token_limit, 1048576, "input_token_limit")


# ---------------------------------------------------------------------------------------
# Errors



@check
def function_response_with_image() -> None:
    """A function's result holding an image (`FunctionResponse.parts`, as gemini-cli sends
    a screenshot to Gemini 3): Gemini 2.x refuses it (the gateway passes the refusal on);
    a route to Anthropic or the Responses API carries it; Chat's tool messages have no place
    for it, and the route says so in `x-aigw-lost`."""
    import base64

    first = C.models.generate_content(model=MODEL, contents="weather in Paris?", config=TOOL_CONFIG)
    assert first.candidates and first.candidates[0].content and first.function_calls
    call = first.function_calls[0]
    image = types.FunctionResponseBlob(mime_type="image/png", data=base64.b64decode(PNG))
    result = types.FunctionResponse(
        id=call.id,
        name=call.name,
        response={"result": "22C"},
        parts=[types.FunctionResponsePart(inline_data=image)],
    )
    contents = [
        user("weather in Paris?"),
        first.candidates[0].content,
        types.Content(role="user", parts=[types.Part(function_response=result)]),
    ]
    ask = lambda: C.models.generate_content(model=MODEL, contents=contents, config=TOOL_CONFIG)
    if not TRANSLATED and not MODEL.startswith("gemini-3"):
        err = raises(errors.ClientError, ask)
        eq(err.code, 400, "status")
        assert "function_response.parts" in (err.message or ""), err.message
        return
    r = ask()
    carried = not TRANSLATED or not MODEL.startswith("gpt-")
    lost = None if carried else "/contents/2/parts/0/functionResponse/parts"
    headers = r.sdk_http_response.headers if r.sdk_http_response else None
    eq((headers or {}).get("x-aigw-lost"), lost, "x-aigw-lost")
    eq(r.text, "The tool said: 22C" + (" [image]" if carried else ""), "text")


@check
def pdf_by_url() -> None:
    """A PDF given by its URL (`Part.from_uri`): it reaches Anthropic as a URL source and
    the Responses API as `file_url`; Chat takes files as data only, and the route says so
    in `x-aigw-lost`."""
    r = C.models.generate_content(
        model=MODEL,
        contents=[types.Content(role="user", parts=[
            types.Part(text="summarize"),
            types.Part.from_uri(file_uri=PDF_URL, mime_type="application/pdf"),
        ])],
    )
    carried = not TRANSLATED or not MODEL.startswith("gpt-")
    headers = r.sdk_http_response.headers if r.sdk_http_response else None
    eq((headers or {}).get("x-aigw-lost"), None if carried else "/contents/0/parts/1", "x-aigw-lost")
    eq(r.text, "Echo: summarize" + (" [document]" if carried else ""), "text")


@check
def image_input() -> None:
    import base64

    r = C.models.generate_content(
        model=MODEL,
        contents=[types.Content(role="user", parts=[
            types.Part(text="what is this"),
            types.Part.from_bytes(data=base64.b64decode(PNG), mime_type="image/png"),
        ])],
    )
    eq(r.text, "Echo: what is this [image]", "text")


@check
def error_400() -> None:
    e = raises(
        errors.ClientError,
        lambda: C.models.generate_content(model=f"{MODEL}+status=400", contents="hi"),
    )
    eq(e.code, 400, "code")
    eq(e.status, "INVALID_ARGUMENT", "status")
    eq(e.message, "scripted failure", "message")


@check
def error_unknown_model() -> None:
    e = raises(
        errors.ClientError,
        lambda: C.models.generate_content(model="no-such-model", contents="hi"),
    )
    eq(e.code, 404, "code")
    eq(e.status, "NOT_FOUND", "status")


@check
def error_wrong_key() -> None:
    bad = client("not-the-key")
    e = raises(errors.ClientError, lambda: bad.models.generate_content(model=MODEL, contents="hi"))
    eq(e.code, 401, "code")
    eq(e.status, "UNAUTHENTICATED", "status")


@check
def error_stream_reset() -> None:
    got: list[Any] = []

    def consume() -> None:
        for chunk in C.models.generate_content_stream(model=f"{MODEL}+reset=1", contents="break me"):
            got.append(chunk)

    e = raises(errors.APIError, consume)
    if not TRANSLATED:
        # The first chunk arrived before the break.
        eq(len(got), 1, "chunks before the error")
        eq(got[0].text, "Echo:", "first chunk text")
    assert isinstance(e, errors.ServerError), type(e)
    eq(e.code, 502, "code")
    eq(e.status, "UNAVAILABLE", "status")


@check
def error_rate_limited() -> None:
    e = raises(
        errors.ClientError,
        lambda: C.models.generate_content(model=f"{MODEL}+status=429+retry_after=0", contents="hi"),
    )
    eq(e.code, 429, "code")
    eq(e.status, "RESOURCE_EXHAUSTED", "status")


if __name__ == "__main__":
    main()
