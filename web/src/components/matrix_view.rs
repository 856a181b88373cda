//! The matrix as an environment × use-case grid, editable with live
//! validation, and its TOML text (paste or load a file).

use std::collections::BTreeMap;

use unitcalc_core::deal::MatrixChoice;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::matrix_toml::{self, GridCell};
use yew::prelude::*;

use crate::state::{Action, ByPtr};
use crate::{boundary, browser};

/// Props of [`MatrixView`].
#[derive(Properties, PartialEq)]
pub struct MatrixViewProps {
    /// The parsed matrix, when it parses (compared by pointer: the page
    /// keeps it while its text is unchanged).
    pub matrix: Option<ByPtr<Matrix>>,
    /// The matrix TOML text.
    pub text: AttrValue,
    /// Deal edits, and a file refused (too large).
    pub on_action: Callback<Action>,
}

fn set_custom(on_action: &Callback<Action>, text: String) {
    on_action.emit(Action::SetMatrix(MatrixChoice::Custom(text)));
}

/// Matrix grid and TOML editor.
#[component]
pub fn MatrixView(p: &MatrixViewProps) -> Html {
    let errors = use_state(BTreeMap::<String, String>::new);
    // One grid edit: the core reads and checks the value (the matrix
    // format's rules); a refused value is flagged on its cell.
    let edit_cell = |key: String, cell: GridCell| {
        let (errors, on_action, m) = (errors.clone(), p.on_action.clone(), p.matrix.clone());
        Callback::from(move |e: InputEvent| {
            let Some(m) = &m else { return };
            let mut errs = (*errors).clone();
            match matrix_toml::edit_grid(m, cell, &browser::input_value(&e)) {
                Ok(next) => {
                    errs.remove(&key);
                    set_custom(&on_action, matrix_toml::to_toml(&next));
                }
                Err(err) => {
                    errs.insert(key.clone(), boundary::message(&err));
                }
            }
            errors.set(errs);
        })
    };
    let on_text = {
        let on_action = p.on_action.clone();
        Callback::from(move |e: InputEvent| set_custom(&on_action, browser::textarea_value(&e)))
    };
    let on_file = {
        let on_action = p.on_action.clone();
        Callback::from(move |e: Event| {
            let done = on_action.clone();
            let read = browser::read_file(&e, matrix_toml::MAX_TOML_BYTES, move |_, bytes| {
                set_custom(&done, String::from_utf8_lossy(&bytes).into_owned())
            });
            if let Err(e) = read {
                on_action.emit(Action::Alert(boundary::message(&e)));
            }
        })
    };
    let grid = p.matrix.as_ref().map(|m| {
        let index = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        html! {
            <>
            <table class="grid">
                <caption>{ format!("Multipliers of {} v{} (empty or \"not-offered\" = not offered)", m.name, m.version) }</caption>
                <thead><tr><th scope="col">{ "environment \\ use case" }</th>
                    { for m.use_cases.iter().map(|u| html! { <th scope="col">{ u.id.clone() }</th> }) }
                </tr></thead>
                <tbody>
                { for m.environments.iter().enumerate().map(|(ei, env)| html! {
                    <tr><th scope="row">{ env.id.clone() }{ if env.marketplace.is_some() { " (marketplace)" } else { "" } }</th>
                    { for m.use_cases.iter().enumerate().map(|(ui, uc)| {
                        let key = format!("mul-{}-{}", env.id, uc.id);
                        let cell = GridCell::Multiplier { environment: index(ei), use_case: index(ui) };
                        let value = matrix_toml::grid_text(m, cell);
                        let err = errors.get(&key).cloned();
                        html! { <td class={classes!(err.is_some().then_some("invalid"))}>
                            <input id={key.clone()} aria-label={format!("Multiplier {} / {}", env.id, uc.id)} value={value}
                                aria-invalid={err.is_some().to_string()} oninput={edit_cell(key.clone(), cell)} />
                            if let Some(e) = err { <div class="error" role="alert">{ e }</div> }
                        </td> }
                    }) }
                    </tr>
                }) }
                </tbody>
            </table>
            <table class="grid">
                <caption>{ "Meters and base rates (units per quantity-hour)" }</caption>
                <tbody>
                { for m.meters.iter().enumerate().map(|(mi, meter)| {
                    let key = format!("rate-{}", meter.id);
                    let err = errors.get(&key).cloned();
                    let cell = GridCell::BaseRate { meter: index(mi) };
                    html! { <tr><th scope="row">{ format!("{} ({})", meter.id, meter.unit) }</th>
                        <td><input id={key.clone()} aria-label={format!("Base rate of {}", meter.id)} value={matrix_toml::grid_text(m, cell)}
                            oninput={edit_cell(key.clone(), cell)} />
                        if let Some(e) = err { <div class="error" role="alert">{ e }</div> }</td></tr> }
                }) }
                </tbody>
            </table>
            </>
        }
    });
    html! {
        <section class="matrix" aria-label="Matrix">
            <h2>{ "Price matrix" }</h2>
            { grid.unwrap_or_else(|| html! { <p class="note">{ "The matrix does not parse; fix the TOML below (the error names the line and column)." }</p> }) }
            <div class="field">
                <label for="matrix-file">{ "Load a matrix TOML file" }</label>
                <input id="matrix-file" type="file" accept=".toml,text/plain" onchange={on_file} />
            </div>
            <div class="field">
                <label for="matrix-toml">{ "Matrix TOML (editing makes it a custom matrix)" }</label>
                <textarea id="matrix-toml" rows="18" spellcheck="false" value={p.text.clone()} oninput={on_text} />
            </div>
        </section>
    }
}
