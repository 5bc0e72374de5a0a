//! The facade's primitives behave like std's on every backend: each
//! scenario here is correct, and must hold under shuttle, loom (when built
//! with `--features loom`) and real threads.

use std::cell::Cell;

use racelab::explore::{Explorer, Grade, Scenario};
use racelab::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use racelab::sync::{self, mpsc, thread, Arc, Barrier, Condvar, Mutex, RwLock};
use racelab::trace::{Op, Trace};

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

/// The trace of the first execution under each model backend in this build,
/// by making every outcome forbidden (a failure carries its trace).
fn first_model_traces<O: racelab::explore::Outcome + Sync>(scenario: Scenario<O>) -> Vec<(sync::Backend, Trace)> {
    let scenario = scenario.expect("nothing: the test reads the trace", |_| Grade::Forbidden);
    explorers()
        .into_iter()
        .filter(|e| e.backend().is_model())
        .map(|e| {
            let report = scenario.explore(&e).expect("backend in this build");
            let failure = report.failure.expect("every outcome is forbidden");
            (e.backend(), failure.trace)
        })
        .collect()
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

#[test]
fn a_relaxed_load_records_its_ordering_under_the_models() {
    let traces = first_model_traces(Scenario::new("relaxed_load", || {
        let flag = Arc::new(AtomicUsize::new(0).named("flag"));
        let f = Arc::clone(&flag);
        let t = thread::spawn(move || f.store(1, racelab::sync::atomic::Ordering::Release));
        let seen = flag.load(racelab::sync::atomic::Ordering::Relaxed);
        t.join().unwrap();
        seen
    }));
    assert!(!traces.is_empty() || !sync::Backend::Shuttle.is_available());
    for (backend, trace) in traces {
        let load = trace
            .iter()
            .find(|e| e.op == Op::Load && e.target == "flag")
            .unwrap_or_else(|| panic!("{backend}: the load is recorded: {trace:?}"));
        assert_eq!(load.ordering.as_deref(), Some("Relaxed"), "{backend}");
        let store = trace.iter().find(|e| e.op == Op::Store && e.target == "flag");
        assert_eq!(store.and_then(|e| e.ordering.as_deref()), Some("Release"), "{backend}");
    }
}

/// The events of `trace` on `target`, as `op value` lines.
fn lines_on(trace: &Trace, target: &str) -> Vec<String> {
    trace
        .iter()
        .filter(|e| e.target == target)
        .map(|e| {
            format!("{} {}", e.op.word(), e.value.as_deref().unwrap_or(""))
                .trim_end()
                .to_owned()
        })
        .collect()
}

#[test]
fn writing_back_an_unchanged_value_under_a_mutex_is_still_recorded_as_a_write() {
    let traces = first_model_traces(Scenario::new("write_back", || {
        let m = Arc::new(Mutex::new(5u32).named("m"));
        let other = Arc::clone(&m);
        let t = thread::spawn(move || *other.lock().unwrap());
        let seen = *m.lock().unwrap();
        *m.lock().unwrap() = seen;
        t.join().unwrap()
    }));
    for (backend, trace) in traces {
        let main: Vec<_> = trace.iter().filter(|e| e.target == "m" && e.thread == "main").collect();
        let reads: Vec<_> = main
            .iter()
            .filter(|e| e.op == Op::Lock)
            .map(|e| e.read.as_deref())
            .collect();
        assert_eq!(
            reads,
            [Some("5"), Some("5")],
            "{backend}: each lock records what it found"
        );
        let writes: Vec<_> = main
            .iter()
            .filter(|e| e.op == Op::Unlock)
            .map(|e| e.wrote.as_deref())
            .collect();
        assert_eq!(
            writes,
            [None, Some("5")],
            "{backend}: a read-only guard writes nothing, a written one writes even an unchanged value: {:?}",
            lines_on(&trace, "m")
        );
    }
}

#[test]
fn an_rwlock_write_guard_records_its_write_and_a_reader_what_it_found() {
    let traces = first_model_traces(Scenario::new("rwlock_values", || {
        let l = Arc::new(RwLock::new(1u32).named("l"));
        let other = Arc::clone(&l);
        let t = thread::spawn(move || *other.read().unwrap());
        *l.write().unwrap() += 1;
        t.join().unwrap()
    }));
    for (backend, trace) in traces {
        let unlock = trace.iter().find(|e| e.target == "l" && e.op == Op::Unlock);
        assert_eq!(unlock.and_then(|e| e.wrote.as_deref()), Some("2"), "{backend}");
        let read = trace.iter().find(|e| e.target == "l" && e.op == Op::ReadLock);
        let found = read.and_then(|e| e.read.as_deref());
        assert!(matches!(found, Some("1" | "2")), "{backend}: {found:?}");
    }
}

#[test]
fn a_condvar_relock_records_what_it_finds() {
    let traces = first_model_traces(Scenario::new("relock", || {
        let slot = Arc::new((Mutex::new(0u32).named("slot"), Condvar::new().named("cv")));
        let s = Arc::clone(&slot);
        let t = thread::spawn(move || {
            *s.0.lock().unwrap() = 3;
            s.1.notify_one();
        });
        let mut guard = slot.0.lock().unwrap();
        while *guard == 0 {
            guard = slot.1.wait(guard).unwrap();
        }
        drop(guard);
        t.join().unwrap();
        0u32
    }));
    for (backend, trace) in traces {
        // Whether main waited depends on the schedule; either way its last
        // lock (the re-lock, when it waited) read the value the other
        // thread left.
        let last_main_lock = trace
            .iter()
            .rev()
            .find(|e| e.target == "slot" && e.op == Op::Lock && e.thread == "main");
        assert_eq!(last_main_lock.and_then(|e| e.read.as_deref()), Some("3"), "{backend}");
    }
}

#[test]
fn a_semaphore_lets_no_more_than_its_permits_in_at_once() {
    holds_everywhere(
        Scenario::new("semaphore", || {
            let sem = Arc::new(sync::Semaphore::new(1).named("sem"));
            let inside = Arc::new(AtomicUsize::new(0).named("inside"));
            let most = Arc::new(AtomicUsize::new(0).named("most"));
            let workers: Vec<_> = (0..2)
                .map(|_| {
                    let (sem, inside, most) = (Arc::clone(&sem), Arc::clone(&inside), Arc::clone(&most));
                    thread::spawn(move || {
                        sem.acquire();
                        let now = inside.fetch_add(1, SeqCst) + 1;
                        most.fetch_max_by_cas(now);
                        inside.fetch_sub(1, SeqCst);
                        sem.release();
                    })
                })
                .collect();
            for w in workers {
                w.join().unwrap();
            }
            format!(
                "at most {} inside, {} permit(s) free",
                most.load(SeqCst),
                sem.available()
            )
        })
        .expect_only("at most 1 inside, 1 permit(s) free".to_owned()),
    );
}

/// `fetch_max` as a compare-exchange loop (the facade has no `fetch_max`).
trait FetchMax {
    fn fetch_max_by_cas(&self, value: usize);
}

impl FetchMax for AtomicUsize {
    fn fetch_max_by_cas(&self, value: usize) {
        let _ = self.fetch_update(SeqCst, SeqCst, |old| (value > old).then_some(value));
    }
}

#[test]
fn a_semaphore_try_acquire_fails_only_when_no_permit_is_free() {
    let sem = sync::Semaphore::new(1);
    assert!(sem.try_acquire());
    assert!(!sem.try_acquire());
    sem.release();
    assert!(sem.try_acquire());
}

#[test]
fn a_thread_blocked_forever_on_a_semaphore_shows_as_waiting_for_a_permit() {
    let scenario = Scenario::new("semaphore_stuck", || {
        let sem = sync::Semaphore::new(1).named("sem");
        sem.acquire();
        sem.acquire();
        0u32
    });
    for (backend, trace) in first_model_traces(scenario) {
        let lines = lines_on(&trace, "sem");
        assert!(lines.contains(&"acquire (0 left)".to_owned()), "{backend}: {lines:?}");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("blocked on (waits for a permit)"),
            "{backend}: {lines:?}"
        );
    }
}

