//! The unit-model lab's state and actions ([`LabState`], its own reducer:
//! the lab is its own page, `lab/index.html`, loaded on demand so the bill
//! simulator's first load stays small): up to three more unit models
//! beside the deal's own matrix (bundled, from a file, or an edited copy),
//! the pair whose differences are shown, the sweep's inputs, and the fit of
//! an uploaded usage history. Every figure comes from the core
//! (`lab::quote_models`, `matrix::diff`, `lab::sweep`, `profile::fit`);
//! these functions only pick the inputs and turn errors into messages.

use std::collections::BTreeMap;
use std::rc::Rc;

use unitcalc_core::deal::{CellUsageSpec, MatrixChoice};
use unitcalc_core::lab::sweep::{self, Parameter, Sweep};
use unitcalc_core::lab::{self, Model, ModelColumn, MAX_MODELS};
use unitcalc_core::matrix::diff::{self, MatrixDiff};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::matrix_toml::{self, GridCell};
use unitcalc_core::offer::OfferKind;
use unitcalc_core::profile::fit::{CellFit, History};
use unitcalc_core::profile::{self, Profile};
use unitcalc_core::scenario::{self, LinkedModel};
use unitcalc_core::time::Term;
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::usage_csv::{CsvRecord, UsageReader};
use unitcalc_core::{bundled, Error};

use yew::Reducible;

use super::lab_book::{BookAction, BookPanel};
use super::{Action, AppState, Computed, CsvUsage};
use crate::{boundary, storage};

/// The lab page's state: the scenario (the bill simulator's state, opened
/// from the share link) and the lab's inputs.
#[derive(Clone)]
pub struct LabState {
    /// The scenario and its pricing.
    pub app: AppState,
    /// The lab's inputs.
    pub lab: Lab,
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            LabAction::App(a) => s.app = (*Rc::new(s.app).reduce(a)).clone(),
            LabAction::OpenSaved(name) => match storage::open_lab(&name) {
                Some(l) => {
                    let book = std::mem::take(&mut s.lab.book);
                    s = from_scenario(l);
                    s.lab.book = book;
                    s.app.notice = Some(format!("Opened “{name}”."));
                }
                None => s.app.notice = Some(format!("“{name}” is no longer saved.")),
            },
            a => apply(&mut s.app, &mut s.lab, a),
        }
        Rc::new(s)
    }
}

/// One more unit model beside the deal's matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct LabModel {
    /// The name on its column (editable).
    pub name: String,
    /// The matrix.
    pub matrix: Rc<Matrix>,
    /// An edited copy of the deal's matrix: its grid is shown for editing.
    pub editable: bool,
    /// The bundled matrix it is, by name (links carry it by name; any
    /// other model travels as its TOML).
    pub bundled: Option<String>,
}

/// A text input of the sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepField {
    /// The parameter (`multiplier:azure/hot`, `list-price`, …).
    Parameter,
    /// First value.
    From,
    /// Last value.
    To,
    /// Number of points.
    Steps,
}

/// The lab's inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Lab {
    /// The deal's matrix's column name, when the user renamed it.
    pub first_name: Option<String>,
    /// Models 2 to 4.
    pub models: Vec<LabModel>,
    /// The two models whose differences are shown (0 = the deal's matrix).
    pub diff: (usize, usize),
    /// Sweep inputs as typed: parameter, from, to, steps.
    pub sweep: [String; 4],
    /// A refused file or edit, by the input's id.
    pub errors: BTreeMap<String, String>,
    /// The book panel.
    pub book: BookPanel,
}

impl Default for Lab {
    fn default() -> Lab {
        Lab {
            first_name: None,
            models: Vec::new(),
            diff: (0, 1),
            sweep: [String::new(), "1.00".into(), "1.50".into(), "6".into()],
            errors: BTreeMap::new(),
            book: BookPanel {
                default_offer: Some(0),
                ..BookPanel::default()
            },
        }
    }
}

/// What the user can do in the lab.
#[derive(Debug, Clone, PartialEq)]
pub enum LabAction {
    /// Add a bundled matrix as a model.
    AddBundled(String),
    /// Add a matrix file (name, TOML text) as a model.
    AddFile {
        /// File name.
        name: String,
        /// Its text.
        text: String,
    },
    /// Add a copy of the deal's matrix to edit, named "<name> (edited)".
    AddCopy,
    /// Rename model `i` (0 = the deal's matrix).
    Rename(usize, String),
    /// Remove model `i` (never the deal's matrix, 0).
    Remove(usize),
    /// One grid edit of model `i`'s matrix (an edited copy).
    Edit {
        /// Model index (1 to 3).
        model: usize,
        /// Which value.
        cell: GridCell,
        /// The value as typed.
        text: String,
    },
    /// The diff's old (`false`) or new (`true`) side becomes model `i`.
    PickDiff(bool, usize),
    /// A sweep input.
    SetSweep(SweepField, String),
    /// Make the fitted profile of the uploaded usage the scenario's usage
    /// (continuing the history: the term starts after it).
    UseFitted,
    /// A scenario action (an upload of the usage history).
    App(Action),
    /// A book panel action.
    Book(BookAction),
    /// Save the scenario and its models in this browser under a name.
    Save(String),
    /// Open a saved scenario with the models saved with it.
    OpenSaved(String),
}

