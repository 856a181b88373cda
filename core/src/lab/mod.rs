//! The unit-model lab: one deal's offers priced under several unit models
//! (matrices) over the same usage, side by side, with the differences
//! against the first model.
//!
//! The deal (its offers' entitlements and its usage) is written in the first
//! model's cells; every other model takes the same cells **by name**
//! (meter, environment, use case). A model that lacks a used cell, or does
//! not offer it, or has no marketplace fee for the deal's channel, gets a
//! column that says so ("not offered here", with the cell) and the other
//! columns stand.

use serde::Serialize;

pub mod book;
pub mod sweep;

use crate::error::{Error, Result};
use crate::kpi::PricePerQuantityMonth;
use crate::matrix::{CellId, CellMap, CellName, Matrix};
use crate::num::{Money, Price, Units};
use crate::offer::{DealTerms, Offer, OfferKind};
use crate::quote;
use crate::usage::UsageSeries;

/// At most this many models side by side (the browser's grid and links).
pub const MAX_MODELS: usize = 4;

/// A unit model: a matrix under a name people chose (`spec-m v1`,
/// `spec-m v1 (edited)`, `candidate`).
#[derive(Debug, Clone, Copy)]
pub struct Model<'a> {
    /// The name shown on the column.
    pub name: &'a str,
    /// The matrix.
    pub matrix: &'a Matrix,
}

/// One offer under one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelFigures {
    /// Offer name.
    pub offer: String,
    /// Total contract value.
    pub total: Money,
    /// Net revenue (after the marketplace fee).
    pub net_revenue: Money,
    /// Units consumed over the term.
    pub units_consumed: Units,
    /// Total ÷ units consumed (28 significant digits; display only).
    pub effective_price_per_unit: Option<Price>,
    /// The price per TB-month, when any TB was held.
    pub per_tb_month: Option<PricePerQuantityMonth>,
    /// Total minus the same offer's total under the first model (`None`
    /// when the first model could not price it).
    pub delta_total: Option<Money>,
    /// Net revenue minus the first model's.
    pub delta_net_revenue: Option<Money>,
}

/// Why a model could not price the deal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NotPriced {
    /// The cell the model does not offer, when that is the reason.
    pub cell: Option<CellName>,
    /// The reason in plain words.
    pub reason: String,
}

/// One model's column: every offer's figures, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelColumn {
    /// The model's name.
    pub model: String,
    /// The matrix's own name and version.
    pub matrix: String,
    /// The figures per offer in the deal's order, or why there are none.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A column's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Priced: one entry per offer.
    Priced {
        /// Per offer.
        offers: Vec<ModelFigures>,
    },
    /// Not priced under this model.
    NotPriced(NotPriced),
}

/// The first of `models` (the one the others are compared with), or why
/// they cannot be priced side by side: none, or more than [`MAX_MODELS`].
pub(crate) fn first_model<'m, 'a>(models: &'m [Model<'a>]) -> Result<&'m Model<'a>> {
    let Some(first) = models.first() else {
        return Err(Error::Offer {
            offer: String::new(),
            message: "no unit model to price under".into(),
        });
    };
    if models.len() > MAX_MODELS {
        return Err(Error::Offer {
            offer: String::new(),
            message: format!(
                "{} unit models; at most {MAX_MODELS} side by side",
                models.len()
            ),
        });
    }
    Ok(first)
}

