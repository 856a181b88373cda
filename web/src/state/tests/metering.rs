//! The Metering view's state: the tab is there only for a deal file with a
//! `[metering]` plan, the worker is asked only while the view is shown, a
//! stale answer is dropped, and the worker's rows are the core's figures.

use super::*;
use crate::worker::metering::{decode_metering, figures, Figures, MeteringAnswer};

// In the browser these run under wasm-bindgen-test (as `tests.rs`'s do);
// named here, since `super::*` and the prelude would both offer a `test`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const AZURE: &str = include_str!("../../../../tests/fixtures/metering/example-c-azure.toml");

/// Worked example C's Azure deal file, opened through the worker.
fn opened() -> Rc<AppState> {
    open_deal(
        Rc::new(AppState::new(default_scenario())),
        "example-c-azure.toml",
        AZURE,
    )
}

/// The worker's answer to the state's current metering request, as the
/// page's hook would deliver it.
fn with_metering(s: Rc<AppState>) -> Rc<AppState> {
    let req = s.metering_request.clone().expect("a metering request");
    let answer = decode_metering(&crate::worker::answer(&req.encode())).unwrap();
    apply(s, [Action::MeteringReady(Rc::new(answer))])
}

fn metered(s: &AppState) -> MeteringAnswer {
    (**s.metered.as_ref().expect("an answer")).clone()
}

