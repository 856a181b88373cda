//! Bars under the hourly chart: each billing period's total, stacked by
//! what it pays for (fixed payments, overage, consumption: the core's
//! `compare::period_parts`), or the focus cell's units per ISO week. A value
//! axis in the currency (or units) from zero, period labels and a tooltip
//! on every bar with its value and parts.

use rust_decimal::Decimal;
use unitcalc_core::bill::Bill;
use unitcalc_core::compare::period_parts;
use unitcalc_core::display::{grouped, short, Axis};
use unitcalc_core::report::Granularity;
use yew::prelude::*;

use super::chart::ChartsProps;
use super::svg::{esc, x, Svg, H};

/// One bar: its label, the stacked parts (class, value) and its tooltip.
struct Bar {
    label: String,
    parts: Vec<(&'static str, Decimal)>,
    total: Decimal,
    title: String,
}

/// Smallest height of a part that is not zero, so a 2.10 overage on a
/// 40,000 fee shows (its tooltip gives the amount).
const MIN_PART: i64 = 2;

/// The bars, for the charts' props (a plain function, not a component: it
/// has no state of its own, and a component costs the module more).
pub fn bars(p: &ChartsProps, bill: &Bill) -> Html {
    let cur = &bill.currency;
    let bars: Vec<Bar> = match p.granularity {
        Granularity::Month => period_parts(bill)
            .unwrap_or_default()
            .into_iter()
            .map(|m| Bar {
                title: format!(
                    "{}: {cur} {} (fixed {}, overage {}, consumption {})",
                    m.label,
                    grouped(&m.total),
                    grouped(&m.fixed),
                    grouped(&m.overage),
                    grouped(&m.consumption)
                ),
                label: m.label,
                parts: vec![
                    ("fixed", m.fixed.get()),
                    ("consumption", m.consumption.get()),
                    ("overage", m.overage.get()),
                ],
                total: m.total.get(),
            })
            .collect(),
        Granularity::IsoWeek => p
            .report
            .iter()
            .filter(|r| r.cell.to_string() == p.focus_name.as_str())
            .map(|r| Bar {
                title: format!("{}: {} units", r.label, short(r.units, 2)),
                label: r.label.clone(),
                parts: vec![("bar", r.units.get())],
                total: r.units.get(),
            })
            .collect(),
    };
    let (axis, ticks) = Axis::rounded_up(bars.iter().map(|b| b.total).max().unwrap_or_default(), 4);
    let n = bars.len() as i64;
    let toggle = |g: Granularity, label: &str, id: &str| {
        let cb = p.on_granularity.clone();
        html! { <button type="button" id={id.to_string()} aria-pressed={(p.granularity == g).to_string()}
        onclick={Callback::from(move |_| cb.emit(g))}>{ label.to_string() }</button> }
    };
    let (caption, unit, legend) = match p.granularity {
        Granularity::Month => (
            format!("Monthly invoice totals ({cur}), by what they pay for"),
            cur.to_string(),
            html! { <p class="legend"><span class="sw fixed"></span>{ "fees and commitments" }
            <span class="sw consumption"></span>{ "consumption" }<span class="sw overage"></span>{ "overage" }</p> },
        ),
        Granularity::IsoWeek => (
            format!("Units of {} by ISO week", p.focus_name),
            "units".to_string(),
            html! {},
        ),
    };
    let label = format!(
        "{caption}: {} bars from {} to {}, highest {} {unit}",
        n,
        bars.first().map_or("", |b| b.label.as_str()),
        bars.last().map_or("", |b| b.label.as_str()),
        short(bars.iter().map(|b| b.total).max().unwrap_or_default(), 2),
    );
    let labels: Vec<(i64, String)> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| (x(i as i64, n), b.label.clone()))
        .collect();
    let mut svg = Svg::new();
    svg.y_axis(&axis, &ticks, &unit);
    svg.x_axis(&labels);
    for (i, b) in bars.iter().enumerate() {
        let (x0, x1) = (x(i as i64, n), x(i as i64 + 1, n));
        let width = (x1 - x0 - 2).max(1);
        let mut base = H;
        svg.push(&format!(
            "<g class=\"bar\"><title>{}</title>",
            esc(&b.title)
        ));
        for (class, v) in b.parts.iter().filter(|(_, v)| *v > Decimal::ZERO) {
            let h = (H - axis.y(*v, H)).max(MIN_PART);
            base -= h;
            svg.rect(class, x0, base, width, h, None);
        }
        svg.push("</g>");
    }
    html! {
        <figure>
            <figcaption>
                { caption }
                <span class="toggle" role="group" aria-label="Bucket">
                    { toggle(Granularity::Month, "Month", "gran-month") }{ toggle(Granularity::IsoWeek, "ISO week", "gran-week") }
                </span>
            </figcaption>
            { svg.finish("chart bars", &label) }
            { legend }
        </figure>
    }
}
