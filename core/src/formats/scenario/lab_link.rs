//! The lab's link: a deal with the extra unit models it is compared under
//! (the browser lab's page keeps it in its URL fragment). Edited or loaded
//! models travel as their matrix TOML, bundled ones by name.
//!
//! `#lab1.` followed by the base64url (no padding) of
//! `{"deal":"v1.…","first":…,"models":[{"name":…,"bundled":…}|{"name":…,"toml":…,"edited":true}]}`:
//! the deal is its share link as [`super::encode`] writes it (so it is read
//! by [`super::decode`], every rule of a deal's link applying), `first` the
//! name the user gave the deal's matrix's column (absent: its own name and
//! version; absent in every link from before it), and the models follow in
//! order with their names. [`decode_lab`] also opens every share link from
//! before (`#v1.…`), with no extra models; the simulator's link stays
//! `#v1.` (it carries no models).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::{decode, encode, invalid};
use crate::deal::DealSpec;
use crate::error::{Error, Result};
use crate::lab::MAX_MODELS;

/// The lab link's prefix (before the base64url).
pub const LAB_PREFIX: &str = "lab1.";

/// An extra unit model of a lab link: its name and its matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkedModel {
    /// The name on its column.
    pub name: String,
    /// A bundled matrix, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundled: Option<String>,
    /// A matrix as TOML text (a loaded file or an edited copy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toml: Option<String>,
    /// An edited copy (the lab shows its grid for editing).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edited: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabJson {
    deal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first: Option<String>,
    models: Vec<LinkedModel>,
}

/// What a lab link holds: the deal, the name of its matrix's column when
/// the user renamed it, and the extra models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabScenario {
    /// The deal (its matrix is the first model).
    pub deal: DealSpec,
    /// The first model's name, when the user gave one.
    pub first: Option<String>,
    /// The extra models, in order.
    pub models: Vec<LinkedModel>,
}

/// Writes a lab link fragment ([`encode_lab`]) with the first model's name:
/// a deal with a renamed first model is a `#lab1.` link even without extra
/// models.
///
/// ```
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::scenario::{decode_lab_scenario, encode_lab_scenario, LabScenario};
/// let s = LabScenario { deal: DealSpec::example(), first: Some("today".into()), models: vec![] };
/// let link = encode_lab_scenario(&s).unwrap();
/// assert!(link.starts_with("#lab1."));
/// assert_eq!(decode_lab_scenario(&link).unwrap(), s);
/// ```
pub fn encode_lab_scenario(s: &LabScenario) -> Result<String> {
    let link = encode(&s.deal)?;
    if s.models.is_empty() && s.first.is_none() {
        return Ok(link);
    }
    check_models(&s.models)?;
    let json = serde_json::to_vec(&LabJson {
        deal: link.trim_start_matches('#').to_string(),
        first: s.first.clone(),
        models: s.models.clone(),
    })
    .map_err(|e| invalid("models", e.to_string()))?;
    let out = format!("#{LAB_PREFIX}{}", URL_SAFE_NO_PAD.encode(json));
    Error::check_size(
        "the share link",
        out.len().saturating_sub(1),
        super::MAX_LINK_BYTES,
    )?;
    Ok(out)
}

/// Reads a lab link ([`decode_lab`]) with the first model's name: every
/// `#lab1.` link (those from before name no first model) and every deal's
/// share link (`#v1.…`: no name, no extra models).
pub fn decode_lab_scenario(fragment: &str) -> Result<LabScenario> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(body) = f.strip_prefix(LAB_PREFIX) else {
        return Ok(LabScenario {
            deal: decode(f)?,
            first: None,
            models: Vec::new(),
        });
    };
    Error::check_size("the share link", f.len(), super::MAX_LINK_BYTES)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|e| {
            invalid(
                "",
                format!("the link is truncated or damaged (not valid base64url: {e}); was it copied completely?"),
            )
        })?;
    let lab: LabJson = serde_json::from_slice(&bytes)
        .map_err(|e| invalid("", format!("the link does not hold a lab scenario: {e}")))?;
    check_models(&lab.models)?;
    Ok(LabScenario {
        deal: decode(&lab.deal)?,
        first: lab.first,
        models: lab.models,
    })
}

/// Writes a lab link fragment: `#lab1.` + base64url(JSON), no padding; with
/// no models, the deal's own share link (`#v1.…`). Refuses what does not fit
/// in [`super::MAX_LINK_BYTES`] and more than three extra models.
///
/// ```
/// use unitcalc_core::deal::DealSpec;
/// use unitcalc_core::scenario::{decode_lab, encode_lab, LinkedModel};
/// let deal = DealSpec::example();
/// let models = vec![LinkedModel { name: "candidate".into(), bundled: Some("illustrative-candidate".into()), toml: None, edited: false }];
/// let link = encode_lab(&deal, &models).unwrap();
/// assert!(link.starts_with("#lab1."));
/// assert_eq!(decode_lab(&link).unwrap(), (deal.clone(), models));
/// // A share link from before opens with no extra models.
/// let old = unitcalc_core::scenario::encode(&deal).unwrap();
/// assert_eq!(decode_lab(&old).unwrap(), (deal, vec![]));
/// ```
pub fn encode_lab(deal: &DealSpec, models: &[LinkedModel]) -> Result<String> {
    encode_lab_scenario(&LabScenario {
        deal: deal.clone(),
        first: None,
        models: models.to_vec(),
    })
}

/// Reads a lab link (with or without the leading `#`): the deal and its
/// extra models; a deal's share link (`#v1.…`) gives no extra models. The
/// models' matrices are checked when they are loaded.
pub fn decode_lab(fragment: &str) -> Result<(DealSpec, Vec<LinkedModel>)> {
    decode_lab_scenario(fragment).map(|s| (s.deal, s.models))
}

fn check_models(models: &[LinkedModel]) -> Result<()> {
    if models.len() >= MAX_MODELS {
        return Err(invalid(
            "models",
            format!(
                "{} extra unit models; at most {} beside the deal's matrix",
                models.len(),
                MAX_MODELS - 1
            ),
        ));
    }
    for m in models {
        if m.bundled.is_some() == m.toml.is_some() {
            return Err(invalid(
                "models",
                format!(
                    "model `{}` needs either `bundled` or `toml`",
                    crate::error::clip(&m.name)
                ),
            ));
        }
    }
    Ok(())
}
