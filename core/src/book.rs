//! Books: many customers, each priced with one offer of a deal file, under
//! the current matrix and optionally a candidate matrix; and the reprice
//! [`Summary`] of what the candidate would change. Format: `docs/cli.md`.
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
//! The core reads no files. A front end reads the book's text and hands it
//! to [`parse_book`], which returns a [`Book`] whose paths are the strings
//! as written (the front end resolves them, relative to the book file); it
//! loads the matrices, then [`Book::resolve`] asks it for each deal file
//! (parsed against both matrices, as a [`BookDeal`]) and picks every
//! customer's offer, giving the [`Slots`] to price. Once the bills are
//! priced, [`Summary::new`] adds them up.
//!
//! Each deal file supplies the term, channel and offer; its own matrix
//! reference and usage section are not used (the book's matrices and usage
//! CSV are). Deal files are parsed against both matrices by name, so a
//! candidate matrix may reorder or add meters, environments and use cases.

mod dispersion;
mod reprice;
mod summary;

use std::collections::hash_map::{Entry, HashMap};

use crate::deal::Deal;
use crate::error::{Error, Origin, Result};
use crate::offer::{DealTerms, Offer};
use crate::toml_tree::{Src, Table};

pub use dispersion::Dispersion;
pub use reprice::Repricer;
pub use summary::{CustomerBills, CustomerRow, MatrixId, Mover, Summary, SummaryOptions};

/// A parsed book, not yet resolved: every path is the string as written in
/// the book, for the front end to resolve relative to the book file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    /// The book's file name, as given to [`parse_book`]; errors name it.
    pub file: String,
    /// The current matrix (`matrix`).
    pub matrix: String,
    /// The candidate matrix (`candidate`), if any.
    pub candidate: Option<String>,
    /// The default usage CSV (`usage`), if any.
    pub usage: Option<String>,
    /// The deal for customers found in the usage but not listed
    /// (`default_deal`, `default_offer`), if any.
    pub default: Option<DefaultDeal>,
    /// The listed customers, in book order (`[[customers]]`).
    pub customers: Vec<BookCustomer>,
}

/// One `[[customers]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookCustomer {
    /// The customer's name: the value of the usage CSV's `customer` column.
    pub name: String,
    /// The deal file, as written.
    pub deal: String,
    /// The offer's name; the deal's first offer when absent.
    pub offer: Option<String>,
    /// The line of the entry's name in the book, for messages.
    pub line: Option<u32>,
}

/// The book's `default_deal` and `default_offer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultDeal {
    /// The deal file, as written.
    pub deal: String,
    /// The offer's name; the deal's first offer when absent.
    pub offer: Option<String>,
    /// The line of `default_offer` in the book, for messages.
    pub line: Option<u32>,
}

/// A deal file as the front end read it: parsed against the current matrix
/// and, when the book has a candidate, against the candidate too (with
/// [`crate::deal_toml::parse_deal`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookDeal {
    /// The deal file's name for messages (the resolved path).
    pub name: String,
    /// The deal under the current matrix.
    pub current: Deal,
    /// The deal under the candidate matrix.
    pub candidate: Option<Deal>,
}

/// One customer's (or the default's) terms and offer under each matrix: what
/// the pricer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Term and channel (from the deal parsed against the current matrix).
    pub terms: DealTerms,
    /// The offer resolved against the current matrix.
    pub current: Offer,
    /// The offer resolved against the candidate matrix.
    pub candidate: Option<Offer>,
}

/// A resolved book: every listed customer's slot, and the default's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slots {
    /// Listed customers in book order: name and slot.
    pub customers: Vec<(String, Slot)>,
    /// The slot for customers found in the usage but not listed.
    pub default: Option<Slot>,
}

/// Parses a book's TOML text; `file` names it in errors (`file:line:
/// message`). Checks the TOML and its keys only: the customers' names,
/// deals and offers are checked by [`Book::resolve`].
///
/// ```
/// use unitcalc_core::book::parse_book;
/// let src = "matrix = \"m.toml\"\n\n[[customers]]\nname = \"acme\"\ndeal = \"deals/acme.toml\"\n";
/// let book = parse_book(src, "book.toml").unwrap();
/// assert_eq!(book.matrix, "m.toml");
/// assert_eq!(book.customers[0].deal, "deals/acme.toml");
/// assert_eq!(book.customers[0].line, Some(4));
///
/// let typo = src.replace("deal =", "deel =");
/// assert_eq!(
///     parse_book(&typo, "book.toml").unwrap_err().to_string(),
///     "book.toml:5: unknown field `deel`, expected one of `name`, `deal`, `offer`"
/// );
/// ```
pub fn parse_book(src: &str, file: &str) -> Result<Book> {
    // Book errors give the line only (`book.toml:5: …`).
    let line_only = |e: Error| match e {
        Error::Toml { at, message } => Error::Toml {
            at: Origin { column: None, ..at },
            message,
        },
        other => other,
    };
    read_book(Src { file, text: src }).map_err(line_only)
}

