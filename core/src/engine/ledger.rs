//! The hourly ledger: one row per hour per used cell, written by the
//! engine's own decision for that hour (`Pricer::push` for pay as you go and
//! fixed capacity, the hour's close for a commitment's bucket), when asked
//! for with [`super::Pricer::record_ledger`]. The bill and the row come from
//! the same decision; nothing here decides anything again.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cells::CellState;
use super::excess::ExcessKind;
use crate::matrix::CellId;
use crate::num::{self, Overflow, Quantity, Units};
use crate::time::Hour;
use crate::wide;

/// What the offer's rule did with one hour of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HourAction {
    /// Pay as you go: every unit of the hour is priced.
    Usage,
    /// Fixed capacity: at or below the entitlement, covered by the fee.
    Included,
    /// Fixed capacity: above the entitlement, within the band and the grace
    /// hours: nothing charged.
    Tolerated,
    /// Fixed capacity: above the entitlement and charged: the whole excess
    /// at the overage price.
    Charged,
    /// Commitment: every unit drawn from the bucket.
    Drawn,
    /// Commitment: units beyond the bucket (some may have been drawn first).
    Overage,
}

impl HourAction {
    /// `usage`, `included`, `tolerated`, `charged`, `drawn` or `overage`, as
    /// the ledger CSV writes it.
    ///
    /// ```
    /// assert_eq!(unitcalc_core::engine::HourAction::Charged.as_str(), "charged");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            HourAction::Usage => "usage",
            HourAction::Included => "included",
            HourAction::Tolerated => "tolerated",
            HourAction::Charged => "charged",
            HourAction::Drawn => "drawn",
            HourAction::Overage => "overage",
        }
    }
}

/// One hour of one used cell, as the engine priced it. Exact decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// The hour.
    pub hour: Hour,
    /// Index of the billing period (`Bill::periods`) the hour falls in.
    pub period: usize,
    /// The cell.
    pub cell: CellId,
    /// Quantity held during the hour.
    pub quantity: Quantity,
    /// Units burned: quantity × the cell's rate.
    pub units: Units,
    /// What the rule did with the hour.
    pub action: HourAction,
    /// Fixed capacity: the streak of consecutive hours above the entitlement,
    /// this hour included (0 at or below it, and for the other offers).
    pub streak: u32,
    /// Fixed capacity: quantity − entitlement when above it, else 0.
    pub excess: Quantity,
    /// Units this hour adds to a money line at the line's unit price: all
    /// of them (pay as you go), excess × rate (charged hours), the units
    /// beyond the bucket (commitment overage); else 0.
    pub priced_units: Units,
    /// Commitment: units drawn from the bucket this hour (else 0).
    pub drawn: Units,
    /// Commitment: the bucket's units left after this hour's draw.
    pub bucket_remaining: Option<Units>,
}

/// The ledger row `push` writes for one hour of cell `st` when the ledger
/// is recorded ([`super::Pricer::record_ledger`]; not for a commitment, whose
/// rows the hour's close writes, [`record_drawn`]), from the decision `push`
/// made (`excess`: `None` at or below E, always `None` but for fixed
/// capacity). The record's quantity comes as pushed (mantissa and scale) and
/// is made a decimal only here: the excess runs alone (the browser's quote)
/// never need it. Cold and out of line, so that plain pricing's `push` pays
/// one flag check.
#[cold]
#[inline(never)]
pub(super) fn ledger_row(
    ledger: &mut Vec<LedgerRow>,
    st: &CellState,
    (hour, period, cell): (Hour, usize, CellId),
    (mantissa, scale): (i128, u32),
    fixed: bool,
    excess: Option<ExcessKind>,
) -> Result<(), Overflow> {
    let quantity = Quantity(wide::to_decimal(mantissa, scale)?);
    let rate = st.rate.unwrap_or_default();
    let units = quantity.units_at(rate)?;
    let (action, over) = match (fixed, excess) {
        (false, _) => (HourAction::Usage, Decimal::ZERO),
        (true, None) => (HourAction::Included, Decimal::ZERO),
        (true, Some(kind)) => {
            let over = num::sub(quantity.get(), st.entitlement, "excess")?;
            match kind {
                ExcessKind::Tolerated => (HourAction::Tolerated, over),
                ExcessKind::Charged => (HourAction::Charged, over),
            }
        }
    };
    let priced_units = match action {
        HourAction::Usage => units,
        HourAction::Charged => Quantity(over).units_at(rate)?,
        _ => Units::ZERO,
    };
    ledger.push(LedgerRow {
        hour,
        period,
        cell,
        quantity,
        units,
        action,
        streak: if fixed { st.streak } else { 0 },
        excess: Quantity(over),
        priced_units,
        drawn: Units::ZERO,
        bucket_remaining: None,
    });
    Ok(())
}

/// Writes the row of a commitment hour of cell `st` from the draw the
/// hour's close made: `qm` the quantity (mantissa at the cell's scale);
/// `draw` the units burned and the bucket's balance before and after the
/// draw (mantissas at the bucket's scale `s`): drawn = before − after, the
/// rest of the units beyond the bucket. Cold and out of line, like
/// [`ledger_row`].
#[cold]
#[inline(never)]
pub(super) fn record_drawn(
    ledger: &mut Vec<LedgerRow>,
    (hour, period, cell): (Hour, usize, CellId),
    st: &CellState,
    qm: i128,
    [units, before, after]: [i128; 3],
    s: u32,
) -> Result<(), Overflow> {
    let drawn = wide::sub(before, after)?;
    let d = |m: i128| wide::to_decimal(m, s).map(Units);
    let overage = d(wide::sub(units, drawn)?)?;
    let action = if overage.is_zero() {
        HourAction::Drawn
    } else {
        HourAction::Overage
    };
    ledger.push(LedgerRow {
        hour,
        period,
        cell,
        quantity: Quantity(wide::to_decimal(qm, st.w)?),
        units: d(units)?,
        action,
        streak: 0,
        excess: Quantity::ZERO,
        priced_units: overage,
        drawn: d(drawn)?,
        bucket_remaining: Some(d(after)?),
    });
    Ok(())
}
