//! Price dispersion across a book: how far apart customers' effective
//! prices are under one matrix. A unit model meant to make prices fair
//! should narrow it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::num::Price;

/// The distribution of the customers' price per TB-month under one matrix:
/// the five-number summary.
///
/// Quartiles are by linear interpolation between order statistics (the
/// "inclusive" method: spreadsheets' `QUARTILE.INC`, numpy's and pandas'
/// default): for `n` sorted prices `x_0 … x_{n−1}` and `p` in {¼, ½, ¾},
/// `h = (n − 1)·p`, `q = x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋)`. The fraction
/// is 0, ¼, ½ or ¾, so each quartile is exact and then rounded half-even to
/// the prices' scale ([`crate::kpi::KPI_SCALE`]).
///
/// ```
/// use unitcalc_core::book::Dispersion;
/// let p = |s: &str| s.parse().unwrap();
/// let d = Dispersion::of(vec![p("4.00"), p("1.00"), p("2.00"), p("3.00")]).unwrap();
/// assert_eq!(
///     (d.customers, d.min.to_string(), d.q1.to_string(), d.median.to_string(), d.q3.to_string(), d.max.to_string()),
///     (4, "1.00".into(), "1.75".into(), "2.50".into(), "3.25".into(), "4.00".into())
/// );
/// assert!(Dispersion::of(vec![]).is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispersion {
    /// Customers with a price per TB-month (who held any TB).
    pub customers: usize,
    /// Lowest.
    pub min: Price,
    /// First quartile.
    pub q1: Price,
    /// Median.
    pub median: Price,
    /// Third quartile.
    pub q3: Price,
    /// Highest.
    pub max: Price,
}

impl Dispersion {
    /// The five-number summary of `prices`; `None` when there are none.
    pub fn of(mut prices: Vec<Price>) -> Option<Dispersion> {
        prices.sort();
        let n = prices.len();
        let scale = prices.iter().map(|p| p.get().scale()).max()?;
        // h = (n − 1)·k/4 for k = 1, 2, 3: whole part and quarters.
        let quartile = |k: usize| -> Option<Price> {
            let h4 = n.checked_sub(1)?.checked_mul(k)?;
            let (i, quarters) = (h4 / 4, h4 % 4);
            let lo = prices.get(i)?.get();
            let hi = prices.get(i.checked_add(1)?).map_or(lo, |p| p.get());
            let step = hi
                .checked_sub(lo)?
                .checked_mul(Decimal::from(quarters as u64))?;
            let q = lo.checked_add(step.checked_div(Decimal::from(4u64))?)?;
            Some(Price(q.round_dp_with_strategy(
                scale,
                rust_decimal::RoundingStrategy::MidpointNearestEven,
            )))
        };
        Some(Dispersion {
            customers: n,
            min: *prices.first()?,
            q1: quartile(1)?,
            median: quartile(2)?,
            q3: quartile(3)?,
            max: *prices.last()?,
        })
    }
}
