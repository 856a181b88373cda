//! Runs the `unitcalc` binary on fixture deals and files: golden
//! outputs for the worked examples (their deal files and JSON bills are the
//! tests crate's, `tests/fixtures/examples/` and `tests/golden/`; the table
//! and CSV outputs are in `cli/tests/golden/`), headline figures as tables,
//! and error exits. `UPDATE_SNAPSHOTS=1 cargo test -p unitcalc-cli` rewrites
//! the golden files (review the diff before committing).

mod common;

use std::process::Command;

use common::{golden, goldens, json, run, stdout_ok};
use unitcalc_tests::examples::example;
use unitcalc_tests::{assert_golden, root};

/// `unitcalc quote` of worked example `id` in each format: the table and the
/// CSV against `cli/tests/golden/quote-ID.{txt,csv}`, the JSON against the
/// example's one golden bill (`tests/golden/example-ID.json`, the bill the
/// tests crate prices from the same deal file) and the figures the pricing
/// model states.
fn quote_example(id: &str) -> serde_json::Value {
    let x = example(id);
    let deal = x.deal_rel();
    for (format, ext) in [("table", "txt"), ("csv", "csv")] {
        golden(
            &format!("quote-{id}.{ext}"),
            &stdout_ok(&["quote", &deal, "--format", format]),
        );
    }
    let out = stdout_ok(&["quote", &deal, "--format", "json"]);
    assert_golden(x.golden_bill(), &out);
    let bill: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let period = bill["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == x.period)
        .unwrap_or_else(|| panic!("example {id}: no period {}", x.period));
    assert_eq!(period["total"], x.period_total, "example {id} {}", x.period);
    assert_eq!(bill["total"], x.term_total, "example {id} term total");
    bill
}

#[test]
fn quote_example_a() {
    quote_example("a");
}

#[test]
fn quote_example_b() {
    quote_example("b");
}

#[test]
fn quote_example_c() {
    quote_example("c");
}

#[test]
fn quote_example_d() {
    quote_example("d");
}

#[test]
fn quote_example_e() {
    quote_example("e");
}

#[test]
fn quote_example_f() {
    let bill = quote_example("f");
    assert_eq!(bill["commitment"]["exhausted_term_hour"], 667);
}

#[test]
fn quote_csv_is_tidy_and_sums_to_the_total() {
    let csv = stdout_ok(&["quote", &example("c").deal_rel(), "-f", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().unwrap().clone();
    let amount = headers.iter().position(|h| h == "amount").unwrap();
    let mut sum = rust_decimal::Decimal::ZERO;
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        assert_eq!(rec.len(), headers.len());
        sum += rec[amount].parse::<rust_decimal::Decimal>().unwrap();
        rows += 1;
    }
    assert_eq!(rows, 13, "12 fee lines and one overage line");
    assert_eq!(sum.to_string(), "480002.10");
}

#[test]
fn quote_usage_override_prices_the_same_usage_from_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("c.csv");
    let csv = csv.to_str().unwrap();
    stdout_ok(&[
        "usage",
        "generate",
        "--deal",
        &example("c").deal_rel(),
        "--prefix",
        "c",
        "-o",
        csv,
    ]);
    let from_profile = json(&["quote", &example("c").deal_rel(), "-f", "json"]);
    let from_csv = json(&[
        "quote",
        &example("c").deal_rel(),
        "--usage",
        csv,
        "-f",
        "json",
    ]);
    assert_eq!(from_profile, from_csv);
}

#[test]
fn compare_golden_outputs() {
    let c = goldens(
        &["compare", "cli/tests/fixtures/compare.toml"],
        "compare",
        &["table", "json", "csv"],
    )
    .unwrap();
    let rows = c["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["delta_total"], "0.00");
    assert_eq!(
        rows[1]["overage"], "2.10",
        "the prolonged burst of example C"
    );
}

/// (arguments, what the one-line error must contain).
const ERRORS: &[(&[&str], &[&str])] = &[
    (
        &["quote", "cli/tests/fixtures/float-literal.toml"],
        &["cli/tests/fixtures/float-literal.toml:21:12", "0.2"],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/out-of-order.csv",
        ],
        &[
            "customer `acme`",
            "out-of-order.csv:5",
            "2026-03-01T00:00:00Z",
            "time order",
        ],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/unknown-customer.csv",
        ],
        &["unknown-customer.csv:3", "unknown customer `wayne`"],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/bad-quantity.csv",
        ],
        &["bad-quantity.csv:3", "`2x0`"],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book-typo.toml",
            "--usage",
            "cli/tests/fixtures/bad-quantity.csv",
        ],
        &["book-typo.toml:6", "unknown field `ofer`"],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/duplicate.csv",
        ],
        &[
            "customer `acme`",
            "duplicate.csv:4",
            "duplicate",
            "2026-03-01T00:00:00Z",
            "capacity/azure/hot",
        ],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/outside-term.csv",
        ],
        &[
            "customer `acme`",
            "outside-term.csv:3",
            "2026-05-01T00:00:00Z",
            "outside the term",
        ],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book-no-compute.toml",
            "--usage",
            "cli/tests/fixtures/candidate-unknown.csv",
        ],
        &[
            "candidate-unknown.csv:3",
            "unknown meter (candidate matrix) `compute`",
        ],
    ),
    (
        &[
            "reprice",
            "examples/book/book.toml",
            "--candidate",
            "cli/tests/fixtures/candidate-archive-not-offered.toml",
        ],
        &[
            "examples/book/deals/hooli.toml:",
            "capacity/azure/archive",
            "not offered",
            "under candidate matrix `no-archive`",
        ],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/empty-customer.csv",
        ],
        &["empty-customer.csv:3", "empty customer"],
    ),
    // The first error in file order wins: a record refused by its pricer
    // before a line that cannot be read, or before an unknown customer;
    // an unknown customer before a line that cannot be read.
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/first-error-priced.csv",
        ],
        &["customer `acme`", "first-error-priced.csv:3", "time order"],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/first-error-before-unknown.csv",
        ],
        &[
            "customer `acme`",
            "first-error-before-unknown.csv:3",
            "duplicate",
        ],
    ),
    (
        &[
            "reprice",
            "cli/tests/fixtures/book.toml",
            "--usage",
            "cli/tests/fixtures/first-error-unknown.csv",
        ],
        &["first-error-unknown.csv:3", "unknown customer `wayne`"],
    ),
    (
        &["quote", "cli/tests/fixtures/no-such-deal.toml"],
        &["no-such-deal.toml"],
    ),
    (
        &[
            "quote",
            "tests/fixtures/examples/example-a.toml",
            "--offer",
            "Nope",
        ],
        &["no offer `Nope`", "PAYG 20% off"],
    ),
    (
        &["matrix", "check", "tests/fixtures/examples/example-a.toml"],
        &["example-a.toml"],
    ),
];

