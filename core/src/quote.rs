//! One call that answers a whole deal: every offer priced over the same
//! usage, compared against the first, with each bill's price per TB-month
//! and the runs of hours the overage rule tolerated or charged. The CLI's
//! `quote` and `compare` and the browser's bill, KPIs and charts all come
//! from [`quote`].

use std::sync::Arc;

use crate::bill::Bill;
use crate::compare::{comparison_of, Comparison};
use crate::deal::{Deal, UsageSource};
use crate::engine::{self, CellShare, ExcessRun};
use crate::error::{Error, Result};
use crate::kpi::{self, PricePerQuantityMonth, CAPACITY_UNIT};
use crate::matrix::Matrix;
use crate::num::Quantity;
use crate::offer::{DealTerms, Offer};
use crate::profile;
use crate::usage::UsageSeries;

/// Everything the pricing of a deal answers, one entry per offer in the
/// deal's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The bills (`comparison.bills`) and their differences against the
    /// first offer (`comparison.rows`).
    pub comparison: Comparison,
    /// Per offer: the price per TB-month ([`kpi::CAPACITY_UNIT`]), `None`
    /// when no TB was held.
    pub per_tb_month: Vec<Option<PricePerQuantityMonth>>,
    /// Per offer: the runs of hours the fixed-capacity overage rule
    /// tolerated or charged (empty for other kinds).
    pub excess: Vec<Vec<ExcessRun>>,
}

/// Prices `usage` under every offer over the same `terms`.
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!("a profile")).unwrap();
/// let q = quote::quote(&m, &deal.terms, &deal.offers, &usage).unwrap();
/// // Worked example C: March bills 40,002.10 (28 charged hours).
/// assert_eq!(q.comparison.bills[0].periods[0].total.to_string(), "40002.10");
/// assert_eq!(q.excess[0].len(), 2); // 72 tolerated hours, then 28 charged
/// assert!(q.per_tb_month[0].is_some());
/// ```
pub fn quote(
    matrix: &Matrix,
    terms: &DealTerms,
    offers: &[Offer],
    usage: &UsageSeries,
) -> Result<Quote> {
    let priced = offers
        .iter()
        .map(|o| price_offer(matrix, terms, o, usage))
        .collect::<Result<Vec<_>>>()?;
    Quote::of(priced)
}

/// What [`quote`] answers for one offer: its bill, its price per TB-month
/// and its runs of tolerated and charged hours. The browser keeps these per
/// offer, so an edit of one offer re-prices only that offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferQuote {
    /// The offer's bill.
    pub bill: Bill,
    /// Its price per TB-month ([`kpi::CAPACITY_UNIT`]), `None` when no TB was held.
    pub per_tb_month: Option<PricePerQuantityMonth>,
    /// Its runs of tolerated or charged hours (empty unless fixed capacity).
    pub excess: Vec<ExcessRun>,
}

/// Prices `usage` under one offer: [`quote`]'s work for that offer.
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, quote};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!("a profile")).unwrap();
/// let one = quote::price_offer(&m, &deal.terms, &deal.offers[0], &usage).unwrap();
/// let q = quote::Quote::of(vec![one.clone()]).unwrap();
/// assert_eq!(q.comparison.bills[0], one.bill);
/// assert_eq!(one.bill.periods[0].total.to_string(), "40002.10"); // worked example C
/// ```
pub fn price_offer(
    matrix: &Matrix,
    terms: &DealTerms,
    offer: &Offer,
    usage: &UsageSeries,
) -> Result<OfferQuote> {
    let (bill, excess) = engine::price_with_excess(matrix, terms, offer, usage)?;
    offer_quote(matrix, bill, excess)
}

/// The quote of a priced bill: its price per TB-month added.
fn offer_quote(matrix: &Matrix, bill: Bill, excess: Vec<ExcessRun>) -> Result<OfferQuote> {
    let per_tb_month = kpi::price_per_quantity_month(&bill, matrix, CAPACITY_UNIT)?;
    Ok(OfferQuote {
        bill,
        per_tb_month,
        excess,
    })
}

/// One offer's cells' shares ([`engine::CellShare`]) from its last pricing,
/// each with the series it was priced from, so that pricing again after an
/// edit of one usage cell prices only that cell ([`OfferShares::price`]).
#[derive(Debug, Default)]
pub struct OfferShares {
    shares: Vec<(Arc<Vec<Quantity>>, CellShare)>,
    priced: usize,
}

