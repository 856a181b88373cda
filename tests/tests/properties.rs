//! Property tests for the engine's invariants (issue 2):
//! period total = Σ lines; term total = Σ periods; installments = commitment;
//! units consumed = drawn + overage; more usage never lowers a bill; a
//! fixed-fee term's prorated fees add up to the upfront amount before rounding.

use proptest::prelude::*;
use rust_decimal::Decimal;
use unitcalc_core::bill::{Bill, LineKind};
use unitcalc_core::engine::{price_records, prorated_fees};
use unitcalc_core::matrix::{CellId, Matrix};
use unitcalc_core::num::{Fraction, Money, Price, Quantity, Ratio, RoundingMode, Units};
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Hour, Term};
use unitcalc_core::usage::HourRecord;
use unitcalc_tests::spec_m;

fn offered(m: &Matrix) -> Vec<CellId> {
    m.cells().filter(|c| m.cell_rate(*c).is_some()).collect()
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

#[derive(Debug, Clone)]
struct Case {
    term: Term,
    channel: Channel,
    offer: OfferKind,
    /// (hour offset, offered-cell index, milli-quantity), unique by (hour, cell).
    usage: Vec<(usize, usize, i64)>,
}

fn payment() -> impl Strategy<Value = Payment> {
    prop_oneof![Just(Payment::Monthly), Just(Payment::Upfront)]
}

fn offer_kind(cells: usize) -> impl Strategy<Value = OfferKind> {
    prop_oneof![
        (0i64..=50).prop_map(|d| OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(dec(d, 2))
        })),
        (
            proptest::collection::btree_map(0..cells, 1i64..=2_000, 1..=3),
            0i64..=10_000_000,
            payment(),
            0i64..=30,
            0u32..=100,
            proptest::option::of(0i64..=300),
        )
            .prop_map(|(ents, fee, payment, band, grace, price)| {
                OfferKind::FixedCapacity(FixedCapacity {
                    entitlements: ents
                        .into_iter()
                        .map(|(c, e)| Entitlement {
                            cell: CELLS.with(|v| v[c]),
                            quantity: Quantity(dec(e, 0)),
                        })
                        .collect(),
                    monthly_fee: Money(dec(fee, 2)),
                    payment,
                    overage: OveragePolicy {
                        tolerance: Ratio(dec(band, 2)),
                        grace_hours: grace,
                        price: price.map(|p| Price(dec(p, 2))),
                    },
                })
            }),
        (
            1i64..=5_000,
            1i64..=150,
            payment(),
            proptest::option::of(0i64..=300)
        )
            .prop_map(|(n, p, payment, o)| {
                OfferKind::Commitment(Commitment {
                    units: Units(dec(n, 1)),
                    price: Price(dec(p, 2)),
                    payment,
                    overage_price: o.map(|o| Price(dec(o, 2))),
                })
            }),
    ]
}

thread_local! {
    static CELLS: Vec<CellId> = offered(&spec_m());
}

fn case() -> impl Strategy<Value = Case> {
    let cells = CELLS.with(Vec::len);
    (
        (2025i32..=2027, 1u8..=12, 1u8..=31, 1u32..=3),
        prop_oneof![
            Just(Channel::Direct),
            Just(Channel::Marketplace("azure".into()))
        ],
        offer_kind(cells),
        proptest::collection::btree_map((0usize..2_200, 0..cells), 0i64..=1_500_000, 0..300),
    )
        .prop_map(|((y, mo, d, months), channel, offer, usage)| {
            let day = d.min(unitcalc_core::time::days_in_month(y, mo));
            let term = Term::new(Date::new(y, mo, day).unwrap(), months).unwrap();
            let hours = term.hours();
            let usage = usage
                .into_iter()
                .filter(|((h, _), _)| *h < hours)
                .map(|((h, c), q)| (h, c, q))
                .collect();
            Case {
                term,
                channel,
                offer,
                usage,
            }
        })
}

fn records(case: &Case) -> Vec<HourRecord> {
    let start = case.term.start_hour().0;
    let cells = CELLS.with(Clone::clone);
    // BTreeMap order is (hour, cell): time order.
    case.usage
        .iter()
        .map(|&(h, c, q)| HourRecord {
            hour: Hour(start + h as i64),
            cell: cells[c],
            quantity: Quantity(dec(q, 3)),
        })
        .collect()
}

