//! Offers: how a deal is sold. See sections 4–6 of the pricing model.

use serde::{Deserialize, Serialize};

use crate::deal::KindSpec;
use crate::matrix::CellId;
use crate::num::{self, Money, Overflow, Price, Quantity, Ratio, Units};
use crate::time::Term;
use rust_decimal::Decimal;

/// When fixed fees or commitments are paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payment {
    /// Each period pays its share (prorated by hours).
    #[default]
    Monthly,
    /// The first period pays everything.
    Upfront,
}

impl Payment {
    /// `monthly` or `upfront`, as every format writes it.
    ///
    /// ```
    /// use unitcalc_core::offer::Payment;
    /// assert_eq!(Payment::Upfront.as_str(), "upfront");
    /// assert_eq!("monthly".parse::<Payment>(), Ok(Payment::Monthly));
    /// assert!("quarterly".parse::<Payment>().is_err());
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Payment::Monthly => "monthly",
            Payment::Upfront => "upfront",
        }
    }
}

impl std::str::FromStr for Payment {
    type Err = String;
    /// The payment for its name; the error says which names exist.
    fn from_str(s: &str) -> Result<Payment, String> {
        [Payment::Monthly, Payment::Upfront]
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown payment `{s}` (expected \"monthly\" or \"upfront\")"))
    }
}

/// How a deal is transacted: directly, or through a marketplace environment
/// whose fee schedule applies.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// Sold directly: no marketplace fee.
    #[default]
    Direct,
    /// Through the marketplace of this environment id (e.g. `aws`).
    Marketplace(String),
}

/// The deal-wide terms every offer of a deal shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealTerms {
    /// Contract period.
    pub term: Term,
    /// Direct or marketplace.
    pub channel: Channel,
}

/// The overage rule of a fixed-capacity offer (section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OveragePolicy {
    /// Tolerance band b: usage up to E × (1 + b) may be tolerated. Default 0.10.
    pub tolerance: Ratio,
    /// Grace g: consecutive excess hours tolerated. Default 72.
    pub grace_hours: u32,
    /// Price per overage unit; `None` is the matrix list price.
    pub price: Option<Price>,
}

impl Default for OveragePolicy {
    fn default() -> Self {
        OveragePolicy {
            tolerance: Ratio(rust_decimal::Decimal::new(10, 2)),
            grace_hours: 72,
            price: None,
        }
    }
}

impl OveragePolicy {
    /// The top of the tolerance band over an entitled quantity E: E × (1 + b),
    /// exact (or an overflow error). The engine's rule and the browser's
    /// chart both use this one product.
    ///
    /// ```
    /// use unitcalc_core::num::Quantity;
    /// use unitcalc_core::offer::OveragePolicy;
    /// let top = OveragePolicy::default().band_top(Quantity("500".parse().unwrap())).unwrap();
    /// assert_eq!(top.to_string(), "550.00");
    /// ```
    pub fn band_top(&self, entitled: Quantity) -> Result<Quantity, Overflow> {
        let widen = num::add(Decimal::ONE, self.tolerance.get(), "tolerance band")?;
        num::mul(entitled.get(), widen, "tolerance band").map(Quantity)
    }

    /// b = 0 and g = 0: every excess hour is charged.
    pub fn strict() -> OveragePolicy {
        OveragePolicy {
            tolerance: Ratio::ZERO,
            grace_hours: 0,
            price: None,
        }
    }
}

/// Pay-as-you-go at list price less a discount (section 4).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PayAsYouGo {
    /// Discount in `[0, 1)`, default 0.
    pub discount: Ratio,
}

/// One cell's entitled capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    /// The cell.
    pub cell: CellId,
    /// Entitled quantity E (e.g. 500 TB), > 0.
    pub quantity: Quantity,
}

/// A fixed-capacity private offer (section 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedCapacity {
    /// Entitlements, at most one per cell.
    pub entitlements: Vec<Entitlement>,
    /// Monthly fee F.
    pub monthly_fee: Money,
    /// Monthly (prorated) or upfront.
    pub payment: Payment,
    /// Overage rule.
    pub overage: OveragePolicy,
}

/// A prepaid units commitment drawn down by usage (section 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// Units bought, N > 0.
    pub units: Units,
    /// Commit price per unit P.
    pub price: Price,
    /// Upfront or monthly installments.
    pub payment: Payment,
    /// Price per overage unit once the bucket is empty; `None` is list price.
    pub overage_price: Option<Price>,
}

/// How an offer prices usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum OfferKind {
    /// Pay-as-you-go.
    PayAsYouGo(PayAsYouGo),
    /// Fixed-capacity private offer.
    FixedCapacity(FixedCapacity),
    /// Units commitment.
    Commitment(Commitment),
}

impl OfferKind {
    /// `pay-as-you-go`, `fixed-capacity` or `commitment`.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The kind's name ([`KindSpec`]), as every format writes it.
    pub fn kind(&self) -> KindSpec {
        match self {
            OfferKind::PayAsYouGo(_) => KindSpec::PayAsYouGo,
            OfferKind::FixedCapacity(_) => KindSpec::FixedCapacity,
            OfferKind::Commitment(_) => KindSpec::Commitment,
        }
    }
}

/// A named offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Name shown on bills and comparisons.
    pub name: String,
    /// The pricing.
    pub kind: OfferKind,
}
