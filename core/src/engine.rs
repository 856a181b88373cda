//! The pricing engine: one offer over hourly usage, streamed in time order.
//!
//! [`Pricer`] keeps state per cell (streaks, period accumulators) and per
//! hour (the commitment's draw order), never per record, so a year of usage
//! or a book of customers prices in bounded memory. [`price`] drives it from
//! a dense [`UsageSeries`].
//!
//! Money is rounded only when a period's lines are written (section 7).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::bill::{Bill, CellStats, CommitmentState, Line, LineKind, PeriodBill};
use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::{CellId, FeeSchedule, Matrix};
use crate::num::{
    self, Fraction, Money, Overflow, Price, Quantity, Rate, Ratio, RoundingMode, Units,
};
use crate::offer::{Channel, DealTerms, Offer, OfferKind, Payment};
use crate::time::{Hour, Period};
use crate::usage::{HourRecord, UsageSeries};
use crate::wide;

/// Prices an offer over dense usage.
///
/// ```
/// use unitcalc_core::{engine, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(cell, vec!["200".parse().unwrap(); term.hours()]);
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let bill = engine::price(&m, &terms, &offer, &usage).unwrap();
/// assert_eq!(bill.total.to_string(), "223.20"); // worked example A
/// ```
pub fn price(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
) -> Result<Bill> {
    let mut p = Pricer::new(matrix, terms, offer)?;
    push_series(&mut p, usage)?;
    p.finish()
}

/// Pushes every non-zero quantity of a dense series, hour by hour and within
/// an hour in matrix order: [`UsageSeries::records`] without the iterator
/// adapters (the browser's hot loop).
fn push_series(p: &mut Pricer<'_>, usage: &UsageSeries) -> Result<()> {
    let cells = usage.cells();
    for h in 0..usage.hours() {
        let hour = Hour(
            usage
                .start()
                .0
                .saturating_add(i64::try_from(h).unwrap_or(i64::MAX)),
        );
        for c in cells {
            let q = c.quantities.get(h).copied().unwrap_or(Quantity::ZERO);
            if !q.is_zero() {
                p.push(hour, c.cell, q)
                    .map_err(|e| Error::usage(Origin::file("usage"), e))?;
            }
        }
    }
    Ok(())
}

/// [`price`], and also the runs of hours the overage rule tolerated or
/// charged (fixed-capacity offers; none for the others), for charts and audit.
///
/// ```
/// use unitcalc_core::{engine, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut q = vec!["500".parse().unwrap(); term.hours()];
/// for h in 216..316 { q[h] = "540".parse().unwrap(); } // 100 hours from 2026-03-10
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(cell, q);
/// let offer = Offer { name: "Fixed".into(), kind: OfferKind::FixedCapacity(FixedCapacity {
///     entitlements: vec![Entitlement { cell, quantity: "500".parse().unwrap() }],
///     monthly_fee: "40000.00".parse().unwrap(), payment: Payment::Monthly,
///     overage: OveragePolicy::default() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let (bill, runs) = engine::price_with_excess(&m, &terms, &offer, &usage).unwrap();
/// assert_eq!(bill.total.to_string(), "40002.10"); // worked example C
/// // hours 1–72 of the streak tolerated, 73–100 charged
/// assert_eq!(runs.len(), 2);
/// assert_eq!((runs[0].kind, runs[0].hours()), (ExcessKind::Tolerated, 72));
/// assert_eq!((runs[1].kind, runs[1].hours()), (ExcessKind::Charged, 28));
/// assert_eq!(runs[1].start.to_string(), "2026-03-13T00:00:00Z");
/// # use unitcalc_core::engine::ExcessKind;
/// ```
pub fn price_with_excess(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
) -> Result<(Bill, Vec<ExcessRun>)> {
    let mut p = Pricer::new(matrix, terms, offer)?.record_excess();
    push_series(&mut p, usage)?;
    p.finish_with_excess()
}

/// What the fixed-capacity overage rule (pricing model section 5) made of an
/// hour with excess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExcessKind {
    /// Within the tolerance band and the grace hours: nothing charged.
    Tolerated,
    /// The whole excess is charged at the overage price.
    Charged,
}

/// Consecutive hours of one cell that the overage rule treated alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcessRun {
    /// The cell.
    pub cell: CellId,
    /// Tolerated or charged.
    pub kind: ExcessKind,
    /// First hour of the run.
    pub start: Hour,
    /// End of the run (exclusive).
    pub end: Hour,
}

impl ExcessRun {
    /// Length of the run in hours.
    pub fn hours(&self) -> u64 {
        u64::try_from(self.end.0.saturating_sub(self.start.0)).unwrap_or(0)
    }
}

/// Prices an offer over records in time order; `source` names them in errors.
pub fn price_records(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    records: impl IntoIterator<Item = HourRecord>,
    source: &str,
) -> Result<Bill> {
    let mut p = Pricer::new(matrix, terms, offer)?;
    for r in records {
        p.push(r.hour, r.cell, r.quantity)
            .map_err(|e| Error::usage(Origin::file(source), e))?;
    }
    p.finish()
}

/// One cell's period accumulators as decimals, when the period closes.
struct Acc2 {
    touched: bool,
    quantity_hours: Decimal,
    peak: Decimal,
    tolerated: u32,
    charged: u32,
    charged_usage: Decimal,
    drawn: Decimal,
    overage: Decimal,
}

