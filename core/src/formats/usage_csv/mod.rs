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

mod block;
#[cfg(test)]
mod block_tests;
mod line;
mod quantity;
mod reader;
#[cfg(test)]
mod tests;

pub use block::{BlockParser, BlockRow};
#[doc(hidden)]
pub use reader::{Start, UsageReader};

use crate::error::{Error, Origin, Result};
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
/// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
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
    let has_customer = reader.has_customer();
    series_of(
        |rec| reader.next_record(rec),
        has_customer,
        file,
        matrix,
        term,
    )
}

/// The records `next` yields (one customer at most, when `has_customer`)
/// in a dense series over `term`: [`read_usage`]'s checks, for every usage
/// format (the Parquet reader's records too).
pub fn series_of(
    mut next: impl FnMut(&mut CsvRecord) -> Result<bool>,
    has_customer: bool,
    file: &str,
    matrix: &Matrix,
    term: &Term,
) -> Result<UsageSeries> {
    let mut series = UsageSeries::new(term);
    let mut rec = CsvRecord::default();
    let mut customer: Option<String> = None;
    while next(&mut rec)? {
        if has_customer {
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
