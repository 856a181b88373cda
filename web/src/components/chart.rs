//! Inline SVG charts (no chart library): hourly usage of one cell against its
//! entitlement and tolerance band, with the hours the overage rule tolerated
//! and charged marked (from the engine's excess runs);
//! and bars of monthly totals (stacked: fixed payments, overage,
//! consumption) or ISO-week units ([`super::bars`]). Both have a value axis
//! with its unit and a time axis ([`super::svg`]). Values become whole pixels
//! through the core's `display::Axis` (exact decimals, named rounding); the
//! band's top is the engine's own `OveragePolicy::band_top`.

use rust_decimal::Decimal;
use unitcalc_core::bill::Bill;
use unitcalc_core::engine::{ExcessKind, ExcessRun};
use unitcalc_core::matrix::CellId;
use unitcalc_core::num::Quantity;
use unitcalc_core::offer::OveragePolicy;
use unitcalc_core::quote::OfferQuote;
use unitcalc_core::report::{Granularity, ReportRow};
use unitcalc_core::time::Hour;

use super::bars::bars;
use super::svg::{x, Svg, H, W};
use unitcalc_core::usage::UsageSeries;
use yew::prelude::*;

use crate::browser;
use crate::state::{ByPtr, ShownBill};
use unitcalc_core::display::{short, Axis};

/// Props of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// The shown bill.
    pub bill: ShownBill,
    /// The usage priced.
    pub usage: ByPtr<UsageSeries>,
    /// The cell drawn hourly.
    pub focus: Option<CellId>,
    /// Its name.
    pub focus_name: AttrValue,
    /// Its meter's unit (`TB`).
    pub unit: AttrValue,
    /// Its entitlement and the overage rule (tolerance band), for fixed-capacity offers.
    pub entitlement: Option<(Quantity, OveragePolicy)>,
    /// The offer's quote: its runs of tolerated and charged hours (all cells).
    pub runs: Option<ByPtr<OfferQuote>>,
    /// Usage report rows (month or ISO week; compared by pointer: the page
    /// keeps them while the usage and granularity are unchanged).
    pub report: ByPtr<Vec<ReportRow>>,
    /// Current bucket size.
    pub granularity: Granularity,
    /// Change bucket size.
    pub on_granularity: Callback<Granularity>,
}

/// The hours the hourly chart shows: the whole term or one billing period,
/// as an offset from the term's first hour and a length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    from: i64,
    hours: i64,
}

impl Window {
    /// Period `zoom` of the bill, clipped to the usage; the whole term for `None`.
    fn of(bill: &Bill, usage: &UsageSeries, zoom: Option<usize>) -> Window {
        let total = usage.hours() as i64;
        let whole = Window {
            from: 0,
            hours: total,
        };
        let Some(per) = zoom.and_then(|i| bill.periods.get(i)) else {
            return whole;
        };
        let from = (per.start.0 - usage.start().0).clamp(0, total);
        let to = (per.end.0 - usage.start().0).clamp(from, total);
        if to > from {
            Window {
                from,
                hours: to - from,
            }
        } else {
            whole
        }
    }
}

/// The hourly chart's geometry, computed once per usage, entitlement and window.
pub struct Geometry {
    peak: Decimal,
    ent: Option<Decimal>,
    band: Option<Decimal>,
    axis: Axis,
    path: String,
}

fn hourly_geometry(
    usage: &UsageSeries,
    focus: Option<CellId>,
    entitlement: Option<(Quantity, OveragePolicy)>,
    window: Window,
) -> Option<Geometry> {
    let (from, hours) = (window.from, window.hours);
    let s = focus.and_then(|f| usage.cells().iter().find(|c| c.cell == f))?;
    // One pass over the window's hours: each pixel column's lowest and highest value.
    let cols = hours.clamp(1, W);
    let mut columns = Vec::with_capacity(cols as usize);
    for c in 0..cols {
        let a = (from + c * hours / cols) as usize;
        let b = ((from + (c + 1) * hours / cols) as usize)
            .max(a + 1)
            .min(s.quantities.len());
        let mut it = s.quantities[a.min(b)..b].iter().map(|q| q.get());
        let first = it.next().unwrap_or_default();
        let (lo, hi) = it.fold((first, first), |(lo, hi), q| {
            if q < lo {
                (q, hi)
            } else if q > hi {
                (lo, q)
            } else {
                (lo, hi)
            }
        });
        columns.push((lo, hi));
    }
    let peak = columns.iter().map(|c| c.1).max().unwrap_or_default();
    let lowest = columns.iter().map(|c| c.0).min().unwrap_or_default();
    let (ent, band) = entitlement.map_or((None, None), |(e, o)| {
        (Some(e.get()), o.band_top(e).ok().map(Quantity::get))
    });
    let highest = peak
        .max(band.unwrap_or_default())
        .max(ent.unwrap_or_default());
    let axis = Axis::around(ent.map_or(lowest, |e| lowest.min(e)), highest);
    let mut path = String::with_capacity(cols as usize * 16);
    for (c, (lo, hi)) in columns.into_iter().enumerate() {
        let px = x(c as i64, cols);
        let (y0, y1) = (axis.y(lo, H), axis.y(hi, H));
        path.push_str(&format!(
            "M{px} {y0}V{}",
            if y1 == y0 { y0 - 1 } else { y1 }
        ));
    }
    Some(Geometry {
        peak,
        ent,
        band,
        axis,
        path,
    })
}

/// One mark on the hourly chart: runs of one kind that fall on the same
/// pixel columns, merged.
#[derive(Debug, PartialEq)]
struct Mark {
    kind: ExcessKind,
    x0: i64,
    x1: i64,
    first: Hour,
    end: Hour,
    hours: u64,
}

