//! The pricing engine: one offer over hourly usage, streamed in time order.
//!
//! [`Pricer`] keeps state per cell (streaks, period accumulators) and per
//! hour (the commitment's draw order), never per record, so a year of usage
//! or a book of customers prices in bounded memory. [`price`] drives it from
//! a dense [`UsageSeries`].
//!
//! Money is rounded only when a period's lines are written (section 7).

mod cells;
mod close;
mod commitment;
mod excess;
mod ledger;
mod overage;
mod pricer;
mod shares;
mod sums;
#[cfg(test)]
mod tests;

use rust_decimal::Decimal;

pub(crate) use commitment::{installment_share, installments_paid};
pub use excess::{ExcessKind, ExcessRun};
pub use ledger::{HourAction, LedgerRow};
pub use pricer::Pricer;
use pricer::Rule;
pub use shares::{price_cell, price_shares, prices_cells_apart, CellShare};

use crate::bill::Bill;
use crate::error::{Error, Origin, Result, UsageIssue};
use crate::matrix::Matrix;
use crate::num::{self, Fraction, Money, Overflow, Quantity};
use crate::offer::{DealTerms, Offer};
use crate::time::Hour;
use crate::usage::{CellSeries, HourRecord, UsageSeries};
use crate::wide;

/// Prices an offer over dense usage.
///
/// ```
/// use unitcalc_core::{engine, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(cell, vec!["200".parse().unwrap(); term.hours()]);
/// let offer = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0.20".parse().unwrap() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let bill = engine::price(&m, &terms, &offer, &usage).unwrap();
/// assert_eq!(bill.total.to_string(), "223.20"); // worked example A
/// ```
pub fn price(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
) -> Result<Bill> {
    let mut p = Pricer::new(matrix, terms, offer)?;
    push_series(&mut p, usage.start(), usage.cells())?;
    p.finish()
}

/// Calls the loop `$f::<R>(args)` compiled for the pricer's rule `$rule`
/// ([`Pricer::push_as`]).
macro_rules! by_rule {
    ($rule:expr, $f:ident($($arg:expr),*)) => {
        match $rule {
            Rule::PAY_AS_YOU_GO => $f::<{ Rule::PAY_AS_YOU_GO }>($($arg),*),
            Rule::FIXED => $f::<{ Rule::FIXED }>($($arg),*),
            Rule::COMMITMENT => $f::<{ Rule::COMMITMENT }>($($arg),*),
            _ => $f::<{ Rule::ANY }>($($arg),*),
        }
    };
}

/// Pushes every non-zero quantity of a dense series, hour by hour and within
/// an hour in matrix order: [`UsageSeries::records`] without the iterator
/// adapters (the browser's hot loop).
fn push_series(p: &mut Pricer<'_>, start: Hour, cells: &[CellSeries]) -> Result<()> {
    by_rule!(p.rule(), push_series_as(p, start, cells))
}

/// [`push_series`] compiled for one [`Rule`].
fn push_series_as<const R: u8>(
    p: &mut Pricer<'_>,
    start: Hour,
    cells: &[CellSeries],
) -> Result<()> {
    let hours = cells.first().map_or(0, |c| c.quantities.len());
    for h in 0..hours {
        let hour = Hour(start.0.saturating_add(i64::try_from(h).unwrap_or(i64::MAX)));
        for c in cells {
            let q = c.quantities.get(h).copied().unwrap_or(Quantity::ZERO);
            if !q.is_zero() {
                let (m, s) = wide::split(q.get());
                p.push_rule::<R>(hour, c.cell, m, s)
                    .map_err(|e| Error::usage(Origin::file("usage"), e))?;
            }
        }
    }
    Ok(())
}

/// [`price`], and also the runs of hours the overage rule tolerated or
/// charged (fixed-capacity offers; none for the others), for charts and audit.
///
/// ```
/// use unitcalc_core::{engine, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut q = vec!["500".parse().unwrap(); term.hours()];
/// for h in 216..316 { q[h] = "540".parse().unwrap(); } // 100 hours from 2026-03-10
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(cell, q);
/// let offer = Offer { name: "Fixed".into(), kind: OfferKind::FixedCapacity(FixedCapacity {
///     entitlements: vec![Entitlement { cell, quantity: "500".parse().unwrap() }],
///     monthly_fee: "40000.00".parse().unwrap(), payment: Payment::Monthly,
///     overage: OveragePolicy::default() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let (bill, runs) = engine::price_with_excess(&m, &terms, &offer, &usage).unwrap();
/// assert_eq!(bill.total.to_string(), "40002.10"); // worked example C
/// // hours 1–72 of the streak tolerated, 73–100 charged
/// assert_eq!(runs.len(), 2);
/// assert_eq!((runs[0].kind, runs[0].hours()), (ExcessKind::Tolerated, 72));
/// assert_eq!((runs[1].kind, runs[1].hours()), (ExcessKind::Charged, 28));
/// assert_eq!(runs[1].start.to_string(), "2026-03-13T00:00:00Z");
/// # use unitcalc_core::engine::ExcessKind;
/// ```
pub fn price_with_excess(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
) -> Result<(Bill, Vec<ExcessRun>)> {
    let mut p = Pricer::new(matrix, terms, offer)?.record_excess();
    push_series(&mut p, usage.start(), usage.cells())?;
    p.finish_with_excess()
}

