//! Exact fixed-point helpers of the generator: half-even rounding at a
//! scale, and the integer fast path (growth × factor in `i128`/`i64`,
//! rounded exactly as the decimal path rounds).

use rust_decimal::{Decimal, RoundingStrategy};

use super::{FACTOR_SCALE, OUTPUT_SCALE};
use crate::num::Quantity;

pub(super) fn round_to(v: Decimal, scale: u32) -> Decimal {
    if v.scale() <= scale {
        v
    } else {
        v.round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven)
    }
}

/// `10^(GROWTH_SCALE + FACTOR_SCALE − OUTPUT_SCALE)`.
pub(super) const LEVEL_TO_OUTPUT: i128 = 100_000_000_000_000;

/// A decimal as an integer count of `10^-scale`, if it has at most `scale`
/// places and the count is below 10^24 (so growth × factor fits an i128).
pub(super) fn to_int(v: Decimal, scale: u32) -> Option<i128> {
    if v.scale() > scale {
        return None;
    }
    let m = v
        .mantissa()
        .checked_mul(10i128.checked_pow(scale.checked_sub(v.scale())?)?)?;
    (m.abs() < 10i128.pow(24)).then_some(m)
}

/// `x / d` rounded half-even (`d` > 0); `None` when `d` is 0 or on overflow.
/// Native `i64` division when both fit (an `i128` division is a slow library
/// call, in WebAssembly especially); the same result either way.
pub(super) fn div_half_even(x: i128, d: i128) -> Option<i128> {
    if let (Ok(x), Ok(d)) = (i64::try_from(x), i64::try_from(d)) {
        let (q, r) = (x.checked_div_euclid(d)?, x.checked_rem_euclid(d)?);
        return half_even(i128::from(q), r.checked_mul(2)?.cmp(&d));
    }
    let (q, r) = (x.checked_div_euclid(d)?, x.checked_rem_euclid(d)?);
    half_even(q, r.checked_mul(2)?.cmp(&d))
}

/// `x / 10^e` rounded half-even, for `e` in 4..=12 (the noise's
/// denominators): each power is a constant, so the division compiles to a
/// multiplication (a division by a variable is the slowest step of an hour,
/// in WebAssembly especially). `None` for another `e`.
pub(super) fn div_pow10_half_even(x: i64, e: u32) -> Option<i128> {
    fn by<const D: i64>(x: i64) -> Option<i128> {
        half_even(
            i128::from(x.div_euclid(D)),
            x.rem_euclid(D).checked_mul(2)?.cmp(&D),
        )
    }
    match e {
        4 => by::<10_000>(x),
        5 => by::<100_000>(x),
        6 => by::<1_000_000>(x),
        7 => by::<10_000_000>(x),
        8 => by::<100_000_000>(x),
        9 => by::<1_000_000_000>(x),
        10 => by::<10_000_000_000>(x),
        11 => by::<100_000_000_000>(x),
        12 => by::<1_000_000_000_000>(x),
        _ => None,
    }
}

/// The quotient `q` rounded half-even, given twice the remainder against the divisor.
fn half_even(q: i128, twice_r: std::cmp::Ordering) -> Option<i128> {
    match twice_r {
        std::cmp::Ordering::Less => Some(q),
        std::cmp::Ordering::Greater => q.checked_add(1),
        std::cmp::Ordering::Equal => q.checked_add(q & 1),
    }
}