#[test]
fn a_bounded_channel_delivers_every_message_in_order() {
    holds_everywhere(
        Scenario::new("sync_channel", || {
            let (tx, rx) = mpsc::sync_channel_named("jobs", 1);
            let t = thread::spawn(move || {
                for i in 0..3u32 {
                    tx.send(i).unwrap();
                }
            });
            let got: Vec<u32> = (0..3).map(|_| rx.recv().unwrap()).collect();
            t.join().unwrap();
            format!("{got:?}, then {:?}", rx.recv().ok())
        })
        .expect_only("[0, 1, 2], then None".to_owned()),
    );
}

#[test]
fn a_rendezvous_channel_hands_each_message_over_in_order() {
    holds_everywhere(
        Scenario::new("rendezvous", || {
            let (tx, rx) = mpsc::sync_channel(0);
            let t = thread::spawn(move || {
                for i in 0..2u32 {
                    tx.send(i).unwrap();
                }
            });
            let got: Vec<u32> = (0..2).map(|_| rx.recv().unwrap()).collect();
            t.join().unwrap();
            format!("{got:?}")
        })
        .expect_only("[0, 1]".to_owned()),
    );
}

#[test]
fn a_bounded_channel_try_send_fails_when_full_and_send_fails_without_a_receiver() {
    let (tx, rx) = mpsc::sync_channel::<u32>(1);
    assert!(tx.try_send(1).is_ok());
    assert!(matches!(tx.try_send(2), Err(mpsc::TrySendError::Full(2))));
    assert_eq!(rx.recv(), Ok(1));
    drop(rx);
    assert!(tx.send(3).is_err());
}

