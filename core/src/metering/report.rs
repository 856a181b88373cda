//! The marketplace's own report against what was sent. A report is a CSV
//! file written from the marketplace's usage report or its responses, one
//! row per record it saw:
//!
//! ```text
//! timestamp,dimension,quantity,status
//! 2026-03-13T00:00:00Z,overage_usd_cents,7,accepted
//! ```
//!
//! `timestamp` the UTC hour (RFC 3339), `quantity` a whole number, `status`
//! `accepted` or `rejected`. Each (hour, dimension) sent is then **matched**
//! (one accepted row, same quantity), **mismatched** (one accepted row,
//! another quantity), **rejected** (one row, rejected), **duplicate** (more
//! than one row) or **missing** (no row); a row for an hour and dimension
//! that was not sent is **unexpected**.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Error, Origin, Result};
use crate::time::Hour;

use super::meter::MeterRecord;
use super::plan::MeteringPlan;
use super::requests::Window;

/// The report's header.
pub const REPORT_HEADER: &str = "timestamp,dimension,quantity,status";

/// What the marketplace said of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Accepted (billed).
    Accepted,
    /// Refused.
    Rejected,
}

/// One row of a marketplace report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// The hour.
    pub hour: Hour,
    /// The dimension's name.
    pub dimension: String,
    /// The quantity it saw.
    pub quantity: u64,
    /// Accepted or rejected.
    pub status: Status,
}

/// Reads a report CSV; errors name `file`, the line and the value.
///
/// ```
/// use unitcalc_core::metering::report::read_report;
/// let rows = read_report("timestamp,dimension,quantity,status\n2026-03-13T00:00:00Z,d,7,accepted\n", "r.csv").unwrap();
/// assert_eq!(rows[0].quantity, 7);
/// assert_eq!(
///     read_report("timestamp,dimension,quantity,status\n2026-03-13T00:00:00Z,d,7.5,accepted\n", "r.csv").unwrap_err().to_string(),
///     "r.csv:2: quantity `7.5` is not a whole number"
/// );
/// ```
pub fn read_report(text: &str, file: &str) -> Result<Vec<ReportRow>> {
    let mut lines = text.lines().enumerate();
    let at = |i: usize| Origin::line(file, u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX));
    let bad = |i: usize, message: String| Error::Csv { at: at(i), message };
    match lines.next() {
        Some((_, h)) if h.trim_end_matches('\r') == REPORT_HEADER => {}
        Some((i, h)) => {
            return Err(bad(
                i,
                format!("the header must be `{REPORT_HEADER}`, got `{}`", clip(h)),
            ))
        }
        None => {
            return Err(bad(
                0,
                format!("empty report: expected the header `{REPORT_HEADER}`"),
            ))
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields = split(line).ok_or_else(|| bad(i, "an unclosed quote".into()))?;
        let [ts, dim, q, status] = fields.as_slice() else {
            return Err(bad(i, format!("expected 4 fields, got {}", fields.len())));
        };
        let hour = Hour::parse_rfc3339(ts)
            .map_err(|e| bad(i, format!("timestamp `{}`: {e}", clip(ts))))?;
        let quantity = q
            .parse::<u64>()
            .map_err(|_| bad(i, format!("quantity `{}` is not a whole number", clip(q))))?;
        let status = match status.as_str() {
            "accepted" => Status::Accepted,
            "rejected" => Status::Rejected,
            s => {
                return Err(bad(
                    i,
                    format!(
                        "status `{}` (expected \"accepted\" or \"rejected\")",
                        clip(s)
                    ),
                ))
            }
        };
        rows.push(ReportRow {
            hour,
            dimension: dim.clone(),
            quantity,
            status,
        });
    }
    Ok(rows)
}

/// The fields of a CSV line; `None` for an unclosed quote.
fn split(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    out.push(cur);
    Some(out)
}

/// Report fields are quoted longer than deal values: 40 characters.
fn clip(s: &str) -> String {
    crate::error::clip_to(s, 40)
}

/// What became of one hour and dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// One accepted row with the quantity sent.
    Matched,
    /// Sent, not in the report.
    Missing,
    /// More than one row in the report.
    Duplicate,
    /// One row, rejected.
    Rejected,
    /// One accepted row with another quantity.
    Mismatched,
    /// In the report, never sent.
    Unexpected,
}

impl Outcome {
    /// Every outcome, in the order summaries list them.
    pub const ALL: [Outcome; 6] = [
        Outcome::Matched,
        Outcome::Missing,
        Outcome::Duplicate,
        Outcome::Rejected,
        Outcome::Mismatched,
        Outcome::Unexpected,
    ];

    /// `matched`, `missing`, `duplicate`, `rejected`, `mismatched` or
    /// `unexpected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Matched => "matched",
            Outcome::Missing => "missing",
            Outcome::Duplicate => "duplicate",
            Outcome::Rejected => "rejected",
            Outcome::Mismatched => "mismatched",
            Outcome::Unexpected => "unexpected",
        }
    }
}

