#!/usr/bin/env bash
# Browser tests of the bill simulator, in headless Debian Chromium:
#   1. release build (trunk) and the gzipped size of the first load, the page's .wasm + .js
#      (fails over 300 KB = 307,200 B; the worker's module, loaded on first use, is printed apart),
#      then the unit-model lab's own page and module (web/dist/lab, loaded when the lab is opened);
#   2. wasm-bindgen-test component tests (web/tests/*.rs) via chromedriver;
#   3. the end-to-end test (tests/e2e/e2e.mjs): worked example C on screen, saved scenario
#      after reload, broken share links, no network requests, recompute+render time.
# Installs what it needs (scripts/install-tools.sh --browser). Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/install-tools.sh" --browser
# trunk finds wasm-opt on PATH (web/Trunk.toml pins its version).
export PATH="$ROOT/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

echo "== release build (web/dist)"
(cd "$ROOT/web" && trunk build --release && trunk build lab/index.html --release --dist dist/lab)
# The first load is the page's module (unitcalc-web-<hash>); the worker's module
# (unitcalc-worker*, web/src/worker.rs) loads only when a bill's trail is opened.
wasm="$(ls "$ROOT"/web/dist/unitcalc-web-*_bg.wasm)"
js="$(ls "$ROOT"/web/dist/unitcalc-web-*.js)"
ww="$(gzip -9 -c "$ROOT"/web/dist/unitcalc-worker_bg.wasm | wc -c)"
wj="$(cat "$ROOT"/web/dist/unitcalc-worker.js "$ROOT"/web/dist/unitcalc-worker_loader.js | gzip -9 | wc -c)"
echo "SIZE worker (loaded on first use): wasm $ww B gzipped, js $wj B gzipped"
wz=$(gzip -9 -c "$wasm" | wc -c)
jz=$(gzip -9 -c "$js" | wc -c)
total=$((wz + jz))
echo "SIZE release wasm $(stat -c %s "$wasm") B raw, $wz B gzipped; js $(stat -c %s "$js") B raw, $jz B gzipped;" \
  "wasm+js gzipped: $total B = $((total / 1024)) KiB (limit 300 KB = 307200 B)"
if [ "$total" -gt 307200 ]; then
  echo "SIZE FAIL: release wasm+js is $total B gzipped, over the 300 KB limit (307200 B); see docs/web.md for how to find savings" >&2
  exit 1
fi
lw="$(ls "$ROOT"/web/dist/lab/*.wasm)"; lj="$(ls "$ROOT"/web/dist/lab/*.js)"
echo "SIZE the lab's own module (loaded only when the lab is opened): wasm+js gzipped" \
  "$(( $(gzip -9 -c "$lw" | wc -c) + $(gzip -9 -c "$lj" | wc -c) )) B"

echo "== component tests (wasm-bindgen-test, headless Chromium)"
# web/webdriver.json passes --no-sandbox etc. to Chromium; the runner adds --headless.
(cd "$ROOT/web" && CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p unitcalc-web --target wasm32-unknown-unknown)

echo "== end-to-end test (playwright-core + /usr/bin/chromium)"
(cd "$ROOT/tests/e2e" && node e2e.mjs)
