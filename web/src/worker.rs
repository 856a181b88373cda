//! The page's second WebAssembly module, a Web Worker (`src/bin/worker.rs`,
//! built by trunk from `index.html`'s `data-type="worker"` link), loaded the
//! first time a user asks for what it computes: a bill's evidence (each
//! line's formula trail, the fingerprints, the hourly ledger), the exports,
//! a deal file read, and a marketplace deal's metering ([`metering`]). The
//! first load stays small, and the work runs off the page's thread.
//!
//! The page sends the scenario as its share link (the same strict text links
//! and saved scenarios hold), the uploaded usage CSV when there is one, and
//! the offer; the worker re-reads and re-prices them with the core (the same
//! deal, so the same bill) and answers with
//! [`unitcalc_core::evidence::OfferEvidence`]'s figures as text. Messages
//! are sequences of netstrings (`<byte length>:<bytes>,`), so any text
//! travels unchanged. This module holds both sides: [`EvidenceRequest`] and
//! [`decode_answer`] for the page, [`answer`] for the worker.

use std::rc::Rc;

pub mod metering;

/// What the page asks the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRequest {
    /// Which state the request belongs to (answers to older ones are dropped).
    pub key: u64,
    /// The offer's index in the deal.
    pub offer: usize,
    /// True for the offer's trail and ledger too; false for the
    /// fingerprints alone (a printed quote).
    pub trail: bool,
    /// The scenario's share link (`#v1.…`).
    pub link: String,
    /// The uploaded usage CSV, when there is one.
    pub csv: Option<Rc<crate::state::CsvUsage>>,
}

/// A bill's evidence, as the worker computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The bill's short fingerprint.
    pub short: String,
    /// (input, SHA-256 hex): bill, matrix, deal, usage, engine.
    pub digests: Vec<(String, String)>,
    /// Every offer's bill digest, in the deal's order: (offer, SHA-256 hex).
    pub bills: Vec<(String, String)>,
    /// Per period, per line, the trail's lines (none when only the
    /// fingerprints were asked for).
    pub trails: Vec<Vec<Vec<String>>>,
    /// The bill JSON with its fingerprints (empty without the trail).
    pub bill_json: String,
    /// The hourly ledger CSV (empty without the trail).
    pub ledger_csv: String,
}

impl Evidence {
    /// The deal's fingerprints: its inputs' and every offer's bill's.
    pub fn fingerprints(&self) -> unitcalc_core::evidence::Fingerprints {
        let d = |i: usize| self.digests.get(i).map(|d| d.1.clone()).unwrap_or_default();
        unitcalc_core::evidence::Fingerprints {
            matrix: d(1),
            deal: d(2),
            usage: d(3),
            engine: d(4),
            bills: self.bills.clone(),
        }
    }
}

/// The worker's answer to the request with this key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceAnswer {
    /// The request's key.
    pub key: u64,
    /// The evidence, or the core's message.
    pub result: Result<Evidence, String>,
}

pub(crate) fn put(out: &mut Vec<u8>, field: &[u8]) {
    out.extend_from_slice(field.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(field);
    out.push(b',');
}

/// The netstrings of `bytes`, or `None` when they are damaged.
pub(crate) fn fields(mut bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let colon = bytes.iter().position(|&b| b == b':')?;
        let len: usize = std::str::from_utf8(bytes.get(..colon)?)
            .ok()?
            .parse()
            .ok()?;
        let start = colon.checked_add(1)?;
        let end = start.checked_add(len)?;
        out.push(bytes.get(start..end)?);
        if bytes.get(end) != Some(&b',') {
            return None;
        }
        bytes = bytes.get(end.checked_add(1)?..)?;
    }
    Some(out)
}

pub(crate) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl EvidenceRequest {
    /// The message the page posts.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, b"evidence");
        put(&mut out, self.key.to_string().as_bytes());
        put(&mut out, if self.trail { b"1" } else { b"0" });
        put(&mut out, self.offer.to_string().as_bytes());
        put(&mut out, self.link.as_bytes());
        if let Some(c) = &self.csv {
            put(&mut out, c.name.as_bytes());
            put(&mut out, &c.bytes);
        }
        out
    }
}

