//! One cell's hourly series: the formulas documented on [`generate`](super::generate).

use rust_decimal::Decimal;

use super::exact::{level_to_output, quantity_from_int, round_to, to_int, FastPath};
use super::noise::SplitMix64;
use super::{
    invalid, overflow, CellProfile, DAILY_SHAPE, FACTOR_SCALE, GROWTH_SCALE, OUTPUT_SCALE,
};
use crate::error::Result;
use crate::num::{add, mul_rounded as mul, sub, Overflow, Quantity};
use crate::time::{Hour, Term};

/// One cell's series; the cell has been validated.
pub(super) fn cell_series(
    seed: u64,
    index: usize,
    c: &CellProfile,
    term: &Term,
    allow_fast: bool,
) -> Result<Vec<Quantity>> {
    let shape: Vec<Decimal> = DAILY_SHAPE
        .iter()
        .map(|s| Decimal::from_str_exact(s).unwrap_or_default())
        .collect();
    let hours = term.hours();
    let start = term.start_hour();
    // Month boundaries as hour offsets from the term start.
    let mut bounds = Vec::with_capacity((term.months as usize).saturating_add(1));
    for k in 0..=term.months {
        let d = term
            .start
            .add_months(k)
            .ok_or_else(|| invalid(format!("term month {k} is out of range")))?;
        bounds.push(usize::try_from(d.start_hour().0.saturating_sub(start.0)).unwrap_or(0));
    }
    {
        let g = c.monthly_growth.get();
        let one_plus_g = add(Decimal::ONE, g, "monthly growth").map_err(overflow)?;
        // Daily × weekly factor per (weekend?, hour of day).
        let mut factor = [[Decimal::ONE; 24]; 2];
        let dip = sub(Decimal::ONE, c.weekend_dip.get(), "weekly factor").map_err(overflow)?;
        let [weekday_row, weekend_row] = &mut factor;
        for ((s, f0), f1) in shape
            .iter()
            .zip(weekday_row.iter_mut())
            .zip(weekend_row.iter_mut())
        {
            let amplitude = mul(c.daily_amplitude.get(), *s, "daily factor").map_err(overflow)?;
            let daily = add(Decimal::ONE, amplitude, "daily factor").map_err(overflow)?;
            *f0 = round_to(daily, FACTOR_SCALE);
            *f1 = round_to(
                mul(daily, dip, "daily and weekly factor").map_err(overflow)?,
                FACTOR_SCALE,
            );
        }
        let noise = c.noise.get();
        let fast = if allow_fast {
            FastPath::new(&factor, noise)
        } else {
            None
        };
        let mut rng = SplitMix64::for_cell(seed, index);
        let mut out = Vec::with_capacity(hours);
        let mut a_k = round_to(c.baseline.get(), GROWTH_SCALE);
        for pair in bounds.windows(2) {
            let &[m0, m1] = pair else {
                continue;
            };
            let month_hours = m1.saturating_sub(m0);
            let len = Decimal::from(month_hours as u64);
            let b_k = mul(a_k, g, "monthly growth")
                .map_err(overflow)?
                .checked_div(len)
                .ok_or_else(|| {
                    overflow(Overflow {
                        what: "monthly growth",
                    })
                })?;
            let b_k = round_to(b_k, GROWTH_SCALE);
            let mut hour = Hour(
                start
                    .0
                    .saturating_add(i64::try_from(m0).unwrap_or(i64::MAX)),
            );
            match (to_int(a_k, GROWTH_SCALE), to_int(b_k, GROWTH_SCALE), &fast) {
                (Some(a), Some(b), Some(fast)) => {
                    // Integer fast path: the same exact products and half-even
                    // roundings as the decimal path below. Growth a + b·t is a
                    // running sum (the same exact values), and the hour of
                    // day and weekday are counters: no multiplication or
                    // division by the hour.
                    let mut growth = a;
                    let mut hod = usize::from(hour.hour_of_day());
                    let mut weekday = hour.weekday();
                    for t in 0..month_hours {
                        if t > 0 {
                            growth = growth
                                .checked_add(b)
                                .ok_or_else(|| overflow(Overflow { what: "growth" }))?;
                        }
                        let mut f = *fast
                            .factor
                            .get(usize::from(weekday >= 5))
                            .and_then(|row| row.get(hod))
                            .ok_or_else(|| overflow(Overflow { what: "factor" }))?;
                        let k = rng.next_k();
                        if fast.noise != 0 {
                            f = fast
                                .noisy(f, k)
                                .ok_or_else(|| overflow(Overflow { what: "noise" }))?;
                        }
                        let q = level_to_output(growth, f)
                            .ok_or_else(|| overflow(Overflow { what: "level" }))?
                            .max(0);
                        out.push(quantity_from_int(q));
                        hod = hod.wrapping_add(1);
                        if hod == 24 {
                            hod = 0;
                            weekday = if weekday == 6 {
                                0
                            } else {
                                weekday.wrapping_add(1)
                            };
                        }
                    }
                }
                _ => {
                    for t in 0..month_hours {
                        let growth = add(
                            a_k,
                            mul(b_k, Decimal::from(t as u64), "growth").map_err(overflow)?,
                            "growth",
                        )
                        .map_err(overflow)?;
                        let weekend = usize::from(hour.weekday() >= 5);
                        let mut f = *factor
                            .get(weekend)
                            .and_then(|row| row.get(usize::from(hour.hour_of_day())))
                            .ok_or_else(|| overflow(Overflow { what: "factor" }))?;
                        let u = rng.next_unit();
                        if !noise.is_zero() {
                            let n = add(
                                Decimal::ONE,
                                mul(noise, u, "noise").map_err(overflow)?,
                                "noise",
                            )
                            .map_err(overflow)?;
                            f = round_to(mul(f, n, "noise").map_err(overflow)?, FACTOR_SCALE);
                        }
                        let level = mul(growth, f, "level").map_err(overflow)?;
                        let mut q = round_to(level, OUTPUT_SCALE);
                        if q.is_sign_negative() {
                            q = Decimal::ZERO;
                        }
                        out.push(Quantity(q.normalize()));
                        hour.0 = hour.0.saturating_add(1);
                    }
                }
            }
            a_k = round_to(
                mul(a_k, one_plus_g, "monthly growth").map_err(overflow)?,
                GROWTH_SCALE,
            );
        }
        for b in &c.bursts {
            let from = usize::try_from(b.start.0.saturating_sub(start.0)).unwrap_or(0);
            for q in out.iter_mut().skip(from).take(b.hours as usize) {
                *q = b.level;
            }
        }
        Ok(out)
    }
}
