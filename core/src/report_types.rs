use serde::{Deserialize, Serialize};

use crate::matrix::CellName;
use crate::num::{Quantity, Units};
use crate::time::Hour;

/// Report buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Granularity {
    /// Calendar months (billing periods).
    Month,
    /// ISO weeks, Monday 00:00 UTC.
    IsoWeek,
}

/// One bucket × cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// `2026-03` or `2026-W10`.
    pub label: String,
    /// First hour of the bucket inside the usage (inclusive).
    pub start: Hour,
    /// End of the bucket inside the usage (exclusive).
    pub end: Hour,
    /// The cell.
    pub cell: CellName,
    /// Σ hourly quantity.
    pub quantity_hours: Quantity,
    /// Σ hourly units.
    pub units: Units,
    /// Highest hourly quantity.
    pub peak: Quantity,
}