/// Reads the worker's answer.
pub fn decode_answer(message: &[u8]) -> Option<EvidenceAnswer> {
    let f = fields(message)?;
    let key = text(f.first()?).parse().ok()?;
    let result = match (f.get(1).copied(), f.len()) {
        (Some(b"ok"), 12) => {
            let labels = ["Bill", "Matrix", "Deal", "Usage", "Engine"];
            let mut trails: Vec<Vec<Vec<String>>> = Vec::new();
            for line in text(f.get(8)?).lines() {
                let mut parts = line.splitn(3, '\t');
                let k: usize = parts.next()?.parse().ok()?;
                let i: usize = parts.next()?.parse().ok()?;
                let t = parts.next()?.to_string();
                while trails.len() <= k {
                    trails.push(Vec::new());
                }
                let period = trails.get_mut(k)?;
                while period.len() <= i {
                    period.push(Vec::new());
                }
                period.get_mut(i)?.push(t);
            }
            Ok(Evidence {
                short: text(f.get(2)?),
                digests: labels
                    .iter()
                    .zip(f.get(3..8)?)
                    .map(|(l, d)| (l.to_string(), text(d)))
                    .collect(),
                bills: text(f.get(11)?)
                    .lines()
                    .map(|l| {
                        let (o, d) = l.rsplit_once('\t')?;
                        Some((o.to_string(), d.to_string()))
                    })
                    .collect::<Option<_>>()?,
                trails,
                bill_json: text(f.get(9)?),
                ledger_csv: text(f.get(10)?),
            })
        }
        (Some(b"err"), 3) => Err(text(f.get(2)?)),
        _ => return None,
    };
    Some(EvidenceAnswer { key, result })
}

/// A file the worker made for the page to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerFile {
    /// File name.
    pub name: String,
    /// Media type.
    pub mime: String,
    /// Contents.
    pub text: String,
}

/// The request for an export of the scenario (`link`, the uploaded CSV) with
/// its offer `offer` shown: the worker re-prices and writes the file.
pub fn export_request(
    kind: crate::export::ExportKind,
    link: &str,
    offer: usize,
    csv: Option<&crate::state::CsvUsage>,
) -> Vec<u8> {
    let mut out = Vec::new();
    put(&mut out, b"export");
    put(&mut out, kind.as_str().as_bytes());
    put(&mut out, offer.to_string().as_bytes());
    put(&mut out, link.as_bytes());
    if let Some(c) = csv {
        put(&mut out, c.name.as_bytes());
        put(&mut out, &c.bytes);
    }
    out
}

/// Reads the answer to [`export_request`]: the file, or the message.
pub fn decode_file(message: &[u8]) -> Result<WorkerFile, String> {
    let f = fields(message).ok_or("the worker's answer was damaged")?;
    match (f.first().copied(), f.len()) {
        (Some(b"file"), 4) => Ok(WorkerFile {
            name: text(f[1]),
            mime: text(f[2]),
            text: text(f[3]),
        }),
        (Some(b"err"), 2) => Err(text(f[1])),
        _ => Err("the worker's answer was damaged".into()),
    }
}

/// The request to open a deal file (`name`, its text) as a scenario.
pub fn deal_request(name: &str, text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    put(&mut out, b"deal");
    put(&mut out, name.as_bytes());
    put(&mut out, text.as_bytes());
    out
}

/// Reads the answer to [`deal_request`]: the scenario's share link, the
/// usage file the deal names (empty when none) and whether the file has a
/// `[metering]` plan, or the message.
pub fn decode_deal(message: &[u8]) -> Result<(String, Option<String>, bool), String> {
    let f = fields(message).ok_or("the worker's answer was damaged")?;
    match (f.first().copied(), f.len()) {
        (Some(b"link"), 4) => Ok((
            text(f[1]),
            Some(text(f[2])).filter(|c| !c.is_empty()),
            f[3] == b"plan",
        )),
        (Some(b"err"), 2) => Err(text(f[1])),
        _ => Err("the worker's answer was damaged".into()),
    }
}

