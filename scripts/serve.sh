#!/usr/bin/env bash
# The browser bill simulator on http://127.0.0.1:8080 (release build, rebuilt on change).
# Installs what it needs first (wasm32 target, trunk, wasm-bindgen-cli = the Cargo.lock version).
# For static hosting instead: (cd web && trunk build --release) and serve web/dist/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/install-tools.sh"
# trunk finds wasm-opt on PATH (web/Trunk.toml pins its version).
export PATH="$ROOT/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT/web"
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
