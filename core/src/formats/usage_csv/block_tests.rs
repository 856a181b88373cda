//! The block parser against the streaming reader: every line, good or bad,
//! gives the same records (quantity as mantissa and scale) or the same error.

use super::*;
use crate::time::Hour;

/// (line, customer, customer changed, hour, cell, mantissa, scale)
type Row = (u64, String, bool, Hour, CellId, i128, u32);

/// What the streaming reader makes of `block` (lines from 41 on): its
/// records up to its first error, and that error.
fn by_reader(block: &[u8], m: &Matrix) -> (Vec<Row>, Option<String>) {
    let start = Start::Records { customer: true };
    let mut r = UsageReader::from_line(block, "u.csv", m, 41, start).unwrap();
    let mut rec = CsvRecord::default();
    let mut rows: Vec<Row> = Vec::new();
    loop {
        match r.next_record(&mut rec) {
            Ok(true) => {
                let changed = rows.last().is_none_or(|p| p.1 != rec.customer);
                let (mantissa, scale) = crate::wide::split(rec.quantity.get());
                rows.push((
                    rec.line,
                    rec.customer.clone(),
                    changed,
                    rec.hour,
                    rec.cell,
                    mantissa,
                    scale,
                ));
            }
            Ok(false) => return (rows, None),
            Err(e) => return (rows, Some(e.to_string())),
        }
    }
}

/// What the block parser makes of `block`, read in blocks cut after every
/// `cut` lines (0: one block).
fn by_blocks(block: &[u8], m: &Matrix, cut: usize) -> (Vec<Row>, Option<String>) {
    let mut p = BlockParser::new(m, "u.csv", true);
    let mut rows: Vec<Row> = Vec::new();
    let lines: Vec<&[u8]> = block.split_inclusive(|&b| b == b'\n').collect();
    let chunks: Vec<&[&[u8]]> = if cut == 0 {
        vec![&lines[..]]
    } else {
        lines.chunks(cut).collect()
    };
    let mut first = 41u64;
    for chunk in chunks {
        let bytes: Vec<u8> = chunk.concat();
        let res = p.parse(&bytes, first, |r| -> Result<()> {
            rows.push((
                r.line,
                r.customer.to_string(),
                r.customer_changed,
                r.hour,
                r.cell,
                r.mantissa,
                r.scale,
            ));
            Ok(())
        });
        if let Err(e) = res {
            return (rows, Some(e.to_string()));
        }
        first += chunk.len() as u64;
    }
    (rows, None)
}