/// One hour and dimension: what was sent, what the report says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportCheck {
    /// The hour.
    pub hour: Hour,
    /// The dimension's name.
    pub dimension: String,
    /// The quantity sent, if any.
    pub sent: Option<u64>,
    /// The report's quantities for it, in report order.
    pub reported: Vec<u64>,
    /// What became of it.
    pub outcome: Outcome,
}

/// Checks `report` against the records sent in `window`, in time order
/// (then dimension name).
///
/// ```
/// use unitcalc_core::metering::{report::{check_report, read_report, Outcome}, MeterRecord, Window};
/// # use unitcalc_core::metering::*; use unitcalc_core::time::Hour;
/// # let plan = MeteringPlan { offer: 0, identifiers: Identifiers::Aws { product_code: "p".into(), customer_identifier: "c".into() },
/// #   dimensions: vec![Dimension { name: "d".into(), unit: DimensionUnit::Money, price: "0.01".parse().unwrap(), cells: vec![] }] };
/// let h = Hour::parse_rfc3339("2026-03-13T00:00:00Z").unwrap();
/// let sent = [MeterRecord { dimension: 0, hour: h, quantity: 7 }, MeterRecord { dimension: 0, hour: Hour(h.0 + 1), quantity: 8 }];
/// let report = read_report("timestamp,dimension,quantity,status\n2026-03-13T00:00:00Z,d,7,accepted\n", "r.csv").unwrap();
/// let checks = check_report(&plan, &sent, Window::default(), &report);
/// assert_eq!(checks.iter().map(|c| c.outcome).collect::<Vec<_>>(), [Outcome::Matched, Outcome::Missing]);
/// ```
pub fn check_report(
    plan: &MeteringPlan,
    records: &[MeterRecord],
    window: Window,
    report: &[ReportRow],
) -> Vec<ReportCheck> {
    type Key = (Hour, String);
    let mut sent: BTreeMap<Key, u64> = BTreeMap::new();
    for r in records.iter().filter(|r| window.contains(r.hour)) {
        if let Some(d) = plan.dimensions.get(r.dimension) {
            sent.insert((r.hour, d.name.clone()), r.quantity);
        }
    }
    let mut seen: BTreeMap<Key, Vec<&ReportRow>> = BTreeMap::new();
    for row in report {
        seen.entry((row.hour, row.dimension.clone()))
            .or_default()
            .push(row);
    }
    let mut keys: Vec<&Key> = sent.keys().chain(seen.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|key| {
            let s = sent.get(key).copied();
            let rows = seen.get(key).map_or(&[][..], Vec::as_slice);
            let outcome = match (s, rows) {
                (None, _) => Outcome::Unexpected,
                (Some(_), []) => Outcome::Missing,
                (Some(q), [row]) => match row.status {
                    Status::Rejected => Outcome::Rejected,
                    Status::Accepted if row.quantity == q => Outcome::Matched,
                    Status::Accepted => Outcome::Mismatched,
                },
                (Some(_), _) => Outcome::Duplicate,
            };
            ReportCheck {
                hour: key.0,
                dimension: key.1.clone(),
                sent: s,
                reported: rows.iter().map(|r| r.quantity).collect(),
                outcome,
            }
        })
        .collect()
}

/// How many hours and dimensions had each outcome, in [`Outcome::ALL`]
/// order.
pub fn counts(checks: &[ReportCheck]) -> Vec<(Outcome, usize)> {
    Outcome::ALL
        .into_iter()
        .map(|o| (o, checks.iter().filter(|c| c.outcome == o).count()))
        .collect()
}

/// How many hours and dimensions had each outcome, as JSON writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    /// Matched.
    pub matched: usize,
    /// Missing.
    pub missing: usize,
    /// Duplicate.
    pub duplicate: usize,
    /// Rejected.
    pub rejected: usize,
    /// Mismatched.
    pub mismatched: usize,
    /// Unexpected.
    pub unexpected: usize,
}

impl Counts {
    /// The counts of `checks`.
    pub fn of(checks: &[ReportCheck]) -> Counts {
        let n = |o: Outcome| checks.iter().filter(|c| c.outcome == o).count();
        Counts {
            matched: n(Outcome::Matched),
            missing: n(Outcome::Missing),
            duplicate: n(Outcome::Duplicate),
            rejected: n(Outcome::Rejected),
            mismatched: n(Outcome::Mismatched),
            unexpected: n(Outcome::Unexpected),
        }
    }
}

/// The checks as CSV: `timestamp,dimension,sent,reported,outcome`
/// (several reported quantities joined by `;`).
pub fn checks_csv(checks: &[ReportCheck]) -> String {
    let mut s = String::from("timestamp,dimension,sent,reported,outcome\n");
    for c in checks {
        let reported: Vec<String> = c.reported.iter().map(u64::to_string).collect();
        s.push_str(&format!(
            "{},{},{},{},{}\n",
            c.hour,
            crate::bill_csv::csv_text(&c.dimension),
            c.sent.map_or_else(String::new, |q| q.to_string()),
            reported.join(";"),
            c.outcome.as_str()
        ));
    }
    s
}
