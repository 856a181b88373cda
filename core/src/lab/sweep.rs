//! The sensitivity sweep: one model parameter moved across a range, the
//! deal priced at each value, so product sees revenue against it with the
//! current value marked.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::error::{Error, Origin, Result};
use crate::matrix::Matrix;
use crate::matrix_toml::{edit_grid, validate, GridCell};
use crate::num::{Money, Price, Ratio};
use crate::offer::{DealTerms, Offer, OfferKind};
use crate::quote;
use crate::usage::UsageSeries;

/// At most this many points in one sweep.
pub const MAX_POINTS: usize = 101;

/// The parameter a sweep moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "parameter")]
pub enum Parameter {
    /// The multiplier of an environment and use case (`multiplier:azure/hot`).
    Multiplier {
        /// Environment id.
        environment: String,
        /// Use case id.
        use_case: String,
    },
    /// A meter's base rate (`base-rate:capacity`).
    BaseRate {
        /// Meter id.
        meter: String,
    },
    /// The list price (`list-price`).
    ListPrice,
    /// Every fixed-capacity offer's tolerance band (`tolerance-band`).
    ToleranceBand,
    /// Every fixed-capacity offer's grace hours (`grace-hours`).
    GraceHours,
}

impl FromStr for Parameter {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Parameter, String> {
        let s = s.trim();
        match s.split_once(':') {
            Some(("multiplier", cell)) => match cell.split_once('/') {
                Some((e, u)) if !e.is_empty() && !u.is_empty() => Ok(Parameter::Multiplier {
                    environment: e.to_string(),
                    use_case: u.to_string(),
                }),
                _ => Err(format!(
                    "`{s}`: a multiplier is named environment/use_case, e.g. `multiplier:azure/hot`"
                )),
            },
            Some(("base-rate", meter)) if !meter.is_empty() => Ok(Parameter::BaseRate {
                meter: meter.to_string(),
            }),
            None if s == "list-price" => Ok(Parameter::ListPrice),
            None if s == "tolerance-band" => Ok(Parameter::ToleranceBand),
            None if s == "grace-hours" => Ok(Parameter::GraceHours),
            _ => Err(format!(
                "`{s}` is not a parameter to sweep: use multiplier:ENV/USE_CASE, base-rate:METER, list-price, tolerance-band or grace-hours"
            )),
        }
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parameter::Multiplier {
                environment,
                use_case,
            } => write!(f, "multiplier:{environment}/{use_case}"),
            Parameter::BaseRate { meter } => write!(f, "base-rate:{meter}"),
            Parameter::ListPrice => f.write_str("list-price"),
            Parameter::ToleranceBand => f.write_str("tolerance-band"),
            Parameter::GraceHours => f.write_str("grace-hours"),
        }
    }
}

/// One value of the parameter and what the deal brings at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// The parameter's value.
    pub value: Decimal,
    /// Per offer, in the deal's order: the total contract value.
    pub totals: Vec<Money>,
    /// Per offer: net revenue.
    pub net_revenue: Vec<Money>,
}

/// A whole sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sweep {
    /// What moved.
    pub parameter: String,
    /// Its value in the deal and matrix as they are (`None` when no offer
    /// has it, e.g. a tolerance band without a fixed-capacity offer).
    pub current: Option<Decimal>,
    /// The offers' names.
    pub offers: Vec<String>,
    /// One point per value, in the order given.
    pub points: Vec<Point>,
}

/// `n` values evenly spaced from `from` to `to` (both included), each
/// rounded half-even to two places more than the finer of the two ends.
///
/// ```
/// use unitcalc_core::lab::sweep::evenly;
/// let v: Vec<String> = evenly("1.0".parse().unwrap(), "1.6".parse().unwrap(), 4).unwrap()
///     .iter().map(|d| d.to_string()).collect();
/// assert_eq!(v, ["1.0", "1.2", "1.4", "1.6"]);
/// let thirds: Vec<String> = evenly("0".parse().unwrap(), "1".parse().unwrap(), 4).unwrap()
///     .iter().map(|d| d.to_string()).collect();
/// assert_eq!(thirds, ["0", "0.33", "0.67", "1"]);
/// ```
pub fn evenly(from: Decimal, to: Decimal, n: usize) -> Result<Vec<Decimal>> {
    if !(2..=MAX_POINTS).contains(&n) {
        return Err(sweep_error(format!(
            "{n} points: a sweep has 2 to {MAX_POINTS}"
        )));
    }
    let scale = from.scale().max(to.scale()).saturating_add(2);
    let span = to
        .checked_sub(from)
        .ok_or_else(|| sweep_error("the range is too wide".into()))?;
    let last = Decimal::from(n.saturating_sub(1) as u64);
    (0..n)
        .map(|i| {
            span.checked_mul(Decimal::from(i as u64))
                .and_then(|x| x.checked_div(last))
                .and_then(|x| from.checked_add(x))
                .map(|x| x.round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven))
                .ok_or_else(|| sweep_error("the range is too wide".into()))
        })
        .collect()
}

