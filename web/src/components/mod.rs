//! Small function components. Data comes in through `Props`; changes go out
//! through `Callback`s carrying typed [`crate::state::Action`]s.

pub mod app;
pub mod bill_view;
pub mod chart;
pub mod compare_view;
pub mod deal_form;
pub mod fields;
pub mod lab_app;
pub mod lab_chart;
pub mod lab_view;
pub mod matrix_view;
pub mod offer_form;
pub mod share;
pub mod usage_form;
