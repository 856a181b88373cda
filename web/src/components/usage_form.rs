//! Usage inputs: the profile generator's controls, or an uploaded CSV.

use std::rc::Rc;

use unitcalc_core::deal::{CellUsageSpec, UsageSpec};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::usage_csv::MAX_UPLOAD_BYTES;
use yew::prelude::*;

use super::fields::{action, cell_options, setter, Field, Select};
use crate::state::{Action, BurstField, ByPtr, CsvUsage, Fault, UsageField};
use crate::{boundary, browser};

/// Props of [`UsageForm`].
#[derive(Properties, PartialEq)]
pub struct UsageFormProps {
    /// The profile as typed.
    pub usage: UsageSpec,
    /// The parsed matrix, when it parses (compared by pointer: the page
    /// keeps it while its text is unchanged).
    pub matrix: Option<ByPtr<Matrix>>,
    /// The uploaded CSV's name, when usage comes from a CSV.
    pub csv: Option<AttrValue>,
    /// Deal edits, the CSV chosen (or refused), back to the profile.
    pub on_action: Callback<Action>,
    /// Why the scenario does not price: the input it names shows it.
    #[prop_or_default]
    pub fault: Option<Rc<Fault>>,
    /// The months the uploaded file has no usage for (`2026-05, 2026-06`).
    #[prop_or_default]
    pub months_without_usage: Option<AttrValue>,
}

/// Usage inputs.
#[component]
pub fn UsageForm(p: &UsageFormProps) -> Html {
    let cells = cell_options(p.matrix.as_deref());
    let on_file = {
        let cb = p.on_action.clone();
        Callback::from(move |e: Event| {
            let done = cb.clone();
            let read = browser::read_file(&e, MAX_UPLOAD_BYTES, move |name, bytes| {
                done.emit(Action::UploadCsv(Rc::new(CsvUsage { name, bytes })))
            });
            if let Err(e) = read {
                cb.emit(Action::Alert(boundary::message(&e)));
            }
        })
    };
    let clear = action(&p.on_action, Action::ClearCsv);
    let profile = html! {
        <>
        <Field fault={p.fault.clone()} id="seed" label="Noise seed" value={p.usage.seed.clone()} oninput={setter(&p.on_action, Action::SetSeed)} />
        { for p.usage.cells.iter().enumerate().map(|(k, c)| html! {
            <UsageCell fault={p.fault.clone()} key={k} index={k} cell={c.clone()} options={cells.clone()} on_action={p.on_action.clone()} />
        }) }
        <button type="button" id="add-usage-cell" class="small" onclick={{
            let first = cells.first().map(|(v, _)| v.clone()).unwrap_or_default();
            action(&p.on_action, Action::AddUsageCell { cell: first })
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
                if let Some(months) = &p.months_without_usage {
                    <p class="note warn" id="months-without-usage">{ format!("{name} has no usage at all for {months}: those months are priced as zero usage.") }</p>
                }
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
    /// Deal edits (a stable callback).
    pub on_action: Callback<Action>,
    /// Why the scenario does not price: the input it names shows it.
    #[prop_or_default]
    pub fault: Option<Rc<Fault>>,
}

/// One usage cell's controls: cell, baseline, growth, seasonality, noise, bursts.
#[component]
pub fn UsageCell(p: &UsageCellProps) -> Html {
    let (k, c) = (p.index, &p.cell);
    let set = |field: UsageField| {
        setter(&p.on_action, move |value| Action::SetUsageField {
            cell: k,
            field,
            value,
        })
    };
    let id = |f: &str| AttrValue::from(format!("usage-{k}-{f}"));
    html! {
        <div class="usage-cell" role="group" aria-label={format!("Usage of cell {}", k + 1)}>
            <Select fault={p.fault.clone()} id={id("cell")} label={format!("Usage cell {}", k + 1)} value={c.cell.clone()} options={p.options.clone()}
                onchange={set(UsageField::Cell)} />
            <div class="row">
                <Field fault={p.fault.clone()} id={id("baseline")} label="Baseline" value={c.baseline.clone()} oninput={set(UsageField::Baseline)} />
                <Field fault={p.fault.clone()} id={id("growth")} label="Monthly growth" value={c.monthly_growth.clone()} oninput={set(UsageField::MonthlyGrowth)} />
            </div>
            <div class="row">
                <Field fault={p.fault.clone()} id={id("daily")} label="Daily swing" value={c.daily_amplitude.clone()} oninput={set(UsageField::DailyAmplitude)} />
                <Field fault={p.fault.clone()} id={id("weekend")} label="Weekend dip" value={c.weekend_dip.clone()} oninput={set(UsageField::WeekendDip)} />
                <Field fault={p.fault.clone()} id={id("noise")} label="Noise" value={c.noise.clone()} oninput={set(UsageField::Noise)} />
            </div>
            { for c.bursts.iter().enumerate().map(|(b, burst)| {
                let setb = |field: BurstField| setter(&p.on_action, move |value| Action::SetBurstField {
                    cell: k, burst: b, field, value,
                });
                html! {
                    <div class="row burst">
                        <Field fault={p.fault.clone()} id={format!("usage-{k}-burst-{b}-start")} label={format!("Burst {} start (UTC hour)", b + 1)} hint="YYYY-MM-DD [HH:00]"
                            value={burst.start.clone()} oninput={setb(BurstField::Start)} />
                        <Field fault={p.fault.clone()} id={format!("usage-{k}-burst-{b}-hours")} label="Hours" value={burst.hours.clone()} oninput={setb(BurstField::Hours)} />
                        <Field fault={p.fault.clone()} id={format!("usage-{k}-burst-{b}-level")} label="Level" value={burst.level.clone()} oninput={setb(BurstField::Level)} />
                        <button type="button" class="small" aria-label={format!("Remove burst {}", b + 1)}
                            onclick={action(&p.on_action, Action::RemoveBurst { cell: k, burst: b })}>{ "×" }</button>
                    </div>
                }
            }) }
            <div class="row buttons">
                <button type="button" id={id("add-burst")} class="small" onclick={action(&p.on_action, Action::AddBurst { cell: k })}>{ "+ burst" }</button>
                <button type="button" id={id("remove")} class="small" onclick={action(&p.on_action, Action::RemoveUsageCell(k))}>{ "Remove cell" }</button>
            </div>
        </div>
    }
}
