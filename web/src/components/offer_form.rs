//! One offer's inputs: kind and that kind's fields.

use std::rc::Rc;

use unitcalc_core::deal::{KindSpec, OfferSpec, MAX_OFFERS};
use unitcalc_core::matrix::Matrix;
use unitcalc_core::offer::Payment;
use yew::prelude::*;

use super::fields::{action, cell_options, setter, Field, Select};
use crate::state::{Action, ByPtr, EntitlementField, Fault, OfferField};

/// Props of [`OfferForm`].
#[derive(Properties, PartialEq)]
pub struct OfferFormProps {
    /// Index of the offer in the scenario.
    pub index: usize,
    /// The offer as typed.
    pub offer: OfferSpec,
    /// How many offers the scenario has.
    pub count: usize,
    /// The parsed matrix, when it parses (compared by pointer: the page
    /// keeps it while its text is unchanged).
    pub matrix: Option<ByPtr<Matrix>>,
    /// True when this offer's bill is shown.
    pub selected: bool,
    /// Deal edits, and showing this offer's bill.
    pub on_action: Callback<Action>,
    /// Why the scenario does not price: the input it names shows it.
    #[prop_or_default]
    pub fault: Option<Rc<Fault>>,
}

fn payment_options() -> Vec<(String, String)> {
    [Payment::Monthly, Payment::Upfront]
        .iter()
        .map(|p| (p.as_str().to_string(), p.as_str().to_string()))
        .collect()
}

/// One offer's inputs.
#[component]
pub fn OfferForm(p: &OfferFormProps) -> Html {
    let i = p.index;
    let o = &p.offer;
    let id = |f: &str| AttrValue::from(format!("offer-{i}-{f}"));
    let set = |field: OfferField| {
        setter(&p.on_action, move |value| Action::SetOfferField {
            offer: i,
            field,
            value,
        })
    };
    let set_payment = setter(&p.on_action, move |v| Action::SetPayment {
        offer: i,
        payment: v.parse().unwrap_or_default(),
    });
    let kinds: Vec<(String, String)> = KindSpec::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), k.as_str().replace('-', " ")))
        .collect();
    let cells = cell_options(p.matrix.as_deref());
    let select = action(&p.on_action, Action::SelectOffer(i));
    // A kind the select does not offer changes nothing.
    let on_kind = {
        let cb = p.on_action.clone();
        Callback::from(move |v: String| {
            if let Ok(kind) = v.parse::<KindSpec>() {
                cb.emit(Action::SetOfferKind { offer: i, kind })
            }
        })
    };
    let fields = match o.kind {
        KindSpec::PayAsYouGo => html! {
            <Field fault={p.fault.clone()} id={id("discount")} label="Discount (0.20 = 20 %)" value={o.discount.clone()}
                oninput={set(OfferField::Discount)} />
        },
        KindSpec::FixedCapacity => html! {
            <>
            <div class="entitlements" role="group" aria-label="Entitlements">
                { for o.entitlements.iter().enumerate().map(|(k, e)| {
                    let set_ent = |field: EntitlementField| setter(&p.on_action, move |value| Action::SetEntitlement {
                        offer: i, entitlement: k, field, value,
                    });
                    let (set_cell, set_qty) = (set_ent(EntitlementField::Cell), set_ent(EntitlementField::Quantity));
                    html! {
                        <div class="row">
                            <Select fault={p.fault.clone()} id={format!("offer-{i}-ent-{k}-cell")} label={format!("Entitlement {} cell", k + 1)}
                                value={e.cell.clone()} options={cells.clone()} onchange={set_cell} />
                            <Field fault={p.fault.clone()} id={format!("offer-{i}-ent-{k}-qty")} label="Entitled quantity" value={e.quantity.clone()} oninput={set_qty} />
                            <button type="button" class="small" aria-label={format!("Remove entitlement {}", k + 1)}
                                onclick={action(&p.on_action, Action::RemoveEntitlement { offer: i, entitlement: k })}>{ "×" }</button>
                        </div>
                    }
                }) }
                <button type="button" id={id("add-ent")} class="small" onclick={{
                    let free = cells.iter().find(|(v, _)| !o.entitlements.iter().any(|e| e.cell == *v));
                    let first = free.or(cells.first()).map(|(v, _)| v.clone()).unwrap_or_default();
                    action(&p.on_action, Action::AddEntitlement { offer: i, cell: first })
                }}>{ "+ entitlement" }</button>
            </div>
            <div class="row">
                <Field fault={p.fault.clone()} id={id("fee")} label="Monthly fee" value={o.monthly_fee.clone()} oninput={set(OfferField::MonthlyFee)} />
                <Select fault={p.fault.clone()} id={id("payment")} label="Payment" value={o.payment.as_str()} options={payment_options()}
                    onchange={set_payment.clone()} />
            </div>
            <div class="row">
                <Field fault={p.fault.clone()} id={id("tolerance")} label="Tolerance band" value={o.tolerance.clone()} oninput={set(OfferField::Tolerance)} />
                <Field fault={p.fault.clone()} id={id("grace")} label="Grace hours" value={o.grace_hours.clone()} oninput={set(OfferField::GraceHours)} />
            </div>
            <Field fault={p.fault.clone()} id={id("overage")} label="Overage price per unit (empty = list)" value={o.overage_price.clone()}
                oninput={set(OfferField::OveragePrice)} />
            </>
        },
        KindSpec::Commitment => html! {
            <>
            <div class="row">
                <Field fault={p.fault.clone()} id={id("units")} label="Units committed" value={o.commit_units.clone()} oninput={set(OfferField::CommitUnits)} />
                <Field fault={p.fault.clone()} id={id("price")} label="Commit price per unit" value={o.commit_price.clone()} oninput={set(OfferField::CommitPrice)} />
            </div>
            <div class="row">
                <Select fault={p.fault.clone()} id={id("payment")} label="Payment" value={o.payment.as_str()} options={payment_options()}
                    onchange={set_payment.clone()} />
                <Field fault={p.fault.clone()} id={id("overage")} label="Overage price (empty = list)" value={o.overage_price.clone()}
                    oninput={set(OfferField::OveragePrice)} />
            </div>
            </>
        },
    };
    html! {
        <fieldset class={classes!("offer", p.selected.then_some("selected"))}>
            <legend>{ format!("Offer {}", i + 1) }</legend>
            <div class="row">
                <Field fault={p.fault.clone()} id={id("name")} label="Offer name" value={o.name.clone()} oninput={set(OfferField::Name)} />
                <Select fault={p.fault.clone()} id={id("kind")} label="Kind" value={o.kind.as_str()} options={kinds}
                    onchange={on_kind} />
            </div>
            { fields }
            <div class="row buttons">
                <button type="button" id={id("show")} onclick={select} aria-pressed={p.selected.to_string()}>{ "Show this bill" }</button>
                if p.count > 1 {
                    <button type="button" id={id("remove")} onclick={action(&p.on_action, Action::RemoveOffer(i))}>{ "Remove offer" }</button>
                }
                if p.count < MAX_OFFERS && i + 1 == p.count {
                    <button type="button" id="add-offer" onclick={action(&p.on_action, Action::AddOffer)}>{ "+ offer (compare)" }</button>
                }
            </div>
        </fieldset>
    }
}