/// A bill with what its pricer recorded on the way: the excess runs and the
/// hourly ledger (each empty unless asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The bill.
    pub bill: Bill,
    /// Runs of tolerated and charged hours ([`Pricer::record_excess`]).
    pub runs: Vec<ExcessRun>,
    /// One row per hour per used cell, in time order and within an hour in
    /// matrix order for a commitment ([`Pricer::record_ledger`]).
    pub ledger: Vec<LedgerRow>,
}

/// [`price`] with everything recorded: the excess runs and the hourly
/// ledger, for the formula trail and the ledger export.
///
/// ```
/// use unitcalc_core::{engine::{self, HourAction}, matrix_toml, offer::*, time::*, usage::UsageSeries};
/// let m = matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let term = Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap();
/// let cell = m.cell("capacity", "azure", "hot").unwrap();
/// let mut q = vec!["500".parse().unwrap(); term.hours()];
/// for h in 216..316 { q[h] = "540".parse().unwrap(); }
/// let mut usage = UsageSeries::new(&term);
/// usage.set_series(cell, q);
/// let offer = Offer { name: "Fixed".into(), kind: OfferKind::FixedCapacity(FixedCapacity {
///     entitlements: vec![Entitlement { cell, quantity: "500".parse().unwrap() }],
///     monthly_fee: "40000.00".parse().unwrap(), payment: Payment::Monthly,
///     overage: OveragePolicy::default() }) };
/// let terms = DealTerms { term, channel: Channel::Direct };
/// let r = engine::price_recorded(&m, &terms, &offer, &usage).unwrap();
/// assert_eq!(r.ledger.len(), term.hours()); // one used cell, every hour
/// let charged = r.ledger.iter().filter(|row| row.action == HourAction::Charged).count();
/// assert_eq!(charged, 28); // worked example C
/// assert_eq!(r.ledger[216 + 72].streak, 73);
/// ```
pub fn price_recorded(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
) -> Result<Recorded> {
    let mut p = Pricer::new(matrix, terms, offer)?
        .record_excess()
        .record_ledger();
    push_series(&mut p, usage.start(), usage.cells())?;
    p.finish_recorded()
}

/// Prices an offer over records in time order; `source` names them in errors.
pub fn price_records(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    records: impl IntoIterator<Item = HourRecord>,
    source: &str,
) -> Result<Bill> {
    let mut p = Pricer::new(matrix, terms, offer)?;
    let records = records.into_iter();
    by_rule!(p.rule(), push_records(&mut p, records))
        .map_err(|e| Error::usage(Origin::file(source), e))?;
    p.finish()
}

/// Pushes records in order, compiled for one [`Rule`].
fn push_records<const R: u8>(
    p: &mut Pricer<'_>,
    records: impl Iterator<Item = HourRecord>,
) -> Result<(), UsageIssue> {
    for r in records {
        let (m, s) = wide::split(r.quantity.get());
        p.push_rule::<R>(r.hour, r.cell, m, s)?;
    }
    Ok(())
}

/// The exact, unrounded fixed fee of each billing period: F × (hours of the
/// period in the term) ÷ (hours in the whole calendar month). Monthly payment
/// rounds each share; upfront payment rounds their exact sum once.
///
/// ```
/// use unitcalc_core::{engine::prorated_fees, num::{Fraction, Money, RoundingMode}, time::{Date, Term}};
/// let term = Term::new(Date::parse("2026-02-15").unwrap(), 1).unwrap();
/// let shares = prorated_fees(Money("40000.00".parse().unwrap()), &term).unwrap();
/// let feb = shares[0].round(2, RoundingMode::HalfUp).unwrap();
/// assert_eq!(feb.to_string(), "20000.00"); // worked example E: 336 of 672 hours
/// ```
pub fn prorated_fees(fee: Money, term: &crate::time::Term) -> Result<Vec<Fraction>, Overflow> {
    term.periods()
        .iter()
        .map(|p| {
            let num = num::mul(fee.get(), Decimal::from(p.hours()), "prorated fee")?;
            Ok(Fraction::new(num, u64::from(p.month_hours)).unwrap_or(Fraction::ZERO))
        })
        .collect()
}

fn offer_err(offer: &Offer, message: impl Into<String>) -> Error {
    Error::Offer {
        offer: offer.name.clone(),
        message: message.into(),
    }
}

fn overflow(offer: &Offer) -> impl Fn(Overflow) -> Error + '_ {
    move |source| Error::Overflow {
        context: format!("pricing offer `{}`", offer.name),
        source,
    }
}

impl From<Overflow> for Error {
    fn from(source: Overflow) -> Self {
        Error::Overflow {
            context: "pricing".to_string(),
            source,
        }
    }
}