#[test]
fn bad_input_exits_1_with_one_line_naming_file_line_and_value() {
    for (args, wants) in ERRORS {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("error: ") && err.ends_with('\n') && err.lines().count() == 1,
            "{args:?}: {err:?}"
        );
        for w in *wants {
            assert!(err.contains(w), "{args:?}: {err:?} lacks {w:?}");
        }
    }
}

#[test]
fn a_failed_run_leaves_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let o = out.to_str().unwrap();
    let r = run(&[
        "reprice",
        "cli/tests/fixtures/book.toml",
        "--usage",
        "cli/tests/fixtures/out-of-order.csv",
        "-o",
        o,
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file left behind"
    );
    stdout_ok(&[
        "quote",
        "tests/fixtures/examples/example-a.toml",
        "-f",
        "json",
        "-o",
        o,
    ]);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["total"], "223.20");
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["quote", "--help"],
        &["compare", "--help"],
        &["reprice", "--help"],
        &["matrix", "check", "--help"],
        &["usage", "generate", "--help"],
    ] {
        let out = stdout_ok(args);
        assert!(out.contains("Usage: unitcalc"), "{args:?}");
    }
}

/// The browser's exported deal (`deal_toml::export` of its form, here worked
/// example C) is a deal file the CLI quotes, with the bundled matrix found
/// by its file name; the bill equals the one from the example's own deal
/// file, and the browser's reader opens the export to the same form.
#[test]
fn the_browsers_exported_deal_quotes_in_the_cli() {
    use unitcalc_core::deal::DealSpec;
    use unitcalc_core::deal_toml;
    let dir = tempfile::tempdir().unwrap();
    let exported = deal_toml::export(&DealSpec::example()).unwrap();
    let path = dir.path().join("example-c.toml");
    std::fs::write(&path, &exported).unwrap();
    let from_export = stdout_ok(&["quote", path.to_str().unwrap(), "-f", "json"]);
    let from_example = stdout_ok(&["quote", "examples/deals/spec-example-c.toml", "-f", "json"]);
    assert_eq!(from_export, from_example);
    let reopened = deal_toml::read(&exported, "example-c.toml").unwrap().spec;
    let m = reopened.matrix.load().unwrap();
    let fields = unitcalc_core::deal::FieldLabels;
    let (a, b) = (
        reopened.resolve(&m, &fields).unwrap(),
        DealSpec::example().resolve(&m, &fields).unwrap(),
    );
    assert_eq!(
        (a.name, a.terms, a.offers, a.usage),
        (b.name, b.terms, b.offers, b.usage)
    );
}

