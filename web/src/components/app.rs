//! The app: state, URL fragment sync, layout and views.

use std::rc::Rc;

use unitcalc_core::offer::OfferKind;
use unitcalc_core::report::Granularity;
use unitcalc_core::scenario::{
    self, CellUsageSpec, KindSpec, MatrixChoice, OfferSpec, Scenario, UsageSpec, VERSION,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bill_view::BillView;
use super::chart::Charts;
use super::compare_view::CompareView;
use super::deal_form::DealForm;
use super::matrix_view::MatrixView;
use super::offer_form::OfferForm;
use super::share::{ExportKind, SharePanel};
use super::usage_form::UsageForm;
use crate::state::{Action, AppState, ByPtr, Computed, Edit, View};
use crate::{boundary, export, storage};

/// The scenario a fresh page starts with: pay-as-you-go on matrix M.
pub fn default_scenario() -> Scenario {
    Scenario {
        version: VERSION,
        name: "New deal".into(),
        matrix: MatrixChoice::Bundled("spec-m".into()),
        term_start: "2026-01-01".into(),
        term_months: "12".into(),
        channel: "direct".into(),
        offers: vec![OfferSpec {
            name: "Pay-as-you-go".into(),
            kind: KindSpec::PayAsYouGo,
            ..OfferSpec::default()
        }],
        usage: UsageSpec {
            seed: "7".into(),
            cells: vec![CellUsageSpec {
                cell: "capacity/aws/hot".into(),
                baseline: "200".into(),
                monthly_growth: "0.02".into(),
                ..CellUsageSpec::default()
            }],
        },
    }
}

/// Opens a share link fragment (the core decodes, loads and resolves it);
/// an error becomes the banner's message.
pub fn open_link(fragment: &str) -> Result<Scenario, String> {
    scenario::open_link(fragment).map_err(|e| boundary::link_message(&e))
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

fn initial_state() -> AppState {
    let hash = location_hash();
    if hash.len() <= 1 {
        return AppState::new(default_scenario());
    }
    match open_link(&hash) {
        Ok(s) => AppState::new(s),
        Err(m) => {
            let mut st = AppState::new(default_scenario());
            st.alert = Some(m);
            st
        }
    }
}

fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The app root.
#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let saved = use_state(|| storage::load_all().keys().cloned().collect::<Vec<_>>());
    let notice = use_state(|| None::<AttrValue>);
    let link = scenario::encode(&state.scenario);

    // Keep the URL fragment in step with the scenario (replaceState: no request, no history
    // spam), 300 ms after the last change, so typing is not slowed by history updates.
    {
        let frag = link.as_ref().ok().cloned();
        use_effect_with(frag, |frag| {
            let w = web_sys::window();
            let pending = match (frag.clone(), &w) {
                (Some(f), Some(w)) => {
                    let write = Closure::once(move || {
                        if location_hash() != f {
                            if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                                let _ = h.replace_state_with_url(
                                    &wasm_bindgen::JsValue::NULL,
                                    "",
                                    Some(&f),
                                );
                            }
                        }
                    });
                    let id = w
                        .set_timeout_with_callback_and_timeout_and_arguments_0(
                            write.as_ref().unchecked_ref(),
                            300,
                        )
                        .ok();
                    Some((id, write))
                }
                _ => None,
            };
            move || {
                if let (Some((Some(id), _write)), Some(w)) = (pending, w) {
                    w.clear_timeout_with_handle(id);
                }
            }
        });
    }
    // A link pasted into the address bar of an open page.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let cb = Closure::<dyn Fn()>::new(move || {
                let hash = location_hash();
                if hash.len() > 1 {
                    match open_link(&hash) {
                        Ok(s) => dispatcher.dispatch(Action::Load(s)),
                        Err(m) => dispatcher.dispatch(Action::Alert(m)),
                    }
                }
            });
            let w = web_sys::window();
            if let Some(w) = &w {
                let _ =
                    w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = w {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        cb.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    // Stable callbacks (created once), so unchanged inputs are not re-rendered.
    let on_edit: Callback<Edit> = {
        let d = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |e: Edit| d.dispatch(Action::Edit(e)))
        }))
        .clone()
    };
    let on_select: Callback<usize> = {
        let d = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |i: usize| d.dispatch(Action::SelectOffer(i)))
        }))
        .clone()
    };
    let on_refused: Callback<String> = {
        let d = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |m: String| d.dispatch(Action::Alert(m)))
        }))
        .clone()
    };
    let view_button = |v: View, label: &str, id: &str| {
        let s = state.clone();
        html! { <button type="button" role="tab" id={id.to_string()} aria-selected={(state.view == v).to_string()}
        onclick={Callback::from(move |_| s.dispatch(Action::SetView(v)))}>{ label.to_string() }</button> }
    };
    let on_save = {
        let (scenario, saved, notice) = (state.scenario.clone(), saved.clone(), notice.clone());
        Callback::from(move |name: String| match storage::save(&name, &scenario) {
            Ok(()) => {
                saved.set(storage::load_all().keys().cloned().collect());
                notice.set(Some(format!("Saved “{name}” in this browser.").into()));
            }
            Err(e) => notice.set(Some(e.into())),
        })
    };
    let on_load = {
        let (s, notice) = (state.clone(), notice.clone());
        Callback::from(
            move |name: String| match storage::load_all().remove(&name) {
                Some(sc) => {
                    s.dispatch(Action::Load(sc));
                    notice.set(Some(format!("Loaded “{name}”.").into()));
                }
                None => notice.set(Some(format!("“{name}” is no longer saved.").into())),
            },
        )
    };
    let on_delete = {
        let (saved, notice) = (saved.clone(), notice.clone());
        Callback::from(move |name: String| {
            storage::delete(&name);
            saved.set(storage::load_all().keys().cloned().collect());
            notice.set(Some(format!("Deleted “{name}”.").into()));
        })
    };
    let on_export = {
        let s = state.clone();
        Callback::from(move |k: ExportKind| {
            let Ok(c) = s.outcome.as_ref() else { return };
            let Some(bill) = c.bills().get(s.selected) else {
                return;
            };
            let stem = if s.scenario.name.trim().is_empty() {
                "deal".to_string()
            } else {
                s.scenario.name.trim().replace(' ', "-")
            };
            match k {
                ExportKind::BillCsv => export::download(
                    &format!("{stem}-bill.csv"),
                    "text/csv",
                    &export::bill_csv(bill),
                ),
                ExportKind::BillJson => export::download(
                    &format!("{stem}-bill.json"),
                    "application/json",
                    &export::bill_json(bill),
                ),
                ExportKind::DealToml => export::download(
                    &format!("{stem}.toml"),
                    "application/toml",
                    &export::deal_toml(
                        &s.scenario,
                        &c.resolved,
                        &c.matrix,
                        s.csv.as_ref().map(|c| c.name.as_str()),
                    ),
                ),
                ExportKind::MatrixToml => export::download(
                    "matrix.toml",
                    "application/toml",
                    s.matrix_text().unwrap_or_default(),
                ),
            }
        })
    };

    let outcome: &Result<Computed, String> = &state.outcome;
    let main = match outcome {
        Err(msg) => html! { <div class="error" role="alert" id="error">{ msg.clone() }</div> },
        Ok(c) => render_view(&state, c),
    };
    let link_attr = link
        .map(|l| AttrValue::from(format!("{}{l}", base_url())))
        .map_err(|e| AttrValue::from(boundary::message(&e)));
    let s = &state.scenario;
    html! {
        <>
        <header class="no-print">
            <h1>{ "unitcalc · bill simulator" }</h1>
            <nav role="tablist" aria-label="Views">
                { view_button(View::Bill, "Bill", "tab-bill") }
                { view_button(View::Compare, "Compare", "tab-compare") }
                { view_button(View::Matrix, "Matrix", "tab-matrix") }
                { view_button(View::Quote, "Quote", "tab-quote") }
            </nav>
            <p class="hint">{ "All math runs in this page; nothing is sent anywhere." }</p>
        </header>
        if let Some(m) = &state.alert {
            <div class="error alert" role="alert" id="alert">
                { m.clone() }
                <button type="button" class="small" onclick={{ let st = state.clone(); Callback::from(move |_| st.dispatch(Action::DismissAlert)) }}>{ "Dismiss" }</button>
            </div>
        }
        <div class={classes!("layout", (state.view == View::Quote).then_some("quote"))}>
            <aside class="inputs no-print" aria-label="Inputs">
                <DealForm scenario={s.clone()} matrix={state.matrix.clone()} on_edit={on_edit.clone()} />
                { for s.offers.iter().enumerate().map(|(i, o)| {
                    html! { <OfferForm index={i} offer={o.clone()} count={s.offers.len()} matrix={state.matrix.clone()}
                        selected={i == state.selected} on_select={on_select.clone()}
                        on_edit={on_edit.clone()} /> }
                }) }
                <UsageForm usage={s.usage.clone()} term_start={s.term_start.clone()} matrix={state.matrix.clone()}
                    csv={state.csv.as_ref().map(|c| AttrValue::from(c.name.clone()))} on_edit={on_edit.clone()}
                    on_csv={{ let st = state.clone(); Callback::from(move |c| st.dispatch(Action::UploadCsv(c))) }}
                    on_clear_csv={{ let st = state.clone(); Callback::from(move |()| st.dispatch(Action::ClearCsv)) }}
                    on_refused={on_refused.clone()} />
                <SharePanel link={link_attr} saved={(*saved).clone()} notice={(*notice).clone()} csv={state.csv.is_some()}
                    can_export={outcome.is_ok()} {on_save} {on_load} {on_delete} {on_export} />
            </aside>
            <main id="main" data-generation={state.generation.to_string()} data-compute-ms={state.compute_ms.clone()}>{ main }</main>
        </div>
        </>
    }
}

