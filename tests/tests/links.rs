//! Links through versions: every share link from before (`#v1.`, a deal
//! only) still opens, in the simulator and in the lab (with no extra
//! models), and the lab's link (`#lab1.`) carries the extra unit models:
//! bundled ones by name, edited ones as their matrix TOML.

use unitcalc_core::deal::DealSpec;
use unitcalc_core::matrix_toml::{self, GridCell};
use unitcalc_core::scenario::{self, decode_lab, encode_lab, LinkedModel};
use unitcalc_tests::{assert_golden, path, spec_m};

fn read(rel: &str) -> String {
    std::fs::read_to_string(path(rel))
        .unwrap()
        .trim()
        .to_string()
}

fn azure_hot(m: &unitcalc_core::matrix::Matrix) -> GridCell {
    GridCell::Multiplier {
        environment: m.environment_index("azure").unwrap(),
        use_case: m.use_case_index("hot").unwrap(),
    }
}

/// Worked example C's deal with two more models: the bundled candidate,
/// and a copy of spec-m with azure/hot raised to 1.40.
fn lab_models() -> Vec<LinkedModel> {
    let m = spec_m();
    let edited = matrix_toml::edit_grid(&m, azure_hot(&m), "1.40").unwrap();
    vec![
        LinkedModel {
            name: "candidate".into(),
            bundled: Some("illustrative-candidate".into()),
            toml: None,
            edited: false,
        },
        LinkedModel {
            name: "spec-m v1 (edited)".into(),
            bundled: None,
            toml: Some(matrix_toml::to_toml(&edited)),
            edited: true,
        },
    ]
}

#[test]
fn an_old_share_link_opens_in_the_simulator_and_the_lab() {
    let old = read("tests/fixtures/links/example-c-v1.link");
    let deal = scenario::open_link(&old).unwrap();
    assert_eq!(deal, DealSpec::example());
    assert_eq!(decode_lab(&old).unwrap(), (deal, Vec::new()));
}

#[test]
fn the_lab_link_carries_the_models() {
    let models = lab_models();
    let link = encode_lab(&DealSpec::example(), &models).unwrap();
    assert_golden(
        path("tests/golden/links/lab-two-models.link"),
        &format!("{link}\n"),
    );
    let (deal, back) = decode_lab(&read("tests/golden/links/lab-two-models.link")).unwrap();
    assert_eq!((deal, &back), (DealSpec::example(), &models));
    let m = matrix_toml::parse_matrix(back[1].toml.as_deref().unwrap(), "model 3").unwrap();
    let GridCell::Multiplier {
        environment,
        use_case,
    } = azure_hot(&m)
    else {
        unreachable!()
    };
    let i = usize::from(environment) * m.use_cases.len() + usize::from(use_case);
    assert_eq!(m.multipliers[i], Some("1.40".parse().unwrap()));
    // Without extra models the lab's link is the deal's share link.
    assert_eq!(
        encode_lab(&DealSpec::example(), &[]).unwrap(),
        scenario::encode(&DealSpec::example()).unwrap()
    );
}

#[test]
fn lab_links_refused() {
    let deal = DealSpec::example();
    let both = LinkedModel {
        name: "x".into(),
        bundled: Some("spec-m".into()),
        toml: Some(String::new()),
        edited: false,
    };
    let err = encode_lab(&deal, &[both]).unwrap_err().to_string();
    assert!(
        err.contains("model `x` needs either `bundled` or `toml`"),
        "{err}"
    );
    let four = vec![lab_models()[0].clone(); 4];
    let err = encode_lab(&deal, &four).unwrap_err().to_string();
    assert!(err.contains("4 extra unit models; at most 3"), "{err}");
    let err = decode_lab("#lab1.@@").unwrap_err().to_string();
    assert!(err.contains("not valid base64url"), "{err}");
}

/// The lab's link carries the names the user typed: the deal's matrix's
/// column renamed ("today") and the extra models' names, with or without
/// extra models; every older link reads with no first name.
#[test]
fn the_lab_link_carries_the_model_names() {
    let mut models = lab_models();
    models[0].name = "next year's list".into();
    let named = scenario::LabScenario {
        deal: DealSpec::example(),
        first: Some("today".into()),
        models,
    };
    let link = scenario::encode_lab_scenario(&named).unwrap();
    assert_golden(
        path("tests/golden/links/lab-named-models.link"),
        &format!("{link}\n"),
    );
    let back = scenario::decode_lab_scenario(&read("tests/golden/links/lab-named-models.link"));
    assert_eq!(back.unwrap(), named);
    // Only the first model renamed: still a lab link, and it holds the name.
    let renamed = scenario::LabScenario {
        first: Some("today".into()),
        models: Vec::new(),
        ..named.clone()
    };
    let link = scenario::encode_lab_scenario(&renamed).unwrap();
    assert!(link.starts_with("#lab1."), "{link}");
    assert_eq!(scenario::decode_lab_scenario(&link).unwrap(), renamed);
    // Links from before: the lab link of two models and a deal's share link.
    let older = [
        ("tests/golden/links/lab-two-models.link", lab_models()),
        ("tests/fixtures/links/example-c-v1.link", Vec::new()),
    ];
    for (file, models) in older {
        let s = scenario::decode_lab_scenario(&read(file)).unwrap();
        let want = scenario::LabScenario {
            deal: DealSpec::example(),
            first: None,
            models,
        };
        assert_eq!(s, want, "{file}");
    }
}
