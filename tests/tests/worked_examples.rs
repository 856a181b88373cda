//! The worked examples A–F of pricing-model.md section 11, each priced from its
//! deal file (`tests/fixtures/examples/example-X.toml`, matrix M) against its
//! one golden bill (`tests/golden/example-X.json`, the same file the CLI's
//! `quote -f json` is checked against) and the figures the pricing model
//! states (`unitcalc_tests::examples::EXAMPLES`); then rounding tables across
//! currencies and modes.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p unitcalc-tests` rewrites the golden
//! bills (review the diff before committing).

use rust_decimal::Decimal;
use unitcalc_core::bill::Bill;
use unitcalc_core::engine::price;
use unitcalc_core::matrix::Currency;
use unitcalc_core::num::{Price, Quantity, RoundingMode};
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage::UsageSeries;
use unitcalc_tests::examples::{bill_json, example};
use unitcalc_tests::{assert_golden, spec_m};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// Prices worked example `id` from its deal file and checks what every
/// example states: its period's total, the term's total, and the golden bill
/// (which round-trips through JSON exactly, decimals as strings).
fn priced(id: &str) -> Bill {
    let x = example(id);
    let bill = x.bill();
    let period = bill
        .periods
        .iter()
        .find(|p| p.label == x.period)
        .unwrap_or_else(|| panic!("example {id}: no period {}", x.period));
    assert_eq!(
        period.total.to_string(),
        x.period_total,
        "example {id} {}",
        x.period
    );
    assert_eq!(
        bill.total.to_string(),
        x.term_total,
        "example {id} term total"
    );
    let json = bill_json(&bill);
    assert_golden(x.golden_bill(), &json);
    let back: Bill = serde_json::from_str(&json).unwrap();
    assert_eq!(
        back, bill,
        "example {id}: the bill round-trips through JSON"
    );
    bill
}

/// A: 200 TB on azure/hot all March, 20% off: 279 units at 0.80.
#[test]
fn example_a_pay_as_you_go() {
    let bill = priced("a");
    assert_eq!(bill.periods[0].lines[0].units.unwrap().get(), d("279"));
}

/// B: 48 hours at 540 TB over E = 500: within the band and the grace, all tolerated.
#[test]
fn example_b_fixed_capacity_tolerated_burst() {
    let bill = priced("b");
    let cell = &bill.periods[0].cells[0];
    assert_eq!((cell.tolerated_hours, cell.charged_hours), (48, 0));
}

/// C: 100 hours at 540 TB: hours 73–100 charged on 40 TB, 1,120 TB-hours.
#[test]
fn example_c_fixed_capacity_prolonged_burst() {
    let bill = priced("c");
    let cell = &bill.periods[0].cells[0];
    assert_eq!((cell.tolerated_hours, cell.charged_hours), (72, 28));
    assert_eq!(cell.charged_quantity_hours.get(), d("1120"));
}

/// D: 5 hours at 600 TB, above the band: all charged on 100 TB.
#[test]
fn example_d_above_the_band() {
    let bill = priced("d");
    let cell = &bill.periods[0].cells[0];
    assert_eq!((cell.tolerated_hours, cell.charged_hours), (0, 5));
    assert_eq!(cell.charged_quantity_hours.get(), d("500"));
}

/// E: the term starts 2026-02-15: 336 of February's 672 hours, half the fee.
#[test]
fn example_e_partial_first_period() {
    let bill = priced("e");
    let feb = &bill.periods[0];
    assert_eq!((feb.hours, feb.month_hours, feb.partial), (336, 672, true));
}

/// F: 1,000 units at 0.85 upfront, 1.5 units an hour: exhausted in hour 667.
#[test]
fn example_f_units_commitment() {
    let bill = priced("f");
    let c = bill.commitment.as_ref().unwrap();
    assert_eq!(c.commitment_amount.to_string(), "850.00");
    assert_eq!(c.exhausted_term_hour, Some(667));
}

