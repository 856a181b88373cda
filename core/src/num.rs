//! Exact-decimal newtypes: money, quantity, units, rates, prices, ratios.
//!
//! Every value wraps a [`Decimal`]. Arithmetic is checked: an overflow is an
//! [`Overflow`] error, never a panic or a wrap. Nothing here rounds except
//! [`Money::round`] and [`Fraction::round`], which name their scale and mode.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// An arithmetic result did not fit in a 96-bit decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("arithmetic overflow while computing {what}")]
pub struct Overflow {
    /// What was being computed, e.g. `"units"`.
    pub what: &'static str,
}

/// Checked, exact addition that names what it computes. A sum that a 96-bit
/// decimal cannot hold exactly (more than 28–29 significant digits, where
/// `Decimal` would silently round) is an overflow too.
pub fn add(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    let o = Overflow { what };
    let r = a.checked_add(b).ok_or(o)?;
    if r.scale() >= a.scale().max(b.scale()) {
        return Ok(r); // nothing was rounded away
    }
    let s = a.scale().max(b.scale());
    let exact = at_scale(a, s)
        .zip(at_scale(b, s))
        .and_then(|(x, y)| x.checked_add(y));
    (exact.is_some() && exact == at_scale(r, s))
        .then_some(r)
        .ok_or(o)
}
/// Checked, exact subtraction that names what it computes (see [`add`]).
pub fn sub(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    let o = Overflow { what };
    let r = a.checked_sub(b).ok_or(o)?;
    if r.scale() >= a.scale().max(b.scale()) {
        return Ok(r);
    }
    let s = a.scale().max(b.scale());
    let exact = at_scale(a, s)
        .zip(at_scale(b, s))
        .and_then(|(x, y)| x.checked_sub(y));
    (exact.is_some() && exact == at_scale(r, s))
        .then_some(r)
        .ok_or(o)
}
/// Checked, exact multiplication that names what it computes: a product with
/// more digits than a 96-bit decimal holds (which `Decimal` would silently
/// round) is an overflow too.
pub fn mul(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    let o = Overflow { what };
    let r = a.checked_mul(b).ok_or(o)?;
    let s = a.scale().saturating_add(b.scale());
    if r.scale() == s {
        return Ok(r); // nothing was rounded away
    }
    let exact = a.mantissa().checked_mul(b.mantissa());
    (exact.is_some() && exact == at_scale(r, s))
        .then_some(r)
        .ok_or(o)
}
/// Checked multiplication that rounds to 28 significant digits when the exact
/// product does not fit (rust_decimal's own rule), for derived figures that
/// are defined as rounded, such as profile intermediates.
pub fn mul_rounded(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    a.checked_mul(b).ok_or(Overflow { what })
}

/// Exact `a ÷ b`, rounded once to `scale` places with `mode`: both decimals
/// become integers over one power of ten, then integer division with the
/// remainder deciding the midpoint. No intermediate rounding, so the result is
/// the correctly rounded quotient. Division by zero, or integers beyond
/// `i128`, is an [`Overflow`].
///
/// ```
/// use unitcalc_core::num::{div_rounded, RoundingMode};
/// let d = |s: &str| s.parse().unwrap();
/// // 2 ÷ 3 to 4 places; 1 ÷ 8 to 2 places, a midpoint
/// assert_eq!(div_rounded(d("2"), d("3"), 4, RoundingMode::HalfUp, "x").unwrap().to_string(), "0.6667");
/// assert_eq!(div_rounded(d("1"), d("8"), 2, RoundingMode::HalfEven, "x").unwrap().to_string(), "0.12");
/// assert_eq!(div_rounded(d("-1"), d("8"), 2, RoundingMode::HalfUp, "x").unwrap().to_string(), "-0.13");
/// assert!(div_rounded(d("1"), d("0"), 2, RoundingMode::HalfUp, "x").is_err());
/// ```
pub fn div_rounded(
    a: Decimal,
    b: Decimal,
    scale: u32,
    mode: RoundingMode,
    what: &'static str,
) -> Result<Decimal, Overflow> {
    let o = Overflow { what };
    // a ÷ b × 10^scale = ma × 10^(scale + sb − sa) ÷ mb.
    let (ma, mb) = (a.mantissa(), b.mantissa());
    let up = scale.checked_add(b.scale()).ok_or(o)?;
    let (n, d) = if up >= a.scale() {
        let k = 10i128
            .checked_pow(up.checked_sub(a.scale()).ok_or(o)?)
            .ok_or(o)?;
        (ma.checked_mul(k).ok_or(o)?, mb)
    } else {
        let k = 10i128
            .checked_pow(a.scale().checked_sub(up).ok_or(o)?)
            .ok_or(o)?;
        (ma, mb.checked_mul(k).ok_or(o)?)
    };
    let (n, d) = if d < 0 {
        (n.checked_neg().ok_or(o)?, d.checked_neg().ok_or(o)?)
    } else {
        (n, d)
    };
    let q = n.checked_div(d).ok_or(o)?;
    let r = n.checked_rem(d).ok_or(o)?.checked_abs().ok_or(o)?;
    let away = match r.checked_mul(2).ok_or(o)?.cmp(&d) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => match mode {
            RoundingMode::HalfUp => true,
            RoundingMode::HalfEven => q % 2 != 0,
        },
    };
    let q = match (away, n < 0) {
        (false, _) => q,
        (true, true) => q.checked_sub(1).ok_or(o)?,
        (true, false) => q.checked_add(1).ok_or(o)?,
    };
    Decimal::try_from_i128_with_scale(q, scale).map_err(|_| o)
}

