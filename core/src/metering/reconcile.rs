//! Reconciliation of what metering reports against the bill, per billing
//! period and dimension: the reported quantity, the listed price, their
//! amount, the bill's metered lines and the difference (zero when the
//! whole-number rule held).

use std::fmt::Write as _;

use serde::Serialize;

use crate::num::{Money, Price};

use super::meter::Metering;
use super::plan::{DimensionUnit, MeteringPlan};

/// One period and dimension of a reconciliation, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReconcileRow {
    /// `YYYY-MM`.
    pub period: String,
    /// The dimension's name.
    pub dimension: String,
    /// What its quantity counts.
    pub unit: DimensionUnit,
    /// Σ reported quantity in the period.
    pub quantity: u64,
    /// Listed price of one quantity.
    pub price: Price,
    /// quantity × price.
    pub amount: Money,
    /// The bill's metered lines of the dimension's cells in the period.
    pub bill_amount: Money,
    /// amount − bill amount.
    pub difference: Money,
}

/// The reconciliation rows of `metering`, period by period, dimensions in
/// plan order.
///
/// ```
/// use unitcalc_core::{bundled, deal_toml, metering, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let src = include_str!("../../../tests/fixtures/metering/example-c-azure.toml");
/// let deal = deal_toml::parse_deal(src, "example-c-azure.toml", &m).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let plan = deal.metering.as_ref().unwrap();
/// let (_, metered) = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap();
/// let rows = metering::reconcile::rows(plan, &metered);
/// assert_eq!(rows.len(), 12); // 12 periods × 1 dimension
/// assert_eq!((rows[0].quantity, rows[0].bill_amount.to_string()), (210, "2.10".to_string()));
/// assert!(metering::reconcile::to_csv(&rows).starts_with("period,dimension,unit,quantity,price,amount,bill_amount,difference\n2026-03,overage_usd_cents,money,210,0.01,2.10,2.10,0.00\n"));
/// ```
pub fn rows(plan: &MeteringPlan, metering: &Metering) -> Vec<ReconcileRow> {
    metering
        .periods
        .iter()
        .filter_map(|p| {
            let d = plan.dimensions.get(p.dimension)?;
            Some(ReconcileRow {
                period: p.period.clone(),
                dimension: d.name.clone(),
                unit: d.unit,
                quantity: p.quantity,
                price: p.price,
                amount: p.amount,
                bill_amount: p.bill_amount,
                difference: p.difference,
            })
        })
        .collect()
}

/// The rows as CSV with a header, values exact.
pub fn to_csv(rows: &[ReconcileRow]) -> String {
    let mut s =
        String::from("period,dimension,unit,quantity,price,amount,bill_amount,difference\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{}",
            r.period,
            crate::bill_csv::csv_text(&r.dimension),
            r.unit.as_str(),
            r.quantity,
            r.price,
            r.amount,
            r.bill_amount,
            r.difference
        );
    }
    s
}
