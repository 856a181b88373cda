//! The units commitment (pricing model section 6): the bucket of committed
//! units, drawn hour by hour in matrix order, its commitment or installment
//! lines, and the bill's commitment state.

use rust_decimal::Decimal;

use super::cells::{CellState, Cells};
use super::ledger::record_drawn;
use super::pricer::{nonneg, Pricer};
use super::sums::Exact;
use super::{offer_err, overflow};
use crate::bill::{CellStats, CommitmentState, Line, LineKind, PeriodBill};
use crate::error::{Result, UsageIssue};
use crate::matrix::Matrix;
use crate::num::{self, Fraction, Money, Overflow, Price, Units};
use crate::offer::{Commitment, Offer, OfferKind, Payment};
use crate::time::Hour;
use crate::wide;

#[derive(Debug, Clone)]
pub(super) struct Bucket {
    /// Balance mantissa at `scale`; drawn/overage accumulators share the scale.
    pub(super) balance: i128,
    pub(super) scale: u32,
    pub(super) exhausted_at: Option<Hour>,
}

/// A commitment's hour so far: the cells with a quantity pending
/// ([`CellState::pending`]) and the units drawn ahead.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct HourDraw {
    /// Cells with a quantity pending this hour.
    pub(super) n: usize,
    /// Σ units of the records drawn ahead (quantity × the cell's factor, at
    /// the bucket's scale).
    pub(super) units: i128,
    /// Some record was not drawn ahead: the hour's close walks its cells.
    pub(super) walk: bool,
}

/// One commitment record `q` (the cell's quantity, `i64` or wider, at its
/// scale) for the hour's draw. While the bucket holds the hour's units,
/// matrix order does not change what each cell draws (all of it): so a
/// record with the cell's factor known is drawn ahead, its quantity added
/// to `Acc::drawn_qm` and its units to the hour's; the hour's close then
/// takes them from the bucket at once, or, when the bucket cannot hold
/// them, takes the records back and walks the hour in matrix order
/// ([`Pricer::flush_hour`]). After the bucket ran out every unit is
/// beyond it, in any order (`Acc::overage_qm`). Any other record (no
/// factor yet, wider than `i64`, `ahead` false) waits for the walk.
#[inline(always)]
pub(super) fn draw_record(
    st: &mut CellState,
    bucket: &Bucket,
    hour: &mut HourDraw,
    q: Result<i64, i128>,
    ahead: bool,
) -> Result<(), Overflow> {
    let qm = q.map_or_else(|wide| wide, i128::from);
    st.ahead = 0;
    if let Some(q) = q
        .ok()
        .filter(|_| ahead && st.draw_key == st.draw_key_for(bucket.scale))
    {
        let acc = &mut st.period;
        if bucket.balance == 0 {
            acc.overage_qm = acc.overage_qm.plus(q)?;
            st.pending = 0;
            return Ok(());
        }
        // quantity × factor: a plain `i64` product when the two have 65
        // leading zero bits between them (below 2^a and 2^b with a + b ≤ 63:
        // the product is below 2^63), where a checked product is a library
        // call in WebAssembly; else the checked product.
        let units = match i64::try_from(st.draw_factor) {
            Ok(f) if f >= 0 && q.leading_zeros().saturating_add(f.leading_zeros()) >= 65 => {
                Some(i128::from(q.wrapping_mul(f)))
            }
            _ => wide::mul(qm, st.draw_factor),
        };
        let units = units.and_then(|u| hour.units.checked_add(u));
        if let Some(units) = units {
            hour.units = units;
            acc.drawn_qm = acc.drawn_qm.plus(q)?;
            st.ahead = q;
        } else {
            hour.walk = true;
        }
    } else {
        hour.walk = true;
    }
    st.pending = qm;
    hour.n = hour.n.saturating_add(1);
    Ok(())
}

impl CellState {
    /// Commitment: the units of the quantities drawn ahead and beyond the
    /// bucket (`Acc::drawn_qm`, `Acc::overage_qm`) into the period's
    /// units, by the cell's factor (valid for the bucket's scale while they
    /// are not 0: every change of the factor folds them first).
    pub(super) fn fold_draws(&mut self) -> Result<(), Overflow> {
        let acc = &mut self.period;
        if acc.drawn_qm != 0 || acc.overage_qm != 0 {
            let units = |q: i64| {
                wide::mul(i128::from(q), self.draw_factor).ok_or(Overflow { what: "units" })
            };
            acc.drawn = wide::add(acc.drawn, units(acc.drawn_qm)?)?;
            acc.overage = wide::add(acc.overage, units(acc.overage_qm)?)?;
            (acc.drawn_qm, acc.overage_qm) = (0, 0);
        }
        Ok(())
    }
}

