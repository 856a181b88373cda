//! `unitcalc meter`: a deal's marketplace metering. `export` writes the
//! request bodies the core builds, one file each, into a folder;
//! `reconcile` prints the records against the bill (and, with `--report`,
//! the marketplace's report against what was sent). The core meters,
//! reconciles and writes the JSON; this module reads files, writes files and
//! picks the output format.

use std::path::{Path, PathBuf};

use unitcalc_core::metering::report::{self, ReportCheck, ReportFormat};
use unitcalc_core::metering::{self, reconcile, Metering, MeteringPlan, Window};
use unitcalc_core::num::Money;
use unitcalc_core::time::Hour;

use crate::error::{CliError, Result};
use crate::load::{self, LoadedDeal};
use crate::output;
use crate::render::{self, Format, Table};

/// What both subcommands read.
pub struct Source<'a> {
    /// The deal file.
    pub deal: &'a Path,
    /// A matrix replacing the deal's own.
    pub matrix: Option<&'a Path>,
    /// A usage CSV replacing the deal's own usage.
    pub usage: Option<&'a Path>,
}

/// The deal, its plan and its metering.
fn metered(src: &Source<'_>) -> Result<(LoadedDeal, MeteringPlan, Metering)> {
    let d = load::deal(src.deal, src.matrix)?;
    let plan = d.deal.metering.clone().ok_or_else(|| {
        CliError::Args(format!(
            "{}: the deal has no [metering] plan (see docs/metering.md)",
            src.deal.display()
        ))
    })?;
    let usage = load::usage(&d, src.usage)?;
    let (_, m) = metering::meter(&d.matrix, &d.deal.terms, &d.deal.offers, &plan, &usage)?;
    Ok((d, plan, m))
}

/// An hour flag (`--from`, `--to`), RFC 3339 on the hour.
pub fn hour(flag: &str, value: Option<&str>) -> Result<Option<Hour>> {
    value
        .map(|v| Hour::parse_rfc3339(v).map_err(|e| CliError::Args(format!("{flag}: {e}"))))
        .transpose()
}

/// `meter export`: the requests of the window, one file each in `out`
/// (created if missing); earlier request files of the same marketplace that
/// this run does not write are removed, so the folder holds exactly this
/// export. Prints what it wrote.
pub fn export(src: &Source<'_>, out: &Path, window: Window) -> Result<()> {
    let (d, plan, m) = metered(src)?;
    let reqs = metering::requests(&plan, &d.deal.name, &m, window)?;
    std::fs::create_dir_all(out).map_err(|e| CliError::io(out, e))?;
    let mut written: Vec<PathBuf> = Vec::with_capacity(reqs.len());
    for r in &reqs {
        let p = out.join(&r.file_name);
        output::write_text(Some(&p), &r.body)?;
        written.push(p);
    }
    let prefix = format!("{}-", plan.marketplace().as_str());
    let entries = std::fs::read_dir(out).map_err(|e| CliError::io(out, e))?;
    for e in entries {
        let p = e.map_err(|e| CliError::io(out, e))?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ours = name.starts_with(&prefix) && name.ends_with(".json");
        if ours && !written.contains(&p) {
            std::fs::remove_file(&p).map_err(|e| CliError::io(&p, e))?;
        }
    }
    let records = m.records.iter().filter(|r| window.contains(r.hour)).count();
    let text = format!(
        "{}: {} request{} ({} record{}) for {} written to {}\n",
        d.deal.name,
        reqs.len(),
        if reqs.len() == 1 { "" } else { "s" },
        records,
        if records == 1 { "" } else { "s" },
        plan.marketplace().as_str(),
        out.display()
    );
    output::write_text(None, &text)
}

/// The JSON of `meter reconcile --report`: the bill's reconciliation and the
/// report's.
#[derive(serde::Serialize)]
struct WithReport<'a> {
    bill: &'a [reconcile::ReconcileRow],
    report: ReportOut<'a>,
}

#[derive(serde::Serialize)]
struct ReportOut<'a> {
    /// Each file and the format it was read as.
    files: Vec<ReportFile>,
    counts: report::Counts,
    effects: &'a [report::OutcomeTotal],
    net_effect: Money,
    checks: &'a [ReportCheck],
}

#[derive(serde::Serialize)]
struct ReportFile {
    file: String,
    format: &'static str,
}

/// `meter reconcile --report`: the marketplace's reports and the hours sent.
pub struct Report<'a> {
    /// The report files, read in order (first write wins across them).
    pub paths: &'a [PathBuf],
    /// Their format; detected from each file's content when `None`.
    pub format: Option<ReportFormat>,
    /// The hours that were sent.
    pub window: Window,
}

/// The checks of the reports against what was sent, with the files read.
struct Checked {
    files: Vec<ReportFile>,
    checks: Vec<ReportCheck>,
    totals: Vec<report::OutcomeTotal>,
    net: Money,
}

