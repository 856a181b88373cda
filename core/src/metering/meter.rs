//! What a metering plan reports: whole quantities per dimension and hour,
//! from the engine's own decisions, adding up period by period to exactly
//! the bill's metered amount.
//!
//! **What is metered follows the offer**, read off the bill and the
//! engine's excess runs (no copy of the pricing rules):
//!
//! - pay-as-you-go: all consumption, at each period line's price per unit;
//! - fixed capacity: only the hours the overage rule charged (the
//!   [`crate::engine::ExcessRun`]s of kind `Charged`), on the whole excess,
//!   at the overage line's price;
//! - commitment: only overage once the bucket is empty: every hour after the
//!   exhaustion hour, and in the exhaustion hour what the period's overage
//!   line holds beyond the later hours.
//!
//! **The whole-number rule.** Per dimension, each hour's exact metered
//! amount is added to a carry; the hour reports the whole number of
//! listed prices the carry holds, `floor(carry ÷ price)`, and keeps the
//! exact remainder. The last hour of each billing period reports instead
//! what makes the period exact: `bill amount ÷ price − Σ reported earlier in
//! the period`, and the carry starts again at zero. So for every period and
//! dimension, Σ reported quantity × price = the bill's metered amount (its
//! pay-as-you-go or overage lines for the dimension's cells), to the cent.
//! A bill amount that is no whole number of the price (a `units` dimension
//! whose period rounds to a fraction of a unit) is an error: such a
//! dimension cannot be reconciled in whole numbers; count money instead.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::bill::{Bill, LineKind, PeriodBill};
use crate::engine::{self, ExcessKind, ExcessRun};
use crate::error::{Error, Result};
use crate::matrix::{CellId, Matrix};
use crate::num::{self, Money, Price, Quantity};
use crate::offer::{DealTerms, Offer, OfferKind};
use crate::time::Hour;
use crate::usage::UsageSeries;

use super::plan::{Dimension, MeteringPlan};

/// One reported quantity: a dimension, an hour, a whole number > 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MeterRecord {
    /// Index of the dimension in the plan.
    pub dimension: usize,
    /// The UTC hour the quantity is reported for.
    pub hour: Hour,
    /// The whole quantity (at least 1; hours with nothing to report are left
    /// out).
    pub quantity: u64,
}

/// One period and dimension: what the records report against what the bill
/// charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodDimension {
    /// `YYYY-MM`.
    pub period: String,
    /// Index of the dimension in the plan.
    pub dimension: usize,
    /// Σ reported quantity in the period.
    pub quantity: u64,
    /// The dimension's listed price.
    pub price: Price,
    /// Σ quantity × price.
    pub amount: Money,
    /// Σ of the bill's metered lines (pay-as-you-go or overage) of the
    /// dimension's cells in the period.
    pub bill_amount: Money,
    /// amount − bill amount (zero when the records reconcile).
    pub difference: Money,
}

/// A deal's metered usage: the records to send, hour by hour, and their
/// reconciliation against the bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Metering {
    /// Records in time order, within an hour in dimension order.
    pub records: Vec<MeterRecord>,
    /// Per period (in order), per dimension (in plan order).
    pub periods: Vec<PeriodDimension>,
}

/// Prices the plan's offer over `usage` and meters it: the bill and its
/// metering.
///
/// ```
/// use unitcalc_core::{bundled, deal_toml, metering, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let src = include_str!("../../../tests/fixtures/metering/example-c-azure.toml");
/// let deal = deal_toml::parse_deal(src, "example-c-azure.toml", &m).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let plan = deal.metering.as_ref().unwrap();
/// let (bill, metered) = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap();
/// // Worked example C: the 28 charged hours bill 2.10 of overage in March,
/// // reported as 210 cents.
/// assert_eq!(bill.periods[0].total.to_string(), "40002.10");
/// let march = &metered.periods[0];
/// assert_eq!((march.quantity, march.amount.to_string()), (210, "2.10".to_string()));
/// assert!(march.difference.is_zero());
/// assert_eq!(metered.records.iter().map(|r| r.quantity).sum::<u64>(), 210);
/// ```
pub fn meter(
    matrix: &Matrix,
    terms: &DealTerms,
    offers: &[Offer],
    plan: &MeteringPlan,
    usage: &UsageSeries,
) -> Result<(Bill, Metering)> {
    let offer = offers.get(plan.offer).ok_or_else(|| Error::Metering {
        message: format!("the plan meters offer {} of {}", plan.offer, offers.len()),
    })?;
    let (bill, runs) = engine::price_with_excess(matrix, terms, offer, usage)?;
    let metering = meter_bill(matrix, offer, plan, usage, &bill, &runs)?;
    Ok((bill, metering))
}

