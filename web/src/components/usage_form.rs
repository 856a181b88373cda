//! Usage inputs: the profile generator's controls, or an uploaded CSV.

use std::rc::Rc;

use unitcalc_core::matrix::Matrix;
use unitcalc_core::scenario::{BurstSpec, CellUsageSpec, UsageSpec};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::fields::{action, cell_options, setter, Field, Select};
use crate::boundary;
use crate::state::{CsvUsage, Edit};
use unitcalc_core::usage_csv::MAX_UPLOAD_BYTES;

/// Props of [`UsageForm`].
#[derive(Properties, PartialEq)]
pub struct UsageFormProps {
    /// The profile as typed.
    pub usage: UsageSpec,
    /// Term start, to place a new burst.
    pub term_start: AttrValue,
    /// The parsed matrix, when it parses.
    pub matrix: Option<Rc<Matrix>>,
    /// The uploaded CSV's name, when usage comes from a CSV.
    pub csv: Option<AttrValue>,
    /// Scenario edits.
    pub on_edit: Callback<Edit>,
    /// A CSV was chosen.
    pub on_csv: Callback<Rc<CsvUsage>>,
    /// Back to the profile.
    pub on_clear_csv: Callback<()>,
    /// A file was refused (too large): the message.
    pub on_refused: Callback<String>,
}

/// Reads the first file of a file input as bytes, then emits it; a file
/// larger than `limit` bytes is not read: `refused` gets the message.
pub fn read_file(
    e: &Event,
    limit: usize,
    done: Callback<(String, Vec<u8>)>,
    refused: Callback<String>,
) {
    let input: HtmlInputElement = e.target_unchecked_into();
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let name = file.name();
    // `File.size` is a JS number; a saturating cast, compared by the core.
    if let Err(e) = unitcalc_core::Error::check_size(&name, file.size() as usize, limit) {
        input.set_value("");
        refused.emit(boundary::message(&e));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(buf) = JsFuture::from(file.array_buffer()).await {
            done.emit((name, js_sys::Uint8Array::new(&buf).to_vec()));
        }
    });
}

