//! What the user can do: the typed [`Action`]s, the form's field names
//! (the core's [`deal::Field`]s where there is one), and how a deal edit
//! changes the scenario ([`edit`]; the reducer in `state.rs` applies the
//! rest and re-prices).

use std::rc::Rc;

use unitcalc_core::deal::{
    self, BurstSpec, CellUsageSpec, DealSpec, EntitlementSpec, Field, KindSpec, MatrixChoice,
    OfferSpec, MAX_OFFERS,
};
use unitcalc_core::offer::Payment;
use unitcalc_core::report::Granularity;
use unitcalc_core::time::Date;

use super::{CsvUsage, View};

/// A text field of an offer: the core's field names (only the text fields
/// are set by [`Action::SetOfferField`]; the others change nothing).
pub use unitcalc_core::deal::OfferField;

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
    /// The deal's field this is, for usage cell `cell`.
    fn field(self, cell: usize) -> Field {
        use unitcalc_core::deal::UsageField as U;
        let value = |f| Field::UsageValue(cell, f);
        match self {
            UsageField::Cell => Field::UsageCell(cell, deal::CellPart::Whole),
            UsageField::Baseline => value(U::Baseline),
            UsageField::MonthlyGrowth => value(U::MonthlyGrowth),
            UsageField::DailyAmplitude => value(U::DailyAmplitude),
            UsageField::WeekendDip => value(U::WeekendDip),
            UsageField::Noise => value(U::Noise),
        }
    }
}

/// A field of a burst: the core's field names.
pub use unitcalc_core::deal::BurstField;

/// Things the user can do. Values are the text as typed: the core parses
/// them when the scenario is priced. An action naming an offer, cell,
/// entitlement or burst that does not exist changes nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Deal name.
    SetName(String),
    /// Price with this matrix (a bundled one, or custom TOML text).
    SetMatrix(MatrixChoice),
    /// The matrix menu's choice: like [`Action::SetMatrix`], but when the
    /// current matrix has edits that switching would drop, the page asks
    /// first ([`super::Confirm::SwitchMatrix`]).
    ChooseMatrix(MatrixChoice),
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
    /// A new entitlement that prices as it is: on the first usage cell the
    /// offer does not entitle yet, for that cell's baseline; else on `cell`
    /// (the form passes the first offered cell not entitled yet) for 100.
    AddEntitlement {
        /// Index of the offer.
        offer: usize,
        /// `meter/environment/use_case`.
        cell: String,
    },
    /// One field of an entitlement. The first offer's first entitlement is
    /// the usage's default cell: while the first usage cell mirrors it (same
    /// cell, baseline = entitled quantity), the usage cell follows the edit.
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
    /// Use an uploaded CSV instead of the profile. A file that does not
    /// read is not used: the previous usage stays, the alert says why.
    UploadCsv(Rc<CsvUsage>),
    /// Back to the profile generator.
    ClearCsv,
    /// Open a share link's fragment (`#v1.…`): its scenario replaces the
    /// current one, or the alert says why it does not open. An empty
    /// fragment (`""` or `"#"`) changes nothing.
    LoadLink(String),
    /// A deal TOML file, read by the page's worker (the core's deal reader)
    /// into its scenario's share link: the scenario replaces the current one.
    OpenedDeal {
        /// File name, for messages.
        name: String,
        /// The deal's scenario as a share link.
        link: String,
        /// The usage file the deal names, if any.
        csv: Option<String>,
        /// The deal file itself, when it has a `[metering]` plan (kept for
        /// the Metering view while its scenario is open).
        plan: Option<Rc<crate::worker::metering::DealFile>>,
    },
    /// Save the scenario in this browser under a name.
    Save(String),
    /// Replace the scenario by the one saved under a name.
    LoadSaved(String),
    /// Delete the scenario saved under a name.
    DeleteSaved(String),
    /// Which offer's bill is shown.
    SelectOffer(usize),
    /// Show (or hide) each bill line's formula trail and the fingerprints.
    Explain(bool),
    /// The worker's answer to an evidence request.
    EvidenceReady(Rc<crate::worker::EvidenceAnswer>),
    /// The worker's answer to a metering request.
    MeteringReady(Rc<crate::worker::metering::MeteringAnswer>),
    /// Print the quote with its fingerprints: at once when the page has
    /// them, else when the worker answers (or after
    /// [`super::PRINT_WAIT_MS`] without an answer).
    Print,
    /// The wait for the fingerprints is over: print what the page has.
    PrintAnyway,
    /// Switch view.
    SetView(View),
    /// Month or ISO week bars.
    SetGranularity(Granularity),
    /// Something the user asked for did not happen (a file refused unread):
    /// the message, in the alert banner.
    Alert(String),
    /// Hide the alert banner.
    DismissAlert,
    /// The answer to the page's question ([`super::Confirm`]): go ahead
    /// (`true`) or cancel.
    Answer(bool),
    /// Put back what the last removal (an offer, a saved scenario) took.
    Undo,
    /// The share link was put on the clipboard (`true`) or the browser
    /// refused (`false`): the notice says which.
    Copied(bool),
    /// Price the offers still waiting ([`super::AppState::pending`]).
    Continue,
}

