#!/usr/bin/env bash
# Idempotent installer for the browser tool's build and test tools.
#   scripts/install-tools.sh            wasm32 target, trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/install-tools.sh --browser  also Debian chromium + chromium-driver and the e2e Node deps
# Every step is skipped when the right version is already installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
BROWSER=0
for a in "$@"; do
  case "$a" in
    --browser) BROWSER=1 ;;
    *) echo "usage: $0 [--browser]" >&2; exit 2 ;;
  esac
done
export PATH="$HOME/.cargo/bin:$PATH"
say() { echo "install-tools: $*"; }

# 1. the wasm32 target
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk, pinned
if command -v trunk >/dev/null && trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  say "trunk $TRUNK_VERSION present"
else
  say "installing trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked || cargo install trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if [ -z "$WB_VERSION" ]; then
  say "no wasm-bindgen in Cargo.lock; run 'cargo generate-lockfile' first" >&2
  exit 1
fi
if command -v wasm-bindgen >/dev/null && wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$" \
  && command -v wasm-bindgen-test-runner >/dev/null; then
  say "wasm-bindgen-cli $WB_VERSION present"
else
  say "installing wasm-bindgen-cli $WB_VERSION (the Cargo.lock version; takes a few minutes)"
  # The registry mirror may lag behind the crate's own lockfile: fall back to a fresh resolve.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked --force \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# 4. wasm-opt for the release build: Binaryen's own npm package (pinned in
#    tools/binaryen/package-lock.json; a Node program, nothing downloaded at run time).
#    Debian's binaryen (108) is too old for current wasm-bindgen output.
if ! command -v npm >/dev/null; then
  say "npm is missing: install Node.js 18+ (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if [ -x "$ROOT/tools/binaryen/node_modules/.bin/wasm-opt" ] \
  && [ "$ROOT/tools/binaryen/node_modules/.package-lock.json" -nt "$ROOT/tools/binaryen/package-lock.json" ]; then
  say "wasm-opt (binaryen npm) present"
else
  say "installing wasm-opt (binaryen npm, npm ci)"
  (cd "$ROOT/tools/binaryen" && npm ci --no-audit --no-fund)
fi

[ "$BROWSER" = 1 ] || exit 0

# 5. Debian chromium + chromedriver for headless tests
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium and chromedriver present"
else
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  say "installing Debian chromium and chromium-driver"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# 6. Node deps of the e2e test (playwright-core, which drives /usr/bin/chromium with no browser
#    download, and axe-core, whose axe.min.js the accessibility check injects)
if [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] \
  && [ "$ROOT/tests/e2e/node_modules/.package-lock.json" -nt "$ROOT/tests/e2e/package-lock.json" ]; then
  say "e2e Node deps present"
else
  say "installing e2e Node deps (npm ci)"
  (cd "$ROOT/tests/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
