//! Deal TOML: reading a deal file into a [`DealSpec`] (with the position of
//! every value, for errors), and writing a [`Deal`] back. Format:
//! `docs/deal-format.md`.
//!
//! Reading is the format's own rules only: unknown, missing and duplicate
//! keys, decimals as strings, whole numbers as integers, which keys an
//! offer's kind takes. Every check on the values (names against the
//! matrix, bounds, the term) is [`DealSpec::resolve`]'s, the same for share
//! links and the browser's form. The file is walked as a spanned tree
//! (the same walker as matrices), so the browser can open deal files too.

use crate::deal::{Deal, DealSpec, Field, FieldLabels, Locate, MeteringSpec};
use crate::error::{Origin, Result};
use crate::matrix::Matrix;

mod read;
mod write;

pub use write::{profile_toml, to_toml};

/// A deal file read but not resolved: its [`DealSpec`] and where each value
/// was written.
#[derive(Debug, Clone)]
pub struct DealFile {
    /// The deal as written.
    pub spec: DealSpec,
    /// Its `[metering]` plan as written, if any (deal files only).
    pub metering: Option<MeteringSpec>,
    file: String,
    src: String,
    spans: Vec<(Field, usize)>,
}

impl DealFile {
    /// The matrix reference as written (a path relative to the deal file).
    pub fn matrix_path(&self) -> &str {
        match &self.spec.matrix {
            crate::deal::MatrixChoice::File(p)
            | crate::deal::MatrixChoice::Bundled(p)
            | crate::deal::MatrixChoice::Custom(p) => p,
        }
    }

    /// Resolves the deal against `matrix`, then its metering plan against
    /// the deal; errors point at the file's line and column.
    pub fn resolve(&self, matrix: &Matrix) -> Result<Deal> {
        let mut deal = self.spec.resolve(matrix, self)?;
        if let Some(m) = &self.metering {
            deal.metering = Some(m.resolve(matrix, &deal, self)?);
        }
        Ok(deal)
    }
}

impl Locate for DealFile {
    fn origin(&self, field: Field) -> Origin {
        match self.spans.iter().find(|(f, _)| *f == field) {
            Some((_, offset)) => Origin::from_offset(self.file.clone(), &self.src, *offset),
            None => Origin::file(self.file.clone()),
        }
    }
    fn names_fields(&self) -> bool {
        false
    }
}

/// Reads a deal file (`file` names it in errors) without a matrix.
///
/// ```
/// use unitcalc_core::deal_toml::read;
/// let src = "name = \"Acme\"\nmatrix = \"../../matrices/spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = 12\n";
/// let d = read(src, "acme.toml").unwrap();
/// assert_eq!(d.matrix_path(), "../../matrices/spec-m.toml");
/// assert_eq!(read("name = \"Acme\"", "acme.toml").unwrap_err().to_string(), "acme.toml:1:1: missing field `matrix`");
/// let months = src.replace("months = 12", "months = \"12\"");
/// assert_eq!(
///     read(&months, "acme.toml").unwrap_err().to_string(),
///     "acme.toml:5:10: `months` is a whole number: write months = 12"
/// );
/// ```
pub fn read(src: &str, file: &str) -> Result<DealFile> {
    read_with(src, file, true)
}

/// [`read`] without walking the `[metering]` plan (it must still be a
/// table): for the browser, which carries no plan.
pub(crate) fn read_without_metering(src: &str, file: &str) -> Result<DealFile> {
    read_with(src, file, false)
}

fn read_with(src: &str, file: &str, with_metering: bool) -> Result<DealFile> {
    let (spec, metering, spans) = read::deal(src, file, with_metering)?;
    Ok(DealFile {
        spec,
        metering,
        file: file.to_string(),
        src: src.to_string(),
        spans,
    })
}

/// Reads a deal file and resolves it against `matrix`: [`read`] then
/// [`DealFile::resolve`].
///
/// ```
/// use unitcalc_core::deal_toml::parse_deal;
/// use unitcalc_core::matrix_toml::parse_matrix;
/// use unitcalc_core::offer::OfferKind;
/// let m = parse_matrix(include_str!("../../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let src = r#"
/// name = "Acme"
/// matrix = "spec-m.toml"
/// [term]
/// start = "2026-03-01"
/// months = 12
/// [usage]
/// csv = "acme.csv"
/// [[offers]]
/// name = "PAYG 20% off"
/// kind = "pay-as-you-go"
/// discount = "0.20"
/// "#;
/// let deal = parse_deal(src, "acme.toml", &m).unwrap();
/// assert!(matches!(&deal.offers[0].kind, OfferKind::PayAsYouGo(p) if p.discount.to_string() == "0.20"));
///
/// let bad = src.replace("discount = \"0.20\"", "discount = \"0.20\"\nmonthly_fee = \"1\"");
/// assert_eq!(
///     parse_deal(&bad, "acme.toml", &m).unwrap_err().to_string(),
///     "acme.toml:13:15: offer `PAYG 20% off`: `monthly_fee` does not apply to a pay-as-you-go offer"
/// );
/// ```
pub fn parse_deal(src: &str, file: &str, matrix: &Matrix) -> Result<Deal> {
    read(src, file)?.resolve(matrix)
}

/// The deal TOML of a deal as written in the browser's form (or a share
/// link): its matrix loaded, resolved with [`FieldLabels`], then
/// [`to_toml`]. The browser's **Export deal** writes exactly this, and the
/// CLI quotes it (a bundled matrix is written as its file name, which the
/// CLI finds among the bundled matrices).
///
/// ```
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::deal_toml::{export, read};
/// let text = export(&DealSpec::example()).unwrap();
/// assert!(text.contains("matrix = \"spec-m.toml\""));
/// assert_eq!(read(&text, "exported.toml").unwrap().matrix_path(), "spec-m.toml");
/// ```
pub fn export(spec: &DealSpec) -> Result<String> {
    let matrix = spec.matrix.load()?;
    Ok(to_toml(&spec.resolve(&matrix, &FieldLabels)?, &matrix))
}

#[cfg(test)]
mod tests;
