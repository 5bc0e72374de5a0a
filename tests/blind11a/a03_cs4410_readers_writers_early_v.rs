//! Cornell CS 4410 (Operating Systems), Spring 2019, lecture slides on
//! semaphores, "More Musings on Readers/Writers"
//! (<https://www.cs.cornell.edu/courses/cs4410/2019sp/schedule/>; slide text
//! mirrored at <https://pdfslide.us/documents/more-musings-on-classic-mistakes-readerswriters-with-a-courses-a-cs4410.html>):
//!
//! ```text
//! Shared: int rcount = 0; Semaphore rcount_mutex(1); Semaphore rOw_lock(1);
//! int read() {                           void write() {
//!   rcount_mutex.P();                      rOw_lock.P();
//!   rcount := rcount+1;                    /* Perform write */
//!   if (rcount == 1) then rOw_lock.P();    rOw_lock.V();
//!   rcount_mutex.V();                    }
//!   /* Perform read */
//!   rcount_mutex.P();
//!   rcount := rcount-1;
//!   if (rcount == 0) then rOw_lock.V();
//!   rcount_mutex.V();
//! }
//! ```
//!
//! and the slide's question: "What if we move rcount_mutex.V() just above
//! if (rcount == 1)?" Then the first reader can give up `rcount_mutex`
//! before it holds `rOw_lock`: a second reader sees `rcount == 2`, takes
//! the first reader for the one holding `rOw_lock`, and reads, while the
//! writer (whom the first reader is still queued behind, or who is not
//! excluded at all) writes. And the check itself now reads `rcount` outside
//! the mutex.
//!
//! Transcription: the moved version, with `rcount` a plain shared integer
//! (`UnsafeCell<u32>`) and both semaphores `racelab::sync::Semaphore`. The
//! data is two cells `a` and `b` the writer sets from 0 to 1 in turn; a
//! reader copies both. Threads: `writer`, `reader1`, `reader2`. Outcome:
//! each reader's copy; a copy `(0, 1)` or `(1, 0)` is torn and forbidden.
//!
//! # Teacher marks (written before the first run)
//! - loom (checks cells): the first unordered pair of accesses, most likely
//!   on `rcount` itself: a reader's moved check `read rcount` (outside the
//!   mutex) and the other reader's `write rcount` under it, kind
//!   `data_race`: "races with step N: the check of rcount == 1 was moved
//!   out of rcount_mutex". A race on `a`/`b` between the writer and a
//!   reader is the same bug, one step later: equally strict.
//! - shuttle (no cell checks): depending on the execution shown,
//!   - torn copy: (1) the reader's check `read rcount -> 2` that let it in
//!     without `rOw_lock`, kind `stale_check` / `atomicity_violation` /
//!     `order_violation`: "goes in on rcount != 1, trusting that the first
//!     reader holds rOw_lock, which it does not (yet)"; (2) the reader's
//!     read of `b` (or `a`) that the writer's write splits from the other
//!     half, kind `atomicity_violation` (torn snapshot): "reads a before
//!     writer's write of a (step N) and b after its write of b".
//!   - or a deadlock: (1) `reader2`'s check `read rcount -> 1` that reads
//!     `reader1`'s decrement, not its own increment, kind
//!     `atomicity_violation`: "reads reader1's write of step N, not its
//!     own"; (2) `reader2`'s blocked `acquire rOw_lock`, kind `deadlock`:
//!     "waits for rOw_lock, which reader1 took and left without releasing
//!     (it saw rcount 1 on the way out); only reader2 would release it".
//!
//! No mark on the increments and decrements under `rcount_mutex` (they are
//! right), on the writer's own P/V pair, spawns or joins.
//!
//! Expected verdict: loom `data race`; shuttle `forbidden outcome` (or
//! `deadlock`: both are this bug).

use racelab::explore::{FailureKind, Grade, Scenario};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, RwLock, Semaphore};

use super::common;

struct Db {
    rcount: UnsafeCell<u32>,
    rcount_mutex: Semaphore,
    r_ow_lock: Semaphore,
    a: UnsafeCell<u32>,
    b: UnsafeCell<u32>,
}

// SAFETY: `rcount` is meant to be reached only under `rcount_mutex`, and
// `a`/`b` only while `rOw_lock` is held for readers or the writer; the
// puzzle is that the moved V breaks both, and loom checks every access.
unsafe impl Sync for Db {}

impl Db {
    fn new() -> Self {
        Db {
            rcount: UnsafeCell::new(0).named("rcount"),
            rcount_mutex: Semaphore::new(1).named("rcount_mutex"),
            r_ow_lock: Semaphore::new(1).named("rOw_lock"),
            a: UnsafeCell::new(0).named("a"),
            b: UnsafeCell::new(0).named("b"),
        }
    }

