//! The fixed-capacity overage rule (pricing model section 5): each cell's
//! entitlement E and tolerance band E × (1 + b), and per hour the streak of
//! hours with excess, tolerated within the band and the grace hours,
//! charged otherwise. Decided here, hour by hour, from `Pricer::push`; the
//! bill's counts, its overage lines and the excess runs all follow.

use rust_decimal::Decimal;

use super::cells::{CellState, Cells};
use super::offer_err;
use super::overflow;
use super::sums::{Acc, Exact};
use crate::error::Result;
use crate::matrix::Matrix;
use crate::num::Overflow;
use crate::offer::{FixedCapacity, Offer};
use crate::wide;

/// Sets each entitled cell's E and band at its working scale, refusing an
/// entitlement outside the matrix, on a cell not offered, twice on a cell or
/// not above zero. Returns the entitled cells (dense indices, offer order).
pub(super) fn set_entitlements(
    matrix: &Matrix,
    offer: &Offer,
    f: &FixedCapacity,
    cells: &mut Cells,
) -> Result<Vec<usize>> {
    let ov = overflow(offer);
    let mut active = Vec::new();
    for e in &f.entitlements {
        let i = matrix.cell_index(e.cell);
        let name = matrix.cell_name(e.cell);
        let st = if matrix.contains(e.cell) {
            cells.entry(matrix, e.cell, i)
        } else {
            None
        };
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
        let e_m = wide::rescale(em, es, st.w).map_err(&ov)?;
        let band_m = wide::rescale(bm, bs, st.w).map_err(&ov)?;
        st.set_limits(e_m, band_m);
        // Offered and in use from the start: the common case takes its records.
        st.gate = i64::from(st.w);
        active.push(i);
    }
    Ok(active)
}

impl CellState {
    /// A record of this cell for `hour` (hours since the epoch): when the
    /// previous hour was absent (usage 0), the streak resets.
    #[inline]
    pub(super) fn enter_hour(&mut self, hour: i64) {
        if hour.checked_sub(1) != Some(self.last_hour) {
            self.streak = 0;
        }
        self.last_hour = hour;
    }

    /// Section 5 for one hour of usage `qm` (a mantissa at the working scale
    /// `w`, in either width; with no entitlement E = 0): an hour above E
    /// extends the streak and is tolerated while within the band and `grace`
    /// hours, else charged whole; an hour at or below E ends the streak.
    /// Returns whether the hour was tolerated and whether it was charged.
    #[inline(always)]
    pub(super) fn overage_hour<T: Exact>(
        &mut self,
        qm: T,
        grace: u32,
    ) -> Result<[bool; 2], Overflow> {
        // Without branches on the usage (metered usage around E makes them
        // unpredictable): each count adds 0 or 1, the charged sum 0 or qm.
        let [e, band] = T::limits(self);
        let above = qm > e;
        // streak + 1 above E, else 0: masks, not a branch.
        let streak = self.streak.saturating_add(1) & 0u32.wrapping_sub(u32::from(above));
        self.streak = streak;
        let tolerated = above & (qm <= band) & (streak <= grace);
        let charged = above & !tolerated;
        let acc = &mut self.period;
        // At most one of each per hour of the period (a duplicate hour is
        // refused), and a period has at most 745 hours: these cannot wrap.
        let add = (Acc::TOLERATED & u64::from(tolerated).wrapping_neg())
            | (Acc::CHARGED & u64::from(charged).wrapping_neg());
        acc.counts = acc.counts.wrapping_add(add);
        let sums = T::sums(acc);
        sums.charged_usage = sums.charged_usage.plus(qm & T::mask(charged))?;
        Ok([tolerated, charged])
    }
}
