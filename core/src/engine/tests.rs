//! Unit tests of the engine: the worked examples of pricing-model.md, the
//! excess runs, refused usage and overflow.

use super::*;
use crate::matrix::CellId;
use crate::num::{Price, Ratio, Units};
use crate::offer::{
    Channel, Commitment, Entitlement, FixedCapacity, OfferKind, OveragePolicy, PayAsYouGo, Payment,
};
use crate::time::{Date, Term};

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

/// Matrix M of pricing-model.md §11.
fn spec_m() -> Matrix {
    crate::matrix_toml::parse_matrix(include_str!("../../../matrices/spec-m.toml"), "spec-m.toml")
        .unwrap()
}

fn term(start: &str, months: u32) -> DealTerms {
    DealTerms {
        term: Term::new(Date::parse(start).unwrap(), months).unwrap(),
        channel: Channel::Direct,
    }
}

/// Usage at `base` every hour, with `burst_hours` hours at `burst` from hour `at` of the term.
fn usage(
    m: &Matrix,
    t: &DealTerms,
    cell: CellId,
    base: &str,
    burst: &str,
    at: usize,
    burst_hours: usize,
) -> UsageSeries {
    let mut u = UsageSeries::new(&t.term);
    let q: Vec<Quantity> = (0..t.term.hours())
        .map(|h| {
            Quantity(d(if (at..at + burst_hours).contains(&h) {
                burst
            } else {
                base
            }))
        })
        .collect();
    let _ = m;
    u.set_series(cell, q);
    u
}

/// The excess runs of one offer over hand-written hours of azure/hot
/// (offsets from the term start; absent hours are usage 0), E = 500 TB.
/// Each row: (what, records, strict policy?, expected runs as
/// (T = tolerated / C = charged, first offset, hours)).
#[test]
fn excess_runs_table() {
    type Row = (
        &'static str,
        Vec<(i64, &'static str)>,
        bool,
        Vec<(char, i64, u64)>,
    );
    let span = |from: i64, n: i64, q: &'static str| (from..from + n).map(move |h| (h, q));
    let table: Vec<Row> = vec![
        (
            "example B: 48 h at 540 tolerated",
            span(10, 48, "540").collect(),
            false,
            vec![('T', 10, 48)],
        ),
        (
            "example C: 72 tolerated, then 28 charged",
            span(216, 100, "540").collect(),
            false,
            vec![('T', 216, 72), ('C', 288, 28)],
        ),
        (
            "example D: above the band, all charged",
            span(5, 5, "600").collect(),
            false,
            vec![('C', 5, 5)],
        ),
        (
            "at E exactly: no excess, no run",
            span(0, 10, "500").collect(),
            false,
            vec![],
        ),
        (
            "an absent hour resets the streak and splits the run",
            span(0, 3, "540").chain(span(4, 3, "540")).collect(),
            false,
            vec![('T', 0, 3), ('T', 4, 3)],
        ),
        (
            "an hour back at E closes the run",
            span(0, 2, "540")
                .chain(span(2, 1, "500"))
                .chain(span(3, 2, "540"))
                .collect(),
            false,
            vec![('T', 0, 2), ('T', 3, 2)],
        ),
        (
            "the streak runs across the month end (Mar 31 20:00 → Apr 4)",
            span(740, 80, "540").collect(),
            false,
            vec![('T', 740, 72), ('C', 812, 8)],
        ),
        (
            "band then above then band: kinds alternate",
            vec![(0, "540"), (1, "600"), (2, "540")],
            false,
            vec![('T', 0, 1), ('C', 1, 1), ('T', 2, 1)],
        ),
        (
            "strict policy: every excess hour charged",
            span(0, 3, "500.001").collect(),
            true,
            vec![('C', 0, 3)],
        ),
    ];
    let m = spec_m();
    let t = term("2026-03-01", 2);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    let start = t.term.start_hour().0;
    for (what, records, strict, want) in table {
        let mut offer = fixed("40000.00", Payment::Monthly, cell, "500");
        if let OfferKind::FixedCapacity(f) = &mut offer.kind {
            if strict {
                f.overage = OveragePolicy::strict();
            }
        }
        let mut p = Pricer::new(&m, &t, &offer).unwrap().record_excess();
        for (h, q) in &records {
            p.push(Hour(start + h), cell, Quantity(d(q))).unwrap();
        }
        let (bill, runs) = p.finish_with_excess().unwrap();
        let got: Vec<(char, i64, u64)> = runs
            .iter()
            .map(|r| {
                assert_eq!(r.cell, cell);
                let k = if r.kind == ExcessKind::Tolerated {
                    'T'
                } else {
                    'C'
                };
                (k, r.start.0 - start, r.hours())
            })
            .collect();
        assert_eq!(got, want, "{what}");
        // The runs agree with the bill's own counts.
        let count = |k: char| want.iter().filter(|r| r.0 == k).map(|r| r.2).sum::<u64>();
        let cs = &bill.cells[0];
        assert_eq!(u64::from(cs.tolerated_hours), count('T'), "{what}");
        assert_eq!(u64::from(cs.charged_hours), count('C'), "{what}");
    }
}

#[test]
fn excess_runs_only_for_fixed_capacity() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    let u = usage(&m, &t, cell, "540", "540", 0, 0);
    let payg = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let (bill, runs) = price_with_excess(&m, &t, &payg, &u).unwrap();
    assert!(runs.is_empty());
    assert_eq!(bill, price(&m, &t, &payg, &u).unwrap());
}

