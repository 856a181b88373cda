//! Hourly usage CSV: `timestamp,meter,environment,use_case,quantity`, with an
//! optional leading `customer` column. Timestamps are RFC 3339 on the UTC hour.
//!
//! The format is documented in `docs/usage-format.md`. In short:
//!
//! - the first non-blank line is the header, exactly
//!   `timestamp,meter,environment,use_case,quantity` or
//!   `customer,timestamp,meter,environment,use_case,quantity`;
//! - a UTF-8 byte order mark, CRLF line ends and a trailing newline are
//!   accepted; blank lines (empty, or only `\r`) are skipped;
//! - a line longer than [`MAX_LINE_BYTES`] is refused as soon as the limit is
//!   passed, without buffering the rest of it;
//! - fields may be wrapped in double quotes (`""` is an escaped quote), but a
//!   quoted field cannot span lines;
//! - quantities are plain decimals (`500`, `0.25`, `.5`): no sign, exponent,
//!   digit separator or surrounding space.
//!
//! [`read_usage`] reads a whole file into a [`UsageSeries`]; [`UsageReader`]
//! streams records with reused buffers for books of millions of rows.

use std::io::{BufRead, BufReader, Read};

use rust_decimal::Decimal;

use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::{CellId, Matrix};
use crate::num::Quantity;
use crate::time::{Hour, Term};
use crate::usage::UsageSeries;

/// The largest usage file a front end reads whole (the browser's upload):
/// 64 MiB, about 1.3 million hour records. Streaming readers (the CLI's
/// [`UsageReader`]) have no file limit; the dense series has its own
/// ([`crate::usage::MAX_SERIES_SLOTS`]).
pub const MAX_UPLOAD_BYTES: usize = 64 << 20;

/// The longest line accepted, in bytes (without the line end).
pub const MAX_LINE_BYTES: usize = 4096;

/// The header without a customer column.
pub const HEADER: &str = "timestamp,meter,environment,use_case,quantity";
/// The header with a leading customer column.
pub const HEADER_WITH_CUSTOMER: &str = "customer,timestamp,meter,environment,use_case,quantity";

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Longest excerpt of a line quoted in an error message.
const EXCERPT: usize = 80;

/// How many distinct (meter, environment, use case) texts the reader caches.
const CELL_CACHE: usize = 16;

#[derive(Debug)]
struct CachedCell {
    meter: Vec<u8>,
    environment: Vec<u8>,
    use_case: Vec<u8>,
    cell: CellId,
}

/// One usage row as read from a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRecord {
    /// 1-based line number in the file.
    pub line: u64,
    /// The customer column, empty when the file has none.
    pub customer: String,
    /// The UTC hour.
    pub hour: Hour,
    /// The cell, validated against the matrix (known and offered).
    pub cell: CellId,
    /// The quantity (≥ 0).
    pub quantity: Quantity,
}

impl Default for CsvRecord {
    fn default() -> Self {
        CsvRecord {
            line: 0,
            customer: String::new(),
            hour: Hour(0),
            cell: CellId {
                meter: 0,
                environment: 0,
                use_case: 0,
            },
            quantity: Quantity::ZERO,
        }
    }
}

/// A streaming usage CSV reader: validates the header on construction, then
/// yields one validated record at a time, reusing its buffers.
///
/// Each record is checked on its own (header, field count, timestamp, names,
/// offered cell, quantity); term bounds, duplicates and time order need state
/// across records and are left to the consumer ([`UsageSeries::insert`] or the
/// pricing engine).
///
/// ```
/// use unitcalc_core::usage_csv::{CsvRecord, UsageReader};
/// # let matrix = unitcalc_core::usage_csv::example_matrix();
/// let csv = "timestamp,meter,environment,use_case,quantity\n\
///            2026-03-01T00:00:00Z,capacity,aws,hot,500\n\
///            2026-03-01T01:00:00Z,capacity,aws,hot,500.5\n";
/// let mut reader = UsageReader::new(csv.as_bytes(), "usage.csv", &matrix).unwrap();
/// assert!(!reader.has_customer());
/// let mut rec = CsvRecord::default();
/// let mut total = rust_decimal::Decimal::ZERO;
/// while reader.next_record(&mut rec).unwrap() {
///     total += rec.quantity.get();
/// }
/// assert_eq!(total.to_string(), "1000.5");
/// ```
pub struct UsageReader<'m, R: Read> {
    input: BufReader<R>,
    file: String,
    matrix: &'m Matrix,
    /// Per dense cell index: offered?
    offered: Vec<bool>,
    has_customer: bool,
    line_no: u64,
    line: Vec<u8>,
    scratch: Vec<u8>,
    fields: [(usize, usize); 6],
    /// Last timestamp text and its hour.
    last_ts: Vec<u8>,
    last_hour: Hour,
    /// Recently seen (meter, environment, use case) texts and their cells,
    /// at most [`CELL_CACHE`] of them.
    cell_cache: Vec<CachedCell>,
    /// The cache slot to replace next when it is full.
    cell_cache_next: usize,
    done: bool,
}

