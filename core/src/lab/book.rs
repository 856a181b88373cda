//! A book in the lab: every customer of a book usage CSV (with the
//! `customer` column, in the first model's cells) priced under every model,
//! each customer with one of the deal's offers (one default offer for all,
//! or an [`OfferMap`] file), and per model the same [`Summary`] as
//! `unitcalc reprice` (the first model as the current matrix, the model as
//! the candidate), the revenue by environment and use case, and a histogram
//! of the customers' deltas.
//!
//! Each model is priced by its own [`Repricer`] over the same records (the
//! first model's cells mapped by name, [`CellMap`]); a model that lacks or
//! does not offer a used cell, or cannot price a customer's offer, gets a
//! column that says why, and the other columns stand. The first model's
//! errors (a malformed line, an unknown customer) end the run.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::{Model, NotPriced};
use crate::bill::Bill;
use crate::book::{CustomerBills, Repricer, Slot, Summary, SummaryOptions};
use crate::error::{Error, Origin, Result};
use crate::matrix::{CellMap, CellName};
use crate::num::Money;
use crate::offer::{Channel, DealTerms, Offer};
use crate::usage_csv::CsvRecord;

/// A mapping file's size limit (a small file: one line per customer).
pub const MAX_OFFER_MAP_BYTES: usize = 1 << 20;

/// The header of an offer map without and with the channel column.
pub const OFFER_MAP_HEADERS: [&str; 2] = ["customer,offer", "customer,offer,channel"];

/// Bars of the deltas' histogram.
pub const HISTOGRAM_BINS: usize = 10;

/// How many of the largest increases and decreases are listed.
pub const TOP_MOVERS: usize = 5;

/// One customer's offer: its index in the deal's offers, and the channel
/// when it is not the deal's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferChoice {
    /// Index in the deal's offers.
    pub offer: usize,
    /// The customer's channel (`None`: the deal's).
    pub channel: Option<Channel>,
}

/// Which offer each customer takes: the listed customers (an offer map
/// file), and the default for every other customer of the usage.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfferMap {
    /// Listed customers in file order.
    pub customers: Vec<(String, OfferChoice)>,
    /// The offer of customers not listed (`None`: they are an error).
    pub default: Option<OfferChoice>,
}

impl OfferMap {
    /// Reads an offer map CSV, `customer,offer` or `customer,offer,channel`
    /// (quoted fields for names with commas; `direct` or a marketplace's
    /// environment for the channel, empty for the deal's), the offers named
    /// as in the deal. `file` names it in errors.
    ///
    /// ```
    /// use unitcalc_core::lab::book::OfferMap;
    /// use unitcalc_core::offer::{Channel, Offer, OfferKind, PayAsYouGo};
    /// let offers = [Offer { name: "Prepaid 1,500 units".into(),
    ///     kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0".parse().unwrap() }) }];
    /// let m = OfferMap::read("customer,offer,channel\nacme,\"Prepaid 1,500 units\",aws\n", "map.csv", &offers).unwrap();
    /// assert_eq!(m.customers[0].0, "acme");
    /// assert_eq!(m.customers[0].1.channel, Some(Channel::Marketplace("aws".into())));
    /// assert_eq!(
    ///     OfferMap::read("customer,offer\nacme,PAYG\n", "map.csv", &offers).unwrap_err().to_string(),
    ///     "map.csv:2: unknown offer `PAYG`"
    /// );
    /// ```
    pub fn read(text: &str, file: &str, offers: &[Offer]) -> Result<OfferMap> {
        let at = |line: usize| Origin::line(file, u32::try_from(line).unwrap_or(u32::MAX));
        let csv = |line: usize, message: String| Error::Csv {
            at: at(line),
            message,
        };
        if text.len() > MAX_OFFER_MAP_BYTES {
            return Err(csv(
                1,
                format!("file is larger than {MAX_OFFER_MAP_BYTES} bytes"),
            ));
        }
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i.saturating_add(1), l));
        let header = lines
            .next()
            .map(|(_, h)| h.trim_start_matches('\u{feff}').trim_end_matches('\r'))
            .unwrap_or_default();
        if !OFFER_MAP_HEADERS.contains(&header) {
            return Err(csv(
                1,
                format!(
                    "header must be `{}` or `{}`, found `{header}`",
                    OFFER_MAP_HEADERS[0], OFFER_MAP_HEADERS[1]
                ),
            ));
        }
        let mut out = OfferMap::default();
        let mut seen = BTreeMap::new();
        for (n, line) in lines {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let f = crate::formats::csv_line::fields(line).map_err(|e| csv(n, e.message(line)))?;
            let field = |i: usize| f.get(i).map(|s| s.trim()).unwrap_or_default();
            let (customer, offer, channel) = (field(0), field(1), field(2));
            if customer.is_empty() {
                return Err(csv(n, "empty customer".into()));
            }
            let Some(index) = offers.iter().position(|o| o.name == offer) else {
                return Err(Error::Unknown {
                    at: at(n),
                    what: "offer",
                    value: offer.into(),
                });
            };
            if let Some(first) = seen.insert(customer.to_string(), n) {
                return Err(csv(
                    n,
                    format!("customer `{customer}` is listed twice (first on line {first})"),
                ));
            }
            let channel = match channel {
                "" => None,
                "direct" => Some(Channel::Direct),
                env => Some(Channel::Marketplace(env.into())),
            };
            out.customers.push((
                customer.to_string(),
                OfferChoice {
                    offer: index,
                    channel,
                },
            ));
        }
        Ok(out)
    }
}

