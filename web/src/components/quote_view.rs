//! The customer's one-page quote: the chosen offers side by side, each in
//! the core's plain words (`unitcalc_core::sheet`): what is entitled, the
//! price and when it is paid, the overage rule, the expected total under
//! the modelled usage; the customer, the term, a validity date and the
//! scenario's link. No internal figure (net revenue, marketplace fee,
//! quantity-hours). Always in the page: printing from any tab prints it
//! (the print style sheet hides everything else); on screen it is the
//! Quote tab.

use std::fmt::Write as _;

use unitcalc_core::sheet::{self, OfferSheet};
use yew::prelude::*;

use super::svg::esc;
use crate::browser;

/// A link longer than this is not printed (a custom matrix makes links of
/// up to 64 KiB, pages of text); the quote says where to find it instead.
const MAX_PRINTED_LINK: usize = 2000;

/// What the quote shows.
pub struct QuoteArgs<'a> {
    /// The customer (the deal's name).
    pub customer: &'a str,
    /// The term in words.
    pub term: String,
    /// The price book: the matrix's name and version (`spec-m v1 (edited)`).
    pub price_book: String,
    /// The deal's fingerprints, when the page has them (the worker computes
    /// them when the Quote tab opens, a print is asked for, or the trail is
    /// open), so a printed quote can be matched to the inputs that made it.
    pub fingerprints: Option<unitcalc_core::evidence::Fingerprints>,
    /// Prints the quote (with its fingerprints).
    pub on_print: Callback<()>,
    /// One sheet per offer, in the deal's order.
    pub sheets: Vec<OfferSheet>,
    /// The scenario's share link, when it can be written.
    pub link: Option<&'a str>,
    /// Shown on screen (the Quote tab); otherwise only printed.
    pub shown: bool,
}

/// The quote. A plain function with no state: the offer check boxes and
/// the validity date are the browser's own (uncontrolled) inputs, so what
/// is typed there stays through re-renders; the style sheet hides the
/// columns of unticked offers (`:has`) and prints the date input as text.
pub fn quote_view(p: QuoteArgs) -> Html {
    let valid = browser::today()
        .map(|d| sheet::valid_until(d).to_string())
        .unwrap_or_default();
    let customer = if p.customer.is_empty() {
        "the customer"
    } else {
        p.customer
    };
    let mut head = String::new();
    let _ = write!(
        head,
        "<h2>Quote for {}</h2><dl class=\"quote-facts\"><dt>Customer</dt><dd>{}</dd><dt>Term</dt><dd>{}</dd><dt>Price book</dt><dd>{}</dd>",
        esc(customer),
        esc(p.customer),
        esc(&p.term),
        esc(&p.price_book)
    );
    if let Some(f) = &p.fingerprints {
        let _ = write!(
            head,
            "<dt>Inputs (SHA-256)</dt><dd class=\"quote-digests\" id=\"quote-digests\">\
             price book <code>{}</code><br>deal <code>{}</code><br>usage <code>{}</code><br>engine <code>{}</code></dd>",
            esc(&f.matrix),
            esc(&f.deal),
            esc(&f.usage),
            esc(&f.engine)
        );
    }
    head.push_str("</dl>");
    // The table and the link as text (one raw node: smaller than a
    // virtual-DOM node per cell); every text escaped. Column `cN` is offer N.
    let mut doc = String::new();
    let _ = write!(
        doc,
        "<table class=\"quote-table n{}\"><thead><tr><th scope=\"col\">Offer</th>",
        p.sheets.len()
    );
    for (i, s) in p.sheets.iter().enumerate() {
        let _ = write!(
            doc,
            "<th scope=\"col\" class=\"c{i}\">{}</th>",
            esc(&s.offer)
        );
    }
    doc.push_str("</tr></thead><tbody>");
    type Cell = fn(&OfferSheet) -> String;
    let rows: [(&str, Cell); 6] = [
        ("Kind", |s| esc(&s.kind)),
        ("What is included", |s| {
            let items: String = s
                .entitled
                .iter()
                .map(|e| format!("<li>{}</li>", esc(e)))
                .collect();
            format!("<ul>{items}</ul>")
        }),
        ("Price", |s| esc(&s.price)),
        ("Payment", |s| esc(&s.payment)),
        ("Usage above what is included", |s| esc(&s.overage_rule)),
        ("Expected total for the term", |s| {
            format!(
                "<strong class=\"quote-total\">{}</strong>",
                esc(&s.expected_total)
            )
        }),
    ];
    for (head, cell) in rows {
        let _ = write!(doc, "<tr><th scope=\"row\">{head}</th>");
        for (i, s) in p.sheets.iter().enumerate() {
            let _ = write!(doc, "<td class=\"c{i}\">{}</td>", cell(s));
        }
        doc.push_str("</tr>");
    }
    // Each bill's short fingerprint (the full digest as the title), as its
    // files are named and `unitcalc fingerprint` prints it.
    if let Some(f) = &p.fingerprints {
        doc.push_str("<tr class=\"quote-fingerprint\"><th scope=\"row\">Bill fingerprint</th>");
        for (i, (_, d)) in f.bills.iter().enumerate() {
            let short = d.get(..unitcalc_core::evidence::SHORT_DIGEST).unwrap_or(d);
            let _ = write!(
                doc,
                "<td class=\"c{i}\"><code id=\"quote-bill-{i}\" title=\"{}\">{}</code></td>",
                esc(d),
                esc(short)
            );
        }
        doc.push_str("</tr>");
    }
    doc.push_str(
        "</tbody></table><p class=\"hint\">The expected total prices the usage modelled for this quote; \
         invoices follow the usage measured each month.</p>",
    );
    match p.link {
        Some(l) if l.len() <= MAX_PRINTED_LINK => {
            let l = esc(l);
            let _ = write!(doc, "<p class=\"quote-link\">This quote online: <a href=\"{l}\">{l}</a></p>");
        }
        Some(_) => doc.push_str(
            "<p class=\"quote-link\">This quote's link holds a custom price book and is too long to print; ask us for it.</p>",
        ),
        None => {}
    }
    // The controls are raw too: the browser keeps what is ticked and typed
    // there as long as the text is unchanged (the offers' names and today).
    let mut controls = String::from("<fieldset><legend>Offers on the quote</legend>");
    for (i, s) in p.sheets.iter().enumerate() {
        let _ = write!(
            controls,
            "<label class=\"check\"><input type=\"checkbox\" id=\"quote-offer-{i}\" checked>{}</label>",
            esc(&s.offer)
        );
    }
    controls.push_str("</fieldset>");
    let valid_field = format!(
        "<div class=\"field quote-valid\"><label for=\"quote-valid\">Valid until<span class=\"no-print\"> (YYYY-MM-DD)</span></label>\
         <input id=\"quote-valid\" value=\"{}\" autocomplete=\"off\"></div>",
        esc(&valid)
    );
    html! {
        <section class={classes!("quote-sheet", (!p.shown).then_some("print-only"))} aria-label="Customer quote" id="quote">
            <div class="no-print row quote-controls">
                { Html::from_html_unchecked(AttrValue::from(controls)) }
                <button type="button" id="print-quote" onclick={p.on_print.reform(|_| ())}>{ "Print quote" }</button>
            </div>
            { Html::from_html_unchecked(AttrValue::from(head)) }
            { Html::from_html_unchecked(AttrValue::from(valid_field)) }
            { Html::from_html_unchecked(AttrValue::from(doc)) }
        </section>
    }
}
