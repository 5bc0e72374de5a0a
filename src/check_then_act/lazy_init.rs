//! Lazy initialisation: "if nobody has opened the connection yet, open it".
//!
//! Racy: two threads both see "not yet" and both open one — the resource is
//! initialised twice (two connections, two log files, a config read twice
//! and maybe differently). Fixes, side by side: a lock around the check and
//! the initialisation ([`Locked`]), and a [`OnceCell`] ([`Once`]).
//!
//! Costs: the lock is taken on every access, forever after ([`Locked`]);
//! the once-cell costs one `Acquire` load once initialised ([`Once`]).

use std::fmt;

use super::once_cell::OnceCell;
use crate::counter::thread_name;
use crate::explore::{Grade, Scenario};
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use crate::sync::{thread, Arc, Mutex, StartGate};

/// The value the initialisation produces.
pub const VALUE: u64 = 42;

/// A resource created on first use.
pub trait Lazy: Send + Sync + 'static {
    /// Not yet initialised, on the current backend.
    fn new() -> Self
    where
        Self: Sized;
    /// The resource, initialising it if needed (counting in `inits`).
    fn get(&self, inits: &AtomicU64) -> u64;
}

/// "Initialise" the resource: the expensive part, counted.
fn initialise(inits: &AtomicU64) -> u64 {
    inits.fetch_add(1, SeqCst);
    VALUE
}

/// Check a flag, then act: two threads can both pass the check.
#[derive(Debug)]
pub struct Racy {
    ready: AtomicBool,
    value: AtomicU64,
}

impl Lazy for Racy {
    fn new() -> Self {
        Racy {
            ready: AtomicBool::new(false).named("ready"),
            value: AtomicU64::new(0).named("value"),
        }
    }

    fn get(&self, inits: &AtomicU64) -> u64 {
        if !self.ready.load(SeqCst) {
            // Another thread can be right here too.
            self.value.store(initialise(inits), SeqCst);
            self.ready.store(true, SeqCst);
        }
        self.value.load(SeqCst)
    }
}

/// Check and act under one lock.
#[derive(Debug)]
pub struct Locked {
    value: Mutex<Option<u64>>,
}

impl Lazy for Locked {
    fn new() -> Self {
        Locked {
            value: Mutex::new(None).named("value").traced(),
        }
    }

    fn get(&self, inits: &AtomicU64) -> u64 {
        let mut value = self.value.lock().unwrap_or_else(|p| p.into_inner());
        *value.get_or_insert_with(|| initialise(inits))
    }
}

/// A once-cell: exactly one initialiser runs.
#[derive(Debug)]
pub struct Once {
    cell: OnceCell<u64>,
}

impl Lazy for Once {
    fn new() -> Self {
        Once { cell: OnceCell::new() }
    }

    fn get(&self, inits: &AtomicU64) -> u64 {
        *self.cell.get_or_init(|| initialise(inits))
    }
}

/// How many times the resource was initialised, and whether every thread
/// got the initialised value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Inits {
    pub inits: u64,
    pub all_got_it: bool,
}

impl fmt::Display for Inits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let times = if self.inits == 1 { "once" } else { "times" };
        if self.inits == 1 {
            write!(f, "initialised {times}")?;
        } else {
            write!(f, "initialised {} {times}", self.inits)?;
        }
        if !self.all_got_it {
            f.write_str(", someone got no value")?;
        }
        Ok(())
    }
}

/// `threads` threads each get the resource once; acceptable only if it was
/// initialised exactly once and everyone got it.
pub fn scenario<L: Lazy>(name: &str, threads: usize) -> Scenario<Inits> {
    Scenario::new(name, move || {
        let lazy = Arc::new(L::new());
        let inits = Arc::new(AtomicU64::new(0).named("inits"));
        let gate = Arc::new(StartGate::new(threads));
        let users: Vec<_> = (0..threads)
            .map(|i| {
                let (lazy, inits, gate) = (Arc::clone(&lazy), Arc::clone(&inits), Arc::clone(&gate));
                thread::Builder::new()
                    .name(thread_name(i))
                    .spawn(move || {
                        gate.wait();
                        lazy.get(&inits)
                    })
                    .expect("spawn a user")
            })
            .collect();
        // Join every user before counting (`all` would stop at the first miss).
        let got: Vec<u64> = users.into_iter().map(|u| u.join().expect("a user panicked")).collect();
        let all_got_it = got.iter().all(|v| *v == VALUE);
        Inits {
            inits: inits.load(SeqCst),
            all_got_it,
        }
    })
    .expect("initialised once", |o: &Inits| {
        if o.inits == 1 && o.all_got_it {
            Grade::Acceptable
        } else {
            Grade::Forbidden
        }
    })
}
