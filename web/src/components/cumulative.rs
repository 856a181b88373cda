//! The Compare tab's running totals: what each offer has cost by the end of
//! each month (the core's `compare::cumulative`), one line per offer, with
//! the months where two offers' running totals cross marked
//! (`compare::break_evens`).

use std::fmt::Write as _;
use unitcalc_core::compare::{break_evens, cumulative, Comparison};

use unitcalc_core::display::Axis;
use yew::prelude::*;

use super::svg::{esc, x, Svg, H};

/// The running-total chart and its break-even months in words.
/// (A plain function, not a component: no state of its own.)
pub fn cumulative_chart(c: &Comparison, cur: &str) -> Html {
    let sums: Vec<_> = c
        .rows
        .iter()
        .map(|r| cumulative(&r.periods).unwrap_or_default())
        .collect();
    let evens = break_evens(c).unwrap_or_default();
    let n = c.rows.first().map_or(0, |r| r.periods.len()) as i64;
    let top = sums
        .iter()
        .flatten()
        .map(|m| m.get())
        .max()
        .unwrap_or_default();
    let (axis, ticks) = Axis::rounded_up(top, 4);
    // A point at the end of each period: the right edge of its column.
    let px = |k: usize| x(k as i64 + 1, n);
    let labels: Vec<(i64, String)> = c
        .rows
        .first()
        .map(|r| {
            r.periods
                .iter()
                .enumerate()
                .map(|(k, per)| (x(k as i64, n), per.label.clone()))
                .collect()
        })
        .unwrap_or_default();
    let words: Vec<String> = evens
        .iter()
        .map(|b| {
            let (a, o) = (&c.rows[b.first].offer, &c.rows[b.second].offer);
            let other = if b.cheaper == b.first { o } else { a };
            format!(
                "{a} and {o} break even in {}: from then on {} has cost no more in total than {other}.",
                b.label, c.rows[b.cheaper].offer
            )
        })
        .collect();
    let label = format!(
        "Running total of each offer by month ({cur}). {}",
        if words.is_empty() {
            "The running totals do not cross.".to_string()
        } else {
            words.join(" ")
        }
    );
    let mut svg = Svg::new();
    svg.y_axis(&axis, &ticks, cur);
    svg.x_axis(&labels);
    for (b, w) in evens.iter().zip(&words) {
        let xx = px(b.period);
        svg.push(&format!(
            "<g class=\"break-even\"><title>{}</title><line x1=\"{xx}\" x2=\"{xx}\" y1=\"0\" y2=\"{H}\"/>\
             <text class=\"axis\" x=\"{xx}\" y=\"-4\" text-anchor=\"middle\">break-even {}</text></g>",
            esc(w),
            esc(&b.label)
        ));
    }
    // One line per offer; each offer's total by month is in the tables.
    for (i, s) in sums.iter().enumerate() {
        let mut d = format!("M0 {H}");
        for (k, m) in s.iter().enumerate() {
            let _ = write!(d, "L{} {}", px(k), axis.y(m.get(), H));
        }
        svg.push(&format!("<g class=\"series s{i}\"><path d=\"{d}\"/></g>"));
    }
    let mut after = String::from("<p class=\"legend\">");
    for (i, r) in c.rows.iter().enumerate() {
        after.push_str(&format!("<span class=\"sw s{i}\"></span>{}", esc(&r.offer)));
    }
    after.push_str("</p><ul class=\"break-evens\" id=\"break-evens\">");
    for w in &words {
        after.push_str(&format!("<li>{}</li>", esc(w)));
    }
    if words.is_empty() {
        after.push_str("<li>The running totals do not cross over the term.</li>");
    }
    after.push_str("</ul>");
    html! {
        <figure class="cumulative">
            <figcaption>{ format!("Running total by month ({cur})") }</figcaption>
            { svg.finish("chart", &label) }
            { Html::from_html_unchecked(AttrValue::from(after)) }
        </figure>
    }
}
