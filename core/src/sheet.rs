//! The customer's quote sheet: each offer in plain words, for a one-page
//! quote a salesperson hands over — what is entitled, the price and when it
//! is paid, the overage rule as a sentence and the expected total under the
//! modelled usage. Internal figures (net revenue, marketplace fee,
//! quantity-hours) are not on it.
//!
//! ```
//! use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, quote, sheet};
//! let m = bundled::matrix("spec-m").unwrap();
//! let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
//! let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
//! let q = quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
//! let s = sheet::offer_sheet(&m, &deal.offers[0], &q.comparison.bills[0]);
//! assert_eq!(s.entitled, ["500 TB of capacity (azure, hot)"]);
//! assert_eq!(s.price, "USD 40,000.00 a month");
//! assert_eq!(s.expected_total, "USD 480,002.10");
//! ```

use rust_decimal::Decimal;

use crate::bill::Bill;
use crate::display::{grouped, percent, plural, short};
use crate::matrix::Matrix;
use crate::num::{Money, Price};
use crate::offer::{Offer, OfferKind, Payment};
use crate::time::{Date, Term};

/// Days a quote stays valid unless the salesperson sets another date.
pub const VALIDITY_DAYS: i64 = 30;

/// One offer on the customer's quote, every entry a sentence or phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferSheet {
    /// The offer's name.
    pub offer: String,
    /// The kind in words: `Fixed capacity`, `Prepaid units`, `Pay-as-you-go`.
    pub kind: String,
    /// What the customer is entitled to, one entry per entitlement.
    pub entitled: Vec<String>,
    /// The price: the monthly fee, the commitment or the unit price.
    pub price: String,
    /// When it is paid.
    pub payment: String,
    /// The overage rule ([`overage_rule`]).
    pub overage_rule: String,
    /// The bill's total contract value under the modelled usage, with the currency.
    pub expected_total: String,
}

/// An amount with its currency, at least the currency's minor units,
/// digits grouped: `USD 40,000.00`, `USD 1.00`.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(unitcalc_core::sheet::amount("USD", 2, Decimal::new(1, 0)), "USD 1.00");
/// assert_eq!(unitcalc_core::sheet::amount("EUR", 2, Decimal::new(4000000, 2)), "EUR 40,000.00");
/// ```
pub fn amount(currency: &str, minor_units: u32, v: Decimal) -> String {
    let mut v = v;
    if v.scale() < minor_units {
        v.rescale(minor_units);
    }
    format!("{currency} {}", grouped(&v))
}

fn money(m: &Matrix, v: Money) -> String {
    amount(&m.currency.code, m.currency.minor_units, v.get())
}

fn per_unit(m: &Matrix, p: Price) -> String {
    format!(
        "{} per unit",
        amount(&m.currency.code, m.currency.minor_units, p.get())
    )
}

/// An overage price in words: the one set, or the matrix's list price.
fn overage_price(m: &Matrix, p: Option<Price>) -> String {
    match p {
        Some(p) => per_unit(m, p),
        None => format!("the list price, {}", per_unit(m, m.list_price)),
    }
}

/// The overage rule of an offer in plain words, as the customer reads it.
///
/// ```
/// use unitcalc_core::{bundled, offer::*};
/// let m = bundled::matrix("spec-m").unwrap();
/// let fixed = OfferKind::FixedCapacity(FixedCapacity {
///     entitlements: vec![],
///     monthly_fee: "40000.00".parse().unwrap(),
///     payment: Payment::Monthly,
///     overage: OveragePolicy { price: Some("1.00".parse().unwrap()), ..OveragePolicy::default() },
/// });
/// assert_eq!(
///     unitcalc_core::sheet::overage_rule(&m, &fixed),
///     "Up to 10% above the entitlement is free for up to 72 consecutive hours; beyond that, \
///      all usage above the entitlement is charged at USD 1.00 per unit."
/// );
/// ```
pub fn overage_rule(m: &Matrix, kind: &OfferKind) -> String {
    match kind {
        OfferKind::FixedCapacity(f) => {
            let o = &f.overage;
            let price = overage_price(m, o.price);
            if o.tolerance.get() > Decimal::ZERO && o.grace_hours > 0 {
                format!(
                    "Up to {} above the entitlement is free for up to {}; beyond that, \
                     all usage above the entitlement is charged at {price}.",
                    percent(o.tolerance.get()),
                    plural(o.grace_hours, "consecutive hour", "consecutive hours"),
                )
            } else {
                format!(
                    "All usage above the entitlement is charged from the first hour, at {price}."
                )
            }
        }
        OfferKind::Commitment(c) => format!(
            "Usage draws on the {} prepaid units; once they are used up, further usage is \
             charged at {}. Units left at the end of the term expire.",
            short(c.units, 4),
            overage_price(m, c.overage_price)
        ),
        OfferKind::PayAsYouGo(_) => {
            "No overage: all usage is charged at the offer's price per unit.".into()
        }
    }
}