/// Accumulators for one cell over one period. Quantities are exact `i128`
/// mantissas at the cell's working scale `w`; units at the bucket's scale.
#[derive(Debug, Clone, Default)]
struct Acc {
    touched: bool,
    quantity_hours: i128,
    peak: i128,
    tolerated: u32,
    charged: u32,
    /// Σ usage over charged hours (excess = this − charged × E).
    charged_usage: i128,
    /// Commitment: units drawn from the bucket (bucket scale).
    drawn: i128,
    /// Commitment: units beyond the bucket (bucket scale).
    overage: i128,
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
struct CellState {
    /// Units per quantity-hour; `None` when not offered.
    rate: Option<Rate>,
    /// The rate's mantissa and scale.
    rate_m: i128,
    rate_s: u32,
    /// Entitlement E (0 when none).
    entitlement: Decimal,
    has_entitlement: bool,
    /// Working scale of this cell's quantity mantissas.
    w: u32,
    /// E and E × (1 + b) at scale `w`.
    e_m: i128,
    band_m: i128,
    streak: u32,
    last_hour: i64,
    /// Index of this cell's excess run still open, when recording runs.
    open_run: Option<usize>,
    period: Acc,
    term: TermAcc,
}

#[derive(Debug, Clone, Default)]
struct TermAcc {
    touched: bool,
    quantity_hours: Decimal,
    units: Decimal,
    peak: Decimal,
    tolerated: u32,
    charged: u32,
    charged_quantity_hours: Decimal,
    drawn: Decimal,
    overage: Decimal,
}

#[derive(Debug, Clone)]
struct Bucket {
    /// Balance mantissa at `scale`; drawn/overage accumulators share the scale.
    balance: i128,
    scale: u32,
    exhausted_at: Option<Hour>,
}

/// Streaming pricer for one offer. Push records in time order (hours never
/// go back; within an hour any order), then [`Pricer::finish`].
///
/// ```
/// use unitcalc_core::{engine::Pricer, matrix_toml, offer::*, time::*};
/// let m = matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Channel::Direct };
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
/// let mut p = Pricer::new(&m, &terms, &offer).unwrap();
/// let cell = m.cell("capacity", "on-prem", "hot").unwrap();
/// p.push(Hour::parse_rfc3339("2026-03-01T00:00:00Z").unwrap(), cell, "1000".parse().unwrap()).unwrap();
/// assert_eq!(p.finish().unwrap().total.to_string(), "1.50");
/// ```
#[derive(Debug)]
pub struct Pricer<'a> {
    matrix: &'a Matrix,
    terms: &'a DealTerms,
    offer: &'a Offer,
    scale: u32,
    mode: RoundingMode,
    periods: Vec<Period>,
    current: usize,
    term_start: Hour,
    term_end: Hour,
    latest: Option<Hour>,
    cells: Vec<CellState>,
    /// Cells with any state this term (usage or entitlement), dense indices.
    active: Vec<usize>,
    /// PAYG price per unit, or overage price (fixed capacity).
    unit_price: Price,
    grace: u32,
    bucket: Option<Bucket>,
    /// Commitment: this hour's records (cell, quantity mantissa at the
    /// cell's scale), drawn in matrix order when the hour closes.
    hour_buf: Vec<(usize, i128)>,
    fee_schedule: Option<&'a FeeSchedule>,
    out: Vec<PeriodBill>,
    /// Fixed capacity: each period's exact fee share F × h_k ÷ mh_k.
    fee_shares: Vec<Fraction>,
    /// Excess runs, when asked for ([`Pricer::record_excess`]).
    runs: Option<Vec<ExcessRun>>,
}

/// The exact, unrounded fixed fee of each billing period: F × (hours of the
/// period in the term) ÷ (hours in the whole calendar month). Monthly payment
/// rounds each share; upfront payment rounds their exact sum once.
///
/// ```
/// use unitcalc_core::{engine::prorated_fees, num::{Fraction, Money, RoundingMode}, time::{Date, Term}};
/// let term = Term::new(Date::parse("2026-02-15").unwrap(), 1).unwrap();
/// let shares = prorated_fees(Money("40000.00".parse().unwrap()), &term).unwrap();
/// let feb = shares[0].round(2, RoundingMode::HalfUp).unwrap();
/// assert_eq!(feb.to_string(), "20000.00"); // worked example E: 336 of 672 hours
/// ```
pub fn prorated_fees(fee: Money, term: &crate::time::Term) -> Result<Vec<Fraction>, Overflow> {
    term.periods()
        .iter()
        .map(|p| {
            let num = num::mul(fee.get(), Decimal::from(p.hours()), "prorated fee")?;
            Ok(Fraction::new(num, u64::from(p.month_hours)).unwrap_or(Fraction::ZERO))
        })
        .collect()
}

fn offer_err(offer: &Offer, message: impl Into<String>) -> Error {
    Error::Offer {
        offer: offer.name.clone(),
        message: message.into(),
    }
}

fn overflow(offer: &Offer) -> impl Fn(Overflow) -> Error + '_ {
    move |source| Error::Overflow {
        context: format!("pricing offer `{}`", offer.name),
        source,
    }
}

