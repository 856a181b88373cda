//! The streaming pricer: its state per cell and per hour, its set-up from an
//! offer, and [`Pricer::push`], the hot path.

use rust_decimal::Decimal;

use super::commitment::{self, Bucket, HourDraw};
use super::excess::{record_run, ExcessKind, ExcessRun};
use super::ledger::{ledger_row, LedgerRow};
use super::{offer_err, overage, overflow, prorated_fees};
use crate::bill::PeriodBill;
use crate::error::{Result, UsageIssue};
use crate::matrix::{CellId, FeeSchedule, Matrix};
use crate::num::{Fraction, Money, Overflow, Price, Quantity, Rate, RoundingMode};
use crate::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
use crate::time::{Hour, Period};
use crate::wide;

/// The sums of one cell's records over one period, in one mantissa width
/// ([`Exact`]): quantities at the cell's working scale `w`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums<T> {
    /// Σ usage; above 0 exactly when the cell had usage (every record adds a
    /// quantity above 0, and the sum is checked).
    pub(super) quantity_hours: T,
    pub(super) peak: T,
    /// Σ usage over charged hours (excess = this − charged × E).
    pub(super) charged_usage: T,
}

impl<T: Exact> Sums<T> {
    /// One hour's usage `qm`.
    #[inline(always)]
    pub(super) fn add_hour(&mut self, qm: T) -> Result<(), Overflow> {
        self.quantity_hours = self.quantity_hours.plus(qm)?;
        self.peak = self.peak.max(qm);
        Ok(())
    }
}

/// Mantissas below this take the common case in `i64` ([`Acc::narrow`]): a
/// period has at most 745 hours (fewer than 2^10), so its sums of such
/// quantities stay below 2^63 and the checked adds never fail.
pub(super) const NARROW: i64 = 1 << 53;

/// A mantissa width the per-record sums are kept in: `i64` for the usual
/// record (below [`NARROW`] at the cell's scale), `i128` for any other.
/// The rule is written once, over this trait.
pub(super) trait Exact: Copy + Ord + Default + std::ops::BitAnd<Output = Self> {
    /// All ones for `true`, zero for `false`: a value kept or dropped
    /// without a branch.
    fn mask(b: bool) -> Self;
    /// Checked sum.
    fn plus(self, other: Self) -> Result<Self, Overflow>;
    /// This width's sums of a period.
    fn sums(acc: &mut Acc) -> &mut Sums<Self>;
    /// E and E × (1 + b) at the cell's scale, compared in this width.
    fn limits(st: &CellState) -> [Self; 2];
}

/// [`Exact`] for one width: its sums and its E and band by field name.
macro_rules! exact {
    ($t:ty, $sums:ident, [$e:ident, $band:ident]) => {
        impl Exact for $t {
            #[inline(always)]
            fn mask(b: bool) -> $t {
                <$t>::from(b).wrapping_neg()
            }
            #[inline(always)]
            fn plus(self, other: $t) -> Result<$t, Overflow> {
                self.checked_add(other).ok_or(Overflow {
                    what: "exact accumulator",
                })
            }
            #[inline(always)]
            fn sums(acc: &mut Acc) -> &mut Sums<$t> {
                &mut acc.$sums
            }
            #[inline(always)]
            fn limits(st: &CellState) -> [$t; 2] {
                [st.$e, st.$band]
            }
        }
    };
}

exact!(i64, narrow, [e64, band64]);
exact!(i128, wide, [e_m, band_m]);

/// Accumulators for one cell over one period. Quantities are exact
/// mantissas at the cell's working scale `w`, in two parts: the usual
/// records' in `i64`, the others' (and the `i64` sums folded in when the
/// scale is raised) in `i128`; the period's figure is their sum
/// ([`Acc::totals`]). Units are at the bucket's scale.
#[derive(Debug, Clone, Default)]
pub(super) struct Acc {
    pub(super) narrow: Sums<i64>,
    pub(super) wide: Sums<i128>,
    /// Tolerated hours (low 32 bits) and charged hours (high 32 bits): one
    /// add per hour for both. See [`Acc::tolerated`], [`Acc::charged`].
    pub(super) counts: u64,
    /// Commitment: units drawn from the bucket (bucket scale).
    pub(super) drawn: i128,
    /// Commitment: units beyond the bucket (bucket scale).
    pub(super) overage: i128,
    /// Commitment: Σ usage of the hours drawn ahead and drawn whole, and of
    /// the hours after the bucket ran out (at the cell's scale, `i64`
    /// records only), in units only when they are read
    /// ([`CellState::fold_draws`]): × the cell's factor, they are the same
    /// integers the hour-by-hour draw adds.
    pub(super) drawn_qm: i64,
    pub(super) overage_qm: i64,
}