impl OfferShares {
    /// [`price_offer`] (the same quote), pricing by cells an offer that
    /// prices cells apart ([`engine::prices_cells_apart`]) and reusing the
    /// share of every cell whose series is the one it was last priced from
    /// (the same `Arc`: the profile generator's kept series). A commitment
    /// is priced whole. The shares are of one offer, terms and matrix: start
    /// from `OfferShares::default()` when any of them changes. An error is
    /// the whole pricing's (the first in time order, not in cell order).
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, profile, quote};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!("a profile")).unwrap();
    /// let (terms, offer) = (&deal.terms, &deal.offers[0]);
    /// let mut shares = quote::OfferShares::default();
    /// let q = shares.price(&m, terms, offer, &usage).unwrap();
    /// assert_eq!(q, quote::price_offer(&m, terms, offer, &usage).unwrap());
    /// // The same series again: every cell's share is reused.
    /// assert_eq!(shares.price(&m, terms, offer, &usage.clone()).unwrap(), q);
    /// assert_eq!(shares.last_priced(), 0);
    /// ```
    pub fn price(
        &mut self,
        matrix: &Matrix,
        terms: &DealTerms,
        offer: &Offer,
        usage: &UsageSeries,
    ) -> Result<OfferQuote> {
        if !engine::prices_cells_apart(offer) {
            return self.whole(matrix, terms, offer, usage);
        }
        self.priced = 0;
        let mut kept = Vec::with_capacity(usage.cells().len());
        for c in usage.cells() {
            let same = |(s, p): &(Arc<Vec<Quantity>>, CellShare)| {
                p.cell() == c.cell && Arc::ptr_eq(s, &c.quantities)
            };
            let share = match self.shares.iter().position(same) {
                Some(i) => self.shares.swap_remove(i).1,
                None => match engine::price_cell(matrix, terms, offer, usage, c) {
                    Ok(share) => {
                        self.priced = self.priced.saturating_add(1);
                        share
                    }
                    Err(_) => return self.whole(matrix, terms, offer, usage),
                },
            };
            kept.push((c.quantities.clone(), share));
        }
        self.shares = kept;
        let shares: Vec<&CellShare> = self.shares.iter().map(|(_, p)| p).collect();
        let (bill, excess) = engine::price_shares(matrix, terms, offer, &shares)?;
        offer_quote(matrix, bill, excess)
    }

    /// [`price_offer`] over every cell, no shares kept: a commitment, or
    /// the whole pricing's error.
    fn whole(
        &mut self,
        matrix: &Matrix,
        terms: &DealTerms,
        offer: &Offer,
        usage: &UsageSeries,
    ) -> Result<OfferQuote> {
        self.shares.clear();
        self.priced = usage.cells().len();
        price_offer(matrix, terms, offer, usage)
    }

    /// How many of the usage's cells the last [`OfferShares::price`] priced
    /// (all of them for an offer priced whole); the others' shares were reused.
    pub fn last_priced(&self) -> usize {
        self.priced
    }
}

impl Quote {
    /// The quote of offers priced apart ([`price_offer`]) over the same
    /// usage and terms, in the deal's order: their comparison against the first.
    pub fn of(priced: Vec<OfferQuote>) -> Result<Quote> {
        let mut bills = Vec::with_capacity(priced.len());
        let mut per_tb_month = Vec::with_capacity(priced.len());
        let mut excess = Vec::with_capacity(priced.len());
        for p in priced {
            bills.push(p.bill);
            per_tb_month.push(p.per_tb_month);
            excess.push(p.excess);
        }
        Ok(Quote {
            comparison: comparison_of(bills)?,
            per_tb_month,
            excess,
        })
    }
}

/// The deal's usage: zero, its profile generated, or its CSV file read by
/// `read_csv` (given the path as written; the core reads no files).
pub fn usage_of<E: From<Error>>(
    deal: &Deal,
    read_csv: impl FnOnce(&str) -> std::result::Result<UsageSeries, E>,
) -> std::result::Result<UsageSeries, E> {
    let term = &deal.terms.term;
    match &deal.usage {
        UsageSource::Zero => Ok(UsageSeries::new(term)),
        UsageSource::Profile(p) => Ok(profile::generate(p, term)?),
        UsageSource::Csv(path) => read_csv(path),
    }
}

#[cfg(test)]
mod tests;