fn payment(p: Payment, upfront: Option<Money>, m: &Matrix) -> String {
    match (p, upfront) {
        (Payment::Upfront, Some(v)) => format!("In full with the first invoice: {}.", money(m, v)),
        (Payment::Upfront, None) => "In full with the first invoice.".into(),
        (Payment::Monthly, _) => {
            "Monthly, invoiced at the end of each month; a part month is prorated by its hours."
                .into()
        }
    }
}

/// The offer's entries on the customer's quote; `bill` is the offer's bill
/// under the modelled usage (its total and, for commitments, the amount).
pub fn offer_sheet(m: &Matrix, offer: &Offer, bill: &Bill) -> OfferSheet {
    let first_fixed = crate::compare::period_parts(bill)
        .ok()
        .and_then(|p| p.first().map(|p| p.fixed));
    let (kind, entitled, price, pay) = match &offer.kind {
        OfferKind::FixedCapacity(f) => (
            "Fixed capacity",
            f.entitlements
                .iter()
                .map(|e| {
                    let c = m.cell_name(e.cell);
                    let unit = m
                        .meters
                        .get(usize::from(e.cell.meter))
                        .map_or("", |u| u.unit.as_str());
                    format!(
                        "{} {unit} of {} ({}, {})",
                        short(e.quantity, 4),
                        c.meter,
                        c.environment,
                        c.use_case
                    )
                })
                .collect(),
            format!("{} a month", money(m, f.monthly_fee)),
            payment(f.payment, first_fixed, m),
        ),
        OfferKind::Commitment(c) => (
            "Prepaid units",
            vec![format!(
                "{} units, used by any usage over the term",
                short(c.units, 4)
            )],
            format!(
                "{} units at {}{}",
                short(c.units, 4),
                per_unit(m, c.price),
                bill.commitment.as_ref().map_or(String::new(), |s| format!(
                    ": {}",
                    money(m, s.commitment_amount)
                ))
            ),
            payment(c.payment, first_fixed, m),
        ),
        OfferKind::PayAsYouGo(p) => (
            "Pay-as-you-go",
            vec!["No commitment: pay for what is used".to_string()],
            if p.discount.get().is_zero() {
                format!("List price, {}", per_unit(m, m.list_price))
            } else {
                format!(
                    "List price {} less {}",
                    per_unit(m, m.list_price),
                    percent(p.discount.get())
                )
            },
            "Monthly, for the month's usage.".to_string(),
        ),
    };
    OfferSheet {
        offer: offer.name.clone(),
        kind: kind.into(),
        entitled,
        price,
        payment: pay,
        overage_rule: overage_rule(m, &offer.kind),
        expected_total: money(m, bill.total),
    }
}

/// The term in words: `12 months, 2026-03-01 to 2027-02-28` (the last day
/// included).
///
/// ```
/// use unitcalc_core::time::{Date, Term};
/// let t = Term::new(Date::parse("2026-03-01").unwrap(), 12).unwrap();
/// assert_eq!(unitcalc_core::sheet::term_text(&t), "12 months, 2026-03-01 to 2027-02-28");
/// ```
pub fn term_text(t: &Term) -> String {
    let last = Date::from_days_since_epoch(t.end().days_since_epoch().saturating_sub(1))
        .unwrap_or(t.end());
    format!(
        "{}, {} to {last}",
        plural(t.months, "month", "months"),
        t.start
    )
}

