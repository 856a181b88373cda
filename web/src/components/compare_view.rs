//! Two to four offers side by side, with differences against the first.

use unitcalc_core::compare::Comparison;
use yew::prelude::*;

use unitcalc_core::display::{grouped, short, signed};

/// Props of [`CompareView`].
#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    /// The comparison.
    pub comparison: Comparison,
    /// Currency code.
    pub currency: AttrValue,
}

/// The comparison tables.
#[component]
pub fn CompareView(p: &CompareViewProps) -> Html {
    let c = &p.comparison;
    if c.rows.len() < 2 {
        return html! { <p class="note">{ "Add a second offer (\"+ offer (compare)\") to compare offers on the same usage." }</p> };
    }
    let periods = c.rows.first().map_or(0, |r| r.periods.len());
    html! {
        <section class="compare" aria-label="Comparison">
            <h2>{ format!("Comparison ({}), differences against {}", p.currency, c.rows[0].offer) }</h2>
            <table>
                <thead><tr>
                    <th scope="col">{ "Offer" }</th><th scope="col">{ "Kind" }</th><th scope="col" class="num">{ "Total" }</th>
                    <th scope="col" class="num">{ "Δ total" }</th><th scope="col" class="num">{ "Marketplace fee" }</th>
                    <th scope="col" class="num">{ "Net revenue" }</th><th scope="col" class="num">{ "Δ net" }</th>
                    <th scope="col" class="num">{ "Overage" }</th><th scope="col" class="num">{ "Price / unit" }</th>
                </tr></thead>
                <tbody>
                { for c.rows.iter().map(|r| html! {
                    <tr>
                        <th scope="row">{ r.offer.clone() }</th><td>{ r.offer_kind.clone() }</td>
                        <td class="num">{ grouped(&r.total) }</td><td class="num">{ signed(&r.delta_total) }</td>
                        <td class="num">{ grouped(&r.marketplace_fee) }</td><td class="num">{ grouped(&r.net_revenue) }</td>
                        <td class="num">{ signed(&r.delta_net_revenue) }</td><td class="num">{ grouped(&r.overage) }</td>
                        <td class="num">{ r.effective_price_per_unit.map_or("–".into(), |v| short(v, 4)) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            <table>
                <caption>{ "Monthly totals (Δ against the first offer)" }</caption>
                <thead><tr><th scope="col">{ "Period" }</th>
                    { for c.rows.iter().map(|r| html! { <th scope="col" class="num">{ r.offer.clone() }</th> }) }
                </tr></thead>
                <tbody>
                { for (0..periods).map(|k| html! {
                    <tr>
                        <th scope="row">{ c.rows[0].periods[k].label.clone() }</th>
                        { for c.rows.iter().enumerate().map(|(i, r)| {
                            let per = &r.periods[k];
                            html! { <td class="num">{ grouped(&per.total) }
                                if i > 0 { <span class="delta">{ format!(" ({})", signed(&per.delta)) }</span> }
                            </td> }
                        }) }
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}
