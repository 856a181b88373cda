"""Rows per second of the Python package and of Spark (local mode) repricing
one book, for docs/scale.md. Run by scripts/bench-python.sh, which also
times the CLI on the same files.

    python bench.py BOOK.toml USAGE.csv [SPARK_MASTER]
"""

import resource
import sys
import time

import pandas as pd
import pyarrow as pa

import unitcalc
import unitcalc.spark


def timed(label, rows, f):
    t0 = time.perf_counter()
    out = f()
    s = time.perf_counter() - t0
    print(f"{label}: {rows} rows in {s:.2f} s = {rows / s:,.0f} rows/s")
    return out


def main(book, usage, master="local[2]"):
    b = unitcalc.Book.from_file(book)
    r = timed("python reprice(book, csv path)", 0, lambda: unitcalc.reprice(b, usage))
    rows = r.rows
    print(f"  ({rows} rows; rows/s above is for the row count below)")
    timed("python reprice(book, csv path)", rows, lambda: unitcalc.reprice(b, usage))
    frame = timed("pandas read_csv(dtype=str)", rows, lambda: pd.read_csv(usage, dtype=str))
    timed("python reprice(book, DataFrame)", rows, lambda: unitcalc.reprice(b, frame))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    print(f"  the usage as an Arrow table: {table.nbytes / rows:.1f} bytes/row")
    print(f"  peak memory of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    try:
        def run():
            df = spark.read.option("header", True).csv(usage)
            return unitcalc.spark.reprice(df, b).collect()

        timed(f"spark {master} (first run, JVM warm-up)", rows, run)
        got = timed(f"spark {master}", rows, run)
    finally:
        spark.stop()
    want = {c["customer"]: c["current"] for c in r.summary["customers"]}
    assert {g["customer"]: str(g["current"]) for g in got} == want, "spark differs from python"
    print("spark totals equal the package's")


if __name__ == "__main__":
    main(*sys.argv[1:])
