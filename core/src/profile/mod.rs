//! Synthetic hourly usage for simulation without metered data: a baseline per
//! cell, monthly growth, daily and weekly seasonality, bursts and seeded
//! deterministic noise, all in exact decimals.
//!
//! The exact formulas are in `docs/usage-format.md` and on [`generate`].

mod exact;
pub mod fit;
mod noise;
mod series;
#[cfg(test)]
mod tests;
mod validate;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Origin, Result};
use crate::matrix::CellId;
use crate::num::{Overflow, Quantity, Ratio};
use crate::time::{Hour, Term};
use crate::usage::UsageSeries;

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

use series::cell_series;
pub use validate::validate;

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

/// Each cell's generated series, kept between calls of [`generate_reusing`]
/// so that an edit of one cell's profile regenerates only that cell (the
/// browser re-prices on every keystroke). A kept series is shared with the
/// usage it goes into, not copied, so the usage's unchanged cells are the
/// same series as before (`Arc::ptr_eq`).
#[derive(Debug, Clone, Default)]
pub struct CellCache {
    cells: Vec<(CellKey, Arc<Vec<Quantity>>)>,
}

/// What a cell's series depends on: the seed, its place, its profile, the term.
type CellKey = (u64, usize, CellProfile, Term);

/// [`generate`], reusing the series of every cell whose inputs are the same
/// as in the previous call with `cache` (same values as [`generate`]; the
/// cache keeps one entry per cell of the latest profile).
///
/// ```
/// use unitcalc_core::matrix::CellId;
/// use unitcalc_core::profile::{generate, generate_reusing, CellCache, CellProfile, Profile};
/// use unitcalc_core::time::{Date, Term};
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = |m: u16, base: &str| CellProfile {
///     cell: CellId { meter: m, environment: 0, use_case: 0 },
///     baseline: base.parse().unwrap(),
///     monthly_growth: "0.02".parse().unwrap(),
///     daily_amplitude: "0.1".parse().unwrap(),
///     weekend_dip: "0".parse().unwrap(),
///     noise: "0.05".parse().unwrap(),
///     bursts: vec![],
/// };
/// let mut cache = CellCache::default();
/// let mut p = Profile { seed: 7, cells: vec![cell(0, "500"), cell(1, "8")] };
/// assert_eq!(generate_reusing(&p, &term, &mut cache).unwrap(), generate(&p, &term).unwrap());
/// p.cells[1].baseline = "9".parse().unwrap(); // regenerates only cell 1
/// assert_eq!(generate_reusing(&p, &term, &mut cache).unwrap(), generate(&p, &term).unwrap());
/// ```
pub fn generate_reusing(
    profile: &Profile,
    term: &Term,
    cache: &mut CellCache,
) -> Result<UsageSeries> {
    validate(profile, term)?;
    let mut usage = UsageSeries::new(term);
    let mut kept = Vec::with_capacity(profile.cells.len());
    for (index, c) in profile.cells.iter().enumerate() {
        let key: CellKey = (profile.seed, index, c.clone(), *term);
        let series = match cache.cells.iter().position(|(k, _)| *k == key) {
            Some(i) => cache.cells.swap_remove(i).1,
            None => Arc::new(cell_series(profile.seed, index, c, term, true)?),
        };
        usage.set_series(c.cell, series.clone());
        kept.push((key, series));
    }
    cache.cells = kept;
    Ok(usage)
}