/// The terms and offers of a book's deal files (each customer's own deal,
/// as `unitcalc reprice`'s book lists them): the first deal's terms, every
/// deal's offers in order. The deals must share the term (a book is priced
/// over one term) and name their offers apart.
///
/// ```
/// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}, lab::book::offers_of};
/// let m = bundled::matrix("spec-m").unwrap();
/// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
/// let (terms, offers) = offers_of(&[deal.clone()]).unwrap();
/// assert_eq!((terms, offers.len()), (deal.terms.clone(), deal.offers.len()));
/// assert!(offers_of(&[deal.clone(), deal]).unwrap_err().to_string().contains("is offered twice"));
/// ```
pub fn offers_of(deals: &[crate::deal::Deal]) -> Result<(DealTerms, Vec<Offer>)> {
    let invalid = |offer: &str, message: String| Error::Offer {
        offer: offer.to_string(),
        message,
    };
    let Some(first) = deals.first() else {
        return Err(invalid("", "no deal file".into()));
    };
    let mut offers: Vec<Offer> = Vec::new();
    for d in deals {
        if d.terms.term != first.terms.term {
            return Err(invalid(
                "",
                format!(
                    "deal `{}` has another term than deal `{}` (a book is priced over one term)",
                    d.name, first.name
                ),
            ));
        }
        for o in &d.offers {
            if offers.iter().any(|p| p.name == o.name) {
                return Err(invalid(
                    &o.name,
                    format!("is offered twice (again in deal `{}`)", d.name),
                ));
            }
            offers.push(o.clone());
        }
    }
    Ok((first.terms.clone(), offers))
}

/// The slots (terms and offer) of every customer under one model: the
/// deal's offers in that model's cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSlots {
    customers: Vec<(String, Slot)>,
    default: Option<Slot>,
}

/// Every model's slots, or why a model cannot price the deal's offers: what
/// a [`BookPricer`] borrows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookSlots {
    per_model: Vec<std::result::Result<ModelSlots, NotPriced>>,
}

impl BookSlots {
    /// The slots of `map` (offers of `offers`, in the first model's cells)
    /// under each model. Errors when a choice names no offer, or when there
    /// are no models or more than [`MAX_MODELS`](super::MAX_MODELS).
    pub fn new(
        models: &[Model<'_>],
        terms: &DealTerms,
        offers: &[Offer],
        map: &OfferMap,
    ) -> Result<BookSlots> {
        let first = super::first_model(models)?;
        let slot = |offers: &[Offer], c: &OfferChoice| -> Result<Slot> {
            let offer = offers.get(c.offer).cloned().ok_or_else(|| Error::Offer {
                offer: c.offer.to_string(),
                message: "the deal has no such offer".into(),
            })?;
            Ok(Slot {
                terms: DealTerms {
                    term: terms.term,
                    channel: c.channel.clone().unwrap_or_else(|| terms.channel.clone()),
                },
                current: offer,
                candidate: None,
            })
        };
        let mut per_model = Vec::with_capacity(models.len());
        for (i, m) in models.iter().enumerate() {
            let translated = if i == 0 {
                Ok(offers.to_vec())
            } else {
                super::translate_offers(first.matrix, m.matrix, offers)
            };
            per_model.push(match translated {
                Ok(o) => Ok(ModelSlots {
                    customers: map
                        .customers
                        .iter()
                        .map(|(name, c)| Ok((name.clone(), slot(&o, c)?)))
                        .collect::<Result<_>>()?,
                    default: map.default.as_ref().map(|c| slot(&o, c)).transpose()?,
                }),
                Err(n) => Err(n),
            });
        }
        Ok(BookSlots { per_model })
    }
}

/// One model's pricing of the book under way.
struct Run<'a> {
    repricer: Repricer<'a>,
    cells: CellMap<'a>,
}

