//! Usage from history: the profile parameters that best describe metered
//! hourly usage, per customer and cell, in the generator's own terms (see
//! [`generate`](super::generate)), so a customer's real shape can be carried
//! over a longer term or into a new deal.
//!
//! # Method
//!
//! Only whole UTC days count (a customer's first and last partial days are
//! left out); an hour with no record is zero. With `q` the hourly
//! quantities, `m_d` day `d`'s mean, `S` the daily shape ([`DAILY_SHAPE`]),
//! month `k` counted from the first whole day like the generator's term
//! months, `x_d = (t_d + 11.5) / L_k` the day's mean position in its month
//! (`t_d` its first hour's offset, `L_k` the month's hours):
//!
//! 1. **daily swing** `a = mean_d(Σ_j q_dj·S_j ÷ m_d) ÷ Σ_j S_j²` (the least
//!    squares slope of `q/m` on `S`; `Σ S = 0`);
//! 2. **weekend dip** `w = 1 − mean(m_d ÷ T_d, Sat/Sun) ÷ mean(m_d ÷ T_d,
//!    Mon–Fri)` with the trend `T_d = (1+g)^k (1 + g·x_d)`;
//! 3. **monthly growth** `g`: with `y_d = m_d ÷ (1 − w on weekends)` and `M_k`
//!    the mean of `y_d` over month `k`'s days, `g` solves
//!    `M_last ÷ M_first = (1+g)^(last−first) × (1 + g·c_last) ÷ (1 + g·c_first)`
//!    (`c_k` the mean `x_d` of the month's days) by bisection, between the
//!    first and last months with at least [`MIN_DAYS`] days; with one such
//!    month only, the least-squares line `y_d = A(1 + g·x_d)` over its days.
//!    Steps 2 and 3 are repeated three times, starting from `g = 0`;
//! 4. **baseline** `A_0 = Σ_h q_h ÷ Σ_h shape_h`, with
//!    `shape_h = (1+g)^k (1 + g·t_h/L_k) (1 + a·S_j) (1 − w on weekends)`,
//!    so the fitted curve holds exactly the history's quantity-hours;
//! 5. **noise** `n = √(3 × mean_h((q_h ÷ (A_0·shape_h) − 1)²))` over the hours
//!    where the curve is above zero: the generator's noise is uniform in
//!    `±n`, whose variance is `n²/3`.
//!
//! Every intermediate is an exact decimal rounded half-even to
//! [`WORK_SCALE`] places; the square root is the exact integer root, to the
//! nearest at [`PARAM_SCALE`] places. The
//! parameters are rounded half-even to [`PARAM_SCALE`] places, the baselines
//! to [`OUTPUT_SCALE`], and clamped to the generator's ranges. Bursts are
//! not detected: a burst in the history raises the noise and the baseline.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::{invalid, overflow, CellProfile, DAILY_SHAPE, OUTPUT_SCALE};
use crate::error::Result;
use crate::matrix::{CellId, CellName, Matrix};
use crate::num::{Overflow, Quantity, Ratio};
use crate::time::{Date, Hour};

/// Decimal places of the fitted growth, swing, dip and noise.
pub const PARAM_SCALE: u32 = 4;
/// Decimal places every intermediate of the fit is rounded to (half-even).
pub const WORK_SCALE: u32 = 12;
/// Whole days a month needs to count for the growth, and a history at least.
pub const MIN_DAYS: usize = 7;

/// Hourly usage gathered for fitting, per customer and cell.
///
/// ```
/// use unitcalc_core::{bundled, profile::fit::History, time::Hour};
/// let m = bundled::matrix("spec-m").unwrap();
/// let cell = m.cell("capacity", "aws", "hot").unwrap();
/// let mut h = History::default();
/// let start = Hour::parse_rfc3339("2026-03-02T00:00:00Z").unwrap();
/// for i in 0..24 * 14 {
///     h.push("", Hour(start.0 + i), cell, "500".parse().unwrap()).unwrap();
/// }
/// let fits = h.fit(&m).unwrap();
/// assert_eq!(fits[0].baseline.to_string(), "500");
/// assert_eq!(fits[0].monthly_growth.to_string(), "0");
/// assert_eq!(fits[0].noise.to_string(), "0");
/// ```
#[derive(Debug, Clone, Default)]
pub struct History {
    customers: BTreeMap<String, Customer>,
}

