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
use unitcalc_core::deal::{
    self, CellUsageSpec, Deal, DealSpec, Field, KindSpec, MatrixChoice, OfferSpec, UsageSource,
    UsageSpec,
};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::offer::DealTerms;
use unitcalc_core::quote::{OfferQuote, OfferShares};
use unitcalc_core::report::{usage_report, Granularity, ReportRow};
use unitcalc_core::scenario;
use unitcalc_core::time::Term;
use unitcalc_core::usage::UsageSeries;
use unitcalc_core::{profile, usage_csv, Error};
use yew::Reducible;

use crate::worker::{Evidence, EvidenceRequest};

/// Milliseconds a print waits for the quote's fingerprints from the worker
/// before it prints without them.
pub const PRINT_WAIT_MS: i32 = 5000;
use crate::{boundary, browser, storage};

mod action;
pub mod lab;
pub mod lab_book;
mod metering;
mod pricing;
mod ui;

use action::edit;
pub use action::{Action, BurstField, EntitlementField, OfferField, UsageField};
pub use pricing::SLICE_RECORDS;
use pricing::{Cache, Failed};
pub use ui::{Confirm, Undo, View};

/// The scenario a fresh page starts with: pay-as-you-go on matrix M.
pub fn default_scenario() -> DealSpec {
    DealSpec {
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
        usage_csv: None,
    }
}

/// Opens a share link fragment (the core decodes, loads and resolves it);
/// an error becomes the banner's message.
pub fn open_link(fragment: &str) -> Result<DealSpec, String> {
    scenario::open_link(fragment).map_err(|e| boundary::link_message(&e))
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
    /// The deal, resolved.
    pub deal: Deal,
    /// The usage priced.
    pub usage: Rc<UsageSeries>,
    /// Per offer, its quote: the effective price per TB-month (when the
    /// matrix meters TB) and the runs of tolerated and charged hours (fixed
    /// capacity). Kept from the last pricing for an offer an edit did not
    /// change (same pointer), so its views are not drawn again.
    pub offers: Vec<Rc<OfferQuote>>,
    /// The billing periods (`YYYY-MM`) in which the uploaded usage file has
    /// no record at all (they price as zero usage); empty for the profile.
    pub months_without_usage: Vec<String>,
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

/// Why the scenario as typed does not price: the message, and the id of
/// the form's input at fault when the core names a field the form has an
/// input for (the page shows the message there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The core's message.
    pub message: String,
    /// The element id of the input at fault ([`input_id`]).
    pub input: Option<String>,
}

/// The element id of the form's input for a field of the deal (the ids the
/// forms give their inputs), or `None` when the form has no input of its
/// own for it (the list of offers, an offer as a whole, the matrix).
pub fn input_id(f: Field) -> Option<String> {
    use deal::{BurstField as B, CellPart as C, OfferField as O, UsageField as U};
    Some(match f {
        Field::Name => "deal-name".into(),
        Field::TermStart => "term-start".into(),
        Field::TermMonths => "term-months".into(),
        Field::Channel => "channel".into(),
        Field::UsageSeed => "seed".into(),
        Field::Offer(i, o) => {
            let what = match o {
                O::Name => "name",
                O::Kind => "kind",
                O::Discount => "discount",
                O::MonthlyFee => "fee",
                O::Payment => "payment",
                O::Tolerance => "tolerance",
                O::GraceHours => "grace",
                O::OveragePrice => "overage",
                O::CommitUnits => "units",
                O::CommitPrice => "price",
                O::Whole | O::Entitlements => return None,
            };
            format!("offer-{i}-{what}")
        }
        Field::Entitlement(i, k, C::Quantity) => format!("offer-{i}-ent-{k}-qty"),
        Field::Entitlement(i, k, _) => format!("offer-{i}-ent-{k}-cell"),
        Field::UsageCell(i, _) => format!("usage-{i}-cell"),
        Field::UsageValue(i, u) => {
            let what = match u {
                U::Baseline => "baseline",
                U::MonthlyGrowth => "growth",
                U::DailyAmplitude => "daily",
                U::WeekendDip => "weekend",
                U::Noise => "noise",
            };
            format!("usage-{i}-{what}")
        }
        Field::Burst(i, k, b) => {
            let what = match b {
                B::Hours => "hours",
                B::Level => "level",
                B::Whole | B::Start | B::AfterHours => "start",
            };
            format!("usage-{i}-burst-{k}-{what}")
        }
        Field::Matrix | Field::Offers | Field::Usage | Field::Metering(_) => return None,
    })
}