/// Sets one text value of the deal, the core's [`DealSpec::text_mut`]; a
/// field that does not exist (or is not one text value) changes nothing.
fn set_text(s: &mut DealSpec, field: Field, value: String) {
    if let Some(slot) = s.text_mut(field) {
        *slot = value;
    }
}

/// The name a new offer of `kind` gets (the page's default names).
pub fn kind_name(kind: KindSpec) -> &'static str {
    match kind {
        KindSpec::PayAsYouGo => "Pay-as-you-go",
        KindSpec::FixedCapacity => "Fixed capacity",
        KindSpec::Commitment => "Commitment",
    }
}

fn offer(s: &mut DealSpec, i: usize) -> Option<&mut OfferSpec> {
    s.offers.get_mut(i)
}

fn usage_cell(s: &mut DealSpec, i: usize) -> Option<&mut CellUsageSpec> {
    s.usage.cells.get_mut(i)
}

/// True when the first usage cell is the first offer's first entitlement:
/// the same cell, at the entitled quantity as its baseline.
fn usage_mirrors_entitlement(s: &DealSpec) -> bool {
    let e = s.offers.first().and_then(|o| o.entitlements.first());
    match (e, s.usage.cells.first()) {
        (Some(e), Some(u)) => {
            e.cell.trim() == u.cell.trim() && e.quantity.trim() == u.baseline.trim()
        }
        _ => false,
    }
}

/// Applies a scenario edit; any other action is handed back.
pub(super) fn edit(s: &mut DealSpec, action: Action) -> Option<Action> {
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
        } => set_text(s, Field::Offer(i, field), value),
        Action::SetOfferKind { offer: i, kind } => {
            if let Some(o) = offer(s, i) {
                // An offer still named after its kind is renamed with it.
                if o.name.trim() == kind_name(o.kind) {
                    o.name = kind_name(kind).to_string();
                }
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
            let usage = &s.usage.cells;
            if let Some(o) = s.offers.get_mut(i) {
                let free = |c: &str| !o.entitlements.iter().any(|e| e.cell.trim() == c.trim());
                let (cell, quantity) = usage
                    .iter()
                    .find(|u| free(&u.cell))
                    .map_or((cell, "100".into()), |u| {
                        (u.cell.clone(), u.baseline.clone())
                    });
                o.entitlements.push(EntitlementSpec { cell, quantity });
            }
        }
        Action::SetEntitlement {
            offer: i,
            entitlement: k,
            field,
            value,
        } => {
            let (part, usage) = match field {
                EntitlementField::Cell => (deal::CellPart::Whole, UsageField::Cell),
                EntitlementField::Quantity => (deal::CellPart::Quantity, UsageField::Baseline),
            };
            if (i, k) == (0, 0) && usage_mirrors_entitlement(s) {
                set_text(s, usage.field(0), value.clone());
            }
            set_text(s, Field::Entitlement(i, k, part), value);
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
        Action::SetUsageField { cell, field, value } => set_text(s, field.field(cell), value),
        Action::RemoveUsageCell(k) => {
            if k < s.usage.cells.len() {
                s.usage.cells.remove(k);
            }
        }
        Action::AddBurst { cell } => {
            // The first hour of the term, when its start reads.
            let start = Date::parse(s.term_start.trim())
                .map(|d| d.start_hour().to_string())
                .unwrap_or_default();
            if let Some(c) = usage_cell(s, cell) {
                c.bursts.push(BurstSpec {
                    start,
                    after_hours: String::new(),
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
        } => set_text(s, Field::Burst(cell, burst, field), value),
        Action::RemoveBurst { cell, burst } => {
            if let Some(c) = usage_cell(s, cell).filter(|c| burst < c.bursts.len()) {
                c.bursts.remove(burst);
            }
        }
        other => return Some(other),
    }
    None
}
