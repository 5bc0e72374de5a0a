//! The tour's gil section: the speed-up table, measured on real threads.
//!
//! The catalogue scenarios (`gil::counter` and its fixes, `gil::exclusive`)
//! follow it in the tour; this shows what they cannot: time.

use std::fmt::Write;

use super::Ctx;
use crate::cli::progress::with_progress;
use crate::cli::{emit, style};
use crate::gil::speedup::{self, Workload};

/// Threads in the table: the cores there are, at least 2, at most 4.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

/// Prints the speed-up table; returns whether every run did the same work
/// on N threads as on 1 (the timings themselves are only printed).
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let n = threads();
    let w = Workload::TOUR;
    let table = with_progress(
        &format!("timing CPU-bound and I/O-bound threads, with and without a GIL, on 1 and {n} threads"),
        || speedup::measure(n, &w),
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  The same total work on 1 thread and on {n}; speed-up = time on 1 ÷ time on {n}.\n  \
         A bytecode is a fixed CPU step; an I/O job is {} bytecodes, then a {} ms wait with the GIL released.\n",
        w.io_bytecodes,
        w.io_wait.as_millis()
    );
    for (i, line) in table.to_string().lines().enumerate() {
        let line = if i == 0 {
            style::bold(line, ctx.color)
        } else {
            line.to_owned()
        };
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(
        out,
        "\n  Under the GIL one thread computes at a time: CPU-bound threads get ≈ 1× however many cores there\n  \
         are ({} here). A thread waiting for I/O has let go of the GIL, so I/O-bound threads still overlap.\n  \
         Real timings on a shared machine: they drift; `cargo bench --bench integrate` measures carefully.\n  \
         What the GIL does not do is make `x += 1` atomic — three bytecodes, a switch between:\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    emit(&out);
    let same = table.same_work();
    if !same {
        emit(&format!(
            "  {}\n\n",
            style::red(
                "some run did different work on N threads than on 1: a bug in racelab",
                ctx.color
            )
        ));
    }
    Ok(same)
}
