//! The Metering view's exchange with the page's worker: the page sends the
//! scenario (its share link, the uploaded usage) and the deal file that
//! holds the `[metering]` plan; the worker re-prices the scenario, resolves
//! the plan against it and meters it with the core (`unitcalc_core::metering`:
//! what is metered, per day and dimension, the reconciliation to the bill,
//! the request bodies as JSON Lines), and answers with plain rows of text.
//! The page renders the rows as they come: none of the metering code (nor
//! its SHA-1) is in the page's first load.

use std::rc::Rc;

use super::{fields, put, text};

/// The deal file a scenario was opened from, kept while its scenario is
/// open because it has a `[metering]` plan (never in links or saved
/// scenarios).
#[derive(Debug, PartialEq, Eq)]
pub struct DealFile {
    /// File name.
    pub name: String,
    /// Its TOML text.
    pub text: String,
}

/// What the page asks the worker for the Metering view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeteringRequest {
    /// Which state the request belongs to (answers to older ones are dropped).
    pub key: u64,
    /// The scenario's share link (`#v1.…`).
    pub link: String,
    /// The deal file with the plan.
    pub file: Rc<DealFile>,
    /// The uploaded usage CSV, when there is one.
    pub csv: Option<Rc<crate::state::CsvUsage>>,
}

/// The Metering view's figures, as rows of text (the worker's side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The view's heading (marketplace, number of records, currency).
    pub heading: String,
    /// One bar per day with something reported: x, y, width, height (SVG
    /// user units of [`BARS_W`] × [`BARS_H`]) and its title.
    pub bars: Vec<Vec<String>>,
    /// Per day and dimension: day, dimension, quantity, amount.
    pub days: Vec<Vec<String>>,
    /// Per period and dimension against the bill: period, dimension,
    /// quantity, price, amount, bill, difference.
    pub reconcile: Vec<Vec<String>>,
    /// The download's file name (`DEAL-MARKETPLACE-requests.jsonl`).
    pub file_name: String,
    /// The request bodies, one compact JSON request a line.
    pub jsonl: String,
}

/// The worker's answer to the metering request with this key: what the
/// page shows and offers, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeteringAnswer {
    /// The request's key.
    pub key: u64,
    /// The view (heading, bars, the two tables), or the core's message
    /// (`#metering-error`), every text escaped.
    pub html: String,
    /// The download's file name (empty with a message: nothing to download).
    pub file_name: String,
    /// The request bodies, one compact JSON request a line.
    pub jsonl: String,
}

/// The bars' drawing area (SVG user units).
pub const BARS_W: i64 = 720;
/// See [`BARS_W`].
pub const BARS_H: i64 = 160;

impl MeteringRequest {
    /// The message the page posts.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, b"metering");
        put(&mut out, self.key.to_string().as_bytes());
        put(&mut out, self.link.as_bytes());
        put(&mut out, self.file.name.as_bytes());
        put(&mut out, self.file.text.as_bytes());
        if let Some(c) = &self.csv {
            put(&mut out, c.name.as_bytes());
            put(&mut out, &c.bytes);
        }
        out
    }
}

/// Reads the worker's answer to a [`MeteringRequest`].
pub fn decode_metering(message: &[u8]) -> Option<MeteringAnswer> {
    let f = fields(message)?;
    match f[..] {
        [key, html, file_name, jsonl] => Some(MeteringAnswer {
            key: text(key).parse().ok()?,
            html: text(html),
            file_name: text(file_name),
            jsonl: text(jsonl),
        }),
        _ => None,
    }
}

/// The worker's side: the answer to `f` = [key, link, deal file name, deal
/// file text, (csv name, csv bytes)]: the key, the view's HTML, the
/// download's name and contents (a message: its HTML, no download).
pub(super) fn answer(f: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    put(
        &mut out,
        f.first().map(|k| text(k)).unwrap_or_default().as_bytes(),
    );
    let (html, name, jsonl) = match figures(f) {
        Ok(m) => (m.html(), m.file_name, m.jsonl),
        Err(m) => (
            format!(
                "<div class=\"error\" role=\"alert\" id=\"metering-error\">{}</div>",
                crate::components::svg::esc(&m)
            ),
            String::new(),
            String::new(),
        ),
    };
    for t in [html, name, jsonl] {
        put(&mut out, t.as_bytes());
    }
    out
}

