//! The unit-model lab: the deal's offers under up to four unit models side
//! by side, what changed between two of them, a sensitivity sweep, and the
//! usage profile fitted to an uploaded history. Figures come from the core
//! through `state::lab`; this file only lays them out.

use unitcalc_core::display::grouped;
use unitcalc_core::lab::{self as core_lab, ModelColumn, ModelFigures, Outcome, MAX_MODELS};
use unitcalc_core::matrix::diff;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::matrix_toml::{self, GridCell, MAX_TOML_BYTES};
use unitcalc_core::{bundled, profile::fit};
use yew::prelude::*;

use super::lab_chart::{FitChart, SweepChart};
use crate::state::lab::{self, grid_id, Lab, LabAction, LabState, SweepField};
use crate::state::{Action, Computed};
use crate::{boundary, browser};

/// The whole lab view.
pub fn lab_view(state: &LabState, c: &Computed, on_action: &Callback<LabAction>) -> Html {
    html! {
        <section class="lab" aria-label="Unit-model lab">
            <h2>{ "Unit-model lab" }</h2>
            <LabSections state={state.clone()} on_action={on_action.clone()} />
            { super::lab_book::book_section(state, c, on_action) }
        </section>
    }
}

/// The sections above the book: the lab's state and its actions.
#[derive(Properties)]
pub struct LabSectionsProps {
    /// The lab's state.
    pub state: LabState,
    /// The lab's actions.
    pub on_action: Callback<LabAction>,
}

/// Equal when all but the book's panel is: the book's progress messages
/// (about a hundred a run) re-render the book's section alone, not the
/// grid, the diff, the sweep and the fit (each priced by the core).
impl PartialEq for LabSectionsProps {
    fn eq(&self, o: &Self) -> bool {
        let (a, b) = (&self.state.lab, &o.state.lab);
        self.on_action == o.on_action
            && self.state.app == o.state.app
            && a.first_name == b.first_name
            && a.models == b.models
            && a.diff == b.diff
            && a.sweep == b.sweep
            && a.errors == b.errors
    }
}

/// The models side by side, the diff, the sweep and the fit.
#[component]
fn LabSections(p: &LabSectionsProps) -> Html {
    let Ok(c) = &*p.state.app.shown else {
        return html! {};
    };
    let (l, on_action) = (&p.state.lab, &p.on_action);
    html! {
        <>
            { models_section(l, c, on_action) }
            { diff_section(l, c, on_action) }
            { sweep_section(l, c, on_action) }
            { fit_section(&p.state, on_action) }
        </>
    }
}

fn lab_cb<E: 'static>(
    on_action: &Callback<LabAction>,
    f: impl Fn(E) -> LabAction + 'static,
) -> Callback<E> {
    on_action.reform(f)
}

