//! Pricing a book's usage in one sequential pass: one [`Pricer`] per
//! customer and matrix, fed records in the order given. The Python package
//! and the CLI's Parquet path use it; the CLI's CSV path spreads the same
//! work over threads (`cli/src/stream.rs`).

use std::collections::HashMap;

use super::{CustomerBills, Slot};
use crate::engine::Pricer;
use crate::error::{Error, Origin, Result};
use crate::matrix::{CellMap, Matrix};
use crate::usage_csv::CsvRecord;

/// Pricers for every customer of a book: the listed customers first (in book
/// order), then those found in the usage, priced with the default slot, in
/// the order they first appear. Each customer's records must come in time
/// order (the pricer refuses an hour that goes back).
///
/// ```
/// use unitcalc_core::book::{Repricer, Slot};
/// use unitcalc_core::{bundled, usage_csv::UsageReader};
/// use unitcalc_core::offer::{DealTerms, Offer, OfferKind, PayAsYouGo};
/// use unitcalc_core::time::{Date, Term};
/// let m = bundled::matrix("spec-m").unwrap();
/// let slot = Slot {
///     terms: DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Default::default() },
///     current: Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0".parse().unwrap() }) },
///     candidate: None,
/// };
/// let csv = "customer,timestamp,meter,environment,use_case,quantity\n\
///            acme,2026-03-01T00:00:00Z,capacity,azure,hot,200\n";
/// let mut r = Repricer::new(&m, None, &[], Some(&slot)).unwrap();
/// for rec in UsageReader::new(csv.as_bytes(), "usage.csv", &m).unwrap() {
///     r.push(&rec.unwrap(), "usage.csv").unwrap();
/// }
/// let (bills, rows) = r.finish().unwrap();
/// assert_eq!((bills[0].customer.as_str(), rows), ("acme", 1));
/// assert_eq!(bills[0].current.total.to_string(), "0.38");
/// ```
pub struct Repricer<'a> {
    current: &'a Matrix,
    candidate: Option<&'a Matrix>,
    default: Option<&'a Slot>,
    /// The current matrix's cells in the candidate.
    cells: CellMap<'a>,
    names: Vec<String>,
    ids: HashMap<String, usize>,
    states: Vec<(Pricer<'a>, Option<Pricer<'a>>)>,
    rows: u64,
}

impl<'a> Repricer<'a> {
    /// Pricers for the listed `customers` (and, for customers the usage
    /// names but the book does not list, `default`), under `current` and
    /// `candidate`.
    pub fn new(
        current: &'a Matrix,
        candidate: Option<&'a Matrix>,
        customers: &'a [(String, Slot)],
        default: Option<&'a Slot>,
    ) -> Result<Self> {
        let cells = CellMap::new(current, candidate);
        let mut r = Repricer {
            current,
            candidate,
            default,
            cells,
            names: Vec::new(),
            ids: HashMap::new(),
            states: Vec::new(),
            rows: 0,
        };
        for (name, slot) in customers {
            r.add(name, slot)?;
        }
        Ok(r)
    }

    fn add(&mut self, name: &str, slot: &'a Slot) -> Result<usize> {
        let customer = |e: Error| Error::Customer {
            customer: name.to_string(),
            source: Box::new(e),
        };
        let current = Pricer::new(self.current, &slot.terms, &slot.current).map_err(customer)?;
        let candidate = match (self.candidate, &slot.candidate) {
            (Some(m), Some(o)) => {
                Some(
                    Pricer::new(m, &slot.terms, o).map_err(|e| Error::Candidate {
                        matrix: m.name.clone(),
                        source: Box::new(customer(e)),
                    })?,
                )
            }
            _ => None,
        };
        let id = self.states.len();
        self.states.push((current, candidate));
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        Ok(id)
    }

    /// Prices one record of `file` (read with the book's current matrix).
    pub fn push(&mut self, rec: &CsvRecord, file: &str) -> Result<()> {
        let at = || Origin::line(file, u32::try_from(rec.line).unwrap_or(u32::MAX));
        if rec.customer.trim().is_empty() {
            return Err(Error::Csv {
                at: at(),
                message: "empty customer".into(),
            });
        }
        let id = match self.ids.get(rec.customer.as_str()) {
            Some(&id) => id,
            None => match self.default {
                Some(slot) => self.add(&rec.customer, slot)?,
                None => {
                    return Err(Error::Unknown {
                        at: at(),
                        what: "customer",
                        value: rec.customer.clone(),
                    })
                }
            },
        };
        let candidate = self.cells.get_at(rec.cell, at)?;
        let Some((cur, cand)) = self.states.get_mut(id) else {
            return Ok(());
        };
        let res = cur
            .push(rec.hour, rec.cell, rec.quantity)
            .and_then(|()| match cand {
                Some(c) => c.push(rec.hour, candidate, rec.quantity),
                None => Ok(()),
            });
        res.map_err(|issue| Error::Customer {
            customer: rec.customer.clone(),
            source: Box::new(Error::usage(at(), issue)),
        })?;
        self.rows = self.rows.saturating_add(1);
        Ok(())
    }

    /// Every customer's bills, in order (listed, then as first seen), and
    /// the number of records priced: what [`super::Summary::new`] adds up.
    pub fn finish(self) -> Result<(Vec<CustomerBills>, u64)> {
        let rows = self.rows;
        let bills = self
            .states
            .into_iter()
            .zip(self.names)
            .map(|((cur, cand), customer)| {
                let wrap = |e: Error| Error::Customer {
                    customer: customer.clone(),
                    source: Box::new(e),
                };
                let current = cur.finish().map_err(wrap)?;
                let candidate = cand.map(|c| c.finish().map_err(wrap)).transpose()?;
                Ok(CustomerBills {
                    customer,
                    current,
                    candidate,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((bills, rows))
    }
}
