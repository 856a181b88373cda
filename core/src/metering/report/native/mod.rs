//! The marketplaces' own report formats, read into [`ReportRow`]s: AWS
//! `BatchMeterUsage` responses, Azure `batchUsageEvent` responses, Azure's
//! usage-events report, Google Cloud's usage log, and unitcalc's own CSV.
//! [`detect`] tells them apart from the content; errors name the file, the
//! line (CSV) or record (JSON), and the value.
//!
//! | format | rows | status |
//! |---|---|---|
//! | `aws` | `Results[].UsageRecord` (`Timestamp`, `Dimension`, `Quantity`); `UnprocessedRecords[]` are not rows (never processed: the hour stays missing) | `Success` accepted, `CustomerNotSubscribed` rejected, `DuplicateRecord` duplicate |
//! | `azure-events` | `result[]` (`effectiveStartTime`, `dimension`, `quantity`) | `Accepted` accepted, `Duplicate` duplicate, `Expired`, `Error`, `ResourceNotFound`, `ResourceNotAuthorized`, `ResourceNotActive`, `InvalidDimension`, `InvalidQuantity`, `BadArgument` rejected |
//! | `azure-report` | one row per line: `effectiveStartTime` (an hour) or `usageDate` (a day, compared with what was sent that day added up), `dimension`, `submittedQuantity`, `processedQuantity`, `reconStatus` | `Accepted` and `Mismatch` accepted at the processed quantity, `Submitted` accepted at the submitted quantity (not reconciled yet), `Rejected` rejected, `Duplicate` duplicate |
//! | `gcp-log` | one row per line: `startTime` (`endTime` one hour later), `metricName` (`SERVICE/DIMENSION`), `metricValue`, `operationID` | accepted; an `operationID` seen before is a duplicate |
//!
//! Rows are matched to what was sent by hour and dimension only: the
//! customer, resource and consumer identifiers are not compared.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::error::{Error, Origin, Result};
use crate::formats::csv_line;
use crate::metering::plan::{Identifiers, MeteringPlan};
use crate::time::Hour;

use super::{clip, read_report, ReportRow, Span, Status, REPORT_HEADER};

/// A report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// unitcalc's own CSV, `timestamp,dimension,quantity,status`.
    Unitcalc,
    /// AWS `BatchMeterUsage` response JSON.
    Aws,
    /// Azure `batchUsageEvent` response JSON.
    AzureEvents,
    /// Azure's usage-events report CSV.
    AzureReport,
    /// Google Cloud usage log CSV.
    GcpLog,
}

impl ReportFormat {
    /// Every format, in the order `--report-format` lists them.
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Aws,
        ReportFormat::AzureEvents,
        ReportFormat::AzureReport,
        ReportFormat::GcpLog,
        ReportFormat::Unitcalc,
    ];

    /// `aws`, `azure-events`, `azure-report`, `gcp-log` or `unitcalc`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Unitcalc => "unitcalc",
            ReportFormat::Aws => "aws",
            ReportFormat::AzureEvents => "azure-events",
            ReportFormat::AzureReport => "azure-report",
            ReportFormat::GcpLog => "gcp-log",
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReportFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        ReportFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ReportFormat::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown report format `{}` (expected {})",
                    clip(s),
                    names.join(", ")
                )
            })
    }
}

/// The format of a report, from its content: JSON with `Results` or
/// `UnprocessedRecords` (AWS) or `result` (Azure events); a CSV header
/// with `reconStatus` (Azure report), with `operationID` and `metricName`
/// (Google Cloud log), or unitcalc's own. `None` when it is none of them.
///
/// ```
/// use unitcalc_core::metering::report::{detect, ReportFormat};
/// assert_eq!(detect("{\"Results\": [], \"UnprocessedRecords\": []}"), Some(ReportFormat::Aws));
/// assert_eq!(detect("Time (UTC),operationID,startTime,endTime,consumerId,metricName,metricValue\n"), Some(ReportFormat::GcpLog));
/// assert_eq!(detect("name = \"a deal\"\n"), None);
/// ```
pub fn detect(text: &str) -> Option<ReportFormat> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        let v: Value = serde_json::from_str(text).ok()?;
        let o = v.as_object()?;
        if o.contains_key("Results") || o.contains_key("UnprocessedRecords") {
            return Some(ReportFormat::Aws);
        }
        return o
            .contains_key("result")
            .then_some(ReportFormat::AzureEvents);
    }
    let header = text.lines().next()?.trim_end_matches('\r');
    if header == REPORT_HEADER {
        return Some(ReportFormat::Unitcalc);
    }
    let names: Vec<String> = csv_line::fields(header)
        .ok()?
        .iter()
        .map(|f| column_name(f))
        .collect();
    let has = |n: &str| names.iter().any(|c| c == n);
    if has("reconstatus") {
        Some(ReportFormat::AzureReport)
    } else if has("operationid") && has("metricname") {
        Some(ReportFormat::GcpLog)
    } else {
        None
    }
}

