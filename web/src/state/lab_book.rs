//! The lab's book panel: a book usage CSV, its customers' offers (a map
//! file, the deal files, a default offer), the run in the page's worker
//! (progress, cancel) and the core's report (`lab::book::BookReport`).
//! These functions keep the inputs, build the worker's request and order
//! the report's rows for the table; every figure is the core's.

use std::rc::Rc;

use unitcalc_core::lab::book::{BookOutcome, BookReport};
use unitcalc_core::{matrix_toml, scenario};

use super::lab::{models, LabState};
use crate::boundary;
use crate::browser::PickedFile;
use crate::worker_book::{BookCsv, BookRequest};

/// Where a run of the book is.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum BookRun {
    /// Not started.
    #[default]
    Idle,
    /// In the worker: (done, total) bytes of the book read.
    Running(u64, u64),
    /// Stopped by the user after (done, total) bytes.
    Cancelled(u64, u64),
    /// The report, or the message.
    Done(Rc<Result<BookReport, String>>),
}

/// The table's sort: by customer name, or by a model's total or delta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BookSort {
    /// By customer, in the book's order.
    #[default]
    Book,
    /// By customer name.
    Customer,
    /// By model `i`'s total.
    Total(usize),
    /// By model `i`'s delta against model 1.
    Delta(usize),
}

/// The book panel's inputs and run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BookPanel {
    /// The book usage CSV, picked but not read (the worker reads it).
    pub csv: Option<PickedFile>,
    /// The offer map CSV: name and text.
    pub map: Option<(String, String)>,
    /// Deal files (name, text) whose offers replace the scenario's.
    pub deals: Vec<(String, String)>,
    /// The default offer's index (`None`: customers must be in the map).
    pub default_offer: Option<usize>,
    /// The run.
    pub run: BookRun,
    /// The id of the latest run (answers of older runs are dropped).
    pub run_id: u64,
    /// The table's sort and whether it is descending.
    pub sort: (BookSort, bool),
}

/// What the user (and the worker) can do to the book panel.
#[derive(Debug, Clone, PartialEq)]
pub enum BookAction {
    /// The book usage CSV.
    Csv(PickedFile),
    /// The offer map (name, text).
    Map(String, String),
    /// One more deal file (name, text).
    Deal(String, String),
    /// Forget the deal files and the map.
    ClearOffers,
    /// The default offer.
    DefaultOffer(Option<usize>),
    /// A run started with this id.
    Start(u64),
    /// The worker's progress on run `id`: (id, done, total).
    Progress(u64, u64, u64),
    /// The worker's answer to run `id`.
    Done(u64, Rc<Result<BookReport, String>>),
    /// The user stopped the run.
    Cancel,
    /// Sort the table by this (again: the other way).
    Sort(BookSort),
}

impl BookPanel {
    /// Applies `a`.
    pub fn apply(&mut self, a: BookAction) {
        match a {
            BookAction::Csv(c) => self.csv = Some(c),
            BookAction::Map(n, t) => self.map = Some((n, t)),
            BookAction::Deal(n, t) => {
                self.deals.retain(|(m, _)| *m != n);
                self.deals.push((n, t));
            }
            BookAction::ClearOffers => {
                self.deals.clear();
                self.map = None;
            }
            BookAction::DefaultOffer(o) => self.default_offer = o,
            BookAction::Start(id) => {
                self.run_id = id;
                self.run = BookRun::Running(0, 0);
            }
            BookAction::Progress(id, d, t) => {
                if id == self.run_id && matches!(self.run, BookRun::Running(..)) {
                    self.run = BookRun::Running(d, t);
                }
            }
            BookAction::Done(id, r) => {
                if id == self.run_id && matches!(self.run, BookRun::Running(..)) {
                    self.run = BookRun::Done(r);
                }
            }
            BookAction::Cancel => {
                if let BookRun::Running(d, t) = self.run {
                    self.run = BookRun::Cancelled(d, t);
                }
            }
            BookAction::Sort(s) => {
                self.sort = if self.sort.0 == s {
                    (s, !self.sort.1)
                } else {
                    (s, !matches!(s, BookSort::Book | BookSort::Customer))
                };
            }
        }
    }
}

/// The worker's request for the lab's book: every model (the deal's matrix
/// first) as its TOML, the files, the scenario's link.
pub fn request(s: &LabState) -> Result<BookRequest, String> {
    let c = s.app.shown.as_ref().as_ref().map_err(|m| m.clone())?;
    let csv = s
        .lab
        .book
        .csv
        .as_ref()
        .ok_or("Load a book usage CSV first.")?;
    let link = scenario::encode(s.app.written()).map_err(|e| boundary::message(&e))?;
    Ok(BookRequest {
        models: models(&s.lab, c)
            .iter()
            .map(|(n, m)| (n.clone(), matrix_toml::to_toml(m)))
            .collect(),
        csv_name: csv.name.clone(),
        csv: BookCsv::File(csv.clone()),
        map: s.lab.book.map.clone(),
        default_offer: s.lab.book.default_offer,
        link,
        deals: s.lab.book.deals.clone(),
    })
}

/// The customers' rows (indices into the first model's summary) in the
/// table's order.
pub fn order(r: &BookReport, sort: (BookSort, bool)) -> Vec<usize> {
    let Some(BookOutcome::Priced(base)) = r.columns.first().map(|c| &c.outcome) else {
        return Vec::new();
    };
    let rows = &base.summary.customers;
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    let figures = |i: usize| match r.columns.get(i).map(|c| &c.outcome) {
        Some(BookOutcome::Priced(f)) => Some(f),
        _ => None,
    };
    match sort.0 {
        BookSort::Book => {}
        BookSort::Customer => idx.sort_by(|a, b| rows[*a].customer.cmp(&rows[*b].customer)),
        BookSort::Total(m) | BookSort::Delta(m) => {
            if let Some(f) = figures(m) {
                let key = |k: usize| {
                    let c = f.summary.customers.get(k)?;
                    match (sort.0, m) {
                        (BookSort::Total(_), 0) => Some(c.current),
                        (BookSort::Total(_), _) => c.candidate,
                        _ => c.delta,
                    }
                };
                idx.sort_by_key(|k| key(*k));
            }
        }
    }
    if sort.1 {
        idx.reverse();
    }
    idx
}
