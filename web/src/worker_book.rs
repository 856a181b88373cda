//! The lab's book, priced in the page's worker ([`crate::worker`]): the
//! request the lab page posts ([`BookRequest`]), the worker's answer (the
//! core's [`BookReport`] as JSON, after progress messages) and its reading
//! ([`decode`]). The book's usage CSV travels as the file the user picked
//! ([`BookCsv::File`], posted along the message): the worker reads it in
//! slices ([`crate::browser::posted_file`]) into the core's streaming
//! pricer (`lab::book::price_book_from`), so neither side holds the whole
//! file. The worker reads every file with the core; nothing here computes
//! a figure.

use unitcalc_core::lab::book::{self, BookReport, OfferChoice, OfferMap};
use unitcalc_core::lab::Model;
use unitcalc_core::{deal::FieldLabels, deal_toml, matrix_toml, scenario};

use crate::worker::{fields, put, text};

/// What the lab page asks the worker to price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookRequest {
    /// The models: name and matrix TOML, the first the deal's matrix.
    pub models: Vec<(String, String)>,
    /// The book usage CSV's name.
    pub csv_name: String,
    /// The book usage CSV.
    pub csv: BookCsv,
    /// The offer map CSV (name, text), when there is one.
    pub map: Option<(String, String)>,
    /// The default offer of customers the map does not list (`None`: they
    /// are an error).
    pub default_offer: Option<usize>,
    /// The scenario's share link (its term, channel and offers).
    pub link: String,
    /// Deal files (name, text) whose offers and term replace the
    /// scenario's (a book's customers' deals).
    pub deals: Vec<(String, String)>,
}

/// Where the worker finds the book's usage CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookCsv {
    /// In the message (the native tests).
    Bytes(Vec<u8>),
    /// The file the user picked, posted along the message
    /// ([`crate::browser::ask_worker_with_file`]).
    File(crate::browser::PickedFile),
}

impl BookRequest {
    /// Posts the request to the page's worker (with the book's file when it
    /// is one), `on_progress` told the bytes read.
    pub fn post(&self, on_progress: yew::Callback<(u64, u64)>, on_answer: yew::Callback<Vec<u8>>) {
        match &self.csv {
            BookCsv::File(f) => {
                crate::browser::ask_worker_with_file(self.encode(), f, Some(on_progress), on_answer)
            }
            BookCsv::Bytes(_) => crate::browser::ask_worker_with_progress(
                self.encode(),
                Some(on_progress),
                on_answer,
            ),
        }
    }

    /// The message the page posts.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, b"book");
        put(&mut out, self.models.len().to_string().as_bytes());
        for (n, t) in &self.models {
            put(&mut out, n.as_bytes());
            put(&mut out, t.as_bytes());
        }
        put(&mut out, self.csv_name.as_bytes());
        match &self.csv {
            BookCsv::Bytes(b) => {
                put(&mut out, b"bytes");
                put(&mut out, b);
            }
            BookCsv::File(_) => {
                put(&mut out, b"file");
                put(&mut out, b"");
            }
        }
        let (map_name, map_text) = self.map.clone().unwrap_or_default();
        put(&mut out, map_name.as_bytes());
        put(&mut out, map_text.as_bytes());
        let default = self
            .default_offer
            .map(|o| o.to_string())
            .unwrap_or_default();
        put(&mut out, default.as_bytes());
        put(&mut out, self.link.as_bytes());
        for (n, t) in &self.deals {
            put(&mut out, n.as_bytes());
            put(&mut out, t.as_bytes());
        }
        out
    }
}

/// Reads the worker's answer: the book's report, or the message.
pub fn decode(message: &[u8]) -> Result<BookReport, String> {
    let damaged = || "the worker's answer was damaged".to_string();
    let f = fields(message).ok_or_else(damaged)?;
    match (f.first().copied(), f.get(1)) {
        (Some(b"book"), Some(json)) => serde_json::from_slice(json).map_err(|_| damaged()),
        (Some(b"err"), Some(m)) => Err(text(m)),
        _ => Err(damaged()),
    }
}

