//! Unit tests of the usage CSV readers: good and bad rows, the cell cache,
//! streaming against the dense series, line limits and the bad-input catalogue.

use std::io::Read;

use rust_decimal::Decimal;

use super::*;
use crate::time::Date;

fn term() -> Term {
    Term::new(Date::parse("2026-03-01").unwrap(), 12).unwrap()
}

fn read(src: &str) -> Result<UsageSeries> {
    read_usage(
        src.as_bytes(),
        "u.csv",
        &crate::bundled::matrix("spec-m").unwrap(),
        &term(),
    )
}

fn records(src: &str) -> Vec<(String, String, String, String)> {
    let m = crate::bundled::matrix("spec-m").unwrap();
    UsageReader::new(src.as_bytes(), "u.csv", &m)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (
                r.customer,
                r.hour.to_string(),
                m.cell_name(r.cell).to_string(),
                r.quantity.to_string(),
            )
        })
        .collect()
}

/// (customer, hour, cell, quantity)
type Row<'a> = (&'a str, &'a str, &'a str, &'a str);

#[test]
fn good_rows() {
    let h = HEADER;
    let cases: &[(&str, &[Row])] = &[
        (&format!("{h}\n2026-03-01T00:00:00Z,capacity,aws,hot,500"), &[("", "2026-03-01T00:00:00Z", "capacity/aws/hot", "500")]),
        (
            &format!("\u{feff}{h}\r\n2026-03-01T00:00:00Z,capacity,azure,archive,0.25\r\n\r\n2026-03-01T02:00:00+02:00,compute,on-prem,hot,.5\r\n"),
            &[
                ("", "2026-03-01T00:00:00Z", "capacity/azure/archive", "0.25"),
                ("", "2026-03-01T00:00:00Z", "compute/on-prem/hot", "0.5"),
            ],
        ),
        (
            &format!("customer,{h}\n\"Acme, Inc.\",2026-03-01T05:00:00Z,\"capacity\",aws,hot,12.\n"),
            &[("Acme, Inc.", "2026-03-01T05:00:00Z", "capacity/aws/hot", "12")],
        ),
        (&format!("{h}\n2026-03-01T00:00:00Z,capacity,aws,hot,-0\n"), &[("", "2026-03-01T00:00:00Z", "capacity/aws/hot", "0")]),
        (
            &format!("{h}\n2026-03-01T00:00:00Z,capacity,aws,hot,12345678901234567890.123456789\n"),
            &[("", "2026-03-01T00:00:00Z", "capacity/aws/hot", "12345678901234567890.123456789")],
        ),
        (&format!("{h}\n\n\n"), &[]),
    ];
    for (src, want) in cases {
        let got = records(src);
        let want: Vec<_> = want
            .iter()
            .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
            .collect();
        assert_eq!(got, want, "{src:?}");
    }
}