#[derive(Debug, Clone, Default)]
struct Customer {
    first: Option<Hour>,
    last: Option<Hour>,
    cells: BTreeMap<CellId, BTreeMap<i64, Decimal>>,
}

/// One customer's and cell's fitted profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellFit {
    /// The customer (empty when the usage has no `customer` column).
    pub customer: String,
    /// The cell.
    pub cell: CellName,
    /// The cell's id in the matrix.
    #[serde(skip)]
    pub cell_id: CellId,
    /// First whole day of the history.
    pub start: Date,
    /// Whole days fitted.
    pub days: usize,
    /// Σ hourly quantity over those days.
    pub quantity_hours: Quantity,
    /// Level at `start` (the generator's `baseline` for a term starting then).
    pub baseline: Quantity,
    /// Growth per month, compounded.
    pub monthly_growth: Ratio,
    /// Daily swing.
    pub daily_amplitude: Ratio,
    /// Weekend dip.
    pub weekend_dip: Ratio,
    /// Noise.
    pub noise: Ratio,
    /// First month start after the history: where a continuing term starts.
    pub next_start: Date,
    /// The level the trend reaches at `next_start` (`baseline × (1+g)^months`):
    /// the baseline of a term that continues the history.
    pub next_baseline: Quantity,
}

impl CellFit {
    /// The fitted values as text, in the order of the last seven of
    /// [`CSV_COLUMNS`]: baseline, growth, swing, dip, noise, next start and
    /// next baseline.
    pub fn values(&self) -> [String; 7] {
        [
            self.baseline.to_string(),
            self.monthly_growth.to_string(),
            self.daily_amplitude.to_string(),
            self.weekend_dip.to_string(),
            self.noise.to_string(),
            self.next_start.to_string(),
            self.next_baseline.to_string(),
        ]
    }

    /// The profile of a term starting at [`CellFit::next_start`], continuing
    /// the history (no bursts).
    pub fn continuing(&self) -> CellProfile {
        CellProfile {
            baseline: self.next_baseline,
            ..self.over_history()
        }
    }

    /// The profile of a term starting at [`CellFit::start`]: generated
    /// without noise, it is the fitted curve over the history.
    pub fn over_history(&self) -> CellProfile {
        CellProfile {
            cell: self.cell_id,
            baseline: self.baseline,
            monthly_growth: self.monthly_growth,
            daily_amplitude: self.daily_amplitude,
            weekend_dip: self.weekend_dip,
            noise: self.noise,
            bursts: Vec::new(),
        }
    }
}

impl History {
    /// Adds one hourly record; records of the same customer, hour and cell add up.
    pub fn push(
        &mut self,
        customer: &str,
        hour: Hour,
        cell: CellId,
        quantity: Quantity,
    ) -> std::result::Result<(), Overflow> {
        let c = match self.customers.get_mut(customer) {
            Some(c) => c,
            None => self.customers.entry(customer.to_string()).or_default(),
        };
        c.first = Some(c.first.map_or(hour, |f| f.min(hour)));
        c.last = Some(c.last.map_or(hour, |l| l.max(hour)));
        let slot = c.cells.entry(cell).or_default().entry(hour.0).or_default();
        *slot = slot.checked_add(quantity.get()).ok_or(Overflow {
            what: "usage history",
        })?;
        Ok(())
    }

