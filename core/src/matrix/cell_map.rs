//! The same cells in another matrix, by name: how a deal or a book written
//! in one matrix's cells is priced under another (a candidate matrix, a
//! model of the lab). The one place the mapping is made; the CLI's reprice,
//! [`crate::book::Repricer`] and [`crate::lab`] use it.

use super::{CellId, Matrix};
use crate::error::{Error, Origin};

/// Per cell of one matrix (`from`), the cell with the same meter,
/// environment and use case in another (`to`), or which of the three names
/// `to` lacks (`"meter"`, `"environment"` or `"use case"`) and its value.
/// Whether `to` *offers* the cell is not checked here (its pricer refuses a
/// cell it does not offer).
///
/// ```
/// use unitcalc_core::{bundled, matrix::CellMap};
/// let spec = bundled::matrix("spec-m").unwrap();
/// let mut other = spec.clone();
/// other.environments.retain(|e| e.id != "on-prem");
/// let map = CellMap::new(&spec, Some(&other));
/// let azure = spec.cell("capacity", "azure", "hot").unwrap();
/// assert_eq!(map.get(azure), Ok(other.cell("capacity", "azure", "hot").unwrap()));
/// let on_prem = spec.cell("capacity", "on-prem", "hot").unwrap();
/// assert_eq!(map.get(on_prem), Err(("environment", "on-prem")));
/// // Without another matrix every cell maps to itself.
/// assert_eq!(CellMap::new(&spec, None).get(on_prem), Ok(on_prem));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMap<'a> {
    from: &'a Matrix,
    /// Per dense cell index of `from`; empty when there is no `to`.
    cells: Vec<Result<CellId, (&'static str, String)>>,
}

impl<'a> CellMap<'a> {
    /// The map from `from`'s cells to `to`'s (to themselves without `to`).
    pub fn new(from: &'a Matrix, to: Option<&Matrix>) -> CellMap<'a> {
        let cells = match to {
            None => Vec::new(),
            Some(to) => from
                .cells()
                .map(|c| {
                    let n = from.cell_name(c);
                    to.cell(&n.meter, &n.environment, &n.use_case)
                })
                .collect(),
        };
        CellMap { from, cells }
    }

    /// `cell` of `from` in the other matrix, or the name it lacks.
    pub fn get(&self, cell: CellId) -> Result<CellId, (&'static str, &str)> {
        if self.cells.is_empty() {
            return Ok(cell);
        }
        match self.cells.get(self.from.cell_index(cell)) {
            Some(Ok(c)) => Ok(*c),
            Some(Err((what, value))) => Err((what, value.as_str())),
            None => Ok(cell),
        }
    }

    /// [`CellMap::get`], a missing name as the error for a usage record at
    /// `at` ("unknown environment (candidate matrix) `on-prem`").
    pub fn get_at(&self, cell: CellId, at: impl FnOnce() -> Origin) -> Result<CellId, Error> {
        self.get(cell).map_err(|(what, value)| Error::Unknown {
            at: at(),
            what: match what {
                "meter" => "meter (candidate matrix)",
                "environment" => "environment (candidate matrix)",
                _ => "use case (candidate matrix)",
            },
            value: value.to_string(),
        })
    }
}