    fn rcount_add(&self, d: i32) {
        let r = self.rcount.with(|p| unsafe { *p });
        self.rcount.with_mut(|p| unsafe { *p = r.wrapping_add_signed(d) });
    }

    fn rcount(&self) -> u32 {
        self.rcount.with(|p| unsafe { *p })
    }

    fn perform_read(&self) -> (u32, u32) {
        let a = self.a.with(|p| unsafe { *p });
        let b = self.b.with(|p| unsafe { *p });
        (a, b)
    }

    fn write(&self) {
        self.r_ow_lock.acquire();
        self.a.with_mut(|p| unsafe { *p = 1 });
        self.b.with_mut(|p| unsafe { *p = 1 });
        self.r_ow_lock.release();
    }

    /// `read()` with `rcount_mutex.V()` moved above `if (rcount == 1)`.
    fn read_moved(&self) -> (u32, u32) {
        self.rcount_mutex.acquire();
        self.rcount_add(1);
        self.rcount_mutex.release(); // moved up
        if self.rcount() == 1 {
            self.r_ow_lock.acquire();
        }
        let copy = self.perform_read();
        self.leave();
        copy
    }

    /// `read()` as on the slide.
    fn read_slide(&self) -> (u32, u32) {
        self.rcount_mutex.acquire();
        self.rcount_add(1);
        if self.rcount() == 1 {
            self.r_ow_lock.acquire();
        }
        self.rcount_mutex.release();
        let copy = self.perform_read();
        self.leave();
        copy
    }

    fn leave(&self) {
        self.rcount_mutex.acquire();
        self.rcount_add(-1);
        if self.rcount() == 0 {
            self.r_ow_lock.release();
        }
        self.rcount_mutex.release();
    }
}

fn copies(r1: (u32, u32), r2: (u32, u32)) -> String {
    format!("reader1 saw {r1:?}, reader2 saw {r2:?}")
}

fn untorn(s: &str) -> Grade {
    if s.contains("(0, 1)") || s.contains("(1, 0)") {
        Grade::Forbidden
    } else {
        Grade::Acceptable
    }
}

fn scenario(name: &str, read: fn(&Db) -> (u32, u32)) -> Scenario<String> {
    Scenario::new(name, move || {
        let db = Arc::new(Db::new());
        let d = Arc::clone(&db);
        let writer = thread::Builder::new().name("writer").spawn(move || d.write()).unwrap();
        let readers: Vec<_> = ["reader1", "reader2"]
            .into_iter()
            .map(|name| {
                let d = Arc::clone(&db);
                thread::Builder::new().name(name).spawn(move || read(&d)).unwrap()
            })
            .collect();
        writer.join().unwrap();
        let mut seen = readers.into_iter().map(|r| r.join().unwrap());
        let (r1, r2) = (seen.next().unwrap(), seen.next().unwrap());
        copies(r1, r2)
    })
    .expect("no reader sees a half-done write: (0, 0) or (1, 1)", |s| untorn(s))
}

fn racy() -> Scenario<String> {
    scenario("blind11a::cs4410_rw_v_moved_up", Db::read_moved)
}

/// Control 1: the slide's own code (V after the `if`).
fn fixed_slide() -> Scenario<String> {
    scenario("blind11a::cs4410_rw_slide", Db::read_slide)
}

/// Control 2: a reader-writer lock does the counting itself.
fn fixed_rwlock() -> Scenario<String> {
    Scenario::new("blind11a::cs4410_rw_rwlock", || {
        let db = Arc::new(RwLock::new((0u32, 0u32)).named("db"));
        let d = Arc::clone(&db);
        let writer = thread::Builder::new()
            .name("writer")
            .spawn(move || {
                let mut g = d.write().unwrap();
                g.0 = 1;
                g.1 = 1;
            })
            .unwrap();
        let readers: Vec<_> = ["reader1", "reader2"]
            .into_iter()
            .map(|name| {
                let d = Arc::clone(&db);
                thread::Builder::new()
                    .name(name)
                    .spawn(move || *d.read().unwrap())
                    .unwrap()
            })
            .collect();
        writer.join().unwrap();
        let mut seen = readers.into_iter().map(|r| r.join().unwrap());
        let (r1, r2) = (seen.next().unwrap(), seen.next().unwrap());
        copies(r1, r2)
    })
    .expect("no reader sees a half-done write: (0, 0) or (1, 1)", |s| untorn(s))
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

#[test]
fn racy_shuttle() {
    let r = common::explore(&racy(), &common::shuttle());
    // racelab shows the deadlock branch of this bug (reader2 blocked on
    // rOw_lock, which reader1 left holding): a right verdict.
    r.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn fixes_hold() {
    for s in [fixed_slide(), fixed_rwlock()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