#[test]
fn bad_rows() {
    let h = HEADER;
    let row = "2026-03-01T00:00:00Z,capacity,aws,hot,500";
    let cases: &[(String, &str)] = &[
        ("".into(), "u.csv:1: empty file: expected the header `timestamp,meter,environment,use_case,quantity`"),
        ("\n\n".into(), "u.csv:1: empty file: expected the header `timestamp,meter,environment,use_case,quantity`"),
        (
            format!("Timestamp,meter,environment,use_case,quantity\n{row}"),
            "u.csv:1: expected the header `timestamp,meter,environment,use_case,quantity` (optionally with a leading `customer` column), found `Timestamp,meter,environment,use_case,quantity`",
        ),
        (format!("{h}\n{row},1"), "u.csv:2: expected 5 fields, found 6: `2026-03-01T00:00:00Z,capacity,aws,hot,500,1`"),
        (format!("{h}\n{row}\n2026-03-01T01:00:00Z,capacity,aws,hot,1e3"), "u.csv:3: invalid quantity `1e3` (expected a non-negative decimal such as 500 or 0.25)"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,aws,hot,+3"), "u.csv:2: invalid quantity `+3` (expected a non-negative decimal such as 500 or 0.25)"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,aws,hot,."), "u.csv:2: invalid quantity `.` (expected a non-negative decimal such as 500 or 0.25)"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,aws,hot, 5"), "u.csv:2: invalid quantity ` 5` (expected a non-negative decimal such as 500 or 0.25)"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,aws,hot,-0.5"), "u.csv:2: negative quantity -0.5"),
        (format!("{h}\n2026-03-01T01:15:00Z,capacity,aws,hot,5"), "u.csv:2: timestamp `2026-03-01T01:15:00Z` is not on the hour (UTC)"),
        (format!("{h}\n2026-02-30T01:00:00Z,capacity,aws,hot,5"), "u.csv:2: invalid timestamp `2026-02-30T01:00:00Z` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
        (format!("{h}\n2026-03-01T01:00:00Z,disk,aws,hot,5"), "u.csv:2: unknown meter `disk`"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,gcp,hot,5"), "u.csv:2: unknown environment `gcp`"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,aws,cold,5"), "u.csv:2: unknown use case `cold`"),
        (format!("{h}\n2026-03-01T01:00:00Z,capacity,aws,archive,5"), "u.csv:2: cell capacity/aws/archive is not offered in this matrix"),
        (format!("{h}\n2026-02-28T23:00:00Z,capacity,aws,hot,5"), "u.csv:2: hour 2026-02-28T23:00:00Z is outside the term 2026-03-01T00:00:00Z to 2027-03-01T00:00:00Z"),
        (format!("{h}\n{row}\n{row}"), "u.csv:3: duplicate record for hour 2026-03-01T00:00:00Z and cell capacity/aws/hot"),
        (format!("{h}\n\"capacity,aws,hot,5"), "u.csv:2: unterminated quoted field in `\"capacity,aws,hot,5` (quoted fields cannot span lines)"),
        (format!("{h}\n2026-03-01T01:00:00Z,cap\"acity,aws,hot,5"), "u.csv:2: stray quote in `2026-03-01T01:00:00Z,cap\"acity,aws,hot,5`"),
        (format!("{h}\n{row}\n{}", "9".repeat(MAX_LINE_BYTES + 1)), "u.csv:3: line is longer than the limit of 4096 bytes"),
    ];
    for (src, want) in cases {
        let got = read(src).map(|_| ()).unwrap_err().to_string();
        assert_eq!(&got, want, "{src:?}");
    }
}

