//! Hourly usage in Parquet (feature `parquet`): the columns of the usage CSV
//! (`customer` optional, `timestamp`, `meter`, `environment`, `use_case`,
//! `quantity`), read in batches of rows, one row group at a time, so memory
//! stays bounded by a row group whatever the file's size.
//!
//! Each batch of rows is written as the CSV's text and read by the CSV's own
//! reader ([`UsageReader`]): the records, the checks and the messages are the
//! CSV's, with the row number (1-based, counting data rows only) where the
//! CSV names a line. Column types (`docs/usage-format.md`):
//!
//! - `customer`, `meter`, `environment`, `use_case`: text (plain or
//!   dictionary-encoded);
//! - `timestamp`: UTC timestamps (any unit, time zone `UTC` or `+00:00`), or
//!   RFC 3339 text; timestamps without a time zone are refused;
//! - `quantity`: decimals (`decimal128`, `decimal256`), whole numbers, or
//!   text; floating-point quantities are refused unless the caller names a
//!   scale ([`ParquetOptions::float_scale`]): then each float is read as its
//!   shortest decimal (the one that reads back as the same float), refused
//!   when that has more decimal places than the scale. Nothing is rounded.

use std::io::Cursor;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::file::reader::ChunkReader;

use super::usage_csv::{CsvRecord, Start, UsageReader};
use crate::error::{Error, Origin, Result};
use crate::matrix::Matrix;
use crate::time::{Date, Term};
use crate::usage::UsageSeries;

/// Rows per batch read from a row group.
const BATCH_ROWS: usize = 8192;

/// The columns, in the CSV's order; `customer` is optional.
const COLUMNS: [&str; 6] = [
    "customer",
    "timestamp",
    "meter",
    "environment",
    "use_case",
    "quantity",
];

/// A usage file's format, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageFormat {
    /// Hourly usage CSV.
    Csv,
    /// Parquet with the CSV's columns.
    Parquet,
}

impl UsageFormat {
    /// The one rule for choosing a usage reader: a name ending `.parquet`
    /// or `.pq` (any case) is Parquet, anything else CSV.
    ///
    /// ```
    /// use unitcalc_core::usage_parquet::UsageFormat;
    /// assert_eq!(UsageFormat::of("books/usage.PARQUET"), UsageFormat::Parquet);
    /// assert_eq!(UsageFormat::of("usage.csv"), UsageFormat::Csv);
    /// ```
    pub fn of(name: &str) -> UsageFormat {
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
        if ext.eq_ignore_ascii_case("parquet") || ext.eq_ignore_ascii_case("pq") {
            UsageFormat::Parquet
        } else {
            UsageFormat::Csv
        }
    }
}

/// How a Parquet usage file is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParquetOptions {
    /// Decimal places at which a floating-point `quantity` column is read
    /// (exactly, or refused); `None` refuses float columns.
    pub float_scale: Option<u32>,
}

/// A streaming Parquet usage reader, yielding the same [`CsvRecord`]s as the
/// CSV's [`UsageReader`] (with [`CsvRecord::line`] the row number).
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use parquet::arrow::ArrowWriter;
/// use unitcalc_core::usage_csv::CsvRecord;
/// use unitcalc_core::usage_parquet::{ParquetOptions, ParquetUsage};
/// # let matrix = unitcalc_core::bundled::matrix("spec-m").unwrap();
/// let text = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("timestamp", text(&["2026-03-01T00:00:00Z", "2026-03-01T01:00:00Z"])),
///     ("meter", text(&["capacity", "capacity"])),
///     ("environment", text(&["aws", "aws"])),
///     ("use_case", text(&["hot", "cold"])),
///     ("quantity", text(&["500", "1"])),
/// ]).unwrap();
/// let mut bytes = Vec::new();
/// let mut w = ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
/// w.write(&batch).unwrap();
/// w.close().unwrap();
///
/// let mut r = ParquetUsage::from_bytes(bytes, "usage.parquet", &matrix, ParquetOptions::default()).unwrap();
/// let mut rec = CsvRecord::default();
/// assert!(r.next_record(&mut rec).unwrap());
/// assert_eq!((rec.line, rec.quantity.to_string()), (1, "500".to_string()));
/// // The CSV's message, with the row number.
/// assert_eq!(r.next_record(&mut rec).unwrap_err().to_string(), "usage.parquet:2: unknown use case `cold`");
/// ```
pub struct ParquetUsage<'m> {
    batches: ParquetRecordBatchReader,
    file: String,
    matrix: &'m Matrix,
    options: ParquetOptions,
    /// Column index in the file per [`COLUMNS`] entry.
    columns: [Option<usize>; 6],
    /// 1-based row number of the next batch's first row.
    next_row: u64,
    /// The current batch, as CSV text, being read.
    current: Option<UsageReader<'m, Cursor<Vec<u8>>>>,
    done: bool,
}

