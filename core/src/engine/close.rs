//! Closing: each billing period's lines and per-cell figures when the hours
//! move past it, and at the end the bill (marketplace fee, term figures,
//! commitment state). Money is rounded here, once per line (section 7).

use rust_decimal::Decimal;

use super::cells::{CellState, TermAcc};
use super::excess::ExcessRun;
use super::overflow;
use super::pricer::Pricer;
use super::Recorded;
use crate::bill::{Bill, CellStats, Line, LineKind, PeriodBill};
use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::CellName;
use crate::num::{
    self, Fraction, Money, Overflow, Price, Quantity, Rate, Ratio, RoundingMode, Units,
};
use crate::offer::{Channel, FixedCapacity, Offer, OfferKind, Payment};
use crate::time::Period;
use crate::wide;

/// One cell's period accumulators as decimals, when the period closes.
#[derive(Debug, Clone)]
pub(super) struct Acc2 {
    touched: bool,
    quantity_hours: Decimal,
    peak: Decimal,
    tolerated: u32,
    charged: u32,
    charged_usage: Decimal,
    drawn: Decimal,
    overage: Decimal,
}

impl Acc2 {
    /// Takes the cell's period accumulators (leaving them empty for the next
    /// period) as decimals: quantities at the cell's working scale, units at
    /// the bucket's.
    pub(super) fn take(st: &mut CellState, bucket_scale: u32) -> Result<Acc2, Overflow> {
        let raw = std::mem::take(&mut st.period);
        let sums = raw.totals()?;
        Ok(Acc2 {
            touched: sums.quantity_hours != 0,
            quantity_hours: wide::to_decimal(sums.quantity_hours, st.w)?,
            peak: wide::to_decimal(sums.peak, st.w)?,
            tolerated: raw.tolerated(),
            charged: raw.charged(),
            charged_usage: wide::to_decimal(sums.charged_usage, st.w)?,
            drawn: wide::to_decimal(raw.drawn, bucket_scale)?,
            overage: wide::to_decimal(raw.overage, bucket_scale)?,
        })
    }
}

/// One cell's figures for a closing period.
struct CellFigures {
    acc: Acc2,
    units: Units,
    /// Σ (usage − E) over the charged hours.
    charged_qh: Decimal,
    overage_units: Units,
    /// Commitment: units drawn from the bucket.
    drawn: Option<Units>,
}

/// What a cell's lines need of the pricer, copied out so that the cell's
/// state can be borrowed mutably alongside.
#[derive(Clone, Copy)]
struct LineCtx<'a> {
    offer: &'a Offer,
    unit_price: Price,
    scale: u32,
    mode: RoundingMode,
}

impl LineCtx<'_> {
    /// The cell's usage line (pay as you go) or overage line (fixed capacity:
    /// charged hours; commitment: units beyond the bucket), when it has one.
    /// Returns the cell's overage units and, for a commitment, drawn units.
    fn cell_line(
        &self,
        name: &CellName,
        acc: &Acc2,
        rate: Rate,
        units: Units,
        charged_qh: Decimal,
        lines: &mut Vec<Line>,
    ) -> Result<(Units, Option<Units>), Overflow> {
        let line = |kind, description, quantity_hours, u: Units| -> Result<Line, Overflow> {
            Ok(Line {
                kind,
                description,
                cell: Some(name.clone()),
                quantity_hours,
                units: Some(u),
                unit_price: Some(self.unit_price),
                amount: u.at(self.unit_price)?.round(self.scale, self.mode),
            })
        };
        Ok(match &self.offer.kind {
            OfferKind::PayAsYouGo(_) => {
                if acc.touched {
                    let q = Some(Quantity(acc.quantity_hours));
                    lines.push(line(
                        LineKind::PayAsYouGo,
                        format!("Usage {name}"),
                        q,
                        units,
                    )?);
                }
                (Units::ZERO, None)
            }
            OfferKind::FixedCapacity(_) => {
                let ou = Quantity(charged_qh).units_at(rate)?;
                if acc.charged > 0 {
                    let description = format!("Overage {name}, {} charged hours", acc.charged);
                    let q = Some(Quantity(charged_qh));
                    lines.push(line(LineKind::Overage, description, q, ou)?);
                }
                (ou, None)
            }
            OfferKind::Commitment(_) => {
                let ou = Units(acc.overage);
                if !acc.overage.is_zero() {
                    let description = format!("Overage {name}, beyond the commitment");
                    lines.push(line(LineKind::Overage, description, None, ou)?);
                }
                (ou, Some(Units(acc.drawn)))
            }
        })
    }
}

