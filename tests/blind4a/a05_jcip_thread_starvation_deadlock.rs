//! # a05: a task that waits for a task queued behind it (JCiP thread-starvation deadlock)
//!
//! Source: Goetz et al., *Java Concurrency in Practice*, §8.1.1, Listing 8.1
//! `ThreadDeadlock`: a `RenderPageTask` running on a single-thread executor
//! submits `LoadFileTask`s to the same executor and waits on their `Future`s.
//!
//! Bug: the one pool thread runs the render task, which blocks in
//! `header.get()` until the header task has run; but the header task sits in
//! the pool's queue, and only the pool thread, now blocked, takes tasks from
//! it. The caller, waiting for the page, waits for ever too. Model: the pool
//! is a thread `pool-1` draining an `mpsc` channel `queue` of boxed jobs; a
//! `Future` is a `Mutex<Option<u32>>` with a `Condvar` (`header`,
//! `header.ready`, `page`, `page.ready`); `main` submits the render task,
//! then waits on `page`.
//!
//! ## Teacher marks (written before looking at racelab's marks)
//! 1. pool-1's condvar wait on `header.ready` (inside the render task):
//!    **deadlock**: it waits for the header task, which is queued on `queue`
//!    behind the task pool-1 is itself running, and only pool-1 runs queued
//!    tasks: the cycle pool-1 -> header -> queue -> pool-1. The text must say
//!    why no one will ever complete `header` (the completer is queued, or
//!    only pool-1 could run it).
//! 2. main's condvar wait on `page.ready`: **deadlock** (blocked for ever):
//!    it waits for the render task on pool-1, which is stuck in mark 1.
//!
//! Not spurious if true: pool-1's `send queue` of the header task (the
//! submit to the pool that is running the submitter). Spurious: any
//! `lost_wakeup` (no notify was ever sent, so none was lost), a mark that
//! calls the wait a lost wake-up or blames the `Mutex`es (none is held by a
//! blocked thread in a way that matters: the waits released them).

use racelab::explore::{Explorer, Scenario};
use racelab::sync::{mpsc, thread, Arc, Condvar, Mutex};

use crate::common;

type Job = Box<dyn FnOnce() + Send>;

/// A `java.util.concurrent.Future`, as a value and a condvar.
struct Future {
    value: Mutex<Option<u32>>,
    ready: Condvar,
}

impl Future {
    fn new(name: &'static str, ready: &'static str) -> Arc<Self> {
        Arc::new(Future {
            value: Mutex::new(None).named(name),
            ready: Condvar::new().named(ready),
        })
    }
    fn get(&self) -> u32 {
        let guard = self.value.lock().unwrap();
        let guard = self.ready.wait_while(guard, |v| v.is_none()).unwrap();
        guard.expect("completed")
    }
    fn complete(&self, v: u32) {
        *self.value.lock().unwrap() = Some(v);
        self.ready.notify_all();
    }
}

/// A pool of `workers` threads sharing one queue.
fn render_page(workers: usize) -> u32 {
    let (tx, rx) = mpsc::channel_named::<Job>("queue");
    let rx = Arc::new(Mutex::new_untraced(rx).named("queue.rx"));
    let pool: Vec<_> = (1..=workers)
        .map(|n| {
            let rx = Arc::clone(&rx);
            thread::Builder::new()
                .name(format!("pool-{n}"))
                .spawn(move || loop {
                    let job = rx.lock().unwrap().recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break,
                    }
                })
                .unwrap()
        })
        .collect();
    let page = Future::new("page", "page.ready");
    let p = Arc::clone(&page);
    let submit = tx.clone();
    // RenderPageTask
    tx.send(Box::new(move || {
        let header = Future::new("header", "header.ready");
        let h = Arc::clone(&header);
        // LoadFileTask("header.html"), on the same executor
        submit.send(Box::new(move || h.complete(1))).unwrap();
        drop(submit);
        let body = 10;
        p.complete(header.get() + body);
    }))
    .unwrap();
    drop(tx);
    let result = page.get();
    for w in pool {
        w.join().unwrap();
    }
    result
}

fn single_thread_executor() -> Scenario<u32> {
    Scenario::new("blind4a::a05_thread_starvation_deadlock", || render_page(1)).expect_only(11)
}

/// Control: JCiP's remedy, a pool big enough for the dependent tasks (two
/// threads: the render task waits on one while the header runs on the other).
fn two_thread_pool() -> Scenario<u32> {
    Scenario::new("blind4a::a05_two_thread_pool", || render_page(2)).expect_only(11)
}

#[test]
fn loom_finds_the_deadlock() {
    common::racy(&single_thread_executor(), Explorer::loom());
}

#[test]
fn shuttle_finds_the_deadlock() {
    common::racy(&single_thread_executor(), Explorer::shuttle());
}

/// WRONG VERDICT under loom (recorded in SCORES.md): loom reports a
/// deadlock, because under loom racelab's unbounded `mpsc::channel` is
/// loom's, whose `recv` never returns `Err` when every sender is gone; the
/// workers' `while recv().is_ok()` loop therefore never ends. shuttle (and
/// std) end it. What is right is asserted: the control holds.
#[test]
// Fixed since: under loom the facade builds its own channel, which
// reports that every sender is gone; the right verdict now holds.
fn two_threads_hold_on_loom() {
    common::holds(&two_thread_pool(), Explorer::loom());
}

#[test]
fn two_threads_hold_on_shuttle() {
    common::holds(&two_thread_pool(), Explorer::shuttle());
}

/// The smallest program that shows why the two-thread control fails under
/// loom: a receiver loop that ends when every sender is gone (std's and
/// racelab's documented `recv`: "Blocks until a value arrives, or every
/// sender is gone").
fn drain_until_disconnected() -> Scenario<u32> {
    Scenario::new("blind4a::a05_recv_after_disconnect", || {
        let (tx, rx) = mpsc::channel_named::<u32>("c");
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = 0;
                while let Ok(v) = rx.recv() {
                    got += v;
                }
                got
            })
            .unwrap();
        tx.send(1).unwrap();
        drop(tx);
        consumer.join().unwrap()
    })
    .expect_only(1)
}

#[test]
fn recv_after_disconnect_holds_on_shuttle() {
    common::holds(&drain_until_disconnected(), Explorer::shuttle());
}

/// WRONG VERDICT under loom, the same cause as `two_threads_hold_on_loom`.
#[test]
// Fixed since: under loom the facade builds its own channel, which
// reports that every sender is gone; the right verdict now holds.
fn recv_after_disconnect_holds_on_loom() {
    common::holds(&drain_until_disconnected(), Explorer::loom());
}

/// The same drain over racelab's bounded channel, which under loom is built
/// from the facade's own mutex and condvars.
fn drain_bounded_until_disconnected() -> Scenario<u32> {
    Scenario::new("blind4a::a05_bounded_recv_after_disconnect", || {
        let (tx, rx) = mpsc::sync_channel_named::<u32>("c", 1);
        let consumer = thread::Builder::new()
            .name("consumer")
            .spawn(move || {
                let mut got = 0;
                while let Ok(v) = rx.recv() {
                    got += v;
                }
                got
            })
            .unwrap();
        tx.send(1).unwrap();
        drop(tx);
        consumer.join().unwrap()
    })
    .expect_only(1)
}

#[test]
fn bounded_recv_after_disconnect_holds_on_loom() {
    common::holds(&drain_bounded_until_disconnected(), Explorer::loom());
}

#[test]
fn bounded_recv_after_disconnect_holds_on_shuttle() {
    common::holds(&drain_bounded_until_disconnected(), Explorer::shuttle());
}
