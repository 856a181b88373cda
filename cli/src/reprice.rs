//! `reprice`: a book priced under the current and candidate matrices in one
//! streaming pass over the usage (CSV on all cores, or Parquet).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use unitcalc_core::bill_csv;
use unitcalc_core::book::{CustomerBills, Mover, Summary, SummaryOptions};
use unitcalc_core::display::plural;

use crate::book;
use crate::error::{CliError, Result};
use crate::load::{self, UsageFormat};
use crate::output::Sink;
use crate::parquet;
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
    let priced = match load::usage_format(&usage) {
        UsageFormat::Csv => stream::price_book(&setup, &usage)?,
        UsageFormat::Parquet => parquet::price_book(&setup, &usage)?,
    };
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
    let keep_bills = o.format == Format::Csv || (o.format == Format::Json && o.bills);
    let summary = Summary::new(
        &book.matrix,
        book.candidate.as_ref(),
        priced.rows,
        priced
            .customers
            .into_iter()
            .map(|(customer, current, candidate)| CustomerBills {
                customer,
                current,
                candidate,
            }),
        SummaryOptions {
            top: o.top,
            keep_bills,
        },
    )?;
    let mut sink = Sink::open(o.output.as_deref())?;
    match o.format {
        Format::Table => sink.write_all(table(&summary).as_bytes())?,
        Format::Json => sink.write_all(render::json(&summary)?.as_bytes())?,
        Format::Csv => bill_csv::write_csv(&mut sink, summary.bills())
            .map_err(|e| CliError::io(sink.display(), e))?,
    }
    sink.finish()
}

fn table(r: &Summary) -> String {
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
        "; {}, {}, {}",
        plural(r.rows, "usage row", "usage rows"),
        plural(r.customers.len(), "customer", "customers"),
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
    let spread = [
        ("current", &r.dispersion_current),
        ("candidate", &r.dispersion_candidate),
    ];
    if spread.iter().any(|(_, d)| d.is_some()) {
        let _ = writeln!(
            out,
            "price per TB-month across customers (min / q1 / median / q3 / max):"
        );
        for (name, d) in spread {
            if let Some(d) = d {
                let _ = writeln!(
                    out,
                    "  {name:<9} {} / {} / {} / {} / {} ({})",
                    d.min,
                    d.q1,
                    d.median,
                    d.q3,
                    d.max,
                    plural(d.customers, "customer", "customers")
                );
            }
        }
    }
    out
}