/// The id of a model's grid input (the page's input ids).
pub fn grid_id(model: usize, cell: GridCell) -> String {
    match cell {
        GridCell::Multiplier {
            environment,
            use_case,
        } => format!("lab-{model}-mul-{environment}-{use_case}"),
        GridCell::BaseRate { meter } => format!("lab-{model}-rate-{meter}"),
    }
}

/// Applies a lab action to the scenario and the lab's inputs.
fn apply(s: &mut AppState, lab: &mut Lab, a: LabAction) {
    match a {
        LabAction::App(_) | LabAction::OpenSaved(_) => {}
        LabAction::Save(name) => {
            let name = name.trim().to_string();
            let saved = lab_scenario(s, lab);
            let csv = s.csv.as_ref().map(|c| c.name.clone());
            s.notice = Some(if name.is_empty() {
                "Nothing was saved: type a name for the scenario first.".into()
            } else {
                match storage::save_lab(&name, &saved, csv.as_deref()) {
                    Ok(()) => {
                        s.saved = storage::names();
                        s.saved_csv = storage::csv_names();
                        format!("Saved “{name}” with {} models.", saved.models.len() + 1)
                    }
                    Err(e) => e,
                }
            });
        }
        LabAction::Book(b) => lab.book.apply(b),
        LabAction::AddBundled(name) => match bundled::matrix(&name) {
            Ok(m) => push(lab, name.clone(), m, false, Some(name)),
            Err(e) => s.alert = Some(boundary::message(&e)),
        },
        LabAction::AddFile { name, text } => {
            match MatrixChoice::Custom(text)
                .load()
                .map_err(|e| boundary::message(&e))
            {
                Ok(m) => {
                    lab.errors.remove("lab-file");
                    push(lab, name, m, false, None);
                }
                Err(m) => {
                    lab.errors.insert("lab-file".into(), format!("{name}: {m}"));
                }
            }
        }
        LabAction::AddCopy => {
            if let Some(m) = s.matrix.clone() {
                let name = format!("{} (edited)", first_name(lab, &m));
                push(lab, name, (*m).clone(), true, None);
            }
        }
        LabAction::Rename(0, name) => lab.first_name = Some(name),
        LabAction::Rename(i, name) => {
            if let Some(m) = lab.models.get_mut(i - 1) {
                m.name = name;
            }
        }
        LabAction::Remove(i) => {
            if i >= 1 && i <= lab.models.len() {
                lab.models.remove(i - 1);
                let last = lab.models.len();
                lab.diff = (lab.diff.0.min(last), lab.diff.1.min(last));
                lab.errors.retain(|k, _| !k.starts_with("lab-"));
            }
        }
        LabAction::Edit { model, cell, text } => {
            let id = grid_id(model, cell);
            if let Some(m) = model.checked_sub(1).and_then(|i| lab.models.get_mut(i)) {
                match matrix_toml::edit_grid(&m.matrix, cell, &text) {
                    Ok(next) => {
                        m.matrix = Rc::new(next);
                        lab.errors.remove(&id);
                    }
                    Err(e) => {
                        lab.errors.insert(id, boundary::message(&e));
                    }
                }
            }
        }
        LabAction::PickDiff(new, i) => {
            if new {
                lab.diff.1 = i;
            } else {
                lab.diff.0 = i;
            }
        }
        LabAction::SetSweep(f, v) => lab.sweep[f as usize] = v,
        LabAction::UseFitted => {
            let fits = match (&s.csv, &s.matrix) {
                (Some(c), Some(m)) => fit(c, m),
                _ => return,
            };
            match fits.and_then(|f| continuing(&f, s.matrix.as_deref())) {
                Ok((start, cells)) => {
                    s.scenario.term_start = start;
                    s.scenario.usage.cells = cells;
                    s.csv = None;
                    s.recompute();
                    s.notice = Some(
                        "The fitted profile is now the scenario's usage (the uploaded file is set aside)."
                            .into(),
                    );
                }
                Err(m) => s.alert = Some(m),
            }
        }
    }
}

