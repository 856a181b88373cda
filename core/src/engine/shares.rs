//! An offer priced one cell at a time, then its bill from the cells' shares.
//!
//! Pay-as-you-go and fixed-capacity offers price each cell apart: a cell's
//! usage lines, overage rule (section 5) and figures read that cell's hours
//! only, and what cells share (a period's fee line, the totals, the
//! marketplace fee) is worked out when the bill is written. So a cell's
//! share, its closed figures per period and its excess runs, can be priced
//! on its own and kept: the browser, where an edit changes one usage cell,
//! prices that cell again and writes the bill from the other cells' kept
//! shares. A commitment's cells share its bucket, so it is priced whole.
//!
//! The share is taken by the same pricer as a whole pricing (one cell's
//! records pushed, its figures kept at each period's close), and the bill
//! from shares is written by the same close
//! (each cell's figures read from its share instead of its sums): the same
//! bill as [`super::price_with_excess`] by construction, and checked so by
//! the property `shares_price_as_the_whole` (`tests/shares.rs`).

use super::cells::activate;
use super::close::Acc2;
use super::excess::ExcessRun;
use super::pricer::Pricer;
use super::{offer_err, overflow, push_series};
use crate::bill::Bill;
use crate::error::Result;
use crate::matrix::{CellId, Matrix};
use crate::num::Overflow;
use crate::offer::{DealTerms, Offer, OfferKind};
use crate::usage::{CellSeries, UsageSeries};

/// One cell's share of an offer's bill ([`price_cell`]): the cell's closed
/// figures for each period from the first it is on the bill in, and its
/// excess runs. It holds no money: lines are written and rounded from it
/// when the bill is ([`price_shares`]).
#[derive(Debug, Clone)]
pub struct CellShare {
    /// The cell's dense index in the matrix.
    index: usize,
    cell: CellId,
    /// The first period the cell is on the bill in (its first usage's, or
    /// the first for an entitled cell); `usize::MAX` when it never is.
    first: usize,
    periods: Vec<Acc2>,
    runs: Vec<ExcessRun>,
}

impl CellShare {
    /// The cell the share is of.
    pub fn cell(&self) -> CellId {
        self.cell
    }
}

/// What a pricer does with its cells' closed figures.
#[derive(Debug, Default)]
pub(super) enum Share<'a> {
    /// Writes them on the bill (a whole pricing).
    #[default]
    Whole,
    /// Keeps one cell's in its share at each period's close, and writes no
    /// cell lines ([`price_cell`]: its bill is not used).
    Keep(CellShare),
    /// Reads each cell's from its share, when it has one, instead of its
    /// sums ([`price_shares`]: nothing is pushed).
    From(Vec<&'a CellShare>),
}

impl Share<'_> {
    /// The closed figures of cell `i` for period `k` when they come from a
    /// share: `Some(None)` before the cell is on the bill (a share has every
    /// period from its first on); `None` when they are the cell's own sums.
    pub(super) fn figures(&self, i: usize, k: usize) -> Option<Option<Acc2>> {
        let Share::From(shares) = self else {
            return None;
        };
        // In matrix order ([`price_shares`]).
        let share = shares
            .binary_search_by_key(&i, |p| p.index)
            .ok()
            .and_then(|at| shares.get(at))?;
        Some(
            k.checked_sub(share.first)
                .and_then(|j| share.periods.get(j))
                .cloned(),
        )
    }

    /// Keeps cell `i`'s figures for period `k` when it is the share's
    /// cell; `true` when pricing a share, which writes no cell lines.
    pub(super) fn keep(&mut self, i: usize, k: usize, acc: &Acc2) -> bool {
        let Share::Keep(share) = self else {
            return false;
        };
        if share.index == i {
            share.first = share.first.min(k);
            share.periods.push(acc.clone());
        }
        true
    }
}

/// Whether `offer` prices each cell apart (pay as you go, fixed capacity),
/// so that it can be priced by shares ([`price_cell`], [`price_shares`]).
pub fn prices_cells_apart(offer: &Offer) -> bool {
    !matches!(offer.kind, OfferKind::Commitment(_))
}