/// `id` and `message` as one message, so answers find their callers.
pub fn frame(id: u64, message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len().saturating_add(24));
    put(&mut out, id.to_string().as_bytes());
    out.extend_from_slice(message);
    out
}

/// The id and the message of a [`frame`].
pub fn unframe(framed: &[u8]) -> Option<(u64, &[u8])> {
    let colon = framed.iter().position(|&b| b == b':')?;
    let len: usize = std::str::from_utf8(framed.get(..colon)?)
        .ok()?
        .parse()
        .ok()?;
    let start = colon.checked_add(1)?;
    let end = start.checked_add(len)?;
    let id = std::str::from_utf8(framed.get(start..end)?)
        .ok()?
        .parse()
        .ok()?;
    (framed.get(end) == Some(&b',')).then_some(())?;
    Some((id, framed.get(end.checked_add(1)?..)?))
}

/// The worker's side of a [`frame`]d message: the framed answer (a long
/// request posts its progress on the way, [`crate::browser::post_progress`]).
pub fn answer_framed(framed: &[u8]) -> Vec<u8> {
    match unframe(framed) {
        Some((id, m)) => frame(
            id,
            &answer_with(m, &mut |done, total| {
                crate::browser::post_progress(id, done, total)
            }),
        ),
        None => frame(0, &answer(b"")),
    }
}

/// The worker's side: the answer to one request (on the worker's thread).
pub fn answer(message: &[u8]) -> Vec<u8> {
    answer_with(message, &mut |_, _| {})
}

/// [`answer`], telling `progress` (done, total) on the way of a long request.
fn answer_with(message: &[u8], progress: &mut dyn FnMut(u64, u64)) -> Vec<u8> {
    let mut out = Vec::new();
    let f = fields(message).unwrap_or_default();
    match f.first().copied() {
        Some(b"book") => {
            match crate::worker_book::answer(f.get(1..).unwrap_or_default(), progress) {
                Ok(json) => {
                    put(&mut out, b"book");
                    put(&mut out, json.as_bytes());
                }
                Err(m) => {
                    put(&mut out, b"err");
                    put(&mut out, m.as_bytes());
                }
            }
            out
        }
        Some(b"evidence") => evidence(f.get(1..).unwrap_or_default()),
        Some(b"metering") => metering::answer(f.get(1..).unwrap_or_default()),
        Some(b"export") => {
            match export(f.get(1..).unwrap_or_default()) {
                Ok(file) => {
                    put(&mut out, b"file");
                    put(&mut out, file.name.as_bytes());
                    put(&mut out, file.mime.as_bytes());
                    put(&mut out, file.text.as_bytes());
                }
                Err(m) => {
                    put(&mut out, b"err");
                    put(&mut out, m.as_bytes());
                }
            }
            out
        }
        Some(b"deal") => {
            let opened = match (f.get(1), f.get(2)) {
                (Some(name), Some(t)) => {
                    unitcalc_core::scenario::open_deal_file_metered(&text(t), &text(name))
                        .map_err(|e| crate::boundary::message(&e))
                        .and_then(|(spec, plan)| {
                            let link = unitcalc_core::scenario::encode(&spec)
                                .map_err(|e| crate::boundary::message(&e))?;
                            Ok((link, spec.usage_csv.unwrap_or_default(), plan.is_some()))
                        })
                }
                _ => Err("the page's request to the worker was damaged".into()),
            };
            match opened {
                Ok((link, csv, plan)) => {
                    put(&mut out, b"link");
                    put(&mut out, link.as_bytes());
                    put(&mut out, csv.as_bytes());
                    put(&mut out, if plan { b"plan" } else { b"" });
                }
                Err(m) => {
                    put(&mut out, b"err");
                    put(&mut out, m.as_bytes());
                }
            }
            out
        }
        _ => {
            put(&mut out, b"0");
            put(&mut out, b"err");
            put(&mut out, b"the page's request to the worker was damaged");
            out
        }
    }
}

