//! The semantic rules of a matrix (ids, positive rates, multipliers, fee
//! tiers), each error located at the value it is about.

use rust_decimal::Decimal;

use crate::error::{Error, Origin, Result};
use crate::matrix::{Environment, Matrix, Meter, UseCase};
use crate::toml_util::{valid_id, NOT_OFFERED};

/// A thing in a matrix a semantic rule can point at.
#[derive(Debug, Clone, Copy)]
pub(super) enum Loc {
    Name,
    Version,
    Currency,
    ListPrice,
    Meters,
    Environments,
    UseCases,
    MeterId(usize),
    MeterUnit(usize),
    BaseRate(usize),
    EnvId(usize),
    Marketplace(usize),
    TierFrom(usize, usize),
    TierRate(usize, usize),
    UseCaseId(usize),
    Multiplier(usize, usize),
}

pub(super) fn invalid(at: Origin, message: String) -> Error {
    Error::Invalid { at, message }
}

/// Rules on the id lists: not empty, ids well formed and unique.
pub(super) fn check_lists(
    meters: &[Meter],
    envs: &[Environment],
    ucs: &[UseCase],
    at: &dyn Fn(Loc) -> Origin,
) -> Result<()> {
    fn ids<'a>(
        what: &str,
        list: impl Iterator<Item = &'a String>,
        whole: Loc,
        item: fn(usize) -> Loc,
        at: &dyn Fn(Loc) -> Origin,
    ) -> Result<()> {
        let list: Vec<&String> = list.collect();
        if list.is_empty() {
            return Err(invalid(
                at(whole),
                format!("at least one {what} is required"),
            ));
        }
        if list.len() > usize::from(u16::MAX) {
            return Err(invalid(
                at(whole),
                format!("too many {what}s: {} (at most {})", list.len(), u16::MAX),
            ));
        }
        for (i, id) in list.iter().enumerate() {
            if !valid_id(id) {
                return Err(invalid(
                    at(item(i)),
                    format!("{what} id `{id}` must be 1 to 64 ASCII letters, digits, `-` or `_`"),
                ));
            }
            if list.iter().take(i).any(|x| x == id) {
                return Err(invalid(at(item(i)), format!("duplicate {what} id `{id}`")));
            }
        }
        Ok(())
    }
    ids(
        "meter",
        meters.iter().map(|m| &m.id),
        Loc::Meters,
        Loc::MeterId,
        at,
    )?;
    ids(
        "environment",
        envs.iter().map(|e| &e.id),
        Loc::Environments,
        Loc::EnvId,
        at,
    )?;
    ids(
        "use case",
        ucs.iter().map(|u| &u.id),
        Loc::UseCases,
        Loc::UseCaseId,
        at,
    )?;
    Ok(())
}

/// Value rules: names, positive rates, multipliers and list price, fee tiers.
pub(super) fn check(m: &Matrix, at: &dyn Fn(Loc) -> Origin) -> Result<()> {
    if m.name.trim().is_empty() {
        return Err(invalid(
            at(Loc::Name),
            "the matrix name must not be empty".into(),
        ));
    }
    if m.version.trim().is_empty() {
        return Err(invalid(
            at(Loc::Version),
            "the matrix version must not be empty".into(),
        ));
    }
    if m.currency.code.is_empty() {
        return Err(invalid(
            at(Loc::Currency),
            "the currency must not be empty".into(),
        ));
    }
    if m.list_price.0 <= Decimal::ZERO {
        return Err(invalid(
            at(Loc::ListPrice),
            format!("list price must be greater than 0, got `{}`", m.list_price),
        ));
    }
    for (i, meter) in m.meters.iter().enumerate() {
        if meter.unit.trim().is_empty() {
            return Err(invalid(
                at(Loc::MeterUnit(i)),
                format!("meter `{}`: unit must not be empty", meter.id),
            ));
        }
        if meter.base_rate.0 <= Decimal::ZERO {
            return Err(invalid(
                at(Loc::BaseRate(i)),
                format!(
                    "meter `{}`: base rate must be greater than 0, got `{}`",
                    meter.id, meter.base_rate
                ),
            ));
        }
    }
    for (i, env) in m.environments.iter().enumerate() {
        let Some(schedule) = &env.marketplace else {
            continue;
        };
        if schedule.tiers.is_empty() {
            return Err(invalid(
                at(Loc::Marketplace(i)),
                format!(
                    "environment `{}`: a marketplace schedule needs at least one tier, from \"0\"",
                    env.id
                ),
            ));
        }
        for (t, tier) in schedule.tiers.iter().enumerate() {
            if t == 0 && !tier.from.is_zero() {
                return Err(invalid(
                    at(Loc::TierFrom(i, t)),
                    format!(
                        "environment `{}`: the first marketplace tier must start at 0, got `{}`",
                        env.id, tier.from
                    ),
                ));
            }
            let previous = t.checked_sub(1).and_then(|p| schedule.tiers.get(p));
            if let Some(previous) = previous.filter(|p| tier.from <= p.from) {
                return Err(invalid(
                    at(Loc::TierFrom(i, t)),
                    format!(
                        "environment `{}`: marketplace tiers must be strictly ascending, `{}` follows `{}`",
                        env.id,
                        tier.from,
                        previous.from
                    ),
                ));
            }
            if tier.rate.0 < Decimal::ZERO || tier.rate.0 >= Decimal::ONE {
                return Err(invalid(
                    at(Loc::TierRate(i, t)),
                    format!(
                        "environment `{}`: marketplace fee rate must be in [0, 1), got `{}`",
                        env.id, tier.rate
                    ),
                ));
            }
        }
    }
    for (e, env) in m.environments.iter().enumerate() {
        for (u, uc) in m.use_cases.iter().enumerate() {
            if let Some(Some(r)) = m
                .multipliers
                .get(e.saturating_mul(m.use_cases.len()).saturating_add(u))
            {
                if r.0 <= Decimal::ZERO {
                    return Err(invalid(
                        at(Loc::Multiplier(e, u)),
                        format!(
                            "multiplier for `{}`/`{}` must be greater than 0 (or \"{NOT_OFFERED}\"), got `{r}`",
                            env.id, uc.id
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