/// The mantissa of `d` at `scale` (≥ its own), if it fits an i128.
fn at_scale(d: Decimal, scale: u32) -> Option<i128> {
    d.mantissa()
        .checked_mul(10i128.checked_pow(scale.checked_sub(d.scale())?)?)
}

macro_rules! decimal_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Decimal);
        decimal_newtype!(@impl $name);
    };
    ($(#[$doc:meta])* normalized $name:ident) => {
        $(#[$doc])*
        ///
        /// Serializes without trailing zeros (`2.100000` → `"2.1"`): the same
        /// exact value, never rounded.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Decimal);
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                Serialize::serialize(&self.0.normalize(), s)
            }
        }
        decimal_newtype!(@impl $name);
    };
    (@impl $name:ident) => {

        impl $name {
            /// Zero.
            pub const ZERO: $name = $name(Decimal::ZERO);
            /// The inner decimal.
            #[inline]
            pub fn get(self) -> Decimal {
                self.0
            }
            /// Checked sum.
            #[inline]
            pub fn checked_add(self, other: $name) -> Result<$name, Overflow> {
                add(self.0, other.0, stringify!($name)).map($name)
            }
            /// Checked difference.
            #[inline]
            pub fn checked_sub(self, other: $name) -> Result<$name, Overflow> {
                sub(self.0, other.0, stringify!($name)).map($name)
            }
            /// True when the value is zero.
            #[inline]
            pub fn is_zero(self) -> bool {
                self.0.is_zero()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = rust_decimal::Error;
            /// Parses exactly (`from_str_exact`): digits beyond 28 are an error, not rounded.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Decimal::from_str_exact(s.trim()).map($name)
            }
        }

        impl From<Decimal> for $name {
            fn from(d: Decimal) -> Self {
                $name(d)
            }
        }

        impl From<$name> for Decimal {
            fn from(v: $name) -> Decimal {
                v.0
            }
        }
    };
}

decimal_newtype!(
    /// An amount of money in the matrix currency. Unrounded until [`Money::round`].
    Money
);
decimal_newtype!(
    /// An amount of a meter's resource held (TB, vCPU) on average during an hour,
    /// or a sum of such amounts over hours (quantity-hours).
    normalized Quantity
);
decimal_newtype!(
    /// Vendor consumption units (VU).
    normalized Units
);
decimal_newtype!(
    /// Units burned per quantity-hour: a meter's base rate, or base rate × multiplier.
    Rate
);
decimal_newtype!(
    /// Money per unit.
    Price
);
decimal_newtype!(
    /// A dimensionless ratio: discount, tolerance band, fee rate, multiplier, utilization.
    normalized Ratio
);

impl Quantity {
    /// Units burned by this many quantity-hours at `rate`: `quantity × rate`, exact.
    ///
    /// ```
    /// use unitcalc_core::num::{Quantity, Rate, Units};
    /// let q: Quantity = "148800".parse().unwrap(); // 200 TB × 744 h
    /// let r: Rate = "0.001875".parse().unwrap();   // 0.0015 × 1.25
    /// assert_eq!(q.units_at(r).unwrap(), "279".parse::<Units>().unwrap());
    /// ```
    #[inline]
    pub fn units_at(self, rate: Rate) -> Result<Units, Overflow> {
        mul(self.0, rate.0, "units").map(Units)
    }
}

