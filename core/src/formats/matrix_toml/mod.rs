//! Matrix TOML: parsing with exact decimals and located errors, and writing.
//! Format: `docs/matrix-format.md`.

mod edit;
mod raw;
mod rules;
#[cfg(test)]
mod tests;
mod write;

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::error::{Error, Origin, Result};
use crate::matrix::{Currency, Environment, FeeSchedule, FeeTier, Matrix, Meter, UseCase};
use crate::num::{Money, Price, Rate, Ratio, RoundingMode};
use crate::time::Date;
use crate::toml_tree::{Sp, Src};
/// The largest matrix or deal TOML accepted: 1 MiB.
pub use crate::toml_util::MAX_TOML_BYTES;
use crate::toml_util::{check_input, Locator, NOT_OFFERED};

pub use edit::{edit_grid, grid_text, GridCell};
use raw::read_raw;
use rules::{check, check_lists, Loc};
pub use write::to_toml;

/// Parses and validates a matrix. `file` names the source in errors.
///
/// ```
/// use unitcalc_core::matrix_toml::parse_matrix;
/// let src = r#"
/// name = "tiny"
/// version = "1"
/// effective = "2026-01-01"
/// currency = "USD"
/// list_price = "1.00"
/// [[meters]]
/// id = "capacity"
/// unit = "TB"
/// base_rate = "0.0015"
/// [[environments]]
/// id = "on-prem"
/// [[use_cases]]
/// id = "hot"
/// [multipliers]
/// on-prem = { hot = "1.00" }
/// "#;
/// let m = parse_matrix(src, "tiny.toml").unwrap();
/// assert_eq!(m.meters[0].base_rate.to_string(), "0.0015");
///
/// let err = parse_matrix(&src.replace("\"0.0015\"", "0.0015"), "tiny.toml").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "tiny.toml:10:13: number literal `0.0015` where a decimal string belongs: \
///      write decimals as strings, e.g. \"1.10\""
/// );
/// ```
pub fn parse_matrix(src: &str, file: &str) -> Result<Matrix> {
    check_input(src, file, "a matrix: `name`, `version`, `currency`, `list_price`, `[[meters]]`, `[[environments]]`, `[[use_cases]]` and `[multipliers]`")?;
    let raw = read_raw(Src { file, text: src })?;
    let loc = Locator { file, src };

    let effective = Date::parse(&raw.effective.get_ref().0).map_err(|source| Error::Time {
        at: loc.at(raw.effective.span()),
        source,
    })?;
    let code = raw.currency.get_ref();
    let currency = Currency::from_code(code).ok_or_else(|| {
        loc.invalid(
            raw.currency.span(),
            format!("unknown currency `{code}` (expected an ISO 4217 code such as \"USD\")"),
        )
    })?;
    let rounding = match &raw.rounding {
        None => RoundingMode::HalfUp,
        Some(r) => match r.get_ref().as_str() {
            "half-up" => RoundingMode::HalfUp,
            "half-even" => RoundingMode::HalfEven,
            other => {
                return Err(loc.invalid(
                    r.span(),
                    format!(
                        "unknown rounding mode `{other}` (expected \"half-up\" or \"half-even\")"
                    ),
                ))
            }
        },
    };

    let meters: Vec<Meter> = raw
        .meters
        .get_ref()
        .iter()
        .map(|m| Meter {
            id: m.id.get_ref().clone(),
            unit: m.unit.get_ref().clone(),
            base_rate: Rate(m.base_rate.get_ref().0),
        })
        .collect();
    let environments: Vec<Environment> = raw
        .environments
        .get_ref()
        .iter()
        .map(|e| Environment {
            id: e.id.get_ref().clone(),
            marketplace: e.marketplace.as_ref().map(|tiers| FeeSchedule {
                tiers: tiers
                    .get_ref()
                    .iter()
                    .map(|t| FeeTier {
                        from: Money(t.get_ref().from.get_ref().0),
                        rate: Ratio(t.get_ref().rate.get_ref().0),
                    })
                    .collect(),
            }),
        })
        .collect();
    let use_cases: Vec<UseCase> = raw
        .use_cases
        .get_ref()
        .iter()
        .map(|u| UseCase {
            id: u.id.get_ref().clone(),
        })
        .collect();

    let span_of = |l: Loc| -> Range<usize> {
        match l {
            Loc::Name => raw.name.span(),
            Loc::Version => raw.version.span(),
            Loc::Currency => raw.currency.span(),
            Loc::ListPrice => raw.list_price.span(),
            Loc::Meters => raw.meters.span(),
            Loc::Environments => raw.environments.span(),
            Loc::UseCases => raw.use_cases.span(),
            Loc::MeterId(i) => raw.meters.get_ref().get(i).map_or(0..0, |m| m.id.span()),
            Loc::MeterUnit(i) => raw.meters.get_ref().get(i).map_or(0..0, |m| m.unit.span()),
            Loc::BaseRate(i) => raw
                .meters
                .get_ref()
                .get(i)
                .map_or(0..0, |m| m.base_rate.span()),
            Loc::EnvId(i) => raw
                .environments
                .get_ref()
                .get(i)
                .map_or(0..0, |e| e.id.span()),
            Loc::Marketplace(i) => raw
                .environments
                .get_ref()
                .get(i)
                .and_then(|e| e.marketplace.as_ref())
                .map_or(0..0, |m| m.span()),
            Loc::TierFrom(i, t) => raw
                .environments
                .get_ref()
                .get(i)
                .and_then(|e| e.marketplace.as_ref())
                .and_then(|m| m.get_ref().get(t))
                .map_or(0..0, |tier| tier.get_ref().from.span()),
            Loc::TierRate(i, t) => raw
                .environments
                .get_ref()
                .get(i)
                .and_then(|e| e.marketplace.as_ref())
                .and_then(|m| m.get_ref().get(t))
                .map_or(0..0, |tier| tier.get_ref().rate.span()),
            Loc::UseCaseId(i) => raw.use_cases.get_ref().get(i).map_or(0..0, |u| u.id.span()),
            Loc::Multiplier(..) => raw.multipliers.span(),
        }
    };

    // Ids and lists first, so multiplier lookups below are meaningful.
    let at = |l: Loc| loc.at(span_of(l));
    check_lists(&meters, &environments, &use_cases, &at)?;

    // Multipliers: every row an environment, every key a use case, every pair present.
    let rows = in_written_order(raw.multipliers.get_ref());
    // Both lists hold at most u16::MAX ids (checked above).
    let cell_count = environments.len().saturating_mul(use_cases.len());
    let mut grid: Vec<Option<Option<Decimal>>> = vec![None; cell_count];
    let mut mult_spans: Vec<Range<usize>> = vec![raw.multipliers.span(); grid.len()];
    for (env, row) in &rows {
        let e = environments
            .iter()
            .position(|x| &x.id == *env)
            .ok_or_else(|| loc.unknown(row.span(), "environment", env))?;
        let cells = in_written_order(row.get_ref());
        for (uc, value) in cells {
            let u = use_cases
                .iter()
                .position(|x| &x.id == uc)
                .ok_or_else(|| loc.unknown(value.span(), "use case", uc))?;
            let k = e.saturating_mul(use_cases.len()).saturating_add(u);
            if let (Some(slot), Some(span)) = (grid.get_mut(k), mult_spans.get_mut(k)) {
                *slot = Some(value.get_ref().0);
                *span = value.span();
            }
        }
    }
    let mut multipliers = Vec::with_capacity(grid.len());
    for (i, g) in grid.into_iter().enumerate() {
        let e = i.checked_div(use_cases.len()).unwrap_or(0);
        let u = i.checked_rem(use_cases.len()).unwrap_or(0);
        match g {
            Some(v) => multipliers.push(v.map(Ratio)),
            None => {
                let env = environments.get(e).map_or("", |x| x.id.as_str());
                let span = rows
                    .iter()
                    .find(|(id, _)| *id == env)
                    .map_or(raw.multipliers.span(), |(_, r)| r.span());
                return Err(loc.invalid(
                    span,
                    format!(
                        "missing multiplier for environment `{env}` and use case `{}` (give a decimal string or \"{NOT_OFFERED}\")",
                        use_cases.get(u).map_or("", |x| x.id.as_str())
                    ),
                ));
            }
        }
    }

    let m = Matrix {
        name: raw.name.get_ref().clone(),
        version: raw.version.get_ref().clone(),
        effective,
        description: raw.description.clone(),
        currency,
        rounding,
        list_price: Price(raw.list_price.get_ref().0),
        meters,
        environments,
        use_cases,
        multipliers,
    };
    check(&m, &|l| match l {
        Loc::Multiplier(e, u) => loc.at(mult_spans
            .get(e.saturating_mul(m.use_cases.len()).saturating_add(u))
            .cloned()
            .unwrap_or_else(|| raw.multipliers.span())),
        other => at(other),
    })?;
    Ok(m)
}

