import os
from typing import Any, Optional, Union

from . import Book

RESULT_COLUMNS: tuple[str, ...]

def result_schema(scale: int) -> Any: ...
def reprice(
    df: Any,
    book: Union[Book, str, "os.PathLike[str]"],
    *,
    wheel: Optional[str] = None,
    float_scale: Optional[int] = None,
) -> Any: ...
