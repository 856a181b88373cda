//! One offer's bill: KPIs and the monthly invoice table.

use unitcalc_core::bill::{Line, LineKind, PeriodBill};
use unitcalc_core::compare::ComparisonRow;
use unitcalc_core::kpi::PricePerQuantityMonth;
use unitcalc_core::num::Money;
use yew::prelude::*;

use crate::export::ExportKind;
use crate::state::{ByPtr, ShownBill};
use crate::worker::Evidence as Found;
use unitcalc_core::display::{grouped, percent, short};

/// Props of [`BillView`].
#[derive(Properties, PartialEq)]
pub struct BillViewProps {
    /// The bill.
    pub bill: ShownBill,
    /// Its comparison row (effective price per unit).
    pub row: Option<ComparisonRow>,
    /// Effective price per TB-month, when the matrix meters TB and any was held.
    #[prop_or_default]
    pub per_tb_month: Option<PricePerQuantityMonth>,
    /// True when the trail and fingerprints were asked for.
    #[prop_or_default]
    pub explain: bool,
    /// The worker's answer: the bill's trail and fingerprints, or why not.
    #[prop_or_default]
    pub evidence: Option<ByPtr<Result<Found, String>>>,
    /// Asks for (or hides) the trail and fingerprints; `None` where the view
    /// offers no switch (Compare).
    #[prop_or_default]
    pub on_explain: Option<Callback<bool>>,
    /// Downloads (the hourly ledger).
    #[prop_or_default]
    pub on_export: Option<Callback<ExportKind>>,
}

fn kind_label(k: LineKind) -> &'static str {
    match k {
        LineKind::Fee => "fee",
        LineKind::Installment => "installment",
        LineKind::Commitment => "commitment",
        LineKind::PayAsYouGo => "consumption",
        LineKind::Overage => "overage",
    }
}

/// KPIs of a bill.
#[component]
pub fn Kpis(p: &BillViewProps) -> Html {
    let Some(b) = p.bill.get() else {
        return html! {};
    };
    let cur = &b.currency;
    let (tolerated, charged) = b.cells.iter().fold((0u64, 0u64), |(t, c), s| {
        (
            t + u64::from(s.tolerated_hours),
            c + u64::from(s.charged_hours),
        )
    });
    let util: Vec<String> = b
        .cells
        .iter()
        .filter_map(|c| {
            c.utilization
                .map(|u| format!("{}: {}", c.cell, percent(u.get())))
        })
        .collect();
    let kpi = |label: &str, value: String, id: &str| {
        html! { <div class="kpi" id={id.to_string()}><dt>{ label.to_string() }</dt><dd>{ value }</dd></div> }
    };
    html! {
        <dl class="kpis">
            { kpi("Total contract value", format!("{cur} {}", grouped(&b.total)), "kpi-total") }
            { kpi("Marketplace fee", format!("{cur} {} ({})", grouped(&b.marketplace_fee), percent(b.marketplace_fee_rate.get())), "kpi-fee") }
            { kpi("Net revenue", format!("{cur} {}", grouped(&b.net_revenue)), "kpi-net") }
            { kpi("Units consumed", short(b.units_consumed, 4), "kpi-units") }
            { kpi("Effective price per unit", p.row.as_ref().and_then(|r| r.effective_price_per_unit).map_or("–".into(), |v| format!("{cur} {}", short(v, 4))), "kpi-ppu") }
            { kpi("Effective price per TB-month", p.per_tb_month.as_ref().map_or("–".into(), |k| format!("{cur} {} ({} {}-months)", short(k.price, 6), short(k.quantity_months, 6), k.unit)), "kpi-tb-month") }
            { kpi("Utilization", if util.is_empty() { "–".into() } else { util.join(", ") }, "kpi-util") }
            { kpi("Tolerated / charged hours", format!("{tolerated} / {charged}"), "kpi-hours") }
            if let Some(c) = &b.commitment {
                { kpi("Commitment exhausted", c.exhausted_at.map_or("not exhausted".into(), |h| format!("{h} (hour {})", c.exhausted_term_hour.unwrap_or(0))), "kpi-exhausted") }
                { kpi("Units remaining / expiring value", format!("{} / {cur} {}", short(c.units_remaining, 4), grouped(&c.expired_value)), "kpi-remaining") }
            }
        </dl>
    }
}

