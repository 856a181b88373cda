//! Crashers found by `cargo fuzz` (see `fuzz/README.md`), kept as tests. Each
//! row is the fuzz input decoded into plain values; the test prices it and
//! checks the outcome and the invariant that failed.

use rust_decimal::Decimal;
use unitcalc_core::engine::price_records;
use unitcalc_core::matrix::CellId;
use unitcalc_core::num::{self, Money, Price, Quantity, Units};
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Hour, Term};
use unitcalc_core::usage::HourRecord;
use unitcalc_tests::spec_m;

fn d(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

/// `a + b == c` exactly, on i128 mantissas at a common scale.
fn exact_sum_eq(a: Decimal, b: Decimal, c: Decimal) -> bool {
    let s = a.scale().max(b.scale()).max(c.scale());
    let up = |x: Decimal| x.mantissa() * 10i128.pow(s - x.scale());
    up(a) + up(b) == up(c)
}

/// price_invariants crash-261cc788: a commitment of 61.24892323528468045
/// units with 10^10-unit hours. Units consumed came out as the 29-digit sum
/// rounded (…182.71248145850) while drawn + overage was …182.71248145849468045:
/// `Decimal` addition silently rounded past 28 significant digits. Now such a
/// sum is an overflow error; whatever the engine returns must be exact.
#[test]
fn commitment_units_past_28_digits_are_exact_or_an_error() {
    let m = spec_m();
    let cells: Vec<CellId> = m.cells().collect();
    let term = Term::new(Date::new(2020, 8, 1).expect("date"), 1).expect("term");
    let terms = DealTerms {
        term,
        channel: Channel::Direct,
    };
    let offer = Offer {
        name: "fuzz".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d(6_124_892_323_528_468_045, 17)),
            price: Price(d(7_967_392_210_942_239_502, 0)),
            payment: Payment::Upfront,
            overage_price: Some(Price(d(2_499_388_930_687_219_658, 11))),
        }),
    };
    // (hour offset, cell index in matrix order, quantity), as the target built them.
    let rows: [(i64, usize, Decimal); 6] = [
        (2, 8, d(5_496_080_395_252_268_969, 8)),
        (2, 10, d(5_229_485_046_541_647_870, 0)),
        (3, 2, d(182_070_639_607_976_704, 11)),
        (5, 9, d(6_490_354_466_586_594_561, 26)),
        (5, 4, d(182_070_955_944_659_091, 11)),
        (7, 9, d(10_229_008_942_956_410, 0)),
    ];
    let start = term.start_hour().0;
    let records: Vec<HourRecord> = rows
        .iter()
        .filter(|(_, c, _)| m.cell_rate(cells[*c]).is_some())
        .map(|&(h, c, q)| HourRecord {
            hour: Hour(start + h),
            cell: cells[c],
            quantity: Quantity(q),
        })
        .collect();
    assert!(!records.is_empty(), "the case must price some usage");
    match price_records(&m, &terms, &offer, records, "fuzz") {
        Ok(bill) => {
            let c = bill.commitment.expect("commitment state");
            assert!(exact_sum_eq(
                c.units_drawn.get(),
                c.overage_units.get(),
                c.units_consumed.get()
            ));
        }
        Err(e) => assert!(e.to_string().contains("arithmetic overflow"), "{e}"),
    }
}

/// The rule behind the fix, as a table: exact results pass, results a
/// 96-bit decimal would round are refused.
#[test]
fn decimal_arithmetic_is_exact_or_an_overflow() {
    let big = Decimal::from_str_exact("130737127482607121.46355822321").expect("decimal");
    let small = Decimal::from_str_exact("61.24892323528468045").expect("decimal");
    let rows: [(&str, Result<Decimal, num::Overflow>); 5] = [
        ("1.5 + 2.25", num::add(d(15, 1), d(225, 2), "t")),
        ("huge + tiny", num::add(big, small, "t")),
        ("huge - tiny", num::sub(big, small, "t")),
        ("0.1^2", num::mul(d(1, 1), d(1, 1), "t")),
        ("(10^-15)^2", num::mul(d(1, 15), d(1, 15), "t")),
    ];
    let got: Vec<(&str, Option<String>)> = rows
        .iter()
        .map(|(n, r)| (*n, r.ok().map(|x| x.to_string())))
        .collect();
    assert_eq!(
        got,
        vec![
            ("1.5 + 2.25", Some("3.75".to_string())),
            ("huge + tiny", None),
            ("huge - tiny", None),
            ("0.1^2", Some("0.01".to_string())),
            ("(10^-15)^2", None),
        ]
    );
    // Money stays exact where it fits.
    assert_eq!(
        Money(d(1, 2)).checked_add(Money(d(2, 2))).expect("fits"),
        Money(d(3, 2))
    );
}