impl Units {
    /// Money for these units at `price`, exact (unrounded).
    #[inline]
    pub fn at(self, price: Price) -> Result<Money, Overflow> {
        mul(self.0, price.0, "amount").map(Money)
    }
}

impl Rate {
    /// This rate scaled by a multiplier.
    /// A product past 28 significant digits is rounded (rates are price-book
    /// figures; a matrix decimal holds at most 28 digits).
    pub fn times(self, m: Ratio) -> Result<Rate, Overflow> {
        mul_rounded(self.0, m.0, "rate").map(Rate)
    }
}

impl Price {
    /// Price after a discount: `price × (1 − discount)`.
    ///
    /// ```
    /// use unitcalc_core::num::{Price, Ratio};
    /// let p: Price = "1.00".parse().unwrap();
    /// assert_eq!(p.discounted("0.20".parse().unwrap()).unwrap().to_string(), "0.8000");
    /// ```
    pub fn discounted(self, discount: Ratio) -> Result<Price, Overflow> {
        let keep = sub(Decimal::ONE, discount.0, "discounted price")?;
        mul(self.0, keep, "discounted price").map(Price)
    }
}

impl Money {
    /// Rounds to `scale` decimal places with `mode`: the only rounding of money.
    ///
    /// ```
    /// use unitcalc_core::num::{Money, RoundingMode};
    /// let m: Money = "0.9375".parse().unwrap();
    /// assert_eq!(m.round(2, RoundingMode::HalfUp).to_string(), "0.94");
    /// let m: Money = "0.125".parse().unwrap();
    /// assert_eq!(m.round(2, RoundingMode::HalfEven).to_string(), "0.12");
    /// ```
    pub fn round(self, scale: u32, mode: RoundingMode) -> Money {
        let mut d = self.0.round_dp_with_strategy(scale, mode.strategy());
        // Always show the currency's scale: 40000 → 40000.00.
        d.rescale(scale);
        Money(d)
    }

    /// `self × ratio`, exact.
    pub fn times(self, r: Ratio) -> Result<Money, Overflow> {
        mul(self.0, r.0, "amount").map(Money)
    }
}

/// How a money line is rounded to the currency's minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundingMode {
    /// Midpoint away from zero (0.125 → 0.13, −0.125 → −0.13). The default.
    #[default]
    HalfUp,
    /// Midpoint to the even neighbour, "banker's rounding" (0.125 → 0.12).
    HalfEven,
}

impl RoundingMode {
    /// The `rust_decimal` strategy for this mode.
    pub fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
    /// The name used in matrix files: `half-up` or `half-even`.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half-up",
            RoundingMode::HalfEven => "half-even",
        }
    }
}

/// An exact rational amount `num / den` with a positive integer denominator,
/// for prorations (fee × hours ÷ month hours) that must be summed before the
/// one rounding.
///
/// ```
/// use unitcalc_core::num::{Fraction, RoundingMode};
/// // 40,000.00 × 336 h ÷ 672 h, plus 40,000.00 × 100 ÷ 744
/// let a = Fraction::new("13440000".parse().unwrap(), 672).unwrap();
/// let b = Fraction::new("4000000".parse().unwrap(), 744).unwrap();
/// let sum = a.checked_add(b).unwrap();
/// assert_eq!(sum.round(2, RoundingMode::HalfUp).unwrap().to_string(), "25376.34");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    num: Decimal,
    den: u64,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a.checked_rem(b).unwrap_or(0);
        a = b;
        b = t;
    }
    a
}

impl Fraction {
    /// Zero.
    pub const ZERO: Fraction = Fraction {
        num: Decimal::ZERO,
        den: 1,
    };

    /// `num / den`; `None` when `den` is zero.
    pub fn new(num: Decimal, den: u64) -> Option<Fraction> {
        (den != 0).then_some(Fraction { num, den })
    }

    /// A whole decimal.
    pub fn from_decimal(num: Decimal) -> Fraction {
        Fraction { num, den: 1 }
    }

