//! The core crate's one error type. Every variant that comes from input names
//! where: the file (or source name), the line and column where there is one,
//! and the offending value.

use std::fmt;

use serde::Serialize;

use crate::num::Overflow;
use crate::time::{Hour, TimeError};

/// Where an input error was found: a file or source name, and a line and
/// column when the input has them (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Origin {
    /// File path or a name for the source ("pasted matrix", "share link").
    pub file: String,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
}

impl Origin {
    /// An origin with only a file name.
    pub fn file(file: impl Into<String>) -> Origin {
        Origin {
            file: file.into(),
            line: None,
            column: None,
        }
    }
    /// An origin with a file name and line.
    pub fn line(file: impl Into<String>, line: u32) -> Origin {
        Origin {
            file: file.into(),
            line: Some(line),
            column: None,
        }
    }
    /// An origin with a file name, line and column.
    pub fn at(file: impl Into<String>, line: u32, column: u32) -> Origin {
        Origin {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
    /// The 1-based line and column of byte `offset` in `src`.
    pub fn from_offset(file: impl Into<String>, src: &str, offset: usize) -> Origin {
        let before = src.get(..offset.min(src.len())).unwrap_or(src);
        let line = before.matches('\n').count().saturating_add(1);
        let col = before
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            .saturating_add(1);
        Origin::at(
            file,
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// A problem with one usage record, before it is given a location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageIssue {
    /// The record's hour is outside `[term start, term end)`.
    #[error("hour {hour} is outside the term {start} to {end}")]
    OutsideTerm {
        /// The record's hour.
        hour: Hour,
        /// Term start (inclusive).
        start: Hour,
        /// Term end (exclusive).
        end: Hour,
    },
    /// A second record for the same hour and cell.
    #[error("duplicate record for hour {hour} and cell {cell}")]
    Duplicate {
        /// The hour.
        hour: Hour,
        /// `meter/environment/use_case`.
        cell: String,
    },
    /// Records must arrive in time order (streaming); this one goes back.
    #[error("hour {hour} comes after hour {previous}: usage must be in time order")]
    NotInTimeOrder {
        /// The record's hour.
        hour: Hour,
        /// The latest hour seen before it.
        previous: Hour,
    },
    /// A quantity below zero.
    #[error("negative quantity {0}")]
    NegativeQuantity(String),
    /// Usage in a cell the matrix marks as not offered.
    #[error("cell {0} is not offered in this matrix")]
    NotOffered(String),
    /// Usage in one more cell would make the dense hourly series larger than
    /// [`crate::usage::MAX_SERIES_SLOTS`] (cells × hours of the term).
    #[error(
        "usage in cell {cell} would make {cells} cells × {hours} hours, more than the limit of {limit} cell-hours"
    )]
    TooManyCells {
        /// The cell that would be added, `meter/environment/use_case`.
        cell: String,
        /// Cells with usage, counting this one.
        cells: usize,
        /// Hours of the term.
        hours: usize,
        /// [`crate::usage::MAX_SERIES_SLOTS`].
        limit: usize,
    },
    /// An overflow while accumulating.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}

impl Error {
    /// [`Error::TooLarge`] when `size` bytes of `what` pass `limit`: for
    /// front ends that check an upload's size before reading it.
    ///
    /// ```
    /// use unitcalc_core::{usage_csv::MAX_UPLOAD_BYTES, Error};
    /// assert!(Error::check_size("usage.csv", MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES).is_ok());
    /// let e = Error::check_size("usage.csv", MAX_UPLOAD_BYTES + 1, MAX_UPLOAD_BYTES).unwrap_err();
    /// assert_eq!(e.to_string(), "usage.csv is 67108865 bytes; the limit is 67108864 bytes");
    /// ```
    pub fn check_size(what: &str, size: usize, limit: usize) -> Result<()> {
        if size > limit {
            return Err(Error::TooLarge {
                what: what.to_string(),
                size,
                limit,
            });
        }
        Ok(())
    }
}

/// Every error the core can return.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// TOML that does not parse or does not fit the schema: syntax, a float
    /// literal where a decimal string belongs, an unknown key, a missing field.
    #[error("{at}: {message}")]
    Toml {
        /// Where.
        at: Origin,
        /// What the parser said, including the offending value.
        message: String,
    },
    /// A matrix or deal that parses but breaks a rule: a zero or negative
    /// rate, a duplicate id, a missing multiplier pair, an unknown currency.
    #[error("{at}: {message}")]
    Invalid {
        /// Where.
        at: Origin,
        /// The rule broken and the offending value.
        message: String,
    },
    /// A name that is not in the matrix.
    #[error("{at}: unknown {what} `{value}`")]
    Unknown {
        /// Where.
        at: Origin,
        /// `meter`, `environment`, `use case`, `customer`…
        what: &'static str,
        /// The name given.
        value: String,
    },
    /// A malformed CSV header or row.
    #[error("{at}: {message}")]
    Csv {
        /// Where (file and line).
        at: Origin,
        /// What is wrong, with the offending value.
        message: String,
    },
    /// A bad date, timestamp or term.
    #[error("{at}: {source}")]
    Time {
        /// Where.
        at: Origin,
        /// What is wrong.
        source: TimeError,
    },
    /// A bad usage record (outside the term, duplicate, negative, not offered…).
    #[error("{at}: {source}")]
    Usage {
        /// Where.
        at: Origin,
        /// What is wrong.
        source: UsageIssue,
    },
    /// An offer whose parameters break a rule (negative discount, an
    /// entitlement in a not-offered cell, an unknown marketplace…).
    #[error("offer `{offer}`: {message}")]
    Offer {
        /// The offer's name.
        offer: String,
        /// The rule broken and the offending value.
        message: String,
    },
    /// Usage that cannot be metered as the deal's metering plan says (a
    /// metered cell without a dimension, an amount that is no whole number
    /// of a dimension's price, a quantity past a marketplace's limit).
    #[error("metering: {message}")]
    Metering {
        /// What cannot be reported, naming the period, dimension and value.
        message: String,
    },
    /// An amount too large for exact decimal arithmetic.
    #[error("{context}: {source}")]
    Overflow {
        /// What was being priced.
        context: String,
        /// What overflowed.
        source: Overflow,
    },
    /// An input larger than a documented limit, refused before processing.
    #[error("{what} is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// What was refused.
        what: String,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// An error while pricing one customer of a book ([`crate::book::Repricer`]).
    #[error("customer `{customer}`: {source}")]
    Customer {
        /// The customer's name.
        customer: String,
        /// What went wrong.
        source: Box<Error>,
    },
    /// An error that arose only under a book's candidate matrix.
    #[error("{source} (under candidate matrix `{matrix}`)")]
    Candidate {
        /// The candidate matrix's name.
        matrix: String,
        /// What went wrong.
        source: Box<Error>,
    },
}

impl Error {
    /// A usage issue at a location.
    pub fn usage(at: Origin, source: UsageIssue) -> Error {
        Error::Usage { at, source }
    }
}

/// Result alias for the core crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `unknown field `k`, expected …`, worded as serde words it.
/// How many characters of a value messages quote ([`clip`]).
pub(crate) const CLIP_CHARS: usize = 20;

/// The first [`CLIP_CHARS`] characters of a value, for quoting it in a
/// message (a long or hostile value does not flood the message).
pub(crate) fn clip(s: &str) -> String {
    clip_to(s, CLIP_CHARS)
}

/// The first `n` characters of a value, for quoting it in a message.
pub(crate) fn clip_to(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

pub(crate) fn unknown_field(k: &str, allowed: &[&str]) -> String {
    let names: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
    match names.as_slice() {
        [] => format!("unknown field `{k}`, there are no fields"),
        [one] => format!("unknown field `{k}`, expected {one}"),
        [a, b] => format!("unknown field `{k}`, expected {a} or {b}"),
        _ => format!("unknown field `{k}`, expected one of {}", names.join(", ")),
    }
}
