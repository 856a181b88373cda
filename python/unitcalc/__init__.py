"""The unitcalc pricing engine for Python: quote, compare and reprice from
files, pandas DataFrames and Arrow tables, with exact decimals throughout.

Every figure is the Rust engine's (the same as the ``unitcalc`` command line):
this package only moves data in and out. Money and quantities come back as
:class:`decimal.Decimal` values and Arrow ``decimal128`` columns, never floats.

>>> import unitcalc
>>> m = unitcalc.Matrix.bundled("spec-m")
>>> (m.name, m.currency)
('spec-m', 'USD')

Usage is a path (``.csv``, or ``.parquet``/``.pq``), a pandas DataFrame or a
pyarrow Table with the usage CSV's columns (``customer`` optional,
``timestamp``, ``meter``, ``environment``, ``use_case``, ``quantity``; other
columns are ignored). Quantities are decimals, whole numbers or text; a float
column is refused unless ``float_scale`` names the decimal places to read it
at (each float is read as its shortest decimal, refused if that needs more
places). Errors are :class:`UnitcalcError` with the engine's message, naming
the file (or ``DataFrame``/``table``), the line (for tables, the row,
counting from 1) and the value.

See ``docs/python.md`` in the repository.
"""

from __future__ import annotations

import io
import json
import os
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.parquet as pq

from ._unitcalc import (
    Book,
    Deal,
    Matrix,
    UnitcalcError,
    compare_deal,
    line_columns,
    quote_deal,
    reprice_book,
)

__all__ = [
    "Book",
    "Comparison",
    "Deal",
    "Matrix",
    "Quote",
    "Reprice",
    "UnitcalcError",
    "compare",
    "quote",
    "reprice",
]

#: The usage columns, in the CSV's order (``customer`` is optional).
USAGE_COLUMNS = ("customer", "timestamp", "meter", "environment", "use_case", "quantity")

Usage = Union[str, "os.PathLike[str]", pa.Table, Any]


def _usage_args(usage: Optional[Usage], float_scale: Optional[int]) -> Dict[str, Any]:
    """The native call's usage arguments: a path, or the table as Parquet
    bytes (read by the engine's one Parquet reader, so a table gets the
    checks and messages a file gets)."""
    if usage is None:
        return {"float_scale": float_scale}
    if isinstance(usage, (str, os.PathLike)):
        return {"path": os.fspath(usage), "float_scale": float_scale}
    if isinstance(usage, pa.RecordBatch):
        table, name = pa.Table.from_batches([usage]), "table"
    elif isinstance(usage, pa.Table):
        table, name = usage, "table"
    elif type(usage).__module__.startswith("pandas") and hasattr(usage, "columns"):
        table, name = pa.Table.from_pandas(usage, preserve_index=False), "DataFrame"
    else:
        raise TypeError(
            "usage must be a path, a pandas DataFrame or a pyarrow Table, "
            f"not {type(usage).__name__}"
        )
    table = table.select([c for c in USAGE_COLUMNS if c in table.column_names])
    table = _utc(table)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="none")
    return {"parquet": buf.getvalue(), "name": name, "float_scale": float_scale}


def _utc(table: pa.Table) -> pa.Table:
    """Time-zone-aware timestamps as the same instants in UTC (exact);
    timestamps without a zone are left for the engine to refuse."""
    if "timestamp" not in table.column_names:
        return table
    t = table.schema.field("timestamp").type
    if pa.types.is_timestamp(t) and t.tz is not None and t.tz != "UTC":
        i = table.column_names.index("timestamp")
        table = table.set_column(i, "timestamp", table.column(i).cast(pa.timestamp(t.unit, tz="UTC")))
    return table


def _decimal(text: Optional[str]) -> Optional[Decimal]:
    return None if text is None or text == "" else Decimal(text)


def _decimal_array(values: Sequence[Optional[Decimal]]) -> pa.Array:
    """Exact decimals as an Arrow decimal column at the largest scale among
    them (decimal128, or decimal256 past 38 digits); Arrow refuses any
    value that would lose a digit."""
    present = [v for v in values if v is not None]
    scale = max([max(0, -v.as_tuple().exponent) for v in present], default=0)
    digits = max([len(v.as_tuple().digits) + v.as_tuple().exponent for v in present], default=1)
    precision = max(1, digits) + scale
    kind = pa.decimal128(38, scale) if precision <= 38 else pa.decimal256(76, scale)
    return pa.array(values, type=kind)


