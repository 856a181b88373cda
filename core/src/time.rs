//! UTC calendar arithmetic: dates, hours since the Unix epoch, terms, billing
//! periods and ISO weeks. Proleptic Gregorian, UTC only, no time zones: every
//! figure in the model is defined on UTC hours.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar date (UTC), year 1..=9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a date, timestamp or term was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// Not `YYYY-MM-DD`, or a day that does not exist.
    #[error("invalid date `{0}` (expected YYYY-MM-DD)")]
    BadDate(String),
    /// Not an RFC 3339 timestamp.
    #[error("invalid timestamp `{0}` (expected RFC 3339, e.g. 2026-03-01T00:00:00Z)")]
    BadTimestamp(String),
    /// A timestamp with minutes, seconds or fractions in UTC.
    #[error("timestamp `{0}` is not on the hour (UTC)")]
    NotOnHour(String),
    /// A term of zero months or more than [`MAX_TERM_MONTHS`].
    #[error("term of {0} months is out of range (1 to {MAX_TERM_MONTHS})")]
    TermLength(u32),
    /// A term ending after year 9999.
    #[error("term starting {0} runs past year 9999")]
    TermOutOfRange(Date),
}

/// The longest term accepted: 10 years. Longer terms are refused rather than
/// priced (a 100-year term is almost certainly a typo, and it would allocate
/// 876,000 hours per cell).
pub const MAX_TERM_MONTHS: u32 = 120;

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in a month of a year.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

impl Date {
    /// A date, if it exists and the year is within 1..=9999.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }
    /// Year.
    pub fn year(self) -> i32 {
        self.year
    }
    /// Month 1..=12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// Day of month 1..=31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    // A `Date` is always within years 1..=9999 (its fields are private and
    // `Date::new` checks them), so every intermediate here is below 2^22: the
    // arithmetic cannot overflow, and is kept in its textbook form.
    #[allow(clippy::arithmetic_side_effects)]
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (`civil_from_days`), if within years 1..=9999.
    // The range check on entry bounds every intermediate below 2^23, so the
    // arithmetic cannot overflow; it is kept in its textbook form.
    #[allow(clippy::arithmetic_side_effects)]
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // 0001-01-01 ..= 9999-12-31.
        if !(-719_162..=2_932_896).contains(&days) {
            return None;
        }
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(
            i32::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    /// The first hour of this date (00:00 UTC).
    pub fn start_hour(self) -> Hour {
        // |days| < 2^22: never saturates.
        Hour(self.days_since_epoch().saturating_mul(24))
    }

    /// The same day `months` later, clamped to the month's last day
    /// (2026-01-31 + 1 month = 2026-02-28).
    pub fn add_months(self, months: u32) -> Option<Date> {
        let total = i64::from(self.year)
            .checked_mul(12)?
            .checked_add(i64::from(self.month))?
            .checked_sub(1)?
            .checked_add(i64::from(months))?;
        let year = i32::try_from(total.checked_div_euclid(12)?).ok()?;
        let month = u8::try_from(total.checked_rem_euclid(12)?.checked_add(1)?).ok()?;
        if !(1..=9999).contains(&year) {
            return None;
        }
        Date::new(year, month, self.day.min(days_in_month(year, month)))
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// use unitcalc_core::time::Date;
    /// let d = Date::parse("2026-02-15").unwrap();
    /// assert_eq!(d.to_string(), "2026-02-15");
    /// assert!(Date::parse("2026-02-30").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Date, TimeError> {
        let bad = || TimeError::BadDate(s.to_string());
        let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = s.as_bytes() else {
            return Err(bad());
        };
        let year = digits(&[*y1, *y2, *y3, *y4]).ok_or_else(bad)?;
        let month = digits(&[*m1, *m2]).ok_or_else(bad)?;
        let day = digits(&[*d1, *d2]).ok_or_else(bad)?;
        Date::new(year as i32, month as u8, day as u8).ok_or_else(bad)
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        if c.is_ascii_digit() {
            acc.checked_mul(10)?
                .checked_add(u32::from(c.wrapping_sub(b'0')))
        } else {
            None
        }
    })
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A UTC hour: whole hours since 1970-01-01T00:00Z. Hour `h` covers `[h, h+1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hour(pub i64);

impl Hour {
    /// The calendar date this hour falls on.
    pub fn date(self) -> Date {
        // Hours are only built from valid dates, so this stays within 1..=9999;
        // fall back to the epoch rather than panic.
        Date::from_days_since_epoch(self.0.div_euclid(24)).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }
    /// Hour of day 0..=23.
    pub fn hour_of_day(self) -> u8 {
        self.0.rem_euclid(24) as u8
    }
    /// ISO weekday, Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u8 {
        // Shifting by 3 days only moves the weekday, so wrap rather than overflow.
        (self.0.div_euclid(24).wrapping_add(3)).rem_euclid(7) as u8
    }

    /// The ISO week (year, week 1..=53) this hour falls in.
    ///
    /// ```
    /// use unitcalc_core::time::Date;
    /// // 2027-01-01 is a Friday: ISO week 53 of 2026.
    /// assert_eq!(Date::parse("2027-01-01").unwrap().start_hour().iso_week(), (2026, 53));
    /// assert_eq!(Date::parse("2026-03-02").unwrap().start_hour().iso_week(), (2026, 10));
    /// ```
    pub fn iso_week(self) -> (i32, u8) {
        let days = self.0.div_euclid(24);
        let wd = i64::from(self.weekday());
        // The Thursday of this ISO week decides the ISO year.
        let thursday = days.saturating_sub(wd).saturating_add(3);
        let th = Date::from_days_since_epoch(thursday).unwrap_or(self.date());
        let jan1 = Date {
            year: th.year,
            month: 1,
            day: 1,
        }
        .days_since_epoch();
        let week = thursday
            .saturating_sub(jan1)
            .checked_div(7)
            .unwrap_or(0)
            .saturating_add(1);
        (th.year, week as u8)
    }

