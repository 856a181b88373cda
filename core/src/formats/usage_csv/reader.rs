//! [`UsageReader`], the streaming reader: header, then one validated record
//! at a time.

use std::io::{BufReader, Read};

use super::line::{excerpt, same, span};
use super::quantity::{parse_quantity, QuantityError};
use super::{line_u32, CsvRecord, BOM, CELL_CACHE, HEADER, HEADER_WITH_CUSTOMER};
use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::{CellId, Matrix};
use crate::time::Hour;

/// A cell by the text of its three names as they stand in an unquoted line,
/// commas included (`capacity,aws,hot`): one comparison a record.
#[derive(Debug)]
struct CachedCell {
    names: Vec<u8>,
    cell: CellId,
}

/// What a [`UsageReader`] expects before the first record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The header, [`HEADER`] or [`HEADER_WITH_CUSTOMER`] (a whole file, or
    /// its beginning).
    Header,
    /// No header: records straight away (a part of a file past its header),
    /// with a leading `customer` column or not.
    Records {
        /// True when the file's header is [`HEADER_WITH_CUSTOMER`].
        customer: bool,
    },
}

/// A streaming usage CSV reader: validates the header on construction, then
/// yields one validated record at a time, reusing its buffers. It can also
/// read a part of a file from a given line ([`UsageReader::from_line`]).
///
/// Each record is checked on its own (header, field count, timestamp, names,
/// offered cell, quantity); term bounds, duplicates and time order need state
/// across records and are left to the consumer ([`UsageSeries::insert`](crate::usage::UsageSeries::insert) or the
/// pricing engine).
///
/// ```
/// use unitcalc_core::usage_csv::{CsvRecord, UsageReader};
/// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
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
    pub(super) input: BufReader<R>,
    file: String,
    matrix: &'m Matrix,
    /// Per dense cell index: offered?
    offered: Vec<bool>,
    has_customer: bool,
    pub(super) line_no: u64,
    pub(super) line: Vec<u8>,
    pub(super) scratch: Vec<u8>,
    pub(super) fields: [(usize, usize); 6],
    /// True when the last line split had quoted fields (its names are then
    /// looked up without the cache).
    pub(super) quoted: bool,
    /// Last timestamp text and its hour.
    last_ts: Vec<u8>,
    last_hour: Hour,
    /// The date of the last canonical timestamp (`YYYY-MM-DDTHH:00:00Z`)
    /// and its first hour: a timestamp of the same form on that date needs
    /// only its two hour digits read.
    last_day: [u8; 10],
    last_day_start: Option<i64>,
    /// Recently seen (meter, environment, use case) texts and their cells,
    /// at most [`CELL_CACHE`] of them.
    cell_cache: Vec<CachedCell>,
    /// The cache slot to replace next when it is full.
    cell_cache_next: usize,
    /// The last record's customer differs from the text the record held.
    customer_changed: bool,
    done: bool,
}

impl<'m, R: Read> UsageReader<'m, R> {
    /// Reads and validates the header: a whole file, from its line 1.
    pub fn new(reader: R, file: &str, matrix: &'m Matrix) -> Result<Self> {
        Self::from_line(reader, file, matrix, 1, Start::Header)
    }

    /// Reads a part of a usage CSV that begins at line `first_line` of the
    /// file (1-based; 0 counts as 1): errors and [`CsvRecord::line`] number
    /// lines as the file does. `start` says whether a header comes first
    /// ([`Start::Header`], validated as [`UsageReader::new`] does) or the part
    /// is past it ([`Start::Records`], taking the file's header on trust).
    /// A byte order mark is accepted only before a header on line 1.
    ///
    /// ```
    /// use unitcalc_core::usage_csv::{CsvRecord, Start, UsageReader};
    /// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
    /// // Lines 41 and 42 of a book's usage (header `customer,timestamp,…`).
    /// let part = "acme,2026-03-01T00:00:00Z,capacity,aws,hot,500\n\
    ///             acme,2026-03-01T00:00:00Z,capacity,aws,cold,5\n";
    /// let records = Start::Records { customer: true };
    /// let mut reader = UsageReader::from_line(part.as_bytes(), "book.csv", &matrix, 41, records).unwrap();
    /// let mut rec = CsvRecord::default();
    /// assert!(reader.next_record(&mut rec).unwrap());
    /// assert_eq!((rec.line, rec.customer.as_str()), (41, "acme"));
    /// let err = reader.next_record(&mut rec).unwrap_err();
    /// assert_eq!(err.to_string(), "book.csv:42: unknown use case `cold`");
    /// ```
    pub fn from_line(
        reader: R,
        file: &str,
        matrix: &'m Matrix,
        first_line: u64,
        start: Start,
    ) -> Result<Self> {
        let mut r = Self::records(reader, file, matrix, first_line, false, 1 << 16);
        match start {
            Start::Header => r.read_header()?,
            Start::Records { customer } => r.has_customer = customer,
        }
        Ok(r)
    }