/// An export, written by the page's own export code ([`crate::export::file`])
/// over the scenario re-priced here, with the bill's evidence, so every bill
/// file is named with its short fingerprint and the JSON carries the trail.
fn export(f: &[&[u8]]) -> Result<WorkerFile, String> {
    use crate::state::{Action, AppState, ByPtr, CsvUsage};
    use yew::Reducible;
    let kind = crate::export::ExportKind::from_str(&text(f.first().ok_or("no export")?))
        .ok_or("the page asked for an unknown export")?;
    let offer: usize = f
        .get(1)
        .and_then(|o| text(o).parse().ok())
        .ok_or("no offer")?;
    let link = text(f.get(2).ok_or("no scenario")?);
    let mut s = std::rc::Rc::new(AppState::open(&link));
    if let Some(a) = &s.alert {
        return Err(a.clone());
    }
    if let (Some(name), Some(bytes)) = (f.get(3), f.get(4)) {
        s = s.reduce(Action::UploadCsv(std::rc::Rc::new(CsvUsage {
            name: text(name),
            bytes: bytes.to_vec(),
        })));
    }
    s = s.reduce(Action::SelectOffer(offer));
    let mut st = (*s).clone();
    // The evidence request's fields, as `evidence` reads them: no key, the
    // trail, the offer, the link and the CSV this request carries.
    let offer_text = offer.to_string();
    let mut ask: Vec<&[u8]> = vec![b"0", b"1", offer_text.as_bytes(), link.as_bytes()];
    ask.extend(f.get(3..5).unwrap_or_default());
    if let Some(a) = decode_answer(&evidence(&ask)) {
        st.evidence = Some(ByPtr(std::rc::Rc::new(a.result)));
    }
    crate::export::file(&st, kind)
        .map(|f| WorkerFile {
            name: f.name,
            mime: f.mime.to_string(),
            text: f.text,
        })
        .ok_or_else(|| "the scenario does not price".to_string())
}

/// The evidence answer to `f` = [key, trail (`1`/`0`), offer, link, (csv
/// name, csv bytes)].
fn evidence(f: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    let key = f.first().map(|k| text(k)).unwrap_or_default();
    put(&mut out, key.as_bytes());
    let trail = f.get(1).copied() == Some(b"1");
    match compute(f.get(1..).unwrap_or_default(), trail) {
        Ok((fp, offer, e)) => {
            let own = fp
                .bills
                .get(offer)
                .map(|b| b.1.as_str())
                .unwrap_or_default();
            put(&mut out, b"ok");
            put(
                &mut out,
                own.get(..unitcalc_core::evidence::SHORT_DIGEST)
                    .unwrap_or(own)
                    .as_bytes(),
            );
            for d in [own, &fp.matrix, &fp.deal, &fp.usage, &fp.engine] {
                put(&mut out, d.as_bytes());
            }
            let (mut trails, mut json, mut ledger) = (String::new(), String::new(), String::new());
            if let Some((e, l)) = e {
                for (k, lines) in e.lines().iter().enumerate() {
                    for (i, t) in lines.iter().enumerate() {
                        for l in t.explain() {
                            trails.push_str(&format!("{k}\t{i}\t{l}\n"));
                        }
                    }
                }
                json = serde_json::to_string(&e.json()).unwrap_or_default();
                ledger = l;
            }
            put(&mut out, trails.as_bytes());
            put(&mut out, json.as_bytes());
            put(&mut out, ledger.as_bytes());
            let bills: String = fp
                .bills
                .iter()
                .map(|(o, d)| format!("{o}\t{d}\n"))
                .collect();
            put(&mut out, bills.as_bytes());
        }
        Err(m) => {
            put(&mut out, b"err");
            put(&mut out, m.as_bytes());
        }
    }
    out
}

/// What an evidence request asks for: the deal's fingerprints, the offer's
/// index, and (with `trail`) the offer's evidence and ledger CSV.
type Computed = (
    unitcalc_core::evidence::Fingerprints,
    usize,
    Option<(unitcalc_core::evidence::OfferEvidence, String)>,
);

