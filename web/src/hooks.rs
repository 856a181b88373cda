//! Custom hooks: what the app keeps in step with the browser outside the
//! reducer.

use yew::prelude::*;

use std::rc::Rc;

use crate::browser;
use crate::state::{Action, AppState};
use crate::worker::{decode_answer, EvidenceRequest};

/// Milliseconds between the last change of the scenario and the address
/// bar's update, so typing is not slowed by history updates.
const URL_DELAY_MS: i32 = 300;

/// Keeps the URL fragment in step with the scenario: `fragment` (the
/// scenario's share link, `#v1.…`, when it encodes) is put in the address bar
/// with `history.replaceState` (no request, no history entry) 300 ms after
/// the last change. A link pasted into the address bar of the open page
/// (`hashchange`) is dispatched as [`Action::LoadLink`].
#[hook]
pub fn use_url_sync(fragment: Option<String>, dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with(fragment, |fragment| {
        let pending = fragment
            .clone()
            .map(|f| browser::after(URL_DELAY_MS, move || browser::replace_fragment(&f)));
        move || drop(pending)
    });
    use_effect_with((), move |_| {
        let listener =
            browser::on_hash_change(move |hash| dispatcher.dispatch(Action::LoadLink(hash)));
        move || drop(listener)
    });
}

/// Sends each new evidence request to the page's worker
/// ([`browser::ask_worker`]) and dispatches its answer as
/// [`Action::EvidenceReady`]; the reducer keeps it only if it answers the
/// current request.
#[hook]
pub fn use_worker_evidence(
    request: Option<Rc<EvidenceRequest>>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let key = request.as_ref().map(|r| r.key);
    use_effect_with(key, move |_| {
        if let Some(r) = request {
            browser::ask_worker(
                r.encode(),
                Callback::from(move |bytes: Vec<u8>| {
                    if let Some(a) = decode_answer(&bytes) {
                        dispatcher.dispatch(Action::EvidenceReady(Rc::new(a)));
                    }
                }),
            );
        }
    });
}

/// Sends each new metering request to the page's worker and dispatches its
/// answer as [`Action::MeteringReady`] (kept only if it answers the current
/// request).
#[hook]
pub fn use_worker_metering(
    request: Option<Rc<crate::worker::metering::MeteringRequest>>,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    let key = request.as_ref().map(|r| r.key);
    use_effect_with(key, move |_| {
        if let Some(r) = request {
            browser::ask_worker(
                r.encode(),
                Callback::from(move |bytes: Vec<u8>| {
                    if let Some(a) = crate::worker::metering::decode_metering(&bytes) {
                        dispatcher.dispatch(Action::MeteringReady(Rc::new(a)));
                    }
                }),
            );
        }
    });
}

/// Prints the page each time [`AppState::print_now`] is bumped, and, while a
/// print waits for the quote's fingerprints ([`AppState::printing`]),
/// dispatches [`Action::PrintAnyway`] after [`crate::state::PRINT_WAIT_MS`].
#[hook]
pub fn use_print(print_now: u64, printing: bool, dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with(print_now, |&n| {
        if n > 0 {
            browser::print();
        }
    });
    use_effect_with(printing, move |&waiting| {
        let pending = waiting.then(|| {
            browser::after(crate::state::PRINT_WAIT_MS, move || {
                dispatcher.dispatch(Action::PrintAnyway)
            })
        });
        move || drop(pending)
    });
}

/// Dispatches [`Action::Continue`] in the next browser task while the
/// scenario has offers still to be priced ([`AppState::pending`]); a new
/// state (a key typed meanwhile) cancels it and asks again.
#[hook]
pub fn use_pending_pricing(
    pending: bool,
    generation: u64,
    dispatcher: UseReducerDispatcher<AppState>,
) {
    use_effect_with((pending, generation), move |&(pending, _)| {
        let next =
            pending.then(|| browser::after(0, move || dispatcher.dispatch(Action::Continue)));
        move || drop(next)
    });
}