    /// The Monday 00:00 UTC that starts this hour's ISO week.
    pub fn iso_week_start(self) -> Hour {
        let days = self
            .0
            .div_euclid(24)
            .saturating_sub(i64::from(self.weekday()));
        Hour(days.saturating_mul(24))
    }

    /// Parses an RFC 3339 timestamp that falls exactly on a UTC hour.
    /// Offsets are accepted and converted (`2026-03-01T02:00:00+02:00` is
    /// 00:00Z); fractional seconds must be zero.
    ///
    /// ```
    /// use unitcalc_core::time::Hour;
    /// let h = Hour::parse_rfc3339("2026-03-01T05:00:00Z").unwrap();
    /// assert_eq!(h.to_string(), "2026-03-01T05:00:00Z");
    /// assert!(Hour::parse_rfc3339("2026-03-01T05:30:00Z").is_err());
    /// ```
    pub fn parse_rfc3339(s: &str) -> Result<Hour, TimeError> {
        let bad = || TimeError::BadTimestamp(s.to_string());
        let Some((
            [_, _, _, _, _, _, _, _, _, _, b'T' | b't' | b' ', h1, h2, b':', m1, m2, b':', s1, s2],
            rest,
        )) = s.as_bytes().split_first_chunk::<19>()
        else {
            return Err(bad());
        };
        if rest.is_empty() {
            return Err(bad());
        }
        let date = Date::parse(s.get(0..10).ok_or_else(bad)?).map_err(|_| bad())?;
        let hh = digits(&[*h1, *h2]).filter(|h| *h < 24).ok_or_else(bad)?;
        let mm = digits(&[*m1, *m2]).filter(|m| *m < 60).ok_or_else(bad)?;
        let ss = digits(&[*s1, *s2]).filter(|s| *s < 60).ok_or_else(bad)?;
        let mut rest = rest;
        let mut frac_nonzero = false;
        if let Some((&b'.', tail)) = rest.split_first() {
            let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(bad());
            }
            let (frac, after) = tail.split_at_checked(n).ok_or_else(bad)?;
            frac_nonzero = frac.iter().any(|&c| c != b'0');
            rest = after;
        }
        let offset_min: i64 = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let oh = digits(&[*h1, *h2]).filter(|h| *h < 24).ok_or_else(bad)?;
                let om = digits(&[*m1, *m2]).filter(|m| *m < 60).ok_or_else(bad)?;
                // oh < 24 and om < 60: no overflow.
                let v = i64::from(oh.saturating_mul(60).saturating_add(om));
                if *sign == b'-' {
                    v.saturating_neg()
                } else {
                    v
                }
            }
            _ => return Err(bad()),
        };
        let local_min =
            i64::from(hh.saturating_mul(60).saturating_add(mm)).saturating_sub(offset_min);
        if ss != 0 || frac_nonzero || local_min.rem_euclid(60) != 0 {
            return Err(TimeError::NotOnHour(s.to_string()));
        }
        Ok(Hour(
            date.start_hour().0.saturating_add(local_min.div_euclid(60)),
        ))
    }
}

