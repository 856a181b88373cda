//! The whole-number rule of metering, as a property: for every billing
//! period and dimension, Σ reported quantity × listed price equals the
//! bill's metered amount (its pay-as-you-go or overage lines for the
//! dimension's cells) exactly, through AWS, Azure and Google Cloud, for the
//! three kinds of offer; and what is reported follows the offer (fixed
//! capacity: only charged hours; commitment: nothing before the bucket is
//! empty).

use proptest::prelude::*;
use rust_decimal::Decimal;
use unitcalc_core::bill::LineKind;
use unitcalc_core::bundled;
use unitcalc_core::engine::{price_with_excess, ExcessKind};
use unitcalc_core::matrix::{CellId, Matrix};
use unitcalc_core::metering::{
    meter, Dimension, DimensionUnit, Identifiers, Marketplace, MeteringPlan,
};
use unitcalc_core::num::{Money, Price, Quantity, Ratio, Units};
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Hour, Term};
use unitcalc_core::usage::UsageSeries;

fn matrix() -> Matrix {
    bundled::matrix("illustrative").expect("the illustrative matrix")
}

/// The metered cells: capacity and compute on each marketplace's hot cell.
fn cells(m: &Matrix, market: Marketplace) -> [CellId; 2] {
    let env = market.as_str();
    [
        m.cell("capacity", env, "hot").expect("cell"),
        m.cell("compute", env, "hot").expect("cell"),
    ]
}

fn identifiers(market: Marketplace) -> Identifiers {
    match market {
        Marketplace::Aws => Identifiers::Aws {
            product_code: "prod1".into(),
            customer_identifier: "cust1".into(),
        },
        Marketplace::Azure => Identifiers::Azure {
            resource_id: "6f2b7c1e-0d4a-4b8e-9c3f-2a1d5e7f9b10".into(),
            plan_id: "plan".into(),
        },
        Marketplace::Gcp => Identifiers::Gcp {
            service_name: "svc.example.com".into(),
            consumer_id: "project:acme".into(),
        },
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Payg(i64),
    /// Entitlements (capacity, compute), strict rule or the default.
    Fixed(i64, i64, bool, Option<i64>),
    /// Units bought, overage price in cents.
    Commit(i64, Option<i64>),
}

#[derive(Debug, Clone)]
struct Case {
    market: Marketplace,
    kind: Kind,
    /// Per cell: segments of (hours, milli-quantity), repeated over the term.
    segments: [Vec<(usize, i64)>; 2],
    /// One dimension for both cells, or one each.
    one_dimension: bool,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        (0i64..=50).prop_map(Kind::Payg),
        (
            1i64..=600,
            1i64..=40,
            any::<bool>(),
            proptest::option::of(1i64..=300)
        )
            .prop_map(|(a, b, s, p)| Kind::Fixed(a, b, s, p)),
        (1i64..=3_000, proptest::option::of(1i64..=300)).prop_map(|(u, p)| Kind::Commit(u, p)),
    ]
}

fn segments() -> impl Strategy<Value = Vec<(usize, i64)>> {
    proptest::collection::vec((1usize..=120, 0i64..=700_000), 1..=12)
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![
            Just(Marketplace::Aws),
            Just(Marketplace::Azure),
            Just(Marketplace::Gcp)
        ],
        kind(),
        segments(),
        segments(),
        any::<bool>(),
    )
        .prop_map(|(market, kind, a, b, one_dimension)| Case {
            market,
            kind,
            segments: [a, b],
            one_dimension,
        })
}

fn offer(kind: &Kind, cells: [CellId; 2]) -> Offer {
    let cents = |c: i64| Price(Decimal::new(c, 2));
    let kind = match *kind {
        Kind::Payg(d) => OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(Decimal::new(d, 2)),
        }),
        Kind::Fixed(a, b, strict, price) => OfferKind::FixedCapacity(FixedCapacity {
            entitlements: vec![
                Entitlement {
                    cell: cells[0],
                    quantity: Quantity(Decimal::from(a)),
                },
                Entitlement {
                    cell: cells[1],
                    quantity: Quantity(Decimal::from(b)),
                },
            ],
            monthly_fee: Money(Decimal::new(100_000, 2)),
            payment: Payment::Monthly,
            overage: OveragePolicy {
                price: price.map(cents),
                ..if strict {
                    OveragePolicy::strict()
                } else {
                    OveragePolicy::default()
                }
            },
        }),
        Kind::Commit(units, price) => OfferKind::Commitment(Commitment {
            units: Units(Decimal::from(units)),
            price: Price(Decimal::new(85, 2)),
            payment: Payment::Upfront,
            overage_price: price.map(cents),
        }),
    };
    Offer {
        name: "Offer".into(),
        kind,
    }
}

