//! The reprice summary: a book's bills under the current and the candidate
//! matrix, per customer and in total, with the deltas and the biggest
//! movers. Plain serde data; sums and differences are exact and checked.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Dispersion;
use crate::bill::Bill;
use crate::error::{Error, Result};
use crate::kpi;
use crate::matrix::Matrix;
use crate::num::{Money, Price};

/// One customer's bills, as a front end priced them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerBills {
    /// Customer name.
    pub customer: String,
    /// The bill under the current matrix.
    pub current: Bill,
    /// The bill under the candidate matrix (with a candidate).
    pub candidate: Option<Bill>,
}

/// What [`Summary::new`] keeps and lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryOptions {
    /// How many of the largest increases and decreases to list.
    pub top: usize,
    /// Keep every customer's bills in its row (for a JSON with the bills, or
    /// the bill CSV); otherwise they are dropped once added up.
    pub keep_bills: bool,
}

/// One customer's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// Customer name.
    pub customer: String,
    /// Offer priced.
    pub offer: String,
    /// Offer kind.
    pub offer_kind: String,
    /// Total contract value under the current matrix.
    pub current: Money,
    /// Total under the candidate matrix (absent without a candidate).
    pub candidate: Option<Money>,
    /// candidate − current.
    pub delta: Option<Money>,
    /// Net revenue under the current matrix.
    pub current_net_revenue: Money,
    /// Net revenue under the candidate matrix.
    pub candidate_net_revenue: Option<Money>,
    /// Current price per TB-month ([`crate::kpi::CAPACITY_UNIT`]), when the
    /// customer held any TB.
    #[serde(default)]
    pub current_per_tb_month: Option<Price>,
    /// Candidate price per TB-month.
    #[serde(default)]
    pub candidate_per_tb_month: Option<Price>,
    /// The bill under the current matrix ([`SummaryOptions::keep_bills`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_bill: Option<Bill>,
    /// The bill under the candidate matrix ([`SummaryOptions::keep_bills`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_bill: Option<Bill>,
}

/// A customer whose total moves under the candidate matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mover {
    /// Customer name.
    pub customer: String,
    /// candidate − current.
    pub delta: Money,
}

/// A matrix's name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixId {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

impl MatrixId {
    fn of(m: &Matrix) -> MatrixId {
        MatrixId {
            name: m.name.clone(),
            version: m.version.clone(),
        }
    }
}

/// A whole book repriced: every customer's totals, the book's totals under
/// each matrix, the delta and the biggest movers.
///
/// ```
/// use unitcalc_core::book::{CustomerBills, Summary, SummaryOptions};
/// use unitcalc_core::{bundled, engine, usage_csv};
/// use unitcalc_core::offer::{DealTerms, Offer, OfferKind, PayAsYouGo};
/// use unitcalc_core::time::{Date, Term};
/// let current = bundled::matrix("spec-m").unwrap();
/// let mut candidate = bundled::matrix("spec-m").unwrap();
/// candidate.list_price = "1.10".parse().unwrap();
/// let terms = DealTerms {
///     term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(),
///     channel: Default::default(),
/// };
/// let payg = |d: &str| Offer {
///     name: format!("PAYG {d}"),
///     kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: d.parse().unwrap() }),
/// };
/// let usage = usage_csv::read_usage(
///     b"timestamp,meter,environment,use_case,quantity\n2026-03-01T00:00:00Z,capacity,azure,hot,200\n",
///     "usage.csv", &current, &terms.term,
/// ).unwrap();
/// let bills = |o: &Offer| CustomerBills {
///     customer: o.name.to_lowercase(),
///     current: engine::price(&current, &terms, o, &usage).unwrap(),
///     candidate: Some(engine::price(&candidate, &terms, o, &usage).unwrap()),
/// };
/// let s = Summary::new(
///     &current,
///     Some(&candidate),
///     1,
///     [bills(&payg("0")), bills(&payg("0.20"))],
///     SummaryOptions { top: 5, keep_bills: false },
/// )
/// .unwrap();
/// // 200 TB for one hour on azure/hot is 0.375 units: 0.38 at list price 1.00, 0.41 at 1.10;
/// // 0.30 and 0.33 with 20% off.
/// assert_eq!(s.customers[0].delta.unwrap().to_string(), "0.03");
/// assert_eq!(s.total_current.to_string(), "0.68");
/// assert_eq!(s.total_delta.unwrap().to_string(), "0.06");
/// assert_eq!(s.largest_increases[0].customer, "payg 0");
/// assert!(s.largest_decreases.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The current matrix.
    pub current_matrix: MatrixId,
    /// The candidate matrix.
    pub candidate_matrix: Option<MatrixId>,
    /// Currency code (the current matrix's).
    pub currency: String,
    /// Usage rows read.
    pub rows: u64,
    /// Σ current totals.
    pub total_current: Money,
    /// Σ candidate totals.
    pub total_candidate: Option<Money>,
    /// Σ deltas.
    pub total_delta: Option<Money>,
    /// Σ current net revenue.
    pub net_revenue_current: Money,
    /// Σ candidate net revenue.
    pub net_revenue_candidate: Option<Money>,
    /// Largest increases (the customer pays more under the candidate),
    /// biggest first, then by name.
    pub largest_increases: Vec<Mover>,
    /// Largest decreases (the customer pays less), biggest first (ties in
    /// reverse name order).
    pub largest_decreases: Vec<Mover>,
    /// The spread of customers' price per TB-month under the current
    /// matrix (who held no TB is left out).
    #[serde(default)]
    pub dispersion_current: Option<Dispersion>,
    /// The same under the candidate.
    #[serde(default)]
    pub dispersion_candidate: Option<Dispersion>,
    /// Every customer, in the order given.
    pub customers: Vec<CustomerRow>,
}

