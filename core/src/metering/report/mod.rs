//! The marketplace's own report against what was sent. unitcalc reads the
//! marketplaces' own formats ([`native`]), detected from the content:
//!
//! | format | what it is |
//! |---|---|
//! | `aws` | AWS `BatchMeterUsage` response JSON (`Results[]`, `UnprocessedRecords[]`) |
//! | `azure-events` | Azure `batchUsageEvent` response JSON (`result[]` with `status`) |
//! | `azure-report` | Azure's usage-events report CSV (`reconStatus`, `submittedQuantity`, `processedQuantity`, …) |
//! | `gcp-log` | Google Cloud usage log CSV (`Time, operationID, startTime, endTime, consumerId, metricName, metricValue`) |
//! | `unitcalc` | unitcalc's own small CSV, `timestamp,dimension,quantity,status` |
//!
//! Each is read into [`ReportRow`]s: an hour, a dimension, a whole
//! quantity and what the marketplace said ([`Status`]). Each (hour,
//! dimension) sent is then **matched** (one accepted row, same quantity),
//! **mismatched** (one accepted row, another quantity), **rejected** (one
//! row, rejected), **duplicate** (more than one row, or the marketplace
//! called it a duplicate) or **missing** (no row); a row for an hour and
//! dimension that was not sent is **unexpected**. Each has a money effect:
//! (billed − sent) × the dimension's price, where what is billed is the first
//! accepted write (first write wins).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Origin, Result};
use crate::formats::csv_line;
use crate::num::Money;
use crate::time::Hour;

use super::meter::MeterRecord;
use super::plan::MeteringPlan;
use super::requests::Window;

pub mod native;

pub use native::{detect, read, ReportFormat};

/// The header of unitcalc's own report CSV.
pub const REPORT_HEADER: &str = "timestamp,dimension,quantity,status";

/// What the marketplace said of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Accepted (billed).
    Accepted,
    /// Refused.
    Rejected,
    /// Refused as a second write of an hour and dimension already written
    /// (the first write stands).
    Duplicate,
}

/// What one row of a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Span {
    /// One hour (every format but Azure's daily report).
    Hour,
    /// One UTC day (Azure's usage-events report by `usageDate`): compared
    /// with what was sent that day, added up.
    Day,
}

/// One row of a marketplace report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// The hour (for a day: its first hour).
    pub hour: Hour,
    /// An hour or a day.
    pub span: Span,
    /// The dimension's name.
    pub dimension: String,
    /// The quantity it saw.
    pub quantity: u64,
    /// Accepted, rejected or a duplicate.
    pub status: Status,
}

/// Reads unitcalc's own report CSV; errors name `file`, the line and the
/// value.
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
        Some((_, h))
            if h.trim_start_matches('\u{feff}').trim_end_matches('\r') == REPORT_HEADER => {}
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
        let fields = csv_line::fields(line).map_err(|e| bad(i, e.message(&clip(line))))?;
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
            "duplicate" => Status::Duplicate,
            s => {
                return Err(bad(
                    i,
                    format!(
                        "status `{}` (expected \"accepted\", \"rejected\" or \"duplicate\")",
                        clip(s)
                    ),
                ))
            }
        };
        rows.push(ReportRow {
            hour,
            span: Span::Hour,
            dimension: dim.clone(),
            quantity,
            status,
        });
    }
    Ok(rows)
}

