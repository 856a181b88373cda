//! Files, links and saved scenarios: CSV uploads, share links, saving,
//! exports and deal files.

use super::*;

// In the browser these run under wasm-bindgen-test; named here, since
// `super::*` and the prelude would both offer a `test`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// An uploaded CSV replaces the profile until cleared: 80 hours at 540
/// TB from 2026-03-10 charge hours 73–80, March 40,000.60.
#[test]
fn csv_upload_and_clear() {
    let mut csv = String::from("timestamp,meter,environment,use_case,quantity\n");
    for h in 0..80 {
        csv.push_str(&format!(
            "2026-03-{:02}T{:02}:00:00Z,capacity,azure,hot,540\n",
            10 + h / 24,
            h % 24
        ));
    }
    let upload = Rc::new(CsvUsage {
        name: "burst.csv".into(),
        bytes: csv.into_bytes(),
    });
    let s = example().reduce(Action::UploadCsv(upload.clone()));
    assert_eq!(s.csv, Some(upload));
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40000.60"));
    let s = s.reduce(Action::ClearCsv);
    assert_eq!(s.csv, None);
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
}

/// A usage CSV that does not read is refused: the previous usage (the
/// profile, or an earlier upload) keeps pricing, and the alert names the
/// file and the reader's message. Each bad file, and the words it gives.
#[test]
fn a_bad_csv_upload_keeps_the_previous_usage() {
    let header = "timestamp,meter,environment,use_case,quantity\n";
    let bad: Vec<(&str, String, &str)> = vec![
        (
            "cells.csv",
            format!("{header}2026-03-10T00:00:00Z,capacity,azure,warm,540\n"),
            "unknown use case `warm`",
        ),
        (
            "qty.csv",
            format!("{header}2026-03-10T00:00:00Z,capacity,azure,hot,5x0\n"),
            "`5x0`",
        ),
        ("header.csv", "when,what\n".to_string(), "header.csv"),
    ];
    let good = Rc::new(CsvUsage {
        name: "burst.csv".into(),
        bytes: (0..80)
            .map(|h| {
                format!(
                    "2026-03-{:02}T{:02}:00:00Z,capacity,azure,hot,540\n",
                    10 + h / 24,
                    h % 24
                )
            })
            .fold(header.to_string(), |acc, l| acc + &l)
            .into_bytes(),
    });
    for (start, csv, march) in [
        (example(), None, "40002.10"),
        (
            example().reduce(Action::UploadCsv(good.clone())),
            Some(good.clone()),
            "40000.60",
        ),
    ] {
        for (name, text, says) in &bad {
            let upload = Rc::new(CsvUsage {
                name: (*name).into(),
                bytes: text.clone().into_bytes(),
            });
            let s = start.clone().reduce(Action::UploadCsv(upload));
            assert_eq!(s.csv, csv, "{name}");
            assert_eq!(period_total(&s, 0).as_deref(), Ok(march), "{name}");
            assert_eq!(s.fault, None, "{name}");
            let alert = s.alert.clone().unwrap_or_default();
            assert!(
                alert.starts_with(&format!("{name} was not used: "))
                    && alert.contains(says)
                    && alert.ends_with("The bill still uses the previous usage."),
                "{alert}"
            );
        }
    }
}

/// An uploaded file that covers part of the term: the months it has no
/// usage for, from the core (empty for the profile).
#[test]
fn months_without_usage() {
    let months = |s: &AppState| {
        s.outcome
            .as_ref()
            .as_ref()
            .unwrap()
            .months_without_usage
            .join(",")
    };
    assert_eq!(months(&example()), "");
    let upload = Rc::new(CsvUsage {
        name: "march-april.csv".into(),
        bytes: b"timestamp,meter,environment,use_case,quantity\n2026-03-10T00:00:00Z,capacity,azure,hot,540\n2026-04-30T23:00:00Z,capacity,azure,hot,0\n".to_vec(),
    });
    let s = example().reduce(Action::UploadCsv(upload));
    assert_eq!(
        months(&s),
        "2026-05,2026-06,2026-07,2026-08,2026-09,2026-10,2026-11,2026-12,2027-01,2027-02"
    );
}

/// The Copy button's outcome is the notice, and nothing else changes:
/// (copied, notice).
#[test]
fn copying_the_link_says_whether_it_worked() {
    let cases = [
        (true, "Share link copied to the clipboard."),
        (
            false,
            "The browser did not allow copying: select the link and copy it (Ctrl+C or ⌘C).",
        ),
    ];
    for (ok, want) in cases {
        let start = example();
        let s = start.clone().reduce(Action::Copied(ok));
        assert_eq!(s.notice.as_deref(), Some(want));
        assert_eq!(
            (s.generation, &s.scenario),
            (start.generation, &start.scenario)
        );
    }
}

