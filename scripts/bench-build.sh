#!/usr/bin/env bash
# Codegen wall time, generated lines, and clean-build time of each generated crate,
# side by side with async-openai (crates.io) in the same run: each crate is built in a
# fresh scratch project with its own empty target directory, so both sides compile
# their whole dependency tree from scratch on this machine.
#
#   scripts/bench-build.sh            # everything
#   RUNS=3 scripts/bench-build.sh     # codegen timed over 3 runs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${SCRATCH:-$(mktemp -d)}
runs=${RUNS:-3}
async_openai_version=${ASYNC_OPENAI_VERSION:-0.43.0}

cargo build --quiet --release -p xtask --manifest-path "$root/Cargo.toml"
echo "## cargo xtask codegen (release, all three providers), $runs runs"
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$root/target/release/xtask" codegen --check >/dev/null
  end=$(date +%s.%N)
  printf '  run %d: %.2f s\n' "$i" "$(echo "$end - $start" | bc)"
done

echo "## generated lines"
for p in openai anthropic gemini; do
  printf '  aigw-%-10s %7d lines (types.rs %d)\n' "$p" "$(cat "$root"/generated/$p/src/*.rs | wc -l)" "$(wc -l < "$root/generated/$p/src/types.rs")"
done

build() { # name, dependency line
  local dir="$scratch/$1"
  mkdir -p "$dir/src"
  printf '[package]\nname = "probe-%s"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\n%s\n' "$1" "$2" > "$dir/Cargo.toml"
  echo 'fn main() {}' > "$dir/src/main.rs"
  (cd "$dir" && cargo fetch --quiet)
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && cargo build --quiet --offline)
  end=$(date +%s.%N)
  printf '  %-40s %6.1f s\n' "$1" "$(echo "$end - $start" | bc)"
}

echo "## clean debug build, whole dependency tree (2 cores)"
build aigw-openai-types "aigw-openai = { path = \"$root/generated/openai\" }"
build async-openai-types "async-openai = { version = \"=$async_openai_version\", default-features = false, features = [\"chat-completion-types\", \"response-types\", \"embedding-types\", \"model-types\"] }"
build aigw-openai-client "aigw-openai = { path = \"$root/generated/openai\", features = [\"client\"] }"
build async-openai-client "async-openai = { version = \"=$async_openai_version\", features = [\"chat-completion\", \"responses\", \"embedding\", \"model\"] }"
build aigw-anthropic-types "aigw-anthropic = { path = \"$root/generated/anthropic\" }"
build aigw-gemini-types "aigw-gemini = { path = \"$root/generated/gemini\" }"

echo "## async-openai source lines (its types for the same surfaces)"
src=$(find "$scratch/async-openai-types" -maxdepth 0 >/dev/null; ls -d ~/.cargo/registry/src/*/async-openai-$async_openai_version 2>/dev/null | head -n1)
if [ -n "$src" ]; then
  printf '  async-openai %s: %d lines of Rust in src/\n' "$async_openai_version" "$(find "$src/src" -name '*.rs' | xargs cat | wc -l)"
fi
