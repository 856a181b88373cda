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

/// What one period of a bill pays for, for a stacked bar: the fixed
/// payments (fees, installments, commitments), the overage and the
/// consumption (pay-as-you-go lines). The three add up to the period total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodParts {
    /// `YYYY-MM`.
    pub label: String,
    /// Fee, installment and commitment lines.
    pub fixed: Money,
    /// Overage lines.
    pub overage: Money,
    /// Pay-as-you-go lines.
    pub consumption: Money,
    /// The period total (the sum of the three).
    pub total: Money,
}

/// Each period's total split into fixed payments, overage and consumption
/// (sums of the bill's rounded lines, exact).
///
/// ```
/// use unitcalc_core::compare::period_parts;
/// let m = unitcalc_core::bundled::matrix("spec-m").unwrap();
/// let deal = unitcalc_core::deal::DealSpec::example().resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
/// let usage = unitcalc_core::quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let bill = unitcalc_core::engine::price(&m, &deal.terms, &deal.offers[0], &usage).unwrap();
/// let parts = period_parts(&bill).unwrap();
/// assert_eq!(parts.len(), bill.periods.len());
/// assert_eq!(parts[0].total, bill.periods[0].total);
/// ```
pub fn period_parts(bill: &Bill) -> Result<Vec<PeriodParts>> {
    bill.periods
        .iter()
        .map(|p| {
            let (mut fixed, mut overage, mut consumption) = (Money::ZERO, Money::ZERO, Money::ZERO);
            for l in &p.lines {
                let part = match l.kind {
                    LineKind::Fee | LineKind::Installment | LineKind::Commitment => &mut fixed,
                    LineKind::Overage => &mut overage,
                    LineKind::PayAsYouGo => &mut consumption,
                };
                *part = part.checked_add(l.amount)?;
            }
            Ok(PeriodParts {
                label: p.label.clone(),
                fixed,
                overage,
                consumption,
                total: p.total,
            })
        })
        .collect()
}

/// An offer's running total: what has been invoiced by the end of each
/// period (exact sums of the period totals).
///
/// ```
/// use unitcalc_core::compare::{cumulative, PeriodDelta};
/// let p = |t: &str| PeriodDelta { label: String::new(), total: t.parse().unwrap(), delta: Default::default() };
/// let sums = cumulative(&[p("1700.00"), p("0.00"), p("77.50")]).unwrap();
/// assert_eq!(sums.iter().map(|m| m.to_string()).collect::<Vec<_>>(), ["1700.00", "1700.00", "1777.50"]);
/// ```
pub fn cumulative(periods: &[PeriodDelta]) -> Result<Vec<Money>> {
    let mut sum = Money::ZERO;
    periods
        .iter()
        .map(|p| {
            sum = sum.checked_add(p.total)?;
            Ok(sum)
        })
        .collect()
}

/// Where two offers' running totals cross: from the end of `period` on,
/// offer `cheaper` has cost no more than the other in total, after costing
/// more before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakEven {
    /// Index of the earlier offer of the pair.
    pub first: usize,
    /// Index of the later offer of the pair.
    pub second: usize,
    /// The period (index) at whose end the running totals cross.
    pub period: usize,
    /// Its `YYYY-MM` label.
    pub label: String,
    /// The offer (index) that is cheaper in total from that period on.
    pub cheaper: usize,
}

