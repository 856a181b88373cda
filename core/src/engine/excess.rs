//! Excess runs: consecutive hours of one cell that the fixed-capacity
//! overage rule tolerated or charged, recorded as `Pricer::push` decides
//! them (the browser's chart marks).

use serde::{Deserialize, Serialize};

use crate::matrix::CellId;
use crate::time::Hour;

/// What the fixed-capacity overage rule (pricing model section 5) made of an
/// hour with excess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExcessKind {
    /// Within the tolerance band and the grace hours: nothing charged.
    Tolerated,
    /// The whole excess is charged at the overage price.
    Charged,
}

/// Consecutive hours of one cell that the overage rule treated alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcessRun {
    /// The cell.
    pub cell: CellId,
    /// Tolerated or charged.
    pub kind: ExcessKind,
    /// First hour of the run.
    pub start: Hour,
    /// End of the run (exclusive).
    pub end: Hour,
}

impl ExcessRun {
    /// Length of the run in hours.
    pub fn hours(&self) -> u64 {
        u64::try_from(self.end.0.saturating_sub(self.start.0)).unwrap_or(0)
    }
}

/// Extends the cell's open run when `hour` continues it with the same kind,
/// else opens a new one; an hour without excess closes it.
pub(super) fn record_run(
    runs: &mut Vec<ExcessRun>,
    open: &mut Option<usize>,
    cell: CellId,
    hour: Hour,
    excess: Option<ExcessKind>,
) {
    let Some(kind) = excess else {
        *open = None;
        return;
    };
    let next = Hour(hour.0.saturating_add(1));
    if let Some(run) = open.and_then(|j| runs.get_mut(j)) {
        if run.kind == kind && run.end == hour {
            run.end = next;
            return;
        }
    }
    *open = Some(runs.len());
    runs.push(ExcessRun {
        cell,
        kind,
        start: hour,
        end: next,
    });
}
