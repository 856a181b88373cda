//! The quantity field: a plain non-negative decimal, parsed exactly without
//! allocating.

use rust_decimal::Decimal;

use crate::num::Quantity;

pub(super) enum QuantityError {
    Negative,
    Malformed,
}

/// Parses a plain non-negative decimal (`123`, `0.5`, `.5`, `12.`) exactly,
/// without allocating. A leading `-` followed by a valid decimal is reported
/// as negative (unless it is zero).
pub(super) fn parse_quantity(b: &[u8]) -> Result<Quantity, QuantityError> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut n_digits = 0u32;
    let mut scale = 0u32;
    let mut seen_dot = false;
    let mut significant = 0u32;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                n_digits = n_digits.saturating_add(1);
                if seen_dot {
                    scale = scale.saturating_add(1);
                }
                if mantissa != 0 || c != b'0' {
                    significant = significant.saturating_add(1);
                }
                if significant <= 19 {
                    mantissa = mantissa
                        .wrapping_mul(10)
                        .wrapping_add(u64::from(c.saturating_sub(b'0')));
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return Err(QuantityError::Malformed),
        }
    }
    if n_digits == 0 {
        return Err(QuantityError::Malformed);
    }
    let value = if significant <= 19 && scale <= 28 {
        // ≤ 19 significant digits always fit a u64 (< 10^19 < 2^64).
        Decimal::from_i128_with_scale(i128::from(mantissa), scale)
    } else {
        let s = std::str::from_utf8(digits).map_err(|_| QuantityError::Malformed)?;
        let s = s.strip_suffix('.').unwrap_or(s);
        Decimal::from_str_exact(s).map_err(|_| QuantityError::Malformed)?
    };
    if neg && !value.is_zero() {
        return Err(QuantityError::Negative);
    }
    Ok(Quantity(value))
}