/// The whole UI state.
#[derive(Clone)]
pub struct AppState {
    /// The scenario as typed.
    pub scenario: DealSpec,
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
    /// Names of saved scenarios saved while usage came from an uploaded
    /// file (the file is not kept with them), and that file's name.
    pub saved_csv: std::collections::BTreeMap<String, String>,
    /// The question asked before an action that loses work.
    pub confirm: Option<Confirm>,
    /// What the last removal took away (the "Undo" notice).
    pub undo: Option<Rc<Undo>>,
    /// True when the matrix is a bundled one's edited copy (same name and
    /// version, other contents): it is named "(edited)" everywhere.
    pub matrix_edited: bool,
    /// The parsed matrix, when it parses.
    pub matrix: Option<Rc<Matrix>>,
    /// Pricing result of the scenario as typed.
    pub outcome: Rc<Outcome>,
    /// What the views show: `outcome` when it prices, else the last
    /// outcome that priced (shown dimmed, with [`AppState::fault`]), or the
    /// error when nothing has priced yet.
    pub shown: Rc<Outcome>,
    /// Why the scenario as typed does not price (`None` when it prices).
    pub fault: Option<Rc<Fault>>,
    /// The scenario with the values typed leniently (`$40,000`, `10 %`)
    /// written as the strict formats read them, when any was: what share
    /// links and saved scenarios hold ([`AppState::written`]).
    written: Option<Rc<DealSpec>>,
    /// True when the bill shows each line's formula trail and the
    /// fingerprints (computed only then, by the page's worker: pricing stays
    /// as fast without, and the first load as small).
    pub explain: bool,
    /// True while a print waits for the quote's fingerprints.
    pub printing: bool,
    /// Bumped when the quote is to be printed now (the page's print effect
    /// watches it).
    pub print_now: u64,
    /// What the worker is asked for the shown bill: its trail, ledger and
    /// fingerprints when `explain`; the deal's fingerprints alone for the
    /// quote (its tab open, or a print asked for).
    pub evidence_request: Option<Rc<EvidenceRequest>>,
    /// The worker's answer to the current request: the trail, ledger and
    /// fingerprints, or the core's message.
    pub evidence: Option<ByPtr<Result<Evidence, String>>>,
    /// The deal file opened, while its scenario is open, when it has a
    /// `[metering]` plan (the Metering view's plan; never in links).
    pub metering_file: Option<Rc<crate::worker::metering::DealFile>>,
    /// What the worker is asked for the Metering view, while it is shown.
    pub metering_request: Option<Rc<crate::worker::metering::MeteringRequest>>,
    /// The worker's answer to the current metering request.
    pub metered: Option<Rc<crate::worker::metering::MeteringAnswer>>,
    /// Bumped on every recompute (the page exposes it for measurements).
    pub generation: u64,
    /// Milliseconds the last recompute took in the core (exposed for measurements).
    pub compute_ms: String,
    /// True while some offers of the scenario as typed are still to be
    /// priced: a large scenario is priced a few offers per browser task
    /// ([`SLICE_RECORDS`]), so typing never waits for all of them at once;
    /// the page then dispatches [`Action::Continue`]. The views show the
    /// last complete pricing meanwhile.
    pub pending: bool,
    /// In the page, [`SLICE_RECORDS`]; `None` prices every offer at once
    /// ([`AppState::new`]).
    slice: Option<usize>,
    cache: Rc<RefCell<Cache>>,
}

