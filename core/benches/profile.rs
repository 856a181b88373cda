//! What the browser tool recomputes when a usage-profile input changes: a
//! 36-month hourly scenario with four cells (26,304 hours × 4 = 105,216
//! quantities): generating the usage, the monthly usage report, and pricing a
//! fixed-capacity offer with its excess runs.
//!
//! Run: `cargo bench -p unitcalc-core --bench profile`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use unitcalc_core::engine::price_with_excess;
use unitcalc_core::num::{Quantity, Ratio};
use unitcalc_core::offer::*;
use unitcalc_core::profile::{generate, CellProfile, Profile};
use unitcalc_core::report::{usage_report, Granularity};
use unitcalc_core::time::{Date, Term};

fn bench(c: &mut Criterion) {
    let m = common::spec_m();
    let term = Term::new(Date::parse("2026-01-01").unwrap(), 36).unwrap();
    let cells = common::four_cells(&m);
    let r = |s: &str| Ratio(s.parse().unwrap());
    let profile = Profile {
        seed: 7,
        cells: cells
            .iter()
            .map(|&cell| CellProfile {
                cell,
                baseline: Quantity("480".parse().unwrap()),
                monthly_growth: r("0.01"),
                daily_amplitude: r("0.05"),
                weekend_dip: r("0.1"),
                noise: r("0.03"),
                bursts: Vec::new(),
            })
            .collect(),
    };
    let usage = generate(&profile, &term).unwrap();
    let terms = DealTerms {
        term,
        channel: Channel::Direct,
    };
    let fixed = common::fixed_offer(&cells);
    let mut g = c.benchmark_group("36 months x 4 cells");
    g.throughput(Throughput::Elements((term.hours() * cells.len()) as u64));
    g.bench_function("generate profile", |b| {
        b.iter(|| generate(&profile, &term).unwrap())
    });
    g.bench_function("usage report by month", |b| {
        b.iter(|| usage_report(&m, &usage, Granularity::Month).unwrap())
    });
    g.bench_function("price fixed capacity with excess runs", |b| {
        b.iter(|| price_with_excess(&m, &terms, &fixed, &usage).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
