#!/usr/bin/env bash
# Fuzz smoke run: each cargo-fuzz target for a few seconds (about a minute in
# all), starting from the committed seed corpora. Not a substitute for long
# runs (see fuzz/README.md); it catches crashes on the seeds and shallow
# mutations of them.
#
#   scripts/fuzz-smoke.sh            # 12 s per target
#   FUZZ_SECONDS=60 scripts/fuzz-smoke.sh
#
# Skips (exit 0, with a message) when `cargo +nightly fuzz` is not available.
# Exits non-zero when a target crashes; the crashing input is written under
# fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-12}"
targets=(matrix_toml deal_toml usage_csv price_invariants share_link saved_json)

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: skipped: \`cargo +nightly fuzz\` is not available (install the nightly toolchain and \`cargo install cargo-fuzz\`)"
    exit 0
fi

cd fuzz
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/target}"
cargo +nightly fuzz build
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    echo "fuzz-smoke: $t for ${seconds}s"
    # New corpus entries go to the scratch directory, never into fuzz/corpus.
    if ! cargo +nightly fuzz run "$t" "$work/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=1024 -print_final_stats=1 >"$work/$t.log" 2>&1; then
        echo "fuzz-smoke: $t FAILED"
        tail -n 40 "$work/$t.log"
        failed+=("$t")
    else
        grep -E '^stat::number_of_executed_units|^Done' "$work/$t.log" | sed "s/^/fuzz-smoke: $t: /" || true
    fi
done
if ((${#failed[@]})); then
    echo "fuzz-smoke: crashes in: ${failed[*]}"
    exit 1
fi
echo "fuzz-smoke: ok"
