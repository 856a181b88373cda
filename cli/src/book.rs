//! Book files: reads the book, its matrices and the deal files it names.
//! The format, its checks and the choice of offers are the core's
//! (`unitcalc_core::book`); this module only resolves paths (relative to the
//! book file) and reads files.

use std::path::{Path, PathBuf};

use unitcalc_core::book::{self, BookDeal};
use unitcalc_core::deal_toml;
use unitcalc_core::matrix::Matrix;

use crate::error::{CliError, Result};
use crate::load;

pub use unitcalc_core::book::Slot;

/// A loaded book.
#[derive(Debug)]
pub struct Book {
    /// The current matrix.
    pub matrix: Matrix,
    /// The candidate matrix, if any.
    pub candidate: Option<Matrix>,
    /// The usage CSV named by the book, resolved.
    pub usage: Option<PathBuf>,
    /// Listed customers in book order: name and slot.
    pub customers: Vec<(String, Slot)>,
    /// Slot for customers found in the usage but not listed.
    pub default: Option<Slot>,
}

/// Reads a book, its matrices and every deal it names. `candidate` overrides
/// the book's candidate matrix.
pub fn load(path: &Path, candidate: Option<&Path>) -> Result<Book> {
    let src = load::read_text(path)?;
    let parsed = book::parse_book(&src, &load::name(path))?;
    let matrix = load::matrix(&load::relative_to(path, &parsed.matrix))?;
    let cand_path = match candidate {
        Some(p) => Some(p.to_path_buf()),
        None => parsed
            .candidate
            .as_deref()
            .map(|c| load::relative_to(path, c)),
    };
    let cand = cand_path.as_deref().map(load::matrix).transpose()?;
    let slots =
        parsed.resolve(|deal| read_deal(&load::relative_to(path, deal), &matrix, cand.as_ref()))?;
    Ok(Book {
        matrix,
        candidate: cand,
        usage: parsed.usage.as_deref().map(|u| load::relative_to(path, u)),
        customers: slots.customers,
        default: slots.default,
    })
}

/// Reads a deal file once and resolves it against the current and the
/// candidate matrices.
fn read_deal(path: &Path, m: &Matrix, cand: Option<&Matrix>) -> Result<BookDeal> {
    let file = deal_toml::read(&load::read_text(path)?, &load::name(path))?;
    let current = file.resolve(m)?;
    let candidate = cand
        .map(|c| {
            file.resolve(c).map_err(|e| CliError::Candidate {
                matrix: c.name.clone(),
                source: Box::new(e.into()),
            })
        })
        .transpose()?;
    Ok(BookDeal {
        name: load::name(path),
        current,
        candidate,
    })
}
