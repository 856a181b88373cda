//! The fit's tests: generated usage fitted back, partial days, the root.
use super::*;
use crate::profile::{generate, Profile};
use crate::time::Term;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Generates `months` of usage from the given parameters, fits it back and
/// checks each parameter within its tolerance.
fn round_trip(start: &str, months: u32, params: [&str; 5], seed: u64) -> CellFit {
    let m = crate::bundled::matrix("spec-m").unwrap();
    let cell = m.cell("capacity", "aws", "hot").unwrap();
    let term = Term::new(Date::parse(start).unwrap(), months).unwrap();
    let profile = Profile {
        seed,
        cells: vec![CellProfile {
            cell,
            baseline: params[0].parse().unwrap(),
            monthly_growth: params[1].parse().unwrap(),
            daily_amplitude: params[2].parse().unwrap(),
            weekend_dip: params[3].parse().unwrap(),
            noise: params[4].parse().unwrap(),
            bursts: vec![],
        }],
    };
    let usage = generate(&profile, &term).unwrap();
    let mut h = History::default();
    for r in usage.records() {
        h.push("acme", r.hour, r.cell, r.quantity).unwrap();
    }
    let fits = h.fit(&m).unwrap();
    assert_eq!(fits.len(), 1);
    fits.into_iter().next().unwrap()
}

fn near(what: &str, got: Decimal, want: &str, tol: &str) {
    let diff = (got - d(want)).abs();
    assert!(
        diff <= d(tol),
        "{what}: fitted {got}, generated with {want} (tolerance {tol})"
    );
}

#[test]
fn recovers_the_generator_parameters() {
    // start, months, [baseline, growth, swing, dip, noise], seed
    let cases: &[(&str, u32, [&str; 5], u64)] = &[
        ("2026-01-01", 12, ["500", "0.02", "0.1", "0.2", "0.05"], 7),
        ("2026-03-01", 6, ["250", "-0.01", "0.3", "0", "0.1"], 3),
        ("2026-03-01", 3, ["80", "0.05", "0", "0.5", "0"], 1),
        ("2026-02-01", 1, ["500", "0.03", "0.1", "0.1", "0.02"], 9),
    ];
    for &(start, months, p, seed) in cases {
        let f = round_trip(start, months, p, seed);
        let case = format!("{start} × {months} months {p:?}");
        near(
            &format!("{case} baseline ÷ generated"),
            f.baseline.get() / d(p[0]),
            "1",
            "0.005",
        );
        near(
            &format!("{case} growth"),
            f.monthly_growth.get(),
            p[1],
            "0.001",
        );
        near(
            &format!("{case} swing"),
            f.daily_amplitude.get(),
            p[2],
            "0.003",
        );
        near(&format!("{case} dip"), f.weekend_dip.get(), p[3], "0.005");
        near(&format!("{case} noise"), f.noise.get(), p[4], "0.003");
    }
}

#[test]
fn a_flat_history_fits_exactly() {
    let f = round_trip("2026-03-01", 2, ["1000", "0", "0", "0", "0"], 1);
    assert_eq!(
        f.values(),
        ["1000", "0", "0", "0", "0", "2026-05-01", "1000"]
    );
}

#[test]
fn partial_days_are_left_out_and_short_histories_refused() {
    let m = crate::bundled::matrix("spec-m").unwrap();
    let cell = m.cell("capacity", "aws", "hot").unwrap();
    let mut h = History::default();
    // 2026-03-01T05:00 .. 2026-03-08T04:00: six whole days (2nd to 7th).
    let first = Hour::parse_rfc3339("2026-03-01T05:00:00Z").unwrap();
    for i in 0..24 * 7 {
        h.push("", Hour(first.0 + i), cell, Quantity(d("10")))
            .unwrap();
    }
    let err = h.fit(&m).unwrap_err().to_string();
    assert!(
        err.contains("6 whole days of usage; fitting a profile needs at least 7"),
        "{err}"
    );
    h.push("", Hour(first.0 + 24 * 7), cell, Quantity(d("10")))
        .unwrap();
    h.push("", Hour(first.0 + 24 * 7 + 19), cell, Quantity(d("10")))
        .unwrap();
    let f = h.fit(&m).unwrap();
    assert_eq!(
        (f[0].start.to_string(), f[0].days),
        ("2026-03-02".into(), 7)
    );
}

#[test]
fn square_root_is_exact_and_rounded_half_even() {
    for (x, scale, want) in [
        ("2", 6, "1.414214"),
        ("0.0025", 4, "0.0500"),
        ("0", 3, "0"),
        ("1e-12", 6, "0.000001"),
    ] {
        let x = if x == "1e-12" {
            Decimal::new(1, 12)
        } else {
            d(x)
        };
        assert_eq!(sqrt(x, scale).unwrap().to_string(), want, "√{x}");
    }
}
