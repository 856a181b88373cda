//! The native half of the `unitcalc` Python package (`unitcalc._unitcalc`):
//! loads matrices, deals and books, reads usage (a CSV or Parquet file, or
//! Parquet bytes that the Python half wrote from a DataFrame or an Arrow
//! table) and prices with the core. It computes nothing itself: bills come
//! back as the core's JSON (money as decimal strings) and the tidy bill
//! lines as the core's text fields, which the Python half turns into
//! `decimal.Decimal` values and Arrow `decimal128` columns.
//!
//! Every error is raised as `unitcalc.UnitcalcError` carrying the core's
//! message (file, line or row, value), converted in one place
//! ([`PyError`]).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use unitcalc_core::bill::Bill;
use unitcalc_core::book::{self, BookDeal, Repricer, Slot, Summary, SummaryOptions};
use unitcalc_core::deal::Deal;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::usage_csv::{self, CsvRecord, UsageReader};
use unitcalc_core::usage_parquet::{self, ParquetOptions, ParquetUsage, UsageFormat};
use unitcalc_core::{bill_csv, bundled, deal_toml, matrix_toml, quote};

create_exception!(
    _unitcalc,
    UnitcalcError,
    PyValueError,
    "An input the engine refuses; the message names the file, line (or row) and value."
);

/// The package's one error boundary: a core or file error becomes a
/// `UnitcalcError` with the core's message.
#[derive(Debug, thiserror::Error)]
enum PyError {
    #[error(transparent)]
    Core(#[from] unitcalc_core::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Args(String),
}

impl From<PyError> for PyErr {
    fn from(e: PyError) -> PyErr {
        UnitcalcError::new_err(e.to_string())
    }
}

type Result<T> = std::result::Result<T, PyError>;

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| PyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| PyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// `rel` against the directory of the file `base`, unless absolute.
fn relative_to(base: &Path, rel: &str) -> PathBuf {
    let p = Path::new(rel);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.parent().unwrap_or_else(|| Path::new("")).join(p)
    }
}

fn matrix_file(path: &Path) -> Result<Matrix> {
    Ok(matrix_toml::parse_matrix(&read_text(path)?, &name(path))?)
}

/// A price book (matrix TOML).
#[pyclass(frozen, name = "Matrix", module = "unitcalc._unitcalc")]
struct PyMatrix {
    matrix: Matrix,
}

#[pymethods]
impl PyMatrix {
    /// Reads a matrix TOML file.
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        Ok(PyMatrix {
            matrix: matrix_file(&path)?,
        })
    }

    /// Reads matrix TOML text; `name` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, name = "matrix.toml"))]
    fn from_text(text: &str, name: &str) -> PyResult<Self> {
        Ok(PyMatrix {
            matrix: matrix_toml::parse_matrix(text, name).map_err(PyError::from)?,
        })
    }

    /// A matrix bundled with the tools (`spec-m`, `illustrative`, …).
    #[staticmethod]
    fn bundled(name: &str) -> PyResult<Self> {
        Ok(PyMatrix {
            matrix: bundled::matrix(name).map_err(PyError::from)?,
        })
    }

    #[getter]
    fn name(&self) -> &str {
        &self.matrix.name
    }

    #[getter]
    fn version(&self) -> &str {
        &self.matrix.version
    }

    #[getter]
    fn currency(&self) -> &str {
        &self.matrix.currency.code
    }
}

/// A deal, resolved against its matrix, with where its own usage file is
/// (relative to the deal file).
#[pyclass(frozen, name = "Deal", module = "unitcalc._unitcalc")]
struct PyDeal {
    deal: Deal,
    matrix: Matrix,
    /// The deal file, for its usage file's path.
    path: Option<PathBuf>,
}

