//! The lab's actions as a table, on worked example C's deal.
use super::*;
use unitcalc_core::deal::DealSpec;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn run(actions: Vec<LabAction>) -> Rc<LabState> {
    let start = LabState {
        app: AppState::new(DealSpec::example()),
        lab: Lab::default(),
    };
    actions.into_iter().fold(Rc::new(start), |s, a| s.reduce(a))
}

fn azure_hot(s: &LabState, text: &str) -> LabAction {
    let m = &s.lab.models[0].matrix;
    LabAction::Edit {
        model: 1,
        cell: GridCell::Multiplier {
            environment: m.environment_index("azure").unwrap(),
            use_case: m.use_case_index("hot").unwrap(),
        },
        text: text.into(),
    }
}

/// Each column: `model name: total (delta)` or `model name: why not`.
fn grid(s: &LabState) -> Vec<String> {
    let c = s.app.outcome.as_ref().as_ref().unwrap();
    columns(&s.lab, c)
        .unwrap()
        .iter()
        .map(|col| match &col.outcome {
            Outcome::Priced { offers } => format!(
                "{}: {} ({})",
                col.model,
                offers[0].total,
                offers[0].delta_total.unwrap()
            ),
            Outcome::NotPriced(n) => format!("{}: {}", col.model, n.reason),
        })
        .collect()
}

use unitcalc_core::lab::Outcome;

#[test]
fn models_side_by_side() {
    let copy = run(vec![LabAction::AddCopy]);
    let raised = copy.clone().reduce(azure_hot(&copy, "1.40"));
    let gone = copy.clone().reduce(azure_hot(&copy, "not-offered"));
    let bad = copy.clone().reduce(azure_hot(&copy, "-1"));
    let cases: Vec<(&str, Rc<LabState>, Vec<&str>)> = vec![
        (
            "the deal's matrix alone",
            run(vec![]),
            vec!["spec-m v1: 480002.10 (0.00)"],
        ),
        (
            "a copy",
            copy.clone(),
            vec![
                "spec-m v1: 480002.10 (0.00)",
                "spec-m v1 (edited): 480002.10 (0.00)",
            ],
        ),
        (
            "the copy with azure/hot at 1.40 (as `unitcalc models`)",
            raised.clone(),
            vec![
                "spec-m v1: 480002.10 (0.00)",
                "spec-m v1 (edited): 480002.35 (0.25)",
            ],
        ),
        (
            "azure/hot not offered in the copy",
            gone,
            vec![
                "spec-m v1: 480002.10 (0.00)",
                "spec-m v1 (edited): not offered here: capacity/azure/hot",
            ],
        ),
        (
            "a refused edit leaves the copy as it was",
            bad.clone(),
            vec![
                "spec-m v1: 480002.10 (0.00)",
                "spec-m v1 (edited): 480002.10 (0.00)",
            ],
        ),
        (
            "renamed",
            raised
                .clone()
                .reduce(LabAction::Rename(0, "today".into()))
                .reduce(LabAction::Rename(1, "candidate".into())),
            vec!["today: 480002.10 (0.00)", "candidate: 480002.35 (0.25)"],
        ),
        (
            "removed",
            raised.clone().reduce(LabAction::Remove(1)),
            vec!["spec-m v1: 480002.10 (0.00)"],
        ),
        (
            "at most four models",
            run(vec![LabAction::AddCopy; 5]),
            vec!["spec-m v1: 480002.10 (0.00)"; 1]
                .into_iter()
                .chain(["spec-m v1 (edited): 480002.10 (0.00)"; 3])
                .collect(),
        ),
    ];
    for (name, s, want) in cases {
        assert_eq!(grid(&s), want, "{name}");
    }
    assert_eq!(
        bad.lab.errors.len(),
        1,
        "the refused edit is flagged on its input"
    );
}