    /// Fits every customer's cells, in customer then matrix order.
    pub fn fit(&self, matrix: &Matrix) -> Result<Vec<CellFit>> {
        let mut out = Vec::new();
        for (name, c) in &self.customers {
            let (Some(first), Some(last)) = (c.first, c.last) else {
                continue;
            };
            let day0 = first
                .0
                .div_euclid(24)
                .saturating_add(i64::from(first.hour_of_day() != 0));
            let day_end = last
                .0
                .div_euclid(24)
                .saturating_add(i64::from(last.hour_of_day() == 23));
            let days = usize::try_from(day_end.saturating_sub(day0)).unwrap_or(0);
            let who = if name.is_empty() {
                String::new()
            } else {
                format!("customer `{name}`: ")
            };
            if days < MIN_DAYS {
                return Err(invalid(format!(
                    "{who}{days} whole days of usage; fitting a profile needs at least {MIN_DAYS}"
                )));
            }
            let start = Hour(day0.saturating_mul(24));
            for (&cell, hours) in &c.cells {
                let mut q = vec![Decimal::ZERO; days.saturating_mul(24)];
                for (&h, &v) in hours.range(start.0..start.0.saturating_add(q.len() as i64)) {
                    if let Some(slot) = usize::try_from(h.saturating_sub(start.0))
                        .ok()
                        .and_then(|i| q.get_mut(i))
                    {
                        *slot = v;
                    }
                }
                let id = (name.clone(), matrix.cell_name(cell), cell);
                out.push(fit_cell(start, &q, id).map_err(overflow)?);
            }
        }
        Ok(out)
    }
}

fn w(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(WORK_SCALE, RoundingStrategy::MidpointNearestEven)
}
fn mul(a: Decimal, b: Decimal) -> std::result::Result<Decimal, Overflow> {
    a.checked_mul(b).map(w).ok_or(Overflow {
        what: "profile fit",
    })
}
fn div(a: Decimal, b: Decimal) -> std::result::Result<Decimal, Overflow> {
    a.checked_div(b).map(w).ok_or(Overflow {
        what: "profile fit",
    })
}
fn add(a: Decimal, b: Decimal) -> std::result::Result<Decimal, Overflow> {
    a.checked_add(b).ok_or(Overflow {
        what: "profile fit",
    })
}
fn sub(a: Decimal, b: Decimal) -> std::result::Result<Decimal, Overflow> {
    a.checked_sub(b).ok_or(Overflow {
        what: "profile fit",
    })
}
fn dec(n: usize) -> Decimal {
    Decimal::from(n as u64)
}
fn pow(base: Decimal, k: usize) -> std::result::Result<Decimal, Overflow> {
    let mut p = Decimal::ONE;
    for _ in 0..k {
        p = mul(p, base)?;
    }
    Ok(p)
}
fn clamp_round(x: Decimal, min: Decimal, max: Decimal) -> Ratio {
    Ratio(
        x.clamp(min, max)
            .round_dp_with_strategy(PARAM_SCALE, RoundingStrategy::MidpointNearestEven)
            .normalize(),
    )
}
fn level(x: Decimal) -> Quantity {
    Quantity(
        x.max(Decimal::ZERO)
            .round_dp_with_strategy(OUTPUT_SCALE, RoundingStrategy::MidpointNearestEven)
            .normalize(),
    )
}

/// `√x` rounded to the nearest at `scale` places (an irrational root has no
/// tie), from the exact integer root of `⌊x × 10^(2·scale)⌋`.
fn sqrt(x: Decimal, scale: u32) -> std::result::Result<Decimal, Overflow> {
    let o = Overflow {
        what: "profile fit",
    };
    if x <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    // n = x × 10^(2·scale) as an integer, floor; r = ⌊√n⌋; round by (2r+1)² vs 4n.
    let n = x
        .checked_mul(Decimal::from(
            10u64.checked_pow(scale.checked_mul(2).ok_or(o)?).ok_or(o)?,
        ))
        .ok_or(o)?
        .trunc();
    let n = n
        .mantissa()
        .checked_div(10i128.checked_pow(n.scale()).ok_or(o)?)
        .ok_or(o)?;
    if n == 0 {
        return Ok(Decimal::ZERO);
    }
    let mut r = 1i128 << 128u32.saturating_sub(n.leading_zeros()).div_ceil(2);
    // Newton's iteration from above converges to ⌊√n⌋.
    loop {
        let next = r.checked_add(n.checked_div(r).ok_or(o)?).ok_or(o)? / 2;
        if next >= r {
            break;
        }
        r = next;
    }
    let twice = r.checked_mul(2).and_then(|t| t.checked_add(1)).ok_or(o)?;
    if twice.checked_mul(twice).ok_or(o)? <= n.checked_mul(4).ok_or(o)? {
        r = r.checked_add(1).ok_or(o)?;
    }
    Decimal::try_from_i128_with_scale(r, scale).map_err(|_| o)
}

