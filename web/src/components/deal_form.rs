//! Deal-wide inputs: name, matrix, term, channel.

use std::rc::Rc;

use unitcalc_core::deal::{DealSpec, MatrixChoice};
use unitcalc_core::matrix::Matrix;
use yew::prelude::*;

use super::fields::{setter, Field, Select};
use crate::state::{Action, ByPtr, Fault};

/// Props of [`DealForm`].
#[derive(Properties, PartialEq)]
pub struct DealFormProps {
    /// The scenario.
    pub scenario: DealSpec,
    /// The parsed matrix, when it parses (compared by pointer: the page
    /// keeps it while its text is unchanged).
    pub matrix: Option<ByPtr<Matrix>>,
    /// Deal edits.
    pub on_action: Callback<Action>,
    /// Why the scenario does not price: the input it names shows it.
    #[prop_or_default]
    pub fault: Option<Rc<Fault>>,
    /// The matrix's name as the page shows it (`spec-m v1 (edited)`).
    #[prop_or_default]
    pub matrix_label: Option<AttrValue>,
    /// True while the page asks before switching matrices: the menu is
    /// drawn afresh, so it shows the matrix still in use.
    #[prop_or_default]
    pub asking: bool,
}

/// Deal-wide inputs.
#[component]
pub fn DealForm(p: &DealFormProps) -> Html {
    let s = &p.scenario;
    let mut matrices: Vec<(String, String)> = crate::BUNDLED
        .iter()
        .map(|(n, _)| ((*n).to_string(), format!("{n} (bundled)")))
        .collect();
    matrices.push(("custom".into(), "custom (paste or load TOML)".into()));
    let matrix_value = match &s.matrix {
        MatrixChoice::Bundled(n) => n.clone(),
        MatrixChoice::Custom(_) => "custom".into(),
        MatrixChoice::File(path) => unitcalc_core::bundled::by_path(path)
            .unwrap_or("custom")
            .into(),
    };
    let on_matrix = setter(&p.on_action, |v| {
        if v == "custom" {
            // start the custom matrix from the current one's text
            Action::CustomizeMatrix
        } else {
            Action::ChooseMatrix(MatrixChoice::Bundled(v))
        }
    });
    let mut channels = vec![(
        "direct".to_string(),
        "direct (no marketplace fee)".to_string(),
    )];
    if let Some(m) = &p.matrix {
        channels.extend(
            m.environments
                .iter()
                .filter(|e| e.marketplace.is_some())
                .map(|e| (e.id.clone(), format!("{} marketplace", e.id))),
        );
    }
    html! {
        <fieldset class="deal">
            <legend>{ "Deal" }</legend>
            <Field fault={p.fault.clone()} id="deal-name" label="Customer / deal name" value={s.name.clone()}
                oninput={setter(&p.on_action, Action::SetName)} />
            <Select key={if p.asking { "asking" } else { "matrix" }} fault={p.fault.clone()} id="matrix" label="Price matrix" value={matrix_value} options={matrices} onchange={on_matrix} />
            if let (Some(m), Some(label)) = (&p.matrix, &p.matrix_label) {
                <p class="hint" id="matrix-label">{ format!("{label} · {} · list price {} · {}", m.currency.code, m.list_price, m.rounding.as_str()) }</p>
            }
            <div class="row">
                <Field fault={p.fault.clone()} id="term-start" kind="text" hint="YYYY-MM-DD" label="Term start" value={s.term_start.clone()}
                    oninput={setter(&p.on_action, Action::SetTermStart)} />
                <Field fault={p.fault.clone()} id="term-months" kind="number" label="Term months" value={s.term_months.clone()}
                    oninput={setter(&p.on_action, Action::SetTermMonths)} />
            </div>
            <Select fault={p.fault.clone()} id="channel" label="Channel" value={if s.channel.is_empty() { "direct".to_string() } else { s.channel.clone() }}
                options={channels} onchange={setter(&p.on_action, Action::SetChannel)} />
        </fieldset>
    }
}