fn models_section(l: &Lab, c: &Computed, on_action: &Callback<LabAction>) -> Html {
    let names = lab::models(l, c);
    let full = names.len() >= MAX_MODELS;
    let cols = lab::columns(l, c);
    let on_bundled = lab_cb(on_action, |e: Event| {
        LabAction::AddBundled(browser::select_value(&e))
    });
    let on_copy = lab_cb(on_action, |_: MouseEvent| LabAction::AddCopy);
    let on_file = {
        let on_action = on_action.clone();
        Callback::from(move |e: Event| {
            let done = on_action.clone();
            let read = browser::read_file(&e, MAX_TOML_BYTES, move |name, bytes| {
                done.emit(LabAction::AddFile {
                    name,
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                })
            });
            if let Err(e) = read {
                on_action.emit(LabAction::App(Action::Alert(boundary::message(&e))));
            }
        })
    };
    let grid = match &cols {
        Err(m) => html! { <p class="error" role="alert" id="lab-error">{ m.clone() }</p> },
        Ok(cols) => grid(cols, c, on_action),
    };
    let csv = cols.as_ref().ok().map(|cols| core_lab::to_csv(cols));
    html! {
        <section aria-label="Models side by side" id="lab-models">
            <h3>{ "Models side by side" }</h3>
            <p class="hint">{ "The deal's matrix is model 1; every offer is priced under every model over the same usage. Cells are matched by name." }</p>
            <div class="lab-add">
                <label for="lab-add-bundled">{ "Add a bundled matrix" }</label>
                <select id="lab-add-bundled" disabled={full} onchange={on_bundled}>
                    <option value="" selected=true disabled=true>{ "choose…" }</option>
                    { for bundled::BUNDLED.iter().map(|(n, _)| html! { <option value={*n}>{ *n }</option> }) }
                </select>
                <label for="lab-file">{ "or a matrix TOML file" }</label>
                <input id="lab-file" type="file" accept=".toml,text/plain" disabled={full} onchange={on_file} />
                <button type="button" id="lab-add-copy" disabled={full} onclick={on_copy}>{ "Add a copy of the deal's matrix to edit" }</button>
                if let Some(e) = l.errors.get("lab-file") { <p class="error" role="alert">{ e.clone() }</p> }
                if full { <p class="hint">{ format!("At most {MAX_MODELS} models side by side.") }</p> }
            </div>
            { grid }
            if let Some(csv) = csv {
                <button type="button" id="lab-csv" onclick={Callback::from(move |_| browser::download("models.csv", "text/csv", &csv))}>
                    { "Download the grid (CSV)" }</button>
            }
            { for l.models.iter().enumerate().filter(|(_, m)| m.editable).map(|(i, m)| editor(i + 1, &m.name, &m.matrix, l, on_action)) }
        </section>
    }
}

const METRICS: [&str; 7] = [
    "Total",
    "Δ total vs model 1",
    "Net revenue",
    "Δ net revenue vs model 1",
    "Units consumed",
    "Price per unit",
    "Price per TB-month",
];

fn metric(f: &ModelFigures, k: usize) -> Option<String> {
    match k {
        0 => Some(f.total.to_string()),
        1 => f.delta_total.map(|m| m.to_string()),
        2 => Some(f.net_revenue.to_string()),
        3 => f.delta_net_revenue.map(|m| m.to_string()),
        4 => Some(f.units_consumed.to_string()),
        5 => f.effective_price_per_unit.map(|p| p.to_string()),
        _ => f.per_tb_month.as_ref().map(|p| p.price.to_string()),
    }
}

fn grid(cols: &[ModelColumn], c: &Computed, on_action: &Callback<LabAction>) -> Html {
    let currency = c.matrix.currency.code.clone();
    let header = cols.iter().enumerate().map(|(i, col)| {
        let on_name = lab_cb(on_action, move |e: InputEvent| LabAction::Rename(i, browser::input_value(&e)));
        let on_remove = lab_cb(on_action, move |_: MouseEvent| LabAction::Remove(i));
        html! {
            <th scope="col" data-model={i.to_string()}>
                <input id={format!("lab-name-{i}")} aria-label={format!("Name of model {}", i + 1)} value={col.model.clone()} oninput={on_name} />
                <div class="hint">{ col.matrix.clone() }</div>
                if i > 0 { <button type="button" class="small" id={format!("lab-remove-{i}")} onclick={on_remove}>{ "Remove" }</button> }
                if let Outcome::NotPriced(n) = &col.outcome {
                    <div class="error not-offered" id={format!("lab-not-offered-{i}")} data-cell={n.cell.as_ref().map(|c| c.to_string())}>{ n.reason.clone() }</div>
                }
            </th>
        }
    });
    let rows = c.deal.offers.iter().enumerate().flat_map(|(o, offer)| {
        METRICS
            .iter()
            .enumerate()
            .map(move |(k, label)| (o, offer.name.clone(), k, *label))
    });
    html! {
        <table class="grid lab-grid" id="lab-grid">
            <caption>{ format!("Offers × models ({currency})") }</caption>
            <thead><tr><th scope="col">{ "offer" }</th><th scope="col">{ "figure" }</th>{ for header }</tr></thead>
            <tbody>
            { for rows.map(|(o, name, k, label)| html! {
                <tr class={classes!((k == 0).then_some("first"))}>
                    <th scope="row">{ if k == 0 { name } else { String::new() } }</th>
                    <th scope="row">{ label }</th>
                    { for cols.iter().enumerate().map(|(i, col)| match &col.outcome {
                        Outcome::Priced { offers } => {
                            let v = offers.get(o).and_then(|f| metric(f, k));
                            html! { <td class="num" data-model={i.to_string()} data-offer={o.to_string()} data-metric={k.to_string()}
                                data-value={v.clone()}>{ v.map(|v| grouped(&v)).unwrap_or_else(|| "—".into()) }</td> }
                        }
                        Outcome::NotPriced(_) => html! { <td class="not-offered" data-model={i.to_string()}>{ "not offered here" }</td> },
                    }) }
                </tr>
            }) }
            </tbody>
        </table>
    }
}

