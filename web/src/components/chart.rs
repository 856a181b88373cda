//! Inline SVG charts (no chart library): hourly usage of one cell against its
//! entitlement and tolerance band, with the hours the overage rule tolerated
//! and charged marked (from the engine's excess runs);
//! and bars of monthly totals or ISO-week units. Values become whole pixels
//! through the core's `display::Axis` (exact decimals, named rounding); the
//! band's top is the engine's own `OveragePolicy::band_top`.

use std::rc::Rc;

use rust_decimal::Decimal;
use unitcalc_core::bill::Bill;
use unitcalc_core::engine::{ExcessKind, ExcessRun};
use unitcalc_core::matrix::CellId;
use unitcalc_core::num::Quantity;
use unitcalc_core::offer::OveragePolicy;
use unitcalc_core::report::{Granularity, ReportRow};
use unitcalc_core::time::Hour;
use unitcalc_core::usage::UsageSeries;
use yew::prelude::*;

use crate::browser;
use crate::state::ByPtr;
use unitcalc_core::display::{grouped, short, Axis};

const W: i64 = 720;
const H: i64 = 160;

/// Props of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// The shown bill.
    pub bill: Bill,
    /// The usage priced.
    pub usage: ByPtr<UsageSeries>,
    /// The cell drawn hourly.
    pub focus: Option<CellId>,
    /// Its name.
    pub focus_name: AttrValue,
    /// Its entitlement and the overage rule (tolerance band), for fixed-capacity offers.
    pub entitlement: Option<(Quantity, OveragePolicy)>,
    /// The bill's runs of tolerated and charged hours (all cells).
    pub runs: ByPtr<Vec<ExcessRun>>,
    /// Usage report rows (month or ISO week).
    pub report: Rc<Vec<ReportRow>>,
    /// Current bucket size.
    pub granularity: Granularity,
    /// Change bucket size.
    pub on_granularity: Callback<Granularity>,
}

fn x(i: i64, n: i64) -> i64 {
    if n == 0 {
        0
    } else {
        i * W / n
    }
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
    let usage = &p.usage.0;
    let zoom = use_state(|| None::<usize>);
    let window = Window::of(&p.bill, usage, *zoom);
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
                { for p.bill.periods.iter().enumerate().map(|(i, per)| html! {
                    <option value={i.to_string()} selected={*zoom == Some(i)}>{ per.label.clone() }</option>
                }) }
            </select>
        </label>
    };
    let hourly = geometry.as_ref().as_ref().map(|g| {
        let (peak, ent, band, axis, path) = (g.peak, g.ent, g.band, g.axis, g.path.clone());
        let yy = |v: Decimal| axis.y(v, H);
        let marks: Vec<Html> = p
            .focus
            .map(|f| marks(&p.runs.0, f, Hour(usage.start().0 + window.from), window.hours))
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                let (class, y0, what) = match m.kind {
                    ExcessKind::Charged => ("charged", "0", "charged"),
                    ExcessKind::Tolerated => ("tolerated", "7", "tolerated"),
                };
                html! { <rect class={class} x={m.x0.to_string()} y={y0} width={(m.x1 - m.x0).max(2).to_string()} height="6">
                    <title>{ format!("{} to {}: {} {what} hours", m.first, m.end, m.hours) }</title>
                </rect> }
            })
            .collect();
        html! {
            <figure>
                <figcaption>{ format!("Hourly usage of {} (peak {}); marks above: hours with excess, tolerated (amber) and charged (red)", p.focus_name, short(peak, 2)) }
                    { zoom_select }</figcaption>
                <svg viewBox={format!("0 0 {W} {H}")} class="chart" role="img" aria-label={format!("Hourly usage of {}", p.focus_name)}>
                    if let Some(b) = band {
                        <rect class="band" x="0" y={yy(b).to_string()} width={W.to_string()} height={(yy(ent.unwrap_or_default()) - yy(b)).to_string()} />
                    }
                    <path class="usage" d={path} />
                    <text class="axis" x="4" y="12">{ short(axis.top, 2) }</text>
                    <text class="axis" x="4" y={(H - 4).to_string()}>{ short(axis.floor, 2) }</text>
                    if let Some(e) = ent {
                        <line class="entitlement" x1="0" x2={W.to_string()} y1={yy(e).to_string()} y2={yy(e).to_string()} />
                    }
                    { for marks }
                </svg>
                <p class="legend"><span class="sw usage"></span>{ "usage" }
                    if ent.is_some() { <span class="sw entitlement"></span>{ "entitlement" }<span class="sw band"></span>{ "tolerance band" } }
                    <span class="sw tolerated"></span>{ "tolerated hours" }<span class="sw charged"></span>{ "charged hours" }</p>
            </figure>
        }
    });
    let bars: Vec<(String, Decimal, String)> = match p.granularity {
        Granularity::Month => p
            .bill
            .periods
            .iter()
            .map(|per| (per.label.clone(), per.total.get(), grouped(&per.total)))
            .collect(),
        Granularity::IsoWeek => p
            .report
            .iter()
            .filter(|r| r.cell.to_string() == p.focus_name.as_str())
            .map(|r| {
                (
                    r.label.clone(),
                    r.units.get(),
                    format!("{} units", short(r.units, 2)),
                )
            })
            .collect(),
    };
    let bmax = bars.iter().map(|b| b.1).max().unwrap_or_default();
    let n = bars.len() as i64;
    let toggle = |g: Granularity, label: &str, id: &str| {
        let cb = p.on_granularity.clone();
        html! { <button type="button" id={id.to_string()} aria-pressed={(p.granularity == g).to_string()}
        onclick={Callback::from(move |_| cb.emit(g))}>{ label.to_string() }</button> }
    };
    html! {
        <section class="charts" aria-label="Charts">
            { hourly.unwrap_or_default() }
            <figure>
                <figcaption>
                    { match p.granularity { Granularity::Month => format!("Monthly totals ({})", p.bill.currency),
                        Granularity::IsoWeek => format!("Units of {} by ISO week", p.focus_name) } }
                    <span class="toggle" role="group" aria-label="Bucket">
                        { toggle(Granularity::Month, "Month", "gran-month") }{ toggle(Granularity::IsoWeek, "ISO week", "gran-week") }
                    </span>
                </figcaption>
                <svg viewBox={format!("0 0 {W} {H}")} class="chart bars" role="img" aria-label="Bars">
                    { for bars.iter().enumerate().map(|(i, (label, v, text))| {
                        let (x0, x1) = (x(i as i64, n), x(i as i64 + 1, n));
                        let top = Axis::from_zero(bmax).y(*v, H);
                        html! { <rect class="bar" x={x0.to_string()} y={top.to_string()} width={(x1 - x0 - 1).max(1).to_string()} height={(H - top).to_string()}>
                            <title>{ format!("{label}: {text}") }</title></rect> }
                    }) }
                </svg>
            </figure>
        </section>
    }
}