#[pymethods]
impl PyDeal {
    /// Reads a deal file and its matrix (relative to the deal file, or the
    /// bundled matrix of that file name, or `matrix`).
    #[staticmethod]
    #[pyo3(signature = (path, matrix = None))]
    fn from_file(path: PathBuf, matrix: Option<&PyMatrix>) -> PyResult<Self> {
        let file = deal_toml::read(&read_text(&path)?, &name(&path)).map_err(PyError::from)?;
        let matrix = match matrix {
            Some(m) => m.matrix.clone(),
            None => {
                let p = relative_to(&path, file.matrix_path());
                match bundled::by_path(file.matrix_path()) {
                    Some(b) if !p.exists() => bundled::matrix(b).map_err(PyError::from)?,
                    _ => matrix_file(&p)?,
                }
            }
        };
        let deal = file.resolve(&matrix).map_err(PyError::from)?;
        Ok(PyDeal {
            deal,
            matrix,
            path: Some(path),
        })
    }

    /// Reads deal TOML text against `matrix`; `name` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, matrix, name = "deal.toml"))]
    fn from_text(text: &str, matrix: &PyMatrix, name: &str) -> PyResult<Self> {
        let deal = deal_toml::parse_deal(text, name, &matrix.matrix).map_err(PyError::from)?;
        Ok(PyDeal {
            deal,
            matrix: matrix.matrix.clone(),
            path: None,
        })
    }

    #[getter]
    fn name(&self) -> &str {
        &self.deal.name
    }

    #[getter]
    fn offers(&self) -> Vec<String> {
        self.deal.offers.iter().map(|o| o.name.clone()).collect()
    }

    #[getter]
    fn matrix(&self) -> PyMatrix {
        PyMatrix {
            matrix: self.matrix.clone(),
        }
    }
}

/// What a pickled book keeps: the book file's path, the candidate
/// override, and every file's (path, text).
type BookState = (PathBuf, Option<PathBuf>, Vec<(String, String)>);

/// A book: matrices and every customer's deal and offer.
#[pyclass(frozen, name = "Book", module = "unitcalc._unitcalc")]
struct PyBook {
    /// The book file and every file it named (path, text), for pickling:
    /// a Spark job ships the book to its executors as these texts.
    sources: Vec<(String, String)>,
    /// The book file's path and the candidate override.
    path: PathBuf,
    candidate_path: Option<PathBuf>,
    matrix: Matrix,
    candidate: Option<Matrix>,
    usage: Option<PathBuf>,
    customers: Vec<(String, Slot)>,
    default: Option<Slot>,
}

#[pymethods]
impl PyBook {
    /// Reads a book file, its matrices and deals (paths relative to the
    /// book); `candidate` replaces the book's candidate matrix file.
    #[staticmethod]
    #[pyo3(signature = (path, candidate = None))]
    fn from_file(path: PathBuf, candidate: Option<PathBuf>) -> PyResult<Self> {
        let text = read_text(&path)?;
        Ok(load_book(&text, &path, candidate.as_deref(), &mut |p| {
            read_text(p)
        })?)
    }

    /// A book from the texts of its files (what pickling keeps).
    #[staticmethod]
    #[pyo3(signature = (path, candidate, sources))]
    fn from_sources(
        path: PathBuf,
        candidate: Option<PathBuf>,
        sources: Vec<(String, String)>,
    ) -> PyResult<Self> {
        let find = |p: &Path| -> Result<String> {
            let key = name(p);
            sources
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, t)| t.clone())
                .ok_or_else(|| PyError::Args(format!("{key}: not among the book's files")))
        };
        let text = find(&path)?;
        Ok(load_book(&text, &path, candidate.as_deref(), &mut |p| {
            find(p)
        })?)
    }

    fn __reduce__(slf: &Bound<'_, Self>) -> PyResult<(Py<PyAny>, BookState)> {
        let b = slf.get();
        let from = slf.get_type().getattr("from_sources")?.unbind();
        Ok((
            from,
            (b.path.clone(), b.candidate_path.clone(), b.sources.clone()),
        ))
    }

    /// The current matrix's name.
    #[getter]
    fn matrix(&self) -> PyMatrix {
        PyMatrix {
            matrix: self.matrix.clone(),
        }
    }

    /// The candidate matrix, if any.
    #[getter]
    fn candidate(&self) -> Option<PyMatrix> {
        self.candidate.clone().map(|matrix| PyMatrix { matrix })
    }

    /// Decimal places of the book's currency (the scale of its money).
    #[getter]
    fn money_scale(&self) -> u32 {
        self.matrix.currency.minor_units
    }

    /// Reads book TOML text; its paths are relative to `base` (a directory,
    /// the working directory when absent); `name` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, base = None, name = "book.toml", candidate = None))]
    fn from_text(
        text: &str,
        base: Option<PathBuf>,
        name: &str,
        candidate: Option<PathBuf>,
    ) -> PyResult<Self> {
        let path = base.unwrap_or_default().join(name);
        Ok(load_book(text, &path, candidate.as_deref(), &mut |p| {
            read_text(p)
        })?)
    }

    /// Listed customers, in book order.
    #[getter]
    fn customers(&self) -> Vec<String> {
        self.customers.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The book's usage file, if it names one.
    #[getter]
    fn usage(&self) -> Option<PathBuf> {
        self.usage.clone()
    }
}