fn price(m: &Matrix, case: &Case, recs: &[HourRecord]) -> Bill {
    let terms = DealTerms {
        term: case.term,
        channel: case.channel.clone(),
    };
    let offer = Offer {
        name: "o".into(),
        kind: case.offer.clone(),
    };
    price_records(m, &terms, &offer, recs.iter().copied(), "proptest").unwrap()
}

fn sum(xs: impl IntoIterator<Item = Money>) -> Decimal {
    xs.into_iter().map(Money::get).sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn totals_add_up(case in case()) {
        let m = spec_m();
        let bill = price(&m, &case, &records(&case));
        for p in &bill.periods {
            prop_assert_eq!(p.total.get(), sum(p.lines.iter().map(|l| l.amount)), "period {}", p.label);
            prop_assert_eq!(p.net_revenue.get(), p.total.get() - p.marketplace_fee.get());
            for l in &p.lines {
                prop_assert!(l.amount.get().scale() == 2, "line rounded to cents: {}", l.amount);
            }
        }
        prop_assert_eq!(bill.total.get(), sum(bill.periods.iter().map(|p| p.total)));
        prop_assert_eq!(bill.marketplace_fee.get(), sum(bill.periods.iter().map(|p| p.marketplace_fee)));
        prop_assert_eq!(bill.units_consumed.get(), bill.cells.iter().map(|c| c.units.get()).sum::<Decimal>());
    }

    /// The excess runs (the browser's chart marks) agree with the bill: per
    /// cell, run hours = tolerated / charged hours; runs of a cell are in
    /// time order without overlap; recording them changes nothing; and pricing
    /// from the dense series (which skips zero hours) equals pricing the
    /// records (which include explicit zero records): a zero record is an
    /// absent hour.
    #[test]
    fn excess_runs_agree_with_the_bill(case in case()) {
        use unitcalc_core::engine::{price_with_excess, ExcessKind};
        let m = spec_m();
        let recs = records(&case);
        let bill = price(&m, &case, &recs);
        let mut usage = unitcalc_core::usage::UsageSeries::new(&case.term);
        for r in &recs {
            usage.insert(Some(&m), r.hour, r.cell, r.quantity).unwrap();
        }
        let terms = DealTerms { term: case.term, channel: case.channel.clone() };
        let offer = Offer { name: "o".into(), kind: case.offer.clone() };
        let (again, runs) = price_with_excess(&m, &terms, &offer, &usage).unwrap();
        prop_assert_eq!(&again, &bill);
        if !matches!(case.offer, OfferKind::FixedCapacity(_)) {
            prop_assert!(runs.is_empty());
        }
        for cs in &bill.cells {
            let mine: Vec<_> = runs.iter().filter(|r| m.cell_name(r.cell) == cs.cell).collect();
            let hours = |k| mine.iter().filter(|r| r.kind == k).map(|r| r.hours()).sum::<u64>();
            prop_assert_eq!(hours(ExcessKind::Tolerated), u64::from(cs.tolerated_hours), "{}", cs.cell);
            prop_assert_eq!(hours(ExcessKind::Charged), u64::from(cs.charged_hours), "{}", cs.cell);
            for w in mine.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
        }
    }

    #[test]
    fn commitment_invariants(case in case()) {
        let m = spec_m();
        let bill = price(&m, &case, &records(&case));
        if let (OfferKind::Commitment(c), Some(state)) = (&case.offer, &bill.commitment) {
            let paid = sum(bill.periods.iter().flat_map(|p| &p.lines)
                .filter(|l| matches!(l.kind, LineKind::Installment | LineKind::Commitment)).map(|l| l.amount));
            prop_assert_eq!(paid, state.commitment_amount.get());
            prop_assert_eq!(state.commitment_amount, c.units.at(c.price).unwrap().round(2, RoundingMode::HalfUp));
            prop_assert_eq!(state.units_consumed.get(), state.units_drawn.get() + state.overage_units.get());
            prop_assert_eq!(state.units_drawn.get() + state.units_remaining.get(), c.units.get());
            prop_assert!(state.units_remaining.get() >= Decimal::ZERO);
            prop_assert_eq!(state.exhausted_at.is_some(), state.units_remaining.is_zero());
            if state.overage_units.get() > Decimal::ZERO {
                prop_assert!(state.units_remaining.is_zero());
            }
        }
    }

    #[test]
    fn more_usage_never_lowers_a_bill(case in case(), pick in any::<prop::sample::Index>(), extra in 1i64..=200_000) {
        let m = spec_m();
        let recs = records(&case);
        prop_assume!(!recs.is_empty());
        let before = price(&m, &case, &recs);
        let mut more = recs.clone();
        let i = pick.index(more.len());
        more[i].quantity = Quantity(more[i].quantity.get() + dec(extra, 3));
        let after = price(&m, &case, &more);
        prop_assert!(after.total >= before.total, "{} < {}", after.total, before.total);
        for (a, b) in after.periods.iter().zip(&before.periods) {
            prop_assert!(a.total >= b.total, "period {}: {} < {}", a.label, a.total, b.total);
        }
    }

    #[test]
    fn prorated_fees_add_up_to_the_upfront_amount(
        (y, mo, d, months) in (2024i32..=2030, 1u8..=12, 1u8..=31, 1u32..=60),
        fee in 0i64..=100_000_000_000,
    ) {
        let day = d.min(unitcalc_core::time::days_in_month(y, mo));
        let term = Term::new(Date::new(y, mo, day).unwrap(), months).unwrap();
        let fee = Money(dec(fee, 2));
        let shares = prorated_fees(fee, &term).unwrap();
        let exact = shares.iter().try_fold(Fraction::ZERO, |a, s| a.checked_add(*s)).unwrap();
        // A term starting on the 1st is exactly `months` whole fees.
        if day == 1 {
            let whole = Fraction::from_decimal(fee.get() * Decimal::from(months));
            prop_assert_eq!(exact.same_value(whole), Some(true));
        }
        // The upfront line is that exact sum rounded once; monthly lines differ
        // from it by at most half a cent per period.
        let m = spec_m();
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        let mk = |payment| Offer { name: "f".into(), kind: OfferKind::FixedCapacity(FixedCapacity {
            entitlements: vec![Entitlement { cell, quantity: Quantity(Decimal::ONE) }],
            monthly_fee: fee, payment, overage: OveragePolicy::default() }) };
        let terms = DealTerms { term, channel: Channel::Direct };
        let up = price_records(&m, &terms, &mk(Payment::Upfront), std::iter::empty(), "p").unwrap();
        let monthly = price_records(&m, &terms, &mk(Payment::Monthly), std::iter::empty(), "p").unwrap();
        prop_assert_eq!(up.total, exact.round(2, RoundingMode::HalfUp).unwrap());
        let diff = (up.total.get() - monthly.total.get()).abs();
        prop_assert!(diff <= Decimal::new(5, 3) * Decimal::from(monthly.periods.len() as u64), "{}", diff);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn raising_a_multiplier_never_lowers_a_bill(case in case(), pick in any::<prop::sample::Index>(), bump in 1i64..=100) {
        let m = spec_m();
        let recs = records(&case);
        let before = price(&m, &case, &recs);
        let mut higher = m.clone();
        let offered: Vec<usize> = (0..higher.multipliers.len()).filter(|i| higher.multipliers[*i].is_some()).collect();
        let i = offered[pick.index(offered.len())];
        let old = higher.multipliers[i].unwrap().get();
        higher.multipliers[i] = Some(Ratio(old + dec(bump, 2)));
        let after = price(&higher, &case, &recs);
        prop_assert!(after.total >= before.total, "{} < {}", after.total, before.total);
    }

    #[test]
    fn record_order_within_an_hour_does_not_matter(case in case(), seed in any::<u64>()) {
        let m = spec_m();
        let recs = records(&case);
        let mut shuffled = recs.clone();
        // Reverse-and-rotate each hour's records by a seed-dependent amount.
        let mut start = 0;
        while start < shuffled.len() {
            let end = start + shuffled[start..].iter().take_while(|r| r.hour == shuffled[start].hour).count();
            let run = &mut shuffled[start..end];
            run.reverse();
            let k = (seed as usize) % run.len();
            run.rotate_left(k);
            start = end;
        }
        prop_assert_eq!(price(&m, &case, &recs), price(&m, &case, &shuffled));
    }

    #[test]
    fn json_bills_round_trip_exactly(case in case()) {
        let m = spec_m();
        let bill = price(&m, &case, &records(&case));
        let json = serde_json::to_string(&bill).unwrap();
        let back: Bill = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &bill);
        // Decimals travel as strings, never JSON numbers.
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert!(v["total"].is_string());
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
}
