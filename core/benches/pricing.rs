//! Engine throughput: one customer-year of hourly usage (8,760 hours × 4
//! cells = 35,040 hour records), from in-memory records to a finished bill,
//! under the fixed-capacity rule and under a units commitment.
//!
//! Beside them, `kernel/exact-i128`: the fixed-capacity rule alone on the
//! same records as exact `i128` mantissas (sums, peak, streak, tolerated
//! and charged hours, checked adds), with no bill: the limit the engine's
//! per-record work is measured against.
//!
//! Run: `cargo bench -p unitcalc-core --bench pricing`. Criterion prints
//! "thrpt" in elements (hour records) per second.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;
use unitcalc_core::engine::price_records;
use unitcalc_core::num::{Price, Quantity, Units};
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Hour, Term};
use unitcalc_core::usage::HourRecord;

fn bench(c: &mut Criterion) {
    let m = common::spec_m();
    let term = Term::new(Date::parse("2026-01-01").unwrap(), 12).unwrap();
    let terms = DealTerms {
        term,
        channel: Channel::Marketplace("azure".into()),
    };
    let cells = common::four_cells(&m);
    // Usage around the entitlement with regular bursts above it: a pseudo-random
    // but deterministic walk, three decimal places, like metered data.
    let mut records = Vec::with_capacity(term.hours() * cells.len());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for h in 0..term.hours() {
        for cell in cells {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let milli = 450_000 + (x % 120_000) as i64; // 450.000 … 569.999
            records.push(HourRecord {
                hour: Hour(term.start_hour().0 + h as i64),
                cell,
                quantity: Quantity(Decimal::new(milli, 3)),
            });
        }
    }
    let fixed = common::fixed_offer(&cells);
    let commitment = Offer {
        name: "commitment".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(Decimal::new(20_000, 0)),
            price: Price(Decimal::new(85, 2)),
            payment: Payment::Monthly,
            overage_price: None,
        }),
    };
    let payg = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let mut g = c.benchmark_group("customer-year");
    g.throughput(Throughput::Elements(records.len() as u64));
    for offer in [&fixed, &commitment, &payg] {
        g.bench_with_input(BenchmarkId::new("price", &offer.name), offer, |b, offer| {
            b.iter(|| price_records(&m, &terms, offer, records.iter().copied(), "bench").unwrap())
        });
    }
    // The kernel: the same records as (cell, mantissa at scale 3).
    let exact: Vec<(i64, usize, i128)> = records
        .iter()
        .map(|r| {
            let q = r.quantity.get();
            assert_eq!(q.scale(), 3);
            let cell = cells.iter().position(|&c| c == r.cell).unwrap();
            (r.hour.0, cell, q.mantissa())
        })
        .collect();
    g.bench_function("kernel/exact-i128", |b| {
        b.iter(|| kernel(black_box(&exact), 500_000, 550_000, 72).unwrap())
    });
    g.finish();
}

/// Per cell: Σ usage, peak, tolerated and charged hours, Σ usage over the
/// charged hours, by the overage rule on exact mantissas; `None` on overflow.
#[derive(Clone, Copy, Default)]
struct KernelCell {
    last_hour: i64,
    streak: u32,
    sum: i128,
    peak: i128,
    tolerated: u32,
    charged: u32,
    charged_usage: i128,
}

fn kernel(
    records: &[(i64, usize, i128)],
    e: i128,
    band: i128,
    grace: u32,
) -> Option<[KernelCell; 4]> {
    let mut cells = [KernelCell {
        last_hour: i64::MIN,
        ..KernelCell::default()
    }; 4];
    for &(hour, i, q) in records {
        let c = cells.get_mut(i)?;
        if hour.checked_sub(1) != Some(c.last_hour) {
            c.streak = 0;
        }
        c.last_hour = hour;
        c.sum = c.sum.checked_add(q)?;
        c.peak = c.peak.max(q);
        if q <= e {
            c.streak = 0;
        } else {
            c.streak = c.streak.saturating_add(1);
            if q <= band && c.streak <= grace {
                c.tolerated += 1;
            } else {
                c.charged += 1;
                c.charged_usage = c.charged_usage.checked_add(q)?;
            }
        }
    }
    Some(cells)
}

criterion_group!(benches, bench);
criterion_main!(benches);