/// `fingerprint --write DIR` writes the canonical texts: `sha256sum` (the
/// system's, not ours) gives the digests the command printed, and the
/// written deal quotes to the same bill as the original.
#[test]
fn fingerprints_check_with_sha256sum() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let deal = "examples/deals/spec-example-c.toml";
    let printed = stdout_ok(&["fingerprint", deal, "--write", d]);
    let sums = Command::new("sha256sum")
        .args([
            "matrix.toml",
            "deal.toml",
            "usage.csv",
            "engine.txt",
            "bill-1.json",
        ])
        .current_dir(dir.path())
        .output()
        .expect("sha256sum");
    let sums = String::from_utf8(sums.stdout).unwrap();
    let printed_lines: Vec<&str> = printed
        .lines()
        .map(|l| l.split("  (").next().unwrap())
        .collect();
    assert_eq!(sums.lines().collect::<Vec<_>>(), printed_lines);
    let again = stdout_ok(&["quote", &format!("{d}/deal.toml"), "-f", "json"]);
    assert_eq!(again, stdout_ok(&["quote", deal, "-f", "json"]));
}

/// `verify`: the golden bill of worked example C verifies against its deal
/// (exit 0); an edited bill is refused naming the field (exit 1).
#[test]
fn verify_a_bill() {
    let deal = "tests/fixtures/examples/example-c.toml";
    let ok = stdout_ok(&["verify", "tests/golden/example-c.json", deal]);
    assert!(
        ok.starts_with("verified: tests/golden/example-c.json is what its inputs give"),
        "{ok}"
    );
    let bad = run(&["verify", "tests/fixtures/bad/bill/one-cent.json", deal]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: tests/fixtures/bad/bill/one-cent.json differs from what its inputs give at `periods[0].lines[1].amount`: the bill says \"2.11\", the inputs give \"2.10\"\n"
    );
}

/// CSV injection: names that a spreadsheet would run as formulas are written
/// as text (a leading `'`) in the comparison and bill CSVs, while the
/// amounts, negative deltas too, stay numbers.
#[test]
fn csv_outputs_write_formula_like_names_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let deal = dir.path().join("evil.toml");
    let text = std::fs::read_to_string(root().join("cli/tests/fixtures/compare.toml")).unwrap();
    let spec_m = root().join("matrices/spec-m.toml");
    let text = text
        .replace("../../../matrices/spec-m.toml", spec_m.to_str().unwrap())
        .replace(
            "name = \"Compare three offers\"",
            "name = \"=HYPERLINK(1)\"",
        )
        .replace("name = \"PAYG list\"", "name = \"+PAYG\"")
        .replace("name = \"Fixed 500 TB\"", "name = \"-Fixed\"");
    std::fs::write(&deal, text).unwrap();
    let deal = deal.to_str().unwrap();
    let cmp = stdout_ok(&["compare", deal, "-f", "csv"]);
    let rows: Vec<&str> = cmp.lines().collect();
    assert_eq!(
        rows[1],
        "'=HYPERLINK(1),'+PAYG,pay-as-you-go,2026-03,705.00,0.00,21.15,683.85,USD"
    );
    assert_eq!(
        rows[4],
        "'=HYPERLINK(1),'-Fixed,fixed-capacity,2026-03,602.10,-102.90,18.06,584.04,USD"
    );
    let quote = stdout_ok(&["quote", deal, "-f", "csv"]);
    let first = quote.lines().nth(1).unwrap();
    assert!(
        first.starts_with("'=HYPERLINK(1),spec-m,1,'+PAYG,"),
        "{first}"
    );
}
