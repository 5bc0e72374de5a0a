//! # b07: search-insert-delete on an `RwLock`, inserters sharing the read side
//!
//! **Source.** Allen B. Downey, *The Little Book of Semaphores* (version
//! 2.2.1, <https://greenteapress.com/wp/semaphores/>), section 6.1 "The
//! search-insert-delete problem" (from Andrews, *Concurrent Programming*):
//! "Three kinds of threads share access to a singly-linked list: searchers,
//! inserters and deleters. Searchers merely examine the list; hence they can
//! execute concurrently with each other. Inserters add new items to the end
//! of the list; insertions must be mutually exclusive to preclude two
//! inserters from inserting new items at about the same time. However, one
//! insert can proceed in parallel with any number of searches. Finally,
//! deleters remove items from anywhere in the list. At most one deleter
//! process can access the list at a time, and deletion must also be
//! mutually exclusive with searches and insertions." The book's solution
//! has searchers and inserters each behind a lightswitch, and inserters
//! additionally take `insertMutex` so that they exclude one another.
//!
//! **The program.** A reader-writer lock looks like a fit: searchers and
//! inserters may share the list, so both take the *read* side; a deleter
//! takes the *write* side. The transcription forgets the book's
//! `insertMutex`. The list is an arena with an end index: inserting "at the
//! end" reads `len`, fills slot `len`, then publishes `len + 1` (atomics, so
//! that searchers running alongside see a complete item). alice inserts 1
//! and bob inserts 2, concurrently; then main, as a deleter (write lock),
//! lists the items.
//!
//! **The bug.** Both inserters read `len = 0`, both fill slot 0, both
//! publish `len = 1`: one insertion is lost (the list is `[1]` or `[2]`).
//! A lost update, on both backends.
//!
//! **Teacher marks (written before the first run).** Per backend, one mark:
//! the second `store len <- 1`, kind `lost_update`: "overwrites step N
//! (<other>'s insertion is lost)", computed from that inserter's read of
//! `len` (0) made before the other inserter's store. Lenient: a mark on the
//! second `store slot0`, which overwrites the first item (computed from the
//! same stale `len`), or on the stale `load len` naming the other store.
//! - No mark belongs on: the `read` lock acquisitions (both are allowed; a
//!   true note that they do not exclude each other is welcome), main's
//!   write lock and final reads, the setup.
//!
//! **Controls.** (1) The book's fix: an `insertMutex` (a facade `Semaphore`
//! of 1, as in the book) around the insertion, inside the read side.
//! (2) A different primitive: reserve the slot with `fetch_add` on the end
//! index, so no two inserters can get the same slot (a searcher skips
//! empty slots).

use racelab::explore::Scenario;
use racelab::sync::atomic::{AtomicU32, AtomicUsize, Ordering::SeqCst};
use racelab::sync::{thread, Arc, RwLock, Semaphore};

use crate::common;

#[derive(Clone, Copy)]
enum Insert {
    /// The transcription: no `insertMutex`.
    Unguarded,
    /// The book's `insertMutex`.
    Mutex,
    /// Control 2: reserve a slot with `fetch_add`.
    Reserve,
}

struct List {
    len: AtomicUsize,
    slots: [AtomicU32; 2],
}

struct Shared {
    /// Read side: searchers and inserters; write side: deleters.
    lock: RwLock<()>,
    list: List,
    insert_mutex: Semaphore,
    how: Insert,
}

impl Shared {
    fn new(how: Insert) -> Self {
        Shared {
            lock: RwLock::new(()).named("list_lock"),
            list: List {
                len: AtomicUsize::new(0).named("len"),
                slots: [AtomicU32::new(0).named("slot0"), AtomicU32::new(0).named("slot1")],
            },
            insert_mutex: Semaphore::new(1).named("insertMutex"),
            how,
        }
    }

    /// An inserter: adds `item` at the end of the list.
    fn insert(&self, item: u32) {
        let _shared = self.lock.read().unwrap();
        match self.how {
            Insert::Reserve => {
                let n = self.list.len.fetch_add(1, SeqCst);
                self.list.slots[n].store(item, SeqCst);
            }
            how => {
                if let Insert::Mutex = how {
                    self.insert_mutex.acquire();
                }
                let n = self.list.len.load(SeqCst);
                self.list.slots[n].store(item, SeqCst);
                self.list.len.store(n + 1, SeqCst);
                if let Insert::Mutex = how {
                    self.insert_mutex.release();
                }
            }
        }
    }

    /// A deleter's view of the list (under the write lock).
    fn items(&self) -> Vec<u32> {
        let _alone = self.lock.write().unwrap();
        let n = self.list.len.load(SeqCst);
        (0..n)
            .map(|i| self.list.slots[i].load(SeqCst))
            .filter(|&v| v != 0)
            .collect()
    }
}

fn scenario(name: &str, how: Insert) -> Scenario<String> {
    Scenario::new(name, move || {
        let shared = Arc::new(Shared::new(how));
        let inserters: Vec<_> = [("alice", 1), ("bob", 2)]
            .into_iter()
            .map(|(who, item)| {
                let s = Arc::clone(&shared);
                thread::Builder::new().name(who).spawn(move || s.insert(item)).unwrap()
            })
            .collect();
        for h in inserters {
            h.join().unwrap();
        }
        let mut items = shared.items();
        items.sort_unstable();
        format!("{items:?}")
    })
    .expect_only("[1, 2]".to_string())
}

#[test]
fn loom_racy() {
    let report = common::explore(&scenario("b07::no_insert_mutex", Insert::Unguarded), &common::loom());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn shuttle_racy() {
    let report = common::explore(&scenario("b07::no_insert_mutex", Insert::Unguarded), &common::shuttle());
    report.assert_racy(Some(racelab::explore::FailureKind::ForbiddenOutcome));
}

#[test]
fn loom_control_insert_mutex() {
    common::explore(&scenario("b07::insert_mutex", Insert::Mutex), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_insert_mutex() {
    common::explore(&scenario("b07::insert_mutex", Insert::Mutex), &common::shuttle()).assert_holds();
}

#[test]
fn loom_control_reserve() {
    common::explore(&scenario("b07::reserve", Insert::Reserve), &common::loom()).assert_holds();
}

#[test]
fn shuttle_control_reserve() {
    common::explore(&scenario("b07::reserve", Insert::Reserve), &common::shuttle()).assert_holds();
}
