//! Writing a [`Deal`] as deal TOML that [`super::read`] reads back to an
//! equal deal.

use std::fmt::Write as _;

use crate::deal::{Deal, MatrixChoice, UsageSource};
use crate::matrix::{CellId, Matrix};
use crate::offer::{Channel, OfferKind};
use crate::profile::Profile;
use crate::toml_util::quote;

fn cell_keys(m: &Matrix, cell: CellId) -> String {
    let n = m.cell_name(cell);
    format!(
        "meter = {}, environment = {}, use_case = {}",
        quote(&n.meter),
        quote(&n.environment),
        quote(&n.use_case)
    )
}

/// Writes a deal as TOML that [`super::parse_deal`] reads back to an equal
/// deal. A bundled matrix is written as its file name (`spec-m.toml`, which
/// the CLI finds among the bundled matrices when no such file is beside the
/// deal), a custom one as `NAME.toml` after the matrix's name (save it
/// beside the deal under that name).
///
/// ```
/// use unitcalc_core::deal_toml::{parse_deal, to_toml};
/// use unitcalc_core::matrix_toml::parse_matrix;
/// let m = parse_matrix(include_str!("../../../../matrices/spec-m.toml"), "spec-m.toml").unwrap();
/// let src = include_str!("../../../../examples/deals/spec-example-c.toml");
/// let deal = parse_deal(src, "spec-example-c.toml", &m).unwrap();
/// assert_eq!(parse_deal(&to_toml(&deal, &m), "written", &m).unwrap(), deal);
/// ```
pub fn to_toml(deal: &Deal, matrix: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "name = {}", quote(&deal.name));
    let path = match &deal.matrix {
        MatrixChoice::File(p) => p.clone(),
        MatrixChoice::Bundled(n) => format!("{n}.toml"),
        MatrixChoice::Custom(_) => format!("{}.toml", matrix.name),
    };
    let _ = writeln!(s, "matrix = {}", quote(&path));
    let channel = match &deal.terms.channel {
        Channel::Direct => "direct",
        Channel::Marketplace(env) => env.as_str(),
    };
    let _ = writeln!(s, "channel = {}", quote(channel));
    let _ = writeln!(
        s,
        "\n[term]\nstart = \"{}\"\nmonths = {}",
        deal.terms.term.start, deal.terms.term.months
    );
    match &deal.usage {
        UsageSource::Zero => {}
        UsageSource::Csv(path) => {
            let _ = writeln!(s, "\n[usage]\ncsv = {}", quote(path));
        }
        UsageSource::Profile(p) => s.push_str(&profile_toml(p, matrix)),
    }
    for o in &deal.offers {
        let _ = writeln!(
            s,
            "\n[[offers]]\nname = {}\nkind = \"{}\"",
            quote(&o.name),
            o.kind.as_str()
        );
        match &o.kind {
            OfferKind::PayAsYouGo(p) => {
                let _ = writeln!(s, "discount = \"{}\"", p.discount);
            }
            OfferKind::FixedCapacity(f) => {
                let _ = writeln!(s, "monthly_fee = \"{}\"", f.monthly_fee);
                let _ = writeln!(s, "payment = \"{}\"", f.payment.as_str());
                let _ = writeln!(s, "tolerance = \"{}\"", f.overage.tolerance);
                let _ = writeln!(s, "grace_hours = {}", f.overage.grace_hours);
                if let Some(p) = f.overage.price {
                    let _ = writeln!(s, "overage_price = \"{p}\"");
                }
                s.push_str("entitlements = [\n");
                for e in &f.entitlements {
                    let _ = writeln!(
                        s,
                        "  {{ {}, quantity = \"{}\" }},",
                        cell_keys(matrix, e.cell),
                        e.quantity
                    );
                }
                s.push_str("]\n");
            }
            OfferKind::Commitment(c) => {
                let _ = writeln!(s, "units = \"{}\"", c.units);
                let _ = writeln!(s, "commit_price = \"{}\"", c.price);
                let _ = writeln!(s, "payment = \"{}\"", c.payment.as_str());
                if let Some(p) = c.overage_price {
                    let _ = writeln!(s, "overage_price = \"{p}\"");
                }
            }
        }
    }
    if let Some(plan) = &deal.metering {
        let offer = deal.offers.get(plan.offer).map_or("", |o| o.name.as_str());
        let _ = writeln!(s, "\n[metering]\noffer = {}", quote(offer));
        for (key, value) in plan.identifiers.pairs() {
            let _ = writeln!(s, "{key} = {}", quote(value));
        }
        for d in &plan.dimensions {
            let _ = writeln!(
                s,
                "\n[[metering.dimensions]]\nname = {}\nunit = \"{}\"\nprice = \"{}\"\ncells = [",
                quote(&d.name),
                d.unit.as_str(),
                d.price
            );
            for c in &d.cells {
                let _ = writeln!(s, "  {{ {} }},", cell_keys(matrix, *c));
            }
            s.push_str("]\n");
        }
    }
    s
}

/// The `[usage.profile]` section of a deal file for `profile`, as
/// [`to_toml`] writes it (and `unitcalc usage fit --profile-toml` prints).
///
/// ```
/// use unitcalc_core::{bundled, deal_toml::profile_toml, profile::{CellProfile, Profile}};
/// let m = bundled::matrix("spec-m").unwrap();
/// let cell = m.cell("capacity", "aws", "hot").unwrap();
/// let p = Profile { seed: 1, cells: vec![CellProfile {
///     cell, baseline: "500".parse().unwrap(), monthly_growth: "0.02".parse().unwrap(),
///     daily_amplitude: Default::default(), weekend_dip: Default::default(),
///     noise: Default::default(), bursts: vec![] }] };
/// assert!(profile_toml(&p, &m).contains("environment = \"aws\"\nuse_case = \"hot\"\nbaseline = \"500\"\nmonthly_growth = \"0.02\""));
/// ```
pub fn profile_toml(p: &Profile, matrix: &Matrix) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n[usage.profile]\nseed = {}", p.seed);
    for c in &p.cells {
        let n = matrix.cell_name(c.cell);
        let _ = writeln!(
            s,
            "\n[[usage.profile.cells]]\nmeter = {}\nenvironment = {}\nuse_case = {}",
            quote(&n.meter),
            quote(&n.environment),
            quote(&n.use_case)
        );
        let _ = writeln!(s, "baseline = \"{}\"", c.baseline);
        let _ = writeln!(s, "monthly_growth = \"{}\"", c.monthly_growth);
        let _ = writeln!(s, "daily_amplitude = \"{}\"", c.daily_amplitude);
        let _ = writeln!(s, "weekend_dip = \"{}\"", c.weekend_dip);
        let _ = writeln!(s, "noise = \"{}\"", c.noise);
        let bursts: Vec<String> = c
            .bursts
            .iter()
            .map(|b| {
                format!(
                    "{{ start = \"{}\", hours = {}, level = \"{}\" }}",
                    b.start, b.hours, b.level
                )
            })
            .collect();
        let _ = writeln!(s, "bursts = [{}]", bursts.join(", "));
    }
    s
}
