//! Hostile inputs that are too big to commit as fixtures: built in memory at
//! run time. A 100 MB CSV line is refused after reading a few KiB; 10^25 TB of
//! usage is an overflow error from the engine, never a panic or a wrong bill.

use std::io::Read;

use unitcalc_core::engine::price;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::num::Quantity;
use unitcalc_core::offer::*;
use unitcalc_core::time::{Date, Hour, Term};
use unitcalc_core::usage_csv::{read_usage, CsvRecord, UsageReader, HEADER, MAX_LINE_BYTES};
use unitcalc_tests::deals::load_deal;
use unitcalc_tests::examples::example;
use unitcalc_tests::spec_m;

/// A header, then one line of `len` digits, produced lazily; counts the bytes
/// handed out.
struct LongLine {
    prefix: Vec<u8>,
    pos: usize,
    len: usize,
}

impl Read for LongLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < buf.len() && self.pos < self.prefix.len() + self.len {
            buf[n] = self.prefix.get(self.pos).copied().unwrap_or(b'9');
            n += 1;
            self.pos += 1;
        }
        Ok(n)
    }
}

const HUNDRED_MB: usize = 100 * 1024 * 1024;

#[test]
fn a_100_mb_line_is_refused_after_a_few_kib() {
    let m = spec_m();
    let mut src = LongLine {
        prefix: format!("{HEADER}\n2026-03-01T00:00:00Z,capacity,azure,hot,").into_bytes(),
        pos: 0,
        len: HUNDRED_MB,
    };
    let mut reader = UsageReader::new(&mut src, "huge.csv", &m).expect("header is fine");
    let err = reader.next_record(&mut CsvRecord::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "huge.csv:2: line is longer than the limit of 4096 bytes"
    );
    // The reader stopped at the limit: it read one 64 KiB buffer at most, not 100 MB.
    assert!(
        src.pos <= MAX_LINE_BYTES + (1 << 16) + 256,
        "read {} bytes",
        src.pos
    );
}

#[test]
fn a_100_mb_line_in_memory_is_refused_by_read_usage() {
    let m = spec_m();
    let term = Term::new(Date::new(2026, 3, 1).expect("date"), 12).expect("term");
    let mut bytes = format!("{HEADER}\n2026-03-01T00:00:00Z,capacity,azure,hot,").into_bytes();
    bytes.resize(bytes.len() + HUNDRED_MB, b'9');
    bytes.push(b'\n');
    let err = read_usage(&bytes, "huge.csv", &m, &term).unwrap_err();
    assert_eq!(
        err.to_string(),
        "huge.csv:2: line is longer than the limit of 4096 bytes"
    );
}

/// 10^25 TB in every hour of a 12-month term for one cell: per-period figures
/// fit a 96-bit decimal, the term's sums do not.
fn ten_to_25_tb_every_hour() -> (Matrix, Term, unitcalc_core::usage::UsageSeries) {
    let m = spec_m();
    let term = Term::new(Date::new(2026, 1, 1).expect("date"), 12).expect("term");
    let mut csv = format!("{HEADER}\n");
    for h in 0..term.hours() {
        let hour = Hour(term.start_hour().0 + h as i64);
        csv.push_str(&format!(
            "{hour},capacity,azure,hot,10000000000000000000000000\n"
        ));
    }
    let usage =
        read_usage(csv.as_bytes(), "big.csv", &m, &term).expect("10^25 parses as a quantity");
    (m, term, usage)
}

#[test]
fn ten_to_the_25_tb_is_an_overflow_error_not_a_panic() {
    let (m, term, usage) = ten_to_25_tb_every_hour();
    let terms = DealTerms {
        term,
        channel: Channel::Direct,
    };
    // List pay-as-you-go, and the fixed 500 TB offer of worked examples B–D.
    let fixed = load_deal(example("b").deal()).deal.offers.remove(0);
    assert_eq!(fixed.name, "Fixed 500 TB");
    let offers = [
        Offer {
            name: "PAYG".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        },
        fixed,
    ];
    let got: Vec<String> = offers
        .iter()
        .map(|o| match price(&m, &terms, o, &usage) {
            Ok(bill) => format!("priced: {}", bill.total),
            Err(e) => e.to_string(),
        })
        .collect();
    let want = "usage: arithmetic overflow while computing quantity-hours";
    assert_eq!(got, vec![want.to_string(), want.to_string()]);
}

/// A term that ends in December 9999: the monthly report's last bucket has no
/// next month. Before the hardening pass the report loop never advanced there
/// (an endless loop); now the bucket runs to the end of the usage.
#[test]
fn a_report_in_december_9999_terminates() {
    use unitcalc_core::report::{usage_report, Granularity};
    let m = spec_m();
    let term = Term::new(Date::new(9999, 11, 15).expect("date"), 1).expect("term ends 9999-12-15");
    let cell = m.cell("capacity", "azure", "hot").expect("cell");
    let mut usage = unitcalc_core::usage::UsageSeries::new(&term);
    usage.set_series(
        cell,
        vec![Quantity("1".parse().expect("decimal")); term.hours()],
    );
    let rows = usage_report(&m, &usage, Granularity::Month).expect("report");
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.label.clone(),
                r.end.to_string(),
                r.quantity_hours.to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "9999-11".to_string(),
                "9999-12-01T00:00:00Z".to_string(),
                "384".to_string()
            ),
            (
                "9999-12".to_string(),
                "9999-12-15T00:00:00Z".to_string(),
                "336".to_string()
            ),
        ]
    );
    let weeks = usage_report(&m, &usage, Granularity::IsoWeek).expect("weekly report");
    assert_eq!(weeks.last().map(|r| r.end), Some(term.end_hour()));
}
