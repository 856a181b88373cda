//! The metering plan as written (`[metering]` in a deal file) and its
//! resolution: the resolver's checks for the plan, after the deal's own
//! (the plan names the deal's offers and reports to the deal's channel).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{clip, Result};
use crate::matrix::{CellId, Matrix};
use crate::metering::{
    Dimension, DimensionUnit, Identifiers, Marketplace, MeteringPlan, MAX_DIMENSION_NAME,
    MAX_IDENTIFIER,
};
use crate::num::Price;
use crate::offer::{Channel, OfferKind};

use super::field::{CellPart, DimensionField, Field, Locate, MeteringField};
use super::resolve::{Bound, Ctx};
use super::{Deal, UsageSource};

/// One metering dimension as written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DimensionSpec {
    /// The listing's dimension name.
    pub name: String,
    /// `units`, `quantity-hours` or `money`.
    pub unit: String,
    /// Listed price of one reported quantity, a decimal string.
    pub price: String,
    /// The cells it counts, `meter/environment/use_case`.
    pub cells: Vec<String>,
}

/// A deal's metering plan as written: which offer is metered (empty: the
/// first), the marketplace identifiers (key and value, as written) and the
/// dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MeteringSpec {
    /// The metered offer's name; empty is the deal's first offer.
    pub offer: String,
    /// Identifier keys and values, in the order written.
    pub identifiers: Vec<(String, String)>,
    /// Dimensions, in the order written.
    pub dimensions: Vec<DimensionSpec>,
}

impl MeteringSpec {
    /// Checks the plan against the resolved `deal` (its channel and offers)
    /// and `matrix`, with errors located by `locate`.
    ///
    /// ```
    /// use unitcalc_core::{bundled, deal::{DealSpec, DimensionSpec, FieldLabels, MeteringSpec}};
    /// let m = bundled::matrix("spec-m").unwrap();
    /// let mut spec = DealSpec::example();
    /// spec.channel = "azure".into();
    /// let deal = spec.resolve(&m, &FieldLabels).unwrap();
    /// let plan = MeteringSpec {
    ///     offer: String::new(),
    ///     identifiers: vec![
    ///         ("resource_id".into(), "6f2b7c1e-0d4a-4b8e-9c3f-2a1d5e7f9b10".into()),
    ///         ("plan_id".into(), "fixed-500".into()),
    ///     ],
    ///     dimensions: vec![DimensionSpec {
    ///         name: "overage".into(), unit: "money".into(), price: "0.01".into(),
    ///         cells: vec!["capacity/azure/hot".into()],
    ///     }],
    /// };
    /// assert_eq!(plan.resolve(&m, &deal, &FieldLabels).unwrap().dimensions.len(), 1);
    /// let mut bad = plan.clone();
    /// bad.identifiers.pop();
    /// assert_eq!(
    ///     bad.resolve(&m, &deal, &FieldLabels).unwrap_err().to_string(),
    ///     "scenario metering: the azure marketplace needs `plan_id`"
    /// );
    /// ```
    pub fn resolve(
        &self,
        matrix: &Matrix,
        deal: &Deal,
        locate: &dyn Locate,
    ) -> Result<MeteringPlan> {
        let cx = Ctx::new(matrix, locate);
        let whole = Field::Metering(MeteringField::Whole);
        let market = match &deal.terms.channel {
            Channel::Direct => {
                return Err(cx.invalid(
                    whole,
                    "metering",
                    "usage is metered to a marketplace, but the deal's channel is `direct` (write channel = \"aws\", \"azure\" or \"gcp\")",
                ))
            }
            Channel::Marketplace(id) => Marketplace::from_channel(id).ok_or_else(|| {
                cx.invalid(
                    whole,
                    "metering",
                    format!("no metering format for channel `{id}` (metering writes for aws, azure and gcp)"),
                )
            })?,
        };
        let offer = if self.offer.trim().is_empty() {
            0
        } else {
            let name = self.offer.trim();
            deal.offers
                .iter()
                .position(|o| o.name == name)
                .ok_or_else(|| {
                    cx.invalid(
                        Field::Metering(MeteringField::Offer),
                        "metering",
                        format!("the deal has no offer named `{}`", clip(name)),
                    )
                })?
        };
        let identifiers = identifiers(&cx, market, &self.identifiers)?;
        if self.dimensions.is_empty() {
            return Err(cx.invalid(
                whole,
                "metering",
                "a metering plan needs at least one [[metering.dimensions]]",
            ));
        }
        let mut dimensions: Vec<Dimension> = Vec::with_capacity(self.dimensions.len());
        for (i, d) in self.dimensions.iter().enumerate() {
            let dim = dimension(&cx, i, d)?;
            let at = |f| Field::Metering(MeteringField::Dimension(i, f));
            if dimensions.iter().any(|o| o.name == dim.name) {
                return Err(cx.invalid(
                    at(DimensionField::Name),
                    "metering",
                    format!("two dimensions are named `{}`", clip(&dim.name)),
                ));
            }
            for (k, cell) in dim.cells.iter().enumerate() {
                if let Some(other) = dimensions.iter().find(|o| o.cells.contains(cell)) {
                    return Err(cx.invalid(
                        at(DimensionField::Cell(k, CellPart::Whole)),
                        "metering",
                        format!(
                            "cell {} is counted by dimensions `{}` and `{}`; give each cell one dimension",
                            matrix.cell_name(*cell),
                            clip(&other.name),
                            clip(&dim.name)
                        ),
                    ));
                }
            }
            dimensions.push(dim);
        }
        let plan = MeteringPlan {
            offer,
            identifiers,
            dimensions,
        };
        if let Some(cell) = known_metered_cells(deal, offer)
            .into_iter()
            .find(|c| plan.dimension_of(*c).is_none())
        {
            let name = deal.offers.get(offer).map_or("", |o| o.name.as_str());
            return Err(cx.invalid(
                whole,
                "metering",
                format!(
                    "cell {} is metered under offer `{name}` but no dimension counts it",
                    matrix.cell_name(cell)
                ),
            ));
        }
        Ok(plan)
    }
}

