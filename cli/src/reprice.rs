//! `reprice`: a book priced under the current and candidate matrices in one
//! streaming pass over the usage CSV.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;
use unitcalc_core::bill::Bill;
use unitcalc_core::num::Money;

use crate::book;
use crate::error::{CliError, Result};
use crate::output::Sink;
use crate::render::{self, Format, Table};
use crate::stream::{self, Setup};

/// Options of the `reprice` subcommand.
pub struct Options {
    /// Book file.
    pub book: PathBuf,
    /// Usage CSV override.
    pub usage: Option<PathBuf>,
    /// Candidate matrix override.
    pub candidate: Option<PathBuf>,
    /// Movers to list.
    pub top: usize,
    /// Include bills in JSON.
    pub bills: bool,
    /// Timing on stderr.
    pub stats: bool,
    /// Output format.
    pub format: Format,
    /// Output file.
    pub output: Option<PathBuf>,
}

/// One customer's result.
#[derive(Debug, Serialize)]
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
    /// The bill under the current matrix (`--bills`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_bill: Option<Bill>,
    /// The bill under the candidate matrix (`--bills`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_bill: Option<Bill>,
}

/// A customer whose total moves under the candidate matrix.
#[derive(Debug, Serialize)]
pub struct Mover {
    /// Customer name.
    pub customer: String,
    /// candidate − current.
    pub delta: Money,
}

/// A matrix's name and version.
#[derive(Debug, Serialize)]
pub struct MatrixId {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
}

/// The whole reprice result.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The current matrix.
    pub current_matrix: MatrixId,
    /// The candidate matrix.
    pub candidate_matrix: Option<MatrixId>,
    /// Currency code.
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
    /// Largest increases (customer pays more under the candidate), biggest first.
    pub largest_increases: Vec<Mover>,
    /// Largest decreases (customer pays less), biggest first.
    pub largest_decreases: Vec<Mover>,
    /// Every customer, book order then first appearance in the usage.
    pub customers: Vec<CustomerRow>,
}

fn add(a: Money, b: Money) -> Result<Money> {
    a.checked_add(b).map_err(|source| {
        CliError::Core(unitcalc_core::Error::Overflow {
            context: "book totals".into(),
            source,
        })
    })
}

