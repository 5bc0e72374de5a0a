//! Check for lab 15: an increment of the counter file is never lost to
//! another process.
//!
//! Processes cannot be model-checked, so the check stages the worst moment
//! deterministically (see `racelab_labs::file_counter`): right after
//! `add_one` reads the count, "another process" tries to take the file's
//! lock; if it can, it adds one in the gap, and `add_one`'s write erases
//! it. From 0, one `add_one` and one other increment must leave 2. The
//! outcome is the same in every run, so a few runs on real threads are
//! enough. Only when that holds, two real processes (this test binary,
//! started again as workers, and let go at the same moment) call `add_one`
//! 200 times each on one file, and all 400 increments must be there. (The
//! real run is a test of a fix only: a racy `add_one` may or may not lose
//! increments there, depending on how the two processes happen to overlap.)

use super::exercise;

use std::fs::{OpenOptions, TryLockError};

use racelab::explore::{Explorer, Scenario};
use racelab_labs::file_counter::{self, CounterFile, Landed, Race};

/// The outcome when the other process had to wait for `add_one`'s lock.
const COUNTED_BOTH: &str = "count = 2: the other process waited for add_one's lock";

/// How many worker processes, and how many increments each, in the real run.
const PROCESSES: usize = 2;
const ROUNDS: u64 = 200;

fn staged_race() -> String {
    let file = match CounterFile::new() {
        Ok(f) => f,
        Err(e) => return format!("cannot create the counter file: {e}"),
    };
    match file_counter::race_another_process(file.path(), exercise::add_one) {
        Ok(Race { count, other }) => match other {
            Landed::InTheGap => format!(
                "count = {count}: the other process added 1 between add_one's read and write, and add_one's write \
                 erased it"
            ),
            Landed::InTheGapSharingTheLock => format!(
                "count = {count}: add_one held a shared lock, so the other process (taking one too) added 1 \
                 between add_one's read and write"
            ),
            Landed::AfterTheLock if count == 2 => COUNTED_BOTH.to_owned(),
            Landed::AfterTheLock => format!("count = {count}: add_one held the lock but did not add exactly one"),
            Landed::AfterAnUnseenRead => format!(
                "count = {count}: add_one never called read_count, so the check could not test it (read the count \
                 with racelab_labs::file_counter::read_count)"
            ),
            Landed::NeverStillLocked => {
                format!("count = {count}: add_one returned with the file still locked; nobody else can ever count")
            }
        },
        Err(e) => format!("an increment failed: {e}"),
    }
}

#[test]
fn no_increment_is_lost_to_another_process() {
    let scenario = Scenario::new("lab 15: two processes, one counter file", staged_race)
        .expect_only(COUNTED_BOTH.to_owned())
        .note(
            "processes cannot be model-checked: each run stages the worst moment on purpose (another process \
             tries the file's lock right after add_one reads the count, and adds one if it gets in), so every \
             run gives the same outcome",
        );
    racelab_labs::check_with(scenario, &[Explorer::hardware().with_budget(3)]);

    // The staged race holds; now two real processes.
    let file = CounterFile::new().expect("create the counter file");
    file_counter::run_worker_processes(
        &racelab_labs::test_name(module_path!(), "worker_process"),
        file.path(),
        PROCESSES,
        ROUNDS,
    )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        file.count().expect("read the final count"),
        PROCESSES as u64 * ROUNDS,
        "{PROCESSES} processes × {ROUNDS} increments"
    );
}

/// The premise of the staged race: a second handle on the same file, in the
/// same process, cannot take the lock the first holds (flock(2) locks belong
/// to the open file, not to the process).
#[test]
fn a_second_handle_in_the_same_process_is_locked_out() {
    let file = CounterFile::new().expect("create the counter file");
    let open = || OpenOptions::new().read(true).write(true).open(file.path());
    let first = open().expect("open the file");
    let second = open().expect("open it again");
    first.lock().expect("lock the first handle");
    assert!(matches!(second.try_lock(), Err(TryLockError::WouldBlock)));
    assert!(matches!(second.try_lock_shared(), Err(TryLockError::WouldBlock)));
    first.unlock().expect("unlock the first handle");
    second.try_lock().expect("the lock is free again");
}

/// Not a check: the body of each worker process of the real run (it
/// returns at once in any other process).
#[test]
fn worker_process() {
    if let Some((path, rounds)) = file_counter::worker_job() {
        for _ in 0..rounds {
            exercise::add_one(&path).expect("add one");
        }
    }
}
