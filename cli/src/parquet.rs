//! A book's Parquet usage, priced in one sequential pass by the core's
//! [`Repricer`] (the core's Parquet reader streams row groups): the same
//! bills, in the same customer order, as the CSV's threaded path
//! ([`crate::stream`]).

use std::path::Path;

use unitcalc_core::book::Repricer;
use unitcalc_core::error::{Error, Origin};
use unitcalc_core::usage_csv::CsvRecord;
use unitcalc_core::usage_parquet::{ParquetOptions, ParquetUsage};

use crate::error::{CliError, Result};
use crate::load;
use crate::stream::{Priced, Setup};

/// Prices every customer of the Parquet usage at `path`.
pub fn price_book(setup: &Setup<'_>, path: &Path) -> Result<Priced> {
    let file = load::name(path);
    let mut reader = ParquetUsage::new(
        load::open(path)?,
        &file,
        setup.matrix,
        ParquetOptions::default(),
    )?;
    if !reader.has_customer() {
        return Err(CliError::Core(Error::Csv {
            at: Origin::file(&file),
            message: "missing column `customer`: a book's usage names the customer on every row"
                .into(),
        }));
    }
    let mut pricer = Repricer::new(
        setup.matrix,
        setup.candidate,
        setup.customers,
        setup.default,
    )?;
    let mut rec = CsvRecord::default();
    while reader.next_record(&mut rec)? {
        pricer.push(&rec, &file)?;
    }
    let (bills, rows) = pricer.finish()?;
    let customers = bills
        .into_iter()
        .map(|b| (b.customer, b.current, b.candidate))
        .collect();
    Ok(Priced { customers, rows })
}