/// The default validity of a quote made on `today`: [`VALIDITY_DAYS`] later.
///
/// ```
/// use unitcalc_core::time::Date;
/// let d = unitcalc_core::sheet::valid_until(Date::parse("2026-11-30").unwrap());
/// assert_eq!(d.to_string(), "2026-12-30");
/// ```
pub fn valid_until(today: Date) -> Date {
    Date::from_days_since_epoch(today.days_since_epoch().saturating_add(VALIDITY_DAYS))
        .unwrap_or(today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::{Commitment, FixedCapacity, OveragePolicy, PayAsYouGo};

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    /// One sentence per offer kind and overage variant: (kind, sentence).
    #[test]
    fn overage_rules_in_words() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let fixed = |tolerance: &str, grace: u32, price: Option<&str>| {
            OfferKind::FixedCapacity(FixedCapacity {
                entitlements: vec![],
                monthly_fee: Money(d("40000.00")),
                payment: Payment::Monthly,
                overage: OveragePolicy {
                    tolerance: crate::num::Ratio(d(tolerance)),
                    grace_hours: grace,
                    price: price.map(|p| Price(d(p))),
                },
            })
        };
        let list = per_unit(&m, m.list_price);
        let table = [
            (
                fixed("0.10", 72, Some("1.00")),
                "Up to 10% above the entitlement is free for up to 72 consecutive hours; beyond that, all usage above the entitlement is charged at USD 1.00 per unit.".to_string(),
            ),
            (
                fixed("0.25", 1, None),
                format!("Up to 25% above the entitlement is free for up to 1 consecutive hour; beyond that, all usage above the entitlement is charged at the list price, {list}."),
            ),
            (
                fixed("0", 0, Some("2")),
                "All usage above the entitlement is charged from the first hour, at USD 2.00 per unit.".to_string(),
            ),
            (
                OfferKind::Commitment(Commitment {
                    units: crate::num::Units(d("2000")),
                    price: Price(d("0.85")),
                    payment: Payment::Upfront,
                    overage_price: Some(Price(d("1.10"))),
                }),
                "Usage draws on the 2,000 prepaid units; once they are used up, further usage is charged at USD 1.10 per unit. Units left at the end of the term expire.".to_string(),
            ),
            (
                OfferKind::PayAsYouGo(PayAsYouGo {
                    discount: crate::num::Ratio(d("0.20")),
                }),
                "No overage: all usage is charged at the offer's price per unit.".to_string(),
            ),
        ];
        for (kind, want) in table {
            assert_eq!(overage_rule(&m, &kind), want, "{kind:?}");
        }
    }

    /// Worked example C's sheet: no internal figure, the total as billed.
    #[test]
    fn example_c_sheet() {
        let m = crate::bundled::matrix("spec-m").unwrap();
        let deal = crate::deal::DealSpec::example()
            .resolve(&m, &crate::deal::FieldLabels)
            .unwrap();
        let usage = crate::quote::usage_of::<crate::Error>(&deal, |_| unreachable!()).unwrap();
        let q = crate::quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
        let s = offer_sheet(&m, &deal.offers[0], &q.comparison.bills[0]);
        assert_eq!(
            s,
            OfferSheet {
                offer: "Fixed 500 TB".into(),
                kind: "Fixed capacity".into(),
                entitled: vec!["500 TB of capacity (azure, hot)".into()],
                price: "USD 40,000.00 a month".into(),
                payment: "Monthly, invoiced at the end of each month; a part month is prorated by its hours.".into(),
                overage_rule: "Up to 10% above the entitlement is free for up to 72 consecutive hours; beyond that, all usage above the entitlement is charged at the list price, USD 1.00 per unit.".into(),
                expected_total: "USD 480,002.10".into(),
            }
        );
    }
}
