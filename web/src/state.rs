//! The app state and its reducer. Every change goes through a typed
//! [`Action`]; the reducer applies it to the scenario (or the view, the
//! saved scenarios, the alert) and re-prices the scenario with
//! `unitcalc-core`, keeping the result (or the error message) in
//! [`AppState::outcome`]. Parsed matrices and generated usage are cached, so
//! an offer edit re-prices without regenerating usage.
//!
//! The reducer's only outside calls are the saved scenarios' store
//! ([`crate::storage`]) and the clock of the page's timing figure; both are
//! stand-ins off the browser, so the unit tests below run natively
//! (`cargo test -p unitcalc-web`) and in the browser.

use std::cell::RefCell;
use std::rc::Rc;

use unitcalc_core::bill::Bill;
use unitcalc_core::compare::{comparison_of, Comparison};
use unitcalc_core::engine::ExcessRun;
use unitcalc_core::kpi::{self, PricePerQuantityMonth};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::num::Quantity;
use unitcalc_core::offer::Payment;
use unitcalc_core::profile::{CellProfile, Profile};
use unitcalc_core::report::{usage_report, Granularity, ReportRow};
use unitcalc_core::scenario::{
    self, BurstSpec, CellUsageSpec, EntitlementSpec, KindSpec, MatrixChoice, OfferSpec, Resolved,
    Scenario, UsageSpec, MAX_OFFERS, VERSION,
};
use unitcalc_core::time::Term;
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::{engine, profile, usage_csv, Error};
use yew::Reducible;

use crate::{boundary, browser, storage};

/// The scenario a fresh page starts with: pay-as-you-go on matrix M.
pub fn default_scenario() -> Scenario {
    Scenario {
        version: VERSION,
        name: "New deal".into(),
        matrix: MatrixChoice::Bundled("spec-m".into()),
        term_start: "2026-01-01".into(),
        term_months: "12".into(),
        channel: "direct".into(),
        offers: vec![OfferSpec {
            name: "Pay-as-you-go".into(),
            kind: KindSpec::PayAsYouGo,
            ..OfferSpec::default()
        }],
        usage: UsageSpec {
            seed: "7".into(),
            cells: vec![CellUsageSpec {
                cell: "capacity/aws/hot".into(),
                baseline: "200".into(),
                monthly_growth: "0.02".into(),
                ..CellUsageSpec::default()
            }],
        },
    }
}

/// Opens a share link fragment (the core decodes, loads and resolves it);
/// an error becomes the banner's message.
pub fn open_link(fragment: &str) -> Result<Scenario, String> {
    scenario::open_link(fragment).map_err(|e| boundary::link_message(&e))
}

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

/// A text field of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferField {
    /// Name shown on bills.
    Name,
    /// Pay-as-you-go discount.
    Discount,
    /// Fixed capacity: monthly fee.
    MonthlyFee,
    /// Fixed capacity: tolerance band.
    Tolerance,
    /// Fixed capacity: grace hours.
    GraceHours,
    /// Overage price per unit (empty: the list price).
    OveragePrice,
    /// Commitment: units committed.
    CommitUnits,
    /// Commitment: price per unit.
    CommitPrice,
}

impl OfferField {
    fn of(self, o: &mut OfferSpec) -> &mut String {
        match self {
            OfferField::Name => &mut o.name,
            OfferField::Discount => &mut o.discount,
            OfferField::MonthlyFee => &mut o.monthly_fee,
            OfferField::Tolerance => &mut o.tolerance,
            OfferField::GraceHours => &mut o.grace_hours,
            OfferField::OveragePrice => &mut o.overage_price,
            OfferField::CommitUnits => &mut o.commit_units,
            OfferField::CommitPrice => &mut o.commit_price,
        }
    }
}

/// A field of an entitlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntitlementField {
    /// `meter/environment/use_case`.
    Cell,
    /// Entitled quantity.
    Quantity,
}

/// A field of one cell's usage profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageField {
    /// `meter/environment/use_case`.
    Cell,
    /// Quantity at the start of the term.
    Baseline,
    /// Compounded growth per month.
    MonthlyGrowth,
    /// Daily swing.
    DailyAmplitude,
    /// Weekend dip.
    WeekendDip,
    /// Noise.
    Noise,
}