/// The break-even months of every pair of offers: for each pair, the first
/// period at whose end the offer that had cost more so far costs no more
/// (the running totals meet or cross). A pair whose running totals never
/// cross (one offer costs more at every period end) has none; a pair equal
/// at every period end has none either. Only the first crossing is given.
///
/// ```
/// use unitcalc_core::compare::{break_evens, comparison_of};
/// let m = unitcalc_core::bundled::matrix("spec-m").unwrap();
/// let deal = unitcalc_core::deal::DealSpec::example().resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
/// let usage = unitcalc_core::quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let bill = unitcalc_core::engine::price(&m, &deal.terms, &deal.offers[0], &usage).unwrap();
/// let mut other = bill.clone();
/// other.offer = "Same".into();
/// // Two identical offers never cross.
/// assert!(break_evens(&comparison_of(vec![bill, other]).unwrap()).unwrap().is_empty());
/// ```
pub fn break_evens(c: &Comparison) -> Result<Vec<BreakEven>> {
    let sums = c
        .rows
        .iter()
        .map(|r| cumulative(&r.periods))
        .collect::<Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (i, a) in sums.iter().enumerate() {
        for (j, b) in sums.iter().enumerate().skip(i.saturating_add(1)) {
            // The offer that cost more at the first period end where they differ.
            let mut dearer: Option<usize> = None;
            let labels = c
                .rows
                .get(i)
                .map(|r| r.periods.as_slice())
                .unwrap_or_default();
            for (k, ((x, y), p)) in a.iter().zip(b).zip(labels).enumerate() {
                let now = match x.get().cmp(&y.get()) {
                    std::cmp::Ordering::Greater => Some(i),
                    std::cmp::Ordering::Less => Some(j),
                    std::cmp::Ordering::Equal => None,
                };
                match (dearer, now) {
                    (None, now) => dearer = now,
                    (Some(d), now) if now != Some(d) => {
                        out.push(BreakEven {
                            first: i,
                            second: j,
                            period: k,
                            label: p.label.clone(),
                            cheaper: d,
                        });
                        break;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, totals: &[&str]) -> ComparisonRow {
        ComparisonRow {
            offer: name.into(),
            offer_kind: String::new(),
            total: Money::ZERO,
            delta_total: Money::ZERO,
            marketplace_fee: Money::ZERO,
            net_revenue: Money::ZERO,
            delta_net_revenue: Money::ZERO,
            overage: Money::ZERO,
            effective_price_per_unit: None,
            periods: totals
                .iter()
                .enumerate()
                .map(|(k, t)| PeriodDelta {
                    label: format!("2026-{:02}", k + 3),
                    total: t.parse().unwrap(),
                    delta: Money::ZERO,
                })
                .collect(),
        }
    }

    /// (offers' period totals, break-evens as (first, second, label, cheaper)).
    #[test]
    fn break_even_months() {
        let payg = ["705.00", "675.00", "697.50"];
        type Case<'a> = (Vec<&'a [&'a str]>, Vec<(usize, usize, &'a str, usize)>);
        let table: [Case; 6] = [
            // Prepaid upfront (the CLI's compare fixture): dearer until May.
            (
                vec![&payg, &["1700.00", "0.00", "77.50"]],
                vec![(0, 1, "2026-05", 1)],
            ),
            // Never cross: one is dearer at every period end.
            (vec![&payg, &["600.00", "600.00", "600.00"]], vec![]),
            // Equal at every period end.
            (vec![&payg, &payg], vec![]),
            // Meeting counts as break-even: 1,000 + 0 = 500 + 500.
            (
                vec![&["1000", "0"], &["500", "500"]],
                vec![(0, 1, "2026-04", 0)],
            ),
            // Equal first, then apart, then crossing.
            (
                vec![&["5", "10", "0"], &["5", "0", "20"]],
                vec![(0, 1, "2026-05", 0)],
            ),
            // Three offers: every pair.
            (
                vec![&["100", "0", "0"], &["40", "40", "40"], &["0", "0", "0"]],
                vec![(0, 1, "2026-05", 0)],
            ),
        ];
        for (offers, want) in table {
            let c = Comparison {
                bills: vec![],
                rows: offers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| row(&format!("o{i}"), t))
                    .collect(),
            };
            let got: Vec<_> = break_evens(&c)
                .unwrap()
                .into_iter()
                .map(|b| (b.first, b.second, b.label, b.cheaper))
                .collect();
            let want: Vec<_> = want
                .into_iter()
                .map(|(a, b, l, c)| (a, b, l.to_string(), c))
                .collect();
            assert_eq!(got, want, "{offers:?}");
        }
    }

    /// Worked example C: March is the fee and 2.10 of overage, April the fee.
    #[test]
    fn period_parts_of_example_c() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let deal = crate::deal::DealSpec::example()
            .resolve(&m, &crate::deal::FieldLabels)
            .unwrap();
        let usage = crate::quote::usage_of::<crate::Error>(&deal, |_| unreachable!()).unwrap();
        let bill = engine::price(&m, &deal.terms, &deal.offers[0], &usage).unwrap();
        let parts = period_parts(&bill).unwrap();
        let show = |p: &PeriodParts| {
            format!(
                "{} {} {} {} {}",
                p.label, p.fixed, p.overage, p.consumption, p.total
            )
        };
        assert_eq!(show(&parts[0]), "2026-03 40000.00 2.10 0 40002.10");
        assert_eq!(show(&parts[1]), "2026-04 40000.00 0 0 40000.00");
    }
}
