//! The tour's last section: what each counter fix costs, from a quick,
//! low-precision run of the bench's variants (`racelab::cost::quick`).

use std::fmt::Write;

use super::Ctx;
use crate::cli::{emit, progress::with_progress, style};
use crate::cost;

/// Prints the cost ladder at 1 thread and at 2 (when there are 2 cores).
pub(crate) fn demo(ctx: &Ctx) -> anyhow::Result<bool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads: Vec<usize> = if cores >= 2 { vec![1, 2] } else { vec![1] };
    let rows = with_progress("timing the counter variants", || cost::quick(&threads, 20, 3));
    let mut out = String::new();
    let mut head = format!("  {:<20}", "variant");
    for t in &threads {
        let _ = write!(head, " {:>12} {:>8}", format!("{t} thr ns/op"), "× floor");
    }
    let _ = writeln!(out, "{}", style::dim(&head, ctx.color));
    for v in &cost::VARIANTS {
        let mut line = format!("  {:<20}", v.name);
        for t in &threads {
            if let Some(r) = rows.iter().find(|r| r.variant == v.name && r.threads == *t) {
                let _ = write!(line, " {:>12.2} {:>8.1}", r.ns_per_op, r.vs_floor);
            }
        }
        let _ = writeln!(out, "{line}");
    }
    if cfg!(debug_assertions) {
        let _ = writeln!(
            out,
            "\n  {}",
            style::red(
                "a debug build: these times measure unoptimised code (use --release)",
                ctx.color
            )
        );
    }
    let _ = writeln!(
        out,
        "\n  Best of 3 short runs on {cores} cores: a sketch, not a measurement. \
         `cargo bench --bench counter`\n  and `racelab bench-report` give the real numbers (BENCHMARKS.md)."
    );
    emit(&out);
    Ok(true)
}
