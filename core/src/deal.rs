//! Deal files: a matrix reference, term, channel, usage and one or more offers
//! over the same usage. Format: `docs/deal-format.md`.

use crate::offer::{DealTerms, Offer};
use crate::profile::Profile;

/// Where a deal's usage comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageSource {
    /// A CSV file, path relative to the deal file.
    Csv(String),
    /// Generated from a profile.
    Profile(Profile),
}

/// A deal resolved against its matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    /// Deal (customer) name.
    pub name: String,
    /// The matrix reference as written: a path relative to the deal file.
    pub matrix: String,
    /// Term and channel.
    pub terms: DealTerms,
    /// Usage source.
    pub usage: UsageSource,
    /// Offers to price over the same usage (at least one).
    pub offers: Vec<Offer>,
}
