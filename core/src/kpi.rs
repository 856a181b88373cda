//! Headline figures derived from a bill: what a deal costs per unit of
//! capacity held over time.
//!
//! The pricing model does not define an "effective price per TB-month"; this
//! module does, so that the browser and the CLI show the same figure:
//!
//! ```text
//! quantity-months = Σ over periods k, Σ over cells whose meter's unit is U:
//!                   quantity-hours(cell, k) ÷ hours in period k's whole calendar month
//! price per U-month = total contract value ÷ quantity-months
//! ```
//!
//! So 500 TB held for all of March is 500 TB-months, and 500 TB held for half
//! of February (a partial first period) is 250 TB-months. The total is the
//! bill's whole total (fees, consumption and overage; before the marketplace
//! fee), so for a deal that also meters compute it is the all-in price per
//! TB-month. Both figures are exact rationals rounded once, half-even, to
//! [`KPI_SCALE`] places; they are display figures, never bill lines.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::bill::Bill;
use crate::error::{Error, Result};
use crate::matrix::Matrix;
use crate::num::{self, Fraction, Overflow, Price, Quantity, RoundingMode};

/// Decimal places of the KPI figures (rounded half-even).
pub const KPI_SCALE: u32 = 6;

/// The unit of capacity the headline price is quoted in: the price per
/// TB-month ([`crate::quote::Quote::per_tb_month`]).
pub const CAPACITY_UNIT: &str = "TB";

/// The price of holding one unit of a meter's quantity for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricePerQuantityMonth {
    /// The quantity unit, as the matrix spells it (e.g. `TB`).
    pub unit: String,
    /// Quantity-months used over the term, rounded half-even to [`KPI_SCALE`].
    pub quantity_months: Quantity,
    /// Total contract value ÷ quantity-months (exact), rounded half-even to
    /// [`KPI_SCALE`].
    pub price: Price,
}

fn overflow(source: Overflow) -> Error {
    Error::Overflow {
        context: "price per quantity-month".to_string(),
        source,
    }
}

