//! # b07: Bloch and Gafter's "Lazy" puzzler: a class initialiser that joins a thread
//!
//! **Source.** Joshua Bloch and Neal Gafter, "Java Puzzlers" (JavaOne 2005
//! talk; book "Java Puzzlers: Traps, Pitfalls, and Corner Cases", 2005,
//! Puzzle 85 "Lazy Initialization"), as retold in "Getting a deadlock
//! without using any locks"
//! (<https://incompleteness.me/blog/2005/06/28/getting-a-deadlock-without-using-any-locks/>)
//! and in the CERT Oracle Java rule TSM02-J "Do not use background threads
//! during class initialization" (<https://wiki.sei.cmu.edu/confluence/x/70ZMBQ>,
//! citing [Bloch 05b]):
//!
//! ```java
//! public class Lazy {
//!   private static boolean initialized = false;
//!   static {
//!     Thread t = new Thread(new Runnable() {
//!       public void run() { initialized = true; }
//!     });
//!     t.start();
//!     try { t.join(); } catch (InterruptedException e) { throw new AssertionError(e); }
//!   }
//!   public static void main(String[] args) { System.out.println(initialized); }
//! }
//! ```
//!
//! **The program.** The static initialiser of `Lazy` starts a thread that
//! sets a static field of `Lazy`, and waits for it. Any access to a static
//! field of a class from another thread first waits until that class is
//! initialised; `Lazy` is still being initialised, by the main thread, which
//! waits in `join` for the background thread: "a class initialization cycle
//! that results in a deadlock" (CERT). The program prints nothing, ever.
//!
//! **Transcription.** The JVM's class initialisation is a once-cell: the
//! first thread to touch `Lazy` runs `<clinit>`, others wait until it is
//! done, and the initialising thread itself goes through. So `Lazy`'s
//! initialisation is a `racelab::sync::OnceLock<()>` named `Lazy`, and the
//! static field `initialized` an `AtomicBool` named `initialized` (Java's
//! static field writes are not synchronised here; `SeqCst` keeps weak memory
//! out of the picture). main runs `Lazy.get_or_init(clinit)`; `clinit`
//! stores `false`, spawns `t` and joins it. `t` must first pass
//! `Lazy.get_or_init(..)` (the JVM's wait for the class), then store
//! `true`. main prints `initialized` at the end.
//!
//! **The bad execution.** Every execution: main enters `Lazy`'s initialiser
//! and joins `t`; `t` waits in `Lazy.get_or_init` until main's initialiser
//! is done. A deadlock without a lock of the user's own.
//!
//! **Teacher marks.**
//! 1. t's blocked wait in `Lazy`'s `get_or_init` (whatever step the once-cell
//!    shows: its lock, or a wait on its condvar), kind `deadlock`: "t waits
//!    for Lazy to be initialised; main, which is initialising it, waits in
//!    join for t: a cycle." (A mark on main's `join t` naming the same cycle
//!    is the other end: lenient.)
//!
//! No mark on the `store initialized <- false` in the initialiser, on the
//! spawn, nor on the once-cell's own internal steps as if they were user
//! writes.
//!
//! **Controls.** (a) CERT's advice: start the thread only after class
//! initialisation is complete (main initialises `Lazy`, then spawns `t` and
//! joins it); (b) the blog's advice, "create some separate classes": the
//! background thread sets a flag that belongs to another, already
//! initialised class (a plain `AtomicBool` outside `Lazy`), and the
//! initialiser copies it into `Lazy.initialized` after the join.

use racelab::explore::{FailureKind, Scenario};
use racelab::sync::atomic::{AtomicBool, Ordering::SeqCst};
use racelab::sync::{thread, Arc, OnceLock};

use crate::common;

struct Jvm {
    /// `Lazy`'s class initialisation.
    lazy: OnceLock<()>,
    /// `Lazy.initialized`.
    initialized: AtomicBool,
    /// A static field of another, already initialised class (control b).
    other_done: AtomicBool,
}

fn jvm() -> Arc<Jvm> {
    Arc::new(Jvm {
        lazy: OnceLock::new().named("Lazy"),
        initialized: AtomicBool::new(false).named("initialized"),
        other_done: AtomicBool::new(false).named("Other.done"),
    })
}

/// `initialized = true` from a thread other than the initialiser: first
/// wait until `Lazy` is initialised.
fn set_from_other_thread(j: &Jvm) {
    j.lazy.get_or_init(|| unreachable!("Lazy is being initialised by main"));
    j.initialized.store(true, SeqCst);
}

fn racy() -> Scenario<bool> {
    Scenario::new("b07::class_init_joins_thread", || {
        let j = jvm();
        // main touches Lazy: the JVM runs Lazy.<clinit> on this thread.
        j.lazy.get_or_init(|| {
            j.initialized.store(false, SeqCst); // initialized = false
            let jt = Arc::clone(&j);
            let t = thread::Builder::new()
                .name("t")
                .spawn(move || set_from_other_thread(&jt))
                .unwrap();
            t.join().unwrap();
        });
        j.initialized.load(SeqCst) // System.out.println(initialized)
    })
    .expect_only(true)
}

#[test]
fn loom_finds_the_init_cycle() {
    let report = common::explore(&racy(), &common::loom());
    report.assert_racy(Some(FailureKind::Deadlock));
}

#[test]
fn shuttle_finds_the_init_cycle() {
    let report = common::explore(&racy(), &common::shuttle());
    report.assert_racy(Some(FailureKind::Deadlock));
}

fn thread_after_init() -> Scenario<bool> {
    Scenario::new("b07::thread_after_init", || {
        let j = jvm();
        j.lazy.get_or_init(|| j.initialized.store(false, SeqCst));
        let jt = Arc::clone(&j);
        let t = thread::Builder::new()
            .name("t")
            .spawn(move || set_from_other_thread(&jt))
            .unwrap();
        t.join().unwrap();
        j.initialized.load(SeqCst)
    })
    .expect_only(true)
}

#[test]
fn loom_thread_after_init_holds() {
    common::explore(&thread_after_init(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_thread_after_init_holds() {
    common::explore(&thread_after_init(), &common::shuttle()).assert_holds();
}

fn separate_class() -> Scenario<bool> {
    Scenario::new("b07::separate_class", || {
        let j = jvm();
        j.lazy.get_or_init(|| {
            j.initialized.store(false, SeqCst);
            let jt = Arc::clone(&j);
            let t = thread::Builder::new()
                .name("t")
                .spawn(move || jt.other_done.store(true, SeqCst))
                .unwrap();
            t.join().unwrap();
            j.initialized.store(j.other_done.load(SeqCst), SeqCst);
        });
        j.initialized.load(SeqCst)
    })
    .expect_only(true)
}

#[test]
fn loom_separate_class_holds() {
    common::explore(&separate_class(), &common::loom()).assert_holds();
}

#[test]
fn shuttle_separate_class_holds() {
    common::explore(&separate_class(), &common::shuttle()).assert_holds();
}