/// Day `d`'s place: its term month, its first hour's offset in that month
/// and the month's length in hours.
struct DayPlace {
    month: usize,
    offset: usize,
    month_hours: usize,
    weekend: bool,
}

/// The columns of [`to_csv`].
pub const CSV_COLUMNS: [&str; 14] = [
    "customer",
    "meter",
    "environment",
    "use_case",
    "start",
    "days",
    "quantity_hours",
    "baseline",
    "monthly_growth",
    "daily_amplitude",
    "weekend_dip",
    "noise",
    "next_start",
    "next_baseline",
];

/// The fits as a tidy CSV, one row per customer and cell (text fields
/// neutralised against spreadsheet formulas).
pub fn to_csv(fits: &[CellFit]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    for f in fits {
        let text = |t: &str| crate::bill_csv::text_field(t).into_owned();
        let mut fields = vec![
            text(&f.customer),
            text(&f.cell.meter),
            text(&f.cell.environment),
            text(&f.cell.use_case),
            f.start.to_string(),
            f.days.to_string(),
            f.quantity_hours.to_string(),
        ];
        fields.extend(f.values());
        crate::bill_csv::push_row(&mut out, &fields);
    }
    out
}

/// Fits one customer's cell over whole days from `start` (method steps 1–5).
fn fit_cell(
    start: Hour,
    q: &[Decimal],
    (customer, cell, cell_id): (String, CellName, CellId),
) -> std::result::Result<CellFit, Overflow> {
    let o = Overflow {
        what: "profile fit",
    };
    let days = q.len() / 24;
    let start_date = start.date();
    // Month boundaries as hour offsets, until past the history.
    let mut bounds = vec![0usize];
    let mut k = 0u32;
    while bounds.last().copied().unwrap_or(usize::MAX) < q.len() {
        k = k.checked_add(1).ok_or(o)?;
        let d = start_date.add_months(k).ok_or(o)?;
        bounds.push(usize::try_from(d.start_hour().0.saturating_sub(start.0)).map_err(|_| o)?);
    }
    let months = bounds.len().saturating_sub(1);
    let place = |h: usize| -> DayPlace {
        let month = bounds.partition_point(|&b| b <= h).saturating_sub(1);
        let m0 = bounds.get(month).copied().unwrap_or(0);
        let m1 = bounds.get(month.saturating_add(1)).copied().unwrap_or(m0);
        DayPlace {
            month,
            offset: h.saturating_sub(m0),
            month_hours: m1.saturating_sub(m0).max(1),
            weekend: Hour(start.0.saturating_add(h as i64)).weekday() >= 5,
        }
    };
    let shape: Vec<Decimal> = DAILY_SHAPE
        .iter()
        .map(|s| Decimal::from_str_exact(s).unwrap_or_default())
        .collect();
    let sum_s2 = shape
        .iter()
        .try_fold(Decimal::ZERO, |acc, s| add(acc, mul(*s, *s)?))?;
    let places: Vec<DayPlace> = (0..days).map(|d| place(d.saturating_mul(24))).collect();
    let half_day = Decimal::new(115, 1);
    let x: Vec<Decimal> = places
        .iter()
        .map(|p| div(add(dec(p.offset), half_day)?, dec(p.month_hours)))
        .collect::<std::result::Result<_, _>>()?;

    // Day sums and means, and the daily swing.
    let mut means = Vec::with_capacity(days);
    let (mut swing, mut swing_days) = (Decimal::ZERO, 0usize);
    let mut total = Decimal::ZERO;
    for day in q.chunks_exact(24) {
        let sum = day.iter().try_fold(Decimal::ZERO, |a, v| add(a, *v))?;
        total = add(total, sum)?;
        let m = div(sum, dec(24))?;
        if m > Decimal::ZERO {
            let dot = day
                .iter()
                .zip(&shape)
                .try_fold(Decimal::ZERO, |a, (v, s)| add(a, mul(*v, *s)?))?;
            swing = add(swing, div(dot, m)?)?;
            swing_days = swing_days.saturating_add(1);
        }
        means.push(m);
    }
    let a = if swing_days == 0 {
        Decimal::ZERO
    } else {
        div(div(swing, dec(swing_days))?, sum_s2)?
    };

    // Weekend dip and growth, alternately.
    let (mut g, mut dip) = (Decimal::ZERO, Decimal::ZERO);
    for _ in 0..3 {
        let (mut we, mut nwe, mut wd, mut nwd) = (Decimal::ZERO, 0usize, Decimal::ZERO, 0usize);
        for ((m, p), xd) in means.iter().zip(&places).zip(&x) {
            let t = mul(
                pow(add(Decimal::ONE, g)?, p.month)?,
                add(Decimal::ONE, mul(g, *xd)?)?,
            )?;
            if t <= Decimal::ZERO {
                continue;
            }
            let z = div(*m, t)?;
            if p.weekend {
                we = add(we, z)?;
                nwe = nwe.saturating_add(1);
            } else {
                wd = add(wd, z)?;
                nwd = nwd.saturating_add(1);
            }
        }
        dip = if nwe == 0 || nwd == 0 || wd <= Decimal::ZERO {
            Decimal::ZERO
        } else {
            sub(Decimal::ONE, div(div(we, dec(nwe))?, div(wd, dec(nwd))?)?)?
                .clamp(Decimal::ZERO, Decimal::ONE)
        };
        let y: Vec<Decimal> = means
            .iter()
            .zip(&places)
            .map(|(m, p)| {
                if p.weekend && dip < Decimal::ONE {
                    div(*m, sub(Decimal::ONE, dip)?)
                } else {
                    Ok(*m)
                }
            })
            .collect::<std::result::Result<_, _>>()?;
        g = growth(&y, &x, &places, months)?;
    }

    // Baseline: the curve holds the history's quantity-hours.
    let one_g = add(Decimal::ONE, g)?;
    let mut sum_shape = Decimal::ZERO;
    let mut curve = Vec::with_capacity(q.len());
    let mut compound = Vec::with_capacity(months);
    for k in 0..months {
        compound.push(pow(one_g, k)?);
    }
    for h in 0..q.len() {
        let p = place(h);
        let trend = mul(
            compound.get(p.month).copied().unwrap_or(Decimal::ONE),
            add(
                Decimal::ONE,
                div(mul(g, dec(p.offset))?, dec(p.month_hours))?,
            )?,
        )?;
        let daily = add(
            Decimal::ONE,
            mul(a, shape.get(h % 24).copied().unwrap_or_default())?,
        )?;
        let weekly = if p.weekend {
            sub(Decimal::ONE, dip)?
        } else {
            Decimal::ONE
        };
        let s = mul(mul(trend, daily)?, weekly)?;
        sum_shape = add(sum_shape, s)?;
        curve.push(s);
    }
    let baseline = if sum_shape > Decimal::ZERO {
        div(total, sum_shape)?
    } else {
        Decimal::ZERO
    };

    // Noise from the residuals.
    let (mut sq, mut n) = (Decimal::ZERO, 0usize);
    for (v, s) in q.iter().zip(&curve) {
        let f = mul(baseline, *s)?;
        if f > Decimal::ZERO {
            let e = sub(div(*v, f)?, Decimal::ONE)?;
            sq = add(sq, mul(e, e)?)?;
            n = n.saturating_add(1);
        }
    }
    let noise = if n == 0 {
        Decimal::ZERO
    } else {
        sqrt(mul(Decimal::from(3), div(sq, dec(n))?)?, PARAM_SCALE)?
    };

    let monthly_growth = clamp_round(g, Decimal::NEGATIVE_ONE, Decimal::ONE);
    let next_start = start_date
        .add_months(u32::try_from(months).map_err(|_| o)?)
        .ok_or(o)?;
    let baseline_q = level(baseline);
    let next = mul(
        baseline_q.get(),
        pow(add(Decimal::ONE, monthly_growth.get())?, months)?,
    )?;
    Ok(CellFit {
        customer,
        cell,
        cell_id,
        start: start_date,
        days,
        quantity_hours: Quantity(total.normalize()),
        baseline: baseline_q,
        monthly_growth,
        daily_amplitude: clamp_round(a, Decimal::ZERO, Decimal::ONE),
        weekend_dip: clamp_round(dip, Decimal::ZERO, Decimal::ONE),
        noise: clamp_round(noise, Decimal::ZERO, Decimal::ONE),
        next_start,
        next_baseline: level(next),
    })
}