/// The worker's side: the report as JSON, from the request's fields (after
/// `book`), telling `progress` on the way.
pub fn answer(f: &[&[u8]], progress: &mut dyn FnMut(u64, u64)) -> Result<String, String> {
    let msg = |e: unitcalc_core::Error| crate::boundary::message(&e);
    let damaged = || "the page's request to the worker was damaged".to_string();
    let mut it = f.iter().copied();
    let mut next = || it.next().ok_or_else(damaged);
    let n: usize = text(next()?).parse().map_err(|_| damaged())?;
    let mut named = Vec::with_capacity(n);
    for _ in 0..n {
        let name = text(next()?);
        let m = matrix_toml::parse_matrix(&text(next()?), &name).map_err(msg)?;
        named.push((name, m));
    }
    let (csv_name, source, csv) = (text(next()?), next()?, next()?);
    let (map_name, map_text) = (text(next()?), text(next()?));
    let default = text(next()?);
    let link = text(next()?);
    let mut deal_files = Vec::new();
    while let Ok(name) = next() {
        deal_files.push((text(name), text(next()?)));
    }
    let first = &named.first().ok_or("no unit model to price under")?.1;
    let (terms, offers) = if deal_files.is_empty() {
        let spec = scenario::open_link(&link).map_err(msg)?;
        let deal = spec.resolve(first, &FieldLabels).map_err(msg)?;
        (deal.terms, deal.offers)
    } else {
        let deals = deal_files
            .iter()
            .map(|(n, t)| deal_toml::parse_deal(t, n, first))
            .collect::<Result<Vec<_>, _>>()
            .map_err(msg)?;
        book::offers_of(&deals).map_err(msg)?
    };
    let mut map = if map_name.is_empty() {
        OfferMap::default()
    } else {
        OfferMap::read(&map_text, &map_name, &offers).map_err(msg)?
    };
    map.default = default.parse().ok().map(|offer| OfferChoice {
        offer,
        channel: None,
    });
    let models: Vec<Model<'_>> = named
        .iter()
        .map(|(n, m)| Model { name: n, matrix: m })
        .collect();
    let report = if source == b"file" {
        let file = crate::browser::posted_file()
            .ok_or_else(|| format!("{csv_name} did not reach the page's worker"))?;
        let size = file.size;
        book::price_book_from(
            &models,
            &terms,
            &offers,
            &map,
            file,
            size,
            &csv_name,
            &mut *progress,
        )
    } else {
        book::price_book(&models, &terms, &offers, &map, csv, &csv_name, progress)
    }
    .map_err(msg)?;
    serde_json::to_string(&report).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example book through the request and the answer, as the lab
    /// page and the worker exchange them: the candidate's column is the
    /// CLI's reprice golden.
    #[test]
    fn example_book_round_trip() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../");
        let read = |p: &str| std::fs::read_to_string(format!("{root}{p}")).unwrap();
        let spec = unitcalc_core::bundled::matrix("spec-m").unwrap();
        let deals = ["acme", "globex", "initech", "umbrella", "hooli"].map(|c| {
            (
                format!("{c}.toml"),
                read(&format!("examples/book/deals/{c}.toml")),
            )
        });
        let req = BookRequest {
            models: vec![
                ("spec-m".into(), matrix_toml::to_toml(&spec)),
                ("candidate".into(), read("examples/book/candidate-m.toml")),
            ],
            csv_name: "usage.csv".into(),
            csv: BookCsv::Bytes(read("examples/book/usage.csv").into_bytes()),
            map: Some(("offers.csv".into(), read("examples/book/offers.csv"))),
            default_offer: None,
            link: scenario::encode(&unitcalc_core::deal::DealSpec::example()).unwrap(),
            deals: deals.to_vec(),
        };
        let mut steps = 0;
        let message = req.encode();
        let f = fields(&message).unwrap();
        let json = answer(&f[1..], &mut |_, _| steps += 1).unwrap();
        let mut out = Vec::new();
        put(&mut out, b"book");
        put(&mut out, json.as_bytes());
        let r = decode(&out).unwrap();
        let golden: unitcalc_core::book::Summary =
            serde_json::from_str(&read("cli/tests/golden/reprice-book.json")).unwrap();
        let book::BookOutcome::Priced(c) = &r.columns[1].outcome else {
            panic!("{:?}", r.columns[1].outcome)
        };
        assert_eq!(c.summary, golden);
        assert!(steps >= 100, "progress told {steps} times");
    }
}
