//! Unit tests of the usage generator: the documented formulas, bursts,
//! validation, and the integer fast path against the decimal one.

use rust_decimal::Decimal;

use super::exact::{div_half_even, div_pow10_half_even, level_to_output, LEVEL_TO_OUTPUT};
use super::*;
use crate::time::Date;
use proptest::prelude::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}
fn term(months: u32) -> Term {
    Term::new(Date::parse("2026-03-01").unwrap(), months).unwrap()
}
fn cell(i: u16) -> CellId {
    CellId {
        meter: 0,
        environment: i,
        use_case: 0,
    }
}
fn flat(c: CellId, baseline: &str) -> CellProfile {
    CellProfile {
        cell: c,
        baseline: Quantity(d(baseline)),
        monthly_growth: Ratio::ZERO,
        daily_amplitude: Ratio::ZERO,
        weekend_dip: Ratio::ZERO,
        noise: Ratio::ZERO,
        bursts: vec![],
    }
}
fn h(s: &str) -> Hour {
    Hour::parse_rfc3339(s).unwrap()
}
fn q_at(p: &Profile, t: &Term, hour: &str) -> String {
    let u = generate(p, t).unwrap();
    u.cells()[0].quantities[(h(hour).0 - t.start_hour().0) as usize].to_string()
}

#[test]
fn daily_shape_is_a_sine_with_peak_at_15_and_trough_at_3() {
    let s: Vec<Decimal> = DAILY_SHAPE.iter().map(|s| d(s)).collect();
    assert_eq!(s[15], Decimal::ONE);
    assert_eq!(s[3], Decimal::NEGATIVE_ONE);
    assert_eq!(s.iter().copied().sum::<Decimal>(), Decimal::ZERO);
    for i in 0..24 {
        assert_eq!(
            s[(15 + i) % 24],
            s[(15 + 24 - i) % 24],
            "symmetric about 15:00"
        );
    }
}

#[test]
fn formula_table() {
    let t = term(12);
    // (knobs, hour, expected quantity)
    type Knobs = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    let cases: &[(Knobs, &str, &str)] = &[
        // baseline, growth, amplitude, dip, noise
        (("500", "0", "0", "0", "0"), "2026-03-05T07:00:00Z", "500"),
        // Month 1 start: 500 × 1.02
        (
            ("500", "0.02", "0", "0", "0"),
            "2026-04-01T00:00:00Z",
            "510",
        ),
        // Month 2 start: 500 × 1.02²
        (
            ("500", "0.02", "0", "0", "0"),
            "2026-05-01T00:00:00Z",
            "520.2",
        ),
        // Halfway through April (720 h): 510 × (1 + 0.02 × 360/720) = 515.1
        (
            ("500", "0.02", "0", "0", "0"),
            "2026-04-16T00:00:00Z",
            "515.1",
        ),
        // One hour into March (744 h): 500 × (1 + 0.02/744) = 500.01344… → 500.013
        (
            ("500", "0.02", "0", "0", "0"),
            "2026-03-01T01:00:00Z",
            "500.013",
        ),
        // Daily peak at 15:00 on a Thursday (2026-03-05): 500 × 1.1
        (("500", "0", "0.1", "0", "0"), "2026-03-05T15:00:00Z", "550"),
        // Daily trough at 03:00: 500 × 0.9
        (("500", "0", "0.1", "0", "0"), "2026-03-05T03:00:00Z", "450"),
        // 13:00: 500 × (1 + 0.1 × 0.866) = 543.3
        (
            ("500", "0", "0.1", "0", "0"),
            "2026-03-05T13:00:00Z",
            "543.3",
        ),
        // Saturday 2026-03-07 and Sunday: × 0.8; Monday not.
        (("500", "0", "0", "0.2", "0"), "2026-03-07T10:00:00Z", "400"),
        (("500", "0", "0", "0.2", "0"), "2026-03-08T23:00:00Z", "400"),
        (("500", "0", "0", "0.2", "0"), "2026-03-09T00:00:00Z", "500"),
        // Daily and weekly together, Saturday 15:00: 500 × 1.1 × 0.8
        (
            ("500", "0", "0.1", "0.2", "0"),
            "2026-03-07T15:00:00Z",
            "440",
        ),
        // The output is rounded half-even to 3 places.
        (
            ("0.0125", "0", "0", "0", "0"),
            "2026-03-05T00:00:00Z",
            "0.012",
        ),
        (
            ("0.0135", "0", "0", "0", "0"),
            "2026-03-05T00:00:00Z",
            "0.014",
        ),
    ];
    for ((b, g, a, w, n), hour, want) in cases {
        let mut c = flat(cell(0), b);
        c.monthly_growth = Ratio(d(g));
        c.daily_amplitude = Ratio(d(a));
        c.weekend_dip = Ratio(d(w));
        c.noise = Ratio(d(n));
        let p = Profile {
            seed: 1,
            cells: vec![c],
        };
        assert_eq!(&q_at(&p, &t, hour), want, "{b} {g} {a} {w} {n} at {hour}");
    }
}