#[test]
fn cell_cache_with_more_cells_than_slots() {
    use crate::matrix::{Environment, Meter};
    let mut m = crate::bundled::matrix("spec-m").unwrap();
    m.meters = (0..5)
        .map(|i| Meter {
            id: format!("m{i}"),
            unit: "TB".into(),
            base_rate: m.meters[0].base_rate,
        })
        .collect();
    m.environments = (0..5)
        .map(|i| Environment {
            id: format!("e{i}"),
            marketplace: None,
        })
        .collect();
    m.use_cases.truncate(1);
    m.multipliers = vec![m.multipliers[0]; 5];
    let mut src = format!("{HEADER}\n");
    let mut want = Vec::new();
    for round in 0..3 {
        for i in 0..5 {
            for j in 0..5 {
                // Quoted names in the last round must hit the same cache entries.
                let q = if round == 2 { "\"" } else { "" };
                src.push_str(&format!(
                    "2026-03-01T00:00:00Z,{q}m{i}{q},{q}e{j}{q},hot,1\n"
                ));
                want.push(format!("m{i}/e{j}/hot"));
            }
        }
    }
    let got: Vec<String> = UsageReader::new(src.as_bytes(), "u.csv", &m)
        .unwrap()
        .map(|r| m.cell_name(r.unwrap().cell).to_string())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn streamed_records_price_like_the_dense_series() {
    use crate::engine::{price, Pricer};
    use crate::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
    let m = crate::bundled::matrix("spec-m").unwrap();
    let t = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    // Worked example A: 200 TB azure/hot all March, PAYG 20 % off.
    let mut src = format!("{HEADER}\n");
    for h in 0..t.hours() {
        src.push_str(&format!(
            "{},capacity,azure,hot,200\n",
            Hour(t.start_hour().0 + h as i64)
        ));
    }
    let offer = Offer {
        name: "PAYG".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo {
            discount: "0.20".parse().unwrap(),
        }),
    };
    let terms = DealTerms {
        term: t,
        channel: Channel::Direct,
    };
    let mut pricer = Pricer::new(&m, &terms, &offer).unwrap();
    let mut reader = UsageReader::new(src.as_bytes(), "a.csv", &m).unwrap();
    let mut rec = CsvRecord::default();
    while reader.next_record(&mut rec).unwrap() {
        pricer.push(rec.hour, rec.cell, rec.quantity).unwrap();
    }
    let streamed = pricer.finish().unwrap();
    let dense = price(
        &m,
        &terms,
        &offer,
        &read_usage(src.as_bytes(), "a.csv", &m, &t).unwrap(),
    )
    .unwrap();
    assert_eq!(streamed.total.to_string(), "223.20");
    assert_eq!(streamed, dense);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]
    /// Generated usage written as CSV (shuffled by cell, CRLF or LF, with
    /// or without a customer column) reads back to the same records.
    #[test]
    fn generated_usage_round_trips(seed in 0u64..1000, crlf in proptest::bool::ANY, customer in proptest::bool::ANY) {
        use crate::profile::{generate, CellProfile, Profile};
        use crate::num::Ratio;
        let m = crate::bundled::matrix("spec-m").unwrap();
        let t = Term::new(Date::parse("2026-03-01").unwrap(), 2).unwrap();
        let r = |s: &str| Ratio(Decimal::from_str_exact(s).unwrap());
        let cells = [("capacity", "azure", "archive"), ("compute", "aws", "hot")];
        let profile = Profile {
            seed,
            cells: cells
                .iter()
                .map(|(a, b, c)| CellProfile {
                    cell: m.cell(a, b, c).unwrap(),
                    baseline: Quantity(Decimal::new(123_456, 2)),
                    monthly_growth: r("0.03"),
                    daily_amplitude: r("0.2"),
                    weekend_dip: r("0.15"),
                    noise: r("0.3"),
                    bursts: vec![],
                })
                .collect(),
        };
        let usage = generate(&profile, &t).unwrap();
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut src = String::new();
        src.push_str(if customer { HEADER_WITH_CUSTOMER } else { HEADER });
        src.push_str(nl);
        // Cell by cell (not in time order): read_usage must not care.
        for c in usage.cells() {
            let name = m.cell_name(c.cell);
            for (h, q) in c.quantities.iter().enumerate() {
                if customer {
                    src.push_str("\"Acme, Inc.\",");
                }
                let hour = Hour(t.start_hour().0 + h as i64);
                src.push_str(&format!("{hour},{},{},{},{q}{nl}", name.meter, name.environment, name.use_case));
            }
        }
        let back = read_usage(src.as_bytes(), "g.csv", &m, &t).unwrap();
        proptest::prop_assert!(usage.records().eq(back.records()));
        proptest::prop_assert_eq!(back.records().count(), usage.records().count());
    }
}

#[test]
fn line_at_the_limit_is_read() {
    let m = crate::bundled::matrix("spec-m").unwrap();
    let q = format!(
        "1.{}",
        "0".repeat(MAX_LINE_BYTES - "2026-03-01T00:00:00Z,capacity,aws,hot,1.".len())
    );
    let src = format!("{HEADER}\n2026-03-01T00:00:00Z,capacity,aws,hot,{q}\r\n");
    // 4096 bytes of content plus CRLF: accepted (the quantity has too many
    // digits for a decimal, so it fails as a quantity, not as a long line).
    let err = UsageReader::new(src.as_bytes(), "u.csv", &m)
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        err.to_string().starts_with("u.csv:2: invalid quantity"),
        "{err}"
    );
}

