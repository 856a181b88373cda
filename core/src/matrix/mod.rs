//! The matrix (price book): meters and base rates, the environment × use-case
//! multiplier grid, list price, currency, rounding and marketplace fees.
//!
//! The TOML format is documented in `docs/matrix-format.md`; parsing lives in
//! [`crate::matrix_toml`].

use std::fmt;

use serde::{Deserialize, Serialize};

mod cell_map;
pub mod diff;

pub use cell_map::CellMap;

use crate::num::{Money, Price, Rate, Ratio, RoundingMode};
use crate::time::Date;

/// ISO 4217 currencies the engine knows, with their minor units.
pub const CURRENCIES: &[(&str, u32)] = &[
    ("USD", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("JPY", 0),
    ("CHF", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("NZD", 2),
    ("SEK", 2),
    ("NOK", 2),
    ("DKK", 2),
    ("SGD", 2),
    ("HKD", 2),
    ("INR", 2),
    ("CNY", 2),
    ("BRL", 2),
    ("MXN", 2),
    ("ZAR", 2),
    ("KRW", 0),
    ("ILS", 2),
    ("PLN", 2),
    ("KWD", 3),
    ("BHD", 3),
];

/// A currency: ISO 4217 code and minor units (the money scale).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    /// ISO 4217 code, e.g. `USD`.
    pub code: String,
    /// Decimal places of the minor unit: USD 2, JPY 0, KWD 3.
    pub minor_units: u32,
}

impl Currency {
    /// The currency for an ISO 4217 code, if known.
    ///
    /// ```
    /// use unitcalc_core::matrix::Currency;
    /// assert_eq!(Currency::from_code("JPY").unwrap().minor_units, 0);
    /// assert!(Currency::from_code("XYZ").is_none());
    /// ```
    pub fn from_code(code: &str) -> Option<Currency> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, m)| Currency {
                code: (*c).to_string(),
                minor_units: *m,
            })
    }
}

/// A measured resource with its base rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meter {
    /// Identifier used in usage files, e.g. `capacity`.
    pub id: String,
    /// Quantity unit label, e.g. `TB` or `vCPU`.
    pub unit: String,
    /// Units burned by 1 quantity held for 1 hour at multiplier 1.
    pub base_rate: Rate,
}

/// One marketplace fee tier: applies when total contract value ≥ `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTier {
    /// Lower bound of total contract value (inclusive).
    pub from: Money,
    /// Fee rate, e.g. 0.03.
    pub rate: Ratio,
}

/// A marketplace's fee schedule, tiers ascending by `from`, the first from 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSchedule {
    /// Tiers, ascending.
    pub tiers: Vec<FeeTier>,
}

impl FeeSchedule {
    /// The rate for a total contract value: the last tier whose `from` ≤ value.
    pub fn rate_for(&self, tcv: Money) -> Ratio {
        self.tiers
            .iter()
            .rev()
            .find(|t| t.from <= tcv)
            .map_or(Ratio::ZERO, |t| t.rate)
    }
}

/// Where workloads run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    /// Identifier, e.g. `aws`.
    pub id: String,
    /// Marketplace fee schedule, when deals can be transacted through it.
    pub marketplace: Option<FeeSchedule>,
}

/// What the data or compute is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseCase {
    /// Identifier, e.g. `archive`.
    pub id: String,
}

/// One (meter, environment, use case) triple, as indices into a [`Matrix`].
/// Ordering is matrix order: meters, then environments, then use cases, as
/// declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellId {
    /// Index into [`Matrix::meters`].
    pub meter: u16,
    /// Index into [`Matrix::environments`].
    pub environment: u16,
    /// Index into [`Matrix::use_cases`].
    pub use_case: u16,
}

/// A cell by name, for bills and reports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellName {
    /// Meter id.
    pub meter: String,
    /// Environment id.
    pub environment: String,
    /// Use case id.
    pub use_case: String,
}

impl fmt::Display for CellName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.meter, self.environment, self.use_case)
    }
}

impl std::str::FromStr for CellName {
    type Err = String;
    /// `meter/environment/use_case`, as [`CellName`]'s `Display` writes it
    /// (the names are not checked against a matrix here).
    ///
    /// ```
    /// use unitcalc_core::matrix::CellName;
    /// let c: CellName = "capacity/azure/hot".parse().unwrap();
    /// assert_eq!((c.meter.as_str(), c.to_string().as_str()), ("capacity", "capacity/azure/hot"));
    /// assert!("capacity/azure".parse::<CellName>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<CellName, String> {
        let mut parts = s.split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(m), Some(e), Some(u), None) => Ok(CellName {
                meter: m.to_string(),
                environment: e.to_string(),
                use_case: u.to_string(),
            }),
            _ => Err(format!(
                "cell `{}` is not meter/environment/use_case",
                crate::error::clip(s)
            )),
        }
    }
}

/// A versioned price book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    /// Name, e.g. `illustrative`.
    pub name: String,
    /// Version, e.g. `2026.1`.
    pub version: String,
    /// Date from which these prices apply.
    pub effective: Date,
    /// Free text (e.g. "illustrative, not real list prices").
    pub description: String,
    /// Currency and money scale.
    pub currency: Currency,
    /// Rounding mode of money lines.
    pub rounding: RoundingMode,
    /// List price per unit.
    pub list_price: Price,
    /// Meters in declared order.
    pub meters: Vec<Meter>,
    /// Environments in declared order.
    pub environments: Vec<Environment>,
    /// Use cases in declared order.
    pub use_cases: Vec<UseCase>,
    /// Multipliers, environment-major: `[env * use_cases.len() + use_case]`;
    /// `None` is "not offered".
    pub multipliers: Vec<Option<Ratio>>,
}