fn load_book(
    text: &str,
    path: &Path,
    candidate: Option<&Path>,
    read: &mut dyn FnMut(&Path) -> Result<String>,
) -> Result<PyBook> {
    let mut sources = vec![(name(path), text.to_string())];
    let mut read = |p: &Path| -> Result<String> {
        let t = read(p)?;
        sources.push((name(p), t.clone()));
        Ok(t)
    };
    let parsed = book::parse_book(text, &name(path))?;
    let matrix_path = relative_to(path, &parsed.matrix);
    let parse_matrix =
        |p: &Path, t: &str| -> Result<Matrix> { Ok(matrix_toml::parse_matrix(t, &name(p))?) };
    let matrix = parse_matrix(&matrix_path, &read(&matrix_path)?)?;
    let cand_path = candidate
        .map(Path::to_path_buf)
        .or_else(|| parsed.candidate.as_deref().map(|c| relative_to(path, c)));
    let cand = match &cand_path {
        Some(p) => Some(parse_matrix(p, &read(p)?)?),
        None => None,
    };
    let slots = parsed.resolve(|deal| -> Result<BookDeal> {
        let p = relative_to(path, deal);
        let file = deal_toml::read(&read(&p)?, &name(&p))?;
        let candidate = match &cand {
            None => None,
            Some(c) => Some(
                file.resolve(c)
                    .map_err(|e| unitcalc_core::Error::Candidate {
                        matrix: c.name.clone(),
                        source: Box::new(e),
                    })?,
            ),
        };
        Ok(BookDeal {
            name: name(&p),
            current: file.resolve(&matrix)?,
            candidate,
        })
    })?;
    Ok(PyBook {
        sources,
        path: path.to_path_buf(),
        candidate_path: candidate.map(Path::to_path_buf),
        matrix,
        candidate: cand,
        usage: parsed.usage.as_deref().map(|u| relative_to(path, u)),
        customers: slots.customers,
        default: slots.default,
    })
}

/// Where usage comes from: a file (its format by extension), or Parquet
/// bytes written by the Python half, named `name` in errors.
struct Usage {
    path: Option<PathBuf>,
    parquet: Option<Vec<u8>>,
    name: String,
    options: ParquetOptions,
}

impl Usage {
    fn of(
        path: Option<PathBuf>,
        parquet: Option<Vec<u8>>,
        name: Option<String>,
        float_scale: Option<u32>,
    ) -> Usage {
        let name = name
            .or_else(|| path.as_deref().map(self::name))
            .unwrap_or_else(|| "usage".into());
        Usage {
            path,
            parquet,
            name,
            options: ParquetOptions { float_scale },
        }
    }

    fn given(&self) -> bool {
        self.path.is_some() || self.parquet.is_some()
    }