def _table(rows: List[Dict[str, Any]], columns: Sequence[str], decimals: Sequence[str]) -> pa.Table:
    """Rows of the engine's JSON as a table: `decimals` as decimal columns,
    the rest as text."""
    arrays = []
    for c in columns:
        values = [r.get(c) for r in rows]
        if c in decimals:
            arrays.append(_decimal_array([_decimal(v) for v in values]))
        else:
            arrays.append(pa.array(values, type=pa.string()))
    return pa.Table.from_arrays(arrays, names=list(columns))


_LINE_DECIMALS = ("quantity_hours", "units", "unit_price", "amount")


def _lines(rows: List[List[str]]) -> pa.Table:
    """The tidy bill lines (the bill CSV's sixteen columns)."""
    names = line_columns()
    return _table([dict(zip(names, r)) for r in rows], names, _LINE_DECIMALS)


_COMPARISON = (
    "offer",
    "offer_kind",
    "total",
    "delta_total",
    "marketplace_fee",
    "net_revenue",
    "delta_net_revenue",
    "overage",
    "effective_price_per_unit",
)

_CUSTOMERS = (
    "customer",
    "offer",
    "offer_kind",
    "current",
    "candidate",
    "delta",
    "current_net_revenue",
    "candidate_net_revenue",
)

_SUMMARY_MONEY = (
    "total_current",
    "total_candidate",
    "total_delta",
    "net_revenue_current",
    "net_revenue_candidate",
)


class Quote:
    """One offer of a deal priced: the bill (``bill``, the engine's JSON as a
    dict, money as text), its ``total`` as a Decimal, its tidy ``lines`` as
    an Arrow table, and ``json``, the command line's ``quote -f json``."""

    def __init__(self, text: str, lines: List[List[str]]):
        self.json: str = text
        self.bill: Dict[str, Any] = json.loads(text)
        self.lines: pa.Table = _lines(lines)

    @property
    def total(self) -> Decimal:
        """The bill's total contract value."""
        return Decimal(self.bill["total"])

    @property
    def period_totals(self) -> Dict[str, Decimal]:
        """Each billing period's total, by its label (``2026-03``)."""
        return {p["label"]: Decimal(p["total"]) for p in self.bill["periods"]}

    def __repr__(self) -> str:
        return f"Quote(offer={self.bill['offer']!r}, total={self.total})"


class Comparison:
    """Every offer of a deal priced over the same usage: ``table`` (one row
    per offer, differences against the first), every bill's tidy ``lines``,
    ``bills`` (dicts) and ``json``, the command line's ``compare -f json``."""

    def __init__(self, text: str, lines: List[List[str]]):
        self.json: str = text
        data = json.loads(text)
        self.bills: List[Dict[str, Any]] = data["bills"]
        self.table: pa.Table = _table(data["rows"], _COMPARISON, _COMPARISON[2:])
        self.lines: pa.Table = _lines(lines)

    def __repr__(self) -> str:
        return f"Comparison(offers={self.table.column('offer').to_pylist()!r})"


class Reprice:
    """A book repriced: ``customers`` (one row per customer: totals under the
    current and candidate matrices, delta, net revenue), ``totals`` (the
    book's, as Decimals), ``summary`` (the engine's JSON as a dict),
    ``lines`` (every bill's tidy lines, with ``bills=True``) and ``json``,
    the command line's ``reprice -f json`` (``--bills``)."""

    def __init__(self, text: str, lines: List[List[str]], bills: bool):
        self.json: str = text
        self.summary: Dict[str, Any] = json.loads(text)
        self.customers: pa.Table = _table(self.summary["customers"], _CUSTOMERS, _CUSTOMERS[3:])
        self.totals: Dict[str, Optional[Decimal]] = {
            k: _decimal(self.summary.get(k)) for k in _SUMMARY_MONEY
        }
        self.rows: int = self.summary["rows"]
        self.lines: Optional[pa.Table] = _lines(lines) if bills else None

    def __repr__(self) -> str:
        return (
            f"Reprice(customers={self.customers.num_rows}, rows={self.rows}, "
            f"total_current={self.totals['total_current']})"
        )