/// Prices `offers` over `usage` (both in `models[0]`'s cells) under every
/// model. Errors only when the first model itself cannot price the deal or
/// when there are no models or more than [`MAX_MODELS`].
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, lab, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let mut raised = m.clone();
/// let (env, uc) = (raised.environment_index("azure").unwrap(), raised.use_case_index("hot").unwrap());
/// raised.multipliers[usize::from(env) * raised.use_cases.len() + usize::from(uc)] = Some("1.40".parse().unwrap());
/// let models = [lab::Model { name: "spec-m", matrix: &m }, lab::Model { name: "azure/hot 1.40", matrix: &raised }];
/// let cols = lab::quote_models(&models, &deal.terms, &deal.offers, &usage).unwrap();
/// // Worked example C over the example's 12 months: March's 28 charged hours
/// // cost 2.10 at spec-m's azure/hot multiplier 1.25, 2.352 → 2.35 at 1.40.
/// let lab::Outcome::Priced { offers } = &cols[0].outcome else { panic!() };
/// assert_eq!(offers[0].total.to_string(), "480002.10");
/// let lab::Outcome::Priced { offers } = &cols[1].outcome else { panic!() };
/// assert_eq!(offers[0].delta_total.unwrap().to_string(), "0.25");
/// ```
pub fn quote_models(
    models: &[Model<'_>],
    terms: &DealTerms,
    offers: &[Offer],
    usage: &UsageSeries,
) -> Result<Vec<ModelColumn>> {
    let first = first_model(models)?;
    let base = figures(first.matrix, terms, offers, usage)?;
    let mut out = Vec::with_capacity(models.len());
    for (i, m) in models.iter().enumerate() {
        let outcome = if i == 0 {
            Ok(base.clone())
        } else {
            translate(first.matrix, m.matrix, offers, usage).and_then(|(o, u)| {
                figures(m.matrix, terms, &o, &u).map_err(|e| NotPriced {
                    cell: None,
                    reason: e.to_string(),
                })
            })
        };
        let outcome = match outcome {
            Ok(mut figs) => {
                for (f, b) in figs.iter_mut().zip(&base) {
                    f.delta_total = f.total.checked_sub(b.total).ok();
                    f.delta_net_revenue = f.net_revenue.checked_sub(b.net_revenue).ok();
                }
                Outcome::Priced { offers: figs }
            }
            Err(n) => Outcome::NotPriced(n),
        };
        out.push(ModelColumn {
            model: m.name.to_string(),
            matrix: format!("{} {}", m.matrix.name, m.matrix.version),
            outcome,
        });
    }
    Ok(out)
}

/// The columns of [`to_csv`].
pub const CSV_COLUMNS: [&str; 12] = [
    "model",
    "matrix",
    "offer",
    "total",
    "delta_total",
    "net_revenue",
    "delta_net_revenue",
    "units_consumed",
    "effective_price_per_unit",
    "price_per_tb_month",
    "not_offered_cell",
    "not_priced",
];

/// The grid as a tidy CSV: one row per model and offer (one row per model
/// that could not price, with the reason); text fields neutralised against
/// spreadsheet formulas.
pub fn to_csv(columns: &[ModelColumn]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    let text = |t: &str| crate::bill_csv::text_field(t).into_owned();
    let opt = |v: Option<String>| v.unwrap_or_default();
    for c in columns {
        match &c.outcome {
            Outcome::Priced { offers } => {
                for f in offers {
                    let fields = [
                        text(&c.model),
                        text(&c.matrix),
                        text(&f.offer),
                        f.total.to_string(),
                        opt(f.delta_total.map(|m| m.to_string())),
                        f.net_revenue.to_string(),
                        opt(f.delta_net_revenue.map(|m| m.to_string())),
                        f.units_consumed.to_string(),
                        opt(f.effective_price_per_unit.map(|p| p.to_string())),
                        opt(f.per_tb_month.as_ref().map(|p| p.price.to_string())),
                        String::new(),
                        String::new(),
                    ];
                    crate::bill_csv::push_row(&mut out, &fields);
                }
            }
            Outcome::NotPriced(n) => {
                let mut fields: Vec<String> = vec![text(&c.model), text(&c.matrix)];
                fields.extend(std::iter::repeat_n(String::new(), 8));
                fields.push(
                    n.cell
                        .as_ref()
                        .map(|c| text(&c.to_string()))
                        .unwrap_or_default(),
                );
                fields.push(text(&n.reason));
                crate::bill_csv::push_row(&mut out, &fields);
            }
        }
    }
    out
}

fn figures(
    matrix: &Matrix,
    terms: &DealTerms,
    offers: &[Offer],
    usage: &UsageSeries,
) -> Result<Vec<ModelFigures>> {
    let q = quote::quote(matrix, terms, offers, usage)?;
    Ok(q.comparison
        .bills
        .iter()
        .zip(&q.comparison.rows)
        .zip(q.per_tb_month)
        .map(|((b, r), tb)| ModelFigures {
            offer: b.offer.clone(),
            total: b.total,
            net_revenue: b.net_revenue,
            units_consumed: b.units_consumed,
            effective_price_per_unit: r.effective_price_per_unit,
            per_tb_month: tb,
            delta_total: Some(Money::ZERO),
            delta_net_revenue: Some(Money::ZERO),
        })
        .collect())
}

/// The cell of `from` with the same names in `to`, if `to` has and offers it.
///
/// ```
/// use unitcalc_core::{bundled, lab::same_cell};
/// let spec = bundled::matrix("spec-m").unwrap();
/// let c = spec.cell("capacity", "azure", "hot").unwrap();
/// assert_eq!(same_cell(&spec, &spec, c).unwrap(), c);
/// let mut other = spec.clone();
/// other.environments.retain(|e| e.id != "azure");
/// assert_eq!(same_cell(&spec, &other, c).unwrap_err().reason,
///     "not offered here: capacity/azure/hot (this model has no environment `azure`)");
/// ```
pub fn same_cell(
    from: &Matrix,
    to: &Matrix,
    cell: CellId,
) -> std::result::Result<CellId, NotPriced> {
    offered(from, to, CellMap::new(from, Some(to)).get(cell), cell)
}

/// `mapped`, the cell `cell` of `from` in `to` ([`CellMap::get`]), when `to`
/// offers it; otherwise why not.
fn offered(
    from: &Matrix,
    to: &Matrix,
    mapped: std::result::Result<CellId, (&'static str, &str)>,
    cell: CellId,
) -> std::result::Result<CellId, NotPriced> {
    let n = || from.cell_name(cell);
    match mapped {
        Ok(c) if to.cell_rate(c).is_some() => Ok(c),
        Ok(_) => Err(NotPriced {
            reason: format!("not offered here: {}", n()),
            cell: Some(n()),
        }),
        Err((what, value)) => Err(NotPriced {
            reason: format!(
                "not offered here: {} (this model has no {what} `{value}`)",
                n()
            ),
            cell: Some(n()),
        }),
    }
}

/// The deal's offers and usage in `to`'s cells, by name.
fn translate(
    from: &Matrix,
    to: &Matrix,
    offers: &[Offer],
    usage: &UsageSeries,
) -> std::result::Result<(Vec<Offer>, UsageSeries), NotPriced> {
    let map = CellMap::new(from, Some(to));
    let out = translate_offers(from, to, offers)?;
    let u = usage.map_cells(|c| offered(from, to, map.get(c), c))?;
    Ok((out, u))
}

/// The offers (their entitlements) in `to`'s cells, by name.
fn translate_offers(
    from: &Matrix,
    to: &Matrix,
    offers: &[Offer],
) -> std::result::Result<Vec<Offer>, NotPriced> {
    let map = CellMap::new(from, Some(to));
    let mut out = offers.to_vec();
    for o in &mut out {
        if let OfferKind::FixedCapacity(f) = &mut o.kind {
            for e in &mut f.entitlements {
                e.cell = offered(from, to, map.get(e.cell), e.cell)?;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::{DealSpec, FieldLabels};

    fn with_multiplier(m: &Matrix, env: &str, uc: &str, v: Option<&str>) -> Matrix {
        let mut m = m.clone();
        let (e, u) = (
            m.environment_index(env).unwrap(),
            m.use_case_index(uc).unwrap(),
        );
        let i = usize::from(e) * m.use_cases.len() + usize::from(u);
        m.multipliers[i] = v.map(|v| v.parse().unwrap());
        m
    }

    /// Each model variant of worked example C's deal and what its column says.
    #[test]
    fn columns_price_or_say_why_not() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
        let usage = quote::usage_of::<Error>(&deal, |_| unreachable!()).unwrap();
        let mut no_azure = m.clone();
        no_azure.environments.retain(|e| e.id != "azure");
        let cases: Vec<(&str, Matrix, &str)> = vec![
            ("the same matrix", m.clone(), "delta 0.00"),
            (
                "azure/hot raised to 1.40",
                with_multiplier(&m, "azure", "hot", Some("1.40")),
                "delta 0.25",
            ),
            (
                "azure/hot not offered",
                with_multiplier(&m, "azure", "hot", None),
                "not offered here: capacity/azure/hot",
            ),
            (
                "no azure environment",
                no_azure,
                "not offered here: capacity/azure/hot (this model has no environment `azure`)",
            ),
        ];
        for (name, matrix, want) in &cases {
            let models = [
                Model {
                    name: "spec-m",
                    matrix: &m,
                },
                Model { name, matrix },
            ];
            let cols = quote_models(&models, &deal.terms, &deal.offers, &usage).unwrap();
            let got = match &cols[1].outcome {
                Outcome::Priced { offers } => format!("delta {}", offers[0].delta_total.unwrap()),
                Outcome::NotPriced(n) => n.reason.clone(),
            };
            assert_eq!(&got, want, "{name}");
            assert!(
                matches!(cols[0].outcome, Outcome::Priced { .. }),
                "{name}: the first column stands"
            );
        }
    }

    #[test]
    fn at_most_four_models_and_at_least_one() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
        let usage = quote::usage_of::<Error>(&deal, |_| unreachable!()).unwrap();
        let five = [Model {
            name: "m",
            matrix: &m,
        }; 5];
        let err = quote_models(&five, &deal.terms, &deal.offers, &usage).unwrap_err();
        assert!(
            err.to_string()
                .contains("5 unit models; at most 4 side by side"),
            "{err}"
        );
        assert!(quote_models(&[], &deal.terms, &deal.offers, &usage).is_err());
    }
}
