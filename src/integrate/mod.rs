//! Numerical integration split across threads and processes.
//!
//! Lecture section *threading*: "threads speed a program up by computing
//! independent parts in parallel. For example, in numerical integration the
//! domain can be split into 3 segments, with one thread per segment
//! computing the integral over its own segment." The lecture names no
//! function; racelab integrates **∫₀^π sin x dx = 2** ([`lecture`]) with the
//! midpoint rule.
//!
//! | file | shows |
//! |---|---|
//! | this one | a [`Segment`], the midpoint rule, the split into K segments, the sequential sum |
//! | [`threads`] | K segments on K scoped threads |
//! | [`processes`] | K segments in K child processes (`racelab worker integrate`), partial sums back through pipes — what `multiprocessing` does to escape the GIL |
//! | [`sum`] | model-checked: adding the partial sums into one shared total loses one; two fixes |
//!
//! **Tolerance.** Splitting changes the order of the floating-point
//! additions (and, by rounding, the points where `sin` is evaluated), so a
//! split result need not equal the sequential one bit for bit. Sums here are
//! compensated (Neumaier), so each is within a few ulps of the exact sum of
//! its terms: results agree to about 1e-15 relative; racelab checks
//! [`TOLERANCE`] = 1e-9 relative ([`agree`]). Against the exact value 2 the
//! midpoint rule errs by at most π³/(24 N²) (≈ 1.3e-10 for N = 10⁵ steps,
//! [`error_bound`]).
//!
//! What splitting costs: a thread (tens of µs) or a process (milliseconds:
//! a fresh `racelab` is started and loaded) per segment, so a split pays
//! only for enough steps; and for processes, the partial sums must be sent
//! back as text (`{:?}` of an `f64` reads back exactly).

pub mod processes;
pub mod sum;
pub mod threads;

use std::f64::consts::PI;

use thiserror::Error;

/// Where the lecture's integral starts.
pub const FROM: f64 = 0.0;
/// Where it ends.
pub const TO: f64 = PI;
/// ∫₀^π sin x dx.
pub const EXACT: f64 = 2.0;
/// How far (relative) a split result may be from the sequential one.
pub const TOLERANCE: f64 = 1e-9;

/// The integrand: sin.
pub fn f(x: f64) -> f64 {
    x.sin()
}

/// Why an integral cannot be computed.
#[derive(Debug, Error)]
pub enum IntegrateError {
    #[error("the bounds must be finite numbers, got [{from}, {to}]")]
    Bounds { from: f64, to: f64 },
    #[error("the number of steps must be at least 1")]
    NoSteps,
    #[error("cannot start worker process {segment}: {source}")]
    Spawn {
        segment: usize,
        #[source]
        source: std::io::Error,
    },
    #[error("worker process {segment} failed: {detail}")]
    Worker { segment: usize, detail: String },
    #[error("worker process {segment} printed {output:?}, not a number")]
    BadOutput { segment: usize, output: String },
}

/// `[from, to]` cut into `steps` equal steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    from: f64,
    to: f64,
    steps: u64,
}

/// The lecture's integral, ∫₀^π sin x dx, in `steps` steps (at least 1).
pub fn lecture(steps: u64) -> Segment {
    Segment {
        from: FROM,
        to: TO,
        steps: steps.max(1),
    }
}

impl Segment {
    /// A segment; the bounds must be finite and `steps` at least 1.
    pub fn new(from: f64, to: f64, steps: u64) -> Result<Self, IntegrateError> {
        if !from.is_finite() || !to.is_finite() || !(to - from).is_finite() {
            return Err(IntegrateError::Bounds { from, to });
        }
        if steps == 0 {
            return Err(IntegrateError::NoSteps);
        }
        Ok(Segment { from, to, steps })
    }

    pub fn from(&self) -> f64 {
        self.from
    }

