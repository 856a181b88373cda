//! Book files: many customers, each priced with an offer from a deal file,
//! under the current matrix and optionally a candidate matrix.
//!
//! ```toml
//! matrix = "../../matrices/spec-m.toml"  # current matrix (relative to the book)
//! candidate = "candidate-m.toml"         # optional candidate matrix
//! usage = "usage.csv"                    # optional default usage CSV
//! default_deal = "deals/standard.toml"   # optional: customers in the usage not listed below
//! default_offer = "PAYG"                 # optional: offer of the default deal (first when absent)
//!
//! [[customers]]
//! name = "acme"
//! deal = "deals/acme.toml"
//! offer = "Fixed 500 TB"                 # optional: first offer of the deal when absent
//! ```
//!
//! Each deal file supplies the term, channel and offer; its own matrix
//! reference and usage section are ignored (the book's matrices and usage
//! CSV are used). Deal files are parsed against both matrices by name, so a
//! candidate matrix may reorder or add meters, environments and use cases.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use unitcalc_core::deal::Deal;
use unitcalc_core::error::Origin;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::offer::{DealTerms, Offer};

use crate::error::{CliError, Result};
use crate::load;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookFile {
    matrix: String,
    candidate: Option<String>,
    usage: Option<String>,
    default_deal: Option<String>,
    default_offer: Option<String>,
    #[serde(default)]
    customers: Vec<CustomerEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerEntry {
    name: String,
    deal: String,
    offer: Option<String>,
}

/// One customer's (or the default's) terms and offer under each matrix.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Term and channel (from the deal parsed against the current matrix).
    pub terms: DealTerms,
    /// The offer resolved against the current matrix.
    pub current: Offer,
    /// The offer resolved against the candidate matrix.
    pub candidate: Option<Offer>,
}

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

fn toml_error(file: &str, src: &str, e: &toml::de::Error) -> CliError {
    let line = e
        .span()
        .map(|s| Origin::from_offset(file, src, s.start))
        .and_then(|o| o.line);
    CliError::Book {
        file: file.to_string(),
        line,
        message: e.message().to_string(),
    }
}

/// Line of the first occurrence of `needle` in `src`, for error messages.
fn line_of(src: &str, needle: &str) -> Option<u32> {
    src.find(needle)
        .and_then(|off| Origin::from_offset("", src, off).line)
}

struct DealCache {
    parsed: HashMap<PathBuf, (Deal, Option<Deal>)>,
}

impl DealCache {
    fn get(
        &mut self,
        path: &Path,
        m: &Matrix,
        cand: Option<&Matrix>,
    ) -> Result<&(Deal, Option<Deal>)> {
        if !self.parsed.contains_key(path) {
            let src = load::read_text(path)?;
            let cur = load::deal_against(path, &src, m)?;
            let c = cand
                .map(|c| {
                    load::deal_against(path, &src, c).map_err(|e| CliError::Candidate {
                        matrix: c.name.clone(),
                        source: Box::new(e),
                    })
                })
                .transpose()?;
            self.parsed.insert(path.to_path_buf(), (cur, c));
        }
        self.parsed
            .get(path)
            .ok_or_else(|| CliError::Args(format!("deal {} not loaded", path.display())))
    }
}

fn pick(book: &str, line: Option<u32>, deal: &Path, d: &Deal, name: Option<&str>) -> Result<usize> {
    match name {
        None if !d.offers.is_empty() => Ok(0),
        None => Err(CliError::Book {
            file: book.into(),
            line,
            message: format!("deal {} has no offer", deal.display()),
        }),
        Some(n) => d
            .offers
            .iter()
            .position(|o| o.name == n)
            .ok_or_else(|| CliError::Book {
                file: book.into(),
                line,
                message: format!(
                    "deal {} has no offer `{n}` (offers: {})",
                    deal.display(),
                    d.offers
                        .iter()
                        .map(|o| format!("`{}`", o.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
    }
}

fn slot(pair: &(Deal, Option<Deal>), i: usize) -> Slot {
    Slot {
        terms: pair.0.terms.clone(),
        current: pair.0.offers[i].clone(),
        candidate: pair.1.as_ref().and_then(|c| c.offers.get(i).cloned()),
    }
}

/// Reads a book, its matrices and every deal it names. `candidate` overrides
/// the book's candidate matrix.
pub fn load(path: &Path, candidate: Option<&Path>) -> Result<Book> {
    let src = load::read_text(path)?;
    let file = load::name(path);
    let bf: BookFile = toml::from_str(&src).map_err(|e| toml_error(&file, &src, &e))?;
    let matrix = load::matrix(&load::relative_to(path, &bf.matrix))?;
    let cand_path = match candidate {
        Some(p) => Some(p.to_path_buf()),
        None => bf.candidate.as_deref().map(|c| load::relative_to(path, c)),
    };
    let cand = cand_path.as_deref().map(load::matrix).transpose()?;
    let mut cache = DealCache {
        parsed: HashMap::new(),
    };
    let mut customers: Vec<(String, Slot)> = Vec::with_capacity(bf.customers.len());
    let mut seen = HashMap::new();
    for c in &bf.customers {
        let line = line_of(&src, &format!("\"{}\"", c.name));
        if c.name.is_empty() {
            return Err(CliError::Book {
                file,
                line,
                message: "customer name is empty".into(),
            });
        }
        if seen.insert(c.name.clone(), ()).is_some() {
            return Err(CliError::Book {
                file,
                line,
                message: format!("customer `{}` is listed twice", c.name),
            });
        }
        let deal_path = load::relative_to(path, &c.deal);
        let pair = cache.get(&deal_path, &matrix, cand.as_ref())?;
        let i = pick(&file, line, &deal_path, &pair.0, c.offer.as_deref())?;
        customers.push((c.name.clone(), slot(pair, i)));
    }
    let default = match &bf.default_deal {
        None => None,
        Some(d) => {
            let deal_path = load::relative_to(path, d);
            let pair = cache.get(&deal_path, &matrix, cand.as_ref())?;
            let i = pick(
                &file,
                line_of(&src, "default_offer"),
                &deal_path,
                &pair.0,
                bf.default_offer.as_deref(),
            )?;
            Some(slot(pair, i))
        }
    };
    if customers.is_empty() && default.is_none() {
        return Err(CliError::Book {
            file,
            line: None,
            message: "the book lists no customers and has no default_deal".into(),
        });
    }
    Ok(Book {
        matrix,
        candidate: cand,
        usage: bf.usage.as_deref().map(|u| load::relative_to(path, u)),
        customers,
        default,
    })
}
