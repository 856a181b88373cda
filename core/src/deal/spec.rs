//! The unresolved deal: what a person wrote, before it is checked against a
//! matrix. Every reader produces a [`DealSpec`] (the deal TOML reader
//! [`crate::deal_toml::read`], share links and saved scenarios
//! [`crate::scenario`], book entries [`crate::book`]) and one resolver,
//! [`DealSpec::resolve`], turns it into the [`crate::deal::Deal`] the engine
//! prices. The browser's form edits a `DealSpec` directly.
//!
//! Values are kept as text exactly as written (decimals, whole numbers,
//! dates and cells as strings), so a form never loses what was typed and
//! every check, with its one wording, happens in the resolver.

use std::str::FromStr;

use serde::Serialize;

use crate::offer::Payment;

/// At most this many offers are priced side by side in one deal.
pub const MAX_OFFERS: usize = 4;

/// Which matrix a deal prices with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatrixChoice {
    /// A matrix bundled with the tool, by name (e.g. `spec-m`, see
    /// [`crate::bundled`]).
    Bundled(String),
    /// A matrix given as TOML text (pasted or loaded by the user).
    Custom(String),
    /// A matrix file, by path relative to the deal file (deal TOML only;
    /// share links never carry paths).
    File(String),
}

/// The kind of an offer, as written in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindSpec {
    /// Pay-as-you-go.
    PayAsYouGo,
    /// Fixed-capacity private offer.
    #[default]
    FixedCapacity,
    /// Units commitment.
    Commitment,
}

impl KindSpec {
    /// Every kind, in the order forms list them.
    pub const ALL: [KindSpec; 3] = [
        KindSpec::PayAsYouGo,
        KindSpec::FixedCapacity,
        KindSpec::Commitment,
    ];

    /// `pay-as-you-go`, `fixed-capacity` or `commitment`.
    ///
    /// ```
    /// use unitcalc_core::deal::KindSpec;
    /// assert_eq!(KindSpec::Commitment.as_str(), "commitment");
    /// assert_eq!("fixed-capacity".parse::<KindSpec>(), Ok(KindSpec::FixedCapacity));
    /// assert!("fixed".parse::<KindSpec>().is_err());
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            KindSpec::PayAsYouGo => "pay-as-you-go",
            KindSpec::FixedCapacity => "fixed-capacity",
            KindSpec::Commitment => "commitment",
        }
    }
}

impl FromStr for KindSpec {
    type Err = String;
    /// The kind for its name; the error says which names exist.
    fn from_str(s: &str) -> Result<KindSpec, String> {
        KindSpec::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown kind `{s}` (expected \"pay-as-you-go\", \"fixed-capacity\" or \"commitment\")"
                )
            })
    }
}

/// One entitlement as written: a cell `meter/environment/use_case` and a
/// quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitlementSpec {
    /// `meter/environment/use_case`.
    pub cell: String,
    /// Entitled quantity, a decimal string.
    pub quantity: String,
}

/// One offer as written. Every kind's fields are kept, so switching the
/// kind back and forth in a form loses nothing; [`DealSpec::resolve`] reads
/// the kind's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferSpec {
    /// Name shown on bills.
    pub name: String,
    /// Kind.
    pub kind: KindSpec,
    /// Pay-as-you-go discount in `[0, 1)`.
    pub discount: String,
    /// Fixed capacity: entitlements.
    pub entitlements: Vec<EntitlementSpec>,
    /// Fixed capacity: monthly fee.
    pub monthly_fee: String,
    /// Fixed capacity and commitment: payment schedule.
    pub payment: Payment,
    /// Fixed capacity: tolerance band b, a fraction (`0.10` = 10 %).
    pub tolerance: String,
    /// Fixed capacity: grace hours g.
    pub grace_hours: String,
    /// Overage price per unit; empty is the list price.
    pub overage_price: String,
    /// Commitment: units bought N.
    pub commit_units: String,
    /// Commitment: price per unit P.
    pub commit_price: String,
}

impl Default for OfferSpec {
    fn default() -> Self {
        OfferSpec {
            name: "Offer".into(),
            kind: KindSpec::FixedCapacity,
            discount: "0".into(),
            entitlements: Vec::new(),
            monthly_fee: "0".into(),
            payment: Payment::Monthly,
            tolerance: "0.10".into(),
            grace_hours: "72".into(),
            overage_price: String::new(),
            commit_units: "1000".into(),
            commit_price: "1.00".into(),
        }
    }
}

