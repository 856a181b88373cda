//! `unitcalc`: the command-line tool for finance. Quote and compare deals,
//! reprice a book of customers under a candidate matrix, check matrices and
//! generate synthetic usage. See `docs/cli.md`.
#![deny(clippy::float_arithmetic)]

mod book;
mod error;
mod generate;
mod load;
mod meter;
mod output;
mod render;
mod reprice;
mod stream;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use unitcalc_core::bill_csv;
use unitcalc_core::deal::UsageSource;
use unitcalc_core::deal::{CellUsageSpec, Field, Locate, UsageField, UsageSpec};
use unitcalc_core::error::Origin;
use unitcalc_core::evidence;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::quote;
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
    Compare(CompareArgs),
    /// SHA-256 fingerprints of a deal's matrix, deal, usage, engine and each
    /// offer's bill, over canonical texts (docs/evidence.md); `--write DIR`
    /// writes those texts so `sha256sum DIR/*` gives the same digests.
    Fingerprint(FingerprintArgs),
    /// Price a bill's deal again and compare every field of the bill file
    /// with what the inputs give: `verified` (exit 0), or the first field that
    /// differs with both values (exit 1).
    Verify(VerifyArgs),
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
        Command::Quote(a) => quote(a),
        Command::Compare(a) => compare_cmd(a),
        Command::Fingerprint(a) => fingerprint_cmd(a),
        Command::Verify(a) => verify_cmd(a),
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

fn quote(a: QuoteArgs) -> Result<()> {
    let d = load::deal(&a.deal, a.matrix.as_deref())?;
    let usage = load::usage(&d, a.usage.as_deref())?;
    let offer = match &a.offer {
        None => d.deal.offers.first().ok_or_else(|| {
            CliError::Args(format!("{}: the deal has no offer", a.deal.display()))
        })?,
        Some(n) => d.deal.offers.iter().find(|o| &o.name == n).ok_or_else(|| {
            CliError::Args(format!(
                "{}: no offer `{n}` (offers: {})",
                a.deal.display(),
                d.deal
                    .offers
                    .iter()
                    .map(|o| format!("`{}`", o.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let q = quote::quote(
        &d.matrix,
        &d.deal.terms,
        std::slice::from_ref(offer),
        &usage,
    )?;
    let bill = &q.comparison.bills[0];
    let text = match a.common.format {
        Format::Table => render::bill_table(&d.deal.name, bill, q.per_tb_month[0].as_ref()),
        Format::Json => render::json(bill)?,
        Format::Csv => bill_csv::to_csv([(d.deal.name.as_str(), bill)]),
    };
    output::write_text(a.common.output.as_deref(), &text)
}

fn compare_cmd(a: CompareArgs) -> Result<()> {
    let d = load::deal(&a.deal, a.matrix.as_deref())?;
    let usage = load::usage(&d, a.usage.as_deref())?;
    let c = quote::quote(&d.matrix, &d.deal.terms, &d.deal.offers, &usage)?.comparison;
    let text = match a.common.format {
        Format::Table => render::comparison_table(&d.deal.name, &c),
        Format::Json => render::json(&c)?,
        Format::Csv => render::comparison_csv(&d.deal.name, &c)?,
    };
    output::write_text(a.common.output.as_deref(), &text)
}

fn verify_cmd(a: VerifyArgs) -> Result<()> {
    let text = load::read_text(&a.bill)?;
    let bill_name = load::name(&a.bill);
    let d = load::deal(&a.deal.deal, a.deal.matrix.as_deref())?;
    let usage = load::usage(&d, a.deal.usage.as_deref())?;
    let q = quote::quote(&d.matrix, &d.deal.terms, &d.deal.offers, &usage)?;
    let f = evidence::fingerprints(&d.matrix, &d.deal, &usage, &q.comparison.bills)?;
    // The offer the bill names; the deal's first when it names none of them.
    let offer = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("offer").and_then(|o| o.as_str().map(String::from)));
    let i = offer
        .as_deref()
        .and_then(|o| d.deal.offers.iter().position(|x| x.name == o))
        .unwrap_or(0);
    let priced = &q.comparison.bills[i];
    let v = evidence::verify_bill(&text, &bill_name, priced)?;
    match v {
        evidence::Verification::Verified { .. } => {
            let text = format!(
                "{}\n{}  matrix\n{}  deal\n{}  usage\n{}  engine\n",
                v.message(&bill_name),
                f.matrix,
                f.deal,
                f.usage,
                f.engine
            );
            output::write_text(a.deal.common.output.as_deref(), &text)
        }
        evidence::Verification::Differs { .. } => Err(CliError::Differs(v.message(&bill_name))),
    }
}

fn fingerprint_cmd(a: FingerprintArgs) -> Result<()> {
    let d = load::deal(&a.deal.deal, a.deal.matrix.as_deref())?;
    let usage = load::usage(&d, a.deal.usage.as_deref())?;
    let q = quote::quote(&d.matrix, &d.deal.terms, &d.deal.offers, &usage)?;
    let bills = &q.comparison.bills;
    if let Some(dir) = &a.write {
        let t = evidence::canonical_texts(&d.matrix, &d.deal, &usage, bills)?;
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, e))?;
        let mut files = vec![
            ("matrix.toml".to_string(), t.matrix),
            ("deal.toml".to_string(), t.deal),
            ("usage.csv".to_string(), t.usage),
            ("engine.txt".to_string(), t.engine),
        ];
        for (i, (_, text)) in t.bills.into_iter().enumerate() {
            files.push((format!("bill-{}.json", i + 1), text));
        }
        for (name, text) in files {
            output::write_text(Some(&dir.join(name)), &text)?;
        }
    }
    let f = evidence::fingerprints(&d.matrix, &d.deal, &usage, bills)?;
    let text = match a.deal.common.format {
        Format::Json => render::json(&f)?,
        _ => render::fingerprints_table(&f),
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

fn usage_report_cmd(a: ReportArgs) -> Result<()> {
    let matrix = load::matrix(&a.matrix)?;
    let by = match a.by {
        By::Month => report::Granularity::Month,
        By::Week => report::Granularity::IsoWeek,
    };
    let file = std::fs::File::open(&a.usage).map_err(|e| CliError::io(&a.usage, e))?;
    let mut reader = UsageReader::new(
        std::io::BufReader::new(file),
        &load::name(&a.usage),
        &matrix,
    )?;
    let mut acc = report::RecordReport::new(&matrix, by);
    let mut rec = CsvRecord::default();
    while reader.next_record(&mut rec)? {
        acc.push(&rec.customer, rec.hour, rec.cell, rec.quantity)?;
    }
    let rows = acc.finish()?;
    let text = match a.common.format {
        Format::Table => render::usage_report_table(&rows),
        Format::Json => render::json(&rows)?,
        Format::Csv => report::to_csv(&matrix, &rows),
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
