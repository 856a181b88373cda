//! The lab's book: load a book usage CSV and its customers' offers, price it
//! under every model in the page's worker (a progress bar, a cancel
//! button), and lay out the core's report: per-customer totals and deltas
//! (sortable), the largest winners and losers, a histogram of the deltas,
//! the revenue by environment and use case, and the price dispersion.

use std::rc::Rc;

use rust_decimal::Decimal;
use unitcalc_core::display::{grouped, Axis};
use unitcalc_core::lab::book::{
    BookFigures, BookOutcome, BookReport, DeltaBin, MAX_BOOK_BYTES, MAX_OFFER_MAP_BYTES,
};
use unitcalc_core::matrix_toml::MAX_TOML_BYTES;
use yew::prelude::*;

use crate::state::lab::{LabAction, LabState};
use crate::state::lab_book::{self, BookAction, BookRun, BookSort};
use crate::state::{Action, Computed};
use crate::{boundary, browser, worker_book};

fn book(on_action: &Callback<LabAction>) -> Callback<BookAction> {
    on_action.reform(LabAction::Book)
}

/// A file input's change: each file read, then `f(name, bytes)`.
fn on_files(
    on_action: &Callback<LabAction>,
    limit: usize,
    f: fn(String, Vec<u8>) -> BookAction,
) -> Callback<Event> {
    let on_action = on_action.clone();
    Callback::from(move |e: Event| {
        let done = on_action.clone();
        let read = browser::read_files(&e, limit, move |name, bytes| {
            done.emit(LabAction::Book(f(name, bytes)))
        });
        if let Err(e) = read {
            on_action.emit(LabAction::App(Action::Alert(boundary::message(&e))));
        }
    })
}

fn utf8(b: Vec<u8>) -> String {
    String::from_utf8_lossy(&b).into_owned()
}