/// A burst as written: it starts at `start` (RFC 3339) or `after_hours`
/// hours after the term starts (exactly one of the two is given).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BurstSpec {
    /// First hour, RFC 3339 (`2026-03-10T00:00:00Z`); empty when
    /// `after_hours` places the burst.
    pub start: String,
    /// First hour as whole hours after the term's start (`72` = 3 days in);
    /// empty when `start` places the burst.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub after_hours: String,
    /// Length in hours.
    pub hours: String,
    /// Level held during the burst.
    pub level: String,
}

/// One cell's usage profile as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellUsageSpec {
    /// `meter/environment/use_case`.
    pub cell: String,
    /// Quantity at the start of the term.
    pub baseline: String,
    /// Compounded growth per month.
    pub monthly_growth: String,
    /// Daily swing fraction.
    pub daily_amplitude: String,
    /// Weekend dip fraction.
    pub weekend_dip: String,
    /// Noise fraction.
    pub noise: String,
    /// Bursts.
    pub bursts: Vec<BurstSpec>,
}

impl Default for CellUsageSpec {
    fn default() -> Self {
        CellUsageSpec {
            cell: String::new(),
            baseline: "0".into(),
            monthly_growth: "0".into(),
            daily_amplitude: "0".into(),
            weekend_dip: "0".into(),
            noise: "0".into(),
            bursts: Vec::new(),
        }
    }
}

/// The keys of a cell's usage profile after its cell, as deal files and
/// share links write them.
pub(crate) const PROFILE_KEYS: [&str; 6] = [
    "baseline",
    "monthly_growth",
    "daily_amplitude",
    "weekend_dip",
    "noise",
    "bursts",
];

/// The usage profile as written (no cells: no profiled usage).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UsageSpec {
    /// Noise seed (empty is 0).
    pub seed: String,
    /// Cells.
    pub cells: Vec<CellUsageSpec>,
}

/// A whole deal as written, unresolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DealSpec {
    /// Deal or customer name.
    pub name: String,
    /// The matrix.
    pub matrix: MatrixChoice,
    /// Term start `YYYY-MM-DD`.
    pub term_start: String,
    /// Term length in months.
    pub term_months: String,
    /// `direct` (or empty) or a marketplace environment id.
    pub channel: String,
    /// One to [`MAX_OFFERS`] offers over the same usage.
    pub offers: Vec<OfferSpec>,
    /// Usage profile (share links and saved scenarios carry only this).
    pub usage: UsageSpec,
    /// Deal files only: a usage CSV, path relative to the deal file, instead
    /// of a profile. Neither: no usage (every hour zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_csv: Option<String>,
}

impl DealSpec {
    /// The spec's worked example C: matrix `spec-m`, fixed capacity 500 TB on
    /// azure/hot for 40,000.00 a month from 2026-03-01 for 12 months, usage
    /// 500 TB with a 100-hour burst at 540 TB in March.
    ///
    /// ```
    /// use unitcalc_core::deal::DealSpec;
    /// let s = DealSpec::example();
    /// assert_eq!((s.offers.len(), s.term_months.as_str()), (1, "12"));
    /// ```
    pub fn example() -> DealSpec {
        DealSpec {
            name: "Example C".into(),
            matrix: MatrixChoice::Bundled("spec-m".into()),
            term_start: "2026-03-01".into(),
            term_months: "12".into(),
            channel: "direct".into(),
            offers: vec![OfferSpec {
                name: "Fixed 500 TB".into(),
                entitlements: vec![EntitlementSpec {
                    cell: "capacity/azure/hot".into(),
                    quantity: "500".into(),
                }],
                monthly_fee: "40000.00".into(),
                ..OfferSpec::default()
            }],
            usage: UsageSpec {
                seed: "1".into(),
                cells: vec![CellUsageSpec {
                    cell: "capacity/azure/hot".into(),
                    baseline: "500".into(),
                    bursts: vec![BurstSpec {
                        start: "2026-03-10T00:00:00Z".into(),
                        after_hours: String::new(),
                        hours: "100".into(),
                        level: "540".into(),
                    }],
                    ..CellUsageSpec::default()
                }],
            },
            usage_csv: None,
        }
    }
}
