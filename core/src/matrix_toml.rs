//! Matrix TOML: parsing with exact decimals and located errors, and writing.
//! Format: `docs/matrix-format.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::error::{Error, Origin, Result};
use crate::matrix::{Currency, Environment, FeeSchedule, FeeTier, Matrix, Meter, UseCase};
use crate::num::{Money, Price, Rate, Ratio, RoundingMode};
use crate::time::Date;
use crate::toml_tree::{Sp, Src};
/// The largest matrix or deal TOML accepted: 1 MiB.
pub use crate::toml_util::MAX_TOML_BYTES;
use crate::toml_util::{
    check_input, key, quote, valid_id, DateStr, Dec, Locator, Mult, NOT_OFFERED,
};

/// A matrix as written, every value with its span (read by [`read_raw`]).
struct RawMatrix {
    name: Sp<String>,
    version: Sp<String>,
    effective: Sp<DateStr>,
    description: String,
    currency: Sp<String>,
    rounding: Option<Sp<String>>,
    list_price: Sp<Dec>,
    meters: Sp<Vec<RawMeter>>,
    environments: Sp<Vec<RawEnvironment>>,
    use_cases: Sp<Vec<RawUseCase>>,
    multipliers: Sp<BTreeMap<String, Sp<Row>>>,
}

/// One `[multipliers]` row: use case id → multiplier.
type Row = BTreeMap<String, Sp<Mult>>;

struct RawMeter {
    id: Sp<String>,
    unit: Sp<String>,
    base_rate: Sp<Dec>,
}

struct RawEnvironment {
    id: Sp<String>,
    marketplace: Option<Sp<Vec<Sp<RawTier>>>>,
}

struct RawTier {
    from: Sp<Dec>,
    rate: Sp<Dec>,
}

struct RawUseCase {
    id: Sp<String>,
}

