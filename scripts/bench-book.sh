#!/usr/bin/env bash
# Book benchmark (issue 4): 1,000 customers x 8,760 hours x 1 cell = 8.76 million
# usage rows made by `unitcalc usage generate`, priced end to end by
# `unitcalc reprice` for a pay-as-you-go book and a fixed-capacity book
# (wall time, rows/s, peak RSS from /usr/bin/time -v), plus a reprice under a
# candidate matrix (two pricers per customer), then both books priced with
# DuckDB (DECIMAL, exact; the fixed-capacity streak rule with window
# functions) and every customer's total checked to the cent.
#
#   scripts/bench-book.sh            # needs: cargo, /usr/bin/time, python3 with duckdb (pip install duckdb)
#   BENCH_DIR=/tmp/bench CUSTOMERS=100 scripts/bench-book.sh
#   SCALE="1000 3000 10000" scripts/bench-book.sh   # then also: both books at each
#       size (10,000 customers = 87.6 M rows, a 4.8 GB CSV, deleted after),
#       peak RSS, and the least-squares slope of seconds per million rows
#
# Goals: DuckDB / unitcalc >= 3 on both books, >= 20,000,000 rows/s end to end on
# 2 cores, peak RSS < 200 MB at 10,000 customers, time linear in rows (docs/speed.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
DIR=${BENCH_DIR:-$CARGO_TARGET_DIR/bench-book}
CUSTOMERS=${CUSTOMERS:-1000}
mkdir -p "$DIR"
cargo build --release -q -p unitcalc-cli
BIN=$CARGO_TARGET_DIR/release/unitcalc
MATRIX=$ROOT/matrices/spec-m.toml

# The deal both books share: matrix, term and usage profile (offers below).
bench_deal() {
  cat <<TOML
name = "$1"
matrix = "$MATRIX"
channel = "direct"

[term]
start = "2026-03-01"
months = 12

[usage.profile]
seed = 1

[[usage.profile.cells]]
meter = "capacity"
environment = "azure"
use_case = "hot"
baseline = "500"
TOML
}
{ bench_deal "bench pay-as-you-go"; cat <<TOML

[[offers]]
name = "PAYG 20% off"
kind = "pay-as-you-go"
discount = "0.20"
TOML
} > "$DIR/payg.toml"
{ bench_deal "bench fixed capacity"; cat <<TOML

[[offers]]
name = "Fixed 500 TB"
kind = "fixed-capacity"
monthly_fee = "40000.00"
payment = "monthly"
entitlements = [
  { meter = "capacity", environment = "azure", use_case = "hot", quantity = "500" },
]
TOML
} > "$DIR/fixed.toml"
for k in payg fixed; do
  printf 'matrix = "%s"\ncandidate = "%s"\ndefault_deal = "%s.toml"\n' \
    "$MATRIX" "$ROOT/examples/book/candidate-m.toml" "$k" > "$DIR/book-$k.toml"
done

# measure LABEL CMD...: runs CMD $REPEAT times under /usr/bin/time -v; prints the best
# wall time (the machine is shared, so the minimum is the least disturbed run),
# its CPU time and rows/s, and the highest peak RSS of all runs.
ROWS=$((CUSTOMERS * 8760))
REPEAT=${REPEAT:-3}
secs() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
measure() {
  local label=$1; shift
  local best="" bestcpu="" maxrss=0 i wall rss cpu
  for i in $(seq "$REPEAT"); do
    /usr/bin/time -v "$@" 2> "$DIR/$label.time"
    wall=$(secs "$DIR/$label.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/$label.time")
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$DIR/$label.time")
    if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc)" = 1 ]; then best=$wall; bestcpu=$cpu; fi
    [ "$rss" -gt "$maxrss" ] && maxrss=$rss
  done
  echo "$best" > "$DIR/$label.best"
  echo "$bestcpu" > "$DIR/$label.cpu"
  printf '%-32s wall %6.2f s  cpu %5.2f s  %10.0f rows/s  peak RSS %6.1f MB  (best of %s)\n' \
    "$label" "$best" "$bestcpu" "$(echo "$ROWS / $best" | bc -l)" "$(echo "$maxrss / 1024" | bc -l)" "$REPEAT"
}

echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $CUSTOMERS customers x 8760 h x 1 cell = $ROWS rows"
REPEAT=1 measure "usage generate" "$BIN" usage generate --matrix "$MATRIX" --cell capacity/azure/hot --baseline 500 \
  --growth 0.01 --daily 0.10 --noise 0.05 --start 2026-03-01 --months 12 --customers "$CUSTOMERS" -o "$DIR/usage.csv"