impl Matrix {
    /// The multiplier of an (environment, use case) pair; `None` if not offered
    /// or out of range.
    pub fn multiplier(&self, environment: u16, use_case: u16) -> Option<Ratio> {
        let i = usize::from(environment)
            .checked_mul(self.use_cases.len())?
            .checked_add(usize::from(use_case))?;
        self.multipliers.get(i).copied().flatten()
    }

    /// Units per quantity-hour in a cell: base rate × multiplier. `None` when
    /// the cell is not offered or out of range.
    pub fn cell_rate(&self, cell: CellId) -> Option<Rate> {
        let m = self.multiplier(cell.environment, cell.use_case)?;
        self.meters
            .get(usize::from(cell.meter))?
            .base_rate
            .times(m)
            .ok()
    }

    /// True when every index of `cell` is within this matrix.
    pub fn contains(&self, cell: CellId) -> bool {
        usize::from(cell.meter) < self.meters.len()
            && usize::from(cell.environment) < self.environments.len()
            && usize::from(cell.use_case) < self.use_cases.len()
    }

    /// Number of cells (meters × environments × use cases).
    pub fn cell_count(&self) -> usize {
        self.meters
            .len()
            .saturating_mul(self.environments.len())
            .saturating_mul(self.use_cases.len())
    }

    /// Dense index of a cell in matrix order, `0..cell_count()`.
    pub fn cell_index(&self, cell: CellId) -> usize {
        // Saturating: an index past the end is simply not a cell (`get` misses).
        usize::from(cell.meter)
            .saturating_mul(self.environments.len())
            .saturating_add(usize::from(cell.environment))
            .saturating_mul(self.use_cases.len())
            .saturating_add(usize::from(cell.use_case))
    }

    /// The cell at a dense index (inverse of [`Matrix::cell_index`]).
    pub fn cell_at(&self, index: usize) -> CellId {
        let uc = self.use_cases.len().max(1);
        let env = self.environments.len().max(1);
        let (rest, use_case) = (
            index.checked_div(uc).unwrap_or(0),
            index.checked_rem(uc).unwrap_or(0),
        );
        let (meter, environment) = (
            rest.checked_div(env).unwrap_or(0),
            rest.checked_rem(env).unwrap_or(0),
        );
        CellId {
            use_case: use_case as u16,
            environment: environment as u16,
            meter: meter as u16,
        }
    }

    /// Every cell in matrix order.
    pub fn cells(&self) -> impl Iterator<Item = CellId> + '_ {
        (0..self.cell_count()).map(|i| self.cell_at(i))
    }

    /// The cells the matrix offers (a multiplier, not `not-offered`), in
    /// matrix order: what a deal may entitle or use.
    pub fn offered_cells(&self) -> impl Iterator<Item = CellId> + '_ {
        self.cells().filter(|c| self.cell_rate(*c).is_some())
    }

    /// Index of a meter by id.
    pub fn meter_index(&self, id: &str) -> Option<u16> {
        self.meters
            .iter()
            .position(|m| m.id == id)
            .and_then(|i| u16::try_from(i).ok())
    }
    /// Index of an environment by id.
    pub fn environment_index(&self, id: &str) -> Option<u16> {
        self.environments
            .iter()
            .position(|e| e.id == id)
            .and_then(|i| u16::try_from(i).ok())
    }
    /// Index of a use case by id.
    pub fn use_case_index(&self, id: &str) -> Option<u16> {
        self.use_cases
            .iter()
            .position(|u| u.id == id)
            .and_then(|i| u16::try_from(i).ok())
    }

    /// A cell by names, or which name is unknown (`"meter"`, `"environment"`
    /// or `"use case"`) and its value.
    pub fn cell(
        &self,
        meter: &str,
        environment: &str,
        use_case: &str,
    ) -> Result<CellId, (&'static str, String)> {
        Ok(CellId {
            meter: self
                .meter_index(meter)
                .ok_or(("meter", meter.to_string()))?,
            environment: self
                .environment_index(environment)
                .ok_or(("environment", environment.to_string()))?,
            use_case: self
                .use_case_index(use_case)
                .ok_or(("use case", use_case.to_string()))?,
        })
    }

    /// The names of a cell.
    pub fn cell_name(&self, cell: CellId) -> CellName {
        let get = |v: Option<&String>| v.cloned().unwrap_or_else(|| "?".to_string());
        CellName {
            meter: get(self.meters.get(usize::from(cell.meter)).map(|m| &m.id)),
            environment: get(self
                .environments
                .get(usize::from(cell.environment))
                .map(|e| &e.id)),
            use_case: get(self
                .use_cases
                .get(usize::from(cell.use_case))
                .map(|u| &u.id)),
        }
    }

    /// The environment's marketplace fee schedule, if it has one.
    pub fn marketplace(&self, environment: &str) -> Option<&FeeSchedule> {
        self.environments
            .iter()
            .find(|e| e.id == environment)?
            .marketplace
            .as_ref()
    }
}
