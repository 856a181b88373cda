//! `usage generate`: synthetic hourly usage for many customers from one
//! profile (the seed varies per customer), written as a book usage CSV.

use std::io::Write as _;
use std::path::Path;

use rayon::prelude::*;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::profile::{self, Profile};
use unitcalc_core::time::{Hour, Term};

use crate::error::{CliError, Result};
use crate::output::Sink;
use crate::stream::{progress, HEADER};

/// What to generate.
pub struct Plan<'a> {
    /// Matrix naming the cells.
    pub matrix: &'a Matrix,
    /// The profile; customer `i` uses seed `profile.seed + i`.
    pub profile: &'a Profile,
    /// The term covered.
    pub term: Term,
    /// Number of customers.
    pub customers: u32,
    /// Customer names are `{prefix}{i:04}` (1-based), or exactly `prefix` for one customer.
    pub prefix: &'a str,
}

/// Customer name of index `i` (0-based).
pub fn customer_name(prefix: &str, count: u32, i: u32) -> String {
    if count == 1 {
        prefix.to_string()
    } else {
        format!("{prefix}{:04}", i + 1)
    }
}

fn one(plan: &Plan<'_>, stamps: &[String], cells: &[String], i: u32) -> Result<Vec<u8>> {
    let mut p = plan.profile.clone();
    p.seed = p.seed.wrapping_add(u64::from(i));
    let series = profile::generate(&p, &plan.term)?;
    let name = customer_name(plan.prefix, plan.customers, i);
    let mut out = Vec::with_capacity(series.hours() * series.cells().len() * 64);
    let map = |e: std::io::Error| CliError::io("<buffer>", e);
    // Time order; within an hour, matrix order.
    let index: Vec<usize> = series
        .cells()
        .iter()
        .map(|c| plan.matrix.cell_index(c.cell))
        .collect();
    for (h, stamp) in stamps.iter().enumerate().take(series.hours()) {
        for (c, &ci) in series.cells().iter().zip(&index) {
            let q = c.quantities[h];
            let cell = cells.get(ci).ok_or_else(|| {
                CliError::Args(format!(
                    "profile cell {:?} is not in matrix {}",
                    c.cell, plan.matrix.name
                ))
            })?;
            writeln!(out, "{name},{stamp},{cell},{q}").map_err(map)?;
        }
    }
    Ok(out)
}

/// Writes the CSV to `out` (a temporary file renamed on success, or stdout).
/// Returns the number of data rows.
pub fn write(plan: &Plan<'_>, out: Option<&Path>) -> Result<u64> {
    if plan.customers == 0 {
        return Err(CliError::Args("--customers must be at least 1".into()));
    }
    let start = plan.term.start_hour().0;
    let stamps: Vec<String> = (0..plan.term.hours())
        .map(|h| Hour(start + h as i64).to_string())
        .collect();
    let cells: Vec<String> = plan
        .matrix
        .cells()
        .map(|c| {
            let n = plan.matrix.cell_name(c);
            format!("{},{},{}", n.meter, n.environment, n.use_case)
        })
        .collect();
    let mut sink = Sink::open(out)?;
    sink.write_all(HEADER.as_bytes())?;
    sink.write_all(b"\n")?;
    let threads = rayon::current_num_threads().max(1) as u32;
    let chunk = threads * 2;
    let bar = progress(u64::MAX);
    if let Some(b) = &bar {
        b.set_length(u64::from(plan.customers));
    }
    let mut rows = 0u64;
    let mut next = 0u32;
    while next < plan.customers {
        let end = next.saturating_add(chunk).min(plan.customers);
        let bufs: Vec<Result<Vec<u8>>> = (next..end)
            .into_par_iter()
            .map(|i| one(plan, &stamps, &cells, i))
            .collect();
        for b in bufs {
            let b = b?;
            rows += memchr::memchr_iter(b'\n', &b).count() as u64;
            sink.write_all(&b)?;
        }
        if let Some(bar) = &bar {
            bar.inc(u64::from(end - next));
        }
        next = end;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    sink.finish()?;
    Ok(rows)
}