/// Reads a report in `format` (detected when `None`; a file no format
/// recognises is read as unitcalc's CSV, whose header error says what is
/// expected). `plan` gives Google Cloud's metric prefix (`SERVICE/`).
///
/// ```
/// use unitcalc_core::metering::report::{read, ReportFormat, Status};
/// # use unitcalc_core::metering::*;
/// # let plan = MeteringPlan { offer: 0, identifiers: Identifiers::Aws { product_code: "p".into(), customer_identifier: "c".into() }, dimensions: vec![] };
/// let aws = r#"{"Results": [{"MeteringRecordId": "r1", "Status": "DuplicateRecord",
///   "UsageRecord": {"Timestamp": 1773360000, "CustomerIdentifier": "c", "Dimension": "d", "Quantity": 7}}],
///   "UnprocessedRecords": []}"#;
/// let (format, rows) = read(aws, "r.json", None, &plan).unwrap();
/// assert_eq!((format, rows[0].hour.to_string(), rows[0].status), (ReportFormat::Aws, "2026-03-13T00:00:00Z".to_string(), Status::Duplicate));
/// let bad = aws.replace("DuplicateRecord", "Maybe");
/// assert_eq!(
///     read(&bad, "r.json", None, &plan).unwrap_err().to_string(),
///     "r.json: Results[0].Status `Maybe` (expected Success, CustomerNotSubscribed or DuplicateRecord)"
/// );
/// ```
pub fn read(
    text: &str,
    file: &str,
    format: Option<ReportFormat>,
    plan: &MeteringPlan,
) -> Result<(ReportFormat, Vec<ReportRow>)> {
    let format = format
        .or_else(|| detect(text))
        .unwrap_or(ReportFormat::Unitcalc);
    let rows = match format {
        ReportFormat::Unitcalc => read_report(text, file)?,
        ReportFormat::Aws => aws(text, file)?,
        ReportFormat::AzureEvents => azure_events(text, file)?,
        ReportFormat::AzureReport => azure_report(text, file)?,
        ReportFormat::GcpLog => gcp_log(text, file, plan)?,
    };
    Ok((format, rows))
}

/// A column name as compared: lower case, without a ` (UTC)` suffix.
fn column_name(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    s.strip_suffix("(utc)")
        .map_or(s.clone(), |t| t.trim_end().to_string())
}

// ---- JSON --------------------------------------------------------------

fn json(text: &str, file: &str) -> Result<Value> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| Error::Invalid {
        at: Origin::at(
            file,
            u32::try_from(e.line()).unwrap_or(u32::MAX),
            u32::try_from(e.column()).unwrap_or(u32::MAX),
        ),
        message: {
            let why = e.to_string();
            let why = why.split(" at line ").next().unwrap_or("");
            format!("not valid JSON: {why}")
        },
    })
}

fn invalid(file: &str, message: String) -> Error {
    Error::Invalid {
        at: Origin::file(file),
        message,
    }
}

/// Value text for messages.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => clip(s),
        other => clip(&other.to_string()),
    }
}

/// `o[key]` as an array (absent: empty).
fn array<'v>(o: &'v Value, key: &str, file: &str) -> Result<&'v [Value]> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(v) => Err(invalid(file, format!("{key} `{}` is not a list", shown(v)))),
    }
}

fn string<'v>(o: &'v Value, key: &str, at: &str, file: &str) -> Result<&'v str> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(invalid(file, format!("{at}: no {key}"))),
        Some(v) => Err(invalid(
            file,
            format!("{at}.{key} `{}` is not text", shown(v)),
        )),
    }
}

