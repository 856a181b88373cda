//! A cell's per-period sums in two mantissa widths: the usual record's in
//! `i64` ([`NARROW`]), any other's in `i128`, and the rule written once over
//! both ([`Exact`]).

use super::cells::CellState;
use crate::num::Overflow;
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
    pub(super) fn rescale_quantities(&mut self, from: u32, to: u32) -> Result<(), Overflow> {
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
pub(super) fn narrow(mantissa: i128, scale: u32, w: u32) -> Option<i64> {
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
