import os
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Union

import pyarrow as pa

from ._unitcalc import Book as Book, Deal as Deal, Matrix as Matrix, UnitcalcError as UnitcalcError

USAGE_COLUMNS: tuple[str, ...]
Usage = Union[str, "os.PathLike[str]", pa.Table, Any]

class Quote:
    json: str
    bill: Dict[str, Any]
    lines: pa.Table
    @property
    def total(self) -> Decimal: ...
    @property
    def period_totals(self) -> Dict[str, Decimal]: ...

class Comparison:
    json: str
    bills: List[Dict[str, Any]]
    table: pa.Table
    lines: pa.Table

class Reprice:
    json: str
    summary: Dict[str, Any]
    customers: pa.Table
    totals: Dict[str, Optional[Decimal]]
    rows: int
    lines: Optional[pa.Table]

def quote(
    deal: Union[Deal, str, "os.PathLike[str]"],
    usage: Optional[Usage] = None,
    *,
    offer: Optional[str] = None,
    float_scale: Optional[int] = None,
) -> Quote: ...
def compare(
    deal: Union[Deal, str, "os.PathLike[str]"],
    usage: Optional[Usage] = None,
    *,
    float_scale: Optional[int] = None,
) -> Comparison: ...
def reprice(
    book: Union[Book, str, "os.PathLike[str]"],
    usage: Optional[Usage] = None,
    *,
    top: int = 5,
    bills: bool = False,
    float_scale: Optional[int] = None,
    only: Optional[Sequence[str]] = None,
) -> Reprice: ...
