//! Exports: the bill as CSV and JSON, the comparison as CSV, the deal and matrix as TOML, as files
//! the page offers for download ([`crate::browser::download`]: nothing is
//! sent anywhere).

use unitcalc_core::bill::Bill;
use unitcalc_core::deal::UsageSource;
use unitcalc_core::deal_toml;

use crate::state::{AppState, Computed};

/// The bill as the tidy bill CSV every tool writes (`unitcalc_core::bill_csv`:
/// one row per period × line, sixteen columns, decimals exactly as the core
/// computed them), the deal's name in the `customer` column as `unitcalc
/// quote` writes it.
pub fn bill_csv(deal: &str, b: &Bill) -> String {
    unitcalc_core::bill_csv::to_csv([(deal, b)])
}

/// The bill as JSON (decimals as strings), compact: the share link already
/// links serde_json's compact writer, and a second (pretty) one cost 218 B
/// gzipped. With the trail open, the export is the worker's JSON instead:
/// the bill with its trail and fingerprints, as `unitcalc quote --explain
/// --evidence -f json` writes it.
pub fn bill_json(b: &Bill) -> String {
    serde_json::to_string(b).unwrap_or_default()
}

/// The deal as TOML (the core's deal writer, as `unitcalc quote` reads it):
/// with the uploaded usage CSV's file name when there is one.
pub fn deal_toml(c: &Computed, csv: Option<&str>) -> String {
    let mut deal = c.deal.clone();
    if let Some(name) = csv {
        deal.usage = UsageSource::Csv(name.to_string());
    }
    deal_toml::to_toml(&deal, &c.matrix)
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The shown bill as CSV.
    BillCsv,
    /// The shown bill as JSON.
    BillJson,
    /// The shown bill's hourly ledger as CSV (`unitcalc quote --ledger`),
    /// when the trail is open.
    LedgerCsv,
    /// Every offer's comparison as CSV (`unitcalc compare -f csv`'s layout).
    CompareCsv,
    /// The deal as TOML.
    DealToml,
    /// The matrix as TOML.
    MatrixToml,
}

impl ExportKind {
    /// Every kind, in the order of [`ExportKind::as_str`]'s names.
    pub const ALL: [ExportKind; 6] = [
        ExportKind::BillCsv,
        ExportKind::BillJson,
        ExportKind::LedgerCsv,
        ExportKind::CompareCsv,
        ExportKind::DealToml,
        ExportKind::MatrixToml,
    ];

    /// The kind's name in the worker's messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::BillCsv => "bill-csv",
            ExportKind::BillJson => "bill-json",
            ExportKind::LedgerCsv => "ledger-csv",
            ExportKind::CompareCsv => "compare-csv",
            ExportKind::DealToml => "deal-toml",
            ExportKind::MatrixToml => "matrix-toml",
        }
    }

    /// The kind named `s`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Option<ExportKind> {
        ExportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The matrix as TOML: its text as the page holds it. Every export is
/// written by the page's worker ([`crate::worker::export_request`], so its
/// code is not in the first load); this is the page's own file for a matrix
/// whose scenario does not price (the worker then has no fingerprints to
/// add).
pub fn matrix_file(s: &AppState) -> Option<File> {
    Some(File {
        name: "matrix.toml".to_string(),
        mime: "application/toml",
        text: s.matrix_text()?.to_string(),
    })
}

/// A file to offer as a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// File name.
    pub name: String,
    /// Media type.
    pub mime: &'static str,
    /// Contents.
    pub text: String,
}

/// The start of every exported file's name: the deal's name with dashes
/// for spaces (`deal` when it has none).
pub fn stem(deal: &str) -> String {
    if deal.trim().is_empty() {
        "deal".to_string()
    } else {
        deal.trim().replace(' ', "-")
    }
}

/// The file of an export of the state's shown bill, deal or matrix; `None`
/// when there is no bill (the scenario does not price).
pub fn file(s: &AppState, kind: ExportKind) -> Option<File> {
    let c = s.outcome.as_ref().as_ref().ok()?;
    let bill = c.bills().get(s.selected)?;
    let stem = stem(&s.scenario.name);
    // The bill's evidence (the worker computed it for the export): the bill
    // JSON carries the trail and the fingerprints, the CSVs five columns of
    // digests (`unitcalc quote|compare -f csv --evidence`), the TOML files a
    // comment with every digest (`unitcalc fingerprint`), and the bill files
    // are named with the short fingerprint, so a file is matched to the
    // inputs that made it.
    let found = match s.evidence.as_ref().map(|e| e.0.as_ref()) {
        Some(Ok(e)) => Some(e),
        _ => None,
    };
    let fp = found.map(|e| e.fingerprints());
    let per_bill = fp.as_ref().map(|f| f.per_bill()).unwrap_or_default();
    let comment = fp.as_ref().map(|f| f.toml_comment()).unwrap_or_default();
    let offer = bill.offer.trim().replace(' ', "-");
    let tag = found.map(|e| format!("-{}", e.short)).unwrap_or_default();
    let (name, mime, text) = match kind {
        ExportKind::BillCsv => (
            format!("{stem}-{offer}-bill{tag}.csv"),
            "text/csv",
            match per_bill.get(s.selected) {
                Some(d) => unitcalc_core::bill_csv::to_csv_with_digests(&c.deal.name, bill, d),
                None => bill_csv(&c.deal.name, bill),
            },
        ),
        ExportKind::CompareCsv => (
            format!("{stem}-comparison.csv"),
            "text/csv",
            unitcalc_core::compare_csv::to_csv_with_digests(&c.deal.name, &c.comparison, &per_bill),
        ),
        ExportKind::BillJson => (
            format!("{stem}-{offer}-bill{tag}.json"),
            "application/json",
            found.map_or_else(|| bill_json(bill), |e| e.bill_json.clone()),
        ),
        ExportKind::LedgerCsv => (
            format!("{stem}-{offer}-ledger{tag}.csv"),
            "text/csv",
            found?.ledger_csv.clone(),
        ),
        ExportKind::DealToml => (
            format!("{stem}.toml"),
            "application/toml",
            comment.clone() + &deal_toml(c, s.csv.as_ref().map(|c| c.name.as_str())),
        ),
        ExportKind::MatrixToml => (
            "matrix.toml".to_string(),
            "application/toml",
            comment + s.matrix_text().unwrap_or_default(),
        ),
    };
    Some(File { name, mime, text })
}
