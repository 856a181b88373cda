//! Usage and units reports by billing month or ISO week (reporting only).

use crate::error::Result;
use crate::matrix::Matrix;
use crate::usage::UsageSeries;

pub use crate::report_types::*;

/// Aggregates usage to months or ISO weeks per cell.
pub fn usage_report(
    matrix: &Matrix,
    usage: &UsageSeries,
    by: Granularity,
) -> Result<Vec<ReportRow>> {
    let _ = (matrix, usage, by);
    todo!("usage report")
}
