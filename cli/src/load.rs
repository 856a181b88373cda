//! Loading matrices, deals and their usage from files. All parsing is done by
//! `unitcalc_core`; this module only reads files and resolves relative paths.

use std::path::{Path, PathBuf};

use unitcalc_core::deal::Deal;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::{bundled, deal_toml, matrix_toml, quote, usage_csv, usage_parquet};

use crate::error::{CliError, Result};

/// Reads a whole file as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))
}

/// Reads a whole file as bytes.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| CliError::io(path, e))
}

/// `rel` resolved against the directory of `base` (a file), unless absolute.
pub fn relative_to(base: &Path, rel: &str) -> PathBuf {
    let p = Path::new(rel);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.parent().unwrap_or_else(|| Path::new("")).join(p)
    }
}

/// Display name of a path for error messages.
pub fn name(path: &Path) -> String {
    path.display().to_string()
}

/// Reads and validates a matrix file.
pub fn matrix(path: &Path) -> Result<Matrix> {
    let src = read_text(path)?;
    Ok(matrix_toml::parse_matrix(&src, &name(path))?)
}

/// A deal file with its matrix.
#[derive(Debug, Clone)]
pub struct LoadedDeal {
    /// The deal file.
    pub path: PathBuf,
    /// The matrix.
    pub matrix: Matrix,
    /// The deal, resolved against the matrix.
    pub deal: Deal,
}

/// Reads a deal and the matrix it references (relative to the deal file; a
/// file name that is not beside the deal but names a bundled matrix, such as
/// the browser's exported `spec-m.toml`, is that bundled matrix).
/// `matrix_override` replaces the deal's own matrix reference.
pub fn deal(path: &Path, matrix_override: Option<&Path>) -> Result<LoadedDeal> {
    let src = read_text(path)?;
    let file = deal_toml::read(&src, &name(path))?;
    let matrix = match matrix_override {
        Some(p) => matrix(p)?,
        None => {
            let p = relative_to(path, file.matrix_path());
            match bundled::by_path(file.matrix_path()) {
                Some(b) if !p.exists() => bundled::matrix(b)?,
                _ => matrix(&p)?,
            }
        }
    };
    let deal = file.resolve(&matrix)?;
    Ok(LoadedDeal {
        path: path.to_path_buf(),
        matrix,
        deal,
    })
}

pub use unitcalc_core::usage_parquet::UsageFormat;

/// The CLI's one place choosing a usage file's reader (the core's rule:
/// `.parquet` or `.pq` is Parquet, anything else CSV).
pub fn usage_format(path: &Path) -> UsageFormat {
    UsageFormat::of(&name(path))
}

/// Opens a Parquet usage file for the core's reader.
pub fn open(path: &Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|e| CliError::io(path, e))
}

/// The deal's usage: `usage_override` (CSV or Parquet), else the deal's own
/// usage file (relative to the deal file), profile or zero usage.
pub fn usage(d: &LoadedDeal, usage_override: Option<&Path>) -> Result<UsageSeries> {
    let term = d.deal.terms.term;
    let read = |path: &Path| -> Result<UsageSeries> {
        let (file, m) = (name(path), &d.matrix);
        Ok(match usage_format(path) {
            UsageFormat::Csv => usage_csv::read_usage(&read_bytes(path)?, &file, m, &term)?,
            UsageFormat::Parquet => {
                usage_parquet::read_usage(open(path)?, &file, m, &term, Default::default())?
            }
        })
    };
    match usage_override {
        Some(p) => read(p),
        None => quote::usage_of(&d.deal, |rel| read(&relative_to(&d.path, rel))),
    }
}