/// The scenario re-priced, its deal file's plan resolved against it and
/// metered: the view's figures, all by the core, from the request's fields
/// `f` = [key, link, deal file name, deal file text, (csv name, csv bytes)].
pub fn figures(f: &[&[u8]]) -> Result<Figures, String> {
    use rust_decimal::Decimal;
    use unitcalc_core::deal::FieldLabels;
    use unitcalc_core::display::{grouped, Axis};
    use unitcalc_core::metering::{self, daily, reconcile, Window};
    use unitcalc_core::{scenario, Error};
    let msg = |e: Error| crate::boundary::message(&e);
    let link = text(f.get(1).ok_or("the page's request has no scenario")?);
    let (name, file) = match (f.get(2), f.get(3)) {
        (Some(n), Some(t)) => (text(n), text(t)),
        _ => return Err("the page's request has no deal file".into()),
    };
    let (matrix, deal, usage) = super::priced(&link, f.get(4..6))?;
    let spec = scenario::open_deal_file_metered(&file, &name)
        .map_err(msg)?
        .1
        .ok_or_else(|| format!("{name} has no [metering] plan"))?;
    let plan = spec.resolve(&matrix, &deal, &FieldLabels).map_err(msg)?;
    let (_, m) = metering::meter(&matrix, &deal.terms, &deal.offers, &plan, &usage).map_err(msg)?;
    let dim = |i: usize| {
        plan.dimensions
            .get(i)
            .map_or("", |d| d.name.as_str())
            .to_string()
    };
    let days = daily::by_day(&plan, &m).map_err(msg)?;
    // One bar per day: its amount, all dimensions together.
    let mut sums: Vec<(String, Decimal)> = Vec::new();
    for d in &days {
        let date = d.date.to_string();
        match sums.last_mut() {
            Some((last, sum)) if *last == date => {
                *sum = unitcalc_core::num::add(*sum, d.amount.get(), "metered amount")
                    .map_err(|e| msg(e.into()))?
            }
            _ => sums.push((date, d.amount.get())),
        }
    }
    let axis = Axis::from_zero(sums.iter().map(|d| d.1).max().unwrap_or_default());
    let n = i64::try_from(sums.len()).unwrap_or(1).max(1);
    let x = |i: i64| i.saturating_mul(BARS_W) / n;
    let bars = sums
        .iter()
        .zip(0i64..)
        .map(|((date, sum), i)| {
            let (x0, x1) = (x(i), x(i + 1));
            let top = axis.y(*sum, BARS_H);
            vec![
                x0.to_string(),
                top.to_string(),
                (x1 - x0 - 1).max(1).to_string(),
                (BARS_H - top).to_string(),
                format!("{date}: {}", grouped(sum)),
            ]
        })
        .collect();
    let jsonl = metering::requests::jsonl(&plan, &deal.name, &m, Window::default()).map_err(msg)?;
    let market = plan.marketplace().as_str();
    let records = m.records.len();
    Ok(Figures {
        heading: format!(
            "Metering through {market} ({records} record{}, {})",
            if records == 1 { "" } else { "s" },
            matrix.currency.code
        ),
        bars,
        days: days
            .iter()
            .map(|d| {
                vec![
                    d.date.to_string(),
                    dim(d.dimension),
                    d.quantity.to_string(),
                    grouped(&d.amount),
                ]
            })
            .collect(),
        reconcile: reconcile::rows(&plan, &m)
            .iter()
            .map(|r| {
                vec![
                    r.period.clone(),
                    r.dimension.clone(),
                    r.quantity.to_string(),
                    r.price.to_string(),
                    grouped(&r.amount),
                    grouped(&r.bill_amount),
                    r.difference.to_string(),
                ]
            })
            .collect(),
        file_name: format!(
            "{}-{market}-requests.jsonl",
            crate::export::stem(&deal.name)
        ),
        jsonl,
    })
}

impl Figures {
    /// The view as HTML: the heading, one bar a day (SVG), the table per
    /// day and dimension (`#metering-days`) and the table against the bill
    /// (`#metering-reconcile`); every row's first cell is its `data-row`.
    pub fn html(&self) -> String {
        use crate::components::svg::esc;
        use std::fmt::Write as _;
        let mut out = format!("<h2>{}</h2>", esc(&self.heading));
        if self.bars.is_empty() {
            out.push_str("<p class=\"note\">Nothing is metered: every period reports 0.</p>");
        } else {
            let _ = write!(
                out,
                "<figure><figcaption>Amount reported per day</figcaption>\
                 <svg class=\"chart bars\" id=\"metering-bars\" viewBox=\"0 0 {BARS_W} {BARS_H}\" \
                 role=\"img\" aria-label=\"Amount reported per day\">"
            );
            for b in &self.bars {
                let at = |i: usize| esc(b.get(i).map_or("", String::as_str));
                let _ = write!(
                    out,
                    "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
                    at(0),
                    at(1),
                    at(2),
                    at(3),
                    at(4)
                );
            }
            out.push_str("</svg></figure>");
        }
        table(
            &mut out,
            "metering-days",
            "Reported per day and dimension",
            &["Day", "Dimension", "Quantity", "Amount"],
            &self.days,
        );
        table(
            &mut out,
            "metering-reconcile",
            "Against the bill, per period and dimension",
            &[
                "Period",
                "Dimension",
                "Quantity",
                "Price",
                "Amount",
                "Bill",
                "Difference",
            ],
            &self.reconcile,
        );
        out
    }
}

/// A table of rows: the first cell names the row (a row header, and the
/// row's `data-row`), the cells after the second are figures.
fn table(out: &mut String, id: &str, caption: &str, heads: &[&str], rows: &[Vec<String>]) {
    use crate::components::svg::esc;
    use std::fmt::Write as _;
    let num = |i: usize| if i > 1 { " class=\"num\"" } else { "" };
    let _ = write!(
        out,
        "<table id=\"{id}\"><caption>{caption}</caption><thead><tr>"
    );
    for (i, h) in heads.iter().enumerate() {
        let _ = write!(out, "<th scope=\"col\"{}>{h}</th>", num(i));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        let first = esc(r.first().map_or("", String::as_str));
        let _ = write!(
            out,
            "<tr data-row=\"{first}\"><th scope=\"row\">{first}</th>"
        );
        for (i, c) in r.iter().enumerate().skip(1) {
            let _ = write!(out, "<td{}>{}</td>", num(i), esc(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}
