//! Unit tests of the engine: the worked examples of pricing-model.md,
//! refused usage and overflow; what a pricer records (the excess runs, the
//! ledger) and the property test of its common case are `tests/recorded.rs`.

use super::*;
use crate::matrix::CellId;
use crate::num::{Price, Ratio, Units};
use crate::offer::{
    Channel, Commitment, Entitlement, FixedCapacity, OfferKind, OveragePolicy, PayAsYouGo, Payment,
};
use crate::time::{Date, Term};

mod recorded;
mod shares;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// Matrix M of pricing-model.md §11.
fn spec_m() -> Matrix {
    crate::matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml")
        .unwrap()
}

fn term(start: &str, months: u32) -> DealTerms {
    DealTerms {
        term: Term::new(Date::parse(start).unwrap(), months).unwrap(),
        channel: Channel::Direct,
    }
}

/// Usage at `base` every hour, with `burst_hours` hours at `burst` from hour `at` of the term.
fn usage(
    m: &Matrix,
    t: &DealTerms,
    cell: CellId,
    base: &str,
    burst: &str,
    at: usize,
    burst_hours: usize,
) -> UsageSeries {
    let mut u = UsageSeries::new(&t.term);
    let q: Vec<Quantity> = (0..t.term.hours())
        .map(|h| {
            Quantity(d(if (at..at + burst_hours).contains(&h) {
                burst
            } else {
                base
            }))
        })
        .collect();
    let _ = m;
    u.set_series(cell, q);
    u
}

fn fixed(monthly_fee: &str, payment: Payment, cell: CellId, e: &str) -> Offer {
    Offer {
        name: "fixed".into(),
        kind: OfferKind::FixedCapacity(FixedCapacity {
            entitlements: vec![Entitlement {
                cell,
                quantity: Quantity(d(e)),
            }],
            monthly_fee: Money(d(monthly_fee)),
            payment,
            overage: OveragePolicy::default(),
        }),
    }
}

#[test]
fn example_a_pay_as_you_go() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    let u = usage(&m, &t, cell, "200", "200", 0, 0);
    let offer = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(d("0.20")),
        }),
    };
    let bill = price(&m, &t, &offer, &u).unwrap();
    let line = &bill.periods[0].lines[0];
    assert_eq!(line.units.unwrap().get(), d("279"));
    assert_eq!(line.unit_price.unwrap().get(), d("0.80"));
    assert_eq!(line.amount.to_string(), "223.20");
    assert_eq!(bill.total.to_string(), "223.20");
}

/// Examples B, C, D: (burst level, burst hours, March total, tolerated, charged, overage units).
#[test]
fn examples_b_c_d_fixed_capacity() {
    let table = [
        ("540", 48, "40000.00", 48, 0, "0"),
        ("540", 100, "40002.10", 72, 28, "2.1"),
        ("600", 5, "40000.94", 0, 5, "0.9375"),
    ];
    let m = spec_m();
    let t = term("2026-03-01", 12);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    for (level, hours, total, tolerated, charged, units) in table {
        let u = usage(&m, &t, cell, "500", level, 100, hours);
        let bill = price(
            &m,
            &t,
            &fixed("40000.00", Payment::Monthly, cell, "500"),
            &u,
        )
        .unwrap();
        let march = &bill.periods[0];
        assert_eq!(march.total.to_string(), total, "{level} × {hours}");
        let c = &march.cells[0];
        assert_eq!(
            (c.tolerated_hours, c.charged_hours),
            (tolerated, charged),
            "{level} × {hours}"
        );
        assert_eq!(c.overage_units.get(), d(units), "{level} × {hours}");
        assert_eq!(bill.periods.len(), 12);
        assert!(bill.periods[1..]
            .iter()
            .all(|p| p.total.to_string() == "40000.00"));
    }
}

#[test]
fn streak_runs_across_period_boundaries_and_resets_on_absent_hours() {
    let m = spec_m();
    let t = term("2026-03-01", 2);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    // 80 hours at 540 straddling March/April: 72 tolerated, the last 8 (in April) charged.
    let u = usage(&m, &t, cell, "500", "540", 744 - 40, 80);
    let bill = price(
        &m,
        &t,
        &fixed("40000.00", Payment::Monthly, cell, "500"),
        &u,
    )
    .unwrap();
    assert_eq!(bill.periods[0].cells[0].tolerated_hours, 40);
    assert_eq!(
        (
            bill.periods[1].cells[0].tolerated_hours,
            bill.periods[1].cells[0].charged_hours
        ),
        (32, 8)
    );
    // An absent hour in the middle of a burst resets the streak: 2 × 50 hours, all tolerated.
    let offer = fixed("40000.00", Payment::Monthly, cell, "500");
    let mut p = Pricer::new(&m, &t, &offer).unwrap();
    let start = t.term.start_hour().0;
    for h in (0..50).chain(51..101) {
        p.push(Hour(start + h), cell, Quantity(d("540"))).unwrap();
    }
    let bill = p.finish().unwrap();
    assert_eq!(
        (
            bill.periods[0].cells[0].tolerated_hours,
            bill.periods[0].cells[0].charged_hours
        ),
        (100, 0)
    );
}

