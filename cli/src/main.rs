//! `unitcalc`: the command-line tool for finance. Quote and compare deals,
//! reprice a book of customers under a candidate matrix, check matrices and
//! generate synthetic usage. See `docs/cli.md`.
#![deny(clippy::float_arithmetic)]

mod args;
mod book;
mod deal;
mod error;
mod generate;
mod load;
mod meter;
mod output;
mod parquet;
mod render;
mod reprice;
mod stream;

use std::process::ExitCode;

use clap::Parser;
use unitcalc_core::deal::UsageSource;
use unitcalc_core::deal::{CellUsageSpec, Field, Locate, UsageField, UsageSpec};
use unitcalc_core::error::Origin;
use unitcalc_core::lab::{self, sweep};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::profile::{fit, Profile};
use unitcalc_core::report;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage_csv::{CsvRecord, UsageReader};

pub(crate) use crate::args::*;
use crate::error::{CliError, Result};
use crate::render::Format;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our standard output went away (`unitcalc … | head`):
        // stop quietly, as command-line filters do.
        Err(CliError::Io { path, source })
            if source.kind() == std::io::ErrorKind::BrokenPipe
                && path.as_os_str() == "<stdout>" =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let msg = e.to_string().replace('\n', " ");
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Quote(a) => deal::quote(a),
        Command::Compare(a) => deal::compare(a),
        Command::Models(a) => models_cmd(a),
        Command::Sweep(a) => sweep_cmd(a),
        Command::Fingerprint(a) => deal::fingerprint(a),
        Command::Verify(a) => deal::verify(a),
        Command::Reprice(a) => reprice::run(&reprice::Options {
            book: a.book,
            usage: a.usage,
            candidate: a.candidate,
            top: a.top,
            bills: a.bills,
            stats: a.stats,
            format: a.common.format,
            output: a.common.output,
        }),
        Command::Matrix(MatrixCommand::Check { file }) => matrix_check(&file),
        Command::Matrix(MatrixCommand::Diff { old, new, common }) => {
            matrix_diff(&old, &new, &common)
        }
        Command::Usage(UsageCommand::Generate(a)) => generate_cmd(a),
        Command::Usage(UsageCommand::Report(a)) => usage_report_cmd(a),
        Command::Usage(UsageCommand::Fit(a)) => usage_fit_cmd(a),
        Command::Meter(MeterCommand::Export(a)) => {
            let window = unitcalc_core::metering::Window {
                from: meter::hour("--from", a.from.as_deref())?,
                to: meter::hour("--to", a.to.as_deref())?,
            };
            meter::export(&source(&a.source), &a.out, window)
        }
        Command::Meter(MeterCommand::Reconcile(a)) => {
            let report = if a.report.is_empty() {
                None
            } else {
                Some(meter::Report {
                    paths: &a.report,
                    format: a
                        .report_format
                        .as_deref()
                        .map(str::parse)
                        .transpose()
                        .map_err(|e| CliError::Args(format!("--report-format: {e}")))?,
                    window: unitcalc_core::metering::Window {
                        from: meter::hour("--from", a.from.as_deref())?,
                        to: meter::hour("--to", a.to.as_deref())?,
                    },
                })
            };
            meter::reconcile(
                &source(&a.source),
                report.as_ref(),
                a.common.format,
                a.common.output.as_deref(),
            )
        }
    }
}

fn source(s: &MeterSource) -> meter::Source<'_> {
    meter::Source {
        deal: &s.deal,
        matrix: s.matrix.as_deref(),
        usage: s.usage.as_deref(),
    }
}

fn models_cmd(a: ModelsArgs) -> Result<()> {
    let d = load::deal(&a.deal.deal, a.deal.matrix.as_deref())?;
    let usage = load::usage(&d, a.deal.usage.as_deref())?;
    let others = a
        .models
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap_or(p.as_os_str()).to_string_lossy();
            Ok((name.into_owned(), load::matrix(p)?))
        })
        .collect::<Result<Vec<_>>>()?;
    let first = format!("{} v{}", d.matrix.name, d.matrix.version);
    let mut models = vec![lab::Model {
        name: &first,
        matrix: &d.matrix,
    }];
    models.extend(
        others
            .iter()
            .map(|(name, matrix)| lab::Model { name, matrix }),
    );
    let cols = lab::quote_models(&models, &d.deal.terms, &d.deal.offers, &usage)?;
    let text = match a.deal.common.format {
        Format::Table => render::models_table(&d.deal.name, &cols),
        Format::Json => render::json(&cols)?,
        Format::Csv => lab::to_csv(&cols),
    };
    output::write_text(a.deal.common.output.as_deref(), &text)
}

