//! Prices arbitrary small deals over the spec's matrix M and checks the
//! bill's invariants: period total = Σ lines; term total = Σ periods;
//! installments = commitment; units consumed = drawn + overage; the JSON bill
//! round-trips exactly. Wide quantities and prices are allowed: the engine may
//! refuse them with an overflow error, but must never panic.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use unitcalc_core::bill::{Bill, LineKind};
use unitcalc_core::engine::{price_records, ExcessKind, ExcessRun, Pricer};
use unitcalc_core::matrix::{CellId, Matrix};
use unitcalc_core::bundled;
use unitcalc_core::num::{Money, Price, Quantity, Ratio, Units};
use unitcalc_core::offer::*;
use unitcalc_core::time::{days_in_month, Date, Hour, Term};
use unitcalc_core::usage::HourRecord;

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| bundled::matrix("spec-m").expect("spec-m parses"))
}

fn cells() -> &'static [CellId] {
    static C: OnceLock<Vec<CellId>> = OnceLock::new();
    C.get_or_init(|| matrix().cells().collect())
}

/// A decimal from a mantissa and a scale (0..=28).
#[derive(Debug, Arbitrary, Clone, Copy)]
struct Dec {
    mantissa: i64,
    scale: u8,
}

impl Dec {
    fn get(self) -> Decimal {
        Decimal::new(self.mantissa, u32::from(self.scale % 29))
    }
    fn non_negative(self) -> Decimal {
        self.get().abs()
    }
}

#[derive(Debug, Arbitrary)]
enum Kind {
    Payg {
        discount_pct: u8,
    },
    Fixed {
        ents: Vec<(u8, Dec)>,
        fee: Dec,
        upfront: bool,
        band_pct: u8,
        grace: u16,
        price: Option<Dec>,
    },
    Commit {
        units: Dec,
        price: Dec,
        upfront: bool,
        overage: Option<Dec>,
    },
}

#[derive(Debug, Arbitrary)]
struct Case {
    year: u8,
    month: u8,
    day: u8,
    months: u8,
    marketplace: bool,
    kind: Kind,
    /// (hour step from the previous record, cell index, quantity)
    usage: Vec<(u8, u8, Dec)>,
}

fn sum(xs: impl IntoIterator<Item = Money>) -> Decimal {
    xs.into_iter().map(Money::get).sum()
}

/// `a + b == c`, decided exactly on i128 mantissas at a common scale (a
/// `Decimal` sum rounds past 28 significant digits, which would hide or fake
/// a difference); `None` when the mantissas do not fit.
fn exact_sum_eq(a: Decimal, b: Decimal, c: Decimal) -> Option<bool> {
    let s = a.scale().max(b.scale()).max(c.scale());
    let up = |d: Decimal| d.mantissa().checked_mul(10i128.checked_pow(s - d.scale())?);
    Some(up(a)?.checked_add(up(b)?)? == up(c)?)
}

fn check(bill: &Bill, offer: &OfferKind) {
    for p in &bill.periods {
        assert_eq!(
            p.total.get(),
            sum(p.lines.iter().map(|l| l.amount)),
            "period {} total = Σ lines",
            p.label
        );
        assert_eq!(p.net_revenue.get(), p.total.get() - p.marketplace_fee.get());
    }
    assert_eq!(
        bill.total.get(),
        sum(bill.periods.iter().map(|p| p.total)),
        "term total = Σ periods"
    );
    assert_eq!(
        bill.marketplace_fee.get(),
        sum(bill.periods.iter().map(|p| p.marketplace_fee))
    );
    if let (OfferKind::Commitment(c), Some(state)) = (offer, &bill.commitment) {
        let paid = sum(bill
            .periods
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| matches!(l.kind, LineKind::Installment | LineKind::Commitment))
            .map(|l| l.amount));
        assert_eq!(
            paid,
            state.commitment_amount.get(),
            "installments = commitment"
        );
        let (consumed, drawn, over) = (
            state.units_consumed.get(),
            state.units_drawn.get(),
            state.overage_units.get(),
        );
        assert_ne!(
            exact_sum_eq(drawn, over, consumed),
            Some(false),
            "consumed {consumed} = drawn {drawn} + overage {over}"
        );
        assert_ne!(
            exact_sum_eq(drawn, state.units_remaining.get(), c.units.get()),
            Some(false),
            "drawn + remaining = N"
        );
        assert!(state.units_remaining.get() >= Decimal::ZERO);
    }
    let json = serde_json::to_string(bill).expect("bill serializes");
    let back: Bill = serde_json::from_str(&json).expect("bill JSON parses");
    assert_eq!(&back, bill, "JSON round trip");
}