fn sweep_error(message: String) -> Error {
    Error::Invalid {
        at: Origin::file("sweep"),
        message,
    }
}

/// Prices the deal at every value of `parameter`, each value checked by the
/// rules of the format that holds it (a matrix value by the matrix rules, an
/// offer's by the deal's).
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, lab::sweep, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let p = "multiplier:azure/hot".parse().unwrap();
/// let values = ["1.25".parse().unwrap(), "1.40".parse().unwrap()];
/// let s = sweep::sweep(&m, &deal.terms, &deal.offers, &usage, &p, &values).unwrap();
/// assert_eq!(s.current.unwrap().to_string(), "1.25");
/// assert_eq!(s.points[0].totals[0].to_string(), "480002.10"); // worked example C
/// assert_eq!(s.points[1].totals[0].to_string(), "480002.35");
/// ```
pub fn sweep(
    matrix: &Matrix,
    terms: &DealTerms,
    offers: &[Offer],
    usage: &UsageSeries,
    parameter: &Parameter,
    values: &[Decimal],
) -> Result<Sweep> {
    if values.len() > MAX_POINTS {
        return Err(sweep_error(format!(
            "{} points: a sweep has at most {MAX_POINTS}",
            values.len()
        )));
    }
    let unknown = |what: &str, id: &str| sweep_error(format!("the matrix has no {what} `{id}`"));
    let grid = match parameter {
        Parameter::Multiplier {
            environment,
            use_case,
        } => Some(GridCell::Multiplier {
            environment: matrix
                .environment_index(environment)
                .ok_or_else(|| unknown("environment", environment))?,
            use_case: matrix
                .use_case_index(use_case)
                .ok_or_else(|| unknown("use case", use_case))?,
        }),
        Parameter::BaseRate { meter } => Some(GridCell::BaseRate {
            meter: matrix
                .meter_index(meter)
                .ok_or_else(|| unknown("meter", meter))?,
        }),
        _ => None,
    };
    let fixed = |o: &Offer| match &o.kind {
        OfferKind::FixedCapacity(f) => Some(f.overage),
        _ => None,
    };
    let current = match (parameter, grid) {
        (
            Parameter::Multiplier { .. },
            Some(GridCell::Multiplier {
                environment,
                use_case,
            }),
        ) => matrix.multiplier(environment, use_case).map(Ratio::get),
        (Parameter::BaseRate { .. }, Some(GridCell::BaseRate { meter })) => matrix
            .meters
            .get(usize::from(meter))
            .map(|m| m.base_rate.get()),
        (Parameter::ListPrice, _) => Some(matrix.list_price.get()),
        (Parameter::ToleranceBand, _) => offers.iter().find_map(fixed).map(|p| p.tolerance.get()),
        (Parameter::GraceHours, _) => offers
            .iter()
            .find_map(fixed)
            .map(|p| Decimal::from(p.grace_hours)),
        _ => None,
    };
    let mut points = Vec::with_capacity(values.len());
    for &value in values {
        let (m, o) = at_value(matrix, offers, parameter, grid, value)?;
        let q = quote::quote(&m, terms, &o, usage)?;
        points.push(Point {
            value,
            totals: q.comparison.bills.iter().map(|b| b.total).collect(),
            net_revenue: q.comparison.bills.iter().map(|b| b.net_revenue).collect(),
        });
    }
    Ok(Sweep {
        parameter: parameter.to_string(),
        current,
        offers: offers.iter().map(|o| o.name.clone()).collect(),
        points,
    })
}

