//! The reducer as tables: actions and the scenario or figures each gives,
//! one file per concern (the helpers they share are here). On plain data:
//! native `#[test]`s (`cargo test -p unitcalc-web`), and the same tests in
//! the browser under wasm-bindgen-test (`scripts/test-browser.sh`).

use super::*;
use crate::export::{self, ExportKind};
use unitcalc_core::bundled::BUNDLED;
use unitcalc_core::deal::{BurstSpec, EntitlementSpec, MAX_OFFERS};
use unitcalc_core::offer::Payment;
use unitcalc_core::scenario::encode;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod edits;
mod evidence;
mod files;
mod metering;
mod pricing;
mod ui;

fn example() -> Rc<AppState> {
    Rc::new(AppState::new(DealSpec::example()))
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

/// The March total the views show (the last bill that priced, while the
/// scenario as typed does not).
fn shown_total(s: &AppState) -> Option<String> {
    let c = s.shown.as_ref().as_ref().ok()?;
    Some(c.bills()[s.selected].periods[0].total.to_string())
}

/// A deal file through the page's worker, as the page's callback delivers
/// it: the scenario it opens to, or the alert.
fn open_deal(s: Rc<AppState>, name: &str, text: &str) -> Rc<AppState> {
    let answer = crate::worker::answer(&crate::worker::deal_request(name, text));
    match crate::worker::decode_deal(&answer) {
        Ok((link, csv, plan)) => s.reduce(Action::OpenedDeal {
            name: name.into(),
            link,
            csv,
            plan: plan.then(|| {
                Rc::new(crate::worker::metering::DealFile {
                    name: name.into(),
                    text: text.into(),
                })
            }),
        }),
        Err(m) => s.reduce(Action::Alert(m)),
    }
}
