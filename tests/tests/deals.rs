//! Deal files end to end: parse the deal, load its matrix, build its usage
//! (CSV or profile), price every offer and compare. Golden comparisons live
//! in `tests/golden/deals/`; `UPDATE_SNAPSHOTS=1` rewrites them.

use std::path::{Path, PathBuf};

use unitcalc_core::compare::{compare, Comparison};
use unitcalc_core::deal::UsageSource;
use unitcalc_core::deal_toml::{matrix_ref, parse_deal};
use unitcalc_core::matrix_toml::parse_matrix;
use unitcalc_core::profile::generate;
use unitcalc_core::usage_csv::read_usage;
use unitcalc_tests::assert_golden;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Prices a deal file as the CLI and the browser do.
fn price_deal_file(path: &Path) -> Comparison {
    let src = std::fs::read_to_string(path).unwrap();
    let file = path.display().to_string();
    let dir = path.parent().unwrap();
    let matrix_path = dir.join(matrix_ref(&src, &file).unwrap());
    let matrix = parse_matrix(
        &std::fs::read_to_string(&matrix_path).unwrap(),
        &matrix_path.display().to_string(),
    )
    .unwrap();
    let deal = parse_deal(&src, &file, &matrix).unwrap();
    let usage = match &deal.usage {
        UsageSource::Profile(p) => generate(p, &deal.terms.term).unwrap(),
        UsageSource::Csv(csv) => {
            let p = dir.join(csv);
            read_usage(
                &std::fs::read(&p).unwrap(),
                &p.display().to_string(),
                &matrix,
                &deal.terms.term,
            )
            .unwrap()
        }
    };
    compare(&matrix, &deal.terms, &deal.offers, &usage).unwrap()
}

#[test]
fn worked_example_c_from_its_deal_file() {
    let c = price_deal_file(&root().join("examples/deals/spec-example-c.toml"));
    let bill = &c.bills[0];
    assert_eq!(bill.periods[0].label, "2026-03");
    assert_eq!(bill.periods[0].total.to_string(), "40002.10");
    let cell = &bill.periods[0].cells[0];
    assert_eq!((cell.tolerated_hours, cell.charged_hours), (72, 28));
    assert_eq!(
        cell.charged_quantity_hours.get(),
        rust_decimal::Decimal::from(1120)
    );
    assert!(bill.periods[1..]
        .iter()
        .all(|p| p.total.to_string() == "40000.00"));
}

/// Every example deal prices, and its comparison matches its golden file.
#[test]
fn example_deals_match_their_golden_comparisons() {
    let dir = root().join("examples/deals");
    let mut seen = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let c = price_deal_file(&path);
        for (row, bill) in c.rows.iter().zip(&c.bills) {
            assert_eq!(row.total, bill.total);
            assert_eq!(
                row.delta_total.get(),
                bill.total.get() - c.bills[0].total.get()
            );
        }
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let json = serde_json::to_string_pretty(&c.rows).unwrap() + "\n";
        assert_golden(
            root()
                .join("tests/golden/deals")
                .join(format!("{name}.json")),
            &json,
        );
        seen += 1;
    }
    assert!(
        seen >= 3,
        "expected at least three example deals, found {seen}"
    );
}