#[test]
fn strict_policy_charges_every_excess_hour() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    let mut offer = fixed("40000.00", Payment::Monthly, cell, "500");
    if let OfferKind::FixedCapacity(f) = &mut offer.kind {
        f.overage = OveragePolicy::strict();
    }
    let u = usage(&m, &t, cell, "500", "540", 0, 48);
    let bill = price(&m, &t, &offer, &u).unwrap();
    // 40 TB × 48 h × 0.0015 × 1.25 = 3.6
    assert_eq!(bill.periods[0].cells[0].charged_hours, 48);
    assert_eq!(bill.total.to_string(), "40003.60");
}

/// Example E and upfront: (start, months, payment, first period amount, periods).
#[test]
fn example_e_proration() {
    let table = [
        ("2026-02-15", 12, Payment::Monthly, "20000.00", 13),
        ("2026-03-01", 12, Payment::Monthly, "40000.00", 12),
        ("2026-03-01", 12, Payment::Upfront, "480000.00", 12),
        // Half of Feb 2026 + 11 months + half of Feb 2027: exactly 12 months.
        ("2026-02-15", 12, Payment::Upfront, "480000.00", 13),
        // 24/744 of January + 648/672 of February = 39,861.7511… → 39,861.75
        ("2026-01-31", 1, Payment::Upfront, "39861.75", 2),
        ("2026-01-31", 1, Payment::Monthly, "1290.32", 2),
    ];
    let m = spec_m();
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    for (start, months, payment, first, periods) in table {
        let t = term(start, months);
        let bill = price(
            &m,
            &t,
            &fixed("40000.00", payment, cell, "500"),
            &UsageSeries::new(&t.term),
        )
        .unwrap();
        assert_eq!(bill.periods.len(), periods, "{start}");
        assert_eq!(
            bill.periods[0].total.to_string(),
            first,
            "{start} {payment:?}"
        );
        assert_eq!(bill.periods[0].partial, start != "2026-03-01", "{start}");
    }
}

/// Worked example F: 1,000 units at 0.85 upfront, 1,000 TB on on-prem/hot
/// every hour of March 2026 (1.5 units an hour): the usage and the offer.
fn example_f(m: &Matrix, t: &DealTerms) -> (UsageSeries, Offer) {
    let cell = m.cell("capacity", "on-prem", "hot").unwrap();
    let offer = Offer {
        name: "prepaid".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("1000")),
            price: Price(d("0.85")),
            payment: Payment::Upfront,
            overage_price: None,
        }),
    };
    (usage(m, t, cell, "1000", "1000", 0, 0), offer)
}

#[test]
fn example_f_units_commitment() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let (u, offer) = example_f(&m, &t);
    let bill = price(&m, &t, &offer, &u).unwrap();
    let c = bill.commitment.as_ref().unwrap();
    assert_eq!(c.commitment_amount.to_string(), "850.00");
    assert_eq!(c.exhausted_term_hour, Some(667));
    assert_eq!(c.exhausted_at.unwrap().to_string(), "2026-03-28T18:00:00Z");
    // 744 h × 1.5 = 1116 units: 1000 drawn, 116 overage (0.5 + 77 × 1.5).
    assert_eq!(c.units_consumed.get(), d("1116"));
    assert_eq!(c.units_drawn.get(), d("1000"));
    assert_eq!(c.overage_units.get(), d("116"));
    assert!(c.units_remaining.is_zero() && c.expired_value.is_zero());
    let march = &bill.periods[0];
    assert_eq!(march.lines.len(), 2);
    assert_eq!(march.lines[1].amount.to_string(), "116.00");
    assert_eq!(bill.total.to_string(), "966.00");
}

#[test]
fn commitment_draws_cells_in_matrix_order_within_an_hour() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let hot = m.cell("capacity", "azure", "hot").unwrap(); // 0.001875 /TB-h
    let onprem = m.cell("capacity", "on-prem", "hot").unwrap(); // 0.0015 /TB-h
    let offer = Offer {
        name: "prepaid".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("2")),
            price: Price(d("0.85")),
            payment: Payment::Monthly,
            overage_price: Some(Price(d("2.00"))),
        }),
    };
    let mut p = Pricer::new(&m, &t, &offer).unwrap();
    let h = t.term.start_hour();
    // Pushed in reverse order: on-prem (earlier in the matrix) must still draw first.
    p.push(h, hot, Quantity(d("1000"))).unwrap(); // 1.875 units
    p.push(h, onprem, Quantity(d("1000"))).unwrap(); // 1.5 units
    let bill = p.finish().unwrap();
    let cells = &bill.periods[0].cells;
    assert_eq!(cells[0].cell.environment, "on-prem");
    assert_eq!(cells[0].drawn_units.unwrap().get(), d("1.5"));
    assert_eq!(cells[1].drawn_units.unwrap().get(), d("0.5"));
    assert_eq!(cells[1].overage_units.get(), d("1.375"));
    assert_eq!(bill.periods[0].lines[1].amount.to_string(), "2.75");
    // Monthly, one period: the single installment is the whole commitment.
    assert_eq!(bill.periods[0].lines[0].amount.to_string(), "1.70");
}

