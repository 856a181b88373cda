//! The lab's inline SVG charts: the sweep (one line per offer, the current
//! value marked) and the fitted usage curve over the history. Values become
//! whole pixels through the core's `display::Axis` (exact decimals).

use std::rc::Rc;

use rust_decimal::Decimal;
use unitcalc_core::display::{grouped, Axis};
use unitcalc_core::lab::sweep::Sweep;
use unitcalc_core::usage::UsageSeries;
use yew::prelude::*;

const W: i64 = 640;
const H: i64 = 200;
/// Left and bottom margins for the axis labels.
const L: i64 = 90;
const B: i64 = 40;
/// One colour per offer (up to four).
const COLORS: [&str; 4] = ["#1f6feb", "#d97706", "#15803d", "#9333ea"];

/// Pixel x of `v` on an axis from `lo` (left) to `hi` (right).
fn px(lo: Decimal, hi: Decimal, v: Decimal) -> i64 {
    L + W - Axis { floor: lo, top: hi }.y(v, W)
}

fn frame(
    title: String,
    x_label: String,
    y_label: String,
    lo: (String, String),
    hi: (String, String),
    body: Html,
) -> Html {
    html! {
        <svg class="chart" viewBox={format!("0 0 {} {}", L + W + 20, H + B + 20)} role="img" aria-label={title.clone()}>
            <title>{ title }</title>
            <line class="axis" stroke="#555" x1={L.to_string()} y1={H.to_string()} x2={(L + W).to_string()} y2={H.to_string()} />
            <line class="axis" stroke="#555" x1={L.to_string()} y1="0" x2={L.to_string()} y2={H.to_string()} />
            <text class="tick" x={L.to_string()} y={(H + 14).to_string()}>{ lo.0 }</text>
            <text class="tick" x={(L + W).to_string()} y={(H + 14).to_string()} text-anchor="end">{ hi.0 }</text>
            <text class="tick" x={(L - 4).to_string()} y={H.to_string()} text-anchor="end">{ lo.1 }</text>
            <text class="tick" x={(L - 4).to_string()} y="10" text-anchor="end">{ hi.1 }</text>
            <text class="axis-label" x={(L + W / 2).to_string()} y={(H + 34).to_string()} text-anchor="middle">{ x_label }</text>
            <text class="axis-label" x="12" y={(H / 2).to_string()} transform={format!("rotate(-90 12 {})", H / 2)} text-anchor="middle">{ y_label }</text>
            { body }
        </svg>
    }
}

/// Props of [`SweepChart`].
#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    /// The sweep.
    pub sweep: Sweep,
    /// Currency code (the y axis).
    pub currency: AttrValue,
    /// The unit of the parameter's values (the x axis).
    pub unit: AttrValue,
}

/// Total contract value per offer against the swept parameter.
#[component]
pub fn SweepChart(p: &SweepChartProps) -> Html {
    let s = &p.sweep;
    let (Some(first), Some(last)) = (s.points.first(), s.points.last()) else {
        return html! {};
    };
    let (xlo, xhi) = (first.value.min(last.value), first.value.max(last.value));
    let totals = s
        .points
        .iter()
        .flat_map(|q| q.totals.iter().map(|t| t.get()));
    let lo = totals.clone().min().unwrap_or_default();
    let hi = totals.max().unwrap_or_default();
    let axis = Axis::around(lo, hi);
    let lines = (0..s.offers.len()).map(|o| {
        let pts: Vec<String> = s
            .points
            .iter()
            .filter_map(|q| q.totals.get(o).map(|t| format!("{},{}", px(xlo, xhi, q.value), axis.y(t.get(), H))))
            .collect();
        html! { <polyline class={format!("line s{o}")} fill="none" stroke={COLORS[o % COLORS.len()]} stroke-width="2"
            points={pts.join(" ")} data-offer={o.to_string()}>
            <title>{ s.offers[o].clone() }</title></polyline> }
    });
    let current = s.current.filter(|v| *v >= xlo && *v <= xhi).map(|v| {
        let x = px(xlo, xhi, v).to_string();
        html! { <g class="current-mark" id="lab-sweep-current" data-value={v.to_string()}>
            <line x1={x.clone()} y1="0" x2={x.clone()} y2={H.to_string()} stroke="#b91c1c" stroke-dasharray="4 3" />
            <text x={x} y="12" text-anchor="middle">{ format!("current {v}") }</text>
        </g> }
    });
    let legend = s.offers.iter().enumerate().map(|(o, n)| html! {
        <text class={format!("legend s{o}")} fill={COLORS[o % COLORS.len()]} x={(L + 8).to_string()} y={(24 + 14 * o as i64).to_string()}>{ n.clone() }</text> });
    frame(
        format!("Total contract value against {}", s.parameter),
        format!("{} ({})", s.parameter, p.unit),
        format!("total ({})", p.currency),
        (xlo.to_string(), grouped(&axis.floor)),
        (xhi.to_string(), grouped(&axis.top)),
        html! { <g id="lab-sweep-chart">{ for lines }{ for current }{ for legend }</g> },
    )
}

/// Props of [`FitChart`].
#[derive(Properties)]
pub struct FitChartProps {
    /// The fitted profile generated without noise over the history.
    pub series: Rc<UsageSeries>,
    /// The cell's name.
    pub cell: AttrValue,
    /// Hours of history shown.
    pub hours: usize,
}

impl PartialEq for FitChartProps {
    fn eq(&self, o: &Self) -> bool {
        self.series == o.series && self.cell == o.cell && self.hours == o.hours
    }
}

/// The fitted curve over the history.
#[component]
pub fn FitChart(p: &FitChartProps) -> Html {
    let Some(s) = p.series.cells().first() else {
        return html! {};
    };
    let n = p.hours.min(s.quantities.len());
    if n == 0 {
        return html! {};
    }
    let cols = (n as i64).min(W);
    let picked: Vec<(i64, Decimal)> = (0..cols)
        .map(|c| (c, s.quantities[(c * n as i64 / cols) as usize].get()))
        .collect();
    let lo = picked.iter().map(|v| v.1).min().unwrap_or_default();
    let hi = picked.iter().map(|v| v.1).max().unwrap_or_default();
    let axis = Axis::around(lo, hi);
    let pts: Vec<String> = picked
        .iter()
        .map(|(c, v)| format!("{},{}", L + c * W / cols, axis.y(*v, H)))
        .collect();
    frame(
        format!("Fitted usage of {} over the history", p.cell),
        format!("hours of the history (0 to {n})"),
        "quantity".into(),
        ("0".into(), grouped(&axis.floor)),
        (n.to_string(), grouped(&axis.top)),
        html! { <polyline id="lab-fit-curve" class="line s0" fill="none" stroke={COLORS[0]} stroke-width="2" points={pts.join(" ")} data-points={pts.len().to_string()} /> },
    )
}
