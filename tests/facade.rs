//! The facade's primitives behave like std's on every backend: each
//! scenario here is correct, and must hold under shuttle, loom (when built
//! with `--features loom`) and real threads.

use std::cell::Cell;

use racelab::explore::{Explorer, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{self, mpsc, thread, Arc, Barrier, Condvar, Mutex, RwLock};

fn explorers() -> Vec<Explorer> {
    let mut v = vec![Explorer::hardware().with_budget(20)];
    if sync::Backend::Shuttle.is_available() {
        v.push(Explorer::shuttle().with_budget(300));
    }
    if sync::Backend::Loom.is_available() {
        v.push(Explorer::loom());
    }
    v
}

fn holds_everywhere<O: racelab::explore::Outcome + Sync>(scenario: Scenario<O>) {
    for e in explorers() {
        scenario.explore(&e).expect("backend in this build").assert_holds();
    }
}

#[test]
fn a_barrier_releases_no_thread_before_all_arrive() {
    holds_everywhere(
        Scenario::new("barrier", || {
            let barrier = Arc::new(Barrier::new(2));
            let arrived = Arc::new(AtomicUsize::new(0));
            let (b, a) = (Arc::clone(&barrier), Arc::clone(&arrived));
            let t = thread::spawn(move || {
                a.fetch_add(1, SeqCst);
                b.wait();
                a.load(SeqCst)
            });
            arrived.fetch_add(1, SeqCst);
            barrier.wait();
            let seen_by_main = arrived.load(SeqCst);
            let seen_by_t = t.join().unwrap();
            seen_by_main.min(seen_by_t)
        })
        .expect_only(2),
    );
}

#[test]
fn a_condvar_hands_a_value_from_one_thread_to_another() {
    holds_everywhere(
        Scenario::new("condvar", || {
            let slot = Arc::new((Mutex::new(None::<u32>), Condvar::new()));
            let s = Arc::clone(&slot);
            let t = thread::spawn(move || {
                *s.0.lock().unwrap() = Some(7);
                s.1.notify_one();
            });
            let got = {
                let guard = slot.1.wait_while(slot.0.lock().unwrap(), |v| v.is_none()).unwrap();
                guard.unwrap_or(0)
            };
            t.join().unwrap();
            got
        })
        .expect_only(7),
    );
}

#[test]
fn an_rwlock_never_shows_a_reader_half_an_update() {
    holds_everywhere(
        Scenario::new("rwlock", || {
            let pair = Arc::new(RwLock::new((0u32, 0u32)));
            let p = Arc::clone(&pair);
            let writer = thread::spawn(move || {
                let mut w = p.write().unwrap();
                w.0 += 1;
                w.1 += 1;
            });
            let (a, b) = *pair.read().unwrap();
            writer.join().unwrap();
            a == b
        })
        .expect_only(true),
    );
}

#[test]
fn a_channel_delivers_every_message_in_order() {
    holds_everywhere(
        Scenario::new("mpsc", || {
            let (tx, rx) = mpsc::channel();
            let t = thread::spawn(move || {
                for i in 0..3u32 {
                    tx.send(i).unwrap();
                }
            });
            let got: Vec<u32> = (0..3).map(|_| rx.recv().unwrap()).collect();
            t.join().unwrap();
            format!("{got:?}")
        })
        .expect_only("[0, 1, 2]".to_owned()),
    );
}

racelab::thread_local! {
    static MINE: Cell<u32> = Cell::new(0);
}

#[test]
fn thread_locals_are_per_thread_under_every_backend() {
    holds_everywhere(
        Scenario::new("thread_local", || {
            MINE.set(1);
            let t = thread::spawn(|| {
                let start = MINE.get();
                MINE.set(start + 10);
                MINE.get()
            });
            let theirs = t.join().unwrap();
            format!("main {}, spawned {theirs}", MINE.get())
        })
        .expect_only("main 1, spawned 10".to_owned()),
    );
}

#[test]
fn named_threads_show_their_names() {
    let scenario = Scenario::new("names", || {
        thread::Builder::new()
            .name("carol")
            .spawn(thread::current_name)
            .unwrap()
            .join()
            .unwrap()
    })
    .expect_only("carol".to_owned());
    holds_everywhere(scenario);
}

#[test]
fn a_once_lock_runs_one_initialiser_and_every_thread_gets_its_value() {
    holds_everywhere(
        Scenario::new("once_lock", || {
            let cell = Arc::new(sync::OnceLock::new().named("cell"));
            let inits = Arc::new(AtomicUsize::new(0).named("inits"));
            let workers: Vec<_> = (0..2)
                .map(|i| {
                    let (cell, inits) = (Arc::clone(&cell), Arc::clone(&inits));
                    thread::spawn(move || {
                        *cell.get_or_init(|| {
                            inits.fetch_add(1, SeqCst);
                            i
                        })
                    })
                })
                .collect();
            let got: Vec<usize> = workers.into_iter().map(|w| w.join().unwrap()).collect();
            let same = got.iter().all(|g| Some(g) == cell.get());
            format!(
                "{} initialiser(s), every thread got the cell's value: {same}",
                inits.load(SeqCst)
            )
        })
        .expect_only("1 initialiser(s), every thread got the cell's value: true".to_owned()),
    );
}

#[test]
fn a_once_lock_set_twice_keeps_the_first_value() {
    let cell = sync::OnceLock::new();
    assert_eq!(cell.get(), None);
    assert_eq!(cell.set(1), Ok(()));
    assert_eq!(cell.set(2), Err(2));
    assert_eq!(cell.get(), Some(&1));
    assert_eq!(cell.into_inner(), Some(1));
}

#[test]
fn a_once_lock_whose_initialiser_panicked_can_be_initialised_again() {
    let cell = sync::OnceLock::new();
    let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        cell.get_or_init(|| panic!("first initialiser fails"));
    }));
    assert!(first.is_err());
    assert_eq!(*cell.get_or_init(|| 5), 5);
}

#[test]
fn a_once_runs_its_closure_once() {
    holds_everywhere(
        Scenario::new("once", || {
            let once = Arc::new(sync::Once::new().named("once"));
            let runs = Arc::new(AtomicUsize::new(0).named("runs"));
            let (o, r) = (Arc::clone(&once), Arc::clone(&runs));
            let t = thread::spawn(move || {
                o.call_once(|| {
                    r.fetch_add(1, SeqCst);
                })
            });
            once.call_once(|| {
                runs.fetch_add(1, SeqCst);
            });
            t.join().unwrap();
            format!("ran {} time(s), completed: {}", runs.load(SeqCst), once.is_completed())
        })
        .expect_only("ran 1 time(s), completed: true".to_owned()),
    );
}

#[test]
fn every_atomic_width_adds_and_wraps_like_std() {
    use racelab::sync::atomic::{AtomicI16, AtomicI32, AtomicI8, AtomicU16, AtomicU32, AtomicU8};
    let a = AtomicU8::new(255);
    assert_eq!(a.fetch_add(1, SeqCst), 255);
    assert_eq!(a.load(SeqCst), 0);
    assert_eq!(AtomicI8::new(-1).fetch_sub(1, SeqCst), -1);
    assert_eq!(AtomicU16::new(7).swap(9, SeqCst), 7);
    assert_eq!(AtomicI16::new(3).compare_exchange(3, 4, SeqCst, SeqCst), Ok(3));
    assert_eq!(AtomicU32::new(6).fetch_and(3, SeqCst), 6);
    assert_eq!(AtomicI32::new(1).fetch_or(2, SeqCst), 1);
}