    /// Feeds every record to `f`; `customer` says the records must name
    /// their customer (a book's usage).
    fn for_each(
        self,
        matrix: &Matrix,
        customer: bool,
        mut f: impl FnMut(&CsvRecord, &str) -> Result<()>,
    ) -> Result<()> {
        let mut rec = CsvRecord::default();
        let Usage {
            path,
            parquet,
            name,
            options,
        } = self;
        let missing = || {
            PyError::Args(format!(
                "{name}: the usage has no `customer` column: a book's usage names the customer on every row"
            ))
        };
        let format = UsageFormat::of(&name);
        match (parquet, path) {
            (Some(bytes), _) => {
                let mut r = ParquetUsage::from_bytes(bytes, &name, matrix, options)?;
                if customer && !r.has_customer() {
                    return Err(missing());
                }
                while r.next_record(&mut rec)? {
                    f(&rec, &name)?;
                }
            }
            (None, Some(path)) if format == UsageFormat::Parquet => {
                let mut r = ParquetUsage::new(open(&path)?, &name, matrix, options)?;
                if customer && !r.has_customer() {
                    return Err(missing());
                }
                while r.next_record(&mut rec)? {
                    f(&rec, &name)?;
                }
            }
            (None, Some(path)) => {
                let input = BufReader::new(open(&path)?);
                let mut r = UsageReader::new(input, &name, matrix)?;
                if customer && !r.has_customer() {
                    return Err(missing());
                }
                while r.next_record(&mut rec)? {
                    f(&rec, &name)?;
                }
            }
            (None, None) => return Err(PyError::Args("no usage given".into())),
        }
        Ok(())
    }

    /// A deal's usage as a dense series.
    fn series(self, d: &PyDeal) -> Result<UsageSeries> {
        let term = &d.deal.terms.term;
        if let (None, Some(path)) = (&self.parquet, &self.path) {
            if UsageFormat::of(&self.name) == UsageFormat::Parquet {
                let input = open(path)?;
                let series =
                    usage_parquet::read_usage(input, &self.name, &d.matrix, term, self.options)?;
                return Ok(series);
            }
            let bytes = std::fs::read(path).map_err(|source| PyError::Io {
                path: path.clone(),
                source,
            })?;
            return Ok(usage_csv::read_usage(&bytes, &self.name, &d.matrix, term)?);
        }
        let mut r = ParquetUsage::from_bytes(
            self.parquet.unwrap_or_default(),
            &self.name,
            &d.matrix,
            self.options,
        )?;
        let has_customer = r.has_customer();
        Ok(usage_csv::series_of(
            |rec| r.next_record(rec),
            has_customer,
            &self.name,
            &d.matrix,
            term,
        )?)
    }
}

/// The deal's usage: the one given, else its own (file, profile or zero).
fn deal_usage(d: &PyDeal, usage: Usage) -> Result<UsageSeries> {
    if usage.given() {
        return usage.series(d);
    }
    quote::usage_of(&d.deal, |rel| {
        let path = match &d.path {
            Some(p) => relative_to(p, rel),
            None => PathBuf::from(rel),
        };
        Usage::of(Some(path), None, None, None).series(d)
    })
}