impl<'m, R: Read> UsageReader<'m, R> {
    /// Reads and validates the header.
    pub fn new(reader: R, file: &str, matrix: &'m Matrix) -> Result<Self> {
        let offered = matrix
            .cells()
            .map(|c| matrix.cell_rate(c).is_some())
            .collect();
        let mut r = UsageReader {
            input: BufReader::with_capacity(1 << 16, reader),
            file: file.to_string(),
            matrix,
            offered,
            has_customer: false,
            line_no: 0,
            line: Vec::with_capacity(256),
            scratch: Vec::new(),
            fields: [(0, 0); 6],
            last_ts: Vec::with_capacity(32),
            last_hour: Hour(0),
            cell_cache: Vec::new(),
            cell_cache_next: 0,
            done: false,
        };
        if !r.read_line()? {
            return Err(Error::Csv {
                at: Origin::line(file, 1),
                message: format!("empty file: expected the header `{HEADER}`"),
            });
        }
        let mut header: &[u8] = &r.line;
        if r.line_no == 1 {
            header = header.strip_prefix(BOM).unwrap_or(header);
        }
        if header == HEADER.as_bytes() {
            r.has_customer = false;
        } else if header == HEADER_WITH_CUSTOMER.as_bytes() {
            r.has_customer = true;
        } else {
            let found = excerpt(header);
            return Err(r.csv_err(format!(
                "expected the header `{HEADER}` (optionally with a leading `customer` column), found `{found}`"
            )));
        }
        Ok(r)
    }

    /// True when the file has a leading `customer` column.
    pub fn has_customer(&self) -> bool {
        self.has_customer
    }

    /// The file name used in errors.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The current line number (1-based; the last line read).
    pub fn line(&self) -> u64 {
        self.line_no
    }

