#!/usr/bin/env bash
# The Python package (python/, docs/python.md), on a fresh machine:
#   1. a build environment (a venv under the cargo target dir) with maturin, pyarrow,
#      pandas, pytest and pyspark from PyPI; Debian's python3-venv when venvs cannot be made;
#   2. the wheel (maturin, release), installed into a FRESH venv with its runtime
#      dependencies only, and the pytest suite (python/tests) plus the docstrings' examples;
#   3. the Spark cluster test (python/tests_spark): a standalone master and one worker on
#      127.0.0.1 from the pyspark package (Java 17), a generated book of CUSTOMERS
#      customers repriced through it against the CLI's figures; the cluster is always
#      stopped (trap) and every step is bounded in time.
# Prints each step's wall time. Exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$CARGO_TARGET_DIR/python"
PY="${PYTHON:-python3}"
CUSTOMERS="${CUSTOMERS:-300}"
SPARK_PORT="${SPARK_PORT:-7077}"
mkdir -p "$WORK"

T0=$(date +%s)
LAST=$T0
step() {
  local now; now=$(date +%s)
  printf '\n==> %s (previous step %ds, total %ds)\n' "$*" $((now - LAST)) $((now - T0))
  LAST=$now
}

step "Python and Java"
if ! "$PY" -c 'import ensurepip, venv' 2>/dev/null; then
  echo "test-python: $PY cannot make virtual environments: installing Debian's python3-venv"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q python3-venv python3-pip
fi
"$PY" --version
java -version 2>&1 | head -1

step "build environment ($WORK/build): maturin, pyarrow, pandas, pytest, pyspark"
BUILD="$WORK/build"
[ -x "$BUILD/bin/python" ] || "$PY" -m venv "$BUILD"
timeout 1200 "$BUILD/bin/pip" install -q --disable-pip-version-check \
  'maturin>=1.5,<2' 'pyarrow>=14' 'pandas<3' pytest 'pyspark>=4.0'

step "the wheel (maturin build --release)"
rm -rf "$WORK/wheels"
timeout 2400 "$BUILD/bin/maturin" build -m python/Cargo.toml --release --locked -o "$WORK/wheels"
WHEEL="$(ls "$WORK"/wheels/unitcalc-*.whl)"
ls -l "$WHEEL"

step "the CLI the tests compare with (cargo build -p unitcalc-cli)"
cargo build -q -p unitcalc-cli --locked
export UNITCALC_BIN="$CARGO_TARGET_DIR/debug/unitcalc"

step "a fresh venv ($WORK/fresh) with the wheel and its test tools"
rm -rf "$WORK/fresh"
"$PY" -m venv "$WORK/fresh"
FRESH="$WORK/fresh/bin"
timeout 1200 "$FRESH/pip" install -q --disable-pip-version-check "$WHEEL" 'pandas<3' pytest 'pyspark>=4.0'
"$FRESH/python" -c 'import unitcalc, sys; print("unitcalc from", unitcalc.__file__)'

step "pytest: the package (python/tests) and its docstrings' examples"
# From outside the source tree, so the installed wheel is what is tested.
(cd "$WORK" && timeout 900 "$FRESH/python" -m pytest -q -p no:cacheprovider \
  "$ROOT/python/tests" --doctest-modules --pyargs unitcalc)

step "Spark: a standalone master and one worker on 127.0.0.1"
SPARK_HOME="$("$FRESH/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOG_DIR="$WORK/spark/logs" SPARK_WORKER_DIR="$WORK/spark/work"
mkdir -p "$SPARK_LOG_DIR" "$SPARK_WORKER_DIR"
MASTER_PID=""; WORKER_PID=""
stop_cluster() {
  for p in $WORKER_PID $MASTER_PID; do kill "$p" 2>/dev/null || true; done
  for p in $WORKER_PID $MASTER_PID; do
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap stop_cluster EXIT
MASTER="spark://127.0.0.1:$SPARK_PORT"
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$SPARK_PORT" --webui-port 0 >"$SPARK_LOG_DIR/master.out" 2>&1 &
MASTER_PID=$!
for _ in $(seq 1 120); do
  grep -q "I have been elected leader" "$SPARK_LOG_DIR/master.out" 2>/dev/null && break
  kill -0 "$MASTER_PID" 2>/dev/null || { cat "$SPARK_LOG_DIR/master.out"; exit 1; }
  sleep 0.5
done
grep -q "I have been elected leader" "$SPARK_LOG_DIR/master.out" || { echo "the master did not start"; cat "$SPARK_LOG_DIR/master.out"; exit 1; }
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker "$MASTER" \
  --host 127.0.0.1 --cores 2 --memory 2g --webui-port 0 >"$SPARK_LOG_DIR/worker.out" 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 120); do
  grep -q "Successfully registered with master" "$SPARK_LOG_DIR/worker.out" 2>/dev/null && break
  kill -0 "$WORKER_PID" 2>/dev/null || { cat "$SPARK_LOG_DIR/worker.out"; exit 1; }
  sleep 0.5
done
grep -q "Successfully registered with master" "$SPARK_LOG_DIR/worker.out" || { echo "the worker did not register"; cat "$SPARK_LOG_DIR/worker.out"; exit 1; }

step "Spark: reprice $CUSTOMERS generated customers on the cluster, against the CLI"
# The executors run the build environment's Python, which does not have the
# package: the wheel is shipped with the job (unitcalc.spark.reprice(wheel=...)).
(cd "$WORK" && SPARK_MASTER="$MASTER" UNITCALC_WHEEL="$WHEEL" CUSTOMERS="$CUSTOMERS" \
  PYSPARK_PYTHON="$BUILD/bin/python" PYSPARK_DRIVER_PYTHON="$FRESH/python" \
  timeout 900 "$FRESH/python" -m pytest -q -s -p no:cacheprovider "$ROOT/python/tests_spark")
stop_cluster
trap - EXIT

step "Python tests passed"