/// Usage inputs.
#[component]
pub fn UsageForm(p: &UsageFormProps) -> Html {
    let cells = cell_options(p.matrix.as_deref());
    let on_file = {
        let cb = p.on_csv.clone();
        let refused = p.on_refused.clone();
        Callback::from(move |e: Event| {
            let cb = cb.clone();
            read_file(
                &e,
                MAX_UPLOAD_BYTES,
                Callback::from(move |(name, bytes)| cb.emit(Rc::new(CsvUsage { name, bytes }))),
                refused.clone(),
            );
        })
    };
    let clear = {
        let cb = p.on_clear_csv.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let profile = html! {
        <>
        <Field id="seed" label="Noise seed" value={p.usage.seed.clone()} oninput={setter(&p.on_edit, |s, v| s.usage.seed = v)} />
        { for p.usage.cells.iter().enumerate().map(|(k, c)| html! {
            <UsageCell key={k} index={k} cell={c.clone()} options={cells.clone()}
                term_start={p.term_start.clone()} on_edit={p.on_edit.clone()} />
        }) }
        <button type="button" id="add-usage-cell" class="small" onclick={{
            let first = cells.first().map(|(v, _)| v.clone()).unwrap_or_default();
            action(&p.on_edit, move |s| s.usage.cells.push(CellUsageSpec { cell: first.clone(), baseline: "100".into(), ..CellUsageSpec::default() }))
        }}>{ "+ usage cell" }</button>
        </>
    };
    html! {
        <fieldset class="usage">
            <legend>{ "Usage" }</legend>
            <div class="field">
                <label for="usage-csv">{ "Hourly usage CSV (timestamp,meter,environment,use_case,quantity)" }</label>
                <input id="usage-csv" type="file" accept=".csv,text/csv" onchange={on_file} />
            </div>
            if let Some(name) = &p.csv {
                <p class="note">{ format!("Usage from {name}. Uploaded usage stays in this browser and is not put in share links.") }</p>
                <button type="button" onclick={clear}>{ "Use the profile generator instead" }</button>
            } else {
                { profile }
            }
        </fieldset>
    }
}

/// Props of [`UsageCell`]: one cell's controls. Equal props skip the
/// re-render, so editing one cell re-renders only that cell.
#[derive(Properties, PartialEq)]
pub struct UsageCellProps {
    /// Position in the profile.
    pub index: usize,
    /// The cell's controls as typed.
    pub cell: CellUsageSpec,
    /// The offered cells, as select options.
    pub options: Vec<(String, String)>,
    /// Term start, to place a new burst.
    pub term_start: AttrValue,
    /// Scenario edits (a stable callback).
    pub on_edit: Callback<Edit>,
}

/// One usage cell's controls: cell, baseline, growth, seasonality, noise, bursts.
#[component]
pub fn UsageCell(p: &UsageCellProps) -> Html {
    let (k, c) = (p.index, &p.cell);
    let set = |f: fn(&mut CellUsageSpec, String)| {
        setter(&p.on_edit, move |s, v| {
            if let Some(c) = s.usage.cells.get_mut(k) {
                f(c, v)
            }
        })
    };
    let id = |f: &str| AttrValue::from(format!("usage-{k}-{f}"));
    let start = format!("{}T00:00:00Z", p.term_start);
    html! {
        <div class="usage-cell" role="group" aria-label={format!("Usage of cell {}", k + 1)}>
            <Select id={id("cell")} label={format!("Usage cell {}", k + 1)} value={c.cell.clone()} options={p.options.clone()}
                onchange={set(|c, v| c.cell = v)} />
            <div class="row">
                <Field id={id("baseline")} label="Baseline" value={c.baseline.clone()} oninput={set(|c, v| c.baseline = v)} />
                <Field id={id("growth")} label="Monthly growth" value={c.monthly_growth.clone()} oninput={set(|c, v| c.monthly_growth = v)} />
            </div>
            <div class="row">
                <Field id={id("daily")} label="Daily swing" value={c.daily_amplitude.clone()} oninput={set(|c, v| c.daily_amplitude = v)} />
                <Field id={id("weekend")} label="Weekend dip" value={c.weekend_dip.clone()} oninput={set(|c, v| c.weekend_dip = v)} />
                <Field id={id("noise")} label="Noise" value={c.noise.clone()} oninput={set(|c, v| c.noise = v)} />
            </div>
            { for c.bursts.iter().enumerate().map(|(b, burst)| {
                let setb = |f: fn(&mut BurstSpec, String)| setter(&p.on_edit, move |s, v| {
                    if let Some(x) = s.usage.cells.get_mut(k).and_then(|c| c.bursts.get_mut(b)) { f(x, v) }
                });
                html! {
                    <div class="row burst">
                        <Field id={format!("usage-{k}-burst-{b}-start")} label={format!("Burst {} start (UTC hour)", b + 1)}
                            value={burst.start.clone()} oninput={setb(|x, v| x.start = v)} />
                        <Field id={format!("usage-{k}-burst-{b}-hours")} label="Hours" value={burst.hours.clone()} oninput={setb(|x, v| x.hours = v)} />
                        <Field id={format!("usage-{k}-burst-{b}-level")} label="Level" value={burst.level.clone()} oninput={setb(|x, v| x.level = v)} />
                        <button type="button" class="small" aria-label={format!("Remove burst {}", b + 1)}
                            onclick={action(&p.on_edit, move |s| { if let Some(c) = s.usage.cells.get_mut(k) { if b < c.bursts.len() { c.bursts.remove(b); } } })}>{ "×" }</button>
                    </div>
                }
            }) }
            <div class="row buttons">
                <button type="button" id={id("add-burst")} class="small" onclick={action(&p.on_edit, move |s| {
                    if let Some(c) = s.usage.cells.get_mut(k) {
                        c.bursts.push(BurstSpec { start: start.clone(), hours: "24".into(), level: c.baseline.clone() });
                    }
                })}>{ "+ burst" }</button>
                <button type="button" id={id("remove")} class="small" onclick={action(&p.on_edit, move |s| { if k < s.usage.cells.len() { s.usage.cells.remove(k); } })}>{ "Remove cell" }</button>
            </div>
        </div>
    }
}