/// Meters a bill already priced (with its excess runs, for fixed capacity):
/// see the module documentation for what is metered and the whole-number
/// rule.
pub fn meter_bill(
    matrix: &Matrix,
    offer: &Offer,
    plan: &MeteringPlan,
    usage: &UsageSeries,
    bill: &Bill,
    runs: &[ExcessRun],
) -> Result<Metering> {
    let cx = Cx {
        matrix,
        offer,
        usage,
        runs,
        exhausted: bill.commitment.as_ref().and_then(|c| c.exhausted_at),
    };
    let mut out = Metering {
        records: Vec::new(),
        periods: Vec::new(),
    };
    for period in &bill.periods {
        check_cells(matrix, plan, period)?;
        let mut per_dim: Vec<Vec<MeterRecord>> = Vec::with_capacity(plan.dimensions.len());
        for (d, dim) in plan.dimensions.iter().enumerate() {
            let (records, row) = cx.period(d, dim, period)?;
            per_dim.push(records);
            out.periods.push(row);
        }
        // Time order, then dimension order within an hour.
        let mut records: Vec<MeterRecord> = per_dim.into_iter().flatten().collect();
        records.sort_by_key(|r| (r.hour, r.dimension));
        out.records.extend(records);
    }
    Ok(out)
}

/// A period's metered line in a cell no dimension counts.
fn check_cells(matrix: &Matrix, plan: &MeteringPlan, period: &PeriodBill) -> Result<()> {
    for line in period.lines.iter().filter(|l| is_metered(l.kind)) {
        let Some(name) = &line.cell else { continue };
        let counted = plan
            .dimensions
            .iter()
            .flat_map(|d| &d.cells)
            .any(|c| matrix.cell_name(*c) == *name);
        if !counted && !line.amount.is_zero() {
            return Err(Error::Metering {
                message: format!(
                    "cell {name} bills {} of metered usage in {} but no dimension counts it",
                    line.amount, period.label
                ),
            });
        }
    }
    Ok(())
}

/// Lines that marketplaces bill from metered usage.
fn is_metered(kind: LineKind) -> bool {
    matches!(kind, LineKind::PayAsYouGo | LineKind::Overage)
}

struct Cx<'a> {
    matrix: &'a Matrix,
    offer: &'a Offer,
    usage: &'a UsageSeries,
    runs: &'a [ExcessRun],
    exhausted: Option<Hour>,
}