/// A whole quantity from a JSON number (or a decimal in a string).
fn json_quantity(v: Option<&Value>, at: &str, file: &str) -> Result<u64> {
    let t = match v {
        None | Some(Value::Null) => return Ok(0),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(q) => return Ok(q),
            None => n.to_string(),
        },
        Some(Value::String(s)) => s.clone(),
        Some(v) => {
            return Err(invalid(
                file,
                format!("{at} `{}` is not a number", shown(v)),
            ))
        }
    };
    whole(&t).ok_or_else(|| {
        invalid(
            file,
            format!("{at} `{}` is not a whole number ≥ 0", clip(&t)),
        )
    })
}

/// `s` as a whole number ≥ 0 (`7`, `7.0`).
fn whole(s: &str) -> Option<u64> {
    let d = Decimal::from_str(s.trim()).ok()?;
    if d.is_sign_negative() || !d.fract().is_zero() {
        return None;
    }
    u64::try_from(d.trunc()).ok()
}

/// An hour: RFC 3339 on the hour, or the same without a zone (UTC, as
/// Azure writes it), or seconds since the epoch.
fn hour(s: &str) -> Option<Hour> {
    let s = s.trim();
    if let Ok(h) = Hour::parse_rfc3339(s) {
        return Some(h);
    }
    if let Ok(h) = Hour::parse_rfc3339(&format!("{s}Z")) {
        return Some(h);
    }
    // A day alone (`2026-03-13`): not an hour.
    let secs: i64 = s.parse().ok()?;
    (secs.rem_euclid(3600) == 0).then(|| Hour(secs.div_euclid(3600)))
}

fn json_hour(v: Option<&Value>, at: &str, file: &str) -> Result<Hour> {
    let bad = |v: &Value| {
        invalid(
            file,
            format!(
                "{at} `{}` is not a UTC hour (RFC 3339 or seconds since the epoch, on the hour)",
                shown(v)
            ),
        )
    };
    match v {
        None | Some(Value::Null) => Err(invalid(file, format!("{at}: missing"))),
        Some(v @ Value::String(s)) => hour(s).ok_or_else(|| bad(v)),
        Some(v @ Value::Number(n)) => n
            .as_i64()
            .map(|i| i.to_string())
            .or_else(|| {
                // `1773360000.0`: a whole number of seconds written as a decimal.
                let d = Decimal::from_str(&n.to_string()).ok()?;
                d.fract().is_zero().then(|| d.trunc().to_string())
            })
            .and_then(|t| hour(&t))
            .ok_or_else(|| bad(v)),
        Some(v) => Err(bad(v)),
    }
}

/// AWS `BatchMeterUsage` response: `Results[]`, `UnprocessedRecords[]`.
fn aws(text: &str, file: &str) -> Result<Vec<ReportRow>> {
    let v = json(text, file)?;
    let mut rows = Vec::new();
    for (i, r) in array(&v, "Results", file)?.iter().enumerate() {
        let at = format!("Results[{i}]");
        let status = match string(r, "Status", &at, file)? {
            "Success" => Status::Accepted,
            "CustomerNotSubscribed" => Status::Rejected,
            "DuplicateRecord" => Status::Duplicate,
            s => {
                return Err(invalid(
                    file,
                    format!(
                    "{at}.Status `{}` (expected Success, CustomerNotSubscribed or DuplicateRecord)",
                    clip(s)
                ),
                ))
            }
        };
        let u = r
            .get("UsageRecord")
            .ok_or_else(|| invalid(file, format!("{at}: no UsageRecord")))?;
        let at = format!("{at}.UsageRecord");
        rows.push(ReportRow {
            span: Span::Hour,
            hour: json_hour(u.get("Timestamp"), &format!("{at}.Timestamp"), file)?,
            dimension: string(u, "Dimension", &at, file)?.to_string(),
            quantity: json_quantity(u.get("Quantity"), &format!("{at}.Quantity"), file)?,
            status,
        });
    }
    // Never processed: checked for shape, not rows (the hour stays missing).
    for (i, u) in array(&v, "UnprocessedRecords", file)?.iter().enumerate() {
        let at = format!("UnprocessedRecords[{i}]");
        json_hour(u.get("Timestamp"), &format!("{at}.Timestamp"), file)?;
        string(u, "Dimension", &at, file)?;
    }
    Ok(rows)
}