/// A book priced under every model, one record at a time.
pub struct BookPricer<'a> {
    models: &'a [Model<'a>],
    runs: Vec<std::result::Result<Run<'a>, NotPriced>>,
}

impl<'a> BookPricer<'a> {
    /// The pricers of every model for `slots` (made for the same `models`).
    /// Errors when the first model cannot price a listed customer's offer.
    pub fn new(models: &'a [Model<'a>], slots: &'a BookSlots) -> Result<BookPricer<'a>> {
        let Some(first) = models.first() else {
            return Err(Error::Offer {
                offer: String::new(),
                message: "no unit model to price under".into(),
            });
        };
        let mut runs = Vec::with_capacity(models.len());
        for (i, (m, s)) in models.iter().zip(&slots.per_model).enumerate() {
            let run = match s {
                Err(n) => Err(n.clone()),
                Ok(s) => match Repricer::new(m.matrix, None, &s.customers, s.default.as_ref()) {
                    Ok(repricer) => Ok(Run {
                        repricer,
                        cells: CellMap::new(first.matrix, (i > 0).then_some(m.matrix)),
                    }),
                    Err(e) if i == 0 => return Err(e),
                    Err(e) => Err(not_priced(&e)),
                },
            };
            runs.push(run);
        }
        Ok(BookPricer { models, runs })
    }

    /// Prices one record of `file` (read with the first model's matrix)
    /// under every model still pricing.
    pub fn push(&mut self, rec: &mut CsvRecord, file: &str) -> Result<()> {
        let cell = rec.cell;
        let first = self.models.first().map(|m| m.matrix);
        for (i, run) in self.runs.iter_mut().enumerate() {
            let Ok(r) = run else { continue };
            if i == 0 {
                // The first model's errors end the run.
                r.repricer.push(rec, file)?;
                continue;
            }
            let mapped = match (first, self.models.get(i)) {
                (Some(from), Some(to)) => super::offered(from, to.matrix, r.cells.get(cell), cell),
                _ => Ok(cell),
            };
            let res = mapped.and_then(|c| {
                rec.cell = c;
                let res = r.repricer.push(rec, file).map_err(|e| not_priced(&e));
                rec.cell = cell;
                res
            });
            if let Err(n) = res {
                *run = Err(n);
            }
        }
        Ok(())
    }

    /// Every model's column: the summary against the first model, the
    /// revenue by environment and use case, the deltas' histogram.
    pub fn finish(self) -> Result<BookReport> {
        let models = self.models;
        let mut runs = self.runs.into_iter();
        let base = match runs.next() {
            Some(Ok(r)) => r.repricer.finish()?,
            Some(Err(n)) => {
                return Err(Error::Offer {
                    offer: String::new(),
                    message: n.reason,
                })
            }
            None => {
                return Err(Error::Offer {
                    offer: String::new(),
                    message: "no unit model to price under".into(),
                })
            }
        };
        let (base_bills, rows) = base;
        let Some(model0) = models.first() else {
            return Err(Error::Offer {
                offer: String::new(),
                message: "no unit model to price under".into(),
            });
        };
        let first = model0.matrix;
        let options = SummaryOptions {
            top: TOP_MOVERS,
            keep_bills: false,
        };
        let mut columns = Vec::with_capacity(models.len());
        let column = |m: &Model<'_>, outcome| BookColumn {
            model: m.name.to_string(),
            matrix: format!("{} {}", m.matrix.name, m.matrix.version),
            outcome,
        };
        let summary = Summary::new(first, None, rows, base_bills.iter().cloned(), options)?;
        let bills: Vec<&Bill> = base_bills.iter().map(|b| &b.current).collect();
        columns.push(column(
            model0,
            BookOutcome::Priced(Box::new(BookFigures {
                by_cell: by_cell(&bills)?,
                histogram: Vec::new(),
                summary,
            })),
        ));
        for (m, run) in models.iter().skip(1).zip(runs) {
            let outcome = match run.and_then(|r| r.repricer.finish().map_err(|e| not_priced(&e))) {
                Err(n) => BookOutcome::NotPriced(n),
                Ok((bills, _)) => {
                    let by = by_cell(&bills.iter().map(|b| &b.current).collect::<Vec<_>>())?;
                    let pairs = base_bills.iter().zip(bills).map(|(b, c)| CustomerBills {
                        customer: b.customer.clone(),
                        current: b.current.clone(),
                        candidate: Some(c.current),
                    });
                    let summary = Summary::new(first, Some(m.matrix), rows, pairs, options)?;
                    let deltas: Vec<Money> =
                        summary.customers.iter().filter_map(|c| c.delta).collect();
                    BookOutcome::Priced(Box::new(BookFigures {
                        by_cell: by,
                        histogram: histogram(&deltas, HISTOGRAM_BINS)?,
                        summary,
                    }))
                }
            };
            columns.push(column(m, outcome));
        }
        Ok(BookReport { rows, columns })
    }
}