/// `a + b`, or the crate's overflow error naming what was summed.
fn add(a: Money, b: Money, context: &str) -> Result<Money> {
    a.checked_add(b).map_err(|source| Error::Overflow {
        context: context.into(),
        source,
    })
}

/// `Some(a + b)` when both are there.
fn add_opt(a: Option<Money>, b: Option<Money>, context: &str) -> Result<Option<Money>> {
    match (a, b) {
        (Some(a), Some(b)) => add(a, b, context).map(Some),
        (a, _) => Ok(a),
    }
}

impl Summary {
    /// Adds up a book's bills: `current` and `candidate` are the matrices
    /// the bills were priced with (the candidate's totals, deltas and
    /// movers are there only with a candidate), `rows` the usage rows read,
    /// `customers` every customer's bills in the order to list them.
    ///
    /// Totals are Σ of the bills' totals (already rounded per line), the
    /// delta is candidate − current, and net revenue is Σ of the bills' net
    /// revenue (after marketplace fees): exact sums, an overflow is an
    /// [`Error::Overflow`].
    pub fn new(
        current: &Matrix,
        candidate: Option<&Matrix>,
        rows: u64,
        customers: impl IntoIterator<Item = CustomerBills>,
        options: SummaryOptions,
    ) -> Result<Summary> {
        let with_candidate = candidate.map(|_| Money::ZERO);
        let mut s = Summary {
            current_matrix: MatrixId::of(current),
            candidate_matrix: candidate.map(MatrixId::of),
            currency: current.currency.code.clone(),
            rows,
            total_current: Money::ZERO,
            total_candidate: with_candidate,
            total_delta: with_candidate,
            net_revenue_current: Money::ZERO,
            net_revenue_candidate: with_candidate,
            largest_increases: Vec::new(),
            largest_decreases: Vec::new(),
            dispersion_current: None,
            dispersion_candidate: None,
            customers: Vec::new(),
        };
        let per_tb = |b: &Bill, m: &Matrix| -> Result<Option<Price>> {
            Ok(kpi::price_per_quantity_month(b, m, kpi::CAPACITY_UNIT)?.map(|k| k.price))
        };
        for c in customers {
            let cur = &c.current;
            let cand = c.candidate.as_ref();
            let delta = cand
                .map(|b| b.total.checked_sub(cur.total))
                .transpose()
                .map_err(|source| Error::Overflow {
                    context: "delta".into(),
                    source,
                })?;
            s.total_current = add(s.total_current, cur.total, "book totals")?;
            s.net_revenue_current = add(s.net_revenue_current, cur.net_revenue, "book totals")?;
            s.total_candidate = add_opt(s.total_candidate, cand.map(|b| b.total), "book totals")?;
            s.net_revenue_candidate = add_opt(
                s.net_revenue_candidate,
                cand.map(|b| b.net_revenue),
                "book totals",
            )?;
            s.total_delta = add_opt(s.total_delta, delta, "book totals")?;
            let row = CustomerRow {
                offer: cur.offer.clone(),
                offer_kind: cur.offer_kind.clone(),
                current: cur.total,
                candidate: cand.map(|b| b.total),
                delta,
                current_net_revenue: cur.net_revenue,
                candidate_net_revenue: cand.map(|b| b.net_revenue),
                current_per_tb_month: per_tb(cur, current)?,
                candidate_per_tb_month: match (cand, candidate) {
                    (Some(b), Some(m)) => per_tb(b, m)?,
                    _ => None,
                },
                customer: c.customer,
                current_bill: None,
                candidate_bill: None,
            };
            let row = if options.keep_bills {
                CustomerRow {
                    current_bill: Some(c.current),
                    candidate_bill: c.candidate,
                    ..row
                }
            } else {
                row
            };
            s.customers.push(row);
        }
        let mut movers: Vec<(&str, Money)> = s
            .customers
            .iter()
            .filter_map(|c| c.delta.map(|d| (c.customer.as_str(), d)))
            .collect();
        movers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let mover = |m: &&(&str, Money)| Mover {
            customer: m.0.to_string(),
            delta: m.1,
        };
        let increases = movers
            .iter()
            .filter(|m| m.1.get() > Decimal::ZERO)
            .take(options.top)
            .map(|m| mover(&m))
            .collect();
        let decreases = movers
            .iter()
            .rev()
            .filter(|m| m.1.get() < Decimal::ZERO)
            .take(options.top)
            .map(|m| mover(&m))
            .collect();
        s.dispersion_current = Dispersion::of(
            s.customers
                .iter()
                .filter_map(|c| c.current_per_tb_month)
                .collect(),
        );
        s.dispersion_candidate = Dispersion::of(
            s.customers
                .iter()
                .filter_map(|c| c.candidate_per_tb_month)
                .collect(),
        );
        s.largest_increases = increases;
        s.largest_decreases = decreases;
        Ok(s)
    }

