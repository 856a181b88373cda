//! Two to four offers side by side, with differences against the first,
//! their running totals with the break-even months, and the comparison's
//! CSV export.

use std::fmt::Write as _;

use yew::prelude::*;

use super::cumulative::cumulative_chart;
use super::svg::esc;
use crate::export::ExportKind;
use crate::state::{ByPtr, Computed};

use unitcalc_core::display::{grouped, short, signed};

/// Props of [`CompareView`].
#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    /// The shown outcome, whose comparison this is (compared by pointer:
    /// the bills are neither copied nor compared line by line).
    pub outcome: ByPtr<Result<Computed, String>>,
    /// Currency code.
    pub currency: AttrValue,
    /// Export the comparison (CSV).
    pub on_export: Callback<ExportKind>,
}

/// The comparison tables.
#[component]
pub fn CompareView(p: &CompareViewProps) -> Html {
    let Ok(computed) = p.outcome.0.as_ref() else {
        return html! {};
    };
    let c = &computed.comparison;
    if c.rows.len() < 2 {
        return html! { <p class="note">{ "Add a second offer (\"+ offer (compare)\") to compare offers on the same usage." }</p> };
    }
    // The tables as text (one raw node each: smaller than a virtual-DOM
    // node per cell); every name escaped.
    let mut head = String::from(
        "<div class=\"table-fit\"><table class=\"compare-table\"><thead><tr>\
         <th scope=\"col\">Offer</th><th scope=\"col\">Kind</th><th scope=\"col\" class=\"num\">Total</th>\
         <th scope=\"col\" class=\"num\">Δ total</th><th scope=\"col\" class=\"num\"><abbr title=\"Marketplace fee\">Mkt fee</abbr></th>\
         <th scope=\"col\" class=\"num\">Net revenue</th><th scope=\"col\" class=\"num\">Δ net</th>\
         <th scope=\"col\" class=\"num\">Overage</th><th scope=\"col\" class=\"num\">Price / unit</th></tr></thead><tbody>",
    );
    for r in &c.rows {
        let _ = write!(
            head,
            "<tr><th scope=\"row\" class=\"offer-name\">{}</th><td class=\"kind\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.offer),
            esc(&r.offer_kind),
            grouped(&r.total),
            signed(&r.delta_total),
            grouped(&r.marketplace_fee),
            grouped(&r.net_revenue),
            signed(&r.delta_net_revenue),
            grouped(&r.overage),
            r.effective_price_per_unit.map_or("–".into(), |v| short(v, 4))
        );
    }
    head.push_str("</tbody></table></div>");
    let mut months = String::from(
        "<div class=\"table-fit\"><table><caption>Monthly totals (Δ against the first offer)</caption>\
         <thead><tr><th scope=\"col\">Period</th>",
    );
    for r in &c.rows {
        let _ = write!(
            months,
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(&r.offer)
        );
    }
    months.push_str("</tr></thead><tbody>");
    for (k, per) in c.rows[0].periods.iter().enumerate() {
        let _ = write!(months, "<tr><th scope=\"row\">{}</th>", esc(&per.label));
        for (i, r) in c.rows.iter().enumerate() {
            let Some(per) = r.periods.get(k) else {
                continue;
            };
            let _ = write!(months, "<td class=\"num\">{}", grouped(&per.total));
            if i > 0 {
                let _ = write!(
                    months,
                    "<span class=\"delta\"> ({})</span>",
                    signed(&per.delta)
                );
            }
            months.push_str("</td>");
        }
        months.push_str("</tr>");
    }
    months.push_str("</tbody></table></div>");
    html! {
        <section class="compare" aria-label="Comparison">
            <div class="row heading">
                <h2>{ format!("Comparison ({}), differences against {}", p.currency, c.rows[0].offer) }</h2>
                <button type="button" id="export-compare" class="small" onclick={p.on_export.reform(|_| ExportKind::CompareCsv)}>{ "Comparison CSV" }</button>
            </div>
            { Html::from_html_unchecked(AttrValue::from(head)) }
            { cumulative_chart(c, &p.currency) }
            { Html::from_html_unchecked(AttrValue::from(months)) }
        </section>
    }
}
