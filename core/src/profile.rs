//! Synthetic hourly usage for simulation without metered data: a baseline per
//! cell, monthly growth, daily and weekly seasonality, bursts and seeded
//! deterministic noise, all in exact decimals.
//!
//! The exact formulas are in `docs/usage-format.md` and on [`generate`].

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Origin, Result};
use crate::num::{add, mul_rounded as mul, sub, Overflow};
use crate::time::Term;
use crate::usage::UsageSeries;

use crate::matrix::CellId;
use crate::num::{Quantity, Ratio};
use crate::time::Hour;

/// A period of usage at a fixed level, replacing the profile's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Burst {
    /// First hour of the burst.
    pub start: Hour,
    /// Length in hours.
    pub hours: u32,
    /// Quantity held during the burst (e.g. 540 TB).
    pub level: Quantity,
}

/// How one cell's usage is generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellProfile {
    /// The cell.
    pub cell: CellId,
    /// Quantity at the start of the term.
    pub baseline: Quantity,
    /// Growth per month, compounded (0.02 = +2 % a month).
    pub monthly_growth: Ratio,
    /// Daily swing: ± this fraction over the day (peak mid-afternoon UTC).
    pub daily_amplitude: Ratio,
    /// Weekend dip: Saturday and Sunday run this fraction lower.
    pub weekend_dip: Ratio,
    /// Noise: ± up to this fraction, uniform, from the seed.
    pub noise: Ratio,
    /// Bursts, which replace the level during their hours.
    pub bursts: Vec<Burst>,
}

/// A whole usage profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    /// Noise seed: the same seed gives the same usage.
    pub seed: u64,
    /// One entry per cell.
    pub cells: Vec<CellProfile>,
}

/// The generator's output scale: quantities are rounded half-even to this many
/// decimal places (bursts excepted, which are held exactly). Pricing itself
/// never rounds quantities.
pub const OUTPUT_SCALE: u32 = 3;

/// The daily shape `S[hour of day]`: `sin(2π(h − 9)/24)` to 4 decimal places,
/// peak 1 at 15:00 UTC, trough −1 at 03:00 UTC.
pub const DAILY_SHAPE: [&str; 24] = [
    "-0.7071", "-0.8660", "-0.9659", "-1.0000", "-0.9659", "-0.8660", "-0.7071",
    "-0.5000", // 00–07
    "-0.2588", "0.0000", "0.2588", "0.5000", "0.7071", "0.8660", "0.9659",
    "1.0000", // 08–15
    "0.9659", "0.8660", "0.7071", "0.5000", "0.2588", "0.0000", "-0.2588",
    "-0.5000", // 16–23
];

/// Decimal places carried by the growth terms `A_k` and `B_k`.
pub const GROWTH_SCALE: u32 = 9;
/// Decimal places carried by the per-hour factor (daily × weekly × noise).
pub const FACTOR_SCALE: u32 = 8;

fn round_to(v: Decimal, scale: u32) -> Decimal {
    if v.scale() <= scale {
        v
    } else {
        v.round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven)
    }
}

/// `10^(GROWTH_SCALE + FACTOR_SCALE − OUTPUT_SCALE)`.
const LEVEL_TO_OUTPUT: i128 = 100_000_000_000_000;