/// `growth × f ÷ 10^14` rounded half-even (the output quantity's count of
/// 10^-3), exactly as `div_half_even(growth × f, LEVEL_TO_OUTPUT)`, but in
/// `i64` when the pieces fit: with growth = gh·10^8 + gl and gh·f =
/// ph·10^6 + pl, growth × f = ph·10^14 + (pl·10^8 + gl·f).
pub(super) fn level_to_output(growth: i128, f: i128) -> Option<i128> {
    const E8: i64 = 100_000_000;
    const E6: i64 = 1_000_000;
    const E14: i64 = 100_000_000_000_000;
    let split = || -> Option<i128> {
        let (g, f) = (i64::try_from(growth).ok()?, i64::try_from(f).ok()?);
        if g < 0 || f < 0 {
            return None;
        }
        let (gh, gl) = (g.checked_div(E8)?, g.checked_rem(E8)?);
        let p = gh.checked_mul(f)?;
        let (ph, pl) = (p.checked_div(E6)?, p.checked_rem(E6)?);
        let rest = pl.checked_mul(E8)?.checked_add(gl.checked_mul(f)?)?;
        let q = ph.checked_add(rest.checked_div(E14)?)?;
        let r = rest.checked_rem(E14)?;
        half_even(i128::from(q), r.checked_mul(2)?.cmp(&E14))
    };
    match split() {
        Some(q) => Some(q),
        None => div_half_even(growth.checked_mul(f)?, LEVEL_TO_OUTPUT),
    }
}

/// A quantity at [`OUTPUT_SCALE`] from its integer count, without trailing zeros.
pub(super) fn quantity_from_int(q: i128) -> Quantity {
    let (mut m, mut scale) = (q, OUTPUT_SCALE);
    if let Ok(mut small) = u64::try_from(m) {
        while scale > 0 && small % 10 == 0 {
            small /= 10;
            scale = scale.saturating_sub(1);
        }
        m = i128::from(small);
    }
    Quantity(Decimal::from_i128_with_scale(m, scale))
}

/// Integer form of the per-hour factor inputs, when they are small enough.
pub(super) struct FastPath {
    /// The daily × weekly table at [`FACTOR_SCALE`].
    pub(super) factor: [[i128; 24]; 2],
    /// `noise` as an integer over `den` = `10^(noise scale + 4)`.
    pub(super) noise: i128,
    pub(super) den: i128,
    /// `noise`, and `den` as its power of ten, when `noise` fits an `i64`
    /// and `den` is at most 10^12 (the noise has at most 8 places).
    small: Option<(i64, u32)>,
}

impl FastPath {
    pub(super) fn new(factor: &[[Decimal; 24]; 2], noise: Decimal) -> Option<FastPath> {
        if noise.scale() > 8 {
            return None;
        }
        let den = 10i128.checked_pow(noise.scale().checked_add(4)?)?;
        let mut out = FastPath {
            factor: [[0; 24]; 2],
            noise: noise.mantissa(),
            den,
            small: i64::try_from(noise.mantissa())
                .ok()
                .zip(noise.scale().checked_add(4)),
        };
        for (row, src) in out.factor.iter_mut().zip(factor) {
            for (slot, f) in row.iter_mut().zip(src) {
                *slot = to_int(*f, FACTOR_SCALE)?;
            }
        }
        Some(out)
    }
}

impl FastPath {
    /// The factor `f` with noise `k` (−10000..=10000) applied:
    /// `f × (den + noise·k) ÷ den` rounded half-even, in `i64` when every
    /// step fits (an `i128` product is a library call in WebAssembly), else
    /// in `i128`; the same result either way. `None` on overflow.
    pub(super) fn noisy(&self, f: i128, k: i64) -> Option<i128> {
        if let (Some((n, e)), Ok(fs), Ok(d)) =
            (self.small, i64::try_from(f), i64::try_from(self.den))
        {
            if let Some(x) = n
                .checked_mul(k)
                .and_then(|nk| nk.checked_add(d))
                .and_then(|num| num.checked_mul(fs))
            {
                return div_pow10_half_even(x, e);
            }
        }
        crate::wide::mul(self.noise, i128::from(k))
            .and_then(|nk| nk.checked_add(self.den))
            .and_then(|num| crate::wide::mul(num, f))
            .and_then(|x| div_half_even(x, self.den))
    }
}