    pub fn to(&self) -> f64 {
        self.to
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The midpoint rule: h · Σ f(from + (j + ½) h), h = (to − from) / steps.
    pub fn midpoint(&self) -> f64 {
        let h = (self.to - self.from) / self.steps as f64;
        let mut sum = Sum::default();
        for j in 0..self.steps {
            sum.add(f(self.from + (j as f64 + 0.5) * h));
        }
        h * sum.value()
    }

    /// The whole segment on this thread.
    pub fn sequential(&self) -> f64 {
        self.midpoint()
    }

    /// Cuts the segment into `k` consecutive segments (`k` clamped to
    /// `1..=steps`) whose steps lie on the same grid as the whole one's, as
    /// evenly as whole steps allow.
    pub fn split(&self, k: usize) -> Vec<Segment> {
        let k = (k.max(1) as u64).min(self.steps);
        let h = (self.to - self.from) / self.steps as f64;
        let start = |i: u64| (u128::from(self.steps) * u128::from(i) / u128::from(k)) as u64;
        let at = |step: u64| {
            if step == self.steps {
                self.to
            } else {
                self.from + step as f64 * h
            }
        };
        (0..k)
            .map(|i| {
                let (a, b) = (start(i), start(i + 1));
                Segment {
                    from: at(a),
                    to: at(b),
                    steps: b - a,
                }
            })
            .collect()
    }
}

/// Whether two results agree within [`TOLERANCE`] (relative).
pub fn agree(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE * a.abs().max(b.abs())
}

/// The midpoint rule's error bound for the lecture's integral in `steps`
/// steps: (b − a)³ / (24 N²) · max |sin''| = π³ / (24 N²).
pub fn error_bound(steps: u64) -> f64 {
    let n = steps.max(1) as f64;
    (TO - FROM).powi(3) / (24.0 * n * n)
}

/// Adds partial results in order (compensated).
pub fn total(parts: impl IntoIterator<Item = f64>) -> f64 {
    let mut sum = Sum::default();
    for p in parts {
        sum.add(p);
    }
    sum.value()
}

/// Neumaier's compensated sum: the rounding error of each addition is kept
/// and added back at the end.
#[derive(Clone, Copy, Debug, Default)]
struct Sum {
    sum: f64,
    carry: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.carry += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.carry
    }
}

/// `racelab worker integrate`: integrates over `[from, to]` in `steps`
/// steps and writes the partial sum to standard output (`{:?}`, which
/// reads back as the same `f64`).
pub fn worker(from: f64, to: f64, steps: u64) -> std::io::Result<()> {
    processes::worker(from, to, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_covers_the_segment_without_gaps() {
        let whole = lecture(10);
        let parts = whole.split(3);
        assert_eq!(parts.iter().map(Segment::steps).collect::<Vec<_>>(), [3, 3, 4]);
        assert_eq!(parts[0].from(), FROM);
        assert_eq!(parts[2].to(), TO);
        for w in parts.windows(2) {
            assert_eq!(w[0].to(), w[1].from());
        }
    }

    #[test]
    fn more_segments_than_steps_gives_one_step_each() {
        assert_eq!(lecture(2).split(5).len(), 2);
        assert_eq!(lecture(2).split(0).len(), 1);
    }

    #[test]
    fn bad_bounds_and_zero_steps_are_refused() {
        assert!(matches!(
            Segment::new(0.0, f64::NAN, 1),
            Err(IntegrateError::Bounds { .. })
        ));
        assert!(matches!(
            Segment::new(0.0, f64::INFINITY, 1),
            Err(IntegrateError::Bounds { .. })
        ));
        assert!(matches!(
            Segment::new(-f64::MAX, f64::MAX, 1),
            Err(IntegrateError::Bounds { .. })
        ));
        assert!(matches!(Segment::new(0.0, 1.0, 0), Err(IntegrateError::NoSteps)));
    }

    #[test]
    fn agreement_is_relative() {
        assert!(agree(2.0, 2.0 + 1e-12));
        assert!(!agree(2.0, 2.0 + 1e-6));
        assert!(agree(0.0, 0.0));
    }
}