impl Acc {
    /// One to add to [`Acc::counts`] for an hour tolerated or charged.
    pub(super) const TOLERATED: u64 = 1;
    pub(super) const CHARGED: u64 = 1 << 32;

    /// Tolerated hours of the period.
    pub(super) fn tolerated(&self) -> u32 {
        (self.counts & u64::from(u32::MAX)) as u32
    }

    /// Charged hours of the period.
    pub(super) fn charged(&self) -> u32 {
        (self.counts >> 32) as u32
    }

    /// The period's sums: both parts together.
    pub(super) fn totals(&self) -> Result<Sums<i128>, Overflow> {
        let (n, w) = (&self.narrow, &self.wide);
        Ok(Sums {
            quantity_hours: wide::add(w.quantity_hours, n.quantity_hours.into())?,
            peak: w.peak.max(n.peak.into()),
            charged_usage: wide::add(w.charged_usage, n.charged_usage.into())?,
        })
    }

    /// Both parts, folded into the `i128` sums, at scale `to ≥ from`.
    fn rescale_quantities(&mut self, from: u32, to: u32) -> Result<(), Overflow> {
        let all = self.totals()?;
        self.narrow = Sums::default();
        self.wide = Sums {
            quantity_hours: wide::rescale(all.quantity_hours, from, to)?,
            peak: wide::rescale(all.peak, from, to)?,
            charged_usage: wide::rescale(all.charged_usage, from, to)?,
        };
        Ok(())
    }
}

/// `mantissa` (above 0) at `scale` as a mantissa at the cell's working
/// scale `w ≥ scale`, when that is below [`NARROW`]: the common case's width.
#[inline(always)]
fn narrow(mantissa: i128, scale: u32, w: u32) -> Option<i64> {
    let m = i64::try_from(mantissa).ok()?;
    let m = if scale == w {
        m
    } else {
        // Below 2^a and 2^b with a + b ≤ 53 (75 leading zero bits between
        // them): the product is below NARROW, with no overflow to check (a
        // checked product is a library call in WebAssembly). Any other
        // takes the `i128` path.
        let p = wide::pow10_i64(w.saturating_sub(scale))?;
        if m.leading_zeros().saturating_add(p.leading_zeros()) < 75 {
            return None;
        }
        m.wrapping_mul(p)
    };
    (m < NARROW).then_some(m)
}

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

/// What a record does beyond the common case's sums, for
/// [`Pricer::push_as`]: one rule per offer kind, or `ANY` (read from the
/// pricer at run time; also records runs and the ledger).
pub(super) struct Rule;