def _deal(deal: Union[Deal, str, "os.PathLike[str]"]) -> Deal:
    return deal if isinstance(deal, Deal) else Deal.from_file(os.fspath(deal))


def _book(book: Union[Book, str, "os.PathLike[str]"]) -> Book:
    return book if isinstance(book, Book) else Book.from_file(os.fspath(book))


def quote(
    deal: Union[Deal, str, "os.PathLike[str]"],
    usage: Optional[Usage] = None,
    *,
    offer: Optional[str] = None,
    float_scale: Optional[int] = None,
) -> Quote:
    """Prices one offer of a deal (the first, or ``offer``) over ``usage``
    (else the deal's own usage: its file, profile or none).

    >>> import unitcalc
    >>> m = unitcalc.Matrix.bundled("spec-m")
    >>> deal = unitcalc.Deal.from_text('''
    ... name = "Example C"
    ... matrix = "spec-m.toml"
    ... [term]
    ... start = "2026-03-01"
    ... months = 1
    ... [[offers]]
    ... name = "PAYG"
    ... kind = "pay-as-you-go"
    ... ''', m)
    >>> import pyarrow as pa
    >>> usage = pa.table({"timestamp": ["2026-03-01T00:00:00Z"], "meter": ["capacity"],
    ...     "environment": ["azure"], "use_case": ["hot"], "quantity": ["200"]})
    >>> q = unitcalc.quote(deal, usage)
    >>> q.total  # 200 TB for one hour on azure/hot: 0.375 units at 1.00
    Decimal('0.38')
    >>> q.lines.column("units").to_pylist()
    [Decimal('0.375')]
    """
    text, lines = quote_deal(_deal(deal), offer=offer, **_usage_args(usage, float_scale))
    return Quote(text, lines)


def compare(
    deal: Union[Deal, str, "os.PathLike[str]"],
    usage: Optional[Usage] = None,
    *,
    float_scale: Optional[int] = None,
) -> Comparison:
    """Prices every offer of a deal over the same usage, compared against
    the first.

    >>> import pandas as pd, unitcalc
    >>> m = unitcalc.Matrix.bundled("spec-m")
    >>> deal = unitcalc.Deal.from_text('''
    ... name = "Acme"
    ... matrix = "spec-m.toml"
    ... [term]
    ... start = "2026-03-01"
    ... months = 1
    ... [[offers]]
    ... name = "List"
    ... kind = "pay-as-you-go"
    ... [[offers]]
    ... name = "20% off"
    ... kind = "pay-as-you-go"
    ... discount = "0.20"
    ... ''', m)
    >>> usage = pd.DataFrame({"timestamp": ["2026-03-01T00:00:00Z"], "meter": ["capacity"],
    ...     "environment": ["azure"], "use_case": ["hot"], "quantity": ["200"]})
    >>> c = unitcalc.compare(deal, usage)
    >>> c.table.column("delta_total").to_pylist()
    [Decimal('0.00'), Decimal('-0.08')]
    """
    text, lines = compare_deal(_deal(deal), **_usage_args(usage, float_scale))
    return Comparison(text, lines)


def reprice(
    book: Union[Book, str, "os.PathLike[str]"],
    usage: Optional[Usage] = None,
    *,
    top: int = 5,
    bills: bool = False,
    float_scale: Optional[int] = None,
    only: Optional[Sequence[str]] = None,
) -> Reprice:
    """Reprices a book (a :class:`Book` or its path) over ``usage`` (else
    the book's usage file): every customer under the current and the
    candidate matrix. Each customer's rows must be in time order (within an
    hour, any order). With ``only``, just those listed customers are priced
    (customers the book does not list still take its default deal).

    From the repository's root (the example book and its usage)::

        r = unitcalc.reprice("examples/book/book.toml")
        r.totals["total_delta"]     # Decimal('-132.54')
        r.customers.to_pandas()     # one row per customer, Decimal amounts
    """
    args = _usage_args(usage, float_scale)
    text, lines = reprice_book(
        _book(book), top=top, bills=bills, only=list(only) if only is not None else None, **args
    )
    return Reprice(text, lines, bills)