/// Refuses an offer whose cells share state.
fn apart(offer: &Offer) -> Result<()> {
    if prices_cells_apart(offer) {
        Ok(())
    } else {
        Err(offer_err(
            offer,
            "a commitment's cells share its bucket: it is priced whole, not by cells",
        ))
    }
}

/// The share of `cell` (one of `usage`'s series) in `offer`'s bill, for an
/// offer that prices cells apart ([`prices_cells_apart`]).
///
/// ```
/// use unitcalc_core::{engine, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(m.cell("capacity", "azure", "hot").unwrap(), vec!["200".parse().unwrap(); term.hours()]);
/// usage.set_series(m.cell("capacity", "aws", "hot").unwrap(), vec!["50".parse().unwrap(); term.hours()]);
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let shares: Vec<_> = usage.cells().iter()
///     .map(|c| engine::price_cell(&m, &terms, &offer, &usage, c).unwrap())
///     .collect();
/// let (bill, _) = engine::price_shares(&m, &terms, &offer, &shares.iter().collect::<Vec<_>>()).unwrap();
/// assert_eq!(bill, engine::price(&m, &terms, &offer, &usage).unwrap());
/// ```
pub fn price_cell(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
    cell: &CellSeries,
) -> Result<CellShare> {
    apart(offer)?;
    let mut p = Pricer::new(matrix, terms, offer)?.record_excess();
    p.share = Share::Keep(CellShare {
        index: matrix.cell_index(cell.cell),
        cell: cell.cell,
        first: usize::MAX,
        periods: Vec::new(),
        runs: Vec::new(),
    });
    push_series(&mut p, usage.start(), std::slice::from_ref(cell))?;
    let runs = p.runs.take().unwrap_or_default();
    p.close_all()?;
    match std::mem::take(&mut p.share) {
        Share::Keep(share) => Ok(CellShare { runs, ..share }),
        _ => Err(overflow(offer)(Overflow {
            what: "a cell's share",
        })),
    }
}

/// `offer`'s bill and excess runs from its cells' shares ([`price_cell`],
/// each of the same offer, terms and matrix; in any order): the same as
/// [`super::price_with_excess`] over the usage the shares were priced from.
pub fn price_shares(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    shares: &[&CellShare],
) -> Result<(Bill, Vec<ExcessRun>)> {
    apart(offer)?;
    let mut p = Pricer::new(matrix, terms, offer)?;
    let mut sorted = shares.to_vec();
    crate::short_sort::sort_by_key(&mut sorted, |share| share.index);
    let runs = merge_runs(&sorted);
    // Every share's cell among the active ones (each is left out of the
    // periods before its first, [`Share::figures`]).
    for share in sorted.iter().filter(|share| share.first != usize::MAX) {
        let (i, cell) = (share.index, share.cell);
        p.cells.entry(matrix, cell, i).ok_or_else(|| {
            overflow(offer)(Overflow {
                what: "a cell index",
            })
        })?;
        activate(&mut p.active, i);
    }
    p.share = Share::From(sorted);
    p.close_all()?;
    Ok((p.into_bill()?, runs))
}

/// The shares' excess runs (each share's in order of their first hour) in
/// order of their first hour, and within an hour in matrix order (`shares`
/// are): the order a whole pricing records them in.
fn merge_runs(shares: &[&CellShare]) -> Vec<ExcessRun> {
    let mut next = vec![0usize; shares.len()];
    let mut runs = Vec::with_capacity(shares.iter().map(|p| p.runs.len()).sum());
    loop {
        let mut first: Option<(usize, &ExcessRun)> = None;
        for (k, share) in shares.iter().enumerate() {
            let run = next.get(k).and_then(|&j| share.runs.get(j));
            if let Some(r) = run.filter(|r| first.is_none_or(|(_, f)| r.start < f.start)) {
                first = Some((k, r));
            }
        }
        let Some((k, r)) = first else {
            return runs;
        };
        runs.push(*r);
        if let Some(j) = next.get_mut(k) {
            *j = j.saturating_add(1);
        }
    }
}