fn fixed(monthly_fee: &str, payment: Payment, cell: CellId, e: &str) -> Offer {
    Offer {
        name: "fixed".into(),
        kind: OfferKind::FixedCapacity(FixedCapacity {
            entitlements: vec![Entitlement {
                cell,
                quantity: Quantity(d(e)),
            }],
            monthly_fee: Money(d(monthly_fee)),
            payment,
            overage: OveragePolicy::default(),
        }),
    }
}

#[test]
fn example_a_pay_as_you_go() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    let u = usage(&m, &t, cell, "200", "200", 0, 0);
    let offer = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo {
            discount: Ratio(d("0.20")),
        }),
    };
    let bill = price(&m, &t, &offer, &u).unwrap();
    let line = &bill.periods[0].lines[0];
    assert_eq!(line.units.unwrap().get(), d("279"));
    assert_eq!(line.unit_price.unwrap().get(), d("0.80"));
    assert_eq!(line.amount.to_string(), "223.20");
    assert_eq!(bill.total.to_string(), "223.20");
}

/// Examples B, C, D: (burst level, burst hours, March total, tolerated, charged, overage units).
#[test]
fn examples_b_c_d_fixed_capacity() {
    let table = [
        ("540", 48, "40000.00", 48, 0, "0"),
        ("540", 100, "40002.10", 72, 28, "2.1"),
        ("600", 5, "40000.94", 0, 5, "0.9375"),
    ];
    let m = spec_m();
    let t = term("2026-03-01", 12);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    for (level, hours, total, tolerated, charged, units) in table {
        let u = usage(&m, &t, cell, "500", level, 100, hours);
        let bill = price(
            &m,
            &t,
            &fixed("40000.00", Payment::Monthly, cell, "500"),
            &u,
        )
        .unwrap();
        let march = &bill.periods[0];
        assert_eq!(march.total.to_string(), total, "{level} × {hours}");
        let c = &march.cells[0];
        assert_eq!(
            (c.tolerated_hours, c.charged_hours),
            (tolerated, charged),
            "{level} × {hours}"
        );
        assert_eq!(c.overage_units.get(), d(units), "{level} × {hours}");
        assert_eq!(bill.periods.len(), 12);
        assert!(bill.periods[1..]
            .iter()
            .all(|p| p.total.to_string() == "40000.00"));
    }
}