fn not_priced(e: &Error) -> NotPriced {
    NotPriced {
        cell: None,
        reason: e.to_string(),
    }
}

/// A book priced under every model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookReport {
    /// Usage records read.
    pub rows: u64,
    /// One column per model, in the models' order.
    pub columns: Vec<BookColumn>,
}

/// One model's column of a book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookColumn {
    /// The model's name.
    pub model: String,
    /// The matrix's own name and version.
    pub matrix: String,
    /// Its figures, or why there are none.
    pub outcome: BookOutcome,
}

/// A book column's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BookOutcome {
    /// Priced.
    Priced(Box<BookFigures>),
    /// Not priced under this model.
    NotPriced(NotPriced),
}

/// One model's figures for a book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookFigures {
    /// What `unitcalc reprice` reports with the first model as the current
    /// matrix and this one as the candidate (the first model's column: no
    /// candidate). Its customers' bills are not kept.
    pub summary: Summary,
    /// Revenue by environment and use case under this model.
    pub by_cell: Vec<CellRevenue>,
    /// The histogram of the customers' deltas against the first model
    /// (empty for the first model).
    pub histogram: Vec<DeltaBin>,
}

/// The revenue of one environment and use case over a book: Σ of the bills'
/// lines for that cell (over its meters); lines of no cell (fixed fees,
/// commitments) are one entry with empty names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellRevenue {
    /// Environment (empty: lines of no cell).
    pub environment: String,
    /// Use case (empty: lines of no cell).
    pub use_case: String,
    /// Σ line amounts.
    pub amount: Money,
}

/// The revenue of `bills` by environment and use case, in name order (the
/// lines of no cell last).
///
/// ```
/// use unitcalc_core::{bundled, engine, usage_csv, lab::book::by_cell};
/// use unitcalc_core::offer::{DealTerms, Offer, OfferKind, PayAsYouGo};
/// use unitcalc_core::time::{Date, Term};
/// let m = bundled::matrix("spec-m").unwrap();
/// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Default::default() };
/// let payg = Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0".parse().unwrap() }) };
/// let usage = usage_csv::read_usage(
///     b"timestamp,meter,environment,use_case,quantity\n2026-03-01T00:00:00Z,capacity,azure,hot,200\n2026-03-01T00:00:00Z,capacity,aws,hot,100\n",
///     "usage.csv", &m, &terms.term).unwrap();
/// let bill = engine::price(&m, &terms, &payg, &usage).unwrap();
/// let r = by_cell(&[&bill, &bill]).unwrap();
/// // Per bill: 200 TB-hours on azure/hot are 0.375 units (0.38), 100 on aws/hot 0.18 units (0.18).
/// assert_eq!((r[0].environment.as_str(), r[0].amount.to_string()), ("aws", "0.36".into()));
/// assert_eq!((r[1].environment.as_str(), r[1].amount.to_string()), ("azure", "0.76".into()));
/// ```
pub fn by_cell(bills: &[&Bill]) -> Result<Vec<CellRevenue>> {
    let mut sums: BTreeMap<(bool, String, String), Money> = BTreeMap::new();
    for b in bills {
        for p in &b.periods {
            for l in &p.lines {
                let key = match &l.cell {
                    Some(CellName {
                        environment,
                        use_case,
                        ..
                    }) => (false, environment.clone(), use_case.clone()),
                    None => (true, String::new(), String::new()),
                };
                let sum = sums.entry(key).or_insert(Money::ZERO);
                *sum = sum
                    .checked_add(l.amount)
                    .map_err(|source| Error::Overflow {
                        context: "revenue by environment and use case".into(),
                        source,
                    })?;
            }
        }
    }
    Ok(sums
        .into_iter()
        .map(|((_, environment, use_case), amount)| CellRevenue {
            environment,
            use_case,
            amount,
        })
        .collect())
}