/// Rounding of one pay-as-you-go line: (currency, mode, TB-hours on on-prem/hot, list price, amount).
/// Units = TB-hours × 0.0015.
#[test]
fn rounding_by_currency_and_mode() {
    let table = [
        ("USD", RoundingMode::HalfUp, "1000", "0.0833", "0.12"), // 1.5 × 0.0833 = 0.12495
        ("USD", RoundingMode::HalfUp, "1000", "0.0835", "0.13"), // 0.12525
        ("USD", RoundingMode::HalfUp, "100", "0.8333", "0.12"),  // 0.15 × 0.8333 = 0.124995
        ("USD", RoundingMode::HalfUp, "1000", "0.0750", "0.11"), // 0.1125 → midpoint up
        ("USD", RoundingMode::HalfEven, "1000", "0.0750", "0.11"), // 0.1125 → not a 2-dp midpoint
        ("USD", RoundingMode::HalfUp, "1000", "0.0830", "0.12"), // 0.1245
        ("USD", RoundingMode::HalfUp, "100", "0.8500", "0.13"),  // 0.1275
        ("USD", RoundingMode::HalfUp, "1000", "0.0850", "0.13"), // 0.1275
        ("USD", RoundingMode::HalfUp, "10000", "0.0250", "0.38"), // 0.375 → 0.38
        ("USD", RoundingMode::HalfEven, "10000", "0.0250", "0.38"), // 0.375 → 0.38 (8 even)
        ("USD", RoundingMode::HalfUp, "10000", "0.0083", "0.12"), // 0.1245
        ("USD", RoundingMode::HalfUp, "5000", "0.0166", "0.12"), // 0.1245
        ("USD", RoundingMode::HalfEven, "20000", "0.0015", "0.04"), // 30 × 0.0015 = 0.045 → 0.04
        ("USD", RoundingMode::HalfUp, "20000", "0.0015", "0.05"), // 0.045 → 0.05
        ("EUR", RoundingMode::HalfEven, "10000", "0.0150", "0.22"), // 0.225 → 0.22
        ("EUR", RoundingMode::HalfUp, "10000", "0.0150", "0.23"), // 0.225 → 0.23
        ("GBP", RoundingMode::HalfEven, "10000", "0.0170", "0.26"), // 0.255 → 0.26
        ("JPY", RoundingMode::HalfUp, "1000", "1", "2"),         // 1.5 → 2
        ("JPY", RoundingMode::HalfEven, "1000", "1", "2"),       // 1.5 → 2
        ("JPY", RoundingMode::HalfEven, "3000", "0.5", "2"),     // 2.25 → 2
        ("JPY", RoundingMode::HalfEven, "10000", "1", "15"),     // 15
        ("JPY", RoundingMode::HalfUp, "1000", "101", "152"),     // 151.5 → 152
        ("JPY", RoundingMode::HalfEven, "1000", "101", "152"),   // 151.5 → 152 (even)
        ("JPY", RoundingMode::HalfEven, "1000", "99", "148"),    // 148.5 → 148
        ("JPY", RoundingMode::HalfUp, "1000", "99", "149"),      // 148.5 → 149
    ];
    let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    for (currency, mode, tbh, list, want) in table {
        let mut m = spec_m();
        m.currency = Currency::from_code(currency).unwrap();
        m.rounding = mode;
        m.list_price = Price(d(list));
        let mut u = UsageSeries::new(&term);
        u.insert(
            Some(&m),
            term.start_hour(),
            m.cell("capacity", "on-prem", "hot").unwrap(),
            Quantity(d(tbh)),
        )
        .unwrap();
        let offer = Offer {
            name: "list".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        };
        let bill = price(
            &m,
            &DealTerms {
                term,
                channel: Channel::Direct,
            },
            &offer,
            &u,
        )
        .unwrap();
        assert_eq!(
            bill.total.to_string(),
            want,
            "{currency} {mode:?} {tbh} TB-h at {list}"
        );
    }
}