/// Azure `batchUsageEvent` response: `result[]` with a `status` each.
fn azure_events(text: &str, file: &str) -> Result<Vec<ReportRow>> {
    let v = json(text, file)?;
    let mut rows = Vec::new();
    for (i, r) in array(&v, "result", file)?.iter().enumerate() {
        let at = format!("result[{i}]");
        let status = match string(r, "status", &at, file)? {
            "Accepted" => Status::Accepted,
            "Duplicate" => Status::Duplicate,
            "Expired" | "Error" | "ResourceNotFound" | "ResourceNotAuthorized"
            | "ResourceNotActive" | "InvalidDimension" | "InvalidQuantity" | "BadArgument" => {
                Status::Rejected
            }
            s => {
                return Err(invalid(
                    file,
                    format!(
                        "{at}.status `{}` (expected Accepted, Duplicate, Expired, Error, ResourceNotFound, ResourceNotAuthorized, ResourceNotActive, InvalidDimension, InvalidQuantity or BadArgument)",
                        clip(s)
                    ),
                ))
            }
        };
        rows.push(ReportRow {
            span: Span::Hour,
            hour: json_hour(
                r.get("effectiveStartTime"),
                &format!("{at}.effectiveStartTime"),
                file,
            )?,
            dimension: string(r, "dimension", &at, file)?.to_string(),
            quantity: json_quantity(r.get("quantity"), &format!("{at}.quantity"), file)?,
            status,
        });
    }
    Ok(rows)
}

// ---- CSV ---------------------------------------------------------------

/// A small CSV with a header: column names as compared ([`column_name`])
/// and each row with its line number.
struct Csv<'a> {
    file: &'a str,
    columns: Vec<String>,
    header: String,
    rows: Vec<(u32, Vec<String>)>,
}