fn sweep_cmd(a: SweepArgs) -> Result<()> {
    let param: sweep::Parameter = a
        .param
        .parse()
        .map_err(|e| CliError::Args(format!("--param {e}")))?;
    let decimal = |flag: &str, v: &str| {
        v.trim()
            .parse::<rust_decimal::Decimal>()
            .map_err(|_| CliError::Args(format!("{flag}: `{v}` is not a decimal number")))
    };
    let values = match (&a.from, &a.to, a.steps) {
        (Some(f), Some(t), Some(n)) => {
            sweep::evenly(decimal("--from", f)?, decimal("--to", t)?, n)?
        }
        _ if !a.values.is_empty() => a
            .values
            .iter()
            .map(|v| decimal("--values", v))
            .collect::<Result<Vec<_>>>()?,
        _ => {
            return Err(CliError::Args(
                "give --values a,b,c or --from A --to B --steps N".into(),
            ))
        }
    };
    let d = load::deal(&a.deal.deal, a.deal.matrix.as_deref())?;
    let usage = load::usage(&d, a.deal.usage.as_deref())?;
    let s = sweep::sweep(
        &d.matrix,
        &d.deal.terms,
        &d.deal.offers,
        &usage,
        &param,
        &values,
    )?;
    let text = match a.deal.common.format {
        Format::Table => render::sweep_table(&d.deal.name, &s),
        Format::Json => render::json(&s)?,
        Format::Csv => sweep::to_csv(&s),
    };
    output::write_text(a.deal.common.output.as_deref(), &text)
}

fn matrix_diff(old: &std::path::Path, new: &std::path::Path, common: &Common) -> Result<()> {
    let d = unitcalc_core::matrix::diff::diff(&load::matrix(old)?, &load::matrix(new)?)?;
    let text = match common.format {
        Format::Table => render::matrix_diff_table(&d),
        Format::Json => render::json(&d)?,
        Format::Csv => unitcalc_core::matrix::diff::to_csv(&d),
    };
    output::write_text(common.output.as_deref(), &text)
}

fn matrix_check(file: &std::path::Path) -> Result<()> {
    let m = load::matrix(file)?;
    output::write_text(None, &matrix_grid(&m))
}

/// A matrix's facts, meters and multiplier grid as text.
fn matrix_grid(m: &Matrix) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "matrix {} version {}: ok", m.name, m.version);
    if !m.description.is_empty() {
        let _ = writeln!(out, "{}", m.description);
    }
    let _ = writeln!(
        out,
        "effective {}, currency {} ({} decimals), rounding {}, list price {} per unit",
        m.effective,
        m.currency.code,
        m.currency.minor_units,
        m.rounding.as_str(),
        m.list_price
    );
    out.push('\n');
    let mut t = render::Table::new(&["meter", "unit", "base rate"], &[false, false, true]);
    for me in &m.meters {
        t.row(vec![
            me.id.clone(),
            me.unit.clone(),
            me.base_rate.to_string(),
        ]);
    }
    out.push_str(&t.render());
    out.push('\n');
    let mut hdr = vec!["environment \\ use case".to_string()];
    hdr.extend(m.use_cases.iter().map(|u| u.id.clone()));
    hdr.push("marketplace fee".to_string());
    let h: Vec<&str> = hdr.iter().map(String::as_str).collect();
    let right: Vec<bool> = (0..h.len()).map(|i| i > 0 && i + 1 < h.len()).collect();
    let mut g = render::Table::new(&h, &right);
    for (ei, e) in m.environments.iter().enumerate() {
        let mut row = vec![e.id.clone()];
        for ui in 0..m.use_cases.len() {
            let v = u16::try_from(ei)
                .ok()
                .zip(u16::try_from(ui).ok())
                .and_then(|(ei, ui)| m.multiplier(ei, ui));
            row.push(v.map_or_else(|| "not offered".to_string(), |r| r.to_string()));
        }
        row.push(e.marketplace.as_ref().map_or_else(String::new, |s| {
            s.tiers
                .iter()
                .map(|t| format!("{} from {}", t.rate, t.from))
                .collect::<Vec<_>>()
                .join("; ")
        }));
        g.row(row);
    }
    out.push_str(&g.render());
    out
}

/// Locates `usage generate`'s errors at the flag that gave the value.
struct Flags;

impl Locate for Flags {
    fn origin(&self, field: Field) -> Origin {
        let flag = match field {
            Field::UsageValue(_, UsageField::Baseline) => "--baseline",
            Field::UsageValue(_, UsageField::MonthlyGrowth) => "--growth",
            Field::UsageValue(_, UsageField::DailyAmplitude) => "--daily",
            Field::UsageValue(_, UsageField::WeekendDip) => "--weekend",
            Field::UsageValue(_, UsageField::Noise) => "--noise",
            Field::UsageSeed => "--seed",
            _ => "--cell",
        };
        Origin::file(flag)
    }
    fn names_fields(&self) -> bool {
        true
    }
}

