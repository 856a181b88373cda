//! The Metering view's side of the state: while the view is shown for a
//! deal file with a `[metering]` plan, the page asks its worker
//! ([`crate::worker::metering`]) for the figures of the scenario as it
//! stands; the answer arrives as [`super::Action::MeteringReady`]. The page
//! computes nothing of the metering itself.

use std::rc::Rc;

use unitcalc_core::scenario;

use super::{AppState, View};
use crate::worker::metering::MeteringRequest;

impl AppState {
    /// A new metering request (keyed by the generation) when the Metering
    /// view is shown for a scenario that prices, else none; the previous
    /// answer is dropped either way.
    pub(super) fn refresh_metering(&mut self) {
        self.metered = None;
        self.metering_request = match (&self.metering_file, self.view, self.shown.as_ref()) {
            (Some(file), View::Metering, Ok(_)) => {
                scenario::encode(self.written()).ok().map(|link| {
                    Rc::new(MeteringRequest {
                        key: self.generation,
                        link,
                        file: file.clone(),
                        csv: self.csv.clone(),
                    })
                })
            }
            _ => None,
        };
    }
}
