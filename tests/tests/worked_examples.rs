//! The worked examples of pricing-model.md §11, priced from `matrices/spec-m.toml`,
//! plus golden JSON bills and rounding tables across currencies and modes.
//!
//! Golden files live in `tests/golden/`; `UPDATE_SNAPSHOTS=1 cargo test -p
//! unitcalc-tests` rewrites them (review the diff before committing).

use rust_decimal::Decimal;
use unitcalc_core::bill::Bill;
use unitcalc_core::engine::price;
use unitcalc_core::matrix::{Currency, Matrix};
use unitcalc_core::num::{Money, Price, Quantity, Ratio, RoundingMode, Units};
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage::UsageSeries;
use unitcalc_tests::{assert_golden, spec_m};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// Usage in one cell: `base` every hour, `burst` for `len` hours from hour `at`.
fn usage(
    term: &Term,
    m: &Matrix,
    cell: (&str, &str, &str),
    base: &str,
    burst: (&str, usize, usize),
) -> UsageSeries {
    let cell = m.cell(cell.0, cell.1, cell.2).unwrap();
    let (level, at, len) = burst;
    let q = (0..term.hours())
        .map(|h| {
            Quantity(d(if (at..at + len).contains(&h) {
                level
            } else {
                base
            }))
        })
        .collect();
    let mut u = UsageSeries::new(term);
    u.set_series(cell, q);
    u
}

fn fixed(m: &Matrix) -> Offer {
    Offer {
        name: "Fixed 500 TB".into(),
        kind: OfferKind::FixedCapacity(FixedCapacity {
            entitlements: vec![Entitlement {
                cell: m.cell("capacity", "azure", "hot").unwrap(),
                quantity: Quantity(d("500")),
            }],
            monthly_fee: Money(d("40000.00")),
            payment: Payment::Monthly,
            overage: OveragePolicy::default(),
        }),
    }
}

fn golden(name: &str, bill: &Bill) {
    let json = serde_json::to_string_pretty(bill).unwrap() + "\n";
    assert_golden(
        unitcalc_tests::path("tests/golden").join(format!("{name}.json")),
        &json,
    );
    // Decimals are JSON strings and the bill round-trips exactly.
    let back: Bill = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, bill);
}

#[test]
fn example_a_pay_as_you_go() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    let u = usage(&term, &m, ("capacity", "azure", "hot"), "200", ("0", 0, 0));
    let offer = Offer {
        name: "PAYG 20% off".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(d("0.20")),
        }),
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
    assert_eq!(bill.periods[0].lines[0].units.unwrap().get(), d("279"));
    assert_eq!(bill.total.to_string(), "223.20");
    golden("example-a", &bill);
}

/// B, C, D: (name, burst level, burst hours, March total).
#[test]
fn examples_b_c_d_fixed_capacity() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-03-01").unwrap(), 12).unwrap();
    let table = [
        ("example-b", "540", 48, "40000.00"),
        ("example-c", "540", 100, "40002.10"),
        ("example-d", "600", 5, "40000.94"),
    ];
    for (name, level, hours, march) in table {
        let u = usage(
            &term,
            &m,
            ("capacity", "azure", "hot"),
            "500",
            (level, 200, hours),
        );
        let bill = price(
            &m,
            &DealTerms {
                term,
                channel: Channel::Direct,
            },
            &fixed(&m),
            &u,
        )
        .unwrap();
        assert_eq!(bill.periods[0].total.to_string(), march, "{name}");
        golden(name, &bill);
    }
}

#[test]
fn example_e_partial_first_period() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-02-15").unwrap(), 12).unwrap();
    let bill = price(
        &m,
        &DealTerms {
            term,
            channel: Channel::Direct,
        },
        &fixed(&m),
        &UsageSeries::new(&term),
    )
    .unwrap();
    let feb = &bill.periods[0];
    assert_eq!((feb.hours, feb.month_hours, feb.partial), (336, 672, true));
    assert_eq!(feb.total.to_string(), "20000.00");
}

#[test]
fn example_f_units_commitment() {
    let m = spec_m();
    let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    let u = usage(
        &term,
        &m,
        ("capacity", "on-prem", "hot"),
        "1000",
        ("0", 0, 0),
    );
    let offer = Offer {
        name: "Prepaid 1,000 units".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("1000")),
            price: Price(d("0.85")),
            payment: Payment::Upfront,
            overage_price: None,
        }),
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
    let c = bill.commitment.as_ref().unwrap();
    assert_eq!(c.commitment_amount.to_string(), "850.00");
    assert_eq!(c.exhausted_term_hour, Some(667));
    golden("example-f", &bill);
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