impl<'m> ParquetUsage<'m> {
    /// Opens a Parquet file (any [`ChunkReader`]: a `std::fs::File`, bytes)
    /// and checks its columns; `file` names it in errors.
    pub fn new<T: ChunkReader + 'static>(
        input: T,
        file: &str,
        matrix: &'m Matrix,
        options: ParquetOptions,
    ) -> Result<Self> {
        let err = |message: String| Error::Csv {
            at: Origin::file(file),
            message,
        };
        let builder = ParquetRecordBatchReaderBuilder::try_new(input)
            .map_err(|e| err(format!("not a readable Parquet file: {e}")))?;
        let schema = builder.schema().clone();
        let mut columns = [None; 6];
        for (i, field) in schema.fields().iter().enumerate() {
            let Some(k) = COLUMNS.iter().position(|c| *c == field.name()) else {
                return Err(err(format!(
                    "unknown column `{}` (the columns are {})",
                    field.name(),
                    expected()
                )));
            };
            check_type(k, field.data_type(), options).map_err(&err)?;
            if let Some(slot) = columns.get_mut(k) {
                *slot = Some(i);
            }
        }
        for (k, name) in COLUMNS.iter().enumerate().skip(1) {
            if columns.get(k).copied().flatten().is_none() {
                return Err(err(format!(
                    "missing column `{name}` (the columns are {})",
                    expected()
                )));
            }
        }
        let batches = builder
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| err(format!("not a readable Parquet file: {e}")))?;
        Ok(ParquetUsage {
            batches,
            file: file.to_string(),
            matrix,
            options,
            columns,
            next_row: 1,
            current: None,
            done: false,
        })
    }

    /// Reads a Parquet file held in memory.
    pub fn from_bytes(
        bytes: Vec<u8>,
        file: &str,
        matrix: &'m Matrix,
        options: ParquetOptions,
    ) -> Result<Self> {
        Self::new(bytes::Bytes::from(bytes), file, matrix, options)
    }

    /// True when the file has a `customer` column.
    pub fn has_customer(&self) -> bool {
        self.columns.first().copied().flatten().is_some()
    }

    /// Reads the next record into `out`; `Ok(false)` at the end of the file.
    /// After an error the reader stays at the end.
    pub fn next_record(&mut self, out: &mut CsvRecord) -> Result<bool> {
        while !self.done {
            if let Some(r) = self.current.as_mut() {
                match r.next_record(out) {
                    Ok(true) => return Ok(true),
                    Ok(false) => self.current = None,
                    Err(e) => {
                        self.done = true;
                        return Err(e);
                    }
                }
            }
            match self.next_batch() {
                Ok(true) => {}
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            }
        }
        Ok(false)
    }

    /// Reads the next batch and writes it as CSV text for the CSV's reader.
    fn next_batch(&mut self) -> Result<bool> {
        let batch = match self.batches.next() {
            None => return Ok(false),
            Some(b) => b.map_err(|e| Error::Csv {
                at: Origin::line(&self.file, row_u32(self.next_row)),
                message: format!("unreadable Parquet data: {e}"),
            })?,
        };
        let first = self.next_row;
        let text = self.csv_text(&batch, first)?;
        self.next_row = first.saturating_add(batch.num_rows() as u64);
        let start = Start::Records {
            customer: self.has_customer(),
        };
        self.current = Some(UsageReader::from_line(
            Cursor::new(text),
            &self.file,
            self.matrix,
            first,
            start,
        )?);
        Ok(true)
    }

    /// The batch's rows as CSV lines, in the CSV's column order.
    fn csv_text(&self, batch: &RecordBatch, first: u64) -> Result<Vec<u8>> {
        let at = |row: usize| Origin::line(&self.file, row_u32(first.saturating_add(row as u64)));
        let mut cols: Vec<(usize, Column)> = Vec::with_capacity(6);
        for (k, i) in self.columns.iter().enumerate() {
            if let Some(a) = i.and_then(|i| batch.columns().get(i)) {
                let col = Column::of(k, a, self.options).map_err(|message| Error::Csv {
                    at: Origin::file(&self.file),
                    message,
                })?;
                cols.push((k, col));
            }
        }
        let mut text = Vec::with_capacity(batch.num_rows().saturating_mul(64));
        let mut field = String::new();
        for row in 0..batch.num_rows() {
            for (n, (k, col)) in cols.iter().enumerate() {
                if n > 0 {
                    text.push(b',');
                }
                field.clear();
                col.write(row, &mut field).map_err(|message| Error::Csv {
                    at: at(row),
                    message,
                })?;
                if field.contains(['\n', '\r']) {
                    let name = COLUMNS.get(*k).copied().unwrap_or_default();
                    return Err(Error::Csv {
                        at: at(row),
                        message: format!(
                            "a line break in column `{name}`: `{}`",
                            field.escape_default()
                        ),
                    });
                }
                if field.contains([',', '"']) {
                    text.push(b'"');
                    text.extend_from_slice(field.replace('"', "\"\"").as_bytes());
                    text.push(b'"');
                } else {
                    text.extend_from_slice(field.as_bytes());
                }
            }
            text.push(b'\n');
        }
        Ok(text)
    }
}

