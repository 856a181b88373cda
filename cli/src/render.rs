//! Text renderings of bills and comparisons: aligned tables for people and
//! JSON (decimals as strings). The tidy CSVs are the core's: a bill's
//! (one row per period × line) is `bill_csv`, a comparison's `compare_csv`.

use std::fmt::Write as _;

use unitcalc_core::bill::Bill;
use unitcalc_core::compare::Comparison;
use unitcalc_core::display::{self, plural};
use unitcalc_core::evidence::trail::LineTrail;
use unitcalc_core::kpi::PricePerQuantityMonth;

use crate::error::{CliError, Result};

/// Output format of quote, compare and reprice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// JSON; decimals are strings.
    Json,
    /// Tidy CSV: one row per observation.
    Csv,
}

/// A plain text table: the first row is the header; columns whose header is
/// in `right` are right-aligned.
pub struct Table {
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
    /// Free lines printed under a row (its index), indented, outside the columns.
    notes: Vec<(usize, String)>,
}

impl Table {
    /// A table with headers; `right[i]` right-aligns column `i`.
    pub fn new(headers: &[&str], right: &[bool]) -> Table {
        Table {
            rows: vec![headers.iter().map(|h| (*h).to_string()).collect()],
            right: right.to_vec(),
            notes: Vec::new(),
        }
    }
    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
    /// Adds a free line under the last row, indented.
    pub fn note(&mut self, text: String) {
        self.notes.push((self.rows.len() - 1, text));
    }
    /// Renders with two spaces between columns and a rule under the header.
    pub fn render(&self) -> String {
        let n = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut w = vec![0usize; n];
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        for (k, r) in self.rows.iter().enumerate() {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = w[i].saturating_sub(c.chars().count());
                if self.right.get(i).copied().unwrap_or(false) {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(c);
                } else {
                    line.push_str(c);
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            for (_, note) in self.notes.iter().filter(|(i, _)| *i == k) {
                out.push_str("    ");
                out.push_str(note);
                out.push('\n');
            }
            if k == 0 {
                let total: usize = w.iter().sum::<usize>() + 2 * n.saturating_sub(1);
                out.extend(std::iter::repeat_n('-', total));
                out.push('\n');
            }
        }
        out
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Quantities and units without trailing zeros, as in JSON: the same exact value.
fn norm<T: Into<rust_decimal::Decimal>>(v: Option<T>) -> String {
    v.map(|x| x.into().normalize().to_string())
        .unwrap_or_default()
}

/// JSON text of any serializable value, pretty-printed, with a final newline.
pub fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| CliError::Output {
        what: "JSON",
        message: e.to_string(),
    })?;
    s.push('\n');
    Ok(s)
}

/// A bill as an aligned table: header facts, then every line by period.
/// A bill as a table; with `trail` (from `quote --explain`), each line's
/// formula trail printed under it.
pub fn bill_table(
    deal: &str,
    b: &Bill,
    per_tb_month: Option<&PricePerQuantityMonth>,
    trail: Option<&[LineTrail]>,
) -> String {
    let mut trail = trail.unwrap_or_default().iter();
    let mut out = String::new();
    let _ = writeln!(out, "deal:     {deal}");
    let _ = writeln!(out, "offer:    {} ({})", b.offer, b.offer_kind);
    let _ = writeln!(
        out,
        "matrix:   {} version {} ({})",
        b.matrix, b.matrix_version, b.currency
    );
    let _ = writeln!(
        out,
        "term:     {} to {} ({}), channel {}",
        b.term_start,
        b.term_end,
        plural(b.term_months, "month", "months"),
        b.channel
    );
    out.push('\n');
    let mut t = Table::new(
        &[
            "period",
            "line",
            "cell",
            "quantity-hours",
            "units",
            "unit price",
            "amount",
        ],
        &[false, false, false, true, true, true, true],
    );
    for p in &b.periods {
        for l in &p.lines {
            t.row(vec![
                p.label.clone(),
                l.description.clone(),
                opt(l.cell.as_ref()),
                norm(l.quantity_hours.map(|q| q.get())),
                norm(l.units.map(|u| u.get())),
                opt(l.unit_price),
                l.amount.to_string(),
            ]);
            for step in trail.next().map(LineTrail::explain).unwrap_or_default() {
                t.note(step);
            }
        }
        let mut total = format!("{} total", p.label);
        if !p.marketplace_fee.is_zero() {
            let _ = write!(
                total,
                " (marketplace fee {}, net {})",
                p.marketplace_fee, p.net_revenue
            );
        }
        t.row(vec![
            String::new(),
            total,
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            p.total.to_string(),
        ]);
    }
    out.push_str(&t.render());
    out.push('\n');
    let _ = writeln!(out, "total contract value: {} {}", b.total, b.currency);
    let _ = writeln!(
        out,
        "marketplace fee:      {} (rate {})",
        b.marketplace_fee, b.marketplace_fee_rate
    );
    let _ = writeln!(out, "net revenue:          {}", b.net_revenue);
    let _ = writeln!(
        out,
        "units consumed:       {}",
        b.units_consumed.get().normalize()
    );
    if let Some(k) = per_tb_month {
        let _ = writeln!(
            out,
            "{:<22}{} {} over {} (half-even, {} places)",
            format!("price per {}-month:", k.unit),
            k.price,
            b.currency,
            plural(
                k.quantity_months,
                &format!("{}-month", k.unit),
                &format!("{}-months", k.unit)
            ),
            unitcalc_core::kpi::KPI_SCALE
        );
    }
    if let Some(c) = &b.commitment {
        let _ = writeln!(
            out,
            "commitment:           {} units at {} = {}; drawn {}, overage {}, remaining {} (expire, value {}){}",
            c.units_purchased,
            c.commit_price,
            c.commitment_amount,
            c.units_drawn.get().normalize(),
            c.overage_units.get().normalize(),
            c.units_remaining.get().normalize(),
            c.expired_value,
            c.exhausted_at
                .map(|h| format!(", exhausted at {h} (hour {} of the term)", opt(c.exhausted_term_hour)))
                .unwrap_or_default()
        );
    }
    out
}

/// A comparison as a table: one row per offer, then period totals side by side.
pub fn comparison_table(deal: &str, c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "deal: {deal}");
    if let Some(b) = c.bills.first() {
        let _ = writeln!(
            out,
            "matrix {} version {} ({}), term {} to {}, channel {}",
            b.matrix, b.matrix_version, b.currency, b.term_start, b.term_end, b.channel
        );
        let _ = writeln!(
            out,
            "differences are against the first offer, `{}`",
            b.offer
        );
    }
    out.push('\n');
    let mut t = Table::new(
        &[
            "offer",
            "kind",
            "total",
            "Δ total",
            "marketplace fee",
            "net revenue",
            "Δ net",
            "overage",
            "per unit",
        ],
        &[false, false, true, true, true, true, true, true, true],
    );
    for r in &c.rows {
        t.row(vec![
            r.offer.clone(),
            r.offer_kind.clone(),
            r.total.to_string(),
            r.delta_total.to_string(),
            r.marketplace_fee.to_string(),
            r.net_revenue.to_string(),
            r.delta_net_revenue.to_string(),
            display::money_at(r.overage, r.total.get().scale()),
            r.effective_price_per_unit
                .map(display::unit_price)
                .unwrap_or_default(),
        ]);
    }
    out.push_str(&t.render());
    out.push('\n');
    let mut headers = vec!["period".to_string()];
    headers.extend(c.rows.iter().map(|r| r.offer.clone()));
    let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
    let right: Vec<bool> = (0..hdr.len()).map(|i| i > 0).collect();
    let mut p = Table::new(&hdr, &right);
    let n = c.rows.first().map_or(0, |r| r.periods.len());
    for k in 0..n {
        let mut row = vec![c.rows[0]
            .periods
            .get(k)
            .map(|p| p.label.clone())
            .unwrap_or_default()];
        for (i, r) in c.rows.iter().enumerate() {
            row.push(match r.periods.get(k) {
                None => String::new(),
                Some(pd) if i == 0 => pd.total.to_string(),
                Some(pd) => format!("{} ({:+})", pd.total, pd.delta.get()),
            });
        }
        p.row(row);
    }
    out.push_str(&p.render());
    out
}

