//! [`BlockParser`]: a block of whole lines of a usage CSV read in place,
//! the quantities straight into mantissa and scale, for the book stream.
//!
//! The usual line (`customer,YYYY-MM-DDTHH:00:00Z,meter,environment,use_case,digits`,
//! unquoted ASCII, a cell and a date seen before) is read where it stands in
//! the block, in one pass and without a copy. Any other line (quoted, not
//! ASCII, another timestamp form, a new cell, a quantity that is not plain
//! digits, or an error) goes to [`UsageReader`]'s own reading of that line,
//! so every record and every error is the reader's.

use super::line::same;
use super::reader::{canonical, UsageReader};
use super::{CsvRecord, CELL_CACHE, MAX_LINE_BYTES};
use crate::error::Error;
use crate::matrix::{CellId, Matrix};
use crate::time::Hour;

/// One record of a block: the quantity is `mantissa × 10^-scale`, exactly as
/// written (`454.899` is 454899 at scale 3), what
/// [`Pricer::push_exact`](crate::engine::Pricer::push_exact) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRow<'a> {
    /// 1-based line number in the file.
    pub line: u64,
    /// The customer column, empty when the file has none.
    pub customer: &'a str,
    /// The customer differs from the previous record's (of this parser;
    /// true for its first record).
    pub customer_changed: bool,
    /// The UTC hour.
    pub hour: Hour,
    /// The cell, known and offered.
    pub cell: CellId,
    /// The quantity's digits (≥ 0).
    pub mantissa: i128,
    /// The quantity's decimal places.
    pub scale: u32,
}

/// Reads blocks of whole lines of a usage CSV past its header (a book's
/// usage cut into blocks at line ends), each record checked as
/// [`UsageReader`] checks it, with the same errors naming the file's line.
///
/// ```
/// use unitcalc_core::usage_csv::BlockParser;
/// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
/// // Lines 41 to 43 of a book's usage (header `customer,timestamp,…`).
/// let block = b"acme,2026-03-01T00:00:00Z,capacity,aws,hot,500\n\
///               acme,2026-03-01T01:00:00Z,capacity,aws,hot,454.899\n\
///               zeta,2026-03-01T00:00:00Z,capacity,aws,hot,\"12\"\n";
/// let mut parser = BlockParser::new(&matrix, "book.csv", true);
/// let mut rows = Vec::new();
/// parser
///     .parse(block, 41, |r| -> Result<(), unitcalc_core::error::Error> {
///         rows.push((r.line, r.customer.to_string(), r.customer_changed, r.mantissa, r.scale));
///         Ok(())
///     })
///     .unwrap();
/// assert_eq!(rows, [
///     (41, "acme".into(), true, 500, 0),
///     (42, "acme".into(), false, 454_899, 3),
///     (43, "zeta".into(), true, 12, 0),
/// ]);
/// let err: unitcalc_core::error::Error =
///     parser.parse(b"acme,2026-03-01T02:00:00Z,capacity,aws,cold,5\n", 44, |_| Ok(())).unwrap_err();
/// assert_eq!(err.to_string(), "book.csv:44: unknown use case `cold`");
/// ```
pub struct BlockParser<'m> {
    matrix: &'m Matrix,
    file: String,
    has_customer: bool,
    /// The previous record's customer.
    last_customer: String,
    /// The date of the last canonical timestamp parsed in full and its
    /// first hour: the same date needs only its two hour digits read.
    last_day: [u8; 10],
    last_day_start: Option<i64>,
    /// (meter, environment, use case) texts with the comma after them
    /// (`capacity,aws,hot,`) and their cells, at most [`CELL_CACHE`].
    cells: Vec<(Vec<u8>, CellId)>,
    next_cell: usize,
    /// The reader for every line not read here (made on first need).
    slow: Option<UsageReader<'m, std::io::Empty>>,
    rec: CsvRecord,
}

