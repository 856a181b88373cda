#!/usr/bin/env bash
# The independent re-derivation (docs/evidence.md): every bill line of the
# worked examples A–F and of the example deals (fixed capacity, commitments,
# marketplace channels) recomputed from the hourly ledger, the matrix and the
# deal with DuckDB SQL in exact DECIMAL, compared with the bill to the cent.
# Then a bill with one cent changed must be reported (exit 1).
#   bash scripts/rederive.sh
# Needs python3 (3.11+); installs duckdb into a virtual environment under the
# cargo target folder (and Debian's python3-venv when venv is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
DUCKDB_VERSION=2.0.1
TARGET="${CARGO_TARGET_DIR:-target}"
VENV="$TARGET/rederive-venv"
say() { echo "rederive: $*"; }

if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    say "installing Debian python3-venv"
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
    rm -rf "$VENV"
    python3 -m venv "$VENV"
  fi
fi
if ! "$VENV/bin/python" -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  say "installing duckdb $DUCKDB_VERSION"
  "$VENV/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION"
fi

cargo build -p unitcalc-cli --locked --quiet
UNITCALC="$TARGET/debug/unitcalc"
DEALS=(tests/fixtures/examples/example-{a,b,c,d,e,f}.toml examples/deals/acme-compare.toml examples/deals/illustrative-gcp.toml)
"$VENV/bin/python" scripts/rederive.py deals "$UNITCALC" "${DEALS[@]}"

# The check must fail on a bill one cent off.
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$UNITCALC" fingerprint tests/fixtures/examples/example-c.toml --write "$TMP" >/dev/null
"$UNITCALC" quote "$TMP/deal.toml" -f json --ledger "$TMP/ledger.csv" -o "$TMP/bill.json"
sed -i '0,/"2.10"/s//"2.11"/' "$TMP/bill.json"
if "$VENV/bin/python" scripts/rederive.py check "$TMP/matrix.toml" "$TMP/deal.toml" "$TMP/bill.json" "$TMP/ledger.csv"; then
  say "a bill one cent off was not reported" >&2
  exit 1
fi
say "a bill one cent off is reported: ok"
