//! The GIL and the split integral: the races are found by the models, the
//! fixes hold under shuttle and loom, and the integral split over threads
//! and processes agrees with the sequential one (within
//! `integrate::TOLERANCE`, stated in `src/integrate/mod.rs`).
//!
//! No timings are asserted here: the speed-up claims live in
//! `benches/integrate.rs`.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::process::Output;

use racelab::process::{worker_command, Worker};

use racelab::explore::{Explorer, FailureKind, Report, Scenario};
use racelab::gil::exclusive::{self, Mode};
use racelab::gil::increment::{self, Statement};
use racelab::gil::speedup::{self, Workload};
use racelab::gil::Gil;
use racelab::integrate::sum::{self, Combine};
use racelab::integrate::{self, agree, error_bound, lecture, EXACT};

/// Model sizes: two threads, one operation each (two for the counters).
const THREADS: usize = 2;

fn gil_counter(how: Statement, ops: u64) -> Scenario<racelab::counter::Count> {
    increment::scenario("gil::counter", how, THREADS, ops)
}

fn gil_exclusive(mode: Mode) -> Scenario<exclusive::Inside> {
    exclusive::scenario("gil::exclusive", mode, THREADS, 2)
}

fn summing(how: Combine) -> Scenario<sum::Total> {
    sum::scenario("integrate::sum", how, THREADS, 8)
}

/// The same properties under each model backend: loom exhaustively (within
/// its bounds), shuttle on a fixed seed. `$locked_ops` keeps loom's state
/// space small for the locked counter.
macro_rules! model_suite {
    ($name:ident, $feature:literal, $explorer:expr, $locked_ops:expr) => {
        #[cfg(feature = $feature)]
        mod $name {
            use super::*;

            fn explore<O: racelab::explore::Outcome>(s: &Scenario<O>) -> Report {
                s.explore(&$explorer).expect("the backend is in this build")
            }

            #[test]
            fn x_plus_equals_one_loses_an_update_under_the_gil() {
                explore(&gil_counter(Statement::Bytecodes, 1)).assert_racy(Some(FailureKind::ForbiddenOutcome));
            }

            #[test]
            fn x_plus_equals_one_under_a_user_lock_holds() {
                explore(&gil_counter(Statement::Locked, $locked_ops)).assert_holds();
            }

            #[test]
            fn x_plus_equals_one_as_one_bytecode_holds() {
                explore(&gil_counter(Statement::OneBytecode, 2)).assert_holds();
            }

            #[test]
            fn the_gil_admits_one_thread_at_a_time() {
                explore(&gil_exclusive(Mode::Gil)).assert_holds();
            }

            #[test]
            fn without_the_gil_two_threads_are_inside_at_once() {
                explore(&gil_exclusive(Mode::NoGil)).assert_racy(Some(FailureKind::ForbiddenOutcome));
            }

            #[test]
            fn a_shared_total_loses_a_segments_part() {
                explore(&summing(Combine::Shared)).assert_racy(Some(FailureKind::ForbiddenOutcome));
            }

            #[test]
            fn partial_sums_added_after_join_hold() {
                explore(&summing(Combine::PartialSums)).assert_holds();
            }

            #[test]
            fn an_atomic_total_with_compare_exchange_holds() {
                explore(&summing(Combine::Atomic)).assert_holds();
            }
        }
    };
}

model_suite!(shuttle, "shuttle", Explorer::shuttle(), 2);
model_suite!(loom, "loom", Explorer::loom(), 1);

#[cfg(feature = "shuttle")]
#[test]
fn the_lost_update_under_the_gil_shows_the_switch_in_its_timeline() {
    let report = gil_counter(Statement::Bytecodes, 1)
        .explore(&Explorer::shuttle())
        .expect("shuttle is in this build");
    let failure = report.failure.expect("racy");
    let timeline = racelab::trace::render_timeline(&failure.trace, Default::default());
    assert!(
        timeline.contains("GIL"),
        "the GIL's lock and unlock are in the timeline:\n{timeline}"
    );
    assert!(
        timeline.contains('x'),
        "and so are the loads and stores of x:\n{timeline}"
    );
}

