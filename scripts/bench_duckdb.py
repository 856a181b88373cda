#!/usr/bin/env python3
"""Prices a pay-as-you-go book with DuckDB (exact DECIMAL arithmetic) and checks
every customer's total against unitcalc's `reprice --format json` output.

    bench_duckdb.py USAGE.csv MATRIX.toml DEAL.toml UNITCALC.json [REPEAT]

The price: per customer, billing period (calendar month; the deal's term must
start on the 1st) and cell, amount = ROUND(SUM(quantity) x base rate x
multiplier x list price x (1 - discount), minor units); customer total = sum of
its amounts (pricing-model.md sections 3, 4 and 7). Rates come from the matrix
file, the discount from the deal's first offer. Rounding: DuckDB's ROUND on
DECIMAL rounds half away from zero, the matrix's `half-up`.

Runs the query REPEAT times (default 1) and prints the best time, and `duckdb_ok` or the mismatches; exits 1 on any
mismatch.
"""
import json
import sys
import time
import tomllib
from decimal import Decimal

import duckdb


def main() -> int:
    usage, matrix_path, deal_path, unitcalc_json = sys.argv[1:5]
    repeat = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    with open(matrix_path, "rb") as f:
        m = tomllib.load(f)
    with open(deal_path, "rb") as f:
        d = tomllib.load(f)
    if m.get("rounding", "half-up") != "half-up":
        sys.exit("only half-up matrices are supported by this cross-check")
    if not d["term"]["start"].endswith("-01"):
        sys.exit("the deal's term must start on the 1st (periods = calendar months)")
    offer = d["offers"][0]
    if offer["kind"] != "pay-as-you-go":
        sys.exit("the deal's first offer must be pay-as-you-go")
    discount = Decimal(offer.get("discount", "0"))
    price = Decimal(m["list_price"]) * (1 - discount)
    scale = {"JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}.get(m["currency"], 2)
    rates = []
    for meter in m["meters"]:
        for env, row in m["multipliers"].items():
            for uc, mult in row.items():
                if mult != "not-offered":
                    rates.append((meter["id"], env, uc, str(Decimal(meter["base_rate"]) * Decimal(mult) * price)))

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute("CREATE TABLE rates (meter VARCHAR, environment VARCHAR, use_case VARCHAR, rate DECIMAL(38, 12))")
    if any(Decimal(r[3]).as_tuple().exponent < -12 for r in rates):
        sys.exit("a rate x price has more than 12 decimals: DECIMAL(38, 12) would round it")
    con.executemany("INSERT INTO rates VALUES (?, ?, ?, CAST(? AS DECIMAL(38, 12)))", rates)
    # Exactness guard (untimed): DECIMAL(18, 6) would round a quantity with more decimals.
    (long,) = con.execute(
        "SELECT count(*) FROM read_csv(?, header = true, all_varchar = true) "
        "WHERE length(split_part(quantity, '.', 2)) > 6 OR length(split_part(quantity, '.', 1)) > 12",
        [usage],
    ).fetchone()
    if long:
        sys.exit(f"{long} quantities do not fit DECIMAL(18, 6) exactly")
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = query(con, usage, scale)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    elapsed = best
    with open(unitcalc_json) as f:
        rep = json.load(f)
    ours = {c["customer"]: Decimal(c["current"]) for c in rep["customers"]}
    theirs = {c: Decimal(t) for c, t, _ in rows}
    bad = [(c, ours.get(c), theirs.get(c)) for c in sorted(set(ours) | set(theirs)) if ours.get(c) != theirs.get(c)]
    print(f"duckdb_seconds {elapsed:.3f}")
    print(f"duckdb_customers {len(theirs)} unitcalc_customers {len(ours)}")
    print(f"duckdb_total {sum(theirs.values())} unitcalc_total {sum(ours.values())}")
    if bad:
        for c, a, b in bad[:10]:
            print(f"MISMATCH {c}: unitcalc {a} duckdb {b}")
        print(f"duckdb_mismatches {len(bad)}")
        return 1
    print("duckdb_ok every customer's total matches to the cent")
    return 0


def query(con, usage, scale):
    """Per-customer totals from the CSV: one line per customer x period x cell, rounded once."""
    return con.execute(
        f"""
        WITH usage AS (
          SELECT * FROM read_csv(?, header = true, columns = {{
            'customer': 'VARCHAR', 'timestamp': 'VARCHAR', 'meter': 'VARCHAR',
            'environment': 'VARCHAR', 'use_case': 'VARCHAR', 'quantity': 'DECIMAL(18, 6)'}})
        ),
        lines AS (
          SELECT u.customer, substr(u.timestamp, 1, 7) AS period, u.meter, u.environment, u.use_case,
                 ROUND(SUM(u.quantity) * ANY_VALUE(r.rate), {scale}) AS amount
          FROM usage u JOIN rates r USING (meter, environment, use_case)
          GROUP BY ALL
        )
        SELECT customer, SUM(amount) AS total, COUNT(*) AS lines FROM lines GROUP BY customer
        """,
        [usage],
    ).fetchall()


if __name__ == "__main__":
    sys.exit(main())
