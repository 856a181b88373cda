//! The tidy bill CSV: one row per customer × period × line, for spreadsheets
//! and Tableau. The one CSV layout of a bill, written by the command line
//! (`quote`, `reprice`) and the browser's export alike.
//!
//! Columns ([`COLUMNS`]): `customer, matrix, matrix_version, offer,
//! offer_kind, period, line_kind, description, meter, environment, use_case,
//! quantity_hours, units, unit_price, amount, currency`. Decimals are the
//! bill's exact values: quantities and units without trailing zeros (as in
//! the JSON bill), prices and amounts as priced; nothing is rounded here.
//! A line without a cell (a fee, an installment) leaves the cell columns,
//! quantity, units and unit price empty.
//!
//! Quoting follows RFC 4180 as spreadsheets read it: a field holding a comma,
//! a double quote, a carriage return or a line feed is quoted, its quotes
//! doubled; rows end with `\n`.
//!
//! CSV injection: a text field (names, descriptions, ids; every column but
//! the four numeric ones) that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is written with a leading `'` ([`text_field`]), so a
//! spreadsheet shows it as text instead of running it as a formula. The
//! numeric columns (`quantity_hours`, `units`, `unit_price`, `amount`) are
//! the core's own decimals and are written as they are, so a negative
//! amount stays the number `-2.10`. Every CSV the tools write uses this rule.
//!
//! ```
//! use unitcalc_core::{bill_csv, engine, usage_csv};
//! use unitcalc_core::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
//! use unitcalc_core::time::{Date, Term};
//! let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
//! let terms = DealTerms {
//!     term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(),
//!     channel: Channel::Direct,
//! };
//! let offer = Offer {
//!     name: "PAYG".into(),
//!     kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }),
//! };
//! let usage = usage_csv::read_usage(
//!     b"timestamp,meter,environment,use_case,quantity\n2026-03-01T00:00:00Z,capacity,azure,hot,200.0\n",
//!     "usage.csv", &matrix, &terms.term,
//! ).unwrap();
//! let bill = engine::price(&matrix, &terms, &offer, &usage).unwrap();
//! let csv = bill_csv::to_csv([("acme", &bill)]);
//! let mut rows = csv.lines();
//! assert_eq!(rows.next(), Some(bill_csv::COLUMNS.join(",").as_str()));
//! assert_eq!(
//!     rows.next(),
//!     Some("acme,spec-m,1,PAYG,pay-as-you-go,2026-03,pay-as-you-go,Usage capacity/azure/hot,capacity,azure,hot,200,0.375,0.8000,0.30,USD")
//! );
//! assert_eq!(rows.next(), None);
//! ```

use std::borrow::Cow;
use std::io;

use rust_decimal::Decimal;

use crate::bill::Bill;

/// The header: the sixteen column names, in order.
pub const COLUMNS: [&str; 16] = [
    "customer",
    "matrix",
    "matrix_version",
    "offer",
    "offer_kind",
    "period",
    "line_kind",
    "description",
    "meter",
    "environment",
    "use_case",
    "quantity_hours",
    "units",
    "unit_price",
    "amount",
    "currency",
];

/// The whole CSV: the header, then every line of every bill, in the order
/// given. `customer` fills the first column of that bill's rows (the command
/// line writes the deal name for a quote and the customer for a book).
///
/// ```
/// use unitcalc_core::bill_csv;
/// let none: [(&str, &unitcalc_core::bill::Bill); 0] = [];
/// assert_eq!(
///     bill_csv::to_csv(none),
///     "customer,matrix,matrix_version,offer,offer_kind,period,line_kind,description,\
///      meter,environment,use_case,quantity_hours,units,unit_price,amount,currency\n"
/// );
/// ```
pub fn to_csv<'a>(bills: impl IntoIterator<Item = (&'a str, &'a Bill)>) -> String {
    let mut out = header();
    for (customer, b) in bills {
        push_rows(&mut out, customer, b);
    }
    out
}

