//! The unit-model lab's entry point (`lab/index.html`): mounts the lab on `<body>`.
fn main() {
    unitcalc_web::start_lab();
}