/// Report fields are quoted longer than deal values: 40 characters.
pub(crate) fn clip(s: &str) -> String {
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
    /// More than one row in the report, or one the marketplace called a
    /// duplicate.
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

/// One hour (or day) and dimension: what was sent, what the report says,
/// what it does to the money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportCheck {
    /// The hour (for a day: its first hour).
    pub hour: Hour,
    /// An hour or a day.
    pub span: Span,
    /// The dimension's name.
    pub dimension: String,
    /// The quantity sent, if any.
    pub sent: Option<u64>,
    /// The report's quantities for it, in report order.
    pub reported: Vec<u64>,
    /// What became of it.
    pub outcome: Outcome,
    /// The quantity the marketplace bills: the first accepted write.
    pub billed: u64,
    /// (billed − sent) × the dimension's price: what the marketplace bills
    /// beyond (or, negative, short of) what was sent; `None` for a dimension
    /// the plan does not list (no price).
    pub effect: Option<Money>,
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
/// let checks = check_report(&plan, &sent, Window::default(), &report).unwrap();
/// assert_eq!(checks.iter().map(|c| c.outcome).collect::<Vec<_>>(), [Outcome::Matched, Outcome::Missing]);
/// // The missing hour: 8 cents sent, none billed.
/// assert_eq!(checks[1].effect.unwrap().to_string(), "-0.08");
/// ```
pub fn check_report(
    plan: &MeteringPlan,
    records: &[MeterRecord],
    window: Window,
    report: &[ReportRow],
) -> Result<Vec<ReportCheck>> {
    type Key = (Hour, String);
    // A daily report (Azure's by `usageDate`) is compared day by day.
    let daily = report.iter().any(|r| r.span == Span::Day);
    if daily && report.iter().any(|r| r.span == Span::Hour) {
        return Err(Error::Metering {
            message: "a daily report (Azure's usageDate) cannot be checked together with hourly ones: check them in two runs".into(),
        });
    }
    let span = if daily { Span::Day } else { Span::Hour };
    let mut sent: BTreeMap<Key, u64> = BTreeMap::new();
    for r in records.iter().filter(|r| window.contains(r.hour)) {
        if let Some(d) = plan.dimensions.get(r.dimension) {
            let at = if daily {
                r.hour.date().start_hour()
            } else {
                r.hour
            };
            let q = sent.entry((at, d.name.clone())).or_insert(0);
            *q = q.checked_add(r.quantity).ok_or(crate::num::Overflow {
                what: "metered quantity",
            })?;
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
            let first_accepted = rows
                .iter()
                .find(|r| r.status == Status::Accepted)
                .map(|r| r.quantity);
            let flagged = rows.iter().any(|r| r.status == Status::Duplicate);
            let outcome = match (s, rows) {
                (None, _) => Outcome::Unexpected,
                (Some(_), []) => Outcome::Missing,
                (Some(_), [_, _, ..]) => Outcome::Duplicate,
                (Some(_), [_]) if flagged => Outcome::Duplicate,
                (Some(q), [row]) => match row.status {
                    Status::Accepted if row.quantity == q => Outcome::Matched,
                    Status::Accepted => Outcome::Mismatched,
                    Status::Rejected | Status::Duplicate => Outcome::Rejected,
                },
            };
            // First write wins. A duplicate whose first write is not in the
            // report (the marketplace only said "duplicate") is taken to
            // have billed what was sent.
            let billed = match (first_accepted, flagged) {
                (Some(q), _) => q,
                (None, true) => s.unwrap_or(0),
                (None, false) => 0,
            };
            let effect = plan
                .dimensions
                .iter()
                .find(|d| d.name == key.1)
                .map(|d| effect(billed, s.unwrap_or(0), d.price.get()))
                .transpose()?;
            Ok(ReportCheck {
                hour: key.0,
                span,
                dimension: key.1.clone(),
                sent: s,
                reported: rows.iter().map(|r| r.quantity).collect(),
                outcome,
                billed,
                effect,
            })
        })
        .collect()
}

impl ReportCheck {
    /// The hour as RFC 3339, or the day (`2026-03-13`) for a daily report.
    pub fn when(&self) -> String {
        match self.span {
            Span::Hour => self.hour.to_string(),
            Span::Day => self.hour.date().to_string(),
        }
    }
}

/// (billed − sent) × price, exactly, at least at the price's scale (none
/// is `0.00`).
fn effect(billed: u64, sent: u64, price: Decimal) -> Result<Money> {
    let diff = crate::num::sub(Decimal::from(billed), Decimal::from(sent), "money effect")?;
    let e = crate::num::mul(diff, price, "money effect")?;
    Ok(Money(at_least_scale(e, price.scale())))
}

/// `d` with at least `scale` decimals.
fn at_least_scale(mut d: Decimal, scale: u32) -> Decimal {
    if d.scale() < scale {
        d.rescale(scale);
    }
    d
}

/// Per outcome: how many hours and dimensions, and their money effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeTotal {
    /// The outcome.
    pub outcome: Outcome,
    /// How many hours and dimensions had it.
    pub hours: usize,
    /// Σ of their money effects (those with a price).
    pub effect: Money,
}

/// The totals of `checks`, in [`Outcome::ALL`] order, and the net effect
/// (at least at the scale of the plan's prices: none is `0.00`).
pub fn totals(plan: &MeteringPlan, checks: &[ReportCheck]) -> Result<(Vec<OutcomeTotal>, Money)> {
    let scale = plan
        .dimensions
        .iter()
        .map(|d| d.price.get().scale())
        .max()
        .unwrap_or(0);
    let zero = Decimal::ZERO;
    let mut net = zero;
    let mut out = Vec::with_capacity(Outcome::ALL.len());
    for o in Outcome::ALL {
        let mut sum = zero;
        let mut hours = 0usize;
        for c in checks.iter().filter(|c| c.outcome == o) {
            hours = hours.saturating_add(1);
            if let Some(e) = c.effect {
                sum = crate::num::add(sum, e.get(), "money effect")?;
            }
        }
        net = crate::num::add(net, sum, "money effect")?;
        out.push(OutcomeTotal {
            outcome: o,
            hours,
            effect: Money(at_least_scale(sum, scale)),
        });
    }
    Ok((out, Money(at_least_scale(net, scale))))
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

/// The checks as CSV: `timestamp,dimension,sent,reported,billed,outcome,effect`
/// (several reported quantities joined by `;`; no effect for a dimension
/// the plan does not list).
pub fn checks_csv(checks: &[ReportCheck]) -> String {
    let mut s = String::from("timestamp,dimension,sent,reported,billed,outcome,effect\n");
    for c in checks {
        let reported: Vec<String> = c.reported.iter().map(u64::to_string).collect();
        s.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            c.when(),
            crate::bill_csv::csv_text(&c.dimension),
            c.sent.map_or_else(String::new, |q| q.to_string()),
            reported.join(";"),
            c.billed,
            c.outcome.as_str(),
            c.effect.map_or_else(String::new, |e| e.to_string())
        ));
    }
    s
}
