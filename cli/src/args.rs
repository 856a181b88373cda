//! The command line's arguments (clap): every command, its options and
//! their help. `main.rs` dispatches them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::render::Format;

/// Pricing and units calculator for consumption-priced storage deals.
///
/// Every figure follows the project's pricing model: exact decimals, money
/// rounded once per line. Errors print one line naming the file, line and
/// offending value, and exit with status 1 (2 for bad arguments).
#[derive(Debug, Parser)]
#[command(name = "unitcalc", version, about, long_about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
pub(crate) enum MeterCommand {
    /// Write the marketplace request bodies (JSON, one file per request)
    /// into a folder.
    Export(MeterExportArgs),
    /// Reconcile what metering reports against the bill, per period and
    /// dimension.
    Reconcile(MeterReconcileArgs),
}

#[derive(Debug, Args)]
pub(crate) struct MeterSource {
    /// The deal file with a [metering] plan (TOML; see docs/deal-format.md).
    pub(crate) deal: PathBuf,
    /// Hourly usage CSV replacing the deal's own usage.
    #[arg(long)]
    pub(crate) usage: Option<PathBuf>,
    /// Matrix file replacing the deal's own matrix reference.
    #[arg(long)]
    pub(crate) matrix: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct MeterExportArgs {
    #[command(flatten)]
    pub(crate) source: MeterSource,
    /// The folder to write the requests into (created if missing).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// First hour to write, RFC 3339 on the hour (inclusive).
    #[arg(long)]
    pub(crate) from: Option<String>,
    /// Hour to stop at, RFC 3339 on the hour (exclusive).
    #[arg(long)]
    pub(crate) to: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct MeterReconcileArgs {
    #[command(flatten)]
    pub(crate) source: MeterSource,
    /// The marketplace's report to check against what was sent: AWS
    /// BatchMeterUsage responses, Azure batchUsageEvent responses, Azure's
    /// usage-events report, the Google Cloud usage log or unitcalc's CSV
    /// (see docs/metering.md). Repeat for several files.
    #[arg(long)]
    pub(crate) report: Vec<PathBuf>,
    /// The reports' format (default: detected from each file's content):
    /// aws, azure-events, azure-report, gcp-log or unitcalc.
    #[arg(long, requires = "report")]
    pub(crate) report_format: Option<String>,
    /// With --report: the first hour sent, RFC 3339 on the hour (inclusive).
    #[arg(long, requires = "report")]
    pub(crate) from: Option<String>,
    /// With --report: the hour sending stopped at (exclusive).
    #[arg(long, requires = "report")]
    pub(crate) to: Option<String>,
    #[command(flatten)]
    pub(crate) common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct Common {
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub(crate) format: Format,
    /// Write the output to this file (via a temporary file renamed on
    /// success) instead of standard output.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct QuoteArgs {
    /// The deal file (TOML; see docs/deal-format.md).
    pub(crate) deal: PathBuf,
    /// Hourly usage CSV replacing the deal's own usage.
    #[arg(long)]
    pub(crate) usage: Option<PathBuf>,
    /// Matrix file replacing the deal's own matrix reference.
    #[arg(long)]
    pub(crate) matrix: Option<PathBuf>,
    /// The offer to price, by name (default: the deal's first offer).
    #[arg(long)]
    pub(crate) offer: Option<String>,
    /// Show how each money line was reached: the formula trail under each
    /// line (table) or under `trail` (JSON; see docs/evidence.md).
    #[arg(long)]
    pub(crate) explain: bool,
    /// Add the fingerprints of the inputs and of the bill: under `evidence`
    /// (JSON) or as five more columns, `bill_sha256` … `engine_sha256`
    /// (CSV); see docs/evidence.md.
    #[arg(long)]
    pub(crate) evidence: bool,
    /// Also write the hourly ledger (tidy CSV: one row per hour per used
    /// cell; see docs/evidence.md) to this file.
    #[arg(long)]
    pub(crate) ledger: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// The deal file (TOML; see docs/deal-format.md).
    pub(crate) deal: PathBuf,
    /// Hourly usage CSV replacing the deal's own usage.
    #[arg(long)]
    pub(crate) usage: Option<PathBuf>,
    /// Matrix file replacing the deal's own matrix reference.
    #[arg(long)]
    pub(crate) matrix: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct CompareCmd {
    #[command(flatten)]
    pub(crate) deal: CompareArgs,
    /// Add each bill's fingerprints and its inputs' as five columns
    /// (`bill_sha256` … `engine_sha256`; CSV only; see docs/evidence.md).
    #[arg(long)]
    pub(crate) evidence: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ModelsArgs {
    #[command(flatten)]
    pub(crate) deal: CompareArgs,
    /// Another unit model: a matrix TOML file (repeatable, up to three).
    #[arg(long = "model", required = true)]
    pub(crate) models: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    #[command(flatten)]
    pub(crate) deal: CompareArgs,
    /// multiplier:ENV/USE_CASE, base-rate:METER, list-price, tolerance-band
    /// or grace-hours.
    #[arg(long)]
    pub(crate) param: String,
    /// The values, comma-separated (e.g. `1.0,1.2,1.4`).
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["from", "to", "steps"])]
    pub(crate) values: Vec<String>,
    /// First value of an evenly spaced range.
    #[arg(long, requires_all = ["to", "steps"])]
    pub(crate) from: Option<String>,
    /// Last value of the range.
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// Number of values in the range (2 to 101).
    #[arg(long)]
    pub(crate) steps: Option<usize>,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The bill (JSON, as `quote -f json` writes it).
    pub(crate) bill: PathBuf,
    #[command(flatten)]
    pub(crate) deal: CompareArgs,
}

#[derive(Debug, Args)]
pub(crate) struct FingerprintArgs {
    #[command(flatten)]
    pub(crate) deal: CompareArgs,
    /// Write the canonical texts to this folder (created if needed).
    #[arg(long)]
    pub(crate) write: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct RepriceArgs {
    /// The book file (TOML; see docs/cli.md).
    pub(crate) book: PathBuf,
    /// Hourly usage CSV with a leading `customer` column (default: the book's `usage`).
    #[arg(long)]
    pub(crate) usage: Option<PathBuf>,
    /// Candidate matrix replacing the book's `candidate`.
    #[arg(long)]
    pub(crate) candidate: Option<PathBuf>,
    /// How many biggest increases and decreases to list.
    #[arg(long, default_value_t = 5)]
    pub(crate) top: usize,
    /// JSON only: include every customer's full bills.
    #[arg(long)]
    pub(crate) bills: bool,
    /// Print rows read, elapsed time and rows per second to stderr.
    #[arg(long)]
    pub(crate) stats: bool,
    #[command(flatten)]
    pub(crate) common: Common,
}

#[derive(Debug, Subcommand)]
pub(crate) enum MatrixCommand {
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
pub(crate) enum UsageCommand {
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
pub(crate) struct FitArgs {
    /// The hourly usage CSV (with or without a `customer` column).
    pub(crate) usage: PathBuf,
    /// The matrix the usage's cells belong to.
    #[arg(long)]
    pub(crate) matrix: PathBuf,
    /// Print the `[usage.profile]` section of a deal continuing the history
    /// (its term starting at the fit's next start) instead of the fit;
    /// needs one customer in the file, or --customer.
    #[arg(long)]
    pub(crate) profile_toml: bool,
    /// Only this customer.
    #[arg(long)]
    pub(crate) customer: Option<String>,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// Periods of `usage report`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum By {
    /// Calendar months (`2026-03`).
    Month,
    /// ISO weeks, Monday 00:00 UTC (`2026-W53`).
    Week,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The hourly usage CSV.
    pub(crate) usage: PathBuf,
    /// The matrix the usage's cells belong to (units = quantity-hours × base
    /// rate × multiplier).
    #[arg(long)]
    pub(crate) matrix: PathBuf,
    /// Months or ISO weeks.
    #[arg(long, value_enum, default_value = "month")]
    pub(crate) by: By,
    #[command(flatten)]
    pub(crate) common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// Take the profile (with its seed), term and matrix from this deal file.
    #[arg(long, conflicts_with_all = ["cells", "start", "months", "baseline", "growth", "daily", "weekend", "noise", "seed"])]
    pub(crate) deal: Option<PathBuf>,
    /// Matrix file (required without --deal).
    #[arg(long)]
    pub(crate) matrix: Option<PathBuf>,
    /// Cell `meter/environment/use_case` (repeatable; without --deal).
    #[arg(long = "cell")]
    pub(crate) cells: Vec<String>,
    /// Baseline quantity per cell at the start of the term.
    #[arg(long, default_value = "500")]
    pub(crate) baseline: String,
    /// Monthly growth, compounded (0.02 = +2 % a month).
    #[arg(long, default_value = "0")]
    pub(crate) growth: String,
    /// Daily swing as a fraction (0.1 = ±10 %).
    #[arg(long, default_value = "0")]
    pub(crate) daily: String,
    /// Weekend dip as a fraction.
    #[arg(long, default_value = "0")]
    pub(crate) weekend: String,
    /// Uniform noise as a fraction (0.05 = ±5 %).
    #[arg(long, default_value = "0")]
    pub(crate) noise: String,
    /// Noise seed; customer i (counting from 0) uses seed + i.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Term start date (without --deal).
    #[arg(long)]
    pub(crate) start: Option<String>,
    /// Term length in months (without --deal).
    #[arg(long, default_value_t = 12)]
    pub(crate) months: u32,
    /// Number of customers.
    #[arg(long, default_value_t = 1)]
    pub(crate) customers: u32,
    /// Customer name prefix: `cust0001`, `cust0002`, … (or the name itself for one customer).
    #[arg(long, default_value = "cust")]
    pub(crate) prefix: String,
    /// Output file (temporary file renamed on success); standard output if absent.
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
}