impl UsageField {
    fn of(self, c: &mut CellUsageSpec) -> &mut String {
        match self {
            UsageField::Cell => &mut c.cell,
            UsageField::Baseline => &mut c.baseline,
            UsageField::MonthlyGrowth => &mut c.monthly_growth,
            UsageField::DailyAmplitude => &mut c.daily_amplitude,
            UsageField::WeekendDip => &mut c.weekend_dip,
            UsageField::Noise => &mut c.noise,
        }
    }
}

/// A field of a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BurstField {
    /// First hour (RFC 3339).
    Start,
    /// Length in hours.
    Hours,
    /// Level held.
    Level,
}

/// Things the user can do. Values are the text as typed: the core parses
/// them when the scenario is priced. An action naming an offer, cell,
/// entitlement or burst that does not exist changes nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Deal name.
    SetName(String),
    /// Price with this matrix (a bundled one, or custom TOML text).
    SetMatrix(MatrixChoice),
    /// Make the matrix a custom one, starting from the current one's text.
    CustomizeMatrix,
    /// Term start `YYYY-MM-DD`.
    SetTermStart(String),
    /// Term length in months.
    SetTermMonths(String),
    /// `direct` or a marketplace environment id.
    SetChannel(String),
    /// One text field of an offer.
    SetOfferField {
        /// Index of the offer.
        offer: usize,
        /// Which field.
        field: OfferField,
        /// New text.
        value: String,
    },
    /// An offer's kind.
    SetOfferKind {
        /// Index of the offer.
        offer: usize,
        /// New kind.
        kind: KindSpec,
    },
    /// An offer's payment schedule.
    SetPayment {
        /// Index of the offer.
        offer: usize,
        /// New schedule.
        payment: Payment,
    },
    /// A copy of the last offer, named `Offer N` (at most [`MAX_OFFERS`]).
    AddOffer,
    /// Remove an offer (never the last one left).
    RemoveOffer(usize),
    /// A new entitlement of quantity 0 on `cell`.
    AddEntitlement {
        /// Index of the offer.
        offer: usize,
        /// `meter/environment/use_case`.
        cell: String,
    },
    /// One field of an entitlement.
    SetEntitlement {
        /// Index of the offer.
        offer: usize,
        /// Index of the entitlement.
        entitlement: usize,
        /// Which field.
        field: EntitlementField,
        /// New text.
        value: String,
    },
    /// Remove an entitlement.
    RemoveEntitlement {
        /// Index of the offer.
        offer: usize,
        /// Index of the entitlement.
        entitlement: usize,
    },
    /// The profile's noise seed.
    SetSeed(String),
    /// A new usage cell with a baseline of 100 on `cell`.
    AddUsageCell {
        /// `meter/environment/use_case`.
        cell: String,
    },
    /// One field of a usage cell.
    SetUsageField {
        /// Index of the usage cell.
        cell: usize,
        /// Which field.
        field: UsageField,
        /// New text.
        value: String,
    },
    /// Remove a usage cell.
    RemoveUsageCell(usize),
    /// A 24-hour burst at the cell's baseline from the term's first hour.
    AddBurst {
        /// Index of the usage cell.
        cell: usize,
    },
    /// One field of a burst.
    SetBurstField {
        /// Index of the usage cell.
        cell: usize,
        /// Index of the burst.
        burst: usize,
        /// Which field.
        field: BurstField,
        /// New text.
        value: String,
    },
    /// Remove a burst.
    RemoveBurst {
        /// Index of the usage cell.
        cell: usize,
        /// Index of the burst.
        burst: usize,
    },
    /// Use an uploaded CSV instead of the profile.
    UploadCsv(Rc<CsvUsage>),
    /// Back to the profile generator.
    ClearCsv,
    /// Open a share link's fragment (`#v1.…`): its scenario replaces the
    /// current one, or the alert says why it does not open. An empty
    /// fragment (`""` or `"#"`) changes nothing.
    LoadLink(String),
    /// Save the scenario in this browser under a name.
    Save(String),
    /// Replace the scenario by the one saved under a name.
    LoadSaved(String),
    /// Delete the scenario saved under a name.
    DeleteSaved(String),
    /// Which offer's bill is shown.
    SelectOffer(usize),
    /// Switch view.
    SetView(View),
    /// Month or ISO week bars.
    SetGranularity(Granularity),
    /// Something the user asked for did not happen (a file refused unread):
    /// the message, in the alert banner.
    Alert(String),
    /// Hide the alert banner.
    DismissAlert,
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
    /// Names of the scenarios saved in this browser.
    pub saved: Vec<String>,
    /// What the last save, load or delete of a saved scenario did.
    pub notice: Option<String>,
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
        self.generation == o.generation
            && self.view == o.view
            && self.alert == o.alert
            && self.saved == o.saved
            && self.notice == o.notice
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
            saved: Vec::new(),
            notice: None,
            matrix: None,
            outcome: Rc::new(Err(String::new())),
            generation: 0,
            compute_ms: String::new(),
            cache: Rc::default(),
        };
        s.recompute();
        s
    }

    /// The page's first state: the scenario of the share link in `fragment`
    /// (the location's `#…`), or the default one with the alert saying why
    /// the link does not open; and the names of the saved scenarios.
    pub fn open(fragment: &str) -> AppState {
        let (scenario, alert) = match fragment.len() {
            0 | 1 => (default_scenario(), None),
            _ => match open_link(fragment) {
                Ok(s) => (s, None),
                Err(m) => (default_scenario(), Some(m)),
            },
        };
        let mut s = AppState::new(scenario);
        s.alert = alert;
        s.saved = storage::names();
        s
    }

    /// Replaces the scenario (a saved one, or one from a share link).
    fn load(&mut self, scenario: Scenario) {
        self.scenario = scenario;
        self.csv = None;
        self.alert = None;
        self.selected = 0;
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
        let t0 = browser::now_ms();
        let matrix = self.matrix_cached();
        self.matrix = matrix.as_ref().ok().cloned();
        self.outcome = Rc::new(
            matrix
                .and_then(|m| self.compute(m))
                .map_err(|e| boundary::message(&e)),
        );
        self.compute_ms = browser::elapsed_ms(t0);
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

fn offer(s: &mut Scenario, i: usize) -> Option<&mut OfferSpec> {
    s.offers.get_mut(i)
}

fn usage_cell(s: &mut Scenario, i: usize) -> Option<&mut CellUsageSpec> {
    s.usage.cells.get_mut(i)
}

/// Applies a scenario edit; any other action is handed back.
fn edit(s: &mut Scenario, action: Action) -> Option<Action> {
    match action {
        Action::SetName(v) => s.name = v,
        Action::SetMatrix(m) => s.matrix = m,
        Action::CustomizeMatrix => {
            s.matrix = MatrixChoice::Custom(s.matrix.text().unwrap_or_default().to_string())
        }
        Action::SetTermStart(v) => s.term_start = v,
        Action::SetTermMonths(v) => s.term_months = v,
        Action::SetChannel(v) => s.channel = v,
        Action::SetOfferField {
            offer: i,
            field,
            value,
        } => {
            if let Some(o) = offer(s, i) {
                *field.of(o) = value;
            }
        }
        Action::SetOfferKind { offer: i, kind } => {
            if let Some(o) = offer(s, i) {
                o.kind = kind;
            }
        }
        Action::SetPayment { offer: i, payment } => {
            if let Some(o) = offer(s, i) {
                o.payment = payment;
            }
        }
        Action::AddOffer => {
            if s.offers.len() < MAX_OFFERS {
                let mut o = s.offers.last().cloned().unwrap_or_default();
                o.name = format!("Offer {}", s.offers.len() + 1);
                s.offers.push(o);
            }
        }
        Action::RemoveOffer(i) => {
            if s.offers.len() > 1 && i < s.offers.len() {
                s.offers.remove(i);
            }
        }
        Action::AddEntitlement { offer: i, cell } => {
            if let Some(o) = offer(s, i) {
                o.entitlements.push(EntitlementSpec {
                    cell,
                    quantity: "0".into(),
                });
            }
        }
        Action::SetEntitlement {
            offer: i,
            entitlement: k,
            field,
            value,
        } => {
            if let Some(e) = offer(s, i).and_then(|o| o.entitlements.get_mut(k)) {
                match field {
                    EntitlementField::Cell => e.cell = value,
                    EntitlementField::Quantity => e.quantity = value,
                }
            }
        }
        Action::RemoveEntitlement {
            offer: i,
            entitlement: k,
        } => {
            if let Some(o) = offer(s, i).filter(|o| k < o.entitlements.len()) {
                o.entitlements.remove(k);
            }
        }
        Action::SetSeed(v) => s.usage.seed = v,
        Action::AddUsageCell { cell } => s.usage.cells.push(CellUsageSpec {
            cell,
            baseline: "100".into(),
            ..CellUsageSpec::default()
        }),
        Action::SetUsageField { cell, field, value } => {
            if let Some(c) = usage_cell(s, cell) {
                *field.of(c) = value;
            }
        }
        Action::RemoveUsageCell(k) => {
            if k < s.usage.cells.len() {
                s.usage.cells.remove(k);
            }
        }
        Action::AddBurst { cell } => {
            let start = format!("{}T00:00:00Z", s.term_start);
            if let Some(c) = usage_cell(s, cell) {
                c.bursts.push(BurstSpec {
                    start,
                    hours: "24".into(),
                    level: c.baseline.clone(),
                });
            }
        }
        Action::SetBurstField {
            cell,
            burst,
            field,
            value,
        } => {
            if let Some(b) = usage_cell(s, cell).and_then(|c| c.bursts.get_mut(burst)) {
                match field {
                    BurstField::Start => b.start = value,
                    BurstField::Hours => b.hours = value,
                    BurstField::Level => b.level = value,
                }
            }
        }
        Action::RemoveBurst { cell, burst } => {
            if let Some(c) = usage_cell(s, cell).filter(|c| burst < c.bursts.len()) {
                c.bursts.remove(burst);
            }
        }
        other => return Some(other),
    }
    None
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let Some(action) = edit(&mut s.scenario, action) else {
            s.recompute();
            return Rc::new(s);
        };
        match action {
            Action::UploadCsv(c) => {
                s.csv = Some(c);
                s.recompute();
            }
            Action::ClearCsv => {
                s.csv = None;
                s.recompute();
            }
            Action::LoadLink(fragment) => {
                if fragment.len() <= 1 {
                    return self;
                }
                match open_link(&fragment) {
                    Ok(sc) => {
                        s.load(sc);
                        s.recompute();
                    }
                    Err(m) => s.alert = Some(m),
                }
            }
            Action::Save(name) => match storage::save(&name, &s.scenario) {
                Ok(()) => {
                    s.saved = storage::names();
                    s.notice = Some(format!("Saved “{name}” in this browser."));
                }
                Err(e) => s.notice = Some(e),
            },
            Action::LoadSaved(name) => match storage::load_all().remove(&name) {
                Some(sc) => {
                    s.load(sc);
                    s.recompute();
                    s.notice = Some(format!("Loaded “{name}”."));
                }
                None => s.notice = Some(format!("“{name}” is no longer saved.")),
            },
            Action::DeleteSaved(name) => {
                storage::delete(&name);
                s.saved = storage::names();
                s.notice = Some(format!("Deleted “{name}”."));
            }
            Action::SelectOffer(i) => {
                s.selected = i;
                s.generation += 1;
            }
            Action::SetView(v) => s.view = v,
            Action::SetGranularity(g) => {
                s.granularity = g;
                s.recompute();
            }
            Action::Alert(m) => s.alert = Some(m),
            Action::DismissAlert => s.alert = None,
            // Scenario edits were applied above.
            _ => {}
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

#[cfg(test)]
mod tests {
    //! The reducer on plain data: native `#[test]`s (`cargo test -p
    //! unitcalc-web`), and the same tests in the browser under
    //! wasm-bindgen-test (`scripts/test-browser.sh`).

    use super::*;
    use crate::export::{self, ExportKind};
    use unitcalc_core::scenario::{encode, BUNDLED};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    fn example() -> Rc<AppState> {
        Rc::new(AppState::new(Scenario::example()))
    }

    fn apply(s: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
        actions.into_iter().fold(s, |s, a| s.reduce(a))
    }

    /// The priced total of the shown offer's period `k`, or the error message.
    fn period_total(s: &AppState, k: usize) -> Result<String, String> {
        let c = s.outcome.as_ref().as_ref().map_err(Clone::clone)?;
        Ok(c.bills()[s.selected].periods[k].total.to_string())
    }

    fn set_offer(offer: usize, field: OfferField, value: &str) -> Action {
        Action::SetOfferField {
            offer,
            field,
            value: value.into(),
        }
    }

    fn set_usage(field: UsageField, value: &str) -> Action {
        Action::SetUsageField {
            cell: 0,
            field,
            value: value.into(),
        }
    }

    fn set_burst(field: BurstField, value: &str) -> Action {
        Action::SetBurstField {
            cell: 0,
            burst: 0,
            field,
            value: value.into(),
        }
    }

    /// An action, and the change it should make to the scenario.
    type Case = (Action, fn(&mut Scenario));

    /// Each scenario edit, applied to worked example C, against the
    /// scenario it should give.
    #[test]
    fn scenario_edits_table() {
        let cases: Vec<Case> = vec![
            (Action::SetName("Acme".into()), |s| s.name = "Acme".into()),
            (
                Action::SetMatrix(MatrixChoice::Bundled("illustrative".into())),
                |s| s.matrix = MatrixChoice::Bundled("illustrative".into()),
            ),
            (
                Action::SetMatrix(MatrixChoice::Custom("x = 1".into())),
                |s| s.matrix = MatrixChoice::Custom("x = 1".into()),
            ),
            (Action::CustomizeMatrix, |s| {
                s.matrix = MatrixChoice::Custom(BUNDLED[0].1.into())
            }),
            (Action::SetTermStart("2026-04-01".into()), |s| {
                s.term_start = "2026-04-01".into()
            }),
            (Action::SetTermMonths("24".into()), |s| {
                s.term_months = "24".into()
            }),
            (Action::SetChannel("aws".into()), |s| {
                s.channel = "aws".into()
            }),
            (set_offer(0, OfferField::Name, "Big"), |s| {
                s.offers[0].name = "Big".into()
            }),
            (set_offer(0, OfferField::Discount, "0.2"), |s| {
                s.offers[0].discount = "0.2".into()
            }),
            (set_offer(0, OfferField::MonthlyFee, "1.50"), |s| {
                s.offers[0].monthly_fee = "1.50".into()
            }),
            (set_offer(0, OfferField::Tolerance, "0.05"), |s| {
                s.offers[0].tolerance = "0.05".into()
            }),
            (set_offer(0, OfferField::GraceHours, "24"), |s| {
                s.offers[0].grace_hours = "24".into()
            }),
            (set_offer(0, OfferField::OveragePrice, "0.002"), |s| {
                s.offers[0].overage_price = "0.002".into()
            }),
            (set_offer(0, OfferField::CommitUnits, "5"), |s| {
                s.offers[0].commit_units = "5".into()
            }),
            (set_offer(0, OfferField::CommitPrice, "2"), |s| {
                s.offers[0].commit_price = "2".into()
            }),
            (
                Action::SetOfferKind {
                    offer: 0,
                    kind: KindSpec::Commitment,
                },
                |s| s.offers[0].kind = KindSpec::Commitment,
            ),
            (
                Action::SetPayment {
                    offer: 0,
                    payment: Payment::Upfront,
                },
                |s| s.offers[0].payment = Payment::Upfront,
            ),
            (Action::AddOffer, |s| {
                let mut o = s.offers[0].clone();
                o.name = "Offer 2".into();
                s.offers.push(o);
            }),
            (
                Action::AddEntitlement {
                    offer: 0,
                    cell: "capacity/aws/hot".into(),
                },
                |s| {
                    s.offers[0].entitlements.push(EntitlementSpec {
                        cell: "capacity/aws/hot".into(),
                        quantity: "0".into(),
                    })
                },
            ),
            (
                Action::SetEntitlement {
                    offer: 0,
                    entitlement: 0,
                    field: EntitlementField::Cell,
                    value: "capacity/aws/hot".into(),
                },
                |s| s.offers[0].entitlements[0].cell = "capacity/aws/hot".into(),
            ),
            (
                Action::SetEntitlement {
                    offer: 0,
                    entitlement: 0,
                    field: EntitlementField::Quantity,
                    value: "600".into(),
                },
                |s| s.offers[0].entitlements[0].quantity = "600".into(),
            ),
            (
                Action::RemoveEntitlement {
                    offer: 0,
                    entitlement: 0,
                },
                |s| s.offers[0].entitlements.clear(),
            ),
            (Action::SetSeed("9".into()), |s| s.usage.seed = "9".into()),
            (
                Action::AddUsageCell {
                    cell: "capacity/aws/hot".into(),
                },
                |s| {
                    s.usage.cells.push(CellUsageSpec {
                        cell: "capacity/aws/hot".into(),
                        baseline: "100".into(),
                        ..CellUsageSpec::default()
                    })
                },
            ),
            (set_usage(UsageField::Cell, "capacity/aws/hot"), |s| {
                s.usage.cells[0].cell = "capacity/aws/hot".into()
            }),
            (set_usage(UsageField::Baseline, "450"), |s| {
                s.usage.cells[0].baseline = "450".into()
            }),
            (set_usage(UsageField::MonthlyGrowth, "0.01"), |s| {
                s.usage.cells[0].monthly_growth = "0.01".into()
            }),
            (set_usage(UsageField::DailyAmplitude, "0.1"), |s| {
                s.usage.cells[0].daily_amplitude = "0.1".into()
            }),
            (set_usage(UsageField::WeekendDip, "0.2"), |s| {
                s.usage.cells[0].weekend_dip = "0.2".into()
            }),
            (set_usage(UsageField::Noise, "0.03"), |s| {
                s.usage.cells[0].noise = "0.03".into()
            }),
            (Action::RemoveUsageCell(0), |s| s.usage.cells.clear()),
            // A new burst starts at the term's first hour, 24 hours at the baseline.
            (Action::AddBurst { cell: 0 }, |s| {
                s.usage.cells[0].bursts.push(BurstSpec {
                    start: "2026-03-01T00:00:00Z".into(),
                    hours: "24".into(),
                    level: "500".into(),
                })
            }),
            (set_burst(BurstField::Start, "2026-03-11T00:00:00Z"), |s| {
                s.usage.cells[0].bursts[0].start = "2026-03-11T00:00:00Z".into()
            }),
            (set_burst(BurstField::Hours, "10"), |s| {
                s.usage.cells[0].bursts[0].hours = "10".into()
            }),
            (set_burst(BurstField::Level, "520"), |s| {
                s.usage.cells[0].bursts[0].level = "520".into()
            }),
            (Action::RemoveBurst { cell: 0, burst: 0 }, |s| {
                s.usage.cells[0].bursts.clear()
            }),
        ];
        for (action, change) in cases {
            let before = example();
            let mut want = Scenario::example();
            change(&mut want);
            assert_ne!(
                want, before.scenario,
                "{action:?}: the table's change is a change"
            );
            let after = before.clone().reduce(action.clone());
            assert_eq!(after.scenario, want, "{action:?}");
            assert_eq!(
                after.generation,
                before.generation + 1,
                "{action:?} re-prices"
            );
        }
    }

    /// Edits naming what does not exist, and the limits, change nothing.
    #[test]
    fn edits_out_of_range_change_nothing() {
        let four = apply(
            example(),
            [Action::AddOffer, Action::AddOffer, Action::AddOffer],
        );
        assert_eq!(four.scenario.offers.len(), MAX_OFFERS);
        for (start, action) in [
            (example(), Action::RemoveOffer(0)),
            (four.clone(), Action::AddOffer),
            (four.clone(), Action::RemoveOffer(4)),
            (example(), set_offer(1, OfferField::Name, "x")),
            (
                example(),
                Action::SetOfferKind {
                    offer: 1,
                    kind: KindSpec::Commitment,
                },
            ),
            (
                example(),
                Action::SetEntitlement {
                    offer: 0,
                    entitlement: 1,
                    field: EntitlementField::Quantity,
                    value: "1".into(),
                },
            ),
            (
                example(),
                Action::RemoveEntitlement {
                    offer: 0,
                    entitlement: 1,
                },
            ),
            (
                example(),
                Action::AddEntitlement {
                    offer: 2,
                    cell: "capacity/aws/hot".into(),
                },
            ),
            (example(), Action::RemoveUsageCell(1)),
            (
                example(),
                Action::SetUsageField {
                    cell: 1,
                    field: UsageField::Baseline,
                    value: "1".into(),
                },
            ),
            (example(), Action::AddBurst { cell: 1 }),
            (example(), Action::RemoveBurst { cell: 0, burst: 1 }),
            (
                example(),
                Action::SetBurstField {
                    cell: 0,
                    burst: 1,
                    field: BurstField::Hours,
                    value: "1".into(),
                },
            ),
        ] {
            let after = start.clone().reduce(action.clone());
            assert_eq!(after.scenario, start.scenario, "{action:?}");
        }
    }

    #[test]
    fn removing_the_shown_offer_shows_the_first() {
        let s = apply(
            example(),
            [
                Action::AddOffer,
                Action::SelectOffer(1),
                Action::RemoveOffer(1),
            ],
        );
        assert_eq!(s.scenario.offers.len(), 1);
        assert_eq!(s.selected, 0);
        assert!(s.outcome.is_ok());
    }

    /// Edits re-price through the core: worked example C's March total, a
    /// fee edit, and a bad value's message.
    #[test]
    fn edits_reprice() {
        let s = example();
        assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
        let s = s.reduce(set_offer(0, OfferField::MonthlyFee, "40000.50"));
        assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.60"));
        let s = s.reduce(set_offer(0, OfferField::MonthlyFee, "40,000"));
        let err = period_total(&s, 0).unwrap_err();
        assert!(
            err.contains("offer 1 monthly fee") && err.contains("`40,000` is not a decimal number"),
            "{err}"
        );
        assert!(s.matrix.is_some(), "the matrix still parses");
    }

    /// The view actions change the view state only; the ISO-week bars
    /// bring the weekly report.
    #[test]
    fn view_actions() {
        let s = example();
        let gen = s.generation;
        let s = s.reduce(Action::SetView(View::Compare));
        assert_eq!((s.view, s.generation), (View::Compare, gen));
        let s = s.reduce(Action::SelectOffer(0));
        assert_eq!(s.generation, gen + 1);
        let s = s.reduce(Action::SetGranularity(Granularity::IsoWeek));
        let c = s.outcome.as_ref().as_ref().unwrap();
        assert!(c.report.len() >= 52, "{} weekly rows", c.report.len());
        let s = s.reduce(Action::Alert("no".into()));
        assert_eq!(s.alert.as_deref(), Some("no"));
        let s = s.reduce(Action::DismissAlert);
        assert_eq!(s.alert, None);
        assert_eq!(s.scenario, Scenario::example());
    }

    /// An uploaded CSV replaces the profile until cleared: 80 hours at 540
    /// TB from 2026-03-10 charge hours 73–80, March 40,000.60.
    #[test]
    fn csv_upload_and_clear() {
        let mut csv = String::from("timestamp,meter,environment,use_case,quantity\n");
        for h in 0..80 {
            csv.push_str(&format!(
                "2026-03-{:02}T{:02}:00:00Z,capacity,azure,hot,540\n",
                10 + h / 24,
                h % 24
            ));
        }
        let upload = Rc::new(CsvUsage {
            name: "burst.csv".into(),
            bytes: csv.into_bytes(),
        });
        let s = example().reduce(Action::UploadCsv(upload.clone()));
        assert_eq!(s.csv, Some(upload));
        assert_eq!(period_total(&s, 0).as_deref(), Ok("40000.60"));
        let s = s.reduce(Action::ClearCsv);
        assert_eq!(s.csv, None);
        assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
    }

    /// The first state, and links opened in an open page.
    #[test]
    fn share_links() {
        let link = encode(&Scenario::example()).unwrap();
        assert_eq!(AppState::open("").scenario, default_scenario());
        assert_eq!(AppState::open("#").scenario, default_scenario());
        let s = AppState::open(&link);
        assert_eq!(
            (s.scenario.clone(), s.alert.clone()),
            (Scenario::example(), None)
        );
        let s = AppState::open("#v1.AAAA");
        assert_eq!(s.scenario, default_scenario());
        assert!(s
            .alert
            .as_deref()
            .is_some_and(|m| m.starts_with("This share link could not be opened")));

        // A good link replaces the scenario, the upload, the alert and the shown offer.
        let start = apply(
            Rc::new(AppState::open("")),
            [
                Action::AddOffer,
                Action::SelectOffer(1),
                Action::Alert("old".into()),
                Action::UploadCsv(Rc::new(CsvUsage {
                    name: "u.csv".into(),
                    bytes: Vec::new(),
                })),
            ],
        );
        let s = start.clone().reduce(Action::LoadLink(link.clone()));
        assert_eq!(s.scenario, Scenario::example());
        assert_eq!(
            (s.selected, s.csv.is_none(), s.alert.is_none()),
            (0, true, true)
        );
        assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
        // A broken one keeps the scenario and says why.
        let s = s.reduce(Action::LoadLink(link[..link.len() - 30].into()));
        assert_eq!(s.scenario, Scenario::example());
        let m = s.alert.clone().unwrap_or_default();
        assert!(
            m.contains("could not be opened") && m.contains("truncated"),
            "{m}"
        );
        // An empty fragment is no link: nothing happens.
        for empty in ["", "#"] {
            let again = s.clone().reduce(Action::LoadLink(empty.into()));
            assert!(Rc::ptr_eq(&again, &s));
        }
    }

    /// Save, load and delete a named scenario in the browser's store.
    #[test]
    fn saved_scenarios() {
        let name = "state.rs unit test";
        let s = example().reduce(Action::Save(name.into()));
        assert!(s.saved.iter().any(|n| n == name), "{:?}", s.saved);
        assert_eq!(
            s.notice.as_deref(),
            Some("Saved “state.rs unit test” in this browser.")
        );
        let s = apply(
            s,
            [
                Action::SetName("changed".into()),
                Action::Alert("old".into()),
                Action::LoadSaved(name.into()),
            ],
        );
        assert_eq!(s.scenario, Scenario::example());
        assert_eq!(s.alert, None);
        assert_eq!(s.notice.as_deref(), Some("Loaded “state.rs unit test”."));
        // A fresh page lists it.
        assert!(AppState::open("").saved.iter().any(|n| n == name));
        let s = s.reduce(Action::DeleteSaved(name.into()));
        assert!(!s.saved.iter().any(|n| n == name));
        assert_eq!(s.notice.as_deref(), Some("Deleted “state.rs unit test”."));
        let s = apply(
            s,
            [
                Action::SetName("kept".into()),
                Action::LoadSaved(name.into()),
            ],
        );
        assert_eq!(s.scenario.name, "kept");
        assert_eq!(
            s.notice.as_deref(),
            Some("“state.rs unit test” is no longer saved.")
        );
    }

    /// Exports are files of the shown offer's bill, deal and matrix, and
    /// none when the scenario does not price.
    #[test]
    fn export_files() {
        let s = example();
        let csv = export::file(&s, ExportKind::BillCsv).unwrap();
        assert_eq!(
            (csv.name.as_str(), csv.mime),
            ("Example-C-bill.csv", "text/csv")
        );
        assert!(
            csv.text.contains("2026-03,total,,,,,,40002.10"),
            "{}",
            csv.text
        );
        let m = export::file(&s, ExportKind::MatrixToml).unwrap();
        assert_eq!(
            (m.name.as_str(), m.text.as_str()),
            ("matrix.toml", BUNDLED[0].1)
        );
        let bad = s.reduce(Action::SetTermMonths("x".into()));
        assert_eq!(export::file(&bad, ExportKind::DealToml), None);
    }
}
