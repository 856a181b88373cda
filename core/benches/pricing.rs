//! Engine throughput: one customer-year of hourly usage (8,760 hours × 4
//! cells = 35,040 hour records), from in-memory records to a finished bill,
//! under the fixed-capacity rule and under a units commitment.
//!
//! Run: `cargo bench -p unitcalc-core --bench pricing`. Criterion prints
//! "thrpt" in elements (hour records) per second.

mod common;

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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
