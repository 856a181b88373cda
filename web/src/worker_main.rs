//! The Web Worker's entry point (see `unitcalc_web::worker`): answers each
//! message from the page, and says `ready` once it listens.
fn main() {
    unitcalc_web::browser::serve_worker(unitcalc_web::worker::answer_framed);
}