/// `usage report` as a table: customer (when the usage has one), period,
/// cell, quantity-hours, units and peak.
pub fn usage_report_table(rows: &[unitcalc_core::report::CustomerPeriodRow]) -> String {
    let customers = rows.iter().any(|r| !r.customer.is_empty());
    let all = rows;
    let mut head = vec![
        "customer",
        "period",
        "cell",
        "quantity-hours",
        "units",
        "peak",
    ];
    let mut right = vec![false, false, false, true, true, true];
    if !customers {
        head.remove(0);
        right.remove(0);
    }
    let mut t = Table::new(&head, &right);
    for unitcalc_core::report::CustomerPeriodRow { customer, row: r } in all {
        let mut row = vec![
            customer.clone(),
            r.label.clone(),
            r.cell.to_string(),
            r.quantity_hours.to_string(),
            r.units.to_string(),
            r.peak.to_string(),
        ];
        if !customers {
            row.remove(0);
        }
        t.row(row);
    }
    let mut out = t.render();
    let _ = writeln!(out, "{}", plural(rows.len(), "row", "rows"));
    out
}

/// `models` as a table: one row per model and offer.
pub fn models_table(deal: &str, cols: &[unitcalc_core::lab::ModelColumn]) -> String {
    use unitcalc_core::lab::Outcome;
    let mut out = format!("deal: {deal}\n");
    if let Some(c) = cols.first() {
        let _ = writeln!(
            out,
            "differences are against the first model, `{}`",
            c.model
        );
    }
    out.push('\n');
    let mut t = Table::new(
        &[
            "model",
            "offer",
            "total",
            "Δ total",
            "net revenue",
            "Δ net",
            "units",
            "per unit",
            "per TB-month",
        ],
        &[false, false, true, true, true, true, true, true, true],
    );
    for c in cols {
        match &c.outcome {
            Outcome::Priced { offers } => {
                for f in offers {
                    t.row(vec![
                        c.model.clone(),
                        f.offer.clone(),
                        f.total.to_string(),
                        f.delta_total.map(|m| m.to_string()).unwrap_or_default(),
                        f.net_revenue.to_string(),
                        f.delta_net_revenue
                            .map(|m| m.to_string())
                            .unwrap_or_default(),
                        f.units_consumed.to_string(),
                        f.effective_price_per_unit
                            .map(display::unit_price)
                            .unwrap_or_default(),
                        f.per_tb_month
                            .as_ref()
                            .map(|p| p.price.to_string())
                            .unwrap_or_default(),
                    ]);
                }
            }
            Outcome::NotPriced(n) => {
                t.row(vec![
                    c.model.clone(),
                    n.reason.clone(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
    }
    out.push_str(&t.render());
    out
}

/// `sweep` as a table: one row per value, one column per offer's total,
/// the current value marked.
pub fn sweep_table(deal: &str, s: &unitcalc_core::lab::sweep::Sweep) -> String {
    let mut out = format!("deal: {deal}\nparameter: {}", s.parameter);
    match s.current {
        Some(c) => {
            let _ = writeln!(out, " (now {c})");
        }
        None => out.push_str(" (no offer has it)\n"),
    }
    out.push('\n');
    let mut head: Vec<&str> = vec!["value"];
    head.extend(s.offers.iter().map(String::as_str));
    head.push("");
    let mut right = vec![true; head.len()];
    if let Some(last) = right.last_mut() {
        *last = false;
    }
    let mut t = Table::new(&head, &right);
    for p in &s.points {
        let mut row = vec![p.value.to_string()];
        row.extend(p.totals.iter().map(|m| m.to_string()));
        row.push(if s.current == Some(p.value) {
            "← now".into()
        } else {
            String::new()
        });
        t.row(row);
    }
    out.push_str(&t.render());
    out
}

/// `usage fit` as a table, one row per customer and cell.
pub fn usage_fit_table(fits: &[unitcalc_core::profile::fit::CellFit]) -> String {
    let customers = fits.iter().any(|f| !f.customer.is_empty());
    let mut head = vec![
        "customer",
        "cell",
        "from",
        "days",
        "baseline",
        "growth/month",
        "daily swing",
        "weekend dip",
        "noise",
        "continues",
        "at",
    ];
    let mut right = vec![
        false, false, false, true, true, true, true, true, true, false, true,
    ];
    if !customers {
        head.remove(0);
        right.remove(0);
    }
    let mut t = Table::new(&head, &right);
    for f in fits {
        let mut row = vec![
            f.customer.clone(),
            f.cell.to_string(),
            f.start.to_string(),
            f.days.to_string(),
        ];
        row.extend(f.values());
        if !customers {
            row.remove(0);
        }
        t.row(row);
    }
    let mut out = t.render();
    let _ = writeln!(out, "{}", plural(fits.len(), "fitted cell", "fitted cells"));
    out
}

/// `matrix diff` as a table, the relative change as a percentage.
pub fn matrix_diff_table(d: &unitcalc_core::matrix::diff::MatrixDiff) -> String {
    let mut out = format!("{} -> {}\n", d.old, d.new);
    if d.differences.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    let mut t = Table::new(
        &["kind", "id", "change", "old", "new", "change %"],
        &[false, false, false, true, true, true],
    );
    for x in &d.differences {
        t.row(vec![
            x.kind.to_string(),
            x.id.clone(),
            x.change.as_str().to_string(),
            x.old.clone(),
            x.new.clone(),
            x.relative.map(display::percent).unwrap_or_default(),
        ]);
    }
    out.push_str(&t.render());
    let _ = writeln!(
        out,
        "{}",
        plural(d.differences.len(), "difference", "differences")
    );
    out
}
