//! Runs the `unitcalc` binary on fixture deals, books and usage files: golden
//! outputs for the worked examples (their deal files and JSON bills are the
//! tests crate's, `tests/fixtures/examples/` and `tests/golden/`; the table
//! and CSV outputs are in `cli/tests/golden/`), headline figures as tables,
//! and error exits. `UPDATE_SNAPSHOTS=1 cargo test -p unitcalc-cli` rewrites
//! the golden files (review the diff before committing).

mod common;

use std::process::Command;

use common::{goldens, run, stdout_ok};
use unitcalc_tests::examples::example;
use unitcalc_tests::{assert_golden, root};

fn golden(name: &str, actual: &str) {
    assert_golden(root().join("cli/tests/golden").join(name), actual);
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_ok(args)).expect("valid JSON")
}

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

#[test]
fn reprice_example_book_golden_outputs() {
    goldens(
        &["reprice", "examples/book/book.toml"],
        "reprice-book",
        &["table", "json", "csv"],
    );
}

#[test]
fn reprice_totals_add_up_and_movers_are_ordered() {
    let r = json(&[
        "reprice",
        "examples/book/book.toml",
        "-f",
        "json",
        "--top",
        "2",
    ]);
    let dec = |v: &serde_json::Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    let customers = r["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 5);
    let (mut cur, mut cand) = (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO);
    for c in customers {
        cur += dec(&c["current"]);
        cand += dec(&c["candidate"]);
        assert_eq!(dec(&c["delta"]), dec(&c["candidate"]) - dec(&c["current"]));
    }
    assert_eq!(cur, dec(&r["total_current"]));
    assert_eq!(cand, dec(&r["total_candidate"]));
    assert_eq!(cand - cur, dec(&r["total_delta"]));
    assert!(r["largest_increases"].as_array().unwrap().len() <= 2);
    let inc: Vec<_> = r["largest_increases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| dec(&m["delta"]))
        .collect();
    for m in r["largest_increases"].as_array().unwrap() {
        let c = customers
            .iter()
            .find(|c| c["customer"] == m["customer"])
            .unwrap();
        assert_eq!(c["delta"], m["delta"]);
    }
    assert!(inc.windows(2).all(|w| w[0] >= w[1]) && inc.iter().all(|d| d.is_sign_positive()));
}

#[test]
fn reprice_without_candidate_prices_the_book_once() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.toml");
    let root = root();
    std::fs::write(
        &book,
        format!(
            "matrix = \"{m}\"\nusage = \"{u}\"\n[[customers]]\nname = \"acme\"\ndeal = \"{d}\"\n",
            m = root.join("matrices/spec-m.toml").display(),
            u = root.join("examples/book/usage.csv").display(),
            d = root.join("examples/book/deals/acme.toml").display(),
        ),
    )
    .unwrap();
    // Customers in the usage but not in the book (and no default_deal): an error naming the line.
    let out = run(&["reprice", book.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("usage.csv:") && err.contains("unknown customer `globex`"),
        "{err}"
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
fn usage_generate_is_deterministic_and_complete() {
    let args = [
        "usage",
        "generate",
        "--matrix",
        "matrices/spec-m.toml",
        "--cell",
        "capacity/azure/hot",
        "--cell",
        "compute/aws/hot",
        "--baseline",
        "100",
        "--noise",
        "0.05",
        "--start",
        "2026-03-01",
        "--months",
        "1",
        "--customers",
        "3",
    ];
    let a = stdout_ok(&args);
    assert_eq!(a, stdout_ok(&args));
    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(
        lines[0],
        "customer,timestamp,meter,environment,use_case,quantity"
    );
    assert_eq!(lines.len(), 1 + 3 * 744 * 2);
    assert!(lines[1].starts_with("cust0001,2026-03-01T00:00:00Z,capacity,azure,hot,"));
    assert!(lines
        .last()
        .unwrap()
        .starts_with("cust0003,2026-03-31T23:00:00Z,compute,aws,hot,"));
    // Seeds differ per customer.
    let q = |c: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(c))
            .unwrap()
            .rsplit(',')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(q("cust0001"), q("cust0002"));
    let bad = run(&[
        "usage",
        "generate",
        "--matrix",
        "matrices/spec-m.toml",
        "--cell",
        "capacity/gcp/hot",
        "--start",
        "2026-03-01",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown environment `gcp`"));
}

#[test]
fn matrix_check_prints_the_grid() {
    golden(
        "matrix-check-spec-m.txt",
        &stdout_ok(&["matrix", "check", "matrices/spec-m.toml"]),
    );
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

#[test]
fn reprice_gives_the_same_bills_for_hour_major_and_customer_major_files() {
    let src = std::fs::read_to_string(root().join("examples/book/usage.csv")).unwrap();
    let mut lines: Vec<&str> = src.lines().collect();
    let header = lines.remove(0);
    // Stable sort by timestamp: every customer's rows stay in time order.
    lines.sort_by_key(|l| l.split(',').nth(1).unwrap_or_default().to_string());
    let dir = tempfile::tempdir().unwrap();
    let sorted = dir.path().join("hour-major.csv");
    std::fs::write(&sorted, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
    let a = json(&[
        "reprice",
        "examples/book/book.toml",
        "-f",
        "json",
        "--bills",
    ]);
    let b = json(&[
        "reprice",
        "examples/book/book.toml",
        "-f",
        "json",
        "--bills",
        "--usage",
        sorted.to_str().unwrap(),
    ]);
    assert_eq!(a, b);
}

#[test]
fn reprice_reads_crlf_line_ends_and_a_last_line_without_newline() {
    let src = std::fs::read_to_string(root().join("examples/book/usage.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("crlf.csv");
    std::fs::write(&crlf, src.replace('\n', "\r\n")).unwrap();
    let nonl = dir.path().join("nonl.csv");
    std::fs::write(&nonl, src.trim_end()).unwrap();
    let want = json(&["reprice", "examples/book/book.toml", "-f", "json"]);
    for f in [&crlf, &nonl] {
        assert_eq!(
            json(&[
                "reprice",
                "examples/book/book.toml",
                "-f",
                "json",
                "--usage",
                f.to_str().unwrap()
            ]),
            want
        );
    }
}

#[test]
fn reprice_of_one_customer_counts_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let root = root();
    let src = std::fs::read_to_string(root.join("examples/book/usage.csv")).unwrap();
    let mut lines = src.lines();
    let mut csv = format!("{}\n", lines.next().unwrap());
    for l in lines.filter(|l| l.starts_with("acme,")) {
        csv.push_str(l);
        csv.push('\n');
    }
    std::fs::write(dir.path().join("usage.csv"), csv).unwrap();
    let book = dir.path().join("book.toml");
    std::fs::write(
        &book,
        format!(
            "matrix = \"{m}\"\nusage = \"usage.csv\"\n[[customers]]\nname = \"acme\"\ndeal = \"{d}\"\n",
            m = root.join("matrices/spec-m.toml").display(),
            d = root.join("examples/book/deals/acme.toml").display(),
        ),
    )
    .unwrap();
    let out = stdout_ok(&["reprice", book.to_str().unwrap()]);
    assert!(
        out.starts_with("current matrix spec-m version 1; 1464 usage rows, 1 customer, USD\n"),
        "{out}"
    );
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

/// `usage report` adds up the example book's usage by month (table) and by
/// ISO week (tidy CSV), per customer and cell.
#[test]
fn usage_report_by_month_and_week() {
    let base = [
        "usage",
        "report",
        "examples/book/usage.csv",
        "--matrix",
        "matrices/spec-m.toml",
    ];
    golden("usage-report-month.txt", &stdout_ok(&base));
    let week = [&base[..], &["--by", "week", "-f", "csv"]].concat();
    golden("usage-report-week.csv", &stdout_ok(&week));
    let bad = run(&[
        &base[..2],
        &[
            "examples/book/book.toml",
            "--matrix",
            "matrices/spec-m.toml",
        ],
    ]
    .concat());
    assert_eq!(bad.status.code(), Some(1));
}

/// `usage fit` on the example book: each customer's cells (table, tidy CSV)
/// and the `[usage.profile]` continuing one customer's history, which a deal
/// file takes as it is; several customers without `--customer` are refused.
#[test]
fn usage_fit_outputs() {
    let base = [
        "usage",
        "fit",
        "examples/book/usage.csv",
        "--matrix",
        "matrices/spec-m.toml",
    ];
    golden("usage-fit.txt", &stdout_ok(&base));
    golden(
        "usage-fit.csv",
        &stdout_ok(&[&base[..], &["-f", "csv"]].concat()),
    );
    let toml = stdout_ok(&[&base[..], &["--profile-toml", "--customer", "umbrella"]].concat());
    golden("usage-fit-umbrella.toml", &toml);
    let dir = tempfile::tempdir().unwrap();
    let deal = dir.path().join("continued.toml");
    std::fs::write(
        &deal,
        format!("name = \"umbrella, continued\"\nmatrix = \"spec-m.toml\"\n\n[term]\nstart = \"2026-05-01\"\nmonths = 1\n{toml}\n[[offers]]\nname = \"PAYG\"\nkind = \"pay-as-you-go\"\n"),
    )
    .unwrap();
    let quoted = stdout_ok(&["quote", deal.to_str().unwrap()]);
    assert!(quoted.contains("umbrella, continued"), "{quoted}");
    let many = run(&[&base[..], &["--profile-toml"]].concat());
    assert_eq!(many.status.code(), Some(1));
    let err = String::from_utf8_lossy(&many.stderr);
    assert!(
        err.contains("has 5 customers: choose one with --customer"),
        "{err}"
    );
}

/// `models`: worked example C's deal under spec-m, a copy with azure/hot
/// raised to 1.40 (March's overage 2.10 → 2.35) and a copy that does not
/// offer azure/hot (its column says so, the others stand).
#[test]
fn models_side_by_side() {
    let args = [
        "models",
        "examples/deals/spec-example-c.toml",
        "--model",
        "cli/tests/fixtures/spec-m-azure-hot-1.40.toml",
        "--model",
        "cli/tests/fixtures/spec-m-no-azure-hot.toml",
    ];
    golden("models-example-c.txt", &stdout_ok(&args));
    golden(
        "models-example-c.csv",
        &stdout_ok(&[&args[..], &["-f", "csv"]].concat()),
    );
    let five = run(&[
        &args[..],
        &[
            "--model",
            "matrices/spec-m.toml",
            "--model",
            "matrices/spec-m.toml",
        ],
    ]
    .concat());
    assert_eq!(five.status.code(), Some(1));
    let err = String::from_utf8_lossy(&five.stderr);
    assert!(
        err.contains("5 unit models; at most 4 side by side"),
        "{err}"
    );
}

/// `sweep`: the example deal's revenue against its fixed offer's tolerance
/// band (table, the current 0.10 marked) and the azure/hot multiplier over an
/// evenly spaced range (CSV); a value the matrix rules refuse is an error.
#[test]
fn sweep_outputs() {
    let deal = "examples/deals/acme-compare.toml";
    golden(
        "sweep-tolerance.txt",
        &stdout_ok(&[
            "sweep",
            deal,
            "--param",
            "tolerance-band",
            "--values",
            "0,0.05,0.1,0.2",
        ]),
    );
    golden(
        "sweep-multiplier.csv",
        &stdout_ok(&[
            "sweep",
            deal,
            "--param",
            "multiplier:azure/hot",
            "--from",
            "1.0",
            "--to",
            "1.5",
            "--steps",
            "6",
            "-f",
            "csv",
        ]),
    );
    let bad = run(&["sweep", deal, "--param", "list-price", "--values", "0"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("list price must be greater than 0"), "{err}");
}

/// `matrix diff` of the bundled matrix and its candidate, as a table and as
/// tidy CSV; a matrix against itself has no differences.
#[test]
fn matrix_diff_outputs() {
    let args = [
        "matrix",
        "diff",
        "matrices/illustrative.toml",
        "matrices/illustrative-candidate.toml",
    ];
    golden("matrix-diff.txt", &stdout_ok(&args));
    golden(
        "matrix-diff.csv",
        &stdout_ok(&[&args[..], &["-f", "csv"]].concat()),
    );
    let same = stdout_ok(&[
        "matrix",
        "diff",
        "matrices/spec-m.toml",
        "matrices/spec-m.toml",
    ]);
    assert!(same.ends_with("no differences\n"), "{same}");
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