impl Rule {
    pub(super) const ANY: u8 = 0;
    pub(super) const PAY_AS_YOU_GO: u8 = 1;
    pub(super) const FIXED: u8 = 2;
    pub(super) const COMMITMENT: u8 = 3;
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

/// Streaming pricer for one offer. Push records in time order (hours never
/// go back; within an hour any order), then [`Pricer::finish`].
///
/// ```
/// use unitcalc_core::{engine::Pricer, matrix_toml, offer::*, time::*};
/// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Channel::Direct };
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
/// let mut p = Pricer::new(&m, &terms, &offer).unwrap();
/// let cell = m.cell("capacity", "on-prem", "hot").unwrap();
/// p.push(Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap(), cell, "1000".parse().unwrap()).unwrap();
/// assert_eq!(p.finish().unwrap().total.to_string(), "1.50");
/// ```
#[derive(Debug)]
pub struct Pricer<'a> {
    pub(super) matrix: &'a Matrix,
    pub(super) terms: &'a DealTerms,
    pub(super) offer: &'a Offer,
    pub(super) scale: u32,
    pub(super) mode: RoundingMode,
    pub(super) periods: Vec<Period>,
    pub(super) current: usize,
    pub(super) term_start: Hour,
    pub(super) term_end: Hour,
    pub(super) latest: Option<Hour>,
    /// The end of the current period: a later hour before it closes nothing.
    pub(super) period_end: Hour,
    pub(super) cells: Cells,
    /// The position of the state likely next ([`Cells::position`]).
    pub(super) next: usize,
    /// The matrix's dimensions, for a cell's dense index.
    pub(super) dims: Dims,
    /// Cells with any state this term (usage or entitlement), dense indices
    /// in matrix order.
    pub(super) active: Vec<usize>,
    /// PAYG price per unit, or overage price (fixed capacity).
    pub(super) unit_price: Price,
    pub(super) grace: u32,
    /// A fixed-capacity offer (the overage rule applies).
    pub(super) fixed: bool,
    pub(super) bucket: Option<Bucket>,
    /// Commitment: this hour's draws so far.
    pub(super) hour: HourDraw,
    pub(super) fee_schedule: Option<&'a FeeSchedule>,
    pub(super) out: Vec<PeriodBill>,
    /// Fixed capacity: each period's exact fee share F × h_k ÷ mh_k.
    pub(super) fee_shares: Vec<Fraction>,
    /// Excess runs, when asked for ([`Pricer::record_excess`]).
    pub(super) runs: Option<Vec<ExcessRun>>,
    /// The hourly ledger, when asked for ([`Pricer::record_ledger`]).
    pub(super) ledger: Option<Vec<LedgerRow>>,
    /// Runs or the ledger are recorded: `push`'s one check.
    pub(super) recording: bool,
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
    fn of(matrix: &Matrix) -> Dims {
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

    fn new(matrix: &Matrix) -> Cells {
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
    fn hour<T: Exact>(&mut self, qm: T, fixed: bool, grace: u32) -> Result<[bool; 2], Overflow> {
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

/// Refuses a negative figure of the offer, naming it.
pub(super) fn nonneg(offer: &Offer, v: Decimal, what: &str) -> Result<()> {
    if v.is_sign_negative() && !v.is_zero() {
        Err(offer_err(offer, format!("{what} {v} is negative")))
    } else {
        Ok(())
    }
}

/// Pay as you go: the list price less the discount (0 to 1).
fn discounted_price(matrix: &Matrix, offer: &Offer, p: &PayAsYouGo) -> Result<Price> {
    nonneg(offer, p.discount.get(), "discount")?;
    if p.discount.get() > Decimal::ONE {
        return Err(offer_err(
            offer,
            format!("discount {} is above 1", p.discount),
        ));
    }
    matrix
        .list_price
        .discounted(p.discount)
        .map_err(overflow(offer))
}

/// The marketplace's fee schedule, when the channel is one.
fn fee_schedule<'a>(
    matrix: &'a Matrix,
    terms: &DealTerms,
    offer: &Offer,
) -> Result<Option<&'a FeeSchedule>> {
    Ok(match &terms.channel {
        Channel::Direct => None,
        Channel::Marketplace(env) => Some(matrix.marketplace(env).ok_or_else(|| {
            offer_err(
                offer,
                format!(
                    "channel `{env}` is not a marketplace environment of matrix {}",
                    matrix.name
                ),
            )
        })?),
    })
}

impl<'a> Pricer<'a> {
    /// Validates the offer against the matrix and sets up state.
    pub fn new(matrix: &'a Matrix, terms: &'a DealTerms, offer: &'a Offer) -> Result<Pricer<'a>> {
        let ov = overflow(offer);
        let mut cells = Cells::new(matrix);
        let mut unit_price = matrix.list_price;
        let mut grace = 0;
        let mut bucket = None;
        let mut active = Vec::new();
        match &offer.kind {
            OfferKind::PayAsYouGo(p) => unit_price = discounted_price(matrix, offer, p)?,
            OfferKind::FixedCapacity(f) => {
                nonneg(offer, f.monthly_fee.get(), "monthly fee")?;
                nonneg(offer, f.overage.tolerance.get(), "tolerance band")?;
                if let Some(p) = f.overage.price {
                    nonneg(offer, p.get(), "overage price")?;
                    unit_price = p;
                }
                grace = f.overage.grace_hours;
                active = overage::set_entitlements(matrix, offer, f, &mut cells)?;
                crate::short_sort::sort_by_key(&mut active, |&i| i);
            }
            OfferKind::Commitment(c) => {
                let (price, b) = commitment::set_up(matrix, offer, c)?;
                unit_price = price;
                bucket = Some(b);
            }
        }
        let fee_schedule = fee_schedule(matrix, terms, offer)?;
        let term = terms.term;
        let periods = term.periods();
        let fee_shares = match &offer.kind {
            OfferKind::FixedCapacity(f) => prorated_fees(f.monthly_fee, &term).map_err(&ov)?,
            _ => Vec::new(),
        };
        let mut p = Pricer {
            matrix,
            terms,
            offer,
            scale: matrix.currency.minor_units,
            mode: matrix.rounding,
            out: Vec::with_capacity(periods.len()),
            periods,
            current: 0,
            term_start: term.start_hour(),
            term_end: term.end_hour(),
            latest: None,
            period_end: term.start_hour(),
            cells,
            next: 0,
            dims: Dims::of(matrix),
            active,
            unit_price,
            grace,
            fixed: matches!(offer.kind, OfferKind::FixedCapacity(_)),
            bucket,
            hour: HourDraw::default(),
            fee_schedule,
            fee_shares,
            runs: None,
            ledger: None,
            recording: false,
        };
        p.period_end = p.current_end();
        Ok(p)
    }

    /// Also records the runs of tolerated and charged hours (fixed-capacity
    /// offers only: the overage rule does not apply to the others). Memory
    /// grows with the number of runs, so the CLI's book pricing leaves it off.
    pub fn record_excess(mut self) -> Self {
        if matches!(self.offer.kind, OfferKind::FixedCapacity(_)) {
            self.runs = Some(Vec::new());
            self.recording = true;
        }
        self
    }

    /// Also records the hourly ledger: one [`LedgerRow`] per hour per used
    /// cell, written by the same decision that prices the hour (what the
    /// rule did, the streak, the bucket's remaining units), for the formula
    /// trail and the ledger export. Memory grows with the records, so plain
    /// pricing leaves it off; [`Pricer::finish_recorded`] returns it.
    ///
    /// ```
    /// use unitcalc_core::{engine::{HourAction, Pricer}, matrix_toml, offer::*, time::*};
    /// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
    /// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Channel::Direct };
    /// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
    /// let mut p = Pricer::new(&m, &terms, &offer).unwrap().record_ledger();
    /// let cell = m.cell("capacity", "on-prem", "hot").unwrap();
    /// p.push(Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap(), cell, "1000".parse().unwrap()).unwrap();
    /// let r = p.finish_recorded().unwrap();
    /// assert_eq!(r.ledger.len(), 1);
    /// assert_eq!(r.ledger[0].action, HourAction::Usage);
    /// assert_eq!(r.ledger[0].units, "1.5".parse().unwrap());
    /// ```
    pub fn record_ledger(mut self) -> Self {
        self.ledger = Some(Vec::new());
        self.recording = true;
        self
    }

    /// Adds one hour record. Hours must not go back; a second record for the
    /// same hour and cell, an hour outside the term, a negative quantity or a
    /// not-offered cell is refused.
    #[inline(always)]
    pub fn push(&mut self, hour: Hour, cell: CellId, quantity: Quantity) -> Result<(), UsageIssue> {
        let q = quantity.get();
        let (qm, qs) = wide::split(q);
        self.push_exact(hour, cell, qm, qs)
    }

    /// [`Pricer::push`] with the quantity as an exact mantissa and scale
    /// (the quantity is `mantissa × 10^-scale`): what a reader that parses
    /// decimal digits itself hands over without making a decimal first. The
    /// same checks, the same errors, the same bill as `push`.
    ///
    /// ```
    /// use unitcalc_core::{engine::Pricer, matrix_toml, offer::*, time::*};
    /// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
    /// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Channel::Direct };
    /// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
    /// let mut p = Pricer::new(&m, &terms, &offer).unwrap();
    /// let cell = m.cell("capacity", "on-prem", "hot").unwrap();
    /// let hour = Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
    /// p.push_exact(hour, cell, 10_000, 1).unwrap(); // 1000.0
    /// assert_eq!(p.finish().unwrap().total.to_string(), "1.50");
    /// ```
    #[inline]
    pub fn push_exact(
        &mut self,
        hour: Hour,
        cell: CellId,
        mantissa: i128,
        scale: u32,
    ) -> Result<(), UsageIssue> {
        self.push_as::<{ Rule::ANY }>(hour, cell, mantissa, scale)
    }

    /// The [`Rule`] this pricer's records follow: its offer's kind, or
    /// [`Rule::ANY`] when it records runs or the ledger. Always `ANY` in
    /// WebAssembly: the page's module is built for size, one loop for every
    /// rule (each more costs about 1 KB of its first load).
    pub(super) fn rule(&self) -> u8 {
        if cfg!(target_arch = "wasm32") {
            return Rule::ANY;
        }
        match (&self.offer.kind, self.recording) {
            (_, true) => Rule::ANY,
            (OfferKind::PayAsYouGo(_), false) => Rule::PAY_AS_YOU_GO,
            (OfferKind::FixedCapacity(_), false) => Rule::FIXED,
            (OfferKind::Commitment(_), false) => Rule::COMMITMENT,
        }
    }

    /// [`Pricer::push_as`] for a loop's rule `R`: [`Pricer::push_exact`]
    /// for `ANY`, so that the general case exists once in a module built
    /// for size (the page's), called from its loops and from `push_slow`.
    #[inline(always)]
    pub(super) fn push_rule<const R: u8>(
        &mut self,
        hour: Hour,
        cell: CellId,
        mantissa: i128,
        scale: u32,
    ) -> Result<(), UsageIssue> {
        if R == Rule::ANY {
            self.push_exact(hour, cell, mantissa, scale)
        } else {
            self.push_as::<R>(hour, cell, mantissa, scale)
        }
    }

    /// [`Pricer::push_exact`] compiled for rule `R` (a loop over many
    /// records picks it once, [`Pricer::rule`]): what the offer's kind does
    /// to a record is known, and the rest of its code is left out.
    #[inline(always)]
    pub(super) fn push_as<const R: u8>(
        &mut self,
        hour: Hour,
        cell: CellId,
        mantissa: i128,
        scale: u32,
    ) -> Result<(), UsageIssue> {
        // Within the hour of the previous record (most records): inside the
        // term (checked when the hour was first seen) and nothing to close.
        // A later hour closes the previous one (and periods); an earlier one
        // is refused.
        if self.latest != Some(hour) {
            if self.latest.is_some_and(|p| p < hour) && hour < self.period_end {
                // A later hour of the same period: a commitment draws the
                // last hour, and the hour moves.
                if self.hour.n != 0 {
                    self.flush_hour()?;
                }
                self.latest = Some(hour);
            } else {
                self.next_hour(hour)?;
            }
        }
        let grace = self.grace;
        let (fixed, commitment) = match R {
            Rule::FIXED => (true, false),
            Rule::COMMITMENT => (false, true),
            Rule::PAY_AS_YOU_GO => (false, false),
            _ => (self.fixed, self.bucket.is_some()),
        };
        let p = self.cells.position(self.next, cell, self.dims);
        self.next = self.cells.after(p);
        let st = match self.cells.states.get_mut(p) {
            // The gate is the working scale of an offered cell in use.
            Some(st) if mantissa > 0 && i64::from(scale) <= st.gate && st.last_hour != hour.0 => st,
            // First use of the cell, a zero or negative quantity, more
            // decimals than the cell has seen, a not-offered cell or a
            // duplicate.
            _ => return self.push_slow(hour, cell, mantissa, scale),
        };
        // The usual record in `i64`, any other in `i128`: at the cell's
        // scale (checked before the cell changes).
        let q = match narrow(mantissa, scale, st.w) {
            Some(q) => Ok(q),
            None => Err(wide::rescale(mantissa, scale, st.w)?),
        };
        st.enter_hour(hour.0);
        let excess = match q {
            Ok(q) => st.hour(q, fixed, grace)?,
            Err(q) => st.hour(q, fixed, grace)?,
        };
        if let Some(bucket) = self.bucket.as_ref().filter(|_| commitment) {
            // Drawn ahead, or in matrix order when the hour closes (always
            // when the ledger is written: its rows come from that draw).
            let ahead = R != Rule::ANY || self.ledger.is_none();
            commitment::draw_record(st, bucket, &mut self.hour, q, ahead)?;
        }
        if R == Rule::ANY && self.recording {
            let excess = match excess {
                [true, _] => Some(ExcessKind::Tolerated),
                [_, true] => Some(ExcessKind::Charged),
                _ => None,
            };
            if let Some(runs) = self.runs.as_mut() {
                record_run(runs, &mut st.open_run, cell, hour, excess);
            }
            // A commitment's rows are written when its hour closes.
            if let Some(ledger) = self.ledger.as_mut().filter(|_| !commitment) {
                let at = (hour, self.current, cell);
                ledger_row(ledger, st, at, (mantissa, scale), fixed, excess)?;
            }
        }
        Ok(())
    }

    /// [`Pricer::push_exact`]'s rare cases: a cell's first record, a zero or
    /// negative quantity, a record with another scale than the cell's, a
    /// not-offered cell, a duplicate.
    #[inline(never)]
    fn push_slow(
        &mut self,
        hour: Hour,
        cell: CellId,
        mantissa: i128,
        scale: u32,
    ) -> Result<(), UsageIssue> {
        if mantissa < 0 {
            return Err(negative(mantissa, scale));
        }
        let i = self.matrix.cell_index(cell);
        let st = if self.matrix.contains(cell) {
            self.cells.entry(self.matrix, cell, i)
        } else {
            None
        };
        let Some(st) = st.filter(|s| s.rate.is_some()) else {
            return Err(not_offered(self.matrix, cell));
        };
        if st.last_hour == hour.0 {
            return Err(duplicate(self.matrix, hour, cell));
        }
        if mantissa == 0 {
            // Metered, nothing held: exactly an absent hour. The excess is 0,
            // so the streak resets (section 5), and the record alone does not
            // make the cell used (no line of its own), so a bill never depends
            // on whether a meter writes zero rows.
            st.enter_hour(hour.0);
            st.streak = 0;
            // Nothing to draw this hour.
            (st.pending, st.ahead) = (0, 0);
            if let Some(runs) = self.runs.as_mut() {
                record_run(runs, &mut st.open_run, cell, hour, None);
            }
            return Ok(());
        }
        // Exact fixed point at the cell's working scale: raise the scale
        // (rarely) when a record carries more decimals than seen so far.
        if scale > st.w {
            // The draw factor is for the old scale: units drawn ahead first.
            st.fold_draws()?;
            let e_m = wide::rescale(st.e_m, st.w, scale)?;
            let band_m = wide::rescale(st.band_m, st.w, scale)?;
            st.set_limits(e_m, band_m);
            st.period.rescale_quantities(st.w, scale)?;
            st.pending = wide::rescale(st.pending, st.w, scale)?;
            st.w = scale;
        }
        // The common case's rescale, checked here first: a record refused
        // for it leaves the cell as it was.
        wide::rescale(mantissa, scale, st.w)?;
        if !st.term.touched && !st.has_entitlement {
            // The cell's first usage: into the active cells, matrix order.
            let at = self.active.partition_point(|&j| j < i);
            self.active.insert(at, i);
        }
        st.term.touched = true;
        st.gate = i64::from(st.w);
        // The cell is in use, offered, at a scale that holds the record and
        // not yet seen this hour: the common case prices it.
        self.push_exact(hour, cell, mantissa, scale)
    }

    /// A record of a later hour than the last (or the first record): the
    /// last hour closes (a commitment draws its bucket), then every period
    /// that ended before this hour. An earlier hour is refused.
    fn next_hour(&mut self, hour: Hour) -> Result<(), UsageIssue> {
        if hour < self.term_start || hour >= self.term_end {
            return Err(self.outside_term(hour));
        }
        if let Some(prev) = self.latest.filter(|&p| hour < p) {
            return Err(UsageIssue::NotInTimeOrder {
                hour,
                previous: prev,
            });
        }
        self.flush_hour()?;
        self.latest = Some(hour);
        while self
            .periods
            .get(self.current)
            .is_some_and(|p| hour >= p.end)
        {
            self.close_period()?;
        }
        self.period_end = self.current_end();
        Ok(())
    }

    /// The end of the period open now (the term's end once all are closed).
    fn current_end(&self) -> Hour {
        self.periods
            .get(self.current)
            .map_or(self.term_end, |p| p.end.min(self.term_end))
    }

    #[cold]
    fn outside_term(&self, hour: Hour) -> UsageIssue {
        UsageIssue::OutsideTerm {
            hour,
            start: self.term_start,
            end: self.term_end,
        }
    }

    pub(super) fn round(&self, m: Money) -> Money {
        m.round(self.scale, self.mode)
    }
}

#[cold]
fn negative(mantissa: i128, scale: u32) -> UsageIssue {
    match wide::to_decimal(mantissa, scale) {
        Ok(q) => UsageIssue::NegativeQuantity(q.to_string()),
        Err(e) => UsageIssue::Overflow(e),
    }
}

#[cold]
fn not_offered(matrix: &Matrix, cell: CellId) -> UsageIssue {
    UsageIssue::NotOffered(matrix.cell_name(cell).to_string())
}

#[cold]
fn duplicate(matrix: &Matrix, hour: Hour, cell: CellId) -> UsageIssue {
    UsageIssue::Duplicate {
        hour,
        cell: matrix.cell_name(cell).to_string(),
    }
}
