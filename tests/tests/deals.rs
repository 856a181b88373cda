//! Deal files end to end: parse the deal, load its matrix, build its usage
//! (CSV or profile), price every offer and compare. Each example deal of
//! `examples/deals/` is its own test, against its golden comparison in
//! `tests/golden/deals/` (the rows as JSON, and the comparison CSV every
//! tool writes, `compare_csv`); `UPDATE_SNAPSHOTS=1` rewrites them. The shipped
//! deals and matrices round-trip through `to_toml`.

use unitcalc_core::compare::Comparison;
use unitcalc_core::matrix_toml::{parse_matrix, to_toml};
use unitcalc_tests::deals::load_deal;
use unitcalc_tests::examples::example;
use unitcalc_tests::fixtures::{files, stem};
use unitcalc_tests::{assert_golden, display, path};

/// The example deals of `examples/deals/`, one test each below.
const EXAMPLE_DEALS: [&str; 3] = ["acme-compare", "illustrative-gcp", "spec-example-c"];

/// Prices `examples/deals/NAME.toml`: its comparison rows agree with its
/// bills and match `tests/golden/deals/NAME.json` and `NAME.csv` (the
/// comparison CSV), and the deal round-trips through `to_toml`.
fn example_deal(name: &str) -> Comparison {
    let loaded = load_deal(path(format!("examples/deals/{name}.toml")));
    loaded.assert_round_trips(name);
    let c = loaded.compare();
    for (row, bill) in c.rows.iter().zip(&c.bills) {
        assert_eq!(row.total, bill.total, "{name}: {}", row.offer);
        assert_eq!(
            row.delta_total.get(),
            bill.total.get() - c.bills[0].total.get(),
            "{name}: {}",
            row.offer
        );
    }
    let json = serde_json::to_string_pretty(&c.rows).unwrap() + "\n";
    assert_golden(
        path("tests/golden/deals").join(format!("{name}.json")),
        &json,
    );
    assert_golden(
        path("tests/golden/deals").join(format!("{name}.csv")),
        &unitcalc_core::compare_csv::to_csv(&loaded.deal.name, &c),
    );
    c
}

#[test]
fn acme_compare() {
    assert_eq!(example_deal("acme-compare").bills.len(), 3);
}

#[test]
fn illustrative_gcp() {
    example_deal("illustrative-gcp");
}

/// The shipped example of worked example C prices exactly as the fixture of
/// worked example C (the one with the golden bill).
#[test]
fn spec_example_c() {
    let c = example_deal("spec-example-c");
    assert_eq!(c.bills, vec![example("c").bill()]);
}

/// A new example deal needs its own test above.
#[test]
fn every_example_deal_has_a_test() {
    let found: Vec<String> = files(&path("examples/deals"), "toml")
        .iter()
        .map(|p| stem(p))
        .collect();
    assert_eq!(found, EXAMPLE_DEALS);
}

/// Every matrix in `matrices/` parses and round-trips through `to_toml`.
#[test]
fn shipped_matrices_round_trip() {
    let matrices = files(&path("matrices"), "toml");
    let names: Vec<String> = matrices.iter().map(|p| stem(p)).collect();
    for want in ["spec-m", "illustrative", "illustrative-candidate"] {
        assert!(names.iter().any(|n| n == want), "no matrices/{want}.toml");
    }
    for p in &matrices {
        let src = std::fs::read_to_string(p).unwrap();
        let m = parse_matrix(&src, &display(p)).unwrap_or_else(|e| panic!("{e}"));
        let written = to_toml(&m);
        assert_eq!(
            parse_matrix(&written, "written").unwrap_or_else(|e| panic!("{e}")),
            m,
            "{}",
            display(p)
        );
    }
}
