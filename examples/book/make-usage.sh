#!/usr/bin/env bash
# Regenerates examples/book/usage.csv from each deal's [usage.profile]:
# one `unitcalc usage generate` per customer, concatenated (one header).
set -euo pipefail
cd "$(dirname "$0")"
UNITCALC=${UNITCALC:-unitcalc}
out=usage.csv.tmp
first=1
for c in acme globex initech umbrella hooli; do
  "$UNITCALC" usage generate --deal "deals/$c.toml" --prefix "$c" -o "$c.part.csv"
  if [ $first = 1 ]; then cat "$c.part.csv" > "$out"; first=0; else tail -n +2 "$c.part.csv" >> "$out"; fi
  rm "$c.part.csv"
done
mv "$out" usage.csv
