//! The app: the reducer's state, the URL fragment sync, layout and views.

use unitcalc_core::offer::OfferKind;
use unitcalc_core::{scenario, sheet};
use yew::prelude::*;

use super::bill_view::BillView;
use super::chart::Charts;
use super::compare_view::CompareView;
use super::deal_form::DealForm;
use super::matrix_view::MatrixView;
use super::metering_view::metering_view;
use super::offer_form::OfferForm;
use super::quote_view::{quote_view, QuoteArgs};
use super::share::SharePanel;
use super::usage_form::UsageForm;
use crate::export::{self, ExportKind};
use crate::hooks::{
    use_pending_pricing, use_print, use_url_sync, use_worker_evidence, use_worker_metering,
};
use crate::state::{Action, AppState, ByPtr, Computed, Confirm, ShownBill, View};
use crate::{boundary, browser, worker};

pub use crate::state::{default_scenario, open_link};

/// The app root.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::open(&browser::location_hash()));
    let link = scenario::encode(state.written());
    use_url_sync(link.as_ref().ok().cloned(), state.dispatcher());
    use_worker_evidence(state.evidence_request.clone(), state.dispatcher());
    use_worker_metering(state.metering_request.clone(), state.dispatcher());
    use_print(state.print_now, state.printing, state.dispatcher());
    use_pending_pricing(state.pending, state.generation, state.dispatcher());

    // One stable callback (created once), so unchanged inputs are not re-rendered.
    let on_action: Callback<Action> = {
        let d = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| d.dispatch(a)))).clone()
    };
    // A question takes the focus (to its Cancel button), so the keyboard is where it is asked.
    use_effect_with(state.confirm.is_some(), |&asking| {
        if asking {
            browser::focus("confirm-no");
        }
    });
    // WAI-ARIA tabs: one tab per view shown (AppState::views), the selected one in the
    // tab order (roving tabindex); arrow keys, Home and End move the
    // selection and the focus; <main> is the tab panel.
    let views = state.views();
    let on_tab_key = {
        let (cb, view) = (on_action.clone(), state.view);
        Callback::from(move |e: KeyboardEvent| {
            let next = browser::key(&e, |k| view.after_key(k, views).is_some())
                .and_then(|k| view.after_key(&k, views));
            if let Some(v) = next {
                cb.emit(Action::SetView(v));
                browser::focus(v.tab_id());
            }
        })
    };
    let tabs = views.iter().map(|&v| {
        let selected = state.view == v;
        html! { <button type="button" role="tab" id={v.tab_id()} aria-selected={selected.to_string()} aria-controls="main"
            tabindex={if selected { "0" } else { "-1" }} onclick={on_action.reform(move |_| Action::SetView(v))}>{ v.label() }</button> }
    });
    // Exports: every file is written by the page's worker over the scenario
    // as shared (its code stays out of the first load), with the
    // fingerprints, and downloaded when it answers; a matrix whose scenario
    // does not price is downloaded as the page holds its text.
    let on_export = {
        let s = state.clone();
        Callback::from(move |k: ExportKind| {
            let own = (k == ExportKind::MatrixToml)
                .then(|| export::matrix_file(&s))
                .flatten();
            let Ok(link) = scenario::encode(s.written()) else {
                if let Some(f) = own {
                    browser::download(&f.name, f.mime, &f.text);
                }
                return;
            };
            let request = worker::export_request(k, &link, s.selected, s.csv.as_deref());
            let dispatcher = s.dispatcher();
            browser::ask_worker(
                request,
                Callback::from(
                    move |bytes: Vec<u8>| match (worker::decode_file(&bytes), &own) {
                        (Ok(f), _) => browser::download(&f.name, &f.mime, &f.text),
                        (Err(_), Some(f)) => browser::download(&f.name, f.mime, &f.text),
                        (Err(m), None) => dispatcher.dispatch(Action::Alert(m)),
                    },
                ),
            );
        })
    };
    // A deal file is read by the page's worker (the deal reader stays out of
    // the first load) into its scenario's share link.
    let on_deal_file = {
        let dispatcher = state.dispatcher();
        Callback::from(move |r: Result<(String, String), String>| match r {
            Ok((name, text)) => {
                let d = dispatcher.clone();
                browser::ask_worker(
                    worker::deal_request(&name, &text),
                    Callback::from(move |bytes: Vec<u8>| {
                        d.dispatch(match worker::decode_deal(&bytes) {
                            Ok((link, csv, plan)) => Action::OpenedDeal {
                                name: name.clone(),
                                link,
                                csv,
                                // The file is kept for the Metering view.
                                plan: plan.then(|| {
                                    std::rc::Rc::new(worker::metering::DealFile {
                                        name: name.clone(),
                                        text: text.clone(),
                                    })
                                }),
                            },
                            Err(m) => Action::Alert(m),
                        })
                    }),
                );
            }
            Err(m) => dispatcher.dispatch(Action::Alert(m)),
        })
    };

    let lab_href = format!("lab/index.html{}", link.as_deref().unwrap_or_default());
    let link_attr = link
        .map(|l| AttrValue::from(format!("{}{l}", browser::base_url())))
        .map_err(|e| AttrValue::from(boundary::message(&e)));
    let outcome: &Result<Computed, String> = &state.outcome;
    // A scenario that does not price keeps the last bill that did, dimmed,
    // with the message (on its input when the core names the field).
    let stale = state.fault.is_some() && state.shown.is_ok();
    let main = match &*state.shown {
        Err(msg) => html! { <div class="error" role="alert" id="error">{ msg.clone() }</div> },
        Ok(c) => html! {
            <>
            if let Some(f) = state.fault.as_ref().filter(|_| stale) {
                <p class="error stale-note" id="error" role={f.input.is_none().then_some("alert")}>
                    { format!("{} — the figures below are from the last values that priced.", f.message) }
                </p>
            }
            { render_view(&state, c, &on_action, &on_export) }
            { quote_view(QuoteArgs { customer: &c.deal.name, term: sheet::term_text(&c.deal.terms.term),
                price_book: c.bills().first().map(|b| format!("{} v{}", b.matrix, b.matrix_version)).unwrap_or_default(),
                fingerprints: match state.evidence.as_ref().map(|e| e.0.as_ref()) { Some(Ok(e)) => Some(e.fingerprints()), _ => None },
                on_print: on_action.reform(|_| Action::Print),
                sheets: c.deal.offers.iter().zip(c.bills()).map(|(o, b)| sheet::offer_sheet(&c.matrix, o, b)).collect(),
                link: link_attr.as_ref().ok().map(|l| l.as_str()), shown: state.view == View::Quote }) }
            </>
        },
    };
    let s = &state.scenario;
    html! {
        <>
        <header class="no-print">
            <h1>{ "unitcalc · bill simulator" }</h1>
            <nav aria-label="Views"><div role="tablist" aria-label="Views" onkeydown={on_tab_key}>{ for tabs }</div>
                <a id="open-lab" class="lab-link" href={lab_href}
                    title="Price this deal under up to four unit models, compare them, sweep a parameter, fit a usage history (its own page, loaded when opened)">
                    { "Unit-model lab" }</a></nav>
            <p class="hint">{ "All math runs in this page; nothing is sent anywhere." }</p>
        </header>
        if let Some(m) = &state.alert {
            <div class="error alert" role="alert" id="alert">
                { m.clone() }
                <button type="button" class="small" onclick={on_action.reform(|_| Action::DismissAlert)}>{ "Dismiss" }</button>
            </div>
        }
        if let Some(c) = &state.confirm {
            { confirm_dialog(&state, c, &on_action) }
        }
        if let Some(u) = &state.undo {
            <div class="undo no-print" role="status" id="undo">
                { u.notice() }
                <button type="button" class="small" id="undo-button" onclick={on_action.reform(|_| Action::Undo)}>{ "Undo" }</button>
            </div>
        }
        <div class={classes!("layout", (state.view == View::Quote).then_some("quote"))}>
            <aside class="inputs no-print" aria-label="Inputs">
                <DealForm fault={state.fault.clone()} scenario={s.clone()} matrix={state.matrix.clone().map(ByPtr)} on_action={on_action.clone()}
                    matrix_label={state.matrix_label().map(AttrValue::from)}
                    asking={matches!(state.confirm, Some(Confirm::SwitchMatrix(_)))} />
                { for s.offers.iter().enumerate().map(|(i, o)| {
                    html! { <OfferForm fault={state.fault.clone()} index={i} offer={o.clone()} count={s.offers.len()} matrix={state.matrix.clone().map(ByPtr)}
                        selected={i == state.selected} on_action={on_action.clone()} /> }
                }) }
                <UsageForm fault={state.fault.clone()} usage={s.usage.clone()} matrix={state.matrix.clone().map(ByPtr)}
                    csv={state.csv.as_ref().map(|c| AttrValue::from(c.name.clone()))} on_action={on_action.clone()}
                    months_without_usage={outcome.as_ref().ok().map(|c| c.months_without_usage.join(", ")).filter(|m| !m.is_empty()).map(AttrValue::from)} />
                <SharePanel link={link_attr} saved={state.saved.clone()} saved_csv={state.saved_csv.clone()} notice={state.notice.clone().map(AttrValue::from)} csv={state.csv.is_some()}
                    can_export={outcome.is_ok()} on_save={on_action.reform(Action::Save)} on_load={on_action.reform(Action::LoadSaved)}
                    on_delete={on_action.reform(Action::DeleteSaved)} {on_export} on_copied={on_action.reform(Action::Copied)}
                    {on_deal_file} on_print={on_action.reform(|_| Action::Print)} />
            </aside>
            <main id="main" role="tabpanel" aria-labelledby={state.view.tab_id()} class={classes!(stale.then_some("stale"))} aria-busy={stale.then_some("true")}
                data-generation={state.generation.to_string()} data-compute-ms={state.compute_ms.clone()} data-pending={state.pending.then_some("true")}>{ main }</main>
        </div>
        </>
    }
}

