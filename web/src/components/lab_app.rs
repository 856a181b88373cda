//! The unit-model lab's page (`lab/index.html`, its own module loaded only
//! when opened, so the bill simulator's first load stays small): the
//! scenario comes from the share link in the fragment, a usage history can
//! be uploaded for the fit, a scenario can be saved with its models and
//! reopened ([`LabSaved`]), and "Back" returns to the simulator with the
//! scenario as it now is.

use std::rc::Rc;

use unitcalc_core::scenario;
use unitcalc_core::usage_csv::MAX_UPLOAD_BYTES;
use yew::prelude::*;

use super::lab_saved::LabSaved;
use super::lab_view::lab_view;
use crate::state::lab::{self, LabAction};
use crate::state::{Action, CsvUsage};
use crate::{boundary, browser};

/// The lab page's root.
#[component]
pub fn LabApp() -> Html {
    let state = use_reducer(|| lab::open(&browser::location_hash()));
    // The address bar holds the lab's link (the deal and its models).
    use_effect_with(lab::link(&state), |l| {
        if let Some(l) = l {
            browser::replace_fragment(l);
        }
    });
    let on_action: Callback<LabAction> = {
        let d = state.dispatcher();
        (*use_memo((), move |_| {
            Callback::from(move |a: LabAction| d.dispatch(a))
        }))
        .clone()
    };
    let app = &state.app;
    let back = match scenario::encode(app.written()) {
        Ok(l) => format!("../index.html{l}"),
        Err(_) => "../index.html".into(),
    };
    let on_file = {
        let on_action = on_action.clone();
        Callback::from(move |e: Event| {
            let done = on_action.clone();
            let read = browser::read_file(&e, MAX_UPLOAD_BYTES, move |name, bytes| {
                done.emit(LabAction::App(Action::UploadCsv(Rc::new(CsvUsage {
                    name,
                    bytes,
                }))))
            });
            if let Err(e) = read {
                on_action.emit(LabAction::App(Action::Alert(boundary::message(&e))));
            }
        })
    };
    let main = match &*app.shown {
        Err(m) => html! { <div class="error" role="alert" id="error">{ m.clone() }</div> },
        Ok(c) => lab_view(&state, c, &on_action),
    };
    html! {
        <>
        <header>
            <h1>{ "unitcalc · unit-model lab" }</h1>
            <p>{ format!("Deal: {}", app.scenario.name) } { " · " }
                <a id="lab-back" href={back}>{ "Back to the bill simulator with this deal" }</a></p>
            <p class="hint">{ "All math runs in this page; nothing is sent anywhere." }</p>
        </header>
        if let Some(m) = &app.alert {
            <div class="error alert" role="alert" id="alert">{ m.clone() }
                <button type="button" class="small" onclick={on_action.reform(|_| LabAction::App(Action::DismissAlert))}>{ "Dismiss" }</button>
            </div>
        }
        if let Some(n) = &app.notice { <p class="note" role="status" id="notice">{ n.clone() }</p> }
        <div class="field">
            <label for="usage-csv">{ "Usage history CSV (priced as the deal's usage, and fitted below)" }</label>
            <input id="usage-csv" type="file" accept=".csv,text/csv" onchange={on_file} />
            if let Some(c) = &app.csv { <p class="note">{ format!("Usage from {}", c.name) }</p> }
        </div>
        <LabSaved saved={app.saved.clone()} on_save={on_action.reform(LabAction::Save)} on_open={on_action.reform(LabAction::OpenSaved)} />
        <main id="main">{ main }</main>
        </>
    }
}
