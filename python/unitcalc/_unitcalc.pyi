"""Type stubs of the native half (python/src/lib.rs)."""

import os
from typing import List, Optional, Sequence, Tuple, Union

_Path = Union[str, "os.PathLike[str]"]

class UnitcalcError(ValueError):
    """An input the engine refuses; the message names the file, line (or
    row) and value."""

class Matrix:
    """A price book (matrix TOML)."""

    @staticmethod
    def from_file(path: _Path) -> "Matrix": ...
    @staticmethod
    def from_text(text: str, name: str = "matrix.toml") -> "Matrix": ...
    @staticmethod
    def bundled(name: str) -> "Matrix":
        """A bundled matrix: ``spec-m`` (the pricing model's matrix M), ``illustrative``."""
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def currency(self) -> str: ...

class Deal:
    """A deal resolved against its matrix."""

    @staticmethod
    def from_file(path: _Path, matrix: Optional[Matrix] = None) -> "Deal": ...
    @staticmethod
    def from_text(text: str, matrix: Matrix, name: str = "deal.toml") -> "Deal": ...
    @property
    def name(self) -> str: ...
    @property
    def offers(self) -> List[str]: ...
    @property
    def matrix(self) -> Matrix: ...

class Book:
    """A book: its matrices and every customer's deal and offer (picklable:
    it keeps the texts of the files it read)."""

    @staticmethod
    def from_file(path: _Path, candidate: Optional[_Path] = None) -> "Book": ...
    @staticmethod
    def from_text(
        text: str, base: Optional[_Path] = None, name: str = "book.toml", candidate: Optional[_Path] = None
    ) -> "Book": ...
    @staticmethod
    def from_sources(path: _Path, candidate: Optional[_Path], sources: Sequence[Tuple[str, str]]) -> "Book": ...
    @property
    def customers(self) -> List[str]: ...
    @property
    def usage(self) -> Optional[str]: ...
    @property
    def matrix(self) -> Matrix: ...
    @property
    def candidate(self) -> Optional[Matrix]: ...
    @property
    def money_scale(self) -> int: ...

def quote_deal(
    deal: Deal,
    offer: Optional[str] = None,
    path: Optional[_Path] = None,
    parquet: Optional[bytes] = None,
    name: Optional[str] = None,
    float_scale: Optional[int] = None,
) -> Tuple[str, List[List[str]]]: ...
def compare_deal(
    deal: Deal,
    path: Optional[_Path] = None,
    parquet: Optional[bytes] = None,
    name: Optional[str] = None,
    float_scale: Optional[int] = None,
) -> Tuple[str, List[List[str]]]: ...
def reprice_book(
    book: Book,
    path: Optional[_Path] = None,
    parquet: Optional[bytes] = None,
    name: Optional[str] = None,
    float_scale: Optional[int] = None,
    top: int = 5,
    bills: bool = False,
    only: Optional[Sequence[str]] = None,
) -> Tuple[str, List[List[str]]]: ...
def line_columns() -> List[str]: ...