#[test]
fn streak_runs_across_period_boundaries_and_resets_on_absent_hours() {
    let m = spec_m();
    let t = term("2026-03-01", 2);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    // 80 hours at 540 straddling March/April: 72 tolerated, the last 8 (in April) charged.
    let u = usage(&m, &t, cell, "500", "540", 744 - 40, 80);
    let bill = price(
        &m,
        &t,
        &fixed("40000.00", Payment::Monthly, cell, "500"),
        &u,
    )
    .unwrap();
    assert_eq!(bill.periods[0].cells[0].tolerated_hours, 40);
    assert_eq!(
        (
            bill.periods[1].cells[0].tolerated_hours,
            bill.periods[1].cells[0].charged_hours
        ),
        (32, 8)
    );
    // An absent hour in the middle of a burst resets the streak: 2 × 50 hours, all tolerated.
    let offer = fixed("40000.00", Payment::Monthly, cell, "500");
    let mut p = Pricer::new(&m, &t, &offer).unwrap();
    let start = t.term.start_hour().0;
    for h in (0..50).chain(51..101) {
        p.push(Hour(start + h), cell, Quantity(d("540"))).unwrap();
    }
    let bill = p.finish().unwrap();
    assert_eq!(
        (
            bill.periods[0].cells[0].tolerated_hours,
            bill.periods[0].cells[0].charged_hours
        ),
        (100, 0)
    );
}

#[test]
fn strict_policy_charges_every_excess_hour() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    let mut offer = fixed("40000.00", Payment::Monthly, cell, "500");
    if let OfferKind::FixedCapacity(f) = &mut offer.kind {
        f.overage = OveragePolicy::strict();
    }
    let u = usage(&m, &t, cell, "500", "540", 0, 48);
    let bill = price(&m, &t, &offer, &u).unwrap();
    // 40 TB × 48 h × 0.0015 × 1.25 = 3.6
    assert_eq!(bill.periods[0].cells[0].charged_hours, 48);
    assert_eq!(bill.total.to_string(), "40003.60");
}

/// Example E and upfront: (start, months, payment, first period amount, periods).
#[test]
fn example_e_proration() {
    let table = [
        ("2026-02-15", 12, Payment::Monthly, "20000.00", 13),
        ("2026-03-01", 12, Payment::Monthly, "40000.00", 12),
        ("2026-03-01", 12, Payment::Upfront, "480000.00", 12),
        // Half of Feb 2026 + 11 months + half of Feb 2027: exactly 12 months.
        ("2026-02-15", 12, Payment::Upfront, "480000.00", 13),
        // 24/744 of January + 648/672 of February = 39,861.7511… → 39,861.75
        ("2026-01-31", 1, Payment::Upfront, "39861.75", 2),
        ("2026-01-31", 1, Payment::Monthly, "1290.32", 2),
    ];
    let m = spec_m();
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    for (start, months, payment, first, periods) in table {
        let t = term(start, months);
        let bill = price(
            &m,
            &t,
            &fixed("40000.00", payment, cell, "500"),
            &UsageSeries::new(&t.term),
        )
        .unwrap();
        assert_eq!(bill.periods.len(), periods, "{start}");
        assert_eq!(
            bill.periods[0].total.to_string(),
            first,
            "{start} {payment:?}"
        );
        assert_eq!(bill.periods[0].partial, start != "2026-03-01", "{start}");
    }
}

/// Worked example F: 1,000 units at 0.85 upfront, 1,000 TB on on-prem/hot
/// every hour of March 2026 (1.5 units an hour): the usage and the offer.
fn example_f(m: &Matrix, t: &DealTerms) -> (UsageSeries, Offer) {
    let cell = m.cell("capacity", "on-prem", "hot").unwrap();
    let offer = Offer {
        name: "prepaid".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("1000")),
            price: Price(d("0.85")),
            payment: Payment::Upfront,
            overage_price: None,
        }),
    };
    (usage(m, t, cell, "1000", "1000", 0, 0), offer)
}

