//! Check for lab 14: ∫ 2x dx over [0, n], split into n segments of width 1
//! on n threads, always comes out as n², with no segment lost; for n = 2
//! and n = 3, under every schedule loom and shuttle explore, and for n = 4
//! under shuttle.
//!
//! The result is compared exactly, which is fair here: with 4 rectangles
//! per segment every midpoint (k + 1/8, k + 3/8, ...), every value of 2x and
//! every rectangle is a sum of a few powers of two, so segment k's part is
//! exactly ∫ 2x over [k, k + 1] = 2k + 1 (the midpoint rule is exact for a
//! straight line) and the parts are 1, 3, 5 and 7, with no rounding anywhere.
//! Every sum of some of them is a small whole number, exact in an f64, so
//! the order the parts are added in cannot change the result either (in
//! general it can: (a + b) + c and a + (b + c) may differ in the last bit,
//! and a check of real integrals would compare within a tolerance). And no
//! sum of only some of the parts is n²: a lost segment always shows.

use super::exercise;

use std::fmt;

use racelab::explore::{Explorer, Grade, Scenario};

fn two_x(x: f64) -> f64 {
    2.0 * x
}

/// Rectangles per segment.
const STEPS: usize = 4;

/// What `integrate` returned (as its bits, so that it can be compared and
/// hashed), with the parts it should have added up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Integral {
    bits: u64,
    parts: Vec<u64>,
}

impl Integral {
    fn value(&self) -> f64 {
        f64::from_bits(self.bits)
    }

    fn exact(&self) -> f64 {
        self.parts.iter().sum::<u64>() as f64
    }

    /// The segments (numbered from 1) whose parts, left out, give the
    /// value; `None` if no choice of missing segments does.
    fn missing(&self) -> Option<Vec<usize>> {
        let n = self.parts.len();
        (1..1u32 << n).find_map(|lost| {
            let kept: u64 = (0..n).filter(|k| lost & (1 << k) == 0).map(|k| self.parts[k]).sum();
            (kept as f64 == self.value()).then(|| (0..n).filter(|k| lost & (1 << k) != 0).map(|k| k + 1).collect())
        })
    }
}

impl fmt::Display for Integral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "integral = {}", self.value())?;
        if self.value() == self.exact() {
            let parts: Vec<String> = self.parts.iter().map(u64::to_string).collect();
            return write!(f, " = {}", parts.join(" + "));
        }
        match self.missing() {
            Some(lost) if lost.len() == self.parts.len() => f.write_str(": every part is missing"),
            Some(lost) => {
                let mut parts: Vec<String> = lost
                    .iter()
                    .map(|&s| format!("segment {s}'s part ({})", self.parts[s - 1]))
                    .collect();
                let last = parts.pop().unwrap_or_default();
                match parts.is_empty() {
                    true => write!(f, ": {last} is missing"),
                    false => write!(f, ": {} and {last} are missing", parts.join(", ")),
                }
            }
            None if self.value() > self.exact() => f.write_str(": more than all the parts together"),
            None => f.write_str(": not a sum of the parts"),
        }
    }
}

/// The property, for `segments` segments: `integrate` adds up every
/// segment's part exactly once, whatever order the threads run in, so
/// ∫ 2x dx over [0, segments] is exactly `segments`². Explored by
/// `explorers`.
fn check(segments: usize, explorers: &[Explorer]) {
    let parts: Vec<u64> = (0..segments as u64).map(|k| 2 * k + 1).collect();
    let name = format!("lab 14: integrate in {segments} segments");
    let want = parts.iter().sum::<u64>();
    let expected = format!("integral = {want}");
    // Every total a run can reach: the sums of some of the parts.
    let mut totals: Vec<u64> = (1..1u32 << segments)
        .map(|some| (0..segments).filter(|k| some & (1 << k) != 0).map(|k| parts[k]).sum())
        .collect();
    totals.sort_unstable();
    totals.dedup();
    let note = format!(
        "the total is an f64 kept as its bits: {}",
        totals
            .iter()
            .map(|&t| format!("{} is {t}", (t as f64).to_bits()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let scenario = Scenario::new(name, move || {
        let integral = exercise::integrate(two_x, 0.0, segments as f64, segments, STEPS);
        Integral {
            bits: integral.to_bits(),
            parts: parts.clone(),
        }
    })
    .expect(expected, |o: &Integral| {
        if o.value() == o.exact() {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
    .note(note);
    racelab_labs::check_with(scenario, explorers);
}

#[test]
fn in_2_segments_no_part_is_lost_from_the_sum() {
    check(2, &[Explorer::loom(), Explorer::shuttle()]);
}

/// Three segments catch a join of only the first and the last worker.
#[test]
fn in_3_segments_no_part_is_lost_from_the_sum() {
    check(3, &[Explorer::loom(), Explorer::shuttle()]);
}

/// Four segments catch a compare-exchange loop that gives up after three
/// tries (with three threads, a loser can fail at most twice). Under shuttle
/// only, with more priority changes and schedules than its defaults: loom
/// cannot explore five threads.
#[test]
fn in_4_segments_no_part_is_lost_from_the_sum() {
    check(4, &[Explorer::shuttle().with_depth(6).with_budget(5000)]);
}