#[test]
fn installments_add_up_to_the_commitment() {
    let m = spec_m();
    let t = term("2026-02-15", 7);
    let offer = Offer {
        name: "prepaid".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("1000")),
            price: Price(d("0.8533")),
            payment: Payment::Monthly,
            overage_price: None,
        }),
    };
    let bill = price(&m, &t, &offer, &UsageSeries::new(&t.term)).unwrap();
    assert_eq!(bill.periods.len(), 8);
    assert_eq!(bill.total.to_string(), "853.30");
    let c = bill.commitment.unwrap();
    assert_eq!(c.expired_units.get(), d("1000"));
    assert_eq!(c.expired_value.to_string(), "853.30");
}

#[test]
fn marketplace_fee_by_contract_value() {
    let m = spec_m();
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    // (monthly fee, months, rate, fee total)
    let table = [
        ("40000.00", 12, "0.03", "14400.00"),
        ("100000.00", 12, "0.02", "24000.00"),
        ("1000000.00", 12, "0.015", "180000.00"),
    ];
    for (fee, months, rate, total_fee) in table {
        let mut t = term("2026-03-01", months);
        t.channel = Channel::Marketplace("azure".into());
        let bill = price(
            &m,
            &t,
            &fixed(fee, Payment::Monthly, cell, "500"),
            &UsageSeries::new(&t.term),
        )
        .unwrap();
        assert_eq!(bill.marketplace_fee_rate.get(), d(rate), "{fee}");
        assert_eq!(bill.marketplace_fee.to_string(), total_fee, "{fee}");
        assert_eq!(
            bill.net_revenue,
            bill.total.checked_sub(bill.marketplace_fee).unwrap()
        );
    }
    let mut t = term("2026-03-01", 1);
    t.channel = Channel::Marketplace("on-prem".into());
    let err = Pricer::new(&m, &t, &fixed("1", Payment::Monthly, cell, "1")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "offer `fixed`: channel `on-prem` is not a marketplace environment of matrix spec-m"
    );
}

#[test]
fn bad_usage_is_refused() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let offer = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let hot = m.cell("capacity", "azure", "hot").unwrap();
    let archive_onprem = CellId {
        meter: 0,
        environment: 0,
        use_case: 1,
    };
    let h = |s: &str| Hour::parse_rfc3339(s).unwrap();
    let q = |s: &str| Quantity(d(s));
    type Records = Vec<(Hour, CellId, Quantity)>;
    let table: Vec<(Records, &str)> = vec![
        (vec![(h("2026-04-01T00:00:00Z"), hot, q("1"))], "hour 2026-04-01T00:00:00Z is outside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z"),
        (vec![(h("2026-03-01T05:00:00Z"), hot, q("1")), (h("2026-03-01T05:00:00Z"), hot, q("2"))], "duplicate record for hour 2026-03-01T05:00:00Z and cell capacity/azure/hot"),
        (vec![(h("2026-03-01T05:00:00Z"), hot, q("1")), (h("2026-03-01T04:00:00Z"), hot, q("2"))], "hour 2026-03-01T04:00:00Z comes after hour 2026-03-01T05:00:00Z: usage must be in time order"),
        (vec![(h("2026-03-01T05:00:00Z"), hot, q("-1"))], "negative quantity -1"),
        (vec![(h("2026-03-01T05:00:00Z"), archive_onprem, q("1"))], "cell capacity/on-prem/archive is not offered in this matrix"),
        (vec![(h("2026-03-01T05:00:00Z"), CellId { meter: 9, environment: 0, use_case: 0 }, q("1"))], "cell ?/on-prem/hot is not offered in this matrix"),
    ];
    for (records, want) in table {
        let mut p = Pricer::new(&m, &t, &offer).unwrap();
        let err = records
            .into_iter()
            .map(|(h, c, q)| p.push(h, c, q))
            .find_map(Result::err)
            .unwrap();
        assert_eq!(err.to_string(), want);
    }
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let offer = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let hot = m.cell("capacity", "azure", "hot").unwrap();
    let mut p = Pricer::new(&m, &t, &offer).unwrap();
    let start = t.term.start_hour().0;
    let huge = Quantity(Decimal::MAX);
    p.push(Hour(start), hot, huge).unwrap();
    // The exact accumulator holds the sum; it cannot be a Decimal, so the
    // period's close reports an overflow.
    p.push(Hour(start + 1), hot, huge).unwrap();
    let err = p.finish().unwrap_err();
    assert!(matches!(err, Error::Overflow { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "pricing offer `payg`: arithmetic overflow while computing exact accumulator"
    );
}
