//! Named scenarios in the browser's localStorage (never sent anywhere).

use std::collections::BTreeMap;

use gloo_storage::{LocalStorage, Storage};
use unitcalc_core::scenario::Scenario;

const KEY: &str = "unitcalc.scenarios.v1";

/// All saved scenarios by name; an unreadable store reads as empty.
pub fn load_all() -> BTreeMap<String, Scenario> {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// Saves a scenario under a name (replacing one of the same name).
pub fn save(name: &str, s: &Scenario) -> Result<(), String> {
    let mut all = load_all();
    all.insert(name.to_string(), s.clone());
    LocalStorage::set(KEY, &all)
        .map_err(|e| format!("could not save in this browser's storage: {e}"))
}

/// Deletes a saved scenario.
pub fn delete(name: &str) {
    let mut all = load_all();
    all.remove(name);
    let _ = LocalStorage::set(KEY, &all);
}
