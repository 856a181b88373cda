//! The Metering view of a marketplace deal: what will be reported per day
//! and dimension (bars and a table), the reconciliation to the bill, and
//! the request bodies as one JSON Lines download. Every figure, bar and
//! table is worked out and written by the page's worker with the core
//! ([`crate::worker::metering`], every text escaped there); this view shows
//! it as it comes (one raw node) with the download button. A plain function,
//! not a component, like the quote: its code stays small in the first load.

use yew::prelude::*;

use crate::worker::metering::Metered;

/// The Metering view: `metered` is the worker's answer once it came;
/// `on_download` downloads the request bodies.
pub fn metering_view(
    metered: Option<&Result<Metered, String>>,
    on_download: Callback<MouseEvent>,
) -> Html {
    match metered {
        None => {
            html! { <p class="note" id="metering-pending" role="status">{ "Working out the metering…" }</p> }
        }
        Some(Err(msg)) => {
            html! { <div class="error" role="alert" id="metering-error">{ msg.clone() }</div> }
        }
        Some(Ok(m)) => html! {
            <section class="metering" aria-label="Metering">
                { Html::from_html_unchecked(AttrValue::from(m.html.clone())) }
                <button type="button" id="metering-download" onclick={on_download}>
                    { "Download the request bodies (JSON Lines, one request a line)" }</button>
            </section>
        },
    }
}