/// The first state, and links opened in an open page.
#[test]
fn share_links() {
    let link = encode(&DealSpec::example()).unwrap();
    assert_eq!(AppState::open("").scenario, default_scenario());
    assert_eq!(AppState::open("#").scenario, default_scenario());
    let s = AppState::open(&link);
    assert_eq!(
        (s.scenario.clone(), s.alert.clone()),
        (DealSpec::example(), None)
    );
    let s = AppState::open("#v1.AAAA");
    assert_eq!(s.scenario, default_scenario());
    assert!(s
        .alert
        .as_deref()
        .is_some_and(|m| m.starts_with("This share link could not be opened")));

    // A good link replaces the scenario, the upload, the alert and the shown offer.
    let start = apply(
        Rc::new(AppState::open("")),
        [
            Action::AddOffer,
            Action::SelectOffer(1),
            Action::Alert("old".into()),
            Action::UploadCsv(Rc::new(CsvUsage {
                name: "u.csv".into(),
                bytes: Vec::new(),
            })),
        ],
    );
    let s = start.clone().reduce(Action::LoadLink(link.clone()));
    assert_eq!(s.scenario, DealSpec::example());
    assert_eq!(
        (s.selected, s.csv.is_none(), s.alert.is_none()),
        (0, true, true)
    );
    assert_eq!(period_total(&s, 0).as_deref(), Ok("40002.10"));
    // A broken one keeps the scenario and says why.
    let s = s.reduce(Action::LoadLink(link[..link.len() - 30].into()));
    assert_eq!(s.scenario, DealSpec::example());
    let m = s.alert.clone().unwrap_or_default();
    assert!(
        m.contains("could not be opened") && m.contains("truncated"),
        "{m}"
    );
    // An empty fragment is no link: nothing happens.
    for empty in ["", "#"] {
        let again = s.clone().reduce(Action::LoadLink(empty.into()));
        assert!(Rc::ptr_eq(&again, &s));
    }
}

/// Save, load and delete a named scenario in the browser's store.
#[test]
fn saved_scenarios() {
    let name = "state.rs unit test";
    let s = example().reduce(Action::Save(name.into()));
    assert!(s.saved.iter().any(|n| n == name), "{:?}", s.saved);
    assert_eq!(
        s.notice.as_deref(),
        Some("Saved “state.rs unit test” in this browser.")
    );
    let s = apply(
        s,
        [
            Action::SetName("changed".into()),
            Action::Alert("old".into()),
            Action::LoadSaved(name.into()),
        ],
    );
    assert_eq!(s.scenario, DealSpec::example());
    assert_eq!(s.alert, None);
    assert_eq!(s.notice.as_deref(), Some("Loaded “state.rs unit test”."));
    // A fresh page lists it.
    assert!(AppState::open("").saved.iter().any(|n| n == name));
    let s = s.reduce(Action::DeleteSaved(name.into()));
    assert!(!s.saved.iter().any(|n| n == name));
    assert_eq!(s.notice.as_deref(), Some("Deleted “state.rs unit test”."));
    let s = apply(
        s,
        [
            Action::SetName("kept".into()),
            Action::LoadSaved(name.into()),
        ],
    );
    assert_eq!(s.scenario.name, "kept");
    assert_eq!(
        s.notice.as_deref(),
        Some("“state.rs unit test” is no longer saved.")
    );
}

