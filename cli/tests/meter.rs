//! `unitcalc meter`: the export writes exactly the golden request bodies of
//! the tests crate (`tests/golden/metering/`), byte for byte, and again on a
//! second run; `--from`/`--to` narrow it; `reconcile` prints the records
//! against the bill in each format (`cli/tests/golden/meter-*`).
//! `UPDATE_SNAPSHOTS=1 cargo test -p unitcalc-cli` rewrites the goldens.

mod common;

use std::path::Path;

use common::{goldens, run, stdout_ok};
use unitcalc_tests::fixtures::files;
use unitcalc_tests::root;

fn stderr_err(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(1), "unitcalc {args:?} must fail");
    String::from_utf8(out.stderr).expect("utf-8 error")
}

/// The JSON files of a folder, by name, with their bytes.
fn folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir, "json")
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn export_writes_the_golden_requests_and_the_same_bytes_again() {
    for name in [
        "example-c-azure",
        "example-c-aws",
        "example-c-gcp",
        "payg-azure",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap();
        let deal = format!("tests/fixtures/metering/{name}.toml");
        let said = stdout_ok(&["meter", "export", &deal, "--out", out]);
        assert!(said.contains(" written to "), "{said}");
        let first = folder(dir.path());
        assert_eq!(
            first,
            folder(&root().join("tests/golden/metering").join(name)),
            "{name}"
        );
        stdout_ok(&["meter", "export", &deal, "--out", out]);
        assert_eq!(folder(dir.path()), first, "{name}: a second run");
    }
}

#[test]
fn export_window_keeps_only_its_hours_and_clears_older_requests() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let deal = "tests/fixtures/metering/example-c-azure.toml";
    stdout_ok(&["meter", "export", deal, "--out", out]);
    assert_eq!(folder(dir.path()).len(), 2);
    let said = stdout_ok(&[
        "meter",
        "export",
        deal,
        "--out",
        out,
        "--from",
        "2026-03-13T00:00:00Z",
        "--to",
        "2026-03-13T10:00:00Z",
    ]);
    assert_eq!(
        said,
        format!("Worked example C (azure): 1 request (10 records) for azure written to {out}\n")
    );
    let files = folder(dir.path());
    assert_eq!(files.len(), 1, "the earlier azure-0002.json is removed");
    let body: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
    assert_eq!(body["request"].as_array().map(Vec::len), Some(10));
}

#[test]
fn reconcile_in_each_format() {
    let deal = "tests/fixtures/metering/example-c-azure.toml";
    goldens(
        &["meter", "reconcile", deal],
        "meter-reconcile-example-c-azure",
        &["table", "csv", "json"],
    );
    let payg = stdout_ok(&[
        "meter",
        "reconcile",
        "tests/fixtures/metering/payg-azure.toml",
        "--format",
        "csv",
    ]);
    assert_eq!(
        payg,
        "period,dimension,unit,quantity,price,amount,bill_amount,difference\n\
         2026-03,capacity_units,units,279,0.80,223.20,223.20,0.00\n\
         2026-03,compute_usd_cents,money,1536,0.01,15.36,15.36,0.00\n"
    );
}

#[test]
fn meter_errors_name_the_deal_or_the_flag() {
    let err = stderr_err(&["meter", "reconcile", "examples/deals/spec-example-c.toml"]);
    assert_eq!(
        err,
        "error: examples/deals/spec-example-c.toml: the deal has no [metering] plan (see docs/metering.md)\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let err = stderr_err(&[
        "meter",
        "export",
        "tests/fixtures/metering/example-c-azure.toml",
        "--out",
        dir.path().to_str().unwrap(),
        "--from",
        "2026-03-13T00:30:00Z",
    ]);
    assert!(err.starts_with("error: --from: "), "{err}");
    assert!(folder(dir.path()).is_empty());
}

/// A marketplace report for the first six charged hours of worked example C
/// through Azure (`tests/fixtures/metering/example-c-azure-report.csv`): one
/// hour of each outcome, two mismatched, one unexpected dimension.
#[test]
fn reconcile_against_the_marketplace_report() {
    let args = [
        "meter",
        "reconcile",
        "tests/fixtures/metering/example-c-azure.toml",
        "--report",
        "tests/fixtures/metering/example-c-azure-report.csv",
        "--from",
        "2026-03-13T00:00:00Z",
        "--to",
        "2026-03-13T06:00:00Z",
    ];
    let json = goldens(
        &args,
        "meter-report-example-c-azure",
        &["table", "csv", "json"],
    )
    .unwrap();
    let counts = &json["report"]["counts"];
    for (outcome, n) in [
        ("matched", 1),
        ("missing", 1),
        ("duplicate", 1),
        ("rejected", 1),
        ("mismatched", 2),
        ("unexpected", 1),
    ] {
        assert_eq!(counts[outcome], n, "{outcome}");
    }
    let err = stderr_err(&[
        "meter",
        "reconcile",
        "tests/fixtures/metering/example-c-azure.toml",
        "--report",
        "tests/fixtures/metering/example-c-azure.toml",
    ]);
    assert!(
        err.starts_with(
            "error: tests/fixtures/metering/example-c-azure.toml:1: the header must be `timestamp,dimension,quantity,status`"
        ),
        "{err}"
    );
}