impl fmt::Display for Hour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{:02}:00:00Z", self.date(), self.hour_of_day())
    }
}

impl Serialize for Hour {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hour {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Hour::parse_rfc3339(&s).map_err(serde::de::Error::custom)
    }
}

/// A deal's contract period: `months` whole calendar months from `start`
/// (00:00 UTC, inclusive) to the same day `months` later (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// First day of the term.
    pub start: Date,
    /// Length in calendar months, 1..=[`MAX_TERM_MONTHS`].
    pub months: u32,
}

/// The part of a term inside one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Calendar year.
    pub year: i32,
    /// Calendar month 1..=12.
    pub month: u8,
    /// First hour in the term (inclusive).
    pub start: Hour,
    /// End hour (exclusive).
    pub end: Hour,
    /// Hours in the whole calendar month (672, 696, 720 or 744).
    pub month_hours: u32,
}

impl Period {
    /// Hours of this period inside the term.
    pub fn hours(&self) -> u32 {
        u32::try_from(self.end.0.saturating_sub(self.start.0)).unwrap_or(0)
    }
    /// True when the period covers less than its whole calendar month.
    pub fn is_partial(&self) -> bool {
        self.hours() != self.month_hours
    }
    /// `YYYY-MM`.
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

impl Term {
    /// A validated term.
    ///
    /// ```
    /// use unitcalc_core::time::{Date, Term};
    /// let t = Term::new(Date::parse("2026-02-15").unwrap(), 12).unwrap();
    /// let p = t.periods();
    /// assert_eq!(p.len(), 13); // Feb 15 … Feb 15 next year: two partial Februaries
    /// assert_eq!((p[0].hours(), p[0].month_hours), (336, 672));
    /// assert_eq!(t.hours(), 8760);
    /// ```
    pub fn new(start: Date, months: u32) -> Result<Term, TimeError> {
        if months == 0 || months > MAX_TERM_MONTHS {
            return Err(TimeError::TermLength(months));
        }
        start
            .add_months(months)
            .ok_or(TimeError::TermOutOfRange(start))?;
        Ok(Term { start, months })
    }
    /// The exclusive end date.
    pub fn end(&self) -> Date {
        self.start.add_months(self.months).unwrap_or(self.start)
    }
    /// First hour of the term.
    pub fn start_hour(&self) -> Hour {
        self.start.start_hour()
    }
    /// Exclusive end hour.
    pub fn end_hour(&self) -> Hour {
        self.end().start_hour()
    }
    /// Hours in the term.
    pub fn hours(&self) -> usize {
        usize::try_from(self.end_hour().0.saturating_sub(self.start_hour().0)).unwrap_or(0)
    }
    /// True when `h` lies in `[start, end)`.
    pub fn contains(&self, h: Hour) -> bool {
        h >= self.start_hour() && h < self.end_hour()
    }
    /// The billing periods, in order; the first and last may be partial.
    pub fn periods(&self) -> Vec<Period> {
        let (start, end) = (self.start_hour(), self.end_hour());
        let mut out = Vec::new();
        let (mut y, mut m) = (self.start.year, self.start.month);
        let mut cursor = start;
        while cursor < end {
            let month_start = Date {
                year: y,
                month: m,
                day: 1,
            }
            .start_hour();
            let month_hours = u32::from(days_in_month(y, m)).saturating_mul(24);
            let month_end = Hour(month_start.0.saturating_add(i64::from(month_hours)));
            let pend = month_end.min(end);
            out.push(Period {
                year: y,
                month: m,
                start: cursor,
                end: pend,
                month_hours,
            });
            cursor = pend;
            if m == 12 {
                y = y.saturating_add(1);
                m = 1;
            } else {
                m = m.saturating_add(1);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_range_matches_the_year_range() {
        // (days since epoch, date): the ends of years 1..=9999 and one past them.
        let table = [
            (-719_162, Some("0001-01-01")),
            (-719_163, None),
            (2_932_896, Some("9999-12-31")),
            (2_932_897, None),
            (i64::MIN, None),
            (i64::MAX, None),
        ];
        for (days, date) in table {
            let got = Date::from_days_since_epoch(days);
            assert_eq!(got.map(|d| d.to_string()).as_deref(), date, "{days}");
            if let Some(d) = got {
                assert_eq!(d.days_since_epoch(), days);
            }
        }
    }

    #[test]
    fn extreme_hours_do_not_panic() {
        for h in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            let h = Hour(h);
            let _ = (
                h.date(),
                h.weekday(),
                h.iso_week(),
                h.iso_week_start(),
                h.to_string(),
            );
        }
    }

    #[test]
    fn days_round_trip_over_four_centuries() {
        let start = Date::new(1900, 1, 1).unwrap().days_since_epoch();
        for d in start..start + 146_097 * 2 {
            let date = Date::from_days_since_epoch(d).unwrap();
            assert_eq!(date.days_since_epoch(), d);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
    }

    #[test]
    fn timestamps() {
        let table = [
            ("2026-03-01T00:00:00Z", Some("2026-03-01T00:00:00Z")),
            ("2026-03-01T02:00:00+02:00", Some("2026-03-01T00:00:00Z")),
            ("2026-02-28T23:00:00-01:00", Some("2026-03-01T00:00:00Z")),
            ("2026-03-01t07:00:00.000z", Some("2026-03-01T07:00:00Z")),
            ("2026-03-01T07:00:00.5Z", None),
            ("2026-03-01T07:00:01Z", None),
            ("2026-03-01T07:00:00+05:30", None),
            ("2026-03-01T07:00:00", None),
            ("2026-03-01", None),
            ("2026-02-29T00:00:00Z", None),
            ("2026-03-01T24:00:00Z", None),
            ("", None),
        ];
        for (s, want) in table {
            let got = Hour::parse_rfc3339(s).ok().map(|h| h.to_string());
            assert_eq!(got.as_deref(), want, "{s}");
        }
    }

    #[test]
    fn iso_weeks() {
        // (date, iso year, week)
        let table = [
            ("2026-01-01", 2026, 1), // Thursday
            ("2025-12-29", 2026, 1), // Monday of that week
            ("2025-12-28", 2025, 52),
            ("2020-12-31", 2020, 53),
            ("2021-01-03", 2020, 53),
            ("2021-01-04", 2021, 1),
            ("2026-11-22", 2026, 47),
        ];
        for (d, y, w) in table {
            assert_eq!(
                Date::parse(d).unwrap().start_hour().iso_week(),
                (y, w),
                "{d}"
            );
        }
        let h = Hour::parse_rfc3339("2026-11-22T13:00:00Z").unwrap();
        assert_eq!(h.iso_week_start().to_string(), "2026-11-16T00:00:00Z");
    }

    #[test]
    fn terms_and_periods() {
        // (start, months, periods, first hours, last hours, total hours)
        let table = [
            ("2026-03-01", 12, 12, 744, 672, 8760),
            ("2026-02-15", 1, 2, 336, 336, 672),
            ("2024-02-01", 1, 1, 696, 696, 696),
            ("2026-01-31", 1, 2, 24, 27 * 24, 28 * 24),
        ];
        for (s, months, n, first, last, total) in table {
            let t = Term::new(Date::parse(s).unwrap(), months).unwrap();
            let p = t.periods();
            assert_eq!(p.len(), n, "{s}");
            assert_eq!(p[0].hours(), first, "{s}");
            assert_eq!(p[n - 1].hours(), last, "{s}");
            assert_eq!(t.hours(), total, "{s}");
            assert_eq!(p.iter().map(|p| p.hours() as usize).sum::<usize>(), total);
        }
        assert!(Term::new(Date::parse("2026-01-01").unwrap(), 0).is_err());
        assert!(Term::new(Date::parse("2026-01-01").unwrap(), 1200).is_err());
        assert!(Term::new(Date::parse("9999-06-01").unwrap(), 12).is_err());
    }
}