    /// Every bill kept ([`SummaryOptions::keep_bills`]), in customer order,
    /// each customer's current bill before its candidate bill, with the
    /// customer's name: what [`crate::bill_csv`] writes.
    pub fn bills(&self) -> impl Iterator<Item = (&str, &Bill)> {
        self.customers.iter().flat_map(|c| {
            [c.current_bill.as_ref(), c.candidate_bill.as_ref()]
                .into_iter()
                .flatten()
                .map(|b| (c.customer.as_str(), b))
        })
    }

    /// The same summary without the customers' bills (for a JSON of the
    /// totals only).
    pub fn without_bills(mut self) -> Summary {
        for c in &mut self.customers {
            c.current_bill = None;
            c.candidate_bill = None;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bill::Bill;
    use crate::bundled;
    use crate::num::Overflow;

    fn bill(total: &str, net: &str) -> Bill {
        let json = format!(
            r#"{{"offer":"o","offer_kind":"pay-as-you-go","matrix":"spec-m","matrix_version":"1",
            "currency":"USD","term_start":"2026-03-01","term_end":"2026-04-01","term_months":1,
            "channel":"direct","periods":[],"total":"{total}","marketplace_fee_rate":"0",
            "marketplace_fee":"0","net_revenue":"{net}","units_consumed":"0","cells":[],"commitment":null}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    fn customer(name: &str, cur: &str, cand: Option<&str>) -> CustomerBills {
        CustomerBills {
            customer: name.into(),
            current: bill(cur, cur),
            candidate: cand.map(|c| bill(c, c)),
        }
    }

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn movers_are_ordered_and_limited() {
        let matrix = bundled::matrix("spec-m").unwrap();
        let book = [
            ("a", "10.00", "12.00"),
            ("b", "10.00", "8.00"),
            ("c", "10.00", "10.00"),
            ("d", "10.00", "12.00"),
            ("e", "10.00", "15.00"),
            ("f", "10.00", "8.00"),
            ("g", "10.00", "1.00"),
        ];
        let s = Summary::new(
            &matrix,
            Some(&matrix),
            7,
            book.map(|(n, c, d)| customer(n, c, Some(d))),
            SummaryOptions {
                top: 2,
                keep_bills: true,
            },
        )
        .unwrap();
        let names = |v: &[Mover]| v.iter().map(|m| m.customer.clone()).collect::<Vec<_>>();
        assert_eq!(names(&s.largest_increases), ["e", "a"]);
        assert_eq!(names(&s.largest_decreases), ["g", "f"]);
        assert_eq!(s.total_current, m("70.00"));
        assert_eq!(s.total_candidate, Some(m("66.00")));
        assert_eq!(s.total_delta, Some(m("-4.00")));
        assert_eq!(s.net_revenue_candidate, Some(m("66.00")));
        assert_eq!(s.bills().count(), 14);
        assert_eq!(s.clone().without_bills().bills().count(), 0);
    }

    #[test]
    fn without_a_candidate_there_are_no_deltas() {
        let matrix = bundled::matrix("spec-m").unwrap();
        let s = Summary::new(
            &matrix,
            None,
            0,
            [customer("a", "1.00", None)],
            SummaryOptions {
                top: 5,
                keep_bills: false,
            },
        )
        .unwrap();
        assert_eq!((s.total_candidate, s.total_delta), (None, None));
        assert!(s.largest_increases.is_empty() && s.largest_decreases.is_empty());
        assert_eq!(s.customers[0].delta, None);
        assert_eq!(s.bills().count(), 0);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("current_bill"), "{json}");
    }

    #[test]
    fn an_overflowing_total_is_an_error_not_a_panic() {
        let matrix = bundled::matrix("spec-m").unwrap();
        let max = Decimal::MAX.to_string();
        let e = Summary::new(
            &matrix,
            None,
            0,
            [customer("a", &max, None), customer("b", &max, None)],
            SummaryOptions {
                top: 5,
                keep_bills: false,
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            Error::Overflow {
                context: "book totals".into(),
                source: Overflow { what: "Money" }
            }
        );
        let e = Summary::new(
            &matrix,
            Some(&matrix),
            0,
            [customer("a", &format!("-{max}"), Some(&max))],
            SummaryOptions {
                top: 5,
                keep_bills: false,
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "delta: arithmetic overflow while computing Money"
        );
    }
}
