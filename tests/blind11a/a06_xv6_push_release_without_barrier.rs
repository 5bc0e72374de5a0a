//! MIT 6.1810 (Operating System Engineering), the course book *xv6: a
//! simple, Unix-like teaching operating system* (Cox, Kaashoek, Morris),
//! chapter "Locking", section "Instruction and memory ordering"
//! (the RISC-V edition, <https://pdos.csail.mit.edu/6.1810/>; source in
//! <https://github.com/mit-pdos/xv6-riscv-book>, `lock.tex`):
//!
//! ```c
//! 1 l = malloc(sizeof *l);
//! 2 l->data = data;
//! 3 acquire(&listlock);
//! 4 l->next = list;
//! 5 list = l;
//! 6 release(&listlock);
//! ```
//!
//! "it would be a disaster if the compiler or CPU moved the store
//! corresponding to line 4 to a point after the release on line 6 [...]
//! there would be a window during which another CPU could acquire the lock
//! and observe the updated list, but see an uninitialized list->next." xv6
//! prevents it with the `__ATOMIC_RELEASE` (earlier: `__sync_synchronize()`)
//! in `release` and `__ATOMIC_ACQUIRE` in `acquire`.
//!
//! Transcription: the book's spin lock in Rust, `acquire` a `swap(true,
//! Acquire)` loop, `release` a `store(false, ...)` written *without* the
//! barrier, i.e. `Relaxed`, which lets exactly the book's reordering happen.
//! The list lives in an arena of `UnsafeCell`s (`list` the head index, each
//! node's `data` and `next`), plain memory as in C. `pusher` runs lines
//! 1-6 for a node with data 20 onto a list holding one node (data 10);
//! `walker` takes the lock and reads the head node's `data` and `next`.
//! Outcome: what `walker` saw.
//!
//! # Teacher marks (written before the first run)
//! - loom: (1) the racing pair on the list, most likely `pusher`'s `write
//!   list` (line 5) or `write next` (line 4) and `walker`'s read of the
//!   same cell under the lock, kind `data_race`: "races with step N: the
//!   lock did not order them". (2) the `Relaxed` `store locked <- false` of
//!   the thread that held the lock first (normally `pusher`'s line 6), kind
//!   `no_sync`: "this Relaxed store does not release: the list writes before
//!   it are not ordered before the next holder's reads (xv6's missing
//!   barrier)". A mark on the other end (the next acquirer's `swap`, which
//!   is `Acquire` and did read that store) naming the Relaxed store is
//!   lenient.
//! - shuttle runs every atomic as `SeqCst` and does not check cells: it
//!   cannot see this bug (0 teacher marks); the right report is "holds",
//!   ideally with a note that weak-memory bugs are out of its reach.
//!
//! No mark on line 2 (`data` written before the lock: it is covered by the
//! release too, once there is one), on the spin `swap`s that failed, on
//! spawns or joins.
//!
//! Expected verdict: loom `data race`; shuttle holds (blind spot).

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc, Mutex};

use super::common;

/// xv6's `struct spinlock`, with the release ordering as a parameter.
struct Spinlock {
    locked: AtomicBool,
    release_order: Ordering,
}

impl Spinlock {
    fn acquire(&self) {
        while self.locked.swap(true, Ordering::Acquire) {
            hint::spin_loop();
        }
    }

    fn release(&self) {
        self.locked.store(false, self.release_order);
    }
}

struct Node {
    data: UnsafeCell<u32>,
    next: UnsafeCell<Option<usize>>,
}

/// `listlock`, `list`, and the memory `malloc` hands out.
struct List {
    listlock: Spinlock,
    list: UnsafeCell<Option<usize>>,
    nodes: [Node; 2],
}

// SAFETY: `list` and the nodes' fields are meant to be touched only under
// `listlock` (or, for a node nobody can reach yet, by its creator); the
// puzzle is that the lock's release does not order them. loom checks it.
unsafe impl Sync for List {}

impl List {
    /// The list `[10]`: node 0 is on it, node 1 is free.
    fn new(release_order: Ordering) -> Self {
        List {
            listlock: Spinlock {
                locked: AtomicBool::new(false).named("listlock"),
                release_order,
            },
            list: UnsafeCell::new(Some(0)).named("list"),
            nodes: [
                Node {
                    data: UnsafeCell::new(10).named("node0.data"),
                    next: UnsafeCell::new(None).named("node0.next"),
                },
                Node {
                    data: UnsafeCell::new(0).named("node1.data"),
                    next: UnsafeCell::new(Some(usize::MAX)).named("node1.next"),
                },
            ],
        }
    }

