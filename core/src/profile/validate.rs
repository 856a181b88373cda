//! The checks made before generating: ranges, bursts, repeated cells.

use rust_decimal::Decimal;

use super::{invalid, CellProfile, Profile};
use crate::error::{Error, Origin, Result};
use crate::num::Ratio;
use crate::time::{Hour, Term};

fn check_ratio(i: usize, name: &str, v: Ratio, min: Decimal, max: Decimal) -> Result<()> {
    if v.get() < min || v.get() > max {
        return Err(invalid(format!(
            "cell #{}: {name} {v} is outside {min} to {max}",
            i.saturating_add(1)
        )));
    }
    Ok(())
}

/// The checks [`generate`](super::generate) makes before generating: every
/// cell profile's ranges and bursts, and no cell repeated.
pub fn validate(profile: &Profile, term: &Term) -> Result<()> {
    if let Some(last) = profile.cells.last() {
        crate::usage::check_slots(profile.cells.len(), term.hours(), || {
            format!(
                "#{} (meter {}, environment {}, use case {})",
                profile.cells.len(),
                last.cell.meter,
                last.cell.environment,
                last.cell.use_case
            )
        })
        .map_err(|e| Error::usage(Origin::file("usage profile"), e))?;
    }
    for (i, c) in profile.cells.iter().enumerate() {
        if let Some(j) = profile.cells.iter().take(i).position(|o| o.cell == c.cell) {
            return Err(invalid(format!(
                "cell #{} repeats the cell of cell #{} (meter {}, environment {}, use case {})",
                i.saturating_add(1),
                j.saturating_add(1),
                c.cell.meter,
                c.cell.environment,
                c.cell.use_case
            )));
        }
        validate_cell(i, c, term)?;
    }
    Ok(())
}

/// The checks of one cell profile (the `i`th, for messages).
pub(super) fn validate_cell(i: usize, c: &CellProfile, term: &Term) -> Result<()> {
    let (start, end) = (term.start_hour(), term.end_hour());
    {
        if c.baseline.get().is_sign_negative() && !c.baseline.is_zero() {
            return Err(invalid(format!(
                "cell #{}: negative baseline {}",
                i.saturating_add(1),
                c.baseline
            )));
        }
        check_ratio(
            i,
            "monthly_growth",
            c.monthly_growth,
            Decimal::NEGATIVE_ONE,
            Decimal::ONE,
        )?;
        check_ratio(
            i,
            "daily_amplitude",
            c.daily_amplitude,
            Decimal::ZERO,
            Decimal::ONE,
        )?;
        check_ratio(i, "weekend_dip", c.weekend_dip, Decimal::ZERO, Decimal::ONE)?;
        check_ratio(i, "noise", c.noise, Decimal::ZERO, Decimal::ONE)?;
        let mut spans: Vec<(i64, i64)> = Vec::with_capacity(c.bursts.len());
        for b in &c.bursts {
            let b_end = b
                .start
                .0
                .checked_add(i64::from(b.hours))
                .unwrap_or(i64::MAX);
            if b.hours == 0 || b.start < start || b_end > end.0 {
                return Err(invalid(format!(
                    "cell #{}: burst from {} for {} hours is not inside the term {} to {}",
                    i.saturating_add(1),
                    b.start,
                    b.hours,
                    start,
                    end
                )));
            }
            if b.level.get().is_sign_negative() && !b.level.is_zero() {
                return Err(invalid(format!(
                    "cell #{}: negative burst level {}",
                    i.saturating_add(1),
                    b.level
                )));
            }
            if let Some(o) = spans.iter().find(|(s, e)| b.start.0 < *e && *s < b_end) {
                return Err(invalid(format!(
                    "cell #{}: burst from {} overlaps the burst from {}",
                    i.saturating_add(1),
                    b.start,
                    Hour(o.0)
                )));
            }
            spans.push((b.start.0, b_end));
        }
    }
    Ok(())
}
