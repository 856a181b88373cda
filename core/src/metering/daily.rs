//! What metering will report, day by day: per UTC day and dimension, the
//! whole quantity and its amount at the listed price (the browser's
//! Metering view: its bars and table).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::num::{self, Money};
use crate::time::Date;

use super::meter::Metering;
use super::plan::MeteringPlan;

/// One day and dimension with something reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRow {
    /// The UTC day.
    pub date: Date,
    /// Index of the dimension in the plan.
    pub dimension: usize,
    /// Σ reported quantity that day.
    pub quantity: u64,
    /// quantity × the dimension's price.
    pub amount: Money,
}

/// The records of `metering` added up per UTC day and dimension, in day
/// order, then plan order; days reporting nothing are left out.
///
/// ```
/// use unitcalc_core::{bundled, deal_toml, metering, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let src = include_str!("../../../tests/fixtures/metering/example-c-azure.toml");
/// let deal = deal_toml::parse_deal(src, "example-c-azure.toml", &m).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
/// let plan = deal.metering.as_ref().unwrap();
/// let (_, metered) = metering::meter(&m, &deal.terms, &deal.offers, plan, &usage).unwrap();
/// let days = metering::daily::by_day(plan, &metered).unwrap();
/// // Worked example C: 24 charged hours on 13 March, 4 on the 14th.
/// let shown: Vec<(String, u64, String)> =
///     days.iter().map(|d| (d.date.to_string(), d.quantity, d.amount.to_string())).collect();
/// assert_eq!(shown, [("2026-03-13".into(), 180, "1.80".into()), ("2026-03-14".into(), 30, "0.30".into())]);
/// ```
pub fn by_day(plan: &MeteringPlan, metering: &Metering) -> Result<Vec<DayRow>> {
    let mut rows: Vec<DayRow> = Vec::new();
    for r in &metering.records {
        let date = r.hour.date();
        match rows
            .iter_mut()
            .rev()
            .take_while(|d| d.date == date)
            .find(|d| d.dimension == r.dimension)
        {
            Some(row) => {
                row.quantity = row.quantity.checked_add(r.quantity).ok_or(num::Overflow {
                    what: "metered quantity",
                })?
            }
            None => rows.push(DayRow {
                date,
                dimension: r.dimension,
                quantity: r.quantity,
                amount: Money(Decimal::ZERO),
            }),
        }
    }
    // Records are in time order, then plan order within an hour: a day's
    // dimensions may interleave, so sort within the day.
    rows.sort_by_key(|d| (d.date, d.dimension));
    for row in &mut rows {
        let price = plan
            .dimensions
            .get(row.dimension)
            .map_or(Decimal::ZERO, |d| d.price.get());
        row.amount = Money(num::mul(
            Decimal::from(row.quantity),
            price,
            "metered amount",
        )?);
    }
    Ok(rows)
}