/// The bill's effective price per `unit`-month (e.g. per TB-month), over the
/// cells whose meter measures `unit` (compared ASCII case-insensitively).
/// `None` when the matrix has no such meter or nothing was held.
///
/// ```
/// use unitcalc_core::{engine, kpi, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(m.cell("capacity", "azure", "hot").unwrap(), vec!["200".parse().unwrap(); term.hours()]);
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }) };
/// let bill = engine::price(&m, &DealTerms { term, channel: Channel::Direct }, &offer, &usage).unwrap();
/// let k = kpi::price_per_quantity_month(&bill, &m, "TB").unwrap().unwrap();
/// assert_eq!(k.quantity_months.to_string(), "200.000000"); // 200 TB all March
/// assert_eq!(k.price.to_string(), "1.116000");              // 223.20 ÷ 200
/// assert!(kpi::price_per_quantity_month(&bill, &m, "GPU").unwrap().is_none());
/// ```
pub fn price_per_quantity_month(
    bill: &Bill,
    matrix: &Matrix,
    unit: &str,
) -> Result<Option<PricePerQuantityMonth>> {
    let measures = |meter: &str| {
        matrix
            .meters
            .iter()
            .any(|m| m.id == meter && m.unit.eq_ignore_ascii_case(unit))
    };
    let mut months = Fraction::ZERO;
    for period in &bill.periods {
        for c in period.cells.iter().filter(|c| measures(&c.cell.meter)) {
            let share = Fraction::new(c.quantity_hours.get(), u64::from(period.month_hours))
                .unwrap_or(Fraction::ZERO);
            months = months.checked_add(share).map_err(overflow)?;
        }
    }
    if months.numerator() <= Decimal::ZERO {
        return Ok(None);
    }
    let mode = RoundingMode::HalfEven;
    // total ÷ (num ÷ den) = total × den ÷ num
    let scaled = num::mul(
        bill.total.get(),
        Decimal::from(months.denominator()),
        "price per quantity-month",
    )
    .map_err(overflow)?;
    let price = num::div_rounded(
        scaled,
        months.numerator(),
        KPI_SCALE,
        mode,
        "price per quantity-month",
    )
    .map_err(overflow)?;
    let quantity_months = months.round(KPI_SCALE, mode).map_err(overflow)?.get();
    Ok(Some(PricePerQuantityMonth {
        unit: matrix
            .meters
            .iter()
            .find(|m| m.unit.eq_ignore_ascii_case(unit))
            .map_or_else(|| unit.to_string(), |m| m.unit.clone()),
        quantity_months: Quantity(quantity_months),
        price: Price(price),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::{
        Channel, DealTerms, Entitlement, FixedCapacity, Offer, OfferKind, OveragePolicy,
        PayAsYouGo, Payment,
    };
    use crate::time::{Date, Term};
    use crate::usage::UsageSeries;

    fn spec_m() -> Matrix {
        crate::matrix_toml::parse_matrix(include_str!("../../matrices/spec-m.toml"), "spec-m.toml")
            .unwrap()
    }

    /// (term start, months, TB held every hour, fixed fee or PAYG, expected
    /// TB-months, expected price per TB-month)
    #[test]
    fn price_per_tb_month_table() {
        let table = [
            // Worked example B's deal, flat 500 TB: 12 × 40,000 ÷ 6,000 TB-months.
            (
                "2026-03-01",
                12,
                "500",
                Some("40000.00"),
                "6000.000000",
                "80.000000",
            ),
            // Example E's term, one month from Feb 15: 500 TB × (336/672 + 336/744)
            // = 475.806451… TB-months for 20,000.00 + 18,064.52; each month
            // prorated by its own hours, so the price stays ≈ 80.
            (
                "2026-02-15",
                1,
                "500",
                Some("40000.00"),
                "475.806452",
                "80.000008",
            ),
            // PAYG at list: 500 TB × 0.0015 × 1.25 × 744 h = 697.50 for 500 TB-months.
            ("2026-03-01", 1, "500", None, "500.000000", "1.395000"),
            // 0.333 TB all month: 0.4645… units bill 0.46; 0.46 ÷ 0.333 rounded once.
            ("2026-03-01", 1, "0.333", None, "0.333000", "1.381381"),
        ];
        let m = spec_m();
        let cell = m.cell("capacity", "azure", "hot").unwrap();
        for (start, months, tb, fee, want_months, want_price) in table {
            let term = Term::new(Date::parse(start).unwrap(), months).unwrap();
            let mut usage = UsageSeries::new(&term);
            usage.set_series(cell, vec![tb.parse().unwrap(); term.hours()]);
            let kind = match fee {
                Some(f) => OfferKind::FixedCapacity(FixedCapacity {
                    entitlements: vec![Entitlement {
                        cell,
                        quantity: "500".parse().unwrap(),
                    }],
                    monthly_fee: f.parse().unwrap(),
                    payment: Payment::Monthly,
                    overage: OveragePolicy::default(),
                }),
                None => OfferKind::PayAsYouGo(PayAsYouGo::default()),
            };
            let offer = Offer {
                name: "o".into(),
                kind,
            };
            let terms = DealTerms {
                term,
                channel: Channel::Direct,
            };
            let bill = crate::engine::price(&m, &terms, &offer, &usage).unwrap();
            let k = price_per_quantity_month(&bill, &m, "tb").unwrap().unwrap();
            assert_eq!(k.unit, "TB");
            assert_eq!(k.quantity_months.to_string(), want_months, "{start} {tb}");
            assert_eq!(k.price.to_string(), want_price, "{start} {tb}");
        }
    }

    #[test]
    fn no_capacity_usage_has_no_kpi() {
        let m = spec_m();
        let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
        let mut usage = UsageSeries::new(&term);
        let compute = m.cell("compute", "aws", "hot").unwrap();
        usage.set_series(compute, vec!["8".parse().unwrap(); term.hours()]);
        let offer = Offer {
            name: "o".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
        };
        let terms = DealTerms {
            term,
            channel: Channel::Direct,
        };
        let bill = crate::engine::price(&m, &terms, &offer, &usage).unwrap();
        assert_eq!(price_per_quantity_month(&bill, &m, "TB").unwrap(), None);
        let v = price_per_quantity_month(&bill, &m, "vCPU")
            .unwrap()
            .unwrap();
        assert_eq!(v.quantity_months.to_string(), "8.000000");
    }
}
