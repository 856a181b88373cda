//! Share link, named scenarios (localStorage), exports and print.

use yew::prelude::*;

use unitcalc_core::matrix_toml::MAX_TOML_BYTES;

use crate::browser;
use crate::export::ExportKind;

/// Props of [`SharePanel`].
#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    /// The share link (absolute URL), or why there is none.
    pub link: Result<AttrValue, AttrValue>,
    /// Names of saved scenarios.
    pub saved: Vec<String>,
    /// The saved scenarios saved with uploaded usage (not kept): the file's name.
    #[prop_or_default]
    pub saved_csv: std::collections::BTreeMap<String, String>,
    /// A status message (saved, deleted, storage error).
    pub notice: Option<AttrValue>,
    /// True when usage comes from an uploaded CSV.
    pub csv: bool,
    /// True when there is a bill to export.
    pub can_export: bool,
    /// Save under a name.
    pub on_save: Callback<String>,
    /// Load a saved scenario.
    pub on_load: Callback<String>,
    /// Delete a saved scenario.
    pub on_delete: Callback<String>,
    /// Export.
    pub on_export: Callback<ExportKind>,
    /// Prints the quote (with its fingerprints, [`crate::state::Action::Print`]).
    pub on_print: Callback<()>,
    /// The share link copied (`true`) or copying refused.
    pub on_copied: Callback<bool>,
    /// A deal TOML file chosen: its name and text; or the message why it
    /// was refused unread.
    pub on_deal_file: Callback<Result<(String, String), String>>,
}

/// The share, keep and export panel.
#[component]
pub fn SharePanel(p: &SharePanelProps) -> Html {
    let name = use_state(String::new);
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(browser::input_value(&e)))
    };
    let on_submit = {
        let (name, cb) = (name.clone(), p.on_save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The reducer says why an empty name saves nothing.
            cb.emit(name.trim().to_string());
        })
    };
    let export = |k: ExportKind, label: &str, id: &str| {
        let cb = p.on_export.clone();
        html! { <button type="button" id={id.to_string()} disabled={!p.can_export} onclick={Callback::from(move |_| cb.emit(k))}>{ label.to_string() }</button> }
    };
    let print = p.on_print.reform(|_| ());
    let on_copy = {
        let (link, cb) = (p.link.clone(), p.on_copied.clone());
        Callback::from(move |_| {
            if let Ok(l) = &link {
                let cb = cb.clone();
                browser::copy_text(l, move |ok| cb.emit(ok));
            }
        })
    };
    let on_deal_file = {
        let cb = p.on_deal_file.clone();
        Callback::from(move |e: Event| {
            let done = cb.clone();
            let read = browser::read_file(&e, MAX_TOML_BYTES, move |name, bytes| {
                done.emit(Ok((name, String::from_utf8_lossy(&bytes).into_owned())))
            });
            if let Err(err) = read {
                cb.emit(Err(crate::boundary::message(&err)));
            }
        })
    };
    html! {
        <fieldset class="share no-print">
            <legend>{ "Share and keep" }</legend>
            <div class="field">
                <label for="share-link">{ "Share link (the whole scenario is in the part after #)" }</label>
                { match &p.link {
                    Ok(l) => html! {
                        <div class="row">
                            <input id="share-link" readonly=true value={l.clone()} onfocus={Callback::from(|e: FocusEvent| browser::select_all(&e))} />
                            <button type="button" id="copy-link" class="small" onclick={on_copy}>{ "Copy" }</button>
                        </div>
                    },
                    Err(m) => html! { <p class="error" id="share-link">{ m.clone() }</p> },
                } }
                if p.csv { <p class="note" id="csv-not-kept">{ "Uploaded CSV usage is not put in share links or saved scenarios: they carry the usage profile." }</p> }
            </div>
            <form class="row" onsubmit={on_submit}>
                <div class="field">
                    <label for="save-name">{ "Scenario name" }</label>
                    <input id="save-name" value={(*name).clone()} oninput={on_name} autocomplete="off" />
                </div>
                <button type="submit" id="save-scenario">{ "Save in this browser" }</button>
            </form>
            <div class="field">
                <label for="deal-file">{ "Open a deal TOML file (as unitcalc quote reads it)" }</label>
                <input id="deal-file" type="file" accept=".toml,text/plain" onchange={on_deal_file} />
            </div>
            if let Some(n) = &p.notice { <p class="note" role="status">{ n.clone() }</p> }
            if !p.saved.is_empty() {
                <ul class="saved" aria-label="Saved scenarios">
                { for p.saved.iter().map(|n| {
                    let (l, d) = (p.on_load.clone(), p.on_delete.clone());
                    let (n1, n2) = (n.clone(), n.clone());
                    html! { <li><span class="saved-name">{ n.clone() }</span>
                        if let Some(f) = p.saved_csv.get(n) {
                            <span class="saved-csv">{ format!("profile only ({f} not kept)") }</span>
                        }
                        <button type="button" class="small" aria-label={format!("Load {n}")} onclick={Callback::from(move |_| l.emit(n1.clone()))}>{ "Load" }</button>
                        <button type="button" class="small" aria-label={format!("Delete {n}")} onclick={Callback::from(move |_| d.emit(n2.clone()))}>{ "Delete" }</button>
                    </li> }
                }) }
                </ul>
            }
            <div class="row buttons">
                { export(ExportKind::BillCsv, "Bill CSV", "export-csv") }
                { export(ExportKind::BillJson, "Bill JSON", "export-json") }
                { export(ExportKind::DealToml, "Deal TOML", "export-deal") }
                { export(ExportKind::MatrixToml, "Matrix TOML", "export-matrix") }
                <button type="button" id="print" onclick={print}>{ "Print quote" }</button>
            </div>
        </fieldset>
    }
}