    /// Reads the next record into `out`; `Ok(false)` at the end of the file.
    /// After an error the reader stays at the end.
    pub fn next_record(&mut self, out: &mut CsvRecord) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        match self.next_inner(out) {
            Ok(true) => Ok(true),
            other => {
                self.done = true;
                other
            }
        }
    }

    fn origin(&self) -> Origin {
        Origin::line(
            self.file.clone(),
            u32::try_from(self.line_no).unwrap_or(u32::MAX),
        )
    }

    fn csv_err(&self, message: String) -> Error {
        Error::Csv {
            at: self.origin(),
            message,
        }
    }

    fn io_err(&self, e: &std::io::Error) -> Error {
        self.csv_err(format!("read error: {e}"))
    }

    /// Reads the next non-blank line into `self.line` (without the line end);
    /// `Ok(false)` at the end of input.
    fn read_line(&mut self) -> Result<bool> {
        loop {
            self.line.clear();
            let mut any = false;
            loop {
                let buf = match self.input.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(self.io_err(&e)),
                };
                if buf.is_empty() {
                    break;
                }
                if !any {
                    any = true;
                    self.line_no = self.line_no.saturating_add(1);
                }
                match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        if self.line.len().saturating_add(i) > MAX_LINE_BYTES + 1 {
                            return Err(self.too_long());
                        }
                        self.line.extend_from_slice(buf.get(..i).unwrap_or(buf));
                        self.input.consume(i.saturating_add(1));
                        break;
                    }
                    None => {
                        let n = buf.len();
                        if self.line.len().saturating_add(n) > MAX_LINE_BYTES + 1 {
                            return Err(self.too_long());
                        }
                        self.line.extend_from_slice(buf);
                        self.input.consume(n);
                    }
                }
            }
            if !any {
                return Ok(false);
            }
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
            if self.line.len() > MAX_LINE_BYTES {
                return Err(self.too_long());
            }
            if !self.line.is_empty() {
                return Ok(true);
            }
        }
    }

    fn too_long(&self) -> Error {
        self.csv_err(format!(
            "line is longer than the limit of {MAX_LINE_BYTES} bytes"
        ))
    }

    /// Splits `self.line` into fields; returns the field count (counting
    /// beyond 6 without recording).
    fn split(&mut self) -> Result<usize> {
        if !self.line.contains(&b'"') {
            let mut n = 0;
            let mut start = 0;
            for (i, &b) in self.line.iter().enumerate() {
                if b == b',' {
                    // Fields beyond the sixth are counted, not recorded.
                    if let Some(f) = self.fields.get_mut(n) {
                        *f = (start, i);
                    }
                    n = n.saturating_add(1);
                    start = i.saturating_add(1);
                }
            }
            if let Some(f) = self.fields.get_mut(n) {
                *f = (start, self.line.len());
            }
            return Ok(n.saturating_add(1));
        }
        // Quoted fields: unquote into `scratch`, then swap.
        self.scratch.clear();
        let line = &self.line;
        let mut n = 0;
        let mut i = 0;
        loop {
            let start = self.scratch.len();
            if line.get(i) == Some(&b'"') {
                i = i.saturating_add(1);
                loop {
                    match line.get(i) {
                        None => {
                            return Err(self.csv_err(format!(
                            "unterminated quoted field in `{}` (quoted fields cannot span lines)",
                            excerpt(&self.line)
                        )))
                        }
                        Some(b'"') if line.get(i.saturating_add(1)) == Some(&b'"') => {
                            self.scratch.push(b'"');
                            i = i.saturating_add(2);
                        }
                        Some(b'"') => {
                            i = i.saturating_add(1);
                            break;
                        }
                        Some(&b) => {
                            self.scratch.push(b);
                            i = i.saturating_add(1);
                        }
                    }
                }
                if !matches!(line.get(i), None | Some(b',')) {
                    return Err(self.csv_err(format!(
                        "text after a closing quote in `{}`",
                        excerpt(&self.line)
                    )));
                }
            } else {
                while let Some(&b) = line.get(i) {
                    if b == b',' {
                        break;
                    }
                    if b == b'"' {
                        return Err(
                            self.csv_err(format!("stray quote in `{}`", excerpt(&self.line)))
                        );
                    }
                    self.scratch.push(b);
                    i = i.saturating_add(1);
                }
            }
            if let Some(f) = self.fields.get_mut(n) {
                *f = (start, self.scratch.len());
            }
            n = n.saturating_add(1);
            if i >= line.len() {
                break;
            }
            i = i.saturating_add(1); // the comma
            if i == line.len() {
                // A trailing comma: one more, empty field.
                if let Some(f) = self.fields.get_mut(n) {
                    *f = (self.scratch.len(), self.scratch.len());
                }
                n = n.saturating_add(1);
                break;
            }
        }
        std::mem::swap(&mut self.line, &mut self.scratch);
        Ok(n)
    }

    fn field(&self, i: usize) -> &str {
        // The line was checked to be UTF-8 and fields split on ASCII bytes.
        std::str::from_utf8(span(&self.line, &self.fields, i)).unwrap_or("")
    }

    fn next_inner(&mut self, out: &mut CsvRecord) -> Result<bool> {
        if !self.read_line()? {
            return Ok(false);
        }
        if let Err(e) = std::str::from_utf8(&self.line) {
            let at = e.valid_up_to();
            let byte = self.line.get(at).copied().unwrap_or(0);
            return Err(self.csv_err(format!(
                "invalid UTF-8 (byte 0x{byte:02X} at column {}) in `{}`",
                at.saturating_add(1),
                excerpt(&self.line)
            )));
        }
        let n = self.split()?;
        let want = if self.has_customer { 6 } else { 5 };
        if n != want {
            return Err(self.csv_err(format!(
                "expected {want} fields, found {n}: `{}`",
                excerpt(&self.line)
            )));
        }
        let base = usize::from(self.has_customer);
        if self.has_customer {
            out.customer.clear();
            out.customer.push_str(self.field(0));
        } else if !out.customer.is_empty() {
            out.customer.clear();
        }
        out.line = self.line_no;

        // Timestamp, cached.
        let ts = span(&self.line, &self.fields, base);
        if self.last_ts.as_slice() != ts || self.last_ts.is_empty() {
            let hour = Hour::parse_rfc3339(self.field(base)).map_err(|source| Error::Time {
                at: self.origin(),
                source,
            })?;
            self.last_ts.clear();
            self.last_ts.extend_from_slice(ts);
            self.last_hour = hour;
        }
        out.hour = self.last_hour;

        // Cell, cached on the three names' text.
        let key = |i: usize| span(&self.line, &self.fields, base.saturating_add(i));
        let (m, e, u) = (key(1), key(2), key(3));
        let hit = self
            .cell_cache
            .iter()
            .find(|c| c.meter == m && c.environment == e && c.use_case == u);
        if let Some(c) = hit {
            out.cell = c.cell;
        } else {
            let cell = self.lookup_cell(base)?;
            let entry = CachedCell {
                meter: m.to_vec(),
                environment: e.to_vec(),
                use_case: u.to_vec(),
                cell,
            };
            if self.cell_cache.len() < CELL_CACHE {
                self.cell_cache.push(entry);
            } else {
                if let Some(slot) = self.cell_cache.get_mut(self.cell_cache_next) {
                    *slot = entry;
                }
                self.cell_cache_next = self.cell_cache_next.saturating_add(1) % CELL_CACHE;
            }
            out.cell = cell;
        }

        // Quantity.
        let q = base.saturating_add(4);
        out.quantity = match parse_quantity(span(&self.line, &self.fields, q)) {
            Ok(q) => q,
            Err(QuantityError::Negative) => {
                return Err(Error::usage(
                    self.origin(),
                    UsageIssue::NegativeQuantity(self.field(q).to_string()),
                ))
            }
            Err(QuantityError::Malformed) => {
                return Err(self.csv_err(format!(
                    "invalid quantity `{}` (expected a non-negative decimal such as 500 or 0.25)",
                    self.field(q)
                )))
            }
        };
        Ok(true)
    }

    fn lookup_cell(&self, base: usize) -> Result<CellId> {
        let (meter, env, uc) = (
            self.field(base.saturating_add(1)),
            self.field(base.saturating_add(2)),
            self.field(base.saturating_add(3)),
        );
        let cell = self
            .matrix
            .cell(meter, env, uc)
            .map_err(|(what, value)| Error::Unknown {
                at: self.origin(),
                what,
                value,
            })?;
        if !self
            .offered
            .get(self.matrix.cell_index(cell))
            .copied()
            .unwrap_or(false)
        {
            return Err(Error::usage(
                self.origin(),
                UsageIssue::NotOffered(self.matrix.cell_name(cell).to_string()),
            ));
        }
        Ok(cell)
    }
}

