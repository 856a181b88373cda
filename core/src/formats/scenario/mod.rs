//! Share links and saved scenarios: a [`DealSpec`] in the browser's URL
//! fragment or its local storage.
//!
//! A share link is `#v1.` followed by the base64url (no padding) of the
//! deal's JSON with a `version` member: [`encode`] writes one, [`decode`]
//! reads one and refuses, with a clear [`Error`], anything larger than
//! [`MAX_LINK_BYTES`], another version, damaged base64, JSON that is not a
//! deal, or a float where a decimal string belongs. [`open_link`] also
//! resolves it. Uploaded CSV usage is never put in a link: links carry only
//! a usage profile. Saved scenarios ([`write_saved`], [`read_saved`]) are
//! the same JSON, by name.
//!
//! Written with serde_json; read by `from_json.rs`, a table-driven decoder
//! over the crate's small JSON reader (for the browser's size).
//!
//! ```
//! use unitcalc_core::deal::DealSpec;
//! use unitcalc_core::scenario::{decode, encode};
//! let s = DealSpec::example();
//! let link = encode(&s).unwrap();
//! assert!(link.starts_with("#v1."));
//! assert_eq!(decode(&link).unwrap(), s);
//! assert!(decode("#v2.e30").unwrap_err().to_string().contains("version 2"));
//! ```

use std::str::FromStr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Serialize;

use crate::deal::{DealSpec, FieldLabels, MatrixChoice};
use crate::error::{clip, Error, Origin, Result};
use crate::json;

mod from_json;
mod lab_link;
mod saved;

pub use lab_link::{
    decode_lab, decode_lab_scenario, encode_lab, encode_lab_scenario, LabScenario, LinkedModel,
    LAB_PREFIX,
};
pub use saved::{open_saved_lab, read_saved, read_saved_lab, write_saved, write_saved_lab};

/// The scenario format version written by [`encode`] and read by [`decode`].
pub const VERSION: u32 = 1;
/// The largest share link [`decode`] accepts, in bytes (the fragment after `#`): 64 KiB.
pub const MAX_LINK_BYTES: usize = 64 * 1024;

const LINK: &str = "share link";

/// A deal with its format version, as links and saved scenarios write it:
/// `version` first, then the deal's members in [`DealSpec`]'s order (listed
/// here rather than through `#[serde(flatten)]`, whose map serializer cost
/// the browser 1 KB).
#[derive(Serialize)]
pub(crate) struct Versioned<'a> {
    version: u32,
    name: &'a str,
    matrix: &'a MatrixChoice,
    term_start: &'a str,
    term_months: &'a str,
    channel: &'a str,
    offers: &'a [crate::deal::OfferSpec],
    usage: &'a crate::deal::UsageSpec,
}