#[test]
fn example_f_units_commitment() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let (u, offer) = example_f(&m, &t);
    let bill = price(&m, &t, &offer, &u).unwrap();
    let c = bill.commitment.as_ref().unwrap();
    assert_eq!(c.commitment_amount.to_string(), "850.00");
    assert_eq!(c.exhausted_term_hour, Some(667));
    assert_eq!(c.exhausted_at.unwrap().to_string(), "2026-03-28T18:00:00Z");
    // 744 h × 1.5 = 1116 units: 1000 drawn, 116 overage (0.5 + 77 × 1.5).
    assert_eq!(c.units_consumed.get(), d("1116"));
    assert_eq!(c.units_drawn.get(), d("1000"));
    assert_eq!(c.overage_units.get(), d("116"));
    assert!(c.units_remaining.is_zero() && c.expired_value.is_zero());
    let march = &bill.periods[0];
    assert_eq!(march.lines.len(), 2);
    assert_eq!(march.lines[1].amount.to_string(), "116.00");
    assert_eq!(bill.total.to_string(), "966.00");
}

#[test]
fn commitment_draws_cells_in_matrix_order_within_an_hour() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let hot = m.cell("capacity", "azure", "hot").unwrap(); // 0.001875 /TB-h
    let onprem = m.cell("capacity", "on-prem", "hot").unwrap(); // 0.0015 /TB-h
    let offer = Offer {
        name: "prepaid".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("2")),
            price: Price(d("0.85")),
            payment: Payment::Monthly,
            overage_price: Some(Price(d("2.00"))),
        }),
    };
    let mut p = Pricer::new(&m, &t, &offer).unwrap();
    let h = t.term.start_hour();
    // Pushed in reverse order: on-prem (earlier in the matrix) must still draw first.
    p.push(h, hot, Quantity(d("1000"))).unwrap(); // 1.875 units
    p.push(h, onprem, Quantity(d("1000"))).unwrap(); // 1.5 units
    let bill = p.finish().unwrap();
    let cells = &bill.periods[0].cells;
    assert_eq!(cells[0].cell.environment, "on-prem");
    assert_eq!(cells[0].drawn_units.unwrap().get(), d("1.5"));
    assert_eq!(cells[1].drawn_units.unwrap().get(), d("0.5"));
    assert_eq!(cells[1].overage_units.get(), d("1.375"));
    assert_eq!(bill.periods[0].lines[1].amount.to_string(), "2.75");
    // Monthly, one period: the single installment is the whole commitment.
    assert_eq!(bill.periods[0].lines[0].amount.to_string(), "1.70");
}

#[test]
fn installments_add_up_to_the_commitment() {
    let m = spec_m();
    let t = term("2026-02-15", 7);
    let offer = Offer {
        name: "prepaid".into(),
        kind: OfferKind::Commitment(Commitment {
            units: Units(d("1000")),
            price: Price(d("0.8533")),
            payment: Payment::Monthly,
            overage_price: None,
        }),
    };
    let bill = price(&m, &t, &offer, &UsageSeries::new(&t.term)).unwrap();
    assert_eq!(bill.periods.len(), 8);
    assert_eq!(bill.total.to_string(), "853.30");
    let c = bill.commitment.unwrap();
    assert_eq!(c.expired_units.get(), d("1000"));
    assert_eq!(c.expired_value.to_string(), "853.30");
}

#[test]
fn marketplace_fee_by_contract_value() {
    let m = spec_m();
    let cell = m.cell("capacity", "azure", "hot").unwrap();
    // (monthly fee, months, rate, fee total)
    let table = [
        ("40000.00", 12, "0.03", "14400.00"),
        ("100000.00", 12, "0.02", "24000.00"),
        ("1000000.00", 12, "0.015", "180000.00"),
    ];
    for (fee, months, rate, total_fee) in table {
        let mut t = term("2026-03-01", months);
        t.channel = Channel::Marketplace("azure".into());
        let bill = price(
            &m,
            &t,
            &fixed(fee, Payment::Monthly, cell, "500"),
            &UsageSeries::new(&t.term),
        )
        .unwrap();
        assert_eq!(bill.marketplace_fee_rate.get(), d(rate), "{fee}");
        assert_eq!(bill.marketplace_fee.to_string(), total_fee, "{fee}");
        assert_eq!(
            bill.net_revenue,
            bill.total.checked_sub(bill.marketplace_fee).unwrap()
        );
    }
    let mut t = term("2026-03-01", 1);
    t.channel = Channel::Marketplace("on-prem".into());
    let err = Pricer::new(&m, &t, &fixed("1", Payment::Monthly, cell, "1")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "offer `fixed`: channel `on-prem` is not a marketplace environment of matrix spec-m"
    );
}

