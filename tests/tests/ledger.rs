//! The hourly ledger and the formula trail (`docs/evidence.md`), one test a
//! deal: the worked examples A–F and the example deals (fixed capacity,
//! commitments, a marketplace channel). For every offer:
//! - recording the ledger changes nothing in the bill;
//! - summing the ledger CSV's `amount` over a line's rows gives the line's
//!   exact amount before its one rounding (units × unit price), and every
//!   row that adds to a line finds its line;
//! - each line's trail rounds to the line's amount.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use unitcalc_core::engine::price_recorded;
use unitcalc_core::evidence::trail::trail;
use unitcalc_core::ledger_csv;
use unitcalc_tests::deals::load_deal;
use unitcalc_tests::path;

/// (period, line kind, meter/environment/use_case) of a consumption or overage line.
type LineKey = (String, String, String);

/// The ledger CSV's `amount` summed per line.
fn ledger_sums(csv: &str) -> BTreeMap<LineKey, Decimal> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ledger_csv::COLUMNS, "ledger header");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (period, meter, env, uc, line, amount) = (
        col("period"),
        col("meter"),
        col("environment"),
        col("use_case"),
        col("line"),
        col("amount"),
    );
    let mut sums = BTreeMap::new();
    for row in r.records() {
        let f = row.unwrap();
        if f[line].is_empty() {
            assert!(f[amount].is_empty(), "an amount without a line: {f:?}");
            continue;
        }
        let key = (
            f[period].to_string(),
            f[line].to_string(),
            format!("{}/{}/{}", &f[meter], &f[env], &f[uc]),
        );
        let a = Decimal::from_str_exact(&f[amount]).unwrap_or_else(|e| panic!("{f:?}: {e}"));
        *sums.entry(key).or_insert(Decimal::ZERO) += a;
    }
    sums
}

fn check(rel: &str) {
    let d = load_deal(path(rel));
    let bills = d.compare().bills;
    for (offer, bill) in d.deal.offers.iter().zip(&bills) {
        let what = format!("{rel}, offer {}", offer.name);
        let r = price_recorded(&d.matrix, &d.deal.terms, offer, &d.usage).unwrap();
        assert_eq!(&r.bill, bill, "{what}: the bill recorded with its ledger");
        let csv = ledger_csv::to_csv(&d.matrix, &r.bill, &r.ledger).unwrap();
        let mut sums = ledger_sums(&csv);
        for p in &bill.periods {
            for l in &p.lines {
                let (Some(cell), Some(units), Some(price)) = (&l.cell, l.units, l.unit_price)
                else {
                    continue;
                };
                let key = (
                    p.label.clone(),
                    l.kind.as_str().to_string(),
                    cell.to_string(),
                );
                let sum = sums
                    .remove(&key)
                    .unwrap_or_else(|| panic!("{what}: no ledger rows for {key:?}"));
                let exact = units.at(price).unwrap().get();
                assert_eq!(sum, exact, "{what}: {key:?} exact amount");
            }
        }
        assert!(
            sums.is_empty(),
            "{what}: ledger rows without a line: {sums:?}"
        );
        let t = trail(&d.matrix, &d.deal.terms, offer, &r).unwrap();
        let lines: Vec<_> = bill.periods.iter().flat_map(|p| &p.lines).collect();
        assert_eq!(t.len(), lines.len(), "{what}: one trail a line");
        for (t, l) in t.iter().zip(lines) {
            assert_eq!(
                t.rounding.amount, l.amount,
                "{what}: {} {}",
                t.period, l.description
            );
        }
    }
}

macro_rules! ledger_tests {
    ($($name:ident => $deal:expr,)*) => {
        $(
            #[test]
            fn $name() {
                check($deal);
            }
        )*
    };
}

ledger_tests! {
    example_a => "tests/fixtures/examples/example-a.toml",
    example_b => "tests/fixtures/examples/example-b.toml",
    example_c => "tests/fixtures/examples/example-c.toml",
    example_d => "tests/fixtures/examples/example-d.toml",
    example_e => "tests/fixtures/examples/example-e.toml",
    example_f => "tests/fixtures/examples/example-f.toml",
    acme_marketplace_three_offers => "examples/deals/acme-compare.toml",
    gcp_marketplace_commitment => "examples/deals/illustrative-gcp.toml",
}
