//! Synthetic hourly usage for simulation without metered data: a baseline per
//! cell, monthly growth, daily and weekly seasonality, bursts and seeded
//! deterministic noise, all in exact decimals.

use serde::{Deserialize, Serialize};

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

use crate::error::Result;
use crate::time::Term;
use crate::usage::UsageSeries;

/// Generates hourly usage over a term.
pub fn generate(profile: &Profile, term: &Term) -> Result<UsageSeries> {
    let _ = (profile, term);
    todo!("profile generator")
}