impl Cx<'_> {
    /// One dimension over one period: its records and its reconciliation.
    fn period(
        &self,
        d: usize,
        dim: &Dimension,
        period: &PeriodBill,
    ) -> Result<(Vec<MeterRecord>, PeriodDimension)> {
        let lines: Vec<_> = period
            .lines
            .iter()
            .filter(|l| is_metered(l.kind))
            .filter(|l| {
                l.cell
                    .as_ref()
                    .is_some_and(|n| dim.cells.iter().any(|c| self.matrix.cell_name(*c) == *n))
            })
            .collect();
        // At the currency's scale, so a period without metered lines shows 0.00.
        let mut bill_amount = Money(Decimal::new(0, self.matrix.currency.minor_units));
        for l in &lines {
            bill_amount = bill_amount.checked_add(l.amount)?;
        }
        let what = |m: &str| Error::Metering {
            message: format!("dimension `{}`, {}: {m}", dim.name, period.label),
        };
        let target = whole_quantity(bill_amount.get(), dim.price).ok_or_else(|| {
            what(&format!(
                "the bill's {bill_amount} is not a whole number of the listed price {} (count money in minor units instead)",
                dim.price
            ))
        })?;
        // Hour by hour: the exact amount of each hour, carried.
        let mut hourly: Vec<Decimal> =
            vec![Decimal::ZERO; usize::try_from(period.hours).unwrap_or(0)];
        for cell in &dim.cells {
            let name = self.matrix.cell_name(*cell);
            let Some(line) = lines.iter().find(|l| l.cell.as_ref() == Some(&name)) else {
                continue;
            };
            let price = line.unit_price.unwrap_or(Price(Decimal::ZERO));
            self.cell_hours(
                *cell,
                period,
                line.units.map(|u| u.get()),
                price,
                &mut hourly,
            )?;
        }
        let mut records = Vec::new();
        let mut carry = Decimal::ZERO;
        let mut reported: u64 = 0;
        let last = hourly.len().saturating_sub(1);
        for (i, m) in hourly.iter().enumerate() {
            let hour = Hour(period.start.0.saturating_add(i64::try_from(i).unwrap_or(0)));
            let q = if i == last {
                target.checked_sub(reported).ok_or_else(|| {
                    what(&format!(
                        "the bill's {bill_amount} is less than the {reported} already reported"
                    ))
                })?
            } else {
                carry = num::add(carry, *m, "metered amount")?;
                let q = floor_div(carry, dim.price.get())?;
                let spent = num::mul(Decimal::from(q), dim.price.get(), "metered amount")?;
                carry = num::sub(carry, spent, "metered amount")?;
                q
            };
            reported = reported.checked_add(q).ok_or(num::Overflow {
                what: "metered quantity",
            })?;
            if q > 0 {
                records.push(MeterRecord {
                    dimension: d,
                    hour,
                    quantity: q,
                });
            }
        }
        // Money at least at the currency's scale (0 shows as 0.00).
        let minor = self.matrix.currency.minor_units;
        let amount = at_least_scale(
            num::mul(Decimal::from(reported), dim.price.get(), "metered amount")?,
            minor,
        );
        let difference = at_least_scale(num::sub(amount, bill_amount.get(), "difference")?, minor);
        let row = PeriodDimension {
            period: period.label.clone(),
            dimension: d,
            quantity: reported,
            price: dim.price,
            amount: Money(amount),
            bill_amount,
            difference: Money(difference),
        };
        Ok((records, row))
    }

    /// Adds one cell's exact metered amount per hour of `period` to
    /// `hourly`: its metered quantity × rate × the line's price per unit.
    fn cell_hours(
        &self,
        cell: CellId,
        period: &PeriodBill,
        line_units: Option<Decimal>,
        price: Price,
        hourly: &mut [Decimal],
    ) -> Result<()> {
        let Some(rate) = self.matrix.cell_rate(cell) else {
            return Ok(());
        };
        let series = self.usage.cells().iter().find(|c| c.cell == cell);
        let at = |h: Hour| -> Quantity {
            let i = h.0.saturating_sub(self.usage.start().0);
            series
                .and_then(|s| usize::try_from(i).ok().and_then(|i| s.quantities.get(i)))
                .copied()
                .unwrap_or(Quantity::ZERO)
        };
        let offset = |h: Hour| usize::try_from(h.0.saturating_sub(period.start.0)).unwrap_or(0);
        let mut add = |h: Hour, units: Decimal| -> Result<()> {
            let money = num::mul(units, price.get(), "metered amount")?;
            if let Some(slot) = hourly.get_mut(offset(h)) {
                *slot = num::add(*slot, money, "metered amount")?;
            }
            Ok(())
        };
        let hours = (period.start.0..period.end.0).map(Hour);
        match &self.offer.kind {
            OfferKind::PayAsYouGo(_) => {
                for h in hours {
                    add(h, at(h).units_at(rate)?.get())?;
                }
            }
            OfferKind::FixedCapacity(f) => {
                let entitled = f
                    .entitlements
                    .iter()
                    .find(|e| e.cell == cell)
                    .map_or(Quantity::ZERO, |e| e.quantity);
                let charged = self
                    .runs
                    .iter()
                    .filter(|r| r.cell == cell && r.kind == ExcessKind::Charged);
                for run in charged {
                    let (from, to) = (run.start.0.max(period.start.0), run.end.0.min(period.end.0));
                    for h in (from..to).map(Hour) {
                        let excess = at(h).get().checked_sub(entitled.get()).unwrap_or_default();
                        add(h, Quantity(excess).units_at(rate)?.get())?;
                    }
                }
            }
            OfferKind::Commitment(_) => {
                let Some(x) = self.exhausted else {
                    return Ok(());
                };
                let mut later = Decimal::ZERO;
                for h in hours.filter(|h| *h > x) {
                    let units = at(h).units_at(rate)?.get();
                    later = num::add(later, units, "metered units")?;
                    add(h, units)?;
                }
                if x >= period.start && x < period.end {
                    let total = line_units.unwrap_or(Decimal::ZERO);
                    add(x, num::sub(total, later, "metered units")?)?;
                }
            }
        }
        Ok(())
    }
}