/// Saving says why nothing happened (an empty name), asks before saving
/// over a name, and says that uploaded usage is not kept (on the entry too).
#[test]
fn saving_asks_and_says_what_is_kept() {
    let name = "state.rs save test";
    let s = example().reduce(Action::Save("   ".into()));
    assert_eq!(
        s.notice.as_deref(),
        Some("Nothing was saved: type a name for the scenario first.")
    );
    assert!(!s.saved.iter().any(|n| n.trim().is_empty()));
    let s = s.reduce(Action::Save(name.into()));
    assert!(s.saved.iter().any(|n| n == name) && s.confirm.is_none());
    // Saving over it asks; Cancel keeps the saved one, Replace replaces it.
    let s = apply(
        s,
        [Action::SetName("second".into()), Action::Save(name.into())],
    );
    assert_eq!(s.confirm, Some(Confirm::Overwrite(name.into())));
    let (question, yes) = s.confirm.clone().unwrap().question(&s);
    assert_eq!(
        (question.as_str(), yes),
        (
            "A scenario named “state.rs save test” is already saved in this browser. Replace it?",
            "Replace"
        )
    );
    let s = s.reduce(Action::Answer(false));
    assert_eq!(s.confirm, None);
    assert_eq!(storage::load_all()[name].name, "Example C");
    let s = apply(s, [Action::Save(name.into()), Action::Answer(true)]);
    assert_eq!(storage::load_all()[name].name, "second");
    // With an uploaded CSV: the profile is saved, and the page says the file is not.
    let upload = Rc::new(CsvUsage {
        name: "two-days.csv".into(),
        bytes: b"timestamp,meter,environment,use_case,quantity\n2026-03-10T00:00:00Z,capacity,azure,hot,540\n".to_vec(),
    });
    let s = apply(
        s,
        [
            Action::UploadCsv(upload),
            Action::Save("state.rs csv test".into()),
        ],
    );
    assert_eq!(
        s.notice.as_deref(),
        Some("Saved “state.rs csv test” in this browser, with the usage profile: the uploaded usage (two-days.csv) is not kept. Upload it again after loading.")
    );
    assert_eq!(
        s.saved_csv.get("state.rs csv test").map(String::as_str),
        Some("two-days.csv")
    );
    assert_eq!(
        AppState::open("")
            .saved_csv
            .get("state.rs csv test")
            .map(String::as_str),
        Some("two-days.csv")
    );
    let s = s.reduce(Action::DeleteSaved("state.rs csv test".into()));
    assert!(!s.saved_csv.contains_key("state.rs csv test"));
    s.reduce(Action::DeleteSaved(name.into()));
}

/// Exports are files of the shown offer's bill, deal and matrix, and
/// none when the scenario does not price.
#[test]
fn export_files() {
    let s = example();
    let csv = export::file(&s, ExportKind::BillCsv).unwrap();
    assert_eq!(
        (csv.name.as_str(), csv.mime),
        ("Example-C-Fixed-500-TB-bill.csv", "text/csv")
    );
    // No ledger until the trail is open (the worker computes it).
    assert_eq!(export::file(&s, ExportKind::LedgerCsv), None);
    assert!(
        csv.text.contains("\nExample C,spec-m,1,Fixed 500 TB,fixed-capacity,2026-03,overage,\"Overage capacity/azure/hot, 28 charged hours\",capacity,azure,hot,1120,2.1,1.00,2.10,USD\n"),
        "{}",
        csv.text
    );
    // The deal exports as the deal TOML the CLI reads, and reads back to the same deal.
    let deal = export::file(&s, ExportKind::DealToml).unwrap();
    let back = unitcalc_core::deal_toml::read(&deal.text, &deal.name)
        .unwrap()
        .spec;
    let m = back.matrix.load().unwrap();
    let resolved = back.resolve(&m, &unitcalc_core::deal::FieldLabels).unwrap();
    let computed = s.outcome.as_ref().as_ref().unwrap();
    assert_eq!(
        (&resolved.terms, &resolved.offers, &resolved.usage),
        (
            &computed.deal.terms,
            &computed.deal.offers,
            &computed.deal.usage
        )
    );
    let m = export::file(&s, ExportKind::MatrixToml).unwrap();
    assert_eq!(
        (m.name.as_str(), m.text.as_str()),
        ("matrix.toml", BUNDLED[0].1)
    );
    let bad = s.reduce(Action::SetTermMonths("x".into()));
    assert_eq!(export::file(&bad, ExportKind::DealToml), None);
}

/// A deal TOML file opens through the core's deal reader (in the page's
/// worker): the browser's own export reopens to the same bill; a file the
/// reader refuses leaves the deal as it was and says why.
#[test]
fn deal_files_open() {
    let s = example();
    let exported = export::file(&s, ExportKind::DealToml).unwrap();
    let blank = Rc::new(AppState::new(default_scenario()));
    let opened = open_deal(blank, &exported.name, &exported.text);
    assert_eq!(period_total(&opened, 0), Ok("40002.10".into()));
    assert_eq!(opened.notice.as_deref(), Some("Opened Example-C.toml."));
    let bad = open_deal(
        opened.clone(),
        "bad.toml",
        "name = \"x\"\nmatrix = \"spec-m.toml\"\n[term]\nstart = \"2026-03-01\"\nmonths = \"12\"\n",
    );
    assert_eq!(
        bad.alert.as_deref(),
        Some("bad.toml:5:10: `months` is a whole number: write months = 12")
    );
    assert_eq!(bad.scenario, opened.scenario);
}