impl<R: Read> Iterator for UsageReader<'_, R> {
    type Item = Result<CsvRecord>;

    /// Convenience: one freshly allocated record per item; stops after the
    /// first error.
    fn next(&mut self) -> Option<Self::Item> {
        let mut rec = CsvRecord::default();
        match self.next_record(&mut rec) {
            Ok(true) => Some(Ok(rec)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Field `i` of a split line; empty when out of range (never, by construction).
#[inline]
fn span<'l>(line: &'l [u8], fields: &[(usize, usize); 6], i: usize) -> &'l [u8] {
    fields
        .get(i)
        .and_then(|&(a, b)| line.get(a..b))
        .unwrap_or_default()
}

fn excerpt(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    if s.chars().count() > EXCERPT {
        let mut t: String = s.chars().take(EXCERPT).collect();
        t.push('…');
        t
    } else {
        s.into_owned()
    }
}

enum QuantityError {
    Negative,
    Malformed,
}

/// Parses a plain non-negative decimal (`123`, `0.5`, `.5`, `12.`) exactly,
/// without allocating. A leading `-` followed by a valid decimal is reported
/// as negative (unless it is zero).
fn parse_quantity(b: &[u8]) -> Result<Quantity, QuantityError> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut n_digits = 0u32;
    let mut scale = 0u32;
    let mut seen_dot = false;
    let mut significant = 0u32;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                n_digits = n_digits.saturating_add(1);
                if seen_dot {
                    scale = scale.saturating_add(1);
                }
                if mantissa != 0 || c != b'0' {
                    significant = significant.saturating_add(1);
                }
                if significant <= 19 {
                    mantissa = mantissa
                        .wrapping_mul(10)
                        .wrapping_add(u64::from(c.saturating_sub(b'0')));
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return Err(QuantityError::Malformed),
        }
    }
    if n_digits == 0 {
        return Err(QuantityError::Malformed);
    }
    let value = if significant <= 19 && scale <= 28 {
        // ≤ 19 significant digits always fit a u64 (< 10^19 < 2^64).
        Decimal::from_i128_with_scale(i128::from(mantissa), scale)
    } else {
        let s = std::str::from_utf8(digits).map_err(|_| QuantityError::Malformed)?;
        let s = s.strip_suffix('.').unwrap_or(s);
        Decimal::from_str_exact(s).map_err(|_| QuantityError::Malformed)?
    };
    if neg && !value.is_zero() {
        return Err(QuantityError::Negative);
    }
    Ok(Quantity(value))
}

