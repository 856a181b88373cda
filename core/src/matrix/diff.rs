//! What changed between two price books: the matrix facts, meters and base
//! rates, environments and use cases added or removed, and every multiplier
//! cell whose value changed or that became (not) offered, with the change
//! as an exact ratio rounded once ([`CHANGE_SCALE`], half-even). Product
//! reads it before a candidate unit model is published; the CLI writes it
//! as `unitcalc matrix diff A.toml B.toml`.
//!
//! Cells, meters, environments and use cases are matched by id, so a
//! candidate may reorder or add them.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::num::{self, Ratio, RoundingMode};

use super::Matrix;

/// Decimal places of a relative change (`0.2500` = +25 %), rounded half-even.
pub const CHANGE_SCALE: u32 = 4;

/// What happened to one thing between the two matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Only in the new matrix.
    Added,
    /// Only in the old matrix.
    Removed,
    /// In both, with another value.
    Changed,
    /// Offered in the new matrix only (not offered or absent before).
    NowOffered,
    /// Offered in the old matrix only (not offered or absent now).
    NoLongerOffered,
}

impl Change {
    /// The change's name, as the JSON and CSV write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::NowOffered => "now-offered",
            Change::NoLongerOffered => "no-longer-offered",
        }
    }
}

/// One difference: what (`list_price`, `meter capacity`, `cell
/// azure/hot`, …), its old and new values as written in TOML (empty when
/// absent; `not-offered`), and for a changed number its relative change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `fact`, `meter`, `environment`, `use-case` or `cell`.
    pub kind: &'static str,
    /// The fact's key, or the id (`azure/hot` for a cell).
    pub id: String,
    /// The change.
    pub change: Change,
    /// Old value as written (empty when absent).
    pub old: String,
    /// New value as written (empty when absent).
    pub new: String,
    /// (new − old) ÷ old, rounded half-even to [`CHANGE_SCALE`], when both
    /// are numbers and old is not zero.
    pub relative: Option<Ratio>,
}

/// The differences between two matrices, in a fixed order: facts, meters,
/// environments, use cases, then cells (environment-major, in the old
/// matrix's order, new ids after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixDiff {
    /// `name version` of the old matrix.
    pub old: String,
    /// `name version` of the new matrix.
    pub new: String,
    /// Every difference; empty when the price books are the same.
    pub differences: Vec<Difference>,
}

/// Compares `old` with `new`.
///
/// ```
/// use unitcalc_core::{bundled, matrix::diff::{diff, Change}};
/// let a = bundled::matrix("illustrative").unwrap();
/// let b = bundled::matrix("illustrative-candidate").unwrap();
/// let d = diff(&a, &b).unwrap();
/// assert!(d.differences.iter().any(|x| x.kind == "cell" && x.change == Change::Changed));
/// assert!(diff(&a, &a).unwrap().differences.is_empty());
/// ```
pub fn diff(old: &Matrix, new: &Matrix) -> Result<MatrixDiff> {
    let mut out = Vec::new();
    let facts = [
        (
            "currency",
            old.currency.code.clone(),
            new.currency.code.clone(),
        ),
        (
            "rounding",
            old.rounding.as_str().to_string(),
            new.rounding.as_str().to_string(),
        ),
        (
            "effective",
            old.effective.to_string(),
            new.effective.to_string(),
        ),
        (
            "list_price",
            old.list_price.to_string(),
            new.list_price.to_string(),
        ),
    ];
    for (id, a, b) in facts {
        if a != b {
            out.push(difference("fact", id.to_string(), Change::Changed, a, b)?);
        }
    }
    // Meters: base rate (and unit) by id.
    let meter = |m: &Matrix, id: &str| {
        m.meters
            .iter()
            .find(|x| x.id == id)
            .map(|x| format!("{} per {}-hour", x.base_rate, x.unit))
    };
    let rate = |m: &Matrix, id: &str| {
        m.meters
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.base_rate.to_string())
    };
    for id in ids(&old.meters, &new.meters, |m| &m.id) {
        match (meter(old, &id), meter(new, &id)) {
            (Some(a), Some(b)) if a != b => {
                let mut d = difference("meter", id.clone(), Change::Changed, a, b)?;
                d.relative = relative(
                    &rate(old, &id).unwrap_or_default(),
                    &rate(new, &id).unwrap_or_default(),
                )?;
                out.push(d);
            }
            (Some(a), None) => {
                out.push(difference("meter", id, Change::Removed, a, String::new())?)
            }
            (None, Some(b)) => out.push(difference("meter", id, Change::Added, String::new(), b)?),
            _ => {}
        }
    }
    let envs = ids(&old.environments, &new.environments, |e| &e.id);
    let ucs = ids(&old.use_cases, &new.use_cases, |u| &u.id);
    added_removed(
        &mut out,
        "environment",
        &envs,
        |id| old.environment_index(id).is_some(),
        |id| new.environment_index(id).is_some(),
    )?;
    added_removed(
        &mut out,
        "use-case",
        &ucs,
        |id| old.use_case_index(id).is_some(),
        |id| new.use_case_index(id).is_some(),
    )?;
    for e in &envs {
        for u in &ucs {
            let (a, b) = (multiplier(old, e, u), multiplier(new, e, u));
            let change = match (a, b) {
                (Some(x), Some(y)) if x == y => continue,
                (Some(_), Some(_)) => Change::Changed,
                (None, Some(_)) => Change::NowOffered,
                (Some(_), None) => Change::NoLongerOffered,
                (None, None) => continue,
            };
            let text = |r: Option<Ratio>, m: &Matrix| match r {
                Some(r) => r.to_string(),
                None if m.environment_index(e).is_some() && m.use_case_index(u).is_some() => {
                    "not-offered".to_string()
                }
                None => String::new(),
            };
            out.push(difference(
                "cell",
                format!("{e}/{u}"),
                change,
                text(a, old),
                text(b, new),
            )?);
        }
    }
    Ok(MatrixDiff {
        old: format!("{} {}", old.name, old.version),
        new: format!("{} {}", new.name, new.version),
        differences: out,
    })
}

