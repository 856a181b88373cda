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

/// 10^k for k in 0..=38 (the i128 range).
pub(crate) fn pow10(k: u32) -> Result<i128, Overflow> {
    10i128.checked_pow(k).ok_or(OVERFLOW)
}

/// Mantissa and scale of a decimal.
#[inline]
pub(crate) fn split(d: Decimal) -> (i128, u32) {
    (d.mantissa(), d.scale())
}

/// `m` at scale `from`, expressed at scale `to ≥ from`.
#[inline]
pub(crate) fn rescale(m: i128, from: u32, to: u32) -> Result<i128, Overflow> {
    if from == to {
        return Ok(m);
    }
    m.checked_mul(pow10(to.saturating_sub(from))?)
        .ok_or(OVERFLOW)
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
}
