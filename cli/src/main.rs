//! `unitcalc`: the command-line tool for finance. Quote and compare deals,
//! reprice a book of customers under a candidate matrix, check matrices and
//! generate synthetic usage. See `docs/cli.md`.
#![deny(clippy::float_arithmetic)]

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

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use unitcalc_core::deal::UsageSource;
use unitcalc_core::deal::{CellUsageSpec, Field, Locate, UsageField, UsageSpec};
use unitcalc_core::error::Origin;
use unitcalc_core::lab::{self, sweep};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::profile::{fit, Profile};
use unitcalc_core::report;
use unitcalc_core::time::{Date, Term};
use unitcalc_core::usage_csv::{CsvRecord, UsageReader};

use crate::error::{CliError, Result};
use crate::render::Format;

/// Pricing and units calculator for consumption-priced storage deals.
///
/// Every figure follows the project's pricing model: exact decimals, money
/// rounded once per line. Errors print one line naming the file, line and
/// offending value, and exit with status 1 (2 for bad arguments).
#[derive(Debug, Parser)]
#[command(name = "unitcalc", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Price one offer of a deal file.
    Quote(QuoteArgs),
    /// Price every offer of a deal over the same usage, side by side, with
    /// differences against the first offer.
    Compare(CompareCmd),
    /// SHA-256 fingerprints of a deal's matrix, deal, usage, engine and each
    /// offer's bill, over canonical texts (docs/evidence.md); `--write DIR`
    /// writes those texts so `sha256sum DIR/*` gives the same digests.
    Fingerprint(FingerprintArgs),
    /// Price a bill's deal again and compare every field of the bill file
    /// with what the inputs give: `verified` (exit 0), or the first field that
    /// differs with both values (exit 1).
    Verify(VerifyArgs),
    /// Price a deal's offers under up to four unit models (the deal's matrix
    /// and each --model matrix) over the same usage, side by side, with the
    /// differences against the deal's matrix; a model that lacks a used cell
    /// says so in its column.
    Models(ModelsArgs),
    /// Price a deal at each value of one model parameter (a multiplier, a
    /// base rate, the list price, the tolerance band or the grace hours):
    /// revenue against the parameter, the current value marked.
    Sweep(SweepArgs),
    /// Price a book of customers from one usage CSV under the current matrix
    /// and a candidate matrix: per-customer and total revenue, the delta,
    /// and the biggest movers.
    Reprice(RepriceArgs),
    /// Matrix files.
    #[command(subcommand)]
    Matrix(MatrixCommand),
    /// Usage files.
    #[command(subcommand)]
    Usage(UsageCommand),
    /// Marketplace metering of a deal with a [metering] plan (docs/metering.md).
    #[command(subcommand)]
    Meter(MeterCommand),
}

#[derive(Debug, Subcommand)]
enum MeterCommand {
    /// Write the marketplace request bodies (JSON, one file per request)
    /// into a folder.
    Export(MeterExportArgs),
    /// Reconcile what metering reports against the bill, per period and
    /// dimension.
    Reconcile(MeterReconcileArgs),
}