fn check(plan: &MeteringPlan, m: &Metering, r: &Report<'_>) -> Result<Checked> {
    let mut rows = Vec::new();
    let mut files = Vec::with_capacity(r.paths.len());
    for path in r.paths {
        let text = load::read_text(path)?;
        let name = load::name(path);
        let (format, seen) = report::read(&text, &name, r.format, plan)?;
        rows.extend(seen);
        files.push(ReportFile {
            file: name,
            format: format.as_str(),
        });
    }
    let checks = report::check_report(plan, &m.records, r.window, &rows)?;
    let (totals, net) = report::totals(plan, &checks)?;
    Ok(Checked {
        files,
        checks,
        totals,
        net,
    })
}

/// `meter reconcile`: per period and dimension, the reported quantity, the
/// price, their amount, the bill's metered lines and the difference; with
/// reports, what the marketplace made of each hour and dimension sent and
/// its money effect.
pub fn reconcile(
    src: &Source<'_>,
    with: Option<&Report<'_>>,
    format: Format,
    out: Option<&Path>,
) -> Result<()> {
    let (d, plan, m) = metered(src)?;
    let rows = reconcile::rows(&plan, &m);
    let checked = with.map(|r| check(&plan, &m, r)).transpose()?;
    let text = match (format, &checked) {
        (Format::Json, None) => render::json(&rows)?,
        (Format::Json, Some(c)) => render::json(&WithReport {
            bill: &rows,
            report: ReportOut {
                files: c
                    .files
                    .iter()
                    .map(|f| ReportFile {
                        file: f.file.clone(),
                        format: f.format,
                    })
                    .collect(),
                counts: report::Counts::of(&c.checks),
                effects: &c.totals,
                net_effect: c.net,
                checks: &c.checks,
            },
        })?,
        (Format::Csv, None) => reconcile::to_csv(&rows),
        (Format::Csv, Some(c)) => report::checks_csv(&c.checks),
        (Format::Table, _) => {
            let mut text = bill_table(&d.deal.name, &plan, &rows);
            if let Some(c) = &checked {
                text.push('\n');
                text.push_str(&report_table(c));
            }
            text
        }
    };
    output::write_text(out, &text)
}

fn bill_table(deal: &str, plan: &MeteringPlan, rows: &[reconcile::ReconcileRow]) -> String {
    let mut t = Table::new(
        &[
            "period",
            "dimension",
            "unit",
            "quantity",
            "price",
            "amount",
            "bill",
            "difference",
        ],
        &[false, false, false, true, true, true, true, true],
    );
    for r in rows {
        t.row(vec![
            r.period.clone(),
            r.dimension.clone(),
            r.unit.as_str().to_string(),
            r.quantity.to_string(),
            r.price.to_string(),
            r.amount.to_string(),
            r.bill_amount.to_string(),
            r.difference.to_string(),
        ]);
    }
    let off = rows.iter().filter(|r| !r.difference.is_zero()).count();
    format!(
        "{deal} through {}: metering against the bill\n\n{}\n{}\n",
        plan.marketplace().as_str(),
        t.render(),
        if off == 0 {
            "every period reconciles".to_string()
        } else {
            format!("{off} period rows differ")
        }
    )
}

/// The files read, the outcome totals, then every hour and dimension that
/// did not match.
fn report_table(c: &Checked) -> String {
    let files: Vec<String> = c
        .files
        .iter()
        .map(|f| format!("{} ({})", f.file, f.format))
        .collect();
    let mut totals = Table::new(&["outcome", "hours", "effect"], &[false, true, true]);
    for t in &c.totals {
        totals.row(vec![
            t.outcome.as_str().to_string(),
            t.hours.to_string(),
            t.effect.to_string(),
        ]);
    }
    let mut text = format!(
        "marketplace report against what was sent: {}\n\n{}net effect (billed - sent): {}\n",
        files.join(", "),
        totals.render(),
        c.net
    );
    let off: Vec<&ReportCheck> = c
        .checks
        .iter()
        .filter(|c| c.outcome != report::Outcome::Matched)
        .collect();
    if !off.is_empty() {
        let mut t = Table::new(
            &[
                "hour",
                "dimension",
                "sent",
                "reported",
                "billed",
                "outcome",
                "effect",
            ],
            &[false, false, true, true, true, false, true],
        );
        for c in off {
            let reported: Vec<String> = c.reported.iter().map(u64::to_string).collect();
            t.row(vec![
                c.when(),
                c.dimension.clone(),
                c.sent.map_or_else(String::new, |q| q.to_string()),
                reported.join(";"),
                c.billed.to_string(),
                c.outcome.as_str().to_string(),
                c.effect.map_or_else(String::new, |e| e.to_string()),
            ]);
        }
        text.push('\n');
        text.push_str(&t.render());
    }
    text
}