/// Ids of both lists: the old list's order, then ids only in the new one.
fn ids<T>(old: &[T], new: &[T], id: impl Fn(&T) -> &String) -> Vec<String> {
    let mut all: Vec<String> = old.iter().map(|x| id(x).clone()).collect();
    for x in new {
        if !all.contains(id(x)) {
            all.push(id(x).clone());
        }
    }
    all
}

fn added_removed(
    out: &mut Vec<Difference>,
    kind: &'static str,
    ids: &[String],
    in_old: impl Fn(&str) -> bool,
    in_new: impl Fn(&str) -> bool,
) -> Result<()> {
    for id in ids {
        let change = match (in_old(id), in_new(id)) {
            (true, false) => Change::Removed,
            (false, true) => Change::Added,
            _ => continue,
        };
        out.push(difference(
            kind,
            id.clone(),
            change,
            String::new(),
            String::new(),
        )?);
    }
    Ok(())
}

/// The multiplier of a cell by ids; `None` when not offered or absent.
fn multiplier(m: &Matrix, env: &str, uc: &str) -> Option<Ratio> {
    m.multiplier(m.environment_index(env)?, m.use_case_index(uc)?)
}

fn difference(
    kind: &'static str,
    id: String,
    change: Change,
    old: String,
    new: String,
) -> Result<Difference> {
    let relative = if change == Change::Changed {
        relative(&old, &new)?
    } else {
        None
    };
    Ok(Difference {
        kind,
        id,
        change,
        old,
        new,
        relative,
    })
}

/// (new − old) ÷ old at [`CHANGE_SCALE`], when both read as numbers and old ≠ 0.
fn relative(old: &str, new: &str) -> Result<Option<Ratio>> {
    let (Ok(a), Ok(b)) = (Decimal::from_str_exact(old), Decimal::from_str_exact(new)) else {
        return Ok(None);
    };
    if a.is_zero() {
        return Ok(None);
    }
    let overflow = |source| Error::Overflow {
        context: "matrix diff".to_string(),
        source,
    };
    let delta = num::sub(b, a, "matrix diff").map_err(overflow)?;
    let r = num::div_rounded(
        delta,
        a,
        CHANGE_SCALE,
        RoundingMode::HalfEven,
        "matrix diff",
    )
    .map_err(overflow)?;
    Ok(Some(Ratio(r)))
}

/// The differences as tidy CSV: `kind,id,change,old,new,relative`.
pub fn to_csv(d: &MatrixDiff) -> String {
    let mut out = String::from("kind,id,change,old,new,relative\n");
    for x in &d.differences {
        let fields = [
            x.kind.to_string(),
            crate::bill_csv::text_field(&x.id).into_owned(),
            x.change.as_str().to_string(),
            x.old.clone(),
            x.new.clone(),
            x.relative.map(|r| r.to_string()).unwrap_or_default(),
        ];
        crate::bill_csv::push_row(&mut out, &fields);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix_toml::parse_matrix;

    /// (edit of matrix M's TOML, expected differences as
    /// `kind id change old new relative`).
    #[test]
    fn differences_table() {
        let m = include_str!("../../../matrices/spec-m.toml");
        let old = parse_matrix(m, "old.toml").unwrap();
        let table: [(&str, &str, &[&str]); 5] = [
            (
                "list_price = \"1.00\"",
                "list_price = \"1.10\"",
                &["fact list_price changed 1.00 1.10 0.1000"],
            ),
            (
                "base_rate = \"0.0015\"",
                "base_rate = \"0.0012\"",
                &["meter capacity changed 0.0015 per TB-hour 0.0012 per TB-hour -0.2000"],
            ),
            (
                "azure = { hot = \"1.25\", archive = \"0.40\" }",
                "azure = { hot = \"1.25\", archive = \"not-offered\" }",
                &["cell azure/archive no-longer-offered 0.40 not-offered -"],
            ),
            (
                "on-prem = { hot = \"1.00\", archive = \"not-offered\" }",
                "on-prem = { hot = \"1.00\", archive = \"0.3\" }",
                &["cell on-prem/archive now-offered not-offered 0.3 -"],
            ),
            (
                "azure = { hot = \"1.25\"",
                "azure = { hot = \"1.5\"",
                &["cell azure/hot changed 1.25 1.5 0.2000"],
            ),
        ];
        for (from, to, want) in table {
            assert!(m.contains(from), "{from}");
            let new = parse_matrix(&m.replace(from, to), "new.toml").unwrap();
            let got: Vec<String> = diff(&old, &new)
                .unwrap()
                .differences
                .iter()
                .map(|d| {
                    let r = d.relative.map_or("-".to_string(), |r| r.to_string());
                    format!(
                        "{} {} {} {} {} {r}",
                        d.kind,
                        d.id,
                        d.change.as_str(),
                        d.old,
                        d.new
                    )
                })
                .collect();
            assert_eq!(got, want, "{to}");
        }
    }
}