// Real threads and processes: correctness only.

#[test]
fn the_fixed_gil_counter_is_right_on_real_threads() {
    let report = gil_counter(Statement::Locked, 2_000)
        .explore(&Explorer::hardware().with_budget(5))
        .expect("hardware is always there");
    assert!(report.failure.is_none(), "{}", report.render(false));
}

#[test]
fn the_sequential_integral_is_within_the_midpoint_error_of_the_exact_one() {
    for steps in [1_000, 100_000] {
        let value = lecture(steps).sequential();
        assert!(
            (value - EXACT).abs() <= error_bound(steps) + 1e-14,
            "{steps} steps: {value} is {} from {EXACT}, more than the bound {}",
            (value - EXACT).abs(),
            error_bound(steps)
        );
    }
    assert!(agree(lecture(1_000_000).sequential(), EXACT));
}

#[test]
fn threads_agree_with_the_sequential_integral() {
    let whole = lecture(300_001);
    let seq = whole.sequential();
    for k in [1, 2, 3, 4, 7] {
        let split = whole.on_threads(k);
        assert!(agree(split, seq), "{k} threads: {split} vs {seq}");
    }
}

#[test]
fn processes_agree_with_the_sequential_integral() {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_racelab"));
    let whole = lecture(200_001);
    let seq = whole.sequential();
    for k in [1, 3] {
        let split = whole.on_processes(exe, k).expect("the workers run");
        assert!(agree(split, seq), "{k} processes: {split} vs {seq}");
    }
}

#[test]
fn a_worker_prints_its_partial_sum_so_that_it_reads_back_exactly() {
    let part = integrate::Segment::new(-1.0, 2.5, 1_000).expect("valid");
    let out = worker_integrate(&["-1", "2.5", "1000"]);
    assert!(out.status.success(), "{out:?}");
    let printed: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("a number");
    assert_eq!(printed.to_bits(), part.midpoint().to_bits());
}

/// `racelab worker integrate ARGS`, its standard error captured. Started
/// as a [`Worker`]: a worker exits as soon as its standard input closes, so
/// it must stay open until the worker is done.
fn worker_integrate(args: &[&str]) -> Output {
    let mut cmd = worker_command(Path::new(env!("CARGO_BIN_EXE_racelab")), ["integrate"]);
    let mut err = tempfile::tempfile().expect("a temporary file");
    cmd.args(args).stderr(err.try_clone().expect("clone a file handle"));
    let mut out = Worker::spawn(cmd)
        .expect("start racelab")
        .wait_with_output()
        .expect("wait for racelab");
    err.seek(SeekFrom::Start(0)).expect("rewind");
    err.read_to_end(&mut out.stderr).expect("read standard error");
    out
}

#[test]
fn a_worker_given_no_number_is_a_usage_error_not_a_panic() {
    for args in [&["zero", "1", "10"][..], &["0", "1", "-5"], &["0", "1"]] {
        let out = worker_integrate(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn a_worker_given_zero_steps_or_infinite_bounds_says_so() {
    for (args, words) in [
        (&["0", "1", "0"][..], "steps"),
        (&["0", "inf", "10"], "finite"),
        (&["NaN", "1", "10"], "finite"),
    ] {
        let out = worker_integrate(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains("error") && err.contains(words), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn every_speedup_run_does_the_same_work_on_n_threads_as_on_one() {
    let tiny = Workload {
        cpu_bytecodes: 2_001,
        io_jobs: 5,
        io_bytecodes: 3,
        io_wait: std::time::Duration::from_micros(100),
        switch_interval: 7,
    };
    let table = speedup::measure(3, &tiny);
    assert_eq!(table.rows.len(), 4);
    assert!(table.same_work(), "{table}");
    let gil = Gil::with_switch_interval(7);
    assert_eq!(
        speedup::cpu_bound(1, 2_001, None),
        speedup::cpu_bound(2, 2_001, Some(&gil)),
        "the GIL changes when bytecodes run, not what they compute"
    );
}