impl<'m> BlockParser<'m> {
    /// A parser of `file`'s records (with a leading customer column when
    /// `has_customer`) against `matrix`.
    pub fn new(matrix: &'m Matrix, file: &str, has_customer: bool) -> Self {
        BlockParser {
            matrix,
            file: file.to_string(),
            has_customer,
            last_customer: String::with_capacity(64),
            last_day: [0; 10],
            last_day_start: None,
            cells: Vec::new(),
            next_cell: 0,
            slow: None,
            rec: CsvRecord::default(),
        }
    }

    /// Reads `block`, whole lines of which the first is line `first_line`
    /// of the file (1-based), calling `row` for each record in order. Blank
    /// lines are skipped (and counted), a line may end in CRLF, and the last
    /// line needs no line end. Stops at the first error: the reader's, or
    /// `row`'s.
    pub fn parse<E: From<Error>>(
        &mut self,
        block: &[u8],
        first_line: u64,
        mut row: impl FnMut(&BlockRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut line = first_line.saturating_sub(1);
        let mut start = 0usize;
        while let Some(rest) = block.get(start..).filter(|r| !r.is_empty()) {
            line = line.saturating_add(1);
            // The usual line, its end found by reading it.
            if let Some(f) = self.fast(rest) {
                start = start.saturating_add(f.len);
                row(&BlockRow {
                    line,
                    customer: &self.last_customer,
                    customer_changed: f.customer_changed,
                    hour: f.hour,
                    cell: f.cell,
                    mantissa: i128::from(f.mantissa),
                    scale: f.scale,
                })?;
                continue;
            }
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let raw = rest.get(..end).unwrap_or_default();
            start = start.saturating_add(end).saturating_add(1);
            let l = raw.strip_suffix(b"\r").unwrap_or(raw);
            if l.is_empty() {
                continue;
            }
            if l.len() > MAX_LINE_BYTES {
                let slow = self.slow();
                slow.line_no = line;
                return Err(slow.too_long().into());
            }
            self.slow_line(l, line, &mut row)?;
        }
        Ok(())
    }

    /// The usual line at the start of `l` (the rest of the block), read in
    /// place up to its line end; `None` for anything else. Its customer is
    /// then `last_customer` (its text checked only when it changes).
    #[inline]
    fn fast(&mut self, l: &[u8]) -> Option<Fast> {
        let (customer, customer_changed, rest) = if self.has_customer {
            let n = self.last_customer.len();
            match l.split_at_checked(n) {
                Some((c, [b',', rest @ ..])) if n > 0 && same(c, self.last_customer.as_bytes()) => {
                    (c, false, rest)
                }
                _ => {
                    let i = l
                        .iter()
                        .position(|&b| b == b',' || b == b'"' || b == b'\n' || !b.is_ascii())?;
                    let (c, rest) = l.split_at_checked(i)?;
                    let (&b',', rest) = rest.split_first()? else {
                        return None;
                    };
                    (c, true, rest)
                }
            }
        } else {
            (&[][..], false, l)
        };
        let (ts, rest) = rest.split_first_chunk::<20>()?;
        let (&b',', rest) = rest.split_first()? else {
            return None;
        };
        let (day, hh) = canonical(ts)?;
        let hour = match self.last_day_start {
            Some(s) if *day == self.last_day => Hour(s.saturating_add(hh)),
            _ => {
                let h = Hour::parse_rfc3339(std::str::from_utf8(ts).ok()?).ok()?;
                self.last_day = *day;
                self.last_day_start = Some(h.0.saturating_sub(hh));
                h
            }
        };
        let (cell, q) = self.cells.iter().find_map(|(names, cell)| {
            let (a, q) = rest.split_at_checked(names.len())?;
            same(a, names).then_some((*cell, q))
        })?;
        let (mantissa, scale, n) = digits(q)?;
        // The line ends right after the quantity (LF, CRLF or the block's end).
        let end = l.len().saturating_sub(q.len()).saturating_add(n);
        let len = match l.get(end..) {
            Some([b'\n', ..]) => end.saturating_add(1),
            Some([b'\r', b'\n', ..]) => end.saturating_add(2),
            Some([b'\r']) => end.saturating_add(1),
            Some([]) => end,
            _ => return None,
        };
        if end > MAX_LINE_BYTES {
            return None;
        }
        if customer_changed {
            self.last_customer.clear();
            self.last_customer
                .push_str(std::str::from_utf8(customer).ok()?);
        }
        Some(Fast {
            len,
            customer_changed,
            hour,
            cell,
            mantissa,
            scale,
        })
    }

    fn slow(&mut self) -> &mut UsageReader<'m, std::io::Empty> {
        let (file, matrix, customer) = (&self.file, self.matrix, self.has_customer);
        self.slow.get_or_insert_with(|| {
            UsageReader::records(std::io::empty(), file, matrix, 1, customer, 0)
        })
    }

