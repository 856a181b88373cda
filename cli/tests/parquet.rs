//! Parquet usage: the same usage as CSV and as Parquet (written here from
//! the CSV with the arrow writer, so no binary fixture is committed) gives
//! byte-identical outputs, whatever the Parquet column types and row group
//! sizes; bad rows are named by file, row and value as the CSV's are.

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Decimal128Array, Float64Array, RecordBatch, StringArray, TimestampSecondArray,
};
use common::{run, stdout_ok};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use rust_decimal::Decimal;
use unitcalc_core::time::Hour;
use unitcalc_tests::root;

/// How each column is written.
#[derive(Clone, Copy)]
enum Types {
    /// Every column as text.
    Text,
    /// UTC timestamps (seconds) and decimal128 quantities at scale 3.
    Typed,
    /// Float64 quantities (refused without a scale).
    Float,
}

/// Writes the usage CSV at `csv` (relative to the workspace) as Parquet at
/// `out`, `rows_per_group` rows to a row group.
fn to_parquet(csv: &str, out: &Path, types: Types, rows_per_group: usize) {
    let src = std::fs::read_to_string(root().join(csv)).unwrap();
    let mut lines = src.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let column = |name: &str| -> Vec<&str> {
        let i = header.iter().position(|h| *h == name).unwrap();
        rows.iter().map(|r| r[i]).collect()
    };
    let text = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    let mut columns: Vec<(&str, ArrayRef)> = Vec::new();
    for name in header.iter().copied() {
        let values = column(name);
        let array = match (name, types) {
            ("timestamp", Types::Typed) => Arc::new(
                TimestampSecondArray::from(
                    values
                        .iter()
                        .map(|t| Hour::parse_rfc3339(t).unwrap().0 * 3600)
                        .collect::<Vec<i64>>(),
                )
                .with_timezone("UTC"),
            ) as ArrayRef,
            ("quantity", Types::Typed) => Arc::new(
                Decimal128Array::from(
                    values
                        .iter()
                        .map(|q| {
                            let mut d: Decimal = q.parse().unwrap();
                            d.rescale(3);
                            d.mantissa()
                        })
                        .collect::<Vec<i128>>(),
                )
                .with_precision_and_scale(18, 3)
                .unwrap(),
            ) as ArrayRef,
            ("quantity", Types::Float) => Arc::new(Float64Array::from(
                values
                    .iter()
                    .map(|q| q.parse::<f64>().unwrap())
                    .collect::<Vec<f64>>(),
            )) as ArrayRef,
            _ => text(values),
        };
        columns.push((name, array));
    }
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_size(rows_per_group)
        .build();
    let file = std::fs::File::create(out).unwrap();
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

const BOOK: &str = "examples/book/book.toml";
const BOOK_USAGE: &str = "examples/book/usage.csv";

#[test]
fn reprice_json_is_byte_identical_for_csv_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let want = stdout_ok(&["reprice", BOOK, "-f", "json", "--bills"]);
    // (column types, rows per row group): one group, and many groups
    // smaller than a batch.
    for (name, types, group) in [
        ("text.parquet", Types::Text, 1 << 20),
        ("typed.parquet", Types::Typed, 1 << 20),
        ("typed-groups.PQ", Types::Typed, 1000),
    ] {
        let path = dir.path().join(name);
        to_parquet(BOOK_USAGE, &path, types, group);
        let got = stdout_ok(&[
            "reprice",
            BOOK,
            "-f",
            "json",
            "--bills",
            "--usage",
            path.to_str().unwrap(),
        ]);
        assert!(
            got == want,
            "{name}: the Parquet reprice differs from the CSV's"
        );
    }
}

#[test]
fn quote_reads_parquet_usage_as_it_reads_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("usage.parquet");
    to_parquet(
        "examples/deals/illustrative-gcp-usage.csv",
        &path,
        Types::Typed,
        500,
    );
    let deal = "examples/deals/illustrative-gcp.toml";
    let csv = stdout_ok(&["quote", deal, "-f", "json"]);
    let parquet = stdout_ok(&[
        "quote",
        deal,
        "-f",
        "json",
        "--usage",
        path.to_str().unwrap(),
    ]);
    assert_eq!(parquet, csv);
}

#[test]
fn parquet_errors_name_the_file_row_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n);
    let float = path("float.parquet");
    to_parquet(BOOK_USAGE, &float, Types::Float, 1 << 20);
    let bad = path("bad.parquet");
    let src = std::fs::read_to_string(root().join(BOOK_USAGE)).unwrap();
    let csv = path("bad.csv");
    std::fs::write(&csv, src.replacen("190.097", "19o.097", 1)).unwrap();
    to_parquet(csv.to_str().unwrap(), &bad, Types::Text, 1 << 20);
    let no_customer = path("single.parquet");
    to_parquet(
        "examples/deals/illustrative-gcp-usage.csv",
        &no_customer,
        Types::Text,
        1 << 20,
    );
    // (usage file, the message after the file name)
    let table = [
        (
            &float,
            ": column `quantity` holds floating-point numbers (Float64), which are not exact: write decimals or text, or name a scale to read them at",
        ),
        (
            &bad,
            ":1: invalid quantity `19o.097` (expected a non-negative decimal such as 500 or 0.25)",
        ),
        (
            &no_customer,
            ": missing column `customer`: a book's usage names the customer on every row",
        ),
    ];
    for (file, want) in table {
        let f = file.to_str().unwrap();
        let out = run(&["reprice", BOOK, "--usage", f]);
        assert!(!out.status.success(), "{f}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{f}{want}")), "{f}: {err}");
    }
}
