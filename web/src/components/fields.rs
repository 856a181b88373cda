//! Labelled inputs and selects, and the action-callback helpers.

use std::rc::Rc;

use unitcalc_core::matrix::Matrix;
use yew::prelude::*;

use crate::browser;
use crate::state::{Action, Fault};

/// The fault's message when it names the input `id`, with the message's
/// element id, for `aria-describedby`.
fn fault_at(fault: &Option<Rc<Fault>>, id: &str) -> Option<(String, AttrValue)> {
    let f = fault.as_ref().filter(|f| f.input.as_deref() == Some(id))?;
    Some((format!("{id}-error"), AttrValue::from(f.message.clone())))
}

/// The message under an input at fault (announced as it appears).
fn fault_note(fault: &Option<(String, AttrValue)>) -> Html {
    match fault {
        Some((id, m)) => {
            html! { <p class="field-error" id={id.clone()} role="alert">{ m.clone() }</p> }
        }
        None => html! {},
    }
}

/// A callback taking the new text of an input and dispatching the action
/// `f` makes of it.
pub fn setter(
    on_action: &Callback<Action>,
    f: impl Fn(String) -> Action + 'static,
) -> Callback<String> {
    on_action.reform(f)
}

/// A callback dispatching `action` on a click.
pub fn action(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    on_action.reform(move |_| action.clone())
}

/// Props of [`Field`].
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// Element id (also what the label points at).
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// Current text.
    pub value: AttrValue,
    /// New text on every input.
    pub oninput: Callback<String>,
    /// Input type (`text` by default).
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    /// Placeholder / hint.
    #[prop_or_default]
    pub hint: AttrValue,
    /// Why the scenario does not price: shown here when it names this input.
    #[prop_or_default]
    pub fault: Option<Rc<Fault>>,
}

/// A labelled text input.
#[component]
pub fn Field(p: &FieldProps) -> Html {
    let cb = p.oninput.clone();
    let oninput = Callback::from(move |e: InputEvent| cb.emit(browser::input_value(&e)));
    let fault = fault_at(&p.fault, &p.id);
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input id={p.id.clone()} type={p.kind.clone()} value={p.value.clone()} placeholder={p.hint.clone()} autocomplete="off" {oninput}
                aria-invalid={fault.as_ref().map(|_| "true")} aria-describedby={fault.as_ref().map(|f| f.0.clone())} />
            { fault_note(&fault) }
        </div>
    }
}

/// Props of [`Select`].
#[derive(Properties, PartialEq)]
pub struct SelectProps {
    /// Element id.
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// Selected value.
    pub value: AttrValue,
    /// (value, label) options.
    pub options: Vec<(String, String)>,
    /// New value on change.
    pub onchange: Callback<String>,
    /// Why the scenario does not price: shown here when it names this input.
    #[prop_or_default]
    pub fault: Option<Rc<Fault>>,
}

/// A labelled select. A current value missing from the options is still shown.
#[component]
pub fn Select(p: &SelectProps) -> Html {
    let cb = p.onchange.clone();
    let onchange = Callback::from(move |e: Event| cb.emit(browser::select_value(&e)));
    let missing = !p.options.iter().any(|(v, _)| *v == p.value.as_str());
    let fault = fault_at(&p.fault, &p.id);
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <select id={p.id.clone()} {onchange}
                aria-invalid={fault.as_ref().map(|_| "true")} aria-describedby={fault.as_ref().map(|f| f.0.clone())}>
                if missing {
                    <option value={p.value.clone()} selected=true>{ format!("{} (not in matrix)", p.value) }</option>
                }
                { for p.options.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={*v == p.value.as_str()}>{ l.clone() }</option>
                }) }
            </select>
            { fault_note(&fault) }
        </div>
    }
}

/// The offered cells of a matrix as select options (`meter/environment/use_case`).
pub fn cell_options(m: Option<&Matrix>) -> Vec<(String, String)> {
    let Some(m) = m else { return Vec::new() };
    m.offered_cells()
        .map(|c| {
            let n = m.cell_name(c).to_string();
            (n.clone(), n)
        })
        .collect()
}
