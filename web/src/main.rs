//! Browser entry point: mounts the app on `<body>`.
fn main() {
    unitcalc_web::start();
}
