"""unitcalc.spark.reprice on a real standalone Spark cluster (a master and a
worker on 127.0.0.1, started by scripts/test-python.sh, which also stops
them): a generated book of a few hundred customers, every customer's totals
equal to the command line's to the cent. The executors' Python does not have
the package: the wheel is shipped with the job.

Environment: SPARK_MASTER (spark://127.0.0.1:7077), UNITCALC_WHEEL (the
wheel), UNITCALC_BIN (the `unitcalc` binary), PYSPARK_PYTHON (the executors'
Python), CUSTOMERS (default 300)."""

import json
import os
import subprocess
import time
from decimal import Decimal
from pathlib import Path

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

import unitcalc
import unitcalc.spark

ROOT = Path(__file__).resolve().parents[2]


def test_spark_reprices_a_generated_book_as_the_cli_does(tmp_path):
    exe = os.environ["UNITCALC_BIN"]
    customers = int(os.environ.get("CUSTOMERS", "300"))
    usage = tmp_path / "usage.csv"
    subprocess.run(
        [exe, "usage", "generate", "--matrix", str(ROOT / "matrices/spec-m.toml"),
         "--cell", "capacity/azure/hot", "--cell", "capacity/aws/hot",
         "--start", "2026-03-01", "--months", "1", "--customers", str(customers),
         "--noise", "0.05", "--daily", "0.1", "-o", str(usage)],
        check=True,
    )
    deals = ROOT / "examples/book/deals"
    book = tmp_path / "book.toml"
    book.write_text(
        f'matrix = "{ROOT / "matrices/spec-m.toml"}"\n'
        f'candidate = "{ROOT / "examples/book/candidate-m.toml"}"\n'
        f'default_deal = "{deals / "acme.toml"}"\n'
        '[[customers]]\nname = "cust0001"\n'
        f'deal = "{deals / "globex.toml"}"\noffer = "Fixed 500 TB"\n'
        '[[customers]]\nname = "cust0002"\n'
        f'deal = "{deals / "umbrella.toml"}"\n'
        # Listed, never in the usage: its fixed fee is still due.
        '[[customers]]\nname = "idle0001"\n'
        f'deal = "{deals / "globex.toml"}"\noffer = "Fixed 500 TB"\n'
    )
    want = json.loads(subprocess.run(
        [exe, "reprice", str(book), "--usage", str(usage), "-f", "json"],
        check=True, capture_output=True, text=True,
    ).stdout)

    spark = (
        SparkSession.builder.master(os.environ["SPARK_MASTER"])
        .appName("unitcalc cluster test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.executor.memory", "1g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    try:
        t0 = time.monotonic()
        df = spark.read.option("header", True).csv(str(usage))
        # Timestamps as Spark timestamps (UTC instants), quantities as text.
        df = df.withColumn("timestamp", F.to_timestamp("timestamp"))
        result = unitcalc.spark.reprice(df, str(book), wheel=os.environ["UNITCALC_WHEEL"])
        got = {r["customer"]: r for r in result.collect()}
        print(f"spark: {customers} customers, {want['rows']} rows in {time.monotonic() - t0:.1f} s")
    finally:
        spark.stop()

    assert sorted(got) == sorted(c["customer"] for c in want["customers"])
    idle = got["idle0001"]
    assert idle["rows"] == 0 and idle["current"] > 0, idle
    assert sum(r["rows"] for r in got.values()) == want["rows"]
    for c in want["customers"]:
        r = got[c["customer"]]
        assert (r["offer"], r["offer_kind"]) == (c["offer"], c["offer_kind"]), c["customer"]
        for k in ("current", "candidate", "delta", "current_net_revenue", "candidate_net_revenue"):
            assert isinstance(r[k], Decimal)
            assert r[k] == Decimal(c[k]), (c["customer"], k, r[k], c[k])
    total = sum(r["current"] for r in got.values())
    assert total == Decimal(want["total_current"])