#[test]
fn growth_is_continuous_across_months() {
    let t = term(36);
    let mut c = flat(cell(0), "1000");
    c.monthly_growth = Ratio(d("0.05"));
    let u = generate(
        &Profile {
            seed: 0,
            cells: vec![c],
        },
        &t,
    )
    .unwrap();
    let q = &u.cells()[0].quantities;
    for w in q.windows(2) {
        assert!(w[1] >= w[0], "growth is monotone: {} then {}", w[0], w[1]);
        assert!(
            w[1].get() - w[0].get() < d("1"),
            "no jump: {} then {}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn bad_profiles() {
    let t = term(1);
    let burst = |s: &str, hours: u32, level: &str| Burst {
        start: h(s),
        hours,
        level: Quantity(d(level)),
    };
    let mk = |f: &dyn Fn(&mut CellProfile)| {
        let mut c = flat(cell(0), "500");
        f(&mut c);
        Profile {
            seed: 0,
            cells: vec![c],
        }
    };
    let cases: Vec<(Profile, &str)> = vec![
        (mk(&|c| c.baseline = Quantity(d("-1"))), "usage profile: cell #1: negative baseline -1"),
        (mk(&|c| c.daily_amplitude = Ratio(d("1.5"))), "usage profile: cell #1: daily_amplitude 1.5 is outside 0 to 1"),
        (mk(&|c| c.weekend_dip = Ratio(d("-0.1"))), "usage profile: cell #1: weekend_dip -0.1 is outside 0 to 1"),
        (mk(&|c| c.noise = Ratio(d("2"))), "usage profile: cell #1: noise 2 is outside 0 to 1"),
        (mk(&|c| c.monthly_growth = Ratio(d("-1.5"))), "usage profile: cell #1: monthly_growth -1.5 is outside -1 to 1"),
        (
            mk(&|c| c.bursts = vec![burst("2026-03-31T00:00:00Z", 25, "540")]),
            "usage profile: cell #1: burst from 2026-03-31T00:00:00Z for 25 hours is not inside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z",
        ),
        (
            mk(&|c| c.bursts = vec![burst("2026-02-28T00:00:00Z", 2, "540")]),
            "usage profile: cell #1: burst from 2026-02-28T00:00:00Z for 2 hours is not inside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z",
        ),
        (
            mk(&|c| c.bursts = vec![burst("2026-03-02T00:00:00Z", 0, "540")]),
            "usage profile: cell #1: burst from 2026-03-02T00:00:00Z for 0 hours is not inside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z",
        ),
        (
            mk(&|c| c.bursts = vec![burst("2026-03-02T00:00:00Z", 5, "-540")]),
            "usage profile: cell #1: negative burst level -540",
        ),
        (
            mk(&|c| {
                c.bursts = vec![burst("2026-03-02T00:00:00Z", 5, "540"), burst("2026-03-02T04:00:00Z", 5, "540")]
            }),
            "usage profile: cell #1: burst from 2026-03-02T04:00:00Z overlaps the burst from 2026-03-02T00:00:00Z",
        ),
        (
            Profile { seed: 0, cells: vec![flat(cell(1), "1"), flat(cell(1), "2")] },
            "usage profile: cell #2 repeats the cell of cell #1 (meter 0, environment 1, use case 0)",
        ),
    ];
    for (p, want) in cases {
        assert_eq!(generate(&p, &t).unwrap_err().to_string(), want);
    }
}

#[test]
fn adding_a_cell_does_not_change_the_others() {
    let t = term(2);
    let mut a = flat(cell(0), "500");
    a.noise = Ratio(d("0.1"));
    let mut b = flat(cell(1), "300");
    b.noise = Ratio(d("0.1"));
    let one = generate(
        &Profile {
            seed: 9,
            cells: vec![a.clone()],
        },
        &t,
    )
    .unwrap();
    let two = generate(
        &Profile {
            seed: 9,
            cells: vec![a, b],
        },
        &t,
    )
    .unwrap();
    assert_eq!(one.cells()[0], two.cells()[0]);
    assert_ne!(two.cells()[0].quantities, two.cells()[1].quantities);
}

/// The i64 split of `level_to_output` against the plain i128 division,
/// at midpoints, carries and the edges of the split's range.
#[test]
fn level_to_output_matches_i128_division() {
    let e14 = LEVEL_TO_OUTPUT;
    let table: [(i128, i128); 12] = [
        (0, 0),
        (500_000_000_000, 100_000_000),         // 500 × 1.00000000
        (500_000_000_000, 105_000_000),         // a daily peak
        (5, e14 / 10),                          // 0.5 × 10^-3: midpoint, rounds to even 0
        (15, e14 / 10),                         // 1.5: to 2
        (25, e14 / 10),                         // 2.5: to 2
        (99_999_999, 199_999_999),              // gh = 0
        (100_000_000, 1),                       // gl = 0
        (123_456_789_012_345_678, 987_654_321), // gh·f overflows i64: i128 fallback
        (i128::from(i64::MAX), 1),
        (i128::from(i64::MAX) + 1, 3), // growth beyond i64
        (-1_000_000_000, 100_000_000), // negative: the i128 path
    ];
    for (g, f) in table {
        assert_eq!(
            level_to_output(g, f),
            div_half_even(g * f, e14),
            "growth {g}, factor {f}"
        );
    }
    // Every remainder class around the midpoint, across a carry.
    for g in 99_999_990i128..100_000_010 {
        for f in [1, 49_999_999, 50_000_000, 50_000_001, 199_999_999] {
            assert_eq!(level_to_output(g, f), div_half_even(g * f, e14), "{g} {f}");
        }
    }
    assert_eq!(div_half_even(7, 2), Some(4));
    assert_eq!(div_half_even(5, 2), Some(2));
    assert_eq!(div_half_even(i128::MAX, 3), Some(i128::MAX / 3)); // remainder 1: down
}

/// The noise's division by a constant power of ten against the plain
/// division, for every power the noise can have (4..=12), at ties, both
/// signs and the ends of `i64`.
#[test]
fn div_by_a_power_of_ten_matches_division() {
    for e in 4..=12u32 {
        let d = 10i64.pow(e);
        let xs = [
            0, 1, -1, d / 2, -d / 2, d / 2 + 1, 3 * d / 2, -3 * d / 2, 5 * d / 2, d - 1,
            d, -d, 123_456_789_012_345, -987_654_321_098_765, i64::MAX, i64::MIN,
        ];
        for x in xs {
            assert_eq!(
                div_pow10_half_even(x, e),
                div_half_even(i128::from(x), i128::from(d)),
                "{x} / 10^{e}"
            );
        }
    }
    assert_eq!(div_pow10_half_even(15_000, 4), Some(2)); // 1.5: half to even
    assert_eq!(div_pow10_half_even(25_000, 4), Some(2)); // 2.5: half to even
    assert_eq!(div_pow10_half_even(1, 3), None);
    assert_eq!(div_pow10_half_even(1, 13), None);
}

prop_compose! {
    fn ratio(max: i64)(v in 0..=max) -> Ratio { Ratio(Decimal::new(v, 4)) }
}

prop_compose! {
    fn any_cell(idx: u16)(
        baseline in 0i64..100_000_000,
        g in -2000i64..=2000,
        a in ratio(10_000), w in ratio(10_000), n in ratio(10_000),
        burst in proptest::option::of((0i64..700, 1u32..44, 0i64..10_000_000)),
    ) -> CellProfile {
        let start = Date::parse("2026-03-01").unwrap().start_hour();
        CellProfile {
            cell: cell(idx),
            baseline: Quantity(Decimal::new(baseline, 3)),
            monthly_growth: Ratio(Decimal::new(g, 4)),
            daily_amplitude: a,
            weekend_dip: w,
            noise: n,
            bursts: burst.map(|(s, h, l)| Burst { start: Hour(start.0 + s), hours: h, level: Quantity(Decimal::new(l, 2)) }).into_iter().collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn deterministic_non_negative_bursts_exact(seed in any::<u64>(), c0 in any_cell(0), c1 in any_cell(1)) {
        let t = term(3);
        let p = Profile { seed, cells: vec![c0, c1] };
        let u1 = generate(&p, &t).unwrap();
        let u2 = generate(&p, &t).unwrap();
        prop_assert_eq!(&u1, &u2);
        // The integer fast path and the decimal path agree exactly.
        let slow = generate_impl(&p, &t, false).unwrap();
        prop_assert_eq!(&u1, &slow);
        for (a, b) in u1.cells().iter().zip(slow.cells()) {
            let a: Vec<String> = a.quantities.iter().map(|q| q.to_string()).collect();
            let b: Vec<String> = b.quantities.iter().map(|q| q.to_string()).collect();
            prop_assert_eq!(a, b);
        }
        for (cp, series) in p.cells.iter().zip(u1.cells()) {
            prop_assert_eq!(series.quantities.len(), t.hours());
            prop_assert!(series.quantities.iter().all(|q| !q.get().is_sign_negative() || q.is_zero()));
            for b in &cp.bursts {
                let from = (b.start.0 - t.start_hour().0) as usize;
                for q in &series.quantities[from..from + b.hours as usize] {
                    prop_assert_eq!(*q, b.level);
                }
            }
            let outside_bursts_scale_ok = series.quantities.iter().all(|q| q.get().scale() <= OUTPUT_SCALE);
            prop_assert!(outside_bursts_scale_ok);
        }
    }
}