echo "usage CSV: $(du -m "$DIR/usage.csv" | cut -f1) MB"
# The file just written is still being flushed to disk: let that finish
# first, or the first timed run shares the machine with it.
sync
# The book without a candidate: one pricer per customer (book pricing).
for k in payg fixed; do
  printf 'matrix = "%s"\ndefault_deal = "%s.toml"\n' "$MATRIX" "$k" > "$DIR/book-$k-only.toml"
  measure "price $k book" "$BIN" reprice "$DIR/book-$k-only.toml" --usage "$DIR/usage.csv" -f json -o "$DIR/$k.json"
done
# Does the second core pay? The same book on one worker thread (plus the reader thread).
RAYON_NUM_THREADS=1 measure "price payg book, 1 thread" "$BIN" reprice "$DIR/book-payg-only.toml" --usage "$DIR/usage.csv" -f json -o "$DIR/payg-1.json"
cmp -s "$DIR/payg.json" "$DIR/payg-1.json" && echo "1 thread and all threads: identical output"
for k in payg fixed; do
  measure "reprice $k vs candidate" "$BIN" reprice "$DIR/book-$k.toml" --usage "$DIR/usage.csv" -f json -o "$DIR/$k-candidate.json"
done
python3 - "$DIR" <<'PY'
import json, sys
d = sys.argv[1]
for k in ("payg", "fixed"):
    r = json.load(open(f"{d}/{k}-candidate.json"))
    print(f"{k}: {len(r['customers'])} customers, total current {r['total_current']}, candidate {r['total_candidate']}, delta {r['total_delta']}")
PY
# DuckDB on the same CSV, both books, each checked to the cent against unitcalc.
for k in payg fixed; do
  wall_ours=$(cat "$DIR/price $k book.best")
  out=$(python3 "$ROOT/scripts/bench_duckdb.py" "$DIR/usage.csv" "$MATRIX" "$DIR/$k.toml" "$DIR/$k.json" "$REPEAT")
  echo "$out"
  wall_duck=$(echo "$out" | awk '/duckdb_seconds/ {print $2}')
  printf '%s book: unitcalc %.2f s, DuckDB %.2f s, DuckDB / unitcalc = %.2f\n' \
    "$k" "$wall_ours" "$wall_duck" "$(echo "$wall_duck / $wall_ours" | bc -l)"
  echo "$out" | grep -q duckdb_ok
done

# Scaling: both books at each size of $SCALE, wall time linear in rows?
if [ -n "${SCALE:-}" ]; then
  : > "$DIR/scale.txt"
  trap 'rm -f "$DIR/scale.csv"' EXIT
  for n in $SCALE; do
    ROWS=$((n * 8760))
    # ~57 bytes a row; refuse to fill the disk (keep as much again free).
    need_kb=$((ROWS * 57 / 1024 * 2))
    free_kb=$(df -Pk "$DIR" | awk 'NR == 2 {print $4}')
    if [ "$free_kb" -lt "$need_kb" ]; then
      echo "scale: $n customers need ~$((need_kb / 2048)) MB of CSV and as much again free; $((free_kb / 1024)) MB free: skipped"
      continue
    fi
    "$BIN" usage generate --matrix "$MATRIX" --cell capacity/azure/hot --baseline 500 \
      --growth 0.01 --daily 0.10 --noise 0.05 --start 2026-03-01 --months 12 --customers "$n" -o "$DIR/scale.csv"
    echo "scale: $n customers, $ROWS rows, $(du -m "$DIR/scale.csv" | cut -f1) MB"
    sync
    for k in payg fixed; do
      measure "scale $n $k" "$BIN" reprice "$DIR/book-$k-only.toml" --usage "$DIR/scale.csv" -f json -o "$DIR/scale-$k.json"
      echo "$k $ROWS $(cat "$DIR/scale $n $k.best") $(cat "$DIR/scale $n $k.cpu")" >> "$DIR/scale.txt"
    done
    rm -f "$DIR/scale.csv"
  done
  # Least squares: seconds = a + b x rows, per book; b as seconds per million rows,
  # of wall time and of CPU time (user + system, which other jobs on the machine
  # inflate less than wall time).
  for col in 3 4; do
    awk -v c="$col" '{ n[$1]++; x[$1]+=$2/1e6; y[$1]+=$c; xx[$1]+=($2/1e6)^2; xy[$1]+=($2/1e6)*$c }
         END { for (k in n) { b = (n[k]*xy[k] - x[k]*y[k]) / (n[k]*xx[k] - x[k]^2); a = (y[k] - b*x[k]) / n[k];
               printf "scale %s book: %.4f s of %s per million rows (slope), intercept %.2f s\n", k, b, (c == 3 ? "wall time" : "CPU"), a } }' "$DIR/scale.txt"
  done
fi
