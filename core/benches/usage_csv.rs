//! Throughput of the streaming usage CSV reader (rows per second) and the
//! speed of the usage profile generator.

mod common;

use std::hint::black_box;
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rust_decimal::Decimal;
use unitcalc_core::engine::Pricer;
use unitcalc_core::num::{Quantity, Ratio};
use unitcalc_core::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
use unitcalc_core::profile::{generate, CellProfile, Profile};
use unitcalc_core::time::{Date, Hour, Term};
use unitcalc_core::usage_csv::{CsvRecord, UsageReader, HEADER, HEADER_WITH_CUSTOMER};

const CELLS: [(&str, &str, &str); 4] = [
    ("capacity", "aws", "hot"),
    ("capacity", "azure", "hot"),
    ("capacity", "azure", "archive"),
    ("compute", "on-prem", "hot"),
];

/// `rows` records: hours in order, the four cells within each hour, varied
/// quantities with 0–3 decimal places.
fn book(rows: usize, customer: bool) -> Vec<u8> {
    book_of(rows, customer, &CELLS)
}

/// Every offered cell of spec-m (8), for a book that fits a 10-year term.
const ALL_CELLS: [(&str, &str, &str); 8] = [
    ("capacity", "on-prem", "hot"),
    ("capacity", "aws", "hot"),
    ("capacity", "azure", "hot"),
    ("capacity", "azure", "archive"),
    ("compute", "on-prem", "hot"),
    ("compute", "aws", "hot"),
    ("compute", "azure", "hot"),
    ("compute", "azure", "archive"),
];

fn book_of(rows: usize, customer: bool, cells: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 64);
    writeln!(
        out,
        "{}",
        if customer {
            HEADER_WITH_CUSTOMER
        } else {
            HEADER
        }
    )
    .unwrap();
    let start = Date::parse("2026-03-01").unwrap().start_hour();
    for i in 0..rows {
        let hour = Hour(start.0 + (i / cells.len()) as i64);
        let (m, e, u) = cells[i % cells.len()];
        if customer {
            write!(out, "acme-{},", i % 3).unwrap();
        }
        writeln!(
            out,
            "{hour},{m},{e},{u},{}.{}",
            100 + (i * 7919) % 900,
            i % 1000
        )
        .unwrap();
    }
    out
}

fn reader(c: &mut Criterion) {
    let matrix = common::spec_m();
    let rows = 1_000_000;
    let mut g = c.benchmark_group("usage_csv");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows as u64));
    for customer in [false, true] {
        let data = book(rows, customer);
        let name = if customer {
            "stream_1M_rows_with_customer"
        } else {
            "stream_1M_rows"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut r = UsageReader::new(black_box(&data[..]), "bench.csv", &matrix).unwrap();
                let mut rec = CsvRecord::default();
                let mut n = 0u64;
                while r.next_record(&mut rec).unwrap() {
                    n += 1;
                }
                assert_eq!(n, rows as u64);
                black_box(rec.quantity)
            })
        });
    }
    // End to end: stream and price a 700,800-row book (8 cells × 87,600
    // hours, a 10-year term; PAYG), as the CLI does.
    let priced_rows = 8 * 87_600;
    let data = book_of(priced_rows, false, &ALL_CELLS);
    g.throughput(Throughput::Elements(priced_rows as u64));
    let offer = Offer {
        name: "PAYG".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo {
            discount: "0.20".parse().unwrap(),
        }),
    };
    let terms = DealTerms {
        term: Term::new(Date::parse("2026-03-01").unwrap(), 120).unwrap(),
        channel: Channel::Direct,
    };
    g.bench_function("stream_and_price_700k_rows", |b| {
        b.iter(|| {
            let mut r = UsageReader::new(black_box(&data[..]), "bench.csv", &matrix).unwrap();
            let mut p = Pricer::new(&matrix, &terms, &offer).unwrap();
            let mut rec = CsvRecord::default();
            while r.next_record(&mut rec).unwrap() {
                p.push(rec.hour, rec.cell, rec.quantity).unwrap();
            }
            black_box(p.finish().unwrap().total)
        })
    });
    g.finish();
}

fn profile(c: &mut Criterion) {
    let term = Term::new(Date::parse("2026-03-01").unwrap(), 36).unwrap();
    let r = |s: &str| Ratio(Decimal::from_str_exact(s).unwrap());
    let m = common::spec_m();
    let cells = common::four_cells(&m)
        .into_iter()
        .zip(0u32..)
        .map(|(cell, i)| CellProfile {
            cell,
            baseline: Quantity(Decimal::from(500 + i * 100)),
            monthly_growth: r("0.02"),
            daily_amplitude: r("0.15"),
            weekend_dip: r("0.1"),
            noise: r("0.05"),
            bursts: vec![],
        })
        .collect();
    let p = Profile { seed: 42, cells };
    let mut g = c.benchmark_group("profile");
    g.sample_size(20);
    g.throughput(Throughput::Elements((term.hours() * 4) as u64));
    g.bench_function("generate_36_months_4_cells", |b| {
        b.iter(|| generate(black_box(&p), &term).unwrap())
    });
    g.finish();
}

criterion_group!(benches, reader, profile);
criterion_main!(benches);
