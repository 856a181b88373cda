"""The installed `unitcalc` package against the repository's examples and
the command line (`UNITCALC_BIN`, the `unitcalc` binary): worked example C,
errors naming file and line (or row), floats refused unless a scale is
named, DataFrame and Table inputs, and reprice JSON equal to the CLI's byte
for byte."""

import os
import pickle
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import unitcalc

ROOT = Path(__file__).resolve().parents[2]
BOOK = "examples/book/book.toml"
USAGE = "examples/book/usage.csv"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Paths in messages are relative to the repository, as the CLI's are."""
    monkeypatch.chdir(ROOT)


def cli(*args: str) -> str:
    exe = os.environ.get("UNITCALC_BIN", str(ROOT / "target/debug/unitcalc"))
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout


def usage_frame() -> pd.DataFrame:
    """The example book's usage with every column as text."""
    return pd.read_csv(USAGE, dtype=str, keep_default_na=False)


def test_worked_example_c_bills_march_40002_10():
    q = unitcalc.quote("tests/fixtures/examples/example-c.toml")
    assert q.period_totals["2026-03"] == Decimal("40002.10")
    assert isinstance(q.period_totals["2026-03"], Decimal)
    overage = q.lines.filter(pc.equal(q.lines.column("line_kind"), "overage"))
    assert overage.column("amount").to_pylist() == [Decimal("2.10")]
    assert q.lines.schema.field("amount").type == pa.decimal128(38, 2)


def test_quote_json_is_the_clis():
    deal = "tests/fixtures/examples/example-c.toml"
    assert unitcalc.quote(deal).json == cli("quote", deal, "-f", "json")


def test_compare_json_is_the_clis():
    deal = "examples/deals/acme-compare.toml"
    c = unitcalc.compare(deal)
    assert c.json == cli("compare", deal, "-f", "json")
    assert c.table.column("delta_total")[0].as_py() == Decimal("0.00")


@pytest.mark.parametrize("bills", [False, True])
def test_reprice_json_is_the_clis(bills):
    args = ["reprice", BOOK, "-f", "json"] + (["--bills"] if bills else [])
    r = unitcalc.reprice(BOOK, bills=bills)
    assert r.json == cli(*args)
    assert (r.lines is not None) == bills


def test_dataframe_and_table_inputs_give_the_files_figures():
    want = unitcalc.reprice(BOOK).json
    frame = usage_frame()
    assert unitcalc.reprice(BOOK, frame).json == want
    table = pa.Table.from_pandas(frame, preserve_index=False)
    typed = table.set_column(
        table.column_names.index("quantity"),
        "quantity",
        pa.array([Decimal(q) for q in frame["quantity"]], type=pa.decimal128(18, 3)),
    )
    typed = typed.set_column(
        typed.column_names.index("timestamp"),
        "timestamp",
        pa.array(pd.to_datetime(frame["timestamp"], utc=True)),
    )
    assert unitcalc.reprice(BOOK, typed).json == want
    # Other columns are ignored; the book's own path too.
    assert unitcalc.reprice(unitcalc.Book.from_file(BOOK), typed.append_column("x", pa.array([1] * typed.num_rows))).json == want


def test_a_pickled_book_reprices_alike():
    book = unitcalc.Book.from_file(BOOK)
    again = pickle.loads(pickle.dumps(book))
    assert unitcalc.reprice(again, USAGE).json == unitcalc.reprice(book, USAGE).json


# (usage, the message): files name the line, tables the row (from 1).
def bad_inputs(tmp: Path):
    src = (ROOT / USAGE).read_text()
    bad_csv = tmp / "bad.csv"
    bad_csv.write_text(src.replace("190.097", "19o.097", 1))
    frame = usage_frame()
    frame.loc[2, "use_case"] = "cold"
    negative = usage_frame()
    negative.loc[0, "quantity"] = "-1"
    return [
        (str(bad_csv), f"{bad_csv}:2: invalid quantity `19o.097` (expected a non-negative decimal such as 500 or 0.25)"),
        (frame, "DataFrame:3: unknown use case `cold`"),
        (pa.Table.from_pandas(negative, preserve_index=False), "table:1: negative quantity -1"),
        (frame.drop(columns=["meter"]), "DataFrame: missing column `meter`"),
    ]


def test_errors_carry_the_file_and_line(tmp_path):
    for usage, want in bad_inputs(tmp_path):
        with pytest.raises(unitcalc.UnitcalcError) as e:
            unitcalc.reprice(BOOK, usage)
        assert str(e.value).startswith(want), str(e.value)
    bad_deal = tmp_path / "deal.toml"
    bad_deal.write_text((ROOT / "tests/fixtures/examples/example-c.toml").read_text().replace("months = 12", "months = 1.5"))
    with pytest.raises(unitcalc.UnitcalcError, match=rf"^{bad_deal}:\d+:\d+: "):
        unitcalc.Deal.from_file(bad_deal, unitcalc.Matrix.bundled("spec-m"))
    with pytest.raises(unitcalc.UnitcalcError, match=r"^matrix.toml:1:"):
        unitcalc.Matrix.from_text("name = 1\n")


def test_a_float_column_is_refused_unless_a_scale_is_named():
    frame = usage_frame()
    floats = frame.assign(quantity=frame["quantity"].astype(float))
    with pytest.raises(unitcalc.UnitcalcError, match="holds floating-point numbers"):
        unitcalc.reprice(BOOK, floats)
    # At 3 places every float of this usage reads back as its decimal.
    assert unitcalc.reprice(BOOK, floats, float_scale=3).json == unitcalc.reprice(BOOK).json
    # At 2 places 190.097 cannot be read exactly: refused, not rounded.
    with pytest.raises(unitcalc.UnitcalcError, match=r"^DataFrame:1: quantity `190.097` .* more than the scale of 2"):
        unitcalc.reprice(BOOK, floats, float_scale=2)


def test_usage_of_another_type_is_a_type_error():
    with pytest.raises(TypeError, match="usage must be"):
        unitcalc.reprice(BOOK, [1, 2, 3])


def test_parquet_files_read_as_csv(tmp_path):
    path = tmp_path / "usage.parquet"
    pq.write_table(pa.Table.from_pandas(usage_frame(), preserve_index=False), path)
    assert unitcalc.reprice(BOOK, path).json == unitcalc.reprice(BOOK).json
    assert unitcalc.reprice(BOOK, path).json == cli("reprice", BOOK, "-f", "json", "--usage", str(path))