/// The monthly invoice table.
#[component]
pub fn BillView(p: &BillViewProps) -> Html {
    let Some(b) = p.bill.get() else {
        return html! {};
    };
    html! {
        <section class="bill" aria-label="Bill">
            <h2>{ format!("Bill: {} ({})", b.offer, b.offer_kind) }</h2>
            <p class="hint">{ format!("Matrix {} v{} · term {} to {} ({} months) · channel {}", b.matrix, b.matrix_version, b.term_start, b.term_end, b.term_months, b.channel) }</p>
            <Kpis bill={p.bill.clone()} row={p.row.clone()} per_tb_month={p.per_tb_month.clone()} />
            if let Some(cb) = &p.on_explain {
                <label class="explain">
                    <input type="checkbox" id="explain" checked={p.explain}
                        onchange={{ let cb = cb.clone(); let on = !p.explain; Callback::from(move |_: Event| cb.emit(on)) }} />
                    { " Show how each line is reached, and the bill's fingerprints" }
                </label>
            }
            if p.explain {
                { match p.evidence.as_ref().map(|e| e.0.as_ref()) {
                    None => html! { <p class="note" id="evidence-wait" role="status">{ "Working out each line's trail and the fingerprints…" }</p> },
                    Some(Err(m)) => html! { <p class="note" role="alert">{ m.clone() }</p> },
                    Some(Ok(e)) => html! { <Evidence evidence={ByPtr(std::rc::Rc::new(e.clone()))} on_export={p.on_export.clone()} /> },
                } }
            }
            <table class="invoice">
                <caption>{ "Monthly invoices" }</caption>
                <thead><tr>
                    <th scope="col">{ "Period" }</th><th scope="col">{ "Line" }</th><th scope="col">{ "Cell" }</th>
                    <th scope="col" class="num">{ "Qty-hours" }</th><th scope="col" class="num">{ "Units" }</th>
                    <th scope="col" class="num">{ "Unit price" }</th><th scope="col" class="num">{ "Amount" }</th>
                </tr></thead>
                { for b.periods.iter().enumerate().map(|(k, per)| {
                    let trails: Vec<Vec<String>> = match p.evidence.as_ref().map(|e| e.0.as_ref()) {
                        Some(Ok(e)) => e.trails.get(k).cloned().unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    html! { <PeriodRows trails={trails} ..PeriodRowsProps::of(per) /> }
                }) }
                <tfoot><tr class="grand"><th scope="row" colspan="6">{ format!("Term total ({})", b.currency) }</th><td class="num">{ grouped(&b.total) }</td></tr></tfoot>
            </table>
        </section>
    }
}

/// Props of [`PeriodRows`]: only what the rows show, so a period whose lines
/// did not change (a usage edit that moves no money) is not re-rendered.
#[derive(Properties, PartialEq)]
pub struct PeriodRowsProps {
    /// `YYYY-MM`.
    pub label: AttrValue,
    /// Hours in the term and in the whole month, when partial.
    pub partial: Option<(u32, u32)>,
    /// The rounded lines.
    pub lines: Vec<Line>,
    /// Period total, marketplace fee and net revenue.
    pub total: Money,
    /// Marketplace fee.
    pub marketplace_fee: Money,
    /// Net revenue.
    pub net_revenue: Money,
    /// Per line, its formula trail (empty when not asked for).
    #[prop_or_default]
    pub trails: Vec<Vec<String>>,
}

impl PeriodRowsProps {
    /// The props for one period of a bill.
    pub fn of(per: &PeriodBill) -> PeriodRowsProps {
        PeriodRowsProps {
            label: per.label.clone().into(),
            partial: per.partial.then_some((per.hours, per.month_hours)),
            lines: per.lines.clone(),
            total: per.total,
            marketplace_fee: per.marketplace_fee,
            net_revenue: per.net_revenue,
            trails: Vec::new(),
        }
    }
}

/// One period of the invoice table: its lines and its total.
#[component]
pub fn PeriodRows(per: &PeriodRowsProps) -> Html {
    html! {
        <tbody class="period" data-period={per.label.clone()}>
            { for per.lines.iter().enumerate().map(|(k, l)| html! {
                <tr>
                    if k == 0 {
                        <th scope="row" rowspan={(per.lines.len() + 1).to_string()}>
                            { per.label.clone() }
                            if let Some((h, mh)) = per.partial { <span class="hint">{ format!(" ({h} of {mh} h)") }</span> }
                        </th>
                    }
                    <td title={l.description.clone()}>
                        { format!("{}: {}", kind_label(l.kind), l.description) }
                        if let Some(t) = per.trails.get(k).filter(|t| !t.is_empty()) {
                            <details class="trail">
                                <summary>{ "How this line is reached" }</summary>
                                <ul>{ for t.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
                            </details>
                        }
                    </td>
                    <td>{ l.cell.as_ref().map(|c| c.to_string()).unwrap_or_default() }</td>
                    <td class="num">{ l.quantity_hours.map(|q| short(q, 4)).unwrap_or_default() }</td>
                    <td class="num">{ l.units.map(|u| short(u, 4)).unwrap_or_default() }</td>
                    <td class="num">{ l.unit_price.map(|u| short(u, 4)).unwrap_or_default() }</td>
                    <td class="num">{ grouped(&l.amount) }</td>
                </tr>
            }) }
            <tr class="total">
                if per.lines.is_empty() { <th scope="row">{ per.label.clone() }</th> }
                <td colspan="5">{ if per.marketplace_fee.is_zero() { "Total".to_string() } else { format!("Total (marketplace fee {}, net {})", grouped(&per.marketplace_fee), grouped(&per.net_revenue)) } }</td>
                <td class="num period-total" data-total={per.label.clone()}>{ grouped(&per.total) }</td>
            </tr>
        </tbody>
    }
}

/// Props of [`Evidence`].
#[derive(Properties, PartialEq)]
pub struct EvidenceProps {
    /// The bill's evidence.
    pub evidence: ByPtr<Found>,
    /// Downloads (the hourly ledger).
    #[prop_or_default]
    pub on_export: Option<Callback<ExportKind>>,
}

/// The bill's fingerprints: its own (short, the full digest in the title)
/// and its inputs', as `unitcalc fingerprint` prints them; shown on screen
/// and in print, so a printed bill can be matched to the inputs that made it.
#[component]
pub fn Evidence(p: &EvidenceProps) -> Html {
    let e = &p.evidence.0;
    let full = e.digests.first().map(|d| d.1.clone()).unwrap_or_default();
    html! {
        <section class="evidence" aria-label="Fingerprints">
            <p>{ "Bill fingerprint " }<code id="bill-fingerprint" title={full}>{ e.short.clone() }</code>
               { " (SHA-256; docs/evidence.md says how to recompute each with sha256sum)" }
               if let Some(cb) = &p.on_export {
                   { " " }<button type="button" id="export-ledger" class="no-print"
                       onclick={cb.reform(|_| ExportKind::LedgerCsv)}>{ "Download the hourly ledger (CSV)" }</button>
               }
            </p>
            <dl class="digests">
                { for e.digests.iter().map(|(label, digest)| html! {
                    <div><dt>{ label.clone() }</dt><dd><code>{ digest.clone() }</code></dd></div>
                }) }
            </dl>
        </section>
    }
}
