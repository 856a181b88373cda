#!/usr/bin/env bash
# The browser bill simulator on http://127.0.0.1:8080 (release build; rerun after a change),
# and the unit-model lab on /lab/index.html (its own page and module, built second).
# Installs what it needs first (wasm32 target, trunk, wasm-bindgen-cli = the Cargo.lock version).
# For static hosting: the same two trunk builds, then serve web/dist/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/install-tools.sh"
# trunk finds wasm-opt on PATH (web/Trunk.toml pins its version).
export PATH="$ROOT/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT/web"
# The simulator and the unit-model lab (its own page, web/dist/lab) are two trunk targets, so
# both are built and web/dist is served as static files.
trunk build --release
trunk build lab/index.html --release --dist dist/lab
echo "serving web/dist on http://127.0.0.1:${PORT:-8080}/ (the lab: /lab/index.html)"
exec python3 -m http.server "${PORT:-8080}" --bind 127.0.0.1 --directory dist