fn push(lab: &mut Lab, name: String, m: Matrix, editable: bool, bundled: Option<String>) {
    if lab.models.len() + 1 < MAX_MODELS {
        lab.models.push(LabModel {
            name,
            matrix: Rc::new(m),
            editable,
            bundled,
        });
        lab.diff = (0, lab.models.len());
    }
}

/// The lab's page opened from its fragment: a lab link (`#lab1.…`, the
/// deal and its extra models) or a deal's share link (`#v1.…`). A model
/// that does not load is left out, with the message in the alert banner.
pub fn open(fragment: &str) -> LabState {
    match scenario::decode_lab_scenario(fragment) {
        Ok(l) if !l.models.is_empty() || l.first.is_some() => from_scenario(l),
        _ => LabState {
            app: AppState::open(fragment),
            lab: Lab::default(),
        },
    }
}

/// The lab with a deal, its first model's name and its extra models (a
/// lab link's, or a saved scenario's). A model that does not load is left
/// out, with the message in the alert banner.
fn from_scenario(l: scenario::LabScenario) -> LabState {
    let scenario::LabScenario {
        deal,
        first,
        models,
    } = l;
    let link = scenario::encode(&deal).unwrap_or_default();
    let mut s = LabState {
        app: AppState::open(&link),
        lab: Lab::default(),
    };
    s.lab.first_name = first;
    for m in models {
        let loaded = match (&m.bundled, m.toml) {
            (Some(b), _) => bundled::matrix(b),
            (None, Some(t)) => MatrixChoice::Custom(t).load(),
            (None, None) => continue,
        };
        match loaded {
            Ok(matrix) => push(&mut s.lab, m.name, matrix, m.edited, m.bundled),
            Err(e) => s.app.alert = Some(format!("Model `{}`: {}", m.name, boundary::message(&e))),
        }
    }
    s
}

/// The lab's link: the deal with the first model's name when the user
/// renamed it and the extra models with theirs (bundled ones by name,
/// others as their TOML); the deal's share link when there are none.
pub fn link(s: &LabState) -> Option<String> {
    scenario::encode_lab_scenario(&lab_scenario(&s.app, &s.lab)).ok()
}

/// The deal as written, the first model's name and the extra models.
fn lab_scenario(app: &AppState, lab: &Lab) -> scenario::LabScenario {
    let models: Vec<LinkedModel> = lab
        .models
        .iter()
        .map(|m| LinkedModel {
            name: m.name.clone(),
            toml: m.bundled.is_none().then(|| matrix_toml::to_toml(&m.matrix)),
            bundled: m.bundled.clone(),
            edited: m.editable,
        })
        .collect();
    scenario::LabScenario {
        deal: app.written().clone(),
        first: lab.first_name.clone(),
        models,
    }
}

/// The deal's matrix's column name: the user's, or `name vVERSION`.
pub fn first_name(lab: &Lab, m: &Matrix) -> String {
    lab.first_name
        .clone()
        .unwrap_or_else(|| format!("{} v{}", m.name, m.version))
}

/// Every model's name and matrix, the deal's first.
pub fn models(lab: &Lab, c: &Computed) -> Vec<(String, Rc<Matrix>)> {
    std::iter::once((first_name(lab, &c.matrix), c.matrix.clone()))
        .chain(
            lab.models
                .iter()
                .map(|m| (m.name.clone(), m.matrix.clone())),
        )
        .collect()
}

/// The grid: every offer under every model (the core's `lab::quote_models`).
pub fn columns(lab: &Lab, c: &Computed) -> Result<Vec<ModelColumn>, String> {
    let all = models(lab, c);
    let ms: Vec<Model<'_>> = all
        .iter()
        .map(|(n, m)| Model { name: n, matrix: m })
        .collect();
    lab::quote_models(&ms, &c.deal.terms, &c.deal.offers, &c.usage)
        .map_err(|e| boundary::message(&e))
}

/// The differences between the two picked models (the core's matrix diff).
pub fn differences(lab: &Lab, c: &Computed) -> Option<Result<MatrixDiff, String>> {
    let all = models(lab, c);
    let (a, b) = (all.get(lab.diff.0)?, all.get(lab.diff.1)?);
    Some(diff::diff(&a.1, &b.1).map_err(|e| boundary::message(&e)))
}

