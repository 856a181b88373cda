#!/usr/bin/env python3
"""Prices a book with DuckDB (exact DECIMAL arithmetic) and checks every
customer's total against unitcalc's `reprice --format json` output.

    bench_duckdb.py USAGE.csv MATRIX.toml DEAL.toml UNITCALC.json [REPEAT]

The deal's first offer decides the query:

- pay-as-you-go (pricing-model.md sections 3, 4 and 7): per customer, billing
  period (calendar month) and cell, amount = ROUND(SUM(quantity) x base rate
  x multiplier x list price x (1 - discount), minor units);
- fixed capacity (section 5): per customer and cell, the hours above the
  entitlement E are cut into runs of consecutive hours with window functions
  (hour - ROW_NUMBER() is constant along a run; an absent hour ends it), the
  streak is the hour's place in its run, and an hour is charged when its
  usage is above E x (1 + tolerance) or its streak is above the grace hours;
  per customer, period and cell, amount = ROUND(SUM(usage - E over charged
  hours) x base rate x multiplier x overage price, minor units); plus the
  monthly fee for each period.

Customer total = sum of its amounts (and fees). Rates come from the matrix
file, the offer's figures from the deal. The deal's term must start on the
1st (periods = whole calendar months) and its channel be direct. Rounding:
DuckDB's ROUND on DECIMAL rounds half away from zero, the matrix's `half-up`.

Runs the query REPEAT times (default 1) and prints the best time, and
`duckdb_ok` or the mismatches; exits 1 on any mismatch.
"""
import json
import sys
import time
import tomllib
from decimal import Decimal

import duckdb

USAGE_COLUMNS = (
    "'customer': 'VARCHAR', 'timestamp': 'VARCHAR', 'meter': 'VARCHAR', "
    "'environment': 'VARCHAR', 'use_case': 'VARCHAR', 'quantity': 'DECIMAL(18, 6)'"
)


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
    if d.get("channel", "direct") != "direct":
        sys.exit("the deal's channel must be direct (no marketplace fee)")
    offer = d["offers"][0]
    kind = offer["kind"]
    scale = {"JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}.get(m["currency"], 2)
    list_price = Decimal(m["list_price"])
    if kind == "pay-as-you-go":
        price = list_price * (1 - Decimal(offer.get("discount", "0")))
    elif kind == "fixed-capacity":
        price = Decimal(offer.get("overage_price", m["list_price"]))
    else:
        sys.exit("the deal's first offer must be pay-as-you-go or fixed-capacity")
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
    if kind == "pay-as-you-go":
        run = lambda: query_payg(con, usage, scale)  # noqa: E731
    else:
        run = set_up_fixed(con, offer, d["term"], scale, usage)
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = run()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    elapsed = best
    with open(unitcalc_json) as f:
        rep = json.load(f)
    ours = {c["customer"]: Decimal(c["current"]) for c in rep["customers"]}
    theirs = {c: Decimal(t) for c, t in rows}
    bad = [(c, ours.get(c), theirs.get(c)) for c in sorted(set(ours) | set(theirs)) if ours.get(c) != theirs.get(c)]
    print(f"duckdb_offer {kind}")
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


def query_payg(con, usage, scale):
    """Per-customer totals from the CSV: one line per customer x period x cell, rounded once."""
    return con.execute(
        f"""
        WITH usage AS (
          SELECT * FROM read_csv(?, header = true, columns = {{{USAGE_COLUMNS}}})
        ),
        lines AS (
          SELECT u.customer, substr(u.timestamp, 1, 7) AS period, u.meter, u.environment, u.use_case,
                 ROUND(SUM(u.quantity) * ANY_VALUE(r.rate), {scale}) AS amount
          FROM usage u JOIN rates r USING (meter, environment, use_case)
          GROUP BY ALL
        )
        SELECT customer, SUM(amount) AS total FROM lines GROUP BY customer
        """,
        [usage],
    ).fetchall()


def set_up_fixed(con, offer, term, scale, usage):
    """The entitlements table and the fee; returns the timed query."""
    if offer.get("payment", "monthly") not in ("monthly", "upfront"):
        sys.exit("unknown payment")
    tolerance = Decimal(offer.get("tolerance", "0.10"))
    grace = int(offer.get("grace_hours", 72))
    months = int(term["months"])
    fee = Decimal(offer["monthly_fee"])
    # Whole calendar months: every period's prorated fee is F x h / h = F; monthly
    # payment rounds each, upfront rounds their exact sum once.
    q = Decimal(1).scaleb(-scale)
    if offer.get("payment", "monthly") == "monthly":
        fees = fee.quantize(q) * months
    else:
        fees = (fee * months).quantize(q)
    con.execute(
        "CREATE TABLE ents (meter VARCHAR, environment VARCHAR, use_case VARCHAR, "
        "e DECIMAL(18, 6), band DECIMAL(18, 6))"
    )
    for e in offer["entitlements"]:
        qty = Decimal(e["quantity"])
        band = qty * (1 + tolerance)
        if qty.as_tuple().exponent < -6 or band.as_tuple().exponent < -6:
            sys.exit("an entitlement or its band has more than 6 decimals: DECIMAL(18, 6) would round it")
        con.execute(
            "INSERT INTO ents VALUES (?, ?, ?, CAST(? AS DECIMAL(18, 6)), CAST(? AS DECIMAL(18, 6)))",
            [e["meter"], e["environment"], e["use_case"], str(qty), str(band)],
        )

    def run():
        return con.execute(
            f"""
            WITH usage AS (
              SELECT * FROM read_csv(?, header = true, columns = {{{USAGE_COLUMNS}}})
            ),
            hours AS (
              SELECT u.customer, u.meter, u.environment, u.use_case,
                     substr(u.timestamp, 1, 7) AS period,
                     epoch(CAST(u.timestamp AS TIMESTAMPTZ))::BIGINT // 3600 AS h,
                     u.quantity, coalesce(e.e, 0) AS e, coalesce(e.band, 0) AS band,
                     u.quantity > coalesce(e.e, 0) AS over
              FROM usage u LEFT JOIN ents e USING (meter, environment, use_case)
            ),
            runs AS (
              SELECT *, h - ROW_NUMBER() OVER (
                       PARTITION BY customer, meter, environment, use_case, over ORDER BY h) AS run
              FROM hours
            ),
            streaks AS (
              SELECT *, ROW_NUMBER() OVER (
                       PARTITION BY customer, meter, environment, use_case, over, run ORDER BY h) AS streak
              FROM runs
            ),
            lines AS (
              SELECT s.customer, s.period, s.meter, s.environment, s.use_case,
                     ROUND(SUM(CASE WHEN s.over AND (s.quantity > s.band OR s.streak > {grace})
                                    THEN s.quantity - s.e ELSE 0 END) * ANY_VALUE(r.rate), {scale}) AS amount
              FROM streaks s JOIN rates r USING (meter, environment, use_case)
              GROUP BY ALL
            )
            SELECT customer, SUM(amount) + CAST(? AS DECIMAL(38, {scale})) AS total FROM lines GROUP BY customer
            """,
            [usage, str(fees)],
        ).fetchall()

    return run


if __name__ == "__main__":
    sys.exit(main())