/// Validates a matrix built in code (e.g. edited in the browser): the same
/// rules as [`parse_matrix`], errors named by `source`.
///
/// ```
/// use unitcalc_core::matrix_toml::{parse_matrix, validate};
/// let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../matrices/spec-m.toml")).unwrap();
/// let mut m = parse_matrix(&src, "spec-m.toml").unwrap();
/// assert!(validate(&m, "editor").is_ok());
/// m.meters[0].base_rate = "0".parse().unwrap();
/// assert_eq!(
///     validate(&m, "editor").unwrap_err().to_string(),
///     "editor: meter `capacity`: base rate must be greater than 0, got `0`"
/// );
/// ```
pub fn validate(m: &Matrix, source: &str) -> Result<()> {
    let at = |_: Loc| Origin::file(source);
    check_lists(&m.meters, &m.environments, &m.use_cases, &at)?;
    let cells = m.environments.len().saturating_mul(m.use_cases.len());
    if m.multipliers.len() != cells {
        return Err(Error::Invalid {
            at: Origin::file(source),
            message: format!(
                "the multiplier grid has {} entries; {} environments × {} use cases need {}",
                m.multipliers.len(),
                m.environments.len(),
                m.use_cases.len(),
                cells
            ),
        });
    }
    let known = Currency::from_code(&m.currency.code);
    if known.as_ref() != Some(&m.currency) {
        return Err(Error::Invalid {
            at: Origin::file(source),
            message: format!(
                "unknown currency `{}` (expected an ISO 4217 code such as \"USD\")",
                m.currency.code
            ),
        });
    }
    check(m, &at)
}

/// A table's entries in the order they were written (by where each value
/// starts), with the crate's one short sort (`short_sort`).
fn in_written_order<T>(m: &BTreeMap<String, Sp<T>>) -> Vec<(&String, &Sp<T>)> {
    let all: Vec<(&String, &Sp<T>)> = m.iter().collect();
    let mut order: Vec<(usize, usize)> = (all.iter().enumerate())
        .map(|(i, (_, v))| (v.span().start, i))
        .collect();
    crate::short_sort::sort_by_key(&mut order, |&p| p);
    order
        .into_iter()
        .filter_map(|(_, i)| all.get(i).copied())
        .collect()
}