/// An installment before the last, exact: the commitment's amount C ×
/// `hours` of the period ÷ `term_hours` (rounded once by the caller).
pub(crate) fn installment_share(
    commit: Money,
    hours: Decimal,
    term_hours: u64,
) -> Result<Fraction, Overflow> {
    let num = num::mul(commit.get(), hours, "installment")?;
    Ok(Fraction::new(num, term_hours).unwrap_or(Fraction::ZERO))
}

/// The sum of the installment lines of `periods` (the periods before the
/// last: the last installment is the commitment less this).
pub(crate) fn installments_paid(periods: &[PeriodBill]) -> Result<Money, Overflow> {
    let mut paid = Money::ZERO;
    for l in periods
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.kind == LineKind::Installment)
    {
        paid = paid.checked_add(l.amount)?;
    }
    Ok(paid)
}

/// Validates a commitment offer; returns its overage price and a full bucket.
pub(super) fn set_up(matrix: &Matrix, offer: &Offer, c: &Commitment) -> Result<(Price, Bucket)> {
    if c.units.get() <= Decimal::ZERO {
        return Err(offer_err(
            offer,
            format!("committed units {} must be above zero", c.units),
        ));
    }
    nonneg(offer, c.price.get(), "commit price")?;
    let overage_price = c.overage_price.unwrap_or(matrix.list_price);
    nonneg(offer, overage_price.get(), "overage price")?;
    let (balance, scale) = wide::split(c.units.get());
    let bucket = Bucket {
        balance,
        scale,
        exhausted_at: None,
    };
    Ok((overage_price, bucket))
}

impl Pricer<'_> {
    /// Commitment: draws this hour's records from the bucket in matrix order.
    pub(super) fn flush_hour(&mut self) -> Result<(), UsageIssue> {
        let Some(bucket) = self.bucket.as_mut().filter(|_| self.hour.n != 0) else {
            return Ok(());
        };
        let hour = std::mem::take(&mut self.hour);
        if !hour.walk && hour.units <= bucket.balance {
            // The bucket holds the hour: every cell draws all of its units.
            bucket.balance = wide::sub(bucket.balance, hour.units)?;
            if bucket.balance == 0 && bucket.exhausted_at.is_none() {
                bucket.exhausted_at = self.latest;
            }
            return Ok(());
        }
        // Take back what was drawn ahead; walk the hour in matrix order.
        let now = self.latest.map_or(i64::MIN, |h| h.0);
        for &i in &self.active {
            if let Some(st) = self.cells.get_mut(i).filter(|st| st.last_hour == now) {
                st.period.drawn_qm =
                    (st.period.drawn_qm.checked_sub(st.ahead)).ok_or(Overflow { what: "units" })?;
                st.ahead = 0;
            }
        }
        self.hour = hour;
        // One draw, compiled twice: plain pricing's has no ledger code in it.
        if self.ledger.is_some() {
            self.draw_hour::<true>()
        } else {
            self.draw_hour::<false>()
        }
    }

    /// [`Pricer::flush_hour`]'s draws; `RECORD` also writes the ledger rows.
    #[inline(always)]
    fn draw_hour<const RECORD: bool>(&mut self) -> Result<(), UsageIssue> {
        let Some(bucket) = self.bucket.as_mut() else {
            return Ok(());
        };
        // The cells with a quantity this hour, in matrix order (the active
        // cells are kept in it): no sort. Indices in `active` were checked
        // by `push`; a miss is refused rather than indexed.
        let missing = Overflow {
            what: "a cell index",
        };
        let mut left = self.hour.n;
        let now = self.latest.map_or(i64::MIN, |h| h.0);
        for &i in &self.active {
            if left == 0 {
                break;
            }
            let st = self.cells.get_mut(i).ok_or(missing)?;
            // A quantity is this hour's while its hour is (drawn ahead in
            // hours before, it may be left).
            if st.last_hour != now {
                continue;
            }
            let qm = std::mem::take(&mut st.pending);
            if qm == 0 {
                continue;
            }
            left = left.saturating_sub(1);
            // quantity × rate at the bucket's scale: one multiplication by
            // the cell's factor (exact: the same integer product), or, the
            // first time at this scale, or when that overflows, step by
            // step (so an overflow is the same error as ever).
            let key = st.draw_key_for(bucket.scale);
            let cached = (st.draw_key == key)
                .then(|| wide::mul(qm, st.draw_factor))
                .flatten();
            let units = match cached {
                Some(units) => units,
                None => draw_units(&mut self.cells, &self.active, bucket, i, qm)?,
            };
            let acc = &mut self.cells.get_mut(i).ok_or(missing)?.period;
            let before = bucket.balance;
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
            if let Some(ledger) = self.ledger.as_mut().filter(|_| RECORD) {
                let hour = self.latest.unwrap_or(self.term_start);
                let st = self.cells.get(i).ok_or(missing)?;
                let at = (hour, self.current, self.matrix.cell_at(i));
                let draw = [units, before, bucket.balance];
                record_drawn(ledger, at, st, qm, draw, bucket.scale)?;
            }
        }
        self.hour = HourDraw::default();
        Ok(())
    }

    /// Period `k`'s commitment line (upfront, first period) or installment
    /// (monthly: the commitment × period hours ÷ term hours, rounded; the
    /// last installment is the rest, so they add up to the commitment).
    pub(super) fn commitment_lines(
        &self,
        c: &Commitment,
        k: usize,
        hours: Decimal,
        lines: &mut Vec<Line>,
    ) -> Result<(), UsageIssue> {
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
                let amount = if k.saturating_add(1) == self.periods.len() {
                    commit.checked_sub(installments_paid(&self.out)?)?
                } else {
                    let term_hours = self.terms.term.hours() as u64;
                    installment_share(commit, hours, term_hours)?.round(self.scale, self.mode)?
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
        Ok(())
    }

    /// The bill's commitment state (commitment offers only): drawn, overage,
    /// remaining and expired units, from the term's cells and the bucket.
    pub(super) fn commitment_state(
        &self,
        cells: &[CellStats],
        consumed: Decimal,
    ) -> Result<Option<CommitmentState>> {
        let (OfferKind::Commitment(c), Some(b)) = (&self.offer.kind, &self.bucket) else {
            return Ok(None);
        };
        let ov = overflow(self.offer);
        let (scale, mode) = (self.scale, self.mode);
        let remaining = wide::to_decimal(b.balance, b.scale).map_err(&ov)?;
        let drawn = cells.iter().try_fold(Decimal::ZERO, |a, c| {
            num::add(a, c.drawn_units.unwrap_or_default().get(), "drawn")
        });
        let over = cells.iter().try_fold(Decimal::ZERO, |a, c| {
            num::add(a, c.overage_units.get(), "overage")
        });
        Ok(Some(CommitmentState {
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
        }))
    }
}

