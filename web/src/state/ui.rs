//! The page around the figures: the views (the tab list is made from
//! [`View::ALL`]), the questions the page asks before an action that loses
//! work ([`Confirm`]), what the last removal took ([`Undo`]), the matrix's
//! name as shown (`spec-m v1 (edited)`) and saving with what it keeps.

use unitcalc_core::deal::{DealSpec, MatrixChoice, OfferSpec};

use super::AppState;
use crate::storage;

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
    /// A marketplace deal's metering (a deal file with a `[metering]`
    /// plan only: [`AppState::views`]).
    Metering,
}

impl View {
    /// Every view, in the order of the tabs (the tab list is made from
    /// this: a new view is one variant here and one arm in each match below).
    pub const ALL: [View; 5] = [
        View::Bill,
        View::Compare,
        View::Matrix,
        View::Quote,
        View::Metering,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Bill => "Bill",
            View::Compare => "Compare",
            View::Matrix => "Matrix",
            View::Quote => "Quote",
            View::Metering => "Metering",
        }
    }

    /// The tab's element id (`tab-bill`, …).
    pub fn tab_id(self) -> &'static str {
        match self {
            View::Bill => "tab-bill",
            View::Compare => "tab-compare",
            View::Matrix => "tab-matrix",
            View::Quote => "tab-quote",
            View::Metering => "tab-metering",
        }
    }

    /// The view a tab-list key leads to from this one among the tabs shown,
    /// `views` (WAI-ARIA tabs: `ArrowLeft`/`ArrowRight` wrap around,
    /// `Home`/`End` go to the first/last tab); `None` for any other key.
    pub fn after_key(self, key: &str, views: &[View]) -> Option<View> {
        let n = views.len().max(1);
        let i = views.iter().position(|v| *v == self).unwrap_or(0);
        let j = match key {
            "ArrowRight" => (i + 1) % n,
            "ArrowLeft" => (i + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return None,
        };
        views.get(j).copied()
    }
}

/// A question the page asks before doing something that loses work (an
/// in-page dialog, `#confirm`, answered with [`Action::Answer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Save over the scenario already saved under this name.
    Overwrite(String),
    /// Switch to this matrix, dropping the current matrix's edits.
    SwitchMatrix(MatrixChoice),
}

impl Confirm {
    /// The question, and the label of the button that goes ahead.
    pub fn question(&self, s: &AppState) -> (String, &'static str) {
        match self {
            Confirm::Overwrite(n) => (
                format!("A scenario named “{n}” is already saved in this browser. Replace it?"),
                "Replace",
            ),
            Confirm::SwitchMatrix(_) => (
                format!(
                    "The matrix {} has edits that are not kept anywhere else: switching drops them \
                     (export Matrix TOML or save the scenario first to keep them). Switch anyway?",
                    s.matrix_label().unwrap_or_default()
                ),
                "Switch",
            ),
        }
    }
}

/// What the last removal took away, for its "Undo" notice.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// An offer removed from position `index`.
    Offer {
        /// Where it was.
        index: usize,
        /// The offer as typed.
        offer: OfferSpec,
    },
    /// A saved scenario deleted from this browser's store.
    Saved {
        /// Its name.
        name: String,
        /// The scenario.
        scenario: DealSpec,
        /// The uploaded usage file it was saved with (not kept), if any.
        csv: Option<String>,
    },
}

impl Undo {
    /// The notice shown with the Undo button.
    pub fn notice(&self) -> String {
        match self {
            Undo::Offer { offer, .. } => format!("Removed offer “{}”.", offer.name),
            Undo::Saved { name, .. } => format!("Deleted saved scenario “{name}”."),
        }
    }
}

/// The page's words about the matrix and saving (the reducer calls these).
impl AppState {
    /// The tabs shown: every view, the Metering view (the last) only while
    /// a deal file with a `[metering]` plan is open.
    pub fn views(&self) -> &'static [View] {
        let n = View::ALL.len() - usize::from(self.metering_file.is_none());
        View::ALL.get(..n).unwrap_or_default()
    }

    /// The matrix's name and version as the page shows them everywhere (the
    /// bills carry it too: the bill view, exports and quote): `spec-m v1`,
    /// or `spec-m v1 (edited)` for a bundled matrix's edited copy.
    pub fn matrix_label(&self) -> Option<String> {
        let m = self.matrix.as_ref()?;
        let edited = if self.matrix_edited { " (edited)" } else { "" };
        Some(format!("{} v{}{edited}", m.name, m.version))
    }

    /// True when switching away from the current matrix would drop work: a
    /// custom matrix that is not a bundled one as shipped.
    pub(super) fn matrix_has_edits(&self) -> bool {
        matches!(self.scenario.matrix, MatrixChoice::Custom(_))
            && (self.matrix_edited
                || self
                    .matrix
                    .as_ref()
                    .is_none_or(|m| unitcalc_core::bundled::text(&m.name).is_none()))
    }

    /// Saves under `name` (already checked), saying what was kept.
    pub(super) fn save(&mut self, name: String) {
        let csv = self.csv.as_ref().map(|c| c.name.clone());
        match storage::save(&name, self.written(), csv.as_deref()) {
            Ok(()) => {
                self.saved = storage::names();
                self.saved_csv = storage::csv_names();
                self.notice = Some(match csv {
                    // Decision (docs/web.md): uploaded usage is not kept with
                    // a saved scenario; the page says so here and on the entry.
                    Some(f) => format!(
                        "Saved “{name}” in this browser, with the usage profile: the uploaded usage ({f}) is not kept. Upload it again after loading."
                    ),
                    None => format!("Saved “{name}” in this browser."),
                });
            }
            Err(e) => self.notice = Some(e),
        }
    }
}