    /// A reader of records from line `first_line` on (no header), with a
    /// leading customer column when `has_customer`, reading through a
    /// buffer of `buffer` bytes (none for a reader handed its lines).
    pub(super) fn records(
        reader: R,
        file: &str,
        matrix: &'m Matrix,
        first_line: u64,
        has_customer: bool,
        buffer: usize,
    ) -> Self {
        let offered = matrix
            .cells()
            .map(|c| matrix.cell_rate(c).is_some())
            .collect();
        UsageReader {
            input: BufReader::with_capacity(buffer, reader),
            file: file.to_string(),
            matrix,
            offered,
            has_customer,
            line_no: first_line.saturating_sub(1),
            line: Vec::with_capacity(256),
            scratch: Vec::new(),
            fields: [(0, 0); 6],
            quoted: false,
            last_ts: Vec::with_capacity(32),
            last_hour: Hour(0),
            last_day: [0; 10],
            last_day_start: None,
            cell_cache: Vec::new(),
            cell_cache_next: 0,
            customer_changed: false,
            done: false,
        }
    }

    /// Reads the header (the first non-blank line) and whether it has a
    /// leading customer column.
    fn read_header(&mut self) -> Result<()> {
        let first = self.line_no.saturating_add(1);
        if !self.read_line()? {
            return Err(Error::Csv {
                at: Origin::line(self.file.clone(), line_u32(first)),
                message: format!("empty file: expected the header `{HEADER}`"),
            });
        }
        let mut header: &[u8] = &self.line;
        if self.line_no == 1 {
            header = header.strip_prefix(BOM).unwrap_or(header);
        }
        if header == HEADER.as_bytes() {
            self.has_customer = false;
        } else if header == HEADER_WITH_CUSTOMER.as_bytes() {
            self.has_customer = true;
        } else {
            let found = excerpt(header);
            return Err(self.csv_err(format!(
                "expected the header `{HEADER}` (optionally with a leading `customer` column), found `{found}`"
            )));
        }
        Ok(())
    }

    /// True when the file has a leading `customer` column.
    pub fn has_customer(&self) -> bool {
        self.has_customer
    }

    /// Bytes taken from the input but not yet read as lines (its buffer):
    /// the input's bytes read less these are the bytes of the lines read
    /// (a progress by bytes).
    ///
    /// ```
    /// use unitcalc_core::usage_csv::{CsvRecord, UsageReader};
    /// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
    /// let csv = "timestamp,meter,environment,use_case,quantity\n2026-03-01T00:00:00Z,capacity,aws,hot,500\n";
    /// let mut reader = UsageReader::new(csv.as_bytes(), "usage.csv", &matrix).unwrap();
    /// assert_eq!(reader.unread(), csv.len() - 46);
    /// reader.next_record(&mut CsvRecord::default()).unwrap();
    /// assert_eq!(reader.unread(), 0);
    /// ```
    pub fn unread(&self) -> usize {
        self.input.buffer().len()
    }

    /// The file name used in errors.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The current line number (1-based; the last line read).
    pub fn line(&self) -> u64 {
        self.line_no
    }

