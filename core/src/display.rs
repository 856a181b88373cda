//! Text for people: digits grouped by thousands, decimals shortened for
//! display, percentages, counted nouns. Display only: bills, exports and share links keep
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

use crate::num::{self, RoundingMode};

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

/// A difference with its sign, digits grouped: `+1,234.50`, `-0.60`, `+0.00`.
///
/// ```
/// assert_eq!(unitcalc_core::display::signed(&"1234.50"), "+1,234.50");
/// assert_eq!(unitcalc_core::display::signed(&"-0.60"), "-0.60");
/// ```
pub fn signed(v: &impl Display) -> String {
    let s = grouped(v);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
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

/// Decimal places of an effective price per unit in tables (rounded
/// half-even, as the KPI figures are).
pub const UNIT_PRICE_SCALE: u32 = 6;

/// An effective price per unit for a table: rounded half-even to
/// [`UNIT_PRICE_SCALE`] places, trailing zeros dropped, not grouped.
///
/// ```
/// use unitcalc_core::{display::unit_price, num::Price};
/// let p: Price = "0.83333333333".parse().unwrap();
/// assert_eq!(unit_price(p), "0.833333");
/// assert_eq!(unit_price("1.0000005".parse().unwrap()), "1");
/// ```
pub fn unit_price(p: crate::num::Price) -> String {
    p.get()
        .round_dp_with_strategy(UNIT_PRICE_SCALE, RoundingMode::HalfEven.strategy())
        .normalize()
        .to_string()
}

/// A money amount at `scale` decimals (a bare sum of no lines, `0`, shown
/// as `0.00`); an amount with more decimals is shown as it is.
///
/// ```
/// use unitcalc_core::{display::money_at, num::Money};
/// assert_eq!(money_at(Money::ZERO, 2), "0.00");
/// assert_eq!(money_at("2.1".parse().unwrap(), 2), "2.10");
/// ```
pub fn money_at(m: crate::num::Money, scale: u32) -> String {
    let mut v = m.get();
    if v.scale() < scale {
        v.rescale(scale);
    }
    v.to_string()
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

/// A count (or an exact quantity) with its noun: the singular for exactly
/// one, the plural otherwise (zero, many, fractions): `1 month`,
/// `12 months`, `0 customers`, `1.5 TB-months`.
///
/// ```
/// use unitcalc_core::display::plural;
/// assert_eq!(plural(1u32, "month", "months"), "1 month");
/// assert_eq!(plural(12u32, "month", "months"), "12 months");
/// assert_eq!(plural(0usize, "customer", "customers"), "0 customers");
/// let q: unitcalc_core::num::Quantity = "1.000000".parse().unwrap();
/// assert_eq!(plural(q, "TB-month", "TB-months"), "1.000000 TB-month");
/// ```
pub fn plural<N: Display + Copy + Into<Decimal>>(n: N, one: &str, many: &str) -> String {
    let noun = if n.into() == Decimal::ONE { one } else { many };
    format!("{n} {noun}")
}

/// The vertical axis of a chart: the values at its bottom (`floor`) and top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    /// Value at the bottom edge.
    pub floor: Decimal,
    /// Value at the top edge (above `floor`).
    pub top: Decimal,
}

impl Axis {
    /// An axis from zero to `top` (bars).
    pub fn from_zero(top: Decimal) -> Axis {
        Axis {
            floor: Decimal::ZERO,
            top,
        }
    }

    /// An axis around values from `lowest` to `highest`, padded by a fifth
    /// of their span on each side (never below zero), so a flat 500 TB line
    /// with a 540 TB burst is visible; a flat series gets zero to 110 % of
    /// its value; at least one unit tall.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use unitcalc_core::display::Axis;
    /// let a = Axis::around(Decimal::from(500), Decimal::from(550));
    /// assert_eq!((a.floor, a.top), (Decimal::from(490), Decimal::from(560)));
    /// assert_eq!(a.y(Decimal::from(525), 160), 80);
    /// ```
    pub fn around(lowest: Decimal, highest: Decimal) -> Axis {
        // A fifth or a tenth of a decimal needs one more place: exact.
        let part = |v: Decimal, n: i64| {
            let places = v.scale().saturating_add(1);
            num::div_rounded(v, Decimal::from(n), places, DISPLAY_ROUNDING, "chart axis")
                .unwrap_or_default()
        };
        let plus = |a: Decimal, b: Decimal| num::add(a, b, "chart axis").unwrap_or(a);
        let span = num::sub(highest, lowest, "chart axis").unwrap_or(Decimal::MAX);
        let (floor, top) = if span > Decimal::ZERO {
            let pad = part(span, 5);
            let floor = num::sub(lowest, pad, "chart axis").unwrap_or(lowest);
            (floor.max(Decimal::ZERO), plus(highest, pad))
        } else {
            (Decimal::ZERO, plus(highest, part(highest, 10)))
        };
        Axis {
            floor,
            top: top.max(plus(floor, Decimal::ONE)),
        }
    }

    /// An axis from zero to a round value at or above `highest` (bars and
    /// running totals), with its ticks: [`Axis::ticks`] of at most `max`
    /// steps, the top being the last tick.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use unitcalc_core::display::Axis;
    /// let (a, ticks) = Axis::rounded_up(Decimal::new(4000210, 2), 5);
    /// assert_eq!(a.top, Decimal::from(50000));
    /// let t: Vec<String> = ticks.iter().map(|t| t.to_string()).collect();
    /// assert_eq!(t, ["0", "10000", "20000", "30000", "40000", "50000"]);
    /// ```
    pub fn rounded_up(highest: Decimal, max: u32) -> (Axis, Vec<Decimal>) {
        let step = nice_step(highest.max(Decimal::ZERO), max);
        let mut ticks = vec![Decimal::ZERO];
        let mut v = Decimal::ZERO;
        while v < highest {
            match num::add(v, step, "chart axis") {
                Ok(n) => v = n,
                Err(_) => break,
            }
            ticks.push(v.normalize());
        }
        (Axis::from_zero(v.max(Decimal::ONE).normalize()), ticks)
    }

    /// Round values between `floor` and `top` for tick labels: multiples of
    /// a step of 1, 2 or 5 × 10ⁿ, at most `max` steps apart over the axis.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use unitcalc_core::display::Axis;
    /// let a = Axis::around(Decimal::from(500), Decimal::from(550));
    /// let t: Vec<String> = a.ticks(4).iter().map(|t| t.to_string()).collect();
    /// assert_eq!(t, ["500", "520", "540", "560"]);
    /// ```
    pub fn ticks(&self, max: u32) -> Vec<Decimal> {
        let range = num::sub(self.top, self.floor, "chart axis").unwrap_or_default();
        let step = nice_step(range, max);
        let mut out = Vec::new();
        // The first multiple of the step at or above the floor.
        let mut v = num::div_rounded(self.floor, step, 0, DISPLAY_ROUNDING, "chart axis")
            .and_then(|k| num::mul(k, step, "chart axis"))
            .unwrap_or(self.floor);
        if v < self.floor {
            v = num::add(v, step, "chart axis").unwrap_or(self.floor);
        }
        while v <= self.top && out.len() <= max as usize {
            out.push(v.normalize());
            match num::add(v, step, "chart axis") {
                Ok(n) => v = n,
                Err(_) => break,
            }
        }
        out
    }

    /// `v` as whole pixels down from the top of a `height`-pixel plot:
    /// `height − (v − floor) × height ÷ (top − floor)`, rounded once
    /// ([`DISPLAY_ROUNDING`]) and clamped to the plot.
    pub fn y(&self, v: Decimal, height: i64) -> i64 {
        let up = num::sub(self.top, self.floor, "chart axis")
            .ok()
            .filter(|range| *range > Decimal::ZERO)
            .and_then(|range| {
                let d = num::sub(v, self.floor, "chart axis").ok()?;
                let d = num::mul(d, Decimal::from(height), "chart axis").ok()?;
                num::div_rounded(d, range, 0, DISPLAY_ROUNDING, "chart axis").ok()
            });
        let up = match up {
            None => return height,
            Some(d) if d <= Decimal::ZERO => 0,
            Some(d) => i64::try_from(d).unwrap_or(height).min(height),
        };
        height.saturating_sub(up)
    }
}

/// The smallest step of 1, 2 or 5 × 10ⁿ that covers `range` in at most
/// `max` steps (1 for an empty range).
fn nice_step(range: Decimal, max: u32) -> Decimal {
    let max = Decimal::from(max.max(1));
    let mut unit = Decimal::new(1, 6);
    for _ in 0..40 {
        for m in [1, 2, 5] {
            let step = num::mul(unit, Decimal::from(m), "chart axis").unwrap_or(Decimal::MAX);
            if num::mul(step, max, "chart axis").is_ok_and(|span| span >= range) {
                return step;
            }
        }
        match num::mul(unit, Decimal::TEN, "chart axis") {
            Ok(u) => unit = u,
            Err(_) => break,
        }
    }
    Decimal::ONE
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
    fn chart_axes() {
        // (lowest, highest, floor, top)
        let table = [
            ("500", "550", "490", "560"),
            ("0", "100", "0", "120"),
            ("500", "500", "0", "550.0"),
            ("0", "0", "0", "1"),
            ("0.2", "0.2", "0", "1"),
        ];
        for (lo, hi, floor, top) in table {
            let a = Axis::around(d(lo), d(hi));
            assert_eq!((a.floor, a.top), (d(floor), d(top)), "{lo}..{hi}");
        }
        let a = Axis::around(d("500"), d("550"));
        // (value, pixels from the top of a 160 px plot)
        for (v, want) in [
            ("490", 160),
            ("560", 0),
            ("525", 80),
            ("600", 0),
            ("0", 160),
            ("500", 137),
        ] {
            assert_eq!(a.y(d(v), 160), want, "{v}");
        }
        assert_eq!(Axis::from_zero(Decimal::ZERO).y(d("5"), 160), 160);
        assert_eq!(Axis::from_zero(d("40000")).y(d("40000"), 160), 0);
        // Half a pixel rounds up (away from the floor): 1 of 320 over 160 px is 0.5 px.
        assert_eq!(Axis::from_zero(d("320")).y(d("1"), 160), 159);
    }

    #[test]
    fn round_ticks() {
        // (floor, top, max steps, ticks)
        let table: [(&str, &str, u32, &[&str]); 5] = [
            ("490", "560", 4, &["500", "520", "540", "560"]),
            ("0", "1", 4, &["0", "0.5", "1"]),
            ("0", "480002.10", 4, &["0", "200000", "400000"]),
            ("0.1", "0.13", 3, &["0.1", "0.11", "0.12", "0.13"]),
            ("0", "0", 4, &["0"]),
        ];
        for (floor, top, max, want) in table {
            let a = Axis {
                floor: d(floor),
                top: d(top),
            };
            let got: Vec<String> = a.ticks(max).iter().map(|t| t.to_string()).collect();
            assert_eq!(got, want.to_vec(), "{floor}..{top}");
        }
        // (highest, max steps, top)
        for (hi, max, top) in [
            ("40002.10", 5, "50000"),
            ("40002.10", 4, "60000"),
            ("0", 4, "1"),
            ("2.1", 5, "2.5"),
            ("705", 4, "800"),
        ] {
            assert_eq!(Axis::rounded_up(d(hi), max).0.top, d(top), "{hi}");
        }
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