impl<'a> Csv<'a> {
    fn read(text: &str, file: &'a str) -> Result<Csv<'a>> {
        let mut lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .zip(1u32..)
            .map(|(l, n)| (n, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.is_empty());
        let bad = |n: u32, m: String| Error::Csv {
            at: Origin::line(file, n),
            message: m,
        };
        let (n, header) = lines
            .next()
            .ok_or_else(|| bad(1, "empty report: expected a header".into()))?;
        let columns: Vec<String> = csv_line::fields(header)
            .map_err(|e| bad(n, e.message(&clip(header))))?
            .iter()
            .map(|c| column_name(c))
            .collect();
        let mut rows = Vec::new();
        for (n, line) in lines {
            let fields = csv_line::fields(line).map_err(|e| bad(n, e.message(&clip(line))))?;
            if fields.len() != columns.len() {
                return Err(bad(
                    n,
                    format!("expected {} fields, got {}", columns.len(), fields.len()),
                ));
            }
            rows.push((n, fields));
        }
        Ok(Csv {
            file,
            columns,
            header: header.to_string(),
            rows,
        })
    }

    /// The first of `names` the header has.
    fn col(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.columns.iter().position(|c| c == n))
    }

    fn need(&self, names: &[&str], shown: &str) -> Result<usize> {
        self.col(names).ok_or_else(|| Error::Csv {
            at: Origin::line(self.file, 1),
            message: format!("no `{shown}` column in the header `{}`", clip(&self.header)),
        })
    }

    fn bad(&self, line: u32, message: String) -> Error {
        Error::Csv {
            at: Origin::line(self.file, line),
            message,
        }
    }

    fn hour(&self, line: u32, name: &str, v: &str) -> Result<Hour> {
        hour(v).ok_or_else(|| {
            self.bad(
                line,
                format!(
                    "{name} `{}` is not a UTC hour (RFC 3339 on the hour)",
                    clip(v)
                ),
            )
        })
    }

    /// A `usageDate`: a day (`2026-03-13`), or its midnight as a time.
    fn day(&self, line: u32, v: &str) -> Result<Hour> {
        let t = v.trim();
        crate::time::Date::parse(t)
            .ok()
            .map(crate::time::Date::start_hour)
            .or_else(|| hour(t).filter(|h| h.hour_of_day() == 0))
            .ok_or_else(|| {
                self.bad(
                    line,
                    format!("usageDate `{}` is not a UTC day (2026-03-13)", clip(v)),
                )
            })
    }

    fn quantity(&self, line: u32, name: &str, v: &str) -> Result<u64> {
        whole(v).ok_or_else(|| {
            self.bad(
                line,
                format!("{name} `{}` is not a whole number ≥ 0", clip(v)),
            )
        })
    }
}

fn field(fields: &[String], i: usize) -> &str {
    fields.get(i).map_or("", String::as_str)
}

/// Azure's usage-events report.
fn azure_report(text: &str, file: &str) -> Result<Vec<ReportRow>> {
    let csv = Csv::read(text, file)?;
    let time = csv.need(&["effectivestarttime", "usagedate"], "effectiveStartTime")?;
    // `usageDate`: one row per day (Azure adds the day's events up).
    let daily = csv.col(&["effectivestarttime"]).is_none();
    let dim = csv.need(&["dimension", "dimensionid"], "dimension")?;
    let submitted = csv.need(&["submittedquantity"], "submittedQuantity")?;
    let processed = csv.col(&["processedquantity"]);
    let status = csv.need(&["reconstatus"], "reconStatus")?;
    let mut rows = Vec::new();
    for (n, f) in &csv.rows {
        let q_sub = || csv.quantity(*n, "submittedQuantity", field(f, submitted));
        let q_proc = || match processed.map(|p| field(f, p)) {
            Some(v) if !v.trim().is_empty() => csv.quantity(*n, "processedQuantity", v),
            _ => q_sub(),
        };
        let (status, quantity) = match field(f, status) {
            "Accepted" | "Mismatch" => (Status::Accepted, q_proc()?),
            "Submitted" => (Status::Accepted, q_sub()?),
            "Rejected" => (Status::Rejected, q_sub()?),
            "Duplicate" => (Status::Duplicate, q_sub()?),
            s => {
                return Err(csv.bad(
                    *n,
                    format!(
                        "reconStatus `{}` (expected Submitted, Accepted, Mismatch, Rejected or Duplicate)",
                        clip(s)
                    ),
                ))
            }
        };
        let (hour, span) = if daily {
            (csv.day(*n, field(f, time))?, Span::Day)
        } else {
            (
                csv.hour(*n, "effectiveStartTime", field(f, time))?,
                Span::Hour,
            )
        };
        rows.push(ReportRow {
            span,
            hour,
            dimension: field(f, dim).to_string(),
            quantity,
            status,
        });
    }
    Ok(rows)
}

/// Google Cloud's usage log.
fn gcp_log(text: &str, file: &str, plan: &MeteringPlan) -> Result<Vec<ReportRow>> {
    let csv = Csv::read(text, file)?;
    let op = csv.need(&["operationid"], "operationID")?;
    let start = csv.need(&["starttime"], "startTime")?;
    let end = csv.col(&["endtime"]);
    let metric = csv.need(&["metricname"], "metricName")?;
    let value = csv.need(&["metricvalue"], "metricValue")?;
    let prefix = match &plan.identifiers {
        Identifiers::Gcp { service_name, .. } => Some(format!("{service_name}/")),
        _ => None,
    };
    let mut seen_ops: BTreeSet<&str> = BTreeSet::new();
    let mut rows = Vec::new();
    for (n, f) in &csv.rows {
        let hour = csv.hour(*n, "startTime", field(f, start))?;
        if let Some(e) = end {
            let e = csv.hour(*n, "endTime", field(f, e))?;
            if e.0 != hour.0.saturating_add(1) {
                return Err(csv.bad(
                    *n,
                    format!("endTime {e} is not one hour after startTime {hour}"),
                ));
            }
        }
        let name = field(f, metric);
        let dimension = prefix
            .as_deref()
            .and_then(|p| name.strip_prefix(p))
            .unwrap_or(name)
            .to_string();
        let status = if seen_ops.insert(field(f, op)) {
            Status::Accepted
        } else {
            Status::Duplicate
        };
        rows.push(ReportRow {
            span: Span::Hour,
            hour,
            dimension,
            quantity: csv.quantity(*n, "metricValue", field(f, value))?,
            status,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