/// The matrix and offers with the parameter set to `value`, checked.
fn at_value(
    matrix: &Matrix,
    offers: &[Offer],
    parameter: &Parameter,
    grid: Option<GridCell>,
    value: Decimal,
) -> Result<(Matrix, Vec<Offer>)> {
    if let Some(cell) = grid {
        return Ok((
            edit_grid(matrix, cell, &value.to_string())?,
            offers.to_vec(),
        ));
    }
    let mut m = matrix.clone();
    let mut o = offers.to_vec();
    match parameter {
        Parameter::ListPrice => {
            m.list_price = Price(value);
            validate(&m, "sweep")?;
        }
        Parameter::ToleranceBand | Parameter::GraceHours => {
            let grace = if *parameter == Parameter::GraceHours {
                let whole = value.normalize();
                let g = (whole.scale() == 0)
                    .then(|| u32::try_from(whole.mantissa()).ok())
                    .flatten();
                Some(g.ok_or_else(|| {
                    sweep_error(format!(
                        "grace hours must be a whole number 0 or more, got `{value}`"
                    ))
                })?)
            } else if value < Decimal::ZERO {
                return Err(sweep_error(format!(
                    "tolerance band must be 0 or more, got `{value}`"
                )));
            } else {
                None
            };
            for offer in &mut o {
                if let OfferKind::FixedCapacity(f) = &mut offer.kind {
                    match grace {
                        Some(g) => f.overage.grace_hours = g,
                        None => f.overage.tolerance = Ratio(value),
                    }
                }
            }
        }
        _ => {}
    }
    Ok((m, o))
}

/// The columns of [`to_csv`].
pub const CSV_COLUMNS: [&str; 6] = [
    "parameter",
    "value",
    "is_current",
    "offer",
    "total",
    "net_revenue",
];

/// A sweep as a tidy CSV: one row per value and offer.
pub fn to_csv(s: &Sweep) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    let text = |t: &str| crate::bill_csv::text_field(t).into_owned();
    for p in &s.points {
        let current = s.current.is_some_and(|c| c == p.value);
        for ((offer, total), net) in s.offers.iter().zip(&p.totals).zip(&p.net_revenue) {
            let fields = [
                text(&s.parameter),
                p.value.to_string(),
                current.to_string(),
                text(offer),
                total.to_string(),
                net.to_string(),
            ];
            crate::bill_csv::push_row(&mut out, &fields);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::{DealSpec, FieldLabels};

    /// Worked example C's deal (12 months; March has 72 tolerated and 28
    /// charged hours, 2.10) swept one value at a time: the first offer's
    /// total, or the error.
    #[test]
    fn one_value_of_each_parameter() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
        let usage = quote::usage_of::<Error>(&deal, |_| unreachable!()).unwrap();
        let cases = [
            ("multiplier:azure/hot", "1.25", "480002.10"),
            (
                "multiplier:azure/hot",
                "0",
                "multiplier for `azure`/`hot` must be greater than 0",
            ),
            (
                "multiplier:oci/hot",
                "1",
                "the matrix has no environment `oci`",
            ),
            ("base-rate:capacity", "0.003", "480004.20"),
            ("list-price", "1.10", "480002.31"),
            ("list-price", "0", "list price must be greater than 0"),
            ("grace-hours", "100", "480000.00"),
            (
                "grace-hours",
                "1.5",
                "grace hours must be a whole number 0 or more, got `1.5`",
            ),
            (
                "tolerance-band",
                "-0.1",
                "tolerance band must be 0 or more, got `-0.1`",
            ),
        ];
        for (param, value, want) in cases {
            let p: Parameter = param.parse().unwrap();
            let got = match sweep(
                &m,
                &deal.terms,
                &deal.offers,
                &usage,
                &p,
                &[value.parse().unwrap()],
            ) {
                Ok(s) => s.points[0].totals[0].to_string(),
                Err(e) => e.to_string(),
            };
            assert!(
                got.contains(want),
                "{param} = {value}: got {got}, want {want}"
            );
        }
    }

    #[test]
    fn parameter_names() {
        for (text, ok) in [
            ("multiplier:azure/hot", true),
            ("base-rate:capacity", true),
            ("list-price", true),
            ("tolerance-band", true),
            ("grace-hours", true),
            ("multiplier:azure", false),
            ("discount", false),
        ] {
            let p = text.parse::<Parameter>();
            assert_eq!(p.is_ok(), ok, "{text}: {p:?}");
            if let Ok(p) = p {
                assert_eq!(p.to_string(), text);
            }
        }
    }
}
