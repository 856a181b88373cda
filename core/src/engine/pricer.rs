//! The streaming pricer: its state per hour, its set-up from an offer, and
//! [`Pricer::push`], the hot path (each cell's state: `cells.rs`; its sums:
//! `sums.rs`).

use rust_decimal::Decimal;

use super::cells::{activate, Cells, Dims};
use super::commitment::{self, Bucket, HourDraw};
use super::excess::{record_run, ExcessKind, ExcessRun};
use super::ledger::{ledger_row, LedgerRow};
use super::shares::Share;
use super::sums::narrow;
use super::{offer_err, overage, overflow, prorated_fees};
use crate::bill::PeriodBill;
use crate::error::{Result, UsageIssue};
use crate::matrix::{CellId, FeeSchedule, Matrix};
use crate::num::{Fraction, Money, Price, Quantity, RoundingMode};
use crate::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
use crate::time::{Hour, Period};
use crate::wide;

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
    /// Pricing by cells ([`super::shares`]): one cell's share, or the bill
    /// from shares; else the whole.
    pub(super) share: Share<'a>,
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
            share: Share::Whole,
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
            // The cell's first usage: into the active cells.
            activate(&mut self.active, i);
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