/// A decimal as an integer count of `10^-scale`, if it has at most `scale`
/// places and the count is below 10^24 (so growth × factor fits an i128).
fn to_int(v: Decimal, scale: u32) -> Option<i128> {
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
fn div_half_even(x: i128, d: i128) -> Option<i128> {
    if let (Ok(x), Ok(d)) = (i64::try_from(x), i64::try_from(d)) {
        let (q, r) = (x.checked_div_euclid(d)?, x.checked_rem_euclid(d)?);
        return half_even(i128::from(q), r.checked_mul(2)?.cmp(&d));
    }
    let (q, r) = (x.checked_div_euclid(d)?, x.checked_rem_euclid(d)?);
    half_even(q, r.checked_mul(2)?.cmp(&d))
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
fn level_to_output(growth: i128, f: i128) -> Option<i128> {
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
fn quantity_from_int(q: i128) -> Quantity {
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
struct FastPath {
    /// The daily × weekly table at [`FACTOR_SCALE`].
    factor: [[i128; 24]; 2],
    /// `noise` as an integer over `den` = `10^(noise scale + 4)`.
    noise: i128,
    den: i128,
}

impl FastPath {
    fn new(factor: &[[Decimal; 24]; 2], noise: Decimal) -> Option<FastPath> {
        if noise.scale() > 8 {
            return None;
        }
        let mut out = FastPath {
            factor: [[0; 24]; 2],
            noise: noise.mantissa(),
            den: 10i128.checked_pow(noise.scale().checked_add(4)?)?,
        };
        for (row, src) in out.factor.iter_mut().zip(factor) {
            for (slot, f) in row.iter_mut().zip(src) {
                *slot = to_int(*f, FACTOR_SCALE)?;
            }
        }
        Some(out)
    }
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The splitmix64 output function.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The noise generator: splitmix64 seeded with `mix64(seed ^ mix64(index))`,
/// so each cell of a profile has its own stream.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn for_cell(seed: u64, index: usize) -> SplitMix64 {
        SplitMix64(mix64(seed ^ mix64(index as u64)))
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }
    /// `k` uniform in −10000..=10000: `x mod 20001 − 10000`.
    fn next_k(&mut self) -> i64 {
        // 0..=20000 shifted down: cannot overflow.
        ((self.next_u64() % 20_001) as i64).saturating_sub(10_000)
    }
    /// Uniform in [−1, 1] in steps of 0.0001: `k / 10000`.
    fn next_unit(&mut self) -> Decimal {
        Decimal::new(self.next_k(), 4)
    }
}

fn invalid(message: String) -> Error {
    Error::Invalid {
        at: Origin::file("usage profile"),
        message,
    }
}

fn overflow(source: Overflow) -> Error {
    Error::Overflow {
        context: "usage profile".to_string(),
        source,
    }
}

fn check_ratio(i: usize, name: &str, v: Ratio, min: Decimal, max: Decimal) -> Result<()> {
    if v.get() < min || v.get() > max {
        return Err(invalid(format!(
            "cell #{}: {name} {v} is outside {min} to {max}",
            i.saturating_add(1)
        )));
    }
    Ok(())
}

/// The checks [`generate`] makes before generating: every cell profile's
/// ranges and bursts, and no cell repeated.
pub fn validate(profile: &Profile, term: &Term) -> Result<()> {
    if let Some(last) = profile.cells.last() {
        crate::usage::check_slots(profile.cells.len(), term.hours(), || {
            format!(
                "#{} (meter {}, environment {}, use case {})",
                profile.cells.len(),
                last.cell.meter,
                last.cell.environment,
                last.cell.use_case
            )
        })
        .map_err(|e| Error::usage(Origin::file("usage profile"), e))?;
    }
    for (i, c) in profile.cells.iter().enumerate() {
        if let Some(j) = profile.cells.iter().take(i).position(|o| o.cell == c.cell) {
            return Err(invalid(format!(
                "cell #{} repeats the cell of cell #{} (meter {}, environment {}, use case {})",
                i.saturating_add(1),
                j.saturating_add(1),
                c.cell.meter,
                c.cell.environment,
                c.cell.use_case
            )));
        }
        validate_cell(i, c, term)?;
    }
    Ok(())
}

/// The checks of one cell profile (the `i`th, for messages).
fn validate_cell(i: usize, c: &CellProfile, term: &Term) -> Result<()> {
    let (start, end) = (term.start_hour(), term.end_hour());
    {
        if c.baseline.get().is_sign_negative() && !c.baseline.is_zero() {
            return Err(invalid(format!(
                "cell #{}: negative baseline {}",
                i.saturating_add(1),
                c.baseline
            )));
        }
        check_ratio(
            i,
            "monthly_growth",
            c.monthly_growth,
            Decimal::NEGATIVE_ONE,
            Decimal::ONE,
        )?;
        check_ratio(
            i,
            "daily_amplitude",
            c.daily_amplitude,
            Decimal::ZERO,
            Decimal::ONE,
        )?;
        check_ratio(i, "weekend_dip", c.weekend_dip, Decimal::ZERO, Decimal::ONE)?;
        check_ratio(i, "noise", c.noise, Decimal::ZERO, Decimal::ONE)?;
        let mut spans: Vec<(i64, i64)> = Vec::with_capacity(c.bursts.len());
        for b in &c.bursts {
            let b_end = b
                .start
                .0
                .checked_add(i64::from(b.hours))
                .unwrap_or(i64::MAX);
            if b.hours == 0 || b.start < start || b_end > end.0 {
                return Err(invalid(format!(
                    "cell #{}: burst from {} for {} hours is not inside the term {} to {}",
                    i.saturating_add(1),
                    b.start,
                    b.hours,
                    start,
                    end
                )));
            }
            if b.level.get().is_sign_negative() && !b.level.is_zero() {
                return Err(invalid(format!(
                    "cell #{}: negative burst level {}",
                    i.saturating_add(1),
                    b.level
                )));
            }
            if let Some(o) = spans.iter().find(|(s, e)| b.start.0 < *e && *s < b_end) {
                return Err(invalid(format!(
                    "cell #{}: burst from {} overlaps the burst from {}",
                    i.saturating_add(1),
                    b.start,
                    Hour(o.0)
                )));
            }
            spans.push((b.start.0, b_end));
        }
    }
    Ok(())
}

/// Generates hourly usage over a term.
///
/// For each cell profile and each hour `h` of the term, with `k` the term
/// month `h` falls in (month `k` runs from `start + k months` to
/// `start + (k+1) months`), `t` the hours since that month's start and `L` its
/// length in hours:
///
/// ```text
/// A_0       = r9(baseline);  A_k = r9(A_{k-1} × (1+g))      (compounded month by month)
/// B_k       = r9(A_k × g / L)                               (so growth ≈ A_k × (1 + g × t/L))
/// growth(h) = A_k + B_k × t
/// F(h)      = r8(r8((1 + daily_amplitude × S[hour of day]) × (1 − weekend_dip on Sat/Sun UTC, else 1))
///                × (1 + noise × u_h))
/// q(h)      = max(0, r3(growth(h) × F(h)))    or, inside a burst, exactly the burst's level
/// ```
///
/// `rN` rounds half-even to N decimal places ([`GROWTH_SCALE`] = 9,
/// [`FACTOR_SCALE`] = 8, [`OUTPUT_SCALE`] = 3): the intermediates are carried
/// at a fixed precision far below the output scale so that every product
/// fits rust_decimal's fast 96-bit path.
///
/// `S` is [`DAILY_SHAPE`]; `u_h` is uniform in [−1, 1] in steps of 0.0001
/// from splitmix64 seeded by `profile.seed` mixed with the cell's index in the
/// profile (one draw per hour, bursts included, so streams never shift).
/// All arithmetic is checked decimal; the one division (`/ L`) is rounded by
/// `r9`. No floating point anywhere.
///
/// ```
/// use unitcalc_core::matrix::CellId;
/// use unitcalc_core::profile::{generate, Burst, CellProfile, Profile};
/// use unitcalc_core::time::{Date, Hour, Term};
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = CellId { meter: 0, environment: 1, use_case: 0 };
/// let burst = Burst { start: Hour::parse_rfc3339("2026-03-10T00:00:00Z").unwrap(), hours: 100, level: "540".parse().unwrap() };
/// let profile = Profile {
///     seed: 7,
///     cells: vec![CellProfile {
///         cell,
///         baseline: "500".parse().unwrap(),
///         monthly_growth: Default::default(),
///         daily_amplitude: Default::default(),
///         weekend_dip: Default::default(),
///         noise: Default::default(),
///         bursts: vec![burst],
///     }],
/// };
/// let usage = generate(&profile, &term).unwrap();
/// let q = &usage.cells()[0].quantities;
/// assert_eq!(q.len(), 744);
/// assert_eq!(q.iter().filter(|q| q.to_string() == "540").count(), 100);
/// assert_eq!(q.iter().filter(|q| q.to_string() == "500").count(), 644);
/// ```
pub fn generate(profile: &Profile, term: &Term) -> Result<UsageSeries> {
    generate_impl(profile, term, true)
}

/// [`generate`], optionally without the integer fast path (tests compare both).
fn generate_impl(profile: &Profile, term: &Term, allow_fast: bool) -> Result<UsageSeries> {
    validate(profile, term)?;
    let mut series = UsageSeries::new(term);
    for (index, c) in profile.cells.iter().enumerate() {
        series.set_series(
            c.cell,
            cell_series(profile.seed, index, c, term, allow_fast)?,
        );
    }
    Ok(series)
}

/// The hourly quantities [`generate`] makes for the cell profile at `index`
/// of a profile with `seed`, alone: the same values, so a caller that keeps
/// each cell's series (the browser) regenerates only the cell that changed.
/// The cell is validated as in [`generate`]; that no two cells of a profile
/// repeat one cell is the caller's to check (or [`generate`]'s).
///
/// ```
/// use unitcalc_core::matrix::CellId;
/// use unitcalc_core::profile::{generate, generate_cell, CellProfile, Profile};
/// use unitcalc_core::time::{Date, Term};
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 2).unwrap();
/// let cell = |u| CellProfile { cell: CellId { meter: 0, environment: 1, use_case: u },
///     baseline: "500".parse().unwrap(), monthly_growth: "0.02".parse().unwrap(),
///     daily_amplitude: "0.1".parse().unwrap(), weekend_dip: "0.05".parse().unwrap(),
///     noise: "0.03".parse().unwrap(), bursts: vec![] };
/// let profile = Profile { seed: 7, cells: vec![cell(0), cell(1)] };
/// let whole = generate(&profile, &term).unwrap();
/// assert_eq!(generate_cell(7, 1, &profile.cells[1], &term).unwrap(), whole.cells()[1].quantities);
/// ```
pub fn generate_cell(
    seed: u64,
    index: usize,
    cell: &CellProfile,
    term: &Term,
) -> Result<Vec<Quantity>> {
    validate_cell(index, cell, term)?;
    cell_series(seed, index, cell, term, true)
}

/// One cell's series; the cell has been validated.
fn cell_series(
    seed: u64,
    index: usize,
    c: &CellProfile,
    term: &Term,
    allow_fast: bool,
) -> Result<Vec<Quantity>> {
    let shape: Vec<Decimal> = DAILY_SHAPE
        .iter()
        .map(|s| Decimal::from_str_exact(s).unwrap_or_default())
        .collect();
    let hours = term.hours();
    let start = term.start_hour();
    // Month boundaries as hour offsets from the term start.
    let mut bounds = Vec::with_capacity((term.months as usize).saturating_add(1));
    for k in 0..=term.months {
        let d = term
            .start
            .add_months(k)
            .ok_or_else(|| invalid(format!("term month {k} is out of range")))?;
        bounds.push(usize::try_from(d.start_hour().0.saturating_sub(start.0)).unwrap_or(0));
    }
    {
        let g = c.monthly_growth.get();
        let one_plus_g = add(Decimal::ONE, g, "monthly growth").map_err(overflow)?;
        // Daily × weekly factor per (weekend?, hour of day).
        let mut factor = [[Decimal::ONE; 24]; 2];
        let dip = sub(Decimal::ONE, c.weekend_dip.get(), "weekly factor").map_err(overflow)?;
        let [weekday_row, weekend_row] = &mut factor;
        for ((s, f0), f1) in shape
            .iter()
            .zip(weekday_row.iter_mut())
            .zip(weekend_row.iter_mut())
        {
            let amplitude = mul(c.daily_amplitude.get(), *s, "daily factor").map_err(overflow)?;
            let daily = add(Decimal::ONE, amplitude, "daily factor").map_err(overflow)?;
            *f0 = round_to(daily, FACTOR_SCALE);
            *f1 = round_to(
                mul(daily, dip, "daily and weekly factor").map_err(overflow)?,
                FACTOR_SCALE,
            );
        }
        let noise = c.noise.get();
        let fast = if allow_fast {
            FastPath::new(&factor, noise)
        } else {
            None
        };
        let mut rng = SplitMix64::for_cell(seed, index);
        let mut out = Vec::with_capacity(hours);
        let mut a_k = round_to(c.baseline.get(), GROWTH_SCALE);
        for pair in bounds.windows(2) {
            let &[m0, m1] = pair else {
                continue;
            };
            let month_hours = m1.saturating_sub(m0);
            let len = Decimal::from(month_hours as u64);
            let b_k = mul(a_k, g, "monthly growth")
                .map_err(overflow)?
                .checked_div(len)
                .ok_or_else(|| {
                    overflow(Overflow {
                        what: "monthly growth",
                    })
                })?;
            let b_k = round_to(b_k, GROWTH_SCALE);
            let mut hour = Hour(
                start
                    .0
                    .saturating_add(i64::try_from(m0).unwrap_or(i64::MAX)),
            );
            match (to_int(a_k, GROWTH_SCALE), to_int(b_k, GROWTH_SCALE), &fast) {
                (Some(a), Some(b), Some(fast)) => {
                    // Integer fast path: the same exact products and half-even
                    // roundings as the decimal path below.
                    for t in 0..month_hours {
                        let growth = crate::wide::mul(b, t as i128)
                            .and_then(|bt| bt.checked_add(a))
                            .ok_or_else(|| overflow(Overflow { what: "growth" }))?;
                        let weekend = usize::from(hour.weekday() >= 5);
                        let mut f = *fast
                            .factor
                            .get(weekend)
                            .and_then(|row| row.get(usize::from(hour.hour_of_day())))
                            .ok_or_else(|| overflow(Overflow { what: "factor" }))?;
                        let k = rng.next_k();
                        if fast.noise != 0 {
                            // f × (1 + noise × k/10^4) = f × (D + n·k) / D
                            f = crate::wide::mul(fast.noise, i128::from(k))
                                .and_then(|nk| nk.checked_add(fast.den))
                                .and_then(|num| crate::wide::mul(num, f))
                                .and_then(|x| div_half_even(x, fast.den))
                                .ok_or_else(|| overflow(Overflow { what: "noise" }))?;
                        }
                        let q = level_to_output(growth, f)
                            .ok_or_else(|| overflow(Overflow { what: "level" }))?
                            .max(0);
                        out.push(quantity_from_int(q));
                        hour.0 = hour.0.saturating_add(1);
                    }
                }
                _ => {
                    for t in 0..month_hours {
                        let growth = add(
                            a_k,
                            mul(b_k, Decimal::from(t as u64), "growth").map_err(overflow)?,
                            "growth",
                        )
                        .map_err(overflow)?;
                        let weekend = usize::from(hour.weekday() >= 5);
                        let mut f = *factor
                            .get(weekend)
                            .and_then(|row| row.get(usize::from(hour.hour_of_day())))
                            .ok_or_else(|| overflow(Overflow { what: "factor" }))?;
                        let u = rng.next_unit();
                        if !noise.is_zero() {
                            let n = add(
                                Decimal::ONE,
                                mul(noise, u, "noise").map_err(overflow)?,
                                "noise",
                            )
                            .map_err(overflow)?;
                            f = round_to(mul(f, n, "noise").map_err(overflow)?, FACTOR_SCALE);
                        }
                        let level = mul(growth, f, "level").map_err(overflow)?;
                        let mut q = round_to(level, OUTPUT_SCALE);
                        if q.is_sign_negative() {
                            q = Decimal::ZERO;
                        }
                        out.push(Quantity(q.normalize()));
                        hour.0 = hour.0.saturating_add(1);
                    }
                }
            }
            a_k = round_to(
                mul(a_k, one_plus_g, "monthly growth").map_err(overflow)?,
                GROWTH_SCALE,
            );
        }
        for b in &c.bursts {
            let from = usize::try_from(b.start.0.saturating_sub(start.0)).unwrap_or(0);
            for q in out.iter_mut().skip(from).take(b.hours as usize) {
                *q = b.level;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Date;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }
    fn term(months: u32) -> Term {
        Term::new(Date::parse("2026-03-01").unwrap(), months).unwrap()
    }
    fn cell(i: u16) -> CellId {
        CellId {
            meter: 0,
            environment: i,
            use_case: 0,
        }
    }
    fn flat(c: CellId, baseline: &str) -> CellProfile {
        CellProfile {
            cell: c,
            baseline: Quantity(d(baseline)),
            monthly_growth: Ratio::ZERO,
            daily_amplitude: Ratio::ZERO,
            weekend_dip: Ratio::ZERO,
            noise: Ratio::ZERO,
            bursts: vec![],
        }
    }
    fn h(s: &str) -> Hour {
        Hour::parse_rfc3339(s).unwrap()
    }
    fn q_at(p: &Profile, t: &Term, hour: &str) -> String {
        let u = generate(p, t).unwrap();
        u.cells()[0].quantities[(h(hour).0 - t.start_hour().0) as usize].to_string()
    }

    #[test]
    fn daily_shape_is_a_sine_with_peak_at_15_and_trough_at_3() {
        let s: Vec<Decimal> = DAILY_SHAPE.iter().map(|s| d(s)).collect();
        assert_eq!(s[15], Decimal::ONE);
        assert_eq!(s[3], Decimal::NEGATIVE_ONE);
        assert_eq!(s.iter().copied().sum::<Decimal>(), Decimal::ZERO);
        for i in 0..24 {
            assert_eq!(
                s[(15 + i) % 24],
                s[(15 + 24 - i) % 24],
                "symmetric about 15:00"
            );
        }
    }

    #[test]
    fn formula_table() {
        let t = term(12);
        // (knobs, hour, expected quantity)
        type Knobs = (
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
        );
        let cases: &[(Knobs, &str, &str)] = &[
            // baseline, growth, amplitude, dip, noise
            (("500", "0", "0", "0", "0"), "2026-03-05T07:00:00Z", "500"),
            // Month 1 start: 500 × 1.02
            (
                ("500", "0.02", "0", "0", "0"),
                "2026-04-01T00:00:00Z",
                "510",
            ),
            // Month 2 start: 500 × 1.02²
            (
                ("500", "0.02", "0", "0", "0"),
                "2026-05-01T00:00:00Z",
                "520.2",
            ),
            // Halfway through April (720 h): 510 × (1 + 0.02 × 360/720) = 515.1
            (
                ("500", "0.02", "0", "0", "0"),
                "2026-04-16T00:00:00Z",
                "515.1",
            ),
            // One hour into March (744 h): 500 × (1 + 0.02/744) = 500.01344… → 500.013
            (
                ("500", "0.02", "0", "0", "0"),
                "2026-03-01T01:00:00Z",
                "500.013",
            ),
            // Daily peak at 15:00 on a Thursday (2026-03-05): 500 × 1.1
            (("500", "0", "0.1", "0", "0"), "2026-03-05T15:00:00Z", "550"),
            // Daily trough at 03:00: 500 × 0.9
            (("500", "0", "0.1", "0", "0"), "2026-03-05T03:00:00Z", "450"),
            // 13:00: 500 × (1 + 0.1 × 0.866) = 543.3
            (
                ("500", "0", "0.1", "0", "0"),
                "2026-03-05T13:00:00Z",
                "543.3",
            ),
            // Saturday 2026-03-07 and Sunday: × 0.8; Monday not.
            (("500", "0", "0", "0.2", "0"), "2026-03-07T10:00:00Z", "400"),
            (("500", "0", "0", "0.2", "0"), "2026-03-08T23:00:00Z", "400"),
            (("500", "0", "0", "0.2", "0"), "2026-03-09T00:00:00Z", "500"),
            // Daily and weekly together, Saturday 15:00: 500 × 1.1 × 0.8
            (
                ("500", "0", "0.1", "0.2", "0"),
                "2026-03-07T15:00:00Z",
                "440",
            ),
            // The output is rounded half-even to 3 places.
            (
                ("0.0125", "0", "0", "0", "0"),
                "2026-03-05T00:00:00Z",
                "0.012",
            ),
            (
                ("0.0135", "0", "0", "0", "0"),
                "2026-03-05T00:00:00Z",
                "0.014",
            ),
        ];
        for ((b, g, a, w, n), hour, want) in cases {
            let mut c = flat(cell(0), b);
            c.monthly_growth = Ratio(d(g));
            c.daily_amplitude = Ratio(d(a));
            c.weekend_dip = Ratio(d(w));
            c.noise = Ratio(d(n));
            let p = Profile {
                seed: 1,
                cells: vec![c],
            };
            assert_eq!(&q_at(&p, &t, hour), want, "{b} {g} {a} {w} {n} at {hour}");
        }
    }

    #[test]
    fn growth_is_continuous_across_months() {
        let t = term(36);
        let mut c = flat(cell(0), "1000");
        c.monthly_growth = Ratio(d("0.05"));
        let u = generate(
            &Profile {
                seed: 0,
                cells: vec![c],
            },
            &t,
        )
        .unwrap();
        let q = &u.cells()[0].quantities;
        for w in q.windows(2) {
            assert!(w[1] >= w[0], "growth is monotone: {} then {}", w[0], w[1]);
            assert!(
                w[1].get() - w[0].get() < d("1"),
                "no jump: {} then {}",
                w[0],
                w[1]
            );
        }
    }

    #[test]
    fn bad_profiles() {
        let t = term(1);
        let burst = |s: &str, hours: u32, level: &str| Burst {
            start: h(s),
            hours,
            level: Quantity(d(level)),
        };
        let mk = |f: &dyn Fn(&mut CellProfile)| {
            let mut c = flat(cell(0), "500");
            f(&mut c);
            Profile {
                seed: 0,
                cells: vec![c],
            }
        };
        let cases: Vec<(Profile, &str)> = vec![
            (mk(&|c| c.baseline = Quantity(d("-1"))), "usage profile: cell #1: negative baseline -1"),
            (mk(&|c| c.daily_amplitude = Ratio(d("1.5"))), "usage profile: cell #1: daily_amplitude 1.5 is outside 0 to 1"),
            (mk(&|c| c.weekend_dip = Ratio(d("-0.1"))), "usage profile: cell #1: weekend_dip -0.1 is outside 0 to 1"),
            (mk(&|c| c.noise = Ratio(d("2"))), "usage profile: cell #1: noise 2 is outside 0 to 1"),
            (mk(&|c| c.monthly_growth = Ratio(d("-1.5"))), "usage profile: cell #1: monthly_growth -1.5 is outside -1 to 1"),
            (
                mk(&|c| c.bursts = vec![burst("2026-03-31T00:00:00Z", 25, "540")]),
                "usage profile: cell #1: burst from 2026-03-31T00:00:00Z for 25 hours is not inside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z",
            ),
            (
                mk(&|c| c.bursts = vec![burst("2026-02-28T00:00:00Z", 2, "540")]),
                "usage profile: cell #1: burst from 2026-02-28T00:00:00Z for 2 hours is not inside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z",
            ),
            (
                mk(&|c| c.bursts = vec![burst("2026-03-02T00:00:00Z", 0, "540")]),
                "usage profile: cell #1: burst from 2026-03-02T00:00:00Z for 0 hours is not inside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z",
            ),
            (
                mk(&|c| c.bursts = vec![burst("2026-03-02T00:00:00Z", 5, "-540")]),
                "usage profile: cell #1: negative burst level -540",
            ),
            (
                mk(&|c| {
                    c.bursts = vec![burst("2026-03-02T00:00:00Z", 5, "540"), burst("2026-03-02T04:00:00Z", 5, "540")]
                }),
                "usage profile: cell #1: burst from 2026-03-02T04:00:00Z overlaps the burst from 2026-03-02T00:00:00Z",
            ),
            (
                Profile { seed: 0, cells: vec![flat(cell(1), "1"), flat(cell(1), "2")] },
                "usage profile: cell #2 repeats the cell of cell #1 (meter 0, environment 1, use case 0)",
            ),
        ];
        for (p, want) in cases {
            assert_eq!(generate(&p, &t).unwrap_err().to_string(), want);
        }
    }

    #[test]
    fn adding_a_cell_does_not_change_the_others() {
        let t = term(2);
        let mut a = flat(cell(0), "500");
        a.noise = Ratio(d("0.1"));
        let mut b = flat(cell(1), "300");
        b.noise = Ratio(d("0.1"));
        let one = generate(
            &Profile {
                seed: 9,
                cells: vec![a.clone()],
            },
            &t,
        )
        .unwrap();
        let two = generate(
            &Profile {
                seed: 9,
                cells: vec![a, b],
            },
            &t,
        )
        .unwrap();
        assert_eq!(one.cells()[0], two.cells()[0]);
        assert_ne!(two.cells()[0].quantities, two.cells()[1].quantities);
    }

    /// The i64 split of `level_to_output` against the plain i128 division,
    /// at midpoints, carries and the edges of the split's range.
    #[test]
    fn level_to_output_matches_i128_division() {
        let e14 = LEVEL_TO_OUTPUT;
        let table: [(i128, i128); 12] = [
            (0, 0),
            (500_000_000_000, 100_000_000),         // 500 × 1.00000000
            (500_000_000_000, 105_000_000),         // a daily peak
            (5, e14 / 10),                          // 0.5 × 10^-3: midpoint, rounds to even 0
            (15, e14 / 10),                         // 1.5: to 2
            (25, e14 / 10),                         // 2.5: to 2
            (99_999_999, 199_999_999),              // gh = 0
            (100_000_000, 1),                       // gl = 0
            (123_456_789_012_345_678, 987_654_321), // gh·f overflows i64: i128 fallback
            (i128::from(i64::MAX), 1),
            (i128::from(i64::MAX) + 1, 3), // growth beyond i64
            (-1_000_000_000, 100_000_000), // negative: the i128 path
        ];
        for (g, f) in table {
            assert_eq!(
                level_to_output(g, f),
                div_half_even(g * f, e14),
                "growth {g}, factor {f}"
            );
        }
        // Every remainder class around the midpoint, across a carry.
        for g in 99_999_990i128..100_000_010 {
            for f in [1, 49_999_999, 50_000_000, 50_000_001, 199_999_999] {
                assert_eq!(level_to_output(g, f), div_half_even(g * f, e14), "{g} {f}");
            }
        }
        assert_eq!(div_half_even(7, 2), Some(4));
        assert_eq!(div_half_even(5, 2), Some(2));
        assert_eq!(div_half_even(i128::MAX, 3), Some(i128::MAX / 3)); // remainder 1: down
    }

    prop_compose! {
        fn ratio(max: i64)(v in 0..=max) -> Ratio { Ratio(Decimal::new(v, 4)) }
    }

    prop_compose! {
        fn any_cell(idx: u16)(
            baseline in 0i64..100_000_000,
            g in -2000i64..=2000,
            a in ratio(10_000), w in ratio(10_000), n in ratio(10_000),
            burst in proptest::option::of((0i64..700, 1u32..44, 0i64..10_000_000)),
        ) -> CellProfile {
            let start = Date::parse("2026-03-01").unwrap().start_hour();
            CellProfile {
                cell: cell(idx),
                baseline: Quantity(Decimal::new(baseline, 3)),
                monthly_growth: Ratio(Decimal::new(g, 4)),
                daily_amplitude: a,
                weekend_dip: w,
                noise: n,
                bursts: burst.map(|(s, h, l)| Burst { start: Hour(start.0 + s), hours: h, level: Quantity(Decimal::new(l, 2)) }).into_iter().collect(),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn deterministic_non_negative_bursts_exact(seed in any::<u64>(), c0 in any_cell(0), c1 in any_cell(1)) {
            let t = term(3);
            let p = Profile { seed, cells: vec![c0, c1] };
            let u1 = generate(&p, &t).unwrap();
            let u2 = generate(&p, &t).unwrap();
            prop_assert_eq!(&u1, &u2);
            // The integer fast path and the decimal path agree exactly.
            let slow = generate_impl(&p, &t, false).unwrap();
            prop_assert_eq!(&u1, &slow);
            for (a, b) in u1.cells().iter().zip(slow.cells()) {
                let a: Vec<String> = a.quantities.iter().map(|q| q.to_string()).collect();
                let b: Vec<String> = b.quantities.iter().map(|q| q.to_string()).collect();
                prop_assert_eq!(a, b);
            }
            for (cp, series) in p.cells.iter().zip(u1.cells()) {
                prop_assert_eq!(series.quantities.len(), t.hours());
                prop_assert!(series.quantities.iter().all(|q| !q.get().is_sign_negative() || q.is_zero()));
                for b in &cp.bursts {
                    let from = (b.start.0 - t.start_hour().0) as usize;
                    for q in &series.quantities[from..from + b.hours as usize] {
                        prop_assert_eq!(*q, b.level);
                    }
                }
                let outside_bursts_scale_ok = series.quantities.iter().all(|q| q.get().scale() <= OUTPUT_SCALE);
                prop_assert!(outside_bursts_scale_ok);
            }
        }
    }
}
