//! The Metering view of a marketplace deal: what will be reported per day
//! and dimension (bars and a table), the reconciliation to the bill, and
//! the request bodies as one JSON Lines download. Every figure, bar and
//! table is worked out and written by the page's worker with the core
//! ([`crate::worker::metering`], every text escaped there); this view shows
//! it as it comes (one raw node) with the download button. A plain function,
//! not a component, like the quote: its code stays small in the first load.

use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use crate::worker::metering::MeteringAnswer;

/// The Metering view of the worker's answer, once it came: its HTML, and
/// the button that downloads the request bodies (none with a message).
pub fn metering_view(answer: Option<Rc<MeteringAnswer>>) -> Html {
    let Some(a) = answer else {
        return html! { <p class="note" id="metering-pending" role="status">{ "Working out the metering…" }</p> };
    };
    let html = Html::from_html_unchecked(AttrValue::from(a.html.clone()));
    let download = !a.file_name.is_empty();
    let on_download = Callback::from(move |_: MouseEvent| {
        browser::download(&a.file_name, "application/x-ndjson", &a.jsonl)
    });
    html! {
        <section class="metering" aria-label="Metering">
            { html }
            if download {
                <button type="button" id="metering-download" onclick={on_download}>
                    { "Download the request bodies (JSON Lines, one request a line)" }</button>
            }
        </section>
    }
}