/// The cells whose usage the deal itself says the offer meters: a
/// fixed-capacity offer's entitled cells and the usage profile's cells (a
/// usage CSV's cells are checked when the usage is metered).
fn known_metered_cells(deal: &Deal, offer: usize) -> Vec<CellId> {
    let mut cells: Vec<CellId> = Vec::new();
    if let Some(OfferKind::FixedCapacity(f)) = deal.offers.get(offer).map(|o| &o.kind) {
        cells.extend(f.entitlements.iter().map(|e| e.cell));
    }
    if let UsageSource::Profile(p) = &deal.usage {
        cells.extend(p.cells.iter().map(|c| c.cell));
    }
    cells.sort();
    cells.dedup();
    cells
}

fn identifiers(
    cx: &Ctx<'_>,
    market: Marketplace,
    written: &[(String, String)],
) -> Result<Identifiers> {
    let keys = market.identifier_keys();
    let mut values: [Option<String>; 2] = [None, None];
    for (i, (key, value)) in written.iter().enumerate() {
        let at = Field::Metering(MeteringField::Identifier(i));
        let Some(slot) = keys
            .iter()
            .position(|k| k == key)
            .and_then(|j| values.get_mut(j))
        else {
            return Err(cx.invalid(
                at,
                "metering",
                format!(
                    "`{key}` does not apply to the {} marketplace",
                    market.as_str()
                ),
            ));
        };
        identifier(market, key, value).map_err(|m| cx.invalid(at, "metering", m))?;
        *slot = Some(value.clone());
    }
    let whole = Field::Metering(MeteringField::Whole);
    let [a, b] = values;
    let need = |v: Option<String>, key: &str| {
        v.ok_or_else(|| {
            cx.invalid(
                whole,
                "metering",
                format!("the {} marketplace needs `{key}`", market.as_str()),
            )
        })
    };
    let (a, b) = (need(a, keys[0])?, need(b, keys[1])?);
    Ok(match market {
        Marketplace::Aws => Identifiers::Aws {
            product_code: a,
            customer_identifier: b,
        },
        Marketplace::Azure => Identifiers::Azure {
            resource_id: a,
            plan_id: b,
        },
        Marketplace::Gcp => Identifiers::Gcp {
            service_name: a,
            consumer_id: b,
        },
    })
}