/// Marks for the focus cell's runs in the window (`start` is its first
/// hour): at most one per kind and pixel column; a run crossing the
/// window's edge is drawn to the edge, its tooltip keeps the whole run.
fn marks(runs: &[ExcessRun], focus: CellId, start: Hour, hours: i64) -> Vec<Mark> {
    let end = start.0 + hours;
    let mut out: Vec<Mark> = Vec::new();
    for r in runs
        .iter()
        .filter(|r| r.cell == focus && r.end.0 > start.0 && r.start.0 < end)
    {
        let x0 = x(r.start.0.max(start.0) - start.0, hours);
        let x1 = x(r.end.0.min(end) - start.0, hours).max(x0 + 1);
        match out.iter_mut().rev().find(|m| m.kind == r.kind) {
            Some(m) if x0 <= m.x1 => {
                m.x1 = m.x1.max(x1);
                m.end = r.end;
                m.hours += r.hours();
            }
            _ => out.push(Mark {
                kind: r.kind,
                x0,
                x1,
                first: r.start,
                end: r.end,
                hours: r.hours(),
            }),
        }
    }
    out
}

/// The charts.
#[component]
pub fn Charts(p: &ChartsProps) -> Html {
    let Some(bill) = p.bill.get() else {
        return html! {};
    };
    let usage = &p.usage.0;
    let zoom = use_state(|| None::<usize>);
    let window = Window::of(bill, usage, *zoom);
    let geometry = use_memo(
        (p.usage.clone(), p.focus, p.entitlement, window),
        |(usage, focus, entitlement, window)| {
            hourly_geometry(&usage.0, *focus, *entitlement, *window)
        },
    );
    let on_zoom = {
        let zoom = zoom.clone();
        Callback::from(move |e: Event| {
            let v = browser::select_value(&e);
            zoom.set(v.parse::<usize>().ok());
        })
    };
    let zoom_select = html! {
        <label class="toggle">{ "Show " }
            <select id="chart-zoom" onchange={on_zoom}>
                <option value="" selected={zoom.is_none()}>{ "whole term" }</option>
                { for bill.periods.iter().enumerate().map(|(i, per)| html! {
                    <option value={i.to_string()} selected={*zoom == Some(i)}>{ per.label.clone() }</option>
                }) }
            </select>
        </label>
    };
    let hourly = geometry.as_ref().as_ref().map(|g| {
        let (peak, ent, band, axis, path) = (g.peak, g.ent, g.band, g.axis, g.path.clone());
        let yy = |v: Decimal| axis.y(v, H);
        let ticks = time_ticks(bill, usage.start(), window);
        let label = format!(
            "Hourly usage of {} in {} from {} to {}, against the entitlement and tolerance band",
            p.focus_name,
            p.unit,
            Hour(usage.start().0 + window.from).date(),
            Hour(usage.start().0 + window.from + window.hours - 1).date(),
        );
        let mut svg = Svg::new();
        if let Some(b) = band {
            svg.rect("band", 0, yy(b), W, yy(ent.unwrap_or_default()) - yy(b), None);
        }
        svg.y_axis(&axis, &axis.ticks(4), &p.unit);
        svg.x_axis(&ticks);
        svg.push(&format!("<path class=\"usage\" d=\"{path}\"/>"));
        if let Some(e) = ent {
            let y = yy(e);
            svg.push(&format!("<line class=\"entitlement\" x1=\"0\" x2=\"{W}\" y1=\"{y}\" y2=\"{y}\"/>"));
        }
        let marks = match (p.focus, &p.runs) {
            (Some(f), Some(q)) => marks(&q.0.excess, f, Hour(usage.start().0 + window.from), window.hours),
            _ => Vec::new(),
        };
        for m in marks {
            let (class, y0) = match m.kind {
                ExcessKind::Charged => ("charged", -9),
                ExcessKind::Tolerated => ("tolerated", -17),
            };
            let title = format!("{} to {}: {} {class} hours", m.first, m.end, m.hours);
            svg.rect(class, m.x0, y0, (m.x1 - m.x0).max(2), 6, Some(&title));
        }
        html! {
            <figure>
                <figcaption>{ format!("Hourly usage of {} (peak {}); marks above: hours with excess, tolerated (amber) and charged (red)", p.focus_name, short(peak, 2)) }
                    { zoom_select }</figcaption>
                { svg.finish("chart", &label) }
                <p class="legend"><span class="sw usage"></span>{ "usage" }
                    if ent.is_some() { <span class="sw entitlement"></span>{ "entitlement" }<span class="sw band"></span>{ "tolerance band" } }
                    <span class="sw tolerated"></span>{ "tolerated hours" }<span class="sw charged"></span>{ "charged hours" }</p>
            </figure>
        }
    });
    html! {
        <section class="charts" aria-label="Charts">
            { hourly.unwrap_or_default() }
            { bars(p, bill) }
        </section>
    }
}

/// The time axis of the hourly chart: each billing period's first day over
/// the whole term; every seventh day from the period's start when one
/// period is shown.
fn time_ticks(bill: &Bill, start: Hour, window: Window) -> Vec<(i64, String)> {
    let from = start.0 + window.from;
    let at = |h: i64| x(h - from, window.hours);
    let inside = |h: i64| h >= from && h < from + window.hours;
    let whole = bill.periods.iter().filter(|p| inside(p.start.0)).count() > 1;
    if whole {
        bill.periods
            .iter()
            .filter(|p| inside(p.start.0))
            .map(|p| (at(p.start.0), p.label.clone()))
            .collect()
    } else {
        (0..window.hours)
            .step_by(168)
            .map(|h| (at(from + h), Hour(from + h).date().to_string()))
            .collect()
    }
}
