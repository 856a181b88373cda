//! Labelled inputs and selects, and the edit-callback helper.

use std::rc::Rc;

use unitcalc_core::matrix::Matrix;
use unitcalc_core::scenario::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::Edit;

/// A callback taking the new text of an input and applying `f` to the scenario.
pub fn setter(
    on_edit: &Callback<Edit>,
    f: impl Fn(&mut Scenario, String) + 'static,
) -> Callback<String> {
    let on_edit = on_edit.clone();
    let f = Rc::new(f);
    Callback::from(move |v: String| {
        let f = f.clone();
        on_edit.emit(Rc::new(move |s: &mut Scenario| f(s, v.clone())));
    })
}

/// A callback applying `f` to the scenario on a click.
pub fn action(
    on_edit: &Callback<Edit>,
    f: impl Fn(&mut Scenario) + 'static,
) -> Callback<MouseEvent> {
    let on_edit = on_edit.clone();
    let f: Edit = Rc::new(f);
    Callback::from(move |_| on_edit.emit(f.clone()))
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
}

/// A labelled text input.
#[component]
pub fn Field(p: &FieldProps) -> Html {
    let cb = p.oninput.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input id={p.id.clone()} type={p.kind.clone()} value={p.value.clone()} placeholder={p.hint.clone()} autocomplete="off" {oninput} />
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
}

/// A labelled select. A current value missing from the options is still shown.
#[component]
pub fn Select(p: &SelectProps) -> Html {
    let cb = p.onchange.clone();
    let onchange = Callback::from(move |e: Event| {
        cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
    });
    let missing = !p.options.iter().any(|(v, _)| *v == p.value.as_str());
    html! {
        <div class="field">
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <select id={p.id.clone()} {onchange}>
                if missing {
                    <option value={p.value.clone()} selected=true>{ format!("{} (not in matrix)", p.value) }</option>
                }
                { for p.options.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={*v == p.value.as_str()}>{ l.clone() }</option>
                }) }
            </select>
        </div>
    }
}

/// The offered cells of a matrix as select options (`meter/environment/use_case`).
pub fn cell_options(m: Option<&Matrix>) -> Vec<(String, String)> {
    let Some(m) = m else { return Vec::new() };
    m.cells()
        .filter(|c| m.cell_rate(*c).is_some())
        .map(|c| {
            let n = m.cell_name(c).to_string();
            (n.clone(), n)
        })
        .collect()
}
