//! The lab's saved scenarios: save the deal with its models in this
//! browser under a name, and reopen a saved one with the models saved with
//! it (`storage::save_lab`, `storage::open_lab`). The simulator lists the
//! same scenarios and opens their deal.

use yew::prelude::*;

use crate::browser;

/// The saved scenarios' names and what the user does with them.
#[derive(Properties, PartialEq)]
pub struct LabSavedProps {
    /// Names of the scenarios saved in this browser.
    pub saved: Vec<String>,
    /// Save under the typed name.
    pub on_save: Callback<String>,
    /// Open the named scenario.
    pub on_open: Callback<String>,
}

/// A name field, the save button and the list of saved scenarios.
#[component]
pub fn LabSaved(p: &LabSavedProps) -> Html {
    let name = use_state(String::new);
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(browser::input_value(&e)))
    };
    let on_submit = {
        let (name, save) = (name.clone(), p.on_save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            save.emit((*name).clone());
        })
    };
    html! {
        <section aria-label="Saved scenarios" id="lab-saved">
            <form class="row" onsubmit={on_submit}>
                <div class="field">
                    <label for="lab-save-name">{ "Scenario name" }</label>
                    <input id="lab-save-name" value={(*name).clone()} oninput={on_name} autocomplete="off" />
                </div>
                <button type="submit" id="lab-save">{ "Save with its models in this browser" }</button>
            </form>
            if !p.saved.is_empty() {
                <ul class="saved" aria-label="Saved scenarios">
                { for p.saved.iter().map(|n| {
                    let (open, n1) = (p.on_open.clone(), n.clone());
                    html! { <li><span class="saved-name">{ n.clone() }</span>
                        <button type="button" class="small" aria-label={format!("Open {n}")} onclick={Callback::from(move |_| open.emit(n1.clone()))}>{ "Open" }</button>
                    </li> }
                }) }
                </ul>
            }
        </section>
    }
}
