//! Each cell's state in a pricer: what a record reads and writes (first,
//! behind one gate), its period and term accumulators, and how a record
//! finds it (a guess, else the matrix's dense index).

use rust_decimal::Decimal;

use super::sums::{Acc, Exact};
use crate::matrix::{CellId, Matrix};
use crate::num::{Overflow, Rate};
use crate::wide;

/// One cell's state. The fields `Pricer::push_exact` reads and writes for
/// every record come first, together (`repr(C)` keeps them in this order:
/// two cache lines for the common case), then what periods and the bill need.
#[derive(Debug, Clone)]
#[repr(C)]
pub(super) struct CellState {
    /// The most decimals a record may have to take the common case: the
    /// working scale `w` once the cell is offered and in use; [`NOT_READY`]
    /// before (a first use, a not-offered cell), below every scale.
    pub(super) gate: i64,
    pub(super) streak: u32,
    /// The cell this state is of.
    pub(super) cell: CellId,
    pub(super) last_hour: i64,
    /// [`CellState::e_m`] and [`CellState::band_m`] clamped to `i64`: compared
    /// with an `i64` quantity, the same answers.
    pub(super) e64: i64,
    pub(super) band64: i64,
    pub(super) period: Acc,
    /// E and E × (1 + b) at scale `w` ([`CellState::set_limits`]).
    pub(super) e_m: i128,
    pub(super) band_m: i128,
    /// Commitment: this hour's quantity (mantissa at scale `w`, 0 for none;
    /// this hour's while `last_hour` is), drawn in matrix order when the
    /// hour closes, unless drawn ahead.
    pub(super) pending: i128,
    /// Commitment: the part of `pending` drawn ahead (in
    /// [`Acc::drawn_qm`]), taken back if the hour is walked after all.
    pub(super) ahead: i64,
    /// Commitment: units per quantity mantissa at the bucket's scale, the
    /// rate × 10^(bucket scale − w − rate scale), valid while `draw_key` is
    /// [`CellState::draw_key_for`] the bucket's scale (`u64::MAX`: none yet).
    pub(super) draw_factor: i128,
    pub(super) draw_key: u64,
    /// Units per quantity-hour; `None` when not offered.
    pub(super) rate: Option<Rate>,
    /// The rate's mantissa and scale.
    pub(super) rate_m: i128,
    pub(super) rate_s: u32,
    /// Entitlement E (0 when none).
    pub(super) entitlement: Decimal,
    pub(super) has_entitlement: bool,
    /// Working scale of this cell's quantity mantissas.
    pub(super) w: u32,
    /// Index of this cell's excess run still open, when recording runs.
    pub(super) open_run: Option<usize>,
    pub(super) term: TermAcc,
}

/// Puts the cell at dense index `i` among a pricer's active cells (kept in
/// matrix order), once.
pub(super) fn activate(active: &mut Vec<usize>, i: usize) {
    if let Err(at) = active.binary_search(&i) {
        active.insert(at, i);
    }
}

/// [`CellState::gate`] of a cell not ready for the common case: below every
/// record's scale.
pub(super) const NOT_READY: i64 = -1;

#[derive(Debug, Clone, Default)]
pub(super) struct TermAcc {
    pub(super) touched: bool,
    pub(super) quantity_hours: Decimal,
    pub(super) units: Decimal,
    pub(super) peak: Decimal,
    pub(super) tolerated: u32,
    pub(super) charged: u32,
    pub(super) charged_quantity_hours: Decimal,
    pub(super) drawn: Decimal,
    pub(super) overage: Decimal,
}

/// The matrix's dimensions, copied into the pricer: a record's dense cell
/// index without reaching into the matrix.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dims {
    meters: usize,
    environments: usize,
    use_cases: usize,
    /// Cells per meter: environments × use cases.
    per_meter: usize,
}

impl Dims {
    pub(super) fn of(matrix: &Matrix) -> Dims {
        let (environments, use_cases) = (matrix.environments.len(), matrix.use_cases.len());
        Dims {
            meters: matrix.meters.len(),
            environments,
            use_cases,
            per_meter: environments.saturating_mul(use_cases),
        }
    }

    /// [`Matrix::cell_index`] of a cell inside the matrix; `usize::MAX` (no
    /// cell) for one outside it.
    #[inline]
    pub(super) fn index(self, cell: CellId) -> usize {
        let (m, e, u) = (
            usize::from(cell.meter),
            usize::from(cell.environment),
            usize::from(cell.use_case),
        );
        if m < self.meters && e < self.environments && u < self.use_cases {
            // Below meters × environments × use cases, the length of the
            // pricer's cell table (allocated, so it fits a `usize`): these
            // cannot wrap.
            // (Two independent products: a shorter chain before the load.)
            m.wrapping_mul(self.per_meter)
                .wrapping_add(e.wrapping_mul(self.use_cases))
                .wrapping_add(u)
        } else {
            usize::MAX
        }
    }
}