/// The page's question before an action that loses work: an in-page
/// dialog (testable, unlike `window.confirm`), focused on its first button.
fn confirm_dialog(state: &AppState, c: &Confirm, on_action: &Callback<Action>) -> Html {
    let (question, yes) = c.question(state);
    html! {
        <div class="confirm no-print" id="confirm" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">{ question }</p>
            <button type="button" id="confirm-yes" onclick={on_action.reform(|_| Action::Answer(true))}>{ yes }</button>
            <button type="button" id="confirm-no" onclick={on_action.reform(|_| Action::Answer(false))}>{ "Cancel" }</button>
        </div>
    }
}

fn render_view(
    state: &AppState,
    c: &Computed,
    on_action: &Callback<Action>,
    on_export: &Callback<ExportKind>,
) -> Html {
    let sel = state.selected.min(c.bills().len().saturating_sub(1));
    if c.bills().get(sel).is_none() {
        return html! {};
    }
    let row = c.comparison.rows.get(sel).cloned();
    match state.view {
        View::Bill => {
            let ent = match c.deal.offers.get(sel).map(|o| &o.kind) {
                Some(OfferKind::FixedCapacity(f)) => f
                    .entitlements
                    .first()
                    .map(|e| (e.cell, e.quantity, f.overage)),
                _ => None,
            };
            let focus = ent
                .map(|e| e.0)
                .or_else(|| c.usage.cells().first().map(|s| s.cell));
            let focus_name = focus
                .map(|f| c.matrix.cell_name(f).to_string())
                .unwrap_or_default();
            let unit = focus
                .and_then(|f| c.matrix.meters.get(usize::from(f.meter)))
                .map(|m| m.unit.clone())
                .unwrap_or_default();
            html! {
                <>
                <BillView bill={ShownBill(state.shown.clone(), sel)} row={row} per_tb_month={c.offers.get(sel).and_then(|q| q.per_tb_month.clone())}
                    explain={state.explain} evidence={state.evidence.clone()} on_explain={Some(on_action.reform(Action::Explain))}
                    on_export={Some(on_export.clone())} />
                <Charts bill={ShownBill(state.shown.clone(), sel)} usage={ByPtr(c.usage.clone())} focus={focus} focus_name={focus_name} unit={unit}
                    entitlement={ent.map(|e| (e.1, e.2))} runs={c.offers.get(sel).cloned().map(ByPtr)}
                    report={ByPtr(c.report.clone())} granularity={state.granularity}
                    on_granularity={on_action.reform(Action::SetGranularity)} />
                </>
            }
        }
        View::Compare => {
            html! { <CompareView outcome={ByPtr(state.shown.clone())} currency={c.matrix.currency.code.clone()} on_export={on_export.clone()} /> }
        }
        View::Matrix => {
            html! { <MatrixView matrix={state.matrix.clone().map(ByPtr)} text={state.matrix_text().unwrap_or_default().to_string()}
            on_action={on_action.clone()} /> }
        }
        View::Quote => html! {},
        View::Metering => metering_view(state.metered.clone()),
    }
}