/// A commitment's units for `qm` (cell `i`'s quantity mantissa) at the
/// bucket's scale, step by step: quantity × rate, then the bucket's scale
/// raised to the product's (with every drawn/overage accumulator) or the
/// product brought to the bucket's. Keeps the cell's factor for the next
/// hours at this scale.
#[inline(never)]
fn draw_units(
    cells: &mut Cells,
    active: &[usize],
    bucket: &mut Bucket,
    i: usize,
    qm: i128,
) -> Result<i128, UsageIssue> {
    let missing = Overflow {
        what: "a cell index",
    };
    let st = cells.get(i).ok_or(missing)?;
    let (rate_m, w) = (st.rate_m, st.w);
    let mut units = wide::mul(qm, rate_m).ok_or(Overflow { what: "units" })?;
    let us = w.saturating_add(st.rate_s);
    if us > bucket.scale {
        // Raise the bucket's scale, with every drawn/overage accumulator
        // (units drawn ahead first, at the factors of the old scale).
        for &j in active {
            cells.get_mut(j).ok_or(missing)?.fold_draws()?;
        }
        bucket.balance = wide::rescale(bucket.balance, bucket.scale, us)?;
        for &j in active {
            let acc = &mut cells.get_mut(j).ok_or(missing)?.period;
            acc.drawn = wide::rescale(acc.drawn, bucket.scale, us)?;
            acc.overage = wide::rescale(acc.overage, bucket.scale, us)?;
        }
        bucket.scale = us;
    } else {
        units = wide::rescale(units, us, bucket.scale)?;
    }
    let st = cells.get_mut(i).ok_or(missing)?;
    if let Ok(factor) = wide::rescale(rate_m, us, bucket.scale) {
        st.draw_factor = factor;
        st.draw_key = st.draw_key_for(bucket.scale);
    }
    Ok(units)
}

impl CellState {
    /// [`CellState::draw_key`] of the factor for a bucket at `scale`, with
    /// the cell at its working scale.
    pub(super) fn draw_key_for(&self, scale: u32) -> u64 {
        (u64::from(scale) << 32) | u64::from(self.w)
    }
}