/// `meter reconcile` against the marketplace's own report files (format
/// detected from the content), for the first six charged hours of worked
/// example C: the goldens `cli/tests/golden/meter-native-STEM.{txt,csv,json}`
/// and the counts of each outcome, in `Outcome::ALL` order.
fn native_report(deal: &str, reports: &[&str], stem: &str, want: [u64; 6], format: &str) {
    let deal = format!("tests/fixtures/metering/{deal}.toml");
    let mut args = vec!["meter", "reconcile", deal.as_str()];
    let reports: Vec<String> = reports
        .iter()
        .map(|r| format!("tests/fixtures/metering/{r}"))
        .collect();
    for r in &reports {
        args.extend(["--report", r.as_str()]);
    }
    args.extend([
        "--from",
        "2026-03-13T00:00:00Z",
        "--to",
        "2026-03-13T06:00:00Z",
    ]);
    let json = goldens(
        &args,
        &format!("meter-native-{stem}"),
        &["table", "csv", "json"],
    )
    .unwrap();
    let report = &json["report"];
    for f in report["files"].as_array().unwrap() {
        assert_eq!(f["format"], format, "{f}");
    }
    let names = [
        "matched",
        "missing",
        "duplicate",
        "rejected",
        "mismatched",
        "unexpected",
    ];
    for (outcome, n) in names.into_iter().zip(want) {
        assert_eq!(report["counts"][outcome], n, "{stem}: {outcome}");
    }
    // The same with the format named instead of detected.
    let mut named = args.clone();
    named.extend(["--report-format", format, "-f", "json"]);
    assert_eq!(
        stdout_ok(&named),
        stdout_ok(&[&args[..], &["-f", "json"]].concat())
    );
}

/// Two AWS `BatchMeterUsage` responses: a success, a duplicate sent later
/// (`DuplicateRecord`, the first write stands), `CustomerNotSubscribed`,
/// another quantity, an unprocessed record (missing) and an hour not sent.
#[test]
fn reconcile_aws_batch_meter_usage_responses() {
    native_report(
        "example-c-aws",
        &[
            "example-c-aws-response-1.json",
            "example-c-aws-response-2.json",
        ],
        "aws",
        [2, 1, 1, 1, 1, 1],
        "aws",
    );
}

/// An Azure `batchUsageEvent` response: accepted, `Duplicate`, `Expired`,
/// another quantity, an hour left out and a dimension the plan does not
/// list (no price: no money effect).
#[test]
fn reconcile_azure_batch_usage_event_response() {
    native_report(
        "example-c-azure",
        &["example-c-azure-events-response.json"],
        "azure-events",
        [2, 1, 1, 1, 1, 1],
        "azure-events",
    );
}

/// Azure's usage-events report: `Accepted`, `Duplicate`, `Rejected`,
/// `Mismatch` (the processed quantity counts), `Submitted`, an hour left
/// out and one not sent.
#[test]
fn reconcile_azure_usage_events_report() {
    native_report(
        "example-c-azure",
        &["example-c-azure-usage-report.csv"],
        "azure-report",
        [2, 1, 1, 1, 1, 1],
        "azure-report",
    );
}

/// The Google Cloud usage log: an operation logged twice (duplicate),
/// another quantity, two hours not logged (missing; the log has no
/// rejections) and a metric the plan does not list.
#[test]
fn reconcile_gcp_usage_log() {
    native_report(
        "example-c-gcp",
        &["example-c-gcp-usage-log.csv"],
        "gcp-log",
        [2, 2, 1, 0, 1, 1],
        "gcp-log",
    );
}

#[test]
fn a_bad_report_format_is_named() {
    let err = stderr_err(&[
        "meter",
        "reconcile",
        "tests/fixtures/metering/example-c-aws.toml",
        "--report",
        "tests/fixtures/metering/example-c-aws-response-1.json",
        "--report-format",
        "xml",
    ]);
    assert_eq!(
        err,
        "error: --report-format: unknown report format `xml` (expected aws, azure-events, azure-report, gcp-log, unitcalc)\n"
    );
}

/// Azure's usage-events report by day (`usageDate`): each day is compared
/// with what was sent that day, added up (the whole term sent: 180 cents on
/// 13 March, 30 on the 14th); a daily report is not mixed with hourly ones.
#[test]
fn reconcile_azure_usage_events_report_by_day() {
    let deal = "tests/fixtures/metering/example-c-azure.toml";
    let daily = "tests/fixtures/metering/example-c-azure-usage-report-daily.csv";
    let args = ["meter", "reconcile", deal, "--report", daily];
    let json = goldens(
        &args,
        "meter-native-azure-report-daily",
        &["table", "csv", "json"],
    )
    .unwrap();
    let counts = &json["report"]["counts"];
    for (outcome, n) in [
        ("matched", 1),
        ("mismatched", 1),
        ("unexpected", 1),
        ("missing", 0),
    ] {
        assert_eq!(counts[outcome], n, "{outcome}");
    }
    assert_eq!(json["report"]["net_effect"], "0.03");
    let err = stderr_err(&[
        "meter",
        "reconcile",
        deal,
        "--report",
        daily,
        "--report",
        "tests/fixtures/metering/example-c-azure-usage-report.csv",
    ]);
    assert_eq!(
        err,
        "error: metering: a daily report (Azure's usageDate) cannot be checked together with hourly ones: check them in two runs\n"
    );
}
