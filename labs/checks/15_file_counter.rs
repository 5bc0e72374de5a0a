//! Check for lab 15: an increment of the counter file is never lost to
//! another process.
//!
//! Processes cannot be model-checked, so the check stages the worst moments
//! deterministically (see `racelab_labs::file_counter`): a second process,
//! running your own `add_one` on the same file, is let go right after your
//! `add_one` has read the count, or right before it writes; at every later
//! read or write of yours, your `add_one` waits until the other process has
//! finished or is held out. Only when both staged races hold, two real
//! processes call `add_one` 200 times each on one file, and all 400
//! increments must be there. (The real run is a test of a fix only: a racy
//! `add_one` may or may not lose increments there, depending on how the two
//! processes happen to overlap.)

use super::exercise;

use std::fmt;
use std::time::Duration;

use racelab::explore::{Explorer, Scenario};
use racelab_labs::file_counter::{self, CounterFile, Held, Moment, Staged, Stuck};

/// How many worker processes, and how many increments each, in the real run.
const PROCESSES: usize = 2;
const ROUNDS: u64 = 200;
/// How long the real run may take.
const REAL_RUN_LIMIT: Duration = Duration::from_secs(20);

/// Whose `add_one`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Yours,
    Other,
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Who::Yours => "your add_one",
            Who::Other => "the other process's add_one",
        })
    }
}

/// What a staged race shows, in a student's words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Race {
    /// The property: both increments are there, and the other process never
    /// got between your read and your write.
    Counted,
    /// Both read the same count and both wrote it plus one.
    Lost { read: u64, shared: bool },
    /// The count is right, but the lock was released between the read and
    /// the write (the other process was woken in that gap).
    Reopened,
    /// One side returned `Ok` without writing.
    GaveUp(Who),
    /// Any other final count.
    Miscounted(u64),
    /// One side returned an error or panicked.
    Failed(Who, String),
    /// After your `add_one` returned, the other process could not finish.
    LeftLocked(Stuck),
    /// The moment never came: no `read_count` (or `write_count`) call seen.
    Unseen(&'static str),
    /// The check itself could not run.
    Broken(String),
}

impl fmt::Display for Race {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Race::Counted => f.write_str("count = 2: the other process waited until your add_one had written"),
            Race::Lost { read, shared } => {
                write!(
                    f,
                    "count = {}: your add_one and the other process's both read {read} and both wrote {}, so one \
                     increment is lost",
                    read + 1,
                    read + 1
                )?;
                if *shared {
                    f.write_str(" (your add_one held a shared lock, and the other process took one too)")?;
                }
                Ok(())
            }
            Race::Reopened => f.write_str(
                "count = 2 this time, but your add_one let go of its lock between its read and its write: the \
                 other process, waiting for that lock, was woken in the gap (it lost the race for the lock this \
                 time; the next process may win it and erase an increment)",
            ),
            Race::GaveUp(who) => write!(
                f,
                "count = 1: {who} returned Ok without writing, so its increment is lost"
            ),
            Race::Miscounted(count) => write!(f, "count = {count}: two calls of add_one must add exactly 2"),
            Race::Failed(who, why) => write!(f, "{who} {why}"),
            Race::LeftLocked(Stuck::InFlock) => f.write_str(
                "your add_one returned, but the other process still waits for the lock: add_one left it taken, so \
                 no other process can ever count again",
            ),
            Race::LeftLocked(Stuck::TimedOut) => write!(
                f,
                "your add_one returned, but the other process's add_one had not finished {} s later: does add_one \
                 leave its lock (or its lock file) behind?",
                file_counter::LEFTOVER_LIMIT.as_secs()
            ),
            Race::Unseen(call) => write!(
                f,
                "add_one never called {call} on its own thread, so the check could not stage the race: read the \
                 count with read_count and write it with write_count"
            ),
            Race::Broken(why) => write!(f, "the check could not run: {why}"),
        }
    }
}

fn grade(moment: Moment, s: Staged) -> Race {
    if let Some(why) = s.yours.failure {
        return Race::Failed(Who::Yours, why);
    }
    if let Some(why) = s.other.failure {
        return Race::Failed(Who::Other, why);
    }
    if !s.arrived {
        return Race::Unseen(match moment {
            Moment::AfterRead => "read_count",
            Moment::BeforeWrite => "write_count",
        });
    }
    if let Some(stuck) = s.stuck {
        return Race::LeftLocked(stuck);
    }
    if s.count != 2 {
        for (who, calls) in [(Who::Yours, &s.yours), (Who::Other, &s.other)] {
            if calls.writes.is_empty() {
                return Race::GaveUp(who);
            }
        }
        return match (s.yours.reads.last(), s.other.reads.last()) {
            (Some(&a), Some(&b)) if a == b && s.count == a + 1 => Race::Lost {
                read: a,
                shared: s.held == Held::Shared,
            },
            _ => Race::Miscounted(s.count),
        };
    }
    if s.released_in_gap {
        return Race::Reopened;
    }
    Race::Counted
}