/// The figures the worker works out for the state's current request.
fn worked_out(s: &AppState) -> Figures {
    let req = s.metering_request.clone().expect("a metering request");
    let msg = req.encode();
    let f = crate::worker::fields(&msg).unwrap();
    figures(&f[1..]).unwrap()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// No plan, no tab: the form's scenario and a deal file without a plan show
/// four tabs and cannot switch to Metering; a deal file with a plan shows
/// the fifth; another scenario drops the plan and leaves the view.
#[test]
fn the_metering_tab_is_there_only_for_a_deal_file_with_a_plan() {
    let four = [View::Bill, View::Compare, View::Matrix, View::Quote];
    let blank = Rc::new(AppState::new(default_scenario()));
    assert_eq!(blank.views(), four);
    let s = apply(blank.clone(), [Action::SetView(View::Metering)]);
    assert_eq!((s.view, s.metering_request.is_none()), (View::Bill, true));

    let exported = export::file(&example(), ExportKind::DealToml).unwrap();
    let no_plan = open_deal(blank, &exported.name, &exported.text);
    assert_eq!(no_plan.views(), four);

    let s = opened();
    assert_eq!(s.views(), View::ALL);
    assert!(s.metering_request.is_none(), "asked only in the view");
    let s = apply(s, [Action::SetView(View::Metering)]);
    assert_eq!(s.view, View::Metering);
    assert!(s.metering_request.is_some());
    let left = apply(s.clone(), [Action::SetView(View::Bill)]);
    assert!(left.metering_request.is_none() && left.metered.is_none());
    // A link that does not open keeps the deal and its plan; another
    // scenario drops them and goes back to the bill.
    let s = apply(s, [Action::LoadLink("#v1.x".into())]);
    assert_eq!((s.view, s.views().len()), (View::Metering, 5));
    let link = encode(&default_scenario()).unwrap();
    let s = apply(s, [Action::LoadLink(link)]);
    assert_eq!((s.view, s.views()), (View::Bill, &four[..]));
    assert!(s.metering_file.is_none() && s.metering_request.is_none());
}

/// Worked example C through Azure: 180 cents on 13 March, 30 on the 14th
/// (one bar a day), March reconciles to the bill's 2.10, the other
/// periods report 0, and the download holds the two request files; the
/// page gets the rows as escaped HTML.
#[test]
fn the_worker_meters_by_day_against_the_bill_with_the_request_bodies() {
    let s = apply(opened(), [Action::SetView(View::Metering)]);
    let m = worked_out(&s);
    assert_eq!(m.heading, "Metering through azure (28 records, USD)");
    assert_eq!(
        m.days,
        [
            row(&["2026-03-13", "overage_usd_cents", "180", "1.80"]),
            row(&["2026-03-14", "overage_usd_cents", "30", "0.30"]),
        ]
    );
    assert_eq!(m.bars.len(), 2);
    assert_eq!(m.bars[0][4], "2026-03-13: 1.80", "{:?}", m.bars);
    assert_eq!(m.reconcile.len(), 12);
    assert_eq!(
        m.reconcile[0],
        row(&[
            "2026-03",
            "overage_usd_cents",
            "210",
            "0.01",
            "2.10",
            "2.10",
            "0.00"
        ])
    );
    assert!(
        m.reconcile.iter().all(|r| r[6] == "0.00"),
        "{:?}",
        m.reconcile
    );
    assert_eq!(m.file_name, "Worked-example-C-(azure)-azure-requests.jsonl");
    let events: Vec<u64> = m
        .jsonl
        .lines()
        .flat_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["request"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["quantity"].as_u64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!((m.jsonl.lines().count(), events.len()), (2, 28));
    assert_eq!(events.iter().sum::<u64>(), 210);

    // What the page gets and keeps: the same, the rows as HTML.
    let s = with_metering(s);
    let page = metered(&s);
    assert_eq!((&page.file_name, &page.jsonl), (&m.file_name, &m.jsonl));
    assert_eq!(page.html, m.html());
    for want in [
        "<h2>Metering through azure (28 records, USD)</h2>",
        "<tr data-row=\"2026-03-13\"><th scope=\"row\">2026-03-13</th><td>overage_usd_cents</td>\
         <td class=\"num\">180</td><td class=\"num\">1.80</td></tr>",
        "<tr data-row=\"2026-03\"><th scope=\"row\">2026-03</th><td>overage_usd_cents</td>\
         <td class=\"num\">210</td><td class=\"num\">0.01</td><td class=\"num\">2.10</td>\
         <td class=\"num\">2.10</td><td class=\"num\">0.00</td></tr>",
        "<title>2026-03-13: 1.80</title>",
    ] {
        assert!(page.html.contains(want), "{want}\n{}", page.html);
    }
    assert_eq!(page.html.matches("<rect class=\"bar\"").count(), 2);
}

/// Every text the worker writes into the view's HTML is escaped.
#[test]
fn the_views_html_escapes_every_text() {
    let f = Figures {
        heading: "a <b> & \"c\"".into(),
        bars: vec![row(&["0", "1", "2", "3", "<x>"])],
        days: vec![row(&["<d>", "dim\"<", "1", "&"])],
        reconcile: Vec::new(),
        file_name: String::new(),
        jsonl: String::new(),
    };
    let h = f.html();
    assert!(
        h.starts_with("<h2>a &lt;b&gt; &amp; &quot;c&quot;</h2>"),
        "{h}"
    );
    for want in [
        "<title>&lt;x&gt;</title>",
        "data-row=\"&lt;d&gt;\"",
        "<td>dim&quot;&lt;</td>",
        "<td class=\"num\">&amp;</td>",
    ] {
        assert!(h.contains(want), "{want}\n{h}");
    }
    assert!(
        !h.contains("<x>") && !h.contains("<d>") && !h.contains("<b>"),
        "{h}"
    );
}

/// Each marketplace's deal file: the download is every request file
/// `unitcalc meter export` writes, in order, one compact body a line.
#[test]
fn the_download_is_every_request_file_as_a_line_table() {
    use unitcalc_core::{deal_toml, metering, quote};
    let table = [
        ("example-c-azure.toml", AZURE, "azure"),
        (
            "example-c-aws.toml",
            include_str!("../../../../tests/fixtures/metering/example-c-aws.toml"),
            "aws",
        ),
        (
            "example-c-gcp.toml",
            include_str!("../../../../tests/fixtures/metering/example-c-gcp.toml"),
            "gcp",
        ),
        (
            "payg-azure.toml",
            include_str!("../../../../tests/fixtures/metering/payg-azure.toml"),
            "azure",
        ),
    ];
    for (name, text, market) in table {
        let s = open_deal(Rc::new(AppState::new(default_scenario())), name, text);
        let s = apply(s, [Action::SetView(View::Metering)]);
        let m = worked_out(&s);
        assert!(
            m.file_name.ends_with(&format!("-{market}-requests.jsonl")),
            "{name}: {}",
            m.file_name
        );
        // The same requests, written as files by the core.
        let matrix = s.matrix.clone().unwrap();
        let deal = deal_toml::parse_deal(text, name, &matrix).unwrap();
        let usage = quote::usage_of::<unitcalc_core::Error>(&deal, |_| unreachable!()).unwrap();
        let plan = deal.metering.as_ref().unwrap();
        let (_, records) =
            metering::meter(&matrix, &deal.terms, &deal.offers, plan, &usage).unwrap();
        let files =
            metering::requests(plan, &deal.name, &records, metering::Window::default()).unwrap();
        let lines: Vec<&str> = m.jsonl.lines().collect();
        assert_eq!(lines.len(), files.len(), "{name}");
        for (line, file) in lines.iter().zip(&files) {
            let (a, b): (serde_json::Value, serde_json::Value) = (
                serde_json::from_str(line).unwrap(),
                serde_json::from_str(&file.body).unwrap(),
            );
            assert_eq!(a, b, "{name}: {}", file.file_name);
            assert!(!line.contains('\n'));
        }
    }
}

/// Only the answer to the current request is kept: an edit while the view
/// is shown asks again, and an answer to the older request is dropped; an
/// edit that breaks the plan gets the core's message.
#[test]
fn a_stale_answer_is_dropped_and_a_broken_plan_says_why() {
    let s = apply(opened(), [Action::SetView(View::Metering)]);
    let stale = s.metering_request.clone().unwrap();
    let s = apply(s, [Action::SetName("Renamed".into())]);
    assert_ne!(s.metering_request.as_ref().unwrap().key, stale.key);
    let old = decode_metering(&crate::worker::answer(&stale.encode())).unwrap();
    let s = apply(s, [Action::MeteringReady(Rc::new(old))]);
    assert!(s.metered.is_none(), "an older request's answer is dropped");
    let s = with_metering(s);
    assert_eq!(metered(&s).file_name, "Renamed-azure-requests.jsonl");
    assert!(metered(&s).html.contains("<h2>Metering through azure"));
    let s = with_metering(apply(s, [Action::SetChannel("direct".into())]));
    let why = metered(&s);
    assert!(
        why.html
            .starts_with("<div class=\"error\" role=\"alert\" id=\"metering-error\">")
            && why.html.contains("channel is `direct`"),
        "{}",
        why.html
    );
    assert_eq!((why.file_name.as_str(), why.jsonl.as_str()), ("", ""));
}
