//! Hourly usage: records and the dense per-cell hourly series over a term.
//!
//! CSV reading lives in [`crate::usage_csv`]; synthetic usage in
//! [`crate::profile`].

use std::sync::Arc;

use crate::error::UsageIssue;
use crate::matrix::{CellId, Matrix};
use crate::num::Quantity;
use crate::time::{Hour, Period, Term};

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
    /// Quantity per hour of the term (absent hours are zero). Shared: a
    /// series kept from an earlier usage (the profile generator's cache) is
    /// the same allocation, so a cell whose series did not change is seen as
    /// such by identity ([`Arc::ptr_eq`]), without comparing its hours.
    pub quantities: Arc<Vec<Quantity>>,
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

/// The most cell-hours a dense [`UsageSeries`] may hold: 2^24 = 16,777,216
/// (256 MiB of quantities). A 120-month term (87,672 hours) fits 191 cells;
/// a 12-month term, 1,915. Past it, [`UsageSeries::insert`] refuses the
/// first record of the cell that does not fit, and
/// [`crate::profile::validate`] refuses the profile.
pub const MAX_SERIES_SLOTS: usize = 1 << 24;

/// [`UsageIssue::TooManyCells`] when `cells` series of `hours` would pass
/// [`MAX_SERIES_SLOTS`].
pub fn check_slots(
    cells: usize,
    hours: usize,
    cell: impl FnOnce() -> String,
) -> Result<(), UsageIssue> {
    match cells.checked_mul(hours) {
        Some(n) if n <= MAX_SERIES_SLOTS => Ok(()),
        _ => Err(UsageIssue::TooManyCells {
            cell: cell(),
            cells,
            hours,
            limit: MAX_SERIES_SLOTS,
        }),
    }
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
                check_slots(self.cells.len().saturating_add(1), self.hours, cell_name)?;
                self.cells.insert(
                    i,
                    CellSeries {
                        cell,
                        quantities: Arc::new(vec![Quantity::ZERO; self.hours]),
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
                .and_then(|c| Arc::make_mut(&mut c.quantities).get_mut(off)),
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
    /// earlier series for the cell. `quantities` must cover every hour; a
    /// shared series (an `Arc`) is kept as is, not copied.
    pub fn set_series(&mut self, cell: CellId, quantities: impl Into<Arc<Vec<Quantity>>>) {
        let quantities = quantities.into();
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

    /// The same usage in another matrix's cells: `to` maps each cell that
    /// has any usage (all-zero series are dropped); its first error stops.
    pub fn map_cells<E>(
        &self,
        mut to: impl FnMut(CellId) -> std::result::Result<CellId, E>,
    ) -> std::result::Result<UsageSeries, E> {
        let mut out = UsageSeries {
            start: self.start,
            hours: self.hours,
            cells: Vec::with_capacity(self.cells.len()),
            seen: Vec::with_capacity(self.cells.len()),
        };
        for c in &self.cells {
            if c.quantities.iter().any(|q| !q.is_zero()) {
                out.set_series(to(c.cell)?, c.quantities.clone());
            }
        }
        Ok(out)
    }

    /// The billing periods of `term` in which no cell has a single record:
    /// the months an uploaded usage file does not cover, whose hours price
    /// as zero. A series set whole ([`UsageSeries::set_series`], the
    /// profile generator) has a record every hour.
    ///
    /// ```
    /// use unitcalc_core::{time::{Date, Hour, Term}, usage::UsageSeries, matrix::CellId};
    /// let term = Term::new(Date::parse("2026-03-01").unwrap(), 3).unwrap();
    /// let mut u = UsageSeries::new(&term);
    /// let cell = CellId { meter: 0, environment: 0, use_case: 0 };
    /// let h = Hour::parse_rfc3339("2026-04-30T23:00:00Z").unwrap();
    /// u.insert(None, h, cell, "0".parse().unwrap()).unwrap(); // a record of zero is a record
    /// let empty: Vec<String> = u.periods_without_records(&term).iter().map(|p| p.label()).collect();
    /// assert_eq!(empty, ["2026-03", "2026-05"]);
    /// ```
    pub fn periods_without_records(&self, term: &Term) -> Vec<Period> {
        let offset = |h: Hour| {
            usize::try_from(h.0.saturating_sub(self.start.0))
                .unwrap_or(0)
                .min(self.hours)
        };
        let recorded = |o: usize| {
            self.seen.iter().any(|bits| {
                bits.get(o / 64)
                    .is_some_and(|w| w & (1u64 << (o % 64)) != 0)
            })
        };
        term.periods()
            .into_iter()
            .filter(|p| !(offset(p.start)..offset(p.end)).any(recorded))
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{validate, CellProfile, Profile};
    use crate::time::{Date, Term};

    /// (cells, hours, accepted?)
    #[test]
    fn series_slot_limit_table() {
        let table = [
            (191, 87_672, true),  // 120 months: 191 cells fit
            (192, 87_672, false), // the 192nd does not
            (1_915, 8_760, true), // 12 months
            (1_916, 8_760, false),
            (1, MAX_SERIES_SLOTS, true),
            (2, MAX_SERIES_SLOTS, false),
            (usize::MAX, 2, false), // the product overflows: refused, no panic
            (0, usize::MAX, true),
        ];
        for (cells, hours, ok) in table {
            let r = check_slots(cells, hours, || "capacity/aws/hot".into());
            assert_eq!(r.is_ok(), ok, "{cells} × {hours}");
        }
        let e = check_slots(192, 87_672, || "capacity/aws/hot".into()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "usage in cell capacity/aws/hot would make 192 cells × 87672 hours, more than the limit of 16777216 cell-hours"
        );
    }

    /// (hours with a record, from the term's first hour; the periods with none)
    #[test]
    fn periods_without_records_table() {
        let term = Term::new(Date::parse("2026-01-15").unwrap(), 3).unwrap();
        let cell = CellId {
            meter: 0,
            environment: 0,
            use_case: 0,
        };
        let all = ["2026-01", "2026-02", "2026-03", "2026-04"];
        let table: [(&[usize], &[&str]); 5] = [
            (&[], &all),
            (&[0], &["2026-02", "2026-03", "2026-04"]),
            (&[407], &["2026-02", "2026-03", "2026-04"]), // 2026-01-31T23: last hour of January
            (&[408], &["2026-01", "2026-03", "2026-04"]), // 2026-02-01T00
            (&[0, 1_000, 1_700, 2_159], &[]),             // 2159: the term's last hour
        ];
        for (hours, want) in table {
            let mut u = UsageSeries::new(&term);
            for &h in hours {
                let hour = Hour(term.start_hour().0 + i64::try_from(h).unwrap());
                u.insert(None, hour, cell, Quantity::ZERO).unwrap();
            }
            let got: Vec<String> = u
                .periods_without_records(&term)
                .iter()
                .map(|p| p.label())
                .collect();
            assert_eq!(got, want, "records at {hours:?}");
        }
    }

    #[test]
    fn a_profile_past_the_limit_is_refused_before_generating() {
        let term = Term::new(Date::parse("2016-01-01").unwrap(), 120).unwrap();
        let cells: Vec<CellProfile> = (0..192u16)
            .map(|u| CellProfile {
                cell: CellId {
                    meter: 0,
                    environment: 0,
                    use_case: u,
                },
                baseline: "1".parse().unwrap(),
                monthly_growth: Default::default(),
                daily_amplitude: Default::default(),
                weekend_dip: Default::default(),
                noise: Default::default(),
                bursts: vec![],
            })
            .collect();
        let e = validate(&Profile { seed: 1, cells }, &term).unwrap_err();
        assert_eq!(
            e.to_string(),
            "usage profile: usage in cell #192 (meter 0, environment 0, use case 191) would make 192 cells × 87672 hours, more than the limit of 16777216 cell-hours"
        );
    }
}