#[test]
fn a_sender_blocked_forever_on_a_full_channel_shows_as_waiting_for_room() {
    let scenario = Scenario::new("sync_channel_full", || {
        let (tx, _rx) = mpsc::sync_channel_named("jobs", 1);
        tx.send(1u32).unwrap();
        tx.send(2u32).unwrap();
        0u32
    });
    for (backend, trace) in first_model_traces(scenario) {
        let lines = lines_on(&trace, "jobs");
        assert_eq!(lines.iter().filter(|l| *l == "send").count(), 1, "{backend}: {lines:?}");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("blocked on (waits for room)"),
            "{backend}: {lines:?}"
        );
    }
}

#[test]
fn a_named_channel_records_its_sends_and_receives_under_its_name() {
    let scenario = Scenario::new("named_channel", || {
        let (tx, rx) = mpsc::channel_named("jobs");
        let t = thread::spawn(move || tx.send(1u32).unwrap());
        let got = rx.recv().unwrap();
        t.join().unwrap();
        got
    });
    for (backend, trace) in first_model_traces(scenario) {
        let ops: Vec<_> = trace.iter().filter(|e| e.target == "jobs").map(|e| e.op).collect();
        assert_eq!(ops, [Op::Send, Op::Recv], "{backend}");
    }
}

