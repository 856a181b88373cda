//! The app state and its reducer. Every change goes through [`Action`]; the
//! reducer re-prices the scenario with `unitcalc-core` and keeps the result
//! (or the error message) in [`AppState::outcome`]. Parsed matrices and
//! generated usage are cached, so an offer edit re-prices without
//! regenerating usage.

use std::cell::RefCell;
use std::rc::Rc;

use unitcalc_core::bill::Bill;
use unitcalc_core::compare::{comparison_of, Comparison};
use unitcalc_core::engine::ExcessRun;
use unitcalc_core::kpi::{self, PricePerQuantityMonth};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::num::Quantity;
use unitcalc_core::profile::{CellProfile, Profile};
use unitcalc_core::report::{usage_report, Granularity, ReportRow};
use unitcalc_core::scenario::{MatrixChoice, Resolved, Scenario};
use unitcalc_core::time::Term;
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::{engine, profile, usage_csv, Error};
use yew::Reducible;

use crate::boundary;

/// An edit of the scenario, applied by the reducer.
pub type Edit = Rc<dyn Fn(&mut Scenario)>;

/// Which main view is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The selected offer's bill.
    Bill,
    /// All offers side by side.
    Compare,
    /// The matrix grid.
    Matrix,
    /// The print-friendly quote.
    Quote,
}

/// An uploaded usage CSV (kept in memory only; never put in share links).
#[derive(Debug, PartialEq, Eq)]
pub struct CsvUsage {
    /// File name.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Everything priced for the current scenario.
#[derive(Debug)]
pub struct Computed {
    /// The matrix.
    pub matrix: Rc<Matrix>,
    /// The resolved scenario.
    pub resolved: Resolved,
    /// The usage priced.
    pub usage: Rc<UsageSeries>,
    /// Per offer, the runs of tolerated and charged hours (fixed capacity).
    pub runs: Vec<Rc<Vec<ExcessRun>>>,
    /// Per offer, the effective price per TB-month (when the matrix meters TB).
    pub per_tb_month: Vec<Option<PricePerQuantityMonth>>,
    /// One bill per offer (in `comparison.bills`) and their comparison
    /// against the first.
    pub comparison: Comparison,
    /// Usage by ISO week, per cell, when the ISO-week bars are shown (empty
    /// in month view).
    pub report: Rc<Vec<ReportRow>>,
}

impl Computed {
    /// One bill per offer, in order.
    pub fn bills(&self) -> &[Bill] {
        &self.comparison.bills
    }
}

/// Result of pricing: figures, or the message saying what is wrong.
pub type Outcome = Result<Computed, String>;

#[derive(Default)]
struct Cache {
    matrix: Option<(MatrixChoice, Rc<Matrix>)>,
    usage: Option<(UsageKey, Rc<UsageSeries>)>,
    /// Each profile cell's generated series, so an edit of one cell's
    /// controls regenerates only that cell.
    cells: Vec<(CellKey, Rc<Vec<Quantity>>)>,
    /// Keeps its usage alive, so the pointer comparison cannot see a reused address.
    report: Option<(Rc<UsageSeries>, Granularity, Rc<Vec<ReportRow>>)>,
}

/// What one cell's generated series depends on: seed, position, controls, term.
type CellKey = (u64, usize, CellProfile, Term);

enum UsageKey {
    Profile(Profile, Term),
    /// Holds the upload, so pointer identity is never a reused address.
    Csv(Rc<CsvUsage>, Term),
}

impl PartialEq for UsageKey {
    fn eq(&self, o: &Self) -> bool {
        match (self, o) {
            (UsageKey::Profile(p, t), UsageKey::Profile(q, u)) => p == q && t == u,
            (UsageKey::Csv(a, t), UsageKey::Csv(b, u)) => Rc::ptr_eq(a, b) && t == u,
            _ => false,
        }
    }
}

/// Things the user can do.
pub enum Action {
    /// Change the scenario.
    Edit(Edit),
    /// Replace the scenario (a saved one, or one from a share link).
    Load(Scenario),
    /// Something the user asked for did not happen (a share link that does
    /// not open, a file refused unread): the message, in the alert banner.
    Alert(String),
    /// Hide the alert banner.
    DismissAlert,
    /// Switch view.
    SetView(View),
    /// Month or ISO week bars.
    SetGranularity(Granularity),
    /// Which offer's bill is shown.
    SelectOffer(usize),
    /// Use an uploaded CSV instead of the profile.
    UploadCsv(Rc<CsvUsage>),
    /// Back to the profile generator.
    ClearCsv,
}

/// The whole UI state.
#[derive(Clone)]
pub struct AppState {
    /// The scenario as typed.
    pub scenario: Scenario,
    /// Current view.
    pub view: View,
    /// Chart buckets.
    pub granularity: Granularity,
    /// Selected offer (index into the scenario's offers).
    pub selected: usize,
    /// Uploaded usage, if any.
    pub csv: Option<Rc<CsvUsage>>,
    /// A share link that failed to open, or a refused upload: the banner.
    pub alert: Option<String>,
    /// The parsed matrix, when it parses.
    pub matrix: Option<Rc<Matrix>>,
    /// Pricing result.
    pub outcome: Rc<Outcome>,
    /// Bumped on every recompute (the page exposes it for measurements).
    pub generation: u64,
    /// Milliseconds the last recompute took in the core (exposed for measurements).
    pub compute_ms: String,
    cache: Rc<RefCell<Cache>>,
}

impl PartialEq for AppState {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation && self.view == o.view && self.alert == o.alert
    }
}