impl<'a> Pricer<'a> {
    /// Validates the offer against the matrix and sets up state.
    pub fn new(matrix: &'a Matrix, terms: &'a DealTerms, offer: &'a Offer) -> Result<Pricer<'a>> {
        let ov = overflow(offer);
        let mut cells: Vec<CellState> = matrix
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
            .collect();
        let nonneg = |v: Decimal, what: &str| {
            if v.is_sign_negative() && !v.is_zero() {
                Err(offer_err(offer, format!("{what} {v} is negative")))
            } else {
                Ok(())
            }
        };
        let mut unit_price = matrix.list_price;
        let mut grace = 0;
        let mut bucket = None;
        let mut active = Vec::new();
        match &offer.kind {
            OfferKind::PayAsYouGo(p) => {
                nonneg(p.discount.get(), "discount")?;
                if p.discount.get() > Decimal::ONE {
                    return Err(offer_err(
                        offer,
                        format!("discount {} is above 1", p.discount),
                    ));
                }
                unit_price = matrix.list_price.discounted(p.discount).map_err(&ov)?;
            }
            OfferKind::FixedCapacity(f) => {
                nonneg(f.monthly_fee.get(), "monthly fee")?;
                nonneg(f.overage.tolerance.get(), "tolerance band")?;
                if let Some(p) = f.overage.price {
                    nonneg(p.get(), "overage price")?;
                    unit_price = p;
                }
                grace = f.overage.grace_hours;
                for e in &f.entitlements {
                    let i = matrix.cell_index(e.cell);
                    let name = matrix.cell_name(e.cell);
                    let st = cells.get_mut(i).filter(|_| matrix.contains(e.cell));
                    let Some(st) = st else {
                        return Err(offer_err(
                            offer,
                            format!("entitlement cell {name} is not in the matrix"),
                        ));
                    };
                    if st.rate.is_none() {
                        return Err(offer_err(
                            offer,
                            format!("entitlement cell {name} is not offered in this matrix"),
                        ));
                    }
                    if st.has_entitlement {
                        return Err(offer_err(
                            offer,
                            format!("cell {name} has two entitlements"),
                        ));
                    }
                    if e.quantity.get() <= Decimal::ZERO {
                        return Err(offer_err(
                            offer,
                            format!("entitlement {} in {name} must be above zero", e.quantity),
                        ));
                    }
                    st.has_entitlement = true;
                    st.entitlement = e.quantity.get();
                    let band = f.overage.band_top(e.quantity).map_err(&ov)?.get();
                    let (em, es) = wide::split(st.entitlement);
                    let (bm, bs) = wide::split(band);
                    st.w = es.max(bs);
                    st.e_m = wide::rescale(em, es, st.w).map_err(&ov)?;
                    st.band_m = wide::rescale(bm, bs, st.w).map_err(&ov)?;
                    active.push(i);
                }
            }
            OfferKind::Commitment(c) => {
                if c.units.get() <= Decimal::ZERO {
                    return Err(offer_err(
                        offer,
                        format!("committed units {} must be above zero", c.units),
                    ));
                }
                nonneg(c.price.get(), "commit price")?;
                let overage_price = c.overage_price.unwrap_or(matrix.list_price);
                nonneg(overage_price.get(), "overage price")?;
                unit_price = overage_price;
                let (balance, scale) = wide::split(c.units.get());
                bucket = Some(Bucket {
                    balance,
                    scale,
                    exhausted_at: None,
                });
            }
        }
        let fee_schedule = match &terms.channel {
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
        };
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
        })
    }

    /// Also records the runs of tolerated and charged hours (fixed-capacity
    /// offers only: the overage rule does not apply to the others). Memory
    /// grows with the number of runs, so the CLI's book pricing leaves it off.
    pub fn record_excess(mut self) -> Self {
        if matches!(self.offer.kind, OfferKind::FixedCapacity(_)) {
            self.runs = Some(Vec::new());
        }
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
        if hour.0.checked_sub(1) != Some(st.last_hour) {
            // The previous hour was absent: usage 0, the streak resets.
            st.streak = 0;
        }
        st.last_hour = hour.0;
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
        // have no entitlement, tolerance or charged hours). With no
        // entitlement E = 0.
        let excess = if !fixed {
            None
        } else if qm > st.e_m {
            st.streak = st.streak.saturating_add(1);
            if qm <= st.band_m && st.streak <= grace {
                acc.tolerated = acc.tolerated.saturating_add(1);
                Some(ExcessKind::Tolerated)
            } else {
                acc.charged = acc.charged.saturating_add(1);
                acc.charged_usage = wide::add(acc.charged_usage, qm)?;
                Some(ExcessKind::Charged)
            }
        } else {
            st.streak = 0;
            None
        };
        if let Some(runs) = self.runs.as_mut() {
            record_run(runs, &mut st.open_run, cell, hour, excess);
        }
        if commitment {
            self.hour_buf.push((i, qm));
        }
        Ok(())
    }

    /// Commitment: draws this hour's records from the bucket in matrix order.
    fn flush_hour(&mut self) -> Result<(), UsageIssue> {
        let Some(bucket) = self.bucket.as_mut() else {
            return Ok(());
        };
        if self.hour_buf.is_empty() {
            return Ok(());
        }
        self.hour_buf.sort_unstable_by_key(|(i, _)| *i);
        // Indices in `hour_buf` were checked by `push`; a miss is refused
        // rather than indexed.
        let missing = Overflow {
            what: "a cell index",
        };
        for &(i, qm) in &self.hour_buf {
            let st = self.cells.get(i).ok_or(missing)?;
            let mut units = qm
                .checked_mul(st.rate_m)
                .ok_or(Overflow { what: "units" })?;
            let us = st.w.saturating_add(st.rate_s);
            if us > bucket.scale {
                // Raise the bucket's scale, with every drawn/overage accumulator.
                bucket.balance = wide::rescale(bucket.balance, bucket.scale, us)?;
                for &j in &self.active {
                    let acc = &mut self.cells.get_mut(j).ok_or(missing)?.period;
                    acc.drawn = wide::rescale(acc.drawn, bucket.scale, us)?;
                    acc.overage = wide::rescale(acc.overage, bucket.scale, us)?;
                }
                bucket.scale = us;
            } else {
                units = wide::rescale(units, us, bucket.scale)?;
            }
            let acc = &mut self.cells.get_mut(i).ok_or(missing)?.period;
            if units <= bucket.balance {
                bucket.balance = wide::sub(bucket.balance, units)?;
                acc.drawn = wide::add(acc.drawn, units)?;
            } else {
                let over = wide::sub(units, bucket.balance)?;
                acc.drawn = wide::add(acc.drawn, bucket.balance)?;
                acc.overage = wide::add(acc.overage, over)?;
                bucket.balance = 0;
            }
            if bucket.balance == 0 && bucket.exhausted_at.is_none() {
                bucket.exhausted_at = self.latest;
            }
        }
        self.hour_buf.clear();
        Ok(())
    }

    fn round(&self, m: Money) -> Money {
        m.round(self.scale, self.mode)
    }

    /// Writes the current period's lines and per-cell figures.
    fn close_period(&mut self) -> Result<(), UsageIssue> {
        let Some(&period) = self.periods.get(self.current) else {
            return Ok(());
        };
        let k = self.current;
        let last = k.saturating_add(1) == self.periods.len();
        let hours = Decimal::from(period.hours());
        let mut lines = Vec::new();
        let offer = self.offer;
        let matrix = self.matrix;
        let (scale, mode) = (self.scale, self.mode);
        // Fixed lines first: fee, commitment, installment.
        match &offer.kind {
            OfferKind::PayAsYouGo(_) => {}
            OfferKind::FixedCapacity(f) => {
                let share = self.fee_shares.get(k).copied().unwrap_or(Fraction::ZERO);
                match f.payment {
                    Payment::Monthly => lines.push(Line {
                        kind: LineKind::Fee,
                        description: if period.is_partial() {
                            format!(
                                "Monthly fee, {} of {} hours",
                                period.hours(),
                                period.month_hours
                            )
                        } else {
                            "Monthly fee".to_string()
                        },
                        cell: None,
                        quantity_hours: None,
                        units: None,
                        unit_price: None,
                        amount: share.round(scale, mode)?,
                    }),
                    Payment::Upfront if k == 0 => {
                        let total = self
                            .fee_shares
                            .iter()
                            .try_fold(Fraction::ZERO, |a, s| a.checked_add(*s))?;
                        lines.push(Line {
                            kind: LineKind::Fee,
                            description: format!("Upfront fee, {} months", self.terms.term.months),
                            cell: None,
                            quantity_hours: None,
                            units: None,
                            unit_price: None,
                            amount: total.round(scale, mode)?,
                        });
                    }
                    Payment::Upfront => {}
                }
            }
            OfferKind::Commitment(c) => {
                let commit = self.round(c.units.at(c.price)?);
                match c.payment {
                    Payment::Upfront if k == 0 => lines.push(Line {
                        kind: LineKind::Commitment,
                        description: format!("Commitment, {} units at {}", c.units, c.price),
                        cell: None,
                        quantity_hours: None,
                        units: Some(c.units),
                        unit_price: Some(c.price),
                        amount: commit,
                    }),
                    Payment::Upfront => {}
                    Payment::Monthly => {
                        let amount = if last {
                            let earlier = self
                                .out
                                .iter()
                                .flat_map(|p| &p.lines)
                                .filter(|l| l.kind == LineKind::Installment);
                            let mut paid = Money::ZERO;
                            for l in earlier {
                                paid = paid.checked_add(l.amount)?;
                            }
                            commit.checked_sub(paid)?
                        } else {
                            let term_hours = self.terms.term.hours() as u64;
                            Fraction::new(num::mul(commit.get(), hours, "installment")?, term_hours)
                                .unwrap_or(Fraction::ZERO)
                                .round(scale, mode)?
                        };
                        lines.push(Line {
                            kind: LineKind::Installment,
                            description: format!(
                                "Installment {} of {}",
                                k.saturating_add(1),
                                self.periods.len()
                            ),
                            cell: None,
                            quantity_hours: None,
                            units: None,
                            unit_price: None,
                            amount,
                        });
                    }
                }
            }
        }
        // Per-cell consumption and overage lines, matrix order.
        self.active.sort_unstable();
        let bucket_scale = self.bucket.as_ref().map_or(0, |b| b.scale);
        let mut stats = Vec::with_capacity(self.active.len());
        for &i in &self.active {
            let cell = matrix.cell_at(i);
            let st = self.cells.get_mut(i).ok_or(Overflow {
                what: "a cell index",
            })?;
            let raw = std::mem::take(&mut st.period);
            let acc = Acc2 {
                touched: raw.touched,
                quantity_hours: wide::to_decimal(raw.quantity_hours, st.w)?,
                peak: wide::to_decimal(raw.peak, st.w)?,
                tolerated: raw.tolerated,
                charged: raw.charged,
                charged_usage: wide::to_decimal(raw.charged_usage, st.w)?,
                drawn: wide::to_decimal(raw.drawn, bucket_scale)?,
                overage: wide::to_decimal(raw.overage, bucket_scale)?,
            };
            let rate = st.rate.unwrap_or_default();
            let units = Quantity(acc.quantity_hours).units_at(rate)?;
            let name = matrix.cell_name(cell);
            let charged_qh = num::sub(
                acc.charged_usage,
                num::mul(
                    st.entitlement,
                    Decimal::from(acc.charged),
                    "charged quantity-hours",
                )?,
                "charged quantity-hours",
            )?;
            let (overage_units, drawn) = match &offer.kind {
                OfferKind::PayAsYouGo(_) => {
                    if acc.touched {
                        lines.push(Line {
                            kind: LineKind::PayAsYouGo,
                            description: format!("Usage {name}"),
                            cell: Some(name.clone()),
                            quantity_hours: Some(Quantity(acc.quantity_hours)),
                            units: Some(units),
                            unit_price: Some(self.unit_price),
                            amount: units.at(self.unit_price)?.round(scale, mode),
                        });
                    }
                    (Units::ZERO, None)
                }
                OfferKind::FixedCapacity(_) => {
                    let ou = Quantity(charged_qh).units_at(rate)?;
                    if acc.charged > 0 {
                        lines.push(Line {
                            kind: LineKind::Overage,
                            description: format!("Overage {name}, {} charged hours", acc.charged),
                            cell: Some(name.clone()),
                            quantity_hours: Some(Quantity(charged_qh)),
                            units: Some(ou),
                            unit_price: Some(self.unit_price),
                            amount: ou.at(self.unit_price)?.round(scale, mode),
                        });
                    }
                    (ou, None)
                }
                OfferKind::Commitment(_) => {
                    let ou = Units(acc.overage);
                    if !acc.overage.is_zero() {
                        lines.push(Line {
                            kind: LineKind::Overage,
                            description: format!("Overage {name}, beyond the commitment"),
                            cell: Some(name.clone()),
                            quantity_hours: None,
                            units: Some(ou),
                            unit_price: Some(self.unit_price),
                            amount: ou.at(self.unit_price)?.round(scale, mode),
                        });
                    }
                    (ou, Some(Units(acc.drawn)))
                }
            };
            let average = acc.quantity_hours.checked_div(hours).unwrap_or_default();
            let utilization = if st.has_entitlement {
                average.checked_div(st.entitlement).map(Ratio)
            } else {
                None
            };
            let t = &mut st.term;
            t.quantity_hours = num::add(t.quantity_hours, acc.quantity_hours, "quantity-hours")?;
            t.units = num::add(t.units, units.get(), "units")?;
            t.peak = t.peak.max(acc.peak);
            t.tolerated = t.tolerated.saturating_add(acc.tolerated);
            t.charged = t.charged.saturating_add(acc.charged);
            t.charged_quantity_hours = num::add(
                t.charged_quantity_hours,
                charged_qh,
                "charged quantity-hours",
            )?;
            t.drawn = num::add(t.drawn, acc.drawn, "drawn units")?;
            t.overage = num::add(t.overage, overage_units.get(), "overage units")?;
            stats.push(CellStats {
                cell: name,
                entitlement: st.has_entitlement.then_some(Quantity(st.entitlement)),
                quantity_hours: Quantity(acc.quantity_hours),
                units,
                peak: Quantity(acc.peak),
                average: Quantity(average),
                utilization,
                tolerated_hours: acc.tolerated,
                charged_hours: acc.charged,
                charged_quantity_hours: Quantity(charged_qh),
                drawn_units: drawn,
                overage_units,
            });
        }
        let mut total = Money(Decimal::ZERO).round(scale, mode);
        for l in &lines {
            total = total.checked_add(l.amount)?;
        }
        self.out.push(PeriodBill {
            label: period.label(),
            start: period.start,
            end: period.end,
            hours: period.hours(),
            month_hours: period.month_hours,
            partial: period.is_partial(),
            lines,
            total,
            marketplace_fee: Money::ZERO,
            net_revenue: total,
            cells: stats,
        });
        self.current = self.current.saturating_add(1);
        Ok(())
    }

    /// Closes every remaining period and returns the bill.
    pub fn finish(self) -> Result<Bill> {
        self.finish_with_excess().map(|(bill, _)| bill)
    }

    /// [`Pricer::finish`], with the excess runs recorded (empty unless
    /// [`Pricer::record_excess`] was called on a fixed-capacity offer), in
    /// order of their first hour.
    pub fn finish_with_excess(mut self) -> Result<(Bill, Vec<ExcessRun>)> {
        let runs = self.runs.take().unwrap_or_default();
        let ctx = |e: UsageIssue| match e {
            UsageIssue::Overflow(source) => Error::Overflow {
                context: format!("pricing offer `{}`", self.offer.name),
                source,
            },
            other => Error::usage(Origin::file("usage"), other),
        };
        self.flush_hour().map_err(ctx)?;
        while self.current < self.periods.len() {
            self.close_period().map_err(ctx)?;
        }
        let ov = overflow(self.offer);
        let (scale, mode) = (self.scale, self.mode);
        let zero = Money::ZERO.round(scale, mode);
        let mut total = zero;
        for p in &self.out {
            total = total.checked_add(p.total).map_err(&ov)?;
        }
        let rate = self.fee_schedule.map_or(Ratio::ZERO, |s| s.rate_for(total));
        let mut fee_sum = zero;
        for p in &mut self.out {
            p.marketplace_fee = p.total.times(rate).map_err(&ov)?.round(scale, mode);
            p.net_revenue = p.total.checked_sub(p.marketplace_fee).map_err(&ov)?;
            fee_sum = fee_sum.checked_add(p.marketplace_fee).map_err(&ov)?;
        }
        let term_hours = Decimal::from(self.terms.term.hours() as u64);
        let mut cells = Vec::new();
        let mut consumed = Decimal::ZERO;
        for &i in &self.active {
            let st = self
                .cells
                .get(i)
                .ok_or(Overflow {
                    what: "a cell index",
                })
                .map_err(&ov)?;
            let t = &st.term;
            consumed = num::add(consumed, t.units, "units consumed").map_err(&ov)?;
            let average = t.quantity_hours.checked_div(term_hours).unwrap_or_default();
            cells.push(CellStats {
                cell: self.matrix.cell_name(self.matrix.cell_at(i)),
                entitlement: st.has_entitlement.then_some(Quantity(st.entitlement)),
                quantity_hours: Quantity(t.quantity_hours),
                units: Units(t.units),
                peak: Quantity(t.peak),
                average: Quantity(average),
                utilization: if st.has_entitlement {
                    average.checked_div(st.entitlement).map(Ratio)
                } else {
                    None
                },
                tolerated_hours: t.tolerated,
                charged_hours: t.charged,
                charged_quantity_hours: Quantity(t.charged_quantity_hours),
                drawn_units: self.bucket.is_some().then_some(Units(t.drawn)),
                overage_units: Units(t.overage),
            });
        }
        let commitment = match (&self.offer.kind, &self.bucket) {
            (OfferKind::Commitment(c), Some(b)) => {
                let remaining = wide::to_decimal(b.balance, b.scale).map_err(&ov)?;
                let drawn = cells.iter().try_fold(Decimal::ZERO, |a, c| {
                    num::add(a, c.drawn_units.unwrap_or_default().get(), "drawn")
                });
                let over = cells.iter().try_fold(Decimal::ZERO, |a, c| {
                    num::add(a, c.overage_units.get(), "overage")
                });
                Some(CommitmentState {
                    units_purchased: c.units,
                    commit_price: c.price,
                    commitment_amount: c.units.at(c.price).map_err(&ov)?.round(scale, mode),
                    units_consumed: Units(consumed),
                    units_drawn: Units(drawn.map_err(&ov)?),
                    overage_units: Units(over.map_err(&ov)?),
                    units_remaining: Units(remaining),
                    exhausted_at: b.exhausted_at,
                    exhausted_term_hour: b.exhausted_at.and_then(|h| {
                        u64::try_from(h.0.checked_sub(self.term_start.0)?.checked_add(1)?).ok()
                    }),
                    expired_units: Units(remaining),
                    expired_value: Units(remaining)
                        .at(c.price)
                        .map_err(&ov)?
                        .round(scale, mode),
                })
            }
            _ => None,
        };
        let channel = match &self.terms.channel {
            Channel::Direct => "direct".to_string(),
            Channel::Marketplace(e) => e.clone(),
        };
        let bill = Bill {
            offer: self.offer.name.clone(),
            offer_kind: self.offer.kind.as_str().to_string(),
            matrix: self.matrix.name.clone(),
            matrix_version: self.matrix.version.clone(),
            currency: self.matrix.currency.code.clone(),
            term_start: self.terms.term.start,
            term_end: self.terms.term.end(),
            term_months: self.terms.term.months,
            channel,
            periods: self.out,
            total,
            marketplace_fee_rate: rate,
            marketplace_fee: fee_sum,
            net_revenue: total.checked_sub(fee_sum).map_err(&ov)?,
            units_consumed: Units(consumed),
            cells,
            commitment,
        };
        Ok((bill, runs))
    }
}