#[test]
fn an_atomic_ptr_records_its_pointers_and_orderings() {
    let scenario = Scenario::new("atomic_ptr", || {
        let slot = Arc::new(racelab::sync::atomic::AtomicPtr::<u32>::default().named("ptr"));
        let s = Arc::clone(&slot);
        let t = thread::spawn(move || {
            let p = Box::into_raw(Box::new(7u32));
            s.store(p, racelab::sync::atomic::Ordering::Release);
        });
        t.join().unwrap();
        let p = slot.swap(std::ptr::null_mut(), racelab::sync::atomic::Ordering::Acquire);
        // SAFETY: `p` came from `Box::into_raw` in the thread joined above,
        // and the swap took it out of the slot, so nothing else frees it.
        let value = unsafe { Box::from_raw(p) };
        *value
    });
    for (backend, trace) in first_model_traces(scenario) {
        let store = trace
            .iter()
            .find(|e| e.target == "ptr" && e.op == Op::Store)
            .expect("the store is recorded");
        assert!(
            store.wrote.as_deref().is_some_and(|p| p.starts_with("0x")),
            "{backend}: {store:?}"
        );
        assert_eq!(store.ordering.as_deref(), Some("Release"), "{backend}");
        let swap = trace
            .iter()
            .find(|e| e.target == "ptr" && e.op == Op::Swap)
            .expect("the swap is recorded");
        assert_eq!(swap.read, store.wrote, "{backend}: the swap took what the store left");
        assert_eq!(swap.ordering.as_deref(), Some("Acquire"), "{backend}");
    }
}

#[test]
fn names_built_at_run_time_name_their_objects_in_timelines() {
    // Five forks named in a loop: each lock line carries its own name.
    let s = Scenario::new("forks", || {
        let forks: Vec<Mutex<u32>> = (0..5).map(|i| Mutex::new(0).named(format!("fork{i}"))).collect();
        let forks = Arc::new(forks);
        let f = Arc::clone(&forks);
        let t = thread::spawn(move || *f[3].lock().unwrap() += 1);
        *forks[4].lock().unwrap() += 1;
        t.join().unwrap();
        0u32
    });
    let report = s.explore(&Explorer::shuttle().with_budget(1)).unwrap();
    let trace = report.failure.map(|f| f.trace).unwrap_or_default();
    // Nothing was shared, so the exploration is vacuous and keeps a trace.
    let targets: Vec<&str> = trace
        .iter()
        .filter(|e| e.op == Op::Lock)
        .map(|e| e.target.as_str())
        .collect();
    assert!(targets.contains(&"fork3") && targets.contains(&"fork4"), "{targets:?}");
}

/// A receiver that reads until every sender is gone ends under every
/// model: loom's own channel never reports disconnection, so the facade's
/// is built on its lock and condvars there.
#[cfg(all(feature = "loom", feature = "shuttle"))]
#[test]
fn a_receive_loop_ends_when_every_sender_is_gone() {
    let s = Scenario::new("drain", || {
        let (tx, rx) = mpsc::channel_named::<u32>("jobs");
        let tx2 = tx.clone();
        let a = thread::spawn(move || tx.send(1).unwrap());
        let b = thread::spawn(move || tx2.send(2).unwrap());
        let sum: u32 = rx.into_iter().sum();
        a.join().unwrap();
        b.join().unwrap();
        sum
    })
    .expect_only(3);
    for explorer in [Explorer::loom(), Explorer::shuttle()] {
        let report = s.explore(&explorer).unwrap();
        assert!(report.holds(), "{}", report.render(false));
    }
}

/// `fetch_max` is one read-modify-write: two threads raising a high-water
/// mark never lose the higher value (the load/compare/store version does).
#[cfg(all(feature = "loom", feature = "shuttle"))]
#[test]
fn fetch_max_keeps_the_higher_value_under_every_schedule() {
    use racelab::sync::atomic::AtomicU64;
    let s = Scenario::new("high water", || {
        let high = Arc::new(AtomicU64::new(0).named("high"));
        let h = Arc::clone(&high);
        let t = thread::spawn(move || h.fetch_max(7, SeqCst));
        high.fetch_max(5, SeqCst);
        t.join().unwrap();
        high.load(SeqCst)
    })
    .expect_only(7);
    for explorer in [Explorer::loom(), Explorer::shuttle()] {
        let report = s.explore(&explorer).unwrap();
        assert!(report.holds(), "{}", report.render(false));
    }
}