/// Σ usage over the charged hours − charged hours × E.
fn charged_quantity_hours(acc: &Acc2, entitlement: Decimal) -> Result<Decimal, Overflow> {
    num::sub(
        acc.charged_usage,
        num::mul(
            entitlement,
            Decimal::from(acc.charged),
            "charged quantity-hours",
        )?,
        "charged quantity-hours",
    )
}

/// Adds a period's figures of a cell to its term figures.
fn add_to_term(t: &mut TermAcc, f: &CellFigures) -> Result<(), Overflow> {
    let acc = &f.acc;
    t.quantity_hours = num::add(t.quantity_hours, acc.quantity_hours, "quantity-hours")?;
    t.units = num::add(t.units, f.units.get(), "units")?;
    t.peak = t.peak.max(acc.peak);
    t.tolerated = t.tolerated.saturating_add(acc.tolerated);
    t.charged = t.charged.saturating_add(acc.charged);
    t.charged_quantity_hours = num::add(
        t.charged_quantity_hours,
        f.charged_qh,
        "charged quantity-hours",
    )?;
    t.drawn = num::add(t.drawn, acc.drawn, "drawn units")?;
    t.overage = num::add(t.overage, f.overage_units.get(), "overage units")?;
    Ok(())
}

/// Average use over `hours` ÷ E, for an entitled cell.
fn utilization(st: &CellState, average: Decimal) -> Option<Ratio> {
    if st.has_entitlement {
        average.checked_div(st.entitlement).map(Ratio)
    } else {
        None
    }
}

/// A cell's stats over a period of `hours` hours.
fn period_stats(st: &CellState, cell: CellName, f: CellFigures, hours: Decimal) -> CellStats {
    let acc = f.acc;
    let average = acc.quantity_hours.checked_div(hours).unwrap_or_default();
    CellStats {
        cell,
        entitlement: st.has_entitlement.then_some(Quantity(st.entitlement)),
        quantity_hours: Quantity(acc.quantity_hours),
        units: f.units,
        peak: Quantity(acc.peak),
        average: Quantity(average),
        utilization: utilization(st, average),
        tolerated_hours: acc.tolerated,
        charged_hours: acc.charged,
        charged_quantity_hours: Quantity(f.charged_qh),
        drawn_units: f.drawn,
        overage_units: f.overage_units,
    }
}

/// A cell's stats over the whole term of `term_hours` hours.
fn term_stats(st: &CellState, cell: CellName, term_hours: Decimal, commitment: bool) -> CellStats {
    let t = &st.term;
    let average = t.quantity_hours.checked_div(term_hours).unwrap_or_default();
    CellStats {
        cell,
        entitlement: st.has_entitlement.then_some(Quantity(st.entitlement)),
        quantity_hours: Quantity(t.quantity_hours),
        units: Units(t.units),
        peak: Quantity(t.peak),
        average: Quantity(average),
        utilization: utilization(st, average),
        tolerated_hours: t.tolerated,
        charged_hours: t.charged,
        charged_quantity_hours: Quantity(t.charged_quantity_hours),
        drawn_units: commitment.then_some(Units(t.drawn)),
        overage_units: Units(t.overage),
    }
}