/// Reads a whole usage CSV (no `customer` column, or a single customer) into
/// a dense series over `term`. `file` names the source in errors.
///
/// Beyond the per-record checks of [`UsageReader`], records must lie inside
/// the term and no (hour, cell) may appear twice. Records need not be in time
/// order. A file with more than one customer is refused (read it with
/// [`UsageReader`] instead).
///
/// ```
/// use unitcalc_core::time::{Date, Term};
/// use unitcalc_core::usage_csv::read_usage;
/// # let matrix = unitcalc_core::usage_csv::example_matrix();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 12).unwrap();
/// let csv = b"timestamp,meter,environment,use_case,quantity\r\n2026-03-01T00:00:00Z,capacity,aws,hot,500\r\n";
/// let usage = read_usage(csv, "usage.csv", &matrix, &term).unwrap();
/// assert_eq!(usage.records().count(), 1);
///
/// let dup = b"timestamp,meter,environment,use_case,quantity\n\
///             2026-03-01T00:00:00Z,capacity,aws,hot,500\n\
///             2026-03-01T00:00:00Z,capacity,aws,hot,1\n";
/// let err = read_usage(dup, "usage.csv", &matrix, &term).unwrap_err();
/// assert_eq!(err.to_string(),
///     "usage.csv:3: duplicate record for hour 2026-03-01T00:00:00Z and cell capacity/aws/hot");
/// ```
pub fn read_usage(src: &[u8], file: &str, matrix: &Matrix, term: &Term) -> Result<UsageSeries> {
    let mut reader = UsageReader::new(src, file, matrix)?;
    let mut series = UsageSeries::new(term);
    let mut rec = CsvRecord::default();
    let mut customer: Option<String> = None;
    while reader.next_record(&mut rec)? {
        if reader.has_customer() {
            match &customer {
                None => customer = Some(rec.customer.clone()),
                Some(c) if *c != rec.customer => {
                    return Err(Error::Csv {
                        at: Origin::line(file, line_u32(rec.line)),
                        message: format!(
                            "a second customer `{}` (the file began with `{c}`): read one customer per file, or use the streaming reader",
                            rec.customer
                        ),
                    })
                }
                Some(_) => {}
            }
        }
        series
            .insert(Some(matrix), rec.hour, rec.cell, rec.quantity)
            .map_err(|source| Error::usage(Origin::line(file, line_u32(rec.line)), source))?;
    }
    Ok(series)
}

