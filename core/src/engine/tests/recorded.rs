//! What a pricer records on the way (the excess runs of fixed capacity,
//! the hourly ledger) against the bill, and the property test of the
//! engine's common case against the rule written plainly.

use super::*;

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
/// rises mid-stream) or, now and then, 16 or 20 (wider than the common
/// case's `i64`), some hours absent or zero, and within each hour the
/// records in a shuffled order. Returns (records in matrix order within
/// each hour, the same records shuffled within each hour).
pub(super) fn scattered_usage(
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
            // One record in 17 with 16 or 20 decimals: a mantissa beyond
            // the common case's `i64` (2^53), or beyond any `i64`.
            let scale = if r % 17 == 0 {
                16 + 4 * ((r >> 8) as u32 % 2)
            } else {
                (r >> 8) as u32 % 5
            };
            let whole = if r % 13 == 0 {
                0
            } else {
                450 + (r >> 16) % 120
            };
            let fraction = i128::from((r >> 24) % 10u64.pow(scale.min(12)));
            let mantissa = i128::from(whole) * 10i128.pow(scale) + fraction;
            let quantity = Quantity(Decimal::from_i128_with_scale(
                if whole == 0 { 0 } else { mantissa },
                scale,
            ));
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
            // The excess runs alone (the browser's quote records no ledger):
            // the same bill and the same runs as with the ledger.
            let mut p = Pricer::new(&m, &t, offer).unwrap().record_excess();
            for r in &shuffled {
                p.push(r.hour, r.cell, r.quantity).unwrap();
            }
            let (bill, runs) = p.finish_with_excess().unwrap();
            proptest::prop_assert_eq!(&bill, &b.bill);
            proptest::prop_assert_eq!(&runs, &b.runs);
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
                let (mut sum, mut peak) = (Decimal::ZERO, Decimal::ZERO);
                for r in ordered.iter().filter(|r| r.cell == cell && r.hour >= period.start && r.hour < period.end) {
                    let q = r.quantity.get();
                    sum += q;
                    peak = peak.max(q);
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
                // The period's sum and peak, however wide the records.
                proptest::prop_assert_eq!(
                    (stats.quantity_hours.get(), stats.peak.get()),
                    (sum, peak)
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