impl<'a> Versioned<'a> {
    /// The deal at the current [`VERSION`] (a usage CSV path is not written).
    pub(crate) fn of(deal: &'a DealSpec) -> Versioned<'a> {
        Versioned {
            version: VERSION,
            name: &deal.name,
            matrix: &deal.matrix,
            term_start: &deal.term_start,
            term_months: &deal.term_months,
            channel: &deal.channel,
            offers: &deal.offers,
            usage: &deal.usage,
        }
    }
}

/// The JSON of a deal, with its version; a matrix file path that names a
/// bundled matrix is written as that bundled matrix (links carry no paths).
fn to_json(deal: &DealSpec) -> Result<Vec<u8>> {
    let bundled;
    let mut v = Versioned::of(deal);
    if let MatrixChoice::File(path) = &deal.matrix {
        let Some(name) = crate::bundled::by_path(path) else {
            return Err(invalid(
                "matrix",
                format!("matrix file `{path}` cannot travel in a link: load it as a custom matrix"),
            ));
        };
        bundled = MatrixChoice::Bundled(name.into());
        v.matrix = &bundled;
    }
    // Plain structs with text keys: serde_json's writer cannot fail on them
    // into memory; its error's text (a table of parse errors) stays out of
    // the browser's first load.
    serde_json::to_vec(&v)
        .map_err(|_| invalid("scenario", "it could not be written as JSON".into()))
}

/// Opens a share link: [`decode`] the fragment, load its matrix and
/// [`DealSpec::resolve`] it, so a link that opens is one that prices (short
/// of an arithmetic overflow in the pricing itself).
///
/// ```
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::scenario::{encode, open_link};
/// let link = encode(&DealSpec::example()).unwrap();
/// assert_eq!(open_link(&link).unwrap(), DealSpec::example());
/// assert!(open_link("#v1.AAAA").is_err());
/// ```
pub fn open_link(fragment: &str) -> Result<DealSpec> {
    let s = decode(fragment)?;
    let m = s.matrix.load()?;
    let deal = s.resolve(&m, &FieldLabels)?;
    for offer in &deal.offers {
        crate::engine::Pricer::new(&m, &deal.terms, offer)?;
    }
    Ok(s)
}

/// A deal file opened where there are no files to follow (the browser):
/// read by the deal TOML reader ([`crate::deal_toml::read`]), its matrix
/// path taken as the bundled matrix it names ([`crate::bundled::by_path`]).
/// A usage CSV it names stays in [`DealSpec::usage_csv`] for the caller to
/// ask for; a `[metering]` plan is left out ([`open_deal_file_metered`]
/// keeps it).
/// Values are checked when the deal is resolved, as for a link.
///
/// ```
/// use unitcalc_core::deal::{DealSpec, MatrixChoice};
/// use unitcalc_core::{deal_toml, scenario::open_deal_file};
/// let text = deal_toml::export(&DealSpec::example()).unwrap();
/// let opened = open_deal_file(&text, "example-c.toml").unwrap();
/// assert_eq!(opened.matrix, MatrixChoice::Bundled("spec-m".into()));
/// let other = text.replace("spec-m.toml", "../pricing/acme-2027.toml");
/// assert!(open_deal_file(&other, "acme.toml").unwrap_err().to_string().contains("acme-2027.toml"));
/// ```
pub fn open_deal_file(text: &str, file: &str) -> Result<DealSpec> {
    // No metering plan: it is not walked (a deal file's `[metering]` must
    // still be a table).
    bundled_matrix(
        crate::deal_toml::read_without_metering(text, file)?.spec,
        file,
    )
}

/// [`open_deal_file`] with the deal's `[metering]` plan as written, for the
/// browser's Metering view (checked when the view resolves it against the
/// priced deal, [`crate::deal::MeteringSpec::resolve`]).
///
/// ```
/// use unitcalc_core::scenario::open_deal_file_metered;
/// let text = include_str!("../../../../tests/fixtures/metering/example-c-azure.toml");
/// let (spec, plan) = open_deal_file_metered(text, "example-c-azure.toml").unwrap();
/// assert_eq!((spec.channel.as_str(), plan.unwrap().dimensions[0].name.as_str()), ("azure", "overage_usd_cents"));
/// ```
pub fn open_deal_file_metered(
    text: &str,
    file: &str,
) -> Result<(DealSpec, Option<crate::deal::MeteringSpec>)> {
    let read = crate::deal_toml::read(text, file)?;
    Ok((bundled_matrix(read.spec, file)?, read.metering))
}

/// The deal with its matrix path taken as the bundled matrix it names.
fn bundled_matrix(mut spec: DealSpec, file: &str) -> Result<DealSpec> {
    if let MatrixChoice::File(path) = &spec.matrix {
        let Some(name) = crate::bundled::by_path(path) else {
            return Err(Error::Invalid {
                at: Origin::file(file),
                message: format!(
                    "its matrix `{path}` is not one of the bundled matrices: open the deal with a bundled matrix, or load that matrix as a custom one and rebuild the deal"
                ),
            });
        };
        spec.matrix = MatrixChoice::Bundled(name.into());
    }
    Ok(spec)
}

/// Writes a share link fragment: `#v1.` + base64url(JSON), no padding.
///
/// Refuses (with [`Error::TooLarge`]) a deal whose link would exceed
/// [`MAX_LINK_BYTES`], e.g. one carrying a very large custom matrix.
pub fn encode(s: &DealSpec) -> Result<String> {
    let json = to_json(s)?;
    let link = format!("#v{VERSION}.{}", URL_SAFE_NO_PAD.encode(json));
    // The size of the fragment without its leading `#`.
    Error::check_size(
        "the share link",
        link.len().saturating_sub(1),
        MAX_LINK_BYTES,
    )?;
    Ok(link)
}

/// Reads a share link fragment (with or without the leading `#`) back into a
/// deal, checking size, version, base64url, JSON shape and the version
/// field. Names and values are checked later by [`DealSpec::resolve`].
pub fn decode(fragment: &str) -> Result<DealSpec> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    Error::check_size("the share link", f.len(), MAX_LINK_BYTES)?;
    let Some((version, body)) = f.split_once('.') else {
        return Err(invalid(
            "",
            "this is not a scenario link (expected `#v1.` followed by the scenario)".into(),
        ));
    };
    match version.strip_prefix('v').map(u32::from_str) {
        Some(Ok(VERSION)) => {}
        Some(Ok(v)) => {
            return Err(invalid(
                "",
                format!(
                    "link version {v} is not supported: this tool reads version {VERSION} links"
                ),
            ))
        }
        _ => {
            return Err(invalid(
                "",
                format!(
                    "this is not a scenario link: unknown prefix `{}`",
                    clip(version)
                ),
            ))
        }
    }
    let bytes = URL_SAFE_NO_PAD.decode(body.trim_end_matches('=')).map_err(|e| {
        invalid(
            "",
            format!("the link is truncated or damaged (not valid base64url: {e}); was it copied completely?"),
        )
    })?;
    let json = std::str::from_utf8(&bytes).map_err(|_| {
        invalid(
            "",
            "the link is damaged (its content is not UTF-8 text)".into(),
        )
    })?;
    let (version, s) = read_json(json, from_json::scenario).map_err(|e| {
        let what = if e.eof {
            "the link is truncated or damaged"
        } else {
            "the link does not hold a valid scenario"
        };
        Error::Invalid {
            at: Origin::from_offset(format!("{LINK} JSON"), json, e.offset),
            message: format!("{what}: {}", e.message),
        }
    })?;
    if version != VERSION {
        return Err(invalid(
            "",
            format!("scenario version {version} is not supported (expected {VERSION})"),
        ));
    }
    Ok(s)
}

/// Why JSON did not read, where (byte offset of the offending value or
/// character), and whether the text ended early.
pub(crate) struct JsonFailure {
    pub message: String,
    pub offset: usize,
    pub eof: bool,
}

/// Parses `text` as JSON and reads it with `read`.
pub(crate) fn read_json<T>(
    text: &str,
    read: impl Fn(&json::Node) -> std::result::Result<T, from_json::Bad>,
) -> std::result::Result<T, JsonFailure> {
    let tree = json::parse(text).map_err(|e| JsonFailure {
        message: e.message.to_string(),
        offset: e.offset,
        eof: e.eof,
    })?;
    read(&tree).map_err(|e| JsonFailure {
        message: e.message,
        offset: e.offset,
        eof: false,
    })
}

/// An error about the link itself (`share link`) or one of its members
/// (`scenario NAME`).
pub(crate) fn invalid(name: &str, message: String) -> Error {
    let at = if name.is_empty() {
        Origin::file(LINK.to_string())
    } else {
        Origin::file(format!("scenario {name}"))
    };
    Error::Invalid { at, message }
}

#[cfg(test)]
mod tests;