/// One bar of a histogram: the customers whose delta is in
/// `from ≤ delta < to` (the last bar includes its `to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeltaBin {
    /// Lower bound (inclusive).
    pub from: Money,
    /// Upper bound (exclusive; inclusive for the last bar).
    pub to: Money,
    /// Customers in the bar.
    pub customers: usize,
}

/// At most `bins` bars of equal width from the lowest to the highest of
/// `deltas`: the width is (highest − lowest) ÷ `bins` rounded up to the
/// deltas' scale (so the bars cover the highest), a customer falls in bar
/// ⌊(delta − lowest) ÷ width⌋, the highest in the last bar. All deltas
/// equal: one bar. No deltas: no bars.
///
/// ```
/// use unitcalc_core::lab::book::histogram;
/// let m = |s: &str| s.parse().unwrap();
/// let h = histogram(&[m("-1.00"), m("0.00"), m("0.50"), m("3.00")], 4).unwrap();
/// let bars: Vec<_> = h.iter().map(|b| (b.from.to_string(), b.to.to_string(), b.customers)).collect();
/// assert_eq!(bars, [("-1.00".into(), "0.00".into(), 1), ("0.00".into(), "1.00".into(), 2),
///     ("1.00".into(), "2.00".into(), 0), ("2.00".into(), "3.00".into(), 1)]);
/// assert_eq!(histogram(&[m("2.00"), m("2.00")], 4).unwrap().len(), 1);
/// ```
pub fn histogram(deltas: &[Money], bins: usize) -> Result<Vec<DeltaBin>> {
    let overflow = |source| Error::Overflow {
        context: "histogram of deltas".into(),
        source,
    };
    let (Some(lo), Some(hi)) = (deltas.iter().min(), deltas.iter().max()) else {
        return Ok(Vec::new());
    };
    let scale = deltas.iter().map(|d| d.get().scale()).max().unwrap_or(0);
    let span = hi.checked_sub(*lo).map_err(overflow)?.get();
    let bins = bins.max(1);
    if span.is_zero() || bins == 1 {
        return Ok(vec![DeltaBin {
            from: *lo,
            to: *hi,
            customers: deltas.len(),
        }]);
    }
    let step = Decimal::new(1, scale);
    let width = span
        .checked_div(Decimal::from(bins as u64))
        .map(|w| w.round_dp_with_strategy(scale, RoundingStrategy::AwayFromZero))
        .unwrap_or(span)
        .max(step);
    let mut out: Vec<DeltaBin> = Vec::with_capacity(bins);
    let mut from = lo.get();
    for _ in 0..bins {
        if from > hi.get() || (from == hi.get() && !out.is_empty()) {
            break;
        }
        let to = from.checked_add(width).unwrap_or(Decimal::MAX);
        out.push(DeltaBin {
            from: Money(from),
            to: Money(to),
            customers: 0,
        });
        from = to;
    }
    let last = out.len().saturating_sub(1);
    for d in deltas {
        let k = d
            .get()
            .checked_sub(lo.get())
            .and_then(|x| x.checked_div(width))
            .map(|x| x.floor())
            .and_then(|x| {
                usize::try_from(x.mantissa())
                    .ok()
                    .filter(|_| x.scale() == 0)
            })
            .unwrap_or(last)
            .min(last);
        if let Some(b) = out.get_mut(k) {
            b.customers = b.customers.saturating_add(1);
        }
    }
    Ok(out)
}

mod run;
pub use run::{price_book, price_book_from, MAX_BOOK_BYTES};

#[cfg(test)]
mod tests;