impl AppState {
    /// A state for a scenario, priced.
    pub fn new(scenario: Scenario) -> AppState {
        let mut s = AppState {
            scenario,
            view: View::Bill,
            granularity: Granularity::Month,
            selected: 0,
            csv: None,
            alert: None,
            matrix: None,
            outcome: Rc::new(Err(String::new())),
            generation: 0,
            compute_ms: String::new(),
            cache: Rc::default(),
        };
        s.recompute();
        s
    }

    /// The matrix's TOML text for the current choice.
    pub fn matrix_text(&self) -> Option<&str> {
        self.scenario.matrix.text()
    }

    /// Re-prices the scenario.
    pub fn recompute(&mut self) {
        self.generation += 1;
        if self.selected >= self.scenario.offers.len() {
            self.selected = 0;
        }
        let t0 = now();
        let matrix = self.matrix_cached();
        self.matrix = matrix.as_ref().ok().cloned();
        self.outcome = Rc::new(
            matrix
                .and_then(|m| self.compute(m))
                .map_err(|e| boundary::message(&e)),
        );
        self.compute_ms = elapsed_ms(t0);
    }

    fn matrix_cached(&self) -> Result<Rc<Matrix>, Error> {
        let mut cache = self.cache.borrow_mut();
        Ok(match &cache.matrix {
            Some((choice, m)) if *choice == self.scenario.matrix => m.clone(),
            _ => {
                let m = Rc::new(self.scenario.matrix.load()?);
                cache.matrix = Some((self.scenario.matrix.clone(), m.clone()));
                m
            }
        })
    }