/// A reader that yields an endless line of `9`s: the reader must stop at
/// the limit instead of buffering it.
struct Endless(usize);
impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0 == 0 {
            let h = format!("{HEADER}\n");
            buf[..h.len()].copy_from_slice(h.as_bytes());
            self.0 = h.len();
            return Ok(h.len());
        }
        buf.fill(b'9');
        self.0 += buf.len();
        assert!(self.0 < 1 << 20, "read far past the line limit");
        Ok(buf.len())
    }
}

#[test]
fn endless_line_stops_at_the_limit() {
    let m = crate::bundled::matrix("spec-m").unwrap();
    let mut r = UsageReader::new(Endless(0), "big.csv", &m).unwrap();
    let err = r.next_record(&mut CsvRecord::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "big.csv:2: line is longer than the limit of 4096 bytes"
    );
    assert!(!r.next_record(&mut CsvRecord::default()).unwrap());
}

#[test]
fn single_customer_file_reads_and_two_are_refused() {
    let src = format!("customer,{HEADER}\nacme,2026-03-01T00:00:00Z,capacity,aws,hot,500\nacme,2026-03-01T01:00:00Z,capacity,aws,hot,500\n");
    assert_eq!(read(&src).unwrap().records().count(), 2);
}

/// Reads to the end or the first error (as its message).
fn read_all(mut r: UsageReader<'_, &[u8]>) -> Vec<std::result::Result<CsvRecord, String>> {
    let mut out = Vec::new();
    loop {
        let mut rec = CsvRecord::default();
        match r.next_record(&mut rec) {
            Ok(true) => out.push(Ok(rec)),
            Ok(false) => return out,
            Err(e) => {
                out.push(Err(e.to_string()));
                return out;
            }
        }
    }
}

/// A file read in two parts, each from its first line (past the header, as
/// the CLI reads a book in blocks), gives the records, line numbers and
/// errors of the whole file read at once, wherever it is cut.
#[test]
fn parts_read_from_their_first_lines_match_the_whole_file() {
    let m = crate::bundled::matrix("spec-m").unwrap();
    let body = [
        "acme,2026-03-01T00:00:00Z,capacity,aws,hot,500",
        "",
        "\"Acme, Inc.\",2026-03-01T00:00:00Z,compute,on-prem,hot,1.5",
        "\r",
        "acme,2026-03-01T01:00:00Z,capacity,azure,archive,.25\r",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,x",
        "acme,2026-03-01T03:00:00Z,capacity,aws,hot,1",
    ]
    .join("\n");
    let whole = format!("customer,{HEADER}\n{body}\n");
    let want = read_all(UsageReader::new(whole.as_bytes(), "b.csv", &m).unwrap());
    assert_eq!(want.len(), 4);
    assert_eq!(
        want[3],
        Err(
            "b.csv:7: invalid quantity `x` (expected a non-negative decimal such as 500 or 0.25)"
                .into()
        )
    );
    let records = Start::Records { customer: true };
    let body = format!("{body}\n");
    for (cut, _) in body.match_indices('\n') {
        let (a, b) = body.split_at(cut + 1);
        let second = 2 + a.matches('\n').count() as u64;
        let mut got =
            read_all(UsageReader::from_line(a.as_bytes(), "b.csv", &m, 2, records).unwrap());
        if got.last().is_none_or(|r| r.is_ok()) {
            got.extend(read_all(
                UsageReader::from_line(b.as_bytes(), "b.csv", &m, second, records).unwrap(),
            ));
        }
        assert_eq!(got, want, "cut after byte {cut}");
    }
}

