//! Starting a thread: with a closure, or with a function and its arguments
//! (the lecture's `target=` and `args=`), named with `Builder`.
//!
//! Lecture section *threading*: `threading.Thread(target=thread_job,
//! args=(i,), name=...)`, then `start()` and `join()`. In Rust a thread
//! starts as soon as it is spawned, and what it runs is one closure:
//! - **a closure capturing state**: `move || greet(&prefix, i)` takes
//!   ownership of what it uses (`move`), so the thread can outlive the
//!   caller's stack;
//! - **a function with arguments**: `target=f, args=(a, b)` is a closure
//!   that calls `f(a, b)` with the arguments moved in — Rust has no separate
//!   `args`, the closure *is* the argument tuple.
//!
//! `Builder::name` gives the thread a name (the lecture's `name=`), which
//! `thread::current().name()` reads back inside it, panic messages print,
//! and racelab's timelines use as the thread's column. `join` returns what
//! the thread returned (Python's `join` returns nothing: results go through
//! shared state). Costs: `move` copies or moves the captured values; a name
//! is one allocation.
//!
//! These run on the current [`crate::sync`] backend (real threads outside an
//! explorer).

use crate::sync::thread;

/// What a thread answers: who ran it and what it computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Greeting {
    /// The name the thread saw for itself (`thread::current_name`).
    pub thread: String,
    /// The lecture's `'Hello {}'.format(number)`.
    pub text: String,
}

/// The lecture's `thread_job(number)`, returning its line instead of
/// printing it.
pub fn thread_job(number: usize) -> Greeting {
    Greeting {
        thread: thread::current_name(),
        text: format!("Hello {number}"),
    }
}

/// `target=thread_job, args=(i,)`: a function and its argument, moved into
/// the thread. Named `name`.
///
/// # Errors
/// If the OS cannot start the thread.
pub fn spawn_with_args(name: &str, number: usize) -> std::io::Result<thread::JoinHandle<Greeting>> {
    thread::Builder::new().name(name).spawn(move || thread_job(number))
}

/// A closure capturing state: `prefix` is moved into the thread, which
/// greets `number` with it.
///
/// # Errors
/// If the OS cannot start the thread.
pub fn spawn_with_closure(name: &str, prefix: String, number: usize) -> std::io::Result<thread::JoinHandle<Greeting>> {
    thread::Builder::new().name(name).spawn(move || Greeting {
        thread: thread::current_name(),
        text: format!("{prefix} {number}"),
    })
}

/// An unnamed thread: std leaves it nameless (`thread::current().name()`
/// is `None`); racelab's timelines would call it `t1`, `t2`, ...
pub fn unnamed_thread_name() -> std::thread::Result<Option<String>> {
    std::thread::spawn(|| std::thread::current().name().map(str::to_owned)).join()
}

/// Starts `count` named threads (`alice`, `bob`, ...) running
/// [`thread_job`], all before joining any, and returns their greetings in
/// start order.
///
/// # Errors
/// If a thread cannot be started; a job that panicked comes back as
/// [`std::io::ErrorKind::Other`].
pub fn greet_all(count: usize) -> std::io::Result<Vec<Greeting>> {
    let handles = (0..count)
        .map(|i| spawn_with_args(&crate::counter::thread_name(i), i))
        .collect::<std::io::Result<Vec<_>>>()?;
    handles
        .into_iter()
        .map(|h| h.join().map_err(|_| std::io::Error::other("a thread panicked")))
        .collect()
}