/// `d` with at least `scale` decimals: the same value, `0` as `0.00`.
fn at_least_scale(mut d: Decimal, scale: u32) -> Decimal {
    if d.scale() < scale {
        d.rescale(scale);
    }
    d
}

/// `amount ÷ price` when it is a whole number ≥ 0.
fn whole_quantity(amount: Decimal, price: Price) -> Option<u64> {
    if price.get() <= Decimal::ZERO || amount < Decimal::ZERO {
        return None;
    }
    let q = amount.checked_rem(price.get())?;
    if !q.is_zero() {
        return None;
    }
    let n = amount.checked_div(price.get())?;
    u64::try_from(n.trunc()).ok()
}

/// `floor(a ÷ b)` for a ≥ 0 and b > 0, exact: the quotient's estimate is
/// corrected by exact products.
fn floor_div(a: Decimal, b: Decimal) -> Result<u64> {
    let o = num::Overflow {
        what: "metered quantity",
    };
    if a <= Decimal::ZERO || b <= Decimal::ZERO {
        return Ok(0);
    }
    let est = a.checked_div(b).ok_or(o)?.floor();
    let mut q = u64::try_from(est).map_err(|_| o)?;
    while q > 0 && num::mul(Decimal::from(q), b, "metered quantity")? > a {
        q = q.saturating_sub(1);
    }
    while num::mul(Decimal::from(q.saturating_add(1)), b, "metered quantity")? <= a {
        q = q.saturating_add(1);
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn floor_div_is_exact_where_the_quotient_does_not_terminate() {
        // (a, b, floor(a ÷ b))
        let table = [
            ("0", "0.01", 0),
            ("0.075", "0.01", 7),
            ("0.15", "0.01", 15),
            ("1", "0.03", 33),
            ("0.99", "0.03", 33),
            ("0.9899999999999", "0.03", 32),
            ("2.4", "0.80", 3),
            ("2.3999", "0.80", 2),
        ];
        for (a, b, want) in table {
            assert_eq!(floor_div(d(a), d(b)).unwrap(), want, "{a} / {b}");
        }
    }

    #[test]
    fn whole_quantity_only_for_whole_multiples() {
        let p = |s: &str| Price(d(s));
        assert_eq!(whole_quantity(d("223.20"), p("0.80")), Some(279));
        assert_eq!(whole_quantity(d("2.10"), p("0.01")), Some(210));
        assert_eq!(whole_quantity(d("0.00"), p("0.01")), Some(0));
        assert_eq!(whole_quantity(d("0.94"), p("1.00")), None);
        assert_eq!(whole_quantity(d("-0.01"), p("0.01")), None);
    }
}