fn staged(moment: Moment) -> Race {
    let file = match CounterFile::new() {
        Ok(f) => f,
        Err(e) => return Race::Broken(format!("cannot create the counter file: {e}")),
    };
    let worker = racelab_labs::test_name(module_path!(), "worker_process");
    match file_counter::stage_race(&worker, file.path(), moment, exercise::add_one) {
        Ok(s) => grade(moment, s),
        Err(e) => Race::Broken(e),
    }
}

/// What the real two-process run shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum RealRun {
    AllCounted(u64),
    Lost { count: u64, expected: u64 },
    Failed(String),
}

impl fmt::Display for RealRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RealRun::AllCounted(n) => write!(f, "count = {n}: every increment of both processes is there"),
            RealRun::Lost { count, expected } if count < expected => write!(
                f,
                "count = {count} of {expected}: {} increments were lost between the processes",
                expected - count
            ),
            RealRun::Lost { count, expected } => write!(
                f,
                "count = {count} of {expected}: {} more than were made (two processes wrote over each other's \
                 file at once)",
                count - expected
            ),
            RealRun::Failed(why) => f.write_str(why),
        }
    }
}

fn real_run() -> RealRun {
    let expected = PROCESSES as u64 * ROUNDS;
    let file = match CounterFile::new() {
        Ok(f) => f,
        Err(e) => return RealRun::Failed(format!("the check could not create the counter file: {e}")),
    };
    let worker = racelab_labs::test_name(module_path!(), "worker_process");
    if let Err(e) = file_counter::run_worker_processes(&worker, file.path(), PROCESSES, ROUNDS, REAL_RUN_LIMIT) {
        return RealRun::Failed(e);
    }
    match file.count() {
        Ok(count) if count == expected => RealRun::AllCounted(count),
        Ok(count) => RealRun::Lost { count, expected },
        Err(e) => RealRun::Failed(format!("the check could not read the final count: {e}")),
    }
}

/// Every call of `add_one` counts exactly one, whatever another process
/// running the same `add_one` does at the same time: the other process
/// never gets between your read and your write (it does not read before
/// you have written, and your lock is not let go in between), no call
/// gives up or fails, and the lock is free again when `add_one` returns.
/// Staged with the other process arriving right after your read and right
/// before your write; then two real processes, 200 increments each.
#[test]
fn no_increment_is_lost_to_another_process() {
    let note = if cfg!(target_os = "linux") {
        "processes cannot be model-checked: each run stages the moment on purpose with a real second process \
         running your add_one, and reads from /proc whether it is held out, so every run gives the same outcome"
    } else {
        "processes cannot be model-checked: each run stages the moment on purpose with a real second process \
         running your add_one; without Linux's /proc, it is taken to be held out once it has made no progress for \
         a while, which a very slow machine could get wrong"
    };
    let staged_explorer = Explorer::hardware()
        .with_budget(2)
        .with_time_limit(Duration::from_secs(40));
    for (moment, name) in [
        (
            Moment::AfterRead,
            "lab 15: the other process arrives right after your read",
        ),
        (
            Moment::BeforeWrite,
            "lab 15: the other process arrives right before your write",
        ),
    ] {
        let scenario = Scenario::new(name, move || staged(moment))
            .expect_only(Race::Counted)
            .note(note);
        racelab_labs::check_with(scenario, std::slice::from_ref(&staged_explorer));
    }

    // Both staged races hold; now two real processes.
    let scenario = Scenario::new(
        format!("lab 15: two real processes, {ROUNDS} increments each"),
        real_run,
    )
    .expect_only(RealRun::AllCounted(PROCESSES as u64 * ROUNDS))
    .note("a test of a fix only: a racy add_one may or may not lose increments here");
    racelab_labs::check_with(
        scenario,
        &[Explorer::hardware()
            .with_budget(1)
            .with_time_limit(REAL_RUN_LIMIT + Duration::from_secs(10))],
    );
}

/// Not a check: the body of each worker process, staged or real (it
/// returns at once in any other process).
#[test]
fn worker_process() {
    file_counter::worker(exercise::add_one);
}