/// Every tidy bill line of `bills` (the bill CSV's sixteen columns, as
/// text, without the CSV's formula guard).
fn lines<'a>(bills: impl IntoIterator<Item = (&'a str, &'a Bill)>) -> Vec<Vec<String>> {
    bills
        .into_iter()
        .flat_map(|(c, b)| bill_csv::rows(c, b))
        .map(Vec::from)
        .collect()
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| PyError::Args(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Prices one offer (the first, or `offer`) of a deal: the bill as JSON
/// (the CLI's `quote -f json`) and its tidy lines.
#[pyfunction]
#[pyo3(signature = (deal, offer = None, path = None, parquet = None, name = None, float_scale = None))]
fn quote_deal(
    py: Python<'_>,
    deal: &PyDeal,
    offer: Option<String>,
    path: Option<PathBuf>,
    parquet: Option<Vec<u8>>,
    name: Option<String>,
    float_scale: Option<u32>,
) -> PyResult<(String, Vec<Vec<String>>)> {
    let usage = Usage::of(path, parquet, name, float_scale);
    py.detach(|| -> Result<(String, Vec<Vec<String>>)> {
        let i = deal
            .deal
            .offer_index(offer.as_deref())
            .map_err(|m| PyError::Args(format!("deal `{}` {m}", deal.deal.name)))?;
        let chosen = &deal.deal.offers[i];

        let series = deal_usage(deal, usage)?;
        let q = quote::quote(
            &deal.matrix,
            &deal.deal.terms,
            std::slice::from_ref(chosen),
            &series,
        )?;
        let bill = q
            .comparison
            .bills
            .first()
            .ok_or_else(|| PyError::Args("no bill".into()))?;
        Ok((json(bill)?, lines([(deal.deal.name.as_str(), bill)])))
    })
    .map_err(PyErr::from)
}

/// Prices every offer of a deal: the comparison as JSON (the CLI's
/// `compare -f json`) and every bill's tidy lines.
#[pyfunction]
#[pyo3(signature = (deal, path = None, parquet = None, name = None, float_scale = None))]
fn compare_deal(
    py: Python<'_>,
    deal: &PyDeal,
    path: Option<PathBuf>,
    parquet: Option<Vec<u8>>,
    name: Option<String>,
    float_scale: Option<u32>,
) -> PyResult<(String, Vec<Vec<String>>)> {
    let usage = Usage::of(path, parquet, name, float_scale);
    py.detach(|| -> Result<(String, Vec<Vec<String>>)> {
        let series = deal_usage(deal, usage)?;
        let c =
            quote::quote(&deal.matrix, &deal.deal.terms, &deal.deal.offers, &series)?.comparison;
        let name = deal.deal.name.as_str();
        Ok((json(&c)?, lines(c.bills.iter().map(|b| (name, b)))))
    })
    .map_err(PyErr::from)
}

/// Reprices a book: the summary as JSON (the CLI's `reprice -f json`,
/// with `--bills` when `bills`) and, with `bills`, every bill's tidy lines.
/// With `only`, just those of the listed customers are priced (and any the
/// usage names that the book does not list, with its default deal).
#[pyfunction]
#[pyo3(signature = (book, path = None, parquet = None, name = None, float_scale = None, top = 5, bills = false, only = None))]
#[allow(clippy::too_many_arguments)]
fn reprice_book(
    py: Python<'_>,
    book: &PyBook,
    path: Option<PathBuf>,
    parquet: Option<Vec<u8>>,
    name: Option<String>,
    float_scale: Option<u32>,
    top: usize,
    bills: bool,
    only: Option<Vec<String>>,
) -> PyResult<(String, Vec<Vec<String>>)> {
    let path = path.or_else(|| {
        if parquet.is_none() {
            book.usage.clone()
        } else {
            None
        }
    });
    let usage = Usage::of(path, parquet, name, float_scale);
    py.detach(|| -> Result<(String, Vec<Vec<String>>)> {
        if !usage.given() {
            return Err(PyError::Args(
                "no usage: give one, or set `usage` in the book".into(),
            ));
        }
        // `only`: the listed customers to price (one group of a Spark job);
        // others the usage names still take the default deal.
        let listed: Vec<(String, Slot)> = match &only {
            None => book.customers.clone(),
            Some(names) => book
                .customers
                .iter()
                .filter(|(n, _)| names.contains(n))
                .cloned()
                .collect(),
        };
        let mut pricer = Repricer::new(
            &book.matrix,
            book.candidate.as_ref(),
            &listed,
            book.default.as_ref(),
        )?;
        usage.for_each(&book.matrix, true, |rec, file| Ok(pricer.push(rec, file)?))?;
        let (customers, rows) = pricer.finish()?;
        let summary = Summary::new(
            &book.matrix,
            book.candidate.as_ref(),
            rows,
            customers,
            SummaryOptions {
                top,
                keep_bills: bills,
            },
        )?;
        Ok((json(&summary)?, lines(summary.bills())))
    })
    .map_err(PyErr::from)
}

/// The bill CSV's column names, in order.
#[pyfunction]
fn line_columns() -> Vec<&'static str> {
    bill_csv::COLUMNS.to_vec()
}

#[pymodule]
fn _unitcalc(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("UnitcalcError", m.py().get_type::<UnitcalcError>())?;
    m.add_class::<PyMatrix>()?;
    m.add_class::<PyDeal>()?;
    m.add_class::<PyBook>()?;
    m.add_function(wrap_pyfunction!(quote_deal, m)?)?;
    m.add_function(wrap_pyfunction!(compare_deal, m)?)?;
    m.add_function(wrap_pyfunction!(reprice_book, m)?)?;
    m.add_function(wrap_pyfunction!(line_columns, m)?)?;
    Ok(())
}
