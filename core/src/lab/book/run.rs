//! A book's usage CSV read and priced as a stream: [`price_book_from`] reads
//! any [`Read`] (a file, or the browser's file read in slices) through the
//! core's [`UsageReader`], so memory is the pricers', not the file's;
//! [`price_book`] is the same over bytes in memory.

use std::cell::Cell;
use std::io::Read;

use super::{BookPricer, BookReport, BookSlots, OfferMap};
use crate::error::{Error, Origin, Result};
use crate::lab::Model;
use crate::offer::{DealTerms, Offer};
use crate::usage_csv::{CsvRecord, UsageReader, HEADER_WITH_CUSTOMER};

/// A book usage CSV's size limit in the lab: 3 GiB. The book is read as a
/// stream, so memory does not grow with the file; the limit only refuses
/// at once a file picked by mistake (1,000 customers × 8,760 hours is
/// about 420 MB). It is the book's own, apart from the simulator's usage
/// upload limit ([`MAX_UPLOAD_BYTES`](crate::usage_csv::MAX_UPLOAD_BYTES)),
/// which is read whole into memory.
///
/// ```
/// use unitcalc_core::{lab::book::MAX_BOOK_BYTES, Error};
/// assert!(Error::check_size("book.csv", 420_000_000, MAX_BOOK_BYTES).is_ok());
/// assert_eq!(
///     Error::check_size("book.csv", MAX_BOOK_BYTES + 1, MAX_BOOK_BYTES).unwrap_err().to_string(),
///     "book.csv is 3221225473 bytes; the limit is 3221225472 bytes"
/// );
/// ```
pub const MAX_BOOK_BYTES: usize = 3 << 30;

/// Counts the bytes read through it (the progress by bytes: these less
/// the reader's [`UsageReader::unread`]).
struct Counted<'c, R> {
    inner: R,
    read: &'c Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get().saturating_add(n as u64));
        Ok(n)
    }
}

/// Prices the book usage CSV `csv` (named `file`) under every model:
/// [`price_book_from`] over bytes in memory.
///
/// ```
/// use unitcalc_core::{bundled, lab::{self, book}};
/// use unitcalc_core::offer::{DealTerms, Offer, OfferKind, PayAsYouGo};
/// use unitcalc_core::time::{Date, Term};
/// let m = bundled::matrix("spec-m").unwrap();
/// let mut raised = m.clone();
/// raised.list_price = "1.10".parse().unwrap();
/// let models = [lab::Model { name: "spec-m", matrix: &m }, lab::Model { name: "list 1.10", matrix: &raised }];
/// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Default::default() };
/// let offers = [Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0".parse().unwrap() }) }];
/// let map = book::OfferMap { customers: vec![], default: Some(book::OfferChoice { offer: 0, channel: None }) };
/// let csv = b"customer,timestamp,meter,environment,use_case,quantity\n\
///     acme,2026-03-01T00:00:00Z,capacity,azure,hot,200\n";
/// let r = book::price_book(&models, &terms, &offers, &map, csv, "book.csv", |_, _| {}).unwrap();
/// let book::BookOutcome::Priced(f) = &r.columns[1].outcome else { panic!() };
/// // 0.375 units: 0.38 at list price 1.00, 0.41 at 1.10.
/// assert_eq!(f.summary.customers[0].delta.unwrap().to_string(), "0.03");
/// ```
pub fn price_book(
    models: &[Model<'_>],
    terms: &DealTerms,
    offers: &[Offer],
    map: &OfferMap,
    csv: &[u8],
    file: &str,
    progress: impl FnMut(u64, u64),
) -> Result<BookReport> {
    let size = csv.len() as u64;
    price_book_from(models, terms, offers, map, csv, size, file, progress)
}

/// Prices the book usage CSV read from `input` (`size` bytes, named `file`
/// in errors, with their line) under every model, one record at a time
/// ([`BookPricer`]): the lines are split and checked by [`UsageReader`]
/// as they arrive, so only the pricers' state is kept. `progress(read,
/// size)` is told the bytes read about every hundredth of `size`, and once
/// at the end. A `size` over [`MAX_BOOK_BYTES`] is refused before reading.
///
/// ```
/// use unitcalc_core::{bundled, lab::{self, book}};
/// use unitcalc_core::offer::{DealTerms, Offer, OfferKind, PayAsYouGo};
/// use unitcalc_core::time::{Date, Term};
/// let m = bundled::matrix("spec-m").unwrap();
/// let models = [lab::Model { name: "spec-m", matrix: &m }];
/// let terms = DealTerms { term: Term::new(Date::parse("2026-03-01").unwrap(), 1).unwrap(), channel: Default::default() };
/// let offers = [Offer { name: "PAYG".into(), kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: "0".parse().unwrap() }) }];
/// let map = book::OfferMap { customers: vec![], default: Some(book::OfferChoice { offer: 0, channel: None }) };
/// let csv = "customer,timestamp,meter,environment,use_case,quantity\n\
///     acme,2026-03-01T00:00:00Z,capacity,azure,hot,200\n\
///     acme,2026-03-01T01:00:00Z,capacity,azure,hot,2x0\n";
/// // A reader that hands over 7 bytes at a time: lines span its reads.
/// let slices = std::io::BufReader::with_capacity(7, csv.as_bytes());
/// let mut seen = Vec::new();
/// let e = book::price_book_from(&models, &terms, &offers, &map, slices, csv.len() as u64, "book.csv",
///     |read, size| seen.push((read, size))).unwrap_err();
/// assert!(e.to_string().starts_with("book.csv:3: invalid quantity `2x0`"), "{e}");
/// assert!(seen.iter().all(|&(read, size)| read <= size && size == csv.len() as u64));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn price_book_from<R: Read>(
    models: &[Model<'_>],
    terms: &DealTerms,
    offers: &[Offer],
    map: &OfferMap,
    input: R,
    size: u64,
    file: &str,
    mut progress: impl FnMut(u64, u64),
) -> Result<BookReport> {
    Error::check_size(
        file,
        usize::try_from(size).unwrap_or(usize::MAX),
        MAX_BOOK_BYTES,
    )?;
    let slots = BookSlots::new(models, terms, offers, map)?;
    let mut pricer = BookPricer::new(models, &slots)?;
    let first = models
        .first()
        .map(|m| m.matrix)
        .ok_or_else(|| Error::Offer {
            offer: String::new(),
            message: "no unit model to price under".into(),
        })?;
    let read = Cell::new(0u64);
    let every = (size / 100).max(1);
    let input = Counted {
        inner: input,
        read: &read,
    };
    let mut reader = UsageReader::new(input, file, first)?;
    if !reader.has_customer() {
        return Err(Error::Csv {
            at: Origin::line(file, 1),
            message: format!(
                "a book's usage needs the customer column: header `{HEADER_WITH_CUSTOMER}`"
            ),
        });
    }
    let mut rec = CsvRecord::default();
    let mut next = every;
    while reader.next_record(&mut rec)? {
        pricer.push(&mut rec, file)?;
        let done = read.get().saturating_sub(reader.unread() as u64);
        if done >= next {
            progress(done.min(size), size);
            next = done.saturating_add(every);
        }
    }
    let end = read.get().max(size);
    progress(end, end);
    pricer.finish()
}
