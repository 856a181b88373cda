//! The one module that calls browser APIs (`web_sys`, `js_sys`,
//! `wasm_bindgen`): the page's URL and history, timers, `localStorage`, file
//! reading, downloads, printing, the clock for the page's timing figure, the
//! values of input events, and the page's Web Worker (both sides of
//! `postMessage`). Everything else in the crate calls these
//! small functions.
//!
//! The clock and the store are what the reducer ([`crate::state`]) touches;
//! off the browser (the native unit tests of the reducer) they are stand-ins:
//! no clock, and an in-memory store.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

mod large_file;
pub use large_file::{picked_file, posted_file, FileSlices, PickedFile};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

// ---- URL and history ----

/// The location's fragment, `#` included (empty when there is none).
pub fn location_hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's URL without its fragment.
pub fn base_url() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// Puts `fragment` (`#…`) in the address bar with `history.replaceState`:
/// no request, no history entry. Nothing happens when it is already there.
pub fn replace_fragment(fragment: &str) {
    if location_hash() == fragment {
        return;
    }
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

// ---- focus and keys ----

/// Moves the keyboard focus to the element with this id (the tab the
/// arrow keys chose, the button of a question the page asks).
pub fn focus(id: &str) {
    let el = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// The key of a keyboard event (`ArrowLeft`, `Home`, …); the event's
/// default action is prevented when `handled` says it is used.
pub fn key(e: &KeyboardEvent, handled: impl Fn(&str) -> bool) -> Option<String> {
    let k = e.key();
    handled(&k).then(|| {
        e.prevent_default();
        k
    })
}

/// A `hashchange` listener; dropping it removes it.
pub struct HashListener {
    callback: Closure<dyn Fn()>,
}

/// Calls `f` with the new fragment whenever the location's fragment changes
/// (a link pasted into the address bar of an open page).
pub fn on_hash_change(f: impl Fn(String) + 'static) -> HashListener {
    let callback = Closure::<dyn Fn()>::new(move || f(location_hash()));
    if let Some(w) = window() {
        let _ = w.add_event_listener_with_callback("hashchange", callback.as_ref().unchecked_ref());
    }
    HashListener { callback }
}

impl Drop for HashListener {
    fn drop(&mut self) {
        if let Some(w) = window() {
            let _ = w.remove_event_listener_with_callback(
                "hashchange",
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

// ---- timers ----

/// A pending `setTimeout`; dropping it cancels it.
pub struct Timeout {
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

/// Runs `f` once, `ms` milliseconds from now, unless the returned
/// [`Timeout`] is dropped first.
pub fn after(ms: i32, f: impl FnOnce() + 'static) -> Timeout {
    let callback = Closure::once(f);
    let id = window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.as_ref().unchecked_ref(),
            ms,
        )
        .ok()
    });
    Timeout {
        id,
        _callback: callback,
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(w)) = (self.id, window()) {
            w.clear_timeout_with_handle(id);
        }
    }
}

// ---- clock ----

/// Milliseconds on the page's monotonic clock (`performance.now()`), for
/// the page's own timing figure (never for money); `None` off the browser.
pub fn now_ms() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        window().and_then(|w| w.performance()).map(|p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Milliseconds since `t0` (from [`now_ms`]) with two decimals, or empty.
/// Written from whole hundredths: `format!("{:.2}")` on a float would link
/// the standard library's float formatting (about 4 KB gzipped) for this
/// one figure.
#[allow(
    clippy::float_arithmetic,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub fn elapsed_ms(t0: Option<f64>) -> String {
    match (t0, now_ms()) {
        (Some(a), Some(b)) => {
            // Saturating cast: a negative or NaN difference reads 0.00.
            let c = ((b - a) * 100.0 + 0.5) as u64;
            format!("{}.{:02}", c / 100, c % 100)
        }
        _ => String::new(),
    }
}

/// Today's date (UTC) on the browser's clock, for a quote's default
/// validity; `None` off the browser.
#[allow(clippy::float_arithmetic, clippy::cast_possible_truncation)]
pub fn today() -> Option<unitcalc_core::time::Date> {
    #[cfg(target_arch = "wasm32")]
    {
        let days = (js_sys::Date::now() / 86_400_000.0).floor() as i64;
        unitcalc_core::time::Date::from_days_since_epoch(days)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

// ---- clipboard ----

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`); `done`
/// gets whether the browser took it (it may refuse: no permission, or the
/// page is not a secure context). Off the browser: refused.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(w) = window() else {
            return done(false);
        };
        let promise = w.navigator().clipboard().write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok())
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        done(false)
    }
}

// ---- localStorage ----

/// Why a value could not be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreError {
    /// The browser gives no `localStorage` (disabled, or not a browser).
    Unavailable,
    /// `setItem` failed (storage full or disabled).
    Refused,
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    /// Off the browser: the store's stand-in.
    static STORE: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        std::cell::RefCell::default();
}

/// The `localStorage` item `key`, when there is one and it can be read.
pub fn stored(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        window()?.local_storage().ok()??.get_item(key).ok()?
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        STORE.with(|s| s.borrow().get(key).cloned())
    }
}

/// Writes the `localStorage` item `key`.
pub fn store(key: &str, value: &str) -> Result<(), StoreError> {
    #[cfg(target_arch = "wasm32")]
    {
        window()
            .and_then(|w| w.local_storage().ok()?)
            .ok_or(StoreError::Unavailable)?
            .set_item(key, value)
            .map_err(|_| StoreError::Refused)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        STORE.with(|s| s.borrow_mut().insert(key.to_string(), value.to_string()));
        Ok(())
    }
}

// ---- files ----

/// Reads the first file chosen in the file input that fired `e`, as bytes,
/// then calls `done` with its name and bytes. A file larger than `limit`
/// bytes is not read: the input is cleared and the core's refusal returned.
pub fn read_file(
    e: &Event,
    limit: usize,
    done: impl FnOnce(String, Vec<u8>) + 'static,
) -> Result<(), unitcalc_core::Error> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(());
    };
    let name = file.name();
    // `File.size` is a JS number; a saturating cast, compared by the core.
    if let Err(e) = unitcalc_core::Error::check_size(&name, file.size() as usize, limit) {
        input.set_value("");
        return Err(e);
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            done(name, js_sys::Uint8Array::new(&buf).to_vec());
        }
    });
    Ok(())
}

/// [`read_file`] for every file of a `multiple` input: `done` gets each
/// (name, bytes) as it is read.
pub fn read_files(
    e: &Event,
    limit: usize,
    done: impl Fn(String, Vec<u8>) + Clone + 'static,
) -> Result<(), unitcalc_core::Error> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let Some(files) = input.files() else {
        return Ok(());
    };
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let name = file.name();
        if let Err(e) = unitcalc_core::Error::check_size(&name, file.size() as usize, limit) {
            input.set_value("");
            return Err(e);
        }
        let done = done.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                done(name, js_sys::Uint8Array::new(&buf).to_vec());
            }
        });
    }
    Ok(())
}

/// Offers `text` as a file download (a Blob and an object URL: nothing is
/// sent anywhere).
pub fn download(file_name: &str, mime: &str, text: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc
        .create_element("a")
        .map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(w) = window() {
        let _ = w.print();
    }
}

// ---- input events ----

/// The text of the `<input>` an input event came from.
pub fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The text of the `<textarea>` an input event came from.
pub fn textarea_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// The value of the `<select>` a change event came from.
pub fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// Selects the whole text of the `<input>` that got the focus.
pub fn select_all(e: &FocusEvent) {
    e.target_unchecked_into::<HtmlInputElement>().select();
}

// ---- the page's Web Worker (crate::worker) ----

/// The worker's loader script, as trunk names it (workers keep the bin's
/// name, unhashed, so the page can start them by name).
#[cfg(target_arch = "wasm32")]
const WORKER_SCRIPT: &str = "./unitcalc-worker_loader.js";

/// The worker's loader script from the lab's page (`lab/index.html`): the
/// simulator's own, one folder up.
#[cfg(target_arch = "wasm32")]
const LAB_WORKER_SCRIPT: &str = "../unitcalc-worker_loader.js";

#[cfg(target_arch = "wasm32")]
thread_local! {
    static ON_LAB_PAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The page is the lab's (`lab/index.html`): its worker is the simulator's
/// (one folder up). Called once by the lab's page as it starts.
pub fn worker_from_lab_page() {
    #[cfg(target_arch = "wasm32")]
    ON_LAB_PAGE.with(|c| c.set(true));
}

#[cfg(target_arch = "wasm32")]
struct PageWorker {
    worker: web_sys::Worker,
    ready: bool,
    /// Messages posted before the worker listens.
    queued: Vec<JsValue>,
    /// Who waits for the answer to each message, by its id.
    waiting: std::collections::BTreeMap<u64, Callback<Vec<u8>>>,
    /// Who follows the progress of a message, by its id.
    progress: std::collections::BTreeMap<u64, Callback<(u64, u64)>>,
    next: u64,
    _listener: Closure<dyn Fn(web_sys::MessageEvent)>,
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static WORKER: std::cell::RefCell<Option<PageWorker>> = const { std::cell::RefCell::new(None) };
}

/// Posts `message` to the page's worker, starting it on first use (its
/// module loads then, not with the page); `on_answer` gets the answer to
/// this message (each message is framed with an id, `crate::worker::frame`).
/// Messages posted before the worker listens wait for its `ready`. Off the
/// browser (native unit tests) the worker's own function answers at once.
pub fn ask_worker(message: Vec<u8>, on_answer: Callback<Vec<u8>>) {
    ask_worker_with_progress(message, None, on_answer);
}

/// [`ask_worker`], `on_progress` told (done, total) as the worker posts its
/// progress ([`post_progress`]).
pub fn ask_worker_with_progress(
    message: Vec<u8>,
    on_progress: Option<Callback<(u64, u64)>>,
    on_answer: Callback<Vec<u8>>,
) {
    ask(message, |m| m, on_progress, on_answer);
}

/// [`ask_worker_with_progress`] with a file the user picked posted along
/// (a `File` is a `Blob`: the browser hands the worker a reference, not its
/// bytes); the worker reads it in slices ([`posted_file`]).
pub fn ask_worker_with_file(
    message: Vec<u8>,
    file: &PickedFile,
    on_progress: Option<Callback<(u64, u64)>>,
    on_answer: Callback<Vec<u8>>,
) {
    #[cfg(target_arch = "wasm32")]
    let with = |m: JsValue| -> JsValue { js_sys::Array::of2(&m, &file.file).into() };
    #[cfg(not(target_arch = "wasm32"))]
    let with = |m: JsValue| {
        let _ = file;
        m
    };
    ask(message, with, on_progress, on_answer);
}

/// Posts `message` framed, as `with` makes it the posted value (the page's
/// own: as is; with a file: `[message, file]`). Generic, so the simulator's
/// page (which posts no file) carries no file's code.
fn ask(
    message: Vec<u8>,
    with: impl FnOnce(JsValue) -> JsValue,
    on_progress: Option<Callback<(u64, u64)>>,
    on_answer: Callback<Vec<u8>>,
) {
    #[cfg(target_arch = "wasm32")]
    WORKER.with(|w| {
        let mut w = w.borrow_mut();
        if w.is_none() {
            let script = if ON_LAB_PAGE.with(|c| c.get()) {
                LAB_WORKER_SCRIPT
            } else {
                WORKER_SCRIPT
            };
            let Ok(worker) = web_sys::Worker::new(script) else {
                return;
            };
            let listener =
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
                    let callback = WORKER.with(|w| {
                        let mut w = w.borrow_mut();
                        let pw = w.as_mut()?;
                        if let Some(t) = e.data().as_string() {
                            if t == "ready" {
                                pw.ready = true;
                                for m in pw.queued.drain(..) {
                                    let _ = pw.worker.post_message(&m);
                                }
                            } else if let Some((id, done, total)) = parse_progress(&t) {
                                if let Some(cb) = pw.progress.get(&id) {
                                    return Some(Err((cb.clone(), (done, total))));
                                }
                            }
                            return None;
                        }
                        let bytes = js_sys::Uint8Array::new(&e.data()).to_vec();
                        let (id, answer) = crate::worker::unframe(&bytes)?;
                        pw.progress.remove(&id);
                        Some(Ok((pw.waiting.remove(&id)?, answer.to_vec())))
                    });
                    match callback {
                        Some(Ok((cb, answer))) => cb.emit(answer),
                        Some(Err((cb, p))) => cb.emit(p),
                        None => {}
                    }
                });
            worker.set_onmessage(Some(listener.as_ref().unchecked_ref()));
            *w = Some(PageWorker {
                worker,
                ready: false,
                queued: Vec::new(),
                waiting: std::collections::BTreeMap::new(),
                progress: std::collections::BTreeMap::new(),
                next: 1,
                _listener: listener,
            });
        }
        if let Some(pw) = w.as_mut() {
            let id = pw.next;
            pw.next = pw.next.wrapping_add(1);
            pw.waiting.insert(id, on_answer);
            if let Some(p) = on_progress {
                pw.progress.insert(id, p);
            }
            let framed: JsValue =
                js_sys::Uint8Array::from(&crate::worker::frame(id, &message)[..]).into();
            let posted = with(framed);
            if pw.ready {
                let _ = pw.worker.post_message(&posted);
            } else {
                pw.queued.push(posted);
            }
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (on_progress, with);
        on_answer.emit(crate::worker::answer(&message));
    }
}

/// Stops the page's worker at once (what it was computing is dropped, no
/// answer comes); the next request starts a new one.
pub fn cancel_worker() {
    #[cfg(target_arch = "wasm32")]
    WORKER.with(|w| {
        if let Some(pw) = w.borrow_mut().take() {
            pw.worker.terminate();
        }
    });
}

/// `progress <id> <done> <total>`, the worker's progress message.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn parse_progress(t: &str) -> Option<(u64, u64, u64)> {
    let mut p = t.strip_prefix("progress ")?.split(' ');
    let mut n = || p.next()?.parse().ok();
    Some((n()?, n()?, n()?))
}

/// The worker's side: tells the page how far the request `id` has come
/// (`done` of `total`); the page's [`ask_worker_with_progress`] hears it.
pub fn post_progress(id: u64, done: u64, total: u64) {
    #[cfg(target_arch = "wasm32")]
    {
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let _ = scope.post_message(&JsValue::from_str(&format!("progress {id} {done} {total}")));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (id, done, total);
}

/// The worker's side: answers every message with `handler` and posts
/// `ready` once it listens.
pub fn serve_worker(handler: fn(&[u8]) -> Vec<u8>) {
    #[cfg(target_arch = "wasm32")]
    {
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let reply = scope.clone();
        let on = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            // `[message, file]` when the page posted a file along.
            let (message, file) = if js_sys::Array::is_array(&data) {
                let a: js_sys::Array = data.unchecked_into();
                (a.get(0), a.get(1).dyn_into::<web_sys::Blob>().ok())
            } else {
                (data, None)
            };
            large_file::set_posted(file);
            let out = handler(&js_sys::Uint8Array::new(&message).to_vec());
            large_file::set_posted(None);
            let _ = reply.post_message(&js_sys::Uint8Array::from(&out[..]));
        });
        scope.set_onmessage(Some(on.as_ref().unchecked_ref()));
        on.forget();
        let _ = scope.post_message(&JsValue::from_str("ready"));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = handler;
}