/// Reads a whole Parquet usage file (no `customer` column, or a single
/// customer) into a dense series over `term`, with the checks of
/// [`crate::usage_csv::read_usage`].
pub fn read_usage<T: ChunkReader + 'static>(
    input: T,
    file: &str,
    matrix: &Matrix,
    term: &Term,
    options: ParquetOptions,
) -> Result<UsageSeries> {
    let mut r = ParquetUsage::new(input, file, matrix, options)?;
    let has_customer = r.has_customer();
    super::usage_csv::series_of(|rec| r.next_record(rec), has_customer, file, matrix, term)
}

fn row_u32(row: u64) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX)
}

fn expected() -> String {
    let names: Vec<String> = COLUMNS.iter().map(|c| format!("`{c}`")).collect();
    format!("{} (`customer` optional)", names.join(", "))
}

fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_text(v),
        _ => false,
    }
}

fn is_utc(tz: &str) -> bool {
    ["UTC", "+00:00", "Z", "Etc/UTC", "+0000"]
        .iter()
        .any(|u| tz.eq_ignore_ascii_case(u))
}

/// Checks column `k`'s type (an index into [`COLUMNS`]).
fn check_type(k: usize, t: &DataType, options: ParquetOptions) -> Result<(), String> {
    let name = COLUMNS.get(k).copied().unwrap_or_default();
    let ok = match (name, t) {
        (_, t) if is_text(t) => true,
        ("timestamp", DataType::Timestamp(_, Some(tz))) if is_utc(tz) => true,
        ("timestamp", DataType::Timestamp(_, Some(tz))) => {
            return Err(format!(
                "column `timestamp` is in time zone `{tz}`: usage timestamps are UTC"
            ))
        }
        ("timestamp", DataType::Timestamp(_, None)) => {
            return Err(
                "column `timestamp` has timestamps without a time zone: write them as UTC timestamps (or RFC 3339 text)".into(),
            )
        }
        ("quantity", DataType::Decimal128(..) | DataType::Decimal256(..)) => true,
        ("quantity", t) if t.is_integer() => true,
        ("quantity", DataType::Float16 | DataType::Float32 | DataType::Float64) => {
            if options.float_scale.is_none() {
                return Err(format!(
                    "column `quantity` holds floating-point numbers ({t}), which are not exact: write decimals or text, or name a scale to read them at"
                ));
            }
            true
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "column `{name}` has type {t}, which is not a usage type (see the usage format)"
        ))
    }
}