    /// Exact sum over the least common denominator.
    pub fn checked_add(self, other: Fraction) -> Result<Fraction, Overflow> {
        let o = Overflow { what: "fraction" };
        let g = gcd(self.den, other.den);
        let (a, b) = (
            self.den.checked_div(g).ok_or(o)?,
            other.den.checked_div(g).ok_or(o)?,
        );
        let den = self.den.checked_mul(b).ok_or(o)?;
        let num = add(
            mul(self.num, Decimal::from(b), "fraction")?,
            mul(other.num, Decimal::from(a), "fraction")?,
            "fraction",
        )?;
        Ok(Fraction { num, den })
    }

    /// Exact rounding of `num / den` to `scale` places: integer division with
    /// the remainder deciding the midpoint, so no intermediate rounding.
    pub fn round(self, scale: u32, mode: RoundingMode) -> Result<Money, Overflow> {
        div_rounded(
            self.num,
            Decimal::from(self.den),
            scale,
            mode,
            "rounded fraction",
        )
        .map(Money)
    }

    /// The numerator (the value is `numerator ÷ denominator`).
    pub fn numerator(self) -> Decimal {
        self.num
    }

    /// The denominator, never 0.
    pub fn denominator(self) -> u64 {
        self.den
    }

    /// True when both fractions denote the same rational number
    /// (cross-multiplication; `None` on overflow).
    pub fn same_value(self, other: Fraction) -> Option<bool> {
        let a = self.num.checked_mul(Decimal::from(other.den))?;
        let b = other.num.checked_mul(Decimal::from(self.den))?;
        Some(a == b)
    }

    /// The value as a decimal, to rust_decimal's 28 significant digits: for
    /// display only, never for money.
    pub fn approx(self) -> Decimal {
        self.num
            .checked_div(Decimal::from(self.den))
            .unwrap_or(Decimal::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn rounding_table() {
        // (value, scale, half-up, half-even)
        let table = [
            ("0.125", 2, "0.13", "0.12"),
            ("0.135", 2, "0.14", "0.14"),
            ("-0.125", 2, "-0.13", "-0.12"),
            ("2.5", 0, "3", "2"),
            ("3.5", 0, "4", "4"),
            ("0.9375", 2, "0.94", "0.94"),
            ("0.124999", 2, "0.12", "0.12"),
            ("40000", 2, "40000.00", "40000.00"),
            ("1234.5", 0, "1235", "1234"),
            ("0.0005", 3, "0.001", "0.000"),
        ];
        for (v, scale, up, even) in table {
            assert_eq!(
                Money(d(v)).round(scale, RoundingMode::HalfUp).to_string(),
                up,
                "{v} half-up"
            );
            assert_eq!(
                Money(d(v)).round(scale, RoundingMode::HalfEven).to_string(),
                even,
                "{v} half-even"
            );
        }
    }

    #[test]
    fn fraction_rounding_matches_decimal_rounding_when_exact() {
        // (num, den, scale, half-up, half-even)
        let table = [
            ("1", 8, 2, "0.13", "0.12"),
            ("3", 8, 2, "0.38", "0.38"),
            ("-1", 8, 2, "-0.13", "-0.12"),
            ("13440000.00", 672, 2, "20000.00", "20000.00"),
            ("4000000", 744, 2, "5376.34", "5376.34"),
            ("1", 3, 2, "0.33", "0.33"),
            ("2", 3, 0, "1", "1"),
            ("5", 2, 0, "3", "2"),
            ("850.00", 3, 2, "283.33", "283.33"),
        ];
        for (n, den, scale, up, even) in table {
            let f = Fraction::new(d(n), den).unwrap();
            assert_eq!(
                f.round(scale, RoundingMode::HalfUp).unwrap().to_string(),
                up,
                "{n}/{den}"
            );
            assert_eq!(
                f.round(scale, RoundingMode::HalfEven).unwrap().to_string(),
                even,
                "{n}/{den}"
            );
        }
    }

    #[test]
    fn fraction_sum_is_exact() {
        let thirds = (0..3).try_fold(Fraction::ZERO, |acc, _| {
            acc.checked_add(Fraction::new(d("1"), 3).unwrap())
        });
        assert_eq!(
            thirds
                .unwrap()
                .round(2, RoundingMode::HalfUp)
                .unwrap()
                .to_string(),
            "1.00"
        );
    }

    #[test]
    fn overflow_is_an_error() {
        assert!(add(Decimal::MAX, Decimal::ONE, "x").is_err());
        assert!(mul(Decimal::MAX, d("2"), "x").is_err());
    }
}
