#!/usr/bin/env python3
"""Re-derive a bill from its hourly ledger, the matrix and the deal with
DuckDB SQL in exact DECIMAL arithmetic, and compare it with the bill to the
cent (docs/evidence.md, "Independent re-derivation").

This is a second, independent implementation of the pricing model's money
arithmetic: it reads only the ledger's hours, quantities, actions and
bucket draws (what the rules decided hour by hour), never the ledger's or
the bill's units or amounts, and recomputes from the matrix (base rate x
multiplier, list price, rounding, marketplace tiers) and the deal (prices,
fees, commitments, the term) every money line, every period's total and
marketplace fee, and the bill's totals.

Usage:
  python3 scripts/rederive.py check MATRIX.toml DEAL.toml BILL.json LEDGER.csv
      one offer's bill (`unitcalc quote DEAL --offer NAME -f json`) and its
      ledger (`--ledger LEDGER.csv`); MATRIX and DEAL as `unitcalc
      fingerprint DEAL --write DIR` writes them (DIR/matrix.toml,
      DIR/deal.toml).
  python3 scripts/rederive.py deals UNITCALC DEAL.toml...
      every offer of each deal: writes the canonical inputs, the bills and
      the ledgers with the `unitcalc` binary UNITCALC into a temporary
      folder, then checks each bill as above.

Prints one line per bill (`rederived: ...` or every difference) and exits
0 when every figure matches, 1 otherwise. Needs python3 (3.11+, tomllib)
and the duckdb package.
"""

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import duckdb

from decimal import Decimal