/// Runs `reprice`.
pub fn run(o: &Options) -> Result<()> {
    let t0 = Instant::now();
    let book = book::load(&o.book, o.candidate.as_deref())?;
    let usage = o
        .usage
        .clone()
        .or_else(|| book.usage.clone())
        .ok_or_else(|| {
            CliError::Args(format!(
                "{}: no usage CSV: give --usage or set `usage` in the book",
                o.book.display()
            ))
        })?;
    let setup = Setup {
        matrix: &book.matrix,
        candidate: book.candidate.as_ref(),
        customers: &book.customers,
        default: book.default.as_ref(),
    };
    let priced = stream::price_book(&setup, &usage)?;
    let elapsed = t0.elapsed();
    if o.stats {
        let ms = elapsed.as_millis().max(1);
        let per_s = u128::from(priced.rows) * 1000 / ms;
        eprintln!(
            "rows {} customers {} elapsed_ms {} rows_per_s {}",
            priced.rows,
            priced.customers.len(),
            ms,
            per_s
        );
    }
    let mut rep = Report {
        current_matrix: MatrixId {
            name: book.matrix.name.clone(),
            version: book.matrix.version.clone(),
        },
        candidate_matrix: book.candidate.as_ref().map(|m| MatrixId {
            name: m.name.clone(),
            version: m.version.clone(),
        }),
        currency: book.matrix.currency.code.clone(),
        rows: priced.rows,
        total_current: Money::ZERO,
        total_candidate: book.candidate.as_ref().map(|_| Money::ZERO),
        total_delta: book.candidate.as_ref().map(|_| Money::ZERO),
        net_revenue_current: Money::ZERO,
        net_revenue_candidate: book.candidate.as_ref().map(|_| Money::ZERO),
        largest_increases: Vec::new(),
        largest_decreases: Vec::new(),
        customers: Vec::with_capacity(priced.customers.len()),
    };
    let mut csv_bills = Vec::new();
    for (name, cur, cand) in priced.customers {
        let delta = cand
            .as_ref()
            .map(|c| c.total.checked_sub(cur.total))
            .transpose()
            .map_err(|source| {
                CliError::Core(unitcalc_core::Error::Overflow {
                    context: "delta".into(),
                    source,
                })
            })?;
        rep.total_current = add(rep.total_current, cur.total)?;
        rep.net_revenue_current = add(rep.net_revenue_current, cur.net_revenue)?;
        if let (Some(t), Some(c)) = (rep.total_candidate.as_mut(), cand.as_ref()) {
            *t = add(*t, c.total)?;
        }
        if let (Some(t), Some(c)) = (rep.net_revenue_candidate.as_mut(), cand.as_ref()) {
            *t = add(*t, c.net_revenue)?;
        }
        if let (Some(t), Some(d)) = (rep.total_delta.as_mut(), delta) {
            *t = add(*t, d)?;
        }
        let row = CustomerRow {
            customer: name.clone(),
            offer: cur.offer.clone(),
            offer_kind: cur.offer_kind.clone(),
            current: cur.total,
            candidate: cand.as_ref().map(|c| c.total),
            delta,
            current_net_revenue: cur.net_revenue,
            candidate_net_revenue: cand.as_ref().map(|c| c.net_revenue),
            current_bill: None,
            candidate_bill: None,
        };
        rep.customers.push(row);
        if o.format == Format::Csv || (o.format == Format::Json && o.bills) {
            csv_bills.push((name, cur, cand));
        }
    }
    let mut movers: Vec<(&str, Money)> = rep
        .customers
        .iter()
        .filter_map(|c| c.delta.map(|d| (c.customer.as_str(), d)))
        .collect();
    movers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    rep.largest_increases = movers
        .iter()
        .filter(|m| m.1.get().is_sign_positive() && !m.1.is_zero())
        .take(o.top)
        .map(|m| Mover {
            customer: m.0.to_string(),
            delta: m.1,
        })
        .collect();
    rep.largest_decreases = movers
        .iter()
        .rev()
        .filter(|m| m.1.get().is_sign_negative() && !m.1.is_zero())
        .take(o.top)
        .map(|m| Mover {
            customer: m.0.to_string(),
            delta: m.1,
        })
        .collect();
    let mut sink = Sink::open(o.output.as_deref())?;
    match o.format {
        Format::Table => sink.write_all(table(&rep).as_bytes())?,
        Format::Json => {
            if o.bills {
                for (row, (_, cur, cand)) in rep.customers.iter_mut().zip(csv_bills) {
                    row.current_bill = Some(cur);
                    row.candidate_bill = cand;
                }
            }
            sink.write_all(render::json(&rep)?.as_bytes())?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut sink);
            let err = |e: csv::Error| CliError::Output {
                what: "CSV",
                message: e.to_string(),
            };
            w.write_record(render::LINE_CSV_HEADER).map_err(err)?;
            for (name, cur, cand) in &csv_bills {
                render::bill_csv_rows(&mut w, name, cur).map_err(err)?;
                if let Some(c) = cand {
                    render::bill_csv_rows(&mut w, name, c).map_err(err)?;
                }
            }
            w.flush()
                .map_err(|e| CliError::io(o.output.clone().unwrap_or_default(), e))?;
        }
    }
    sink.finish()
}

fn table(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "current matrix {} version {}",
        r.current_matrix.name, r.current_matrix.version
    );
    if let Some(c) = &r.candidate_matrix {
        let _ = write!(out, "; candidate {} version {}", c.name, c.version);
    }
    let _ = writeln!(
        out,
        "; {} usage rows, {} customers, {}",
        r.rows,
        r.customers.len(),
        r.currency
    );
    out.push('\n');
    let cand = r.candidate_matrix.is_some();
    let mut t = if cand {
        Table::new(
            &["customer", "offer", "kind", "current", "candidate", "delta"],
            &[false, false, false, true, true, true],
        )
    } else {
        Table::new(
            &["customer", "offer", "kind", "total", "net revenue"],
            &[false, false, false, true, true],
        )
    };
    for c in &r.customers {
        let mut row = vec![
            c.customer.clone(),
            c.offer.clone(),
            c.offer_kind.clone(),
            c.current.to_string(),
        ];
        if cand {
            row.push(c.candidate.map(|m| m.to_string()).unwrap_or_default());
            row.push(
                c.delta
                    .map(|m| format!("{:+}", m.get()))
                    .unwrap_or_default(),
            );
        } else {
            row.push(c.current_net_revenue.to_string());
        }
        t.row(row);
    }
    out.push_str(&t.render());
    out.push('\n');
    let _ = writeln!(
        out,
        "total revenue, current:   {} (net {})",
        r.total_current, r.net_revenue_current
    );
    if let (Some(tc), Some(d)) = (r.total_candidate, r.total_delta) {
        let _ = writeln!(
            out,
            "total revenue, candidate: {} (net {})",
            tc,
            r.net_revenue_candidate.unwrap_or_default()
        );
        let _ = writeln!(out, "delta:                    {:+}", d.get());
        let list = |v: &[Mover]| -> String {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.iter()
                    .map(|m| format!("{} ({:+})", m.customer, m.delta.get()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let _ = writeln!(out, "largest increases: {}", list(&r.largest_increases));
        let _ = writeln!(out, "largest decreases: {}", list(&r.largest_decreases));
    }
    out
}