#[test]
fn bad_usage_is_refused() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let offer = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let hot = m.cell("capacity", "azure", "hot").unwrap();
    let archive_onprem = CellId {
        meter: 0,
        environment: 0,
        use_case: 1,
    };
    let h = |s: &str| Hour::parse_rfc3339(s).unwrap();
    let q = |s: &str| Quantity(d(s));
    type Records = Vec<(Hour, CellId, Quantity)>;
    let table: Vec<(Records, &str)> = vec![
        (vec![(h("2026-04-01T00:00:00Z"), hot, q("1"))], "hour 2026-04-01T00:00:00Z is outside the term 2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z"),
        (vec![(h("2026-03-01T05:00:00Z"), hot, q("1")), (h("2026-03-01T05:00:00Z"), hot, q("2"))], "duplicate record for hour 2026-03-01T05:00:00Z and cell capacity/azure/hot"),
        (vec![(h("2026-03-01T05:00:00Z"), hot, q("1")), (h("2026-03-01T04:00:00Z"), hot, q("2"))], "hour 2026-03-01T04:00:00Z comes after hour 2026-03-01T05:00:00Z: usage must be in time order"),
        (vec![(h("2026-03-01T05:00:00Z"), hot, q("-1"))], "negative quantity -1"),
        (vec![(h("2026-03-01T05:00:00Z"), archive_onprem, q("1"))], "cell capacity/on-prem/archive is not offered in this matrix"),
        (vec![(h("2026-03-01T05:00:00Z"), CellId { meter: 9, environment: 0, use_case: 0 }, q("1"))], "cell ?/on-prem/hot is not offered in this matrix"),
    ];
    for (records, want) in table {
        let mut p = Pricer::new(&m, &t, &offer).unwrap();
        let err = records
            .into_iter()
            .map(|(h, c, q)| p.push(h, c, q))
            .find_map(Result::err)
            .unwrap();
        assert_eq!(err.to_string(), want);
    }
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let offer = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let hot = m.cell("capacity", "azure", "hot").unwrap();
    let mut p = Pricer::new(&m, &t, &offer).unwrap();
    let start = t.term.start_hour().0;
    let huge = Quantity(Decimal::MAX);
    p.push(Hour(start), hot, huge).unwrap();
    // The exact accumulator holds the sum; it cannot be a Decimal, so the
    // period's close reports an overflow.
    p.push(Hour(start + 1), hot, huge).unwrap();
    let err = p.finish().unwrap_err();
    assert!(matches!(err, Error::Overflow { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "pricing offer `payg`: arithmetic overflow while computing exact accumulator"
    );
}

/// The ledger adds up to the bill it was recorded with: per period and cell
/// the units burned, per money line the units it prices; recording changes
/// nothing in the bill. Rows: (what, offer, usage quantity, expected counts
/// of (action, hours)).
#[test]
fn ledger_adds_up_to_the_bill() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let hot = m.cell("capacity", "azure", "hot").unwrap();
    let payg = Offer {
        name: "payg".into(),
        kind: OfferKind::PayAsYouGo(PayAsYouGo::default()),
    };
    let (f_usage, commit) = example_f(&m, &t);
    type Row = (&'static str, Offer, UsageSeries, Vec<(HourAction, usize)>);
    let table: Vec<Row> = vec![
        (
            "example A",
            payg,
            usage(&m, &t, hot, "200", "200", 0, 0),
            vec![(HourAction::Usage, 744)],
        ),
        (
            "example C",
            fixed("40000.00", Payment::Monthly, hot, "500"),
            usage(&m, &t, hot, "500", "540", 216, 100),
            vec![
                (HourAction::Included, 644),
                (HourAction::Tolerated, 72),
                (HourAction::Charged, 28),
            ],
        ),
        (
            "example F",
            commit,
            f_usage,
            vec![(HourAction::Drawn, 666), (HourAction::Overage, 78)],
        ),
    ];
    for (what, offer, u, counts) in table {
        let r = price_recorded(&m, &t, &offer, &u).unwrap();
        assert_eq!(r.bill, price(&m, &t, &offer, &u).unwrap(), "{what}");
        for (action, n) in counts {
            let got = r.ledger.iter().filter(|row| row.action == action).count();
            assert_eq!(got, n, "{what}: {action:?} hours");
        }
        for (k, p) in r.bill.periods.iter().enumerate() {
            for c in &p.cells {
                let rows = r
                    .ledger
                    .iter()
                    .filter(|row| row.period == k && m.cell_name(row.cell) == c.cell);
                let (mut units, mut priced) = (Decimal::ZERO, Decimal::ZERO);
                for row in rows {
                    units += row.units.get();
                    priced += row.priced_units.get();
                }
                assert_eq!(units, c.units.get(), "{what}: units of {}", c.cell);
                let line = p.lines.iter().find(|l| l.cell.as_ref() == Some(&c.cell));
                let line_units = line
                    .and_then(|l| l.units)
                    .map_or(Decimal::ZERO, |u| u.get());
                assert_eq!(priced, line_units, "{what}: priced units of {}", c.cell);
            }
        }
    }
}

#[test]
fn ledger_row_of_the_hour_the_bucket_runs_out() {
    let m = spec_m();
    let t = term("2026-03-01", 1);
    let (u, offer) = example_f(&m, &t);
    let r = price_recorded(&m, &t, &offer, &u).unwrap();
    // Term hour 667 (example F): 1 unit left, 1.5 burned.
    let row = &r.ledger[666];
    assert_eq!(row.hour.to_string(), "2026-03-28T18:00:00Z");
    assert_eq!(row.action, HourAction::Overage);
    assert_eq!(
        (row.drawn.get(), row.priced_units.get()),
        (d("1"), d("0.5"))
    );
    assert_eq!(row.bucket_remaining, Some(Units(d("0"))));
    assert_eq!(r.ledger[665].bucket_remaining, Some(Units(d("1"))));
}

/// Pseudo-random usage for the property below: `hours` hours of `cells`,
/// each record's quantity with 0 to 4 decimals (so a cell's working scale
/// rises mid-stream), some hours absent or zero, and within each hour the
/// records in a shuffled order. Returns (records in matrix order within
/// each hour, the same records shuffled within each hour).
fn scattered_usage(
    seed: u64,
    t: &DealTerms,
    cells: &[CellId],
) -> (Vec<HourRecord>, Vec<HourRecord>) {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (mut ordered, mut shuffled) = (Vec::new(), Vec::new());
    for h in 0..t.term.hours() {
        let hour = Hour(t.term.start_hour().0 + h as i64);
        let mut hour_records = Vec::new();
        for &cell in cells {
            let r = next();
            if r % 11 == 0 {
                continue; // absent
            }
            let scale = (r >> 8) as u32 % 5;
            let whole = if r % 13 == 0 {
                0
            } else {
                450 + (r >> 16) % 120
            };
            let mantissa = (whole * 10u64.pow(scale) + (r >> 24) % 10u64.pow(scale)) as i64;
            let quantity = Quantity(Decimal::new(if whole == 0 { 0 } else { mantissa }, scale));
            hour_records.push(HourRecord {
                hour,
                cell,
                quantity,
            });
        }
        ordered.extend(hour_records.iter().copied());
        for k in (1..hour_records.len()).rev() {
            hour_records.swap(k, next() as usize % (k + 1));
        }
        shuffled.extend(hour_records);
    }
    (ordered, shuffled)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
    /// The engine's common case (a cell's gate, the masked overage rule, the
    /// packed hour counts, a commitment's pending quantities drawn in
    /// matrix order with each cell's kept factor) against the rule written
    /// plainly, and against the same records in matrix order within each
    /// hour: the same bill, the same ledger.
    #[test]
    fn common_case_equals_the_rule_written_plainly(seed in 0u64..10_000) {
        let m = spec_m();
        let t = term("2026-03-01", 2);
        let cells = [
            m.cell("compute", "azure", "hot").unwrap(),
            m.cell("capacity", "on-prem", "hot").unwrap(),
            m.cell("capacity", "azure", "archive").unwrap(),
        ];
        let (ordered, shuffled) = scattered_usage(seed, &t, &cells);
        let e = d("500");
        let policy = OveragePolicy::default();
        let fixed = Offer {
            name: "fixed".into(),
            kind: OfferKind::FixedCapacity(FixedCapacity {
                entitlements: cells
                    .iter()
                    .map(|&cell| Entitlement { cell, quantity: Quantity(e) })
                    .collect(),
                monthly_fee: crate::num::Money(d("40000.00")),
                payment: Payment::Monthly,
                overage: policy,
            }),
        };
        let commitment = Offer {
            name: "commitment".into(),
            kind: OfferKind::Commitment(Commitment {
                units: Units(d("1500")),
                price: Price(d("0.85")),
                payment: Payment::Monthly,
                overage_price: None,
            }),
        };
        let payg = Offer {
            name: "payg".into(),
            kind: OfferKind::PayAsYouGo(PayAsYouGo { discount: Ratio(d("0.1")) }),
        };
        for offer in [&fixed, &commitment, &payg] {
            let run = |records: &[HourRecord]| {
                let mut p = Pricer::new(&m, &t, offer).unwrap().record_excess().record_ledger();
                for r in records {
                    p.push(r.hour, r.cell, r.quantity).unwrap();
                }
                p.finish_recorded().unwrap()
            };
            let (a, b) = (run(&ordered), run(&shuffled));
            proptest::prop_assert_eq!(&a.bill, &b.bill);
            proptest::prop_assert_eq!(&a.runs.len(), &b.runs.len());
            let key = |r: &LedgerRow| (r.hour, m.cell_index(r.cell));
            let (mut la, mut lb) = (a.ledger.clone(), b.ledger.clone());
            la.sort_by_key(key);
            lb.sort_by_key(key);
            proptest::prop_assert_eq!(la, lb);
            // Plain pricing (nothing recorded) gives the same bill.
            let plain = price_records(&m, &t, offer, shuffled.iter().copied(), "usage").unwrap();
            proptest::prop_assert_eq!(&plain, &a.bill);
        }
        // The overage rule, written plainly in decimals: per cell and
        // period, tolerated and charged hours and Σ (usage − E) charged.
        let bill = price_records(&m, &t, &fixed, shuffled.iter().copied(), "usage").unwrap();
        let band = policy.band_top(Quantity(e)).unwrap().get();
        for &cell in &cells {
            let mut streak = 0u32;
            let mut last: Option<i64> = None;
            for period in &bill.periods {
                let (mut tolerated, mut charged, mut charged_qh) = (0u32, 0u32, Decimal::ZERO);
                for r in ordered.iter().filter(|r| r.cell == cell && r.hour >= period.start && r.hour < period.end) {
                    let q = r.quantity.get();
                    if last != Some(r.hour.0 - 1) || q.is_zero() {
                        streak = 0;
                    }
                    last = Some(r.hour.0);
                    if q > e {
                        streak += 1;
                        if q <= band && streak <= policy.grace_hours {
                            tolerated += 1;
                        } else {
                            charged += 1;
                            charged_qh += q - e;
                        }
                    } else {
                        streak = 0;
                    }
                }
                let name = m.cell_name(cell);
                let stats = period.cells.iter().find(|c| c.cell == name).unwrap();
                proptest::prop_assert_eq!(
                    (stats.tolerated_hours, stats.charged_hours, stats.charged_quantity_hours.get()),
                    (tolerated, charged, charged_qh)
                );
            }
        }
        // A commitment: every cell's units are drawn or beyond the bucket.
        let bill = price_records(&m, &t, &commitment, shuffled.iter().copied(), "usage").unwrap();
        for c in &bill.cells {
            proptest::prop_assert_eq!(
                c.drawn_units.unwrap().get() + c.overage_units.get(),
                c.units.get()
            );
        }
    }
}
