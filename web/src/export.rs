//! Exports: the bill as CSV and JSON, the deal and matrix as TOML, as files
//! the page offers for download ([`crate::browser::download`]: nothing is
//! sent anywhere).

use unitcalc_core::bill::Bill;
use unitcalc_core::deal::{Deal, UsageSource};
use unitcalc_core::deal_toml;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::scenario::{MatrixChoice, Resolved, Scenario};

use crate::state::AppState;

/// The bill as the tidy bill CSV every tool writes (`unitcalc_core::bill_csv`:
/// one row per period × line, sixteen columns, decimals exactly as the core
/// computed them). The browser's bill has no customer: that column is empty.
pub fn bill_csv(b: &Bill) -> String {
    unitcalc_core::bill_csv::to_csv([("", b)])
}

/// The bill as pretty JSON (decimals as strings).
pub fn bill_json(b: &Bill) -> String {
    serde_json::to_string_pretty(b).unwrap_or_default()
}

/// The deal as TOML (core's deal writer), with the matrix referenced by file name.
pub fn deal_toml(s: &Scenario, r: &Resolved, m: &Matrix, csv: Option<&str>) -> String {
    let matrix = match &s.matrix {
        MatrixChoice::Bundled(n) => format!("{n}.toml"),
        MatrixChoice::Custom(_) => "matrix.toml".into(),
    };
    let deal = Deal {
        name: if s.name.trim().is_empty() {
            "deal".into()
        } else {
            s.name.clone()
        },
        matrix,
        terms: r.terms.clone(),
        usage: csv.map_or_else(
            || UsageSource::Profile(r.profile.clone()),
            |c| UsageSource::Csv(c.to_string()),
        ),
        offers: r.offers.clone(),
    };
    deal_toml::to_toml(&deal, m)
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The shown bill as CSV.
    BillCsv,
    /// The shown bill as JSON.
    BillJson,
    /// The deal as TOML.
    DealToml,
    /// The matrix as TOML.
    MatrixToml,
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

/// The file of an export of the state's shown bill, deal or matrix; `None`
/// when there is no bill (the scenario does not price).
pub fn file(s: &AppState, kind: ExportKind) -> Option<File> {
    let c = s.outcome.as_ref().as_ref().ok()?;
    let bill = c.bills().get(s.selected)?;
    let stem = if s.scenario.name.trim().is_empty() {
        "deal".to_string()
    } else {
        s.scenario.name.trim().replace(' ', "-")
    };
    let (name, mime, text) = match kind {
        ExportKind::BillCsv => (format!("{stem}-bill.csv"), "text/csv", bill_csv(bill)),
        ExportKind::BillJson => (
            format!("{stem}-bill.json"),
            "application/json",
            bill_json(bill),
        ),
        ExportKind::DealToml => (
            format!("{stem}.toml"),
            "application/toml",
            deal_toml(
                &s.scenario,
                &c.resolved,
                &c.matrix,
                s.csv.as_ref().map(|c| c.name.as_str()),
            ),
        ),
        ExportKind::MatrixToml => (
            "matrix.toml".to_string(),
            "application/toml",
            s.matrix_text().unwrap_or_default().to_string(),
        ),
    };
    Some(File { name, mime, text })
}