fn render_view(state: &UseReducerHandle<AppState>, c: &Computed) -> Html {
    let sel = state.selected.min(c.bills().len().saturating_sub(1));
    let Some(bill) = c.bills().get(sel) else {
        return html! {};
    };
    let row = c.comparison.rows.get(sel).cloned();
    match state.view {
        View::Bill => {
            let ent = match c.resolved.offers.get(sel).map(|o| &o.kind) {
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
            let st = state.clone();
            html! {
                <>
                <BillView bill={bill.clone()} row={row} per_tb_month={c.per_tb_month.get(sel).cloned().flatten()} />
                <Charts bill={bill.clone()} usage={ByPtr(c.usage.clone())} focus={focus} focus_name={focus_name}
                    entitlement={ent.map(|e| (e.1, e.2))} runs={ByPtr(c.runs.get(sel).cloned().unwrap_or_default())}
                    report={c.report.clone()} granularity={state.granularity}
                    on_granularity={Callback::from(move |g: Granularity| st.dispatch(Action::SetGranularity(g)))} />
                </>
            }
        }
        View::Compare => {
            html! { <CompareView comparison={c.comparison.clone()} currency={c.matrix.currency.code.clone()} /> }
        }
        View::Matrix => {
            let st = state.clone();
            let refused = state.clone();
            html! { <MatrixView matrix={state.matrix.clone()} text={state.matrix_text().unwrap_or_default().to_string()}
            on_edit={Callback::from(move |e: Edit| st.dispatch(Action::Edit(e)))}
            on_refused={Callback::from(move |m: String| refused.dispatch(Action::Alert(m)))} /> }
        }
        View::Quote => html! {
            <section class="quote-view">
                <h2>{ format!("Quote for {}", if state.scenario.name.is_empty() { "the customer" } else { &state.scenario.name }) }</h2>
                <button type="button" class="no-print" onclick={Callback::from(|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } })}>{ "Print" }</button>
                { for c.bills().iter().enumerate().map(|(i, b)| html! { <BillView bill={b.clone()} row={c.comparison.rows.get(i).cloned()} per_tb_month={c.per_tb_month.get(i).cloned().flatten()} /> }) }
                if c.bills().len() > 1 { <CompareView comparison={c.comparison.clone()} currency={c.matrix.currency.code.clone()} /> }
            </section>
        },
    }
}

/// Keeps `Rc` in scope for `Edit`.
#[allow(dead_code)]
fn _edit_type(_: Rc<dyn Fn(&mut Scenario)>) {}