/// Each cell's state by dense cell index, created when the cell is first
/// used (a record or an entitlement): a book keeps a pricer per customer,
/// and most cells of a matrix are never used by one customer.
#[derive(Debug)]
pub(super) struct Cells {
    /// Per dense cell index: the position of its state, or [`Cells::NONE`].
    slot: Vec<u32>,
    pub(super) states: Vec<CellState>,
}

impl Cells {
    const NONE: u32 = u32::MAX;

    pub(super) fn new(matrix: &Matrix) -> Cells {
        Cells {
            slot: vec![Cells::NONE; matrix.cell_count()],
            states: Vec::new(),
        }
    }

    /// The position in `states` of `cell`'s state (past the end when it has
    /// none): `guess` when that state is the cell's, else by the cell's
    /// dense index. The guess is the position after the last record's
    /// ([`Cells::after`]): the records of an hour usually come in the same
    /// order of cells every hour (matrix order, a meter's export), and then
    /// the state's address is known before the record's cell is read.
    #[inline(always)]
    pub(super) fn position(&self, guess: usize, cell: CellId, dims: Dims) -> usize {
        match self.states.get(guess) {
            Some(st) if st.cell == cell => guess,
            _ => self
                .slot
                .get(dims.index(cell))
                .map_or(usize::MAX, |&p| p as usize),
        }
    }

    /// The position after `p`, round to the first.
    #[inline(always)]
    pub(super) fn after(&self, p: usize) -> usize {
        let next = p.wrapping_add(1);
        if next < self.states.len() {
            next
        } else {
            0
        }
    }

    /// The state of the cell at dense index `i`, when it has one.
    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<&CellState> {
        let p = *self.slot.get(i)?;
        self.states.get(p as usize)
    }

    /// [`Cells::get`], mutable.
    #[inline]
    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut CellState> {
        let p = *self.slot.get(i)?;
        self.states.get_mut(p as usize)
    }

    /// The state of `cell` (at dense index `i`, inside the matrix), fresh
    /// on its first use.
    #[inline]
    pub(super) fn entry(
        &mut self,
        matrix: &Matrix,
        cell: CellId,
        i: usize,
    ) -> Option<&mut CellState> {
        let p = *self.slot.get(i)?;
        if p == Cells::NONE {
            return self.create(matrix, cell, i);
        }
        self.states.get_mut(p as usize)
    }

    #[inline(never)]
    fn create(&mut self, matrix: &Matrix, cell: CellId, i: usize) -> Option<&mut CellState> {
        let p = u32::try_from(self.states.len())
            .ok()
            .filter(|&p| p != Cells::NONE)?;
        *self.slot.get_mut(i)? = p;
        // Exactly as many as used: a book holds thousands of pricers.
        self.states.reserve_exact(1);
        self.states.push(CellState::fresh(matrix, cell));
        self.states.last_mut()
    }
}

impl CellState {
    /// A cell's state before any record: its rate, no entitlement.
    fn fresh(matrix: &Matrix, cell: CellId) -> CellState {
        let rate = matrix.cell_rate(cell);
        let (rate_m, rate_s) = wide::split(rate.unwrap_or_default().get());
        CellState {
            gate: NOT_READY,
            streak: 0,
            cell,
            last_hour: i64::MIN,
            e64: 0,
            band64: 0,
            period: Acc::default(),
            e_m: 0,
            band_m: 0,
            pending: 0,
            ahead: 0,
            draw_factor: 0,
            draw_key: u64::MAX,
            rate,
            rate_m,
            rate_s,
            entitlement: Decimal::ZERO,
            has_entitlement: false,
            w: 0,
            open_run: None,
            term: TermAcc::default(),
        }
    }
}

impl CellState {
    /// Sets E and the band's top (mantissas at the working scale).
    pub(super) fn set_limits(&mut self, e_m: i128, band_m: i128) {
        let clamp = |m: i128| i64::try_from(m).unwrap_or(if m < 0 { i64::MIN } else { i64::MAX });
        (self.e_m, self.band_m) = (e_m, band_m);
        (self.e64, self.band64) = (clamp(e_m), clamp(band_m));
    }

    /// One hour's usage `qm` in width `T`: the sums, and (fixed capacity)
    /// the overage rule. Returns whether the hour was tolerated or charged.
    #[inline(always)]
    pub(super) fn hour<T: Exact>(
        &mut self,
        qm: T,
        fixed: bool,
        grace: u32,
    ) -> Result<[bool; 2], Overflow> {
        T::sums(&mut self.period).add_hour(qm)?;
        // Section 5, the overage rule (fixed capacity only: the other offers
        // have no entitlement, tolerance or charged hours).
        if fixed {
            self.overage_hour(qm, grace)
        } else {
            Ok([false; 2])
        }
    }
}
