//! Whether a step limit cut short an execution still making progress
//! (`progress.rs`), on hand-written traces.

use super::*;

#[test]
fn a_spin_that_repeats_itself_or_yields_is_not_progress_and_a_new_last_step_is() {
    let spin = || vec![load("t0", "flag", "false"), load("t1", "flag", "false")];
    let mut looping = vec![store("t0", "x", "1")];
    for _ in 0..3 {
        looping.extend(spin());
    }
    let looping = numbered(looping);
    assert_eq!(still_progressing(&looping), None);
    let mut leaving = looping.clone();
    leaving.push(store("t1", "flag", "true"));
    let leaving = numbered(leaving);
    assert_eq!(still_progressing(&leaving), Some(leaving.len() - 1));
    // The same, while another thread spins on yields: no progress shown.
    let mut yielding = leaving;
    yielding.push(ev("t2", Op::Yield, ""));
    assert_eq!(still_progressing(&numbered(yielding)), None);
}
