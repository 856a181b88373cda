#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what it needs, then
# runs the native tests (unit, doc, integration, golden, property), clippy on
# the core (where `deny(clippy::float_arithmetic)` is enforced), and the
# real-browser tests (wasm-bindgen-test and the end-to-end test in headless
# Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "native tests (core, golden, property, CLI)"
cargo test --workspace --exclude unitcalc-web --locked

step "clippy: no floats, no warnings in the core"
cargo clippy -p unitcalc-core --all-targets --locked -- -D warnings

step "browser tests"
bash scripts/test-browser.sh

step "all tests passed"