fn line_u32(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// The spec's matrix M (pricing-model.md section 11), built in code, for
/// examples and tests that must not depend on the TOML parser.
#[doc(hidden)]
// Built from constant literals that are known to be valid.
#[allow(clippy::expect_used)]
pub fn example_matrix() -> Matrix {
    use crate::matrix::{Currency, Environment, Meter, UseCase};
    use crate::num::{Price, Rate, Ratio, RoundingMode};
    use crate::time::Date;
    let d = |s: &str| Decimal::from_str_exact(s).expect("valid decimal");
    Matrix {
        name: "spec-m".into(),
        version: "1".into(),
        effective: Date::new(2026, 1, 1).expect("valid date"),
        description: "Matrix M".into(),
        currency: Currency {
            code: "USD".into(),
            minor_units: 2,
        },
        rounding: RoundingMode::HalfUp,
        list_price: Price(d("1.00")),
        meters: vec![
            Meter {
                id: "capacity".into(),
                unit: "TB".into(),
                base_rate: Rate(d("0.0015")),
            },
            Meter {
                id: "compute".into(),
                unit: "vCPU".into(),
                base_rate: Rate(d("0.02")),
            },
        ],
        environments: vec![
            Environment {
                id: "on-prem".into(),
                marketplace: None,
            },
            Environment {
                id: "aws".into(),
                marketplace: None,
            },
            Environment {
                id: "azure".into(),
                marketplace: None,
            },
        ],
        use_cases: vec![
            UseCase { id: "hot".into() },
            UseCase {
                id: "archive".into(),
            },
        ],
        multipliers: vec![
            Some(Ratio(d("1.00"))),
            None,
            Some(Ratio(d("1.20"))),
            None,
            Some(Ratio(d("1.25"))),
            Some(Ratio(d("0.40"))),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Date;

    fn term() -> Term {
        Term::new(Date::parse("2026-03-01").unwrap(), 12).unwrap()
    }

    fn read(src: &str) -> Result<UsageSeries> {
        read_usage(src.as_bytes(), "u.csv", &example_matrix(), &term())
    }

    fn records(src: &str) -> Vec<(String, String, String, String)> {
        let m = example_matrix();
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
        let mut m = example_matrix();
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
        let m = example_matrix();
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
            let m = example_matrix();
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
        let m = example_matrix();
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
        let m = example_matrix();
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

    #[test]
    fn golden_bad_inputs_against_parsed_spec_m() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let src = std::fs::read_to_string(root.join("matrices/spec-m.toml")).unwrap();
        let spec_m = crate::matrix_toml::parse_matrix(&src, "spec-m.toml").unwrap();
        let ours = example_matrix();
        assert_eq!(
            (&spec_m.meters, &spec_m.use_cases, &spec_m.multipliers),
            (&ours.meters, &ours.use_cases, &ours.multipliers)
        );
        let envs = |m: &Matrix| {
            m.environments
                .iter()
                .map(|e| e.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(envs(&spec_m), envs(&ours));
        let dir = root.join("tests/fixtures/bad/usage");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                let name = path.file_name().unwrap().to_str().unwrap();
                let want = std::fs::read_to_string(path.with_extension("err")).unwrap();
                let got = read_usage(&std::fs::read(&path).unwrap(), name, &spec_m, &term())
                    .unwrap_err()
                    .to_string();
                assert_eq!(got.trim(), want.trim(), "{name}");
            }
        }
    }

    #[test]
    fn golden_bad_inputs() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bad/usage");
        let mut n = 0;
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        {
            let name = path.file_name().unwrap().to_str().unwrap();
            let bytes = std::fs::read(path).unwrap();
            let want = std::fs::read_to_string(path.with_extension("err"))
                .unwrap_or_else(|_| panic!("{name}: no .err"));
            let got = read_usage(&bytes, name, &example_matrix(), &term())
                .map(|_| ())
                .unwrap_err()
                .to_string();
            assert_eq!(got.trim(), want.trim(), "{name}");
            n += 1;
        }
        assert!(n >= 12, "only {n} fixtures");
    }
}