impl PartialEq for AppState {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation
            && self.view == o.view
            && self.alert == o.alert
            && self.saved == o.saved
            && self.notice == o.notice
            && self.confirm == o.confirm
            && self.undo.as_ref().map(Rc::as_ptr) == o.undo.as_ref().map(Rc::as_ptr)
            && self.saved_csv == o.saved_csv
    }
}

impl AppState {
    /// A state for a scenario, priced.
    pub fn new(scenario: DealSpec) -> AppState {
        let mut s = AppState {
            scenario,
            view: View::Bill,
            granularity: Granularity::Month,
            selected: 0,
            csv: None,
            alert: None,
            saved: Vec::new(),
            notice: None,
            saved_csv: Default::default(),
            confirm: None,
            undo: None,
            matrix_edited: false,
            matrix: None,
            outcome: Rc::new(Err(String::new())),
            shown: Rc::new(Err(String::new())),
            fault: None,
            written: None,
            explain: false,
            printing: false,
            print_now: 0,
            evidence_request: None,
            evidence: None,
            metering_file: None,
            metering_request: None,
            metered: None,
            generation: 0,
            compute_ms: String::new(),
            pending: false,
            slice: None,
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
        s.slice = Some(SLICE_RECORDS);
        s.alert = alert;
        s.saved = storage::names();
        s.saved_csv = storage::csv_names();
        s
    }

    /// Replaces the scenario (a saved one, or one from a share link).
    fn load(&mut self, scenario: DealSpec) {
        self.scenario = scenario;
        self.undo = None;
        self.confirm = None;
        self.csv = None;
        self.alert = None;
        self.selected = 0;
        self.metering_file = None;
        if self.view == View::Metering {
            self.view = View::Bill;
        }
    }

    /// The scenario as the strict formats read it (share links, saved
    /// scenarios): as typed, with each value the form's lenient reader
    /// rewrote (`$40,000` → `40000`) written strictly.
    pub fn written(&self) -> &DealSpec {
        self.written.as_deref().unwrap_or(&self.scenario)
    }

    /// The matrix's TOML text for the current choice.
    pub fn matrix_text(&self) -> Option<&str> {
        self.scenario.matrix.text()
    }

    /// Re-prices the scenario; gives the message when what failed is reading
    /// the uploaded usage CSV.
    pub fn recompute(&mut self) -> Option<String> {
        let mut refused = None;
        let mut upload = false;
        self.generation += 1;
        if self.selected >= self.scenario.offers.len() {
            self.selected = 0;
        }
        let t0 = browser::now_ms();
        let matrix = self.matrix_cached();
        self.matrix = matrix.as_ref().ok().map(|m| m.0.clone());
        self.matrix_edited = matrix.as_ref().is_ok_and(|m| m.1);
        let matrix = matrix.map(|m| m.0);
        self.written = None;
        self.pending = false;
        match matrix
            .map_err(Failed::from)
            .and_then(|m| self.compute(m, &mut upload))
        {
            Ok(None) => {
                self.pending = true;
                self.fault = None;
            }
            Ok(Some(c)) => {
                self.outcome = Rc::new(Ok(c));
                self.shown = self.outcome.clone();
                self.fault = None;
            }
            Err(Failed(field, e)) => {
                let message = boundary::message(&e);
                if upload {
                    refused = Some(message.clone());
                }
                self.outcome = Rc::new(Err(message.clone()));
                if self.shown.is_err() {
                    self.shown = self.outcome.clone();
                }
                self.fault = Some(Rc::new(Fault {
                    message,
                    input: field.and_then(input_id),
                }));
            }
        }
        self.refresh_evidence();
        self.refresh_metering();
        self.compute_ms = browser::elapsed_ms(t0);
        refused
    }

    /// Asks the worker again for the shown bill's evidence when the trail
    /// is open ([`AppState::explain`]): a new request (keyed by the
    /// generation) whenever the bill or the selected offer changed; its
    /// answer arrives as [`Action::EvidenceReady`].
    fn refresh_evidence(&mut self) {
        self.evidence = None;
        let wanted = self.explain || self.printing || self.view == View::Quote;
        self.evidence_request = match (wanted, self.shown.as_ref()) {
            (true, Ok(_)) => scenario::encode(self.written()).ok().map(|link| {
                Rc::new(EvidenceRequest {
                    key: self.generation,
                    offer: self.selected,
                    trail: self.explain,
                    link,
                    csv: self.csv.clone(),
                })
            }),
            _ => None,
        };
    }

    /// True when the page has the worker's answer to its current request
    /// (the fingerprints, or why not).
    fn has_evidence(&self) -> bool {
        self.evidence_request.is_some() && self.evidence.is_some()
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        // The Undo notice lasts until the next change: looking around (views,
        // the shown offer, copying the link, the alert, a question) keeps it.
        let looking = matches!(
            action,
            Action::SelectOffer(_)
                | Action::SetView(_)
                | Action::SetGranularity(_)
                | Action::Copied(_)
                | Action::Alert(_)
                | Action::DismissAlert
                | Action::Undo
                | Action::Continue
        );
        if !looking {
            s.undo = None;
        }
        let removed = match &action {
            Action::RemoveOffer(i) if s.scenario.offers.len() > 1 => {
                s.scenario.offers.get(*i).map(|o| Undo::Offer {
                    index: *i,
                    offer: o.clone(),
                })
            }
            _ => None,
        };
        let Some(action) = edit(&mut s.scenario, action) else {
            if removed.is_some() {
                s.undo = removed.map(Rc::new);
            }
            s.recompute();
            return Rc::new(s);
        };
        match action {
            Action::UploadCsv(c) => {
                // A file that does not read is not used: the previous usage
                // (an earlier upload or the profile) stays, the alert says why.
                let previous = s.csv.replace(c.clone());
                if let Some(why) = s.recompute() {
                    s.csv = previous;
                    s.recompute();
                    s.alert = Some(boundary::upload_refused(&c.name, &why));
                }
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
            Action::OpenedDeal {
                name,
                link,
                csv,
                plan,
            } => match open_link(&link) {
                Ok(deal) => {
                    s.load(deal);
                    s.metering_file = plan;
                    s.recompute();
                    s.notice = Some(match csv {
                        Some(c) => format!(
                            "Opened {name}. Its usage is in `{c}`: upload that file under Usage."
                        ),
                        None => format!("Opened {name}."),
                    });
                }
                Err(m) => s.alert = Some(m),
            },
            Action::Save(name) => {
                let name = name.trim().to_string();
                if name.is_empty() {
                    s.notice =
                        Some("Nothing was saved: type a name for the scenario first.".to_string());
                } else if s.saved.contains(&name) {
                    s.confirm = Some(Confirm::Overwrite(name));
                } else {
                    s.save(name);
                }
            }
            Action::ChooseMatrix(m) => {
                if m != s.scenario.matrix && s.matrix_has_edits() {
                    s.confirm = Some(Confirm::SwitchMatrix(m));
                } else {
                    s.scenario.matrix = m;
                    s.recompute();
                }
            }
            Action::Answer(yes) => match s.confirm.take() {
                Some(Confirm::Overwrite(name)) if yes => s.save(name),
                Some(Confirm::SwitchMatrix(m)) if yes => {
                    s.scenario.matrix = m;
                    s.recompute();
                }
                _ => {}
            },
            Action::Undo => match s.undo.take().as_deref() {
                Some(Undo::Offer { index, offer })
                    if s.scenario.offers.len() < deal::MAX_OFFERS =>
                {
                    let at = (*index).min(s.scenario.offers.len());
                    s.scenario.offers.insert(at, offer.clone());
                    s.recompute();
                }
                Some(Undo::Saved {
                    name,
                    scenario,
                    csv,
                }) => match storage::save(name, scenario, csv.as_deref()) {
                    Ok(()) => {
                        s.saved = storage::names();
                        s.saved_csv = storage::csv_names();
                        s.notice = Some(format!("Restored “{name}”."));
                    }
                    Err(e) => s.notice = Some(e),
                },
                _ => {}
            },
            Action::LoadSaved(name) => match storage::load_all().remove(&name) {
                Some(sc) => {
                    s.load(sc);
                    s.recompute();
                    s.notice = Some(format!("Loaded “{name}”."));
                }
                None => s.notice = Some(format!("“{name}” is no longer saved.")),
            },
            Action::Copied(ok) => {
                s.notice = Some(
                    if ok {
                        "Share link copied to the clipboard."
                    } else {
                        "The browser did not allow copying: select the link and copy it (Ctrl+C or ⌘C)."
                    }
                    .to_string(),
                );
            }
            Action::DeleteSaved(name) => {
                if let Some(scenario) = storage::load_all().remove(&name) {
                    let csv = s.saved_csv.get(&name).cloned();
                    s.undo = Some(Rc::new(Undo::Saved {
                        name: name.clone(),
                        scenario,
                        csv,
                    }));
                }
                storage::delete(&name);
                s.saved = storage::names();
                s.saved_csv = storage::csv_names();
                s.notice = Some(format!("Deleted “{name}”."));
            }
            Action::SelectOffer(i) => {
                s.selected = i;
                s.generation += 1;
                s.refresh_evidence();
            }
            Action::Explain(on) => {
                s.explain = on;
                s.generation += 1;
                s.refresh_evidence();
            }
            // Only the answer to the current request is kept.
            Action::EvidenceReady(a)
                if s.evidence_request.as_ref().is_some_and(|r| r.key == a.key) =>
            {
                s.evidence = Some(ByPtr(Rc::new(a.result.clone())));
                s.generation += 1;
                if s.printing {
                    s.printing = false;
                    s.print_now += 1;
                }
            }
            Action::Print if s.has_evidence() => s.print_now += 1,
            Action::Print => {
                s.printing = true;
                if s.evidence_request.is_none() {
                    s.generation += 1;
                    s.refresh_evidence();
                }
                // Nothing to wait for (the scenario does not price).
                if s.evidence_request.is_none() {
                    s.printing = false;
                    s.print_now += 1;
                }
            }
            Action::PrintAnyway if s.printing => {
                s.printing = false;
                s.print_now += 1;
            }
            Action::SetView(v) if v != View::Metering || s.metering_file.is_some() => {
                s.view = v;
                // The quote shows the fingerprints: asked for when its tab
                // opens (once per scenario; kept when the tab closes).
                if v == View::Quote && s.evidence_request.is_none() {
                    s.generation += 1;
                    s.refresh_evidence();
                }
                s.refresh_metering();
            }
            // Only the answer to the current request is kept.
            Action::MeteringReady(a)
                if s.metering_request.as_ref().is_some_and(|r| r.key == a.key) =>
            {
                s.metered = Some(a);
                s.generation += 1;
            }
            Action::SetGranularity(g) => {
                s.granularity = g;
                s.recompute();
            }
            Action::Continue if s.pending => {
                s.recompute();
            }
            Action::Alert(m) => s.alert = Some(m),
            Action::DismissAlert => s.alert = None,
            // Deal edits were applied above.
            _ => {}
        }
        Rc::new(s)
    }
}

/// Bill `.1` of a shown outcome, compared by the outcome's pointer and the
/// index: the props of a view of one bill, which neither copy the bill
/// (hundreds of lines over a long term) nor compare it line by line.
#[derive(Debug, Clone)]
pub struct ShownBill(pub Rc<Result<Computed, String>>, pub usize);

impl PartialEq for ShownBill {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0) && self.1 == o.1
    }
}

impl ShownBill {
    /// The bill; `None` when the outcome is an error or has no such bill.
    pub fn get(&self) -> Option<&Bill> {
        self.0.as_ref().as_ref().ok()?.bills().get(self.1)
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

impl<T> std::ops::Deref for ByPtr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests;