/// Monthly growth from the weekend-adjusted day means `y` (method step 3).
fn growth(
    y: &[Decimal],
    x: &[Decimal],
    places: &[DayPlace],
    months: usize,
) -> std::result::Result<Decimal, Overflow> {
    // Per month: Σ y, Σ x, days.
    let mut per = vec![(Decimal::ZERO, Decimal::ZERO, 0usize); months];
    for ((yd, xd), p) in y.iter().zip(x).zip(places) {
        if let Some(e) = per.get_mut(p.month) {
            e.0 = add(e.0, *yd)?;
            e.1 = add(e.1, *xd)?;
            e.2 = e.2.saturating_add(1);
        }
    }
    let full: Vec<usize> = (0..months)
        .filter(|&k| per.get(k).is_some_and(|e| e.2 >= MIN_DAYS))
        .collect();
    match (full.first(), full.last()) {
        (Some(&f), Some(&l)) if f != l => {
            let (Some(pf), Some(pl)) = (per.get(f), per.get(l)) else {
                return Ok(Decimal::ZERO);
            };
            let (mf, cf) = (div(pf.0, dec(pf.2))?, div(pf.1, dec(pf.2))?);
            let (ml, cl) = (div(pl.0, dec(pl.2))?, div(pl.1, dec(pl.2))?);
            if mf <= Decimal::ZERO || ml <= Decimal::ZERO {
                return Ok(Decimal::ZERO);
            }
            let target = div(ml, mf)?;
            let ratio = |g: Decimal| -> std::result::Result<Decimal, Overflow> {
                let den = add(Decimal::ONE, mul(g, cf)?)?;
                div(
                    mul(
                        pow(add(Decimal::ONE, g)?, l.saturating_sub(f))?,
                        add(Decimal::ONE, mul(g, cl)?)?,
                    )?,
                    den,
                )
            };
            let (mut lo, mut hi) = (Decimal::new(-5, 1), Decimal::ONE);
            for _ in 0..44 {
                let mid = div(add(lo, hi)?, Decimal::TWO)?;
                if ratio(mid)? < target {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            div(add(lo, hi)?, Decimal::TWO)
        }
        (Some(&k), _) => {
            // One month: least squares of y = α + β·x over its days; g = β ÷ α.
            let pts: Vec<(Decimal, Decimal)> = y
                .iter()
                .zip(x)
                .zip(places)
                .filter(|(_, p)| p.month == k)
                .map(|((yd, xd), _)| (*xd, *yd))
                .collect();
            let n = dec(pts.len());
            let sx = pts.iter().try_fold(Decimal::ZERO, |a, p| add(a, p.0))?;
            let sy = pts.iter().try_fold(Decimal::ZERO, |a, p| add(a, p.1))?;
            let (mx, my) = (div(sx, n)?, div(sy, n)?);
            let (mut sxy, mut sxx) = (Decimal::ZERO, Decimal::ZERO);
            for (xd, yd) in &pts {
                let dx = sub(*xd, mx)?;
                sxy = add(sxy, mul(dx, sub(*yd, my)?)?)?;
                sxx = add(sxx, mul(dx, dx)?)?;
            }
            if sxx <= Decimal::ZERO {
                return Ok(Decimal::ZERO);
            }
            let beta = div(sxy, sxx)?;
            let alpha = sub(my, mul(beta, mx)?)?;
            if alpha <= Decimal::ZERO {
                return Ok(Decimal::ZERO);
            }
            div(beta, alpha)
        }
        _ => Ok(Decimal::ZERO),
    }
}

#[cfg(test)]
mod tests;
