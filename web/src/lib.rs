//! # unitcalc-web
//!
//! The browser bill simulator: a yew app compiled to WebAssembly. Every figure
//! comes from `unitcalc-core`; this crate holds the UI state and its typed
//! actions ([`state`]), the one place where core errors become messages
//! ([`boundary`]), the one module that calls browser APIs ([`browser`]),
//! exports ([`export`]), saved scenarios ([`storage`]), the URL sync and
//! worker hooks ([`hooks`]), the page's Web Worker and its messages
//! ([`worker`]: a second module, loaded on first use, for work the first load
//! should not carry) and small components. Figures are shown with core's
//! `display` (grouping, rounding for display).

pub mod boundary;
pub mod browser;
pub mod components;
pub mod export;
pub mod hooks;
pub mod state;
pub mod storage;
pub mod worker;
pub mod worker_book;

// The allocator of every browser module (page, worker, lab): Talc, smaller
// in the module than Rust's default dlmalloc and faster (single-threaded
// wasm, memory grown on demand).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Matrices bundled with the tool: (name, TOML text), embedded at build time.
pub use unitcalc_core::bundled::BUNDLED;

/// Mounts the app on the document body.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}

/// Mounts the unit-model lab on the document body (its own page and module).
pub fn start_lab() {
    browser::worker_from_lab_page();
    yew::Renderer::<components::lab_app::LabApp>::new().render();
}