/// One bill's CSV with its fingerprints: the sixteen [`COLUMNS`], then the
/// five [`crate::evidence::DIGEST_COLUMNS`] (the bill's and its inputs'
/// SHA-256, the same on every row), as `unitcalc quote -f csv --evidence`
/// and the browser's bill export write it.
///
/// ```
/// use unitcalc_core::{bill_csv, bundled, deal::{DealSpec, FieldLabels}, evidence, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let bill = &quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap().comparison.bills[0];
/// let e = evidence::BillEvidence::of(&m, &deal, &usage, bill).unwrap();
/// let csv = bill_csv::to_csv_with_digests("acme", bill, &e);
/// assert!(csv.lines().next().unwrap().ends_with(",currency,bill_sha256,matrix_sha256,deal_sha256,usage_sha256,engine_sha256"));
/// assert!(csv.lines().nth(1).unwrap().ends_with(&e.columns().join(",")));
/// ```
pub fn to_csv_with_digests(
    customer: &str,
    b: &Bill,
    digests: &crate::evidence::BillEvidence,
) -> String {
    let mut out = COLUMNS.join(",");
    for c in crate::evidence::DIGEST_COLUMNS {
        out.push(',');
        out.push_str(c);
    }
    out.push('\n');
    push_rows_with(&mut out, customer, b, &digests.tail());
    out
}

/// Streams the same text as [`to_csv`] to `w`, one bill's rows at a time
/// (a book of thousands of bills never sits in memory as text). The only
/// errors are `w`'s own.
///
/// ```
/// use unitcalc_core::bill_csv;
/// let mut out = Vec::new();
/// let none: [(&str, &unitcalc_core::bill::Bill); 0] = [];
/// bill_csv::write_csv(&mut out, none).unwrap();
/// assert_eq!(out, bill_csv::to_csv(none).into_bytes());
/// ```
pub fn write_csv<'a, W: io::Write>(
    w: &mut W,
    bills: impl IntoIterator<Item = (&'a str, &'a Bill)>,
) -> io::Result<()> {
    let mut buf = header();
    for (customer, b) in bills {
        push_rows(&mut buf, customer, b);
        w.write_all(buf.as_bytes())?;
        buf.clear();
    }
    w.write_all(buf.as_bytes())
}

/// A text field as it is written to a CSV: with a leading `'` when it
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return (which a
/// spreadsheet would read as a formula), else as it is. Not for numbers.
///
/// ```
/// use unitcalc_core::bill_csv::text_field;
/// assert_eq!(text_field("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(text_field("Fixed 500 TB"), "Fixed 500 TB");
/// ```
pub fn text_field(f: &str) -> Cow<'_, str> {
    if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{f}"))
    } else {
        Cow::Borrowed(f)
    }
}

/// A text field as written to a CSV: guarded against formulas
/// ([`text_field`]) and quoted when needed.
pub(crate) fn csv_text(f: &str) -> String {
    let mut out = String::new();
    push_field(&mut out, &text_field(f));
    out
}

/// The header row with its line end.
fn header() -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    out
}

/// Every row of `b` as its sixteen fields, in [`COLUMNS`] order: the text
/// as it is (neither guarded against formulas nor quoted), for tables that
/// are not CSV text (the Python package's Arrow tables).
///
/// ```
/// use unitcalc_core::{bundled, engine, offer::*, time::*, usage::UsageSeries};
/// let m = bundled::matrix("spec-m").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(m.cell("capacity", "azure", "hot").unwrap(), vec!["200".parse().unwrap(); term.hours()]);
/// let offer = Offer { name: "=o".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
/// let bill = engine::price(&m, &DealTerms { term, channel: Channel::Direct }, &offer, &usage).unwrap();
/// let rows = unitcalc_core::bill_csv::rows("acme", &bill);
/// assert_eq!(rows[0][3], "=o"); // the CSV writes '=o
/// assert_eq!(rows[0][14], "279.00"); // 200 TB × 744 h × 0.0015 × 1.25 at 1.00
/// ```
pub fn rows(customer: &str, b: &Bill) -> Vec<[String; 16]> {
    let mut out = Vec::new();
    each_row(customer, b, |fields| {
        out.push(fields.map(|(_, f)| f.to_string()));
    });
    out
}

/// Calls `f` with each row of `b`: (is text, value) per column.
fn each_row(customer: &str, b: &Bill, mut f: impl FnMut([(bool, &str); 16])) {
    for p in &b.periods {
        for l in &p.lines {
            let (meter, env, use_case) = l.cell.as_ref().map_or(("", "", ""), |c| {
                (
                    c.meter.as_str(),
                    c.environment.as_str(),
                    c.use_case.as_str(),
                )
            });
            // (text, value): text fields are guarded against formulas,
            // the numeric columns are written as they are.
            f([
                (true, customer),
                (true, &b.matrix),
                (true, &b.matrix_version),
                (true, &b.offer),
                (true, &b.offer_kind),
                (true, &p.label),
                (true, l.kind.as_str()),
                (true, &l.description),
                (true, meter),
                (true, env),
                (true, use_case),
                (false, &normalized(l.quantity_hours.map(|q| q.get()))),
                (false, &normalized(l.units.map(|u| u.get()))),
                (
                    false,
                    &l.unit_price.map(|p| p.to_string()).unwrap_or_default(),
                ),
                (false, &l.amount.to_string()),
                (true, &b.currency),
            ]);
        }
    }
}

