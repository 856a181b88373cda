"""Reprice a book on Spark: per-customer totals under the current and the
candidate matrix, written as Parquet, and the book's totals printed.

    spark-submit --master spark://HOST:7077 \\
        --conf spark.sql.session.timeZone=UTC \\
        python/examples/reprice_job.py BOOK.toml USAGE OUT_DIR [WHEEL]

USAGE is a CSV (header `customer,timestamp,meter,environment,use_case,quantity`)
or a Parquet file or directory with those columns. WHEEL, the package's wheel
(maturin build), is shipped to executors that do not have the package; the
driver needs it installed (pip install WHEEL).
"""

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import unitcalc.spark


def main(book: str, usage: str, out: str, wheel: str = None) -> None:
    spark = SparkSession.builder.appName("unitcalc reprice").getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    if usage.endswith(".csv"):
        # Every column as text: quantities stay exact decimals.
        df = spark.read.option("header", True).csv(usage)
    else:
        df = spark.read.parquet(usage)
    totals = unitcalc.spark.reprice(df, book, wheel=wheel)
    totals.write.mode("overwrite").parquet(out)
    spark.read.parquet(out).agg(
        F.count("customer").alias("customers"),
        F.sum("rows").alias("rows"),
        F.sum("current").alias("total_current"),
        F.sum("candidate").alias("total_candidate"),
        F.sum("delta").alias("total_delta"),
    ).show(truncate=False)
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    main(*sys.argv[1:])
