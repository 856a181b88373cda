//! The metering plan of a deal, resolved: which marketplace, the deal's
//! identifiers there, and the dimensions usage is reported under. Read from
//! a deal file's `[metering]` table (`docs/deal-format.md`) and checked by
//! the deal resolver; what each dimension reports is [`super::meter`](mod@super::meter)'s.

use serde::Serialize;

use crate::matrix::CellId;
use crate::num::Price;

/// The longest dimension name a marketplace takes (AWS: 1 to 255 characters).
pub const MAX_DIMENSION_NAME: usize = 255;

/// Longest identifier (product code, customer, resource, plan, service,
/// consumer) a plan takes.
pub const MAX_IDENTIFIER: usize = 255;

/// A marketplace with a metering format: the channel's environment id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Marketplace {
    /// AWS Marketplace Metering Service, `BatchMeterUsage`.
    Aws,
    /// Azure Marketplace metering service, `batchUsageEvent`.
    Azure,
    /// Google Cloud Service Control, `services.report`.
    Gcp,
}

impl Marketplace {
    /// Every marketplace, in the order messages list them.
    pub const ALL: [Marketplace; 3] = [Marketplace::Aws, Marketplace::Azure, Marketplace::Gcp];

    /// `aws`, `azure` or `gcp`: the environment id of its channel.
    ///
    /// ```
    /// use unitcalc_core::metering::Marketplace;
    /// assert_eq!(Marketplace::from_channel("gcp"), Some(Marketplace::Gcp));
    /// assert_eq!(Marketplace::Azure.as_str(), "azure");
    /// assert_eq!(Marketplace::from_channel("oci"), None);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Marketplace::Aws => "aws",
            Marketplace::Azure => "azure",
            Marketplace::Gcp => "gcp",
        }
    }

    /// The marketplace of a channel (an environment id), if it has a
    /// metering format.
    pub fn from_channel(id: &str) -> Option<Marketplace> {
        Marketplace::ALL.into_iter().find(|m| m.as_str() == id)
    }

    /// The identifier keys this marketplace needs, in the order files write
    /// them.
    ///
    /// ```
    /// use unitcalc_core::metering::Marketplace;
    /// assert_eq!(Marketplace::Aws.identifier_keys(), ["product_code", "customer_identifier"]);
    /// ```
    pub fn identifier_keys(self) -> [&'static str; 2] {
        match self {
            Marketplace::Aws => ["product_code", "customer_identifier"],
            Marketplace::Azure => ["resource_id", "plan_id"],
            Marketplace::Gcp => ["service_name", "consumer_id"],
        }
    }
}

/// Every identifier key of every marketplace (what a `[metering]` table may
/// hold besides `offer` and `dimensions`).
pub const IDENTIFIER_KEYS: [&str; 6] = [
    "product_code",
    "customer_identifier",
    "resource_id",
    "plan_id",
    "service_name",
    "consumer_id",
];

/// What a dimension's quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DimensionUnit {
    /// Units (the matrix's consumption currency).
    Units,
    /// Quantity-hours of the cells (e.g. TB-hours).
    QuantityHours,
    /// Money in the currency's minor units (cents for USD): the price is one
    /// minor unit.
    Money,
}

impl DimensionUnit {
    /// Every unit, in the order messages list them.
    pub const ALL: [DimensionUnit; 3] = [
        DimensionUnit::Units,
        DimensionUnit::QuantityHours,
        DimensionUnit::Money,
    ];

    /// `units`, `quantity-hours` or `money`.
    ///
    /// ```
    /// use unitcalc_core::metering::DimensionUnit;
    /// assert_eq!("money".parse::<DimensionUnit>(), Ok(DimensionUnit::Money));
    /// assert_eq!(DimensionUnit::QuantityHours.as_str(), "quantity-hours");
    /// assert!("cents".parse::<DimensionUnit>().is_err());
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DimensionUnit::Units => "units",
            DimensionUnit::QuantityHours => "quantity-hours",
            DimensionUnit::Money => "money",
        }
    }
}

impl std::str::FromStr for DimensionUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<DimensionUnit, String> {
        DimensionUnit::ALL
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| {
                format!("unknown unit `{s}` (expected \"units\", \"quantity-hours\" or \"money\")")
            })
    }
}

/// One dimension of a marketplace listing: a name, the cells whose metered
/// usage it counts, what its quantity counts and its listed price per
/// quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dimension {
    /// The listing's dimension name (1 to [`MAX_DIMENSION_NAME`] characters).
    pub name: String,
    /// What one reported quantity counts.
    pub unit: DimensionUnit,
    /// The listed price of one reported quantity.
    pub price: Price,
    /// The cells it counts, matrix order, each in one dimension only.
    pub cells: Vec<CellId>,
}

/// The deal's identifiers on its marketplace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Identifiers {
    /// AWS: the product code and the customer identifier.
    Aws {
        /// `ProductCode`.
        product_code: String,
        /// `CustomerIdentifier`.
        customer_identifier: String,
    },
    /// Azure: the SaaS subscription (or managed application) and the plan.
    Azure {
        /// `resourceId`.
        resource_id: String,
        /// `planId`.
        plan_id: String,
    },
    /// Google Cloud: the service and the consumer.
    Gcp {
        /// The service name, e.g. `unitcalc.example.com`.
        service_name: String,
        /// `consumerId`, e.g. `project:acme-prod` or the usage reporting id.
        consumer_id: String,
    },
}

impl Identifiers {
    /// The marketplace these identifiers belong to.
    pub fn marketplace(&self) -> Marketplace {
        match self {
            Identifiers::Aws { .. } => Marketplace::Aws,
            Identifiers::Azure { .. } => Marketplace::Azure,
            Identifiers::Gcp { .. } => Marketplace::Gcp,
        }
    }

    /// The two identifiers as (key, value), in the order files write them.
    pub fn pairs(&self) -> [(&'static str, &str); 2] {
        let [a, b] = self.marketplace().identifier_keys();
        match self {
            Identifiers::Aws {
                product_code: x,
                customer_identifier: y,
            }
            | Identifiers::Azure {
                resource_id: x,
                plan_id: y,
            }
            | Identifiers::Gcp {
                service_name: x,
                consumer_id: y,
            } => [(a, x.as_str()), (b, y.as_str())],
        }
    }
}

/// A deal's metering plan, resolved against its matrix and offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeteringPlan {
    /// Index of the metered offer in the deal (the first unless the plan
    /// names one).
    pub offer: usize,
    /// The identifiers (and so the marketplace, which is the deal's channel).
    pub identifiers: Identifiers,
    /// The dimensions, in the order written (names unique).
    pub dimensions: Vec<Dimension>,
}

impl MeteringPlan {
    /// The marketplace the plan reports to.
    pub fn marketplace(&self) -> Marketplace {
        self.identifiers.marketplace()
    }

    /// The dimension counting `cell`, if any.
    pub fn dimension_of(&self, cell: CellId) -> Option<usize> {
        self.dimensions.iter().position(|d| d.cells.contains(&cell))
    }
}
