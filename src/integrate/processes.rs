//! The lecture's integral in K child processes.
//!
//! Lecture section *multiprocessing*: "each process runs independently of
//! the others, so this kind of parallelism avoids the problems of the GIL."
//! Each segment goes to a child, `racelab worker integrate FROM TO STEPS`
//! (the `racelab` binary re-run, as `multiprocessing`'s spawn start method
//! re-runs the interpreter), which prints its partial sum; the parent reads
//! the K numbers back through the children's standard-output pipes and adds
//! them. Processes share no memory, so the partial sums *must* travel as
//! messages: here text, `{:?}` of the `f64`, which parses back to the same
//! bits (so nothing is lost on the way; the bounds go out the same way).
//!
//! Every child is a [`Worker`]: if anything fails half way, the children
//! already started are killed and reaped when their guards drop.
//!
//! Cost: a process start per segment (milliseconds, not microseconds) and
//! the text round trip; worth it only for long segments.

use std::io::{self, Write};
use std::path::Path;

use super::{total, IntegrateError, Segment};
use crate::process::{worker_command, Worker};

/// The arguments of `racelab worker` for one segment.
fn args(s: &Segment) -> [String; 4] {
    [
        "integrate".to_owned(),
        format!("{:?}", s.from()),
        format!("{:?}", s.to()),
        s.steps().to_string(),
    ]
}

impl Segment {
    /// The segment cut into `k` parts ([`Segment::split`]), each integrated
    /// by its own child process `exe worker integrate ...` (all running at
    /// once); the partial results added in order.
    pub fn on_processes(&self, exe: &Path, k: usize) -> Result<f64, IntegrateError> {
        let parts = self.split(k);
        let mut workers = Vec::with_capacity(parts.len());
        for (segment, part) in parts.iter().enumerate() {
            let w = Worker::spawn(worker_command(exe, args(part)))
                .map_err(|source| IntegrateError::Spawn { segment, source })?;
            workers.push(w);
        }
        let mut partials = Vec::with_capacity(workers.len());
        for (segment, w) in workers.into_iter().enumerate() {
            let out = w.wait_with_output().map_err(|e| IntegrateError::Worker {
                segment,
                detail: e.to_string(),
            })?;
            if !out.status.success() {
                return Err(IntegrateError::Worker {
                    segment,
                    detail: out.status.to_string(),
                });
            }
            let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            let value = text
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or(IntegrateError::BadOutput { segment, output: text })?;
            partials.push(value);
        }
        Ok(total(partials))
    }
}

/// The child's side: integrates `[from, to]` in `steps` steps and prints
/// the result with `{:?}`. Bad input (infinite bounds, no steps) is an
/// `InvalidInput` error, not a panic.
pub fn worker(from: f64, to: f64, steps: u64) -> io::Result<()> {
    let segment = Segment::new(from, to, steps).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let mut out = io::stdout().lock();
    writeln!(out, "{:?}", segment.midpoint())?;
    out.flush()
}
