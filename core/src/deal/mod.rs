//! The deal: one model, read from every format and priced by the engine.
//!
//! - [`DealSpec`] (in `spec.rs`) is a deal as written, values as text. The
//!   deal TOML reader ([`crate::deal_toml::read`]), share links and saved
//!   scenarios ([`crate::scenario`]) and book entries produce it; the
//!   browser's form edits it.
//! - [`DealSpec::resolve`] (in `resolve.rs`) checks it against a matrix,
//!   once, with one wording; a [`Locate`] says where each error points.
//! - [`Deal`] is the result: what the engine ([`crate::quote`]), the CLI, the
//!   browser and the deal TOML writer ([`crate::deal_toml::to_toml`]) use.
//!
//! Format of deal files: `docs/deal-format.md`.

mod field;
mod form;
mod metering;
mod resolve;
pub use form::FormDeal;
mod spec;

pub use field::{
    BurstField, CellPart, DimensionField, Field, FieldLabels, Locate, MeteringField, OfferField,
    UsageField,
};
pub use metering::{DimensionSpec, MeteringSpec};
pub(crate) use spec::PROFILE_KEYS;
pub use spec::{
    BurstSpec, CellUsageSpec, DealSpec, EntitlementSpec, KindSpec, MatrixChoice, OfferSpec,
    UsageSpec, MAX_OFFERS,
};

use crate::metering::MeteringPlan;
use crate::offer::{DealTerms, Offer};
use crate::profile::Profile;

/// Where a deal's usage comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageSource {
    /// No usage given: every hour is zero (fees and commitments still bill).
    Zero,
    /// A CSV file, path relative to the deal file.
    Csv(String),
    /// Generated from a profile.
    Profile(Profile),
}

/// A deal resolved against its matrix: what the engine prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    /// Deal (customer) name.
    pub name: String,
    /// The matrix reference as written.
    pub matrix: MatrixChoice,
    /// Term and channel.
    pub terms: DealTerms,
    /// Usage source.
    pub usage: UsageSource,
    /// Offers to price over the same usage (one to [`MAX_OFFERS`]).
    pub offers: Vec<Offer>,
    /// How one offer's usage is reported to the channel's marketplace
    /// (deal files' `[metering]`; none from share links and the form).
    pub metering: Option<MeteringPlan>,
}

impl Deal {
    /// The index of the offer named `name`, or of the first offer when
    /// `name` is `None`; otherwise the message `has no offer `NAME` (offers:
    /// `A`, `B`)`, which each caller puts after where it looked (a deal
    /// file, a book's line).
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, FieldLabels}};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let deal = DealSpec::example().resolve(&m, &FieldLabels).unwrap();
    /// assert_eq!(deal.offer_index(None), Ok(0));
    /// assert_eq!(deal.offer_index(Some("Fixed 500 TB")), Ok(0));
    /// assert_eq!(deal.offer_index(Some("Nope")), Err("has no offer `Nope` (offers: `Fixed 500 TB`)".to_string()));
    /// ```
    pub fn offer_index(&self, name: Option<&str>) -> std::result::Result<usize, String> {
        match name {
            None if self.offers.is_empty() => Err("has no offer".into()),
            None => Ok(0),
            Some(n) => self.offers.iter().position(|o| o.name == n).ok_or_else(|| {
                let names: Vec<String> = self
                    .offers
                    .iter()
                    .map(|o| format!("`{}`", o.name))
                    .collect();
                format!("has no offer `{n}` (offers: {})", names.join(", "))
            }),
        }
    }
}
