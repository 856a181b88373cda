#!/usr/bin/env bash
# Size of the browser module without trunk, for size work: builds unitcalc-web
# at the `wasm-release` profile, runs wasm-bindgen and `wasm-opt -Oz` (the
# release build's steps) and prints raw and `gzip -9` sizes. Tools as
# installed by `scripts/install-tools.sh --browser`.
#
#   scripts/wasm-size.sh                 # sizes (same figures as the SIZE line)
#   NAMES=1 scripts/wasm-size.sh         # also keeps a copy with function names
#                                        # for `twiggy top|dominators|monos`
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$ROOT/target}"
out="$target/wasm-size"
rm -rf "$out" && mkdir -p "$out"
strip=true
if [ "${NAMES:-0}" = 1 ]; then strip=false; fi
(cd "$ROOT" && CARGO_PROFILE_WASM_RELEASE_STRIP=$strip cargo build -q -p unitcalc-web \
  --target wasm32-unknown-unknown --profile wasm-release --target-dir "$target")
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "$target/wasm32-unknown-unknown/wasm-release/unitcalc-web.wasm"
if [ "$strip" = false ]; then
  cp "$out/unitcalc-web_bg.wasm" "$out/named.wasm"
  echo "with names (before wasm-opt): $out/named.wasm"
fi
# The features are rustc's wasm32 defaults, as in web/index.html.
wasm-opt -Oz --converge --low-memory-unused --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-multivalue --enable-reference-types \
  "$out/unitcalc-web_bg.wasm" -o "$out/opt.wasm"
w=$(gzip -9 -c "$out/opt.wasm" | wc -c)
j=$(gzip -9 -c "$out/unitcalc-web.js" | wc -c)
echo "wasm $(stat -c %s "$out/opt.wasm") B raw, $w B gzipped; js $(stat -c %s "$out/unitcalc-web.js") B raw, $j B gzipped; wasm+js gzipped: $((w + j)) B"