/// The book section of the lab.
pub fn book_section(state: &LabState, c: &Computed, on_action: &Callback<LabAction>) -> Html {
    let b = &state.lab.book;
    let to_book = book(on_action);
    let on_csv = {
        let on_action = on_action.clone();
        Callback::from(
            move |e: Event| match browser::picked_file(&e, MAX_BOOK_BYTES) {
                Ok(Some(f)) => on_action.emit(LabAction::Book(BookAction::Csv(f))),
                Ok(None) => {}
                Err(e) => on_action.emit(LabAction::App(Action::Alert(boundary::message(&e)))),
            },
        )
    };
    let on_map = on_files(on_action, MAX_OFFER_MAP_BYTES, |n, b| {
        BookAction::Map(n, utf8(b))
    });
    let on_deals = on_files(on_action, MAX_TOML_BYTES, |n, b| {
        BookAction::Deal(n, utf8(b))
    });
    let on_default =
        to_book.reform(|e: Event| BookAction::DefaultOffer(browser::select_value(&e).parse().ok()));
    let running = matches!(b.run, BookRun::Running(..));
    let on_run = {
        let st = state.clone();
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| match lab_book::request(&st) {
            Err(m) => on_action.emit(LabAction::App(Action::Alert(m))),
            Ok(req) => {
                let id = st.lab.book.run_id.wrapping_add(1);
                on_action.emit(LabAction::Book(BookAction::Start(id)));
                let progress =
                    on_action.reform(move |(d, t)| LabAction::Book(BookAction::Progress(id, d, t)));
                let done = on_action.reform(move |answer: Vec<u8>| {
                    LabAction::Book(BookAction::Done(id, Rc::new(worker_book::decode(&answer))))
                });
                req.post(progress, done);
            }
        })
    };
    let on_cancel = to_book.reform(|_: MouseEvent| {
        browser::cancel_worker();
        BookAction::Cancel
    });
    let offers: Vec<String> = if b.deals.is_empty() {
        c.deal.offers.iter().map(|o| o.name.clone()).collect()
    } else {
        Vec::new()
    };
    let status = match &b.run {
        BookRun::Idle => html! {},
        BookRun::Running(d, t) => html! {
            <p id="lab-book-status" role="status" data-state="running" data-done={d.to_string()} data-total={t.to_string()}>
                <label for="lab-book-progress">{ "Pricing the book in the background… " }</label>
                <progress id="lab-book-progress" max={t.max(&1).to_string()} value={d.to_string()}
                    data-done={d.to_string()} data-total={t.to_string()}></progress>
                <button type="button" id="lab-book-cancel" onclick={on_cancel}>{ "Cancel" }</button>
            </p>
        },
        BookRun::Cancelled(d, t) => html! {
            <p id="lab-book-status" role="status" data-state="cancelled" data-done={d.to_string()} data-total={t.to_string()}>
                { format!("Cancelled after {} of {} bytes read.", grouped(d), grouped(t)) }
            </p>
        },
        BookRun::Done(r) => match &**r {
            Err(m) => html! { <p class="error" role="alert" id="lab-book-error">{ m.clone() }</p> },
            Ok(r) => report(r, state, &to_book),
        },
    };
    html! {
        <section aria-label="A book under every model" id="lab-book">
            <h3>{ "A book under every model" }</h3>
            <p class="hint">{ "Every customer of a book usage CSV (with the customer column) priced under every model, in the background. Each customer takes the default offer, or the one an offer map names (customer,offer[,channel]); with deal files (a book's customers' deals) their offers and term are used instead of this deal's." }</p>
            <div class="field">
                <label for="lab-book-csv">{ "Book usage CSV" }</label>
                <input id="lab-book-csv" type="file" accept=".csv,text/csv" onchange={on_csv} />
                if let Some(f) = &b.csv { <span class="note">{ format!(" {} ({} bytes)", f.name, grouped(&f.size)) }</span> }
            </div>
            <div class="field">
                <label for="lab-book-deals">{ "Deal files (optional)" }</label>
                <input id="lab-book-deals" type="file" multiple=true accept=".toml,text/plain" onchange={on_deals} />
                if !b.deals.is_empty() {
                    <span class="note" id="lab-book-deal-names">{ format!(" {}", b.deals.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")) }</span>
                }
            </div>
            <div class="field">
                <label for="lab-book-map">{ "Offer map CSV (optional)" }</label>
                <input id="lab-book-map" type="file" accept=".csv,text/csv" onchange={on_map} />
                if let Some((n, _)) = &b.map { <span class="note">{ format!(" {n}") }</span> }
                if !b.deals.is_empty() || b.map.is_some() {
                    <button type="button" class="small" id="lab-book-clear" onclick={to_book.reform(|_: MouseEvent| BookAction::ClearOffers)}>{ "Forget the deal files and the map" }</button>
                }
            </div>
            <div class="field">
                <label for="lab-book-default">{ "Customers not in the map take" }</label>
                <select id="lab-book-default" onchange={on_default}>
                    <option value="" selected={b.default_offer.is_none()}>{ "no offer (an error)" }</option>
                    if b.deals.is_empty() {
                        { for offers.iter().enumerate().map(|(i, n)| html! {
                            <option value={i.to_string()} selected={b.default_offer == Some(i)}>{ n.clone() }</option>
                        }) }
                    } else {
                        <option value="0" selected={b.default_offer == Some(0)}>{ "the first deal file's first offer" }</option>
                    }
                </select>
            </div>
            <button type="button" id="lab-book-run" disabled={running || b.csv.is_none()} onclick={on_run}>{ "Price the book" }</button>
            { status }
        </section>
    }
}

fn priced(r: &BookReport, i: usize) -> Option<&BookFigures> {
    match r.columns.get(i).map(|c| &c.outcome) {
        Some(BookOutcome::Priced(f)) => Some(f),
        _ => None,
    }
}

fn money(m: impl std::fmt::Display) -> String {
    grouped(&m)
}

fn report(r: &BookReport, state: &LabState, on: &Callback<BookAction>) -> Html {
    let Some(base) = priced(r, 0) else {
        return html! {};
    };
    let n = r.columns.len();
    let sort = state.lab.book.sort;
    let arrow = |s: BookSort| {
        if sort.0 == s {
            if sort.1 {
                " ↓"
            } else {
                " ↑"
            }
        } else {
            ""
        }
    };
    let sort_button = |s: BookSort, label: String, id: String| {
        html! { <button type="button" class="link" id={id} onclick={on.reform(move |_: MouseEvent| BookAction::Sort(s))}>{ format!("{label}{}", arrow(s)) }</button> }
    };
    let order = lab_book::order(r, sort);
    let head = (0..n).map(|i| {
        let name = &r.columns[i].model;
        html! {
            <>
            <th scope="col">{ sort_button(BookSort::Total(i), format!("{name} total"), format!("lab-book-sort-total-{i}")) }</th>
            if i > 0 { <th scope="col">{ sort_button(BookSort::Delta(i), format!("{name} Δ"), format!("lab-book-sort-delta-{i}")) }</th> }
            </>
        }
    });
    let rows = order.iter().filter_map(|&k| {
        let row = base.summary.customers.get(k)?;
        let cells = (0..n).map(|i| match priced(r, i).and_then(|f| f.summary.customers.get(k)) {
            None => html! { <><td>{ "—" }</td> if i > 0 { <td></td> }</> },
            Some(c) => {
                let total = if i == 0 { Some(c.current) } else { c.candidate };
                let t = total.map(|t| t.to_string()).unwrap_or_default();
                let d = c.delta.map(|t| t.to_string()).unwrap_or_default();
                html! {
                    <>
                    <td class="num" data-model={i.to_string()} data-metric="total" data-value={t.clone()}>{ total.map(money).unwrap_or_default() }</td>
                    if i > 0 { <td class="num" data-model={i.to_string()} data-metric="delta" data-value={d.clone()}>{ c.delta.map(money).unwrap_or_default() }</td> }
                    </>
                }
            }
        });
        Some(html! {
            <tr data-customer={row.customer.clone()}>
                <th scope="row">{ row.customer.clone() }</th>
                <td>{ row.offer.clone() }</td>
                { for cells }
            </tr>
        })
    });
    let columns = r.columns.iter().enumerate().map(|(i, col)| match &col.outcome {
        BookOutcome::NotPriced(np) => html! {
            <li id={format!("lab-book-not-priced-{i}")}>{ format!("{}: {}", col.model, np.reason) }</li>
        },
        BookOutcome::Priced(_) => html! {},
    });
    html! {
        <div id="lab-book-report" data-rows={r.rows.to_string()}>
            <p class="note">{ format!("{} usage rows, {} customers.", r.rows, base.summary.customers.len()) }</p>
            <ul class="error">{ for columns }</ul>
            { totals(r) }
            <table id="lab-book-customers" class="lab-grid">
                <caption>{ "Per customer (click a heading to sort)" }</caption>
                <thead><tr>
                    <th scope="col">{ sort_button(BookSort::Customer, "Customer".into(), "lab-book-sort-customer".into()) }</th>
                    <th scope="col">{ "Offer" }</th>
                    { for head }
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { for (1..n).filter_map(|i| priced(r, i).map(|f| movers(i, &r.columns[i].model, f))) }
            { by_cell(r) }
            { dispersion(r) }
        </div>
    }
}

fn totals(r: &BookReport) -> Html {
    let rows = r.columns.iter().enumerate().map(|(i, col)| {
        let f = priced(r, i);
        let (total, net, delta) = match f {
            None => (None, None, None),
            Some(f) if i == 0 => (Some(f.summary.total_current), Some(f.summary.net_revenue_current), None),
            Some(f) => (f.summary.total_candidate, f.summary.net_revenue_candidate, f.summary.total_delta),
        };
        let cell = |metric: &str, v: Option<unitcalc_core::num::Money>| html! {
            <td class="num" data-model={i.to_string()} data-metric={metric.to_string()} data-value={v.map(|v| v.to_string()).unwrap_or_default()}>{ v.map(money).unwrap_or_default() }</td>
        };
        html! {
            <tr>
                <th scope="row">{ format!("{} ({})", col.model, col.matrix) }</th>
                { cell("book-total", total) }{ cell("book-net", net) }{ cell("book-delta", delta) }
            </tr>
        }
    });
    html! {
        <table id="lab-book-totals" class="lab-grid">
            <caption>{ "The book under each model" }</caption>
            <thead><tr><th scope="col">{ "Model" }</th><th scope="col">{ "Total" }</th><th scope="col">{ "Net revenue" }</th><th scope="col">{ "Δ against model 1" }</th></tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn movers(i: usize, name: &str, f: &BookFigures) -> Html {
    let list = |v: &[unitcalc_core::book::Mover]| {
        v.iter()
            .map(|m| html! { <li data-customer={m.customer.clone()} data-value={m.delta.to_string()}>{ format!("{} ({})", m.customer, money(m.delta)) }</li> })
            .collect::<Html>()
    };
    html! {
        <section id={format!("lab-book-movers-{i}")} aria-label={format!("Winners and losers under {name}")}>
            <h4>{ format!("Under {name}: who pays more, who pays less") }</h4>
            <div class="lab-movers">
                <div><p>{ "Largest increases" }</p><ol class="increases">{ list(&f.summary.largest_increases) }</ol></div>
                <div><p>{ "Largest decreases" }</p><ol class="decreases">{ list(&f.summary.largest_decreases) }</ol></div>
            </div>
            { histogram(i, name, &f.histogram) }
        </section>
    }
}

const W: i64 = 640;
const H: i64 = 160;
const L: i64 = 40;

fn histogram(i: usize, name: &str, bins: &[DeltaBin]) -> Html {
    let most = bins.iter().map(|b| b.customers).max().unwrap_or(0);
    if bins.is_empty() || most == 0 {
        return html! {};
    }
    let axis = Axis {
        floor: Decimal::ZERO,
        top: Decimal::from(most as u64),
    };
    let width = W / bins.len() as i64;
    let bars = bins.iter().enumerate().map(|(k, b)| {
        let y = axis.y(Decimal::from(b.customers as u64), H);
        let x = L + k as i64 * width;
        html! {
            <g>
                <rect x={x.to_string()} y={y.to_string()} width={(width - 2).max(1).to_string()} height={(H - y).to_string()}
                    fill="#1f6feb" data-from={b.from.to_string()} data-to={b.to.to_string()} data-count={b.customers.to_string()}>
                    <title>{ format!("{} to {}: {} customers", money(b.from), money(b.to), b.customers) }</title>
                </rect>
            </g>
        }
    });
    let (lo, hi) = (bins.first().map(|b| b.from), bins.last().map(|b| b.to));
    html! {
        <svg class="chart" id={format!("lab-book-hist-{i}")} viewBox={format!("0 0 {} {}", L + W + 20, H + 40)} role="img"
            aria-label={format!("Histogram of the customers' deltas under {name}")}>
            <title>{ format!("Customers by delta under {name}") }</title>
            <line stroke="#555" x1={L.to_string()} y1={H.to_string()} x2={(L + W).to_string()} y2={H.to_string()} />
            <text class="tick" x={L.to_string()} y={(H + 14).to_string()}>{ lo.map(money).unwrap_or_default() }</text>
            <text class="tick" x={(L + W).to_string()} y={(H + 14).to_string()} text-anchor="end">{ hi.map(money).unwrap_or_default() }</text>
            <text class="tick" x={(L - 4).to_string()} y="10" text-anchor="end">{ most.to_string() }</text>
            <text class="axis-label" x={(L + W / 2).to_string()} y={(H + 34).to_string()} text-anchor="middle">{ "Δ against model 1 (customers per bar)" }</text>
            { for bars }
        </svg>
    }
}

fn by_cell(r: &BookReport) -> Html {
    let mut keys: Vec<(String, String)> = Vec::new();
    for i in 0..r.columns.len() {
        for c in priced(r, i)
            .map(|f| f.by_cell.as_slice())
            .unwrap_or_default()
        {
            let k = (c.environment.clone(), c.use_case.clone());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let rows = keys.iter().map(|(e, u)| {
        let label = if e.is_empty() { "fees and commitments (no cell)".to_string() } else { format!("{e} / {u}") };
        let cells = (0..r.columns.len()).map(|i| {
            let v = priced(r, i).and_then(|f| f.by_cell.iter().find(|c| c.environment == *e && c.use_case == *u)).map(|c| c.amount);
            html! { <td class="num" data-model={i.to_string()} data-value={v.map(|v| v.to_string()).unwrap_or_default()}>{ v.map(money).unwrap_or_default() }</td> }
        });
        html! { <tr data-cell={format!("{e}/{u}")}><th scope="row">{ label }</th>{ for cells }</tr> }
    });
    html! {
        <table id="lab-book-by-cell" class="lab-grid">
            <caption>{ "Revenue by environment and use case" }</caption>
            <thead><tr><th scope="col">{ "Environment / use case" }</th>{ for r.columns.iter().map(|c| html! { <th scope="col">{ c.model.clone() }</th> }) }</tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}

fn dispersion(r: &BookReport) -> Html {
    let of = |i: usize| {
        priced(r, i).and_then(|f| {
            if i == 0 {
                f.summary.dispersion_current.clone()
            } else {
                f.summary.dispersion_candidate.clone()
            }
        })
    };
    let all: Vec<_> = (0..r.columns.len()).map(of).collect();
    let lo = all.iter().flatten().map(|d| d.min.get()).min();
    let hi = all.iter().flatten().map(|d| d.max.get()).max();
    let rows = all.iter().enumerate().map(|(i, d)| {
        let name = r.columns[i].model.clone();
        match d {
            None => html! { <tr><th scope="row">{ name }</th><td colspan="6">{ "no customer held any TB" }</td></tr> },
            Some(d) => {
                let v = [d.min, d.q1, d.median, d.q3, d.max];
                html! {
                    <tr data-model={i.to_string()}>
                        <th scope="row">{ name }</th>
                        { for v.iter().zip(["min", "q1", "median", "q3", "max"]).map(|(p, k)| html! {
                            <td class="num" data-metric={k} data-value={p.to_string()}>{ p.to_string() }</td>
                        }) }
                        <td class="num">{ d.customers.to_string() }</td>
                    </tr>
                }
            }
        }
    });
    let chart = match (lo, hi) {
        (Some(lo), Some(hi)) => {
            let axis = Axis { floor: lo, top: hi };
            let x = |v: Decimal| L + 120 + W - 120 - axis.y(v, W - 120);
            let boxes = all.iter().enumerate().map(|(i, d)| {
                let Some(d) = d else { return html! {} };
                let y = 10 + i as i64 * 30;
                let [a, b, m, c, e] = [d.min, d.q1, d.median, d.q3, d.max].map(|p| x(p.get()));
                html! {
                    <g data-model={i.to_string()}>
                        <text class="tick" x="4" y={(y + 14).to_string()}>{ r.columns[i].model.clone() }</text>
                        <line stroke="#555" x1={a.to_string()} y1={(y + 10).to_string()} x2={e.to_string()} y2={(y + 10).to_string()} />
                        <rect x={b.to_string()} y={y.to_string()} width={(c - b).max(1).to_string()} height="20" fill="#dbeafe" stroke="#1f6feb" />
                        <line stroke="#1f6feb" stroke-width="2" x1={m.to_string()} y1={y.to_string()} x2={m.to_string()} y2={(y + 20).to_string()} />
                    </g>
                }
            });
            let h = 20 + all.len() as i64 * 30;
            html! {
                <svg class="chart" id="lab-book-box" viewBox={format!("0 0 {} {}", L + W + 20, h + 20)} role="img" aria-label="Price per TB-month across customers, per model">
                    <title>{ "Price per TB-month across customers (min, quartiles, max)" }</title>
                    { for boxes }
                    <text class="tick" x={(L + 120).to_string()} y={(h + 12).to_string()}>{ lo.to_string() }</text>
                    <text class="tick" x={(L + W).to_string()} y={(h + 12).to_string()} text-anchor="end">{ hi.to_string() }</text>
                </svg>
            }
        }
        _ => html! {},
    };
    html! {
        <section id="lab-book-dispersion" aria-label="Price dispersion">
            <table class="lab-grid">
                <caption>{ "Price per TB-month across customers" }</caption>
                <thead><tr><th scope="col">{ "Model" }</th><th scope="col">{ "Min" }</th><th scope="col">{ "Q1" }</th><th scope="col">{ "Median" }</th><th scope="col">{ "Q3" }</th><th scope="col">{ "Max" }</th><th scope="col">{ "Customers" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { chart }
        </section>
    }
}
