//! Exact fixed-point arithmetic for the engine's hot path: a decimal held as
//! an `i128` mantissa at a scale its owner manages. Adding and comparing two
//! mantissas at the same scale is an integer operation, where `Decimal` would
//! align scales on every call. Every operation is checked: an overflow is an
//! [`Overflow`] error. Converting back to `Decimal` is exact or an error,
//! never a rounding.

use rust_decimal::Decimal;

use crate::num::Overflow;

const OVERFLOW: Overflow = Overflow {
    what: "exact accumulator",
};

/// 10^0 … 10^18: the powers of ten that fit an `i64`.
const POW10_I64: [i64; 19] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
    10_000_000_000_000_000,
    100_000_000_000_000_000,
    1_000_000_000_000_000_000,
];

/// 10^k for k in 0..=38 (the i128 range).
pub(crate) fn pow10(k: u32) -> Result<i128, Overflow> {
    match usize::try_from(k).ok().and_then(|i| POW10_I64.get(i)) {
        Some(&p) => Ok(i128::from(p)),
        None => 10i128.checked_pow(k).ok_or(OVERFLOW),
    }
}

/// 10^k when it fits an `i64` (k ≤ 18).
#[inline(always)]
pub(crate) fn pow10_i64(k: u32) -> Option<i64> {
    POW10_I64.get(usize::try_from(k).ok()?).copied()
}

/// Checked `a × b`, in native `i64` arithmetic when both factors and the
/// product fit, else (both factors in `i64`) a plain `i128` product, which
/// cannot wrap; an overflow-checked `i128` multiplication (a slow library
/// call, in WebAssembly especially) only for larger factors. The same
/// result every way.
#[inline]
pub(crate) fn mul(a: i128, b: i128) -> Option<i128> {
    if let (Ok(x), Ok(y)) = (i64::try_from(a), i64::try_from(b)) {
        return Some(match x.checked_mul(y) {
            Some(p) => i128::from(p),
            // |x × y| ≤ 2^126: the product of two `i64`s never wraps an `i128`.
            None => i128::from(x).wrapping_mul(i128::from(y)),
        });
    }
    a.checked_mul(b)
}

/// Mantissa and scale of a decimal.
#[inline(always)]
pub(crate) fn split(d: Decimal) -> (i128, u32) {
    (d.mantissa(), d.scale())
}

/// `m` at scale `from`, expressed at scale `to ≥ from`.
#[inline]
pub(crate) fn rescale(m: i128, from: u32, to: u32) -> Result<i128, Overflow> {
    if from == to {
        return Ok(m);
    }
    mul(m, pow10(to.saturating_sub(from))?).ok_or(OVERFLOW)
}

/// Checked sum.
#[inline]
pub(crate) fn add(a: i128, b: i128) -> Result<i128, Overflow> {
    a.checked_add(b).ok_or(OVERFLOW)
}

/// Checked subtraction of mantissas at the same scale.
#[inline]
pub(crate) fn sub(a: i128, b: i128) -> Result<i128, Overflow> {
    a.checked_sub(b).ok_or(OVERFLOW)
}

/// The decimal `m × 10^-scale`, exactly: trailing zeros are dropped when the
/// mantissa or scale would not fit a `Decimal`; if it still does not fit, an
/// overflow.
pub(crate) fn to_decimal(mut m: i128, mut scale: u32) -> Result<Decimal, Overflow> {
    loop {
        if scale <= 28 {
            if let Ok(d) = Decimal::try_from_i128_with_scale(m, scale) {
                return Ok(d);
            }
        }
        if scale == 0 || m % 10 != 0 {
            return Err(OVERFLOW);
        }
        m = m.checked_div(10).ok_or(OVERFLOW)?;
        scale = scale.checked_sub(1).ok_or(OVERFLOW)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        // (mantissa, scale, decimal)
        let table: [(i128, u32, &str); 5] = [
            (0, 0, "0"),
            (123_456, 3, "123.456"),
            (-5, 1, "-0.5"),
            (10i128.pow(35), 30, "100000"),
            (
                79_228_162_514_264_337_593_543_950_335,
                0,
                "79228162514264337593543950335",
            ),
        ];
        for (m, s, want) in table {
            assert_eq!(
                to_decimal(m, s).unwrap(),
                Decimal::from_str_exact(want).unwrap(),
                "{m}e-{s}"
            );
        }
        assert!(to_decimal(79_228_162_514_264_337_593_543_950_336, 0).is_err());
        assert!(to_decimal(1, 30).is_err(), "1e-30 cannot be held exactly");
        assert_eq!(rescale(15, 1, 3).unwrap(), 1500);
        assert!(rescale(i128::MAX / 2, 0, 1).is_err());
    }

    /// The i64 fast paths against plain i128 arithmetic, at the edges.
    #[test]
    fn fast_paths_match_i128() {
        for k in 0..=38u32 {
            assert_eq!(pow10(k).unwrap(), 10i128.pow(k), "10^{k}");
        }
        assert!(pow10(39).is_err());
        let big = i128::from(i64::MAX);
        let (lo, hi) = (i128::from(i64::MIN), big);
        let table: [(i128, i128); 12] = [
            (0, 0),
            (lo, lo), // 2^126: the largest i64 × i64
            (lo, hi),
            (hi, hi),
            (-7, 6),
            (big, 1),
            (big, 2),                   // the product leaves i64: the i128 path
            (big + 1, 1),               // a factor beyond i64
            (i128::from(i64::MIN), -1), // i64 overflow, fine in i128
            (3_037_000_499, 3_037_000_499),
            (3_037_000_500, 3_037_000_500),
            (i128::MAX, 2), // overflow either way
        ];
        for (a, b) in table {
            assert_eq!(mul(a, b), a.checked_mul(b), "{a} × {b}");
        }
        assert_eq!(rescale(-12, 2, 20).unwrap(), -12 * 10i128.pow(18));
        assert_eq!(rescale(5, 0, 30).unwrap(), 5 * 10i128.pow(30));
        assert!(rescale(i128::MAX / 5, 0, 1).is_err());
    }
}
