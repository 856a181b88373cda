//! Hourly usage: records and the dense per-cell hourly series over a term.
//!
//! CSV reading lives in [`crate::usage_csv`]; synthetic usage in
//! [`crate::profile`].

use crate::error::UsageIssue;
use crate::matrix::{CellId, Matrix};
use crate::num::Quantity;
use crate::time::{Hour, Term};

/// One metered hour in one cell: the average quantity held during that UTC hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourRecord {
    /// The UTC hour.
    pub hour: Hour,
    /// The cell.
    pub cell: CellId,
    /// Average quantity held during the hour (≥ 0).
    pub quantity: Quantity,
}

/// One cell's hourly quantities over a term; index 0 is the term's first hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellSeries {
    /// The cell.
    pub cell: CellId,
    /// Quantity per hour of the term (absent hours are zero).
    pub quantities: Vec<Quantity>,
}

/// Dense hourly usage over a term, one series per used cell, in matrix order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageSeries {
    start: Hour,
    hours: usize,
    cells: Vec<CellSeries>,
    /// Per cell (parallel to `cells`), which hours have a record: duplicate
    /// detection. One bit per hour.
    seen: Vec<Vec<u64>>,
}

impl UsageSeries {
    /// Empty usage over a term.
    pub fn new(term: &Term) -> UsageSeries {
        UsageSeries {
            start: term.start_hour(),
            hours: term.hours(),
            cells: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// First hour covered.
    pub fn start(&self) -> Hour {
        self.start
    }
    /// Number of hours covered.
    pub fn hours(&self) -> usize {
        self.hours
    }
    /// The used cells' series in matrix order.
    pub fn cells(&self) -> &[CellSeries] {
        &self.cells
    }

    /// Adds one record, refusing hours outside the term, negative quantities,
    /// not-offered cells and a second record for the same hour and cell.
    ///
    /// ```
    /// use unitcalc_core::{time::{Date, Hour, Term}, usage::UsageSeries, matrix::CellId};
    /// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
    /// let mut u = UsageSeries::new(&term);
    /// let cell = CellId { meter: 0, environment: 0, use_case: 0 };
    /// let h = Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
    /// u.insert(None, h, cell, "500".parse().unwrap()).unwrap();
    /// assert!(u.insert(None, h, cell, "1".parse().unwrap()).is_err()); // duplicate
    /// ```
    pub fn insert(
        &mut self,
        matrix: Option<&Matrix>,
        hour: Hour,
        cell: CellId,
        quantity: Quantity,
    ) -> Result<(), UsageIssue> {
        let cell_name =
            || matrix.map_or_else(|| format!("{cell:?}"), |m| m.cell_name(cell).to_string());
        let outside = || UsageIssue::OutsideTerm {
            hour,
            start: self.start,
            end: Hour(
                self.start
                    .0
                    .saturating_add(i64::try_from(self.hours).unwrap_or(i64::MAX)),
            ),
        };
        let off = hour
            .0
            .checked_sub(self.start.0)
            .and_then(|o| usize::try_from(o).ok())
            .filter(|&o| o < self.hours)
            .ok_or_else(outside)?;
        if quantity.get().is_sign_negative() && !quantity.is_zero() {
            return Err(UsageIssue::NegativeQuantity(quantity.to_string()));
        }
        if let Some(m) = matrix {
            if m.cell_rate(cell).is_none() {
                return Err(UsageIssue::NotOffered(cell_name()));
            }
        }
        let i = match self.cells.binary_search_by(|c| c.cell.cmp(&cell)) {
            Ok(i) => i,
            Err(i) => {
                self.cells.insert(
                    i,
                    CellSeries {
                        cell,
                        quantities: vec![Quantity::ZERO; self.hours],
                    },
                );
                self.seen.insert(i, vec![0u64; self.hours.div_ceil(64)]);
                i
            }
        };
        let (word, bit) = (off / 64, 1u64 << (off % 64));
        let (Some(seen), Some(slot)) = (
            self.seen.get_mut(i).and_then(|s| s.get_mut(word)),
            self.cells
                .get_mut(i)
                .and_then(|c| c.quantities.get_mut(off)),
        ) else {
            return Err(outside());
        };
        if *seen & bit != 0 {
            return Err(UsageIssue::Duplicate {
                hour,
                cell: cell_name(),
            });
        }
        *seen |= bit;
        *slot = quantity;
        Ok(())
    }

    /// Sets a whole cell series (used by the profile generator); replaces any
    /// earlier series for the cell. `quantities` must cover every hour.
    pub fn set_series(&mut self, cell: CellId, quantities: Vec<Quantity>) {
        debug_assert_eq!(quantities.len(), self.hours);
        let full = vec![u64::MAX; self.hours.div_ceil(64)];
        match self.cells.binary_search_by(|c| c.cell.cmp(&cell)) {
            Ok(i) => {
                if let (Some(c), Some(s)) = (self.cells.get_mut(i), self.seen.get_mut(i)) {
                    c.quantities = quantities;
                    *s = full;
                }
            }
            Err(i) => {
                self.cells.insert(i, CellSeries { cell, quantities });
                self.seen.insert(i, full);
            }
        }
    }

    /// The non-zero records in time order, and within an hour in matrix order.
    pub fn records(&self) -> impl Iterator<Item = HourRecord> + '_ {
        (0..self.hours).flat_map(move |h| {
            let hour = Hour(
                self.start
                    .0
                    .saturating_add(i64::try_from(h).unwrap_or(i64::MAX)),
            );
            self.cells.iter().filter_map(move |c| {
                let q = c.quantities.get(h).copied().unwrap_or(Quantity::ZERO);
                (!q.is_zero()).then_some(HourRecord {
                    hour,
                    cell: c.cell,
                    quantity: q,
                })
            })
        })
    }
}
