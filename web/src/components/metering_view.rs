//! The Metering view of a marketplace deal: what will be reported per day
//! and dimension (bars and a table), the reconciliation to the bill, and
//! the request bodies as one JSON Lines download. Every figure, bar and
//! file is worked out by the page's worker with the core
//! ([`crate::worker::metering`]); this view shows its rows as they come.

use yew::prelude::*;

use crate::state::ByPtr;
use crate::worker::metering::{Metered, BARS_H, BARS_W};

/// Props of [`MeteringView`].
#[derive(Properties, PartialEq)]
pub struct MeteringViewProps {
    /// The worker's answer, once it came.
    pub metered: Option<ByPtr<Result<Metered, String>>>,
    /// Downloads the request bodies.
    pub on_download: Callback<MouseEvent>,
}

/// The Metering view.
#[component]
pub fn MeteringView(p: &MeteringViewProps) -> Html {
    let m = match p.metered.as_ref().map(|m| m.0.as_ref()) {
        None => {
            return html! { <p class="note" id="metering-pending" role="status">{ "Working out the metering…" }</p> }
        }
        Some(Err(msg)) => {
            return html! { <div class="error" role="alert" id="metering-error">{ msg.clone() }</div> }
        }
        Some(Ok(m)) => m,
    };
    html! {
        <section class="metering" aria-label="Metering">
            <h2>{ m.heading.clone() }</h2>
            <button type="button" id="metering-download" onclick={p.on_download.clone()}>
                { "Download the request bodies (JSON Lines, one request a line)" }</button>
            if m.bars.is_empty() {
                <p class="note">{ "Nothing is metered: every period reports 0." }</p>
            } else {
                <figure>
                    <figcaption>{ "Amount reported per day" }</figcaption>
                    <svg class="chart bars" id="metering-bars" viewBox={format!("0 0 {BARS_W} {BARS_H}")} role="img"
                        aria-label="Amount reported per day">
                        { for m.bars.iter().map(|b| {
                            let at = |i: usize| b.get(i).cloned().unwrap_or_default();
                            html! { <rect class="bar" x={at(0)} y={at(1)} width={at(2)} height={at(3)}><title>{ at(4) }</title></rect> }
                        }) }
                    </svg>
                </figure>
            }
            { table("metering-days", "Reported per day and dimension", &["Day", "Dimension", "Quantity", "Amount"], &m.days) }
            { table("metering-reconcile", "Against the bill, per period and dimension",
                &["Period", "Dimension", "Quantity", "Price", "Amount", "Bill", "Difference"], &m.reconcile) }
        </section>
    }
}

/// A table of the worker's rows: the first cell names the row (and is its
/// `data-row`), the cells after the second are figures.
fn table(
    id: &'static str,
    caption: &'static str,
    heads: &[&'static str],
    rows: &[Vec<String>],
) -> Html {
    let num = |i: usize| (i > 1).then_some("num");
    html! {
        <table id={id}>
            <caption>{ caption }</caption>
            <thead><tr>{ for heads.iter().enumerate().map(|(i, h)| html! { <th scope="col" class={num(i)}>{ *h }</th> }) }</tr></thead>
            <tbody>
            { for rows.iter().map(|r| html! {
                <tr data-row={r.first().cloned().unwrap_or_default()}>
                    { for r.iter().enumerate().map(|(i, c)| if i == 0 {
                        html! { <th scope="row">{ c.clone() }</th> }
                    } else {
                        html! { <td class={num(i)}>{ c.clone() }</td> }
                    }) }
                </tr>
            }) }
            </tbody>
        </table>
    }
}