    /// A line the reader reads: its record or its error; an unquoted
    /// line's cell joins the cache.
    fn slow_line<E: From<Error>>(
        &mut self,
        l: &[u8],
        line: u64,
        row: &mut impl FnMut(&BlockRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let base = usize::from(self.has_customer);
        let (file, matrix, customer) = (&self.file, self.matrix, self.has_customer);
        let slow = self.slow.get_or_insert_with(|| {
            UsageReader::records(std::io::empty(), file, matrix, 1, customer, 0)
        });
        slow.set_line(l, line);
        slow.record(&mut self.rec)?;
        if !slow.quoted {
            let names = slow
                .fields
                .get(base.saturating_add(1))
                .zip(slow.fields.get(base.saturating_add(3)))
                .and_then(|(a, b)| slow.line.get(a.0..=b.1));
            if let Some(names) = names {
                let entry = (names.to_vec(), self.rec.cell);
                if !self.cells.iter().any(|(n, _)| *n == entry.0) {
                    if self.cells.len() < CELL_CACHE {
                        self.cells.push(entry);
                    } else if let Some(slot) = self.cells.get_mut(self.next_cell) {
                        *slot = entry;
                        self.next_cell = self.next_cell.saturating_add(1) % CELL_CACHE;
                    }
                }
            }
        }
        let customer_changed = !same(self.rec.customer.as_bytes(), self.last_customer.as_bytes())
            || (self.has_customer && self.last_customer.is_empty());
        if customer_changed {
            self.last_customer.clear();
            self.last_customer.push_str(&self.rec.customer);
        }
        let (mantissa, scale) = crate::wide::split(self.rec.quantity.get());
        row(&BlockRow {
            line,
            customer: &self.rec.customer,
            customer_changed,
            hour: self.rec.hour,
            cell: self.rec.cell,
            mantissa,
            scale,
        })
    }
}

/// What [`BlockParser::fast`] read of a line (its customer aside).
struct Fast {
    /// Bytes of the line with its line end.
    len: usize,
    customer_changed: bool,
    hour: Hour,
    cell: CellId,
    mantissa: u64,
    scale: u32,
}

/// A plain quantity of at most 18 digits (`500`, `454.899`, `.5`, `12.`)
/// at the start of `q`, up to the first byte that is neither a digit nor a
/// dot: its digits, decimal places and length; `None` for anything else
/// (the reader then reads it, or says what is wrong).
#[inline]
fn digits(q: &[u8]) -> Option<(u64, u32, usize)> {
    let mut m = 0u64;
    let mut n = 0u32;
    let mut dot: Option<usize> = None;
    let mut len = q.len();
    for (i, &c) in q.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                m = m
                    .wrapping_mul(10)
                    .wrapping_add(u64::from(c.wrapping_sub(b'0')));
                n = n.wrapping_add(1);
            }
            b'.' if dot.is_none() => dot = Some(i),
            _ => {
                len = i;
                break;
            }
        }
        if i >= 19 {
            return None;
        }
    }
    if n == 0 || n > 18 {
        return None;
    }
    let scale = dot.map_or(0, |i| len.wrapping_sub(i).wrapping_sub(1));
    Some((m, u32::try_from(scale).ok()?, len))
}