fn usage(term: &Term, cells: [CellId; 2], segments: &[Vec<(usize, i64)>; 2]) -> UsageSeries {
    let mut u = UsageSeries::new(term);
    for (cell, segs) in cells.iter().zip(segments) {
        let mut q = Vec::with_capacity(term.hours());
        for (hours, milli) in segs.iter().cycle() {
            if q.len() >= term.hours() {
                break;
            }
            let n = (*hours).min(term.hours() - q.len());
            q.extend(std::iter::repeat_n(Quantity(Decimal::new(*milli, 3)), n));
        }
        u.set_series(*cell, q);
    }
    u
}

fn plan(case: &Case, cells: [CellId; 2]) -> MeteringPlan {
    let dim = |name: &str, cells: Vec<CellId>| Dimension {
        name: name.into(),
        unit: DimensionUnit::Money,
        price: Price(Decimal::new(1, 2)),
        cells,
    };
    MeteringPlan {
        offer: 0,
        identifiers: identifiers(case.market),
        dimensions: if case.one_dimension {
            vec![dim("usage_cents", cells.to_vec())]
        } else {
            vec![
                dim("capacity_cents", vec![cells[0]]),
                dim("compute_cents", vec![cells[1]]),
            ]
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn reported_quantities_times_price_equal_the_bill(case in case()) {
        let m = matrix();
        // A partial first and last period: 2026-03-15 for 2 months.
        let term = Term::new(Date::parse("2026-03-15").unwrap(), 2).unwrap();
        let cells = cells(&m, case.market);
        let terms = DealTerms { term, channel: Channel::Marketplace(case.market.as_str().into()) };
        let offers = [offer(&case.kind, cells)];
        let plan = plan(&case, cells);
        let usage = usage(&term, cells, &case.segments);
        let (bill, metered) = meter(&m, &terms, &offers, &plan, &usage).unwrap();
        let (_, runs) = price_with_excess(&m, &terms, &offers[0], &usage).unwrap();

        prop_assert_eq!(metered.periods.len(), bill.periods.len() * plan.dimensions.len());
        for p in &bill.periods {
            for (d, dim) in plan.dimensions.iter().enumerate() {
                // The bill's metered amount, read off its lines.
                let names: Vec<_> = dim.cells.iter().map(|c| m.cell_name(*c)).collect();
                let billed: Decimal = p.lines.iter()
                    .filter(|l| matches!(l.kind, LineKind::PayAsYouGo | LineKind::Overage))
                    .filter(|l| l.cell.as_ref().is_some_and(|n| names.contains(n)))
                    .map(|l| l.amount.get())
                    .sum();
                // What the records report in the period.
                let reported: u64 = metered.records.iter()
                    .filter(|r| r.dimension == d && r.hour >= p.start && r.hour < p.end)
                    .map(|r| r.quantity)
                    .sum();
                prop_assert_eq!(Decimal::from(reported) * dim.price.get(), billed,
                    "{} {}", p.label, dim.name);
            }
        }
        for r in &metered.records {
            prop_assert!(r.quantity >= 1);
            let last_of_period = bill.periods.iter().any(|p| Hour(p.end.0 - 1) == r.hour);
            match &offers[0].kind {
                // Fixed capacity reports charged hours only (and true-ups).
                OfferKind::FixedCapacity(_) => prop_assert!(last_of_period || runs.iter().any(|x|
                    x.kind == ExcessKind::Charged && x.start <= r.hour && r.hour < x.end)),
                // A commitment reports nothing before the bucket is empty.
                OfferKind::Commitment(_) => {
                    let x = bill.commitment.as_ref().and_then(|c| c.exhausted_at);
                    prop_assert!(x.is_some_and(|x| r.hour >= x));
                }
                OfferKind::PayAsYouGo(_) => {}
            }
        }
        for row in &metered.periods {
            prop_assert!(row.difference.is_zero());
        }
    }
}
