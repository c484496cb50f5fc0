#!/usr/bin/env bash
# Load benchmark: the gateway vs. the mock upstream directly, in one run.
#
# The mocks (tests/mock, binary aigw-mock) and the load generator (wrk) share core 1; the
# gateway has core 0 to itself (taskset, one tokio worker). Each scenario runs direct and
# through the gateway, back to back, at each concurrency. Prints a Markdown table:
# requests/s, p50 and p99 latency, gateway/direct ratios, and the gateway's peak RSS.
#
# Scenarios:
#   chat-json, chat-stream      OpenAI chat passthrough (direct: the OpenAI mock)
#   xlate-json, xlate-stream    OpenAI chat in, Anthropic upstream: translated both ways
#                               (direct: the same conversation sent to the Anthropic mock)
#
#   scripts/bench-load.sh                # 10 s per run
#   DURATION=30s scripts/bench-load.sh
#   CONCURRENCY="1 16 64" SCENARIOS="chat-json xlate-stream" scripts/bench-load.sh
#   BUSY_POLL_US=300 scripts/bench-load.sh   # the gateway's server.busy_poll_us
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-"1 16 64"}
SCENARIOS=${SCENARIOS:-"chat-json chat-stream xlate-json xlate-stream"}
OPENAI_PORT=${OPENAI_PORT:-18401}
ANTHROPIC_PORT=${ANTHROPIC_PORT:-18402}
GW_PORT=${GW_PORT:-18400}
BUSY_POLL_US=${BUSY_POLL_US:-0}
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 2; }
cargo build --release -q -p aigw -p aigw-mock
work=$(mktemp -d)
cleanup() { kill "${openai_pid:-}" "${anthropic_pid:-}" "${gw_pid:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

taskset -c 1 target/release/aigw-mock --kind openai --listen 127.0.0.1:$OPENAI_PORT --key sk-bench --threads 1 >"$work/openai.out" 2>&1 &
openai_pid=$!
taskset -c 1 target/release/aigw-mock --kind anthropic --listen 127.0.0.1:$ANTHROPIC_PORT --key sk-bench --threads 1 >"$work/anthropic.out" 2>&1 &
anthropic_pid=$!
cat >"$work/gw.toml" <<TOML
[server]
listen = "127.0.0.1:$GW_PORT"
busy_poll_us = $BUSY_POLL_US
[providers.openai]
kind = "openai"
base_url = "http://127.0.0.1:$OPENAI_PORT/v1"
api_key_env = "BENCH_KEY"
[providers.anthropic]
kind = "anthropic"
base_url = "http://127.0.0.1:$ANTHROPIC_PORT"
api_key_env = "BENCH_KEY"
TOML
BENCH_KEY=sk-bench AIGW_LOG=warn TOKIO_WORKER_THREADS=1 taskset -c 0 \
    target/release/aigw serve --config "$work/gw.toml" >"$work/gw.out" 2>"$work/gw.log" &
gw_pid=$!
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$GW_PORT/healthz" && break
    sleep 0.1
done

SYSTEM="You are terse."
QUESTION="Say hello to the benchmark, please."
chat_body() { # model stream
    local s=""
    [ "$2" = true ] && s='"stream":true,"stream_options":{"include_usage":true},'
    echo "{\"model\":\"$1\",$s\"messages\":[{\"role\":\"system\",\"content\":\"$SYSTEM\"},{\"role\":\"user\",\"content\":\"$QUESTION\"}],\"temperature\":0.2}"
}
anthropic_body() { # stream
    local s=""
    [ "$1" = true ] && s='"stream":true,'
    echo "{\"model\":\"claude-sonnet-4-5\",$s\"max_tokens\":4096,\"system\":\"$SYSTEM\",\"messages\":[{\"role\":\"user\",\"content\":\"$QUESTION\"}],\"temperature\":0.2}"
}

# scenario side -> "url body"
target() {
    local gw="http://127.0.0.1:$GW_PORT/v1/chat/completions"
    case "$1:$2" in
        chat-json:direct) echo "http://127.0.0.1:$OPENAI_PORT/v1/chat/completions $(chat_body gpt-4o false)" ;;
        chat-json:gateway) echo "$gw $(chat_body gpt-4o false)" ;;
        chat-stream:direct) echo "http://127.0.0.1:$OPENAI_PORT/v1/chat/completions $(chat_body gpt-4o true)" ;;
        chat-stream:gateway) echo "$gw $(chat_body gpt-4o true)" ;;
        xlate-json:direct) echo "http://127.0.0.1:$ANTHROPIC_PORT/v1/messages $(anthropic_body false)" ;;
        xlate-json:gateway) echo "$gw $(chat_body claude-sonnet-4-5 false)" ;;
        xlate-stream:direct) echo "http://127.0.0.1:$ANTHROPIC_PORT/v1/messages $(anthropic_body true)" ;;
        xlate-stream:gateway) echo "$gw $(chat_body claude-sonnet-4-5 true)" ;;
    esac
}

run() { # scenario side concurrency -> "rps p50_ms p99_ms"
    local url body
    read -r url body < <(target "$1" "$2")
    cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.headers["x-api-key"] = "sk-bench"
wrk.headers["anthropic-version"] = "2023-06-01"
LUA
    local out rps p50 p99
    out=$(taskset -c 1 wrk -t1 -c"$3" -d"$DURATION" --latency -s "$work/post.lua" "$url")
    if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers in $1 $2" >&2; fi
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}

to_ms() { # wrk prints 85.00us / 1.20ms / 1.01s
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else { printf "%s", v } }'
}

# Warm both paths (connections, pools).
for s in $SCENARIOS; do
    run "$s" direct 4 >/dev/null
    run "$s" gateway 4 >/dev/null
done

echo "gateway: server.busy_poll_us = $BUSY_POLL_US; $DURATION per run; gateway on core 0, mocks + wrk on core 1"
echo
echo "| scenario | c | direct req/s | gateway req/s | ratio | direct p50 ms | gateway p50 ms | p50 added ms | direct p99 ms | gateway p99 ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for s in $SCENARIOS; do
    for c in $CONCURRENCY; do
        read -r d_rps d_p50 d_p99 < <(run "$s" direct "$c")
        read -r g_rps g_p50 g_p99 < <(run "$s" gateway "$c")
        awk -v s="$s" -v c="$c" -v dr="$d_rps" -v gr="$g_rps" -v d50="$d_p50" -v g50="$g_p50" -v d99="$d_p99" -v g99="$g_p99" \
            'BEGIN { printf "| %s | %d | %.0f | %.0f | %.2f | %.3f | %.3f | %+.3f | %.3f | %.3f |\n", s, c, dr, gr, gr / dr, d50, g50, g50 - d50, d99, g99 }'
    done
done
echo
echo "gateway peak RSS: $(awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' /proc/$gw_pid/status); after the runs: $(awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' /proc/$gw_pid/status)"
errors=$(grep -c -E "WARN|ERROR" "$work/gw.log" || true)
echo "gateway warnings/errors logged: $errors"