/// The checks on one identifier, as a message.
fn identifier(market: Marketplace, key: &str, value: &str) -> std::result::Result<(), String> {
    if value.is_empty() {
        return Err(format!("`{key}` must not be empty"));
    }
    let n = value.chars().count();
    if n > MAX_IDENTIFIER {
        return Err(format!(
            "`{key}` is {n} characters long; at most {MAX_IDENTIFIER}"
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{key}` must not contain spaces or control characters, got `{}`",
            clip(value)
        ));
    }
    let ok = match (market, key) {
        (Marketplace::Aws, "product_code") => value.chars().all(|c| c.is_ascii_alphanumeric()),
        (Marketplace::Azure, "resource_id") => {
            is_guid(value) || value.starts_with("/subscriptions/")
        }
        (Marketplace::Gcp, "consumer_id") => value
            .split_once(':')
            .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()),
        (Marketplace::Gcp, "service_name") => value.contains('.'),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let rule = match key {
        "product_code" => "letters and digits only",
        "resource_id" => {
            "a SaaS subscription id (a GUID such as 6f2b7c1e-0d4a-4b8e-9c3f-2a1d5e7f9b10) or a resource path starting with /subscriptions/"
        }
        "consumer_id" => "`project:ID`, `project_number:N` or the entitlement's usage reporting id",
        _ => "a service's DNS name, such as unitcalc.example.com",
    };
    Err(format!("`{key}` must be {rule}, got `{}`", clip(value)))
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn dimension(cx: &Ctx<'_>, i: usize, d: &DimensionSpec) -> Result<Dimension> {
    let at = |f| Field::Metering(MeteringField::Dimension(i, f));
    let n = d.name.chars().count();
    if d.name.trim().is_empty() {
        return Err(cx.invalid(
            at(DimensionField::Name),
            "metering",
            "a dimension needs a name",
        ));
    }
    if n > MAX_DIMENSION_NAME {
        return Err(cx.invalid(
            at(DimensionField::Name),
            "metering",
            format!(
                "dimension name `{}…` is {n} characters long; a marketplace takes 1 to {MAX_DIMENSION_NAME}",
                clip(&d.name)
            ),
        ));
    }
    let context = format!("metering dimension `{}`", clip(&d.name));
    let unit: DimensionUnit = d
        .unit
        .trim()
        .parse()
        .map_err(|m: String| cx.invalid(at(DimensionField::Unit), &context, m))?;
    let price = Price(cx.bounded(
        at(DimensionField::Price),
        &context,
        &d.price,
        Bound::Positive,
    )?);
    if unit == DimensionUnit::Money {
        let minor = Decimal::new(1, cx.m.currency.minor_units);
        if price.get() != minor {
            return Err(cx.invalid(
                at(DimensionField::Price),
                &context,
                format!(
                    "a money dimension counts minor units: its price is {minor} (one {} minor unit), got `{}`",
                    cx.m.currency.code,
                    price.get()
                ),
            ));
        }
    }
    if d.cells.is_empty() {
        return Err(cx.invalid(
            at(DimensionField::Whole),
            &context,
            "a dimension needs at least one cell",
        ));
    }
    let mut cells = Vec::with_capacity(d.cells.len());
    for (k, text) in d.cells.iter().enumerate() {
        let cell = cx.cell(text, |p| at(DimensionField::Cell(k, p)), &context)?;
        if cells.contains(&cell) {
            return Err(cx.invalid(
                at(DimensionField::Cell(k, CellPart::Whole)),
                &context,
                format!("cell {} is listed twice", cx.m.cell_name(cell)),
            ));
        }
        cells.push(cell);
    }
    cells.sort();
    Ok(Dimension {
        name: d.name.clone(),
        unit,
        price,
        cells,
    })
}
