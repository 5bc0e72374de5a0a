//! The tour's integrate section: the lecture's integral, sequential, on K
//! threads and in K child processes, timed.
//!
//! The catalogue scenarios (`integrate::shared_sum` and its fixes) follow
//! it in the tour.

use std::fmt::Write;
use std::time::{Duration, Instant};

use super::Ctx;
use crate::cli::progress::with_progress;
use crate::cli::{emit, style};
use crate::integrate::{self, agree, EXACT, TOLERANCE};
use crate::process::racelab_exe;

/// Steps of the tour's integral: about 0.1 s sequential (optimised build).
const STEPS: u64 = 10_000_000;

/// Segments: the cores there are, at least 2, at most 4.
fn segments() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

/// The result of the fastest of two runs, and its time (other processes on
/// the machine only ever make a run slower).
fn timed<T>(run: impl Fn() -> T) -> (T, Duration) {
    let start = Instant::now();
    let first = run();
    let first_time = start.elapsed();
    let start = Instant::now();
    let second = run();
    let second_time = start.elapsed();
    if second_time < first_time {
        (second, second_time)
    } else {
        (first, first_time)
    }
}

fn row(out: &mut String, how: &str, value: f64, reference: f64, time: Duration, base: Duration) {
    let diff = if how == "sequential" {
        "-".to_owned()
    } else {
        format!("{:.1e}", ((value - reference) / reference).abs())
    };
    let _ = writeln!(
        out,
        "  {how:<14} {value:<20} {diff:>13} {:>9.1} ms {:>7.2}×",
        time.as_secs_f64() * 1e3,
        base.as_secs_f64() / time.as_secs_f64().max(1e-9)
    );
}

/// Prints the three results; returns whether the split ones agree with the
/// sequential one within the tolerance, and that one with the exact value.
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let k = segments();
    let whole = integrate::lecture(STEPS);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  ∫₀^π sin x dx = {EXACT}, midpoint rule, {STEPS} steps, split into {k} segments. Results must agree\n  \
         with the sequential one within {TOLERANCE:e} (relative): splitting reorders the additions.\n"
    );
    let _ = writeln!(
        out,
        "  {}",
        style::bold(
            &format!(
                "{:<14} {:<20} {:>13} {:>12} {:>8}",
                "how", "value", "vs sequential", "time", "speed-up"
            ),
            ctx.color
        )
    );
    let (seq, base) = with_progress("integrating on one thread", || timed(|| whole.sequential()));
    row(&mut out, "sequential", seq, seq, base, base);
    let mut ok = agree(seq, EXACT) || (seq - EXACT).abs() <= integrate::error_bound(STEPS);

    let (threads, time) = with_progress(&format!("integrating on {k} threads"), || timed(|| whole.on_threads(k)));
    row(&mut out, &format!("{k} threads"), threads, seq, time, base);
    ok &= agree(threads, seq);

    match racelab_exe() {
        Ok(exe) => {
            let (r, time) = with_progress(&format!("integrating in {k} child processes"), || {
                timed(|| whole.on_processes(&exe, k))
            });
            match r {
                Ok(value) => {
                    row(&mut out, &format!("{k} processes"), value, seq, time, base);
                    ok &= agree(value, seq);
                }
                Err(e) => {
                    let _ = writeln!(out, "  {}", style::red(&format!("{k} processes: {e}"), ctx.color));
                    ok = false;
                }
            }
        }
        Err(e) => {
            let _ = writeln!(out, "  {k} processes: skipped ({e})");
        }
    }
    let _ = writeln!(
        out,
        "\n  Threads return their parts and the main thread adds them after join; processes print theirs\n  \
         (`racelab worker integrate FROM TO STEPS`) and the parent reads them from pipes. A process costs\n  \
         milliseconds to start, a thread microseconds. Adding into one shared total instead loses a part:\n"
    );
    if !ok {
        let _ = writeln!(
            out,
            "  {}\n",
            style::red("a split result disagrees with the sequential one", ctx.color)
        );
    }
    emit(&out);
    Ok(ok)
}