#[test]
fn a_header_past_line_one_is_numbered_from_there() {
    let m = crate::bundled::matrix("spec-m").unwrap();
    let err = |src: &str| {
        UsageReader::from_line(src.as_bytes(), "p.csv", &m, 10, Start::Header)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("\n\n"),
        "p.csv:10: empty file: expected the header `timestamp,meter,environment,use_case,quantity`"
    );
    // A byte order mark belongs only at the start of a file.
    assert!(err(&format!("\n\u{feff}{HEADER}\n")).starts_with("p.csv:11: expected the header"));
    let src = format!("{HEADER}\n2026-03-01T00:00:00Z,capacity,aws,hot,5\n");
    let mut r = UsageReader::from_line(src.as_bytes(), "p.csv", &m, 10, Start::Header).unwrap();
    assert!(!r.has_customer());
    let mut rec = CsvRecord::default();
    assert!(r.next_record(&mut rec).unwrap());
    assert_eq!((rec.line, r.line()), (11, 11));
}

/// The canonical timestamp's fast path (the date of the last canonical
/// timestamp, then only the hour digits) reads what the full parser reads,
/// and leaves every other text to it, errors included.
#[test]
fn timestamps_after_a_canonical_one_on_the_same_date() {
    let h = HEADER;
    let first = "2026-03-01T00:00:00Z,capacity,aws,hot,1";
    let good: &[(&str, &str)] = &[
        ("2026-03-01T23:00:00Z", "2026-03-01T23:00:00Z"),
        ("2026-03-01T05:00:00+02:00", "2026-03-01T03:00:00Z"),
        ("2026-03-01t07:00:00z", "2026-03-01T07:00:00Z"),
        ("2026-03-01 08:00:00Z", "2026-03-01T08:00:00Z"),
        ("2026-03-01T09:00:00.000Z", "2026-03-01T09:00:00Z"),
        ("2026-03-02T01:00:00Z", "2026-03-02T01:00:00Z"),
    ];
    for (ts, want) in good {
        let rows = records(&format!("{h}\n{first}\n{ts},capacity,aws,hot,1\n"));
        assert_eq!(rows[1].1, *want, "{ts}");
    }
    let bad: &[(&str, &str)] = &[
        ("2026-03-01T24:00:00Z", "u.csv:3: invalid timestamp `2026-03-01T24:00:00Z` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
        ("2026-03-01T29:00:00Z", "u.csv:3: invalid timestamp `2026-03-01T29:00:00Z` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
        ("2026-03-01T0a:00:00Z", "u.csv:3: invalid timestamp `2026-03-01T0a:00:00Z` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
        ("2026-03-01T05:00:00ZZ", "u.csv:3: invalid timestamp `2026-03-01T05:00:00ZZ` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
        ("2026-03-01T05:00:01Z", "u.csv:3: timestamp `2026-03-01T05:00:01Z` is not on the hour (UTC)"),
        ("2026-03-32T05:00:00Z", "u.csv:3: invalid timestamp `2026-03-32T05:00:00Z` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)"),
    ];
    for (ts, want) in bad {
        let got = read(&format!("{h}\n{first}\n{ts},capacity,aws,hot,1\n"))
            .unwrap_err()
            .to_string();
        assert_eq!(&got, want, "{ts}");
    }
}

/// The reader's short-text equality against `==`, for every length up to
/// 24 bytes and a difference at every position (and none).
#[test]
fn short_text_equality_agrees_with_slice_equality() {
    let a: Vec<u8> = (b'a'..=b'x').collect();
    for n in 0..=a.len() {
        let x = &a[..n];
        assert!(line::same(x, x), "length {n}");
        for k in 0..n {
            let mut y = x.to_vec();
            y[k] = b'#';
            assert_eq!(line::same(x, &y), x == y.as_slice(), "length {n}, byte {k}");
            assert!(!line::same(x, &y), "length {n}, byte {k}");
        }
        if n > 0 {
            assert!(!line::same(x, &a[..n - 1]), "lengths {n} and {}", n - 1);
        }
    }
}