impl Pricer<'_> {
    /// Writes the current period's lines and per-cell figures.
    pub(super) fn close_period(&mut self) -> Result<(), UsageIssue> {
        let Some(&period) = self.periods.get(self.current) else {
            return Ok(());
        };
        let mut lines = self.fixed_lines(&period)?;
        let cells = self.cell_lines(&period, &mut lines)?;
        let mut total = Money(Decimal::ZERO).round(self.scale, self.mode);
        for l in &lines {
            total = total.checked_add(l.amount)?;
        }
        // A book keeps every customer's closed periods until the end: no
        // spare capacity in them.
        lines.shrink_to_fit();
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
            cells,
        });
        self.current = self.current.saturating_add(1);
        Ok(())
    }

    /// The period's fixed lines, first on the bill: fee, commitment,
    /// installment.
    fn fixed_lines(&self, period: &Period) -> Result<Vec<Line>, UsageIssue> {
        let mut lines = Vec::new();
        match &self.offer.kind {
            OfferKind::PayAsYouGo(_) => {}
            OfferKind::FixedCapacity(f) => {
                if let Some(fee) = self.fee_line(f, period)? {
                    lines.push(fee);
                }
            }
            OfferKind::Commitment(c) => {
                let hours = Decimal::from(period.hours());
                self.commitment_lines(c, self.current, hours, &mut lines)?;
            }
        }
        Ok(lines)
    }

    /// Fixed capacity: the period's fee share (monthly payment), or the sum
    /// of all the shares rounded once (upfront, on the first period).
    fn fee_line(&self, f: &FixedCapacity, period: &Period) -> Result<Option<Line>, Overflow> {
        let k = self.current;
        let (scale, mode) = (self.scale, self.mode);
        let (description, amount) = match f.payment {
            Payment::Monthly => {
                let share = self.fee_shares.get(k).copied().unwrap_or(Fraction::ZERO);
                let description = if period.is_partial() {
                    format!(
                        "Monthly fee, {} of {} hours",
                        period.hours(),
                        period.month_hours
                    )
                } else {
                    "Monthly fee".to_string()
                };
                (description, share.round(scale, mode)?)
            }
            Payment::Upfront if k == 0 => {
                let total = self
                    .fee_shares
                    .iter()
                    .try_fold(Fraction::ZERO, |a, s| a.checked_add(*s))?;
                let description = format!("Upfront fee, {} months", self.terms.term.months);
                (description, total.round(scale, mode)?)
            }
            Payment::Upfront => return Ok(None),
        };
        Ok(Some(Line {
            kind: LineKind::Fee,
            description,
            cell: None,
            quantity_hours: None,
            units: None,
            unit_price: None,
            amount,
        }))
    }

    /// Per-cell consumption and overage lines, matrix order, and each cell's
    /// figures for the period (also added to its term figures).
    fn cell_lines(
        &mut self,
        period: &Period,
        lines: &mut Vec<Line>,
    ) -> Result<Vec<CellStats>, UsageIssue> {
        crate::short_sort::sort_by_key(&mut self.active, |&i| i);
        let bucket_scale = self.bucket.as_ref().map_or(0, |b| b.scale);
        let hours = Decimal::from(period.hours());
        let matrix = self.matrix;
        let ctx = LineCtx {
            offer: self.offer,
            unit_price: self.unit_price,
            scale: self.scale,
            mode: self.mode,
        };
        let mut stats = Vec::with_capacity(self.active.len());
        for &i in &self.active {
            let st = self.cells.get_mut(i).ok_or(Overflow {
                what: "a cell index",
            })?;
            let acc = match self.share.figures(i, self.current) {
                // From the cell's share, or not on the bill yet.
                Some(Some(acc)) => acc,
                Some(None) => continue,
                None => {
                    st.fold_draws()?;
                    let acc = Acc2::take(st, bucket_scale)?;
                    if self.share.keep(i, self.current, &acc) {
                        // Pricing one cell's share: no lines.
                        continue;
                    }
                    acc
                }
            };
            let rate = st.rate.unwrap_or_default();
            let units = Quantity(acc.quantity_hours).units_at(rate)?;
            let name = matrix.cell_name(matrix.cell_at(i));
            let charged_qh = charged_quantity_hours(&acc, st.entitlement)?;
            let (overage_units, drawn) =
                ctx.cell_line(&name, &acc, rate, units, charged_qh, lines)?;
            let figures = CellFigures {
                acc,
                units,
                charged_qh,
                overage_units,
                drawn,
            };
            add_to_term(&mut st.term, &figures)?;
            stats.push(period_stats(st, name, figures, hours));
        }
        Ok(stats)
    }

    /// Closes every remaining period and returns the bill.
    pub fn finish(self) -> Result<Bill> {
        self.finish_with_excess().map(|(bill, _)| bill)
    }

    /// [`Pricer::finish`], with the excess runs recorded (empty unless
    /// [`Pricer::record_excess`] was called on a fixed-capacity offer), in
    /// order of their first hour.
    pub fn finish_with_excess(self) -> Result<(Bill, Vec<ExcessRun>)> {
        self.finish_recorded().map(|r| (r.bill, r.runs))
    }

    /// [`Pricer::finish`], with what was asked to be recorded: the excess
    /// runs ([`Pricer::record_excess`]) and the hourly ledger
    /// ([`Pricer::record_ledger`]), each empty when not asked for.
    pub fn finish_recorded(mut self) -> Result<Recorded> {
        let runs = self.runs.take().unwrap_or_default();
        self.close_all()?;
        let ledger = self.ledger.take().unwrap_or_default();
        let bill = self.into_bill()?;
        Ok(Recorded { bill, runs, ledger })
    }

    /// Closes the last hour and every period left.
    pub(super) fn close_all(&mut self) -> Result<()> {
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
        Ok(())
    }

    /// The marketplace fee rate for the term's total, and the fee of each
    /// period at that rate (rounded per period) with its net revenue.
    /// Returns the rate and the sum of the fees.
    fn marketplace_fees(&mut self, total: Money) -> Result<(Ratio, Money)> {
        let ov = overflow(self.offer);
        let (scale, mode) = (self.scale, self.mode);
        let rate = self.fee_schedule.map_or(Ratio::ZERO, |s| s.rate_for(total));
        let mut fee_sum = Money::ZERO.round(scale, mode);
        for p in &mut self.out {
            p.marketplace_fee = p.total.times(rate).map_err(&ov)?.round(scale, mode);
            p.net_revenue = p.total.checked_sub(p.marketplace_fee).map_err(&ov)?;
            fee_sum = fee_sum.checked_add(p.marketplace_fee).map_err(&ov)?;
        }
        Ok((rate, fee_sum))
    }

    /// Each used or entitled cell's figures over the term, matrix order, and
    /// the units consumed in all.
    fn term_cells(&self) -> Result<(Vec<CellStats>, Decimal)> {
        let ov = overflow(self.offer);
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
            consumed = num::add(consumed, st.term.units, "units consumed").map_err(&ov)?;
            let name = self.matrix.cell_name(self.matrix.cell_at(i));
            cells.push(term_stats(st, name, term_hours, self.bucket.is_some()));
        }
        Ok((cells, consumed))
    }

    /// The bill, once every period is closed.
    pub(super) fn into_bill(mut self) -> Result<Bill> {
        let ov = overflow(self.offer);
        let mut total = Money::ZERO.round(self.scale, self.mode);
        for p in &self.out {
            total = total.checked_add(p.total).map_err(&ov)?;
        }
        let (rate, fee_sum) = self.marketplace_fees(total)?;
        let (cells, consumed) = self.term_cells()?;
        let commitment = self.commitment_state(&cells, consumed)?;
        let channel = match &self.terms.channel {
            Channel::Direct => "direct".to_string(),
            Channel::Marketplace(e) => e.clone(),
        };
        Ok(Bill {
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
        })
    }
}