/// [`Computed`], from the request's fields after the key and the trail flag:
/// [offer, link, (csv name, csv bytes)].
fn compute(f: &[&[u8]], trail: bool) -> Result<Computed, String> {
    use unitcalc_core::evidence::OfferEvidence;
    use unitcalc_core::quote;
    let msg = |e: unitcalc_core::Error| crate::boundary::message(&e);
    let offer: usize = f
        .get(1)
        .and_then(|o| text(o).parse().ok())
        .ok_or("the page's request has no offer")?;
    let link = text(f.get(2).ok_or("the page's request has no scenario")?);
    let (matrix, deal, usage) = priced(&link, f.get(3..5))?;
    deal.offers.get(offer).ok_or("the deal has no such offer")?;
    let q = quote::quote(&matrix, &deal.terms, &deal.offers, &usage).map_err(msg)?;
    let fp = unitcalc_core::evidence::fingerprints(&matrix, &deal, &usage, &q.comparison.bills)
        .map_err(msg)?;
    // The trail's offer takes its fingerprints from `fp` (the usage is
    // hashed once).
    let e = if trail {
        let e =
            OfferEvidence::with_fingerprints(&matrix, &deal, &usage, offer, &fp).map_err(msg)?;
        let ledger = e.ledger_csv(&matrix).map_err(msg)?;
        Some((e, ledger))
    } else {
        None
    };
    Ok((fp, offer, e))
}

/// The scenario of a share link, resolved, with its usage: the uploaded CSV
/// when `csv` holds its name and bytes, else the deal's own usage.
fn priced(
    link: &str,
    csv: Option<&[&[u8]]>,
) -> Result<
    (
        unitcalc_core::matrix::Matrix,
        unitcalc_core::deal::Deal,
        unitcalc_core::usage::UsageSeries,
    ),
    String,
> {
    use unitcalc_core::deal::FieldLabels;
    use unitcalc_core::{quote, scenario, usage_csv, Error};
    let msg = |e: Error| crate::boundary::message(&e);
    let spec = scenario::open_link(link).map_err(msg)?;
    let matrix = spec.matrix.load().map_err(msg)?;
    let deal = spec.resolve(&matrix, &FieldLabels).map_err(msg)?;
    let usage = match csv {
        Some([name, bytes]) => {
            usage_csv::read_usage(bytes, &text(name), &matrix, &deal.terms.term).map_err(msg)?
        }
        _ => quote::usage_of::<Error>(&deal, |p| {
            Err(Error::Invalid {
                at: unitcalc_core::error::Origin::file(p),
                message: "the usage file is not uploaded".into(),
            })
        })
        .map_err(msg)?,
    };
    Ok((matrix, deal, usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked example C's deal through the request and the answer, as the
    /// page and the worker exchange them.
    #[test]
    fn evidence_round_trip() {
        let spec = unitcalc_core::deal::DealSpec::example();
        let link = unitcalc_core::scenario::encode(&spec).unwrap();
        let req = EvidenceRequest {
            key: 7,
            offer: 0,
            trail: true,
            link,
            csv: None,
        };
        let a = decode_answer(&answer(&req.encode())).unwrap();
        assert_eq!(a.key, 7);
        let e = a.result.unwrap();
        assert_eq!(e.short.len(), 12);
        assert_eq!(e.digests[0].1.get(..12), Some(e.short.as_str()));
        assert_eq!(e.trails.len(), 12, "one entry per period");
        assert!(
            e.trails[0][1].join(" ").contains("2.10"),
            "{:?}",
            e.trails[0]
        );
        assert!(e
            .bill_json
            .contains(&format!("\"bill\":\"{}\"", e.digests[0].1)));
        assert!(e.ledger_csv.starts_with("offer,hour,period,"));
        let bad = decode_answer(&answer(b"3:abc")).unwrap();
        assert_eq!(
            bad.result,
            Err("the page's request to the worker was damaged".into())
        );
    }
}