/// The small grid of an edited copy: multipliers and base rates, each edit
/// checked by the core's `matrix_toml::edit_grid`.
fn editor(i: usize, name: &str, m: &Matrix, l: &Lab, on_action: &Callback<LabAction>) -> Html {
    let index = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
    let input = |cell: GridCell, label: String| {
        let id = grid_id(i, cell);
        let err = l.errors.get(&id).cloned();
        let on = lab_cb(on_action, move |e: InputEvent| LabAction::Edit {
            model: i,
            cell,
            text: browser::input_value(&e),
        });
        html! { <td class={classes!(err.is_some().then_some("invalid"))}>
            <input id={id} aria-label={label} value={matrix_toml::grid_text(m, cell)} aria-invalid={err.is_some().to_string()} oninput={on} />
            if let Some(e) = err { <div class="error" role="alert">{ e }</div> }
        </td> }
    };
    html! {
        <table class="grid lab-editor" id={format!("lab-editor-{i}")}>
            <caption>{ format!("Edit model {}: {name} (empty or \"not-offered\" = not offered)", i + 1) }</caption>
            <thead><tr><th scope="col">{ "environment \\ use case" }</th>
                { for m.use_cases.iter().map(|u| html! { <th scope="col">{ u.id.clone() }</th> }) }</tr></thead>
            <tbody>
            { for m.environments.iter().enumerate().map(|(ei, env)| html! {
                <tr><th scope="row">{ env.id.clone() }</th>
                { for m.use_cases.iter().enumerate().map(|(ui, uc)| input(
                    GridCell::Multiplier { environment: index(ei), use_case: index(ui) },
                    format!("Model {} multiplier {} / {}", i + 1, env.id, uc.id))) }
                </tr>
            }) }
            { for m.meters.iter().enumerate().map(|(mi, meter)| html! {
                <tr><th scope="row">{ format!("base rate of {} ({})", meter.id, meter.unit) }</th>
                { input(GridCell::BaseRate { meter: index(mi) }, format!("Model {} base rate of {}", i + 1, meter.id)) }</tr>
            }) }
            </tbody>
        </table>
    }
}