/// The parameters a sweep can move for this deal: the multipliers of the
/// cells it uses, every meter's base rate, the list price, and the
/// tolerance band and grace hours when an offer is fixed capacity.
pub fn parameters(c: &Computed) -> Vec<Parameter> {
    let m = &c.matrix;
    let mut cells: Vec<_> = c.usage.cells().iter().map(|s| s.cell).collect();
    for o in &c.deal.offers {
        if let OfferKind::FixedCapacity(f) = &o.kind {
            cells.extend(f.entitlements.iter().map(|e| e.cell));
        }
    }
    let mut out: Vec<Parameter> = Vec::new();
    for cell in cells {
        let n = m.cell_name(cell);
        let p = Parameter::Multiplier {
            environment: n.environment,
            use_case: n.use_case,
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out.extend(m.meters.iter().map(|x| Parameter::BaseRate {
        meter: x.id.clone(),
    }));
    out.push(Parameter::ListPrice);
    if c.deal
        .offers
        .iter()
        .any(|o| matches!(o.kind, OfferKind::FixedCapacity(_)))
    {
        out.push(Parameter::ToleranceBand);
        out.push(Parameter::GraceHours);
    }
    out
}

/// The sweep's parameter: the one typed, or the deal's first.
pub fn sweep_parameter(lab: &Lab, c: &Computed) -> Result<Parameter, String> {
    match lab.sweep[0].trim() {
        "" => parameters(c)
            .into_iter()
            .next()
            .ok_or_else(|| "nothing to sweep".to_string()),
        p => p.parse(),
    }
}

/// The sweep over the typed range, under the deal's matrix (the core's
/// `lab::sweep`).
pub fn run_sweep(lab: &Lab, c: &Computed) -> Result<Sweep, String> {
    let p = sweep_parameter(lab, c)?;
    let num = |i: usize, what: &str| {
        lab.sweep[i]
            .trim()
            .parse()
            .map_err(|_| format!("sweep {what}: `{}` is not a number", lab.sweep[i].trim()))
    };
    let steps: usize = lab.sweep[3].trim().parse().map_err(|_| {
        format!(
            "sweep points: `{}` is not a whole number",
            lab.sweep[3].trim()
        )
    })?;
    let values =
        sweep::evenly(num(1, "from")?, num(2, "to")?, steps).map_err(|e| boundary::message(&e))?;
    sweep::sweep(
        &c.matrix,
        &c.deal.terms,
        &c.deal.offers,
        &c.usage,
        &p,
        &values,
    )
    .map_err(|e| boundary::message(&e))
}

/// Fits the uploaded usage history per cell (the core's `profile::fit`).
pub fn fit(csv: &CsvUsage, matrix: &Matrix) -> Result<Vec<CellFit>, String> {
    let run = || -> Result<Vec<CellFit>, Error> {
        let mut reader = UsageReader::new(csv.bytes.as_slice(), &csv.name, matrix)?;
        let mut history = History::default();
        let mut rec = CsvRecord::default();
        while reader.next_record(&mut rec)? {
            history
                .push(&rec.customer, rec.hour, rec.cell, rec.quantity)
                .map_err(|source| Error::Overflow {
                    context: csv.name.clone(),
                    source,
                })?;
        }
        history.fit(matrix)
    };
    run().map_err(|e| boundary::message(&e))
}

/// The fitted curve over the history: the fitted profile generated without
/// noise from the history's first day, `days` days long.
pub fn fitted_curve(f: &CellFit) -> Result<UsageSeries, String> {
    let mut cell = f.over_history();
    cell.noise = Default::default();
    let months = u32::try_from(f.days / 28 + 1).unwrap_or(u32::MAX);
    let term = Term::new(f.start, months).map_err(|e| e.to_string())?;
    profile::generate(
        &Profile {
            seed: 1,
            cells: vec![cell],
        },
        &term,
    )
    .map_err(|e| boundary::message(&e))
}

/// The scenario's new term start and usage cells: the fits continued after
/// the history (one customer only).
fn continuing(
    fits: &[CellFit],
    m: Option<&Matrix>,
) -> Result<(String, Vec<CellUsageSpec>), String> {
    let m = m.ok_or_else(|| "the matrix does not parse".to_string())?;
    let first = fits
        .first()
        .ok_or_else(|| "the uploaded usage has no whole day to fit".to_string())?;
    if fits.iter().any(|f| f.customer != first.customer) {
        return Err(
            "the uploaded usage has several customers: upload one customer's usage to use its fit"
                .into(),
        );
    }
    let cells = fits
        .iter()
        .map(|f| {
            let p = f.continuing();
            CellUsageSpec {
                cell: m.cell_name(p.cell).to_string(),
                baseline: p.baseline.to_string(),
                monthly_growth: p.monthly_growth.to_string(),
                daily_amplitude: p.daily_amplitude.to_string(),
                weekend_dip: p.weekend_dip.to_string(),
                noise: p.noise.to_string(),
                bursts: Vec::new(),
            }
        })
        .collect();
    Ok((first.next_start.to_string(), cells))
}

#[cfg(test)]
mod tests;