const BOOK_KEYS: &[&str] = &[
    "matrix",
    "candidate",
    "usage",
    "default_deal",
    "default_offer",
    "customers",
];

fn read_book(src: Src<'_>) -> Result<Book> {
    let doc = src.parse()?;
    let root = src.root(&doc, BOOK_KEYS)?;
    let text = |t: &Table<'_>, key: &str| -> Result<Option<String>> {
        t.get(key)
            .map(|item| src.string(item).map(|v| v.get_ref().clone()))
            .transpose()
    };
    let line = |offset: usize| Origin::from_offset(src.file, src.text, offset).line;
    let matrix = src.string(root.require("matrix")?)?.get_ref().clone();
    let default = match text(&root, "default_deal")? {
        None => None,
        Some(deal) => Some(DefaultDeal {
            deal,
            offer: text(&root, "default_offer")?,
            line: root
                .get("default_offer")
                .and_then(|i| i.span())
                .and_then(|s| line(s.start)),
        }),
    };
    let mut customers = Vec::new();
    if let Some(item) = root.get("customers") {
        for t in src.tables(item, &["name", "deal", "offer"])?.get_ref() {
            let name = src.string(t.require("name")?)?;
            customers.push(BookCustomer {
                line: line(name.span().start),
                name: name.get_ref().clone(),
                deal: src.string(t.require("deal")?)?.get_ref().clone(),
                offer: text(t, "offer")?,
            });
        }
    }
    Ok(Book {
        file: src.file.to_string(),
        matrix,
        candidate: text(&root, "candidate")?,
        usage: text(&root, "usage")?,
        default,
        customers,
    })
}

