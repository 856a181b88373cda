//! `unitcalc reprice` on books (golden outputs, totals and movers, file
//! layouts) and the usage commands (`usage generate`, `usage report`,
//! `usage fit`). `UPDATE_SNAPSHOTS=1 cargo test -p unitcalc-cli` rewrites
//! the golden files (review the diff before committing).

mod common;

use common::{golden, goldens, json, run, stdout_ok};
use unitcalc_tests::root;

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
