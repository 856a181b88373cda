//! Pricing the same usage under several offers, with the differences.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::bill::{Bill, LineKind};
use crate::engine;
use crate::error::{Error, Result};
use crate::matrix::Matrix;
use crate::num::{Money, Price};
use crate::offer::{DealTerms, Offer};
use crate::usage::UsageSeries;

/// One period's total under one offer and its difference from the first offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodDelta {
    /// `YYYY-MM`.
    pub label: String,
    /// This offer's period total.
    pub total: Money,
    /// This total minus the first offer's.
    pub delta: Money,
}

/// One offer's headline figures and their differences from the first offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// Offer name.
    pub offer: String,
    /// Offer kind.
    pub offer_kind: String,
    /// Total contract value.
    pub total: Money,
    /// Total minus the first offer's total.
    pub delta_total: Money,
    /// Marketplace fee.
    pub marketplace_fee: Money,
    /// Net revenue.
    pub net_revenue: Money,
    /// Net revenue minus the first offer's.
    pub delta_net_revenue: Money,
    /// Σ overage lines.
    pub overage: Money,
    /// Total ÷ units consumed (28 significant digits; display only), when
    /// any units were consumed.
    pub effective_price_per_unit: Option<Price>,
    /// Per period.
    pub periods: Vec<PeriodDelta>,
}

/// Bills for several offers over the same usage, and their differences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// One bill per offer, in the order given.
    pub bills: Vec<Bill>,
    /// One row per offer; differences are against the first offer.
    pub rows: Vec<ComparisonRow>,
}

/// Prices `usage` under every offer and compares them against the first.
///
/// ```
/// use unitcalc_core::{compare::compare, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(m.cell("capacity", "azure", "hot").unwrap(), vec!["200".parse().unwrap(); term.hours()]);
/// let list = Offer { name: "List".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo::default()) };
/// let disc = Offer { name: "20% off".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.2".parse().unwrap() }) };
/// let c = compare(&m, &DealTerms { term, channel: Channel::Direct }, &[list, disc], &usage).unwrap();
/// assert_eq!(c.rows[1].delta_total.to_string(), "-55.80"); // 223.20 − 279.00
/// ```
pub fn compare(
    matrix: &Matrix,
    terms: &DealTerms,
    offers: &[Offer],
    usage: &UsageSeries,
) -> Result<Comparison> {
    let bills = offers
        .iter()
        .map(|o| engine::price(matrix, terms, o, usage))
        .collect::<Result<Vec<_>>>()?;
    comparison_of(bills)
}

/// Compares bills already priced over the same usage and term.
pub fn comparison_of(bills: Vec<Bill>) -> Result<Comparison> {
    let Some(first) = bills.first() else {
        return Err(Error::Offer {
            offer: String::new(),
            message: "nothing to compare: no offers".into(),
        });
    };
    for (i, b) in bills.iter().enumerate() {
        if bills.iter().take(i).any(|o| o.offer == b.offer) {
            return Err(Error::Offer {
                offer: b.offer.clone(),
                message: "two offers have this name".into(),
            });
        }
    }
    let mut rows = Vec::with_capacity(bills.len());
    for b in &bills {
        let mut overage = Money::ZERO;
        for l in b
            .periods
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| l.kind == LineKind::Overage)
        {
            overage = overage.checked_add(l.amount)?;
        }
        let periods = b
            .periods
            .iter()
            .zip(&first.periods)
            .map(|(p, f)| {
                Ok(PeriodDelta {
                    label: p.label.clone(),
                    total: p.total,
                    delta: p.total.checked_sub(f.total)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let units = b.units_consumed.get();
        rows.push(ComparisonRow {
            offer: b.offer.clone(),
            offer_kind: b.offer_kind.clone(),
            total: b.total,
            delta_total: b.total.checked_sub(first.total)?,
            marketplace_fee: b.marketplace_fee,
            net_revenue: b.net_revenue,
            delta_net_revenue: b.net_revenue.checked_sub(first.net_revenue)?,
            overage,
            effective_price_per_unit: (units > Decimal::ZERO)
                .then(|| b.total.get().checked_div(units).map(Price))
                .flatten(),
            periods,
        });
    }
    Ok(Comparison { bills, rows })
}