/// Reads an hourly usage CSV (with or without a `customer` column) record by
/// record with the core's streaming reader, handing each to `each`.
fn each_record(
    path: &std::path::Path,
    matrix: &Matrix,
    mut each: impl FnMut(&CsvRecord) -> Result<()>,
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
    let mut reader = UsageReader::new(std::io::BufReader::new(file), &load::name(path), matrix)?;
    let mut rec = CsvRecord::default();
    while reader.next_record(&mut rec)? {
        each(&rec)?;
    }
    Ok(())
}

fn usage_report_cmd(a: ReportArgs) -> Result<()> {
    let matrix = load::matrix(&a.matrix)?;
    let by = match a.by {
        By::Month => report::Granularity::Month,
        By::Week => report::Granularity::IsoWeek,
    };
    let mut acc = report::RecordReport::new(&matrix, by);
    each_record(&a.usage, &matrix, |rec| {
        Ok(acc.push(&rec.customer, rec.hour, rec.cell, rec.quantity)?)
    })?;
    let rows = acc.finish()?;
    let text = match a.common.format {
        Format::Table => render::usage_report_table(&rows),
        Format::Json => render::json(&rows)?,
        Format::Csv => report::to_csv(&matrix, &rows),
    };
    output::write_text(a.common.output.as_deref(), &text)
}

fn usage_fit_cmd(a: FitArgs) -> Result<()> {
    let matrix = load::matrix(&a.matrix)?;
    let mut history = fit::History::default();
    each_record(&a.usage, &matrix, |rec| {
        if a.customer.as_ref().is_none_or(|c| *c == rec.customer) {
            history
                .push(&rec.customer, rec.hour, rec.cell, rec.quantity)
                .map_err(|source| unitcalc_core::Error::Overflow {
                    context: load::name(&a.usage),
                    source,
                })?;
        }
        Ok(())
    })?;
    let fits = history.fit(&matrix)?;
    if let Some(c) = &a.customer {
        if fits.is_empty() {
            return Err(CliError::Args(format!(
                "{}: no usage for customer `{c}`",
                a.usage.display()
            )));
        }
    }
    let text = if a.profile_toml {
        let customers: std::collections::BTreeSet<&str> =
            fits.iter().map(|f| f.customer.as_str()).collect();
        if customers.len() > 1 {
            return Err(CliError::Args(format!(
                "{} has {} customers: choose one with --customer for --profile-toml",
                a.usage.display(),
                customers.len()
            )));
        }
        let profile = Profile {
            seed: 1,
            cells: fits.iter().map(fit::CellFit::continuing).collect(),
        };
        let start = fits
            .first()
            .map(|f| f.next_start.to_string())
            .unwrap_or_default();
        format!(
            "# fitted to {} by `unitcalc usage fit`; for a term starting {start}\n{}",
            load::name(&a.usage),
            unitcalc_core::deal_toml::profile_toml(&profile, &matrix)
        )
    } else {
        match a.common.format {
            Format::Table => render::usage_fit_table(&fits),
            Format::Json => render::json(&fits)?,
            Format::Csv => fit::to_csv(&fits),
        }
    };
    output::write_text(a.common.output.as_deref(), &text)
}

fn generate_cmd(a: GenerateArgs) -> Result<()> {
    let (matrix, profile, term) = if let Some(deal) = &a.deal {
        let d = load::deal(deal, a.matrix.as_deref())?;
        let UsageSource::Profile(p) = d.deal.usage.clone() else {
            return Err(CliError::Args(format!(
                "{}: the deal's usage is a CSV file, not a profile",
                deal.display()
            )));
        };
        (d.matrix, p, d.deal.terms.term)
    } else {
        let mpath = a.matrix.as_deref().ok_or_else(|| {
            CliError::Args("give --deal, or --matrix with --cell and --start".into())
        })?;
        let matrix = load::matrix(mpath)?;
        let start = a.start.as_deref().ok_or_else(|| {
            CliError::Args("--start YYYY-MM-DD is required without --deal".into())
        })?;
        let start = Date::parse(start).map_err(|e| CliError::Args(format!("--start: {e}")))?;
        let term =
            Term::new(start, a.months).map_err(|e| CliError::Args(format!("--months: {e}")))?;
        if a.cells.is_empty() {
            return Err(CliError::Args(
                "give at least one --cell meter/environment/use_case".into(),
            ));
        }
        let spec = UsageSpec {
            seed: a.seed.to_string(),
            cells: a
                .cells
                .iter()
                .map(|c| CellUsageSpec {
                    cell: c.clone(),
                    baseline: a.baseline.clone(),
                    monthly_growth: a.growth.clone(),
                    daily_amplitude: a.daily.clone(),
                    weekend_dip: a.weekend.clone(),
                    noise: a.noise.clone(),
                    bursts: Vec::new(),
                })
                .collect(),
        };
        let profile = spec.resolve(&matrix, &term, &Flags)?;
        (matrix, profile, term)
    };
    let plan = generate::Plan {
        matrix: &matrix,
        profile: &profile,
        term,
        customers: a.customers,
        prefix: &a.prefix,
    };
    generate::write(&plan, a.output.as_deref())?;
    Ok(())
}
