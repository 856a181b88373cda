//! The streaming pricer: its state per cell and per hour, its set-up from an
//! offer, and [`Pricer::push`], the hot path.

use rust_decimal::Decimal;

use super::commitment::{self, Bucket};
use super::excess::{record_run, ExcessRun};
use super::ledger::{record_hour, LedgerRow};
use super::{offer_err, overage, overflow, prorated_fees};
use crate::bill::PeriodBill;
use crate::error::{Result, UsageIssue};
use crate::matrix::{CellId, FeeSchedule, Matrix};
use crate::num::{Fraction, Money, Overflow, Price, Quantity, Rate, RoundingMode};
use crate::offer::{Channel, DealTerms, Offer, OfferKind, PayAsYouGo};
use crate::time::{Hour, Period};
use crate::wide;

/// Accumulators for one cell over one period. Quantities are exact `i128`
/// mantissas at the cell's working scale `w`; units at the bucket's scale.
#[derive(Debug, Clone, Default)]
pub(super) struct Acc {
    pub(super) touched: bool,
    pub(super) quantity_hours: i128,
    pub(super) peak: i128,
    pub(super) tolerated: u32,
    pub(super) charged: u32,
    /// Σ usage over charged hours (excess = this − charged × E).
    pub(super) charged_usage: i128,
    /// Commitment: units drawn from the bucket (bucket scale).
    pub(super) drawn: i128,
    /// Commitment: units beyond the bucket (bucket scale).
    pub(super) overage: i128,
}