/// Appends one row per period × line of `b`.
fn push_rows(out: &mut String, customer: &str, b: &Bill) {
    push_rows_with(out, customer, b, "");
}

/// [`push_rows`] with `tail` (`,` and more fields, already CSV) after each row.
fn push_rows_with(out: &mut String, customer: &str, b: &Bill, tail: &str) {
    each_row(customer, b, |fields| {
        for (i, (text, f)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if *text {
                push_field(out, &text_field(f));
            } else {
                push_field(out, f);
            }
        }
        out.push_str(tail);
        out.push('\n');
    });
}

/// A quantity or units without trailing zeros, as in the JSON bill: the same
/// exact value. Empty when absent.
fn normalized(v: Option<Decimal>) -> String {
    v.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// One CSV row of text fields and its line end (the project's CSV rules,
/// for every CSV the core writes).
pub(crate) fn push_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f);
    }
    out.push('\n');
}

/// One field, quoted when it holds a comma, a quote or a line break.
pub(crate) fn push_field(out: &mut String, f: &str) {
    if f.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bill::LineKind;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        // (field, written)
        let table = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
            ("Prepaid 1,500 units", "\"Prepaid 1,500 units\""),
            ("20% off; ünïcode", "20% off; ünïcode"),
        ];
        for (f, want) in table {
            let mut out = String::new();
            push_field(&mut out, f);
            assert_eq!(out, want, "{f:?}");
        }
    }

    /// Text fields that a spreadsheet would run as a formula get a `'`;
    /// (field, written).
    #[test]
    fn text_fields_are_not_formulas() {
        let table = [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("a=b", "a=b"),
            (" =x", " =x"),
            ("'quoted", "'quoted"),
            ("Fixed 500 TB", "Fixed 500 TB"),
            ("", ""),
        ];
        for (f, want) in table {
            assert_eq!(text_field(f), want, "{f:?}");
        }
    }

    /// A whole bill: names that look like formulas are written as text, and
    /// every numeric column, a negative amount too, stays a number.
    #[test]
    fn a_bill_with_formula_names_keeps_its_numbers() {
        use crate::deal::DealSpec;
        let m = crate::bundled::matrix("spec-m").unwrap();
        let mut spec = DealSpec::example();
        spec.offers[0].name = "=cmd|' /C calc'!A0".into();
        let deal = spec.resolve(&m, &crate::deal::FieldLabels).unwrap();
        let usage = crate::quote::usage_of::<crate::Error>(&deal, |_| unreachable!()).unwrap();
        let q = crate::quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
        let mut bill = q.comparison.bills[0].clone();
        let line = &mut bill.periods[0].lines[0];
        line.amount = "-2.10".parse().unwrap();
        line.description = "-credit".into();
        let csv = to_csv([("@acme", &bill)]);
        let row = csv.lines().nth(1).unwrap();
        assert!(
            row.starts_with(
                "'@acme,spec-m,1,'=cmd|' /C calc'!A0,fixed-capacity,2026-03,fee,'-credit,"
            ),
            "{row}"
        );
        assert!(row.ends_with(",-2.10,USD"), "{row}");
        // Read back by the csv crate, the amount is the number -2.10.
        let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(rec.get(14), Some("-2.10"));
        assert_eq!(rec.get(3), Some("'=cmd|' /C calc'!A0"));
    }

    #[test]
    fn quoting_agrees_with_the_csv_crate() {
        let fields = [
            "",
            " ",
            "a",
            "a,b",
            "\"",
            "\"\"",
            "a\"b",
            "\n",
            "\r\n",
            "x\ry",
            "#c",
            "'q'",
            "tab\there",
            ";",
            "1,500",
            "ü,\"é\"",
            "\u{feff}bom",
        ];
        for f in fields {
            let record = ["c", f, "x"];
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(record).unwrap();
            let want = String::from_utf8(w.into_inner().unwrap()).unwrap();
            let mut got = String::new();
            for (i, f) in record.iter().enumerate() {
                if i > 0 {
                    got.push(',');
                }
                push_field(&mut got, f);
            }
            got.push('\n');
            assert_eq!(got, want, "{f:?}");
        }
    }

    #[test]
    fn line_kind_names_are_the_json_names() {
        for k in [
            LineKind::Fee,
            LineKind::Installment,
            LineKind::Commitment,
            LineKind::PayAsYouGo,
            LineKind::Overage,
        ] {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
    }
}
