//! # Double-checked locking with the release fence but not the acquire fence (Preshing)
//!
//! **Source.** Jeff Preshing, "Double-Checked Locking is Fixed In C++11"
//! (2013-09-30, <https://preshing.com/20130930/double-checked-locking-is-fixed-in-cpp11/>),
//! section "Using C++11 Acquire and Release Fences":
//! `Singleton* tmp = m_instance.load(std::memory_order_relaxed);
//! std::atomic_thread_fence(std::memory_order_acquire); if (tmp == nullptr)
//! { lock_guard lock(m_mutex); tmp = m_instance.load(relaxed); if (tmp ==
//! nullptr) { tmp = new Singleton; std::atomic_thread_fence(
//! std::memory_order_release); m_instance.store(tmp, relaxed); } } return
//! tmp;`. Preshing: the release fence in the creating thread
//! synchronizes-with the acquire fence in the reading thread, which "turns
//! the relaxed load into an acquire"; both are needed (his "Acquire and
//! Release Fences" and "The Synchronizes-With Relation" posts).
//!
//! **Program.** Preshing's `getInstance` with one line dropped: the
//! `atomic_thread_fence(memory_order_acquire)` after the first, unlocked
//! load. `Singleton` holds one plain field (an `UnsafeCell`) that its
//! constructor sets to 42. alice and bob each call `getInstance()` and read
//! the field.
//!
//! **Bug.** Weak memory: a thread that takes the fast path (sees a non-null
//! `m_instance` through its Relaxed load) has no acquire to pair with the
//! creator's release fence, so its read of the field is not ordered after
//! the constructor's write: a data race (it may see the object before it is
//! constructed). shuttle runs every atomic as `SeqCst` and has no data-race
//! detector: it cannot see this.
//!
//! **Teacher marks** (written before the first run), loom only:
//! 1. the fast-path thread's `read singleton.value`: kind `data_race`,
//!    "races with step N (the creator's constructor write of the field)".
//! 2. the fast-path thread's `load m_instance -> 0x...` (Relaxed, non-null):
//!    kind `no_sync`, "this Relaxed load, with no acquire fence after it,
//!    does not synchronise with the creator's release fence and store".
//!
//! No mark on the creator's steps (its release fence and Relaxed store are
//! right, as in Preshing's code), on the lock/unlock of `m_mutex`, on the
//! slow path's second load (under the mutex), on the setup, the joins or main's
//! `destroy` after them. shuttle: 0 marks.
//!
//! **Controls.** (1) Preshing's code as printed, with the acquire fence.
//! (2) What Preshing recommends for a singleton in C++11 (a function-local
//! static, initialised once by the runtime): `OnceLock::get_or_init`.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{fence, AtomicPtr, Ordering};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{thread, Arc, Mutex, OnceLock};

use crate::common;

struct Singleton {
    value: UnsafeCell<u32>,
}

impl Singleton {
    fn new() -> Self {
        let s = Singleton {
            value: UnsafeCell::new(0).named("singleton.value"),
        };
        // The constructor's body.
        // SAFETY: the object is not shared yet.
        s.value.with_mut(|p| unsafe { *p = 42 });
        s
    }
    fn value(&self) -> u32 {
        // SAFETY: read-only after construction; whether construction
        // happens-before this read is the puzzle.
        self.value.with(|p| unsafe { *p })
    }
}

// SAFETY: shared read-only after construction (see `Singleton::value`).
unsafe impl Sync for Singleton {}

struct Lazy {
    m_instance: AtomicPtr<Singleton>,
    m_mutex: Mutex<()>,
    acquire_fence: bool,
}

impl Lazy {
    fn new(acquire_fence: bool) -> Self {
        Lazy {
            m_instance: AtomicPtr::new(std::ptr::null_mut()).named("m_instance"),
            m_mutex: Mutex::new(()).named("m_mutex"),
            acquire_fence,
        }
    }

    fn get_instance(&self) -> &Singleton {
        let mut tmp = self.m_instance.load(Ordering::Relaxed);
        if self.acquire_fence {
            fence(Ordering::Acquire);
        }
        if tmp.is_null() {
            let _lock = self.m_mutex.lock().unwrap();
            tmp = self.m_instance.load(Ordering::Relaxed);
            if tmp.is_null() {
                tmp = Box::into_raw(Box::new(Singleton::new()));
                fence(Ordering::Release);
                self.m_instance.store(tmp, Ordering::Relaxed);
            }
        }
        // SAFETY: non-null, freed only by `destroy` after every caller is joined.
        unsafe { &*tmp }
    }
}

impl Lazy {
    /// Frees the singleton; called by main once both callers are joined.
    fn destroy(&self) {
        let p = self.m_instance.load(Ordering::Relaxed);
        if !p.is_null() {
            // SAFETY: made by `Box::into_raw` above, freed once, after every
            // reader was joined.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

fn dcl(name: &'static str, acquire_fence: bool) -> Scenario<String> {
    Scenario::new(name, move || {
        let lazy = Arc::new(Lazy::new(acquire_fence));
        let caller = |who: &str| {
            let lazy = Arc::clone(&lazy);
            thread::Builder::new()
                .name(who)
                .spawn(move || lazy.get_instance().value())
                .unwrap()
        };
        let (a, b) = (caller("alice"), caller("bob"));
        let (va, vb) = (a.join().unwrap(), b.join().unwrap());
        lazy.destroy();
        format!("alice saw {va}, bob saw {vb}")
    })
    .expect_only("alice saw 42, bob saw 42".to_string())
}

fn once_lock() -> Scenario<String> {
    Scenario::new("preshing::singleton_once_lock", || {
        let cell: Arc<OnceLock<Singleton>> = Arc::new(OnceLock::new().named("instance"));
        let caller = |who: &str| {
            let cell = Arc::clone(&cell);
            thread::Builder::new()
                .name(who)
                .spawn(move || cell.get_or_init(Singleton::new).value())
                .unwrap()
        };
        let (a, b) = (caller("alice"), caller("bob"));
        let (va, vb) = (a.join().unwrap(), b.join().unwrap());
        format!("alice saw {va}, bob saw {vb}")
    })
    .expect_only("alice saw 42, bob saw 42".to_string())
}

#[test]
fn racy_under_loom() {
    let report = common::explore(&dcl("preshing::dcl_no_acquire_fence", false), &common::loom());
    report.assert_racy(Some(FailureKind::DataRace));
}

/// shuttle runs atomics as SeqCst and does not check cell accesses.
#[test]
fn blind_under_shuttle() {
    let report = common::explore(&dcl("preshing::dcl_no_acquire_fence", false), &common::shuttle());
    assert!(report.failure.is_none(), "shuttle cannot see a missing fence");
}

#[test]
fn with_fences_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&dcl("preshing::dcl_fences", true), &explorer).assert_holds();
    }
}

#[test]
fn once_lock_holds() {
    for explorer in [common::loom(), common::shuttle()] {
        common::explore(&once_lock(), &explorer).assert_holds();
    }
}