impl Acc {
    fn rescale_quantities(&mut self, from: u32, to: u32) -> Result<(), Overflow> {
        self.quantity_hours = wide::rescale(self.quantity_hours, from, to)?;
        self.peak = wide::rescale(self.peak, from, to)?;
        self.charged_usage = wide::rescale(self.charged_usage, from, to)?;
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub(super) struct CellState {
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
    /// E and E × (1 + b) at scale `w`.
    pub(super) e_m: i128,
    pub(super) band_m: i128,
    pub(super) streak: u32,
    pub(super) last_hour: i64,
    /// Index of this cell's excess run still open, when recording runs.
    pub(super) open_run: Option<usize>,
    pub(super) period: Acc,
    pub(super) term: TermAcc,
}

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
    pub(super) cells: Vec<CellState>,
    /// Cells with any state this term (usage or entitlement), dense indices.
    pub(super) active: Vec<usize>,
    /// PAYG price per unit, or overage price (fixed capacity).
    pub(super) unit_price: Price,
    pub(super) grace: u32,
    pub(super) bucket: Option<Bucket>,
    /// Commitment: this hour's records (cell, quantity mantissa at the
    /// cell's scale), drawn in matrix order when the hour closes.
    pub(super) hour_buf: Vec<(usize, i128)>,
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

/// A fresh state for every cell of the matrix, in matrix order.
fn cell_states(matrix: &Matrix) -> Vec<CellState> {
    matrix
        .cells()
        .map(|c| {
            let rate = matrix.cell_rate(c);
            let (rate_m, rate_s) = wide::split(rate.unwrap_or_default().get());
            CellState {
                rate,
                rate_m,
                rate_s,
                entitlement: Decimal::ZERO,
                has_entitlement: false,
                w: 0,
                e_m: 0,
                band_m: 0,
                streak: 0,
                last_hour: i64::MIN,
                open_run: None,
                period: Acc::default(),
                term: TermAcc::default(),
            }
        })
        .collect()
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
        let mut cells = cell_states(matrix);
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
            }
            OfferKind::Commitment(c) => {
                let (price, b) = commitment::set_up(matrix, offer, c)?;
                unit_price = price;
                bucket = Some(b);
            }
        }
        let fee_schedule = fee_schedule(matrix, terms, offer)?;
        let term = terms.term;
        let fee_shares = match &offer.kind {
            OfferKind::FixedCapacity(f) => prorated_fees(f.monthly_fee, &term).map_err(&ov)?,
            _ => Vec::new(),
        };
        Ok(Pricer {
            matrix,
            terms,
            offer,
            scale: matrix.currency.minor_units,
            mode: matrix.rounding,
            periods: term.periods(),
            current: 0,
            term_start: term.start_hour(),
            term_end: term.end_hour(),
            latest: None,
            cells,
            active,
            unit_price,
            grace,
            bucket,
            hour_buf: Vec::new(),
            fee_schedule,
            out: Vec::new(),
            fee_shares,
            runs: None,
            ledger: None,
            recording: false,
        })
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
    #[inline]
    pub fn push(&mut self, hour: Hour, cell: CellId, quantity: Quantity) -> Result<(), UsageIssue> {
        if hour < self.term_start || hour >= self.term_end {
            return Err(UsageIssue::OutsideTerm {
                hour,
                start: self.term_start,
                end: self.term_end,
            });
        }
        match self.latest {
            Some(prev) if hour < prev => {
                return Err(UsageIssue::NotInTimeOrder {
                    hour,
                    previous: prev,
                })
            }
            Some(prev) if hour == prev => {}
            _ => {
                self.flush_hour()?;
                self.latest = Some(hour);
                while self
                    .periods
                    .get(self.current)
                    .is_some_and(|p| hour >= p.end)
                {
                    self.close_period()?;
                }
            }
        }
        let q = quantity.get();
        if q.is_sign_negative() && !q.is_zero() {
            return Err(UsageIssue::NegativeQuantity(quantity.to_string()));
        }
        let i = self.matrix.cell_index(cell);
        let grace = self.grace;
        let fixed = matches!(self.offer.kind, OfferKind::FixedCapacity(_));
        let commitment = self.bucket.is_some();
        let in_range = self.matrix.contains(cell);
        let Some(st) = self
            .cells
            .get_mut(i)
            .filter(|s| in_range && s.rate.is_some())
        else {
            return Err(UsageIssue::NotOffered(
                self.matrix.cell_name(cell).to_string(),
            ));
        };
        if st.last_hour == hour.0 {
            return Err(UsageIssue::Duplicate {
                hour,
                cell: self.matrix.cell_name(cell).to_string(),
            });
        }
        st.enter_hour(hour.0);
        if q.is_zero() {
            // Metered, nothing held: exactly an absent hour. The excess is 0,
            // so the streak resets (section 5), and the record alone does not
            // make the cell used (no line of its own), so a bill never depends
            // on whether a meter writes zero rows.
            st.streak = 0;
            if let Some(runs) = self.runs.as_mut() {
                record_run(runs, &mut st.open_run, cell, hour, None);
            }
            return Ok(());
        }
        if !st.term.touched && !st.has_entitlement {
            self.active.push(i);
        }
        st.term.touched = true;
        // Exact fixed point at the cell's working scale: raise the scale
        // (rarely) when a record carries more decimals than seen so far.
        let (mut qm, qs) = wide::split(q);
        if qs > st.w {
            st.e_m = wide::rescale(st.e_m, st.w, qs)?;
            st.band_m = wide::rescale(st.band_m, st.w, qs)?;
            st.period.rescale_quantities(st.w, qs)?;
            st.w = qs;
        } else if qs < st.w {
            qm = wide::rescale(qm, qs, st.w)?;
        }
        let acc = &mut st.period;
        acc.touched = true;
        acc.quantity_hours = wide::add(acc.quantity_hours, qm)?;
        if qm > acc.peak {
            acc.peak = qm;
        }
        // Section 5, the overage rule (fixed capacity only: the other offers
        // have no entitlement, tolerance or charged hours).
        let excess = if fixed {
            st.overage_hour(qm, grace)?
        } else {
            None
        };
        if self.recording {
            let at = (hour, self.current, cell);
            let (runs, ledger) = (&mut self.runs, &mut self.ledger);
            record_hour(runs, ledger, st, at, quantity, fixed, commitment, excess)?;
        }
        if commitment {
            self.hour_buf.push((i, qm));
        }
        Ok(())
    }

    pub(super) fn round(&self, m: Money) -> Money {
        m.round(self.scale, self.mode)
    }
}