/// One column of a batch, ready to write as CSV fields.
enum Column {
    /// Text (and decimals, whole numbers, cast to text by arrow).
    Text(ArrayRef),
    /// UTC timestamps: seconds per unit.
    Time(ArrayRef, TimeUnit),
    /// Floats read at a scale.
    Float(ArrayRef, u32),
}

impl Column {
    fn of(k: usize, a: &ArrayRef, options: ParquetOptions) -> Result<Column, String> {
        let name = COLUMNS.get(k).copied().unwrap_or_default();
        match a.data_type() {
            DataType::Timestamp(unit, _) => Ok(Column::Time(a.clone(), *unit)),
            DataType::Float16 | DataType::Float32 | DataType::Float64 => {
                let scale = options.float_scale.unwrap_or(0);
                // Float16 widens to Float32 exactly; each keeps its own shortest text.
                let f = match a.data_type() {
                    DataType::Float16 => arrow_cast::cast(a, &DataType::Float32)
                        .map_err(|e| format!("column `{name}`: {e}"))?,
                    _ => a.clone(),
                };
                Ok(Column::Float(f, scale))
            }
            DataType::Utf8 => Ok(Column::Text(a.clone())),
            _ => arrow_cast::cast(a, &DataType::Utf8)
                .map(Column::Text)
                .map_err(|e| format!("column `{name}`: {e}")),
        }
    }

    /// Writes row `i` (an empty field when null).
    fn write(&self, i: usize, out: &mut String) -> Result<(), String> {
        use std::fmt::Write as _;
        match self {
            Column::Text(a) => {
                if a.is_valid(i) {
                    out.push_str(a.as_string::<i32>().value(i));
                }
            }
            Column::Time(a, unit) => {
                if !a.is_valid(i) {
                    return Ok(());
                }
                let (v, per_second, digits) = match unit {
                    TimeUnit::Second => (a.as_primitive::<TimestampSecondType>().value(i), 1, 0),
                    TimeUnit::Millisecond => (
                        a.as_primitive::<TimestampMillisecondType>().value(i),
                        1_000,
                        3,
                    ),
                    TimeUnit::Microsecond => (
                        a.as_primitive::<TimestampMicrosecondType>().value(i),
                        1_000_000,
                        6,
                    ),
                    TimeUnit::Nanosecond => (
                        a.as_primitive::<TimestampNanosecondType>().value(i),
                        1_000_000_000,
                        9,
                    ),
                };
                write_rfc3339(out, v, per_second, digits);
            }
            Column::Float(a, scale) => {
                if !a.is_valid(i) {
                    return Ok(());
                }
                // The shortest decimal that reads back as this float.
                let finite = match a.data_type() {
                    DataType::Float32 => {
                        let f = a.as_primitive::<arrow_array::types::Float32Type>().value(i);
                        let _ = write!(out, "{f}");
                        f.is_finite()
                    }
                    _ => {
                        let f = a.as_primitive::<arrow_array::types::Float64Type>().value(i);
                        let _ = write!(out, "{f}");
                        f.is_finite()
                    }
                };
                if !finite {
                    return Err(format!("invalid quantity `{out}` (not a number)"));
                }
                let places = out.split_once('.').map_or(0, |(_, frac)| frac.len());
                if places > *scale as usize {
                    return Err(format!(
                        "quantity `{out}` (a floating-point number) has {places} decimal places, more than the scale of {scale}: it cannot be read exactly at that scale"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `v` units since the epoch (`per_second` units a second) as RFC 3339 UTC
/// text, with the fraction when there is one, for the CSV's timestamp check.
fn write_rfc3339(out: &mut String, v: i64, per_second: i64, digits: usize) {
    use std::fmt::Write as _;
    let secs = v.div_euclid(per_second);
    let frac = v.rem_euclid(per_second);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    match Date::from_days_since_epoch(days) {
        Some(d) => {
            let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
            let _ = write!(out, "{d}T{h:02}:{m:02}:{s:02}");
            if frac != 0 {
                let _ = write!(out, ".{frac:0digits$}");
            }
            out.push('Z');
        }
        // Outside the calendar: the CSV's reader names the value.
        None => {
            let _ = write!(out, "{v}");
        }
    }
}