#[test]
fn block_parser_reads_as_the_reader_does() {
    let m = crate::bundled::matrix("spec-m").unwrap();
    // Lines that prime the caches (customer, date, cell), then the case.
    let prime = "acme,2026-03-01T00:00:00Z,capacity,aws,hot,500\nacme,2026-03-01T01:00:00Z,capacity,aws,hot,1\n";
    let long = format!(
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,{}",
        "9".repeat(MAX_LINE_BYTES)
    );
    let long_customer = format!(
        "{},2026-03-01T02:00:00Z,capacity,aws,hot,5",
        "c".repeat(MAX_LINE_BYTES)
    );
    let longest = format!(
        "{},2026-03-01T02:00:00Z,capacity,aws,hot,5",
        "c".repeat(MAX_LINE_BYTES - 40)
    );
    let cases: &[&str] = &[
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,454.899",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,454.899\r\nacme,2026-03-01T03:00:00Z,capacity,aws,hot,7\r\n",
        "\n\r\nacme,2026-03-01T02:00:00Z,capacity,aws,hot,.5\n\nacme,2026-03-01T03:00:00Z,capacity,aws,hot,12.\n",
        "\r\r\n",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,0.250\nacme,2026-03-01T03:00:00Z,capacity,aws,hot,0\nacme,2026-03-01T04:00:00Z,capacity,aws,hot,000\n",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,-0",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,-0.5",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,1e3",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,+3",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,.",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot, 5",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,1.2.3",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,123456789012345678",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,1234567890123456789",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,12345678901234567890.123456789",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,0000000000000000000001",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,99999999999999999999999999999",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,\"5\"",
        "\"Acme, Inc.\",2026-03-01T02:00:00Z,\"capacity\",aws,hot,12.\nacme,2026-03-01T03:00:00Z,capacity,aws,hot,1",
        "Ünïcode,2026-03-01T02:00:00Z,capacity,aws,hot,1\nÜnïcode,2026-03-01T03:00:00Z,capacity,aws,hot,2",
        "ac\u{e9}me,2026-03-01T02:00:00Z,capacity,aws,hot,1",
        "acmex,2026-03-01T02:00:00Z,capacity,aws,hot,1\nacm,2026-03-01T02:00:00Z,capacity,aws,hot,1\nacme,2026-03-01T02:00:00Z,capacity,aws,hot,1",
        ",2026-03-01T02:00:00Z,capacity,aws,hot,1",
        "acme",
        "acme,",
        "acme,2026-03-01T02:00:00Z",
        "acme,2026-03-01T02:00:00Z,capacity,aws,500",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,500,1",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hott,5",
        "acme,2026-03-01T02:00:00Z,capacity,aws,archive,5",
        "acme,2026-03-01T02:00:00Z,capacity,azure,hot,5\nacme,2026-03-01T02:00:00Z,capacity,aws,hot,5\nacme,2026-03-01T02:00:00Z,capacity,azure,hot,6",
        "acme,2026-03-01T02:00:00Z,disk,aws,hot,5",
        "acme,2026-03-01T02:00:00Z,capacity,gcp,hot,5",
        "acme,2026-03-01T04:00:00+02:00,capacity,aws,hot,5",
        "acme,2026-03-01T02:00:00.000Z,capacity,aws,hot,5",
        "acme,2026-03-01T01:15:00Z,capacity,aws,hot,5",
        "acme,2026-03-01T24:00:00Z,capacity,aws,hot,5",
        "acme,2026-03-01T2a:00:00Z,capacity,aws,hot,5",
        "acme,2026-02-30T01:00:00Z,capacity,aws,hot,5",
        "acme,2026-03-02T05:00:00Z,capacity,aws,hot,5\nacme,2026-03-02T06:00:00Z,capacity,aws,hot,5\nzeta,2026-03-01T00:00:00Z,capacity,aws,hot,5",
        "acme,2026-03-01T02:00:00Z,cap\"acity,aws,hot,5",
        "\"acme,2026-03-01T02:00:00Z,capacity,aws,hot,5",
        &long,
        &long_customer,
        &longest,
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,5\r",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,5\r\r\nacme,2026-03-01T03:00:00Z,capacity,aws,hot,5",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,5\rx\n",
        "acme,2026\nacme,2026-03-01T02:00:00Z,capacity,aws,hot,5\n",
        "acme,2026-03-01T02:00:00Z,capacity,aws\nacme,2026-03-01T02:00:00Z,capacity,aws,hot,5\n",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,\nacme,2026-03-01T02:00:00Z,capacity,aws,hot,5\n",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,5,\n",
        "acme,2026-03-01T02:00:00Z,capacity,aws,hot,5 \n",
    ];
    for case in cases {
        let mut block = prime.as_bytes().to_vec();
        block.extend_from_slice(case.as_bytes());
        let want = by_reader(&block, &m);
        for cut in [0, 1, 2, 3] {
            assert_eq!(
                by_blocks(&block, &m, cut),
                want,
                "{case:?}, blocks of {cut} lines"
            );
        }
    }
    // Not UTF-8.
    let mut block = prime.as_bytes().to_vec();
    block.extend_from_slice(b"ac\xFFme,2026-03-01T02:00:00Z,capacity,aws,hot,5\n");
    assert_eq!(by_blocks(&block, &m, 0), by_reader(&block, &m));
    assert!(by_blocks(&block, &m, 0)
        .1
        .unwrap()
        .contains("invalid UTF-8"));
}
