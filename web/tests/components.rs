//! Component tests in a real browser (headless Chromium through chromedriver):
//! `scripts/test-browser.sh`, or
//! `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//!  cargo test -p unitcalc-web --target wasm32-unknown-unknown` from `web/`.
#![cfg(target_arch = "wasm32")]

use unitcalc_core::deal::DealSpec;
use unitcalc_core::scenario::encode;
use unitcalc_web::components::app::{open_link, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

fn set_hash(h: &str) {
    let w = web_sys::window().unwrap();
    let url = format!(
        "{}{h}",
        w.location().href().unwrap().split('#').next().unwrap()
    );
    w.history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        .unwrap();
}

/// Mounts the app in a fresh element and waits for it to render.
async fn mount() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    sleep(50).await;
    root
}

fn text(root: &Element, sel: &str) -> Option<String> {
    root.query_selector(sel)
        .unwrap()
        .and_then(|e| e.text_content())
        .map(|t| t.trim().to_string())
}

#[wasm_bindgen_test]
fn open_link_table() {
    let good = encode(&DealSpec::example()).unwrap();
    assert_eq!(open_link(&good).unwrap(), DealSpec::example());
    for (link, want) in [
        (&good[..good.len() - 30], "truncated"),
        ("#v1.%%%", "base64url"),
        ("#v7.e30", "version 7"),
        ("#nonsense", "not a scenario link"),
    ] {
        let msg = open_link(link).unwrap_err();
        assert!(
            msg.starts_with("This share link could not be opened") && msg.contains(want),
            "{link}: {msg}"
        );
    }
}

#[wasm_bindgen_test]
async fn example_c_link_renders_march_total() {
    set_hash(&encode(&DealSpec::example()).unwrap());
    let root = mount().await;
    assert_eq!(
        text(&root, "td[data-total=\"2026-03\"]").as_deref(),
        Some("40,002.10")
    );
    assert_eq!(
        text(&root, "td[data-total=\"2026-04\"]").as_deref(),
        Some("40,000.00")
    );
    assert!(text(&root, "#kpi-hours").unwrap().contains("72 / 28"));
    // The chart marks the hours themselves, from the engine's excess runs.
    assert_eq!(
        text(&root, "svg.chart rect.charged title").as_deref(),
        Some("2026-03-13T00:00:00Z to 2026-03-14T04:00:00Z: 28 charged hours")
    );
    assert_eq!(
        text(&root, "svg.chart rect.tolerated title").as_deref(),
        Some("2026-03-10T00:00:00Z to 2026-03-13T00:00:00Z: 72 tolerated hours")
    );
    // Over the whole 12-month term a 28-hour run is 2 pixels wide; shown on
    // its billing period (March, period 0) it is 27, with the same tooltip.
    let charged_width = |root: &Element| -> i64 {
        let rect = root
            .query_selector("svg.chart rect.charged")
            .unwrap()
            .unwrap();
        rect.get_attribute("width").unwrap().parse().unwrap()
    };
    assert_eq!(charged_width(&root), 2);
    let zoom: HtmlSelectElement = root
        .query_selector("#chart-zoom")
        .unwrap()
        .unwrap()
        .unchecked_into();
    zoom.set_value("0");
    zoom.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    sleep(50).await;
    assert_eq!(charged_width(&root), 27);
    assert_eq!(
        text(&root, "svg.chart rect.charged title").as_deref(),
        Some("2026-03-13T00:00:00Z to 2026-03-14T04:00:00Z: 28 charged hours")
    );
    zoom.set_value("");
    zoom.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    sleep(50).await;
    assert_eq!(charged_width(&root), 2);

    let tb = text(&root, "#kpi-tb-month").unwrap();
    assert!(
        tb.contains("USD 79.928729 (6,005.376344 TB-months)"),
        "{tb}"
    );

    // An input change re-prices: a 40,000.50 fee makes March 40,002.60.
    let fee: HtmlInputElement = root
        .query_selector("#offer-0-fee")
        .unwrap()
        .unwrap()
        .unchecked_into();
    fee.set_value("40000.50");
    fee.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    sleep(50).await;
    assert_eq!(
        text(&root, "td[data-total=\"2026-03\"]").as_deref(),
        Some("40,002.60")
    );

    // A bad value shows the core's message naming the field and value, not a blank page.
    fee.set_value("40,000 US");
    fee.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    sleep(50).await;
    let err = text(&root, "#error").unwrap();
    assert!(
        err.contains("offer 1 monthly fee") && err.contains("`40,000 US` is not a decimal number"),
        "{err}"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn broken_link_shows_message() {
    set_hash("#v1.eyJ2ZXJzaW9uIjox");
    let root = mount().await;
    let msg = text(&root, "#alert").expect("link error shown");
    assert!(
        msg.contains("could not be opened") && msg.contains("truncated"),
        "{msg}"
    );
    assert!(
        root.query_selector("#term-start").unwrap().is_some(),
        "the page still renders its inputs"
    );
    root.remove();
    set_hash("");
}