# Decimal places of the minor unit (ISO 4217); 2 for any other code.
MINOR_UNITS = {"JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3}

# Exact decimals. DuckDB refuses a product whose scale passes 38 rather
# than lose digits, so each figure gets the scale it needs: price-book
# figures and quantities at most 9 decimals (`FIG`), units at most 18
# (`UNITS`). A value with more decimals is refused, never rounded.
FIG, UNITS = 9, 18


def dec(v, scale=FIG):
    """A decimal literal, refused when it has more than `scale` decimals."""
    text = format(Decimal(str(v)).normalize(), "f")
    if "." in text and len(text.split(".")[1]) > scale:
        raise SystemExit(f"{text} has more than {scale} decimals")
    return f"CAST('{text}' AS DECIMAL(38,{scale}))"


def exact(x, scale):
    """`x` at `scale` decimals, an error if that would lose digits."""
    t = f"CAST({x} AS DECIMAL(38,{scale}))"
    return f"(CASE WHEN {t} = ({x}) THEN {t} ELSE error('a figure past {scale} decimals') END)"


def to_units(x):
    """Exact units (`UNITS` decimals)."""
    return exact(x, UNITS)


def month_hours(year, month):
    import calendar

    return 24 * calendar.monthrange(year, month)[1]


def periods(start, months):
    """(label, hours in term, hours in month) of each billing period: the
    calendar months the term touches; a term starting mid-month has partial
    first and last periods."""
    import calendar
    from datetime import datetime

    y, m, d = map(int, start.split("-"))
    end_y, end_m = y + (m - 1 + months) // 12, (m - 1 + months) % 12 + 1
    t0 = datetime(y, m, d)
    t1 = datetime(end_y, end_m, min(d, calendar.monthrange(end_y, end_m)[1]))
    out = []
    cy, cm = y, m
    while True:
        ms = datetime(cy, cm, 1)
        ny, nm = cy + cm // 12, cm % 12 + 1
        me = datetime(ny, nm, 1)
        a, b = max(ms, t0), min(me, t1)
        if a >= t1:
            break
        hours = int((b - a).total_seconds()) // 3600
        if hours > 0:
            out.append((f"{cy:04d}-{cm:02d}", hours, month_hours(cy, cm)))
        cy, cm = ny, nm
    return out


class Rederive:
    def __init__(self, matrix, deal, bill, ledger_csv):
        self.m = matrix
        self.deal = deal
        self.bill = bill
        self.offer = next(o for o in deal["offers"] if o["name"] == bill["offer"])
        self.scale = MINOR_UNITS.get(matrix["currency"], 2)
        self.mode = matrix.get("rounding", "half-up")
        self.db = duckdb.connect()
        self.db.execute(
            f"CREATE TABLE raw AS SELECT * FROM read_csv('{ledger_csv}', header=true, all_varchar=true)"
        )
        for col, scale in [("quantity", FIG), ("excess", FIG), ("units", UNITS), ("drawn", UNITS), ("bucket_remaining", UNITS)]:
            (n,) = self.db.execute(
                f"SELECT count(*) FROM raw WHERE length(split_part({col}, '.', 2)) > {scale}"
            ).fetchone()
            if n:
                raise SystemExit(f"{ledger_csv}: {n} values of {col} have more than {scale} decimals")
        self.db.execute(
            f"""CREATE TABLE ledger AS SELECT row_number() OVER () AS n, hour, period, meter, environment,
                  use_case, action, line,
                  CAST(quantity AS DECIMAL(38,{FIG})) AS quantity, CAST(excess AS DECIMAL(38,{FIG})) AS excess,
                  CAST(units AS DECIMAL(38,{UNITS})) AS units, CAST(drawn AS DECIMAL(38,{UNITS})) AS drawn,
                  CAST(nullif(bucket_remaining, '') AS DECIMAL(38,{UNITS})) AS bucket_remaining
                FROM raw"""
        )
        self.load_rates()
        self.diffs = []

    def q(self, sql, *params):
        return self.db.execute(sql, list(params)).fetchall()

    def load_rates(self):
        self.db.execute(
            f"CREATE TABLE rates (meter VARCHAR, environment VARCHAR, use_case VARCHAR, rate DECIMAL(38,{UNITS}))"
        )
        for meter in self.m["meters"]:
            for env, ucs in self.m["multipliers"].items():
                for uc, mult in ucs.items():
                    if mult == "not-offered":
                        continue
                    self.db.execute(
                        f"INSERT INTO rates VALUES (?, ?, ?, {dec(meter['base_rate'])} * {dec(mult)})",
                        [meter["id"], env, uc],
                    )

    def round_sql(self, x):
        """SQL rounding `x` (a DECIMAL) to the currency's scale with the
        matrix's mode, exactly (integer arithmetic on the scaled value)."""
        f = 10**self.scale
        y = f"(({x}) * {f})"
        t = f"trunc({y})"
        half_up = f"CAST(CASE WHEN abs({y} - {t}) >= 0.5 THEN {t} + sign({y}) ELSE {t} END AS HUGEINT)"
        half_even = (
            f"CAST(CASE WHEN abs({y} - {t}) > 0.5 THEN {t} + sign({y}) "
            f"WHEN abs({y} - {t}) = 0.5 AND CAST({t} AS HUGEINT) % 2 <> 0 THEN {t} + sign({y}) ELSE {t} END AS HUGEINT)"
        )
        n = half_up if self.mode == "half-up" else half_even
        return f"CAST({n} AS DECIMAL(38,0)) * {self.minor()}"

    def round_fraction_sql(self, num, den):
        """SQL rounding the exact fraction num/den (num a DECIMAL, den a whole
        number) to the currency's scale: integer division, the remainder
        deciding the midpoint (DuckDB's decimal division is not exact)."""
        # Scaled by 10^6 more, so that a numerator with up to six decimals
        # past the currency's is still a whole number.
        f, den = 10 ** (self.scale + 6), den * 10**6
        n = f"CAST(({num}) * {f} AS HUGEINT)"
        f = 10**self.scale
        q_, r_ = f"({n} // {den})", f"({n} % {den})"
        if self.mode == "half-up":
            up = f"2 * {r_} >= {den}"
        else:
            up = f"(2 * {r_} > {den} OR (2 * {r_} = {den} AND {q_} % 2 <> 0))"
        return f"CAST(CASE WHEN {up} THEN {q_} + 1 ELSE {q_} END AS DECIMAL(38,0)) * {self.minor()}"

    def minor(self):
        """One minor unit (0.01 for two places), exact: DuckDB divides
        decimals in binary floating point, so amounts are never divided."""
        return dec(Decimal(1).scaleb(-self.scale))

    def money(self, sql):
        (v,) = self.q(f"SELECT {sql}")[0]
        return v

    def unit_price(self):
        o, lp = self.offer, self.m["list_price"]
        if o["kind"] == "pay-as-you-go":
            return exact(f"{dec(lp)} * (1 - {dec(o.get('discount', '0'))})", FIG)
        return dec(o.get("overage_price", lp))

    def cell_lines(self):
        """Consumption and overage lines per (period, line, cell) from the
        ledger's hours and actions, units recomputed from the matrix."""
        units = f"""
            CASE l.action
              WHEN 'usage' THEN {to_units('l.quantity * r.rate')}
              WHEN 'charged' THEN {to_units('l.excess * r.rate')}
              WHEN 'overage' THEN {to_units('l.quantity * r.rate')} - l.drawn
            END"""
        rows = self.q(
            f"""SELECT l.period, l.line, l.meter || '/' || l.environment || '/' || l.use_case AS cell,
                       sum({units}) AS units
                FROM ledger l JOIN rates r USING (meter, environment, use_case)
                WHERE l.line <> ''
                GROUP BY ALL ORDER BY ALL"""
        )
        out = {}
        for period, line, cell, u in rows:
            amount = self.money(self.round_sql(f"{dec(u, UNITS)} * {self.unit_price()}"))
            out[(period, line, cell)] = amount
        return out

    def check_ledger(self):
        """The ledger's own arithmetic: units = quantity x rate on every row,
        and a commitment's bucket = N - the draws so far."""
        bad = self.q(
            f"""SELECT l.hour, l.meter, l.environment, l.use_case FROM ledger l
                JOIN rates r USING (meter, environment, use_case)
                WHERE l.units <> l.quantity * r.rate
                LIMIT 1"""
        )
        if bad:
            self.diffs.append(f"ledger row {bad[0]}: units are not quantity x rate")
        if self.offer["kind"] == "commitment":
            bad = self.q(
                f"""SELECT hour, remaining, expected FROM (
                      SELECT hour, bucket_remaining AS remaining,
                             {dec(self.offer['units'])} - sum(drawn) OVER (ORDER BY n) AS expected
                      FROM ledger) WHERE remaining <> expected LIMIT 1"""
            )
            if bad:
                self.diffs.append(f"ledger bucket at {bad[0][0]}: {bad[0][1]}, the draws give {bad[0][2]}")

    def fixed_lines(self, ps):
        """Fee, commitment and installment lines per (period, kind)."""
        o, out = self.offer, {}
        if o["kind"] == "fixed-capacity":
            fee = dec(o["monthly_fee"])
            if o["payment"] == "monthly":
                for label, h, mh in ps:
                    out[(label, "fee", "")] = self.money(self.round_fraction_sql(f"{fee} * {h}", mh))
            else:
                import math

                lcd = math.lcm(*[mh for _, _, mh in ps])
                num = " + ".join(f"{fee} * {h * (lcd // mh)}" for _, h, mh in ps)
                out[(ps[0][0], "fee", "")] = self.money(self.round_fraction_sql(num, lcd))
        elif o["kind"] == "commitment":
            commit = self.money(self.round_sql(f"{dec(o['units'])} * {dec(o['commit_price'])}"))
            if o["payment"] == "upfront":
                out[(ps[0][0], "commitment", "")] = commit
            else:
                term_hours = sum(h for _, h, _ in ps)
                paid = 0
                for i, (label, h, _) in enumerate(ps):
                    if i + 1 == len(ps):
                        a = self.money(f"{dec(commit)} - {dec(paid)}")
                    else:
                        a = self.money(self.round_fraction_sql(f"{dec(commit)} * {h}", term_hours))
                    paid = self.money(f"{dec(paid)} + {dec(a)}")
                    out[(label, "installment", "")] = a
        return out

    def compare(self, what, found, expected):
        if found is None or expected is None or self.money(f"{dec(found)} - {dec(expected)}") != 0:
            shown = expected if expected is None else Decimal(expected).quantize(Decimal(1).scaleb(-self.scale))
            self.diffs.append(f"{what}: the bill says {found}, re-derived {shown}")

    def run(self):
        ps = periods(self.deal["term"]["start"], int(self.deal["term"]["months"]))
        self.check_ledger()
        derived = {**self.fixed_lines(ps), **self.cell_lines()}
        totals = {}
        for p in self.bill["periods"]:
            amounts = []
            for line in p["lines"]:
                c = line["cell"]
                cell = f"{c['meter']}/{c['environment']}/{c['use_case']}" if c else ""
                key = (p["label"], line["kind"], cell)
                a = derived.pop(key, None)
                self.compare(f"{p['label']} {line['description']}", line["amount"], a)
                amounts.append(a if a is not None else line["amount"])
            totals[p["label"]] = self.money(" + ".join([dec("0")] + [dec(a) for a in amounts]))
        for k, v in derived.items():
            self.diffs.append(f"{k}: re-derived {v}, not on the bill")
        tcv = self.money(" + ".join([dec("0")] + [dec(t) for t in totals.values()]))
        self.compare("total", self.bill["total"], tcv)
        channel = self.deal.get("channel", "direct")
        env = next((e for e in self.m["environments"] if e["id"] == channel), {})
        rate = "0"
        for tier in env.get("marketplace", []):
            if self.money(f"{dec(tier['from'])} <= {dec(tcv)}"):
                rate = tier["rate"]
        self.compare("marketplace fee rate", self.bill["marketplace_fee_rate"], self.money(dec(rate)))
        fee_sum = dec("0")
        for p in self.bill["periods"]:
            fee = self.money(self.round_sql(f"{dec(totals[p['label']])} * {dec(rate)}"))
            self.compare(f"{p['label']} total", p["total"], totals[p["label"]])
            self.compare(f"{p['label']} marketplace fee", p["marketplace_fee"], fee)
            self.compare(f"{p['label']} net revenue", p["net_revenue"], self.money(f"{dec(totals[p['label']])} - {dec(fee)}"))
            fee_sum = f"{fee_sum} + {dec(fee)}"
        fees = self.money(fee_sum)
        self.compare("marketplace fee", self.bill["marketplace_fee"], fees)
        self.compare("net revenue", self.bill["net_revenue"], self.money(f"{dec(tcv)} - {dec(fees)}"))
        if self.offer["kind"] == "commitment":
            drawn = self.money("coalesce((SELECT sum(drawn) FROM ledger), 0)")
            left = self.money(f"{dec(self.offer['units'])} - {dec(drawn, UNITS)}")
            c = self.bill["commitment"]
            self.compare("units remaining", c["units_remaining"], left)
            self.compare(
                "expired value", c["expired_value"],
                self.money(self.round_sql(f"{dec(left, UNITS)} * {dec(self.offer['commit_price'])}")),
            )
        return self.diffs


def check(matrix_path, deal_path, bill_path, ledger_path):
    matrix = tomllib.loads(Path(matrix_path).read_text())
    deal = tomllib.loads(Path(deal_path).read_text())
    bill = json.loads(Path(bill_path).read_text())
    diffs = Rederive(matrix, deal, bill, ledger_path).run()
    name = f"{Path(deal_path).parent.name or deal_path}, offer {bill['offer']}"
    if diffs:
        for d in diffs:
            print(f"differs: {name}: {d}")
        return False
    lines = sum(len(p["lines"]) for p in bill["periods"])
    print(f"rederived: {name}: {lines} lines, total {bill['total']} {bill['currency']}")
    return True


def deals(unitcalc, paths):
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for n, deal_path in enumerate(paths):
            d = Path(tmp) / f"{n}-{Path(deal_path).stem}"
            subprocess.run([unitcalc, "fingerprint", deal_path, "--write", str(d)], check=True, stdout=subprocess.DEVNULL)
            deal = tomllib.loads((d / "deal.toml").read_text())
            for k, o in enumerate(deal["offers"]):
                bill, ledger = d / f"quote-{k}.json", d / f"ledger-{k}.csv"
                subprocess.run(
                    [unitcalc, "quote", str(d / "deal.toml"), "--offer", o["name"], "-f", "json",
                     "--ledger", str(ledger), "-o", str(bill)],
                    check=True,
                )
                ok &= check(d / "matrix.toml", d / "deal.toml", bill, ledger)
    return ok


def main(argv):
    if len(argv) == 6 and argv[1] == "check":
        return 0 if check(*argv[2:]) else 1
    if len(argv) >= 4 and argv[1] == "deals":
        return 0 if deals(argv[2], argv[3:]) else 1
    print(__doc__, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