fuzz_target!(|case: Case| {
    let m = matrix();
    let cells = cells();
    let year = 2000 + i32::from(case.year % 100);
    let month = 1 + case.month % 12;
    let day = (1 + case.day % 31).min(days_in_month(year, month));
    let months = 1 + u32::from(case.months % 3);
    let Some(start) = Date::new(year, month, day) else {
        return;
    };
    let Ok(term) = Term::new(start, months) else {
        return;
    };
    let terms = DealTerms {
        term,
        channel: if case.marketplace {
            Channel::Marketplace("azure".into())
        } else {
            Channel::Direct
        },
    };
    let payment = |upfront: bool| {
        if upfront {
            Payment::Upfront
        } else {
            Payment::Monthly
        }
    };
    let kind = match case.kind {
        Kind::Payg { discount_pct } => OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(Decimal::new(i64::from(discount_pct % 100), 2)),
        }),
        Kind::Fixed {
            ents,
            fee,
            upfront,
            band_pct,
            grace,
            price,
        } => {
            let mut entitlements: Vec<Entitlement> = Vec::new();
            for (c, q) in ents.into_iter().take(4) {
                let cell = cells[usize::from(c) % cells.len()];
                if m.cell_rate(cell).is_none() || entitlements.iter().any(|e| e.cell == cell) {
                    continue;
                }
                let q = q.non_negative();
                if q.is_zero() {
                    continue;
                }
                entitlements.push(Entitlement {
                    cell,
                    quantity: Quantity(q),
                });
            }
            if entitlements.is_empty() {
                return;
            }
            OfferKind::FixedCapacity(FixedCapacity {
                entitlements,
                monthly_fee: Money(fee.non_negative()),
                payment: payment(upfront),
                overage: OveragePolicy {
                    tolerance: Ratio(Decimal::new(i64::from(band_pct % 101), 2)),
                    grace_hours: u32::from(grace % 1000),
                    price: price.map(|p| Price(p.non_negative())),
                },
            })
        }
        Kind::Commit {
            units,
            price,
            upfront,
            overage,
        } => {
            let units = units.non_negative();
            if units.is_zero() {
                return;
            }
            OfferKind::Commitment(Commitment {
                units: Units(units),
                price: Price(price.non_negative()),
                payment: payment(upfront),
                overage_price: overage.map(|p| Price(p.non_negative())),
            })
        }
    };
    let offer = Offer {
        name: "fuzz".into(),
        kind,
    };
    // Records in time order, unique per (hour, cell), inside the term.
    let mut hour = term.start_hour().0;
    let mut records: Vec<HourRecord> = Vec::new();
    for (step, c, q) in case.usage.into_iter().take(512) {
        hour += i64::from(step % 8);
        if !term.contains(Hour(hour)) {
            break;
        }
        let cell = cells[usize::from(c) % cells.len()];
        if m.cell_rate(cell).is_none() || records.iter().any(|r| r.hour.0 == hour && r.cell == cell)
        {
            continue;
        }
        records.push(HourRecord {
            hour: Hour(hour),
            cell,
            quantity: Quantity(q.non_negative()),
        });
    }
    let priced = price_records(m, &terms, &offer, records.iter().copied(), "fuzz");
    if let Ok(bill) = &priced {
        check(bill, &offer.kind);
    }
    // Recording the excess runs changes nothing in the bill, and the runs
    // agree with it.
    let recorded = Pricer::new(m, &terms, &offer).and_then(|p| {
        let mut p = p.record_excess();
        for r in &records {
            if let Err(e) = p.push(r.hour, r.cell, r.quantity) {
                return Err(unitcalc_core::Error::usage(
                    unitcalc_core::error::Origin::file("fuzz"),
                    e,
                ));
            }
        }
        p.finish_with_excess()
    });
    match (&priced, recorded) {
        (Ok(bill), Ok((again, runs))) => {
            assert_eq!(bill, &again, "recording excess runs changed the bill");
            check_runs(m, bill, &runs, &offer.kind);
        }
        (Err(_), Err(_)) => {}
        (a, b) => panic!("pricing with and without excess runs disagree: {a:?} vs {b:?}"),
    }
});

/// Per cell: tolerated / charged run hours equal the bill's counts; runs of
/// one cell are in time order and never overlap; only fixed capacity has runs.
fn check_runs(m: &Matrix, bill: &Bill, runs: &[ExcessRun], offer: &OfferKind) {
    if !matches!(offer, OfferKind::FixedCapacity(_)) {
        assert!(runs.is_empty(), "runs for a {} offer", offer.as_str());
        return;
    }
    for cs in &bill.cells {
        let mine: Vec<&ExcessRun> = runs
            .iter()
            .filter(|r| m.cell_name(r.cell) == cs.cell)
            .collect();
        let hours = |k: ExcessKind| -> u64 {
            mine.iter().filter(|r| r.kind == k).map(|r| r.hours()).sum()
        };
        assert_eq!(hours(ExcessKind::Tolerated), u64::from(cs.tolerated_hours), "{}", cs.cell);
        assert_eq!(hours(ExcessKind::Charged), u64::from(cs.charged_hours), "{}", cs.cell);
        for w in mine.windows(2) {
            assert!(w[0].end <= w[1].start, "overlapping runs {:?} {:?}", w[0], w[1]);
        }
        assert!(mine.iter().all(|r| r.start < r.end));
    }
}