impl Book {
    /// Resolves the book: checks the customers (a name, listed once), asks
    /// `read_deal` for each deal file named (once per path as written, in
    /// book order, then the default deal's) and picks each customer's offer
    /// by name, or the deal's first. A book with neither customers nor a
    /// default deal is an error.
    ///
    /// `read_deal` is the front end's: it resolves the path, reads the file
    /// and parses it against the book's matrices; its error type is the
    /// front end's, into which the core's errors convert.
    ///
    /// ```
    /// use unitcalc_core::book::{parse_book, BookDeal};
    /// use unitcalc_core::{deal_toml, deal::MatrixChoice, Error};
    /// let matrix = MatrixChoice::Bundled("spec-m".into()).load().unwrap();
    /// let deal = "name = \"Acme\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = 1\n\
    ///             [usage]\ncsv = \"u.csv\"\n[[offers]]\nname = \"PAYG\"\nkind = \"pay-as-you-go\"\n";
    /// let read = |path: &str| -> Result<BookDeal, Error> {
    ///     Ok(BookDeal {
    ///         name: format!("books/{path}"),
    ///         current: deal_toml::parse_deal(deal, path, &matrix)?,
    ///         candidate: None,
    ///     })
    /// };
    /// let src = "matrix = \"m.toml\"\n[[customers]]\nname = \"acme\"\ndeal = \"acme.toml\"\n";
    /// let slots = parse_book(src, "book.toml").unwrap().resolve(read).unwrap();
    /// assert_eq!(slots.customers[0].0, "acme");
    /// assert_eq!(slots.customers[0].1.current.name, "PAYG");
    ///
    /// let src = format!("{src}offer = \"Fixed\"\n");
    /// let e = parse_book(&src, "book.toml").unwrap().resolve(read).unwrap_err();
    /// assert_eq!(e.to_string(), "book.toml:3: deal books/acme.toml has no offer `Fixed` (offers: `PAYG`)");
    /// ```
    pub fn resolve<'a, E: From<Error>>(
        &'a self,
        mut read_deal: impl FnMut(&str) -> Result<BookDeal, E>,
    ) -> Result<Slots, E> {
        let mut deals: HashMap<&str, BookDeal> = HashMap::new();
        let mut slot_of = |deal: &'a str, offer: Option<&str>, line: Option<u32>| {
            let file = match deals.entry(deal) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) => v.insert(read_deal(deal)?),
            };
            self.slot(file, offer, line).map_err(E::from)
        };
        let mut customers: Vec<(String, Slot)> = Vec::with_capacity(self.customers.len());
        for c in &self.customers {
            if c.name.is_empty() {
                return Err(self.invalid(c.line, "customer name is empty".into()).into());
            }
            if customers.iter().any(|(n, _)| *n == c.name) {
                let message = format!("customer `{}` is listed twice", c.name);
                return Err(self.invalid(c.line, message).into());
            }
            let slot = slot_of(&c.deal, c.offer.as_deref(), c.line)?;
            customers.push((c.name.clone(), slot));
        }
        let default = match &self.default {
            None => None,
            Some(d) => Some(slot_of(&d.deal, d.offer.as_deref(), d.line)?),
        };
        if customers.is_empty() && default.is_none() {
            let message = "the book lists no customers and has no default_deal".into();
            return Err(self.invalid(None, message).into());
        }
        Ok(Slots { customers, default })
    }

    /// The slot of offer `name` (or the first) of `deal`.
    fn slot(&self, deal: &BookDeal, name: Option<&str>, line: Option<u32>) -> Result<Slot> {
        let offers = &deal.current.offers;
        let i = deal
            .current
            .offer_index(name)
            .map_err(|m| self.invalid(line, format!("deal {} {m}", deal.name)))?;
        let current = offers
            .get(i)
            .cloned()
            .ok_or_else(|| self.invalid(line, format!("deal {} has no offer", deal.name)))?;
        Ok(Slot {
            terms: deal.current.terms.clone(),
            current,
            candidate: deal
                .candidate
                .as_ref()
                .and_then(|c| c.offers.get(i).cloned()),
        })
    }

    /// A rule broken at `line` of the book.
    fn invalid(&self, line: Option<u32>, message: String) -> Error {
        Error::Invalid {
            at: Origin {
                line,
                ..Origin::file(&self.file)
            },
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::MatrixChoice;
    use crate::deal_toml::parse_deal;

    const DEAL: &str =
        "name = \"Acme\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = 2\n\
        [usage]\ncsv = \"u.csv\"\n[[offers]]\nname = \"PAYG\"\nkind = \"pay-as-you-go\"\n\
        [[offers]]\nname = \"PAYG 20% off\"\nkind = \"pay-as-you-go\"\ndiscount = \"0.20\"\n";

    fn resolve(src: &str) -> Result<Slots> {
        let m = MatrixChoice::Bundled("spec-m".into()).load()?;
        let book = parse_book(src, "book.toml")?;
        let mut reads = Vec::new();
        let r = book.resolve(|p: &str| {
            reads.push(p.to_string());
            Ok::<_, Error>(BookDeal {
                name: format!("dir/{p}"),
                current: parse_deal(DEAL, p, &m)?,
                candidate: Some(parse_deal(DEAL, p, &m)?),
            })
        });
        // Each deal file is read once.
        let mut unique = reads.clone();
        unique.dedup();
        assert_eq!(reads, unique);
        r
    }

    #[test]
    fn book_errors_name_the_file_line_and_value() {
        const M: &str = "matrix = \"m.toml\"\n";
        // (book after the matrix line, error)
        let table = [
            ("[[customers]\n", "book.toml:2: invalid table header\nexpected `.`, `]]`"),
            ("foo = 1\n", "book.toml:2: unknown field `foo`, expected one of `matrix`, `candidate`, `usage`, `default_deal`, `default_offer`, `customers`"),
            ("usage = 1.5\n", "book.toml:2: expected a string, found the number `1.5`"),
            ("[[customers]]\nname = \"a\"\n", "book.toml:2: missing field `deal`"),
            ("[[customers]]\nname = \"\"\ndeal = \"d.toml\"\n", "book.toml:3: customer name is empty"),
            (
                "[[customers]]\nname = \"a\"\ndeal = \"d.toml\"\n[[customers]]\nname = \"a\"\ndeal = \"d.toml\"\n",
                "book.toml:6: customer `a` is listed twice",
            ),
            (
                "[[customers]]\nname = \"a\"\ndeal = \"d.toml\"\noffer = \"Nope\"\n",
                "book.toml:3: deal dir/d.toml has no offer `Nope` (offers: `PAYG`, `PAYG 20% off`)",
            ),
            (
                "default_deal = \"d.toml\"\ndefault_offer = \"Nope\"\n",
                "book.toml:3: deal dir/d.toml has no offer `Nope` (offers: `PAYG`, `PAYG 20% off`)",
            ),
            ("", "book.toml: the book lists no customers and has no default_deal"),
        ];
        for (body, want) in table {
            let e = resolve(&format!("{M}{body}")).unwrap_err();
            assert_eq!(e.to_string(), want, "{body}");
        }
        let e = parse_book("candidate = \"c\"\n", "b.toml").unwrap_err();
        assert_eq!(e.to_string(), "b.toml:1: missing field `matrix`");
    }

    #[test]
    fn offers_are_picked_by_name_or_first() {
        let s = resolve(
            "matrix = \"m.toml\"\ndefault_deal = \"d.toml\"\n\
             [[customers]]\nname = \"a\"\ndeal = \"d.toml\"\noffer = \"PAYG 20% off\"\n\
             [[customers]]\nname = \"b\"\ndeal = \"./d.toml\"\n",
        )
        .unwrap();
        let names: Vec<(&str, &str, Option<&str>)> = s
            .customers
            .iter()
            .map(|(n, s)| {
                (
                    n.as_str(),
                    s.current.name.as_str(),
                    s.candidate.as_ref().map(|o| o.name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("a", "PAYG 20% off", Some("PAYG 20% off")),
                ("b", "PAYG", Some("PAYG"))
            ]
        );
        assert_eq!(s.default.unwrap().current.name, "PAYG");
    }
}