    fn compute(&self, matrix: Rc<Matrix>) -> Result<Computed, Error> {
        let mut cache = self.cache.borrow_mut();
        let resolved = self.scenario.resolve(&matrix)?;
        let term = resolved.terms.term;
        let key = match &self.csv {
            Some(c) => UsageKey::Csv(c.clone(), term),
            None => UsageKey::Profile(resolved.profile.clone(), term),
        };
        let usage = match &cache.usage {
            Some((k, u)) if *k == key => u.clone(),
            _ => {
                let u = Rc::new(match &self.csv {
                    Some(c) => usage_csv::read_usage(&c.bytes, &c.name, &matrix, &term)?,
                    None => generate_cached(&mut cache.cells, &resolved.profile, &term)?,
                });
                cache.usage = Some((key, u.clone()));
                u
            }
        };
        let mut bills = Vec::with_capacity(resolved.offers.len());
        let mut runs = Vec::with_capacity(resolved.offers.len());
        let mut per_tb_month = Vec::with_capacity(resolved.offers.len());
        for o in &resolved.offers {
            let (bill, r) = engine::price_with_excess(&matrix, &resolved.terms, o, &usage)?;
            per_tb_month.push(kpi::price_per_quantity_month(&bill, &matrix, "TB")?);
            bills.push(bill);
            runs.push(Rc::new(r));
        }
        let comparison = comparison_of(bills)?;
        // Only the ISO-week bars read the report (month bars are the bill's
        // periods), so a usage edit in month view does not pay for it.
        let report = match &cache.report {
            _ if self.granularity == Granularity::Month => Rc::default(),
            Some((u, g, r)) if Rc::ptr_eq(u, &usage) && *g == self.granularity => r.clone(),
            _ => {
                let r = Rc::new(usage_report(&matrix, &usage, self.granularity)?);
                cache.report = Some((usage.clone(), self.granularity, r.clone()));
                r
            }
        };
        Ok(Computed {
            matrix,
            resolved,
            usage,
            runs,
            per_tb_month,
            comparison,
            report,
        })
    }
}

/// The profile's usage, regenerating only cells whose inputs changed since
/// the last call (`cells` keeps one entry per cell of the latest profile).
fn generate_cached(
    cells: &mut Vec<(CellKey, Rc<Vec<Quantity>>)>,
    p: &Profile,
    term: &Term,
) -> Result<UsageSeries, Error> {
    profile::validate(p, term)?;
    let mut usage = UsageSeries::new(term);
    let mut kept = Vec::with_capacity(p.cells.len());
    for (index, c) in p.cells.iter().enumerate() {
        let key: CellKey = (p.seed, index, c.clone(), *term);
        let series = match cells.iter().find(|(k, _)| *k == key) {
            Some((_, s)) => s.clone(),
            None => Rc::new(profile::generate_cell(p.seed, index, c, term)?),
        };
        usage.set_series(c.cell, series.as_ref().clone());
        kept.push((key, series));
    }
    *cells = kept;
    Ok(usage)
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(edit) => {
                edit(&mut s.scenario);
                s.recompute();
            }
            Action::Load(scenario) => {
                s.scenario = scenario;
                s.csv = None;
                s.alert = None;
                s.selected = 0;
                s.recompute();
            }
            Action::Alert(m) => s.alert = Some(m),
            Action::DismissAlert => s.alert = None,
            Action::SetView(v) => s.view = v,
            Action::SetGranularity(g) => {
                s.granularity = g;
                s.recompute();
            }
            Action::SelectOffer(i) => {
                s.selected = i;
                s.generation += 1;
            }
            Action::UploadCsv(c) => {
                s.csv = Some(c);
                s.recompute();
            }
            Action::ClearCsv => {
                s.csv = None;
                s.recompute();
            }
        }
        Rc::new(s)
    }
}

/// An `Rc` compared by pointer, for props holding large computed data.
#[derive(Debug)]
pub struct ByPtr<T>(pub Rc<T>);

impl<T> Clone for ByPtr<T> {
    fn clone(&self) -> Self {
        ByPtr(self.0.clone())
    }
}

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

fn now() -> Option<f64> {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
}

/// Milliseconds since `t0`, for the page's own timing figure (never for money).
#[allow(clippy::float_arithmetic)]
fn elapsed_ms(t0: Option<f64>) -> String {
    match (t0, now()) {
        (Some(a), Some(b)) => format!("{:.2}", b - a),
        _ => String::new(),
    }
}
