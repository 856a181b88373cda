#!/usr/bin/env bash
# Rows per second repricing one generated book, side by side: the CLI
# (release), the Python package (a CSV path, a pandas DataFrame) and Spark in
# local mode, for docs/scale.md. Needs scripts/test-python.sh's venvs (it
# builds them); CUSTOMERS (default 500) customers × 2 cells × one month.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$CARGO_TARGET_DIR/python"
CUSTOMERS="${CUSTOMERS:-500}"
FRESH="$WORK/fresh/bin"
[ -x "$FRESH/python" ] || { echo "run bash scripts/test-python.sh first (it makes $WORK/fresh)"; exit 1; }
cargo build -q --release -p unitcalc-cli --locked
CLI="$CARGO_TARGET_DIR/release/unitcalc"
D="$WORK/bench"; mkdir -p "$D"
"$CLI" usage generate --matrix matrices/spec-m.toml --cell capacity/azure/hot --cell capacity/aws/hot \
  --start 2026-03-01 --months 1 --customers "$CUSTOMERS" --noise 0.05 --daily 0.1 -o "$D/usage.csv"
cat >"$D/book.toml" <<TOML
matrix = "$ROOT/matrices/spec-m.toml"
candidate = "$ROOT/examples/book/candidate-m.toml"
default_deal = "$ROOT/examples/book/deals/acme.toml"
TOML
"$FRESH/python" -c "
import pyarrow as pa, pyarrow.csv as c, pyarrow.parquet as p
cols = ['customer', 'timestamp', 'meter', 'environment', 'use_case', 'quantity']
t = c.read_csv('$D/usage.csv', convert_options=c.ConvertOptions(column_types={k: pa.string() for k in cols}))
p.write_table(t, '$D/usage.parquet')"
for u in usage.csv usage.parquet; do
  echo "== CLI: unitcalc reprice $D/book.toml --usage $D/$u --stats (two runs)"
  for _ in 1 2; do "$CLI" reprice "$D/book.toml" --usage "$D/$u" --stats -f json -o /dev/null; done
done
echo "== Python package and Spark local: python python/examples/bench.py"
SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$FRESH/python" "$FRESH/python" python/examples/bench.py "$D/book.toml" "$D/usage.csv"
