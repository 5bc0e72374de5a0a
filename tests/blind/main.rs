//! Blind transcription of ten classic concurrency bugs onto racelab, to judge
//! its marks. Each module writes down, before any run, where a teacher would
//! put marks; the tests assert only verdicts and print the marks. Its score
//! (before the fixes it led to) is in `SCORES.md`. Needs both model
//! backends: `cargo test --features loom --test blind -- --nocapture`.
#![cfg(all(feature = "loom", feature = "shuttle"))]

use racelab::explore::{Explorer, Outcome, Report, Scenario};

mod bounded_buffer_missing_wait;
mod lightswitch_no_mutex;
mod refcount_double_free;
mod rwlock_cache_check_then_insert;
mod rwlock_transfer_deadlock;
mod seqlock_relaxed;
mod signal_before_publish;
mod spinlock_relaxed_unlock;
mod stop_flag_hoisted;
mod unlock_relock;

/// Explores `s` on `explorer`, prints the report and every mark.
pub fn show<O: Outcome>(s: &Scenario<O>, explorer: &Explorer) -> Report {
    let report = s.explore(explorer).expect("explore");
    println!("==================== {} / {}", s.name(), report.backend);
    println!("{}", report.render(false));
    if let Some(f) = &report.failure {
        println!("-- failure kind: {:?}; message: {}", f.kind, f.message);
        for (i, e) in f.trace.iter().enumerate() {
            if e.mark.is_some() || e.mark_kind.is_some() {
                println!("-- MARK event#{i}: kind={:?} mark={:?}", e.mark_kind, e.mark);
            }
        }
    }
    report
}

pub fn both<O: Outcome>(s: &Scenario<O>) -> (Report, Report) {
    (show(s, &Explorer::loom()), show(s, &Explorer::shuttle()))
}