#[test]
fn diff_sweep_and_fit() {
    let copy = run(vec![LabAction::AddCopy]);
    let raised = copy.clone().reduce(azure_hot(&copy, "1.40"));
    let c = raised.app.outcome.as_ref().as_ref().unwrap();
    let d = differences(&raised.lab, c).unwrap().unwrap();
    let got: Vec<String> = d
        .differences
        .iter()
        .map(|x| {
            format!(
                "{} {} {} → {} {:?}",
                x.kind,
                x.id,
                x.old,
                x.new,
                x.relative.map(|r| r.to_string())
            )
        })
        .collect();
    assert_eq!(got, ["cell azure/hot 1.25 → 1.40 Some(\"0.1200\")"]);

    let s = [
        LabAction::SetSweep(SweepField::From, "1.00".into()),
        LabAction::SetSweep(SweepField::To, "1.50".into()),
        LabAction::SetSweep(SweepField::Steps, "3".into()),
    ]
    .into_iter()
    .fold(run(vec![]), |s, a| s.reduce(a));
    let c = s.app.outcome.as_ref().as_ref().unwrap();
    assert_eq!(parameters(c)[0].to_string(), "multiplier:azure/hot");
    let sw = run_sweep(&s.lab, c).unwrap();
    assert_eq!(sw.current.unwrap().to_string(), "1.25");
    let totals: Vec<String> = sw
        .points
        .iter()
        .map(|p| format!("{} {}", p.value.normalize(), p.totals[0]))
        .collect();
    assert_eq!(totals, ["1 480001.68", "1.25 480002.10", "1.5 480002.52"]);
    let bad = s.reduce(LabAction::SetSweep(SweepField::Steps, "x".into()));
    let c = bad.app.outcome.as_ref().as_ref().unwrap();
    assert_eq!(
        run_sweep(&bad.lab, c).unwrap_err(),
        "sweep points: `x` is not a whole number"
    );

    // Two flat weeks at 500 on azure/hot: fitted, drawn, then continued.
    let mut text = String::from("timestamp,meter,environment,use_case,quantity\n");
    for d in 2..16 {
        for h in 0..24 {
            text.push_str(&format!(
                "2026-03-{d:02}T{h:02}:00:00Z,capacity,azure,hot,500\n"
            ));
        }
    }
    let up = run(vec![]).reduce(LabAction::App(Action::UploadCsv(Rc::new(CsvUsage {
        name: "history.csv".into(),
        bytes: text.into_bytes(),
    }))));
    let fits = fit(
        up.app.csv.as_ref().unwrap(),
        up.app.matrix.as_ref().unwrap(),
    )
    .unwrap();
    assert_eq!(fits.len(), 1);
    assert_eq!(fits[0].values().join(" "), "500 0 0 0 0 2026-04-02 500");
    let curve = fitted_curve(&fits[0]).unwrap();
    assert!(curve.cells()[0].quantities[..14 * 24]
        .iter()
        .all(|q| q.to_string() == "500"));
    let used = up.reduce(LabAction::UseFitted).app.clone();
    assert!(used.csv.is_none());
    assert_eq!(used.scenario.term_start, "2026-04-02");
    assert_eq!(used.scenario.usage.cells[0].cell, "capacity/azure/hot");
    assert_eq!(used.scenario.usage.cells[0].baseline, "500");
}

/// The lab's link keeps the names typed: the deal's matrix's column renamed
/// (even with no extra model) and a model's, through the page's reopening.
#[test]
fn the_link_keeps_the_model_names() {
    let renamed = run(vec![LabAction::Rename(0, "today".into())]);
    let link = super::link(&renamed).unwrap();
    assert!(link.starts_with("#lab1."), "{link}");
    let back = super::open(&link);
    assert_eq!(back.lab.first_name.as_deref(), Some("today"));
    let two = renamed
        .reduce(LabAction::AddCopy)
        .reduce(LabAction::Rename(1, "candidate".into()));
    let back = super::open(&super::link(&two).unwrap());
    assert_eq!(back.lab.first_name.as_deref(), Some("today"));
    let names: Vec<_> = back.lab.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["candidate"]);
}

/// A scenario saved from the lab: the simulator's saved scenarios hold its
/// deal; the lab reopens it with the first model's name and its models.
#[test]
fn saved_with_its_models_and_reopened() {
    let s = run(vec![
        LabAction::Rename(0, "today".into()),
        LabAction::AddCopy,
        LabAction::Rename(1, "candidate".into()),
        LabAction::Save("  ".into()),
    ]);
    assert_eq!(
        s.app.notice.as_deref(),
        Some("Nothing was saved: type a name for the scenario first.")
    );
    let s = s.reduce(LabAction::Save("Acme".into()));
    assert_eq!(s.app.notice.as_deref(), Some("Saved “Acme” with 2 models."));
    assert_eq!(s.app.saved, ["Acme"]);
    assert_eq!(
        crate::storage::load_all().get("Acme"),
        Some(s.app.written())
    );
    let back = run(vec![LabAction::OpenSaved("Acme".into())]);
    assert_eq!(back.lab.first_name.as_deref(), Some("today"));
    let names: Vec<_> = back.lab.models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["candidate"]);
    assert_eq!(back.lab.models[0].matrix, s.lab.models[0].matrix);
    let gone = run(vec![LabAction::OpenSaved("Globex".into())]);
    assert_eq!(
        gone.app.notice.as_deref(),
        Some("“Globex” is no longer saved.")
    );
}
