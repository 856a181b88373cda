#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what it needs, then
# runs the native tests (unit, doc, integration, golden, property), clippy on
# the core (where `deny(clippy::float_arithmetic)` is enforced), and the
# real-browser tests (wasm-bindgen-test and the end-to-end test in headless
# Chromium), the DuckDB re-derivation of the bills (scripts/rederive.sh), the
# Python package and its Spark cluster test (scripts/test-python.sh), and a
# short fuzz smoke run (cargo-fuzz, nightly toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "clippy: no floats, no warnings in the core"
cargo clippy -p unitcalc-core --all-targets --locked -- -D warnings
cargo clippy -p unitcalc-core --all-targets --features parquet --locked -- -D warnings

step "native tests (core, golden, property, CLI)"
# The Python package (a cdylib for the interpreter to load) is built and
# tested by scripts/test-python.sh.
cargo test --workspace --exclude unitcalc-web --exclude unitcalc-python --locked

step "the core's documentation builds without warnings (links, examples)"
RUSTDOCFLAGS="-D warnings" cargo doc -p unitcalc-core --no-deps --locked

step "independent re-derivation of the bills with DuckDB (exact DECIMAL)"
bash scripts/rederive.sh

step "Python package (wheel in a fresh venv, pytest) and the Spark cluster test"
bash scripts/test-python.sh

step "fuzz smoke run (each target ~12 s from the seed corpora)"
if rustup toolchain list 2>/dev/null | grep -q '^nightly' && ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi
bash scripts/fuzz-smoke.sh

step "browser tests"
bash scripts/test-browser.sh

step "all tests passed"