fn diff_section(l: &Lab, c: &Computed, on_action: &Callback<LabAction>) -> Html {
    let names = lab::models(l, c);
    let pick = |new: bool, id: &'static str, chosen: usize| {
        let on = lab_cb(on_action, move |e: Event| {
            LabAction::PickDiff(new, browser::select_value(&e).parse().unwrap_or(0))
        });
        html! { <select id={id} onchange={on}>
            { for names.iter().enumerate().map(|(i, (n, _))| html! {
                <option value={i.to_string()} selected={i == chosen}>{ format!("{}: {n}", i + 1) }</option> }) }
        </select> }
    };
    let body = match lab::differences(l, c) {
        None => html! { <p class="hint">{ "Add a second model to compare two." }</p> },
        Some(Err(m)) => html! { <p class="error" role="alert">{ m }</p> },
        Some(Ok(d)) if d.differences.is_empty() => {
            html! { <p id="lab-diff-none">{ "The two price books are the same." }</p> }
        }
        Some(Ok(d)) => {
            let csv = diff::to_csv(&d);
            html! {
                <>
                <table class="grid" id="lab-diff">
                    <caption>{ format!("{} → {}", d.old, d.new) }</caption>
                    <thead><tr>{ for ["what", "id", "change", "old", "new", "relative change"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
                    <tbody>
                    { for d.differences.iter().map(|x| html! {
                        <tr data-kind={x.kind} data-id={x.id.clone()}>
                            <td>{ x.kind }</td><td>{ x.id.clone() }</td><td>{ x.change.as_str() }</td>
                            <td class="num">{ x.old.clone() }</td><td class="num">{ x.new.clone() }</td>
                            <td class="num">{ x.relative.map(|r| r.to_string()).unwrap_or_default() }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                <button type="button" id="lab-diff-csv" onclick={Callback::from(move |_| browser::download("matrix-diff.csv", "text/csv", &csv))}>
                    { "Download the differences (CSV)" }</button>
                </>
            }
        }
    };
    html! {
        <section aria-label="What changed between two models" id="lab-diff-section">
            <h3>{ "What changed between two models" }</h3>
            <label for="lab-diff-old">{ "from" }</label>{ pick(false, "lab-diff-old", l.diff.0) }
            <label for="lab-diff-new">{ "to" }</label>{ pick(true, "lab-diff-new", l.diff.1) }
            { body }
        </section>
    }
}

fn sweep_section(l: &Lab, c: &Computed, on_action: &Callback<LabAction>) -> Html {
    let params = lab::parameters(c);
    let chosen = lab::sweep_parameter(l, c).ok();
    let field = |f: SweepField, id: &'static str, label: &'static str| {
        let on = lab_cb(on_action, move |e: InputEvent| {
            LabAction::SetSweep(f, browser::input_value(&e))
        });
        html! { <div class="field"><label for={id}>{ label }</label>
        <input id={id} value={l.sweep[f as usize].clone()} oninput={on} /></div> }
    };
    let on_param = lab_cb(on_action, |e: Event| {
        LabAction::SetSweep(SweepField::Parameter, browser::select_value(&e))
    });
    let body = match lab::run_sweep(l, c) {
        Err(m) => html! { <p class="error" role="alert" id="lab-sweep-error">{ m }</p> },
        Ok(s) => html! {
            <>
            <SweepChart sweep={s.clone()} currency={c.matrix.currency.code.clone()} unit={chosen.as_ref().map(unit_of).unwrap_or_default()} />
            <table class="grid" id="lab-sweep">
                <caption>{ format!("Total contract value against {}", s.parameter) }</caption>
                <thead><tr><th scope="col">{ s.parameter.clone() }</th>
                    { for s.offers.iter().map(|o| html! { <th scope="col">{ o.clone() }</th> }) }</tr></thead>
                <tbody>
                { for s.points.iter().map(|p| {
                    let current = s.current == Some(p.value);
                    html! { <tr class={classes!(current.then_some("current"))} data-current={current.then_some("true")}>
                        <th scope="row">{ p.value.to_string() }{ if current { " (current)" } else { "" } }</th>
                        { for p.totals.iter().map(|t| html! { <td class="num" data-value={t.to_string()}>{ grouped(t) }</td> }) }
                    </tr> }
                }) }
                </tbody>
            </table>
            </>
        },
    };
    html! {
        <section aria-label="Sensitivity sweep" id="lab-sweep-section">
            <h3>{ "Sensitivity sweep" }</h3>
            <div class="field"><label for="lab-sweep-param">{ "parameter" }</label>
            <select id="lab-sweep-param" onchange={on_param}>
                { for params.iter().map(|p| { let v = p.to_string(); html! {
                    <option value={v.clone()} selected={chosen.as_ref() == Some(p)}>{ v }</option> } }) }
            </select></div>
            { field(SweepField::From, "lab-sweep-from", "from") }
            { field(SweepField::To, "lab-sweep-to", "to") }
            { field(SweepField::Steps, "lab-sweep-steps", "points") }
            { body }
        </section>
    }
}

/// The unit of a parameter's values, for the chart's axis.
fn unit_of(p: &unitcalc_core::lab::sweep::Parameter) -> String {
    use unitcalc_core::lab::sweep::Parameter as P;
    match p {
        P::Multiplier { .. } => "× base rate",
        P::BaseRate { .. } => "units per quantity-hour",
        P::ListPrice => "per unit",
        P::ToleranceBand => "fraction of the entitlement",
        P::GraceHours => "hours",
    }
    .to_string()
}

fn fit_section(state: &LabState, on_action: &Callback<LabAction>) -> Html {
    let body = match (&state.app.csv, &state.app.matrix) {
        (Some(csv), Some(m)) => match lab::fit(csv, m) {
            Err(e) => html! { <p class="error" role="alert" id="lab-fit-error">{ e }</p> },
            Ok(fits) => {
                let curve = fits.first().map(|f| {
                    (
                        m.cell_name(f.cell_id).to_string(),
                        lab::fitted_curve(f),
                        f.days,
                    )
                });
                let heads = ["customer", "cell", "first day", "days"]
                    .into_iter()
                    .chain(fit::CSV_COLUMNS.iter().rev().take(7).rev().copied());
                html! {
                    <>
                    <table class="grid" id="lab-fit">
                        <caption>{ format!("Fitted to {}", csv.name) }</caption>
                        <thead><tr>{ for heads.map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                        <tbody>
                        { for fits.iter().map(|f| html! {
                            <tr data-cell={f.cell.to_string()}>
                                <td>{ f.customer.clone() }</td><td>{ f.cell.to_string() }</td><td>{ f.start.to_string() }</td><td class="num">{ f.days }</td>
                                { for f.values().into_iter().map(|v| html! { <td class="num">{ v }</td> }) }
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    { match curve {
                        Some((name, Ok(series), days)) => html! { <FitChart series={std::rc::Rc::new(series)} cell={name} hours={days * 24} /> },
                        Some((_, Err(e), _)) => html! { <p class="error">{ e }</p> },
                        None => html! {},
                    } }
                    <button type="button" id="lab-use-fit" onclick={lab_cb(on_action, |_: MouseEvent| LabAction::UseFitted)}>
                        { "Use the fitted profile as the scenario's usage (continuing after the history)" }</button>
                    </>
                }
            }
        },
        _ => {
            html! { <p class="hint">{ "Upload a usage history CSV above to fit its profile per cell." }</p> }
        }
    };
    html! {
        <section aria-label="Usage from history" id="lab-fit-section">
            <h3>{ "Usage from history" }</h3>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::lab_book::BookAction;
    use crate::state::AppState;
    use std::rc::Rc;
    use unitcalc_core::deal::DealSpec;
    use yew::Reducible;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The book's progress leaves the sections' props equal (no re-render of
    /// the grid, diff, sweep and fit); a model's change does not.
    #[test]
    fn book_progress_does_not_re_render_the_sections() {
        let on_action = Callback::from(|_: LabAction| {});
        let props = |s: &Rc<LabState>| LabSectionsProps {
            state: (**s).clone(),
            on_action: on_action.clone(),
        };
        let start = Rc::new(LabState {
            app: AppState::new(DealSpec::example()),
            lab: Lab::default(),
        });
        let running = start
            .clone()
            .reduce(LabAction::Book(BookAction::Start(1)))
            .reduce(LabAction::Book(BookAction::Progress(1, 4096, 8192)));
        assert!(props(&start) == props(&running));
        let renamed = running.reduce(LabAction::Rename(0, "today".into()));
        assert!(props(&start) != props(&renamed));
    }
}