    /// True when the last record read changed the customer text of the
    /// record it was read into: a caller that reads every record into the
    /// same [`CsvRecord`] looks a customer up only when this says so (one
    /// comparison a row, the reader's).
    ///
    /// ```
    /// use unitcalc_core::usage_csv::{CsvRecord, UsageReader};
    /// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
    /// let csv = "customer,timestamp,meter,environment,use_case,quantity\n\
    ///            acme,2026-03-01T00:00:00Z,capacity,aws,hot,500\n\
    ///            acme,2026-03-01T01:00:00Z,capacity,aws,hot,500\n\
    ///            zeta,2026-03-01T00:00:00Z,capacity,aws,hot,500\n";
    /// let mut reader = UsageReader::new(csv.as_bytes(), "book.csv", &matrix).unwrap();
    /// let mut rec = CsvRecord::default();
    /// let mut changed = Vec::new();
    /// while reader.next_record(&mut rec).unwrap() {
    ///     changed.push(reader.customer_changed());
    /// }
    /// assert_eq!(changed, [true, false, true]);
    /// ```
    pub fn customer_changed(&self) -> bool {
        self.customer_changed
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

    pub(super) fn origin(&self) -> Origin {
        Origin::line(self.file.clone(), line_u32(self.line_no))
    }

    pub(super) fn csv_err(&self, message: String) -> Error {
        Error::Csv {
            at: self.origin(),
            message,
        }
    }

    pub(super) fn io_err(&self, e: &std::io::Error) -> Error {
        // In the browser the reader reads bytes in memory, which cannot fail;
        // naming the error there would link std's table of error kinds
        // into the page's first load for a message never shown.
        #[cfg(target_arch = "wasm32")]
        {
            let _ = e;
            self.csv_err("read error".into())
        }
        #[cfg(not(target_arch = "wasm32"))]
        self.csv_err(format!("read error: {e}"))
    }

    fn field(&self, i: usize) -> &str {
        // The line was checked to be UTF-8 and fields split on ASCII bytes.
        std::str::from_utf8(span(&self.line, &self.fields, i)).unwrap_or("")
    }

    fn next_inner(&mut self, out: &mut CsvRecord) -> Result<bool> {
        if !self.read_line()? {
            return Ok(false);
        }
        self.record(out)?;
        Ok(true)
    }

    /// Takes `line` (non-blank, without its line end, within the line
    /// limit) as line `line_no` of the file, to be read by
    /// [`UsageReader::record`]: how a block parser hands a line it does not
    /// read itself to the reader, for the same record or the same error.
    pub(super) fn set_line(&mut self, line: &[u8], line_no: u64) {
        self.line.clear();
        self.line.extend_from_slice(line);
        self.line_no = line_no;
    }

    /// Reads the record of the current line (`self.line`) into `out`.
    pub(super) fn record(&mut self, out: &mut CsvRecord) -> Result<()> {
        // ASCII (the usual case) is UTF-8; otherwise check and say where not.
        if !self.line.is_ascii() {
            if let Err(e) = std::str::from_utf8(&self.line) {
                let at = e.valid_up_to();
                let byte = self.line.get(at).copied().unwrap_or(0);
                return Err(self.csv_err(format!(
                    "invalid UTF-8 (byte 0x{byte:02X} at column {}) in `{}`",
                    at.saturating_add(1),
                    excerpt(&self.line)
                )));
            }
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
            let c = span(&self.line, &self.fields, 0);
            self.customer_changed = !same(out.customer.as_bytes(), c);
            if self.customer_changed {
                out.customer.clear();
                out.customer.push_str(self.field(0));
            }
        } else {
            self.customer_changed = !out.customer.is_empty();
            out.customer.clear();
        }
        out.line = self.line_no;

        // Timestamp: the canonical form on the last canonical date reads
        // only its hour digits; the same text as the last reuses its hour;
        // anything else is parsed in full.
        let ts = span(&self.line, &self.fields, base);
        if let Some(h) = self.same_day_hour(ts) {
            out.hour = h;
        } else {
            if self.last_ts.as_slice() != ts || self.last_ts.is_empty() {
                let hour = Hour::parse_rfc3339(self.field(base)).map_err(|source| Error::Time {
                    at: self.origin(),
                    source,
                })?;
                self.last_ts.clear();
                self.last_ts.extend_from_slice(ts);
                self.last_hour = hour;
                if let Some((day, hh)) = canonical(ts) {
                    self.last_day = *day;
                    self.last_day_start = Some(hour.0.saturating_sub(hh));
                }
            }
            out.hour = self.last_hour;
        }

        // Cell, cached on the three names' text (unquoted lines: there the
        // names and their commas stand together, and no name has a comma).
        let names = self
            .fields
            .get(base.saturating_add(1))
            .zip(self.fields.get(base.saturating_add(3)))
            .and_then(|(a, b)| self.line.get(a.0..b.1))
            .filter(|_| !self.quoted)
            .unwrap_or_default();
        let hit = self.cell_cache.iter().find(|c| same(&c.names, names));
        if let Some(c) = hit.filter(|_| !names.is_empty()) {
            out.cell = c.cell;
        } else {
            let cell = self.lookup_cell(base)?;
            if !names.is_empty() {
                let entry = CachedCell {
                    names: names.to_vec(),
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
        Ok(())
    }

    /// The hour of a canonical timestamp on the date of the last canonical
    /// timestamp parsed in full (so the date is known valid).
    #[inline]
    fn same_day_hour(&self, ts: &[u8]) -> Option<Hour> {
        let start = self.last_day_start?;
        let (day, hh) = canonical(ts)?;
        (*day == self.last_day).then(|| Hour(start.saturating_add(hh)))
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

/// A timestamp of the canonical form `YYYY-MM-DDTHH:00:00Z` with an hour
/// 00–23: its date bytes (not checked) and its hour.
#[inline]
pub(super) fn canonical(ts: &[u8]) -> Option<(&[u8; 10], i64)> {
    let (day, rest) = ts.split_first_chunk::<10>()?;
    let [b'T', h1 @ b'0'..=b'2', h2 @ b'0'..=b'9', b':', b'0', b'0', b':', b'0', b'0', b'Z'] = rest
    else {
        return None;
    };
    let hh = i64::from(
        h1.wrapping_sub(b'0')
            .wrapping_mul(10)
            .wrapping_add(h2.wrapping_sub(b'0')),
    );
    (hh < 24).then_some((day, hh))
}
