//! Text for people: digits grouped by thousands, decimals shortened for
//! display, percentages. Display only: bills, exports and share links keep
//! the exact values; what is rounded here is what a screen shows.
//!
//! Every shortened figure is rounded once, [`DISPLAY_ROUNDING`] (half-up,
//! as people round by hand) at the scale the caller names, then trailing
//! zeros are dropped.
//!
//! ```
//! use rust_decimal::Decimal;
//! use unitcalc_core::display::{grouped, percent, short};
//! let d = |s: &str| Decimal::from_str_exact(s).unwrap();
//! assert_eq!(grouped(&d("-1234567.50")), "-1,234,567.50");
//! assert_eq!(short(d("2790.99996"), 4), "2,791");
//! assert_eq!(short(d("0.00015"), 4), "0.0002");
//! assert_eq!(percent(d("0.03")), "3%");
//! ```

use std::fmt::Display;

use rust_decimal::Decimal;

use crate::num::RoundingMode;

/// How [`short`] and [`percent`] round: half-up.
pub const DISPLAY_ROUNDING: RoundingMode = RoundingMode::HalfUp;

/// Groups the integer digits of a number's text by thousands, keeping its
/// decimals as they are: `40002.10` → `40,002.10`.
///
/// ```
/// assert_eq!(unitcalc_core::display::grouped(&"999"), "999");
/// assert_eq!(unitcalc_core::display::grouped(&"-1000"), "-1,000");
/// ```
pub fn grouped(v: &impl Display) -> String {
    let s = v.to_string();
    let (sign, rest) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len().saturating_mul(2));
    out.push_str(sign);
    let digits = int.chars().count();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && digits.saturating_sub(i).checked_rem(3) == Some(0) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `v` rounded ([`DISPLAY_ROUNDING`]) to at most `places` decimals, trailing
/// zeros dropped, digits grouped: quantities, units and unit prices on
/// screen.
pub fn short(v: impl Into<Decimal>, places: u32) -> String {
    let r = v
        .into()
        .round_dp_with_strategy(places, DISPLAY_ROUNDING.strategy())
        .normalize();
    grouped(&r)
}

/// A ratio as a percentage with at most 2 decimals: `0.8` → `80%`,
/// `0.015` → `1.5%`. (×100 moves the decimal point: exact, no overflow for
/// any ratio the engine accepts; a ratio too large to scale shows as is.)
pub fn percent(ratio: impl Into<Decimal>) -> String {
    let ratio = ratio.into();
    match ratio.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", short(p, 2)),
        None => format!("{} × 100%", short(ratio, 2)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn shortened_figures_round_half_up_once() {
        // (value, places, shown)
        let table = [
            ("1.23456", 4, "1.2346"),
            ("1.23455", 4, "1.2346"),
            ("1.23445", 4, "1.2345"),
            ("-1.23455", 4, "-1.2346"),
            ("2790.99996", 4, "2,791"),
            ("40000.00", 4, "40,000"),
            ("-0.00001", 4, "0"),
            ("0", 2, "0"),
            ("1234567.125", 2, "1,234,567.13"),
            ("0.5", 0, "1"),
            ("79.928729", 6, "79.928729"),
        ];
        for (v, places, want) in table {
            assert_eq!(short(d(v), places), want, "{v} at {places}");
        }
    }

    #[test]
    fn percentages() {
        let table = [
            ("0.8", "80%"),
            ("0.03", "3%"),
            ("0.015", "1.5%"),
            ("0.123456", "12.35%"),
            ("0.000049", "0%"),
            ("1", "100%"),
            ("-0.25", "-25%"),
        ];
        for (v, want) in table {
            assert_eq!(percent(d(v)), want, "{v}");
        }
        assert_eq!(
            percent(Decimal::MAX),
            "79,228,162,514,264,337,593,543,950,335 × 100%"
        );
    }

    #[test]
    fn grouping() {
        let table = [
            ("0", "0"),
            ("12", "12"),
            ("123", "123"),
            ("1234", "1,234"),
            ("-123456", "-123,456"),
            ("1234567.891", "1,234,567.891"),
        ];
        for (v, want) in table {
            assert_eq!(grouped(&v), want);
        }
    }
}