const MATRIX_KEYS: [&str; 11] = [
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
fn read_raw(src: Src<'_>) -> Result<RawMatrix> {
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

/// A thing in a matrix a semantic rule can point at.
#[derive(Debug, Clone, Copy)]
enum Loc {
    Name,
    Version,
    Currency,
    ListPrice,
    Meters,
    Environments,
    UseCases,
    MeterId(usize),
    MeterUnit(usize),
    BaseRate(usize),
    EnvId(usize),
    Marketplace(usize),
    TierFrom(usize, usize),
    TierRate(usize, usize),
    UseCaseId(usize),
    Multiplier(usize, usize),
}

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
    let mut rows: Vec<(&String, &Sp<Row>)> = raw.multipliers.get_ref().iter().collect();
    rows.sort_by_key(|(_, r)| r.span().start);
    // Both lists hold at most u16::MAX ids (checked above).
    let cell_count = environments.len().saturating_mul(use_cases.len());
    let mut grid: Vec<Option<Option<Decimal>>> = vec![None; cell_count];
    let mut mult_spans: Vec<Range<usize>> = vec![raw.multipliers.span(); grid.len()];
    for (env, row) in &rows {
        let e = environments
            .iter()
            .position(|x| &x.id == *env)
            .ok_or_else(|| loc.unknown(row.span(), "environment", env))?;
        let mut cells: Vec<(&String, &Sp<Mult>)> = row.get_ref().iter().collect();
        cells.sort_by_key(|(_, v)| v.span().start);
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

fn invalid(at: Origin, message: String) -> Error {
    Error::Invalid { at, message }
}

/// Rules on the id lists: not empty, ids well formed and unique.
fn check_lists(
    meters: &[Meter],
    envs: &[Environment],
    ucs: &[UseCase],
    at: &dyn Fn(Loc) -> Origin,
) -> Result<()> {
    fn ids<'a>(
        what: &str,
        list: impl Iterator<Item = &'a String>,
        whole: Loc,
        item: fn(usize) -> Loc,
        at: &dyn Fn(Loc) -> Origin,
    ) -> Result<()> {
        let list: Vec<&String> = list.collect();
        if list.is_empty() {
            return Err(invalid(
                at(whole),
                format!("at least one {what} is required"),
            ));
        }
        if list.len() > usize::from(u16::MAX) {
            return Err(invalid(
                at(whole),
                format!("too many {what}s: {} (at most {})", list.len(), u16::MAX),
            ));
        }
        for (i, id) in list.iter().enumerate() {
            if !valid_id(id) {
                return Err(invalid(
                    at(item(i)),
                    format!("{what} id `{id}` must be 1 to 64 ASCII letters, digits, `-` or `_`"),
                ));
            }
            if list.iter().take(i).any(|x| x == id) {
                return Err(invalid(at(item(i)), format!("duplicate {what} id `{id}`")));
            }
        }
        Ok(())
    }
    ids(
        "meter",
        meters.iter().map(|m| &m.id),
        Loc::Meters,
        Loc::MeterId,
        at,
    )?;
    ids(
        "environment",
        envs.iter().map(|e| &e.id),
        Loc::Environments,
        Loc::EnvId,
        at,
    )?;
    ids(
        "use case",
        ucs.iter().map(|u| &u.id),
        Loc::UseCases,
        Loc::UseCaseId,
        at,
    )?;
    Ok(())
}

/// Value rules: names, positive rates, multipliers and list price, fee tiers.
fn check(m: &Matrix, at: &dyn Fn(Loc) -> Origin) -> Result<()> {
    if m.name.trim().is_empty() {
        return Err(invalid(
            at(Loc::Name),
            "the matrix name must not be empty".into(),
        ));
    }
    if m.version.trim().is_empty() {
        return Err(invalid(
            at(Loc::Version),
            "the matrix version must not be empty".into(),
        ));
    }
    if m.currency.code.is_empty() {
        return Err(invalid(
            at(Loc::Currency),
            "the currency must not be empty".into(),
        ));
    }
    if m.list_price.0 <= Decimal::ZERO {
        return Err(invalid(
            at(Loc::ListPrice),
            format!("list price must be greater than 0, got `{}`", m.list_price),
        ));
    }
    for (i, meter) in m.meters.iter().enumerate() {
        if meter.unit.trim().is_empty() {
            return Err(invalid(
                at(Loc::MeterUnit(i)),
                format!("meter `{}`: unit must not be empty", meter.id),
            ));
        }
        if meter.base_rate.0 <= Decimal::ZERO {
            return Err(invalid(
                at(Loc::BaseRate(i)),
                format!(
                    "meter `{}`: base rate must be greater than 0, got `{}`",
                    meter.id, meter.base_rate
                ),
            ));
        }
    }
    for (i, env) in m.environments.iter().enumerate() {
        let Some(schedule) = &env.marketplace else {
            continue;
        };
        if schedule.tiers.is_empty() {
            return Err(invalid(
                at(Loc::Marketplace(i)),
                format!(
                    "environment `{}`: a marketplace schedule needs at least one tier, from \"0\"",
                    env.id
                ),
            ));
        }
        for (t, tier) in schedule.tiers.iter().enumerate() {
            if t == 0 && !tier.from.is_zero() {
                return Err(invalid(
                    at(Loc::TierFrom(i, t)),
                    format!(
                        "environment `{}`: the first marketplace tier must start at 0, got `{}`",
                        env.id, tier.from
                    ),
                ));
            }
            let previous = t.checked_sub(1).and_then(|p| schedule.tiers.get(p));
            if let Some(previous) = previous.filter(|p| tier.from <= p.from) {
                return Err(invalid(
                    at(Loc::TierFrom(i, t)),
                    format!(
                        "environment `{}`: marketplace tiers must be strictly ascending, `{}` follows `{}`",
                        env.id,
                        tier.from,
                        previous.from
                    ),
                ));
            }
            if tier.rate.0 < Decimal::ZERO || tier.rate.0 >= Decimal::ONE {
                return Err(invalid(
                    at(Loc::TierRate(i, t)),
                    format!(
                        "environment `{}`: marketplace fee rate must be in [0, 1), got `{}`",
                        env.id, tier.rate
                    ),
                ));
            }
        }
    }
    for (e, env) in m.environments.iter().enumerate() {
        for (u, uc) in m.use_cases.iter().enumerate() {
            if let Some(Some(r)) = m
                .multipliers
                .get(e.saturating_mul(m.use_cases.len()).saturating_add(u))
            {
                if r.0 <= Decimal::ZERO {
                    return Err(invalid(
                        at(Loc::Multiplier(e, u)),
                        format!(
                            "multiplier for `{}`/`{}` must be greater than 0 (or \"{NOT_OFFERED}\"), got `{r}`",
                            env.id, uc.id
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Writes a matrix as TOML that [`parse_matrix`] reads back to an equal matrix.
///
/// ```
/// use unitcalc_core::matrix_toml::{parse_matrix, to_toml};
/// let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../matrices/spec-m.toml")).unwrap();
/// let m = parse_matrix(&src, "spec-m.toml").unwrap();
/// assert_eq!(parse_matrix(&to_toml(&m), "written").unwrap(), m);
/// ```
pub fn to_toml(m: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "name = {}", quote(&m.name));
    let _ = writeln!(s, "version = {}", quote(&m.version));
    let _ = writeln!(s, "effective = \"{}\"", m.effective);
    let _ = writeln!(s, "description = {}", quote(&m.description));
    let _ = writeln!(s, "currency = {}", quote(&m.currency.code));
    let _ = writeln!(s, "rounding = \"{}\"", m.rounding.as_str());
    let _ = writeln!(s, "list_price = \"{}\"", m.list_price);
    for meter in &m.meters {
        let _ = writeln!(
            s,
            "\n[[meters]]\nid = {}\nunit = {}\nbase_rate = \"{}\"",
            quote(&meter.id),
            quote(&meter.unit),
            meter.base_rate
        );
    }
    for env in &m.environments {
        let _ = writeln!(s, "\n[[environments]]\nid = {}", quote(&env.id));
        if let Some(schedule) = &env.marketplace {
            s.push_str("marketplace = [\n");
            for t in &schedule.tiers {
                let _ = writeln!(s, "  {{ from = \"{}\", rate = \"{}\" }},", t.from, t.rate);
            }
            s.push_str("]\n");
        }
    }
    for uc in &m.use_cases {
        let _ = writeln!(s, "\n[[use_cases]]\nid = {}", quote(&uc.id));
    }
    s.push_str("\n[multipliers]\n");
    for (e, env) in m.environments.iter().enumerate() {
        let cells: Vec<String> = m
            .use_cases
            .iter()
            .enumerate()
            .map(|(u, uc)| {
                let v = match m
                    .multipliers
                    .get(e.saturating_mul(m.use_cases.len()).saturating_add(u))
                    .copied()
                    .flatten()
                {
                    Some(r) => format!("\"{r}\""),
                    None => format!("\"{NOT_OFFERED}\""),
                };
                format!("{} = {v}", key(&uc.id))
            })
            .collect();
        let _ = writeln!(s, "{} = {{ {} }}", key(&env.id), cells.join(", "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_M: &str = include_str!("../../matrices/spec-m.toml");

    #[test]
    fn spec_m_parses() {
        let m = parse_matrix(SPEC_M, "spec-m.toml").unwrap();
        assert_eq!(m.meters.len(), 2);
        assert_eq!(m.environments.len(), 3);
        assert_eq!(m.use_cases.len(), 2);
        assert_eq!(m.multiplier(2, 0), Some("1.25".parse().unwrap()));
        assert_eq!(m.multiplier(0, 1), None);
        assert_eq!(m.currency.minor_units, 2);
        assert_eq!(m.marketplace("aws").unwrap().tiers.len(), 3);
        assert!(m.marketplace("on-prem").is_none());
    }

    #[test]
    fn multiplier_sub_tables_and_limits() {
        let sub = SPEC_M.replace(
            "azure = { hot = \"1.25\", archive = \"0.40\" }",
            "\n[multipliers.azure]\nhot = \"1.25\"\narchive = \"0.40\"",
        );
        assert_ne!(sub, SPEC_M);
        assert_eq!(
            parse_matrix(&sub, "sub.toml").unwrap(),
            parse_matrix(SPEC_M, "spec-m.toml").unwrap()
        );

        let big = format!("{SPEC_M}{}", "#".repeat(crate::toml_util::MAX_TOML_BYTES));
        assert!(matches!(
            parse_matrix(&big, "big.toml"),
            Err(Error::TooLarge { .. })
        ));
    }

    /// The same matrix in other TOML spellings reads the same: inline
    /// arrays of tables, `[[environments.marketplace]]` sections, dotted
    /// keys, literal strings.
    #[test]
    fn every_toml_spelling_reads_the_same() {
        let want = parse_matrix(SPEC_M, "spec-m.toml").unwrap();
        let spellings = [
            SPEC_M
                .replace("[[use_cases]]\nid = \"hot\"\n\n[[use_cases]]\nid = \"archive\"\n", "")
                .replace(
                    "list_price = \"1.00\"\n",
                    "list_price = \"1.00\"\nuse_cases = [{ id = \"hot\" }, { id = 'archive' }]\n",
                ),
            SPEC_M.replace(
                "id = \"azure\"\nmarketplace = [\n  { from = \"0\", rate = \"0.03\" },\n  { from = \"1000000\", rate = \"0.02\" },\n  { from = \"10000000\", rate = \"0.015\" },\n]\n",
                "id = \"azure\"\n[[environments.marketplace]]\nfrom = \"0\"\nrate = \"0.03\"\n[[environments.marketplace]]\nfrom = \"1000000\"\nrate = \"0.02\"\n[[environments.marketplace]]\nfrom = \"10000000\"\nrate = \"0.015\"\n",
            ),
            SPEC_M.replace(
                "azure = { hot = \"1.25\", archive = \"0.40\" }",
                "azure.hot = \"1.25\"\nazure.archive = '0.40'",
            ),
        ];
        for (i, text) in spellings.iter().enumerate() {
            assert_ne!(text, SPEC_M, "spelling {i} did not apply");
            assert_eq!(parse_matrix(text, "m.toml").unwrap(), want, "spelling {i}");
        }
    }

    /// Shapes the catalogue does not cover: (edit of matrix M, message).
    #[test]
    fn wrong_shapes_are_named_in_plain_words() {
        let table = [
            ("name = \"spec-m\"", "name = 5", "m.toml:3:8: expected a string, found the number `5`"),
            ("description = \"Matrix M from the pricing model's worked examples (illustrative, not real list prices)\"", "description = [\"x\"]", "m.toml:6:15: expected a string, found a list"),
            ("list_price = \"1.00\"", "list_price = true", "m.toml:9:14: expected a decimal written as a string, e.g. \"1.10\", found `true`"),
            ("[[use_cases]]\nid = \"hot\"\n\n[[use_cases]]\nid = \"archive\"\n", "", "m.toml:1:1: missing field `use_cases`"),
            ("\n[[meters]]", "use_cases = \"hot\"\n[[meters]]", "m.toml:10:13: expected a list of tables, found the string \"hot\""),
            ("[[use_cases]]\nid = \"archive\"\n", "[[use_cases]]\nname = \"archive\"\n", "m.toml:44:1: unknown field `name`, expected `id`"),
            ("[multipliers]\n", "[multipliers]\nx = \"1\"\n", "m.toml:47:5: expected a table, found the string \"1\""),
            ("on-prem = { hot = \"1.00\", archive = \"not-offered\" }", "on-prem = { hot = 1.00, archive = \"not-offered\" }", "m.toml:47:19: number literal `1.00` where a decimal string belongs: write decimals as strings, e.g. \"1.10\""),
        ];
        let no_use_cases = SPEC_M.replace(
            "[[use_cases]]\nid = \"hot\"\n\n[[use_cases]]\nid = \"archive\"\n",
            "",
        );
        for (from, to, want) in table {
            // The use-case edits write `use_cases` at the top instead of its sections.
            let base = if to.starts_with("use_cases") {
                &no_use_cases
            } else {
                SPEC_M
            };
            let text = base.replacen(from, to, 1);
            assert_ne!(text, SPEC_M, "{from:?} did not apply");
            assert_eq!(
                parse_matrix(&text, "m.toml").unwrap_err().to_string(),
                want,
                "{to:?}"
            );
        }
    }

    #[test]
    fn round_trips() {
        let mut variants = vec![parse_matrix(SPEC_M, "spec-m.toml").unwrap()];
        let mut m = variants[0].clone();
        m.rounding = RoundingMode::HalfEven;
        m.currency = Currency::from_code("JPY").unwrap();
        m.description = "quotes \" and \\ and\nnewlines".into();
        m.name = "odd name with spaces".into();
        variants.push(m.clone());
        m.use_cases.push(UseCase {
            id: "cold_2".into(),
        });
        m.multipliers = vec![
            Some(Ratio("0.001".parse().unwrap())),
            None,
            None,
            None,
            Some(Ratio(Decimal::ONE)),
            None,
            None,
            None,
            Some(Ratio("2.50".parse().unwrap())),
        ];
        variants.push(m);
        for m in variants {
            validate(&m, "built").unwrap();
            let text = to_toml(&m);
            assert_eq!(parse_matrix(&text, "written").unwrap(), m, "{text}");
        }
    }

    #[test]
    fn validate_rules() {
        let base = parse_matrix(SPEC_M, "spec-m.toml").unwrap();
        // (mutation, expected message)
        type Mutation = fn(&mut Matrix);
        let table: Vec<(Mutation, &str)> = vec![
            (|m| m.list_price = Price(Decimal::ZERO), "e: list price must be greater than 0, got `0`"),
            (|m| m.meters[1].id = "capacity".into(), "e: duplicate meter id `capacity`"),
            (|m| m.environments.clear(), "e: at least one environment is required"),
            (|m| m.use_cases[0].id = "a b".into(), "e: use case id `a b` must be 1 to 64 ASCII letters, digits, `-` or `_`"),
            (|m| m.multipliers.pop().map(|_| ()).unwrap_or(()), "e: the multiplier grid has 5 entries; 3 environments × 2 use cases need 6"),
            (
                |m| m.multipliers[0] = Some(Ratio("-1".parse().unwrap())),
                "e: multiplier for `on-prem`/`hot` must be greater than 0 (or \"not-offered\"), got `-1`",
            ),
            (
                |m| m.currency = Currency { code: "XYZ".into(), minor_units: 2 },
                "e: unknown currency `XYZ` (expected an ISO 4217 code such as \"USD\")",
            ),
            (
                |m| m.environments[1].marketplace.as_mut().unwrap().tiers[0].rate = Ratio(Decimal::ONE),
                "e: environment `aws`: marketplace fee rate must be in [0, 1), got `1`",
            ),
            (|m| m.version = String::new(), "e: the matrix version must not be empty"),
        ];
        for (mutate, want) in table {
            let mut m = base.clone();
            mutate(&mut m);
            assert_eq!(validate(&m, "e").unwrap_err().to_string(), want);
        }
    }
}
