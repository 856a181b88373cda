//! Small function components. Data comes in through `Props`; changes go out
//! through `Callback`s carrying typed [`crate::state::Action`]s.

pub mod app;
pub mod bars;
pub mod bill_view;
pub mod chart;
pub mod compare_view;
pub mod cumulative;
pub mod deal_form;
pub mod fields;
pub mod lab_app;
pub mod lab_book;
pub mod lab_chart;
pub mod lab_saved;
pub mod lab_view;
pub mod matrix_view;
pub mod metering_view;
pub mod offer_form;
pub mod quote_view;
pub mod share;
pub mod svg;
pub mod usage_form;