#[derive(Debug, Args)]
struct MeterSource {
    /// The deal file with a [metering] plan (TOML; see docs/deal-format.md).
    deal: PathBuf,
    /// Hourly usage CSV replacing the deal's own usage.
    #[arg(long)]
    usage: Option<PathBuf>,
    /// Matrix file replacing the deal's own matrix reference.
    #[arg(long)]
    matrix: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct MeterExportArgs {
    #[command(flatten)]
    source: MeterSource,
    /// The folder to write the requests into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// First hour to write, RFC 3339 on the hour (inclusive).
    #[arg(long)]
    from: Option<String>,
    /// Hour to stop at, RFC 3339 on the hour (exclusive).
    #[arg(long)]
    to: Option<String>,
}

#[derive(Debug, Args)]
struct MeterReconcileArgs {
    #[command(flatten)]
    source: MeterSource,
    /// The marketplace's report to check against what was sent: AWS
    /// BatchMeterUsage responses, Azure batchUsageEvent responses, Azure's
    /// usage-events report, the Google Cloud usage log or unitcalc's CSV
    /// (see docs/metering.md). Repeat for several files.
    #[arg(long)]
    report: Vec<PathBuf>,
    /// The reports' format (default: detected from each file's content):
    /// aws, azure-events, azure-report, gcp-log or unitcalc.
    #[arg(long, requires = "report")]
    report_format: Option<String>,
    /// With --report: the first hour sent, RFC 3339 on the hour (inclusive).
    #[arg(long, requires = "report")]
    from: Option<String>,
    /// With --report: the hour sending stopped at (exclusive).
    #[arg(long, requires = "report")]
    to: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
struct Common {
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: Format,
    /// Write the output to this file (via a temporary file renamed on
    /// success) instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct QuoteArgs {
    /// The deal file (TOML; see docs/deal-format.md).
    deal: PathBuf,
    /// Hourly usage CSV replacing the deal's own usage.
    #[arg(long)]
    usage: Option<PathBuf>,
    /// Matrix file replacing the deal's own matrix reference.
    #[arg(long)]
    matrix: Option<PathBuf>,
    /// The offer to price, by name (default: the deal's first offer).
    #[arg(long)]
    offer: Option<String>,
    /// Show how each money line was reached: the formula trail under each
    /// line (table) or under `trail` (JSON; see docs/evidence.md).
    #[arg(long)]
    explain: bool,
    /// Add the fingerprints of the inputs and of the bill: under `evidence`
    /// (JSON) or as five more columns, `bill_sha256` … `engine_sha256`
    /// (CSV); see docs/evidence.md.
    #[arg(long)]
    evidence: bool,
    /// Also write the hourly ledger (tidy CSV: one row per hour per used
    /// cell; see docs/evidence.md) to this file.
    #[arg(long)]
    ledger: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
struct CompareArgs {
    /// The deal file (TOML; see docs/deal-format.md).
    deal: PathBuf,
    /// Hourly usage CSV replacing the deal's own usage.
    #[arg(long)]
    usage: Option<PathBuf>,
    /// Matrix file replacing the deal's own matrix reference.
    #[arg(long)]
    matrix: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
struct CompareCmd {
    #[command(flatten)]
    deal: CompareArgs,
    /// Add each bill's fingerprints and its inputs' as five columns
    /// (`bill_sha256` … `engine_sha256`; CSV only; see docs/evidence.md).
    #[arg(long)]
    evidence: bool,
}

#[derive(Debug, Args)]
struct ModelsArgs {
    #[command(flatten)]
    deal: CompareArgs,
    /// Another unit model: a matrix TOML file (repeatable, up to three).
    #[arg(long = "model", required = true)]
    models: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct SweepArgs {
    #[command(flatten)]
    deal: CompareArgs,
    /// multiplier:ENV/USE_CASE, base-rate:METER, list-price, tolerance-band
    /// or grace-hours.
    #[arg(long)]
    param: String,
    /// The values, comma-separated (e.g. `1.0,1.2,1.4`).
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["from", "to", "steps"])]
    values: Vec<String>,
    /// First value of an evenly spaced range.
    #[arg(long, requires_all = ["to", "steps"])]
    from: Option<String>,
    /// Last value of the range.
    #[arg(long)]
    to: Option<String>,
    /// Number of values in the range (2 to 101).
    #[arg(long)]
    steps: Option<usize>,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The bill (JSON, as `quote -f json` writes it).
    bill: PathBuf,
    #[command(flatten)]
    deal: CompareArgs,
}

#[derive(Debug, Args)]
struct FingerprintArgs {
    #[command(flatten)]
    deal: CompareArgs,
    /// Write the canonical texts to this folder (created if needed).
    #[arg(long)]
    write: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct RepriceArgs {
    /// The book file (TOML; see docs/cli.md).
    book: PathBuf,
    /// Hourly usage CSV with a leading `customer` column (default: the book's `usage`).
    #[arg(long)]
    usage: Option<PathBuf>,
    /// Candidate matrix replacing the book's `candidate`.
    #[arg(long)]
    candidate: Option<PathBuf>,
    /// How many biggest increases and decreases to list.
    #[arg(long, default_value_t = 5)]
    top: usize,
    /// JSON only: include every customer's full bills.
    #[arg(long)]
    bills: bool,
    /// Print rows read, elapsed time and rows per second to stderr.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Subcommand)]
enum MatrixCommand {
    /// Validate a matrix file and print its grid.
    Check {
        /// The matrix file (TOML; see docs/matrix-format.md).
        file: PathBuf,
    },
    /// What changed from one matrix to another: facts, meters and base
    /// rates, environments and use cases added or removed, and every
    /// multiplier cell changed (with its relative change) or that became
    /// (not) offered.
    Diff {
        /// The current matrix.
        old: PathBuf,
        /// The candidate matrix.
        new: PathBuf,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Subcommand)]
enum UsageCommand {
    /// Write a synthetic hourly usage CSV
    /// (`customer,timestamp,meter,environment,use_case,quantity`) for one or
    /// many customers, from a deal's `[usage.profile]` or from flags.
    Generate(GenerateArgs),
    /// Add up an hourly usage CSV (with or without a `customer` column) by
    /// month or ISO week, per customer and cell, for finance systems:
    /// quantity-hours and units, exact.
    Report(ReportArgs),
    /// Fit the usage profile's parameters (baseline, monthly growth, daily
    /// swing, weekend dip, noise) to an hourly usage CSV, per customer and
    /// cell, exactly as the generator defines them: a customer's real shape
    /// for a longer term or a new deal.
    Fit(FitArgs),
}

#[derive(Debug, Args)]
struct FitArgs {
    /// The hourly usage CSV (with or without a `customer` column).
    usage: PathBuf,
    /// The matrix the usage's cells belong to.
    #[arg(long)]
    matrix: PathBuf,
    /// Print the `[usage.profile]` section of a deal continuing the history
    /// (its term starting at the fit's next start) instead of the fit;
    /// needs one customer in the file, or --customer.
    #[arg(long)]
    profile_toml: bool,
    /// Only this customer.
    #[arg(long)]
    customer: Option<String>,
    #[command(flatten)]
    common: Common,
}

/// Periods of `usage report`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum By {
    /// Calendar months (`2026-03`).
    Month,
    /// ISO weeks, Monday 00:00 UTC (`2026-W53`).
    Week,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// The hourly usage CSV.
    usage: PathBuf,
    /// The matrix the usage's cells belong to (units = quantity-hours × base
    /// rate × multiplier).
    #[arg(long)]
    matrix: PathBuf,
    /// Months or ISO weeks.
    #[arg(long, value_enum, default_value = "month")]
    by: By,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// Take the profile (with its seed), term and matrix from this deal file.
    #[arg(long, conflicts_with_all = ["cells", "start", "months", "baseline", "growth", "daily", "weekend", "noise", "seed"])]
    deal: Option<PathBuf>,
    /// Matrix file (required without --deal).
    #[arg(long)]
    matrix: Option<PathBuf>,
    /// Cell `meter/environment/use_case` (repeatable; without --deal).
    #[arg(long = "cell")]
    cells: Vec<String>,
    /// Baseline quantity per cell at the start of the term.
    #[arg(long, default_value = "500")]
    baseline: String,
    /// Monthly growth, compounded (0.02 = +2 % a month).
    #[arg(long, default_value = "0")]
    growth: String,
    /// Daily swing as a fraction (0.1 = ±10 %).
    #[arg(long, default_value = "0")]
    daily: String,
    /// Weekend dip as a fraction.
    #[arg(long, default_value = "0")]
    weekend: String,
    /// Uniform noise as a fraction (0.05 = ±5 %).
    #[arg(long, default_value = "0")]
    noise: String,
    /// Noise seed; customer i (counting from 0) uses seed + i.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Term start date (without --deal).
    #[arg(long)]
    start: Option<String>,
    /// Term length in months (without --deal).
    #[arg(long, default_value_t = 12)]
    months: u32,
    /// Number of customers.
    #[arg(long, default_value_t = 1)]
    customers: u32,
    /// Customer name prefix: `cust0001`, `cust0002`, … (or the name itself for one customer).
    #[arg(long, default_value = "cust")]
    prefix: String,
    /// Output file (temporary file renamed on success); standard output if absent.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

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
