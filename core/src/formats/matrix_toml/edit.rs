//! Edits of a matrix's grid (the browser's matrix view): a multiplier or a
//! base rate typed into a cell, read with the matrix format's own rules and
//! checked with [`super::validate`], so a grid edit and a TOML file accept
//! and refuse the same values with the same words.

use crate::error::{Error, Origin, Result};
use crate::matrix::Matrix;
use crate::num::{Rate, Ratio};
use crate::toml_util::{parse_decimal, Mult, NOT_OFFERED};

/// The name grid edits give in errors.
const GRID: &str = "matrix grid";

/// Which value of the grid an edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridCell {
    /// The multiplier of an environment and use case (by index).
    Multiplier {
        /// Environment index, in matrix order.
        environment: u16,
        /// Use case index, in matrix order.
        use_case: u16,
    },
    /// A meter's base rate (by index).
    BaseRate {
        /// Meter index, in matrix order.
        meter: u16,
    },
}

/// The text a grid cell shows: the multiplier or rate as written in TOML, or
/// `not-offered`.
///
/// ```
/// use unitcalc_core::{bundled, matrix_toml::{grid_text, GridCell}};
/// let m = bundled::matrix("spec-m").unwrap();
/// assert_eq!(grid_text(&m, GridCell::Multiplier { environment: 2, use_case: 0 }), "1.25");
/// assert_eq!(grid_text(&m, GridCell::Multiplier { environment: 0, use_case: 1 }), "not-offered");
/// assert_eq!(grid_text(&m, GridCell::BaseRate { meter: 0 }), "0.0015");
/// ```
pub fn grid_text(m: &Matrix, cell: GridCell) -> String {
    match cell {
        GridCell::Multiplier {
            environment,
            use_case,
        } => m
            .multiplier(environment, use_case)
            .map_or_else(|| NOT_OFFERED.to_string(), |r| r.to_string()),
        GridCell::BaseRate { meter } => m
            .meters
            .get(usize::from(meter))
            .map(|me| me.base_rate.to_string())
            .unwrap_or_default(),
    }
}

/// The matrix with one grid cell set to `text` (surrounding spaces ignored;
/// an empty multiplier is `not-offered`), validated; or why the value is
/// refused (named `matrix grid`).
///
/// ```
/// use unitcalc_core::{bundled, matrix_toml::{edit_grid, GridCell}};
/// let m = bundled::matrix("spec-m").unwrap();
/// let azure_hot = GridCell::Multiplier { environment: 2, use_case: 0 };
/// let next = edit_grid(&m, azure_hot, "1.50").unwrap();
/// assert_eq!(next.multiplier(2, 0).unwrap().to_string(), "1.50");
/// assert_eq!(
///     edit_grid(&m, azure_hot, "1.2x").unwrap_err().to_string(),
///     "matrix grid: multiplier `1.2x` is neither a decimal string nor \"not-offered\""
/// );
/// ```
pub fn edit_grid(m: &Matrix, cell: GridCell, text: &str) -> Result<Matrix> {
    let text = text.trim();
    let refused = |message: String| Error::Invalid {
        at: Origin::file(GRID),
        message,
    };
    let mut next = m.clone();
    match cell {
        GridCell::Multiplier {
            environment,
            use_case,
        } => {
            let Mult(value) = if text.is_empty() {
                Mult(None)
            } else {
                Mult::parse(text).map_err(refused)?
            };
            let slot = usize::from(environment)
                .checked_mul(m.use_cases.len())
                .and_then(|i| i.checked_add(usize::from(use_case)))
                .and_then(|i| next.multipliers.get_mut(i));
            if let Some(slot) = slot {
                *slot = value.map(Ratio);
            }
        }
        GridCell::BaseRate { meter } => {
            let rate = parse_decimal(text).map_err(refused)?;
            if let Some(me) = next.meters.get_mut(usize::from(meter)) {
                me.base_rate = Rate(rate);
            }
        }
    }
    super::validate(&next, GRID)?;
    Ok(next)
}
