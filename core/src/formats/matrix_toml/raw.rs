//! Reading a matrix's shape: keys, types and decimal strings, every value
//! with its span.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::toml_tree::{Sp, Src};
use crate::toml_util::{DateStr, Dec, Mult};

/// A matrix as written, every value with its span (read by [`read_raw`]).
pub(super) struct RawMatrix {
    pub(super) name: Sp<String>,
    pub(super) version: Sp<String>,
    pub(super) effective: Sp<DateStr>,
    pub(super) description: String,
    pub(super) currency: Sp<String>,
    pub(super) rounding: Option<Sp<String>>,
    pub(super) list_price: Sp<Dec>,
    pub(super) meters: Sp<Vec<RawMeter>>,
    pub(super) environments: Sp<Vec<RawEnvironment>>,
    pub(super) use_cases: Sp<Vec<RawUseCase>>,
    pub(super) multipliers: Sp<BTreeMap<String, Sp<Row>>>,
}

/// One `[multipliers]` row: use case id → multiplier.
pub(super) type Row = BTreeMap<String, Sp<Mult>>;

pub(super) struct RawMeter {
    pub(super) id: Sp<String>,
    pub(super) unit: Sp<String>,
    pub(super) base_rate: Sp<Dec>,
}

pub(super) struct RawEnvironment {
    pub(super) id: Sp<String>,
    pub(super) marketplace: Option<Sp<Vec<Sp<RawTier>>>>,
}

pub(super) struct RawTier {
    pub(super) from: Sp<Dec>,
    pub(super) rate: Sp<Dec>,
}

pub(super) struct RawUseCase {
    pub(super) id: Sp<String>,
}

pub(super) const MATRIX_KEYS: [&str; 11] = [
    "name",
    "version",
    "effective",
    "description",
    "currency",
    "rounding",
    "list_price",
    "meters",
    "environments",
    "use_cases",
    "multipliers",
];

/// Reads the matrix's shape: keys, types, decimal strings (see
/// [`crate::toml_tree`] for the rules).
pub(super) fn read_raw(src: Src<'_>) -> Result<RawMatrix> {
    let doc = src.parse()?;
    let root = src.root(&doc, &MATRIX_KEYS)?;
    // Present values first, then what is missing (as serde reported them).
    let opt = |key: &str| root.get(key);
    let description = opt("description").map(|i| src.string(i)).transpose()?;
    let rounding = opt("rounding").map(|i| src.string(i)).transpose()?;
    let name = src.string(root.require("name")?)?;
    let version = src.string(root.require("version")?)?;
    let effective = src.date(root.require("effective")?)?;
    let currency = src.string(root.require("currency")?)?;
    let list_price = src.decimal(root.require("list_price")?)?;

    let meters = src.tables(root.require("meters")?, &["id", "unit", "base_rate"])?;
    let meters = Sp::map(meters, |ts| {
        ts.iter()
            .map(|t| {
                Ok(RawMeter {
                    id: src.string(t.require("id")?)?,
                    unit: src.string(t.require("unit")?)?,
                    base_rate: src.decimal(t.require("base_rate")?)?,
                })
            })
            .collect()
    })?;

    let environments = src.tables(root.require("environments")?, &["id", "marketplace"])?;
    let environments = Sp::map(environments, |ts| {
        ts.iter()
            .map(|t| {
                let marketplace = match t.get("marketplace") {
                    None => None,
                    Some(item) => Some(Sp::map(src.tables(item, &["from", "rate"])?, |tiers| {
                        tiers
                            .iter()
                            .map(|tier| {
                                let raw = RawTier {
                                    from: src.decimal(tier.require("from")?)?,
                                    rate: src.decimal(tier.require("rate")?)?,
                                };
                                Ok(Sp::new(tier.span(), raw))
                            })
                            .collect()
                    })?),
                };
                Ok(RawEnvironment {
                    id: src.string(t.require("id")?)?,
                    marketplace,
                })
            })
            .collect()
    })?;

    let use_cases = src.tables(root.require("use_cases")?, &["id"])?;
    let use_cases = Sp::map(use_cases, |ts| {
        ts.iter()
            .map(|t| {
                Ok(RawUseCase {
                    id: src.string(t.require("id")?)?,
                })
            })
            .collect()
    })?;

    let item = root.require("multipliers")?;
    let rows = src.map(item)?;
    let mut multipliers = BTreeMap::new();
    for (env, row_item) in rows.entries() {
        let row = src.map(row_item)?;
        let mut cells = Row::new();
        for (uc, value) in row.entries() {
            cells.insert(uc.to_string(), src.multiplier(value)?);
        }
        multipliers.insert(env.to_string(), Sp::new(row.span(), cells));
    }
    Ok(RawMatrix {
        name,
        version,
        effective,
        description: description.map(|d| d.get_ref().clone()).unwrap_or_default(),
        currency,
        rounding,
        list_price,
        meters,
        environments,
        use_cases,
        multipliers: Sp::new(rows.span(), multipliers),
    })
}
