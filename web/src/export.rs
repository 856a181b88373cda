//! Exports: the bill as CSV and JSON, the deal and matrix as TOML, as browser
//! downloads (a Blob and an object URL: nothing is sent anywhere).

use unitcalc_core::bill::Bill;
use unitcalc_core::deal::{Deal, UsageSource};
use unitcalc_core::deal_toml;
use unitcalc_core::matrix::Matrix;
use unitcalc_core::scenario::{MatrixChoice, Resolved, Scenario};
use wasm_bindgen::JsCast;

/// The bill as the tidy bill CSV every tool writes (`unitcalc_core::bill_csv`:
/// one row per period × line, sixteen columns, decimals exactly as the core
/// computed them). The browser's bill has no customer: that column is empty.
pub fn bill_csv(b: &Bill) -> String {
    unitcalc_core::bill_csv::to_csv([("", b)])
}

/// The bill as pretty JSON (decimals as strings).
pub fn bill_json(b: &Bill) -> String {
    serde_json::to_string_pretty(b).unwrap_or_default()
}

/// The deal as TOML (core's deal writer), with the matrix referenced by file name.
pub fn deal_toml(s: &Scenario, r: &Resolved, m: &Matrix, csv: Option<&str>) -> String {
    let matrix = match &s.matrix {
        MatrixChoice::Bundled(n) => format!("{n}.toml"),
        MatrixChoice::Custom(_) => "matrix.toml".into(),
    };
    let deal = Deal {
        name: if s.name.trim().is_empty() {
            "deal".into()
        } else {
            s.name.clone()
        },
        matrix,
        terms: r.terms.clone(),
        usage: csv.map_or_else(
            || UsageSource::Profile(r.profile.clone()),
            |c| UsageSource::Csv(c.to_string()),
        ),
        offers: r.offers.clone(),
    };
    deal_toml::to_toml(&deal, m)
}

/// Offers `text` as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
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