    /// The book's `push`, lines 1-6 (node 1 is the malloc'd `l`; its `next`
    /// starts as garbage, `usize::MAX`).
    fn push(&self, data: u32) {
        let l = 1;
        self.nodes[l].data.with_mut(|p| unsafe { *p = data }); // 2
        self.listlock.acquire(); // 3
        let head = self.list.with(|p| unsafe { *p });
        self.nodes[l].next.with_mut(|p| unsafe { *p = head }); // 4
        self.list.with_mut(|p| unsafe { *p = Some(l) }); // 5
        self.listlock.release(); // 6
    }

    /// Another CPU: take the lock, look at the head node.
    fn walk(&self) -> String {
        self.listlock.acquire();
        let seen = match self.list.with(|p| unsafe { *p }) {
            None => "empty".to_owned(),
            Some(i) => {
                let data = self.nodes[i].data.with(|p| unsafe { *p });
                let next = self.nodes[i].next.with(|p| unsafe { *p });
                match next {
                    Some(n) if n == usize::MAX => format!("head {data}, next uninitialized"),
                    other => format!("head {data}, next {other:?}"),
                }
            }
        };
        self.listlock.release();
        seen
    }
}

fn acceptable(s: &str) -> racelab::explore::Grade {
    if s == "head 10, next None" || s == "head 20, next Some(0)" {
        racelab::explore::Grade::Acceptable
    } else {
        racelab::explore::Grade::Forbidden
    }
}

fn scenario(name: &str, release_order: Ordering) -> Scenario<String> {
    Scenario::new(name, move || {
        let list = Arc::new(List::new(release_order));
        let l = Arc::clone(&list);
        let pusher = thread::Builder::new().name("pusher").spawn(move || l.push(20)).unwrap();
        let l = Arc::clone(&list);
        let walker = thread::Builder::new().name("walker").spawn(move || l.walk()).unwrap();
        pusher.join().unwrap();
        walker.join().unwrap()
    })
    .expect("the old list [10] or the whole new one [20, 10]", |s| acceptable(s))
}

fn racy() -> Scenario<String> {
    scenario("blind11a::xv6_release_without_barrier", Ordering::Relaxed)
}

/// Control 1: xv6's `release`, with `__ATOMIC_RELEASE`.
fn fixed_release() -> Scenario<String> {
    scenario("blind11a::xv6_release_with_barrier", Ordering::Release)
}

/// Control 2: a sleep lock instead of the hand-made spin lock: the list in
/// a `Mutex`, whose unlock releases.
fn fixed_mutex() -> Scenario<String> {
    Scenario::new("blind11a::xv6_list_in_mutex", || {
        // (head, [(data, next); 2])
        type Arena = (Option<usize>, [(u32, Option<usize>); 2]);
        let list: Arc<Mutex<Arena>> =
            Arc::new(Mutex::new((Some(0), [(10, None), (0, Some(usize::MAX))])).named("list"));
        let l = Arc::clone(&list);
        let pusher = thread::Builder::new()
            .name("pusher")
            .spawn(move || {
                let mut g = l.lock().unwrap();
                g.1[1].0 = 20;
                g.1[1].1 = g.0;
                g.0 = Some(1);
            })
            .unwrap();
        let l = Arc::clone(&list);
        let walker = thread::Builder::new()
            .name("walker")
            .spawn(move || {
                let g = l.lock().unwrap();
                match g.0 {
                    None => "empty".to_owned(),
                    Some(i) => format!("head {}, next {:?}", g.1[i].0, g.1[i].1),
                }
            })
            .unwrap();
        pusher.join().unwrap();
        walker.join().unwrap()
    })
    .expect("the old list [10] or the whole new one [20, 10]", |s| acceptable(s))
}

#[test]
fn racy_loom() {
    let r = common::explore(&racy(), &common::loom());
    r.assert_racy(Some(FailureKind::DataRace));
}

/// shuttle runs atomics as `SeqCst`: the missing barrier is invisible to it.
#[test]
fn racy_shuttle_blind() {
    let r = common::explore(&racy(), &common::shuttle());
    r.assert_holds();
}

#[test]
fn fixes_hold() {
    for s in [fixed_release(), fixed_mutex()] {
        common::explore(&s, &common::loom()).assert_holds();
        common::explore(&s, &common::shuttle()).assert_holds();
    }
}
