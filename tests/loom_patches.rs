//! loom's known false alarms, fixed in the loom racelab builds with
//! (`.cargo/vendor/loom/PATCHED.md`). Each of these programs is correct,
//! and loom 0.7.3 reported it as failing:
//! - tokio-rs/loom#254: a plain store could slip between a
//!   read-modify-write's read and its write, so a spin lock taken with
//!   `swap` was reported as a livelock (`step limit`);
//! - tokio-rs/loom#376: a thread about to `try_lock` was blocked when another
//!   thread took the lock first, as if it had called `lock`, so a back-off
//!   with `try_lock` was reported as a deadlock.
//!
//! And one crash: a deadlock through two `RwLock`s aborted the whole process
//! while loom tore the execution down (a panic while unwinding).
#![cfg(feature = "loom")]

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering::*};
use racelab::sync::cell::UnsafeCell;
use racelab::sync::{hint, thread, Arc, Mutex, RwLock};

/// A swap and a concurrent store: the swap reads the value before the store
/// or the store comes after it, so the swap's `false` and a final `false`
/// cannot both be seen (the issue's own example).
#[test]
fn a_swap_and_a_store_never_both_seem_first() {
    Scenario::new("swap vs store", || {
        let flag = Arc::new(AtomicBool::new(false).named("flag"));
        let f = Arc::clone(&flag);
        let th = thread::spawn(move || f.swap(false, Relaxed));
        flag.store(true, Relaxed);
        let before_swap = th.join().unwrap();
        let last = flag.load(Relaxed);
        format!("swap read {before_swap}, last value {last}")
    })
    .expect("not both false", |o: &String| {
        if o == "swap read false, last value false" {
            racelab::explore::Grade::Forbidden
        } else {
            racelab::explore::Grade::Acceptable
        }
    })
    .explore(&Explorer::loom())
    .unwrap()
    .assert_holds();
}

struct SwapLock {
    locked: AtomicBool,
    value: UnsafeCell<u64>,
}

// SAFETY: `value` is reached only between an Acquire swap that read `false`
// and the Release store of `false` that ends the critical section.
unsafe impl Sync for SwapLock {}

impl SwapLock {
    fn add_one(&self) {
        while self.locked.swap(true, Acquire) {
            hint::spin_loop();
        }
        // SAFETY: this thread holds the lock.
        self.value.with_mut(|p| unsafe { *p += 1 });
        self.locked.store(false, Release);
    }
}

/// A spin lock taken with `swap(true, Acquire)` and released with
/// `store(false, Release)` is correct: no data race, no livelock, both
/// increments seen.
#[test]
fn a_spin_lock_taken_with_swap_holds() {
    Scenario::new("swap spin lock", || {
        let lock = Arc::new(SwapLock {
            locked: AtomicBool::new(false).named("locked"),
            value: UnsafeCell::new(0).named("value"),
        });
        let l = Arc::clone(&lock);
        let t = thread::spawn(move || l.add_one());
        lock.add_one();
        t.join().unwrap();
        while lock.locked.swap(true, Acquire) {
            hint::spin_loop();
        }
        // SAFETY: both threads are done and this one holds the lock.
        lock.value.with(|p| unsafe { *p })
    })
    .expect_only(2)
    .explore(&Explorer::loom())
    .unwrap()
    .assert_holds();
}

/// Two transfers in opposite directions, each holding one account and
/// trying the other with `try_lock`, backing off (releasing what it holds)
/// when it is taken, while a third thread takes both with `lock`, in order:
/// no deadlock, and both transfers happen. (loom 0.7.3 blocked a thread
/// about to `try_lock` when another took the lock first, and reported a
/// deadlock here.)
#[test]
fn a_try_lock_back_off_beside_a_blocking_locker_never_deadlocks() {
    Scenario::new("try_lock back-off beside lock", || {
        let accounts = Arc::new([Mutex::new(100u64).named("A"), Mutex::new(100u64).named("B")]);
        let transfer = |accounts: &[Mutex<u64>; 2], from: usize, to: usize, amount: u64| loop {
            let mut source = accounts[from].lock().unwrap();
            if let Ok(mut target) = accounts[to].try_lock() {
                *source -= amount;
                *target += amount;
                return;
            }
            drop(source);
            thread::yield_now();
        };
        let clerk = |name: &str, from, to, amount| {
            let a = Arc::clone(&accounts);
            thread::Builder::new()
                .name(name)
                .spawn(move || transfer(&a, from, to, amount))
                .unwrap()
        };
        let (alice, bob) = (clerk("alice", 0, 1, 10), clerk("bob", 1, 0, 20));
        let audit = {
            let a = accounts[0].lock().unwrap();
            let b = accounts[1].lock().unwrap();
            *a + *b
        };
        alice.join().unwrap();
        bob.join().unwrap();
        let balances = [*accounts[0].lock().unwrap(), *accounts[1].lock().unwrap()];
        format!("audit {audit}; A = {}, B = {}", balances[0], balances[1])
    })
    .expect_only("audit 200; A = 110, B = 90".to_owned())
    .explore(&Explorer::loom())
    .unwrap()
    .assert_holds();
}

/// Three threads add one to a counter under a spin lock taken with
/// `compare_exchange` and released with a store: while one holds it, the
/// other two spin, yielding. Correct, and it ends under any fair scheduler;
/// loom 0.7.3 explored a schedule in which the two waiters took turns for
/// ever while the holder never ran again, and reported a livelock.
#[test]
fn two_threads_spinning_never_starve_the_holder() {
    Scenario::new("three-thread spin lock", || {
        let lock = Arc::new(SwapLock {
            locked: AtomicBool::new(false).named("locked"),
            value: UnsafeCell::new(0).named("value"),
        });
        let workers: Vec<_> = ["bob", "carol"]
            .into_iter()
            .map(|name| {
                let l = Arc::clone(&lock);
                thread::Builder::new().name(name).spawn(move || l.add_one()).unwrap()
            })
            .collect();
        lock.add_one();
        for w in workers {
            w.join().unwrap();
        }
        // SAFETY: every other thread has been joined.
        lock.value.with(|p| unsafe { *p })
    })
    .expect_only(3)
    .explore(&Explorer::loom())
    .unwrap()
    .assert_holds();
}

/// Two `RwLock`s taken in opposite orders deadlock; loom must say so, not
/// abort the process while it unwinds the guards of the deadlocked threads.
#[test]
fn a_deadlock_through_two_rwlocks_is_reported_not_an_abort() {
    let report = Scenario::new("two rwlocks, opposite orders", || {
        let a = Arc::new(RwLock::new(1).named("a"));
        let b = Arc::new(RwLock::new(2).named("b"));
        let (a1, b1) = (Arc::clone(&a), Arc::clone(&b));
        let reader = thread::spawn(move || {
            let ga = a1.read().unwrap();
            let gb = b1.read().unwrap();
            *ga + *gb
        });
        {
            let mut gb = b.write().unwrap();
            let mut ga = a.write().unwrap();
            *gb += 1;
            *ga += 1;
        }
        reader.join().unwrap()
    })
    .explore(&Explorer::loom())
    .expect("loom is in this build");
    let failure = report.failure.expect("a deadlock");
    assert_eq!(
        failure.kind,
        racelab::explore::FailureKind::Deadlock,
        "{}",
        failure.message
    );
    assert!(failure.message.contains("a cycle"), "{}", failure.message);
}
