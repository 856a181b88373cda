"""Repricing a book on Spark: usage grouped by customer, each customer's rows
sorted by time into one engine pricer on an executor, per-customer totals
back as a Spark DataFrame with exact decimal columns.

The package must be importable on the executors: install it there, or name
its wheel (``wheel=``), which is shipped with the job (``SparkContext.addFile``)
and unpacked on each executor before the first group is priced. The book
travels with the job as the texts of its files (matrices and deals), so the
executors need no access to them.

Customers the book lists but the usage never names are in the result too,
priced with no usage (a fixed fee is still due), as the command line's
``reprice`` lists them: the book's customers less the usage's distinct
customers (a left anti join), priced in one more Arrow task.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

from . import _CUSTOMERS, USAGE_COLUMNS, Book

#: The per-customer result's columns: a reprice's ``customers`` table (money
#: as DecimalType(38, currency scale)) and the customer's usage ``rows``.
RESULT_COLUMNS = _CUSTOMERS + ("rows",)


def result_schema(scale: int) -> Any:
    """The Spark schema of :func:`reprice`'s result, money at ``scale``."""
    from pyspark.sql.types import DecimalType, LongType, StringType, StructField, StructType

    money = DecimalType(38, scale)
    return StructType(
        [StructField(c, StringType()) for c in RESULT_COLUMNS[:3]]
        + [StructField(c, money) for c in RESULT_COLUMNS[3:8]]
        + [StructField("rows", LongType(), False)]
    )


def reprice(
    df: Any,
    book: Union[Book, str, "os.PathLike[str]"],
    *,
    wheel: Optional[str] = None,
    float_scale: Optional[int] = None,
) -> Any:
    """Reprices the usage DataFrame ``df`` (the usage CSV's columns, with
    ``customer``) under ``book``: ``groupBy("customer").applyInArrow``, one
    row per customer (see :data:`RESULT_COLUMNS`), the same figures as the
    command line's ``unitcalc reprice``. ``wheel``: the package's wheel file,
    shipped to executors that do not have the package installed.

    With a Spark session::

        import unitcalc.spark
        df = spark.read.option("header", True).csv("usage.csv")  # columns as text
        totals = unitcalc.spark.reprice(df, "book.toml", wheel="dist/unitcalc.whl")
        totals.agg({"current": "sum"}).show()
    """
    if not isinstance(book, Book):
        book = Book.from_file(os.fspath(book))
    state = book.__reduce__()[1]
    scale = book.money_scale
    wheel_name = None
    if wheel is not None:
        df.sparkSession.sparkContext.addFile(os.fspath(wheel))
        wheel_name = os.path.basename(os.fspath(wheel))
    # Copied into locals: the closures below must name no module-level name.
    columns = list(USAGE_COLUMNS)
    names = list(RESULT_COLUMNS)

    # Closures referring to no module-level name, so Spark pickles them by
    # value and the executor needs the package only when they run.
    def package() -> Any:
        """The package on the executor (unpacked from the shipped wheel when
        it is not installed there)."""
        if wheel_name is not None:
            import sys
            import zipfile

            try:
                import unitcalc  # noqa: F401
            except ImportError:
                from pyspark import SparkFiles

                src = SparkFiles.get(wheel_name)
                dest = src + ".unpacked"
                if not os.path.isdir(dest):
                    tmp = f"{dest}.{os.getpid()}"
                    zipfile.ZipFile(src).extractall(tmp)
                    try:
                        os.rename(tmp, dest)
                    except OSError:
                        pass  # another worker unpacked it first
                sys.path.insert(0, dest)
        import unitcalc

        return unitcalc

    def result(r: Any) -> Any:
        """A reprice's customers as the result's Arrow table."""
        import pyarrow as pa

        out = r.customers
        money = pa.decimal128(38, scale)
        arrays = [out.column(c) for c in names[:3]]
        for c in names[3:8]:
            col = out.column(c)
            arrays.append(col.cast(money) if pa.types.is_decimal(col.type) else pa.nulls(len(col), money))
        arrays.append(pa.array([r.rows] * out.num_rows, type=pa.int64()))
        return pa.Table.from_arrays(arrays, names=names)

    def price(table: Any) -> Any:
        """One customer's usage rows, priced."""
        import pyarrow.compute as pc

        unitcalc = package()
        b = unitcalc.Book.from_sources(*state)
        customer = table.column("customer")[0].as_py()
        # Time order for the pricer (the sort is stable: within an hour, as given).
        order = pc.sort_indices(table, sort_keys=[("timestamp", "ascending")])
        table = table.take(order)
        return result(unitcalc.reprice(b, table, float_scale=float_scale, only=[customer]))

    def price_unused(batches: Any) -> Any:
        """Listed customers with no usage row, priced with no usage."""
        import pyarrow as pa

        unitcalc = package()
        b = unitcalc.Book.from_sources(*state)
        names = [n for batch in batches for n in batch.column("customer").to_pylist()]
        if names:
            empty = pa.table({c: pa.array([], pa.string()) for c in columns})
            for batch in result(unitcalc.reprice(b, empty, only=names)).to_batches():
                yield batch

    usage = df.select(*columns)
    schema = result_schema(scale)
    priced = usage.groupBy("customer").applyInArrow(price, schema)
    listed = book.customers
    if not listed:
        return priced
    spark = df.sparkSession
    book_customers = spark.createDataFrame([(c,) for c in listed], "customer string")
    unused = book_customers.join(usage.select("customer").distinct(), "customer", "left_anti")
    return priced.unionByName(unused.coalesce(1).mapInArrow(price_unused, schema))