/// Extends the cell's open run when `hour` continues it with the same kind,
/// else opens a new one; an hour without excess closes it.
fn record_run(
    runs: &mut Vec<ExcessRun>,
    open: &mut Option<usize>,
    cell: CellId,
    hour: Hour,
    excess: Option<ExcessKind>,
) {
    let Some(kind) = excess else {
        *open = None;
        return;
    };
    let next = Hour(hour.0.saturating_add(1));
    if let Some(run) = open.and_then(|j| runs.get_mut(j)) {
        if run.kind == kind && run.end == hour {
            run.end = next;
            return;
        }
    }
    *open = Some(runs.len());
    runs.push(ExcessRun {
        cell,
        kind,
        start: hour,
        end: next,
    });
}

impl From<Overflow> for Error {
    fn from(source: Overflow) -> Self {
        Error::Overflow {
            context: "pricing".to_string(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::{Commitment, Entitlement, FixedCapacity, OveragePolicy, PayAsYouGo};
    use crate::time::{Date, Term};

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    /// Matrix M of pricing-model.md §11.
    fn spec_m() -> Matrix {
        crate::matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml")
            .unwrap()
    }

    fn term(start: &str, months: u32) -> DealTerms {
        DealTerms {
            term: Term::new(Date::parse(start).unwrap(), months).unwrap(),
            channel: Channel::Direct,
        }
    }

    /// Usage at `base` every hour, with `burst_hours` hours at `burst` from hour `at` of the term.
    fn usage(
        m: &Matrix,
        t: &DealTerms,
        cell: CellId,
        base: &str,
        burst: &str,
        at: usize,
        burst_hours: usize,
    ) -> UsageSeries {
        let mut u = UsageSeries::new(&t.term);
        let q: Vec<Quantity> = (0..t.term.hours())
            .map(|h| {
                Quantity(d(if (at..at + burst_hours).contains(&h) {
                    burst
                } else {
                    base
                }))
            })
            .collect();
        let _ = m;
        u.set_series(cell, q);
        u
    }

    /// The excess runs of one offer over hand-written hours of azure/hot
    /// (offsets from the term start; absent hours are usage 0), E = 500 TB.
    /// Each row: (what, records, strict policy?, expected runs as
    /// (T = tolerated / C = charged, first offset, hours)).
    #[test]
    fn excess_runs_table() {
        type Row = (
            &'static str,
            Vec<(i64, &'static str)>,
            bool,
            Vec<(char, i64, u64)>,
        );
        let span = |from: i64, n: i64, q: &'static str| (from..from + n).map(move |h| (h, q));
        let table: Vec<Row> = vec![
            (
                "example B: 48 h at 540 tolerated",
                span(10, 48, "540").collect(),
                false,
                vec![('T', 10, 48)],
            ),
            (
                "example C: 72 tolerated, then 28 charged",
                span(216, 100, "540").collect(),
                false,
                vec![('T', 216, 72), ('C', 288, 28)],
            ),
            (
                "example D: above the band, all charged",
                span(5, 5, "600").collect(),
                false,
                vec![('C', 5, 5)],
            ),
            (
                "at E exactly: no excess, no run",
                span(0, 10, "500").collect(),
                false,
                vec![],
            ),
            (
                "an absent hour resets the streak and splits the run",
                span(0, 3, "540").chain(span(4, 3, "540")).collect(),
                false,
                vec![('T', 0, 3), ('T', 4, 3)],
            ),
            (
                "an hour back at E closes the run",
                span(0, 2, "540")
                    .chain(span(2, 1, "500"))
                    .chain(span(3, 2, "540"))
                    .collect(),
                false,
                vec![('T', 0, 2), ('T', 3, 2)],
            ),
            (
                "the streak runs across the month end (Mar 31 20:00 → Apr 4)",
                span(740, 80, "540").collect(),
                false,
                vec![('T', 740, 72), ('C', 812, 8)],
            ),
            (
                "band then above then band: kinds alternate",
                vec![(0, "540"), (1, "600"), (2, "540")],
                false,
                vec![('T', 0, 1), ('C', 1, 1), ('T', 2, 1)],
            ),
            (
                "strict policy: every excess hour charged",
                span(0, 3, "500.001").collect(),
                true,
                vec![('C', 0, 3)],
            ),
        ];
        let m = spec_m();
        let t = term("2026-03-01", 2);
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        let start = t.term.start_hour().0;
        for (what, records, strict, want) in table {
            let mut offer = fixed("40000.00", Payment::Monthly, cell, "500");
            if let OfferKind::FixedCapacity(f) = &mut offer.kind {
                if strict {
                    f.overage = OveragePolicy::strict();
                }
            }
            let mut p = Pricer::new(&m, &t, &offer).unwrap().record_excess();
            for (h, q) in &records {
                p.push(Hour(start + h), cell, Quantity(d(q))).unwrap();
            }
            let (bill, runs) = p.finish_with_excess().unwrap();
            let got: Vec<(char, i64, u64)> = runs
                .iter()
                .map(|r| {
                    assert_eq!(r.cell, cell);
                    let k = if r.kind == ExcessKind::Tolerated {
                        'T'
                    } else {
                        'C'
                    };
                    (k, r.start.0 - start, r.hours())
                })
                .collect();
            assert_eq!(got, want, "{what}");
            // The runs agree with the bill's own counts.
            let count = |k: char| want.iter().filter(|r| r.0 == k).map(|r| r.2).sum::<u64>();
            let cs = &bill.cells[0];
            assert_eq!(u64::from(cs.tolerated_hours), count('T'), "{what}");
            assert_eq!(u64::from(cs.charged_hours), count('C'), "{what}");
        }
    }

    #[test]
    fn excess_runs_only_for_fixed_capacity() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        let u = usage(&m, &t, cell, "540", "540", 0, 0);
        let payg = Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        };
        let (bill, runs) = price_with_excess(&m, &t, &payg, &u).unwrap();
        assert!(runs.is_empty());
        assert_eq!(bill, price(&m, &t, &payg, &u).unwrap());
    }

    fn fixed(monthly_fee: &str, payment: Payment, cell: CellId, e: &str) -> Offer {
        Offer {
            name: "fixed".into(),
            kind: OfferKind::FixedCapacity(FixedCapacity {
                entitlements: vec![Entitlement {
                    cell,
                    quantity: Quantity(d(e)),
                }],
                monthly_fee: Money(d(monthly_fee)),
                payment,
                overage: OveragePolicy::default(),
            }),
        }
    }

    #[test]
    fn example_a_pay_as_you_go() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        let u = usage(&m, &t, cell, "200", "200", 0, 0);
        let offer = Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo {
                discount: Ratio(d("0.20")),
            }),
        };
        let bill = price(&m, &t, &offer, &u).unwrap();
        let line = &bill.periods[0].lines[0];
        assert_eq!(line.units.unwrap().get(), d("279"));
        assert_eq!(line.unit_price.unwrap().get(), d("0.80"));
        assert_eq!(line.amount.to_string(), "223.20");
        assert_eq!(bill.total.to_string(), "223.20");
    }

    /// Examples B, C, D: (burst level, burst hours, March total, tolerated, charged, overage units).
    #[test]
    fn examples_b_c_d_fixed_capacity() {
        let table = [
            ("540", 48, "40000.00", 48, 0, "0"),
            ("540", 100, "40002.10", 72, 28, "2.1"),
            ("600", 5, "40000.94", 0, 5, "0.9375"),
        ];
        let m = spec_m();
        let t = term("2026-03-01", 12);
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        for (level, hours, total, tolerated, charged, units) in table {
            let u = usage(&m, &t, cell, "500", level, 100, hours);
            let bill = price(
                &m,
                &t,
                &fixed("40000.00", Payment::Monthly, cell, "500"),
                &u,
            )
            .unwrap();
            let march = &bill.periods[0];
            assert_eq!(march.total.to_string(), total, "{level} × {hours}");
            let c = &march.cells[0];
            assert_eq!(
                (c.tolerated_hours, c.charged_hours),
                (tolerated, charged),
                "{level} × {hours}"
            );
            assert_eq!(c.overage_units.get(), d(units), "{level} × {hours}");
            assert_eq!(bill.periods.len(), 12);
            assert!(bill.periods[1..]
                .iter()
                .all(|p| p.total.to_string() == "40000.00"));
        }
    }

    #[test]
    fn streak_runs_across_period_boundaries_and_resets_on_absent_hours() {
        let m = spec_m();
        let t = term("2026-03-01", 2);
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        // 80 hours at 540 straddling March/April: 72 tolerated, the last 8 (in April) charged.
        let u = usage(&m, &t, cell, "500", "540", 744 - 40, 80);
        let bill = price(
            &m,
            &t,
            &fixed("40000.00", Payment::Monthly, cell, "500"),
            &u,
        )
        .unwrap();
        assert_eq!(bill.periods[0].cells[0].tolerated_hours, 40);
        assert_eq!(
            (
                bill.periods[1].cells[0].tolerated_hours,
                bill.periods[1].cells[0].charged_hours
            ),
            (32, 8)
        );
        // An absent hour in the middle of a burst resets the streak: 2 × 50 hours, all tolerated.
        let offer = fixed("40000.00", Payment::Monthly, cell, "500");
        let mut p = Pricer::new(&m, &t, &offer).unwrap();
        let start = t.term.start_hour().0;
        for h in (0..50).chain(51..101) {
            p.push(Hour(start + h), cell, Quantity(d("540"))).unwrap();
        }
        let bill = p.finish().unwrap();
        assert_eq!(
            (
                bill.periods[0].cells[0].tolerated_hours,
                bill.periods[0].cells[0].charged_hours
            ),
            (100, 0)
        );
    }

    #[test]
    fn strict_policy_charges_every_excess_hour() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        let mut offer = fixed("40000.00", Payment::Monthly, cell, "500");
        if let OfferKind::FixedCapacity(f) = &mut offer.kind {
            f.overage = OveragePolicy::strict();
        }
        let u = usage(&m, &t, cell, "500", "540", 0, 48);
        let bill = price(&m, &t, &offer, &u).unwrap();
        // 40 TB × 48 h × 0.0015 × 1.25 = 3.6
        assert_eq!(bill.periods[0].cells[0].charged_hours, 48);
        assert_eq!(bill.total.to_string(), "40003.60");
    }

    /// Example E and upfront: (start, months, payment, first period amount, periods).
    #[test]
    fn example_e_proration() {
        let table = [
            ("2026-02-15", 12, Payment::Monthly, "20000.00", 13),
            ("2026-03-01", 12, Payment::Monthly, "40000.00", 12),
            ("2026-03-01", 12, Payment::Upfront, "480000.00", 12),
            // Half of Feb 2026 + 11 months + half of Feb 2027: exactly 12 months.
            ("2026-02-15", 12, Payment::Upfront, "480000.00", 13),
            // 24/744 of January + 648/672 of February = 39,861.7511… → 39,861.75
            ("2026-01-31", 1, Payment::Upfront, "39861.75", 2),
            ("2026-01-31", 1, Payment::Monthly, "1290.32", 2),
        ];
        let m = spec_m();
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        for (start, months, payment, first, periods) in table {
            let t = term(start, months);
            let bill = price(
                &m,
                &t,
                &fixed("40000.00", payment, cell, "500"),
                &UsageSeries::new(&t.term),
            )
            .unwrap();
            assert_eq!(bill.periods.len(), periods, "{start}");
            assert_eq!(
                bill.periods[0].total.to_string(),
                first,
                "{start} {payment:?}"
            );
            assert_eq!(bill.periods[0].partial, start != "2026-03-01", "{start}");
        }
    }

    #[test]
    fn example_f_units_commitment() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let cell = m.cell("capacity", "on-prem", "hot").unwrap();
        let u = usage(&m, &t, cell, "1000", "1000", 0, 0);
        let offer = Offer {
            name: "prepaid".into(),
            kind: OfferKind::Commitment(Commitment {
                units: Units(d("1000")),
                price: Price(d("0.85")),
                payment: Payment::Upfront,
                overage_price: None,
            }),
        };
        let bill = price(&m, &t, &offer, &u).unwrap();
        let c = bill.commitment.as_ref().unwrap();
        assert_eq!(c.commitment_amount.to_string(), "850.00");
        assert_eq!(c.exhausted_term_hour, Some(667));
        assert_eq!(c.exhausted_at.unwrap().to_string(), "2026-03-28T18:00:00Z");
        // 744 h × 1.5 = 1116 units: 1000 drawn, 116 overage (0.5 + 77 × 1.5).
        assert_eq!(c.units_consumed.get(), d("1116"));
        assert_eq!(c.units_drawn.get(), d("1000"));
        assert_eq!(c.overage_units.get(), d("116"));
        assert!(c.units_remaining.is_zero() && c.expired_value.is_zero());
        let march = &bill.periods[0];
        assert_eq!(march.lines.len(), 2);
        assert_eq!(march.lines[1].amount.to_string(), "116.00");
        assert_eq!(bill.total.to_string(), "966.00");
    }

    #[test]
    fn commitment_draws_cells_in_matrix_order_within_an_hour() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let hot = m.cell("capacity", "azure", "hot").unwrap(); // 0.001875 /TB-h
        let onprem = m.cell("capacity", "on-prem", "hot").unwrap(); // 0.0015 /TB-h
        let offer = Offer {
            name: "prepaid".into(),
            kind: OfferKind::Commitment(Commitment {
                units: Units(d("2")),
                price: Price(d("0.85")),
                payment: Payment::Monthly,
                overage_price: Some(Price(d("2.00"))),
            }),
        };
        let mut p = Pricer::new(&m, &t, &offer).unwrap();
        let h = t.term.start_hour();
        // Pushed in reverse order: on-prem (earlier in the matrix) must still draw first.
        p.push(h, hot, Quantity(d("1000"))).unwrap(); // 1.875 units
        p.push(h, onprem, Quantity(d("1000"))).unwrap(); // 1.5 units
        let bill = p.finish().unwrap();
        let cells = &bill.periods[0].cells;
        assert_eq!(cells[0].cell.environment, "on-prem");
        assert_eq!(cells[0].drawn_units.unwrap().get(), d("1.5"));
        assert_eq!(cells[1].drawn_units.unwrap().get(), d("0.5"));
        assert_eq!(cells[1].overage_units.get(), d("1.375"));
        assert_eq!(bill.periods[0].lines[1].amount.to_string(), "2.75");
        // Monthly, one period: the single installment is the whole commitment.
        assert_eq!(bill.periods[0].lines[0].amount.to_string(), "1.70");
    }

    #[test]
    fn installments_add_up_to_the_commitment() {
        let m = spec_m();
        let t = term("2026-02-15", 7);
        let offer = Offer {
            name: "prepaid".into(),
            kind: OfferKind::Commitment(Commitment {
                units: Units(d("1000")),
                price: Price(d("0.8533")),
                payment: Payment::Monthly,
                overage_price: None,
            }),
        };
        let bill = price(&m, &t, &offer, &UsageSeries::new(&t.term)).unwrap();
        assert_eq!(bill.periods.len(), 8);
        assert_eq!(bill.total.to_string(), "853.30");
        let c = bill.commitment.unwrap();
        assert_eq!(c.expired_units.get(), d("1000"));
        assert_eq!(c.expired_value.to_string(), "853.30");
    }

    #[test]
    fn marketplace_fee_by_contract_value() {
        let m = spec_m();
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        // (monthly fee, months, rate, fee total)
        let table = [
            ("40000.00", 12, "0.03", "14400.00"),
            ("100000.00", 12, "0.02", "24000.00"),
            ("1000000.00", 12, "0.015", "180000.00"),
        ];
        for (fee, months, rate, total_fee) in table {
            let mut t = term("2026-03-01", months);
            t.channel = Channel::Marketplace("azure".into());
            let bill = price(
                &m,
                &t,
                &fixed(fee, Payment::Monthly, cell, "500"),
                &UsageSeries::new(&t.term),
            )
            .unwrap();
            assert_eq!(bill.marketplace_fee_rate.get(), d(rate), "{fee}");
            assert_eq!(bill.marketplace_fee.to_string(), total_fee, "{fee}");
            assert_eq!(
                bill.net_revenue,
                bill.total.checked_sub(bill.marketplace_fee).unwrap()
            );
        }
        let mut t = term("2026-03-01", 1);
        t.channel = Channel::Marketplace("on-prem".into());
        let err = Pricer::new(&m, &t, &fixed("1", Payment::Monthly, cell, "1")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "offer `fixed`: channel `on-prem` is not a marketplace environment of matrix spec-m"
        );
    }

    #[test]
    fn bad_usage_is_refused() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let offer = Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        };
        let hot = m.cell("capacity", "azure", "hot").unwrap();
        let archive_onprem = CellId {
            meter: 0,
            environment: 0,
            use_case: 1,
        };
        let h = |s: &str| Hour::parse_rfc3339(s).unwrap();
        let q = |s: &str| Quantity(d(s));
        type Records = Vec<(Hour, CellId, Quantity)>;
        let table: Vec<(Records, &str)> = vec![
            (vec![(h("2026-04-01T00:00:00Z"), hot, q("1"))], "hour 2026-04-01T00:00:00Z is outside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z"),
            (vec![(h("2026-03-01T05:00:00Z"), hot, q("1")), (h("2026-03-01T05:00:00Z"), hot, q("2"))], "duplicate record for hour 2026-03-01T05:00:00Z and cell capacity/azure/hot"),
            (vec![(h("2026-03-01T05:00:00Z"), hot, q("1")), (h("2026-03-01T04:00:00Z"), hot, q("2"))], "hour 2026-03-01T04:00:00Z comes after hour 2026-03-01T05:00:00Z: usage must be in time order"),
            (vec![(h("2026-03-01T05:00:00Z"), hot, q("-1"))], "negative quantity -1"),
            (vec![(h("2026-03-01T05:00:00Z"), archive_onprem, q("1"))], "cell capacity/on-prem/archive is not offered in this matrix"),
            (vec![(h("2026-03-01T05:00:00Z"), CellId { meter: 9, environment: 0, use_case: 0 }, q("1"))], "cell ?/on-prem/hot is not offered in this matrix"),
        ];
        for (records, want) in table {
            let mut p = Pricer::new(&m, &t, &offer).unwrap();
            let err = records
                .into_iter()
                .map(|(h, c, q)| p.push(h, c, q))
                .find_map(Result::err)
                .unwrap();
            assert_eq!(err.to_string(), want);
        }
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let m = spec_m();
        let t = term("2026-03-01", 1);
        let offer = Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        };
        let hot = m.cell("capacity", "azure", "hot").unwrap();
        let mut p = Pricer::new(&m, &t, &offer).unwrap();
        let start = t.term.start_hour().0;
        let huge = Quantity(Decimal::MAX);
        p.push(Hour(start), hot, huge).unwrap();
        // The exact accumulator holds the sum; it cannot be a Decimal, so the
        // period's close reports an overflow.
        p.push(Hour(start + 1), hot, huge).unwrap();
        let err = p.finish().unwrap_err();
        assert!(matches!(err, Error::Overflow { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "pricing offer `payg`: arithmetic overflow while computing exact accumulator"
        );
    }
}
